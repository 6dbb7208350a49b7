// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvp_plan_apply() when things go wrong: a kernel error part-way (the PF
 * goes back exactly as it was), an apply killed part-way (its journal,
 * vvp_pf_recover()), steps already done by someone else, one-VF plans,
 * and plans that cannot be made.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plan-fx.h"

#define PF "0000:01:00.0"
#define V0 "0000:01:00.1"
#define V1 "0000:01:00.2"
#define V2 "0000:01:00.3"
/* the tree once fx_config(f, 4, "vfio-pci", 0) is applied */
#define APPLIED "numvfs=4 autoprobe=0 vf0=vfio-pci/vfio-pci " \
	"vf1=vfio-pci/vfio-pci vf2=vfio-pci/vfio-pci vf3=vfio-pci/vfio-pci"

/* VF 0 on nvme, VF 1 unbound, VF 2 on vfio-pci with its override */
static struct fx *start_mixed(void **state)
{
	struct fx *f = fx_start_vfs(state, 3, NULL);

	fake_tree_unbind(f->t, V1);
	fake_tree_unbind(f->t, V2);
	fake_tree_set_attr(f->t, V2, "driver_override", "vfio-pci\n");
	fake_tree_bind(f->t, V2, "vfio-pci");
	return f;
}

static bool journal_exists(struct fx *f)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/" PF ".journal",
		 vvp_get_run_dir(f->ctx));
	return access(path, F_OK) == 0;
}

/* plan config anew, apply it, and see the tree as configured */
static void assert_applies(struct fx *f, struct vvp_config *config)
{
	struct vvp_plan *plan = fx_plan(f, config);
	char now[4096];

	assert_int_equal(vvp_plan_apply(plan), 0);
	fx_tree_state(f, now, sizeof(now));
	assert_string_equal(now, APPLIED);
	vvp_plan_unref(plan);
}

static void test_rollback_third_bind(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_config *config = fx_config(f, 4, "vfio-pci", CFG_UNSET);
	struct vvp_plan *plan = fx_plan(f, config);
	char before[4096], after[4096];

	fx_tree_state(f, before, sizeof(before));
	fake_kernel_fail(f->k, "drivers_probe", V2, -EIO, 1);
	assert_int_equal(vvp_plan_apply(plan), -EIO);
	assert_msg(f->ctx, "step 4 of 5 failed: bind " PF "/2 none -> vfio-pci",
		   strerror(EIO), PF " was put back as it was before");
	assert_ptr_equal(vvp_plan_get_failed_step(plan),
			 &plan->steps[3]);
	assert_string_equal(fx_plan_states(plan),
			    "undone undone undone failed planned");
	assert_string_equal(fx_writes(f),
		PF "/sriov_drivers_autoprobe 0\n" PF "/sriov_numvfs 4\n"
		PF "/sriov_drivers_autoprobe 1\n"
		V0 "/driver_override vfio-pci\n" "drivers_probe " V0 "\n"
		V1 "/driver_override vfio-pci\n" "drivers_probe " V1 "\n"
		V2 "/driver_override vfio-pci\n" "drivers_probe " V2 " -> EIO\n"
		V2 "/driver_override \\n\n"
		PF "/sriov_drivers_autoprobe 0\n" PF "/sriov_numvfs 0\n"
		PF "/sriov_drivers_autoprobe 1\n");
	fx_tree_state(f, after, sizeof(after));
	assert_string_equal(after, before);
	assert_false(journal_exists(f));
	vvp_plan_unref(plan);
	vvp_config_unref(config);
}

/* every attribute the apply changed comes back: count, drivers, overrides, autoprobe */
static void test_rollback_mixed(void **state)
{
	struct fx *f = start_mixed(state);
	struct vvp_config *config = fx_config(f, 4, "vfio-pci", 0);
	struct vvp_plan *plan = fx_plan(f, config);
	char before[4096], after[4096];

	fx_tree_state(f, before, sizeof(before));
	assert_string_equal(before, "numvfs=3 autoprobe=1 vf0=nvme/ vf1=/ vf2=vfio-pci/vfio-pci");
	fake_kernel_fail(f->k, "drivers_probe", V2, -ENODEV, 1);
	assert_int_equal(vvp_plan_apply(plan), -ENODEV);
	assert_msg(f->ctx, "bind " PF "/2", strerror(ENODEV), "put back");
	fx_tree_state(f, after, sizeof(after));
	assert_string_equal(after, before);
	assert_false(journal_exists(f));
	/* and a retry without the fault gets there */
	vvp_plan_unref(plan);
	fx_clear(f);
	assert_applies(f, config);
	vvp_config_unref(config);
}

static void test_rollback_fails_too(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_config *config = fx_config(f, 4, "vfio-pci", CFG_UNSET);
	struct vvp_plan *plan = fx_plan(f, config);
	int pid;
	bool alive;

	fake_kernel_fail(f->k, "drivers_probe", V2, -EIO, 1);
	/* removing the 4 VFs again fails */
	fake_kernel_fail(f->k, "sriov_numvfs", "0", -EBUSY, 1);
	assert_int_equal(vvp_plan_apply(plan), -EIO);
	assert_msg(f->ctx, "step 4 of 5 failed", strerror(EIO),
		   "putting " PF " back failed too",
		   "cannot remove the 4 VFs", "journal stays");
	assert_true(journal_exists(f));
	assert_int_equal(vvp_pf_get_journal(fx_pf(f, 0), &pid, &alive), 0);
	assert_int_equal(pid, getpid());
	assert_true(alive);
	/* we wrote it and still run: not ours to undo, nor to overwrite */
	assert_int_equal(vvp_pf_recover(fx_pf(f, 0)), -EBUSY);
	fx_clear(f);
	assert_int_equal(vvp_plan_apply(plan), -EBUSY);
	assert_msg(f->ctx, "cannot apply to " PF, "journal");
	assert_string_equal(fx_writes(f), "");
	vvp_plan_unref(plan);
	vvp_config_unref(config);
}

/* the kernel model, killed with SIGKILL at its after-th write */
static int after;

static int crash_hook(struct vvp_ctx *ctx, const char *path, const char *value,
		      void *data)
{
	if (after-- == 0)
		raise(SIGKILL);
	return fake_kernel_write(ctx, path, value, data);
}

/* an apply in a child that dies at its n-th write; returns its pid */
static pid_t apply_killed_at(struct fx *f, struct vvp_config *config, int n)
{
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vvp_plan *plan = NULL;

		after = n;
		vvp_set_sysfs_write_hook(f->ctx, crash_hook, f->k);
		if (vvp_plan_new(config, PF, NULL, &plan) == 0)
			vvp_plan_apply(plan);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return pid;
}

static void crash_and_recover(void **state, int n, const char *half)
{
	struct fx *f = start_mixed(state);
	struct vvp_config *config = fx_config(f, 4, "vfio-pci", 0);
	char before[4096], now[4096];
	struct vvp_plan *plan;
	pid_t child;
	bool alive;
	int pid;

	fx_tree_state(f, before, sizeof(before));
	child = apply_killed_at(f, config, n);
	/* a new process: a new context, and a config read on it */
	vvp_config_unref(config);
	fx_reopen(f);
	config = fx_config(f, 4, "vfio-pci", 0);
	fx_tree_state(f, now, sizeof(now));
	assert_string_equal(now, half);
	assert_int_equal(vvp_pf_get_journal(fx_pf(f, 0), &pid, &alive), 0);
	assert_int_equal(pid, child);
	assert_false(alive);
	/* a new apply must not start over its journal */
	plan = fx_plan(f, config);
	assert_int_equal(vvp_plan_apply(plan), -EBUSY);
	assert_msg(f->ctx, "interrupted apply", "process");
	vvp_plan_unref(plan);
	assert_string_equal(fx_writes(f), "");
	assert_int_equal(vvp_pf_recover(fx_pf(f, 0)), 1);
	fx_tree_state(f, now, sizeof(now));
	assert_string_equal(now, before);
	assert_false(journal_exists(f));
	assert_int_equal(vvp_pf_recover(fx_pf(f, 0)), 0);
	/* then it applies as usual */
	assert_applies(f, config);
	vvp_config_unref(config);
}

/* killed between removing the VFs and creating them: autoprobe is off */
static void test_killed_in_the_count(void **state)
{
	crash_and_recover(state, 2, "numvfs=0 autoprobe=0");
}

/* killed among the binds */
static void test_killed_among_binds(void **state)
{
	crash_and_recover(state, 6,
			  "numvfs=4 autoprobe=0 vf0=vfio-pci/vfio-pci vf1=/vfio-pci vf2=/ vf3=/");
}

/* write TEXT as PF's journal, its path into PATH (size PATH_MAX) */
static void write_journal(struct fx *f, const char *text, char *path)
{
	FILE *fp;

	assert_int_equal(run_path(f->ctx, PF, "journal", path, PATH_MAX), 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* a journal that is not one: refused, left for a person to look at */
static void test_bad_journal(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	char path[PATH_MAX];

	write_journal(f, "something else\n", path);
	assert_int_equal(vvp_pf_recover(fx_pf(f, 0)), -EINVAL);
	assert_msg(f->ctx, path, "not a journal");
	assert_true(journal_exists(f));
	assert_string_equal(fx_writes(f), "");
}

/*
 * An MTU over what the kernel's u32 holds was cut down to 32 bits and put
 * back on the member as another MTU: refused, the line named.
 */
static void test_journal_mtu_too_big(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	char path[PATH_MAX];

	write_journal(f, "vvp-journal 1\npid 2147483647 1\npf " PF "\nnum_vfs -1\n"
		      "autoprobe -1\nmember 0 mac=02:00:00:00:00:01\n"
		      "member 1 mtu=4294968796\n", path);
	assert_int_equal(vvp_pf_recover(fx_pf(f, 0)), -EINVAL);
	assert_msg(f->ctx, path, "not a journal vvp wrote",
		   "line 7: mtu '4294968796' is not a number from 0 to 4294967295");
	assert_true(journal_exists(f));
	assert_string_equal(fx_writes(f), "");
}

/* what is already so when its turn comes is skipped, not written */
static void test_step_already_done(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	struct vvp_config *config = fx_config(f, CFG_UNSET, "vfio-pci", CFG_UNSET);
	struct vvp_plan *plan = fx_plan(f, config);

	assert_int_equal(vvp_plan_get_num_steps(plan), 2);
	fake_tree_unbind(f->t, V0);
	fake_tree_set_attr(f->t, V0, "driver_override", "vfio-pci\n");
	fake_tree_bind(f->t, V0, "vfio-pci");
	assert_int_equal(vvp_plan_apply(plan), 0);
	assert_string_equal(fx_plan_states(plan), "skipped done");
	assert_string_equal(fx_writes(f),
		V1 "/driver_override vfio-pci\n"
		"drivers/nvme/unbind " V1 "\n"
		"drivers_probe " V1 "\n");
	vvp_plan_unref(plan);
	vvp_config_unref(config);
}

/* --vf, the udev path: that VF's steps only, whatever the count says */
static void test_one_vf(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	struct vvp_config *config = fx_config(f, 4, "vfio-pci", 0);
	struct vvp_plan *plan = NULL;
	char s[4096];

	assert_int_equal(vvp_plan_new(config, PF, V1, &plan), 0);
	assert_string_equal(fx_plan_text(plan), "bind " V1 " nvme -> vfio-pci\n");
	assert_int_equal(vvp_plan_apply(plan), 0);
	fx_tree_state(f, s, sizeof(s));
	assert_string_equal(s, "numvfs=2 autoprobe=1 vf0=nvme/ vf1=vfio-pci/vfio-pci");
	vvp_plan_unref(plan);
	assert_int_equal(vvp_plan_new(config, PF, V1, &plan), 0);
	assert_int_equal(vvp_plan_get_num_steps(plan), 0);
	vvp_plan_unref(plan);
	plan = NULL;
	assert_int_equal(vvp_plan_new(config, PF, PF, &plan), -EOPNOTSUPP);
	assert_null(plan);
	vvp_config_unref(config);
}

static void test_vf_of_another_pf(void **state)
{
	struct fx *f = fx_start_pfs(state, 2, 8, 1);
	struct vvp_config *config = fx_config(f, 1, "vfio-pci", CFG_UNSET);
	struct vvp_plan *plan = NULL;

	assert_int_equal(vvp_plan_new(config, PF, fx_vf_addr(f, 1, 0), &plan),
			 -EINVAL);
	assert_msg(f->ctx, fx_vf_addr(f, 1, 0), "a VF of 0000:02:00.0");
	assert_null(plan);
	vvp_config_unref(config);
}

static void test_pf_missing(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_config *config = config_new(f->ctx);
	struct vvp_plan *plan = NULL;

	config_add_pf(config, "0000:0a:00.0", "test.conf", 1)->num_vfs = 2;
	assert_int_equal(vvp_plan_new(config, "0000:0a:00.0", NULL, &plan),
			 -ENODEV);
	assert_msg(f->ctx, "0000:0a:00.0 not found");
	assert_null(plan);
	vvp_config_unref(config);
}

static void test_pf_not_configured(void **state)
{
	struct fx *f = fx_start_pfs(state, 2, 8, 0);
	struct vvp_config *config = fx_config(f, 1, NULL, CFG_UNSET);
	struct vvp_plan *plan = NULL;

	assert_int_equal(vvp_plan_new(config, "0000:02:00.0", NULL, &plan),
			 -ENOENT);
	assert_msg(f->ctx, "no [pf 0000:02:00.0] section");
	vvp_config_unref(config);
}

/* provisioning needs vvp.ko, which a build host does not have loaded */
static void test_provision_needs_module(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	struct vvp_config *config = fx_config(f, CFG_UNSET, NULL, CFG_UNSET);
	struct vvp_plan *plan = NULL;

	config_pf_add_vf(&config->pfs[0], 1, "test.conf", 5)->mtu = 9000;
	assert_true(vvp_plan_new(config, PF, NULL, &plan) < 0);
	assert_msg(f->ctx, "vvp");
	assert_null(plan);
	assert_string_equal(fx_writes(f), "");
	vvp_config_unref(config);
}

int main(void)
{
#define T(fn) FX_TEST(fn)
	const struct CMUnitTest tests[] = {
		T(test_rollback_third_bind),
		T(test_rollback_mixed),
		T(test_rollback_fails_too),
		T(test_killed_in_the_count),
		T(test_killed_among_binds),
		T(test_bad_journal),
		T(test_journal_mtu_too_big),
		T(test_step_already_done),
		T(test_one_vf),
		T(test_vf_of_another_pf),
		T(test_pf_missing),
		T(test_pf_not_configured),
		T(test_provision_needs_module),
	};

	return cmocka_run_group_tests_name("apply", tests, NULL, NULL);
}
