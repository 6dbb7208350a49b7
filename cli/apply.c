// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl apply: make the PFs what the config (vvp.conf(5)) says. Per PF:
 * take its lock, undo what an apply killed half-way left (its journal),
 * plan, print the plan, carry it out (libvvp puts the PF back when a step
 * fails), print the outcome. One PF failing does not stop the others.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "print.h"
#include "state.h"
#include "util.h"

static const char apply_usage[] =
	"Usage: vvpctl apply [ PF... ] [ --vf VF ] [ --dry-run ] [ --wait SECONDS ]\n"
	"                    [ -c FILE ] [ -j ] [ -p ]\n"
	"Make each PF of the config (default: every one) what the config says,\n"
	"in the safe order: autoprobe off, VF count, provisioning, drivers,\n"
	"autoprobe as configured. Prints the plan, carries it out, and puts the\n"
	"PF back as it was when a step fails. An invalid config changes nothing.\n"
	"  --vf VF             only that VF's provisioning and driver\n"
	"  -n, --dry-run       print the plan, change nothing\n"
	"  -w, --wait S        wait at most S seconds for each PF's lock (default 30)\n"
	"  -c, --config FILE   read FILE instead of the config directory\n"
	"  -j, --json          the plans and their outcomes as JSON\n"
	"  -p, --pretty        indented JSON\n"
	"Exit status: 0 applied (or nothing to do), 1 a PF failed, 2 usage error.\n";

struct apply_opts {
	const char *vf;		/* canonical, or NULL */
	char vf_buf[16];
	bool dry_run;
	int wait_ms;
	const char *config;
};

/* one PF's run, for the report */
struct pf_run {
	const char *addr;
	struct vvp_plan *plan;
	int recovered_pid;	/* an interrupted apply undone first */
	int journal_pid;	/* dry run: one that apply would undo */
	int rc;			/* 0, or the failure's -errno */
	char error[1024];
};

static int parse_args(int argc, char **argv, struct apply_opts *o)
{
	static const struct option opts[] = {
		{ "vf", required_argument, NULL, 'V' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "wait", required_argument, NULL, 'w' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = parse_opt("apply", argc, argv, "nw:c:jph", opts)) != -1) {
		if (json_opt(c))
			continue;
		switch (c) {
		case 'V':
			if (vvp_parse_pci_address(optarg, o->vf_buf,
						  sizeof(o->vf_buf)) < 0)
				return usage_error("apply", "'%s' is not a PCI address (expected DDDD:BB:DD.F)",
						   optarg);
			o->vf = o->vf_buf;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'w':
			if (!parse_wait("apply", optarg, &o->wait_ms))
				return EXIT_USAGE;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'h':
			return print_usage(apply_usage);
		default:
			return EXIT_USAGE;
		}
	}
	return -1;
}

static int fail(struct vvp_ctx *ctx, struct pf_run *r, int rc)
{
	r->rc = rc < 0 ? rc : -EIO;
	snprintf(r->error, sizeof(r->error), "%s", vvp_get_last_error(ctx));
	return r->rc;
}

/* an apply killed half-way on this PF: undo it (or, dry run, say so) */
static int recover(struct vvp_pf *pf, struct pf_run *r, bool dry_run)
{
	bool alive;
	int pid, rc;

	if (vvp_pf_get_journal(pf, &pid, &alive) < 0 || alive)
		return 0;
	if (dry_run) {
		r->journal_pid = pid;
		return 0;
	}
	rc = vvp_pf_recover(pf);
	if (rc == 1) {
		r->recovered_pid = pid;
		fprintf(stderr, "apply: process %d died during an apply of %s; the PF is back as it was before it\n",
			pid, r->addr);
	}
	return rc < 0 ? rc : 0;
}

/* lock, recover, plan: 0 with r->plan, or -errno (reported) */
static int prepare(struct vvp_ctx *ctx, struct vvp_config *config,
		   struct pf_run *r, const struct apply_opts *o)
{
	struct vvp_pf *pf;
	int rc;

	rc = vvp_pf_find(ctx, r->addr, &pf);
	if (rc < 0) {
		op_error(ctx, OP_FIND_PF, rc, NULL);
		return fail(ctx, r, rc);
	}
	if (!o->dry_run && lock_pf(pf, "apply", o->wait_ms, NULL) != EXIT_OK)
		return fail(ctx, r, -EBUSY);
	rc = recover(pf, r, o->dry_run);
	if (rc == 0)
		rc = vvp_plan_new(config, r->addr, o->vf, &r->plan);
	if (rc < 0) {
		op_error(ctx, OP_APPLY, rc, NULL);
		return fail(ctx, r, rc);
	}
	return 0;
}

static void print_step(struct vvp_plan_step *s, bool done)
{
	int vf = vvp_plan_step_get_vf_index(s);

	open_json_object(NULL);
	print_string(PRINT_ANY, "kind", "  %-9s",
		     vvp_step_kind_name(vvp_plan_step_get_kind(s)));
	print_string(PRINT_ANY, "device", " %-16s", vvp_plan_step_get_device(s));
	if (vf >= 0)
		print_int(PRINT_JSON, "vf_index", NULL, vf);
	print_string(PRINT_ANY, "from", " %s", vvp_plan_step_get_from(s));
	print_string(PRINT_ANY, "to", " -> %s", vvp_plan_step_get_to(s));
	if (done)
		print_string(PRINT_JSON, "state", NULL,
			     vvp_step_state_name(vvp_plan_step_get_state(s)));
	print_nl();
	close_json_object();
}

/* the plan, as text before it runs (and in JSON with the outcome) */
static void print_plan(struct pf_run *r, bool done)
{
	unsigned int n = vvp_plan_get_num_steps(r->plan);
	struct vvp_plan_step *s;

	if (!print_is_json()) {
		if (done)
			return;
		if (n == 0)
			printf("pf %s: nothing to do\n", r->addr);
		else
			printf("pf %s: %u step%s\n", r->addr, n, n == 1 ? "" : "s");
	}
	open_json_array("steps");
	vvp_plan_step_foreach(r->plan, s)
		print_step(s, done);
	close_json_array();
	fflush(stdout);
}

static unsigned int count_state(struct vvp_plan *plan, enum vvp_step_state st)
{
	struct vvp_plan_step *s;
	unsigned int n = 0;

	vvp_plan_step_foreach(plan, s)
		n += vvp_plan_step_get_state(s) == st;
	return n;
}

static const char *result(struct pf_run *r, bool dry_run)
{
	if (r->rc < 0)
		return "failed";
	if (vvp_plan_get_num_steps(r->plan) == 0)
		return "nothing_to_do";
	return dry_run ? "planned" : "applied";
}

/* after a failed step: which one, and whether the PF is back */
static void print_failure(struct vvp_ctx *ctx, struct pf_run *r)
{
	struct vvp_plan_step *failed = vvp_plan_get_failed_step(r->plan), *s;
	struct vvp_pf *pf;
	unsigned int i = 0;
	bool put_back, alive;
	int pid;

	vvp_plan_step_foreach(r->plan, s) {
		if (s == failed)
			break;
		i++;
	}
	/* a failed putting back leaves the journal for the next apply */
	put_back = vvp_pf_find(ctx, r->addr, &pf) == 0 &&
		   vvp_pf_get_journal(pf, &pid, &alive) == -ENOENT;
	print_int(PRINT_JSON, "failed_step", NULL, i);
	print_bool(PRINT_JSON, "put_back", NULL, put_back);
	print_text("pf %s: step %u failed; %s\n", r->addr, i + 1,
		   put_back ? "the PF was put back as it was" :
		   "putting the PF back failed too");
}

static void print_outcome(struct vvp_ctx *ctx, struct pf_run *r, bool dry_run)
{
	print_string(PRINT_JSON, "result", NULL, result(r, dry_run));
	if (r->plan && vvp_plan_get_failed_step(r->plan))
		print_failure(ctx, r);
	if (r->rc < 0) {
		print_string(PRINT_JSON, "error", NULL, r->error);
		return;
	}
	if (dry_run && vvp_plan_get_num_steps(r->plan))
		print_text("pf %s: dry run, nothing changed\n", r->addr);
	else if (!dry_run && vvp_plan_get_num_steps(r->plan))
		print_text("pf %s: applied (%u done, %u already so)\n", r->addr,
			   count_state(r->plan, VVP_STEP_DONE),
			   count_state(r->plan, VVP_STEP_SKIPPED));
}

static int apply_pf(struct vvp_ctx *ctx, struct vvp_config *config,
		    const char *addr, const struct apply_opts *o)
{
	struct pf_run r = { .addr = addr };
	bool hidden = false;
	int rc;

	open_json_object(NULL);
	print_string(PRINT_JSON, "pf", NULL, addr);
	print_bool(PRINT_JSON, "dry_run", NULL, o->dry_run);
	if (prepare(ctx, config, &r, o) == 0) {
		print_plan(&r, false);
		if (!o->dry_run && !o->config)
			hidden = udev_markers_hide(ctx, r.plan);
		rc = o->dry_run ? 0 : vvp_plan_apply(r.plan);
		if (rc < 0) {
			fail(ctx, &r, rc);
			op_error(ctx, OP_APPLY, rc, NULL);
		}
		if (print_is_json())
			print_plan(&r, true);
	}
	if (r.recovered_pid)
		print_int(PRINT_JSON, "recovered_pid", NULL, r.recovered_pid);
	if (r.journal_pid) {
		print_int(PRINT_JSON, "interrupted_pid", NULL, r.journal_pid);
		print_text("pf %s: process %d died during an apply; apply undoes that first\n",
			   addr, r.journal_pid);
	}
	print_outcome(ctx, &r, o->dry_run);
	close_json_object();
	vvp_plan_unref(r.plan);
	if (hidden && udev_markers_update(ctx, config) != EXIT_OK)
		r.rc = -EIO;
	if (!o->dry_run) {
		struct vvp_pf *pf;

		if (vvp_pf_find(ctx, addr, &pf) == 0)
			unlock_pf(pf);
	}
	return r.rc < 0 ? EXIT_FAIL : EXIT_OK;
}

/* --vf: its PF, which must be the one named if one is */
static int vf_pf(struct vvp_ctx *ctx, const struct apply_opts *o, int argc,
		 char **argv, char *pf)
{
	struct vvp_vf *vf;
	int rc;
	char named[16];

	if (argc > 1)
		return usage_error("apply", "--vf takes at most one PF (%d given)",
				   argc);
	rc = vvp_vf_find(ctx, o->vf, &vf);
	if (rc < 0)
		return op_error(ctx, OP_FIND_VF, rc, NULL);
	snprintf(pf, 16, "%s", vvp_pf_get_address(vvp_vf_get_pf(vf)));
	if (argc == 1 && (vvp_parse_pci_address(argv[0], named, sizeof(named)) < 0 ||
			  strcmp(named, pf)))
		return usage_error("apply", "%s is a VF of %s, not of %s",
				   o->vf, pf, argv[0]);
	return EXIT_OK;
}

int cmd_apply(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct apply_opts o = { .wait_ms = LOCK_WAIT_DEFAULT_S * 1000 };
	struct vvp_config *config;
	char (*pfs)[16] = NULL, pf[16], *pf_arg = pf;
	int rc, n, worst = EXIT_OK;

	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	argc -= optind;
	argv += optind;
	if (o.vf) {
		rc = vf_pf(ctx, &o, argc, argv, pf);
		if (rc != EXIT_OK)
			return rc;
		argc = 1;
		argv = &pf_arg;
	}
	config = read_config(ctx, "apply", o.config, true, &rc);
	if (!config)
		return rc;
	rc = pick_pfs(config, "apply", argc, argv, &pfs, &n);
	/* the udev rule acts on the config directory's config, not on -c's */
	if (rc == EXIT_OK && !o.dry_run && !o.config &&
	    udev_markers_update(ctx, config) != EXIT_OK)
		worst = EXIT_FAIL;
	if (rc == EXIT_OK && n == 0)
		fprintf(stderr, "apply: the config names no PF\n");
	if (rc == EXIT_OK) {
		print_init(gopts.json, gopts.pretty);
		open_json_array(NULL);
		for (int i = 0; i < n; i++)
			if (apply_pf(ctx, config, pfs[i], &o) != EXIT_OK)
				worst = EXIT_FAIL;
		close_json_array();
		print_end();
	}
	free(pfs);
	vvp_config_unref(config);
	return rc != EXIT_OK ? rc : worst;
}
