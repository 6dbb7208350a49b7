// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl provision: set a VF's MAC, MTU, queue pairs, features and
 * transitional personality through the vvp owner of its PF. The command
 * line is checked for form only (a usage error, exit 2); what values are
 * allowed is the kernel's to say, and its message is shown (exit 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "provision_args.h"
#include "util.h"

/*
 * +f/-f: the member's features as the kernel has them, changed. EXIT_OK,
 * or EXIT_FAIL after saying why.
 */
static int features_value(struct vvp_ctx *ctx, const char *vf,
			  struct prov_opts *o, uint64_t *val)
{
	struct vvp_member *m;
	int rc;

	if (o->clear == ~(uint64_t)0) {
		*val = o->set;
		return EXIT_OK;
	}
	rc = vvp_member_find(ctx, vf, &m);
	if (rc < 0)
		return op_error(ctx, OP_PROVISION, rc, NULL);
	if (!vvp_member_has_features(m)) {
		fprintf(stderr, "Error: cannot change single features of %s (the kernel does not report its features); give the whole value as a number\n",
			vf);
		return EXIT_FAIL;
	}
	*val = (vvp_member_get_features(m) & ~o->clear) | o->set;
	return EXIT_OK;
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

	rc = provision_parse_args(argc, argv, ctx, &o);
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
	if (o.has_features) {
		rc = features_value(ctx, vf, &o, &features);
		if (rc != EXIT_OK)
			return rc;
	}
	cmd = vvp_cmd_new_member_set(ctx, vf);
	if (!cmd)	/* the address is good: out of memory */
		return op_error(ctx, OP_PROVISION, -ENOMEM, NULL);
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
		return op_error(ctx, OP_PROVISION, rc, NULL);
	report(vf, &o, features);
	return EXIT_OK;
}
