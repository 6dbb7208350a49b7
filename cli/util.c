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

void failure_keep(struct vvp_ctx *ctx, int rc, struct failure *f)
{
	const char *msg = vvp_get_last_error(ctx);

	snprintf(f->msg, sizeof(f->msg), "%s", *msg ? msg : "operation failed");
	f->err = rc;
	f->reason = vvp_get_last_reason(ctx);
}

void failure_print(const char *prefix, const struct failure *f, enum op op,
		   const char *subject)
{
	char what_to_do[256];

	advice(what_to_do, sizeof(what_to_do), op, f->err, f->reason, subject);
	fprintf(stderr, "%s%s; %s\n", prefix, f->msg, what_to_do);
}

int op_error(struct vvp_ctx *ctx, enum op op, int rc, const char *subject)
{
	struct failure f;

	failure_keep(ctx, rc, &f);
	failure_print("Error: ", &f, op, subject);
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

bool json_opt(int c)
{
	if (c == 'j')
		gopts.json = true;
	else if (c == 'p')
		gopts.json = gopts.pretty = true;
	else
		return false;
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
		if (json_opt(c))
			continue;
		return c == 'h' ? print_usage(usage) : EXIT_USAGE;
	}
	return -1;
}
