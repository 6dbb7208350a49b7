// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Carrying a plan out. Before the first write the PF's state is saved
 * (snapshot.c) into the journal (journal.c); each step reads what it
 * changes again first and is skipped when that is already so, which
 * keeps an apply exact for VFs the plan could only guess (those its
 * count change creates) and makes a second apply write nothing. When a
 * step fails, the PF is put back as the snapshot says.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"

static int run_autoprobe(struct vvp_pf *pf, struct vvp_plan_step *s)
{
	if (vvp_pf_get_autoprobe(pf) == s->value)
		return 1;
	return vvp_pf_set_autoprobe(pf, s->value);
}

static int run_num_vfs(struct vvp_pf *pf, struct vvp_plan_step *s)
{
	if (vvp_pf_get_num_vfs(pf) == s->value)
		return 1;
	/* the config asked for this count: VFs on vfio (not open) go too */
	return vvp_pf_set_num_vfs(pf, s->value, VVP_NUM_VFS_FORCE);
}

static struct vvp_vf *step_vf(struct vvp_pf *pf, struct vvp_plan_step *s)
{
	struct vvp_vf *vf = pf_vf_by_index(pf, s->vf_index);

	if (!vf)
		vvp_fail(pf->ctx, ENODEV,
			 "VF %d of %s is missing (%s)",
			 s->vf_index, pf->address, strerror(ENODEV));
	else
		vf_read(vf);
	return vf;
}

static int run_provision(struct vvp_pf *pf, struct vvp_plan_step *s)
{
	struct vvp_vf *vf = step_vf(pf, s);
	struct vvp_member *m;
	struct prov diff;
	int rc;

	if (!vf)
		return -ENODEV;
	rc = vvp_member_find(pf->ctx, vf->address, &m);
	if (rc < 0)
		return rc;
	if (!prov_differs(&s->want, m, &diff))
		return 1;
	return prov_submit(pf->ctx, vf->address, &diff);
}

static int run_bind(struct vvp_pf *pf, struct vvp_plan_step *s)
{
	struct vvp_vf *vf = step_vf(pf, s);
	bool host = strcmp(s->driver, "host") == 0;

	if (!vf)
		return -ENODEV;
	/* a VF the count just created still needs the probe of its driver */
	if (host && s->new_vf ?
	    vf->driver && !vf->driver_override && !vvp_vf_is_vfio(vf) :
	    vvp_vf_matches_driver(vf, s->driver))
		return 1;
	if (host)
		return vvp_vf_unbind(vf);
	if (strcmp(s->driver, "none") == 0)
		return vvp_vf_restore(vf, NULL, NULL);
	return vvp_vf_bind(vf, s->driver);
}

/* 0 done, 1 already so, or -errno */
static int run_step(struct vvp_pf *pf, struct vvp_plan_step *s)
{
	switch (s->kind) {
	case VVP_STEP_AUTOPROBE:
		return run_autoprobe(pf, s);
	case VVP_STEP_NUM_VFS:
		return run_num_vfs(pf, s);
	case VVP_STEP_PROVISION:
		return run_provision(pf, s);
	case VVP_STEP_BIND:
		return run_bind(pf, s);
	}
	return -EINVAL;
}

/*
 * The provisioning of every member the plan provisions, as it is before
 * the first member_set: members of VFs there before the apply are saved
 * at its start, the others once the count change has made them.
 */
static int save_members(struct vvp_plan *plan, struct vvp_pf *pf,
			struct snapshot *snap)
{
	int rc = 0;

	vf_free_all(pf);
	for (unsigned int i = 0; rc == 0 && i < plan->num_steps; i++) {
		struct vvp_plan_step *s = &plan->steps[i];
		struct vvp_vf *vf;

		if (s->kind != VVP_STEP_PROVISION ||
		    snapshot_has_member(snap, s->vf_index))
			continue;
		vf = pf_vf_by_index(pf, s->vf_index);
		if (vf)
			rc = snapshot_add_member(pf->ctx, snap, vf);
	}
	return rc;
}

static void describe_step(struct vvp_plan_step *s, char *buf, size_t len)
{
	snprintf(buf, len, "step %u of %u failed: %s %s %s -> %s",
		 (unsigned int)(s - s->plan->steps) + 1, s->plan->num_steps,
		 vvp_step_kind_name(s->kind), s->device, s->from, s->to);
}

/* put the PF back after step s failed with rc; the message says it all */
static int roll_back(struct vvp_plan *plan, struct vvp_pf *pf,
		     const struct snapshot *snap, struct vvp_plan_step *s,
		     int rc)
{
	struct vvp_ctx *ctx = pf->ctx;
	char why[sizeof(ctx->errbuf)], what[512];
	int rrc;

	memcpy(why, ctx->errbuf, sizeof(why));
	describe_step(s, what, sizeof(what));
	s->state = VVP_STEP_FAILED;
	plan->failed = s;
	rrc = snapshot_restore(pf, snap);
	if (rrc == 0)
		rrc = journal_remove(ctx, pf->address);
	if (rrc < 0) {
		char undo[sizeof(ctx->errbuf)];

		memcpy(undo, ctx->errbuf, sizeof(undo));
		return vvp_fail(ctx, rc,
				"%s (%s: %s; putting %s back failed too: %s; its journal stays in %s for the next apply to undo)",
				what, strerror(-rc), why, pf->address, undo,
				ctx->run_dir);
	}
	for (unsigned int i = 0; i < plan->num_steps; i++)
		if (plan->steps[i].state == VVP_STEP_DONE)
			plan->steps[i].state = VVP_STEP_UNDONE;
	return vvp_fail(ctx, rc, "%s (%s: %s; %s was put back as it was before)",
			what, strerror(-rc), why, pf->address);
}

/* an earlier apply's journal would be lost under this one's */
static int check_no_journal(struct vvp_pf *pf)
{
	bool alive;
	int pid, rc;

	rc = vvp_pf_get_journal(pf, &pid, &alive);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	return vvp_fail(pf->ctx, EBUSY,
			"cannot apply to %s (%s process %d has its journal in %s: %s)",
			pf->address, alive ? "an apply by" : "an interrupted apply by",
			pid, pf->ctx->run_dir, strerror(EBUSY));
}

static int start(struct vvp_plan *plan, struct vvp_pf *pf,
		 struct snapshot *snap)
{
	int rc;

	rc = check_no_journal(pf);
	if (rc == 0)
		rc = snapshot_take(pf, plan->whole_pf, plan->steps[0].vf_index,
				   snap);
	/* members of the VFs there now, before anything changes them */
	if (rc == 0)
		rc = save_members(plan, pf, snap);
	if (rc == 0)
		rc = journal_write(pf->ctx, snap);
	return rc;
}

/*
 * After a successful apply, its snapshot stays with the plan, so that a
 * caller applying several plans as one (the libvirt hook: every VF of a
 * guest) can put back the earlier ones when a later one fails.
 */
static void keep_applied(struct vvp_plan *plan, struct snapshot *snap)
{
	struct snapshot *s = malloc(sizeof(*s));

	if (!s)
		return;		/* vvp_plan_revert() then has nothing */
	*s = *snap;
	memset(snap, 0, sizeof(*snap));
	plan->applied = s;
}

void plan_forget_applied(struct vvp_plan *plan)
{
	if (!plan->applied)
		return;
	snapshot_free(plan->applied);
	free(plan->applied);
	plan->applied = NULL;
}

VVP_EXPORT int vvp_plan_apply(struct vvp_plan *plan)
{
	struct snapshot snap = { 0 };
	bool members_saved = false;
	struct vvp_pf *pf = NULL;
	int rc;

	vvp_clear_error(plan->ctx);
	plan->failed = NULL;
	plan_forget_applied(plan);
	for (unsigned int i = 0; i < plan->num_steps; i++)
		plan->steps[i].state = VVP_STEP_PLANNED;
	if (plan->num_steps == 0)
		return 0;
	rc = vvp_pf_find(plan->ctx, plan->pf_address, &pf);
	if (rc == 0)
		rc = start(plan, pf, &snap);
	for (unsigned int i = 0; rc == 0 && i < plan->num_steps; i++) {
		struct vvp_plan_step *s = &plan->steps[i];

		if (s->kind == VVP_STEP_PROVISION && !members_saved) {
			members_saved = true;
			rc = save_members(plan, pf, &snap);
			if (rc == 0)
				rc = journal_write(plan->ctx, &snap);
		}
		if (rc == 0)
			rc = run_step(pf, s);
		if (rc < 0)
			rc = roll_back(plan, pf, &snap, s, rc);
		else
			s->state = rc ? VVP_STEP_SKIPPED : VVP_STEP_DONE;
		rc = rc < 0 ? rc : 0;
	}
	if (rc == 0)
		rc = journal_remove(plan->ctx, plan->pf_address);
	if (pf)
		vf_free_all(pf);	/* callers list the VFs afresh */
	if (rc == 0)
		keep_applied(plan, &snap);
	snapshot_free(&snap);
	return rc;
}

VVP_EXPORT int vvp_plan_revert(struct vvp_plan *plan)
{
	struct vvp_pf *pf;
	int rc;

	vvp_clear_error(plan->ctx);
	if (!plan->applied)
		return 0;
	rc = vvp_pf_find(plan->ctx, plan->pf_address, &pf);
	if (rc == 0)
		rc = snapshot_restore(pf, plan->applied);
	if (rc == 0)
		vf_free_all(pf);
	if (rc < 0) {
		char why[sizeof(plan->ctx->errbuf)];

		memcpy(why, plan->ctx->errbuf, sizeof(why));
		return vvp_fail(plan->ctx, rc, "cannot put %s back as it was (%s)",
				plan->pf_address, why);
	}
	for (unsigned int i = 0; i < plan->num_steps; i++)
		if (plan->steps[i].state == VVP_STEP_DONE)
			plan->steps[i].state = VVP_STEP_UNDONE;
	plan_forget_applied(plan);
	return 0;
}
