// SPDX-License-Identifier: LGPL-2.1-or-later
/* A plan's steps as callers see them, and the rule for "driver = ...". */
#include <string.h>

#include "plan-private.h"

VVP_GETTER(unsigned int, vvp_plan_get_num_steps, struct vvp_plan, num_steps)

VVP_EXPORT struct vvp_plan_step *vvp_plan_step_get_first(struct vvp_plan *plan)
{
	return plan->num_steps ? plan->steps : NULL;
}

VVP_EXPORT struct vvp_plan_step *vvp_plan_step_get_next(struct vvp_plan_step *step)
{
	struct vvp_plan *plan = step->plan;

	return step + 1 < plan->steps + plan->num_steps ? step + 1 : NULL;
}

VVP_GETTER(enum vvp_step_kind, vvp_plan_step_get_kind,
	   struct vvp_plan_step, kind)

VVP_EXPORT const char *vvp_step_kind_name(enum vvp_step_kind kind)
{
	switch (kind) {
	case VVP_STEP_AUTOPROBE:
		return "autoprobe";
	case VVP_STEP_NUM_VFS:
		return "num_vfs";
	case VVP_STEP_PROVISION:
		return "provision";
	case VVP_STEP_BIND:
		return "bind";
	}
	return NULL;
}

VVP_GETTER(const char *, vvp_plan_step_get_device, struct vvp_plan_step, device)

VVP_GETTER(const char *, vvp_plan_step_get_from, struct vvp_plan_step, from)

VVP_GETTER(const char *, vvp_plan_step_get_to, struct vvp_plan_step, to)

VVP_GETTER(int, vvp_plan_step_get_vf_index, struct vvp_plan_step, vf_index)

VVP_GETTER(enum vvp_step_state, vvp_plan_step_get_state,
	   struct vvp_plan_step, state)

VVP_EXPORT const char *vvp_step_state_name(enum vvp_step_state state)
{
	static const char *const names[] = {
		[VVP_STEP_PLANNED] = "planned",
		[VVP_STEP_DONE] = "done",
		[VVP_STEP_SKIPPED] = "skipped",
		[VVP_STEP_FAILED] = "failed",
		[VVP_STEP_UNDONE] = "undone",
	};

	return (unsigned int)state < ARRAY_SIZE(names) ? names[state] : NULL;
}

VVP_GETTER(struct vvp_plan_step *, vvp_plan_get_failed_step,
	   struct vvp_plan, failed)

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

VVP_EXPORT bool vvp_vf_matches_driver(struct vvp_vf *vf, const char *wanted)
{
	if (!wanted)
		return true;
	if (strcmp(wanted, "none") == 0)
		return !vf->driver && !vf->driver_override;
	/*
	 * "host": nothing pins the VF and vfio does not hold it. An unbound
	 * VF counts: which driver the kernel would pick, and whether it
	 * would take the VF, only a probe can tell.
	 */
	if (strcmp(wanted, "host") == 0)
		return !vf->driver_override && !vvp_vf_is_vfio(vf);
	return same(vf->driver, wanted) && same(vf->driver_override, wanted);
}
