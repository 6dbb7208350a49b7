// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Snapshots: what an apply is about to change, saved before it changes
 * it, and put back after a failure (apply.c) or after a crash (the
 * journal, journal.c). Putting back goes by what is there then, so it
 * writes only what differs, whatever step the apply had reached:
 * provisioning of the members that exist, the count, each VF's driver and
 * override, the members again (those the count brought back), autoprobe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan-private.h"

/* field 22 of /proc/PID/stat, to tell a pid from a reused one; 0: unknown */
unsigned long long proc_start_time(struct vvp_ctx *ctx, pid_t pid)
{
	char path[PATH_MAX], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/stat", ctx->proc_root, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* after "(comm)": state, then 18 fields, then starttime */
	if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			&start) != 1)
		start = 0;
	return start;
}

static int save_vf(struct snapshot *s, struct vvp_vf *vf)
{
	struct snap_vf *v;

	v = realloc(s->vfs, (s->num_vfs_saved + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->vfs = v;
	v = &s->vfs[s->num_vfs_saved++];
	v->index = vf->index;
	snprintf(v->driver, sizeof(v->driver), "%s",
		 vf->driver ? vf->driver : "");
	snprintf(v->override, sizeof(v->override), "%s",
		 vf->driver_override ? vf->driver_override : "");
	return 0;
}

int snapshot_take(struct vvp_pf *pf, bool whole_pf, int vf_index,
		  struct snapshot *s)
{
	struct vvp_vf *vf;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	snprintf(s->pf, sizeof(s->pf), "%s", pf->address);
	s->pid = getpid();
	s->start_time = proc_start_time(pf->ctx, s->pid);
	s->num_vfs = s->autoprobe = -1;
	if (whole_pf) {
		s->num_vfs = vvp_pf_get_num_vfs(pf);
		s->autoprobe = vvp_pf_get_autoprobe(pf);
		if (s->num_vfs < 0 || s->autoprobe < 0)
			return vvp_fail(pf->ctx, EIO,
					"cannot save the state of %s (sriov_numvfs or sriov_drivers_autoprobe unreadable)",
					pf->address);
	}
	vf_free_all(pf);	/* as sysfs has them now */
	if (!whole_pf) {	/* that VF alone, not the PF's every VF */
		vf = pf_vf_by_index(pf, vf_index);
		return vf ? save_vf(s, vf) : 0;
	}
	vvp_vf_foreach(pf, vf)
		if (rc == 0)
			rc = save_vf(s, vf);
	return rc;
}

bool snapshot_has_member(const struct snapshot *s, int index)
{
	for (unsigned int i = 0; i < s->num_members; i++)
		if (s->members[i].index == index)
			return true;
	return false;
}

int snapshot_add_member(struct vvp_ctx *ctx, struct snapshot *s,
			struct vvp_vf *vf)
{
	static const struct prov all = {
		.has_mac = true, .has_mtu = true, .has_transitional = true,
	};
	struct snap_member *m;
	struct vvp_member *member;
	int rc;

	if (snapshot_has_member(s, vf->index))
		return 0;
	rc = vvp_member_find(ctx, vf->address, &member);
	if (rc < 0)
		return rc;
	m = realloc(s->members, (s->num_members + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	s->members = m;
	m = &s->members[s->num_members++];
	m->index = vf->index;
	member_prov(member, &all, &m->prov);
	return 0;
}

void snapshot_free(struct snapshot *s)
{
	free(s->vfs);
	free(s->members);
	s->vfs = NULL;
	s->members = NULL;
}

/* the saved provisioning of every member whose VF is there now */
static int restore_members(struct vvp_pf *pf, const struct snapshot *s)
{
	int rc = 0;

	for (unsigned int i = 0; i < s->num_members; i++) {
		struct vvp_vf *vf = pf_vf_by_index(pf, s->members[i].index);
		struct vvp_member *m;
		struct prov diff;
		int r;

		if (!vf)
			continue;	/* back after the count, or gone */
		r = vvp_member_find(pf->ctx, vf->address, &m);
		if (r == 0 && prov_differs(&s->members[i].prov, m, &diff))
			r = prov_submit(pf->ctx, vf->address, &diff);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

static bool vf_is(struct vvp_vf *vf, const struct snap_vf *v)
{
	return strcmp(vf->driver ? vf->driver : "", v->driver) == 0 &&
	       strcmp(vf->driver_override ? vf->driver_override : "",
		      v->override) == 0;
}

static int restore_vfs(struct vvp_pf *pf, const struct snapshot *s)
{
	int rc = 0;

	for (unsigned int i = 0; i < s->num_vfs_saved; i++) {
		const struct snap_vf *v = &s->vfs[i];
		struct vvp_vf *vf = pf_vf_by_index(pf, v->index);
		int r = 0;

		/* a VF gone since (one-VF snapshot): nothing to put back */
		if (!vf && s->num_vfs < 0)
			continue;
		if (!vf)
			r = vvp_fail(pf->ctx, ENODEV,
				     "cannot put VF %d of %s back (it is missing after the count was restored)",
				     v->index, pf->address);
		else if (!vf_is(vf, v))
			r = vvp_vf_restore(vf, v->driver[0] ? v->driver : NULL,
					   v->override[0] ? v->override : NULL);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

static int restore_count(struct vvp_pf *pf, const struct snapshot *s)
{
	if (s->num_vfs < 0 || vvp_pf_get_num_vfs(pf) == s->num_vfs)
		return 0;
	/* what the apply created, it may remove, vfio or not */
	return vvp_pf_set_num_vfs(pf, s->num_vfs, VVP_NUM_VFS_FORCE);
}

static int restore_autoprobe(struct vvp_pf *pf, const struct snapshot *s)
{
	if (s->autoprobe < 0 || vvp_pf_get_autoprobe(pf) == s->autoprobe)
		return 0;
	return vvp_pf_set_autoprobe(pf, s->autoprobe);
}

/*
 * Best effort through every part: one that fails does not keep the
 * others from being put back. Returns the first failure, whose message
 * stays on the context.
 */
int snapshot_restore(struct vvp_pf *pf, const struct snapshot *s)
{
	int (*const parts[])(struct vvp_pf *, const struct snapshot *) = {
		restore_members, restore_count, restore_vfs, restore_members,
		restore_autoprobe,
	};
	char first_msg[sizeof(pf->ctx->errbuf)] = "";
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		int r;

		vf_free_all(pf);	/* each part reads sysfs afresh */
		r = parts[i](pf, s);
		if (r < 0 && rc == 0) {
			rc = r;
			memcpy(first_msg, pf->ctx->errbuf, sizeof(first_msg));
		}
	}
	if (rc < 0)
		memcpy(pf->ctx->errbuf, first_msg, sizeof(first_msg));
	return rc;
}
