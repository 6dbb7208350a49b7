// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl udev-add VF: what the udev rule 80-vvp.rules runs when the kernel
 * adds a VF of a configured PF. Run by udev, not by people: vvpctl --help
 * does not list it; vvp-apply.service(8) describes it. Also the rule's
 * markers as vvpctl apply keeps them (udev_markers_*()).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libvvp.h>

#include "builtin.h"
#include "util.h"

/*
 * Lock purposes (vvpctl's command names) of the holders that create VFs
 * and then wait, lock held, for udev to finish with them: the VF's event
 * must not wait for them, it would wait for itself. apply configures the
 * VF itself (it takes the markers away first, so the rule's own bind
 * leaves its VFs alone too); enable leaves the VFs it reaches here as the
 * kernel made them, as it was asked to (the rule binds driver-only VFs
 * itself, whoever made them: it cannot tell).
 */
static const char *const creates_vfs[] = { "apply", "enable", NULL };

static const char udev_add_usage[] =
	"Usage: vvpctl udev-add VF\n"
	"\n"
	"Run by the udev rule 80-vvp.rules when the kernel adds a VF whose PF\n"
	"vvp.conf(5) configures: applies that VF's part of the config (driver,\n"
	"provisioning) under its PF's lock; a no-op for any other VF. Failures\n"
	"are one line on stderr and in syslog, and leave the VF as it was.\n"
	"See vvp-apply.service(8); by hand, use vvpctl apply --vf VF.\n";

/* one line for syslog (the journal) and stderr (udevd's debug log) */
static void _printf_(3, 4) note(int prio, const char *vf, const char *fmt, ...)
{
	char msg[1280];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (prio <= LOG_ERR) {
		fprintf(stderr, "Error: vvp.conf not applied to new VF %s: %s\n",
			vf, msg);
		syslog(prio, "vvp.conf not applied to new VF %s: %s", vf, msg);
	} else {
		fprintf(stderr, "%s: %s\n", vf, msg);
		if (prio <= LOG_INFO)
			syslog(prio, "%s: %s", vf, msg);
	}
}

static bool in_list(const char *const *list, const char *word)
{
	for (; *list; list++)
		if (strcmp(*list, word) == 0)
			return true;
	return false;
}

/*
 * The PF's lock, unless its holder is configuring the VF itself: 0 and
 * *lock, 1 when the VF is left to the holder, -1 when it failed (said).
 */
static int lock_pf(struct vvp_pf *pf, const char *vf, struct vvp_lock **lock)
{
	struct vvp_ctx *ctx = vvp_pf_get_ctx(pf);
	char purpose[80], holder[80];
	int rc, pid;

	snprintf(purpose, sizeof(purpose), "udev-add %s", vf);
	rc = vvp_pf_lock(pf, purpose, 0, lock);
	if (rc == -EWOULDBLOCK &&
	    vvp_pf_get_lock_holder(pf, &pid, holder, sizeof(holder)) == 0 &&
	    in_list(creates_vfs, holder)) {
		note(LOG_DEBUG, vf, "left to %s (process %d), which holds the lock of %s",
		     holder, pid, vvp_pf_get_address(pf));
		return 1;
	}
	/*
	 * other VFs of the same burst, a vvpctl bind: wait the context's
	 * timeout (30 s, VVP_TIMEOUT_MS), well inside udev's 180 s
	 */
	if (rc == -EWOULDBLOCK)
		rc = vvp_pf_lock(pf, purpose, -1, lock);
	if (rc < 0) {
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
		return -1;
	}
	return 0;
}

/*
 * The VF's PF, from its physfn link: 0; 1 when there is none (the VF is
 * gone again, or not a VF: nothing of ours); -1 when it failed (said).
 * Not through vvp_vf_find(), which lists the PF's VFs: with 127 of them
 * under TCG that listing alone takes longer than starting vvpctl.
 */
static int pf_of_vf(struct vvp_ctx *ctx, const char *vf, struct vvp_pf **pf)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *name;
	ssize_t n;
	int rc;

	snprintf(link, sizeof(link), "%s/bus/pci/devices/%s/physfn",
		 vvp_get_sysfs_root(ctx), vf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 1;
	target[n] = '\0';
	name = strrchr(target, '/');
	rc = vvp_pf_find(ctx, name ? name + 1 : target, pf);
	if (rc == -ENODEV)
		return 1;
	if (rc < 0) {
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
		return -1;
	}
	return 0;
}

/*
 * The config, when it configures pf: 0 and *config; 1 when it does not
 * (a marker from before the config dropped the PF); -1 when it cannot be
 * read or is invalid (said). Read before the lock is taken: a VF of a PF
 * the config does not name does not wait for the lock at all.
 */
static int read_config(struct vvp_ctx *ctx, struct vvp_pf *pf, const char *vf,
		       struct vvp_config **config)
{
	unsigned int n;
	int rc;

	*config = NULL;
	rc = vvp_config_read(ctx, NULL, config);
	if (rc < 0 && rc != -EINVAL) {
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
		return -1;
	}
	n = vvp_config_get_num_problems(*config);
	if (n > 0) {
		note(LOG_ERR, vf, "the config is invalid (%u problem%s, the first: %s); run vvpctl check-config",
		     n, n == 1 ? "" : "s", vvp_config_get_problem(*config, 0));
		return -1;
	}
	if (!vvp_config_pf_find(*config, vvp_pf_get_address(pf))) {
		note(LOG_DEBUG, vf, "its PF %s is not in the config",
		     vvp_pf_get_address(pf));
		return 1;
	}
	return 0;
}

/* Apply the config to one VF, the PF's lock held: an exit code. */
static int apply_vf(struct vvp_ctx *ctx, struct vvp_config *config,
		    struct vvp_pf *pf, const char *vf)
{
	struct vvp_plan *plan = NULL;
	unsigned int steps = 0;
	int rc;

	rc = vvp_plan_new(config, vvp_pf_get_address(pf), vf, &plan);
	if (rc == 0)
		steps = vvp_plan_get_num_steps(plan);
	if (rc == 0 && steps > 0)
		rc = vvp_plan_apply(plan);
	if (rc < 0)
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
	else if (steps > 0)
		note(LOG_INFO, vf, "configured as vvp.conf says (%u step%s)",
		     steps, steps == 1 ? "" : "s");
	vvp_plan_unref(plan);
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}

/*
 * The rule's fast path wrote driver_override and the probe bound nothing
 * (the driver is not loaded, its probe failed): take the override away
 * again, so that the VF is as the kernel made it should this helper fail
 * too, as a failed helper leaves VFs.
 */
static void undo_rule_override(struct vvp_ctx *ctx, const char *vf)
{
	const char *by_rule = getenv("VVP_OVERRIDE_BY_RULE");
	const char *drv = getenv("VVP_DRIVER"), *o;
	struct vvp_vf *v;

	if (!by_rule || strcmp(by_rule, "1") || !drv ||
	    vvp_vf_find(ctx, vf, &v) < 0 || vvp_vf_get_driver(v))
		return;
	o = vvp_vf_get_driver_override(v);
	if (o && strcmp(o, drv) == 0 && vvp_vf_restore(v, NULL, NULL) < 0)
		note(LOG_DEBUG, vf, "%s", vvp_get_last_error(ctx));
}

/*
 * The PF's lock held: this VF's add event is covered by an earlier
 * helper's burst, or this helper configures the burst (udev-burst.c), or,
 * when a burst failed or missed the VF, the VF alone. An exit code.
 */
static int configure(struct vvp_ctx *ctx, struct vvp_config *config,
		     struct vvp_pf *pf, const char *vf)
{
	unsigned int steps;
	int burst;

	burst = udev_burst_check(ctx, pf, vf);
	if (burst == BURST_DONE) {
		note(LOG_DEBUG, vf, "configured already, with the other new VFs of %s",
		     vvp_pf_get_address(pf));
		return EXIT_OK;
	}
	undo_rule_override(ctx, vf);
	if (burst == BURST_NONE) {
		if (udev_burst_apply(ctx, config, pf, &steps) < 0)
			note(LOG_DEBUG, vf, "configuring the new VFs of %s together failed (%s); this VF alone",
			     vvp_pf_get_address(pf), vvp_get_last_error(ctx));
		else if (steps > 0)
			note(LOG_INFO, vf, "configured with the other new VFs of %s as vvp.conf says (%u step%s)",
			     vvp_pf_get_address(pf), steps,
			     steps == 1 ? "" : "s");
		/* a registration that could not be written: not in it */
		burst = udev_burst_check(ctx, pf, vf);
	}
	return burst == BURST_DONE ? EXIT_OK : apply_vf(ctx, config, pf, vf);
}

/* the markers as the config says: EXIT_OK, or EXIT_FAIL after "Error: ..." */
int udev_markers_update(struct vvp_ctx *ctx, struct vvp_config *config)
{
	if (vvp_config_update_udev_markers(config) == 0)
		return EXIT_OK;
	fprintf(stderr, "Error: %s; check that %s is a directory root can write, then run vvpctl apply again\n",
		vvp_get_last_error(ctx), vvp_get_run_dir(ctx));
	return EXIT_FAIL;
}

/*
 * Before vvp_plan_apply() in vvpctl apply: a plan that changes the VF
 * count creates VFs whose add events would each start this helper, only
 * for it to find the apply holding the PF's lock and leave. For 127 VFs
 * under TCG those starts doubled the apply (bench/vm/bench-apply.sh), so
 * the PF's markers go for the change; udev_markers_update() puts them
 * back. true when it took them away. Should the apply die meanwhile, the
 * next one (which undoes it, see its journal) writes them again.
 */
bool udev_markers_hide(struct vvp_ctx *ctx, struct vvp_plan *plan)
{
	struct vvp_plan_step *s;
	struct vvp_pf *pf;

	vvp_plan_step_foreach(plan, s)
		if (vvp_plan_step_get_kind(s) == VVP_STEP_NUM_VFS)
			break;
	return s && vvp_pf_find(ctx, vvp_plan_step_get_device(s), &pf) == 0 &&
	       vvp_pf_remove_udev_markers(pf) == 0;
}

int cmd_udev_add(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct vvp_config *config = NULL;
	struct vvp_lock *lock = NULL;
	bool registered = false;
	struct vvp_pf *pf;
	char vf[32];
	int c, rc;

	while ((c = parse_opt("udev-add", argc, argv, "h", opts)) != -1)
		return c == 'h' ? print_usage(udev_add_usage) : EXIT_USAGE;
	if (argc - optind != 1)
		return usage_error("udev-add", "expected one VF address (got %d arguments)",
				   argc - optind);
	if (vvp_parse_pci_address(argv[optind], vf, sizeof(vf)) < 0)
		return usage_error("udev-add", "'%s' is not a PCI address (DDDD:BB:DD.F)",
				   argv[optind]);
	openlog("vvpctl", LOG_PID, LOG_DAEMON);
	rc = pf_of_vf(ctx, vf, &pf);
	if (rc == 0)
		rc = read_config(ctx, pf, vf, &config);
	if (rc == 0) {
		udev_burst_register(ctx, pf, vf);
		registered = true;
		rc = lock_pf(pf, vf, &lock);
	}
	if (rc == 0) {
		rc = configure(ctx, config, pf, vf);
		vvp_lock_release(lock);
	} else {
		rc = rc > 0 ? EXIT_OK : EXIT_FAIL;
	}
	if (registered)
		udev_burst_unregister(ctx, pf, vf);
	vvp_config_unref(config);
	return rc;
}
