// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BARs of a transitional member. The emulated I/O BAR0 takes the
 * place of the VF's own BAR0 (and BAR1, its upper half when it is 64-bit
 * memory), so whatever the capabilities locate in that BAR would point
 * into a BAR the user cannot see: an MSI-X table or PBA (NVMe VFs keep
 * both in BAR0), a virtio vendor capability's bar field. QEMU's vfio-pci
 * refuses such a device ("MSIX PBA outside of specified BAR").
 *
 * When something points there, the memory BAR is shown at a free BAR
 * index instead, and every pointer is rewritten to that index: config
 * space emulates the BAR (sizing, address), and the VFIO region of that
 * index is the real BAR0 (region info, read/write, mmap). MSI-X keeps
 * working, since vfio-pci-core programs it on the real device, whose
 * table is where it always was. With no free index the profile is
 * refused at open.
 */
#include <linux/pci.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vvp_vfio_pci.h"

/* Note the config byte at @pos whose bits @mask hold a BAR index. */
static int vvp_vfio_add_ref(struct vvp_vfio_device *vd, unsigned int pos,
			    u8 mask)
{
	if (vd->nr_refs == ARRAY_SIZE(vd->refs))
		return -ENOSPC;
	vd->refs[vd->nr_refs].pos = pos;
	vd->refs[vd->nr_refs].mask = mask;
	vd->nr_refs++;
	return 0;
}

static bool vvp_vfio_bar_hidden(struct vvp_vfio_device *vd, unsigned int bar)
{
	return bar == 0 || (bar == 1 && vd->bar1_hidden);
}

/*
 * The MSI-X table and PBA (BIR, bits 2:0 of their offset registers) and
 * every vendor capability long enough to be a virtio_pci_cap (bar at
 * offset 4; the device looks like a virtio device to the guest, whose
 * driver reads them so): each one that names a hidden BAR is noted.
 */
static int vvp_vfio_find_refs(struct vvp_vfio_device *vd)
{
	static const u8 msix_regs[] = { PCI_MSIX_TABLE, PCI_MSIX_PBA };
	struct pci_dev *pdev = vd->core.pdev;
	u8 pos, len, bar;
	unsigned int i;
	u32 val;
	int rc;

	static_assert(PCI_MSIX_TABLE_BIR == PCI_MSIX_PBA_BIR);
	for (i = 0; pdev->msix_cap && i < ARRAY_SIZE(msix_regs); i++) {
		pos = pdev->msix_cap + msix_regs[i];
		pci_read_config_dword(pdev, pos, &val);
		if (vvp_vfio_bar_hidden(vd, val & PCI_MSIX_TABLE_BIR)) {
			rc = vvp_vfio_add_ref(vd, pos, PCI_MSIX_TABLE_BIR);
			if (rc)
				return rc;
		}
	}
	pos = 0;
	while ((pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR))) {
		pci_read_config_byte(pdev, pos + VVP_VNDR_CAP_LEN, &len);
		if (len <= VVP_VNDR_CAP_BAR)
			continue;
		pci_read_config_byte(pdev, pos + VVP_VNDR_CAP_BAR, &bar);
		if (vvp_vfio_bar_hidden(vd, bar)) {
			rc = vvp_vfio_add_ref(vd, pos + VVP_VNDR_CAP_BAR, 0xff);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* BAR indices that the user sees in use: the I/O BAR0 and the VF's own */
static unsigned int vvp_vfio_bars_used(struct vvp_vfio_device *vd)
{
	struct pci_dev *pdev = vd->core.pdev;
	unsigned int used = BIT(0), i;

	for (i = 1; i < PCI_STD_NUM_BARS; i++) {
		if (vvp_vfio_bar_hidden(vd, i) || !pci_resource_len(pdev, i))
			continue;
		used |= BIT(i);
		if (pci_resource_flags(pdev, i) & IORESOURCE_MEM_64)
			used |= BIT(i + 1);
	}
	return used;
}

/* A free index for the hidden memory BAR: naturally aligned ones first. */
static int vvp_vfio_free_index(struct vvp_vfio_device *vd)
{
	static const u8 order[] = { 2, 4, 3, 5 };
	unsigned int used = vvp_vfio_bars_used(vd);
	unsigned int need = vd->bar1_hidden ? 0x3 : 0x1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		unsigned int mask = need << order[i];

		if (mask < BIT(PCI_STD_NUM_BARS) && !(used & mask))
			return order[i];
	}
	return -ENOSPC;
}

int vvp_vfio_bars_setup(struct vvp_vfio_device *vd)
{
	struct pci_dev *pdev = vd->core.pdev;
	unsigned long flags;
	int rc;

	vd->bar1_hidden = pci_resource_flags(pdev, 0) & IORESOURCE_MEM_64;
	vd->reloc = -1;
	vd->nr_refs = 0;
	if (!pci_resource_len(pdev, 0))
		return 0;	/* an empty BAR0: nothing is hidden */
	rc = vvp_vfio_find_refs(vd);
	if (!rc && !vd->nr_refs)
		return 0;	/* nothing points into BAR0: leave it hidden */
	if (!rc)
		rc = vvp_vfio_free_index(vd);
	if (rc < 0) {
		pci_err(pdev, "vvp_vfio_pci: transitional profile refused: capabilities (MSI-X table/PBA or vendor) point into BAR0, which the legacy I/O BAR replaces, and no free BAR index can show it; provision the VF --transitional off\n");
		return rc;
	}
	vd->reloc = rc;
	vd->reloc_size = pci_resource_len(pdev, 0);
	/* a VF's BARs read 0 in its config space: the type is the resource's */
	flags = pci_resource_flags(pdev, 0);
	vd->reloc_flags = (flags & IORESOURCE_MEM_64 ?
			   PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
			  (flags & IORESOURCE_PREFETCH ?
			   PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
	pci_info(pdev, "vvp_vfio_pci: BAR0 (%llu bytes, %u capability pointers) shown as BAR%d\n",
		 (unsigned long long)vd->reloc_size, vd->nr_refs, vd->reloc);
	return 0;
}

/*
 * Config-space dword @i (0, or 1 for the upper half) of the relocated BAR
 * as a BAR reads: the address the user wrote, cut to the size, with the
 * type bits of the real BAR0. vd->lock held.
 */
u32 vvp_vfio_reloc_bar_read(struct vvp_vfio_device *vd, unsigned int i)
{
	u64 mask = ~(vd->reloc_size - 1);

	lockdep_assert_held(&vd->lock);
	if (i)
		return vd->reloc_bar[1] & upper_32_bits(mask);
	return (vd->reloc_bar[0] & lower_32_bits(mask) &
		PCI_BASE_ADDRESS_MEM_MASK) | vd->reloc_flags;
}

/* the offset of a relocated-BAR region access in the real BAR0's region */
static loff_t vvp_vfio_reloc_pos(loff_t pos)
{
	return VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX) +
	       (pos & VFIO_PCI_OFFSET_MASK);
}

ssize_t vvp_vfio_reloc_rw(struct vvp_vfio_device *vd, char __user *buf,
			  size_t count, loff_t *ppos, bool write)
{
	loff_t pos = vvp_vfio_reloc_pos(*ppos);
	ssize_t rc;

	rc = write ? vfio_pci_core_write(&vd->core.vdev, buf, count, &pos) :
		     vfio_pci_core_read(&vd->core.vdev, buf, count, &pos);
	if (rc > 0)
		*ppos += rc;
	return rc;
}

int vvp_vfio_reloc_mmap(struct vvp_vfio_device *vd, struct vm_area_struct *vma)
{
	vma->vm_pgoff = vvp_vfio_reloc_pos((loff_t)vma->vm_pgoff << PAGE_SHIFT) >>
			PAGE_SHIFT;
	return vfio_pci_core_mmap(&vd->core.vdev, vma);
}

/*
 * Region info of the relocated BAR: the real BAR0's, as vfio-pci-core
 * gives it (the MSI-X mappable capability included), at the new index.
 */
long vvp_vfio_reloc_region_info(struct vvp_vfio_device *vd,
				struct vfio_region_info *info,
				struct vfio_region_info __user *uarg)
{
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_pci_core_device *core = &vd->core;
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	int rc;

	info->offset = VFIO_PCI_INDEX_TO_OFFSET(vd->reloc);
	info->size = vd->reloc_size;
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	info->cap_offset = 0;
	if (core->bar_mmap_supported[VFIO_PCI_BAR0_REGION_INDEX]) {
		info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
		if (core->msix_bar == VFIO_PCI_BAR0_REGION_INDEX) {
			struct vfio_info_cap_header hdr = {
				.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
				.version = 1,
			};

			rc = vfio_info_add_capability(&caps, &hdr, sizeof(hdr));
			if (rc)
				return rc;
		}
	}
	if (caps.size) {
		info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info->argsz < sizeof(*info) + caps.size) {
			info->argsz = sizeof(*info) + caps.size;
		} else {
			vfio_info_cap_shift(&caps, sizeof(*info));
			if (copy_to_user(uarg + 1, caps.buf, caps.size)) {
				kfree(caps.buf);
				return -EFAULT;
			}
			info->cap_offset = sizeof(*info);
		}
		kfree(caps.buf);
	}
	return copy_to_user(uarg, info, minsz) ? -EFAULT : 0;
}
