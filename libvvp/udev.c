// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Markers for the udev rule (80-vvp.rules): <run dir>/udev/<VF address>
 * for every VF a configured PF can have. udev cannot read the name of a
 * VF's physfn link in a rule, so the rule cannot ask "is this VF's PF
 * configured?"; it can test whether a file named after the VF exists, at
 * the cost of one stat(2). The file is what the rule imports
 * (IMPORT{file}): VVP_PF=<PF address> and VVP_INDEX=<index>, and
 * VVP_DRIVER=<driver> when all the config wants of that VF is that driver
 * (no provisioning key): the rule then binds it itself, with no process
 * started (vvp_config_update_udev_markers() in libvvp.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"

struct marker {
	char vf[16];
	char text[128];		/* "VVP_PF=...\nVVP_INDEX=...\n[VVP_DRIVER=...\n]" */
};

struct markers {
	struct marker *m;
	unsigned int num, size;
};

static int marker_cmp(const void *a, const void *b)
{
	return strcmp(((const struct marker *)a)->vf,
		      ((const struct marker *)b)->vf);
}

static int markers_add(struct markers *ms, const char *vf, const char *pf,
		       unsigned int index, const char *driver)
{
	struct marker *m;
	int n;

	for (unsigned int i = 0; i < ms->num; i++)
		if (strcmp(ms->m[i].vf, vf) == 0)
			return 0;
	if (ms->num == ms->size) {
		unsigned int size = ms->size ? 2 * ms->size : 64;

		m = realloc(ms->m, size * sizeof(*m));
		if (!m)
			return -ENOMEM;
		ms->m = m;
		ms->size = size;
	}
	m = &ms->m[ms->num++];
	snprintf(m->vf, sizeof(m->vf), "%s", vf);
	n = snprintf(m->text, sizeof(m->text), "VVP_PF=%s\nVVP_INDEX=%u\n",
		     pf, index);
	if (driver)
		snprintf(m->text + n, sizeof(m->text) - n, "VVP_DRIVER=%s\n",
			 driver);
	return 0;
}

/*
 * Every address a VF of pf can have: computed for each index below
 * sriov_totalvfs, plus those of the VFs there are now (a device whose
 * offset or stride changes with the VF count still gets its VFs right
 * for the count it has).
 */
static int markers_add_pf(struct markers *ms, struct vvp_pf *pf,
			  const struct vvp_config_pf *cpf)
{
	int offset = 0, stride = 0, total, rc;
	char vf[16];
	struct vvp_vf *v;

	total = vvp_pf_get_total_vfs(pf);
	rc = pf_read_vf_layout(pf, &offset, &stride);
	for (int i = 0; rc == 0 && i < total; i++)
		if (dev_vf_address(pf->address, offset, stride, i, vf,
				   sizeof(vf)) == 0)
			rc = markers_add(ms, vf, pf->address, i,
					 config_vf_udev_driver(cpf, i));
	if (rc == -ENOENT)	/* no offset/stride: the VFs there are */
		rc = 0;
	vvp_vf_foreach(pf, v)
		if (rc == 0)
			rc = markers_add(ms, v->address, pf->address, v->index,
					 config_vf_udev_driver(cpf, v->index));
	return rc;
}

/* Write dir/name unless it already holds text: 0 or -errno. */
static int write_marker(int dirfd, const struct marker *m)
{
	char old[sizeof(m->text)];
	ssize_t n, len = strlen(m->text);
	int fd, rc = 0;

	fd = openat(dirfd, m->vf, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, old, sizeof(old));
		close(fd);
		if (n == len && memcmp(old, m->text, len) == 0)
			return 0;
	}
	fd = openat(dirfd, m->vf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
	if (fd < 0)
		return -errno;
	if (write(fd, m->text, len) != len)
		rc = -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* Remove every marker that keep() does not keep: 0 or -errno. */
static int remove_markers(int dirfd,
			  bool (*keep)(int dirfd, const char *name, void *arg),
			  void *arg)
{
	struct dirent *de;
	int rc = 0, fd;
	DIR *d;

	fd = dup(dirfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || keep(dirfd, de->d_name, arg))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) < 0 && errno != ENOENT)
			rc = -errno;
	}
	closedir(d);
	return rc;
}

/* keep(): the name is one of the wanted markers */
static bool is_wanted(int dirfd, const char *name, void *arg)
{
	struct markers *ms = arg;
	struct marker key;

	if (strlen(name) >= sizeof(key.vf))
		return false;
	memcpy(key.vf, name, strlen(name) + 1);
	return bsearch(&key, ms->m, ms->num, sizeof(key), marker_cmp);
}

/* keep(): the marker does not name the PF (arg, "VVP_PF=<PF address>\n") */
static bool not_of_pf(int dirfd, const char *name, void *arg)
{
	const char *prefix = arg;
	char text[sizeof(((struct marker *)0)->text)];
	ssize_t n = 0;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	text[n > 0 ? n : 0] = '\0';
	return strncmp(text, prefix, strlen(prefix)) != 0;
}

static int open_marker_dir(struct vvp_ctx *ctx, char *path, size_t len)
{
	int fd;

	if (mkdir(ctx->run_dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if ((size_t)snprintf(path, len, "%s/udev", ctx->run_dir) >= len)
		return -ENAMETOOLONG;
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

VVP_EXPORT int vvp_config_update_udev_markers(struct vvp_config *config)
{
	struct vvp_ctx *ctx = config->ctx;
	struct markers ms = { 0 };
	char dir[PATH_MAX];
	int dirfd, rc = 0;

	vvp_clear_error(ctx);
	for (unsigned int i = 0; rc == 0 && i < config->num_pfs; i++) {
		struct vvp_pf *pf;

		/* a PF that is not there (yet) has no VFs to mark */
		if (!config->pfs[i].address[0] ||
		    vvp_pf_find(ctx, config->pfs[i].address, &pf) < 0)
			continue;
		rc = markers_add_pf(&ms, pf, &config->pfs[i]);
	}
	vvp_clear_error(ctx);
	if (rc < 0)
		goto out;
	/* none: ms.m is NULL, which qsort() must not be given */
	if (ms.num > 1)
		qsort(ms.m, ms.num, sizeof(*ms.m), marker_cmp);
	dirfd = open_marker_dir(ctx, dir, sizeof(dir));
	if (dirfd < 0) {
		rc = dirfd;
		snprintf(dir, sizeof(dir), "%s/udev", ctx->run_dir);
		goto out;
	}
	for (unsigned int i = 0; rc == 0 && i < ms.num; i++)
		rc = write_marker(dirfd, &ms.m[i]);
	if (rc == 0)
		rc = remove_markers(dirfd, is_wanted, &ms);
	close(dirfd);
out:
	free(ms.m);
	if (rc < 0)
		return vvp_fail(ctx, rc,
				"cannot update the udev rule's markers in %s/udev (%s)",
				ctx->run_dir, strerror(-rc));
	return 0;
}

VVP_EXPORT int vvp_pf_remove_udev_markers(struct vvp_pf *pf)
{
	struct vvp_ctx *ctx = pf->ctx;
	char dir[PATH_MAX], prefix[32];
	int dirfd, rc;

	vvp_clear_error(ctx);
	snprintf(dir, sizeof(dir), "%s/udev", ctx->run_dir);
	snprintf(prefix, sizeof(prefix), "VVP_PF=%s\n", pf->address);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 && errno == ENOENT)
		return 0;
	rc = dirfd < 0 ? -errno : remove_markers(dirfd, not_of_pf, prefix);
	if (dirfd >= 0)
		close(dirfd);
	if (rc < 0)
		return vvp_fail(ctx, rc,
				"cannot remove the udev rule's markers of %s from %s (%s)",
				pf->address, dir, strerror(-rc));
	return 0;
}
