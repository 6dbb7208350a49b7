/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Plans, snapshots and journals inside libvvp: what plan.c lists, apply.c
 * carries out, snapshot.c saves and puts back, and journal.c keeps on disk
 * while an apply runs. Private to the library.
 */
#ifndef _LIBVVP_PLAN_PRIVATE_H_
#define _LIBVVP_PLAN_PRIVATE_H_

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "config-private.h"

/* provisioning values; a key is set when its has_ flag is */
struct prov {
	bool has_mac, has_mtu, has_transitional;
	unsigned char mac[6];
	unsigned int mtu;
	bool transitional;
};

struct snapshot;

/* what a step did: vvp_plan_step_get_state() */
struct vvp_plan_step {
	struct vvp_plan *plan;
	enum vvp_step_kind kind;
	enum vvp_step_state state;
	int vf_index;			/* VF steps; -1 for PF steps */
	bool new_vf;			/* the plan's count change creates it */
	char device[32];		/* address, or "PF/N" for a new VF */
	char from[160], to[160];
	int value;			/* AUTOPROBE: 0/1; NUM_VFS: count */
	char driver[64];		/* BIND: name, "host" or "none" */
	struct prov want;		/* PROVISION: the keys to set */
};

struct vvp_plan {
	struct vvp_ctx *ctx;
	struct vvp_config *config;
	char pf_address[16];
	bool whole_pf;			/* false: one VF (vf_address) */
	struct vvp_plan_step *steps;
	unsigned int num_steps;
	struct vvp_plan_step *failed;
	/* what the last successful apply changed, for vvp_plan_revert() */
	struct snapshot *applied;
};

/* plan.c */
struct vvp_plan_step *plan_add_step(struct vvp_plan *plan,
				    enum vvp_step_kind kind, const char *device,
				    int vf_index);
int vfs_check_not_in_use(struct vvp_pf *pf, int only_index,
			 const char *doing);

/* prov.c */
void member_prov(struct vvp_member *m, const struct prov *keys,
		 struct prov *out);
bool prov_differs(const struct prov *want, struct vvp_member *m,
		  struct prov *diff);
void prov_format(const struct prov *p, char *buf, size_t len);
/* prov_format()'s text back: 0, or -EINVAL with why ("mtu '...' is ...") */
int prov_parse(const char *text, struct prov *p, char *why, size_t len);
int prov_submit(struct vvp_ctx *ctx, const char *vf_address,
		const struct prov *p);

/*
 * What apply changes, saved before it changes it: the PF's count and
 * autoprobe (whole-PF plans), the driver and override of VFs, and the
 * provisioning of the members it provisions.
 */
struct snap_vf {
	int index;
	char driver[64];		/* "" for none */
	char override[64];		/* "" for none */
};

struct snap_member {
	int index;
	struct prov prov;
};

struct snapshot {
	char pf[16];
	pid_t pid;
	unsigned long long start_time;	/* of pid, from /proc/PID/stat */
	int num_vfs;			/* -1: not saved, left alone */
	int autoprobe;			/* -1: not saved */
	struct snap_vf *vfs;
	unsigned int num_vfs_saved;
	struct snap_member *members;
	unsigned int num_members;
};

/* snapshot.c */
int snapshot_take(struct vvp_pf *pf, bool whole_pf, int vf_index,
		  struct snapshot *s);
int snapshot_add_member(struct vvp_ctx *ctx, struct snapshot *s,
			struct vvp_vf *vf);
bool snapshot_has_member(const struct snapshot *s, int index);
int snapshot_restore(struct vvp_pf *pf, const struct snapshot *s);
void snapshot_free(struct snapshot *s);
unsigned long long proc_start_time(struct vvp_ctx *ctx, pid_t pid);

/* journal.c: <run dir>/<PF>.journal */
int journal_write(struct vvp_ctx *ctx, const struct snapshot *s);
int journal_read(struct vvp_ctx *ctx, const char *pf, struct snapshot *s);
/*
 * What journal_read() does once the file is open, and what journal_write()
 * writes: 0, -ENOMEM, or -EINVAL with why ("line 7: mtu '...' is ...").
 */
int journal_parse(FILE *f, struct snapshot *s, char *why, size_t len);
void journal_print(FILE *f, const struct snapshot *s);
int journal_remove(struct vvp_ctx *ctx, const char *pf);

/* apply.c: drop the snapshot vvp_plan_revert() would put back */
void plan_forget_applied(struct vvp_plan *plan);

/* lock.c: <run dir>/<PF>.<suffix>, the run directory made first */
int run_path(struct vvp_ctx *ctx, const char *pf, const char *suffix,
	     char *buf, size_t len);

#endif /* _LIBVVP_PLAN_PRIVATE_H_ */
