/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vvp_sim: a simulated virtio-net owner for vvp.ko, in the spirit of
 * netdevsim and vdpa_sim. Private header shared by sim_main.c (module,
 * control sysfs, owner ops, fault injection), sim_regs.c (the legacy
 * register file of a member) and sim_debugfs.c (knobs and counters).
 *
 * Locking, outermost first:
 *  - sim_list_lock (sim_main.c): the lists of live and dying sims; held
 *    around vvp_owner_register() at attach, never around a teardown.
 *  - sim->lock: sim->owner and the members' debugfs claims; held around
 *    vvp_owner_unregister() and vvp_member_claim(), so the owner ops
 *    must never take it.
 *  - the core's per-owner lock: held by the core around every op.
 *  - sim->state_lock: the members' provisioning and register files,
 *    against the debugfs readers (ops are already serialised by the
 *    core, debugfs readers are not).
 *  - sim->fault_lock (spinlock): the fault injection knobs.
 * Every teardown removes the sim's debugfs directory before it frees the
 * sim, so the debugfs handlers may use the sim without a reference.
 */
#ifndef _VVP_SIM_H
#define _VVP_SIM_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <linux/vvp.h>

/* every existing virtqueue of a member has this many entries */
#define SIM_QUEUE_SIZE		256
/* legacy common config with the MSI-X registers: 0x00..0x17 */
#define SIM_COMMON_SIZE		24
/* legacy virtio_net_config: mac, status, max_virtqueue_pairs, mtu */
#define SIM_DEVICE_SIZE		12
/* upper bound of delay_ms, so that a typo cannot hang an owner for long */
#define SIM_DELAY_MAX_MS	60000

/* the commands the core sends to the sim: one counter each */
enum sim_cmd {
	/* a legacy access counts as the enum vvp_legacy_op it is */
	SIM_CMD_COMMON_READ = VVP_LEGACY_COMMON_READ,
	SIM_CMD_COMMON_WRITE = VVP_LEGACY_COMMON_WRITE,
	SIM_CMD_DEVICE_READ = VVP_LEGACY_DEVICE_READ,
	SIM_CMD_DEVICE_WRITE = VVP_LEGACY_DEVICE_WRITE,
	SIM_CMD_NOTIFY = VVP_LEGACY_NR_OPS,
	SIM_CMD_MEMBER_GET,
	SIM_CMD_MEMBER_SET,
	SIM_CMD_NR,
};

/* counters/registers: legacy commands per kind and register offset */
#define SIM_REG_OFFSETS		64

/* fail_kind value matching every command */
#define SIM_CMD_ANY		SIM_CMD_NR

/* names of enum sim_cmd, then "any" at SIM_CMD_ANY */
extern const char * const sim_cmd_names[SIM_CMD_NR + 1];

struct vvp_sim;

/* legacy per-virtqueue registers, plus what the sim counts */
struct sim_vq {
	u32 pfn;
	u16 vector;
	u64 notifies;
};

/* one member (VF) of a simulated owner */
struct sim_member {
	struct vvp_sim *sim;
	unsigned int index;

	/* provisioning (what member_get reports) */
	u8 mac[ETH_ALEN];
	u32 mtu;
	u32 max_vq_pairs;
	u64 features;

	/* legacy common config */
	u32 guest_features;
	u16 queue_sel;
	u8 status;
	u8 isr;
	u16 config_vector;
	u16 msix_vectors;		/* of the claimed VF; 0: not known */
	unsigned int nvqs;
	struct sim_vq *vqs;
	u64 notify_invalid;	/* notifies of queues that do not exist */

	/* legacy device config: the MAC as the driver sees (and writes) it */
	u8 cfg_mac[ETH_ALEN];

	/* claimed through debugfs busy_member; under sim->lock */
	bool claimed;
};

/* one attached PF */
struct vvp_sim {
	struct list_head list;		/* on a list of sim_main.c */
	bool dying;			/* off sim_list; sim_list_lock */
	struct pci_dev *pdev;		/* referenced, never bound */

	struct mutex lock;		/* owner and claims */
	struct vvp_owner *owner;	/* NULL once unregistered */

	struct mutex state_lock;	/* register files, for debugfs */
	unsigned int num_members;	/* sriov_totalvfs at attach */
	struct sim_member *members;

	spinlock_t fault_lock;		/* the fault-injection knobs */
	u32 fail_next;
	u32 fail_skip;			/* matching commands to let pass first */
	u32 fail_errno;			/* positive */
	u32 fail_kind;			/* enum sim_cmd or SIM_CMD_ANY */
	u32 delay_ms;			/* READ_ONCE, no lock */
	/* what legacy_notify_info answers; notify_bar < 0: not supported */
	int notify_bar;
	u64 notify_offset;

	atomic64_t counters[SIM_CMD_NR];
	atomic64_t reg_counters[VVP_LEGACY_NR_OPS][SIM_REG_OFFSETS];
	atomic64_t reg_bytes[VVP_LEGACY_NR_OPS][SIM_REG_OFFSETS];
	atomic64_t injected;		/* failures injected so far */

	struct dentry *ddir;
	struct work_struct remove_work;	/* the end of surprise_remove */
};

/* sim_regs.c */
int sim_member_init(struct sim_member *m, struct vvp_sim *sim,
		    unsigned int index);
void sim_member_fini(struct sim_member *m);
int sim_legacy_access(struct sim_member *m, enum vvp_legacy_op op,
		      u8 offset, u8 size, u8 *buf);
void sim_notify(struct sim_member *m, u16 queue);
void sim_raise_isr(struct sim_member *m, u8 bits);
void sim_member_get(const struct sim_member *m, struct vvp_member_cfg *cfg);
int sim_member_set(struct sim_member *m, const struct vvp_member_cfg *cfg,
		   u32 caps, struct netlink_ext_ack *extack);
void sim_regs_show(struct seq_file *s, const struct sim_member *m);
void sim_notifies_show(struct seq_file *s, const struct sim_member *m);

/* sim_main.c, for the debugfs knobs */
int sim_surprise_remove(struct vvp_sim *sim);
int sim_busy_claim(struct vvp_sim *sim, unsigned int index);
void sim_busy_release_all(struct vvp_sim *sim);

/* sim_debugfs.c */
void sim_debugfs_create_root(void);
void sim_debugfs_destroy_root(void);
void sim_debugfs_init(struct vvp_sim *sim);
void sim_debugfs_exit(struct vvp_sim *sim);

#endif /* _VVP_SIM_H */
