// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl provision's command line: its options, their values' form and
 * its --help. A file of its own so that the fuzzer (tests/fuzz/fuzz-args.c)
 * runs this very parser.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "provision_args.h"
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

int provision_parse_args(int argc, char **argv, struct vvp_ctx *ctx,
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
			if (vvp_parse_features(ctx, optarg, &o->set, &o->clear) < 0)
				return usage_error("provision", "%s",
						   vvp_get_last_error(ctx));
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
