// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * virtio-net words for people: MAC addresses and feature bit names.
 * Names are the spec's (VIRTIO_NET_F_* and VIRTIO_F_*, virtio 1.2 5.1.3
 * and 6), lowercase, without the prefix.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvvp-private.h"

static const char *const feature_names[64] = {
	[0] = "csum",
	[1] = "guest_csum",
	[2] = "ctrl_guest_offloads",
	[3] = "mtu",
	[5] = "mac",
	[6] = "gso",
	[7] = "guest_tso4",
	[8] = "guest_tso6",
	[9] = "guest_ecn",
	[10] = "guest_ufo",
	[11] = "host_tso4",
	[12] = "host_tso6",
	[13] = "host_ecn",
	[14] = "host_ufo",
	[15] = "mrg_rxbuf",
	[16] = "status",
	[17] = "ctrl_vq",
	[18] = "ctrl_rx",
	[19] = "ctrl_vlan",
	[20] = "ctrl_rx_extra",
	[21] = "guest_announce",
	[22] = "mq",
	[23] = "ctrl_mac_addr",
	[24] = "notify_on_empty",
	[27] = "any_layout",
	[28] = "indirect_desc",
	[29] = "event_idx",
	[32] = "version_1",
	[33] = "access_platform",
	[34] = "ring_packed",
	[35] = "in_order",
	[36] = "order_platform",
	[37] = "sr_iov",
	[38] = "notification_data",
	[39] = "notif_config_data",
	[40] = "ring_reset",
	[41] = "admin_vq",
	[52] = "vq_notf_coal",
	[53] = "notf_coal",
	[54] = "guest_uso4",
	[55] = "guest_uso6",
	[56] = "host_uso",
	[57] = "hash_report",
	[59] = "guest_hdrlen",
	[60] = "rss",
	[61] = "rsc_ext",
	[62] = "standby",
	[63] = "speed_duplex",
};

VVP_EXPORT const char *vvp_feature_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(feature_names) ? feature_names[bit] : NULL;
}

/* bit number for a name or "bitN": 0..63, or -EINVAL */
VVP_EXPORT int vvp_feature_from_name(const char *name)
{
	unsigned long bit;
	char *end;

	if (!name || !*name)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++)
		if (feature_names[i] && strcmp(feature_names[i], name) == 0)
			return i;
	if (strncmp(name, "bit", 3) == 0 && isdigit((unsigned char)name[3])) {
		errno = 0;
		bit = strtoul(name + 3, &end, 10);
		if (!errno && !*end && bit < 64)
			return bit;
	}
	return -EINVAL;
}

/*
 * A whole feature value, decimal or 0x hex (not octal: "010" is ten):
 * 0, -ERANGE above 64 bits, -EINVAL when s is not such a number.
 */
static int parse_number(const char *s, uint64_t *val)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]) ||
	    (hex && !isxdigit((unsigned char)s[2])))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, hex ? 16 : 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	if (errno)
		return -EINVAL;
	*val = v;
	return 0;
}

VVP_EXPORT int vvp_parse_features(struct vvp_ctx *ctx, const char *list,
				  uint64_t *set, uint64_t *clear)
{
	uint64_t add = 0, del = 0, val;
	const char *p, *comma;
	char item[64];
	int rc;

	vvp_clear_error(ctx);
	if (!list || !*list)
		return vvp_fail(ctx, EINVAL,
				"empty feature list (nothing to change)");
	/* a digit starts a whole value; a list entry starts with + or - */
	if (isdigit((unsigned char)list[0])) {
		rc = parse_number(list, &val);
		if (rc == -ERANGE)
			return vvp_fail(ctx, ERANGE,
					"feature value '%s' is out of range (at most 64 bits)",
					list);
		if (rc < 0)
			return vvp_fail(ctx, EINVAL,
					"feature value '%s' is not a number (decimal or 0x hex)",
					list);
		*set = val;
		*clear = ~(uint64_t)0;
		return 0;
	}
	for (p = list; ; p = comma + 1) {
		size_t len;
		int bit;

		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(item))
			return vvp_fail(ctx, EINVAL,
					"bad feature list '%s' (%s entry)",
					list, len ? "too long an" : "an empty");
		memcpy(item, p, len);
		item[len] = '\0';
		if (item[0] != '+' && item[0] != '-')
			return vvp_fail(ctx, EINVAL,
					"feature '%s' has no + or - (+%s adds it, -%s removes it)",
					item, item, item);
		bit = vvp_feature_from_name(item + 1);
		if (bit < 0)
			return vvp_fail(ctx, EINVAL,
					"unknown feature '%s' (not a virtio-net feature name or bitN)",
					item + 1);
		if (item[0] == '+') {
			add |= (uint64_t)1 << bit;
			del &= ~((uint64_t)1 << bit);
		} else {
			del |= (uint64_t)1 << bit;
			add &= ~((uint64_t)1 << bit);
		}
		if (!comma)
			break;
	}
	*set = add;
	*clear = del;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

VVP_EXPORT int vvp_parse_mac(const char *str, unsigned char mac[6])
{
	unsigned char out[6];
	char sep = 0;

	if (!str)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		int hi = hexval((unsigned char)str[0]);
		int lo = hi < 0 ? -1 : hexval((unsigned char)str[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = hi << 4 | lo;
		str += 2;
		if (i == 5)
			break;
		if (*str != ':' && *str != '-')
			return -EINVAL;
		/* one separator throughout: "52:54-00..." is a typo */
		if (sep && *str != sep)
			return -EINVAL;
		sep = *str++;
	}
	if (*str)
		return -EINVAL;
	memcpy(mac, out, 6);
	return 0;
}

VVP_EXPORT int vvp_format_mac(const unsigned char mac[6], char *buf,
			      unsigned long len)
{
	if (len < 18)
		return -ENOSPC;
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return 0;
}
