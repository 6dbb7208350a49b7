// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Changing a PF's VF count, and waiting until the kernel and udev are done.
 *
 * Order: check -> autoprobe off -> (N > 0: write 0) -> write M -> wait for
 * udev's "add" of every VF -> autoprobe back. A failure part-way puts the
 * previous count and the previous VF drivers back.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libudev.h>

#include "libvvp-private.h"

struct vf_wait {
	struct udev *udev;
	struct udev_monitor *mon;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * udev can only speak for the real /sys, and only when udevd runs: on a
 * generated tree, or in an initramfs without udevd, the kernel's side is
 * all there is to wait for.
 */
static bool udev_in_charge(struct vvp_ctx *ctx)
{
	return strcmp(ctx->sysfs_root, "/sys") == 0 &&
	       access("/run/udev/control", F_OK) == 0;
}

static void wait_end(struct vf_wait *w)
{
	udev_monitor_unref(w->mon);
	udev_unref(w->udev);
	w->mon = NULL;
	w->udev = NULL;
}

/* Listen before anything changes, so no event can slip past. */
static int wait_begin(struct vvp_ctx *ctx, struct vf_wait *w)
{
	memset(w, 0, sizeof(*w));
	if (!udev_in_charge(ctx))
		return 0;
	w->udev = udev_new();
	if (!w->udev)
		return -ENOMEM;
	w->mon = udev_monitor_new_from_netlink(w->udev, "udev");
	if (!w->mon)
		goto err;
	/* 127 VFs make a burst of events; ask for room (needs root) */
	udev_monitor_set_receive_buffer_size(w->mon, 8 * 1024 * 1024);
	if (udev_monitor_filter_add_match_subsystem_devtype(w->mon, "pci",
							    NULL) < 0 ||
	    udev_monitor_enable_receiving(w->mon) < 0)
		goto err;
	return 0;
err:
	wait_end(w);
	return -EIO;
}

static int vf_address(struct vvp_pf *pf, int i, char *buf, size_t len)
{
	char path[PATH_MAX];
	int rc;

	rc = sysfs_path(pf->ctx, path, sizeof(path),
			"bus/pci/devices/%s/virtfn%d", pf->address, i);
	return rc < 0 ? rc : sysfs_link_name(pf->ctx, path, buf, len);
}

/* the VFs a wait is for, and which of them udev has announced */
struct vf_pending {
	unsigned int num, left;
	char (*addr)[16];
	bool *done;
};

static void pending_free(struct vf_pending *p)
{
	free(p->addr);
	free(p->done);
}

/*
 * VFs 0..num-1, all of them to come; with seen_in_db, a VF that udev
 * already has in its database counts as announced (for callers that did
 * not hold a monitor across the change).
 */
static int pending_init(struct vvp_pf *pf, struct vf_wait *w,
			struct vf_pending *p, unsigned int num, bool seen_in_db)
{
	p->num = num;
	p->left = 0;
	p->addr = calloc(num, sizeof(*p->addr));
	p->done = calloc(num, sizeof(*p->done));
	if (!p->addr || !p->done) {
		pending_free(p);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < num; i++) {
		vf_address(pf, i, p->addr[i], sizeof(p->addr[i]));
		if (seen_in_db) {
			char syspath[PATH_MAX];
			struct udev_device *d;

			snprintf(syspath, sizeof(syspath),
				 "/sys/bus/pci/devices/%s", p->addr[i]);
			d = udev_device_new_from_syspath(w->udev, syspath);
			p->done[i] = d && udev_device_get_is_initialized(d) > 0;
			udev_device_unref(d);
		}
		p->left += !p->done[i];
	}
	return 0;
}

/* one event from udev: an "add" of a VF still to come ticks it off */
static void pending_take(struct vvp_ctx *ctx, struct vf_pending *p,
			 struct udev_device *d)
{
	const char *name = udev_device_get_sysname(d);
	const char *action = udev_device_get_action(d);

	if (!name || !action || strcmp(action, "add") != 0)
		return;
	for (unsigned int i = 0; i < p->num; i++) {
		if (!p->done[i] && strcmp(p->addr[i], name) == 0) {
			p->done[i] = true;
			p->left--;
			dbg(ctx, "%s announced by udev\n", name);
			return;
		}
	}
}

/* read udev's events until every pending VF is announced, or time is up */
static int wait_udev(struct vvp_pf *pf, struct vf_wait *w,
		     struct vf_pending *p, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd = {
		.fd = udev_monitor_get_fd(w->mon),
		.events = POLLIN,
	};

	while (p->left > 0) {
		long long remain = deadline - now_ms();
		struct udev_device *d;

		if (remain <= 0)
			return vvp_fail(pf->ctx, ETIMEDOUT,
					"%s has its %u VFs, but udev did not announce %u of them within %d ms (%s)",
					pf->address, p->num, p->left,
					timeout_ms, strerror(ETIMEDOUT));
		if (poll(&pfd, 1, remain) <= 0)
			continue;
		d = udev_monitor_receive_device(w->mon);
		if (!d)
			continue;
		pending_take(pf->ctx, p, d);
		udev_device_unref(d);
	}
	return 0;
}

/*
 * Wait until VFs 0..num-1 exist and udev has announced each of them
 * (see pending_init() for seen_in_db).
 */
static int wait_vfs(struct vvp_pf *pf, struct vf_wait *w, unsigned int num,
		    int timeout_ms, bool seen_in_db)
{
	struct vf_pending p;
	int rc;

	if (num == 0)
		return 0;
	/* The kernel creates every virtfn link before the write returns. */
	for (unsigned int i = 0; i < num; i++) {
		char a[32];

		if (vf_address(pf, i, a, sizeof(a)) < 0)
			return vvp_fail(pf->ctx, EIO,
					"%s: virtfn%u missing after the kernel created %u VFs (%s)",
					pf->address, i, num, strerror(ENOENT));
	}
	if (!w->mon || timeout_ms == 0)	/* 0: the kernel's part is all */
		return 0;
	rc = pending_init(pf, w, &p, num, seen_in_db);
	if (rc < 0)
		return vvp_fail(pf->ctx, rc, "cannot wait for the VFs of %s (%s)",
				pf->address, strerror(-rc));
	rc = wait_udev(pf, w, &p, timeout_ms);
	pending_free(&p);
	return rc;
}

VVP_EXPORT int vvp_pf_wait_vfs(struct vvp_pf *pf, unsigned int num_vfs,
			       int timeout_ms)
{
	struct vf_wait w;
	int rc;

	vvp_clear_error(pf->ctx);
	if (timeout_ms < 0)
		timeout_ms = pf->ctx->timeout_ms;
	rc = wait_begin(pf->ctx, &w);
	if (rc < 0)
		return vvp_fail(pf->ctx, rc,
				"cannot listen to udev events (%s)",
				strerror(-rc));
	rc = wait_vfs(pf, &w, num_vfs, timeout_ms, true);
	wait_end(&w);
	return rc;
}

static int write_num_vfs(struct vvp_pf *pf, unsigned int num)
{
	char path[PATH_MAX], val[16];
	int rc;

	snprintf(val, sizeof(val), "%u", num);
	rc = dev_path(pf->ctx, path, pf->address, "sriov_numvfs");
	return rc < 0 ? rc : sysfs_write(pf->ctx, path, val);
}

/* The drivers (and overrides) of the VFs before the change, for rollback. */
struct saved_vfs {
	unsigned int num;
	char **driver;
	char **override;
};

static void saved_free(struct saved_vfs *s)
{
	for (unsigned int i = 0; i < s->num && s->driver; i++)
		free(s->driver[i]);
	for (unsigned int i = 0; i < s->num && s->override; i++)
		free(s->override[i]);
	free(s->driver);
	free(s->override);
}

static int save_vfs(struct vvp_pf *pf, struct saved_vfs *s, unsigned int num)
{
	struct vvp_vf *vf;

	s->num = num;
	s->driver = calloc(num ? num : 1, sizeof(*s->driver));
	s->override = calloc(num ? num : 1, sizeof(*s->override));
	if (!s->driver || !s->override)
		return -ENOMEM;
	vvp_vf_foreach(pf, vf) {
		if ((unsigned int)vf->index >= num)
			continue;
		if (vf->driver && !(s->driver[vf->index] = strdup(vf->driver)))
			return -ENOMEM;
		if (vf->driver_override &&
		    !(s->override[vf->index] = strdup(vf->driver_override)))
			return -ENOMEM;
	}
	return 0;
}

/* Best effort: the caller is already failing with the real reason. */
static void restore_vfs(struct vvp_pf *pf, struct saved_vfs *s)
{
	struct vvp_error saved;
	struct vf_wait w;
	struct vvp_vf *vf;

	if (s->num == 0 || vvp_pf_get_num_vfs(pf) == (int)s->num)
		return;
	vvp_error_save(pf->ctx, &saved);
	wait_begin(pf->ctx, &w);
	if (write_num_vfs(pf, 0) == 0 && write_num_vfs(pf, s->num) == 0 &&
	    wait_vfs(pf, &w, s->num, pf->ctx->timeout_ms, false) == 0) {
		vf_free_all(pf);
		vvp_vf_foreach(pf, vf)
			if ((unsigned int)vf->index < s->num)
				vvp_vf_restore(vf, s->driver[vf->index],
					       s->override[vf->index]);
	} else {
		err(pf->ctx, "%s: could not restore %u VFs\n", pf->address,
		    s->num);
	}
	wait_end(&w);
	vvp_error_restore(pf->ctx, &saved);
}

/* Refuse what would hang (a VF held open) or surprise (a VF on vfio). */
static int check_vfs_removable(struct vvp_pf *pf, unsigned int num,
			       unsigned int flags)
{
	struct vvp_ctx *ctx = pf->ctx;
	bool first = true;
	struct vvp_vf *vf;

	vvp_vf_foreach(pf, vf) {
		char node[64] = "";
		int pid = 0, users;

		if (!vvp_vf_is_vfio(vf))
			continue;
		users = vfio_vf_users(vf, &pid, node, sizeof(node), first);
		first = false;
		if (users > 0)
			return vvp_refuse(ctx, VVP_REASON_IN_USE, EBUSY,
					  "cannot change %s from %d to %u VFs (VF %s is in use: process %d holds %s open; %s)",
					  pf->address, vvp_pf_get_num_vfs(pf),
					  num, vf->address, pid, node,
					  strerror(EBUSY));
	}
	if (flags & VVP_NUM_VFS_FORCE)
		return 0;
	vvp_vf_foreach(pf, vf)
		if (vvp_vf_is_vfio(vf))
			return vvp_refuse(ctx, VVP_REASON_VFIO_BOUND, EBUSY,
					  "cannot change %s from %d to %u VFs (the change removes every VF, and VF %s is bound to %s; %s)",
					  pf->address, vvp_pf_get_num_vfs(pf),
					  num, vf->address, vf->driver,
					  strerror(EBUSY));
	return 0;
}

/*
 * What is checked before anything changes: the count fits, the PF has a
 * driver, and the current count (into *cur) can be read.
 */
static int check_count(struct vvp_pf *pf, unsigned int num, int *cur)
{
	struct vvp_ctx *ctx = pf->ctx;

	if (num > (unsigned int)pf->total_vfs)
		return vvp_fail(ctx, EINVAL,
				"cannot create %u VFs on %s (the device supports at most %d: sriov_totalvfs)",
				num, pf->address, pf->total_vfs);
	dev_read_driver(ctx, pf->address, &pf->driver);
	if (!pf->driver)
		return vvp_fail(ctx, ENOENT,
				"cannot set VFs on %s (no driver is bound to the PF, and the kernel needs the PF's driver to create VFs)",
				pf->address);
	*cur = vvp_pf_get_num_vfs(pf);
	if (*cur < 0)
		return vvp_fail(ctx, *cur, "cannot read sriov_numvfs of %s (%s)",
				pf->address, strerror(-*cur));
	return 0;
}

/*
 * cur -> 0 -> num, then wait for the VFs (w: listening already, or not
 * at all). When the kernel refuses num, the saved VFs come back.
 */
static int change_count(struct vvp_pf *pf, int cur, unsigned int num,
			struct saved_vfs *saved, struct vf_wait *w)
{
	struct vvp_ctx *ctx = pf->ctx;
	int rc;

	if (cur > 0) {
		rc = write_num_vfs(pf, 0);
		if (rc < 0)
			return vvp_fail(ctx, rc,
					"cannot remove the %d VFs of %s (writing 0 to sriov_numvfs: %s)",
					cur, pf->address, strerror(-rc));
	}
	vf_free_all(pf);
	if (num == 0)
		return 0;
	rc = write_num_vfs(pf, num);
	if (rc < 0) {
		rc = vvp_fail(ctx, rc,
			      "cannot create %u VFs on %s (writing sriov_numvfs: %s)",
			      num, pf->address, strerror(-rc));
		restore_vfs(pf, saved);
		return rc;
	}
	return wait_vfs(pf, w, num, ctx->timeout_ms, false);
}

/* autoprobe back on, as it was; the change's own failure keeps its say */
static int autoprobe_back(struct vvp_pf *pf, int rc)
{
	struct vvp_error failure;

	if (vvp_pf_get_autoprobe(pf) != 0)
		return rc;
	vvp_error_save(pf->ctx, &failure);
	if (vvp_pf_set_autoprobe(pf, true) < 0 && rc == 0)
		return -EIO;	/* its message stands */
	vvp_error_restore(pf->ctx, &failure);
	return rc;
}

VVP_EXPORT int vvp_pf_set_num_vfs(struct vvp_pf *pf, unsigned int num,
				  unsigned int flags)
{
	struct vvp_ctx *ctx = pf->ctx;
	struct saved_vfs saved = { 0 };
	struct vf_wait w = { 0 };
	int cur = 0, autoprobe, rc;

	vvp_clear_error(ctx);
	rc = check_count(pf, num, &cur);
	if (rc < 0)
		return rc;
	if ((unsigned int)cur == num)
		return flags & VVP_NUM_VFS_NO_WAIT ? 0 :
		       vvp_pf_wait_vfs(pf, num, -1);

	/* the checks and the rollback go by sysfs now, not by a listing */
	vf_free_all(pf);
	if (cur > 0) {
		rc = check_vfs_removable(pf, num, flags);
		if (rc < 0)
			return rc;
	}
	autoprobe = vvp_pf_get_autoprobe(pf);
	if (autoprobe == 1) {
		rc = vvp_pf_set_autoprobe(pf, false);
		if (rc < 0)
			return rc;
	}
	rc = save_vfs(pf, &saved, cur);
	if (rc == 0 && !(flags & VVP_NUM_VFS_NO_WAIT))
		rc = wait_begin(ctx, &w);
	if (rc < 0)
		rc = vvp_fail(ctx, rc, "cannot prepare to change VFs of %s (%s)",
			      pf->address, strerror(-rc));
	else
		rc = change_count(pf, cur, num, &saved, &w);
	wait_end(&w);
	vf_free_all(pf);
	if (autoprobe == 1)
		rc = autoprobe_back(pf, rc);
	saved_free(&saved);
	return rc;
}
