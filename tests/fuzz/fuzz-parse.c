// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvvp's value parsers, the first byte choosing which: PCI addresses,
 * MACs, feature lists, serial numbers (config sections), feature names,
 * and the provisioning text a journal keeps (prov_parse()). Besides not
 * crashing, what a parser accepts must come back the same through its
 * formatter: the canonical form of anything accepted parses to itself.
 */
#include <stdlib.h>
#include <string.h>

#include "config-private.h"
#include "plan-private.h"
#include "fuzz.h"

static struct vvp_ctx *ctx;

static void pci_address(const char *s)
{
	char buf[16], again[16];

	if (vvp_parse_pci_address(s, buf, sizeof(buf)) < 0)
		return;
	if (vvp_parse_pci_address(buf, again, sizeof(again)) < 0 ||
	    strcmp(buf, again))
		abort();
	/* a short buffer is refused, never overrun */
	if (vvp_parse_pci_address(s, buf, 12) != -ENOSPC)
		abort();
}

static void mac(const char *s)
{
	unsigned char m[6], again[6];
	char text[18];

	if (vvp_parse_mac(s, m) < 0)
		return;
	if (vvp_format_mac(m, text, sizeof(text)) < 0 ||
	    vvp_parse_mac(text, again) < 0 || memcmp(m, again, 6))
		abort();
}

static void features(const char *s)
{
	uint64_t set, clear;

	if (vvp_parse_features(ctx, s, &set, &clear) < 0) {
		/* a refusal says why */
		if (!*vvp_get_last_error(ctx))
			abort();
		return;
	}
	/* a list never adds and removes the same bit */
	if (s[0] == '+' || s[0] == '-')
		if (set & clear)
			abort();
}

static void serial(const char *s)
{
	char out[CFG_SERIAL_LEN], again[CFG_SERIAL_LEN];

	if (cfg_parse_serial(s, out) < 0)
		return;
	if (cfg_parse_serial(out, again) < 0 || strcmp(out, again))
		abort();
}

static void feature_name(const char *s)
{
	int bit = vvp_feature_from_name(s);
	const char *name;

	if (bit < 0)
		return;
	if (bit > 63)
		abort();
	name = vvp_feature_name(bit);
	if (name && vvp_feature_from_name(name) != bit)
		abort();
}

static void prov(const char *s)
{
	struct prov p, again;
	char text[256], why[128] = "";

	if (prov_parse(s, &p, why, sizeof(why)) < 0) {
		/* a refusal says why */
		if (!why[0])
			abort();
		return;
	}
	prov_format(&p, text, sizeof(text));
	if (prov_parse(text, &again, why, sizeof(why)) < 0 ||
	    again.has_mac != p.has_mac || again.has_mtu != p.has_mtu ||
	    again.has_transitional != p.has_transitional ||
	    (p.has_mac && memcmp(again.mac, p.mac, 6)) ||
	    (p.has_mtu && again.mtu != p.mtu) ||
	    (p.has_transitional && again.transitional != p.transitional))
		abort();
}

static void (*const parsers[])(const char *) = {
	pci_address, mac, features, serial, feature_name, prov,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	if (!ctx && vvp_new(&ctx) < 0)
		return 0;
	s = fuzz_strndup(data + 1, size - 1);
	parsers[data[0] % ARRAY_SIZE(parsers)](s);
	free(s);
	return 0;
}
