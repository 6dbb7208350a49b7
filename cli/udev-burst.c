// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl udev-add for a burst of VFs: `echo 127 > sriov_numvfs` starts a
 * helper per VF the rule leaves to it, each queued on the PF's lock.
 * Re-planning the PF once per VF was most of what the helpers cost, so:
 *
 *  - each helper, before it waits for the lock, registers its event:
 *    <run dir>/udev-burst/<PF>/<VF> holding "<SEQNUM>" (udev's number of
 *    the event);
 *  - the first to get the lock plans every registered VF in one plan,
 *    carries it out and marks each file "<SEQNUM> done" ("failed" when
 *    the plan failed and was rolled back);
 *  - a later helper finds its file marked done and exits at once, without
 *    planning; one marked failed configures its VF alone.
 *
 * Only VFs whose helper runs are registered: one opted out of the rule
 * (VVP_DISABLE_RULES_FLAG), or bound by the rule itself, is not touched.
 * Run by hand (no SEQNUM), udev-add configures its VF alone.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvvp.h>

#include "builtin.h"

/* <run dir>/udev-burst/<PF>[/<name>], or "" when it does not fit */
static void burst_path(struct vvp_ctx *ctx, struct vvp_pf *pf,
		       const char *name, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/udev-burst/%s%s%s",
			     vvp_get_run_dir(ctx), vvp_pf_get_address(pf),
			     name ? "/" : "", name ? name : "") >= len)
		buf[0] = '\0';
}

/* this helper's add event (udev's SEQNUM), NULL when not run by udev */
static const char *event_seqnum(void)
{
	const char *s = getenv("SEQNUM");

	return s && *s && strspn(s, "0123456789") == strlen(s) ? s : NULL;
}

/* the file's text, "" when there is none */
static void read_entry(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* Write the VF's entry whole (by rename): readers see old or new text. */
static void write_entry(struct vvp_ctx *ctx, struct vvp_pf *pf,
			const char *vf, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;

	burst_path(ctx, pf, vf, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if (!path[0] || !(f = fopen(tmp, "we")))
		return;
	fprintf(f, "%s\n", text);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		unlink(tmp);
}

/*
 * Before the lock: register this helper's event. One that cannot be
 * written costs the burst its shortcut for this VF, which its helper then
 * configures alone: not an error.
 */
void udev_burst_register(struct vvp_ctx *ctx, struct vvp_pf *pf,
			 const char *vf)
{
	const char *seq = event_seqnum();
	char dir[PATH_MAX], text[64];

	if (!seq)
		return;
	/* registered already (a burst may have marked it): keep that */
	burst_path(ctx, pf, vf, dir, sizeof(dir));
	read_entry(dir, text, sizeof(text));
	if (strncmp(text, seq, strlen(seq)) == 0 &&
	    (!text[strlen(seq)] || text[strlen(seq)] == ' '))
		return;
	snprintf(dir, sizeof(dir), "%s/udev-burst", vvp_get_run_dir(ctx));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return;
	burst_path(ctx, pf, NULL, dir, sizeof(dir));
	if (!dir[0] || (mkdir(dir, 0755) < 0 && errno != EEXIST))
		return;
	write_entry(ctx, pf, vf, seq);
}

/*
 * The lock held: BURST_NONE (registered, no burst has run for it: plan
 * the burst), BURST_DONE (a burst configured it), BURST_MISSED (a burst
 * failed, or nothing registered: plan the VF alone).
 */
int udev_burst_check(struct vvp_ctx *ctx, struct vvp_pf *pf, const char *vf)
{
	const char *seq = event_seqnum();
	char path[PATH_MAX], text[64];
	size_t n;

	if (!seq)
		return BURST_MISSED;
	burst_path(ctx, pf, vf, path, sizeof(path));
	read_entry(path, text, sizeof(text));
	n = strlen(seq);
	if (strncmp(text, seq, n) != 0 || (text[n] && text[n] != ' '))
		return BURST_MISSED;
	if (!text[n])
		return BURST_NONE;
	return strcmp(text + n, " done") == 0 ? BURST_DONE : BURST_MISSED;
}

/* At exit: this helper's entry goes, unless a newer event wrote it. */
void udev_burst_unregister(struct vvp_ctx *ctx, struct vvp_pf *pf,
			   const char *vf)
{
	const char *seq = event_seqnum();
	char path[PATH_MAX], text[64];
	size_t n;

	if (!seq)
		return;
	burst_path(ctx, pf, vf, path, sizeof(path));
	read_entry(path, text, sizeof(text));
	n = strlen(seq);
	if (strncmp(text, seq, n) == 0 && (!text[n] || text[n] == ' '))
		unlink(path);
}

struct entries {
	char **vf, **seq;
	unsigned int n;
};

static void entries_free(struct entries *e)
{
	for (unsigned int i = 0; i < e->n; i++) {
		free(e->vf[i]);
		free(e->seq[i]);
	}
	free(e->vf);
	free(e->seq);
}

static int entries_add(struct entries *e, const char *vf, const char *seq)
{
	char **v = realloc(e->vf, (e->n + 1) * sizeof(*v));

	if (v)
		e->vf = v;
	v = v ? realloc(e->seq, (e->n + 1) * sizeof(*v)) : NULL;
	if (!v)
		return -ENOMEM;
	e->seq = v;
	e->vf[e->n] = strdup(vf);
	e->seq[e->n] = strdup(seq);
	if (!e->vf[e->n] || !e->seq[e->n]) {
		free(e->vf[e->n]);
		free(e->seq[e->n]);
		return -ENOMEM;
	}
	e->n++;
	return 0;
}

/* the registered VFs no burst has handled yet */
static int pending(struct vvp_ctx *ctx, struct vvp_pf *pf, struct entries *e)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], text[64];
	struct dirent *de;
	int rc = 0;
	DIR *d;

	burst_path(ctx, pf, NULL, dir, sizeof(dir));
	d = dir[0] ? opendir(dir) : NULL;
	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strchr(de->d_name, '.') == NULL ||
		    strstr(de->d_name, ".new"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		read_entry(path, text, sizeof(text));
		if (text[0] && strspn(text, "0123456789") == strlen(text))
			rc = entries_add(e, de->d_name, text);
	}
	closedir(d);
	return rc;
}

/*
 * Configure every registered VF in one plan, the lock held: 0 and the
 * number of steps; -1 when it failed (rolled back; the message is
 * vvp_get_last_error()'s). Each entry is marked with the outcome.
 */
int udev_burst_apply(struct vvp_ctx *ctx, struct vvp_config *config,
		     struct vvp_pf *pf, unsigned int *steps)
{
	struct entries e = { 0 };
	struct vvp_plan *plan = NULL;
	char text[64];
	int rc;

	*steps = 0;
	rc = pending(ctx, pf, &e);
	if (rc == 0)
		rc = vvp_plan_new_vfs(config, vvp_pf_get_address(pf),
				      (const char *const *)e.vf, e.n, &plan);
	if (rc == 0) {
		*steps = vvp_plan_get_num_steps(plan);
		if (*steps > 0)
			rc = vvp_plan_apply(plan);
	}
	for (unsigned int i = 0; i < e.n; i++) {
		snprintf(text, sizeof(text), "%s %s", e.seq[i],
			 rc == 0 ? "done" : "failed");
		write_entry(ctx, pf, e.vf[i], text);
	}
	entries_free(&e);
	vvp_plan_unref(plan);
	return rc < 0 ? -1 : 0;
}
