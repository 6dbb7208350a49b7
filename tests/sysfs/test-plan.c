// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvp_plan_new() and vvp_plan_apply() against the kernel model, table
 * driven: start states x wanted states, each with the exact plan and the
 * exact sysfs writes of its apply; then a second plan of the same config
 * must be empty and its apply write nothing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-fx.h"

#define PF "0000:01:00.0"
#define V0 "0000:01:00.1"
#define V1 "0000:01:00.2"
#define V2 "0000:01:00.3"
#define V3 "0000:01:00.4"
#define AP(v) PF "/sriov_drivers_autoprobe " #v "\n"
#define NUM(v) PF "/sriov_numvfs " #v "\n"
#define OVR(vf, d) vf "/driver_override " d "\n"
#define PROBE(vf) "drivers_probe " vf "\n"
#define UNBIND(d, vf) "drivers/" d "/unbind " vf "\n"
#define BIND_NEW(vf, d) OVR(vf, d) PROBE(vf)
#define U CFG_UNSET

struct plan_case {
	const char *name;
	int vfs;			/* VFs at the start ... */
	const char *vf_driver;		/* ... as fx_start_vfs() makes them */
	bool autoprobe_off;		/* sriov_drivers_autoprobe 0 at start */
	void (*scene)(struct fx *f);	/* anything else about the start */
	int num_vfs;			/* the config */
	const char *driver;
	int autoprobe;
	int vf;				/* a [vf] section: index, or -1 */
	const char *vf_drv;		/* and its driver */
	int rc;				/* of vvp_plan_new() */
	const char *plan;
	const char *writes;
};

static void hold_vf2(struct fx *f)
{
	fake_tree_hold_group(f->t, 4321, fake_tree_vf_group(f->t, 0, 2));
}

static void hold_vf1(struct fx *f)
{
	fake_tree_hold_group(f->t, 4321, fake_tree_vf_group(f->t, 0, 1));
}

/* on vfio-pci by a bind file write, with no override to keep it there */
static void vfio_without_override(struct fx *f)
{
	for (int i = 0; i < 2; i++) {
		fake_tree_unbind(f->t, fx_vf_addr(f, 0, i));
		fake_tree_bind(f->t, fx_vf_addr(f, 0, i), "vfio-pci");
	}
}

static void pf_unbound(struct fx *f)
{
	fake_tree_unbind(f->t, PF);
}

static const struct plan_case cases[] = {
	{ "no-op: the count as it is", 4, NULL, false, NULL, 4, NULL, U, -1,
	  NULL, 0, "", "" },
	{ "no-op: on vfio-pci as configured", 4, "vfio-pci", false, NULL, 4,
	  "vfio-pci", U, -1, NULL, 0, "", "" },
	{ "no-op: nothing configured", 3, NULL, false, NULL, U, NULL, U, -1,
	  NULL, 0, "", "" },
	{ "grow from 0", 0, NULL, false, NULL, 4, NULL, U, -1, NULL, 0,
	  "num_vfs " PF " 0 -> 4\n",
	  AP(0) NUM(4) AP(1) },
	{ "grow 2 -> 4 onto vfio-pci", 2, NULL, false, NULL, 4, "vfio-pci", U,
	  -1, NULL, 0,
	  "num_vfs " PF " 2 -> 4\n"
	  "bind " PF "/0 none -> vfio-pci\n"
	  "bind " PF "/1 none -> vfio-pci\n"
	  "bind " PF "/2 none -> vfio-pci\n"
	  "bind " PF "/3 none -> vfio-pci\n",
	  AP(0) NUM(0) NUM(4) AP(1) BIND_NEW(V0, "vfio-pci")
	  BIND_NEW(V1, "vfio-pci") BIND_NEW(V2, "vfio-pci")
	  BIND_NEW(V3, "vfio-pci") },
	{ "shrink 4 -> 2", 4, NULL, false, NULL, 2, NULL, U, -1, NULL, 0,
	  "num_vfs " PF " 4 -> 2\n",
	  AP(0) NUM(0) NUM(2) AP(1) },
	{ "shrink to 0 from vfio-pci", 3, "vfio-pci", false, NULL, 0,
	  "vfio-pci", U, -1, NULL, 0,
	  "num_vfs " PF " 3 -> 0\n",
	  AP(0) NUM(0) AP(1) },
	{ "shrink with a VF held open: refused", 4, "vfio-pci", false,
	  hold_vf2, 2, "vfio-pci", U, -1, NULL, -EBUSY, NULL, "" },
	{ "shrink with VFs on vfio, none open: the config wins", 4,
	  "vfio-pci", false, NULL, 2, "vfio-pci", U, -1, NULL, 0,
	  "num_vfs " PF " 4 -> 2\n"
	  "bind " PF "/0 none -> vfio-pci\n"
	  "bind " PF "/1 none -> vfio-pci\n",
	  AP(0) NUM(0) NUM(2) AP(1) BIND_NEW(V0, "vfio-pci")
	  BIND_NEW(V1, "vfio-pci") },
	{ "vfio-pci -> host", 2, "vfio-pci", false, NULL, U, "host", U, -1,
	  NULL, 0,
	  "bind " V0 " vfio-pci -> host\n"
	  "bind " V1 " vfio-pci -> host\n",
	  OVR(V0, "\\n") UNBIND("vfio-pci", V0) PROBE(V0)
	  OVR(V1, "\\n") UNBIND("vfio-pci", V1) PROBE(V1) },
	{ "nvme -> none", 2, NULL, false, NULL, U, "none", U, -1, NULL, 0,
	  "bind " V0 " nvme -> none\n"
	  "bind " V1 " nvme -> none\n",
	  UNBIND("nvme", V0) UNBIND("nvme", V1) },
	{ "vfio-pci -> none", 1, "vfio-pci", false, NULL, U, "none", U, -1,
	  NULL, 0,
	  "bind " V0 " vfio-pci -> none\n",
	  UNBIND("vfio-pci", V0) OVR(V0, "\\n") },
	{ "nvme -> vfio-pci", 2, NULL, false, NULL, 2, "vfio-pci", U, -1, NULL,
	  0,
	  "bind " V0 " nvme -> vfio-pci\n"
	  "bind " V1 " nvme -> vfio-pci\n",
	  OVR(V0, "vfio-pci") UNBIND("nvme", V0) PROBE(V0)
	  OVR(V1, "vfio-pci") UNBIND("nvme", V1) PROBE(V1) },
	{ "a [vf] section over its PF's driver", 3, NULL, false, NULL, U,
	  "vfio-pci", U, 1, "host", 0,
	  "bind " V0 " nvme -> vfio-pci\n"
	  "bind " V2 " nvme -> vfio-pci\n",
	  OVR(V0, "vfio-pci") UNBIND("nvme", V0) PROBE(V0)
	  OVR(V2, "vfio-pci") UNBIND("nvme", V2) PROBE(V2) },
	{ "on vfio-pci without override: pinned", 2, NULL, false,
	  vfio_without_override, U, "vfio-pci", U, -1, NULL, 0,
	  "bind " V0 " vfio-pci (no override) -> vfio-pci\n"
	  "bind " V1 " vfio-pci (no override) -> vfio-pci\n",
	  OVR(V0, "vfio-pci") OVR(V1, "vfio-pci") },
	{ "host on an unbound VF: left alone", 2, "", false, NULL, U, "host",
	  U, -1, NULL, 0, "", "" },
	{ "rebind a VF held open: refused", 2, "vfio-pci", false, hold_vf1, U,
	  "host", U, -1, NULL, -EBUSY, NULL, "" },
	{ "autoprobe off", 2, NULL, false, NULL, U, NULL, 0, -1, NULL, 0,
	  "autoprobe " PF " on -> off\n",
	  AP(0) },
	{ "autoprobe off first, then grow", 0, NULL, false, NULL, 2, NULL, 0,
	  -1, NULL, 0,
	  "autoprobe " PF " on -> off\n"
	  "num_vfs " PF " 0 -> 2\n",
	  AP(0) NUM(2) },
	{ "autoprobe on last", 0, NULL, true, NULL, 2, "vfio-pci", 1, -1,
	  NULL, 0,
	  "num_vfs " PF " 0 -> 2\n"
	  "bind " PF "/0 none -> vfio-pci\n"
	  "bind " PF "/1 none -> vfio-pci\n"
	  "autoprobe " PF " off -> on\n",
	  NUM(2) BIND_NEW(V0, "vfio-pci") BIND_NEW(V1, "vfio-pci") AP(1) },
	{ "grow onto host: new VFs are probed", 0, NULL, false, NULL, 2,
	  "host", U, -1, NULL, 0,
	  "num_vfs " PF " 0 -> 2\n"
	  "bind " PF "/0 none -> host\n"
	  "bind " PF "/1 none -> host\n",
	  AP(0) NUM(2) AP(1) PROBE(V0) PROBE(V1) },
	{ "grow onto none: new VFs are so already", 1, NULL, false, NULL, 2,
	  "none", U, -1, NULL, 0,
	  "num_vfs " PF " 1 -> 2\n",
	  AP(0) NUM(0) NUM(2) AP(1) },
	{ "more VFs than the PF has: refused", 0, NULL, false, NULL, 9, NULL,
	  U, -1, NULL, -EINVAL, NULL, "" },
	{ "a count change on a PF without driver: refused", 0, NULL, false,
	  pf_unbound, 2, NULL, U, -1, NULL, -ENOENT, NULL, "" },
};

static struct vvp_config *case_config(struct fx *f, const struct plan_case *c)
{
	struct vvp_config *config = fx_config(f, c->num_vfs, c->driver,
					      c->autoprobe);

	if (c->vf >= 0)
		fx_config_vf_driver(config, c->vf, c->vf_drv);
	return config;
}

/* the same config again, on a fresh context: nothing to do, no write */
static void assert_second_apply_idle(struct fx *f, const struct plan_case *c)
{
	struct vvp_config *config;
	struct vvp_plan *plan;

	fx_reopen(f);
	fx_clear(f);
	config = case_config(f, c);
	plan = fx_plan(f, config);
	assert_string_equal(fx_plan_text(plan), "");
	assert_int_equal(vvp_plan_apply(plan), 0);
	assert_int_equal(fake_kernel_writes(f->k), 0);
	vvp_plan_unref(plan);
	vvp_config_unref(config);
}

static void run_case(void **state, const struct plan_case *c)
{
	struct vvp_config *config;
	struct vvp_plan *plan = NULL;
	char before[4096], after[4096];
	struct fx *f;
	int rc;

	f = fx_start_vfs(state, c->vfs, c->vf_driver);
	if (c->autoprobe_off)
		fake_tree_set_attr(f->t, PF, "sriov_drivers_autoprobe", "0\n");
	if (c->scene)
		c->scene(f);
	fx_tree_state(f, before, sizeof(before));
	config = case_config(f, c);
	rc = vvp_plan_new(config, PF, NULL, &plan);
	assert_int_equal(rc, c->rc);
	if (rc < 0) {
		assert_null(plan);
		assert_msg(f->ctx, PF);
		fx_tree_state(f, after, sizeof(after));
		assert_string_equal(after, before);
	} else {
		assert_string_equal(fx_plan_text(plan), c->plan);
		assert_int_equal(vvp_plan_apply(plan), 0);
		assert_null(vvp_plan_get_failed_step(plan));
		assert_string_equal(fx_writes(f), c->writes);
		assert_null(strstr(fx_plan_states(plan), "planned"));
		vvp_plan_unref(plan);
	}
	vvp_config_unref(config);
	assert_string_equal(fx_writes(f), c->writes);
	if (rc == 0)
		assert_second_apply_idle(f, c);
	assert_false(fake_kernel_hung(f->k));
}

/* one cmocka test per row: the row comes in as the initial state */
static const struct plan_case *current;

static int case_setup(void **state)
{
	current = *state;
	return fx_setup(state);
}

static void test_case(void **state)
{
	run_case(state, current);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(cases)];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		tests[i] = (struct CMUnitTest) {
			.name = cases[i].name,
			.test_func = test_case,
			.setup_func = case_setup,
			.teardown_func = fx_teardown,
			.initial_state = (void *)&cases[i],
		};
	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
