/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vvp.ko's in-kernel API: the owner registry that backends (virtio,
 * vvp_sim) register with and that vvp_vfio_pci looks members up in.
 *
 * An owner is an SR-IOV PF; its members are its VFs, by VF index. The
 * core checks every request against the backend's capability mask before
 * it calls the backend, serialises calls per owner, and stops calling a
 * backend once its owner is unregistered: callers then get -ENODEV.
 */
#ifndef _LINUX_VVP_H
#define _LINUX_VVP_H

#include <linux/etherdevice.h>
#include <linux/netlink.h>
#include <linux/pci.h>
#include <linux/types.h>

#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/vvp.h>

/* a modern (virtio 1.x) virtio-net PCI device: 0x1040 + its virtio ID */
#define VVP_VIRTIO_NET_DEVICE_ID	(0x1040 + VIRTIO_ID_NET)

static inline bool vvp_pci_is_virtio_net(struct pci_dev *pdev)
{
	return pdev->vendor == PCI_VENDOR_ID_REDHAT_QUMRANET &&
	       pdev->device == VVP_VIRTIO_NET_DEVICE_ID;
}

/*
 * A PCI address as pci_name() writes it, strictly "DDDD:BB:DD.F" (hex),
 * in the @len bytes at @buf: 0, or -EINVAL for anything else.
 */
int vvp_pci_parse_addr(const char *buf, size_t len, unsigned int *domain,
		       unsigned int *bus, unsigned int *devfn);

struct vvp_owner;

/*
 * A legacy (virtio 0.9.5) register access on a member's behalf: the
 * window (the common config or the device-specific config that follows
 * it) and the direction. The same four are the virtio admin legacy
 * commands.
 */
enum vvp_legacy_op {
	VVP_LEGACY_COMMON_READ,
	VVP_LEGACY_COMMON_WRITE,
	VVP_LEGACY_DEVICE_READ,
	VVP_LEGACY_DEVICE_WRITE,
	VVP_LEGACY_NR_OPS,
};

static inline bool vvp_legacy_op_is_write(enum vvp_legacy_op op)
{
	return op == VVP_LEGACY_COMMON_WRITE || op == VVP_LEGACY_DEVICE_WRITE;
}

static inline bool vvp_legacy_op_is_device(enum vvp_legacy_op op)
{
	return op == VVP_LEGACY_DEVICE_READ || op == VVP_LEGACY_DEVICE_WRITE;
}

/* provisioning of one member; which fields count is given by a cap mask */
struct vvp_member_cfg {
	u8 mac[ETH_ALEN];
	u32 mtu;
	u32 max_vq_pairs;
	u64 features;
	bool transitional;	/* kept by the core, not the backend */
};

/*
 * Backend operations. Called with the owner's lock held, never after
 * vvp_owner_unregister() returned. Return 0 or -errno; member_set may
 * leave a message in extack (may be NULL outside netlink), which the core
 * copies before it drops the lock: it may be a string of the backend's
 * module, and that module may be gone by the time netlink sends it.
 */
struct vvp_owner_ops {
	/*
	 * VVP_CAP_LEGACY_IO: @size bytes at @offset of the window @op names,
	 * read into or written from @buf
	 */
	int (*legacy_io)(struct vvp_owner *owner, unsigned int member,
			 enum vvp_legacy_op op, u8 offset, u8 size, u8 *buf);
	/*
	 * VVP_CAP_LEGACY_IO, one of the two: where the member's notify
	 * register is (a BAR of the VF and an offset), for the VF's driver
	 * to write the queue index there itself (real devices); or the kick
	 * itself (a simulator, which has no register to point at).
	 */
	int (*legacy_notify_info)(struct vvp_owner *owner, unsigned int member,
				  u8 *bar, u64 *offset);
	int (*legacy_notify)(struct vvp_owner *owner, unsigned int member,
			     u16 queue);
	/* what the backend knows of a member's provisioning */
	int (*member_get)(struct vvp_owner *owner, unsigned int member,
			  struct vvp_member_cfg *cfg);
	/* change the fields in @caps (a subset of the owner's caps) */
	int (*member_set)(struct vvp_owner *owner, unsigned int member,
			  const struct vvp_member_cfg *cfg, u32 caps,
			  struct netlink_ext_ack *extack);
};

/*
 * Register @pf as an owner. @backend names the backend ("virtio", "sim");
 * @caps is a mask of enum vvp_cap. Returns the owner or ERR_PTR:
 * -EEXIST when @pf already has an owner, -EINVAL when @pf has no SR-IOV.
 */
struct vvp_owner *vvp_owner_register(struct pci_dev *pf, const char *backend,
				     u32 caps, const struct vvp_owner_ops *ops,
				     void *priv);
/* Stop using the backend, tell listeners, drop the registry's reference. */
void vvp_owner_unregister(struct vvp_owner *owner);

void *vvp_owner_priv(struct vvp_owner *owner);
struct pci_dev *vvp_owner_pdev(struct vvp_owner *owner);

/*
 * The owner of VF @vf, with a reference (vvp_owner_put()), and the VF's
 * member index in *member. NULL when the VF's PF has no owner.
 */
struct vvp_owner *vvp_owner_get_by_vf(struct pci_dev *vf, unsigned int *member);
void vvp_owner_put(struct vvp_owner *owner);
u32 vvp_owner_caps(struct vvp_owner *owner);

/*
 * For a driver that hands the member to a user (vvp_vfio_pci): while
 * claimed, provisioning changes are refused with -EBUSY. The claim
 * returns the member's provisioning as it is at that moment. A claim
 * outlives its owner's unregistration: until it is released, the VF is
 * busy (-EBUSY to claims and provisioning) for later owners of the PF,
 * and the claimer's legacy I/O keeps failing with -ENODEV.
 */
int vvp_member_claim(struct vvp_owner *owner, unsigned int member,
		     struct vvp_member_cfg *cfg);
/*
 * The same, by the driver bound to the member's VF @vf: the core keeps
 * @vf (referenced) until the last claim is released, and backends use it
 * for legacy I/O instead of finding the VF again on every access.
 */
int vvp_member_claim_vf(struct vvp_owner *owner, unsigned int member,
			struct pci_dev *vf, struct vvp_member_cfg *cfg);
void vvp_member_release(struct vvp_owner *owner, unsigned int member);

/*
 * A number that changes whenever what a claimer may have cached about
 * the member goes stale: after a member_set, and when the owner dies.
 * Lockless; for a cache's "still valid?" check on every access.
 */
u32 vvp_member_gen(struct vvp_owner *owner, unsigned int member);

/*
 * The VF a driver claimed @member with (referenced; pci_dev_put() it), or
 * NULL. For backend ops, which the core calls with the owner locked.
 */
struct pci_dev *vvp_member_vf_get_locked(struct vvp_owner *owner,
					 unsigned int member);

/* Legacy I/O through the core: -ENODEV once the owner is gone. */
int vvp_legacy_io(struct vvp_owner *owner, unsigned int member,
		  enum vvp_legacy_op op, u8 offset, u8 size, u8 *buf);
int vvp_legacy_notify(struct vvp_owner *owner, unsigned int member, u16 queue);
/* -EOPNOTSUPP: the backend takes kicks through vvp_legacy_notify() */
int vvp_legacy_notify_info(struct vvp_owner *owner, unsigned int member,
			   u8 *bar, u64 *offset);

/*
 * Tell listeners a member changed outside netlink. Never from a backend
 * op: the notification reads the member under the owner's lock.
 */
void vvp_member_changed(struct vvp_owner *owner, unsigned int member);

#endif /* _LINUX_VVP_H */
