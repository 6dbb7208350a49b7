// SPDX-License-Identifier: GPL-2.0-only
/*
 * Config space of a transitional member, on top of what vfio-pci-core
 * already virtualises: virtio-net transitional IDs and class (Ethernet:
 * the VF may be anything under a simulated owner), an I/O BAR0 that
 * sizes like a real one (write all-ones, read back the size mask with the
 * I/O space bit), and the I/O enable bit of the command register, which a
 * VF cannot implement in hardware.
 */
#include <linux/pci.h>
#include <linux/uaccess.h>

#include "vvp_vfio_pci.h"

/* Patch the @size-byte register at @reg with @val where [pos, pos+count) overlaps it. */
static int patch(char __user *buf, loff_t pos, size_t count, unsigned int reg,
		 size_t size, u32 val)
{
	size_t reg_off, copy;
	loff_t buf_off;
	__le32 le = cpu_to_le32(val);

	if (!vfio_pci_core_range_intersect_range(pos, count, reg, size,
						 &buf_off, &copy, &reg_off))
		return 0;
	if (copy_to_user(buf + buf_off, (u8 *)&le + reg_off, copy))
		return -EFAULT;
	return 0;
}

/* Set the bits @mask of config byte @reg to @val, as the core read it. */
static int patch_bits(char __user *buf, loff_t pos, size_t count,
		      unsigned int reg, u8 mask, u8 val)
{
	size_t reg_off, copy;
	loff_t buf_off;
	u8 byte;

	if (!vfio_pci_core_range_intersect_range(pos, count, reg, 1,
						 &buf_off, &copy, &reg_off))
		return 0;
	if (get_user(byte, (u8 __user *)buf + buf_off))
		return -EFAULT;
	byte = (byte & ~mask) | (val & mask);
	return put_user(byte, (u8 __user *)buf + buf_off);
}

/*
 * The relocated memory BAR (see vfio_bars.c) and every capability byte
 * that named BAR0, now naming it. vd->lock held.
 */
static int vvp_vfio_patch_reloc(struct vvp_vfio_device *vd, char __user *buf,
				loff_t pos, size_t count)
{
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * vd->reloc;
	unsigned int i;

	if (vd->reloc < 0)
		return 0;
	if (patch(buf, pos, count, reg, 4, vvp_vfio_reloc_bar_read(vd, 0)) ||
	    (vd->bar1_hidden &&
	     patch(buf, pos, count, reg + 4, 4, vvp_vfio_reloc_bar_read(vd, 1))))
		return -EFAULT;
	for (i = 0; i < vd->nr_refs; i++)
		if (patch_bits(buf, pos, count, vd->refs[i].pos,
			       vd->refs[i].mask, vd->reloc))
			return -EFAULT;
	return 0;
}

/* The command register as the core shows it, with our I/O bit. */
static int vvp_vfio_patch_command(struct vvp_vfio_device *vd,
				  char __user *buf, loff_t pos, size_t count)
{
	size_t reg_off, copy;
	loff_t buf_off;
	__le16 le = 0;
	u16 cmd;

	if (!vfio_pci_core_range_intersect_range(pos, count, PCI_COMMAND, 2,
						 &buf_off, &copy, &reg_off))
		return 0;
	if (copy_from_user((u8 *)&le + reg_off, buf + buf_off, copy))
		return -EFAULT;
	cmd = (le16_to_cpu(le) & ~PCI_COMMAND_IO) | vd->cmd_io;
	return patch(buf, pos, count, PCI_COMMAND, 2, cmd);
}

ssize_t vvp_vfio_config_read(struct vvp_vfio_device *vd, char __user *buf,
			     size_t count, loff_t *ppos)
{
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	ssize_t rc;
	u32 bar0;

	rc = vfio_pci_core_read(&vd->core.vdev, buf, count, ppos);
	if (rc < 0 || !vd->legacy)
		return rc;

	mutex_lock(&vd->lock);
	bar0 = (vd->bar0 & ~(VVP_LEGACY_WINDOW - 1)) | PCI_BASE_ADDRESS_SPACE_IO;
	if (patch(buf, pos, count, PCI_VENDOR_ID, 2, VVP_TRANS_VENDOR) ||
	    patch(buf, pos, count, PCI_DEVICE_ID, 2, VVP_TRANS_DEVICE) ||
	    vvp_vfio_patch_command(vd, buf, pos, count) ||
	    patch(buf, pos, count, PCI_REVISION_ID, 1, 0) ||
	    patch(buf, pos, count, PCI_CLASS_PROG, 1, 0) ||
	    patch(buf, pos, count, PCI_CLASS_DEVICE, 2,
		  PCI_CLASS_NETWORK_ETHERNET) ||
	    patch(buf, pos, count, PCI_BASE_ADDRESS_0, 4, bar0) ||
	    (vd->bar1_hidden &&
	     patch(buf, pos, count, PCI_BASE_ADDRESS_1, 4, 0)) ||
	    patch(buf, pos, count, PCI_SUBSYSTEM_VENDOR_ID, 2, VVP_TRANS_VENDOR) ||
	    patch(buf, pos, count, PCI_SUBSYSTEM_ID, 2, VVP_TRANS_SUBSYS) ||
	    vvp_vfio_patch_reloc(vd, buf, pos, count))
		rc = -EFAULT;
	mutex_unlock(&vd->lock);
	return rc;
}

/* Take the bytes of [reg, reg+size) that the write covers into *val. */
static int capture(const char __user *buf, loff_t pos, size_t count,
		   unsigned int reg, size_t size, u32 *val)
{
	size_t reg_off, copy;
	loff_t buf_off;
	__le32 le = cpu_to_le32(*val);

	if (!vfio_pci_core_range_intersect_range(pos, count, reg, size,
						 &buf_off, &copy, &reg_off))
		return 0;
	if (copy_from_user((u8 *)&le + reg_off, buf + buf_off, copy))
		return -EFAULT;
	*val = le32_to_cpu(le);
	return 0;
}

ssize_t vvp_vfio_config_write(struct vvp_vfio_device *vd,
			      const char __user *buf, size_t count,
			      loff_t *ppos)
{
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u32 cmd;

	if (vd->legacy) {
		mutex_lock(&vd->lock);
		cmd = vd->cmd_io;
		if (capture(buf, pos, count, PCI_COMMAND, 2, &cmd) ||
		    capture(buf, pos, count, PCI_BASE_ADDRESS_0, 4, &vd->bar0) ||
		    (vd->reloc >= 0 &&
		     (capture(buf, pos, count, PCI_BASE_ADDRESS_0 + 4 * vd->reloc,
			      4, &vd->reloc_bar[0]) ||
		      (vd->bar1_hidden &&
		       capture(buf, pos, count,
			       PCI_BASE_ADDRESS_0 + 4 * vd->reloc + 4, 4,
			       &vd->reloc_bar[1]))))) {
			mutex_unlock(&vd->lock);
			return -EFAULT;
		}
		/* read without the lock by every BAR0 access */
		WRITE_ONCE(vd->cmd_io, cmd & PCI_COMMAND_IO);
		mutex_unlock(&vd->lock);
	}
	/*
	 * The core virtualises the rest; a VF ignores the I/O bit, and the
	 * core keeps BAR writes in its virtual config, which reads then
	 * replace for BAR0 (and BAR1 when it is hidden) and the relocated
	 * BAR.
	 */
	return vfio_pci_core_write(&vd->core.vdev, buf, count, ppos);
}

/* vd->lock held */
void vvp_vfio_config_reset_locked(struct vvp_vfio_device *vd)
{
	lockdep_assert_held(&vd->lock);
	WRITE_ONCE(vd->cmd_io, 0);
	vd->bar0 = 0;
	vd->reloc_bar[0] = 0;
	vd->reloc_bar[1] = 0;
}
