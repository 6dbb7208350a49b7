// SPDX-License-Identifier: GPL-2.0-or-later
/* vvpctl owner list|show, and the printers of owners and members */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "print.h"
#include "util.h"

/* "caps legacy_io,mac" in text, "caps": ["legacy_io", "mac"] in JSON */
static void print_caps(unsigned int caps)
{
	bool first = true;
	char buf[16];

	open_json_array("caps");
	for (unsigned int bit = 0; bit < 32; bit++) {
		const char *name;

		if (!(caps & (1u << bit)))
			continue;
		name = vvp_cap_name(1u << bit);
		if (!name) {
			snprintf(buf, sizeof(buf), "bit%u", bit);
			name = buf;
		}
		print_string(PRINT_ANY, NULL, first ? " caps %s" : ",%s", name);
		first = false;
	}
	if (first)
		print_text(" caps none");
	close_json_array();
}

/* "features 0x... (mac status ...)"; JSON: a number and an array of names */
static void print_features(unsigned long long features)
{
	bool first = true;
	char buf[16];

	print_u64(PRINT_ANY, "features", " features 0x%llx", features);
	open_json_array("feature_names");
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(features & (1ULL << bit)))
			continue;
		name = vvp_feature_name(bit);
		if (!name) {
			snprintf(buf, sizeof(buf), "bit%u", bit);
			name = buf;
		}
		print_string(PRINT_ANY, NULL, first ? " (%s" : " %s", name);
		first = false;
	}
	if (!first)
		print_text(")");
	close_json_array();
}

/* the provisioning keys a member has, each only when the kernel sent it */
void print_member_fields(struct vvp_member *m)
{
	char mac[18];

	if (vvp_member_has_mac(m) &&
	    vvp_format_mac(vvp_member_get_mac(m), mac, sizeof(mac)) == 0)
		print_string(PRINT_ANY, "mac", " mac %s", mac);
	if (vvp_member_has_mtu(m))
		print_int(PRINT_ANY, "mtu", " mtu %lld", vvp_member_get_mtu(m));
	if (vvp_member_has_max_vq_pairs(m))
		print_int(PRINT_ANY, "max_vq_pairs", " max_vq_pairs %lld",
			  vvp_member_get_max_vq_pairs(m));
	if (vvp_member_has_transitional(m))
		print_bool(PRINT_ANY, "transitional", " transitional %s",
			   vvp_member_get_transitional(m));
	if (vvp_member_has_busy(m))
		print_bool(PRINT_ANY, "busy", " busy %s", vvp_member_get_busy(m));
	if (vvp_member_has_features(m))
		print_features(vvp_member_get_features(m));
}

static void print_member(struct vvp_member *m)
{
	open_json_object(NULL);
	if (vvp_member_has_index(m))
		print_int(PRINT_ANY, "index", "  member %lld", vvp_member_get_index(m));
	else
		print_text("  member");
	print_string(PRINT_ANY, "address", " %s:", vvp_member_get_address(m));
	print_member_fields(m);
	print_nl();
	close_json_object();
}

/* backend, caps and member counts: shared by owner list/show and monitor */
void print_owner_fields(struct vvp_owner *o)
{
	const char *backend = vvp_owner_get_backend(o);

	if (backend)
		print_string(PRINT_ANY, "backend", " backend %s", backend);
	print_int(PRINT_ANY, "num_members", " members %lld",
		  vvp_owner_get_num_members(o));
	print_int(PRINT_ANY, "total_members", "/%lld",
		  vvp_owner_get_total_members(o));
	print_caps(vvp_owner_get_caps(o));
}

static void print_owner(struct vvp_owner *o, bool members)
{
	struct vvp_member *m;

	open_json_object(NULL);
	print_string(PRINT_ANY, "address", "owner %s:", vvp_owner_get_address(o));
	print_owner_fields(o);
	print_nl();
	if (members) {
		open_json_array("members");
		vvp_member_foreach(o, m)
			print_member(m);
		close_json_array();
	}
	close_json_object();
}

/*
 * vvpctl show VF: the VF's provisioning, when its PF has an owner. Quiet
 * when it has none, or when vvp.ko is not loaded: show works without it.
 */
void print_vf_provisioning(struct vvp_vf *vf)
{
	struct vvp_owner *o = vvp_pf_get_owner(vvp_vf_get_pf(vf));
	const char *backend;
	struct vvp_member *m;

	if (!o)
		return;
	vvp_member_foreach(o, m) {
		const char *addr = vvp_member_get_address(m);

		if (addr && strcmp(addr, vvp_vf_get_address(vf)) == 0)
			break;
	}
	if (!m)
		return;
	open_json_object("provisioning");
	print_string(PRINT_ANY, "owner", "  provisioning: owner %s",
		     vvp_owner_get_address(o));
	backend = vvp_owner_get_backend(o);
	if (backend)
		print_string(PRINT_ANY, "backend", " backend %s", backend);
	print_member_fields(m);
	print_nl();
	close_json_object();
}

static const char owner_usage[] =
	"Usage: vvpctl owner list [ -j ] [ -p ]\n"
	"       vvpctl owner show [ -j ] [ -p ] PF\n"
	"Owners are PFs that a vvp backend (virtio, sim) drives through vvp.ko;\n"
	"their members are the PF's VFs, provisioned with vvpctl provision.\n"
	"  list           every owner: address, backend, caps, member counts\n"
	"  show PF        one owner and the provisioning of each member\n"
	"  -j, --json     JSON output\n"
	"  -p, --pretty   indented JSON\n";

static int owner_list(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct vvp_owner *o;
	int rc;

	rc = parse_json_opts("owner", owner_usage, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind < argc)
		return usage_error("owner", "unexpected argument '%s' (owner list takes none)",
				   argv[optind]);
	rc = vvp_owner_scan(ctx);
	if (rc < 0)
		return op_error(ctx, OP_OWNER, rc, NULL);
	print_init(gopts.json, gopts.pretty);
	open_json_array(NULL);
	vvp_owner_foreach(ctx, o)
		print_owner(o, false);
	close_json_array();
	print_end();
	return EXIT_OK;
}

static int owner_show(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct vvp_owner *o;
	char buf[16];
	int rc;

	rc = parse_json_opts("owner", owner_usage, argc, argv);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc)
		return usage_error("owner", "%s (owner show takes one PF address)",
				   optind == argc ? "no PF given" : "too many arguments");
	if (vvp_parse_pci_address(argv[optind], buf, sizeof(buf)) < 0)
		return usage_error("owner", "'%s' is not a PCI address (expected DDDD:BB:DD.F)",
				   argv[optind]);
	rc = vvp_owner_find(ctx, argv[optind], &o);
	if (rc == 0)
		rc = vvp_member_scan(o);
	if (rc < 0)
		return op_error(ctx, OP_OWNER, rc, NULL);
	print_init(gopts.json, gopts.pretty);
	print_owner(o, true);
	print_end();
	return EXIT_OK;
}

int cmd_owner(int argc, char **argv, struct vvp_ctx *ctx)
{
	const char *sub;

	if (argc < 2)
		return usage_error("owner", "no owner command given (list or show)");
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
	    strcmp(sub, "help") == 0)
		return print_usage(owner_usage);
	/* the subcommand is argv[0] of its own option parse */
	optind = 0;
	if (strcmp(sub, "list") == 0)
		return owner_list(argc - 1, argv + 1, ctx);
	if (strcmp(sub, "show") == 0)
		return owner_show(argc - 1, argv + 1, ctx);
	return usage_error("owner", "unknown owner command '%s' (list or show)", sub);
}
