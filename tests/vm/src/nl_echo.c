// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nl_echo - one vvp MEMBER_SET with NLM_F_ECHO, over a plain generic
 * netlink socket that joins no multicast group: what comes back besides
 * the ack is the echo of the change notification (genl_notify()).
 *
 *   nl_echo VF MTU
 *
 * Prints "echo member_change dev VF mtu N seq S" per notification it
 * gets, then "ack ERRNO" (0: done); exit 0 when the set worked and at
 * least one echo came, else 1. Built static for the VM guest.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../../kmod/include/uapi/linux/vvp.h"

#define BUF_SIZE 8192

struct req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[256];
};

static void put_attr(struct req *r, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void req_init(struct req *r, uint16_t type, uint16_t flags,
		     uint8_t cmd, uint32_t seq)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nh.nlmsg_seq = seq;
	r->gh.cmd = cmd;
	r->gh.version = 1;
}

/* the attribute @type of genl message @nh, or NULL */
static struct nlattr *find_attr(struct nlmsghdr *nh, uint16_t type)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	int len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static void *attr_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static int family_id(int fd)
{
	static char buf[BUF_SIZE];
	struct req r;
	struct nlmsghdr *nh;
	struct nlattr *a;
	int n;

	req_init(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, VVP_FAMILY_NAME,
		 sizeof(VVP_FAMILY_NAME));
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	nh = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(nh, n) || nh->nlmsg_type == NLMSG_ERROR)
		return -ENOENT;
	a = find_attr(nh, CTRL_ATTR_FAMILY_ID);
	return a ? *(uint16_t *)attr_data(a) : -ENOENT;
}

/* the answers to the set: echoes, then the ack; 0 or 1 */
static int read_answers(int fd, uint16_t fam)
{
	static char buf[BUF_SIZE];
	int echoes = 0;

	for (;;) {
		int n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0) {
			printf("recv: %s\n", strerror(errno));
			return 1;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;

				printf("ack %d\n", -err);
				return err || !echoes;
			}
			if (nh->nlmsg_type == fam) {
				struct genlmsghdr *gh = NLMSG_DATA(nh);
				struct nlattr *dev = find_attr(nh, VVP_A_MEMBER_DEV_NAME);
				struct nlattr *mtu = find_attr(nh, VVP_A_MEMBER_MTU);

				printf("echo %s dev %s mtu %u seq %u\n",
				       gh->cmd == VVP_CMD_MEMBER_CHANGE_NTF ?
				       "member_change" : "other",
				       dev ? (char *)attr_data(dev) : "?",
				       mtu ? *(uint32_t *)attr_data(mtu) : 0,
				       nh->nlmsg_seq);
				echoes++;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct req r;
	uint32_t mtu;
	int fd, fam;

	if (argc != 3) {
		fprintf(stderr, "usage: nl_echo VF MTU\n");
		return 2;
	}
	mtu = strtoul(argv[2], NULL, 0);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("socket: %s\n", strerror(errno));
		return 1;
	}
	fam = family_id(fd);
	if (fam < 0) {
		printf("family %s: %s\n", VVP_FAMILY_NAME, strerror(-fam));
		return 1;
	}
	req_init(&r, fam, NLM_F_ACK | NLM_F_ECHO, VVP_CMD_MEMBER_SET, 42);
	put_attr(&r, VVP_A_MEMBER_DEV_NAME, argv[1], strlen(argv[1]) + 1);
	put_attr(&r, VVP_A_MEMBER_MTU, &mtu, sizeof(mtu));
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0) {
		printf("send: %s\n", strerror(errno));
		return 1;
	}
	return read_answers(fd, fam);
}
