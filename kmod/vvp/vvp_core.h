/* SPDX-License-Identifier: GPL-2.0-only */
/* vvp.ko internals shared by its files; the API for other modules is linux/vvp.h */
#ifndef _VVP_CORE_H
#define _VVP_CORE_H

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>

#include <linux/vvp.h>

#define VVP_NAME_LEN	32	/* "DDDD:BB:DD.F" and room to spare */
#define VVP_BACKEND_LEN	16

/*
 * Per member, for the owner's lifetime. Written with owner->lock and
 * owner->state_lock held, read with either: readers (sysfs, netlink
 * gets and dumps, which any local user may run) take only state_lock, so
 * that they never wait for, nor hold up, a backend call (a guest's
 * legacy BAR0 access) under owner->lock.
 */
struct vvp_member_state {
	/*
	 * The backend's view of the member: read from it once (the first
	 * read after attach, or after the backend said it changed), then
	 * kept up to date with what member_set applied. Provisioning
	 * belongs to the owner: it outlives a VF's disable and re-enable.
	 */
	struct vvp_member_cfg cfg;
	bool cfg_valid;
	bool transitional;
	unsigned int claims;
	/*
	 * the VF of the driver that claimed the member
	 * (vvp_member_claim_vf()), referenced, until the last claim goes;
	 * spares backends a routing-ID computation and a walk of the PCI
	 * device list per legacy access
	 */
	struct pci_dev *vf;
	/* bumped under owner->lock when the member changes or dies */
	u32 gen;
};

/* what a reader gets of a member */
struct vvp_member_snap {
	struct vvp_member_cfg cfg;	/* transitional included */
	bool busy;
};

/* <pf>/vvp/members/<index>: sysfs only, gone at unregister */
struct vvp_member_kobj {
	struct kobject kobj;
	struct vvp_owner *owner;
	unsigned int index;
};

/*
 * The owner's kobject refcount is the owner's: the registry holds one
 * reference, vvp_owner_get_by_vf() hands out more, and the release frees
 * the owner once the last one is dropped.
 */
struct vvp_owner {
	struct kobject kobj;		/* <pf>/vvp */
	struct list_head node;		/* vvp_owners, or vvp_dead_owners
					 * while dead and claimed; vvp_lock
					 */
	struct mutex lock;		/* serialises backend calls */
	spinlock_t state_lock;		/* dead and state[], for readers */
	bool dead;			/* backend must not be called */
	struct pci_dev *pdev;
	char name[VVP_NAME_LEN];
	char backend[VVP_BACKEND_LEN];
	u32 caps;
	const struct vvp_owner_ops *ops;
	void *priv;
	unsigned int total;
	u16 sriov_pos;			/* SR-IOV capability */
	struct vvp_member_state *state;	/* [total] */
	struct kobject *members_kobj;	/* <pf>/vvp/members */
	struct vvp_member_kobj **mkobjs;	/* [total] */
};

/* vvp_main.c */
extern struct mutex vvp_lock;		/* the owner list */
extern struct list_head vvp_owners;
extern unsigned long vvp_generation;	/* bumped on every list change */
struct vvp_owner *vvp_owner_find_locked(struct pci_dev *pf);
const char *vvp_cap_name(unsigned int bit);
unsigned int vvp_owner_num_members(struct vvp_owner *owner);
bool vvp_member_live_locked(struct vvp_owner *owner, unsigned int member);
bool vvp_member_held_by_dead(struct vvp_owner *owner, unsigned int index);
void vvp_owner_release(struct kobject *kobj);
int vvp_member_snapshot(struct vvp_owner *owner, unsigned int index,
			struct vvp_member_snap *snap);
int vvp_member_snapshot_locked(struct vvp_owner *owner, unsigned int index,
			       struct vvp_member_snap *snap);
void vvp_member_applied_locked(struct vvp_owner *owner, unsigned int index,
			       const struct vvp_member_cfg *cfg, u32 mask);
void vvp_member_gen_bump_locked(struct vvp_owner *owner, unsigned int member);

/* vvp_pci.c */
int vvp_member_bus_devfn(struct vvp_owner *owner, unsigned int index,
			 unsigned int *bus, unsigned int *devfn);
int vvp_member_address(struct vvp_owner *owner, unsigned int index,
		       char *buf, size_t len);

/* vvp_netlink.c */
int vvp_nl_init(void);
void vvp_nl_exit(void);
void vvp_nl_owner_notify(struct vvp_owner *owner, u8 cmd, unsigned int num);
void vvp_nl_member_notify_locked(struct vvp_owner *owner, unsigned int index,
				 struct genl_info *info);

/* vvp_sysfs.c */
int vvp_sysfs_add(struct vvp_owner *owner);
void vvp_sysfs_del(struct vvp_owner *owner);
extern const struct kobj_type vvp_owner_ktype;
extern const struct kobj_type vvp_member_ktype;

/* vvp_virtio.c: built where the kernel exports the admin legacy commands */
#if IS_ENABLED(CONFIG_VIRTIO_PCI_ADMIN_LEGACY)
int vvp_virtio_init(void);
void vvp_virtio_exit(void);
#else
static inline int vvp_virtio_init(void)
{
	return 0;
}

static inline void vvp_virtio_exit(void)
{
}
#endif

#endif /* _VVP_CORE_H */
