// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Monitor: a socket of its own in the family's "monitor" multicast group.
 * The caller polls its fd; vvp_monitor_receive() reads what is there,
 * without blocking, into a queue of events and hands them out one by one.
 * The monitor and each event hold a reference on the context: an event's
 * owner and member point at it, and may outlive the monitor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vvp.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "libvvp-private.h"

/* a notification is a few hundred bytes; one datagram holds one or more */
#define MONITOR_BUF (64 * 1024)
/* room for a burst: all members of an owner changing at once */
#define MONITOR_RCVBUF (1024 * 1024)

struct vvp_event {
	struct vvp_event *next;
	int refcount;
	struct vvp_ctx *ctx;	/* a reference of the event's own */
	enum vvp_event_type type;
	struct vvp_owner *owner;
	struct vvp_member *member;
};

struct vvp_monitor {
	struct vvp_ctx *ctx;
	int refcount;
	struct nl_sock *sock;
	int family;
	unsigned char *buf;
	struct vvp_event *head, **tail;
};

/* a monitor on a socket set up already; it takes the socket over */
int monitor_new_on(struct vvp_ctx *ctx, struct nl_sock *sk, int family,
		   struct vvp_monitor **out)
{
	struct vvp_monitor *mon;

	mon = calloc(1, sizeof(*mon));
	if (mon)
		mon->buf = malloc(MONITOR_BUF);
	if (!mon || !mon->buf) {
		free(mon);
		nl_socket_free(sk);
		return vvp_fail(ctx, ENOMEM, "cannot allocate a monitor (%s)",
				strerror(ENOMEM));
	}
	mon->refcount = 1;
	mon->tail = &mon->head;
	mon->sock = sk;
	mon->family = family;
	mon->ctx = vvp_ref(ctx);
	*out = mon;
	return 0;
}

VVP_EXPORT int vvp_monitor_new(struct vvp_ctx *ctx, struct vvp_monitor **out)
{
	struct nl_sock *sk;
	int rc, grp, family;

	vvp_clear_error(ctx);
	rc = vnl_connect(ctx, &sk, &family);
	if (rc < 0)
		return rc;
	grp = genl_ctrl_resolve_grp(sk, VVP_FAMILY_NAME, VVP_MCGRP_MONITOR);
	if (grp < 0) {
		/* not -ENOENT: the module is there, but not one we know */
		rc = vvp_fail(ctx, EOPNOTSUPP,
			      "the vvp kernel module has no multicast group %s (%s)",
			      VVP_MCGRP_MONITOR, nl_geterror(grp));
		goto err;
	}
	rc = nl_socket_add_membership(sk, grp);
	if (rc < 0) {
		rc = vvp_fail(ctx, EIO, "cannot join the multicast group %s of %s (%s)",
			      VVP_MCGRP_MONITOR, VVP_FAMILY_NAME, nl_geterror(rc));
		goto err;
	}
	/* notifications have no sequence numbers to check */
	nl_socket_disable_seq_check(sk);
	nl_socket_set_buffer_size(sk, MONITOR_RCVBUF, 0);
	rc = nl_socket_set_nonblocking(sk);
	if (rc < 0) {
		rc = vvp_fail(ctx, EIO, "cannot make the monitor socket non-blocking (%s)",
			      nl_geterror(rc));
		goto err;
	}
	return monitor_new_on(ctx, sk, family, out);
err:
	nl_socket_free(sk);
	return rc;
}

VVP_EXPORT struct vvp_monitor *vvp_monitor_ref(struct vvp_monitor *mon)
{
	if (mon)
		mon->refcount++;
	return mon;
}

VVP_EXPORT void vvp_monitor_unref(struct vvp_monitor *mon)
{
	struct vvp_event *ev, *next;

	if (!mon || --mon->refcount > 0)
		return;
	for (ev = mon->head; ev; ev = next) {
		next = ev->next;
		vvp_event_unref(ev);
	}
	nl_socket_free(mon->sock);
	free(mon->buf);
	vvp_unref(mon->ctx);
	free(mon);
}

VVP_EXPORT int vvp_monitor_get_fd(struct vvp_monitor *mon)
{
	return nl_socket_get_fd(mon->sock);
}

/* one notification into an event; NULL for what is not ours */
static struct vvp_event *event_parse(struct vvp_monitor *mon,
				     struct nlmsghdr *hdr)
{
	struct genlmsghdr *gh;
	struct vvp_event *ev;

	if (hdr->nlmsg_type != mon->family ||
	    !genlmsg_valid_hdr(hdr, 0))
		return NULL;
	gh = nlmsg_data(hdr);
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	ev->refcount = 1;
	ev->ctx = vvp_ref(mon->ctx);
	switch (gh->cmd) {
	case VVP_CMD_OWNER_ADD_NTF:
	case VVP_CMD_OWNER_DEL_NTF:
	case VVP_CMD_OWNER_CHANGE_NTF:
		ev->type = gh->cmd == VVP_CMD_OWNER_ADD_NTF ? VVP_EVENT_OWNER_ADD :
			   gh->cmd == VVP_CMD_OWNER_DEL_NTF ? VVP_EVENT_OWNER_DEL :
			   VVP_EVENT_OWNER_CHANGE;
		ev->owner = calloc(1, sizeof(*ev->owner));
		if (!ev->owner || owner_parse(hdr, ev->owner) < 0)
			goto drop;
		ev->owner->ctx = mon->ctx;
		/* its members are not read: it is a snapshot, not the cache */
		ev->owner->members_scanned = true;
		return ev;
	case VVP_CMD_MEMBER_CHANGE_NTF:
		ev->type = VVP_EVENT_MEMBER_CHANGE;
		ev->member = calloc(1, sizeof(*ev->member));
		if (!ev->member || member_parse(hdr, ev->member) < 0)
			goto drop;
		ev->member->ctx = mon->ctx;
		return ev;
	default:
		dbg(mon->ctx, "notification with command %u ignored\n", gh->cmd);
	}
drop:
	vvp_event_unref(ev);
	return NULL;
}

/* the notifications in one datagram from the kernel, onto the queue */
void monitor_take(struct vvp_monitor *mon, const void *buf, size_t n)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)buf;
	int len = n;

	for (; NLMSG_OK(hdr, len); hdr = NLMSG_NEXT(hdr, len)) {
		struct vvp_event *ev = event_parse(mon, hdr);

		if (!ev)
			continue;
		*mon->tail = ev;
		mon->tail = &ev->next;
	}
}

/* read every datagram there is now; -EAGAIN when there was none */
static int monitor_read(struct vvp_monitor *mon)
{
	int fd = nl_socket_get_fd(mon->sock), got = 0;

	for (;;) {
		struct sockaddr_nl sa;
		socklen_t salen = sizeof(sa);
		ssize_t n;

		n = recvfrom(fd, mon->buf, MONITOR_BUF, MSG_DONTWAIT,
			     (struct sockaddr *)&sa, &salen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return got ? 0 : -EAGAIN;
			if (errno == ENOBUFS)
				return vvp_fail(mon->ctx, ENOBUFS,
						"vvp events were lost (the monitor's socket buffer overran)");
			return vvp_fail(mon->ctx, errno,
					"cannot read vvp events (%s)",
					strerror(errno));
		}
		got++;
		/* only the kernel speaks on this group */
		if (sa.nl_pid != 0)
			continue;
		monitor_take(mon, mon->buf, n);
		if (mon->head)
			return 0;
	}
}

VVP_EXPORT int vvp_monitor_receive(struct vvp_monitor *mon,
				   struct vvp_event **event)
{
	struct vvp_event *ev;
	int rc;

	vvp_clear_error(mon->ctx);
	if (!mon->head) {
		rc = monitor_read(mon);
		if (rc < 0)
			return rc;
		if (!mon->head)
			return -EAGAIN;
	}
	ev = mon->head;
	mon->head = ev->next;
	if (!mon->head)
		mon->tail = &mon->head;
	ev->next = NULL;
	*event = ev;
	return 0;
}

VVP_EXPORT enum vvp_event_type vvp_event_get_type(struct vvp_event *event)
{
	return event->type;
}

VVP_EXPORT const char *vvp_event_type_name(enum vvp_event_type type)
{
	switch (type) {
	case VVP_EVENT_OWNER_ADD:
		return "owner_add";
	case VVP_EVENT_OWNER_DEL:
		return "owner_del";
	case VVP_EVENT_MEMBER_CHANGE:
		return "member_change";
	case VVP_EVENT_OWNER_CHANGE:
		return "owner_change";
	}
	return NULL;
}

VVP_EXPORT const char *vvp_event_get_owner_address(struct vvp_event *event)
{
	if (event->owner)
		return event->owner->address;
	return event->member ? vvp_member_get_owner_address(event->member) : NULL;
}

VVP_EXPORT struct vvp_owner *vvp_event_get_owner(struct vvp_event *event)
{
	return event->owner;
}

VVP_EXPORT struct vvp_member *vvp_event_get_member(struct vvp_event *event)
{
	return event->member;
}

VVP_EXPORT struct vvp_event *vvp_event_ref(struct vvp_event *event)
{
	if (event)
		event->refcount++;
	return event;
}

VVP_EXPORT void vvp_event_unref(struct vvp_event *event)
{
	struct vvp_ctx *ctx;

	if (!event || --event->refcount > 0)
		return;
	ctx = event->ctx;
	owner_free(event->owner);
	free(event->member);
	free(event);
	/* last: it may be the context's last reference */
	vvp_unref(ctx);
}
