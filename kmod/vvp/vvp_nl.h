/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	kmod/specs/vvp.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_VVP_GEN_H
#define _LINUX_VVP_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/vvp.h>

int vvp_nl_owner_get_doit(struct sk_buff *skb, struct genl_info *info);
int vvp_nl_owner_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vvp_nl_member_get_doit(struct sk_buff *skb, struct genl_info *info);
int vvp_nl_member_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vvp_nl_member_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	VVP_NLGRP_MONITOR,
};

extern struct genl_family vvp_nl_family;

#endif /* _LINUX_VVP_GEN_H */
