// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Generic netlink transport to vvp.ko: one socket per context, opened and
 * the family resolved on first use. Requests ask for extended ACKs
 * (NETLINK_EXT_ACK, capped with NETLINK_CAP_ACK) so that the kernel's
 * message for a refusal reaches the caller, iproute2 style.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/netlink.h>
#include <linux/vvp.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "libvvp-private.h"

struct vvp_nl *vnl_state(struct vvp_ctx *ctx)
{
	if (!ctx->nl)
		ctx->nl = calloc(1, sizeof(*ctx->nl));
	return ctx->nl;
}

static void vnl_close(struct vvp_nl *nl)
{
	nl_socket_free(nl->sock);
	nl->sock = NULL;
	nl->family = 0;
}

/*
 * How long a request waits for each read of its answer. For udev a
 * timeout of 0 means "do not wait"; a request cannot do without its
 * answer, and an SO_RCVTIMEO of 0 would wait forever, so 0 waits the
 * default instead: a kernel that never answers never hangs the caller.
 */

unsigned int vnl_timeout_ms(struct vvp_ctx *ctx)
{
	return ctx->timeout_ms ? ctx->timeout_ms : VVP_DEFAULT_TIMEOUT_MS;
}

/*
 * The context's timeout, as it is now, on the socket: applied before each
 * request since vvp_set_timeout_ms() may come after the socket opened.
 */
void vnl_apply_timeout(struct vvp_ctx *ctx, struct nl_sock *sk)
{
	unsigned int ms = vnl_timeout_ms(ctx);
	struct timeval tv = {
		.tv_sec = ms / 1000,
		.tv_usec = (ms % 1000) * 1000,
	};

	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0)
		dbg(ctx, "cannot set SO_RCVTIMEO on a netlink socket: %s\n",
		    strerror(errno));
}

static int timed_out(struct vvp_ctx *ctx)
{
	return vvp_fail(ctx, ETIMEDOUT,
			"no answer from the vvp kernel module within %u ms (%s)",
			vnl_timeout_ms(ctx), strerror(ETIMEDOUT));
}

void vnl_free(struct vvp_ctx *ctx)
{
	if (!ctx->nl)
		return;
	vnl_close(ctx->nl);
	free(ctx->nl);
	ctx->nl = NULL;
}

/*
 * A connected generic netlink socket with extended ACKs and the vvp
 * family's id: 0 or -errno with the message on the context. The monitor
 * opens its own socket through this too.
 */
int vnl_connect(struct vvp_ctx *ctx, struct nl_sock **out, int *family)
{
	struct nl_sock *sk;
	int one = 1, rc, fd;

	sk = nl_socket_alloc();
	if (!sk)
		return vvp_fail(ctx, ENOMEM,
				"cannot allocate a netlink socket (%s)",
				strerror(ENOMEM));
	errno = 0;
	rc = genl_connect(sk);
	if (rc < 0) {
		int e = errno ? errno : EIO;

		nl_socket_free(sk);
		return vvp_fail(ctx, e,
				"cannot open a generic netlink socket (%s)",
				strerror(e));
	}
	fd = nl_socket_get_fd(sk);
	/* best effort: without them the kernel still answers with an errno */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* a kernel that never answers must not hang the caller */
	vnl_apply_timeout(ctx, sk);
	nl_socket_enable_msg_peek(sk);

	rc = genl_ctrl_resolve(sk, VVP_FAMILY_NAME);
	if (rc < 0) {
		nl_socket_free(sk);
		if (rc == -NLE_OBJ_NOTFOUND)
			return vvp_fail(ctx, ENOENT,
					"vvp kernel module not loaded (no generic netlink family %s)",
					VVP_FAMILY_NAME);
		if (rc == -NLE_AGAIN)
			return timed_out(ctx);
		return vvp_fail(ctx, EIO,
				"cannot look up the generic netlink family %s (%s)",
				VVP_FAMILY_NAME, nl_geterror(rc));
	}
	dbg(ctx, "family %s has id %d\n", VVP_FAMILY_NAME, rc);
	*out = sk;
	*family = rc;
	return 0;
}

int vnl_resolve(struct vvp_ctx *ctx)
{
	struct vvp_nl *nl = vnl_state(ctx);

	if (!nl)
		return vvp_fail(ctx, ENOMEM, "cannot start netlink (%s)",
				strerror(ENOMEM));
	if (nl->sock)
		return 0;
	return vnl_connect(ctx, &nl->sock, &nl->family);
}

int vnl_msg_new(struct vvp_ctx *ctx, uint8_t cmd, int flags,
	       struct nl_msg **out)
{
	struct nl_msg *msg;
	int rc;

	rc = vnl_resolve(ctx);
	if (rc < 0)
		return rc;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ,
				 ctx->nl->family, 0, flags, cmd,
				 VVP_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return vvp_fail(ctx, ENOMEM, "cannot build a netlink message (%s)",
				strerror(ENOMEM));
	}
	*out = msg;
	return 0;
}

/* the TLVs of an extended ACK, from ptr to end */
static void parse_ack_tlvs(const void *ptr, int len, struct vnl_result *res)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t n;

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)ptr,
				  len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		n = strnlen(nla_data(tb[NLMSGERR_ATTR_MSG]),
			    nla_len(tb[NLMSGERR_ATTR_MSG]));
		if (n >= sizeof(res->extack))
			n = sizeof(res->extack) - 1;
		memcpy(res->extack, nla_data(tb[NLMSGERR_ATTR_MSG]), n);
		/* "(<msg>: <strerror>)" reads badly with a period or newline */
		while (n > 0 && (res->extack[n - 1] == '.' ||
				 res->extack[n - 1] == '\n'))
			n--;
		res->extack[n] = '\0';
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		res->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		res->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	/* a range check that failed says what the range is */
	if (tb[NLMSGERR_ATTR_POLICY]) {
		struct nlattr *pol[NL_POLICY_TYPE_ATTR_MAX + 1];

		if (nla_parse_nested(pol, NL_POLICY_TYPE_ATTR_MAX,
				     tb[NLMSGERR_ATTR_POLICY], NULL) == 0 &&
		    pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
		    pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U] &&
		    nla_len(pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]) >= 8 &&
		    nla_len(pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) >= 8) {
			res->min = nla_get_u64(pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]);
			res->max = nla_get_u64(pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]);
			res->has_range = true;
		}
	}
}

/*
 * The type of the request's attribute at byte offset offs, 0 if none.
 * offs comes from the kernel's answer: every bound is checked without
 * an addition that could wrap (offs near 2^32 would pass offs + 4 <= len).
 */
uint16_t vnl_attr_at(struct nl_msg *msg, uint32_t offs)
{
	const struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr nla;

	if (offs < NLMSG_HDRLEN + GENL_HDRLEN || offs > hdr->nlmsg_len ||
	    hdr->nlmsg_len - offs < NLA_HDRLEN)
		return 0;
	/* the offset need not be aligned: copy the header out */
	memcpy(&nla, (const char *)hdr + offs, sizeof(nla));
	if (nla.nla_len < NLA_HDRLEN || nla.nla_len > hdr->nlmsg_len - offs)
		return 0;
	return nla.nla_type & NLA_TYPE_MASK;
}

/*
 * The errno in an NLMSG_ERROR or NLMSG_DONE as a -errno. The kernel sends
 * -errno, at most MAX_ERRNO (4095); anything further out is no errno, and
 * INT_MIN could not even be negated for strerror() (fuzz-netlink found
 * that one).
 */
static int kernel_errno(int error)
{
	if (error > 0)
		error = -error;
	return error < -4095 ? -EPROTO : error;
}

/*
 * An NLMSG_ERROR message: its errno and, with NLM_F_ACK_TLVS, the
 * extended ACK after the (possibly capped) copy of the request.
 */
int vnl_parse_err(const struct nlmsghdr *hdr, struct vnl_result *res)
{
	const struct nlmsgerr *e;
	size_t off;

	if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EINVAL;
	e = NLMSG_DATA(hdr);
	res->from_kernel = true;
	res->error = kernel_errno(e->error);
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = sizeof(*e);
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -EINVAL;
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (NLMSG_LENGTH(off) > hdr->nlmsg_len)
		return -EINVAL;
	parse_ack_tlvs((const char *)e + off,
		       hdr->nlmsg_len - NLMSG_LENGTH(off), res);
	return 0;
}

/* NLMSG_DONE ends a dump; a dump that failed part-way puts -errno in it */
int vnl_parse_done(const struct nlmsghdr *hdr, struct vnl_result *res)
{
	int error;

	if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return 0;
	memcpy(&error, NLMSG_DATA(hdr), sizeof(error));
	if (error >= 0)
		return 0;
	res->from_kernel = true;
	res->error = kernel_errno(error);
	if (hdr->nlmsg_flags & NLM_F_ACK_TLVS)
		parse_ack_tlvs((const char *)NLMSG_DATA(hdr) + NLMSG_ALIGN(sizeof(int)),
			       hdr->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(int))),
			       res);
	return 0;
}

struct xact {
	vnl_parse_fn parse;
	void *arg;
	struct vnl_result *res;
	int parse_rc;
	unsigned int seen;
	bool done;
};

static int on_valid(struct nl_msg *msg, void *data)
{
	struct xact *x = data;
	int rc;

	x->seen++;
	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		x->res->dump_intr = true;
	if (x->parse && x->parse_rc == 0) {
		rc = x->parse(nlmsg_hdr(msg), x->arg);
		if (rc < 0)
			x->parse_rc = rc;
	}
	return NL_OK;
}

static int on_finish(struct nl_msg *msg, void *data)
{
	struct xact *x = data;

	x->seen++;
	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		x->res->dump_intr = true;
	vnl_parse_done(nlmsg_hdr(msg), x->res);
	x->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *data)
{
	struct xact *x = data;

	x->seen++;
	x->res->from_kernel = true;
	x->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *data)
{
	/* libnl hands over the payload; the header sits right before it */
	const struct nlmsghdr *hdr =
		(const void *)((const char *)e - NLMSG_HDRLEN);
	struct xact *x = data;

	x->seen++;
	if (vnl_parse_err(hdr, x->res) < 0) {
		x->res->from_kernel = true;
		x->res->error = kernel_errno(e->error);
	}
	x->done = true;
	return NL_STOP;
}

/*
 * Send msg and read the answer up to its ACK, error or NLMSG_DONE, with
 * each reply message going to parse. Returns 0; the kernel's -errno with
 * res->from_kernel set and no message on the context (the caller knows
 * what it asked for, see vnl_fail()); or a transport -errno with the
 * message set.
 */
int vnl_transact(struct vvp_ctx *ctx, struct nl_msg *msg, vnl_parse_fn parse,
		void *arg, struct vnl_result *res)
{
	struct xact x = { .parse = parse, .arg = arg, .res = res };
	struct vvp_nl *nl = ctx->nl;
	struct nl_cb *cb;
	int rc;

	memset(res, 0, sizeof(*res));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return vvp_fail(ctx, ENOMEM, "cannot allocate netlink callbacks (%s)",
				strerror(ENOMEM));
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &x);

	vnl_apply_timeout(ctx, nl->sock);
	rc = nl_send_auto(nl->sock, msg);
	if (rc < 0) {
		rc = vvp_fail(ctx, EIO, "cannot send to the vvp kernel module (%s)",
			      nl_geterror(rc));
		goto close;
	}
	while (!x.done) {
		unsigned int before = x.seen;

		rc = nl_recvmsgs(nl->sock, cb);
		if (x.done)
			break;
		/*
		 * SO_RCVTIMEO expired: recvmsg() failed with EAGAIN, which
		 * libnl 3.7 returns as -NLE_AGAIN; older libnl returned 0
		 * having read nothing.
		 */
		if (rc == -NLE_AGAIN || (rc >= 0 && x.seen == before)) {
			rc = timed_out(ctx);
			goto close;
		}
		if (rc < 0) {
			rc = vvp_fail(ctx, EIO,
				      "cannot read the vvp kernel module's answer (%s)",
				      nl_geterror(rc));
			goto close;
		}
	}
	nl_cb_put(cb);
	if (res->offs)
		res->bad_type = vnl_attr_at(msg, res->offs);
	if (res->error < 0)
		return res->error;
	if (x.parse_rc < 0)
		return vvp_fail(ctx, -x.parse_rc,
				"cannot take in the vvp kernel module's answer (%s)",
				strerror(-x.parse_rc));
	return 0;
close:
	/* the socket may still hold the rest of this answer: start afresh */
	nl_cb_put(cb);
	vnl_close(nl);
	memset(res, 0, sizeof(*res));
	return rc;
}

/*
 * "[<attribute>: ]<extack>[ (<min>-<max>)]: <strerror>", or as much of it
 * as the kernel said: "integer out of range" alone does not say which
 * value, nor what would do.
 */
void vnl_describe(const struct vnl_result *res, char *buf, size_t len)
{
	const char *why = strerror(res->error < 0 ? -res->error : res->error);
	char range[64] = "";

	/* a max of 2^63 and up is no limit (or a policy gone wrong): skip it */
	if (res->has_range && res->max < (1ULL << 63) && res->min <= res->max)
		snprintf(range, sizeof(range), " (%llu-%llu)",
			 (unsigned long long)res->min,
			 (unsigned long long)res->max);
	if (res->extack[0])
		snprintf(buf, len, "%s%s%s%s: %s",
			 res->bad_name ? res->bad_name : "",
			 res->bad_name ? ": " : "", res->extack, range, why);
	else if (res->miss_type)
		snprintf(buf, len, "missing required attribute %u: %s",
			 res->miss_type, why);
	else if (res->bad_name)
		snprintf(buf, len, "%s%s: %s", res->bad_name, range, why);
	else
		snprintf(buf, len, "%s", why);
}

/* The message for a kernel refusal: "<what> (<extack>: <strerror>)". */
int vnl_fail(struct vvp_ctx *ctx, const struct vnl_result *res,
	     const char *fmt, ...)
{
	char what[256], why[600];
	va_list args;

	va_start(args, fmt);
	vsnprintf(what, sizeof(what), fmt, args);
	va_end(args);
	vnl_describe(res, why, sizeof(why));
	return vvp_fail(ctx, res->error, "%s (%s)", what, why);
}
