// SPDX-License-Identifier: GPL-2.0-only
/*
 * The handlers of the "vvp" generic netlink family and its notifications.
 * Its policies, split ops and genl_family are generated from specs/vvp.yaml
 * (vvp_nl.c, vvp_nl.h): strict per-operation policies, GENL_ADMIN_PERM on
 * member-set. Every error here carries an extack message.
 */
#include <linux/etherdevice.h>
#include <linux/pci.h>
#include <net/genetlink.h>

#include "vvp_core.h"
#include "vvp_nl.h"

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

/* Whom a message answers: a do request, a dump, or none (a notification) */
struct vvp_nl_dest {
	u32 portid;
	u32 seq;
	int flags;
	struct netlink_callback *cb;	/* a dump's, for its consistency check */
};

/* A reply to do request @info, or a notification (echoed to @info, if any) */
static struct vvp_nl_dest vvp_nl_dest_info(const struct genl_info *info)
{
	struct vvp_nl_dest d = {};

	if (info) {
		d.portid = info->snd_portid;
		d.seq = info->snd_seq;
	}
	return d;
}

/* One message of the dump @cb. */
static struct vvp_nl_dest vvp_nl_dest_dump(struct netlink_callback *cb)
{
	return (struct vvp_nl_dest) {
		.portid = NETLINK_CB(cb->skb).portid,
		.seq = cb->nlh->nlmsg_seq,
		.flags = NLM_F_MULTI,
		.cb = cb,
	};
}

/* Start message @cmd in @skb for @dest: its header, or NULL when full. */
static void *vvp_nl_msg_start(struct sk_buff *skb, u8 cmd,
			      const struct vvp_nl_dest *dest)
{
	void *hdr;

	hdr = genlmsg_put(skb, dest->portid, dest->seq, &vvp_nl_family,
			  dest->flags, cmd);
	if (hdr && dest->cb)
		genl_dump_check_consistent(dest->cb, hdr);
	return hdr;
}

/* @num: the member count to say, which a notification knows better */
static int vvp_nl_fill_owner(struct sk_buff *skb, struct vvp_owner *owner,
			     unsigned int num, u8 cmd,
			     const struct vvp_nl_dest *dest)
{
	void *hdr;

	hdr = vvp_nl_msg_start(skb, cmd, dest);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, VVP_A_OWNER_DEV_NAME, owner->name) ||
	    nla_put_string(skb, VVP_A_OWNER_BACKEND, owner->backend) ||
	    nla_put_u32(skb, VVP_A_OWNER_CAPS, owner->caps) ||
	    nla_put_u32(skb, VVP_A_OWNER_NUM_MEMBERS, num) ||
	    nla_put_u32(skb, VVP_A_OWNER_TOTAL_MEMBERS, owner->total)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* What a member message says. */
struct vvp_member_msg {
	struct vvp_member_snap snap;
	char addr[VVP_NAME_LEN];
};

/*
 * Read member @index for a message. A backend failure comes back with a
 * message, and with the backend's errno, even -EMSGSIZE: only
 * vvp_nl_put_member()'s -EMSGSIZE means "skb full".
 */
static int vvp_nl_member_read(struct vvp_owner *owner, unsigned int index,
			      struct vvp_member_msg *m,
			      struct netlink_ext_ack *extack)
{
	int rc;

	rc = vvp_member_address(owner, index, m->addr, sizeof(m->addr));
	if (rc)
		return rc;
	rc = vvp_member_snapshot(owner, index, &m->snap);
	if (rc) {
		NL_SET_ERR_MSG_FMT(extack, "backend %s could not read member %u",
				   owner->backend, index);
		return rc;
	}
	return 0;
}

/* One member message into @skb: 0, or -EMSGSIZE when it does not fit. */
static int vvp_nl_put_member(struct sk_buff *skb, struct vvp_owner *owner,
			     unsigned int index, const struct vvp_member_msg *m,
			     u8 cmd, const struct vvp_nl_dest *dest)
{
	const struct vvp_member_cfg *cfg = &m->snap.cfg;
	void *hdr;

	hdr = vvp_nl_msg_start(skb, cmd, dest);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, VVP_A_MEMBER_OWNER, owner->name) ||
	    nla_put_u32(skb, VVP_A_MEMBER_INDEX, index) ||
	    nla_put_string(skb, VVP_A_MEMBER_DEV_NAME, m->addr))
		goto cancel;
	if ((owner->caps & VVP_CAP_MAC) &&
	    nla_put(skb, VVP_A_MEMBER_MAC, ETH_ALEN, cfg->mac))
		goto cancel;
	if ((owner->caps & VVP_CAP_MTU) &&
	    nla_put_u32(skb, VVP_A_MEMBER_MTU, cfg->mtu))
		goto cancel;
	if ((owner->caps & VVP_CAP_MAX_VQ_PAIRS) &&
	    nla_put_u32(skb, VVP_A_MEMBER_MAX_VQ_PAIRS, cfg->max_vq_pairs))
		goto cancel;
	if ((owner->caps & VVP_CAP_FEATURES) &&
	    nla_put_uint(skb, VVP_A_MEMBER_FEATURES, cfg->features))
		goto cancel;
	if ((owner->caps & VVP_CAP_TRANSITIONAL) &&
	    nla_put_u8(skb, VVP_A_MEMBER_TRANSITIONAL, cfg->transitional))
		goto cancel;
	if (nla_put_u8(skb, VVP_A_MEMBER_BUSY, m->snap.busy))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * One member, from the core's copy (vvp_member_snapshot()); a backend
 * failure is returned (with a message) rather than sent as a partial
 * member.
 */
static int vvp_nl_fill_member(struct sk_buff *skb, struct vvp_owner *owner,
			      unsigned int index, u8 cmd,
			      const struct vvp_nl_dest *dest,
			      struct netlink_ext_ack *extack)
{
	struct vvp_member_msg m;
	int rc;

	rc = vvp_nl_member_read(owner, index, &m, extack);
	if (rc)
		return rc;
	return vvp_nl_put_member(skb, owner, index, &m, cmd, dest);
}

/* The reply to do request @info, which must have attribute @attr. */
static struct sk_buff *vvp_nl_reply_new(struct genl_info *info, int attr)
{
	struct sk_buff *msg;

	if (GENL_REQ_ATTR_CHECK(info, attr))
		return ERR_PTR(-EINVAL);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	return msg ?: ERR_PTR(-ENOMEM);
}

/* Send @msg as the reply to @info, or free it when filling it failed. */
static int vvp_nl_reply(struct sk_buff *msg, struct genl_info *info, int rc)
{
	if (rc) {
		nlmsg_free(msg);
		return rc;
	}
	return genlmsg_reply(msg, info);
}

int vvp_nl_owner_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vvp_nl_dest dest = vvp_nl_dest_info(info);
	struct vvp_owner *owner;
	struct sk_buff *msg;
	int rc;

	msg = vvp_nl_reply_new(info, VVP_A_OWNER_DEV_NAME);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	mutex_lock(&vvp_lock);
	owner = vvp_nl_lookup(info->attrs[VVP_A_OWNER_DEV_NAME], NULL,
			      info->extack);
	if (IS_ERR(owner))
		rc = PTR_ERR(owner);
	else
		rc = vvp_nl_fill_owner(msg, owner,
				       vvp_owner_num_members(owner),
				       VVP_CMD_OWNER_GET, &dest);
	mutex_unlock(&vvp_lock);
	return vvp_nl_reply(msg, info, rc);
}

/* dump position, kept across dumpit calls in cb->ctx */
struct vvp_dump_ctx {
	unsigned long owner;	/* owners done */
	unsigned int member;	/* members of the current owner done */
	int err;		/* a backend's -EMSGSIZE, for the next round */
};

static_assert(sizeof(struct vvp_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

int vvp_nl_owner_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vvp_nl_dest dest = vvp_nl_dest_dump(cb);
	struct vvp_dump_ctx *ctx = (void *)cb->ctx;
	struct vvp_owner *owner;
	unsigned long i = 0;
	int rc = 0;

	mutex_lock(&vvp_lock);
	cb->seq = vvp_generation;
	list_for_each_entry(owner, &vvp_owners, node) {
		if (i++ < ctx->owner)
			continue;
		rc = vvp_nl_fill_owner(skb, owner,
				       vvp_owner_num_members(owner),
				       VVP_CMD_OWNER_GET, &dest);
		if (rc)
			break;
		ctx->owner++;
	}
	mutex_unlock(&vvp_lock);
	/* a full skb ends this round; the next one resumes at ctx */
	return rc == -EMSGSIZE && skb->len ? skb->len : rc;
}

int vvp_nl_member_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vvp_nl_dest dest = vvp_nl_dest_info(info);
	struct vvp_owner *owner;
	unsigned int index;
	struct sk_buff *msg;
	int rc;

	msg = vvp_nl_reply_new(info, VVP_A_MEMBER_DEV_NAME);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	owner = vvp_nl_member_get(info->attrs[VVP_A_MEMBER_DEV_NAME], &index,
				  info->extack);
	if (IS_ERR(owner)) {
		rc = PTR_ERR(owner);
	} else {
		rc = vvp_nl_fill_member(msg, owner, index, VVP_CMD_MEMBER_GET,
					&dest, info->extack);
		if (rc == -ENODEV)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[VVP_A_MEMBER_DEV_NAME],
					    "VF is not enabled");
		vvp_owner_put(owner);
	}
	return vvp_nl_reply(msg, info, rc);
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
 * The members of @owner from ctx->member on, into @skb: 0 when all are
 * in, 1 when this round ends here, or a backend's error (even -EMSGSIZE).
 */
static int vvp_nl_dump_members(struct sk_buff *skb, struct netlink_callback *cb,
			       struct vvp_owner *owner)
{
	struct vvp_nl_dest dest = vvp_nl_dest_dump(cb);
	struct vvp_dump_ctx *ctx = (void *)cb->ctx;
	unsigned int num = vvp_owner_num_members(owner);
	struct vvp_member_msg m;
	int rc;

	for (; ctx->member < num; ctx->member++) {
		rc = ctx->err;
		if (rc)
			NL_SET_ERR_MSG_FMT(cb->extack,
					   "backend %s could not read member %u",
					   owner->backend, ctx->member);
		else
			rc = vvp_nl_member_read(owner, ctx->member, &m,
						cb->extack);
		if (rc == -ENODEV)
			continue;	/* the VF went away mid-dump */
		/*
		 * netlink itself takes -EMSGSIZE with data in the skb for
		 * "skb full": send the data, fail the next round, empty.
		 */
		if (rc == -EMSGSIZE && skb->len) {
			ctx->err = rc;
			return 1;
		}
		if (rc)
			return rc;
		if (vvp_nl_put_member(skb, owner, ctx->member, &m,
				      VVP_CMD_MEMBER_GET, &dest))
			return skb->len ? 1 : -EMSGSIZE;
	}
	return 0;
}

/*
 * Members of every owner (or of one). The backend is asked without
 * vvp_lock held: a slow backend (the sim's delay_ms) must not stall
 * every other owner.
 */
int vvp_nl_member_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct vvp_dump_ctx *ctx = (void *)cb->ctx;
	struct vvp_owner *owner;
	int rc = 0;

	while ((owner = vvp_nl_dump_next_owner(cb, info->attrs[VVP_A_MEMBER_OWNER],
					       &rc))) {
		rc = vvp_nl_dump_members(skb, cb, owner);
		vvp_owner_put(owner);
		if (rc)
			break;
		ctx->owner++;
		ctx->member = 0;
	}
	/* a full skb ends this round; the next one resumes at ctx */
	return rc == 1 ? skb->len : rc;
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

/*
 * The capabilities a member-set request needs: each in the owner's caps
 * (else EOPNOTSUPP, naming the backend and the capability), at least one.
 */
static int vvp_nl_set_mask(struct vvp_owner *owner, struct nlattr **tb,
			   struct netlink_ext_ack *extack, u32 *mask)
{
	unsigned int i;

	*mask = 0;
	for (i = 0; i < ARRAY_SIZE(vvp_set_caps); i++) {
		struct nlattr *attr = tb[vvp_set_caps[i].attr];
		u32 cap = vvp_set_caps[i].cap;

		if (!attr)
			continue;
		if (!(owner->caps & cap)) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
						"backend %s cannot provision %s",
						owner->backend,
						vvp_cap_name(__ffs(cap)));
			return -EOPNOTSUPP;
		}
		*mask |= cap;
	}
	if (!*mask) {
		NL_SET_ERR_MSG(extack, "nothing to set: give at least one attribute");
		return -EINVAL;
	}
	return 0;
}

/* The values of a member-set request; the policy has checked the ranges. */
static int vvp_nl_set_cfg(struct nlattr **tb, struct vvp_member_cfg *cfg,
			  struct netlink_ext_ack *extack)
{
	memset(cfg, 0, sizeof(*cfg));
	if (tb[VVP_A_MEMBER_MAC]) {
		memcpy(cfg->mac, nla_data(tb[VVP_A_MEMBER_MAC]), ETH_ALEN);
		if (!is_valid_ether_addr(cfg->mac)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VVP_A_MEMBER_MAC],
					    "MAC must be unicast and not all zeros");
			return -EINVAL;
		}
	}
	if (tb[VVP_A_MEMBER_MTU])
		cfg->mtu = nla_get_u32(tb[VVP_A_MEMBER_MTU]);
	if (tb[VVP_A_MEMBER_MAX_VQ_PAIRS])
		cfg->max_vq_pairs = nla_get_u32(tb[VVP_A_MEMBER_MAX_VQ_PAIRS]);
	if (tb[VVP_A_MEMBER_FEATURES])
		cfg->features = nla_get_uint(tb[VVP_A_MEMBER_FEATURES]);
	if (tb[VVP_A_MEMBER_TRANSITIONAL])
		cfg->transitional = nla_get_u8(tb[VVP_A_MEMBER_TRANSITIONAL]);
	return 0;
}

/*
 * A backend's extack message is usually a string in the backend's module,
 * and netlink sends it after the handler returned, when nothing keeps
 * that module loaded any more: copy it into the extack's own buffer while
 * the caller still holds owner->lock (the backend cannot go away).
 */
static void vvp_nl_keep_backend_msg(struct netlink_ext_ack *extack)
{
	const char *msg = extack ? extack->_msg : NULL;

	if (msg && msg != extack->_msg_buf)
		NL_SET_ERR_MSG_FMT(extack, "%s", msg);
}

/*
 * Provision member @index with the fields in @mask, owner->lock held: the
 * backend's fields first, the core's (the transitional profile) last, so
 * that a backend failure changes nothing.
 */
static int vvp_nl_member_apply(struct vvp_owner *owner, unsigned int index,
			       const struct vvp_member_cfg *cfg, u32 mask,
			       struct genl_info *info)
{
	struct nlattr *dev_name = info->attrs[VVP_A_MEMBER_DEV_NAME];
	u32 backend_mask = mask & ~VVP_CAP_TRANSITIONAL;
	struct netlink_ext_ack *extack = info->extack;
	int rc = 0;

	lockdep_assert_held(&owner->lock);
	if (!vvp_member_live_locked(owner, index)) {
		NL_SET_ERR_MSG_ATTR(extack, dev_name, "VF is not enabled");
		return -ENODEV;
	}
	if (owner->state[index].claims) {
		NL_SET_ERR_MSG_ATTR(extack, dev_name,
				    "member is in use (open through vvp_vfio_pci)");
		return -EBUSY;
	}
	if (vvp_member_held_by_dead(owner, index)) {
		NL_SET_ERR_MSG_ATTR(extack, dev_name,
				    "member is still open through vvp_vfio_pci on its previous owner, which went away (the device fails with ENODEV until it is closed)");
		return -EBUSY;
	}
	if (backend_mask)
		rc = owner->ops->member_set ?
		     owner->ops->member_set(owner, index, cfg, backend_mask,
					    extack) : -EOPNOTSUPP;
	vvp_nl_keep_backend_msg(extack);
	if (rc && !extack->_msg)
		NL_SET_ERR_MSG_FMT(extack, "backend %s failed to provision member %u",
				   owner->backend, index);
	if (rc)
		return rc;
	vvp_member_applied_locked(owner, index, cfg, mask);
	vvp_member_gen_bump_locked(owner, index);
	return 0;
}

int vvp_nl_member_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vvp_member_cfg cfg;
	struct vvp_owner *owner;
	unsigned int index;
	u32 mask;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, VVP_A_MEMBER_DEV_NAME))
		return -EINVAL;
	owner = vvp_nl_member_get(info->attrs[VVP_A_MEMBER_DEV_NAME], &index,
				  info->extack);
	if (IS_ERR(owner))
		return PTR_ERR(owner);
	rc = vvp_nl_set_mask(owner, info->attrs, info->extack, &mask);
	if (!rc)
		rc = vvp_nl_set_cfg(info->attrs, &cfg, info->extack);
	if (!rc) {
		mutex_lock(&owner->lock);
		rc = vvp_nl_member_apply(owner, index, &cfg, mask, info);
		if (!rc)
			vvp_nl_member_notify_locked(owner, index, info);
		mutex_unlock(&owner->lock);
	}
	vvp_owner_put(owner);
	return rc;
}

/*
 * A notification, or NULL when no one wants it (no listener, and no
 * NLM_F_ECHO in request @info) or there is no memory.
 */
static struct sk_buff *vvp_nl_ntf_new(struct genl_info *info)
{
	if (!genl_has_listeners(&vvp_nl_family, &init_net, VVP_NLGRP_MONITOR) &&
	    !(info && nlmsg_report(info->nlhdr)))
		return NULL;
	return nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
}

/*
 * Send @msg to the monitor group, and back to @info's sender when it
 * asked (NLM_F_ECHO); drop it when filling it failed.
 */
static void vvp_nl_ntf_send(struct sk_buff *msg, struct genl_info *info,
			    int rc)
{
	if (rc) {
		nlmsg_free(msg);
		return;
	}
	if (info)
		genl_notify(&vvp_nl_family, msg, info, VVP_NLGRP_MONITOR,
			    GFP_KERNEL);
	else
		genlmsg_multicast(&vvp_nl_family, msg, 0, VVP_NLGRP_MONITOR,
				  GFP_KERNEL);
}

void vvp_nl_owner_notify(struct vvp_owner *owner, u8 cmd, unsigned int num)
{
	struct vvp_nl_dest dest = vvp_nl_dest_info(NULL);
	struct sk_buff *msg = vvp_nl_ntf_new(NULL);

	if (msg)
		vvp_nl_ntf_send(msg, NULL,
				vvp_nl_fill_owner(msg, owner, num, cmd, &dest));
}

/*
 * Built and sent under owner->lock: two changes in a row are announced
 * in the order they were made, each with the state it made.
 */
void vvp_nl_member_notify_locked(struct vvp_owner *owner, unsigned int index,
				 struct genl_info *info)
{
	struct vvp_nl_dest dest = vvp_nl_dest_info(info);
	struct vvp_member_msg m;
	struct sk_buff *msg;
	int rc;

	lockdep_assert_held(&owner->lock);
	msg = vvp_nl_ntf_new(info);
	if (!msg)
		return;
	rc = vvp_member_address(owner, index, m.addr, sizeof(m.addr));
	if (!rc)
		rc = vvp_member_snapshot_locked(owner, index, &m.snap);
	if (!rc)
		rc = vvp_nl_put_member(msg, owner, index, &m,
				       VVP_CMD_MEMBER_CHANGE_NTF, &dest);
	vvp_nl_ntf_send(msg, info, rc);
}

int vvp_nl_init(void)
{
	/*
	 * ynl-gen-c makes every family netnsok and has no spec key to say
	 * otherwise; PCI devices and their owners live in the init
	 * namespace, so the family is not offered in others.
	 */
	vvp_nl_family.netnsok = false;
	return genl_register_family(&vvp_nl_family);
}

void vvp_nl_exit(void)
{
	genl_unregister_family(&vvp_nl_family);
}
