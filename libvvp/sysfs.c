// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysfs access. Every path is built from ctx->sysfs_root, so the whole
 * library runs unchanged on a generated tree (VVP_SYSFS_ROOT).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvvp-private.h"

int sysfs_path(struct vvp_ctx *ctx, char *buf, size_t len, const char *fmt,
	       ...)
{
	size_t n;
	va_list args;
	int rc;

	n = snprintf(buf, len, "%s/", ctx->sysfs_root);
	if (n >= len)
		return -ENAMETOOLONG;
	va_start(args, fmt);
	rc = vsnprintf(buf + n, len - n, fmt, args);
	va_end(args);
	if (rc < 0 || (size_t)rc >= len - n)
		return -ENAMETOOLONG;
	return 0;
}

/* Read an attribute without its trailing newline: length or -errno. */
int sysfs_read(struct vvp_ctx *ctx, const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		dbg(ctx, "read %s: %s\n", path, strerror(-n));
		return n;
	}
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	buf[n] = '\0';
	return n;
}

int sysfs_read_int(struct vvp_ctx *ctx, const char *path, int *val)
{
	char buf[32], *end;
	long v;
	int rc;

	rc = sysfs_read(ctx, path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	errno = 0;
	v = strtol(buf, &end, 0);
	if (errno || end == buf || *end || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*val = v;
	return 0;
}

int sysfs_read_hex(struct vvp_ctx *ctx, const char *path, unsigned int *val)
{
	char buf[32], *end;
	unsigned long v;
	int rc;

	rc = sysfs_read(ctx, path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoul(buf, &end, 16);
	if (errno || end == buf || *end || v > 0xffffffffUL)
		return -EINVAL;
	*val = v;
	return 0;
}

/* One write(2) of the whole value, as the kernel expects: 0 or -errno. */
int sysfs_write(struct vvp_ctx *ctx, const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, rc = 0;

	dbg(ctx, "write %s < %s\n", path, value);
	if (ctx->write_hook)
		return ctx->write_hook(ctx, path, value, ctx->write_hook_data);

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* The last component of a symlink's target ("driver" -> "vfio-pci"). */
int sysfs_link_name(struct vvp_ctx *ctx, const char *path, char *buf,
		    size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

bool sysfs_exists(struct vvp_ctx *ctx, const char *path)
{
	return access(path, F_OK) == 0;
}
