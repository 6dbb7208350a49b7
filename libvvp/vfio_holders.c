// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VFIO holders: which processes hold a VF open through VFIO, which is what
 * "in use" means for a VF on vfio: its group (/dev/vfio/<group>), or its
 * device node where the kernel has the VFIO device cdev
 * (/dev/vfio/devices/vfioN, named by the VF's vfio-dev/vfioN; QEMU with
 * iommufd opens that one). Such a VF must not be unbound or removed: the
 * kernel would block the unbind (or the sriov_numvfs write) until the
 * user lets go, which hangs the caller instead of failing it. The kernel
 * offers no counter for group opens, so look the way fuser does, at every
 * process's fd links under /proc, in one pass that records every held
 * group. Listings reuse that snapshot; checks before a change always take
 * a fresh one.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvvp-private.h"

struct vfio_holder {
	int group;	/* /dev/vfio/<group>, or -1 */
	int cdev;	/* /dev/vfio/devices/vfio<cdev>, or -1 */
	int pid;
};

struct vfio_snapshot {
	size_t n, cap;
	struct vfio_holder *h;
};

static bool is_number(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isdigit((unsigned char)*name))
			return false;
	return true;
}

static int add_holder(struct vfio_snapshot *s, int group, int cdev, int pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->h[i].group == group && s->h[i].cdev == cdev &&
		    s->h[i].pid == pid)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct vfio_holder *h = realloc(s->h, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		s->h = h;
		s->cap = cap;
	}
	s->h[s->n].group = group;
	s->h[s->n].cdev = cdev;
	s->h[s->n].pid = pid;
	s->n++;
	return 0;
}

static void scan_pid(struct vvp_ctx *ctx, struct vfio_snapshot *s,
		     const char *pid)
{
	char path[PATH_MAX], target[64];
	struct dirent *de;
	DIR *dir;

	if (snprintf(path, sizeof(path), "%s/%s/fd", ctx->proc_root, pid) >=
	    (int)sizeof(path))
		return;
	dir = opendir(path);
	if (!dir)
		return;	/* gone, or not ours to look at */
	while ((de = readdir(dir))) {
		char link[PATH_MAX];
		ssize_t n;

		if (de->d_name[0] == '.' ||
		    snprintf(link, sizeof(link), "%s/%s", path, de->d_name) >=
		    (int)sizeof(link))
			continue;
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, "/dev/vfio/", 10) == 0 &&
		    is_number(target + 10))
			add_holder(s, atoi(target + 10), -1, atoi(pid));
		else if (strncmp(target, "/dev/vfio/devices/vfio", 22) == 0 &&
			 is_number(target + 22))
			add_holder(s, -1, atoi(target + 22), atoi(pid));
	}
	closedir(dir);
}

void vfio_snapshot_free(struct vvp_ctx *ctx)
{
	if (ctx->vfio) {
		free(ctx->vfio->h);
		free(ctx->vfio);
	}
	ctx->vfio = NULL;
}

static int vfio_snapshot_take(struct vvp_ctx *ctx)
{
	struct vfio_snapshot *s;
	struct dirent *de;
	DIR *dir;

	vfio_snapshot_free(ctx);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	dir = opendir(ctx->proc_root);
	if (!dir) {
		free(s);
		return -errno;
	}
	while ((de = readdir(dir)))
		if (is_number(de->d_name))
			scan_pid(ctx, s, de->d_name);
	closedir(dir);
	ctx->vfio = s;
	return 0;
}

/* N of the VF's vfio-dev/vfioN (its VFIO device cdev), or -1 */
static int vf_cdev(struct vvp_vf *vf)
{
	char path[PATH_MAX];
	struct dirent *de;
	int cdev = -1;
	DIR *dir;

	if (dev_path(vf->pf->ctx, path, vf->address, "vfio-dev") < 0)
		return -1;
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		if (strncmp(de->d_name, "vfio", 4) == 0 &&
		    is_number(de->d_name + 4)) {
			cdev = atoi(de->d_name + 4);
			break;
		}
	closedir(dir);
	return cdev;
}

/*
 * The number of processes holding the VF open through VFIO (its group or
 * its device cdev); the first one's pid and the node it holds in *pid and
 * node. fresh: look again rather than reuse the snapshot.
 */
int vfio_vf_users(struct vvp_vf *vf, int *pid, char *node, size_t len,
		  bool fresh)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	int group = vvp_vf_get_iommu_group(vf), cdev, users = 0, rc;

	if (fresh || !ctx->vfio) {
		rc = vfio_snapshot_take(ctx);
		if (rc < 0)
			return rc;
	}
	if (!ctx->vfio->n)
		return 0;
	cdev = vf_cdev(vf);
	for (size_t i = 0; i < ctx->vfio->n; i++) {
		struct vfio_holder *h = &ctx->vfio->h[i];

		if (!(group >= 0 && h->group == group) &&
		    !(cdev >= 0 && h->cdev == cdev))
			continue;
		if (users++ == 0) {
			if (pid)
				*pid = h->pid;
			if (node && h->group >= 0)
				snprintf(node, len, "/dev/vfio/%d", h->group);
			else if (node)
				snprintf(node, len, "/dev/vfio/devices/vfio%d",
					 h->cdev);
		}
	}
	return users;
}

VVP_EXPORT int vvp_vf_in_use(struct vvp_vf *vf)
{
	int rc;

	if (!vvp_vf_is_vfio(vf))
		return 0;
	rc = vfio_vf_users(vf, NULL, NULL, 0, false);
	return rc < 0 ? rc : rc > 0;
}
