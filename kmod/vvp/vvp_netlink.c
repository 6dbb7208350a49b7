// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "vvp" generic netlink family, as specs/vvp.yaml describes it:
 * strict per-operation policies, an extack message on every error,
 * GENL_ADMIN_PERM on member-set, and change notifications on "monitor".
 */
#include <linux/etherdevice.h>
#include <linux/pci.h>
#include <net/genetlink.h>

#include "vvp_core.h"

enum vvp_nl_groups {
	VVP_NLGRP_MONITOR,
};

/* policies, one per operation, in the spec's order */
static const struct nla_policy vvp_owner_get_do_nl_policy[VVP_A_OWNER_DEV_NAME + 1] = {
	[VVP_A_OWNER_DEV_NAME] = { .type = NLA_NUL_STRING, .len = VVP_NAME_LEN - 1 },
};

static const struct nla_policy vvp_member_get_do_nl_policy[VVP_A_MEMBER_DEV_NAME + 1] = {
	[VVP_A_MEMBER_DEV_NAME] = { .type = NLA_NUL_STRING, .len = VVP_NAME_LEN - 1 },
};

static const struct nla_policy vvp_member_get_dump_nl_policy[VVP_A_MEMBER_OWNER + 1] = {
	[VVP_A_MEMBER_OWNER] = { .type = NLA_NUL_STRING, .len = VVP_NAME_LEN - 1 },
};

/* NLA_POLICY_RANGE() holds s16 bounds: 65535 and 32768 do not fit */
static const struct netlink_range_validation vvp_mtu_range = {
	.min = 68,
	.max = 65535,
};

static const struct netlink_range_validation vvp_max_vq_pairs_range = {
	.min = 1,
	.max = 32768,
};

static const struct nla_policy vvp_member_set_nl_policy[VVP_A_MEMBER_TRANSITIONAL + 1] = {
	[VVP_A_MEMBER_DEV_NAME] = { .type = NLA_NUL_STRING, .len = VVP_NAME_LEN - 1 },
	[VVP_A_MEMBER_MAC] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VVP_A_MEMBER_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32, &vvp_mtu_range),
	[VVP_A_MEMBER_MAX_VQ_PAIRS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vvp_max_vq_pairs_range),
	[VVP_A_MEMBER_FEATURES] = { .type = NLA_U64 },
	[VVP_A_MEMBER_TRANSITIONAL] = NLA_POLICY_MAX(NLA_U8, 1),
};

static struct genl_family vvp_nl_family;

/* The PCI device address attribute @attr names, referenced, or ERR_PTR. */
static struct pci_dev *vvp_nl_pci_get(struct nlattr *attr,
				      struct netlink_ext_ack *extack)
{
	unsigned int domain, bus, devfn;
	const char *addr = nla_data(attr);	/* NLA_NUL_STRING */
	struct pci_dev *pdev;

	if (vvp_pci_parse_addr(addr, strlen(addr), &domain, &bus, &devfn)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "invalid PCI address: expected DDDD:BB:DD.F");
		return ERR_PTR(-EINVAL);
	}
	pdev = pci_get_domain_bus_and_slot(domain, bus, devfn);
	if (!pdev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no PCI device at this address");
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

/*
 * What address attribute @attr names, vvp_lock held: an owner (a PF), or
 * with @index a member (a VF: its PF's owner, and the VF's index).
 */
static struct vvp_owner *vvp_nl_lookup(struct nlattr *attr,
				       unsigned int *index,
				       struct netlink_ext_ack *extack)
{
	struct vvp_owner *owner = NULL;
	struct pci_dev *pdev;
	int id = 0;

	pdev = vvp_nl_pci_get(attr, extack);
	if (IS_ERR(pdev))
		return ERR_CAST(pdev);
	if (!index) {
		owner = vvp_owner_find_locked(pdev);
		if (!owner)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "PCI device is not a vvp owner");
	} else if (!pdev->is_virtfn) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "PCI device is not a VF");
	} else {
		owner = vvp_owner_find_locked(pci_physfn(pdev));
		id = pci_iov_vf_id(pdev);
		if (!owner) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the VF's PF has no vvp owner (attach one first)");
		} else if (id < 0 || id >= owner->total) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "VF index out of the owner's range");
			owner = NULL;
		}
	}
	pci_dev_put(pdev);
	if (!owner)
		return ERR_PTR(-ENODEV);
	if (index)
		*index = id;
	return owner;
}

/* vvp_nl_lookup() of a member, with a reference; takes vvp_lock */
static struct vvp_owner *vvp_nl_member_get(struct nlattr *attr,
					   unsigned int *index,
					   struct netlink_ext_ack *extack)
{
	struct vvp_owner *owner;

	mutex_lock(&vvp_lock);
	owner = vvp_nl_lookup(attr, index, extack);
	if (!IS_ERR(owner))
		kobject_get(&owner->kobj);
	mutex_unlock(&vvp_lock);
	return owner;
}

static int vvp_nl_fill_owner(struct sk_buff *skb, struct vvp_owner *owner,
			     u8 cmd, u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vvp_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, VVP_A_OWNER_DEV_NAME, owner->name) ||
	    nla_put_string(skb, VVP_A_OWNER_BACKEND, owner->backend) ||
	    nla_put_u32(skb, VVP_A_OWNER_CAPS, owner->caps) ||
	    nla_put_u32(skb, VVP_A_OWNER_NUM_MEMBERS,
			vvp_owner_num_members(owner)) ||
	    nla_put_u32(skb, VVP_A_OWNER_TOTAL_MEMBERS, owner->total)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * One member. Takes owner->lock to ask the backend; a backend failure
 * is returned (with a message) rather than sent as a partial member.
 */
static int vvp_nl_fill_member(struct sk_buff *skb, struct vvp_owner *owner,
			      unsigned int index, u8 cmd, u32 portid, u32 seq,
			      int flags, struct netlink_callback *cb,
			      struct netlink_ext_ack *extack)
{
	struct vvp_member_cfg cfg;
	char addr[VVP_NAME_LEN];
	unsigned int claims;
	void *hdr;
	int rc;

	rc = vvp_member_address(owner, index, addr, sizeof(addr));
	if (rc)
		return rc;
	mutex_lock(&owner->lock);
	rc = vvp_member_get_locked(owner, index, &cfg);
	claims = owner->state[index].claims;
	mutex_unlock(&owner->lock);
	if (rc) {
		NL_SET_ERR_MSG_FMT(extack, "backend %s could not read member %u",
				   owner->backend, index);
		return rc;
	}

	hdr = genlmsg_put(skb, portid, seq, &vvp_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, VVP_A_MEMBER_OWNER, owner->name) ||
	    nla_put_u32(skb, VVP_A_MEMBER_INDEX, index) ||
	    nla_put_string(skb, VVP_A_MEMBER_DEV_NAME, addr))
		goto cancel;
	if ((owner->caps & VVP_CAP_MAC) &&
	    nla_put(skb, VVP_A_MEMBER_MAC, ETH_ALEN, cfg.mac))
		goto cancel;
	if ((owner->caps & VVP_CAP_MTU) &&
	    nla_put_u32(skb, VVP_A_MEMBER_MTU, cfg.mtu))
		goto cancel;
	if ((owner->caps & VVP_CAP_MAX_VQ_PAIRS) &&
	    nla_put_u32(skb, VVP_A_MEMBER_MAX_VQ_PAIRS, cfg.max_vq_pairs))
		goto cancel;
	if ((owner->caps & VVP_CAP_FEATURES) &&
	    nla_put_u64_64bit(skb, VVP_A_MEMBER_FEATURES, cfg.features, 0))
		goto cancel;
	if ((owner->caps & VVP_CAP_TRANSITIONAL) &&
	    nla_put_u8(skb, VVP_A_MEMBER_TRANSITIONAL, cfg.transitional))
		goto cancel;
	if (nla_put_u8(skb, VVP_A_MEMBER_BUSY, claims > 0))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int vvp_nl_owner_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vvp_owner *owner;
	struct sk_buff *msg;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, VVP_A_OWNER_DEV_NAME))
		return -EINVAL;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vvp_lock);
	owner = vvp_nl_lookup(info->attrs[VVP_A_OWNER_DEV_NAME], NULL,
			      info->extack);
	if (IS_ERR(owner))
		rc = PTR_ERR(owner);
	else
		rc = vvp_nl_fill_owner(msg, owner, VVP_CMD_OWNER_GET,
				       info->snd_portid, info->snd_seq, 0,
				       NULL);
	mutex_unlock(&vvp_lock);
	if (rc) {
		nlmsg_free(msg);
		return rc;
	}
	return genlmsg_reply(msg, info);
}

/* dump position, kept across dumpit calls in cb->ctx */
struct vvp_dump_ctx {
	unsigned long owner;	/* owners done */
	unsigned int member;	/* members of the current owner done */
};

static_assert(sizeof(struct vvp_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

static int vvp_nl_owner_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct vvp_dump_ctx *ctx = (void *)cb->ctx;
	struct vvp_owner *owner;
	unsigned long i = 0;
	int rc = 0;

	mutex_lock(&vvp_lock);
	cb->seq = vvp_generation;
	list_for_each_entry(owner, &vvp_owners, node) {
		if (i++ < ctx->owner)
			continue;
		rc = vvp_nl_fill_owner(skb, owner, VVP_CMD_OWNER_GET,
				       NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (rc)
			break;
		ctx->owner++;
	}
	mutex_unlock(&vvp_lock);
	/* a full skb ends this round; the next one resumes at ctx */
	return rc == -EMSGSIZE && skb->len ? skb->len : rc;
}

static int vvp_nl_member_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vvp_owner *owner;
	unsigned int index;
	struct sk_buff *msg;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, VVP_A_MEMBER_DEV_NAME))
		return -EINVAL;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	owner = vvp_nl_member_get(info->attrs[VVP_A_MEMBER_DEV_NAME], &index,
				  info->extack);
	if (IS_ERR(owner)) {
		rc = PTR_ERR(owner);
	} else {
		rc = vvp_nl_fill_member(msg, owner, index, VVP_CMD_MEMBER_GET,
					info->snd_portid, info->snd_seq, 0,
					NULL, info->extack);
		if (rc == -ENODEV)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[VVP_A_MEMBER_DEV_NAME],
					    "VF is not enabled");
		vvp_owner_put(owner);
	}
	if (rc) {
		nlmsg_free(msg);
		return rc;
	}
	return genlmsg_reply(msg, info);
}

/*
 * The next owner of the dump (the ctx->owner-th, or the filtered one),
 * with a reference, or NULL at the end. cb->seq follows the list.
 */
static struct vvp_owner *vvp_nl_dump_next_owner(struct netlink_callback *cb,
						struct nlattr *filter,
						int *err)
{
	struct vvp_dump_ctx *ctx = (void *)cb->ctx;
	struct vvp_owner *owner, *found = NULL, *only = NULL;
	unsigned long i = 0;

	*err = 0;
	mutex_lock(&vvp_lock);
	cb->seq = vvp_generation;
	if (filter) {
		only = vvp_nl_lookup(filter, NULL, cb->extack);
		if (IS_ERR(only)) {
			*err = PTR_ERR(only);
			goto out;
		}
	}
	list_for_each_entry(owner, &vvp_owners, node) {
		if (i++ < ctx->owner)
			continue;
		if (only && owner != only) {
			ctx->owner = i;
			continue;
		}
		found = owner;
		kobject_get(&found->kobj);
		break;
	}
out:
	mutex_unlock(&vvp_lock);
	return found;
}

/*
 * Members of every owner (or of one). The backend is asked without
 * vvp_lock held: a slow backend (the sim's delay_ms) must not stall
 * every other owner. Members whose VF went away mid-dump are skipped.
 */
static int vvp_nl_member_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct vvp_dump_ctx *ctx = (void *)cb->ctx;
	struct vvp_owner *owner;
	int rc = 0;

	while ((owner = vvp_nl_dump_next_owner(cb, info->attrs[VVP_A_MEMBER_OWNER],
					       &rc))) {
		unsigned int num = vvp_owner_num_members(owner);

		for (; ctx->member < num; ctx->member++) {
			rc = vvp_nl_fill_member(skb, owner, ctx->member,
						VVP_CMD_MEMBER_GET,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq,
						NLM_F_MULTI, cb, cb->extack);
			if (rc == -ENODEV)
				rc = 0;
			if (rc)
				break;
		}
		vvp_owner_put(owner);
		if (rc)
			break;
		ctx->owner++;
		ctx->member = 0;
	}
	return rc == -EMSGSIZE && skb->len ? skb->len : rc;
}

/* each settable attribute, with the capability it needs */
static const struct {
	int attr;
	u32 cap;
} vvp_set_caps[] = {
	{ VVP_A_MEMBER_MAC, VVP_CAP_MAC },
	{ VVP_A_MEMBER_MTU, VVP_CAP_MTU },
	{ VVP_A_MEMBER_MAX_VQ_PAIRS, VVP_CAP_MAX_VQ_PAIRS },
	{ VVP_A_MEMBER_FEATURES, VVP_CAP_FEATURES },
	{ VVP_A_MEMBER_TRANSITIONAL, VVP_CAP_TRANSITIONAL },
};

static int vvp_nl_member_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct vvp_member_cfg cfg = {};
	struct vvp_owner *owner;
	unsigned int index, i;
	u32 mask = 0;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, VVP_A_MEMBER_DEV_NAME))
		return -EINVAL;

	owner = vvp_nl_member_get(tb[VVP_A_MEMBER_DEV_NAME], &index, extack);
	if (IS_ERR(owner))
		return PTR_ERR(owner);
	for (i = 0; i < ARRAY_SIZE(vvp_set_caps); i++) {
		unsigned int bit = __ffs(vvp_set_caps[i].cap);

		if (!tb[vvp_set_caps[i].attr])
			continue;
		if (!(owner->caps & vvp_set_caps[i].cap)) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, tb[vvp_set_caps[i].attr],
						"backend %s cannot provision %s",
						owner->backend,
						vvp_cap_name(bit));
			rc = -EOPNOTSUPP;
			goto out;
		}
		mask |= vvp_set_caps[i].cap;
	}
	if (!mask) {
		NL_SET_ERR_MSG(extack, "nothing to set: give at least one attribute");
		rc = -EINVAL;
		goto out;
	}
	if (tb[VVP_A_MEMBER_MAC]) {
		memcpy(cfg.mac, nla_data(tb[VVP_A_MEMBER_MAC]), ETH_ALEN);
		if (!is_valid_ether_addr(cfg.mac)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VVP_A_MEMBER_MAC],
					    "MAC must be unicast and not all zeros");
			rc = -EINVAL;
			goto out;
		}
	}
	if (tb[VVP_A_MEMBER_MTU])
		cfg.mtu = nla_get_u32(tb[VVP_A_MEMBER_MTU]);
	if (tb[VVP_A_MEMBER_MAX_VQ_PAIRS])
		cfg.max_vq_pairs = nla_get_u32(tb[VVP_A_MEMBER_MAX_VQ_PAIRS]);
	if (tb[VVP_A_MEMBER_FEATURES])
		cfg.features = nla_get_u64(tb[VVP_A_MEMBER_FEATURES]);
	if (tb[VVP_A_MEMBER_TRANSITIONAL])
		cfg.transitional = nla_get_u8(tb[VVP_A_MEMBER_TRANSITIONAL]);

	mutex_lock(&owner->lock);
	if (!vvp_member_live_locked(owner, index)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VVP_A_MEMBER_DEV_NAME],
				    "VF is not enabled");
		rc = -ENODEV;
	} else if (owner->state[index].claims) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VVP_A_MEMBER_DEV_NAME],
				    "member is in use (open through vvp_vfio_pci)");
		rc = -EBUSY;
	} else if (mask & ~VVP_CAP_TRANSITIONAL) {
		rc = owner->ops->member_set ?
		     owner->ops->member_set(owner, index, &cfg,
					    mask & ~VVP_CAP_TRANSITIONAL,
					    extack) : -EOPNOTSUPP;
		if (rc && !extack->_msg)
			NL_SET_ERR_MSG_FMT(extack, "backend %s failed to provision member %u",
					   owner->backend, index);
	} else {
		rc = 0;
	}
	/* the core's part last: a backend failure changes nothing */
	if (!rc && (mask & VVP_CAP_TRANSITIONAL))
		owner->state[index].transitional = cfg.transitional;
	mutex_unlock(&owner->lock);
	if (!rc)
		vvp_nl_member_notify(owner, index);
out:
	vvp_owner_put(owner);
	return rc;
}

static const struct genl_split_ops vvp_nl_ops[] = {
	{
		.cmd		= VVP_CMD_OWNER_GET,
		.doit		= vvp_nl_owner_get_doit,
		.policy		= vvp_owner_get_do_nl_policy,
		.maxattr	= VVP_A_OWNER_DEV_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VVP_CMD_OWNER_GET,
		.dumpit		= vvp_nl_owner_get_dumpit,
		.flags		= GENL_CMD_CAP_DUMP,
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
	[VVP_NLGRP_MONITOR] = { .name = VVP_MCGRP_MONITOR, },
};

static struct genl_family vvp_nl_family __ro_after_init = {
	.name		= VVP_FAMILY_NAME,
	.version	= VVP_FAMILY_VERSION,
	.netnsok	= false,	/* PCI devices belong to the init namespace */
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= vvp_nl_ops,
	.n_split_ops	= ARRAY_SIZE(vvp_nl_ops),
	.mcgrps		= vvp_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vvp_nl_mcgrps),
};

static bool vvp_nl_listening(void)
{
	return genl_has_listeners(&vvp_nl_family, &init_net, VVP_NLGRP_MONITOR);
}

void vvp_nl_owner_notify(struct vvp_owner *owner, u8 cmd)
{
	struct sk_buff *msg;

	if (!vvp_nl_listening())
		return;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (vvp_nl_fill_owner(msg, owner, cmd, 0, 0, 0, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&vvp_nl_family, msg, 0, VVP_NLGRP_MONITOR,
			  GFP_KERNEL);
}

void vvp_nl_member_notify(struct vvp_owner *owner, unsigned int index)
{
	struct sk_buff *msg;

	if (!vvp_nl_listening())
		return;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (vvp_nl_fill_member(msg, owner, index, VVP_CMD_MEMBER_CHANGE_NTF,
			       0, 0, 0, NULL, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&vvp_nl_family, msg, 0, VVP_NLGRP_MONITOR,
			  GFP_KERNEL);
}

int vvp_nl_init(void)
{
	return genl_register_family(&vvp_nl_family);
}

void vvp_nl_exit(void)
{
	genl_unregister_family(&vvp_nl_family);
}
