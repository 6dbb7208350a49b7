// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Is a VF in use? For a VF on vfio, "in use" means a process holds its
 * group open (/dev/vfio/<group>). Such a VF must not be unbound or
 * removed: the kernel would block the unbind (or the sriov_numvfs write)
 * until the user lets go, which hangs the caller instead of failing it.
 * The kernel offers no counter for group opens, so look the way fuser
 * does, at every process's fd links under /proc, in one pass that records
 * every held group. Listings reuse that snapshot; checks before a change
 * always take a fresh one.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvvp-private.h"

struct vfio_holder {
	int group;
	int pid;
};

struct vfio_snapshot {
	size_t n, cap;
	struct vfio_holder *h;
};

static bool is_number(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isdigit((unsigned char)*name))
			return false;
	return true;
}

static int add_holder(struct vfio_snapshot *s, int group, int pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->h[i].group == group && s->h[i].pid == pid)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct vfio_holder *h = realloc(s->h, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		s->h = h;
		s->cap = cap;
	}
	s->h[s->n].group = group;
	s->h[s->n].pid = pid;
	s->n++;
	return 0;
}

static void scan_pid(struct vvp_ctx *ctx, struct vfio_snapshot *s,
		     const char *pid)
{
	char path[PATH_MAX], target[64];
	struct dirent *de;
	DIR *dir;

	if (snprintf(path, sizeof(path), "%s/%s/fd", ctx->proc_root, pid) >=
	    (int)sizeof(path))
		return;
	dir = opendir(path);
	if (!dir)
		return;	/* gone, or not ours to look at */
	while ((de = readdir(dir))) {
		char link[PATH_MAX];
		ssize_t n;

		if (de->d_name[0] == '.' ||
		    snprintf(link, sizeof(link), "%s/%s", path, de->d_name) >=
		    (int)sizeof(link))
			continue;
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, "/dev/vfio/", 10) == 0 &&
		    is_number(target + 10))
			add_holder(s, atoi(target + 10), atoi(pid));
	}
	closedir(dir);
}

void vfio_snapshot_free(struct vvp_ctx *ctx)
{
	if (ctx->vfio) {
		free(ctx->vfio->h);
		free(ctx->vfio);
	}
	ctx->vfio = NULL;
}

static int vfio_snapshot_take(struct vvp_ctx *ctx)
{
	struct vfio_snapshot *s;
	struct dirent *de;
	DIR *dir;

	vfio_snapshot_free(ctx);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	dir = opendir(ctx->proc_root);
	if (!dir) {
		free(s);
		return -errno;
	}
	while ((de = readdir(dir)))
		if (is_number(de->d_name))
			scan_pid(ctx, s, de->d_name);
	closedir(dir);
	ctx->vfio = s;
	return 0;
}

/*
 * The number of processes holding /dev/vfio/<group> open, and the first
 * one's pid in *pid. fresh: look again rather than reuse the snapshot.
 */
int vfio_group_users(struct vvp_ctx *ctx, int group, int *pid, bool fresh)
{
	int users = 0, rc;

	if (group < 0)
		return 0;
	if (fresh || !ctx->vfio) {
		rc = vfio_snapshot_take(ctx);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < ctx->vfio->n; i++) {
		if (ctx->vfio->h[i].group != group)
			continue;
		if (users++ == 0 && pid)
			*pid = ctx->vfio->h[i].pid;
	}
	return users;
}

VVP_EXPORT int vvp_vf_in_use(struct vvp_vf *vf)
{
	int rc;

	if (!vvp_vf_is_vfio(vf))
		return 0;
	rc = vfio_group_users(vf->pf->ctx, vvp_vf_get_iommu_group(vf), NULL, false);
	return rc < 0 ? rc : rc > 0;
}
