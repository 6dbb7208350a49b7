/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the plan, apply and lock tests share on top of harness.h: a config
 * built in memory (config_new() and friends, no file), a plan as text,
 * and the state of the fake tree as one string, to compare before and
 * after.
 */
#ifndef _PLAN_FX_H_
#define _PLAN_FX_H_

#include "harness.h"
#include "plan-private.h"

/* a config of PF 0 of the tree; CFG_UNSET / NULL leaves a key out */
struct vvp_config *fx_config(struct fx *f, int num_vfs, const char *driver,
			     int autoprobe);
/* a [vf PF/index] section with its own driver */
void fx_config_vf_driver(struct vvp_config *config, int index,
			 const char *driver);

/* "kind device from -> to\n" per step, in a static buffer */
const char *fx_plan_text(struct vvp_plan *plan);
/* "state state ..." of the steps, in a static buffer */
const char *fx_plan_states(struct vvp_plan *plan);

/*
 * Everything an apply may change on PF 0, as one string: sriov_numvfs,
 * sriov_drivers_autoprobe, and for every possible VF whether it exists,
 * its driver and its override. buf of at least 4096.
 */
void fx_tree_state(struct fx *f, char *buf, size_t len);

/* plan PF 0 with config, asserting vvp_plan_new() returned 0 */
struct vvp_plan *fx_plan(struct fx *f, struct vvp_config *config);

#endif
