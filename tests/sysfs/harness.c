// SPDX-License-Identifier: GPL-2.0-or-later
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void capture_log(struct vvp_ctx *ctx, int priority, const char *file,
			int line, const char *fn, const char *format,
			va_list args)
{
	struct fx *f = vvp_get_userdata(ctx);
	size_t n = strlen(f->log);

	if (n < sizeof(f->log) - 1)
		vsnprintf(f->log + n, sizeof(f->log) - n, format, args);
}

int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (f) {
		vvp_unref(f->ctx);
		fake_kernel_free(f->k);
		fake_tree_destroy(f->t);
		free(f);
	}
	*state = NULL;
	return 0;
}

static void open_ctx(struct fx *f)
{
	char run[PATH_MAX];

	vvp_unref(f->ctx);
	f->ctx = NULL;
	assert_int_equal(vvp_new(&f->ctx), 0);
	vvp_set_userdata(f->ctx, f);
	vvp_set_log_fn(f->ctx, capture_log);
	vvp_set_log_priority(f->ctx, LOG_INFO);
	assert_int_equal(vvp_set_sysfs_root(f->ctx, fake_tree_sysfs(f->t)), 0);
	assert_int_equal(vvp_set_proc_root(f->ctx, fake_tree_proc(f->t)), 0);
	/* locks and journals next to the tree, never in /run/vvp */
	snprintf(run, sizeof(run), "%s/run", fake_tree_dir(f->t));
	assert_int_equal(vvp_set_run_dir(f->ctx, run), 0);
	vvp_set_sysfs_write_hook(f->ctx, fake_kernel_write, f->k);
}

struct fx *fx_start(void **state, const struct fake_tree_opts *o)
{
	struct fx *f = *state;

	assert_int_equal(fake_tree_new(o, &f->t), 0);
	f->k = fake_kernel_new(f->t);
	assert_non_null(f->k);
	open_ctx(f);
	return f;
}

void fx_reopen(struct fx *f)
{
	open_ctx(f);
}

struct vvp_pf *fx_pf(struct fx *f, int pf)
{
	struct vvp_pf *p = NULL;

	assert_int_equal(vvp_pf_find(f->ctx, fake_tree_pf_address(f->t, pf), &p), 0);
	return p;
}

const char *fx_vf_addr(struct fx *f, int pf, int i)
{
	static char bufs[4][16];
	static int next;
	char *b = bufs[next++ % 4];

	fake_tree_vf_address(f->t, pf, i, b);
	return b;
}

struct vvp_vf *fx_vf(struct fx *f, int pf, int i)
{
	struct vvp_vf *v = NULL;

	assert_int_equal(vvp_vf_find(f->ctx, fx_vf_addr(f, pf, i), &v), 0);
	return v;
}

void fx_assert_done(struct fx *f, int rc, const char *writes)
{
	assert_int_equal(rc, 0);
	assert_string_equal(vvp_get_last_error(f->ctx), "");
	assert_string_equal(fx_writes(f), writes);
}

const char *fx_writes(struct fx *f)
{
	return fake_kernel_log(f->k);
}

void fx_clear(struct fx *f)
{
	fake_kernel_clear_log(f->k);
}

void fx_assert_msg(struct vvp_ctx *ctx, const char *file, int line, ...)
{
	const char *msg = vvp_get_last_error(ctx);
	size_t len = strlen(msg);
	const char *needle;
	va_list ap;

	if (!strstr(msg, " (") || len == 0 || msg[len - 1] != ')' ||
	    strstr(msg, "vvpctl") || strstr(msg, " --")) {
		print_error("%s:%d: message \"%s\" is not \"<what> (<why>)\" without advice\n",
			    file, line, msg);
		fail();
	}
	va_start(ap, line);
	while ((needle = va_arg(ap, const char *))) {
		if (!strstr(msg, needle)) {
			print_error("%s:%d: message \"%s\" lacks \"%s\"\n",
				    file, line, msg, needle);
			va_end(ap);
			fail();
		}
	}
	va_end(ap);
}

void fx_opts_vfs(struct fake_tree_opts *o, int initial, const char *vf_driver)
{
	fake_tree_opts_init(o);
	o->initial_vfs = initial;
	o->vf_driver = vf_driver;
}

struct fx *fx_start_pfs(void **state, int num_pfs, int total_vfs, int initial)
{
	struct fake_tree_opts o;

	fake_tree_opts_init(&o);
	o.num_pfs = num_pfs;
	o.total_vfs = total_vfs;
	o.initial_vfs = initial;
	return fx_start(state, &o);
}

struct fx *fx_start_vfs(void **state, int initial, const char *vf_driver)
{
	struct fake_tree_opts o;

	fx_opts_vfs(&o, initial, vf_driver);
	return fx_start(state, &o);
}
