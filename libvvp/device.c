// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI devices by address: the address itself, and what sysfs has for it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvvp-private.h"

/*
 * Accept "DDDD:BB:DD.F" and, as lspci -s does, "BB:DD.F" meaning domain 0.
 * Hex digits in either case; the canonical form is lower case and padded.
 */
VVP_EXPORT int vvp_parse_pci_address(const char *str, char *buf,
				     unsigned long len)
{
	unsigned int dom = 0, bus, dev, fn;
	int n = 0;

	if (!str || !buf)
		return -EINVAL;
	/* field widths: "%x" would wrap 100000000 around to 0 */
	if (sscanf(str, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &n) != 4 ||
	    str[n]) {
		dom = 0;
		n = 0;
		if (sscanf(str, "%2x:%2x.%1x%n", &bus, &dev, &fn, &n) != 3 ||
		    str[n])
			return -EINVAL;
	}
	/* sscanf takes signs and spaces; an address has neither */
	for (const char *p = str; *p; p++)
		if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
			return -EINVAL;
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	if (snprintf(buf, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn) >=
	    (int)len)
		return -ENOSPC;
	return 0;
}

/*
 * An address from the caller, in canonical form into addr (16 bytes): 0,
 * or -EINVAL with the message set.
 */
int dev_parse_address(struct vvp_ctx *ctx, const char *address, char *addr)
{
	if (vvp_parse_pci_address(address, addr, 16) == 0)
		return 0;
	return vvp_fail(ctx, EINVAL,
			"'%s' is not a PCI address (expected DDDD:BB:DD.F)",
			address ? address : "");
}

/*
 * The start of every lookup of a device by address: dev_parse_address(),
 * then -ENODEV (with the message) when sysfs has no such device.
 */
int dev_find(struct vvp_ctx *ctx, const char *address, char *addr)
{
	char path[PATH_MAX];
	int rc;

	rc = dev_parse_address(ctx, address, addr);
	if (rc < 0)
		return rc;
	if (dev_path(ctx, path, addr, "") < 0 || !sysfs_exists(ctx, path))
		return vvp_fail(ctx, ENODEV, "PCI device %s not found (%s)",
				addr, strerror(ENODEV));
	return 0;
}

/* (Re)read the driver link into *driver: NULL when none is bound. */
int dev_read_driver(struct vvp_ctx *ctx, const char *address, char **driver)
{
	char path[PATH_MAX], name[256];
	int rc;

	free(*driver);
	*driver = NULL;
	rc = dev_path(ctx, path, address, "driver");
	if (rc < 0)
		return rc;
	rc = sysfs_link_name(ctx, path, name, sizeof(name));
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	*driver = strdup(name);
	return *driver ? 0 : -ENOMEM;
}

/* Vendor and device IDs; one that cannot be read is left as it was. */
void dev_read_ids(struct vvp_ctx *ctx, const char *address,
		  unsigned int *vendor, unsigned int *device)
{
	char path[PATH_MAX];

	if (dev_path(ctx, path, address, "vendor") == 0)
		sysfs_read_hex(ctx, path, vendor);
	if (dev_path(ctx, path, address, "device") == 0)
		sysfs_read_hex(ctx, path, device);
}

/* A VF's PF, from its physfn link: 0, or -errno when it has none. */
int dev_read_physfn(struct vvp_ctx *ctx, const char *address, char *pf,
		    size_t len)
{
	char path[PATH_MAX];
	int rc;

	rc = dev_path(ctx, path, address, "physfn");
	return rc < 0 ? rc : sysfs_link_name(ctx, path, pf, len);
}

/* a canonical address's routing ID (bus, devfn) and domain: 0 or -EINVAL */
static int dev_rid(const char *address, unsigned int *domain,
		   unsigned long *rid)
{
	unsigned int bus, dev, fn;

	if (sscanf(address, "%x:%x:%x.%x", domain, &bus, &dev, &fn) != 4)
		return -EINVAL;
	*rid = bus << 8 | dev << 3 | fn;
	return 0;
}

/*
 * Where the kernel puts VF index: the PF's routing ID plus First VF Offset
 * plus index times VF Stride (PCIe SR-IOV 9.3.3.9/10), on the PF's domain.
 */
int dev_vf_address(const char *pf, int offset, int stride,
		   unsigned int index, char *buf, size_t len)
{
	unsigned int domain;
	unsigned long rid;

	if (dev_rid(pf, &domain, &rid) < 0)
		return -EINVAL;
	rid += offset + (unsigned long)index * stride;
	if (rid > 0xffff)
		return -ERANGE;
	snprintf(buf, len, "%04x:%02lx:%02lx.%lx", domain, rid >> 8,
		 (rid >> 3) & 0x1f, rid & 7);
	return 0;
}

/* the other way round: the index of the VF at vf, -1 when none can be */
int dev_vf_index(const char *pf, int offset, int stride, const char *vf)
{
	unsigned int pf_domain, vf_domain;
	unsigned long pf_rid, vf_rid;
	long d;

	if (dev_rid(pf, &pf_domain, &pf_rid) < 0 ||
	    dev_rid(vf, &vf_domain, &vf_rid) < 0 || pf_domain != vf_domain)
		return -1;
	d = (long)vf_rid - (long)pf_rid - offset;
	if (d < 0 || (stride <= 0 && d != 0) || (stride > 0 && d % stride))
		return -1;
	return stride > 0 ? d / stride : 0;
}

VVP_EXPORT int vvp_pci_lookup(struct vvp_ctx *ctx, const char *address,
			      struct vvp_pf **pf, struct vvp_vf **vf)
{
	char addr[16], parent[32];
	struct vvp_pf *p;
	struct vvp_vf *v;
	int rc;

	vvp_clear_error(ctx);
	if (pf)
		*pf = NULL;
	if (vf)
		*vf = NULL;
	rc = dev_find(ctx, address, addr);
	if (rc < 0)
		return rc;
	p = pf_lookup(ctx, addr);
	if (p) {
		if (pf)
			*pf = p;
		return VVP_PCI_PF;
	}
	if (dev_read_physfn(ctx, addr, parent, sizeof(parent)) < 0)
		return vvp_fail(ctx, EOPNOTSUPP,
				"PCI device %s is not a VF or a PF (it has no physfn and no sriov_totalvfs)",
				addr);
	rc = vf_lookup(ctx, addr, parent, &v);
	if (rc < 0)
		return rc;
	if (pf)
		*pf = v->pf;
	if (vf)
		*vf = v;
	return VVP_PCI_VF;
}
