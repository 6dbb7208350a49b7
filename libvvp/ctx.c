// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library context: refcount, roots, timeout, last error. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvvp-private.h"

/* The directories a context works under: where, how to override, default */
enum root { ROOT_SYSFS, ROOT_PROC, ROOT_CONFIG, ROOT_RUN, NUM_ROOTS };

static const struct {
	size_t slot;		/* of its char * in struct vvp_ctx */
	const char *env;	/* read by vvp_new() */
	const char *dflt;
} roots[NUM_ROOTS] = {
	[ROOT_SYSFS] = { offsetof(struct vvp_ctx, sysfs_root),
			 "VVP_SYSFS_ROOT", "/sys" },
	[ROOT_PROC] = { offsetof(struct vvp_ctx, proc_root),
			"VVP_PROC_ROOT", "/proc" },
	[ROOT_CONFIG] = { offsetof(struct vvp_ctx, config_dir),
			  "VVP_CONFIG_DIR", SYSCONFDIR "/vvp" },
	[ROOT_RUN] = { offsetof(struct vvp_ctx, run_dir),
		       "VVP_RUN_DIR", "/run/vvp" },
};

static char **root_slot(struct vvp_ctx *ctx, enum root r)
{
	return (char **)((char *)ctx + roots[r].slot);
}

/* NULL or "" is the default; every cached object goes with the old root */
static int set_root(struct vvp_ctx *ctx, enum root r, const char *dir)
{
	char *copy;
	size_t len;

	if (!dir || !*dir)
		dir = roots[r].dflt;
	copy = strdup(dir);
	if (!copy)
		return -ENOMEM;
	/* "/sys/" and "/sys" name the same root; keep paths free of "//" */
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	free(*root_slot(ctx, r));
	*root_slot(ctx, r) = copy;
	vvp_refresh(ctx);
	return 0;
}

VVP_EXPORT int vvp_new(struct vvp_ctx **ctx)
{
	struct vvp_ctx *c;
	const char *env;
	int rc;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->refcount = 1;
	c->timeout_ms = VVP_DEFAULT_TIMEOUT_MS;
	/*
	 * A level that is no level is said, not taken for err silently, and
	 * the context is made all the same: a typo in a debugging knob must
	 * not stop the udev rule, the boot unit or the libvirt hook.
	 */
	if (log_init(&c->log, "libvvp", "VVP_LOG") < 0)
		err(c, "VVP_LOG=%.40s ignored (expected err, notice, info, debug or 0 to 7)\n",
		    secure_getenv("VVP_LOG"));

	rc = 0;
	for (enum root r = 0; r < NUM_ROOTS && rc == 0; r++)
		rc = set_root(c, r, secure_getenv(roots[r].env));
	if (rc < 0) {
		vvp_unref(c);
		return rc;
	}
	env = secure_getenv("VVP_TIMEOUT_MS");
	if (env && *env) {
		char *end;
		unsigned long ms;

		errno = 0;
		ms = strtoul(env, &end, 10);
		if (errno || *end || env[0] == '-' || ms > 3600000)
			err(c, "VVP_TIMEOUT_MS=%s ignored (expected 0 to 3600000 ms)\n",
			    env);
		else
			c->timeout_ms = ms;
	}

	info(c, "ctx %p created, sysfs root %s\n", c, c->sysfs_root);
	*ctx = c;
	return 0;
}

VVP_EXPORT struct vvp_ctx *vvp_ref(struct vvp_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

VVP_EXPORT struct vvp_ctx *vvp_unref(struct vvp_ctx *ctx)
{
	if (!ctx)
		return NULL;
	if (--ctx->refcount > 0)
		return ctx;
	pf_free_all(ctx);
	vfio_snapshot_free(ctx);
	pciids_free(ctx);
	owner_cache_free(ctx);
	vnl_free(ctx);
	for (enum root r = 0; r < NUM_ROOTS; r++)
		free(*root_slot(ctx, r));
	free(ctx);
	return NULL;
}

VVP_EXPORT void vvp_set_userdata(struct vvp_ctx *ctx, void *userdata)
{
	ctx->userdata = userdata;
}

VVP_EXPORT void *vvp_get_userdata(struct vvp_ctx *ctx)
{
	return ctx->userdata;
}

VVP_EXPORT const char *vvp_get_last_error(struct vvp_ctx *ctx)
{
	return ctx->errbuf;
}

VVP_EXPORT enum vvp_reason vvp_get_last_reason(struct vvp_ctx *ctx)
{
	return ctx->reason;
}

void vvp_clear_error(struct vvp_ctx *ctx)
{
	ctx->errbuf[0] = '\0';
	ctx->reason = VVP_REASON_NONE;
}

/*
 * Record "<what> (<why>)" and the reason for the caller, and return -err.
 * What to do is the calling program's to say: never name a vvpctl option
 * here.
 */
int vvp_refuse(struct vvp_ctx *ctx, enum vvp_reason reason, int errnum,
	       const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(ctx->errbuf, sizeof(ctx->errbuf), fmt, args);
	va_end(args);
	ctx->reason = reason;
	/* the caller reports it; log only for whoever asked for more */
	info(ctx, "%s\n", ctx->errbuf);
	return errnum > 0 ? -errnum : errnum;
}

void vvp_error_save(struct vvp_ctx *ctx, struct vvp_error *e)
{
	memcpy(e->msg, ctx->errbuf, sizeof(e->msg));
	e->reason = ctx->reason;
}

void vvp_error_restore(struct vvp_ctx *ctx, const struct vvp_error *e)
{
	memcpy(ctx->errbuf, e->msg, sizeof(ctx->errbuf));
	ctx->reason = e->reason;
}

/*
 * vvp_set_<name>() and vvp_get_<name>() for each root: vvp_set_sysfs_root(),
 * vvp_get_sysfs_root(), vvp_set_proc_root(), vvp_get_proc_root(),
 * vvp_set_config_dir(), vvp_get_config_dir(), vvp_set_run_dir() and
 * vvp_get_run_dir() (libvvp.h).
 */
#define ROOT_ACCESSORS(name, r)						\
	VVP_EXPORT int vvp_set_##name(struct vvp_ctx *ctx, const char *dir) \
	{								\
		return set_root(ctx, r, dir);				\
	}								\
	VVP_EXPORT const char *vvp_get_##name(struct vvp_ctx *ctx)	\
	{								\
		return *root_slot(ctx, r);				\
	}
ROOT_ACCESSORS(sysfs_root, ROOT_SYSFS)
ROOT_ACCESSORS(proc_root, ROOT_PROC)
ROOT_ACCESSORS(config_dir, ROOT_CONFIG)
ROOT_ACCESSORS(run_dir, ROOT_RUN)

VVP_EXPORT void vvp_set_timeout_ms(struct vvp_ctx *ctx, unsigned int timeout_ms)
{
	/* waits count in int milliseconds */
	ctx->timeout_ms = timeout_ms > INT_MAX ? INT_MAX : timeout_ms;
}

VVP_EXPORT unsigned int vvp_get_timeout_ms(struct vvp_ctx *ctx)
{
	return ctx->timeout_ms;
}

VVP_EXPORT void vvp_refresh(struct vvp_ctx *ctx)
{
	pf_free_all(ctx);
	vfio_snapshot_free(ctx);
	owner_cache_free(ctx);
	ctx->driver_seen[0] = '\0';
}

void vvp_set_sysfs_write_hook(struct vvp_ctx *ctx, vvp_sysfs_write_hook hook,
			      void *data)
{
	ctx->write_hook = hook;
	ctx->write_hook_data = data;
}
