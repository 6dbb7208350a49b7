/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel behind a fake tree's sysfs writes: installed as libvvp's
 * write hook (vvp_set_sysfs_write_hook(ctx, fake_kernel_write, fk)), it does
 * what drivers/pci/{iov,pci-sysfs,pci-driver}.c and drivers/base/bus.c do
 * for the attributes libvvp writes, and returns 0 or -errno like write(2):
 *
 *   <pf>/sriov_numvfs        -EINVAL not a number, -ERANGE > sriov_totalvfs,
 *                            same count: nothing, -ENOENT PF without driver,
 *                            -EBUSY N>0 -> M>0; creates VFs (bound by
 *                            autoprobe when sriov_drivers_autoprobe is 1) or
 *                            removes them all
 *   <pf>/sriov_drivers_autoprobe   kstrtobool, -EINVAL otherwise
 *   <dev>/driver_override    "\n" clears (reads "(null)"), else up to '\n'
 *   drivers/<d>/unbind       -ENODEV unless bound to <d>
 *   drivers/<d>/bind         -ENODEV no match (override!), -EBUSY bound,
 *                            the probe's error
 *   drivers_probe            -ENODEV no device; binds the override (if
 *                            loaded) or the default driver; a failing probe
 *                            leaves it unbound and still returns 0
 *
 * A vfio driver's probe fails with -EINVAL on a device without an IOMMU
 * group. What would block in the kernel (unbinding, or removing, a VF whose
 * group a process holds open) fails with -EDEADLK and sets hung.
 *
 * Every write, with its result, goes to a log; fake_kernel_log() returns
 * it as lines "<where> <value>[ -> <errno name>]", where <where> is the path
 * without "bus/pci/devices/" or "bus/pci/" and a newline in the value
 * shows as "\n": "0000:01:00.0/sriov_numvfs 4", "drivers_probe 0000:01:00.1".
 */
#ifndef _FAKE_KERNEL_H_
#define _FAKE_KERNEL_H_

#include <stdbool.h>

struct fake_tree;
struct fake_kernel;
struct vvp_ctx;

struct fake_kernel *fake_kernel_new(struct fake_tree *t);
void fake_kernel_free(struct fake_kernel *k);

/* the hook; data is the struct fake_kernel */
int fake_kernel_write(struct vvp_ctx *ctx, const char *path,
		      const char *value, void *data);

/*
 * Fail the next `times` writes to a path ending in suffix (and, unless
 * value is NULL, of that value, newline ignored) with err (negative),
 * without side effects.
 */
void fake_kernel_fail(struct fake_kernel *k, const char *suffix,
		      const char *value, int err, int times);
/* the probe of driver fails with err (negative; 0: succeeds again) */
void fake_kernel_set_probe_error(struct fake_kernel *k, const char *driver,
				 int err);

const char *fake_kernel_log(struct fake_kernel *k);
unsigned int fake_kernel_writes(struct fake_kernel *k);
void fake_kernel_clear_log(struct fake_kernel *k);
/* a write that would have blocked in the kernel happened */
bool fake_kernel_hung(struct fake_kernel *k);

#endif
