// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Commands, in ndctl's style: a refcounted object that collects what to
 * send, a submit that returns 0 or -errno, and getters for the kernel's
 * answer (its errno and its extack message). MEMBER_SET is the one
 * command there is: provision a member through its owner.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vvp.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libvvp-private.h"

struct vvp_cmd {
	struct vvp_ctx *ctx;
	int refcount;
	uint8_t nl_cmd;
	char address[16];
	uint32_t set;		/* 1 << VVP_A_MEMBER_<KEY> of each value set */
	unsigned char mac[6];
	uint32_t mtu;
	uint32_t max_vq_pairs;
	uint64_t features;
	bool transitional;
	int status;
	char message[512];
};

VVP_EXPORT struct vvp_cmd *vvp_cmd_new_member_set(struct vvp_ctx *ctx,
						  const char *vf_address)
{
	struct vvp_cmd *cmd;
	char addr[16];

	vvp_clear_error(ctx);
	if (dev_parse_address(ctx, vf_address, addr) < 0)
		return NULL;
	cmd = calloc(1, sizeof(*cmd));
	if (!cmd) {
		vvp_fail(ctx, ENOMEM, "cannot allocate a command (%s)",
			 strerror(ENOMEM));
		return NULL;
	}
	cmd->ctx = vvp_ref(ctx);
	cmd->refcount = 1;
	cmd->nl_cmd = VVP_CMD_MEMBER_SET;
	snprintf(cmd->address, sizeof(cmd->address), "%s", addr);
	return cmd;
}

VVP_EXPORT struct vvp_cmd *vvp_cmd_ref(struct vvp_cmd *cmd)
{
	if (cmd)
		cmd->refcount++;
	return cmd;
}

VVP_EXPORT void vvp_cmd_unref(struct vvp_cmd *cmd)
{
	if (!cmd || --cmd->refcount > 0)
		return;
	vvp_unref(cmd->ctx);
	free(cmd);
}

#define SET(cmd, key) ((cmd)->set |= 1u << (key))

VVP_EXPORT int vvp_cmd_member_set_mac(struct vvp_cmd *cmd,
				      const unsigned char mac[6])
{
	memcpy(cmd->mac, mac, 6);
	SET(cmd, VVP_A_MEMBER_MAC);
	return 0;
}

VVP_EXPORT int vvp_cmd_member_set_mtu(struct vvp_cmd *cmd, unsigned int mtu)
{
	cmd->mtu = mtu;
	SET(cmd, VVP_A_MEMBER_MTU);
	return 0;
}

VVP_EXPORT int vvp_cmd_member_set_max_vq_pairs(struct vvp_cmd *cmd,
					       unsigned int pairs)
{
	cmd->max_vq_pairs = pairs;
	SET(cmd, VVP_A_MEMBER_MAX_VQ_PAIRS);
	return 0;
}

VVP_EXPORT int vvp_cmd_member_set_features(struct vvp_cmd *cmd,
					   uint64_t features)
{
	cmd->features = features;
	SET(cmd, VVP_A_MEMBER_FEATURES);
	return 0;
}

VVP_EXPORT int vvp_cmd_member_set_transitional(struct vvp_cmd *cmd, bool on)
{
	cmd->transitional = on;
	SET(cmd, VVP_A_MEMBER_TRANSITIONAL);
	return 0;
}

#define IS_SET(cmd, key) (((cmd)->set >> (key)) & 1)

/* the spec's attribute names (kmod/specs/vvp.yaml); its dev-name is the VF */
static const char *const member_attr_names[VVP_A_MEMBER_MAX + 1] = {
	[VVP_A_MEMBER_DEV_NAME] = "VF",
	[VVP_A_MEMBER_MAC] = "mac",
	[VVP_A_MEMBER_MTU] = "mtu",
	[VVP_A_MEMBER_MAX_VQ_PAIRS] = "max-vq-pairs",
	[VVP_A_MEMBER_FEATURES] = "features",
	[VVP_A_MEMBER_TRANSITIONAL] = "transitional",
};

static int put_attrs(struct vvp_cmd *cmd, struct nl_msg *msg)
{
	if (nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, cmd->address) < 0)
		return -ENOMEM;
	if (IS_SET(cmd, VVP_A_MEMBER_MAC) &&
	    nla_put(msg, VVP_A_MEMBER_MAC, 6, cmd->mac) < 0)
		return -ENOMEM;
	if (IS_SET(cmd, VVP_A_MEMBER_MTU) &&
	    nla_put_u32(msg, VVP_A_MEMBER_MTU, cmd->mtu) < 0)
		return -ENOMEM;
	if (IS_SET(cmd, VVP_A_MEMBER_MAX_VQ_PAIRS) &&
	    nla_put_u32(msg, VVP_A_MEMBER_MAX_VQ_PAIRS, cmd->max_vq_pairs) < 0)
		return -ENOMEM;
	if (IS_SET(cmd, VVP_A_MEMBER_FEATURES) &&
	    nla_put_u64(msg, VVP_A_MEMBER_FEATURES, cmd->features) < 0)
		return -ENOMEM;
	if (IS_SET(cmd, VVP_A_MEMBER_TRANSITIONAL) &&
	    nla_put_u8(msg, VVP_A_MEMBER_TRANSITIONAL, cmd->transitional) < 0)
		return -ENOMEM;
	return 0;
}

VVP_EXPORT int vvp_cmd_submit(struct vvp_cmd *cmd)
{
	struct vvp_ctx *ctx = cmd->ctx;
	struct vnl_result res;
	struct nl_msg *msg;
	int rc;

	vvp_clear_error(ctx);
	cmd->status = 0;
	cmd->message[0] = '\0';
	if (!cmd->set)
		return vvp_fail(ctx, EINVAL,
				"nothing to provision for %s (no value set)",
				cmd->address);
	rc = vnl_msg_new(ctx, cmd->nl_cmd, 0, &msg);
	if (rc < 0)
		return rc;
	if (put_attrs(cmd, msg) < 0) {
		nlmsg_free(msg);
		return vvp_fail(ctx, ENOMEM, "cannot build a netlink message (%s)",
				strerror(ENOMEM));
	}
	rc = vnl_transact(ctx, msg, NULL, NULL, &res);
	nlmsg_free(msg);
	if (rc < 0 && res.from_kernel) {
		if (res.bad_type < ARRAY_SIZE(member_attr_names))
			res.bad_name = member_attr_names[res.bad_type];
		cmd->status = res.error;
		snprintf(cmd->message, sizeof(cmd->message), "%s", res.extack);
		return vnl_fail(ctx, &res, "cannot provision %s",
			       cmd->address);
	}
	return rc;
}

VVP_EXPORT int vvp_cmd_get_status(struct vvp_cmd *cmd)
{
	return cmd->status;
}

VVP_EXPORT const char *vvp_cmd_get_message(struct vvp_cmd *cmd)
{
	return cmd->message;
}
