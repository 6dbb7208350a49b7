// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl udev-add VF: what the udev rule 80-vvp.rules runs when the kernel
 * adds a VF of a configured PF. Run by udev, not by people: vvpctl --help
 * does not list it; vvp-apply.service(8) describes it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libvvp.h>

#include "builtin.h"
#include "util.h"

/*
 * Lock purposes (vvpctl's command names) of the holders that create VFs
 * and then wait, lock held, for udev to finish with them: the VF's event
 * must not wait for them, it would wait for itself. apply configures the
 * VF itself; enable leaves it as the kernel made it, as it was asked to.
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

/* Apply the config to one VF, the PF's lock held: an exit code. */
static int apply_vf(struct vvp_ctx *ctx, struct vvp_pf *pf, const char *vf)
{
	const char *pf_address = vvp_pf_get_address(pf);
	struct vvp_config *config = NULL;
	struct vvp_plan *plan = NULL;
	int rc;

	rc = vvp_config_read(ctx, NULL, &config);
	if (rc == -EINVAL) {
		unsigned int n = vvp_config_get_num_problems(config);

		note(LOG_ERR, vf, "the config is invalid (%u problem%s, the first: %s); run vvpctl check-config",
		     n, n == 1 ? "" : "s", vvp_config_get_problem(config, 0));
		rc = EXIT_FAIL;
		goto out;
	}
	if (rc < 0) {
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
		return EXIT_FAIL;
	}
	/* a marker left from a config that has since dropped the PF */
	if (!vvp_config_pf_find(config, pf_address)) {
		note(LOG_DEBUG, vf, "its PF %s is not in the config", pf_address);
		rc = EXIT_OK;
		goto out;
	}
	rc = vvp_plan_new(config, pf_address, vf, &plan);
	if (rc == 0 && vvp_plan_get_num_steps(plan) > 0)
		rc = vvp_plan_apply(plan);
	if (rc < 0) {
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
		rc = EXIT_FAIL;
		goto out;
	}
	if (vvp_plan_get_num_steps(plan) > 0)
		note(LOG_INFO, vf, "configured as vvp.conf says (%u steps)",
		     vvp_plan_get_num_steps(plan));
	rc = EXIT_OK;
out:
	vvp_plan_unref(plan);
	vvp_config_unref(config);
	return rc;
}

int cmd_udev_add(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct vvp_lock *lock = NULL;
	char vf[32];
	struct vvp_vf *v;
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
	rc = vvp_vf_find(ctx, vf, &v);
	/* gone again already, or not a VF: nothing of ours */
	if (rc == -ENODEV || rc == -EOPNOTSUPP)
		return EXIT_OK;
	if (rc < 0) {
		note(LOG_ERR, vf, "%s", vvp_get_last_error(ctx));
		return EXIT_FAIL;
	}
	rc = lock_pf(vvp_vf_get_pf(v), vf, &lock);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
	rc = apply_vf(ctx, vvp_vf_get_pf(v), vf);
	vvp_lock_release(lock);
	return rc;
}
