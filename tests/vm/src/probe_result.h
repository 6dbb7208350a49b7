/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe_result.h - the check lines of the VM suite's test programs:
 * "ok - what" or "not ok - what", each becoming a check of the scenario
 * (lib.sh probe_checks); failures counts the "not ok" ones.
 */
#ifndef VVP_PROBE_RESULT_H
#define VVP_PROBE_RESULT_H

#include <stdarg.h>
#include <stdio.h>

static int failures, checks;
static int narrate;	/* only failed checks are printed (legacy_probe --narrate) */

static void result(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	failures += !ok;
	if (narrate && ok)
		return;
	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

#endif
