// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The journal of an apply in progress: <run dir>/<PF>.journal holds the
 * snapshot of what the apply changes, written before its first change
 * (to a temporary file, synced, renamed over: a reader sees the old
 * journal or the new one, never half of one) and removed once the PF is
 * applied or put back. A journal whose process is gone is an apply that
 * was killed half-way: vvp_pf_recover() puts the PF back from it.
 *
 *   vvp-journal 1
 *   pid 1234 8812345          pid, and its start time (/proc/PID/stat)
 *   pf 0000:01:00.0
 *   num_vfs 4                 -1: not saved (a one-VF apply)
 *   autoprobe 1
 *   vf 0 nvme -               index, driver, override ("-": none)
 *   member 0 mac=52:54:00:01:00:01 mtu=1500 transitional=off
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan-private.h"

#define JOURNAL_MAGIC "vvp-journal 1"

void journal_print(FILE *f, const struct snapshot *s)
{
	char prov[160];

	fprintf(f, JOURNAL_MAGIC "\npid %d %llu\npf %s\nnum_vfs %d\nautoprobe %d\n",
		(int)s->pid, s->start_time, s->pf, s->num_vfs, s->autoprobe);
	for (unsigned int i = 0; i < s->num_vfs_saved; i++)
		fprintf(f, "vf %d %s %s\n", s->vfs[i].index,
			s->vfs[i].driver[0] ? s->vfs[i].driver : "-",
			s->vfs[i].override[0] ? s->vfs[i].override : "-");
	for (unsigned int i = 0; i < s->num_members; i++) {
		prov_format(&s->members[i].prov, prov, sizeof(prov));
		fprintf(f, "member %d %s\n", s->members[i].index, prov);
	}
}

/* the directory entry of the rename must reach the disk too */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int journal_write(struct vvp_ctx *ctx, const struct snapshot *s)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	int rc, fd;
	FILE *f;

	rc = run_path(ctx, s->pf, "journal", path, sizeof(path));
	if (rc < 0)
		goto fail;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	journal_print(f, s);
	rc = fflush(f) == 0 && fsync(fd) == 0 ? 0 : -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc == 0)
		rc = sync_dir(ctx->run_dir);
	if (rc == 0)
		return 0;
	unlink(tmp);
fail:
	return vvp_fail(ctx, rc,
			"cannot write the journal of %s in %s (%s)",
			s->pf, ctx->run_dir, strerror(-rc));
}

/* one line of a journal into s: 0, -ENOMEM, or -EINVAL with why */
static int parse_line(struct snapshot *s, const char *line, char *why,
		      size_t len)
{
	char a[64], b[64];
	int idx, n = 0;

	if (sscanf(line, "pid %d %llu", &s->pid, &s->start_time) == 2 ||
	    sscanf(line, "pf %15s", s->pf) == 1 ||
	    sscanf(line, "num_vfs %d", &s->num_vfs) == 1 ||
	    sscanf(line, "autoprobe %d", &s->autoprobe) == 1)
		return 0;
	if (sscanf(line, "vf %d %63s %63s", &idx, a, b) == 3) {
		struct snap_vf *v = realloc(s->vfs, (s->num_vfs_saved + 1) *
					    sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->vfs = v;
		v = &s->vfs[s->num_vfs_saved++];
		v->index = idx;
		snprintf(v->driver, sizeof(v->driver), "%s", strcmp(a, "-") ? a : "");
		snprintf(v->override, sizeof(v->override), "%s",
			 strcmp(b, "-") ? b : "");
		return 0;
	}
	if (sscanf(line, "member %d %n", &idx, &n) == 1 && n > 0) {
		struct snap_member *m = realloc(s->members, (s->num_members + 1) *
						sizeof(*m));

		if (!m)
			return -ENOMEM;
		s->members = m;
		m = &s->members[s->num_members++];
		m->index = idx;
		return prov_parse(line + n, &m->prov, why, len);
	}
	snprintf(why, len, "'%.40s' is not a line vvp writes", line);
	return -EINVAL;
}

/* whether f has nothing more to read */
static bool at_end(FILE *f)
{
	int c = getc(f);

	return c == EOF || ungetc(c, f) == EOF;
}

int journal_parse(FILE *f, struct snapshot *s, char *why, size_t len)
{
	char line[256], what[128] = "";
	unsigned int nr = 1;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->num_vfs = s->autoprobe = -1;
	if (!fgets(line, sizeof(line), f) || strncmp(line, JOURNAL_MAGIC, 13)) {
		snprintf(what, sizeof(what), "it does not start with '%s'",
			 JOURNAL_MAGIC);
		rc = -EINVAL;
	}
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\n");

		nr++;
		/* a longer line would go on as a line of its own */
		if (!line[n] && n == sizeof(line) - 1 && !at_end(f)) {
			snprintf(what, sizeof(what), "over %zu characters",
				 sizeof(line) - 2);
			rc = -EINVAL;
			break;
		}
		line[n] = '\0';
		rc = parse_line(s, line, what, sizeof(what));
	}
	if (rc == 0 && (s->pid <= 0 || !s->pf[0])) {
		nr = 0;
		snprintf(what, sizeof(what), "it names no %s",
			 s->pid <= 0 ? "process" : "PF");
		rc = -EINVAL;
	}
	if (rc < 0) {
		if (nr)
			snprintf(why, len, "line %u: %s", nr,
				 what[0] ? what : strerror(-rc));
		else
			snprintf(why, len, "%s", what);
		snapshot_free(s);
	}
	return rc;
}

/* 0, -ENOENT (no journal), or -errno with a message */
int journal_read(struct vvp_ctx *ctx, const char *pf, struct snapshot *s)
{
	char path[PATH_MAX], why[200];
	int rc = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	rc = run_path(ctx, pf, "journal", path, sizeof(path));
	f = rc < 0 ? NULL : fopen(path, "re");
	if (!f && rc == 0)
		rc = -errno;
	if (rc == -ENOENT)
		return rc;
	if (!f)
		return vvp_fail(ctx, rc,
				"cannot read the journal of %s in %s (%s)",
				pf, ctx->run_dir, strerror(-rc));
	rc = journal_parse(f, s, why, sizeof(why));
	fclose(f);
	if (rc == 0 && strcmp(s->pf, pf)) {
		snprintf(why, sizeof(why), "it is the journal of %s", s->pf);
		snapshot_free(s);
		rc = -EINVAL;
	}
	if (rc < 0)
		return vvp_fail(ctx, rc,
				"cannot read the journal %s (it is not a journal vvp wrote: %s)",
				path, why);
	return 0;
}

int journal_remove(struct vvp_ctx *ctx, const char *pf)
{
	char path[PATH_MAX];
	int rc;

	rc = run_path(ctx, pf, "journal", path, sizeof(path));
	if (rc == 0 && unlink(path) < 0 && errno != ENOENT)
		rc = -errno;
	if (rc < 0)
		return vvp_fail(ctx, rc,
				"cannot remove the journal of %s from %s (%s)",
				pf, ctx->run_dir, strerror(-rc));
	return 0;
}

/* the journal's process still runs: the same pid, started at that time */
static bool writer_alive(struct vvp_ctx *ctx, const struct snapshot *s)
{
	unsigned long long start;

	if (kill(s->pid, 0) < 0 && errno == ESRCH)
		return false;
	start = proc_start_time(ctx, s->pid);
	return !start || !s->start_time || start == s->start_time;
}

VVP_EXPORT int vvp_pf_get_journal(struct vvp_pf *pf, int *pid, bool *alive)
{
	struct snapshot s;
	int rc;

	vvp_clear_error(pf->ctx);
	rc = journal_read(pf->ctx, pf->address, &s);
	if (rc < 0)
		return rc;
	*pid = s.pid;
	*alive = writer_alive(pf->ctx, &s);
	snapshot_free(&s);
	return 0;
}

VVP_EXPORT int vvp_pf_recover(struct vvp_pf *pf)
{
	struct vvp_ctx *ctx = pf->ctx;
	struct snapshot s;
	int rc;

	vvp_clear_error(ctx);
	rc = journal_read(ctx, pf->address, &s);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	if (writer_alive(ctx, &s)) {
		rc = vvp_fail(ctx, EBUSY,
			      "cannot undo the apply of %s by process %d (it still runs: %s)",
			      pf->address, (int)s.pid, strerror(EBUSY));
		goto out;
	}
	info(ctx, "%s: process %d died during an apply; putting the PF back as it was before\n",
	     pf->address, (int)s.pid);
	rc = snapshot_restore(pf, &s);
	if (rc < 0) {
		char msg[sizeof(ctx->errbuf)];

		memcpy(msg, ctx->errbuf, sizeof(msg));
		rc = vvp_fail(ctx, rc,
			      "cannot undo the apply that process %d left half-way on %s (%s)",
			      (int)s.pid, pf->address, msg);
		goto out;
	}
	rc = journal_remove(ctx, pf->address);
	if (rc == 0)
		rc = 1;
out:
	snapshot_free(&s);
	return rc;
}
