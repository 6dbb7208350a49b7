/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vvpctl libvirt-hook: what libvirt's qemu hook gives it (the domain XML
 * on stdin), the PCI devices that XML assigns to the guest, and what the
 * hook makes of the VFs among them that vvp.conf(5) configures.
 */
#ifndef _VVPCTL_HOOK_H_
#define _VVPCTL_HOOK_H_

#include <stdbool.h>
#include <stddef.h>

struct vvp_ctx;
struct vvp_config;

/* the most domain XML the hook reads; libvirt's own are a few KiB */
#define HOOK_XML_MAX (4U << 20)

/* a PCI device the domain XML assigns: <hostdev> or <interface> */
struct hook_dev {
	char address[16];	/* canonical DDDD:BB:DD.F */
	bool interface;		/* <interface type='hostdev'> */
	bool managed;		/* managed='yes' */
	bool has_mac;
	unsigned char mac[6];
	int mtu;		/* -1: none given */
	int line;		/* of the element, for messages */
};

struct hook_domain {
	struct hook_dev *devs;
	unsigned int num_devs;
};

/*
 * Read fd to its end, at most max bytes, into *buf (NUL-terminated; free
 * it): 0, -EFBIG when there is more, or -errno of the read.
 */
int hook_read_all(int fd, size_t max, char **buf, size_t *len);

/*
 * The PCI devices of a domain XML, in document order. No network, no
 * entity expansion, no DTD, no XInclude: a document with a DOCTYPE is
 * refused before its internal subset is read. 0, or -EINVAL with why
 * ("line 3: ...") in err; -ENOMEM.
 */
int hook_xml_parse(const char *buf, size_t len, struct hook_domain *d,
		   char *err, size_t errlen);
void hook_domain_free(struct hook_domain *d);

enum hook_op {
	HOOK_PREPARE,	/* prepare begin: MAC, MTU, a vfio driver */
	HOOK_RELEASE,	/* release end: as vvp.conf says */
};

/*
 * Do op for every VF of d that config configures, under the locks of
 * their PFs; config is changed in memory for prepare. dry_run prints
 * the plans on stdout and changes nothing. EXIT_OK, or EXIT_FAIL after
 * one "Error: ..." line on stderr; a failed prepare puts back every VF
 * it had prepared.
 */
int hook_run(struct vvp_ctx *ctx, struct vvp_config *config,
	     const char *domain, enum hook_op op, const struct hook_domain *d,
	     bool dry_run);

#endif
