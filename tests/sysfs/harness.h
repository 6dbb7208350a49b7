/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every sysfs test needs: a fresh tree in $TMPDIR, the fake kernel as
 * the context's write hook, a context on both roots, and the library's log
 * captured. Use with cmocka_unit_test_setup_teardown(test, fx_setup,
 * fx_teardown); a test calls fx_start() with the tree it wants, and the
 * teardown removes it even when an assertion failed.
 */
#ifndef _HARNESS_H_
#define _HARNESS_H_

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "libvvp-private.h"
#include "fake-kernel.h"
#include "fake-tree.h"

struct fx {
	struct fake_tree *t;
	struct fake_kernel *k;
	struct vvp_ctx *ctx;
	char log[16384];	/* what the library logged */
};

int fx_setup(void **state);
int fx_teardown(void **state);
/* a test on the fixture, for the test list */
#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
/* build the tree (NULL: defaults) and the context; asserts on failure */
struct fx *fx_start(void **state, const struct fake_tree_opts *o);
/* one PF with initial VFs, each on vf_driver (NULL: the default) */
struct fx *fx_start_vfs(void **state, int initial, const char *vf_driver);
/* num_pfs PFs of total_vfs each, initial VFs on their default driver */
struct fx *fx_start_pfs(void **state, int num_pfs, int total_vfs, int initial);
/* the options fx_start_vfs() uses, for a test to add to */
void fx_opts_vfs(struct fake_tree_opts *o, int initial, const char *vf_driver);

struct vvp_pf *fx_pf(struct fx *f, int pf);
struct vvp_vf *fx_vf(struct fx *f, int pf, int i);
/* address of VF i of PF pf, in a static buffer (one of four) */
const char *fx_vf_addr(struct fx *f, int pf, int i);
/*
 * A call's result rc was success: 0, no message left, and the fake
 * kernel's log is exactly writes.
 */
void fx_assert_done(struct fx *f, int rc, const char *writes);
/* the fake kernel's log since the last fx_clear() */
const char *fx_writes(struct fx *f);
void fx_clear(struct fx *f);
/* a fresh context on the same tree, as a new vvpctl would have */
void fx_reopen(struct fx *f);

/*
 * The last error is "<what> (<why>)", names no vvpctl option (what to do
 * is the calling program's to say), and contains every needle
 * (NULL-terminated).
 */
void fx_assert_msg(struct vvp_ctx *ctx, const char *file, int line, ...);
#define assert_msg(ctx, ...) \
	fx_assert_msg(ctx, __FILE__, __LINE__, __VA_ARGS__, NULL)

#endif
