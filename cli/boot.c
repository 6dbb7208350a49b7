// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl boot-wait: what vvp-apply.service runs before vvpctl apply.
 *
 * At boot the kernel has enumerated the PCI devices before userspace
 * starts; what is still under way is binding their drivers, which udev's
 * coldplug (systemd-udev-trigger.service) sets off by loading modules.
 * vvpctl apply needs each PF the config names bound to its driver (the
 * kernel needs the PF's driver to create VFs) and nothing else from
 * udev's queue. So wait for exactly that, PF by PF and bounded, rather
 * than for every event of every device as the deprecated
 * systemd-udev-settle.service does. Run by systemd, not by people:
 * vvpctl --help does not list it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libudev.h>
#include <libvvp.h>

#include "builtin.h"
#include "util.h"

#define POLL_MS 50
/*
 * udev is done with the PF's add event (its module is loaded) and still
 * no driver is bound: how much longer a driver that probes asynchronously
 * gets before the PF is given up on
 */
#define DRIVER_GRACE_MS 10000

static const char boot_wait_usage[] =
	"Usage: vvpctl boot-wait [ --timeout SECONDS ]\n"
	"\n"
	"Run by vvp-apply.service before vvpctl apply: waits until every PF\n"
	"that vvp.conf(5) names is bound to its driver, or udev is done with\n"
	"it and no driver came, or SECONDS (default 60) have passed. Prints one\n"
	"line per PF; exits 0 either way (vvpctl apply reports what is wrong).\n"
	"See vvp-apply.service(8).\n";

struct pf_wait {
	char address[16];
	char outcome[160];	/* "" while waiting */
	long long udev_done_ms;	/* when udev was seen done with it; -1 */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* udev can only speak for the real /sys, and only while udevd runs */
static struct udev *udev_if_running(struct vvp_ctx *ctx)
{
	if (strcmp(vvp_get_sysfs_root(ctx), "/sys") != 0 ||
	    access("/run/udev/control", F_OK) != 0)
		return NULL;
	return udev_new();
}

static bool udev_done_with(struct udev *udev, const char *address)
{
	char syspath[64];
	struct udev_device *d;
	bool done;

	if (!udev)
		return false;
	snprintf(syspath, sizeof(syspath), "/sys/bus/pci/devices/%s", address);
	d = udev_device_new_from_syspath(udev, syspath);
	done = d && udev_device_get_is_initialized(d) > 0;
	udev_device_unref(d);
	return done;
}

/* look at one PF again: fills w->outcome once it is decided */
static void check_pf(struct vvp_ctx *ctx, struct udev *udev,
		     struct pf_wait *w, long long start)
{
	long long now = now_ms();
	struct vvp_pf *pf;
	int rc;

	rc = vvp_pf_find(ctx, w->address, &pf);
	if (rc < 0) {
		/* enumerated before userspace: absent now is absent */
		snprintf(w->outcome, sizeof(w->outcome),
			 "not ready (%s); vvpctl apply will report it",
			 vvp_get_last_error(ctx));
		return;
	}
	if (vvp_pf_get_driver(pf)) {
		snprintf(w->outcome, sizeof(w->outcome),
			 "bound to %s (waited %lld ms)", vvp_pf_get_driver(pf),
			 now - start);
		return;
	}
	if (w->udev_done_ms < 0 && udev_done_with(udev, w->address))
		w->udev_done_ms = now;
	if (w->udev_done_ms >= 0 && now - w->udev_done_ms >= DRIVER_GRACE_MS)
		snprintf(w->outcome, sizeof(w->outcome),
			 "no driver bound %d ms after udev was done with it; vvpctl apply will report it",
			 DRIVER_GRACE_MS);
}

/* the config's PFs by address; serial= PFs not found are reported */
static int pfs_of_config(struct vvp_ctx *ctx, struct pf_wait **pfs)
{
	struct vvp_config *config = NULL;
	struct vvp_config_pf *cpf;
	int n = 0;

	*pfs = NULL;
	/* a config with problems: vvpctl apply names them */
	if (vvp_config_read(ctx, NULL, &config) < 0 && !config)
		return 0;
	vvp_config_pf_foreach(config, cpf) {
		const char *a = vvp_config_pf_get_address(cpf);
		struct pf_wait *p;

		if (!*a) {
			printf("serial=%s: no such PF; vvpctl apply will report it\n",
			       vvp_config_pf_get_serial(cpf));
			continue;
		}
		p = realloc(*pfs, (n + 1) * sizeof(*p));
		if (!p)
			break;
		*pfs = p;
		memset(&p[n], 0, sizeof(*p));
		snprintf(p[n].address, sizeof(p[n].address), "%s", a);
		p[n++].udev_done_ms = -1;
	}
	vvp_config_unref(config);
	return n;
}

static void wait_pfs(struct vvp_ctx *ctx, struct pf_wait *pfs, int n,
		     unsigned int timeout_s)
{
	long long start = now_ms(), deadline = start + timeout_s * 1000LL;
	struct udev *udev = udev_if_running(ctx);
	int left = n;

	for (;;) {
		vvp_refresh(ctx);
		for (int i = 0; i < n; i++)
			if (!pfs[i].outcome[0]) {
				check_pf(ctx, udev, &pfs[i], start);
				left -= pfs[i].outcome[0] != '\0';
			}
		if (left == 0 || now_ms() >= deadline)
			break;
		usleep(POLL_MS * 1000);
	}
	for (int i = 0; i < n; i++) {
		if (!pfs[i].outcome[0])
			snprintf(pfs[i].outcome, sizeof(pfs[i].outcome),
				 "no driver bound after %u s; vvpctl apply will report it",
				 timeout_s);
		printf("%s: %s\n", pfs[i].address, pfs[i].outcome);
	}
	udev_unref(udev);
}

int cmd_boot_wait(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	unsigned int timeout_s = 60;
	struct pf_wait *pfs;
	int c, n;

	while ((c = parse_opt("boot-wait", argc, argv, "t:h", opts)) != -1) {
		switch (c) {
		case 't':
			if (!parse_uint("boot-wait", "--timeout", optarg, 3600,
					&timeout_s))
				return EXIT_USAGE;
			break;
		case 'h':
			return print_usage(boot_wait_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("boot-wait", "unexpected argument '%s' (it takes none)",
				   argv[optind]);
	n = pfs_of_config(ctx, &pfs);
	if (n > 0)
		wait_pfs(ctx, pfs, n, timeout_s);
	free(pfs);
	return EXIT_OK;
}
