// SPDX-License-Identifier: GPL-2.0-or-later
/* The context: refcount, log, VVP_LOG, last error, roots, timeout, refresh */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static void clean_env(void)
{
	unsetenv("VVP_SYSFS_ROOT");
	unsetenv("VVP_PROC_ROOT");
	unsetenv("VVP_LOG");
	unsetenv("VVP_TIMEOUT_MS");
}

static void test_new_ref_unref(void **state)
{
	struct vvp_ctx *ctx = NULL;
	int data;

	clean_env();
	assert_int_equal(vvp_new(&ctx), 0);
	assert_non_null(ctx);
	assert_string_equal(vvp_get_last_error(ctx), "");
	assert_null(vvp_get_userdata(ctx));
	vvp_set_userdata(ctx, &data);
	assert_ptr_equal(vvp_get_userdata(ctx), &data);
	assert_ptr_equal(vvp_ref(ctx), ctx);
	assert_ptr_equal(vvp_unref(ctx), ctx);	/* one reference left */
	assert_null(vvp_unref(ctx));		/* freed (valgrind/ASan tell) */
	assert_null(vvp_ref(NULL));
	assert_null(vvp_unref(NULL));
}

static void test_defaults(void **state)
{
	struct vvp_ctx *ctx;

	clean_env();
	assert_int_equal(vvp_new(&ctx), 0);
	assert_string_equal(vvp_get_sysfs_root(ctx), "/sys");
	assert_string_equal(vvp_get_proc_root(ctx), "/proc");
	assert_int_equal(vvp_get_timeout_ms(ctx), 30000);
	assert_int_equal(vvp_get_log_priority(ctx), LOG_ERR);
	vvp_unref(ctx);
}

static void test_env(void **state)
{
	struct vvp_ctx *ctx;

	clean_env();
	setenv("VVP_SYSFS_ROOT", "/tmp/x/sys//", 1);
	setenv("VVP_PROC_ROOT", "/tmp/x/proc", 1);
	setenv("VVP_TIMEOUT_MS", "1500", 1);
	assert_int_equal(vvp_new(&ctx), 0);
	/* trailing slashes go: paths stay free of "//" */
	assert_string_equal(vvp_get_sysfs_root(ctx), "/tmp/x/sys");
	assert_string_equal(vvp_get_proc_root(ctx), "/tmp/x/proc");
	assert_int_equal(vvp_get_timeout_ms(ctx), 1500);
	vvp_unref(ctx);
	/* empty means unset */
	setenv("VVP_SYSFS_ROOT", "", 1);
	setenv("VVP_TIMEOUT_MS", "", 1);
	assert_int_equal(vvp_new(&ctx), 0);
	assert_string_equal(vvp_get_sysfs_root(ctx), "/sys");
	assert_int_equal(vvp_get_timeout_ms(ctx), 30000);
	vvp_unref(ctx);
	clean_env();
}

/* vvp_new() under VVP_LOG=env: its priority, what it said in said */
static int new_with_log(const char *env, char *said, size_t len)
{
	FILE *f = tmpfile();
	int saved = dup(2), prio;
	struct vvp_ctx *ctx;
	size_t n;

	assert_non_null(f);
	clean_env();
	setenv("VVP_LOG", env, 1);
	fflush(stderr);
	dup2(fileno(f), 2);
	assert_int_equal(vvp_new(&ctx), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(said, 1, len - 1, f);
	said[n] = '\0';
	fclose(f);
	prio = vvp_get_log_priority(ctx);
	vvp_unref(ctx);
	return prio;
}

static void test_vvp_log(void **state)
{
	static const struct { const char *env; int prio; } cases[] = {
		{ "debug", LOG_DEBUG }, { "info", LOG_INFO }, { "err", LOG_ERR },
		{ "notice", LOG_NOTICE }, { "7", LOG_DEBUG }, { "3", LOG_ERR },
		{ "6\n", LOG_INFO }, { "0", LOG_EMERG }, { "debug7", LOG_DEBUG },
		{ "", LOG_ERR },
	};
	/* each is LOG_ERR, and said: never taken for a level silently */
	static const char *const bad[] = {
		"garbage", "8", "-5", "99999999999999999999", " ", "e", "7x",
	};
	char said[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int prio = new_with_log(cases[i].env, said, sizeof(said));

		if (prio != cases[i].prio || strstr(said, "VVP_LOG")) {
			print_error("VVP_LOG=%s gave %d, said '%s'\n",
				    cases[i].env, prio, said);
			fail();
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char want[128];
		int prio = new_with_log(bad[i], said, sizeof(said));

		snprintf(want, sizeof(want), "VVP_LOG=%s ignored (expected err, notice, info, debug or 0 to 7)\n",
			 bad[i]);
		if (prio != LOG_ERR || !strstr(said, want)) {
			print_error("VVP_LOG=%s gave %d, said '%s'\n", bad[i],
				    prio, said);
			fail();
		}
	}
	clean_env();
}

static char logged[4096];
static int logged_prio;

static void log_fn(struct vvp_ctx *ctx, int priority, const char *file,
		   int line, const char *fn, const char *format, va_list args)
{
	size_t n = strlen(logged);

	logged_prio = priority;
	vsnprintf(logged + n, sizeof(logged) - n, format, args);
}

static void test_log_fn(void **state)
{
	struct fx *f = fx_start(state, NULL);
	struct vvp_pf *pf;

	vvp_set_log_fn(f->ctx, log_fn);
	vvp_set_log_priority(f->ctx, LOG_ERR);
	assert_int_equal(vvp_get_log_priority(f->ctx), LOG_ERR);
	logged[0] = '\0';
	/* a failure is logged at info: not at err level */
	assert_int_equal(vvp_pf_find(f->ctx, "0000:0a:00.0", &pf), -ENODEV);
	assert_string_equal(logged, "");
	vvp_set_log_priority(f->ctx, LOG_INFO);
	assert_int_equal(vvp_pf_find(f->ctx, "0000:0a:00.0", &pf), -ENODEV);
	assert_non_null(strstr(logged, "0000:0a:00.0 not found"));
	assert_int_equal(logged_prio, LOG_INFO);
	/* NULL puts stderr back; nothing must crash */
	vvp_set_log_fn(f->ctx, NULL);
	vvp_set_log_priority(f->ctx, LOG_ERR);
	assert_int_equal(vvp_pf_find(f->ctx, "0000:0a:00.0", &pf), -ENODEV);
}

static void test_last_error(void **state)
{
	struct fx *f = fx_start(state, NULL);
	struct vvp_pf *pf;

	assert_string_equal(vvp_get_last_error(f->ctx), "");
	assert_int_equal(vvp_pf_find(f->ctx, "bogus", &pf), -EINVAL);
	assert_msg(f->ctx, "'bogus' is not a PCI address");
	/* the next call that succeeds clears it */
	assert_int_equal(vvp_pf_find(f->ctx, "0000:01:00.0", &pf), 0);
	assert_string_equal(vvp_get_last_error(f->ctx), "");
	assert_int_equal(vvp_pf_find(f->ctx, NULL, &pf), -EINVAL);
	assert_msg(f->ctx, "'' is not a PCI address");
}

static void test_roots(void **state)
{
	struct fx *f = fx_start(state, NULL);
	char with_slash[PATH_MAX];
	struct vvp_pf *pf;

	assert_string_equal(vvp_get_sysfs_root(f->ctx), fake_tree_sysfs(f->t));
	assert_string_equal(vvp_get_proc_root(f->ctx), fake_tree_proc(f->t));
	assert_non_null(vvp_pf_get_first(f->ctx));
	/* another root: nothing there, and nothing cached from the old one */
	assert_int_equal(vvp_set_sysfs_root(f->ctx, fake_tree_proc(f->t)), 0);
	assert_null(vvp_pf_get_first(f->ctx));
	assert_int_equal(vvp_pf_find(f->ctx, "0000:01:00.0", &pf), -ENODEV);
	snprintf(with_slash, sizeof(with_slash), "%s/", fake_tree_sysfs(f->t));
	assert_int_equal(vvp_set_sysfs_root(f->ctx, with_slash), 0);
	assert_string_equal(vvp_get_sysfs_root(f->ctx), fake_tree_sysfs(f->t));
	assert_non_null(vvp_pf_get_first(f->ctx));
	/* NULL and "" mean the default */
	assert_int_equal(vvp_set_sysfs_root(f->ctx, NULL), 0);
	assert_string_equal(vvp_get_sysfs_root(f->ctx), "/sys");
	assert_int_equal(vvp_set_proc_root(f->ctx, ""), 0);
	assert_string_equal(vvp_get_proc_root(f->ctx), "/proc");
	assert_int_equal(vvp_set_sysfs_root(f->ctx, "/"), 0);
	assert_string_equal(vvp_get_sysfs_root(f->ctx), "/");
}

static void test_timeout(void **state)
{
	struct fx *f = fx_start(state, NULL);

	vvp_set_timeout_ms(f->ctx, 250);
	assert_int_equal(vvp_get_timeout_ms(f->ctx), 250);
	vvp_set_timeout_ms(f->ctx, 0);
	assert_int_equal(vvp_get_timeout_ms(f->ctx), 0);
}

static void test_refresh(void **state)
{
	struct vvp_pf *pf;
	struct vvp_vf *vf;
	struct fx *f;
	int n = 0;

	f = fx_start_vfs(state, 2, NULL);
	pf = fx_pf(f, 0);
	vvp_vf_foreach(pf, vf)
		n++;
	assert_int_equal(n, 2);
	/* a change behind the library's back: cached until a refresh */
	fake_tree_bind(f->t, fx_vf_addr(f, 0, 1), "vfio-pci");
	vf = fx_vf(f, 0, 1);
	assert_string_equal(vvp_vf_get_driver(vf), "nvme");
	vvp_refresh(f->ctx);
	assert_string_equal(vvp_vf_get_driver(fx_vf(f, 0, 1)), "vfio-pci");
	/* the PF list too */
	fake_tree_unbind(f->t, "0000:01:00.0");
	assert_string_equal(vvp_pf_get_driver(fx_pf(f, 0)), "nvme");
	vvp_refresh(f->ctx);
	assert_null(vvp_pf_get_driver(fx_pf(f, 0)));
	/* live values are read live */
	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_drivers_autoprobe", "0\n");
	assert_int_equal(vvp_pf_get_autoprobe(fx_pf(f, 0)), 0);
	assert_ptr_equal(vvp_pf_get_ctx(fx_pf(f, 0)), f->ctx);
	assert_string_equal(fx_writes(f), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_ref_unref),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_vvp_log),
		FX_TEST(test_log_fn),
		FX_TEST(test_last_error),
		FX_TEST(test_roots),
		FX_TEST(test_timeout),
		FX_TEST(test_refresh),
	};

	return cmocka_run_group_tests_name("ctx", tests, NULL, NULL);
}
