// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "util.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list args;

	fputs("Error: ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "; see vvpctl %s%s--help\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

int op_error(struct vvp_ctx *ctx)
{
	const char *msg = vvp_get_last_error(ctx);

	fprintf(stderr, "Error: %s\n", *msg ? msg : "operation failed");
	return EXIT_FAIL;
}

int parse_opt(const char *cmd, int argc, char **argv, const char *shortopts,
	      const struct option *longopts)
{
	int c, idx = -1;
	char opts[64];

	/* a leading ':' makes getopt tell a missing value (':') from '?' */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, &idx);
	if (c != '?' && c != ':' && idx >= 0) {
		/* getopt takes "--drive" for "--driver"; we take exact names */
		const char *o = argv[optind - 1];
		size_t len;

		if (optarg && optarg == argv[optind - 1] && optind >= 2)
			o = argv[optind - 2];
		len = strcspn(o + 2, "=");
		if (strlen(longopts[idx].name) != len) {
			usage_error(cmd, "unknown option '%.*s' (did you mean --%s?)",
				    (int)len + 2, o, longopts[idx].name);
			return '?';
		}
	}
	if (c == ':')
		usage_error(cmd, "option '%s' needs a value (missing argument)",
			    argv[optind - 1]);
	else if (c == '?' && optopt)
		usage_error(cmd, "unknown option '-%c' (not an option of vvpctl %s)",
			    optopt, cmd);
	else if (c == '?')
		usage_error(cmd, "unknown option '%s' (not an option of vvpctl %s)",
			    argv[optind - 1], cmd);
	return c == ':' ? '?' : c;
}

bool parse_uint(const char *cmd, const char *opt, const char *arg,
		unsigned int max, unsigned int *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || v > max) {
		usage_error(cmd, "invalid value '%s' for %s (expected a number from 0 to %u)",
			    arg, opt, max);
		return false;
	}
	*val = v;
	return true;
}

int print_usage(const char *usage)
{
	fputs(usage, stdout);
	return EXIT_OK;
}

static const struct option json_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

bool take_json_opt(int c)
{
	if (c != 'j' && c != 'p')
		return false;
	gopts.json = true;
	if (c == 'p')
		gopts.pretty = true;
	return true;
}

/*
 * -j/-p/-h, for every command that prints objects: -1 to go on, else
 * the exit code to return (after --help, or a usage error)
 */
int parse_json_opts(const char *cmd, const char *usage, int argc,
			   char **argv)
{
	int c;

	while ((c = parse_opt(cmd, argc, argv, "jph", json_opts)) != -1) {
		if (take_json_opt(c))
			continue;
		switch (c) {
		case 'h':
			return print_usage(usage);
		default:
			return EXIT_USAGE;
		}
	}
	return -1;
}
