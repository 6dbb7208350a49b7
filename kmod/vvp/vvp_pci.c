// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI addresses: the one parser of "DDDD:BB:DD.F" on the kernel side
 * (netlink requests here, vvp_sim's attach and detach), and where a
 * member (VF) sits.
 */
#include <linux/ctype.h>
#include <linux/hex.h>
#include <linux/pci.h>

#include "vvp_core.h"

static unsigned int vvp_hex(const char *s, unsigned int n)
{
	unsigned int v = 0;

	while (n--)
		v = v << 4 | hex_to_bin(*s++);
	return v;
}

int vvp_pci_parse_addr(const char *buf, size_t len, unsigned int *domain,
		       unsigned int *bus, unsigned int *devfn)
{
	static const char pattern[] = "xxxx:xx:xx.x";
	unsigned int dev, fn;
	size_t i;

	if (len != sizeof(pattern) - 1)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		bool ok = pattern[i] == 'x' ? isxdigit(buf[i]) :
					      buf[i] == pattern[i];

		if (!ok)
			return -EINVAL;
	}
	dev = vvp_hex(buf + 8, 2);
	fn = vvp_hex(buf + 11, 1);
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	*domain = vvp_hex(buf, 4);
	*bus = vvp_hex(buf + 5, 2);
	*devfn = PCI_DEVFN(dev, fn);
	return 0;
}
EXPORT_SYMBOL_GPL(vvp_pci_parse_addr);

/*
 * Where member @index sits: PF routing ID + First VF Offset + index * VF
 * Stride (PCIe SR-IOV). The kernel exports the devfn half of this but not
 * the bus half, so read the two registers; they hold while VFs exist.
 */
int vvp_member_bus_devfn(struct vvp_owner *owner, unsigned int index,
			 unsigned int *bus, unsigned int *devfn)
{
	struct pci_dev *pf = owner->pdev;
	u16 offset, stride;
	u32 rid;

	if (!owner->sriov_pos || index >= vvp_owner_num_members(owner))
		return -ENODEV;
	pci_read_config_word(pf, owner->sriov_pos + PCI_SRIOV_VF_OFFSET, &offset);
	pci_read_config_word(pf, owner->sriov_pos + PCI_SRIOV_VF_STRIDE, &stride);
	rid = (pf->bus->number << 8) + pf->devfn + offset + stride * index;
	*bus = (rid >> 8) & 0xff;
	*devfn = rid & 0xff;
	return 0;
}

int vvp_member_address(struct vvp_owner *owner, unsigned int index,
		       char *buf, size_t len)
{
	unsigned int bus, devfn;
	int rc;

	rc = vvp_member_bus_devfn(owner, index, &bus, &devfn);
	if (rc)
		return rc;
	snprintf(buf, len, "%04x:%02x:%02x.%d", pci_domain_nr(owner->pdev->bus),
		 bus, PCI_SLOT(devfn), PCI_FUNC(devfn));
	return 0;
}
