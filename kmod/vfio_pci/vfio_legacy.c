// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated legacy I/O BAR0 of a transitional member: each 1-, 2- or
 * 4-byte access inside the window goes to the member's owner, which runs
 * it as a legacy admin command (virtio) or on its register file (sim).
 *
 * Layout (virtio 0.9.5): common config at 0; device config right after
 * it, at 20, or at 24 while MSI-X is enabled, when the config and queue
 * vector registers take 20..23. The queue notify register (16) is a kick,
 * sent on the owner's notify path.
 */
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>

#include "vvp_vfio_pci.h"

static bool vvp_vfio_msix_enabled(struct vvp_vfio_device *vd)
{
	return vd->core.irq_type == VFIO_PCI_MSIX_IRQ_INDEX;
}

/*
 * A common- or device-config access: from the cache where it can
 * (vfio_cache.c). vd->lock keeps the cache and the owner's answers in
 * step; it is not held around kicks, which take vfio-pci-core's
 * memory_lock, as a function reset does before it calls our reset_done,
 * which takes vd->lock.
 */
static int vvp_vfio_cfg_access(struct vvp_vfio_device *vd, u8 *data,
			       size_t count, loff_t pos, bool write,
			       bool device)
{
	static const enum vvp_legacy_op ops[2][2] = {
		{ VVP_LEGACY_COMMON_READ, VVP_LEGACY_COMMON_WRITE },
		{ VVP_LEGACY_DEVICE_READ, VVP_LEGACY_DEVICE_WRITE },
	};
	u8 field[VVP_LEGACY_DEVCFG_SIZE];
	size_t wcount;
	loff_t wpos;
	int rc = 0;

	mutex_lock(&vd->lock);
	if (write ? vvp_vfio_cache_write_elided(vd, pos, count, data, device) :
		    vvp_vfio_cache_read(vd, pos, count, data, device))
		goto out;
	/* a part of the device config: all of it, in one command */
	if (device && !write &&
	    vvp_vfio_cache_widen(pos, count, &wpos, &wcount)) {
		rc = vvp_legacy_io(vd->owner, vd->member, VVP_LEGACY_DEVICE_READ,
				   wpos, wcount, field);
		if (!rc)
			vvp_vfio_cache_widened(vd, wpos, wcount, field, pos,
					       count, data);
		goto out;
	}
	rc = vvp_legacy_io(vd->owner, vd->member, ops[device][write], pos,
			   count, data);
	if (!rc)
		vvp_vfio_cache_note(vd, pos, count, data, write, device);
	else if (write)		/* did the device take it? nobody knows */
		vvp_vfio_cache_forget(vd);
out:
	mutex_unlock(&vd->lock);
	return rc;
}

/* One access inside the window, the device powered up; 0 or -errno. */
static int vvp_vfio_bar0_access(struct vvp_vfio_device *vd, u8 *data,
				size_t count, loff_t pos, bool write)
{
	unsigned int devcfg = VIRTIO_PCI_CONFIG_OFF(vvp_vfio_msix_enabled(vd));

	if (pos == VIRTIO_PCI_QUEUE_NOTIFY && write) {
		if (count != 2)
			return -EINVAL;
		/* the core checks memory enable and power state for us */
		return vd->notify_addr ?
		       vfio_pci_core_iowrite16(&vd->core, true,
					       get_unaligned_le16(data),
					       vd->notify_addr) :
		       vvp_legacy_notify(vd->owner, vd->member,
					 get_unaligned_le16(data));
	}
	if (pos < devcfg) {
		if (pos + count > devcfg)	/* straddles into device config */
			return -EINVAL;
		return vvp_vfio_cfg_access(vd, data, count, pos, write, false);
	}
	/*
	 * Only the virtio-net config the owner implements: past it (the
	 * window is rounded up to a power of two) nothing is forwarded, as
	 * upstream's virtio_vfio_pci bounds its BAR0 at the config's end.
	 */
	if (pos - devcfg + count > VVP_LEGACY_DEVCFG_SIZE)
		return -EINVAL;
	return vvp_vfio_cfg_access(vd, data, count, pos - devcfg, write, true);
}

ssize_t vvp_vfio_bar0_rw(struct vvp_vfio_device *vd, char __user *buf,
			 size_t count, loff_t pos, bool write)
{
	struct pci_dev *pdev = vd->core.pdev;
	u8 data[4] = {};
	int rc;

	if (count != 1 && count != 2 && count != 4)
		return -EINVAL;
	if (pos < 0 || pos + count > VVP_LEGACY_WINDOW || pos % count)
		return -EINVAL;
	/* as on a real device: no I/O decoding until the user enables it */
	if (!READ_ONCE(vd->cmd_io))
		return -EIO;
	if (write && copy_from_user(data, buf, count))
		return -EFAULT;

	/*
	 * The owner's command reaches the VF (an admin command about it, or
	 * the VF's notify register): the VF must be in D0, as for any BAR
	 * access that vfio_pci_rw() makes.
	 */
	rc = pm_runtime_resume_and_get(&pdev->dev);
	if (rc) {
		pci_info_ratelimited(pdev, "runtime resume failed %d\n", rc);
		return -EIO;
	}
	rc = vvp_vfio_bar0_access(vd, data, count, pos, write);
	pm_runtime_put(&pdev->dev);
	if (rc)
		return rc;
	if (!write && copy_to_user(buf, data, count))
		return -EFAULT;
	return count;
}

/*
 * Device status 0 is the legacy reset: the owner forgets queues, features.
 * Not sent to a device the owner reset and nothing was written to since
 * (vfio_cache.c): a function reset right after open, as QEMU makes one.
 */
int vvp_vfio_legacy_reset_locked(struct vvp_vfio_device *vd)
{
	u8 status = 0;
	int rc;

	lockdep_assert_held(&vd->lock);
	if (vvp_vfio_cache_reset_elided(vd))
		return 0;
	rc = vvp_legacy_io(vd->owner, vd->member, VVP_LEGACY_COMMON_WRITE,
			   VIRTIO_PCI_STATUS, 1, &status);
	if (rc)
		vvp_vfio_cache_forget(vd);
	else
		vvp_vfio_cache_reset(vd);
	return rc;
}
