/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A context on the default roots, for unit tests that call the library
 * but need no tree: cmocka_unit_test_setup_teardown(test, setup_ctx,
 * teardown_ctx), and the test's *state is the context.
 */
#ifndef _CTX_FIXTURE_H_
#define _CTX_FIXTURE_H_

#include <libvvp.h>

static inline int setup_ctx(void **state)
{
	struct vvp_ctx *ctx;

	if (vvp_new(&ctx) < 0)
		return -1;
	*state = ctx;
	return 0;
}

static inline int teardown_ctx(void **state)
{
	vvp_unref(*state);
	return 0;
}

#endif
