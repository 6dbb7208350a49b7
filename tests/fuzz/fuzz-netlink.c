// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What libvvp takes from vvp.ko: the first byte chooses the parser, the
 * rest is the message as it arrives, header included.
 *  - an NLMSG_ERROR with its extended ACK (vnl_parse_err()), a dump's
 *    NLMSG_DONE (vnl_parse_done()), then the refusal as a message
 *    (vnl_describe());
 *  - an OWNER_GET or MEMBER_GET reply (owner_parse(), member_parse());
 *  - NLMSGERR_ATTR_OFFS resolved against the request (vnl_attr_at());
 *  - a multicast datagram, any number of messages, through the monitor
 *    (monitor_take()) and the events it queues.
 * libnl's receive path hands the parsers only a message whose
 * nlmsg_len fits what was read (NLMSG_OK); the harness keeps that
 * promise and nothing else: truncated, oversized, wrongly nested
 * attributes and unknown ones all come through.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/vvp.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libvvp-private.h"
#include "fuzz.h"

/* the monitor's family: what the seeds put in nlmsg_type */
#define FAMILY 0x20

static struct vvp_ctx *ctx;

static void describe(const struct vnl_result *res)
{
	char buf[600];

	vnl_describe(res, buf, sizeof(buf));
	if (strlen(buf) >= sizeof(buf))
		abort();
}

/* the getters say NULL for what the message did not have */
static size_t len(const char *s)
{
	return s ? strlen(s) : 0;
}

static void member_touch(struct vvp_member *m)
{
	size_t sum = len(vvp_member_get_address(m)) +
		     len(vvp_member_get_owner_address(m));

	if (vvp_member_has_mac(m))
		sum += vvp_member_get_mac(m)[5];
	sum += vvp_member_get_mtu(m) + vvp_member_get_index(m) +
	       vvp_member_get_max_vq_pairs(m) + vvp_member_get_features(m) +
	       vvp_member_get_transitional(m) + vvp_member_get_busy(m);
	__asm__ volatile("" : : "r"(sum));
}

static void owner_touch(struct vvp_owner *o)
{
	size_t sum = len(vvp_owner_get_address(o)) +
		     len(vvp_owner_get_backend(o)) +
		     vvp_owner_get_caps(o) + vvp_owner_get_num_members(o) +
		     vvp_owner_get_total_members(o);

	__asm__ volatile("" : : "r"(sum));
}

static void one_message(unsigned int kind, struct nlmsghdr *hdr)
{
	struct vnl_result res = { 0 };
	struct vvp_member m = { .ctx = ctx };
	struct vvp_owner o = { .ctx = ctx };

	switch (kind) {
	case 0:
		if (vnl_parse_err(hdr, &res) == 0)
			describe(&res);
		break;
	case 1:
		vnl_parse_done(hdr, &res);
		describe(&res);
		break;
	case 2:
		if (owner_parse(hdr, &o) == 0)
			owner_touch(&o);
		break;
	case 3:
		if (member_parse(hdr, &m) == 0)
			member_touch(&m);
		break;
	}
}

/* the request is the message; the offset its first four bytes */
static void attr_at(const uint8_t *data, size_t size)
{
	struct nlmsghdr *hdr;
	struct nl_msg *msg;
	uint32_t offs;

	if (size < 4 + NLMSG_HDRLEN)
		return;
	memcpy(&offs, data, 4);
	msg = nlmsg_alloc_size(size);
	if (!msg)
		return;
	hdr = nlmsg_hdr(msg);
	memcpy(hdr, data + 4, size - 4);
	/* a request we built: its length is what it is */
	hdr->nlmsg_len = size - 4;
	vnl_attr_at(msg, offs);
	nlmsg_free(msg);
}

static void monitor(const uint8_t *data, size_t size)
{
	struct vvp_monitor *mon;
	struct vvp_event *ev;
	void *buf;

	/* no socket to read: the harness hands the monitor its datagram */
	if (monitor_new_on(ctx, nl_socket_alloc(), FAMILY, &mon) < 0)
		return;
	/* what recvfrom() fills: an aligned buffer */
	buf = malloc(size ? size : 1);
	if (buf) {
		monitor_take(mon, memcpy(buf, data, size), size);
		free(buf);
	}
	/* the queue, then the unconnected socket: an error ends it */
	while (vvp_monitor_receive(mon, &ev) == 0) {
		if (vvp_event_get_owner(ev))
			owner_touch(vvp_event_get_owner(ev));
		if (vvp_event_get_member(ev))
			member_touch(vvp_event_get_member(ev));
		vvp_event_get_owner_address(ev);
		vvp_event_type_name(vvp_event_get_type(ev));
		vvp_event_unref(ev);
	}
	vvp_monitor_unref(mon);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *hdr;
	unsigned int kind;

	if (size < 1)
		return 0;
	if (!ctx && vvp_new(&ctx) < 0)
		return 0;
	kind = data[0] % 6;
	data++;
	size--;
	if (kind == 4) {
		attr_at(data, size);
		return 0;
	}
	if (kind == 5) {
		monitor(data, size);
		return 0;
	}
	if (size < NLMSG_HDRLEN)
		return 0;
	hdr = malloc(size);
	if (!hdr)
		return 0;
	memcpy(hdr, data, size);
	/* NLMSG_OK: libnl passes on no message longer than what it read */
	if (hdr->nlmsg_len < NLMSG_HDRLEN || hdr->nlmsg_len > size)
		hdr->nlmsg_len = size;
	one_message(kind, hdr);
	free(hdr);
	return 0;
}
