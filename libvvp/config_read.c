// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vvp.conf(5) from disk: which files, in which order, and whether they
 * can be trusted. The config decides which driver a device gets, so like
 * sshd's StrictModes a file or directory that someone other than root
 * (or the user reading it) owns or may write is refused.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"

/* a config file is a few KiB; anything far larger is a mistake */
#define CFG_MAX_SIZE (1024 * 1024)

static int trusted(struct vvp_ctx *ctx, const char *path,
		   const struct stat *st)
{
	mode_t w = st->st_mode & (S_IWGRP | S_IWOTH);

	if (st->st_uid != 0 && st->st_uid != geteuid())
		return vvp_fail(ctx, EPERM,
				"%s refused (owned by uid %u: only root or this user may own the config); chown root %s",
				path, (unsigned int)st->st_uid, path);
	if (w)
		return vvp_fail(ctx, EPERM,
				"%s refused (writable by %s, mode %04o: only its owner may write the config); chmod go-w %s",
				path, w == (S_IWGRP | S_IWOTH) ? "group and others" :
				w == S_IWGRP ? "group" : "others",
				(unsigned int)(st->st_mode & 07777), path);
	return 0;
}

/* a directory: 0, 1 when absent, -errno (-EPERM: not trusted) */
static int check_dir(struct vvp_ctx *ctx, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		return vvp_fail(ctx, errno, "cannot read config directory %s (%s)",
				path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return vvp_fail(ctx, ENOTDIR, "%s is not a directory (%s)", path,
				strerror(ENOTDIR));
	return trusted(ctx, path, &st);
}

/* the whole text, at most CFG_MAX_SIZE + 1 bytes: length or -errno */
static ssize_t slurp(int fd, char **text)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *p;
	ssize_t got;

	do {
		if (n == cap || !buf) {
			cap = buf ? cap * 2 : cap;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0) {
			got = -errno;
			free(buf);
			return got;
		}
		n += got;
	} while (got > 0 && n <= CFG_MAX_SIZE);
	buf[n] = '\0';
	*text = buf;
	return n;
}

/* a file that is there and trusted: its problems, or -errno */
static int read_open(struct vvp_config *config, const char *path, int fd)
{
	const char *file = config_add_file(config, path);
	char *text = NULL;
	struct stat st;
	ssize_t n;
	int rc;

	if (!file)
		return vvp_fail(config->ctx, ENOMEM, "cannot read %s (%s)",
				path, strerror(ENOMEM));
	if (fstat(fd, &st) < 0)
		return vvp_fail(config->ctx, errno, "cannot read %s (%s)", path,
				strerror(errno));
	rc = trusted(config->ctx, path, &st);
	if (rc < 0)
		return rc;
	if (!S_ISREG(st.st_mode))
		return config_problem(config, file, 0, "not a regular file");
	n = slurp(fd, &text);
	if (n < 0)
		return vvp_fail(config->ctx, -n, "cannot read %s (%s)", path,
				strerror(-n));
	if (n > CFG_MAX_SIZE)
		rc = config_problem(config, file, 0,
				    "too large for a config file (more than %d bytes)",
				    CFG_MAX_SIZE);
	else
		rc = config_parse_text(config, file, text, n);
	free(text);
	if (rc == -ENOMEM)
		vvp_fail(config->ctx, ENOMEM, "cannot read %s (%s)", path,
			 strerror(ENOMEM));
	return rc;
}

/* optional: a file that is not there is no file (vvp.conf, conf.d/) */
static int read_file(struct vvp_config *config, const char *path,
		     bool optional)
{
	int fd, rc;

	/* O_NONBLOCK: a FIFO must not hang the open; files ignore it */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && optional)
			return 0;
		return vvp_fail(config->ctx, errno, "cannot read config file %s (%s)",
				path, strerror(errno));
	}
	rc = read_open(config, path, fd);
	close(fd);
	return rc;
}

static int join(struct vvp_ctx *ctx, char *buf, const char *dir,
		const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX)
		return vvp_fail(ctx, ENAMETOOLONG, "cannot read %s/%s (%s)", dir,
				name, strerror(ENAMETOOLONG));
	return 0;
}

static int conf_filter(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 5 &&
	       strcmp(de->d_name + n - 5, ".conf") == 0;
}

/* byte order, whatever the locale: 10-a.conf before 9-b.conf */
static int conf_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int read_conf_d(struct vvp_config *config, const char *dir)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n, rc;

	rc = check_dir(config->ctx, dir);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	n = scandir(dir, &names, conf_filter, conf_cmp);
	if (n < 0)
		return vvp_fail(config->ctx, errno, "cannot list %s (%s)", dir,
				strerror(errno));
	rc = 0;
	for (int i = 0; i < n; i++) {
		/* removed since the listing: gone, so not part of the config */
		if (rc >= 0)
			rc = join(config->ctx, path, dir, names[i]->d_name);
		if (rc >= 0)
			rc = read_file(config, path, true);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int read_default(struct vvp_config *config)
{
	const char *dir = vvp_get_config_dir(config->ctx);
	char path[PATH_MAX];
	int rc;

	rc = check_dir(config->ctx, dir);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	rc = join(config->ctx, path, dir, "vvp.conf");
	if (rc == 0)
		rc = read_file(config, path, true);
	if (rc == 0)
		rc = join(config->ctx, path, dir, "conf.d");
	return rc < 0 ? rc : read_conf_d(config, path);
}

VVP_EXPORT int vvp_config_read(struct vvp_ctx *ctx, const char *path,
			       struct vvp_config **out)
{
	struct vvp_config *config;
	int rc;

	vvp_clear_error(ctx);
	*out = NULL;
	config = config_new(ctx);
	if (!config)
		return vvp_fail(ctx, ENOMEM, "cannot read the config (%s)",
				strerror(ENOMEM));
	rc = path ? read_file(config, path, false) : read_default(config);
	if (rc >= 0) {
		rc = config_finish(config);
		if (rc < 0)
			vvp_fail(ctx, ENOMEM, "cannot read the config (%s)",
				 strerror(ENOMEM));
	}
	if (rc < 0) {
		vvp_config_unref(config);
		return rc;
	}
	*out = config;
	return config_result(config);
}
