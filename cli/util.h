/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _VVPCTL_UTIL_H_
#define _VVPCTL_UTIL_H_

#include <getopt.h>
#include <stdbool.h>

#include "advice.h"

struct vvp_ctx;

#define _printf_(a, b) __attribute__((format(printf, a, b)))

/* "Error: <msg>" on stderr; returns EXIT_USAGE for the caller to return */
int usage_error(const char *cmd, const char *fmt, ...) _printf_(2, 3);
/*
 * "Error: <library message>; <advice>" on stderr, for op failing with rc
 * (the library call's result); subject as advice() takes it. EXIT_FAIL.
 */
int op_error(struct vvp_ctx *ctx, enum op op, int rc, const char *subject);

/* a library failure, kept while later calls (a rollback) set their own */
struct failure {
	char msg[1024];
	int err;
	enum vvp_reason reason;
};
void failure_keep(struct vvp_ctx *ctx, int rc, struct failure *f);
/* "<prefix><message>; <advice>" on stderr */
void failure_print(const char *prefix, const struct failure *f, enum op op,
		   const char *subject);

/*
 * getopt_long without getopt's own messages: returns the option, -1 at
 * the end, or '?' after printing our usage error (the caller returns 2).
 */
int parse_opt(const char *cmd, int argc, char **argv, const char *shortopts,
	      const struct option *longopts);

/* unsigned number in [0, max]; false (and a usage error) otherwise */
bool parse_uint(const char *cmd, const char *opt, const char *arg,
		unsigned int max, unsigned int *val);

/* -j or -p, before or after the command: set it in gopts; false for others */
bool json_opt(int c);

/* -j, -p, -h: -1 to go on, else an exit code (after --help or misuse) */
int parse_json_opts(const char *cmd, const char *usage, int argc,
		    char **argv);

/* print "Usage: ..." to stdout (from --help) and return EXIT_OK */
int print_usage(const char *usage);

#endif
