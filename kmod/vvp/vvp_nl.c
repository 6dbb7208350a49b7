// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	kmod/specs/vvp.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "vvp_nl.h"

#include <uapi/linux/vvp.h>

/* Integer value ranges */
static const struct netlink_range_validation vvp_a_member_mtu_range = {
	.min	= 68ULL,
	.max	= 65535ULL,
};

static const struct netlink_range_validation vvp_a_member_max_vq_pairs_range = {
	.min	= 1ULL,
	.max	= 32768ULL,
};

/* VVP_CMD_OWNER_GET - do */
static const struct nla_policy vvp_owner_get_nl_policy[VVP_A_OWNER_DEV_NAME + 1] = {
	[VVP_A_OWNER_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VVP_CMD_MEMBER_GET - do */
static const struct nla_policy vvp_member_get_do_nl_policy[VVP_A_MEMBER_DEV_NAME + 1] = {
	[VVP_A_MEMBER_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VVP_CMD_MEMBER_GET - dump */
static const struct nla_policy vvp_member_get_dump_nl_policy[VVP_A_MEMBER_OWNER + 1] = {
	[VVP_A_MEMBER_OWNER] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VVP_CMD_MEMBER_SET - do */
static const struct nla_policy vvp_member_set_nl_policy[VVP_A_MEMBER_TRANSITIONAL + 1] = {
	[VVP_A_MEMBER_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[VVP_A_MEMBER_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VVP_A_MEMBER_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32, &vvp_a_member_mtu_range),
	[VVP_A_MEMBER_MAX_VQ_PAIRS] = NLA_POLICY_FULL_RANGE(NLA_U32, &vvp_a_member_max_vq_pairs_range),
	[VVP_A_MEMBER_FEATURES] = { .type = NLA_UINT, },
	[VVP_A_MEMBER_TRANSITIONAL] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Ops table for vvp */
static const struct genl_split_ops vvp_nl_ops[] = {
	{
		.cmd		= VVP_CMD_OWNER_GET,
		.doit		= vvp_nl_owner_get_doit,
		.policy		= vvp_owner_get_nl_policy,
		.maxattr	= VVP_A_OWNER_DEV_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= VVP_CMD_OWNER_GET,
		.dumpit	= vvp_nl_owner_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= VVP_CMD_MEMBER_GET,
		.doit		= vvp_nl_member_get_doit,
		.policy		= vvp_member_get_do_nl_policy,
		.maxattr	= VVP_A_MEMBER_DEV_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VVP_CMD_MEMBER_GET,
		.dumpit		= vvp_nl_member_get_dumpit,
		.policy		= vvp_member_get_dump_nl_policy,
		.maxattr	= VVP_A_MEMBER_OWNER,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= VVP_CMD_MEMBER_SET,
		.doit		= vvp_nl_member_set_doit,
		.policy		= vvp_member_set_nl_policy,
		.maxattr	= VVP_A_MEMBER_TRANSITIONAL,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group vvp_nl_mcgrps[] = {
	[VVP_NLGRP_MONITOR] = { "monitor", },
};

struct genl_family vvp_nl_family __ro_after_init = {
	.name		= VVP_FAMILY_NAME,
	.version	= VVP_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= vvp_nl_ops,
	.n_split_ops	= ARRAY_SIZE(vvp_nl_ops),
	.mcgrps		= vvp_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vvp_nl_mcgrps),
};
