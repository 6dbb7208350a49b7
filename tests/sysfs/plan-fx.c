// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-fx.h"

struct vvp_config *fx_config(struct fx *f, int num_vfs, const char *driver,
			     int autoprobe)
{
	struct vvp_config *config = config_new(f->ctx);
	struct vvp_config_pf *pf;

	assert_non_null(config);
	pf = config_add_pf(config, fake_tree_pf_address(f->t, 0), "test.conf", 1);
	assert_non_null(pf);
	pf->num_vfs = num_vfs;
	pf->autoprobe = autoprobe;
	if (driver)
		assert_non_null(pf->driver = strdup(driver));
	return config;
}

void fx_config_vf_driver(struct vvp_config *config, int index,
			 const char *driver)
{
	struct vvp_config_vf *vf;

	vf = config_pf_add_vf(&config->pfs[0], index, "test.conf", 10 + index);
	assert_non_null(vf);
	assert_non_null(vf->driver = strdup(driver));
}

/* one line per step ("kind device from -> to\n") or one word per step */
static const char *plan_as_text(struct vvp_plan *plan, bool states_only)
{
	static char buf[8192];
	struct vvp_plan_step *s;
	size_t n = 0;

	buf[0] = '\0';
	vvp_plan_step_foreach(plan, s) {
		if (states_only)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
				      n ? " " : "",
				      vvp_step_state_name(vvp_plan_step_get_state(s)));
		else
			n += snprintf(buf + n, sizeof(buf) - n,
				      "%s %s %s -> %s\n",
				      vvp_step_kind_name(vvp_plan_step_get_kind(s)),
				      vvp_plan_step_get_device(s),
				      vvp_plan_step_get_from(s),
				      vvp_plan_step_get_to(s));
	}
	return buf;
}

const char *fx_plan_text(struct vvp_plan *plan)
{
	return plan_as_text(plan, false);
}

const char *fx_plan_states(struct vvp_plan *plan)
{
	return plan_as_text(plan, true);
}

void fx_tree_state(struct fx *f, char *buf, size_t len)
{
	const char *pf = fake_tree_pf_address(f->t, 0);
	size_t n;

	n = snprintf(buf, len, "numvfs=%d autoprobe=%d",
		     fake_tree_get_int(f->t, pf, "sriov_numvfs"),
		     fake_tree_get_int(f->t, pf, "sriov_drivers_autoprobe"));
	for (int i = 0; i < fake_tree_total_vfs(f->t) && n < len; i++) {
		const char *a = fx_vf_addr(f, 0, i);
		char drv[64] = "", ovr[64] = "";

		if (!fake_tree_device_exists(f->t, a))
			continue;
		fake_tree_driver(f->t, a, drv, sizeof(drv));
		fake_tree_override(f->t, a, ovr, sizeof(ovr));
		n += snprintf(buf + n, len - n, " vf%d=%s/%s", i, drv, ovr);
	}
}

struct vvp_plan *fx_plan(struct fx *f, struct vvp_config *config)
{
	struct vvp_plan *plan = NULL;
	int rc = vvp_plan_new(config, fake_tree_pf_address(f->t, 0), NULL, &plan);

	if (rc < 0)
		print_error("vvp_plan_new: %s\n", vvp_get_last_error(f->ctx));
	assert_int_equal(rc, 0);
	return plan;
}
