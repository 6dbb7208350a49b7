// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binding a VF to a driver through the PCI sysfs ABI:
 * driver_override, unbind from the current driver, drivers_probe, then
 * check the driver link, since drivers_probe succeeds even when every
 * probe failed. Any failure puts the previous override and driver back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvvp-private.h"

static int write_dev_attr(struct vvp_vf *vf, const char *attr,
			  const char *value)
{
	char path[PATH_MAX];
	int rc;

	rc = dev_path(vf->pf->ctx, path, vf->address, attr);
	return rc < 0 ? rc : sysfs_write(vf->pf->ctx, path, value);
}

/* bus/pci/drivers/<driver>/<attr>, or bus/pci/<attr> without a driver */
static int write_bus_attr(struct vvp_vf *vf, const char *driver,
			  const char *attr)
{
	char path[PATH_MAX];
	int rc;

	if (driver)
		rc = sysfs_path(vf->pf->ctx, path, sizeof(path),
				"bus/pci/drivers/%s/%s", driver, attr);
	else
		rc = sysfs_path(vf->pf->ctx, path, sizeof(path), "bus/pci/%s",
				attr);
	return rc < 0 ? rc : sysfs_write(vf->pf->ctx, path, vf->address);
}

/* "\n" clears an override; the kernel ignores a zero-length write */
static int set_override(struct vvp_vf *vf, const char *driver)
{
	return write_dev_attr(vf, "driver_override", driver ? driver : "\n");
}

static int unbind_current(struct vvp_vf *vf)
{
	if (!vf->driver)
		return 0;
	return write_bus_attr(vf, vf->driver, "unbind");
}

static int probe(struct vvp_vf *vf)
{
	return write_bus_attr(vf, NULL, "drivers_probe");
}

static int check_not_in_use(struct vvp_vf *vf, const char *doing)
{
	char node[64] = "";
	int pid = 0, users;

	if (!vvp_vf_is_vfio(vf))
		return 0;
	users = vfio_vf_users(vf, &pid, node, sizeof(node), true);
	if (users <= 0)
		return 0;
	return vvp_refuse(vf->pf->ctx, VVP_REASON_IN_USE, EBUSY,
			  "cannot %s %s (it is in use: process %d holds %s open; %s)",
			  doing, vf->address, pid, node, strerror(EBUSY));
}

/* what a VF was bound to before a change, to put back on failure */
struct vf_state {
	char *driver;		/* NULL: none */
	char *override;		/* NULL: none */
};

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * Put the VF, as just read, on old_driver (NULL: none) with old_override
 * (NULL: none), probing nothing else. 0 when it got there, -EIO when not.
 */
static int apply_state(struct vvp_vf *vf, const char *old_driver,
		       const char *old_override)
{
	if (vf->driver && !same(vf->driver, old_driver))
		unbind_current(vf);
	if (!same(vf->driver_override, old_override))
		set_override(vf, old_override);
	if (old_driver) {
		vf_read_driver(vf);
		if (!vf->driver &&
		    write_bus_attr(vf, old_driver, "bind") < 0)
			probe(vf);
	}
	vf_read(vf);
	return same(vf->driver, old_driver) &&
	       same(vf->driver_override, old_override) ? 0 : -EIO;
}

/* apply_state() after a failed step, which left the object stale */
static int restore(struct vvp_vf *vf, const struct vf_state *old)
{
	vf_read(vf);
	return apply_state(vf, old->driver, old->override);
}

static int valid_driver_name(const char *d)
{
	return d && *d && strlen(d) < 64 && !strchr(d, '/') &&
	       !strchr(d, '\n') && strcmp(d, ".") && strcmp(d, "..");
}

static void state_free(struct vf_state *s)
{
	free(s->driver);
	free(s->override);
	s->driver = s->override = NULL;
}

/* the VF's driver and override as they are, to put back on failure */
static int state_save(struct vvp_vf *vf, struct vf_state *s,
		      const char *doing)
{
	s->driver = s->override = NULL;
	if ((vf->driver && !(s->driver = strdup(vf->driver))) ||
	    (vf->driver_override &&
	     !(s->override = strdup(vf->driver_override)))) {
		state_free(s);
		return vvp_fail(vf->pf->ctx, ENOMEM, "cannot %s %s (%s)", doing,
				vf->address, strerror(ENOMEM));
	}
	return 0;
}

/* a driver name, of a driver that is loaded: bind can only probe those */
static int check_driver(struct vvp_vf *vf, const char *driver)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	char path[PATH_MAX];
	int rc;

	if (!valid_driver_name(driver))
		return vvp_fail(ctx, EINVAL,
				"'%s' is not a driver name (not a name in /sys/bus/pci/drivers: %s)",
				driver ? driver : "", strerror(EINVAL));
	/* once per driver and context: binding all VFs asks 127 times */
	if (strcmp(ctx->driver_seen, driver) == 0)
		return 0;
	rc = sysfs_path(ctx, path, sizeof(path), "bus/pci/drivers/%s", driver);
	if (rc < 0 || !sysfs_exists(ctx, path))
		return vvp_fail(ctx, ENOENT,
				"cannot bind %s to %s (driver %s is not loaded: no %s)",
				vf->address, driver, driver, path);
	snprintf(ctx->driver_seen, sizeof(ctx->driver_seen), "%s", driver);
	return 0;
}

/* bound to driver already: only make it stick; the device is untouched */
static int pin_override(struct vvp_vf *vf, const char *driver)
{
	int rc;

	if (vf->driver_override && strcmp(vf->driver_override, driver) == 0)
		return 0;
	rc = set_override(vf, driver);
	if (rc == 0)
		rc = vf_read(vf);
	if (rc < 0)
		return vvp_fail(vf->pf->ctx, rc,
				"cannot set driver_override of %s to %s (%s)",
				vf->address, driver, strerror(-rc));
	return 0;
}

/*
 * With the override set to driver: off the current driver, probe, and
 * check what bound, since drivers_probe succeeds when every probe failed.
 */
static int rebind(struct vvp_vf *vf, const char *driver)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	int rc;

	rc = unbind_current(vf);
	if (rc < 0)
		return vvp_fail(ctx, rc, "cannot unbind %s from %s (%s)",
				vf->address, vf->driver, strerror(-rc));
	rc = probe(vf);
	if (rc == 0)
		rc = vf_read_driver(vf);	/* the override is what we wrote */
	if (rc == 0) {
		free(vf->driver_override);
		vf->driver_override = strdup(driver);
		if (!vf->driver_override)
			rc = -ENOMEM;
	}
	if (rc < 0)
		return vvp_fail(ctx, rc, "cannot probe %s for %s (%s)",
				vf->address, driver, strerror(-rc));
	if (!vf->driver || strcmp(vf->driver, driver))
		return vvp_fail(ctx, EIO, "%s did not bind %s (%s %s)",
				driver, vf->address,
				vf->driver ? "the kernel bound it to" : "it stayed",
				vf->driver ? vf->driver : "unbound");
	return 0;
}

VVP_EXPORT int vvp_vf_bind(struct vvp_vf *vf, const char *driver)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	struct vf_state old;
	int rc;

	vvp_clear_error(ctx);
	rc = check_driver(vf, driver);
	if (rc < 0)
		return rc;
	/*
	 * The VF as listed: its driver and override (the check after the
	 * probe catches a change made behind our back). Rereading here cost
	 * a third more time on a bind of all VFs.
	 */
	if (vf->driver && strcmp(vf->driver, driver) == 0)
		return pin_override(vf, driver);
	rc = check_not_in_use(vf, "rebind");
	if (rc == 0)
		rc = state_save(vf, &old, "bind");
	if (rc < 0)
		return rc;
	rc = set_override(vf, driver);
	if (rc < 0) {
		rc = vvp_fail(ctx, rc,
			      "cannot set driver_override of %s to %s (%s)",
			      vf->address, driver, strerror(-rc));
	} else {
		rc = rebind(vf, driver);
		if (rc < 0)
			restore(vf, &old);
		else
			info(ctx, "%s bound to %s\n", vf->address, driver);
	}
	state_free(&old);
	return rc;
}

VVP_EXPORT int vvp_vf_unbind(struct vvp_vf *vf)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	struct vf_state old;
	int rc;

	vvp_clear_error(ctx);
	rc = vf_read(vf);
	if (rc < 0)
		return vvp_fail(ctx, rc, "cannot read the state of VF %s (%s)",
				vf->address, strerror(-rc));
	rc = check_not_in_use(vf, "unbind");
	if (rc == 0)
		rc = state_save(vf, &old, "unbind");
	if (rc < 0)
		return rc;
	if (old.override) {
		rc = set_override(vf, NULL);
		if (rc < 0) {
			rc = vvp_fail(ctx, rc,
				      "cannot clear driver_override of %s (%s)",
				      vf->address, strerror(-rc));
			goto out;
		}
	}
	rc = unbind_current(vf);
	if (rc < 0) {
		rc = vvp_fail(ctx, rc, "cannot unbind %s from %s (%s)",
			      vf->address, old.driver, strerror(-rc));
		restore(vf, &old);
		goto out;
	}
	/*
	 * Let the kernel pick the VF's default driver, as a fresh VF would
	 * get. Its probe may fail (a VF without resources); unbound is then
	 * the right end state, so only the write itself can fail us.
	 */
	rc = probe(vf);
	vf_read(vf);
	if (rc < 0) {
		rc = vvp_fail(ctx, rc, "cannot reprobe %s (%s)",
			      vf->address, strerror(-rc));
		restore(vf, &old);
	}
out:
	state_free(&old);
	return rc;
}

VVP_EXPORT int vvp_vf_restore(struct vvp_vf *vf, const char *driver,
			      const char *driver_override)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	int rc;

	vvp_clear_error(ctx);
	if ((driver && !valid_driver_name(driver)) ||
	    (driver_override && !valid_driver_name(driver_override)))
		return vvp_fail(ctx, EINVAL,
				"'%s' is not a driver name (not a name in /sys/bus/pci/drivers: %s)",
				driver && !valid_driver_name(driver) ? driver :
				driver_override, strerror(EINVAL));
	rc = vf_read(vf);
	if (rc < 0)
		return vvp_fail(ctx, rc, "cannot read the state of VF %s (%s)",
				vf->address, strerror(-rc));
	if (!same(vf->driver, driver)) {
		rc = check_not_in_use(vf, "rebind");
		if (rc < 0)
			return rc;
	}
	rc = apply_state(vf, driver, driver_override);
	if (rc < 0)
		return vvp_fail(ctx, rc,
				"cannot put %s back on %s with override %s (it is on %s, override %s)",
				vf->address, driver ? driver : "no driver",
				driver_override ? driver_override : "none",
				vf->driver ? vf->driver : "no driver",
				vf->driver_override ? vf->driver_override : "none");
	return 0;
}
