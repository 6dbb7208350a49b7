// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl's option parsing (cli/util.c, cli/lock.c): the input is an
 * argument vector, NUL-separated, through parse_opt() with a table of
 * the kinds of options the commands have (long with a value, long
 * without, short), each value through the parser its command uses
 * (parse_uint(), parse_wait(), vvp_parse_mac(), vvp_parse_features()),
 * then the same vector through parse_json_opts(). The usage errors go to
 * /dev/null; ASan and UBSan report on fd 2 all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "util.h"
#include "fuzz.h"

#define MAX_ARGS 64

/* vvpctl.c has it; the harness is the program here */
struct global_opts gopts;

static struct vvp_ctx *ctx;

enum { OPT_MAC = 256, OPT_MTU, OPT_FEATURES, OPT_WAIT, OPT_FORCE };

static const struct option opts[] = {
	{ "mac", required_argument, NULL, OPT_MAC },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static void take(int c)
{
	unsigned char mac[6];
	uint64_t set, clear;
	unsigned int v;
	int ms;

	switch (c) {
	case OPT_MAC:
		vvp_parse_mac(optarg, mac);
		break;
	case OPT_MTU:
		parse_uint("provision", "--mtu", optarg, 65535, &v);
		break;
	case OPT_FEATURES:
		vvp_parse_features(ctx, optarg, &set, &clear);
		break;
	case OPT_WAIT:
		if (parse_wait("provision", optarg, &ms) && ms < 0)
			abort();
		break;
	default:
		json_opt(c);
	}
}

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
	int argc, c;

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
	while ((c = parse_opt("provision", argc, argv, "jh", opts)) != -1 &&
	       c != '?')
		take(c);
	optind = 0;
	parse_json_opts("show", "usage\n", argc, copy);
	memset(&gopts, 0, sizeof(gopts));
	free(s);
	return 0;
}
