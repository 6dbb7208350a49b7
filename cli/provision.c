// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl provision: set a VF's MAC, MTU, queue pairs, features and
 * transitional personality through the vvp owner of its PF. The command
 * line is checked for form only (a usage error, exit 2); what values are
 * allowed is the kernel's to say, and its message is shown (exit 1).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "util.h"

static const char provision_usage[] =
	"Usage: vvpctl provision VF [ --mac MAC ] [ --mtu MTU ] [ --max-vq-pairs N ]\n"
	"                           [ --features { +NAME | -NAME }[,...] ]\n"
	"                           [ --transitional { on | off } ] [ --wait SECONDS ]\n"
	"Provision VF through the vvp owner of its PF (vvp.ko must be loaded).\n"
	"Only the values given change; the kernel applies all of them or none.\n"
	"  --mac MAC             MAC address, e.g. 52:54:00:12:34:56\n"
	"  --mtu MTU             MTU in bytes\n"
	"  --max-vq-pairs N      maximum number of virtqueue pairs\n"
	"  --features LIST       +NAME offers a feature bit, -NAME withdraws it,\n"
	"                        the other bits stay; a number (decimal or 0x,\n"
	"                        at most 64 bits) sets every bit\n"
	"  --transitional on|off offer the VF as a transitional (legacy-capable)\n"
	"                        virtio-net device\n"
	"  --wait S              wait at most S seconds for the PF's lock (default 30)\n"
	"Feature names (or bitN for any bit 0-63):\n";

static int print_provision_usage(void)
{
	int col = 0;

	fputs(provision_usage, stdout);
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = vvp_feature_name(bit);

		if (!name)
			continue;
		if (col + strlen(name) + 1 > 72) {
			putchar('\n');
			col = 0;
		}
		col += printf("%s%s", col ? " " : "  ", name);
	}
	putchar('\n');
	return EXIT_OK;
}

enum {
	OPT_MAC = 256,
	OPT_MTU,
	OPT_PAIRS,
	OPT_FEATURES,
	OPT_TRANSITIONAL,
	OPT_WAIT,
};

struct prov_opts {
	bool has_mac, has_mtu, has_pairs, has_features, has_transitional;
	unsigned char mac[6];
	unsigned int mtu, pairs;
	uint64_t set, clear;
	bool transitional;
	int wait_ms;
};

static int parse_onoff(const char *arg, bool *val)
{
	if (strcmp(arg, "on") == 0 || strcmp(arg, "1") == 0)
		*val = true;
	else if (strcmp(arg, "off") == 0 || strcmp(arg, "0") == 0)
		*val = false;
	else
		return usage_error("provision",
				   "invalid value '%s' for --transitional (expected on or off)",
				   arg);
	return EXIT_OK;
}

static int parse_args(int argc, char **argv, struct vvp_ctx *ctx,
		      struct prov_opts *o)
{
	static const struct option opts[] = {
		{ "mac", required_argument, NULL, OPT_MAC },
		{ "mtu", required_argument, NULL, OPT_MTU },
		{ "max-vq-pairs", required_argument, NULL, OPT_PAIRS },
		{ "features", required_argument, NULL, OPT_FEATURES },
		{ "transitional", required_argument, NULL, OPT_TRANSITIONAL },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = parse_opt("provision", argc, argv, "h", opts)) != -1) {
		switch (c) {
		case OPT_MAC:
			if (vvp_parse_mac(optarg, o->mac) < 0)
				return usage_error("provision",
						   "invalid MAC address '%s' for --mac (expected six hex pairs, e.g. 52:54:00:12:34:56)",
						   optarg);
			o->has_mac = true;
			break;
		case OPT_MTU:
			if (!parse_uint("provision", "--mtu", optarg, UINT_MAX, &o->mtu))
				return EXIT_USAGE;
			o->has_mtu = true;
			break;
		case OPT_PAIRS:
			if (!parse_uint("provision", "--max-vq-pairs", optarg,
					UINT_MAX, &o->pairs))
				return EXIT_USAGE;
			o->has_pairs = true;
			break;
		case OPT_FEATURES:
			if (vvp_parse_features(ctx, optarg, &o->set, &o->clear) < 0) {
				fprintf(stderr, "Error: %s\n", vvp_get_last_error(ctx));
				return EXIT_USAGE;
			}
			o->has_features = true;
			break;
		case OPT_TRANSITIONAL:
			if (parse_onoff(optarg, &o->transitional) != EXIT_OK)
				return EXIT_USAGE;
			o->has_transitional = true;
			break;
		case OPT_WAIT:
			if (!parse_wait("provision", optarg, &o->wait_ms))
				return EXIT_USAGE;
			break;
		case 'h':
			return print_provision_usage();
		default:
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* +f/-f: the member's features as the kernel has them, changed */
static int features_value(struct vvp_ctx *ctx, const char *vf,
			  struct prov_opts *o, uint64_t *val)
{
	struct vvp_member *m;

	if (o->clear == ~(uint64_t)0) {
		*val = o->set;
		return 0;
	}
	if (vvp_member_find(ctx, vf, &m) < 0)
		return -1;
	if (!vvp_member_has_features(m)) {
		fprintf(stderr, "Error: cannot change single features of %s (the kernel does not report its features); give the whole value as a number\n",
			vf);
		return -1;
	}
	*val = (vvp_member_get_features(m) & ~o->clear) | o->set;
	return 0;
}

static void report(const char *vf, const struct prov_opts *o, uint64_t features)
{
	char mac[18];

	fprintf(stderr, "provisioned %s:", vf);
	if (o->has_mac && vvp_format_mac(o->mac, mac, sizeof(mac)) == 0)
		fprintf(stderr, " mac %s", mac);
	if (o->has_mtu)
		fprintf(stderr, " mtu %u", o->mtu);
	if (o->has_pairs)
		fprintf(stderr, " max_vq_pairs %u", o->pairs);
	if (o->has_features)
		fprintf(stderr, " features 0x%llx", (unsigned long long)features);
	if (o->has_transitional)
		fprintf(stderr, " transitional %s", o->transitional ? "on" : "off");
	fputc('\n', stderr);
}

int cmd_provision(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct prov_opts o = { .wait_ms = LOCK_WAIT_DEFAULT_S * 1000 };
	uint64_t features = 0;
	struct vvp_cmd *cmd;
	char vf[16];
	int rc;

	rc = parse_args(argc, argv, ctx, &o);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc)
		return usage_error("provision", "%s (provision takes one VF address)",
				   optind == argc ? "no VF given" : "too many arguments");
	if (vvp_parse_pci_address(argv[optind], vf, sizeof(vf)) < 0)
		return usage_error("provision", "'%s' is not a PCI address (expected DDDD:BB:DD.F)",
				   argv[optind]);
	if (!o.has_mac && !o.has_mtu && !o.has_pairs && !o.has_features &&
	    !o.has_transitional)
		return usage_error("provision",
				   "nothing to provision (give at least one of --mac, --mtu, --max-vq-pairs, --features, --transitional)");

	if (lock_vf_pf(ctx, vf, "provision", o.wait_ms) != EXIT_OK)
		return EXIT_FAIL;
	if (o.has_features && features_value(ctx, vf, &o, &features) < 0)
		return *vvp_get_last_error(ctx) ? op_error(ctx) : EXIT_FAIL;
	cmd = vvp_cmd_new_member_set(ctx, vf);
	if (!cmd)
		return op_error(ctx);
	if (o.has_mac)
		vvp_cmd_member_set_mac(cmd, o.mac);
	if (o.has_mtu)
		vvp_cmd_member_set_mtu(cmd, o.mtu);
	if (o.has_pairs)
		vvp_cmd_member_set_max_vq_pairs(cmd, o.pairs);
	if (o.has_features)
		vvp_cmd_member_set_features(cmd, features);
	if (o.has_transitional)
		vvp_cmd_member_set_transitional(cmd, o.transitional);
	rc = vvp_cmd_submit(cmd);
	vvp_cmd_unref(cmd);
	if (rc < 0)
		return op_error(ctx);
	report(vf, &o, features);
	return EXIT_OK;
}
