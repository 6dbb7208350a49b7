// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Owners: PFs that a vvp backend drives, read with one OWNER_GET dump on
 * first use and kept in address order until vvp_refresh(). This file
 * keeps the context's cache of what was read from the kernel (owners,
 * their members, members looked up alone); nl.c is only the transport.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vvp.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libvvp-private.h"

/*
 * libvvp.h names the caps for users, who do not have the uapi header;
 * vvp_owner_get_caps() passes the kernel's mask on as it came.
 */
#define SAME_CAP(name)							\
	_Static_assert(VVP_OWNER_CAP_##name == (unsigned int)VVP_CAP_##name, \
		       "VVP_OWNER_CAP_" #name " differs from the uapi VVP_CAP_" #name)
SAME_CAP(LEGACY_IO);
SAME_CAP(MAC);
SAME_CAP(MTU);
SAME_CAP(MAX_VQ_PAIRS);
SAME_CAP(FEATURES);
SAME_CAP(TRANSITIONAL);

static const struct {
	unsigned int cap;
	const char *name;
} cap_names[] = {
	{ VVP_OWNER_CAP_LEGACY_IO, "legacy_io" },
	{ VVP_OWNER_CAP_MAC, "mac" },
	{ VVP_OWNER_CAP_MTU, "mtu" },
	{ VVP_OWNER_CAP_MAX_VQ_PAIRS, "max_vq_pairs" },
	{ VVP_OWNER_CAP_FEATURES, "features" },
	{ VVP_OWNER_CAP_TRANSITIONAL, "transitional" },
};

VVP_EXPORT const char *vvp_cap_name(unsigned int cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (cap_names[i].cap == cap)
			return cap_names[i].name;
	return NULL;
}

static struct nla_policy owner_policy[VVP_A_OWNER_MAX + 1] = {
	[VVP_A_OWNER_DEV_NAME] = { .type = NLA_STRING },
	[VVP_A_OWNER_BACKEND] = { .type = NLA_STRING },
	[VVP_A_OWNER_CAPS] = { .type = NLA_U32 },
	[VVP_A_OWNER_NUM_MEMBERS] = { .type = NLA_U32 },
	[VVP_A_OWNER_TOTAL_MEMBERS] = { .type = NLA_U32 },
};

/* One OWNER_GET reply (or owner notification): 0, or -EINVAL. */
int owner_parse(struct nlmsghdr *hdr, struct vvp_owner *o)
{
	struct nlattr *tb[VVP_A_OWNER_MAX + 1];

	if (genlmsg_parse(hdr, 0, tb, VVP_A_OWNER_MAX, owner_policy) < 0 ||
	    !tb[VVP_A_OWNER_DEV_NAME])
		return -EINVAL;
	snprintf(o->address, sizeof(o->address), "%s",
		 nla_get_string(tb[VVP_A_OWNER_DEV_NAME]));
	o->present = 1u << VVP_A_OWNER_DEV_NAME;
	if (tb[VVP_A_OWNER_BACKEND]) {
		snprintf(o->backend, sizeof(o->backend), "%s",
			 nla_get_string(tb[VVP_A_OWNER_BACKEND]));
		o->present |= 1u << VVP_A_OWNER_BACKEND;
	}
	if (tb[VVP_A_OWNER_CAPS]) {
		o->caps = nla_get_u32(tb[VVP_A_OWNER_CAPS]);
		o->present |= 1u << VVP_A_OWNER_CAPS;
	}
	if (tb[VVP_A_OWNER_NUM_MEMBERS]) {
		o->num_members = nla_get_u32(tb[VVP_A_OWNER_NUM_MEMBERS]);
		o->present |= 1u << VVP_A_OWNER_NUM_MEMBERS;
	}
	if (tb[VVP_A_OWNER_TOTAL_MEMBERS]) {
		o->total_members = nla_get_u32(tb[VVP_A_OWNER_TOTAL_MEMBERS]);
		o->present |= 1u << VVP_A_OWNER_TOTAL_MEMBERS;
	}
	return 0;
}

void owner_free(struct vvp_owner *o)
{
	if (!o)
		return;
	member_free_list(o->members);
	free(o);
}

static void owners_free(struct vvp_owner *o)
{
	struct vvp_owner *next;

	for (; o; o = next) {
		next = o->next;
		owner_free(o);
	}
}

/* the context's cache, allocated on first use: NULL when out of memory */
struct vvp_owner_cache *owner_cache(struct vvp_ctx *ctx)
{
	if (!ctx->owners)
		ctx->owners = calloc(1, sizeof(*ctx->owners));
	return ctx->owners;
}

/* forget what was read from the kernel; the socket stays */
void owner_cache_free(struct vvp_ctx *ctx)
{
	struct vvp_owner_cache *c = ctx->owners;

	if (!c)
		return;
	owners_free(c->list);
	member_free_list(c->lone);
	free(c->err);
	free(c);
	ctx->owners = NULL;
}

struct owner_scan {
	struct vvp_ctx *ctx;
	struct vvp_owner *list;
};

/* keep the list in address order, as vvpctl list shows the PFs */
static int owner_add(struct nlmsghdr *hdr, void *arg)
{
	struct owner_scan *s = arg;
	struct vvp_owner *o, **pos;

	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->ctx = s->ctx;
	if (owner_parse(hdr, o) < 0) {
		dbg(s->ctx, "owner message without a dev-name, skipped\n");
		free(o);
		return 0;
	}
	for (pos = &s->list; *pos && strcmp((*pos)->address, o->address) < 0;
	     pos = &(*pos)->next)
		;
	o->next = *pos;
	*pos = o;
	return 0;
}

/* read the owners once; a failure is kept and repeated to later callers */
static int owners_scan(struct vvp_ctx *ctx)
{
	struct owner_scan s = { .ctx = ctx };
	struct vvp_owner_cache *c;
	struct vnl_result res;
	struct nl_msg *msg;
	int rc;

	c = owner_cache(ctx);
	if (!c)
		return vvp_fail(ctx, ENOMEM, "cannot keep the vvp owners (%s)",
				strerror(ENOMEM));
	if (c->scanned) {
		if (c->rc < 0)
			return vvp_fail(ctx, c->rc, "%s", c->err ? c->err : "");
		return 0;
	}
	for (int tries = 0; ; tries++) {
		rc = vnl_msg_new(ctx, VVP_CMD_OWNER_GET, NLM_F_DUMP, &msg);
		if (rc == 0) {
			rc = vnl_transact(ctx, msg, owner_add, &s, &res);
			nlmsg_free(msg);
			if (rc < 0 && res.from_kernel)
				rc = vnl_fail(ctx, &res,
					      "cannot list the vvp owners");
		}
		/* an owner came or went during the dump: read them again */
		if (rc < 0 || !res.dump_intr || tries == DUMP_TRIES - 1)
			break;
		dbg(ctx, "owner dump interrupted, again\n");
		owners_free(s.list);
		s.list = NULL;
	}
	c->scanned = true;
	c->rc = rc;
	if (rc < 0) {
		owners_free(s.list);
		c->err = strdup(ctx->errbuf);
		return rc;
	}
	c->list = s.list;
	return 0;
}

VVP_EXPORT int vvp_owner_scan(struct vvp_ctx *ctx)
{
	vvp_clear_error(ctx);
	return owners_scan(ctx);
}

VVP_EXPORT struct vvp_owner *vvp_owner_get_first(struct vvp_ctx *ctx)
{
	if (owners_scan(ctx) < 0)
		return NULL;
	return ctx->owners->list;
}

VVP_EXPORT struct vvp_owner *vvp_owner_get_next(struct vvp_owner *owner)
{
	return owner->next;
}

/* the cached owner of that address, NULL when none (or no list) */
struct vvp_owner *owner_lookup(struct vvp_ctx *ctx, const char *address)
{
	struct vvp_owner *o;

	if (!address || owners_scan(ctx) < 0)
		return NULL;
	for (o = ctx->owners->list; o; o = o->next)
		if (strcmp(o->address, address) == 0)
			return o;
	return NULL;
}

VVP_EXPORT int vvp_owner_find(struct vvp_ctx *ctx, const char *pf_address,
			      struct vvp_owner **owner)
{
	char addr[16];
	int rc;

	vvp_clear_error(ctx);
	rc = dev_parse_address(ctx, pf_address, addr);
	if (rc < 0)
		return rc;
	rc = owners_scan(ctx);
	if (rc < 0)
		return rc;
	*owner = owner_lookup(ctx, addr);
	if (*owner)
		return 0;
	return vvp_fail(ctx, ENODEV,
			"%s is not a vvp owner (no vvp backend drives it)",
			addr);
}

VVP_EXPORT struct vvp_owner *vvp_pf_get_owner(struct vvp_pf *pf)
{
	return owner_lookup(pf->ctx, pf->address);
}

VVP_EXPORT struct vvp_ctx *vvp_owner_get_ctx(struct vvp_owner *owner)
{
	return owner->ctx;
}

VVP_EXPORT const char *vvp_owner_get_address(struct vvp_owner *owner)
{
	return owner->address;
}

VVP_EXPORT const char *vvp_owner_get_backend(struct vvp_owner *owner)
{
	return owner->present & (1u << VVP_A_OWNER_BACKEND) ? owner->backend
							     : NULL;
}

VVP_EXPORT unsigned int vvp_owner_get_caps(struct vvp_owner *owner)
{
	return owner->caps;
}

VVP_EXPORT unsigned int vvp_owner_get_num_members(struct vvp_owner *owner)
{
	return owner->num_members;
}

VVP_EXPORT unsigned int vvp_owner_get_total_members(struct vvp_owner *owner)
{
	return owner->total_members;
}
