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

static int log_priority(const char *priority)
{
	char *endptr;
	long prio;

	prio = strtol(priority, &endptr, 10);
	if (endptr[0] == '\0' || isspace(endptr[0]))
		return prio;
	if (strncmp(priority, "err", 3) == 0)
		return LOG_ERR;
	if (strncmp(priority, "info", 4) == 0)
		return LOG_INFO;
	if (strncmp(priority, "debug", 5) == 0)
		return LOG_DEBUG;
	if (strncmp(priority, "notice", 6) == 0)
		return LOG_NOTICE;
	return LOG_ERR;
}

void log_init(struct log_ctx *log, const char *owner, const char *env)
{
	const char *e;

	log->log_fn = log_stderr;
	log->log_priority = LOG_ERR;
	log->owner = owner;
	e = secure_getenv(env);
	if (e)
		log->log_priority = log_priority(e);
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
