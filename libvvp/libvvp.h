/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvvp - make virtio SR-IOV virtual functions ready for device assignment
 *
 * Object model: a context (struct vvp_ctx) owns the PFs (SR-IOV capable PCI
 * functions) it finds in sysfs; each PF owns its VFs. Objects are read
 * lazily on first use and cached until vvp_refresh() or an operation that
 * changes them. Every call that can fail returns 0 or a negative errno and
 * leaves a human-readable message, "<what> (<why>); <what to do>", on the
 * context (vvp_get_last_error()). The library never prints on its own; it
 * logs through the log function (stderr by default, level from VVP_LOG).
 */
#ifndef _LIBVVP_H_
#define _LIBVVP_H_

#include <stdarg.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vvp_ctx;
struct vvp_pf;
struct vvp_vf;

/* context */
int vvp_new(struct vvp_ctx **ctx);
struct vvp_ctx *vvp_ref(struct vvp_ctx *ctx);
struct vvp_ctx *vvp_unref(struct vvp_ctx *ctx);

typedef void (*vvp_log_fn)(struct vvp_ctx *ctx, int priority,
			   const char *file, int line, const char *fn,
			   const char *format, va_list args);
void vvp_set_log_fn(struct vvp_ctx *ctx, vvp_log_fn log_fn);
int vvp_get_log_priority(struct vvp_ctx *ctx);
void vvp_set_log_priority(struct vvp_ctx *ctx, int priority);

void vvp_set_userdata(struct vvp_ctx *ctx, void *userdata);
void *vvp_get_userdata(struct vvp_ctx *ctx);

/* message of the last failed call on this context, "" when none */
const char *vvp_get_last_error(struct vvp_ctx *ctx);

/*
 * Filesystem roots. Default "/sys" and "/proc", overridden at vvp_new() by
 * the environment variables VVP_SYSFS_ROOT and VVP_PROC_ROOT. A test points
 * them at a generated tree. Setting a root drops every cached object.
 */
int vvp_set_sysfs_root(struct vvp_ctx *ctx, const char *root);
const char *vvp_get_sysfs_root(struct vvp_ctx *ctx);
int vvp_set_proc_root(struct vvp_ctx *ctx, const char *root);
const char *vvp_get_proc_root(struct vvp_ctx *ctx);

/* how long vvp_pf_set_num_vfs() waits for the kernel and udev (default 30000) */
void vvp_set_timeout_ms(struct vvp_ctx *ctx, unsigned int timeout_ms);
unsigned int vvp_get_timeout_ms(struct vvp_ctx *ctx);

/* drop every cached PF and VF; the next lookup reads sysfs again */
void vvp_refresh(struct vvp_ctx *ctx);

/*
 * PCI addresses: "DDDD:BB:DD.F" (domain optional on input, as in lspci -s).
 * vvp_parse_pci_address() writes the canonical form into buf (at least 13
 * bytes) and returns 0, or -EINVAL when the string is not an address.
 */
int vvp_parse_pci_address(const char *str, char *buf, unsigned long len);

/* PFs: PCI functions with SR-IOV (an sriov_totalvfs attribute) */
struct vvp_pf *vvp_pf_get_first(struct vvp_ctx *ctx);
struct vvp_pf *vvp_pf_get_next(struct vvp_pf *pf);
#define vvp_pf_foreach(ctx, pf)						\
	for (pf = vvp_pf_get_first(ctx); pf != NULL; pf = vvp_pf_get_next(pf))

/*
 * Look a PF up by PCI address. Returns 0, -EINVAL (not an address),
 * -ENODEV (no such PCI device) or -EOPNOTSUPP (the device has no SR-IOV;
 * a VF address gets this too, with a message naming its PF).
 */
int vvp_pf_find(struct vvp_ctx *ctx, const char *address, struct vvp_pf **pf);

struct vvp_ctx *vvp_pf_get_ctx(struct vvp_pf *pf);
const char *vvp_pf_get_address(struct vvp_pf *pf);
unsigned int vvp_pf_get_vendor_id(struct vvp_pf *pf);
unsigned int vvp_pf_get_device_id(struct vvp_pf *pf);
/* from the PCI ID database (libpci); NULL when unknown */
const char *vvp_pf_get_vendor_name(struct vvp_pf *pf);
const char *vvp_pf_get_device_name(struct vvp_pf *pf);
/* NULL when no driver is bound */
const char *vvp_pf_get_driver(struct vvp_pf *pf);
int vvp_pf_get_total_vfs(struct vvp_pf *pf);
int vvp_pf_get_num_vfs(struct vvp_pf *pf);
/* sriov_drivers_autoprobe: 1, 0, or a negative errno */
int vvp_pf_get_autoprobe(struct vvp_pf *pf);
int vvp_pf_set_autoprobe(struct vvp_pf *pf, bool on);

enum vvp_num_vfs_flags {
	/* allow N>0 -> M>0 (through 0) although VFs are bound to vfio */
	VVP_NUM_VFS_FORCE = 1 << 0,
	/* return once the kernel created the VFs; do not wait for udev */
	VVP_NUM_VFS_NO_WAIT = 1 << 1,
};

/*
 * Set the number of VFs. Autoprobe is turned off for the change and put
 * back as it was. A PF that has VFs goes through 0 (the kernel refuses a
 * change between two non-zero counts), so every change removes the VFs
 * there are: that is refused with -EBUSY when a VF is held open through
 * VFIO, and when a VF is bound to a vfio driver unless VVP_NUM_VFS_FORCE.
 * Then waits until the kernel and udev have created every VF (see
 * vvp_pf_wait_vfs()). If the kernel refuses the new count, the previous
 * count is created again and its VFs are bound back to their drivers.
 */
int vvp_pf_set_num_vfs(struct vvp_pf *pf, unsigned int num_vfs,
		       unsigned int flags);

/*
 * Wait until the PF has num_vfs VFs in sysfs and, when udevd runs, udev
 * has processed each of them (libudev monitor; no polling). -ETIMEDOUT
 * after timeout_ms (negative: the context's timeout).
 */
int vvp_pf_wait_vfs(struct vvp_pf *pf, unsigned int num_vfs, int timeout_ms);

/* VFs of a PF, in index order (virtfn0, virtfn1, ...) */
struct vvp_vf *vvp_vf_get_first(struct vvp_pf *pf);
struct vvp_vf *vvp_vf_get_next(struct vvp_vf *vf);
#define vvp_vf_foreach(pf, vf)						\
	for (vf = vvp_vf_get_first(pf); vf != NULL; vf = vvp_vf_get_next(vf))

/* Look a VF up by address: 0, -EINVAL, -ENODEV, or -EOPNOTSUPP (not a VF) */
int vvp_vf_find(struct vvp_ctx *ctx, const char *address, struct vvp_vf **vf);

struct vvp_pf *vvp_vf_get_pf(struct vvp_vf *vf);
int vvp_vf_get_index(struct vvp_vf *vf);
const char *vvp_vf_get_address(struct vvp_vf *vf);
unsigned int vvp_vf_get_vendor_id(struct vvp_vf *vf);
unsigned int vvp_vf_get_device_id(struct vvp_vf *vf);
/* NULL when no driver is bound / no override is set */
const char *vvp_vf_get_driver(struct vvp_vf *vf);
const char *vvp_vf_get_driver_override(struct vvp_vf *vf);
/* IOMMU group number, or -1 when the VF has none */
int vvp_vf_get_iommu_group(struct vvp_vf *vf);
/* true when the driver is vfio-pci or a vfio-pci variant */
bool vvp_vf_is_vfio(struct vvp_vf *vf);
/*
 * 1 when a process holds the VF's VFIO group open (/dev/vfio/<group>), 0
 * when not, negative errno when that cannot be told.
 */
int vvp_vf_in_use(struct vvp_vf *vf);

/*
 * Bind the VF to a driver: driver_override, unbind from the current driver,
 * drivers_probe, then check the driver link. On failure the previous
 * driver and override are put back. -ENOENT when the driver is not loaded,
 * -EBUSY when the VF is in use, -EIO when the kernel bound another driver.
 */
int vvp_vf_bind(struct vvp_vf *vf, const char *driver);
/* Clear driver_override and let the kernel probe the default driver. */
int vvp_vf_unbind(struct vvp_vf *vf);

#ifdef __cplusplus
}
#endif

#endif /* _LIBVVP_H_ */
