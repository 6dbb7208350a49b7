// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Provisioning values as plans, snapshots and journals handle them: what
 * a member has, what differs from what is wanted, as text
 * ("mac=02:11:22:33:44:01 mtu=9000 transitional=on") and back, and one
 * member_set command to make it so.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"

/* the member's values of the keys set in keys */
void member_prov(struct vvp_member *m, const struct prov *keys,
		 struct prov *out)
{
	memset(out, 0, sizeof(*out));
	if (keys->has_mac && vvp_member_has_mac(m)) {
		out->has_mac = true;
		memcpy(out->mac, vvp_member_get_mac(m), sizeof(out->mac));
	}
	if (keys->has_mtu && vvp_member_has_mtu(m)) {
		out->has_mtu = true;
		out->mtu = vvp_member_get_mtu(m);
	}
	if (keys->has_transitional && vvp_member_has_transitional(m)) {
		out->has_transitional = true;
		out->transitional = vvp_member_get_transitional(m);
	}
}

/* the keys of want that m lacks or has otherwise, into diff */
bool prov_differs(const struct prov *want, struct vvp_member *m,
		  struct prov *diff)
{
	struct prov cur;

	member_prov(m, want, &cur);
	*diff = *want;
	diff->has_mac = want->has_mac &&
		(!cur.has_mac || memcmp(cur.mac, want->mac, sizeof(cur.mac)));
	diff->has_mtu = want->has_mtu && (!cur.has_mtu || cur.mtu != want->mtu);
	diff->has_transitional = want->has_transitional &&
		(!cur.has_transitional ||
		 cur.transitional != want->transitional);
	return diff->has_mac || diff->has_mtu || diff->has_transitional;
}

void prov_format(const struct prov *p, char *buf, size_t len)
{
	char mac[18] = "";
	size_t n = 0;

	buf[0] = '\0';
	if (p->has_mac && vvp_format_mac(p->mac, mac, sizeof(mac)) == 0)
		n += snprintf(buf + n, len - n, "mac=%s", mac);
	if (p->has_mtu && n < len)
		n += snprintf(buf + n, len - n, "%smtu=%u", n ? " " : "",
			      p->mtu);
	if (p->has_transitional && n < len)
		snprintf(buf + n, len - n, "%stransitional=%s", n ? " " : "",
			 p->transitional ? "on" : "off");
}

/* "key=value" into p: 0, or -EINVAL with why in why */
static int parse_key(struct prov *p, const char *key, const char *val,
		     char *why, size_t len)
{
	unsigned long mtu;
	char *end;

	if (strcmp(key, "mac") == 0) {
		p->has_mac = true;
		if (vvp_parse_mac(val, p->mac) == 0)
			return 0;
		snprintf(why, len, "mac '%.20s' is not a MAC address", val);
		return -EINVAL;
	}
	if (strcmp(key, "mtu") == 0) {
		/* the kernel's MTU is a u32: never cut a bigger one down */
		errno = 0;
		mtu = strtoul(val, &end, 10);
		p->has_mtu = true;
		p->mtu = mtu;
		if (*val >= '0' && *val <= '9' && !errno && !*end &&
		    mtu <= UINT_MAX)
			return 0;
		snprintf(why, len, "mtu '%.24s' is not a number from 0 to %u",
			 val, UINT_MAX);
		return -EINVAL;
	}
	if (strcmp(key, "transitional") == 0) {
		p->has_transitional = true;
		p->transitional = strcmp(val, "on") == 0;
		if (p->transitional || strcmp(val, "off") == 0)
			return 0;
		snprintf(why, len, "transitional '%.20s' is neither on nor off",
			 val);
		return -EINVAL;
	}
	snprintf(why, len, "'%.20s' is not mac, mtu or transitional", key);
	return -EINVAL;
}

int prov_parse(const char *text, struct prov *p, char *why, size_t len)
{
	char buf[256], *save = NULL, *tok;

	memset(p, 0, sizeof(*p));
	if (snprintf(buf, sizeof(buf), "%s", text) >= (int)sizeof(buf)) {
		snprintf(why, len, "over %zu characters", sizeof(buf) - 1);
		return -EINVAL;
	}
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq) {
			snprintf(why, len, "'%.20s' is not key=value", tok);
			return -EINVAL;
		}
		*eq = '\0';
		if (parse_key(p, tok, eq + 1, why, len) < 0)
			return -EINVAL;
	}
	return 0;
}

/* one member_set of the keys set in p: 0 or the submit's -errno */
int prov_submit(struct vvp_ctx *ctx, const char *vf_address,
		const struct prov *p)
{
	struct vvp_cmd *cmd;
	int rc = 0;

	cmd = vvp_cmd_new_member_set(ctx, vf_address);
	if (!cmd)
		return -ENOMEM;
	if (p->has_mac)
		rc = vvp_cmd_member_set_mac(cmd, p->mac);
	if (rc == 0 && p->has_mtu)
		rc = vvp_cmd_member_set_mtu(cmd, p->mtu);
	if (rc == 0 && p->has_transitional)
		rc = vvp_cmd_member_set_transitional(cmd, p->transitional);
	if (rc == 0)
		rc = vvp_cmd_submit(cmd);
	vvp_cmd_unref(cmd);
	return rc;
}
