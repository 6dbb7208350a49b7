/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvvp - make virtio SR-IOV virtual functions ready for device assignment
 *
 * Object model: a context (struct vvp_ctx) owns the PFs (SR-IOV capable PCI
 * functions) it finds in sysfs; each PF owns its VFs. Objects are read
 * lazily on first use and cached until vvp_refresh() or an operation that
 * changes them. Every call that can fail returns 0 or a negative errno and
 * leaves a human-readable message, "<what> (<why>)", on the context
 * (vvp_get_last_error()). The message says what failed and why, never what
 * to do about it: that is for the calling program to say, in its own
 * terms (vvpctl adds advice that names its options). A program tells
 * outcomes apart by the errno, by vvp_get_last_reason() where one errno
 * has causes that call for different action, and by vvp_pci_lookup() for
 * what an address is. The library never prints on its own; it logs
 * through the log function (stderr by default, level from VVP_LOG).
 */
/*
 * Threads: a context, and everything read through it (PFs, VFs, owners,
 * members, commands, monitors, events), is for one thread at a time. The
 * library takes no locks and keeps the last error per context: use a
 * context per thread, or serialize every call on a shared one.
 *
 * Lifetimes: pointers to objects, and to the strings they own, stay valid
 * until the cache that holds them goes:
 *  - vvp_refresh(), vvp_set_sysfs_root() and vvp_set_proc_root() free
 *    every cached PF, VF, owner and member;
 *  - vvp_pf_set_num_vfs() frees the PF's VF objects, on failure too:
 *    after it, take the VFs again from vvp_vf_get_first(); so do
 *    vvp_plan_new(), vvp_plan_apply() and vvp_pf_recover(), which read
 *    the PF's VFs afresh;
 *  - the last vvp_unref() frees everything the context holds.
 * Commands, monitors and events hold a reference on the context and live
 * until their own last unref.
 */
#ifndef _LIBVVP_H_
#define _LIBVVP_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
 * Why the last call failed, where its errno alone does not say: -EBUSY
 * is a VF held open (nothing to do but wait for, or stop, its user) and
 * also a VF bound to a vfio driver (VVP_NUM_VFS_FORCE changes the count
 * anyway). VVP_REASON_NONE when the errno says it all, and after a call
 * that succeeded.
 */
enum vvp_reason {
	VVP_REASON_NONE = 0,
	/* -EBUSY: a process holds a VF open through VFIO (vvp_vf_in_use()) */
	VVP_REASON_IN_USE,
	/* -EBUSY: a VF is bound to a vfio driver; see VVP_NUM_VFS_FORCE */
	VVP_REASON_VFIO_BOUND,
};
enum vvp_reason vvp_get_last_reason(struct vvp_ctx *ctx);

/*
 * Filesystem roots. Default "/sys" and "/proc", overridden at vvp_new() by
 * the environment variables VVP_SYSFS_ROOT and VVP_PROC_ROOT. A test points
 * them at a generated tree. Setting a root drops every cached object.
 */
int vvp_set_sysfs_root(struct vvp_ctx *ctx, const char *root);
const char *vvp_get_sysfs_root(struct vvp_ctx *ctx);
int vvp_set_proc_root(struct vvp_ctx *ctx, const char *root);
const char *vvp_get_proc_root(struct vvp_ctx *ctx);

/*
 * The context's timeout in ms: 30000, or VVP_TIMEOUT_MS, until set; at most
 * INT_MAX. Each call reads it as it is then.
 *  - udev: how long vvp_pf_set_num_vfs() and vvp_pf_wait_vfs() (with a
 *    negative timeout_ms) wait for udev to announce new VFs. 0 means do
 *    not wait for udev (as VVP_NUM_VFS_NO_WAIT): done once the kernel
 *    has created the VFs.
 *  - netlink: how long a request to the vvp kernel module (owners,
 *    members, commands) waits for each read of its answer before it fails
 *    with -ETIMEDOUT. A request cannot go without its answer, and waiting
 *    forever would hang on a stuck kernel, so 0 waits 30000 ms there.
 */
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

/*
 * PFs: PCI functions with SR-IOV (an sriov_totalvfs attribute).
 * vvp_pf_scan() reads them now and tells a failure (-errno: sysfs cannot
 * be read) from an empty list; vvp_pf_get_first() scans on first use and
 * returns NULL either way.
 */
int vvp_pf_scan(struct vvp_ctx *ctx);
struct vvp_pf *vvp_pf_get_first(struct vvp_ctx *ctx);
struct vvp_pf *vvp_pf_get_next(struct vvp_pf *pf);
#define vvp_pf_foreach(ctx, pf)						\
	for (pf = vvp_pf_get_first(ctx); pf != NULL; pf = vvp_pf_get_next(pf))

/*
 * Look a PF up by PCI address. Returns 0, -EINVAL (not an address),
 * -ENODEV (no such PCI device) or -EOPNOTSUPP (the device has no SR-IOV;
 * a VF address gets this too, with a message naming its PF:
 * vvp_pci_lookup() tells the two apart).
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
 * Wait until udev has processed each of the PF's first num_vfs VFs (when
 * udevd runs; libudev monitor, no polling). The VFs themselves must be in
 * sysfs already, as they are once a write to sriov_numvfs returned: -EIO
 * names a missing one. -ETIMEDOUT after timeout_ms (negative: the
 * context's timeout).
 */
int vvp_pf_wait_vfs(struct vvp_pf *pf, unsigned int num_vfs, int timeout_ms);

/* VFs of a PF, in index order (virtfn0, virtfn1, ...) */
struct vvp_vf *vvp_vf_get_first(struct vvp_pf *pf);
struct vvp_vf *vvp_vf_get_next(struct vvp_vf *vf);
#define vvp_vf_foreach(pf, vf)						\
	for (vf = vvp_vf_get_first(pf); vf != NULL; vf = vvp_vf_get_next(vf))

/* Look a VF up by address: 0, -EINVAL, -ENODEV, or -EOPNOTSUPP (not a VF) */
int vvp_vf_find(struct vvp_ctx *ctx, const char *address, struct vvp_vf **vf);

/*
 * What a PCI address is, for a caller that takes a PF or a VF (or that
 * wants to tell a user who gave one for the other). Returns:
 *  - VVP_PCI_PF: an SR-IOV PF; *pf is set, *vf NULL;
 *  - VVP_PCI_VF: a VF; *vf is set, *pf is its PF;
 *  - -EINVAL: not an address; -ENODEV: no such PCI device (or a VF that
 *    is going away: its PF no longer counts it); -EOPNOTSUPP: a PCI
 *    device that is neither; another -errno: a VF whose PF cannot be
 *    read. Each with its message on the context; *pf and *vf NULL.
 * pf or vf may be NULL when the caller does not want that object.
 */
enum vvp_pci_kind {
	VVP_PCI_PF = 1,
	VVP_PCI_VF = 2,
};
int vvp_pci_lookup(struct vvp_ctx *ctx, const char *address,
		   struct vvp_pf **pf, struct vvp_vf **vf);

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
 * The same for a driver name ("vfio-pci", "vvp_vfio_pci", ...: vfio-pci
 * and the variants, whose names end in "vfio_pci"); false for NULL.
 */
bool vvp_driver_is_vfio(const char *driver);
/*
 * 1 when a process holds the VF open through VFIO (its group,
 * /dev/vfio/<group>, or its device cdev, /dev/vfio/devices/vfioN), 0 when
 * not, negative errno when that cannot be told.
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

/*
 * Put the VF in an exact state: bound to driver (NULL: to none) with
 * driver_override (NULL: none), without letting the kernel probe any
 * other driver. For undoing a change made with vvp_vf_bind() or
 * vvp_vf_unbind(): give it what vvp_vf_get_driver() and
 * vvp_vf_get_driver_override() said before. -EBUSY when the VF is in use
 * and would change driver, -EIO when it did not end up there.
 */
int vvp_vf_restore(struct vvp_vf *vf, const char *driver,
		   const char *driver_override);

/*
 * ---- Owners and members: the vvp kernel module (generic netlink) ----
 *
 * An owner is a PF that a vvp backend (virtio, sim) drives; its members
 * are its VFs, provisioned through it. They are read from the kernel's
 * generic netlink family "vvp" the first time they are asked for, and
 * cached until vvp_refresh(). When the vvp module is not loaded, calls
 * fail with -ENOENT and a message saying which module to load. Kernel
 * errors carry the kernel's own message (netlink extended ACK) into
 * vvp_get_last_error():
 *   "cannot provision 0000:01:00.1 (<kernel message>: <strerror>)"
 */
struct vvp_owner;
struct vvp_member;
struct vvp_cmd;
struct vvp_monitor;
struct vvp_event;

/*
 * Read the owners (OWNER_GET dump) unless already read: 0 or -errno. The
 * iterators call it; call it first to tell "no owners" from a failure.
 */
int vvp_owner_scan(struct vvp_ctx *ctx);
struct vvp_owner *vvp_owner_get_first(struct vvp_ctx *ctx);
struct vvp_owner *vvp_owner_get_next(struct vvp_owner *owner);
#define vvp_owner_foreach(ctx, owner)					\
	for (owner = vvp_owner_get_first(ctx); owner != NULL;		\
	     owner = vvp_owner_get_next(owner))

/* Look an owner up by its PF's address: 0, -EINVAL, -ENODEV (no owner) */
int vvp_owner_find(struct vvp_ctx *ctx, const char *pf_address,
		   struct vvp_owner **owner);
/* the PF's owner; NULL when it has none or the module is not loaded */
struct vvp_owner *vvp_pf_get_owner(struct vvp_pf *pf);

struct vvp_ctx *vvp_owner_get_ctx(struct vvp_owner *owner);
const char *vvp_owner_get_address(struct vvp_owner *owner);
/* "virtio", "sim"; NULL when the kernel did not say */
const char *vvp_owner_get_backend(struct vvp_owner *owner);
/*
 * What the owner's backend can do for its members: vvp_owner_get_caps()
 * returns a mask of these (a newer kernel may set bits not named here).
 * MAC to TRANSITIONAL: that value can be provisioned.
 */
#define VVP_OWNER_CAP_LEGACY_IO		(1U << 0)	/* legacy I/O BAR0 */
#define VVP_OWNER_CAP_MAC		(1U << 1)
#define VVP_OWNER_CAP_MTU		(1U << 2)
#define VVP_OWNER_CAP_MAX_VQ_PAIRS	(1U << 3)
#define VVP_OWNER_CAP_FEATURES		(1U << 4)
#define VVP_OWNER_CAP_TRANSITIONAL	(1U << 5)	/* needs LEGACY_IO */
unsigned int vvp_owner_get_caps(struct vvp_owner *owner);
unsigned int vvp_owner_get_num_members(struct vvp_owner *owner);
unsigned int vvp_owner_get_total_members(struct vvp_owner *owner);
/*
 * name of one VVP_OWNER_CAP_* flag ("legacy_io", "mac", "mtu",
 * "max_vq_pairs", "features", "transitional"); NULL for any other value
 */
const char *vvp_cap_name(unsigned int cap);

/*
 * Members of an owner (MEMBER_GET dump filtered by the owner), in index
 * order. vvp_member_scan() reads them unless already read: 0 or -errno.
 */
int vvp_member_scan(struct vvp_owner *owner);
struct vvp_member *vvp_member_get_first(struct vvp_owner *owner);
struct vvp_member *vvp_member_get_next(struct vvp_member *member);
#define vvp_member_foreach(owner, member)				\
	for (member = vvp_member_get_first(owner); member != NULL;	\
	     member = vvp_member_get_next(member))

/*
 * Ask the kernel for one member by its VF's address (MEMBER_GET do). Each
 * call reads afresh. The context keeps one object per VF: a later call
 * for the same VF puts the new values into the object an earlier call
 * returned (a pointer to it stays valid and shows the newest read; a
 * failed call leaves it as it was). Objects live until vvp_refresh() or
 * vvp_unref(). 0, -EINVAL (not an address), -ENOENT (module), or the
 * kernel's -errno (-ENODEV: the VF's PF has no owner).
 */
int vvp_member_find(struct vvp_ctx *ctx, const char *vf_address,
		    struct vvp_member **member);

/*
 * Getters return what the kernel sent. A key is present only when the
 * kernel sent it: test with the vvp_member_has_*() call first.
 */
struct vvp_owner *vvp_member_get_owner(struct vvp_member *member);
const char *vvp_member_get_owner_address(struct vvp_member *member);
const char *vvp_member_get_address(struct vvp_member *member);
bool vvp_member_has_index(struct vvp_member *member);
unsigned int vvp_member_get_index(struct vvp_member *member);
bool vvp_member_has_mac(struct vvp_member *member);
/* 6 bytes, owned by the member */
const unsigned char *vvp_member_get_mac(struct vvp_member *member);
bool vvp_member_has_mtu(struct vvp_member *member);
unsigned int vvp_member_get_mtu(struct vvp_member *member);
bool vvp_member_has_max_vq_pairs(struct vvp_member *member);
unsigned int vvp_member_get_max_vq_pairs(struct vvp_member *member);
bool vvp_member_has_features(struct vvp_member *member);
uint64_t vvp_member_get_features(struct vvp_member *member);
bool vvp_member_has_transitional(struct vvp_member *member);
bool vvp_member_get_transitional(struct vvp_member *member);
bool vvp_member_has_busy(struct vvp_member *member);
bool vvp_member_get_busy(struct vvp_member *member);

/*
 * Commands, as in ndctl: create, set what should change, submit, read
 * the result, unref. vvp_cmd_new_member_set() returns NULL (message on
 * the context) for a malformed address or when out of memory. Only the
 * values set are sent; the kernel changes all of them or none.
 */
struct vvp_cmd *vvp_cmd_new_member_set(struct vvp_ctx *ctx,
				       const char *vf_address);
struct vvp_cmd *vvp_cmd_ref(struct vvp_cmd *cmd);
void vvp_cmd_unref(struct vvp_cmd *cmd);
int vvp_cmd_member_set_mac(struct vvp_cmd *cmd, const unsigned char mac[6]);
int vvp_cmd_member_set_mtu(struct vvp_cmd *cmd, unsigned int mtu);
int vvp_cmd_member_set_max_vq_pairs(struct vvp_cmd *cmd, unsigned int pairs);
int vvp_cmd_member_set_features(struct vvp_cmd *cmd, uint64_t features);
int vvp_cmd_member_set_transitional(struct vvp_cmd *cmd, bool on);
/*
 * Send the command and wait for the kernel's answer. 0: the kernel
 * applied every value. Otherwise a negative errno, with the message on
 * the context, that is one of:
 *  - the kernel's own -errno: it refused (-EOPNOTSUPP, -ERANGE, -EINVAL,
 *    -EBUSY, -ENODEV, -EPERM, ...) and changed nothing;
 *    vvp_cmd_get_status() returns the same value.
 *  - -EINVAL before anything is sent: no value was set.
 *  - a failure to get the kernel's answer: -ENOENT (the vvp module is not
 *    loaded), -ENOMEM, -EIO (the socket failed), -ETIMEDOUT (no answer
 *    within the context's timeout: the kernel may or may not have applied
 *    the command), or the errno of opening the socket.
 *    vvp_cmd_get_status() returns 0.
 * Cached owners and members are not re-read (vvp_member_find() reads
 * afresh).
 */
int vvp_cmd_submit(struct vvp_cmd *cmd);
/*
 * The kernel's answer to the last vvp_cmd_submit(): its -errno when it
 * refused, which is also what the submit returned; 0 when it applied the
 * command, when it did not answer, and before any submit. A failed
 * submit with a status of 0 never had the kernel's answer.
 */
int vvp_cmd_get_status(struct vvp_cmd *cmd);
/* the kernel's extack message for the last submit, "" when none */
const char *vvp_cmd_get_message(struct vvp_cmd *cmd);

/*
 * Monitor: joins the family's "monitor" multicast group (vvp_monitor_new():
 * -ENOENT when vvp.ko is not loaded, -EOPNOTSUPP when the one loaded has
 * no such group). Poll the fd for POLLIN, then call vvp_monitor_receive()
 * until it returns -EAGAIN. It returns 0 and an event (a reference: drop it with vvp_event_unref()),
 * -EAGAIN when none is pending, -ENOBUFS when events were lost (the
 * socket overran: read the state again), or another -errno.
 *
 * The monitor and each event hold a reference on the context. An event,
 * its owner and its member stay usable until its last vvp_event_unref(),
 * after vvp_monitor_unref() and vvp_unref() too; vvp_member_get_owner()
 * on an event's member looks the owner up in the context's owners.
 */
int vvp_monitor_new(struct vvp_ctx *ctx, struct vvp_monitor **monitor);
struct vvp_monitor *vvp_monitor_ref(struct vvp_monitor *monitor);
void vvp_monitor_unref(struct vvp_monitor *monitor);
int vvp_monitor_get_fd(struct vvp_monitor *monitor);
int vvp_monitor_receive(struct vvp_monitor *monitor, struct vvp_event **event);

enum vvp_event_type {
	VVP_EVENT_OWNER_ADD = 1,	/* an owner appeared */
	VVP_EVENT_OWNER_DEL,		/* an owner is going away */
	VVP_EVENT_MEMBER_CHANGE,	/* a member's provisioning or busy changed */
	VVP_EVENT_OWNER_CHANGE,		/* an owner's number of members changed */
};
enum vvp_event_type vvp_event_get_type(struct vvp_event *event);
/* "owner_add", "owner_del", "member_change", "owner_change" */
const char *vvp_event_type_name(enum vvp_event_type type);
const char *vvp_event_get_owner_address(struct vvp_event *event);
/* the owner as sent (owner events), or NULL; lives as long as the event */
struct vvp_owner *vvp_event_get_owner(struct vvp_event *event);
/* the member's new state (member events), or NULL */
struct vvp_member *vvp_event_get_member(struct vvp_event *event);
struct vvp_event *vvp_event_ref(struct vvp_event *event);
void vvp_event_unref(struct vvp_event *event);

/*
 * ---- Declarative state: vvp.conf(5), plans, apply, locks ----
 *
 * A config says what PFs should look like (VF count, default driver,
 * autoprobe) and what each VF should be (MAC, MTU, transitional, driver).
 * vvp_config_read() reads and checks it on its own; vvp_config_check()
 * checks it against the running system. A plan is the ordered list of
 * steps that takes one PF (or one of its VFs) from what it is to what the
 * config says; vvp_plan_apply() carries it out and, when a step fails,
 * puts the PF back as it was. Locks serialise everything that changes a
 * PF, across processes (apply, bind, the udev helper, the libvirt hook).
 */
struct vvp_config;
struct vvp_config_pf;
struct vvp_config_vf;
struct vvp_plan;
struct vvp_plan_step;
struct vvp_lock;

/*
 * Config directory: SYSCONFDIR "/vvp" (vvp.conf and conf.d/NAME.conf), or
 * VVP_CONFIG_DIR at vvp_new(). Run directory for locks and journals:
 * "/run/vvp", or VVP_RUN_DIR at vvp_new().
 */
int vvp_set_config_dir(struct vvp_ctx *ctx, const char *dir);
const char *vvp_get_config_dir(struct vvp_ctx *ctx);
int vvp_set_run_dir(struct vvp_ctx *ctx, const char *dir);
const char *vvp_get_run_dir(struct vvp_ctx *ctx);

/*
 * Read a config: path NULL reads the config directory's vvp.conf (absent
 * is fine: an empty config) and then conf.d/NAME.conf in name order; a path
 * reads that one file. Returns 0 with *config set when it is valid;
 * -EINVAL with *config set when it has problems (see below); -EPERM when
 * a file or directory is writable by its group or others, or owned by
 * someone other than root or the effective user (the message names it);
 * another -errno when it cannot be read (*config NULL). After reading, a
 * PF's VFs are every index below its num_vfs plus its [vf] sections.
 */
int vvp_config_read(struct vvp_ctx *ctx, const char *path,
		    struct vvp_config **config);
struct vvp_config *vvp_config_ref(struct vvp_config *config);
void vvp_config_unref(struct vvp_config *config);
/*
 * Check the config against the running system: each PF exists and has
 * SR-IOV, VF indexes and counts fit sriov_totalvfs, a serial= PF is
 * found, provisioning keys need an owner with that capability (when the
 * vvp module is loaded). Adds problems: 0 or -EINVAL; another -errno
 * when the PCI devices cannot be listed. A second call adds nothing.
 */
int vvp_config_check(struct vvp_config *config);
unsigned int vvp_config_get_num_problems(struct vvp_config *config);
/* "FILE:LINE: problem", index < vvp_config_get_num_problems() */
const char *vvp_config_get_problem(struct vvp_config *config,
				   unsigned int index);

struct vvp_config_pf *vvp_config_pf_get_first(struct vvp_config *config);
struct vvp_config_pf *vvp_config_pf_get_next(struct vvp_config_pf *cpf);
#define vvp_config_pf_foreach(config, cpf)				\
	for (cpf = vvp_config_pf_get_first(config); cpf != NULL;	\
	     cpf = vvp_config_pf_get_next(cpf))
/* by canonical PCI address; NULL when the config does not name it */
struct vvp_config_pf *vvp_config_pf_find(struct vvp_config *config,
					 const char *pf_address);
/* "" when named by serial and not found (yet) */
const char *vvp_config_pf_get_address(struct vvp_config_pf *cpf);
/* NULL unless the section is [pf serial=...] */
const char *vvp_config_pf_get_serial(struct vvp_config_pf *cpf);
/* -1 when the config does not set it */
int vvp_config_pf_get_num_vfs(struct vvp_config_pf *cpf);
int vvp_config_pf_get_autoprobe(struct vvp_config_pf *cpf);
/*
 * The defaults a PF section gives its VFs, which is all a VF without a
 * [vf] section gets (one that is there although the config does not
 * list it: num_vfs unset, or more VFs than it says). NULL / -1: unset.
 */
const char *vvp_config_pf_get_driver(struct vvp_config_pf *cpf);
int vvp_config_pf_get_transitional(struct vvp_config_pf *cpf);

/*
 * A PF's configured VFs: every index below num_vfs, plus any [vf]
 * section, in index order; values are the VF's own over its PF's
 * defaults. Getters return NULL / -1 for what the config leaves alone.
 */
struct vvp_config_vf *vvp_config_vf_get_first(struct vvp_config_pf *cpf);
struct vvp_config_vf *vvp_config_vf_get_next(struct vvp_config_vf *cvf);
#define vvp_config_vf_foreach(cpf, cvf)					\
	for (cvf = vvp_config_vf_get_first(cpf); cvf != NULL;		\
	     cvf = vvp_config_vf_get_next(cvf))
unsigned int vvp_config_vf_get_index(struct vvp_config_vf *cvf);
/* a driver name, "host" (the VF's own driver), "none" (unbound), NULL */
const char *vvp_config_vf_get_driver(struct vvp_config_vf *cvf);
int vvp_config_vf_get_transitional(struct vvp_config_vf *cvf);
int vvp_config_vf_get_mtu(struct vvp_config_vf *cvf);
/* NULL when the config sets no MAC */
const unsigned char *vvp_config_vf_get_mac(struct vvp_config_vf *cvf);

/*
 * Change, in memory only, what config wants of VF index of the PF
 * pf_address, for a program that plans with the config and values of its
 * own over it (the libvirt hook: the guest's MAC, and a vfio driver while
 * the guest runs). mac NULL, mtu < 0, driver NULL: as the config says. A
 * VF the config does not list gets a section of its own. Getters from
 * before the call may point at freed memory: take them again. 0; -ENOENT
 * when the config has no such PF; -EINVAL for a value no VF can have (a
 * multicast or zero MAC, an MTU out of 68..65535, not a driver name).
 */
int vvp_config_set_vf(struct vvp_config *config, const char *pf_address,
		      unsigned int index, const unsigned char *mac, int mtu,
		      const char *driver);

/*
 * Locks: one per PF, a flock(2) on <run dir>/<PF address>.lock, held
 * until vvp_lock_release() or the process ends. purpose ("apply",
 * "bind", ...) is written into the lock file for whoever waits.
 * timeout_ms < 0: the context's timeout; 0: try once. -ETIMEDOUT (or
 * -EWOULDBLOCK for 0) when another process holds it, with a message
 * naming that process and its purpose. vvp_lock_get_waited_ms() says how
 * long the caller waited, to report it.
 */
int vvp_pf_lock(struct vvp_pf *pf, const char *purpose, int timeout_ms,
		struct vvp_lock **lock);
unsigned int vvp_lock_get_waited_ms(struct vvp_lock *lock);
void vvp_lock_release(struct vvp_lock *lock);
/*
 * Who holds the PF's lock, without taking it: 0 when a process holds it
 * (*pid and purpose as that process wrote them; *pid 0 when they cannot
 * be read), -ENOENT when nobody does. For a helper that must not wait
 * for a holder that is itself waiting for the helper (udev: an apply
 * that waits for udev to finish with the VFs it created).
 */
int vvp_pf_get_lock_holder(struct vvp_pf *pf, int *pid, char *purpose,
			   size_t len);

/*
 * Crash safety. Before its first write, vvp_plan_apply() saves what it
 * will change in a journal, <run dir>/<PF>.journal, and it removes the
 * journal once done (applied, or put back). A journal whose process is
 * gone is an apply that was killed half-way.
 * vvp_pf_get_journal(): 0 and the pid of the apply that wrote the PF's
 * journal, *alive saying whether it still runs; -ENOENT when none.
 * vvp_pf_recover(): with the PF's lock held, put the PF back as the
 * journal of a dead apply says it was before, and remove the journal.
 * 1 when it did, 0 when there was nothing to undo, -EBUSY when that
 * apply still runs, another -errno when putting it back failed (the
 * journal stays for another try).
 */
int vvp_pf_get_journal(struct vvp_pf *pf, int *pid, bool *alive);
int vvp_pf_recover(struct vvp_pf *pf);

/*
 * Plans. vvp_plan_new() reads what the PF (vf_address NULL) or one of
 * its VFs is now and lists the steps to make it what config says, in the
 * safe order: autoprobe off, VF count (through 0), wait for the VFs,
 * provision, bind, autoprobe as configured. Take the PF's lock first.
 * An empty plan: nothing to do.
 */
enum vvp_step_kind {
	VVP_STEP_AUTOPROBE = 1,		/* sriov_drivers_autoprobe */
	VVP_STEP_NUM_VFS,		/* sriov_numvfs, then wait for udev */
	VVP_STEP_PROVISION,		/* one member_set for one VF */
	VVP_STEP_BIND,			/* one VF's driver and override */
};
int vvp_plan_new(struct vvp_config *config, const char *pf_address,
		 const char *vf_address, struct vvp_plan **plan);
/*
 * The steps (provisioning, binding) of the listed VFs (addresses) of the
 * PF, as vvp_plan_new() would plan each of them alone; VFs the PF does
 * not have (any more) are skipped, and its count and autoprobe are left
 * as they are. For the udev helper: one plan for a burst of new VFs, not
 * one per VF.
 */
int vvp_plan_new_vfs(struct vvp_config *config, const char *pf_address,
		     const char *const *vfs, unsigned int n,
		     struct vvp_plan **plan);
void vvp_plan_unref(struct vvp_plan *plan);
unsigned int vvp_plan_get_num_steps(struct vvp_plan *plan);
struct vvp_plan_step *vvp_plan_step_get_first(struct vvp_plan *plan);
struct vvp_plan_step *vvp_plan_step_get_next(struct vvp_plan_step *step);
#define vvp_plan_step_foreach(plan, step)				\
	for (step = vvp_plan_step_get_first(plan); step != NULL;	\
	     step = vvp_plan_step_get_next(step))
enum vvp_step_kind vvp_plan_step_get_kind(struct vvp_plan_step *step);
/* "autoprobe", "num_vfs", "provision", "bind" */
const char *vvp_step_kind_name(enum vvp_step_kind kind);
/* the PF or VF address the step changes */
const char *vvp_plan_step_get_device(struct vvp_plan_step *step);
/* what it is and what it becomes, as text: "4" -> "8", "vfio-pci" */
const char *vvp_plan_step_get_from(struct vvp_plan_step *step);
const char *vvp_plan_step_get_to(struct vvp_plan_step *step);
/* the VF index of a provision or bind step; -1 for a PF step */
int vvp_plan_step_get_vf_index(struct vvp_plan_step *step);
/* what became of a step in vvp_plan_apply() */
enum vvp_step_state {
	VVP_STEP_PLANNED = 0,	/* not carried out */
	VVP_STEP_DONE,		/* carried out */
	VVP_STEP_SKIPPED,	/* already so when its turn came */
	VVP_STEP_FAILED,	/* the step that failed */
	VVP_STEP_UNDONE,	/* carried out, then put back after a failure */
};
enum vvp_step_state vvp_plan_step_get_state(struct vvp_plan_step *step);
/* "planned", "done", "skipped", "failed", "undone" */
const char *vvp_step_state_name(enum vvp_step_state state);

/*
 * Carry the plan out. 0 when every step succeeded. Otherwise the -errno
 * of the failed step (vvp_plan_get_failed_step()), after the PF was put
 * back as it was before; the message names the step, the device and the
 * error, and says when putting it back failed too.
 */
int vvp_plan_apply(struct vvp_plan *plan);
struct vvp_plan_step *vvp_plan_get_failed_step(struct vvp_plan *plan);
/*
 * Put back what the last successful vvp_plan_apply() of this plan
 * changed, as the PF (or VF) was before it, the PF's lock still held:
 * for a caller that applies several plans as one and undoes the earlier
 * ones when a later one fails. Its done steps become undone. 0 (also
 * when there is nothing to put back: not applied, already put back), or
 * -errno with a message; what could be put back was.
 */
int vvp_plan_revert(struct vvp_plan *plan);

/*
 * Whether a VF is as a config's driver value wants it, by the rules the
 * planner uses: a driver name: bound to it with driver_override set to
 * it; "none": unbound, no override; "host": no override and not on a
 * vfio driver (bound to its own driver, or unbound when none takes it);
 * NULL: always.
 */
bool vvp_vf_matches_driver(struct vvp_vf *vf, const char *wanted);

/*
 * The udev rule (80-vvp.rules) acts only on VFs with a marker,
 * <run dir>/udev/<VF address>, which it imports as udev properties:
 * "VVP_PF=<PF address>\nVVP_INDEX=<index>\n", then "VVP_DRIVER=<driver>\n"
 * when the config wants only a driver (a name, not "host" or "none") of
 * that VF and no provisioning key: the rule binds such a VF itself when it
 * is created unbound, and runs its helper (vvpctl udev-add) for the rest.
 * vvp_config_update_udev_markers() makes the markers match the config: one
 * for every VF each configured PF that is present can have (each index
 * below sriov_totalvfs, at the address sriov_offset and sriov_stride give,
 * and the VFs it has now), none for anything else. Markers already right
 * are not written again. 0 or -errno with a message.
 */
int vvp_config_update_udev_markers(struct vvp_config *config);
/*
 * Remove the markers that name pf, so that the rule leaves its VFs alone
 * until the next vvp_config_update_udev_markers(): while an apply that
 * creates them and configures them itself runs. 0 or -errno.
 */
int vvp_pf_remove_udev_markers(struct vvp_pf *pf);

/*
 * MAC addresses: "52:54:00:12:34:56" (hex pairs, ':' or '-'). Parsing
 * checks the syntax only; what the kernel accepts (unicast, not zero) is
 * the kernel's to say. vvp_format_mac() needs 18 bytes.
 */
int vvp_parse_mac(const char *str, unsigned char mac[6]);
int vvp_format_mac(const unsigned char mac[6], char *buf, unsigned long len);

/*
 * virtio-net feature bits by name: "csum", "mac", "mq", "version_1", ...
 * and "bitN" for any bit. vvp_feature_name() returns NULL for a bit
 * without a name.
 */
const char *vvp_feature_name(unsigned int bit);
int vvp_feature_from_name(const char *name);
/*
 * "+mac,-mq,+bit40": the bits to add and to remove. A number (decimal or
 * 0x hex, starting with a digit) sets every bit at once: *clear becomes
 * all ones. 0; -ERANGE for a number above 64 bits; or -EINVAL. Either
 * failure leaves a message naming the bad value or entry on the context.
 */
int vvp_parse_features(struct vvp_ctx *ctx, const char *list, uint64_t *set,
		       uint64_t *clear);

#ifdef __cplusplus
}
#endif

#endif /* _LIBVVP_H_ */
