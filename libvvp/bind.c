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
static int restore(struct vvp_vf *vf, const char *old_driver,
		   const char *old_override)
{
	vf_read(vf);
	return apply_state(vf, old_driver, old_override);
}

static int valid_driver_name(const char *d)
{
	return d && *d && strlen(d) < 64 && !strchr(d, '/') &&
	       !strchr(d, '\n') && strcmp(d, ".") && strcmp(d, "..");
}

VVP_EXPORT int vvp_vf_bind(struct vvp_vf *vf, const char *driver)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	char *old_driver = NULL, *old_override = NULL, path[PATH_MAX];
	int rc;

	vvp_clear_error(ctx);
	if (!valid_driver_name(driver))
		return vvp_fail(ctx, EINVAL,
				"'%s' is not a driver name (not a name in /sys/bus/pci/drivers: %s)",
				driver ? driver : "", strerror(EINVAL));
	/* once per driver and context: binding all VFs asks 127 times */
	if (strcmp(ctx->driver_seen, driver) != 0) {
		rc = sysfs_path(ctx, path, sizeof(path), "bus/pci/drivers/%s",
				driver);
		if (rc < 0 || !sysfs_exists(ctx, path))
			return vvp_fail(ctx, ENOENT,
					"cannot bind %s to %s (driver %s is not loaded: no %s)",
					vf->address, driver, driver, path);
		snprintf(ctx->driver_seen, sizeof(ctx->driver_seen), "%s",
			 driver);
	}
	/*
	 * The VF as listed: its driver and override (the check after the
	 * probe catches a change made behind our back). Rereading here cost
	 * a third more time on a bind of all VFs.
	 */
	if (vf->driver && strcmp(vf->driver, driver) == 0) {
		/* bound already: only make it stick; the device is untouched */
		if (vf->driver_override &&
		    strcmp(vf->driver_override, driver) == 0)
			return 0;
		rc = set_override(vf, driver);
		if (rc == 0)
			rc = vf_read(vf);
		if (rc < 0)
			return vvp_fail(ctx, rc,
					"cannot set driver_override of %s to %s (%s)",
					vf->address, driver, strerror(-rc));
		return 0;
	}
	rc = check_not_in_use(vf, "rebind");
	if (rc < 0)
		return rc;

	if ((vf->driver && !(old_driver = strdup(vf->driver))) ||
	    (vf->driver_override &&
	     !(old_override = strdup(vf->driver_override)))) {
		rc = vvp_fail(ctx, ENOMEM, "cannot bind %s (%s)",
			      vf->address, strerror(ENOMEM));
		goto out;
	}

	rc = set_override(vf, driver);
	if (rc < 0) {
		rc = vvp_fail(ctx, rc,
			      "cannot set driver_override of %s to %s (%s)",
			      vf->address, driver, strerror(-rc));
		goto out;
	}
	if (vf->driver && strcmp(vf->driver, driver)) {
		rc = unbind_current(vf);
		if (rc < 0) {
			rc = vvp_fail(ctx, rc,
				      "cannot unbind %s from %s (%s)",
				      vf->address, vf->driver, strerror(-rc));
			restore(vf, old_driver, old_override);
			goto out;
		}
	}
	rc = probe(vf);
	if (rc == 0)
		rc = vf_read_driver(vf);	/* the override is what we wrote */
	if (rc == 0) {
		free(vf->driver_override);
		vf->driver_override = strdup(driver);
		if (!vf->driver_override)
			rc = -ENOMEM;
	}
	if (rc < 0) {
		rc = vvp_fail(ctx, rc, "cannot probe %s for %s (%s)",
			      vf->address, driver, strerror(-rc));
		restore(vf, old_driver, old_override);
		goto out;
	}
	if (!vf->driver || strcmp(vf->driver, driver)) {
		rc = vvp_fail(ctx, EIO,
			      "%s did not bind %s (%s %s)",
			      driver, vf->address,
			      vf->driver ? "the kernel bound it to" : "it stayed",
			      vf->driver ? vf->driver : "unbound");
		restore(vf, old_driver, old_override);
		goto out;
	}
	info(ctx, "%s bound to %s\n", vf->address, driver);
out:
	free(old_driver);
	free(old_override);
	return rc;
}

VVP_EXPORT int vvp_vf_unbind(struct vvp_vf *vf)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	char *old_driver = NULL, *old_override = NULL;
	int rc;

	vvp_clear_error(ctx);
	rc = vf_read(vf);
	if (rc < 0)
		return vvp_fail(ctx, rc, "cannot read the state of VF %s (%s)",
				vf->address, strerror(-rc));
	rc = check_not_in_use(vf, "unbind");
	if (rc < 0)
		return rc;
	if ((vf->driver && !(old_driver = strdup(vf->driver))) ||
	    (vf->driver_override &&
	     !(old_override = strdup(vf->driver_override)))) {
		rc = vvp_fail(ctx, ENOMEM, "cannot unbind %s (%s)",
			      vf->address, strerror(ENOMEM));
		goto out;
	}
	if (old_override) {
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
			      vf->address, old_driver, strerror(-rc));
		restore(vf, old_driver, old_override);
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
		restore(vf, old_driver, old_override);
	}
out:
	free(old_driver);
	free(old_override);
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
