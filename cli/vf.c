// SPDX-License-Identifier: GPL-2.0-or-later
/* vvpctl bind, unbind */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "util.h"

static const char bind_usage[] =
	"Usage: vvpctl bind VF... --driver DRIVER [ --wait SECONDS ]\n"
	"       vvpctl bind PF --all-vfs --driver DRIVER [ --wait SECONDS ]\n"
	"Bind VFs to DRIVER (vfio-pci, vvp_vfio_pci, ...) through driver_override.\n"
	"If one VF fails, the VFs bound before it are put back.\n"
	"  -d, --driver DRIVER   the driver, loaded (see /sys/bus/pci/drivers)\n"
	"  -a, --all-vfs         every VF of the PF\n"
	"  -w, --wait S          wait at most S seconds for the PFs' locks (default 30)\n";

static const char unbind_usage[] =
	"Usage: vvpctl unbind VF... [ --no-probe ] [ --wait SECONDS ]\n"
	"       vvpctl unbind PF --all-vfs [ --no-probe ] [ --wait SECONDS ]\n"
	"Clear the VFs' driver_override, unbind them and let the kernel probe\n"
	"their default driver. Refused for a VF held open through VFIO.\n"
	"  -a, --all-vfs         every VF of the PF\n"
	"  -n, --no-probe        leave them unbound (no default driver probe)\n"
	"  -w, --wait S          wait at most S seconds for the PFs' locks (default 30)\n";

/* what a VF looked like before this command touched it */
struct vf_undo {
	struct vvp_vf *vf;
	char *driver;
	char *override;
};

/* lock the PFs of the VFs; *waited: their state must be read again */
static int lock_vfs_pfs(const char *cmd, struct vf_undo *list, int n,
			int wait_ms, bool *waited)
{
	struct vvp_pf **pfs = calloc(n ? n : 1, sizeof(*pfs));
	int rc;

	if (!pfs)
		return EXIT_FAIL;
	for (int i = 0; i < n; i++)
		pfs[i] = vvp_vf_get_pf(list[i].vf);
	rc = lock_pfs(pfs, n, cmd, wait_ms, waited);
	free(pfs);
	return rc;
}

/*
 * Resolve the command line to VFs, before anything changes: a wrong
 * address among several leaves every VF as it was.
 */
static int collect_vfs(const char *cmd, struct vvp_ctx *ctx, int argc,
		       char **argv, bool all, struct vf_undo **out, int *n)
{
	struct vf_undo *list = NULL;
	struct vvp_vf *vf;
	struct vvp_pf *pf;
	int count = 0;
	char buf[16];

	*n = 0;
	if (argc == 0)
		return usage_error(cmd, "no %s given (%s needs at least one)",
				   all ? "PF" : "VF", cmd);
	if (all && argc > 1)
		return usage_error(cmd, "--all-vfs takes one PF (%d addresses given)",
				   argc);
	for (int i = 0; i < argc; i++)
		if (vvp_parse_pci_address(argv[i], buf, sizeof(buf)) < 0)
			return usage_error(cmd, "'%s' is not a PCI address (expected DDDD:BB:DD.F)",
					   argv[i]);
	if (all) {
		if (vvp_pf_find(ctx, argv[0], &pf) < 0)
			return op_error(ctx);
		if (!vvp_vf_get_first(pf)) {
			fprintf(stderr, "Error: %s has no VFs (num_vfs is 0); create them with vvpctl enable %s --num-vfs N\n",
				vvp_pf_get_address(pf), vvp_pf_get_address(pf));
			return EXIT_FAIL;
		}
		/* size by the listing itself: the count may change under us */
		count = 0;
		vvp_vf_foreach(pf, vf)
			count++;
		list = calloc(count ? count : 1, sizeof(*list));
		if (!list)
			return EXIT_FAIL;
		count = 0;
		vvp_vf_foreach(pf, vf)
			list[count++].vf = vf;
	} else {
		list = calloc(argc, sizeof(*list));
		if (!list)
			return EXIT_FAIL;
		for (int i = 0; i < argc; i++) {
			bool dup = false;

			if (vvp_vf_find(ctx, argv[i], &vf) < 0) {
				char msg[1024];

				/* the VF lookup's reason, not the PF lookup's */
				snprintf(msg, sizeof(msg), "%s",
					 vvp_get_last_error(ctx));
				if (vvp_pf_find(ctx, argv[i], &pf) == 0)
					fprintf(stderr, "Error: %s is a PF, not a VF (it has %d VFs); pass --all-vfs to %s all of them\n",
						argv[i], vvp_pf_get_num_vfs(pf), cmd);
				else
					fprintf(stderr, "Error: %s\n", msg);
				free(list);
				return EXIT_FAIL;
			}
			for (int j = 0; j < count; j++)
				dup |= list[j].vf == vf;
			if (!dup)
				list[count++].vf = vf;
		}
	}
	for (int i = 0; i < count; i++) {
		const char *d = vvp_vf_get_driver(list[i].vf);
		const char *o = vvp_vf_get_driver_override(list[i].vf);

		list[i].driver = d ? strdup(d) : NULL;
		list[i].override = o ? strdup(o) : NULL;
	}
	*out = list;
	*n = count;
	return EXIT_OK;
}

static void free_undo(struct vf_undo *list, int n)
{
	for (int i = 0; i < n; i++) {
		free(list[i].driver);
		free(list[i].override);
	}
	free(list);
}

/* collect_vfs() with the VFs' PFs locked, their state read under the lock */
static int collect_locked(const char *cmd, struct vvp_ctx *ctx, int argc,
			  char **argv, bool all, int wait_ms,
			  struct vf_undo **out, int *n)
{
	int rc = collect_vfs(cmd, ctx, argc, argv, all, out, n);
	bool waited;

	if (rc != EXIT_OK)
		return rc;
	if (lock_vfs_pfs(cmd, *out, *n, wait_ms, &waited) != EXIT_OK) {
		free_undo(*out, *n);
		return EXIT_FAIL;
	}
	if (!waited)
		return EXIT_OK;
	/* the holder may have changed them meanwhile */
	free_undo(*out, *n);
	vvp_refresh(ctx);
	return collect_vfs(cmd, ctx, argc, argv, all, out, n);
}

/* Put VFs 0..n-1 back on the driver and override they had. */
static void undo(struct vvp_ctx *ctx, struct vf_undo *list, int n)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", vvp_get_last_error(ctx));
	for (int i = n - 1; i >= 0; i--)
		if (vvp_vf_restore(list[i].vf, list[i].driver,
				   list[i].override) < 0)
			fprintf(stderr, "Warning: could not put %s back: %s\n",
				vvp_vf_get_address(list[i].vf),
				vvp_get_last_error(ctx));
	fprintf(stderr, "Error: %s\n", msg);
}

int cmd_bind(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'd' },
		{ "all-vfs", no_argument, NULL, 'a' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c, n, rc, wait_ms = LOCK_WAIT_DEFAULT_S * 1000;
	const char *driver = NULL;
	struct vf_undo *list = NULL;
	bool all = false;

	while ((c = parse_opt("bind", argc, argv, "d:aw:h", opts)) != -1) {
		switch (c) {
		case 'd':
			driver = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'w':
			if (!parse_wait("bind", optarg, &wait_ms))
				return EXIT_USAGE;
			break;
		case 'h':
			return print_usage(bind_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (!driver)
		return usage_error("bind", "--driver is required (which driver to bind to)");
	if (!*driver || strlen(driver) >= 64 || strpbrk(driver, "/\n") ||
	    !strcmp(driver, ".") || !strcmp(driver, ".."))
		return usage_error("bind", "'%s' is not a driver name (a name from /sys/bus/pci/drivers)",
				   driver);
	rc = collect_locked("bind", ctx, argc - optind, argv + optind, all,
			    wait_ms, &list, &n);
	if (rc != EXIT_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		if (vvp_vf_bind(list[i].vf, driver) < 0) {
			undo(ctx, list, i);
			free_undo(list, n);
			return EXIT_FAIL;
		}
	}
	fprintf(stderr, "bound %d VF%s to %s\n", n, n == 1 ? "" : "s", driver);
	free_undo(list, n);
	return EXIT_OK;
}

int cmd_unbind(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "all-vfs", no_argument, NULL, 'a' },
		{ "no-probe", no_argument, NULL, 'n' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c, n, rc, wait_ms = LOCK_WAIT_DEFAULT_S * 1000;
	struct vf_undo *list = NULL;
	bool all = false, probe = true;

	while ((c = parse_opt("unbind", argc, argv, "anw:h", opts)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'n':
			probe = false;
			break;
		case 'w':
			if (!parse_wait("unbind", optarg, &wait_ms))
				return EXIT_USAGE;
			break;
		case 'h':
			return print_usage(unbind_usage);
		default:
			return EXIT_USAGE;
		}
	}
	rc = collect_locked("unbind", ctx, argc - optind, argv + optind, all,
			    wait_ms, &list, &n);
	if (rc != EXIT_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		/* without a probe, "unbound with no override" is a state to restore */
		if ((probe ? vvp_vf_unbind(list[i].vf) :
			     vvp_vf_restore(list[i].vf, NULL, NULL)) < 0) {
			undo(ctx, list, i);
			free_undo(list, n);
			return EXIT_FAIL;
		}
	}
	fprintf(stderr, "unbound %d VF%s\n", n, n == 1 ? "" : "s");
	free_undo(list, n);
	return EXIT_OK;
}
