// SPDX-License-Identifier: GPL-2.0-or-later
/* vvpctl list, show, enable, disable */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "print.h"
#include "util.h"

/* every VF attribute printed once, for text and JSON alike */
void print_vf(struct vvp_vf *vf, bool detail)
{
	const char *driver = vvp_vf_get_driver(vf);
	const char *override = vvp_vf_get_driver_override(vf);
	int group = vvp_vf_get_iommu_group(vf);

	open_json_object(NULL);
	if (detail) {
		print_string(PRINT_ANY, "address", "vf %s:", vvp_vf_get_address(vf));
		print_int(PRINT_ANY, "index", " index %lld", vvp_vf_get_index(vf));
		print_string(PRINT_ANY, "pf", " pf %s",
			     vvp_pf_get_address(vvp_vf_get_pf(vf)));
	} else {
		print_int(PRINT_ANY, "index", "  vf %-3lld", vvp_vf_get_index(vf));
		print_string(PRINT_ANY, "address", " %s", vvp_vf_get_address(vf));
	}
	print_hex(PRINT_ANY, "vendor_id", " [%04x", vvp_vf_get_vendor_id(vf));
	print_hex(PRINT_ANY, "device_id", ":%04x]", vvp_vf_get_device_id(vf));
	if (detail)
		print_nl();
	print_string(PRINT_FP, NULL, detail ? "  driver %s" : " driver %s",
		     driver ? driver : "none");
	if (driver)
		print_string(PRINT_JSON, "driver", NULL, driver);
	if (override)
		print_string(PRINT_ANY, "driver_override", " override %s", override);
	if (group >= 0)
		print_int(PRINT_ANY, "iommu_group", " iommu_group %lld", group);
	if (detail && vvp_vf_is_vfio(vf)) {
		int in_use = vvp_vf_in_use(vf);

		if (in_use >= 0)
			print_bool(PRINT_ANY, "in_use", " in_use %s", in_use);
	}
	print_nl();
	if (detail)
		print_vf_provisioning(vf);
	close_json_object();
}

static void print_pf(struct vvp_pf *pf, bool detail)
{
	const char *vendor = vvp_pf_get_vendor_name(pf);
	const char *device = vvp_pf_get_device_name(pf);
	const char *driver = vvp_pf_get_driver(pf);
	int num = vvp_pf_get_num_vfs(pf), autoprobe = vvp_pf_get_autoprobe(pf);
	struct vvp_vf *vf;

	open_json_object(NULL);
	print_string(PRINT_ANY, "address", "pf %s:", vvp_pf_get_address(pf));
	if (vendor)
		print_string(PRINT_ANY, "vendor", " %s", vendor);
	if (device)
		print_string(PRINT_ANY, "device", " %s", device);
	print_hex(PRINT_ANY, "vendor_id", " [%04x", vvp_pf_get_vendor_id(pf));
	print_hex(PRINT_ANY, "device_id", ":%04x]", vvp_pf_get_device_id(pf));
	print_nl();
	print_string(PRINT_FP, NULL, "  driver %s", driver ? driver : "none");
	if (driver)
		print_string(PRINT_JSON, "driver", NULL, driver);
	print_int(PRINT_ANY, "total_vfs", " total_vfs %lld", vvp_pf_get_total_vfs(pf));
	if (num >= 0)
		print_int(PRINT_ANY, "num_vfs", " num_vfs %lld", num);
	if (autoprobe >= 0)
		print_bool(PRINT_ANY, "autoprobe", " autoprobe %s", autoprobe);
	print_nl();
	open_json_array("vfs");
	vvp_vf_foreach(pf, vf)
		print_vf(vf, detail);
	close_json_array();
	close_json_object();
}

static const char list_usage[] =
	"Usage: vvpctl list [ -j ] [ -p ]\n"
	"List the PCI functions with SR-IOV (PFs) and their VFs.\n"
	"  -j, --json     JSON: an array of PF objects\n"
	"  -p, --pretty   indented JSON\n";

int cmd_list(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct vvp_pf *pf;
	int rc;

	rc = parse_json_opts("list", list_usage, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind < argc)
		return usage_error("list", "unexpected argument '%s' (list takes none)",
				   argv[optind]);
	if (vvp_pf_scan(ctx) < 0)
		return op_error(ctx);
	print_init(gopts.json, gopts.pretty);
	open_json_array(NULL);
	vvp_pf_foreach(ctx, pf)
		print_pf(pf, false);
	close_json_array();
	print_end();
	return EXIT_OK;
}

static const char show_usage[] =
	"Usage: vvpctl show [ -j ] [ -p ] { PF | VF }\n"
	"Show one PF with its VFs, or one VF (PCI address DDDD:BB:DD.F).\n"
	"  -j, --json     JSON: one object\n"
	"  -p, --pretty   indented JSON\n";

/* a command-line address: malformed is a usage error (exit 2) */
static bool check_address(const char *cmd, const char *arg)
{
	char buf[16];

	if (vvp_parse_pci_address(arg, buf, sizeof(buf)) == 0)
		return true;
	usage_error(cmd, "'%s' is not a PCI address (expected DDDD:BB:DD.F)", arg);
	return false;
}

int cmd_show(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct vvp_pf *pf;
	struct vvp_vf *vf;
	int rc;

	rc = parse_json_opts("show", show_usage, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc)
		return usage_error("show", "%s (show takes one PF or VF address)",
				   optind == argc ? "no address given" :
				   "too many arguments");
	if (!check_address("show", argv[optind]))
		return EXIT_USAGE;
	print_init(gopts.json, gopts.pretty);
	if (vvp_pf_find(ctx, argv[optind], &pf) == 0) {
		print_pf(pf, true);
	} else if (vvp_vf_find(ctx, argv[optind], &vf) == 0) {
		print_vf(vf, true);
	} else {
		/* neither: the PF lookup tells why best, unless it was a VF */
		if (vvp_pf_find(ctx, argv[optind], &pf) == -EOPNOTSUPP &&
		    strstr(vvp_get_last_error(ctx), "is a VF"))
			vvp_vf_find(ctx, argv[optind], &vf);
		return op_error(ctx);
	}
	print_end();
	return EXIT_OK;
}

static const char enable_usage[] =
	"Usage: vvpctl enable PF --num-vfs N [ --force ] [ --timeout MS ] [ --no-wait ]\n"
	"                        [ --wait SECONDS ]\n"
	"Create N VFs on PF. Autoprobe is off while they appear and is put back\n"
	"as it was; a PF that has VFs goes through 0 first.\n"
	"  -n, --num-vfs N    number of VFs (at most the PF's total_vfs)\n"
	"  -f, --force        go through 0 even when VFs are bound to vfio\n"
	"  -t, --timeout MS   how long to wait for udev (default 30000)\n"
	"      --no-wait      return once the kernel created the VFs\n"
	"  -w, --wait S       wait at most S seconds for the PF's lock (default 30)\n";

static const char disable_usage[] =
	"Usage: vvpctl disable PF [ --force ] [ --wait SECONDS ]\n"
	"Remove every VF of PF. Refused while a VF is held open through VFIO,\n"
	"and while a VF is bound to a vfio driver unless --force.\n"
	"  -f, --force        remove VFs bound to vfio too\n"
	"  -w, --wait S       wait at most S seconds for the PF's lock (default 30)\n";

static int set_vfs(const char *cmd, struct vvp_ctx *ctx, const char *addr,
		   unsigned int num, unsigned int flags, int wait_ms)
{
	struct vvp_pf *pf;

	if (vvp_pf_find(ctx, addr, &pf) < 0)
		return op_error(ctx);
	if (lock_pf(pf, cmd, wait_ms, NULL) != EXIT_OK)
		return EXIT_FAIL;
	if (vvp_pf_set_num_vfs(pf, num, flags) < 0)
		return op_error(ctx);
	fprintf(stderr, "%s: %u VF%s on %s\n", cmd, num, num == 1 ? "" : "s",
		vvp_pf_get_address(pf));
	return EXIT_OK;
}

int cmd_enable(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "num-vfs", required_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	unsigned int num = 0, flags = 0, timeout;
	int c, wait_ms = LOCK_WAIT_DEFAULT_S * 1000;
	bool have_num = false;

	while ((c = parse_opt("enable", argc, argv, "n:ft:w:h", opts)) != -1) {
		switch (c) {
		case 'n':
			if (!parse_uint("enable", "--num-vfs", optarg, 65535, &num))
				return EXIT_USAGE;
			have_num = true;
			break;
		case 'f':
			flags |= VVP_NUM_VFS_FORCE;
			break;
		case 't':
			if (!parse_uint("enable", "--timeout", optarg, 3600000, &timeout))
				return EXIT_USAGE;
			vvp_set_timeout_ms(ctx, timeout);
			break;
		case 'W':
			flags |= VVP_NUM_VFS_NO_WAIT;
			break;
		case 'w':
			if (!parse_wait("enable", optarg, &wait_ms))
				return EXIT_USAGE;
			break;
		case 'h':
			return print_usage(enable_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return usage_error("enable", "%s (enable takes one PF address)",
				   optind == argc ? "no PF given" : "too many arguments");
	if (!have_num)
		return usage_error("enable", "--num-vfs is required (how many VFs to create)");
	if (!check_address("enable", argv[optind]))
		return EXIT_USAGE;
	return set_vfs("enable", ctx, argv[optind], num, flags, wait_ms);
}

int cmd_disable(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c, wait_ms = LOCK_WAIT_DEFAULT_S * 1000;
	unsigned int flags = 0;

	while ((c = parse_opt("disable", argc, argv, "fw:h", opts)) != -1) {
		switch (c) {
		case 'f':
			flags |= VVP_NUM_VFS_FORCE;
			break;
		case 'w':
			if (!parse_wait("disable", optarg, &wait_ms))
				return EXIT_USAGE;
			break;
		case 'h':
			return print_usage(disable_usage);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return usage_error("disable", "%s (disable takes one PF address)",
				   optind == argc ? "no PF given" : "too many arguments");
	if (!check_address("disable", argv[optind]))
		return EXIT_USAGE;
	return set_vfs("disable", ctx, argv[optind], 0, flags, wait_ms);
}
