// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvvp/nl.c, owner.c, member.c without vvp.ko: extended ACKs and
 * replies built by hand, and, against the running kernel, the path of a
 * missing family and the extack of a family that has strict policies.
 */
#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <cmocka.h>

#include <linux/netlink.h>
#include <linux/vvp.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "libvvp-private.h"
#include "ctx-fixture.h"

/* an NLMSG_ERROR as the kernel's netlink_ack() lays it out */
struct ack_buf {
	unsigned char data[1024];
	size_t len;
};

static void ack_init(struct ack_buf *b, int error, bool capped,
		     size_t orig_payload)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)b->data;
	struct nlmsgerr *e;

	memset(b, 0, sizeof(*b));
	hdr->nlmsg_type = NLMSG_ERROR;
	hdr->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	e = NLMSG_DATA(hdr);
	e->error = error;
	e->msg.nlmsg_len = NLMSG_LENGTH(orig_payload);
	e->msg.nlmsg_type = 0x1c;
	e->msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	b->len = NLMSG_LENGTH(sizeof(*e));
	if (!capped) {
		/* the request's payload, copied back; 0xee so it is no TLV */
		memset(b->data + b->len, 0xee, orig_payload);
		b->len += NLMSG_ALIGN(orig_payload);
	}
	hdr->nlmsg_len = b->len;
}

static void ack_put(struct ack_buf *b, uint16_t type, const void *data,
		    size_t len)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)b->data;
	struct nlattr *nla = (struct nlattr *)(b->data + b->len);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	b->len += NLA_ALIGN(nla->nla_len);
	hdr->nlmsg_len = b->len;
	hdr->nlmsg_flags |= NLM_F_ACK_TLVS;
}

static void test_extack_capped(void **state)
{
	const char msg[] = "backend sim cannot provision mac";
	struct vnl_result res = { 0 };
	struct ack_buf b;

	ack_init(&b, -EOPNOTSUPP, true, 0);
	ack_put(&b, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), 0);
	assert_true(res.from_kernel);
	assert_int_equal(res.error, -EOPNOTSUPP);
	assert_string_equal(res.extack, msg);
	assert_int_equal(res.miss_type, 0);
}

static void test_extack_uncapped(void **state)
{
	const char msg[] = "MTU out of range (68-65535).";
	uint32_t miss = VVP_A_MEMBER_DEV_NAME, offs = 20;
	struct vnl_result res = { 0 };
	struct ack_buf b;

	/* 13 bytes of request payload: the TLVs start at the aligned end */
	ack_init(&b, -ERANGE, false, 13);
	ack_put(&b, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	ack_put(&b, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	ack_put(&b, NLMSGERR_ATTR_MISS_TYPE, &miss, sizeof(miss));
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), 0);
	assert_int_equal(res.error, -ERANGE);
	/* the trailing period goes: the message is put inside "(...: ...)" */
	assert_string_equal(res.extack, "MTU out of range (68-65535)");
	assert_int_equal(res.miss_type, VVP_A_MEMBER_DEV_NAME);
}

static void test_extack_none(void **state)
{
	struct vnl_result res = { 0 };
	struct ack_buf b;

	ack_init(&b, -EPERM, false, 40);
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), 0);
	assert_int_equal(res.error, -EPERM);
	assert_string_equal(res.extack, "");

	/* an ACK (error 0) with a warning is still error 0 */
	memset(&res, 0, sizeof(res));
	ack_init(&b, 0, true, 0);
	ack_put(&b, NLMSGERR_ATTR_MSG, "warning", 8);
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), 0);
	assert_int_equal(res.error, 0);
}

static void test_extack_malformed(void **state)
{
	struct vnl_result res = { 0 };
	struct ack_buf b;
	char longmsg[700];

	/* shorter than a struct nlmsgerr */
	ack_init(&b, -EINVAL, true, 0);
	((struct nlmsghdr *)b.data)->nlmsg_len = NLMSG_LENGTH(4);
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), -EINVAL);

	/* an uncapped copy that claims more than there is */
	ack_init(&b, -EINVAL, false, 8);
	ack_put(&b, NLMSGERR_ATTR_MSG, "x", 2);
	((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)b.data))->msg.nlmsg_len = 900;
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), -EINVAL);

	/* a message without NUL, longer than the buffer: cut, terminated */
	memset(&res, 0, sizeof(res));
	memset(longmsg, 'a', sizeof(longmsg));
	ack_init(&b, -EINVAL, true, 0);
	ack_put(&b, NLMSGERR_ATTR_MSG, longmsg, sizeof(longmsg));
	assert_int_equal(vnl_parse_err((struct nlmsghdr *)b.data, &res), 0);
	assert_int_equal(strlen(res.extack), sizeof(res.extack) - 1);
}

static void test_done_error(void **state)
{
	struct vnl_result res = { 0 };
	unsigned char buf[256] = { 0 };
	struct nlmsghdr *hdr = (struct nlmsghdr *)buf;
	struct nlattr *nla;
	int err = -ENODEV;

	/* a dump that ends well */
	hdr->nlmsg_type = NLMSG_DONE;
	hdr->nlmsg_flags = NLM_F_MULTI;
	hdr->nlmsg_len = NLMSG_LENGTH(sizeof(int));
	assert_int_equal(vnl_parse_done(hdr, &res), 0);
	assert_false(res.from_kernel);
	assert_int_equal(res.error, 0);

	/* and one that failed part-way, with a message */
	memcpy(NLMSG_DATA(hdr), &err, sizeof(err));
	nla = (struct nlattr *)(buf + NLMSG_LENGTH(sizeof(int)));
	nla->nla_type = NLMSGERR_ATTR_MSG;
	nla->nla_len = NLA_HDRLEN + 9;
	memcpy((char *)nla + NLA_HDRLEN, "PF gone.", 9);
	hdr->nlmsg_len = NLMSG_LENGTH(sizeof(int)) + NLA_ALIGN(nla->nla_len);
	hdr->nlmsg_flags |= NLM_F_ACK_TLVS;
	assert_int_equal(vnl_parse_done(hdr, &res), 0);
	assert_true(res.from_kernel);
	assert_int_equal(res.error, -ENODEV);
	assert_string_equal(res.extack, "PF gone");
}

/*
 * NLMSGERR_ATTR_OFFS is the kernel's word: an offset near 2^32 must not
 * wrap a bounds check (offs + 4 overflowed to a small number and the
 * attribute header was read 4 GiB away), nor may an attribute reach
 * past the request.
 */
static void test_attr_at_bounds(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	uint32_t base, len;

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0,
				    VVP_CMD_MEMBER_SET, VVP_FAMILY_VERSION));
	base = NLMSG_HDRLEN + GENL_HDRLEN;
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.1");
	nla_put_u32(msg, VVP_A_MEMBER_MTU, 9000);
	len = nlmsg_hdr(msg)->nlmsg_len;

	/* the attributes that are there */
	assert_int_equal(vnl_attr_at(msg, base), VVP_A_MEMBER_DEV_NAME);
	assert_int_equal(vnl_attr_at(msg, len - NLA_HDRLEN - 4), VVP_A_MEMBER_MTU);
	/* inside the headers, at or past the end, a header cut short */
	assert_int_equal(vnl_attr_at(msg, 0), 0);
	assert_int_equal(vnl_attr_at(msg, base - 4), 0);
	assert_int_equal(vnl_attr_at(msg, len), 0);
	assert_int_equal(vnl_attr_at(msg, len - 2), 0);
	assert_int_equal(vnl_attr_at(msg, len + 4), 0);
	/* bogus huge offsets: offs + NLA_HDRLEN wraps past 2^32 */
	assert_int_equal(vnl_attr_at(msg, UINT32_MAX), 0);
	assert_int_equal(vnl_attr_at(msg, UINT32_MAX - 3), 0);
	assert_int_equal(vnl_attr_at(msg, UINT32_MAX - NLA_HDRLEN + 1), 0);
	assert_int_equal(vnl_attr_at(msg, 0x80000000u), 0);
	/* an unaligned offset is read safely (and here finds no attribute) */
	assert_int_equal(vnl_attr_at(msg, base + 1), 0);

	/* an attribute whose length runs past the request, or is too short */
	((struct nlattr *)((char *)nlmsg_hdr(msg) + len - NLA_HDRLEN - 4))->nla_len = 0xfff0;
	assert_int_equal(vnl_attr_at(msg, len - NLA_HDRLEN - 4), 0);
	((struct nlattr *)((char *)nlmsg_hdr(msg) + len - NLA_HDRLEN - 4))->nla_len = 2;
	assert_int_equal(vnl_attr_at(msg, len - NLA_HDRLEN - 4), 0);
	nlmsg_free(msg);
}

static void test_fail_message(void **state)
{
	struct vvp_ctx *ctx = *state;
	struct vnl_result res = { .error = -EOPNOTSUPP, .from_kernel = true };

	strcpy(res.extack, "backend sim does not support mtu");
	assert_int_equal(vnl_fail(ctx, &res, "cannot provision %s",
				 "0000:01:00.1"), -EOPNOTSUPP);
	assert_string_equal(vvp_get_last_error(ctx),
			    "cannot provision 0000:01:00.1 (backend sim does not support mtu: Operation not supported)");

	memset(&res, 0, sizeof(res));
	res.error = -EPERM;
	res.from_kernel = true;
	assert_int_equal(vnl_fail(ctx, &res, "cannot provision %s",
				 "0000:01:00.1"), -EPERM);
	assert_string_equal(vvp_get_last_error(ctx),
			    "cannot provision 0000:01:00.1 (Operation not permitted)");

	res.error = -EINVAL;
	res.miss_type = 3;
	vnl_fail(ctx, &res, "cannot provision %s", "x");
	assert_string_equal(vvp_get_last_error(ctx),
			    "cannot provision x (missing required attribute 3: Invalid argument)");
}

/* a reply as vvp.ko would send it: genl header, then attributes */
static struct nl_msg *reply_new(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 1, 0x20, 0, NLM_F_MULTI, cmd,
				    VVP_FAMILY_VERSION));
	return msg;
}

static void test_owner_parse(void **state)
{
	struct vvp_owner o = { 0 };
	struct nl_msg *msg = reply_new(VVP_CMD_OWNER_GET);

	nla_put_string(msg, VVP_A_OWNER_DEV_NAME, "0000:01:00.0");
	nla_put_string(msg, VVP_A_OWNER_BACKEND, "sim");
	nla_put_u32(msg, VVP_A_OWNER_CAPS, VVP_CAP_LEGACY_IO | VVP_CAP_MAC |
		    VVP_CAP_TRANSITIONAL);
	nla_put_u32(msg, VVP_A_OWNER_NUM_MEMBERS, 4);
	nla_put_u32(msg, VVP_A_OWNER_TOTAL_MEMBERS, 127);
	/* an attribute from a newer kernel is skipped, not an error */
	nla_put_u32(msg, VVP_A_OWNER_MAX + 5, 99);
	assert_int_equal(owner_parse(nlmsg_hdr(msg), &o), 0);
	nlmsg_free(msg);

	assert_string_equal(vvp_owner_get_address(&o), "0000:01:00.0");
	assert_string_equal(vvp_owner_get_backend(&o), "sim");
	/* the kernel's mask, read with the names libvvp.h gives */
	assert_int_equal(vvp_owner_get_caps(&o), VVP_OWNER_CAP_LEGACY_IO |
			 VVP_OWNER_CAP_MAC | VVP_OWNER_CAP_TRANSITIONAL);
	assert_int_equal(vvp_owner_get_num_members(&o), 4);
	assert_int_equal(vvp_owner_get_total_members(&o), 127);
}

static void test_owner_parse_partial(void **state)
{
	struct vvp_owner o = { 0 };
	struct nl_msg *msg = reply_new(VVP_CMD_OWNER_GET);

	nla_put_string(msg, VVP_A_OWNER_DEV_NAME, "0000:02:00.0");
	assert_int_equal(owner_parse(nlmsg_hdr(msg), &o), 0);
	nlmsg_free(msg);
	assert_null(vvp_owner_get_backend(&o));
	assert_int_equal(vvp_owner_get_caps(&o), 0);

	/* no dev-name: not an owner */
	memset(&o, 0, sizeof(o));
	msg = reply_new(VVP_CMD_OWNER_GET);
	nla_put_string(msg, VVP_A_OWNER_BACKEND, "sim");
	assert_int_equal(owner_parse(nlmsg_hdr(msg), &o), -EINVAL);
	nlmsg_free(msg);

	/* a u32 of the wrong size fails the policy */
	msg = reply_new(VVP_CMD_OWNER_GET);
	nla_put_string(msg, VVP_A_OWNER_DEV_NAME, "0000:02:00.0");
	nla_put_u8(msg, VVP_A_OWNER_CAPS, 1);
	assert_int_equal(owner_parse(nlmsg_hdr(msg), &o), -EINVAL);
	nlmsg_free(msg);
}

static void test_member_parse(void **state)
{
	const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct vvp_member m = { 0 };
	struct nl_msg *msg = reply_new(VVP_CMD_MEMBER_GET);

	nla_put_string(msg, VVP_A_MEMBER_OWNER, "0000:01:00.0");
	nla_put_u32(msg, VVP_A_MEMBER_INDEX, 2);
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.3");
	nla_put(msg, VVP_A_MEMBER_MAC, 6, mac);
	nla_put_u32(msg, VVP_A_MEMBER_MTU, 9000);
	nla_put_u32(msg, VVP_A_MEMBER_MAX_VQ_PAIRS, 4);
	nla_put_u64(msg, VVP_A_MEMBER_FEATURES, 1ULL << 63 | 1ULL << 32 | 1 << 5);
	nla_put_u8(msg, VVP_A_MEMBER_TRANSITIONAL, 1);
	nla_put_u8(msg, VVP_A_MEMBER_BUSY, 0);
	assert_int_equal(member_parse(nlmsg_hdr(msg), &m), 0);
	nlmsg_free(msg);

	assert_string_equal(vvp_member_get_owner_address(&m), "0000:01:00.0");
	assert_string_equal(vvp_member_get_address(&m), "0000:01:00.3");
	assert_true(vvp_member_has_index(&m));
	assert_int_equal(vvp_member_get_index(&m), 2);
	assert_true(vvp_member_has_mac(&m));
	assert_memory_equal(vvp_member_get_mac(&m), mac, 6);
	assert_true(vvp_member_has_mtu(&m));
	assert_int_equal(vvp_member_get_mtu(&m), 9000);
	assert_true(vvp_member_has_max_vq_pairs(&m));
	assert_int_equal(vvp_member_get_max_vq_pairs(&m), 4);
	assert_true(vvp_member_has_features(&m));
	assert_true(vvp_member_get_features(&m) == (1ULL << 63 | 1ULL << 32 | 1 << 5));
	assert_true(vvp_member_has_transitional(&m));
	assert_true(vvp_member_get_transitional(&m));
	assert_true(vvp_member_has_busy(&m));
	assert_false(vvp_member_get_busy(&m));
}

static void test_member_parse_partial(void **state)
{
	const unsigned char badmac[5] = { 1, 2, 3, 4, 5 };
	struct vvp_member m = { 0 };
	struct nl_msg *msg = reply_new(VVP_CMD_MEMBER_GET);

	/* only what the kernel sent is there */
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.1");
	nla_put(msg, VVP_A_MEMBER_MAC, 5, badmac);
	assert_int_equal(member_parse(nlmsg_hdr(msg), &m), 0);
	nlmsg_free(msg);
	assert_string_equal(vvp_member_get_address(&m), "0000:01:00.1");
	assert_null(vvp_member_get_owner_address(&m));
	assert_false(vvp_member_has_index(&m));
	assert_false(vvp_member_has_mac(&m));
	assert_false(vvp_member_has_mtu(&m));
	assert_false(vvp_member_has_max_vq_pairs(&m));
	assert_false(vvp_member_has_features(&m));
	assert_false(vvp_member_has_transitional(&m));
	assert_false(vvp_member_has_busy(&m));

	msg = reply_new(VVP_CMD_MEMBER_GET);
	nla_put_u32(msg, VVP_A_MEMBER_MTU, 1500);
	assert_int_equal(member_parse(nlmsg_hdr(msg), &m), -EINVAL);
	nlmsg_free(msg);
}

/* features is a "uint": 4 bytes when the value fits, else 8; no pad */
static void test_member_parse_uint(void **state)
{
	const unsigned char three[3] = { 1, 2, 3 };
	struct vvp_member m = { 0 };
	struct nl_msg *msg = reply_new(VVP_CMD_MEMBER_GET);

	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.1");
	nla_put_u32(msg, VVP_A_MEMBER_FEATURES, 0x80000021u);
	assert_int_equal(member_parse(nlmsg_hdr(msg), &m), 0);
	nlmsg_free(msg);
	assert_true(vvp_member_has_features(&m));
	assert_true(vvp_member_get_features(&m) == 0x80000021u);

	msg = reply_new(VVP_CMD_MEMBER_GET);
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.1");
	nla_put_u64(msg, VVP_A_MEMBER_FEATURES, 1ULL << 32 | 1);
	assert_int_equal(member_parse(nlmsg_hdr(msg), &m), 0);
	nlmsg_free(msg);
	assert_true(vvp_member_get_features(&m) == (1ULL << 32 | 1));

	/* any other length is no value */
	msg = reply_new(VVP_CMD_MEMBER_GET);
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.1");
	nla_put(msg, VVP_A_MEMBER_FEATURES, sizeof(three), three);
	assert_int_equal(member_parse(nlmsg_hdr(msg), &m), 0);
	nlmsg_free(msg);
	assert_false(vvp_member_has_features(&m));
}

static void test_command_checks(void **state)
{
	struct vvp_ctx *ctx = *state;
	struct vvp_cmd *cmd;

	assert_null(vvp_cmd_new_member_set(ctx, "nonsense"));
	assert_non_null(strstr(vvp_get_last_error(ctx), "not a PCI address"));
	cmd = vvp_cmd_new_member_set(ctx, "01:00.1");
	assert_non_null(cmd);
	/* nothing set: refused before asking the kernel */
	assert_int_equal(vvp_cmd_submit(cmd), -EINVAL);
	assert_non_null(strstr(vvp_get_last_error(ctx), "nothing to provision for 0000:01:00.1"));
	assert_int_equal(vvp_cmd_get_status(cmd), 0);
	assert_string_equal(vvp_cmd_get_message(cmd), "");
	assert_ptr_equal(vvp_cmd_ref(cmd), cmd);
	vvp_cmd_unref(cmd);
	vvp_cmd_unref(cmd);
}

/* ---- against the running kernel, skipped where it cannot be asked ---- */

static bool family_exists(const char *name)
{
	struct nl_sock *sk = nl_socket_alloc();
	bool found = false;

	if (sk && genl_connect(sk) == 0)
		found = genl_ctrl_resolve(sk, name) >= 0;
	nl_socket_free(sk);
	return found;
}

static bool netlink_works(void)
{
	return family_exists("nlctrl");
}

static void test_module_not_loaded(void **state)
{
	struct vvp_ctx *ctx = *state;
	struct vvp_monitor *mon;
	struct vvp_member *m;
	struct vvp_cmd *cmd;
	const char *want = "vvp kernel module not loaded (no generic netlink family vvp)";

	if (!netlink_works() || family_exists(VVP_FAMILY_NAME))
		skip();
	assert_int_equal(vvp_owner_scan(ctx), -ENOENT);
	assert_string_equal(vvp_get_last_error(ctx), want);
	assert_null(vvp_owner_get_first(ctx));
	/* the failure is kept, and told again */
	vvp_clear_error(ctx);
	assert_int_equal(vvp_owner_scan(ctx), -ENOENT);
	assert_string_equal(vvp_get_last_error(ctx), want);

	assert_int_equal(vvp_member_find(ctx, "0000:01:00.1", &m), -ENOENT);
	assert_string_equal(vvp_get_last_error(ctx), want);
	assert_int_equal(vvp_monitor_new(ctx, &mon), -ENOENT);
	assert_string_equal(vvp_get_last_error(ctx), want);
	cmd = vvp_cmd_new_member_set(ctx, "0000:01:00.1");
	vvp_cmd_member_set_mtu(cmd, 1500);
	assert_int_equal(vvp_cmd_submit(cmd), -ENOENT);
	assert_string_equal(vvp_get_last_error(ctx), want);
	assert_int_equal(vvp_cmd_get_status(cmd), 0);
	vvp_cmd_unref(cmd);
}

/*
 * The kernel's own "netdev" family has strict YNL policies: an ifindex
 * of 0 is below its minimum of 1, and the kernel says so in an extended
 * ACK. vnl_transact() must bring that text back.
 */
static void test_kernel_extack(void **state)
{
	struct vvp_ctx *ctx = *state;
	struct vnl_result res;
	struct vvp_nl *nl;
	struct nl_msg *msg;
	int family, one = 1, rc;

	if (!netlink_works() || !family_exists("netdev"))
		skip();
	nl = vnl_state(ctx);
	assert_non_null(nl);
	nl->sock = nl_socket_alloc();
	assert_int_equal(genl_connect(nl->sock), 0);
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	family = genl_ctrl_resolve(nl->sock, "netdev");
	assert_true(family > 0);
	nl->family = family;

	msg = nlmsg_alloc();
	/* NETDEV_CMD_DEV_GET = 1, NETDEV_A_DEV_IFINDEX = 1 */
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, 1, 1);
	nla_put_u32(msg, 1, 0);
	rc = vnl_transact(ctx, msg, NULL, NULL, &res);
	nlmsg_free(msg);
	/* a policy range failure is -ERANGE, as vvp's MTU check is */
	assert_int_equal(rc, -ERANGE);
	assert_true(res.from_kernel);
	assert_int_equal(res.error, -ERANGE);
	assert_true(strlen(res.extack) > 0);
	/* the offset points at our ifindex attribute, the policy at its range */
	assert_int_equal(res.bad_type, 1);
	assert_true(res.has_range);
	assert_true(res.min == 1);
	res.bad_name = "ifindex";
	vnl_fail(ctx, &res, "cannot get device %u", 0);
	print_message("kernel extack: \"%s\" -> %s\n", res.extack,
		      vvp_get_last_error(ctx));

	/* and the socket is good for the next request: a dump of devices */
	msg = nlmsg_alloc();
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP, 1, 1);
	rc = vnl_transact(ctx, msg, NULL, NULL, &res);
	nlmsg_free(msg);
	assert_int_equal(rc, 0);
	assert_int_equal(res.error, 0);
}

/*
 * ---- a stand-in for vvp.ko: two NETLINK_USERSOCK sockets ----
 *
 * The context's socket ("client") has the other one ("server") as its
 * peer: a request goes to the server, which never answers by itself. A
 * test queues the answer on the client before the request is sent, or
 * queues none to see the request time out. Sequence numbers are not
 * checked (the answers are made before the request), so the answers
 * leave them 0.
 */
#define FAKE_FAMILY 0x30

struct fake {
	struct vvp_ctx *ctx;
	struct nl_sock *server;
	uint32_t client_port;
};

static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct nl_sock *client;
	struct vvp_nl *nl;

	if (!f || vvp_new(&f->ctx) < 0)
		return -1;
	nl = vnl_state(f->ctx);
	client = nl_socket_alloc();
	f->server = nl_socket_alloc();
	if (!nl || !client || !f->server)
		return -1;
	if (nl_connect(client, NETLINK_USERSOCK) < 0 ||
	    nl_connect(f->server, NETLINK_USERSOCK) < 0) {
		/* no netlink here: the tests that need it skip */
		nl_socket_free(client);
		nl_socket_free(f->server);
		f->server = NULL;
		*state = f;
		return 0;
	}
	/*
	 * vnl_transact() brings its own callbacks, so the sequence check
	 * cannot be turned off; without auto-ACK libnl does not make it
	 */
	nl_socket_disable_auto_ack(client);
	nl_socket_set_peer_port(client, nl_socket_get_local_port(f->server));
	f->client_port = nl_socket_get_local_port(client);
	nl->sock = client;
	nl->family = FAKE_FAMILY;
	*state = f;
	return 0;
}

static int fake_teardown(void **state)
{
	struct fake *f = *state;

	nl_socket_free(f->server);
	vvp_unref(f->ctx);
	free(f);
	return 0;
}

/* one message from the "kernel" to the client */
static void fake_send_raw(struct fake *f, const struct nlmsghdr *hdr)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_pid = f->client_port,
	};
	char drop[4096];

	/* the requests so far: a full queue would block the client's send */
	while (recv(nl_socket_get_fd(f->server), drop, sizeof(drop),
		    MSG_DONTWAIT) > 0)
		;

	assert_int_equal(sendto(nl_socket_get_fd(f->server), hdr,
				hdr->nlmsg_len, 0, (struct sockaddr *)&sa,
				sizeof(sa)), (ssize_t)hdr->nlmsg_len);
}

static void fake_send(struct fake *f, struct nl_msg *msg)
{
	fake_send_raw(f, nlmsg_hdr(msg));
	nlmsg_free(msg);
}

/* an NLMSG_ERROR: an ACK when error is 0 */
static void fake_ack(struct fake *f, int error)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	struct nlmsgerr e = { .error = error };

	assert_non_null(msg);
	e.msg.nlmsg_len = NLMSG_HDRLEN;
	assert_int_equal(nlmsg_append(msg, &e, sizeof(e), 0), 0);
	fake_send(f, msg);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static unsigned int rcvtimeo_ms(struct fake *f)
{
	struct timeval tv;
	socklen_t len = sizeof(tv);

	assert_int_equal(getsockopt(nl_socket_get_fd(f->ctx->nl->sock),
				    SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/*
 * A kernel that does not answer: the request fails with -ETIMEDOUT and
 * says so, whatever libnl makes of the expired SO_RCVTIMEO (3.7: the
 * error -NLE_AGAIN, "Try again"). The timeout is the one set after the
 * socket was opened.
 */
static void test_request_timeout(void **state)
{
	struct fake *f = *state;
	struct vvp_member *m;
	struct timeval tv = { .tv_sec = 5 };
	long long start, took;

	if (!f->server)
		skip();
	/* as if opened under an older, longer timeout */
	setsockopt(nl_socket_get_fd(f->ctx->nl->sock), SOL_SOCKET, SO_RCVTIMEO,
		   &tv, sizeof(tv));
	vvp_set_timeout_ms(f->ctx, 200);
	start = now_ms();
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), -ETIMEDOUT);
	took = now_ms() - start;
	assert_string_equal(vvp_get_last_error(f->ctx),
			    "no answer from the vvp kernel module within 200 ms (Connection timed out)");
	assert_true(took >= 150 && took < 2000);
	/* the socket went: whatever answer comes late is not taken for the next */
	assert_null(f->ctx->nl->sock);
}

/* 0 is "do not wait" for udev; a request waits the default instead */
static void test_request_timeout_zero(void **state)
{
	struct fake *f = *state;
	struct vvp_member *m;

	if (!f->server)
		skip();
	vvp_set_timeout_ms(f->ctx, 0);
	assert_int_equal(vnl_timeout_ms(f->ctx), 30000);
	/* answered at once: only the socket's timeout is looked at */
	fake_ack(f, -ENODEV);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), -ENODEV);
	assert_int_equal(rcvtimeo_ms(f), 30000);
	vvp_set_timeout_ms(f->ctx, 1500);
	fake_ack(f, -ENODEV);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), -ENODEV);
	assert_int_equal(rcvtimeo_ms(f), 1500);
}

/* a MEMBER_GET do answer: the member, then the ACK */
static void fake_member(struct fake *f, const char *address, uint32_t mtu)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0,
				    VVP_CMD_MEMBER_GET, VVP_FAMILY_VERSION));
	nla_put_string(msg, VVP_A_MEMBER_OWNER, "0000:01:00.0");
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, address);
	nla_put_u32(msg, VVP_A_MEMBER_MTU, mtu);
	fake_send(f, msg);
	fake_ack(f, 0);
}

static unsigned int lone_count(struct vvp_ctx *ctx)
{
	unsigned int n = 0;

	if (!ctx->owners)
		return 0;
	for (struct vvp_member *m = ctx->owners->lone; m; m = m->next)
		n++;
	return n;
}

/*
 * A long-running poller calls vvp_member_find() on the same VFs again and
 * again: the context keeps one object per VF, updated in place, so that
 * a pointer from an earlier call stays valid and the list stays short.
 */
static void test_member_find_reuses(void **state)
{
	struct fake *f = *state;
	struct vvp_member *m1, *m2, *m;

	if (!f->server)
		skip();
	fake_member(f, "0000:01:00.1", 1500);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m1), 0);
	assert_int_equal(vvp_member_get_mtu(m1), 1500);
	assert_string_equal(vvp_member_get_owner_address(m1), "0000:01:00.0");

	/* the same VF, written another way: the same object, new values */
	fake_member(f, "0000:01:00.1", 9000);
	assert_int_equal(vvp_member_find(f->ctx, "01:00.1", &m), 0);
	assert_ptr_equal(m, m1);
	assert_int_equal(vvp_member_get_mtu(m1), 9000);

	/* another VF: another object, the first one untouched */
	fake_member(f, "0000:01:00.2", 1280);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.2", &m2), 0);
	assert_ptr_not_equal(m2, m1);
	assert_int_equal(vvp_member_get_mtu(m2), 1280);
	assert_int_equal(vvp_member_get_mtu(m1), 9000);

	/* polling both does not grow the list */
	for (unsigned int i = 0; i < 200; i++) {
		const char *vf = i % 2 ? "0000:01:00.2" : "0000:01:00.1";

		fake_member(f, vf, 1500 + i);
		assert_int_equal(vvp_member_find(f->ctx, vf, &m), 0);
		assert_ptr_equal(m, i % 2 ? m2 : m1);
		assert_int_equal(vvp_member_get_mtu(m), 1500 + i);
	}
	assert_int_equal(lone_count(f->ctx), 2);

	/* a refusal leaves the object as the last good read had it */
	fake_ack(f, -ENODEV);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), -ENODEV);
	assert_int_equal(vvp_member_get_mtu(m1), 1500 + 198);
	assert_string_equal(vvp_member_get_address(m1), "0000:01:00.1");
	assert_int_equal(lone_count(f->ctx), 2);

	/* vvp_refresh() drops them; the next find makes a new one */
	vvp_refresh(f->ctx);
	assert_int_equal(lone_count(f->ctx), 0);
	fake_member(f, "0000:01:00.1", 1500);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), 0);
	assert_int_equal(lone_count(f->ctx), 1);
}

/* libvvp.h: setting a root, like vvp_refresh(), frees the netlink objects */
static void test_roots_drop_members(void **state)
{
	struct fake *f = *state;
	struct vvp_member *m;

	if (!f->server)
		skip();
	fake_member(f, "0000:01:00.1", 1500);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), 0);
	assert_int_equal(lone_count(f->ctx), 1);
	assert_int_equal(vvp_set_sysfs_root(f->ctx, NULL), 0);
	assert_int_equal(lone_count(f->ctx), 0);

	fake_member(f, "0000:01:00.1", 1500);
	assert_int_equal(vvp_member_find(f->ctx, "0000:01:00.1", &m), 0);
	assert_int_equal(vvp_set_proc_root(f->ctx, NULL), 0);
	assert_int_equal(lone_count(f->ctx), 0);
}

/*
 * What vvp_cmd_submit() returns, and what vvp_cmd_get_status() adds: the
 * kernel's -errno comes back from both; a request that got no answer
 * fails with status 0; each submit starts with a clean status.
 */
static void test_cmd_submit_results(void **state)
{
	const char why[] = "integer out of range";
	struct fake *f = *state;
	struct vvp_cmd *cmd;
	struct ack_buf b;

	if (!f->server)
		skip();
	cmd = vvp_cmd_new_member_set(f->ctx, "0000:01:00.1");
	assert_non_null(cmd);
	vvp_cmd_member_set_mtu(cmd, 10);

	/* applied */
	fake_ack(f, 0);
	assert_int_equal(vvp_cmd_submit(cmd), 0);
	assert_int_equal(vvp_cmd_get_status(cmd), 0);
	assert_string_equal(vvp_cmd_get_message(cmd), "");
	assert_string_equal(vvp_get_last_error(f->ctx), "");

	/* refused: the kernel's -errno from both, its extack as the message */
	ack_init(&b, -ERANGE, true, 0);
	ack_put(&b, NLMSGERR_ATTR_MSG, why, sizeof(why));
	fake_send_raw(f, (struct nlmsghdr *)b.data);
	assert_int_equal(vvp_cmd_submit(cmd), -ERANGE);
	assert_int_equal(vvp_cmd_get_status(cmd), -ERANGE);
	assert_string_equal(vvp_cmd_get_message(cmd), why);
	assert_string_equal(vvp_get_last_error(f->ctx),
			    "cannot provision 0000:01:00.1 (integer out of range: Numerical result out of range)");

	/* no answer: -ETIMEDOUT, and the status of the last refusal is gone */
	vvp_set_timeout_ms(f->ctx, 100);
	assert_int_equal(vvp_cmd_submit(cmd), -ETIMEDOUT);
	assert_int_equal(vvp_cmd_get_status(cmd), 0);
	assert_string_equal(vvp_cmd_get_message(cmd), "");

	/* the socket went with the timeout; a new one finds no vvp module */
	if (netlink_works() && !family_exists(VVP_FAMILY_NAME)) {
		assert_int_equal(vvp_cmd_submit(cmd), -ENOENT);
		assert_int_equal(vvp_cmd_get_status(cmd), 0);
	}
	vvp_cmd_unref(cmd);
}

/* a notification as vvp.ko multicasts it */
static struct nl_msg *ntf_new(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, cmd,
				    VVP_FAMILY_VERSION));
	return msg;
}

/*
 * An event, and the owner or member it hands out, point at the context:
 * they must keep it alive after vvp_monitor_unref() and vvp_unref() (it
 * was freed under them), until the last vvp_event_unref().
 */
static void test_event_holds_ctx(void **state)
{
	struct vvp_event *mev, *oev, *ev;
	struct vvp_monitor *mon;
	struct vvp_member *m;
	struct vvp_owner *o;
	struct vvp_ctx *ctx;
	struct nl_msg *msg;

	assert_int_equal(vvp_new(&ctx), 0);
	/* no socket to read: the test hands the monitor its datagrams */
	assert_int_equal(monitor_new_on(ctx, nl_socket_alloc(), FAKE_FAMILY,
					&mon), 0);
	assert_int_equal(ctx->refcount, 2);

	msg = ntf_new(VVP_CMD_MEMBER_CHANGE_NTF);
	nla_put_string(msg, VVP_A_MEMBER_OWNER, "0000:01:00.0");
	nla_put_string(msg, VVP_A_MEMBER_DEV_NAME, "0000:01:00.1");
	nla_put_u32(msg, VVP_A_MEMBER_MTU, 9000);
	monitor_take(mon, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	msg = ntf_new(VVP_CMD_OWNER_ADD_NTF);
	nla_put_string(msg, VVP_A_OWNER_DEV_NAME, "0000:02:00.0");
	nla_put_string(msg, VVP_A_OWNER_BACKEND, "sim");
	monitor_take(mon, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	/* one left in the queue: the monitor's unref drops it and its ref */
	msg = ntf_new(VVP_CMD_OWNER_DEL_NTF);
	nla_put_string(msg, VVP_A_OWNER_DEV_NAME, "0000:02:00.0");
	monitor_take(mon, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	/* the monitor, three queued events */
	assert_int_equal(ctx->refcount, 5);

	assert_int_equal(vvp_monitor_receive(mon, &mev), 0);
	assert_int_equal(vvp_event_get_type(mev), VVP_EVENT_MEMBER_CHANGE);
	assert_int_equal(vvp_monitor_receive(mon, &oev), 0);
	assert_int_equal(vvp_event_get_type(oev), VVP_EVENT_OWNER_ADD);
	vvp_monitor_unref(mon);
	/* the caller's reference goes; the two events keep the context */
	assert_non_null(vvp_unref(ctx));
	assert_int_equal(ctx->refcount, 2);

	m = vvp_event_get_member(mev);
	assert_string_equal(vvp_member_get_address(m), "0000:01:00.1");
	assert_string_equal(vvp_member_get_owner_address(m), "0000:01:00.0");
	assert_int_equal(vvp_member_get_mtu(m), 9000);
	/* this one reads the context's owners: the context must be there */
	(void)vvp_member_get_owner(m);
	o = vvp_event_get_owner(oev);
	assert_ptr_equal(vvp_owner_get_ctx(o), ctx);
	assert_string_equal(vvp_owner_get_backend(o), "sim");

	/* vvp_event_ref() is a reference like the others */
	ev = vvp_event_ref(mev);
	assert_ptr_equal(ev, mev);
	vvp_event_unref(mev);
	assert_string_equal(vvp_member_get_address(vvp_event_get_member(ev)),
			    "0000:01:00.1");
	vvp_event_unref(ev);
	assert_int_equal(ctx->refcount, 1);
	assert_null(vvp_event_ref(NULL));
	vvp_event_unref(NULL);
	/* the last one frees the context (valgrind or ASan would tell) */
	vvp_event_unref(oev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extack_capped),
		cmocka_unit_test(test_extack_uncapped),
		cmocka_unit_test(test_extack_none),
		cmocka_unit_test(test_extack_malformed),
		cmocka_unit_test(test_done_error),
		cmocka_unit_test(test_attr_at_bounds),
		cmocka_unit_test_setup_teardown(test_fail_message, setup_ctx,
						teardown_ctx),
		cmocka_unit_test(test_owner_parse),
		cmocka_unit_test(test_owner_parse_partial),
		cmocka_unit_test(test_member_parse),
		cmocka_unit_test(test_member_parse_partial),
		cmocka_unit_test(test_member_parse_uint),
		cmocka_unit_test_setup_teardown(test_command_checks, setup_ctx,
						teardown_ctx),
		cmocka_unit_test_setup_teardown(test_module_not_loaded, setup_ctx,
						teardown_ctx),
		cmocka_unit_test_setup_teardown(test_kernel_extack, setup_ctx,
						teardown_ctx),
		cmocka_unit_test_setup_teardown(test_request_timeout, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_request_timeout_zero,
						fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_member_find_reuses,
						fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_roots_drop_members,
						fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_cmd_submit_results,
						fake_setup, fake_teardown),
		cmocka_unit_test(test_event_holds_ctx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
