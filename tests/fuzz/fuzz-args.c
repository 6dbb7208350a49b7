// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl's option parsing (cli/provision_args.c, cli/util.c, cli/lock.c):
 * the input is an argument vector, NUL-separated, through vvpctl
 * provision's own parser, provision_parse_args() (its option table,
 * parse_opt(), parse_uint(), parse_wait(), vvp_parse_mac(),
 * vvp_parse_features()), then the same vector through parse_json_opts().
 * The usage errors and --help go to /dev/null; ASan and UBSan report on
 * fd 2 all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "provision_args.h"
#include "util.h"
#include "fuzz.h"

#define MAX_ARGS 64

/* vvpctl.c has it; the harness is the program here */
struct global_opts gopts;

static struct vvp_ctx *ctx;

/* argv from the input: "vvpctl" and then each NUL-separated string */
static int split(char *s, size_t size, char **argv)
{
	int argc = 0;

	argv[argc++] = "provision";
	for (size_t i = 0; i < size && argc < MAX_ARGS; ) {
		argv[argc++] = s + i;
		i += strlen(s + i) + 1;
	}
	argv[argc] = NULL;
	return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *argv[MAX_ARGS + 1], *copy[MAX_ARGS + 1];
	struct prov_opts o = { .wait_ms = LOCK_WAIT_DEFAULT_S * 1000 };
	int argc;

	if (!ctx) {
		if (vvp_new(&ctx) < 0)
			return 0;
		/* the messages are not what is tested; fd 2 stays */
		stderr = fopen("/dev/null", "w");
		stdout = stderr;
		if (!stderr)
			abort();
	}
	s = fuzz_strndup(data, size);
	argc = split(s, size, argv);
	/* getopt permutes argv: the second pass gets its own copy */
	memcpy(copy, argv, sizeof(argv));

	/* 0 restarts getopt, the way a new process would */
	optind = 0;
	/* a --wait that parse_wait() took must not be negative (no limit) */
	if (provision_parse_args(argc, argv, ctx, &o) < 0 && o.wait_ms < 0)
		abort();
	optind = 0;
	parse_json_opts("show", "usage\n", argc, copy);
	memset(&gopts, 0, sizeof(gopts));
	free(s);
	return 0;
}
