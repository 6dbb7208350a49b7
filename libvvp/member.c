// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Members: an owner's VFs as vvp.ko provisions them. An owner's members
 * come from one MEMBER_GET dump filtered by the owner; a single member
 * from a MEMBER_GET do by the VF's address.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vvp.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libvvp-private.h"

#define HAS(m, key) (((m)->present >> (key)) & 1)

static struct nla_policy member_policy[VVP_A_MEMBER_MAX + 1] = {
	[VVP_A_MEMBER_OWNER] = { .type = NLA_STRING },
	[VVP_A_MEMBER_INDEX] = { .type = NLA_U32 },
	[VVP_A_MEMBER_DEV_NAME] = { .type = NLA_STRING },
	[VVP_A_MEMBER_MAC] = { .type = NLA_UNSPEC },
	[VVP_A_MEMBER_MTU] = { .type = NLA_U32 },
	[VVP_A_MEMBER_MAX_VQ_PAIRS] = { .type = NLA_U32 },
	[VVP_A_MEMBER_FEATURES] = { .type = NLA_UNSPEC },	/* uint */
	[VVP_A_MEMBER_TRANSITIONAL] = { .type = NLA_U8 },
	[VVP_A_MEMBER_BUSY] = { .type = NLA_U8 },
};

/*
 * A "uint" attribute of the spec: 4 or 8 bytes, as the kernel's
 * nla_put_uint() writes it (8 only when the value needs them). 0, or
 * -EINVAL for any other length.
 */
static int attr_get_uint(const struct nlattr *attr, uint64_t *val)
{
	uint32_t v32;

	switch (nla_len(attr)) {
	case sizeof(uint32_t):
		memcpy(&v32, nla_data(attr), sizeof(v32));
		*val = v32;
		return 0;
	case sizeof(uint64_t):
		memcpy(val, nla_data(attr), sizeof(*val));
		return 0;
	}
	return -EINVAL;
}

/* One MEMBER_GET reply (or member notification): 0, or -EINVAL. */
int member_parse(struct nlmsghdr *hdr, struct vvp_member *m)
{
	struct nlattr *tb[VVP_A_MEMBER_MAX + 1];

	if (genlmsg_parse(hdr, 0, tb, VVP_A_MEMBER_MAX, member_policy) < 0 ||
	    !tb[VVP_A_MEMBER_DEV_NAME])
		return -EINVAL;
	m->present = 0;
	snprintf(m->address, sizeof(m->address), "%s",
		 nla_get_string(tb[VVP_A_MEMBER_DEV_NAME]));
	m->present |= 1u << VVP_A_MEMBER_DEV_NAME;
	if (tb[VVP_A_MEMBER_OWNER]) {
		snprintf(m->owner_address, sizeof(m->owner_address), "%s",
			 nla_get_string(tb[VVP_A_MEMBER_OWNER]));
		m->present |= 1u << VVP_A_MEMBER_OWNER;
	}
	if (tb[VVP_A_MEMBER_INDEX]) {
		m->index = nla_get_u32(tb[VVP_A_MEMBER_INDEX]);
		m->present |= 1u << VVP_A_MEMBER_INDEX;
	}
	/* the spec says exactly 6 bytes; anything else is not a MAC */
	if (tb[VVP_A_MEMBER_MAC] && nla_len(tb[VVP_A_MEMBER_MAC]) == 6) {
		memcpy(m->mac, nla_data(tb[VVP_A_MEMBER_MAC]), 6);
		m->present |= 1u << VVP_A_MEMBER_MAC;
	}
	if (tb[VVP_A_MEMBER_MTU]) {
		m->mtu = nla_get_u32(tb[VVP_A_MEMBER_MTU]);
		m->present |= 1u << VVP_A_MEMBER_MTU;
	}
	if (tb[VVP_A_MEMBER_MAX_VQ_PAIRS]) {
		m->max_vq_pairs = nla_get_u32(tb[VVP_A_MEMBER_MAX_VQ_PAIRS]);
		m->present |= 1u << VVP_A_MEMBER_MAX_VQ_PAIRS;
	}
	if (tb[VVP_A_MEMBER_FEATURES] &&
	    attr_get_uint(tb[VVP_A_MEMBER_FEATURES], &m->features) == 0)
		m->present |= 1u << VVP_A_MEMBER_FEATURES;
	if (tb[VVP_A_MEMBER_TRANSITIONAL]) {
		m->transitional = nla_get_u8(tb[VVP_A_MEMBER_TRANSITIONAL]);
		m->present |= 1u << VVP_A_MEMBER_TRANSITIONAL;
	}
	if (tb[VVP_A_MEMBER_BUSY]) {
		m->busy = nla_get_u8(tb[VVP_A_MEMBER_BUSY]);
		m->present |= 1u << VVP_A_MEMBER_BUSY;
	}
	return 0;
}

void member_free_list(struct vvp_member *m)
{
	struct vvp_member *next;

	for (; m; m = next) {
		next = m->next;
		free(m);
	}
}

struct member_scan {
	struct vvp_owner *owner;
	struct vvp_member *list;
};

/* keep an owner's members in index order, as its VFs are */
static int member_add(struct nlmsghdr *hdr, void *arg)
{
	struct member_scan *s = arg;
	struct vvp_member *m, **pos;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->ctx = s->owner->ctx;
	m->owner = s->owner;
	if (member_parse(hdr, m) < 0 ||
	    (HAS(m, VVP_A_MEMBER_OWNER) &&
	     strcmp(m->owner_address, s->owner->address) != 0)) {
		free(m);
		return 0;
	}
	for (pos = &s->list; *pos && (*pos)->index <= m->index;
	     pos = &(*pos)->next)
		;
	m->next = *pos;
	*pos = m;
	return 0;
}

static int members_scan(struct vvp_owner *owner)
{
	struct member_scan s = { .owner = owner };
	struct vvp_ctx *ctx = owner->ctx;
	struct vnl_result res;
	struct nl_msg *msg;
	int rc;

	if (owner->members_scanned) {
		if (owner->members_rc < 0)
			return vvp_fail(ctx, owner->members_rc,
					"cannot list the members of %s (%s)",
					owner->address, strerror(-owner->members_rc));
		return 0;
	}
	for (int tries = 0; ; tries++) {
		rc = vnl_msg_new(ctx, VVP_CMD_MEMBER_GET, NLM_F_DUMP, &msg);
		if (rc < 0)
			return rc;
		if (nla_put_string(msg, VVP_A_MEMBER_OWNER, owner->address) < 0) {
			nlmsg_free(msg);
			member_free_list(s.list);
			return vvp_fail(ctx, ENOMEM, "cannot build a netlink message (%s)",
					strerror(ENOMEM));
		}
		rc = vnl_transact(ctx, msg, member_add, &s, &res);
		nlmsg_free(msg);
		/* the owners changed during the dump: read the members again */
		if (rc < 0 || !res.dump_intr || tries == DUMP_TRIES - 1)
			break;
		dbg(ctx, "member dump of %s interrupted, again\n", owner->address);
		member_free_list(s.list);
		s.list = NULL;
	}
	if (rc < 0 && res.from_kernel)
		rc = vnl_fail(ctx, &res, "cannot list the members of %s",
			     owner->address);
	if (rc < 0) {
		member_free_list(s.list);
		/* a transport failure may pass; the kernel's answer stays */
		if (res.from_kernel) {
			owner->members_scanned = true;
			owner->members_rc = rc;
		}
		return rc;
	}
	owner->members = s.list;
	owner->members_scanned = true;
	return 0;
}

VVP_EXPORT int vvp_member_scan(struct vvp_owner *owner)
{
	vvp_clear_error(owner->ctx);
	return members_scan(owner);
}

VVP_EXPORT struct vvp_member *vvp_member_get_first(struct vvp_owner *owner)
{
	if (members_scan(owner) < 0)
		return NULL;
	return owner->members;
}

VVP_EXPORT struct vvp_member *vvp_member_get_next(struct vvp_member *member)
{
	return member->next;
}

static int member_one(struct nlmsghdr *hdr, void *arg)
{
	struct vvp_member *m = arg;

	/* the first reply counts; a do has exactly one */
	if (m->present)
		return 0;
	member_parse(hdr, m);
	return 0;
}

/*
 * The member vvp_member_find() keeps for the VF at address: one per VF,
 * so that a caller polling a member does not grow the context's list.
 */
static struct vvp_member *lone_lookup(struct vvp_owner_cache *c,
				      const char *address)
{
	struct vvp_member *m;

	for (m = c->lone; m; m = m->next)
		if (strcmp(m->address, address) == 0)
			return m;
	return NULL;
}

VVP_EXPORT int vvp_member_find(struct vvp_ctx *ctx, const char *vf_address,
			       struct vvp_member **member)
{
	struct vvp_member fresh = { .ctx = ctx }, *m, *next;
	struct vvp_owner_cache *c;
	struct vnl_result res;
	struct nl_msg *msg;
	char addr[16];
	int rc;

	vvp_clear_error(ctx);
	rc = dev_parse_address(ctx, vf_address, addr);
	if (rc < 0)
		return rc;
	rc = vnl_msg_new(ctx, VVP_CMD_MEMBER_GET, 0, &msg);
	if (rc < 0)
		return rc;
	if (nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, addr) < 0) {
		nlmsg_free(msg);
		return vvp_fail(ctx, ENOMEM, "cannot build a netlink message (%s)",
				strerror(ENOMEM));
	}
	rc = vnl_transact(ctx, msg, member_one, &fresh, &res);
	nlmsg_free(msg);
	if (rc < 0) {
		if (res.from_kernel)
			return vnl_fail(ctx, &res,
				       "cannot read the provisioning of %s", addr);
		return rc;
	}
	if (!fresh.present)
		return vvp_fail(ctx, EPROTO,
				"cannot read the provisioning of %s (the kernel's answer has no member)",
				addr);
	/* an earlier object for this VF takes the new values, in place */
	c = owner_cache(ctx);
	m = c ? lone_lookup(c, fresh.address) : NULL;
	if (c && !m) {
		m = calloc(1, sizeof(*m));
		if (m) {
			m->next = c->lone;
			c->lone = m;
		}
	}
	if (!m)
		return vvp_fail(ctx, ENOMEM,
				"cannot keep the provisioning of %s (%s)",
				addr, strerror(ENOMEM));
	next = m->next;
	*m = fresh;
	m->next = next;
	*member = m;
	return 0;
}

VVP_EXPORT struct vvp_owner *vvp_member_get_owner(struct vvp_member *member)
{
	if (member->owner)
		return member->owner;
	if (!HAS(member, VVP_A_MEMBER_OWNER))
		return NULL;
	/* looked up each time: the owner cache may have been refreshed */
	return owner_lookup(member->ctx, member->owner_address);
}

VVP_EXPORT const char *vvp_member_get_owner_address(struct vvp_member *member)
{
	if (HAS(member, VVP_A_MEMBER_OWNER))
		return member->owner_address;
	return member->owner ? member->owner->address : NULL;
}

VVP_EXPORT const char *vvp_member_get_address(struct vvp_member *member)
{
	return HAS(member, VVP_A_MEMBER_DEV_NAME) ? member->address : NULL;
}

/*
 * vvp_member_has_X(): whether the kernel sent attribute @attr;
 * vvp_member_get_X(): the field it filled, which means something only then
 */
#define MEMBER_ATTR(has_fn, get_fn, type, field, attr)		\
	VVP_EXPORT bool has_fn(struct vvp_member *member)		\
	{								\
		return HAS(member, attr);				\
	}								\
	VVP_GETTER(type, get_fn, struct vvp_member, field)

MEMBER_ATTR(vvp_member_has_index, vvp_member_get_index,
	    unsigned int, index, VVP_A_MEMBER_INDEX)
MEMBER_ATTR(vvp_member_has_mac, vvp_member_get_mac,
	    const unsigned char *, mac, VVP_A_MEMBER_MAC)
MEMBER_ATTR(vvp_member_has_mtu, vvp_member_get_mtu,
	    unsigned int, mtu, VVP_A_MEMBER_MTU)
MEMBER_ATTR(vvp_member_has_max_vq_pairs, vvp_member_get_max_vq_pairs,
	    unsigned int, max_vq_pairs, VVP_A_MEMBER_MAX_VQ_PAIRS)
MEMBER_ATTR(vvp_member_has_features, vvp_member_get_features,
	    uint64_t, features, VVP_A_MEMBER_FEATURES)
MEMBER_ATTR(vvp_member_has_transitional, vvp_member_get_transitional,
	    bool, transitional, VVP_A_MEMBER_TRANSITIONAL)
MEMBER_ATTR(vvp_member_has_busy, vvp_member_get_busy,
	    bool, busy, VVP_A_MEMBER_BUSY)
