// SPDX-License-Identifier: LGPL-2.1-or-later
/* Logging: a function and a priority on the context; VVP_LOG sets the level. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvvp-private.h"

static void log_stderr(struct vvp_ctx *ctx, int priority, const char *file,
		       int line, const char *fn, const char *format,
		       va_list args)
{
	fprintf(stderr, "libvvp: %s: ", fn);
	vfprintf(stderr, format, args);
}

/*
 * A syslog number 0-7 or a name, as ndctl's and kmod's log_priority()
 * take them (a name may go on: "debug7" is debug): the priority, or -1.
 */
static int log_priority(const char *priority)
{
	static const struct { const char *name; int prio; } names[] = {
		{ "err", LOG_ERR }, { "info", LOG_INFO },
		{ "debug", LOG_DEBUG }, { "notice", LOG_NOTICE },
	};
	char *endptr;
	long prio;

	errno = 0;
	prio = strtol(priority, &endptr, 10);
	if (endptr != priority && (endptr[0] == '\0' || isspace(endptr[0])))
		return !errno && prio >= LOG_EMERG && prio <= LOG_DEBUG ?
		       prio : -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(priority, names[i].name, strlen(names[i].name)) == 0)
			return names[i].prio;
	return -1;
}

int log_init(struct log_ctx *log, const char *owner, const char *env)
{
	const char *e;
	int prio;

	log->log_fn = log_stderr;
	log->log_priority = LOG_ERR;
	log->owner = owner;
	e = secure_getenv(env);
	/* empty is unset, as for the other variables */
	if (!e || !*e)
		return 0;
	prio = log_priority(e);
	if (prio < 0)
		return -EINVAL;
	log->log_priority = prio;
	return 0;
}

void vvp_log(struct vvp_ctx *ctx, int priority, const char *file, int line,
	     const char *fn, const char *format, ...)
{
	int saved_errno = errno;
	va_list args;

	va_start(args, format);
	ctx->log.log_fn(ctx, priority, file, line, fn, format, args);
	va_end(args);
	errno = saved_errno;
}

VVP_EXPORT void vvp_set_log_fn(struct vvp_ctx *ctx, vvp_log_fn log_fn)
{
	ctx->log.log_fn = log_fn ? log_fn : log_stderr;
}

VVP_EXPORT int vvp_get_log_priority(struct vvp_ctx *ctx)
{
	return ctx->log.log_priority;
}

VVP_EXPORT void vvp_set_log_priority(struct vvp_ctx *ctx, int priority)
{
	ctx->log.log_priority = priority;
}
