// SPDX-License-Identifier: GPL-2.0-only
/*
 * vvp_vfio_pci: vfio-pci for virtio-net VFs, plus an emulated legacy I/O
 * BAR0 for members whose transitional profile is on, so that a legacy
 * (pre-1.0) virtio-net driver in a guest can drive the VF. Accesses to
 * that BAR go to the VF's owner in vvp.ko.
 *
 * The profile is read when the device is opened, and the member stays
 * claimed while it is open, so the owner refuses profile changes (EBUSY)
 * until it is closed. With the profile off, or an owner without legacy
 * I/O, the device is plain vfio-pci.
 *
 * Binding is by driver_override only (vvpctl bind --driver vvp_vfio_pci).
 * Besides virtio-net VFs, a VF whose PF has a vvp owner is accepted: that
 * is how the simulator (vvp_sim) is tested on any SR-IOV device.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include "vvp_vfio_pci.h"

static bool vvp_vfio_is_virtio_net_vf(struct pci_dev *pdev)
{
	return pdev->is_virtfn && vvp_pci_is_virtio_net(pdev);
}

/*
 * Legacy emulation for an open transitional member: where kicks go, the
 * emulated registers and the owner's legacy state from scratch.
 */
static int vvp_vfio_legacy_open(struct vvp_vfio_device *vd)
{
	struct pci_dev *pdev = vd->core.pdev;
	u64 offset;
	u8 bar;
	int rc;

	/*
	 * A virtio-net VF with a BAR0 of its own has its modern registers
	 * (and maybe its MSI-X table) there; an I/O BAR0 on top would take
	 * them from the guest. Upstream's virtio_vfio_pci refuses the same.
	 * (A simulator's member, on any VF, has no such promise to keep.)
	 */
	if (vvp_vfio_is_virtio_net_vf(pdev) && pci_resource_len(pdev, 0)) {
		pci_err(pdev, "vvp_vfio_pci: transitional profile needs a VF without BAR0; provision it --transitional off\n");
		return -EINVAL;
	}
	rc = vvp_vfio_bars_setup(vd);
	if (rc)
		return rc;
	rc = vvp_legacy_notify_info(vd->owner, vd->member, &bar, &offset);
	if (!rc) {
		/* vvp.ko checked it: a 2-byte register inside that BAR */
		rc = vfio_pci_core_setup_barmap(&vd->core, bar);
		if (rc)
			return rc;
		vd->notify_addr = vd->core.barmap[bar] + offset;
	} else if (rc != -EOPNOTSUPP) {
		return rc;
	}
	mutex_lock(&vd->lock);
	vvp_vfio_config_reset_locked(vd);
	vvp_vfio_cache_forget(vd);	/* a new user: a reset it sees */
	rc = vvp_vfio_legacy_reset_locked(vd);
	mutex_unlock(&vd->lock);
	return rc;
}

/* Forget the owner: under the lock, for reset_done running alongside. */
static void vvp_vfio_drop_owner(struct vvp_vfio_device *vd)
{
	struct vvp_owner *owner;

	mutex_lock(&vd->lock);
	owner = vd->owner;
	vd->owner = NULL;
	vd->legacy = false;
	vd->reloc = -1;
	vd->notify_addr = NULL;	/* the barmap goes with the core's disable */
	mutex_unlock(&vd->lock);
	if (owner) {
		vvp_member_release(owner, vd->member);
		vvp_owner_put(owner);
	}
}

static void vvp_vfio_close_device(struct vfio_device *vdev)
{
	vvp_vfio_drop_owner(to_vvp_vfio(vdev));
	vfio_pci_core_close_device(vdev);
}

static int vvp_vfio_open_device(struct vfio_device *vdev)
{
	struct vvp_vfio_device *vd = to_vvp_vfio(vdev);
	struct pci_dev *pdev = vd->core.pdev;
	struct vvp_member_cfg cfg = {};
	struct vvp_owner *owner;
	unsigned int member = 0;
	int rc;

	rc = vfio_pci_core_enable(&vd->core);
	if (rc)
		return rc;

	owner = vvp_owner_get_by_vf(pdev, &member);
	if (owner) {
		rc = vvp_member_claim_vf(owner, member, pdev, &cfg);
		if (rc) {
			pci_err(pdev, "vvp owner cannot read the member's profile: %d\n",
				rc);
			vvp_owner_put(owner);
			vfio_pci_core_disable(&vd->core);
			return rc;
		}
	}
	mutex_lock(&vd->lock);
	vd->owner = owner;
	vd->member = member;
	vd->legacy = owner && cfg.transitional &&
		     (vvp_owner_caps(owner) & VVP_CAP_LEGACY_IO);
	vd->notify_addr = NULL;
	mutex_unlock(&vd->lock);

	if (vd->legacy) {
		rc = vvp_vfio_legacy_open(vd);
		if (rc) {
			pci_err(pdev, "vvp_vfio_pci: cannot set up the legacy device: %d\n",
				rc);
			vvp_vfio_drop_owner(vd);
			vfio_pci_core_disable(&vd->core);
			return rc;
		}
	}
	vfio_pci_core_finish_enable(&vd->core);
	return 0;
}

/*
 * Config space and BAR0 of a transitional member are ours, the rest is
 * the core's. Both directions in one place, as vfio_pci_rw() does.
 */
static ssize_t vvp_vfio_rw(struct vfio_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool write)
{
	struct vvp_vfio_device *vd = to_vvp_vfio(vdev);
	unsigned int index = VFIO_PCI_OFFSET_TO_INDEX(*ppos);
	ssize_t rc;

	if (vd->legacy && count && vd->reloc >= 0 && index == vd->reloc)
		return vvp_vfio_reloc_rw(vd, buf, count, ppos, write);
	if (!vd->legacy || !count ||
	    (index != VFIO_PCI_CONFIG_REGION_INDEX &&
	     index != VFIO_PCI_BAR0_REGION_INDEX))
		return write ? vfio_pci_core_write(vdev, buf, count, ppos) :
			       vfio_pci_core_read(vdev, buf, count, ppos);
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return write ? vvp_vfio_config_write(vd, buf, count, ppos) :
			       vvp_vfio_config_read(vd, buf, count, ppos);
	rc = vvp_vfio_bar0_rw(vd, buf, count, *ppos & VFIO_PCI_OFFSET_MASK,
			      write);
	if (rc > 0)
		*ppos += rc;
	return rc;
}

static ssize_t vvp_vfio_read(struct vfio_device *vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return vvp_vfio_rw(vdev, buf, count, ppos, false);
}

static ssize_t vvp_vfio_write(struct vfio_device *vdev, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	return vvp_vfio_rw(vdev, (char __user *)buf, count, ppos, true);
}

/*
 * BAR0 of a transitional member: the legacy window, read/write, no mmap;
 * the relocated memory BAR0, if any, at its index (vfio_bars.c).
 */
static long vvp_vfio_region_info(struct vvp_vfio_device *vd,
				 unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	void __user *uarg = (void __user *)arg;
	struct vfio_region_info info;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (vd->reloc >= 0 && info.index == vd->reloc)
		return vvp_vfio_reloc_region_info(vd, &info, uarg);
	if (info.index != VFIO_PCI_BAR0_REGION_INDEX)
		return vfio_pci_core_ioctl(&vd->core.vdev,
					   VFIO_DEVICE_GET_REGION_INFO, arg);
	info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
	info.size = VVP_LEGACY_WINDOW;
	info.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	info.cap_offset = 0;
	return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
}

static long vvp_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
			   unsigned long arg)
{
	struct vvp_vfio_device *vd = to_vvp_vfio(vdev);

	if (!vd->legacy)
		return vfio_pci_core_ioctl(vdev, cmd, arg);
	switch (cmd) {
	case VFIO_DEVICE_GET_REGION_INFO:
		return vvp_vfio_region_info(vd, arg);
	case VFIO_DEVICE_IOEVENTFD:
		/*
		 * An ioeventfd writes a BAR behind our back, and the core
		 * reads its argument from user memory again: a check of our
		 * own copy proves nothing about the one it executes. Kicks
		 * already have a fast path (the notify register or the
		 * owner), so there are none while the profile is on; users
		 * (QEMU) fall back to trapping the write.
		 */
		return -EOPNOTSUPP;
	default:
		return vfio_pci_core_ioctl(vdev, cmd, arg);
	}
}

static int vvp_vfio_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct vvp_vfio_device *vd = to_vvp_vfio(vdev);
	unsigned int index = vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);

	if (vd->legacy && index == VFIO_PCI_BAR0_REGION_INDEX)
		return -EINVAL;
	if (vd->legacy && vd->reloc >= 0 && index == vd->reloc)
		return vvp_vfio_reloc_mmap(vd, vma);
	return vfio_pci_core_mmap(vdev, vma);
}

static int vvp_vfio_init_dev(struct vfio_device *vdev)
{
	to_vvp_vfio(vdev)->reloc = -1;
	mutex_init(&to_vvp_vfio(vdev)->lock);
	return vfio_pci_core_init_dev(vdev);
}

static void vvp_vfio_release_dev(struct vfio_device *vdev)
{
	mutex_destroy(&to_vvp_vfio(vdev)->lock);
	vfio_pci_core_release_dev(vdev);
}

static const struct vfio_device_ops vvp_vfio_ops = {
	.name		= "vvp-vfio-pci",
	.init		= vvp_vfio_init_dev,
	.release	= vvp_vfio_release_dev,
	.open_device	= vvp_vfio_open_device,
	.close_device	= vvp_vfio_close_device,
	.ioctl		= vvp_vfio_ioctl,
	.device_feature	= vfio_pci_core_ioctl_feature,
	.read		= vvp_vfio_read,
	.write		= vvp_vfio_write,
	.mmap		= vvp_vfio_mmap,
	.request	= vfio_pci_core_request,
	.match		= vfio_pci_core_match,
	.bind_iommufd	= vfio_iommufd_physical_bind,
	.unbind_iommufd	= vfio_iommufd_physical_unbind,
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
};

static int vvp_vfio_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vvp_vfio_device *vd;
	struct vvp_owner *owner;
	unsigned int member;
	int rc;

	owner = vvp_owner_get_by_vf(pdev, &member);
	vvp_owner_put(owner);
	if (!vvp_vfio_is_virtio_net_vf(pdev) && !owner) {
		pci_err(pdev, "vvp_vfio_pci: not a virtio-net VF, and its PF has no vvp owner; use vfio-pci\n");
		return -ENODEV;
	}

	vd = vfio_alloc_device(vvp_vfio_device, core.vdev, &pdev->dev,
			       &vvp_vfio_ops);
	if (IS_ERR(vd))
		return PTR_ERR(vd);
	dev_set_drvdata(&pdev->dev, &vd->core);
	rc = vfio_pci_core_register_device(&vd->core);
	if (rc) {
		vfio_put_device(&vd->core.vdev);
		return rc;
	}
	return 0;
}

static void vvp_vfio_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);

	vfio_pci_core_unregister_device(core);
	vfio_put_device(&core->vdev);
}

/*
 * The PCI core calls this after the function resets it makes with the
 * device saved and restored: VFIO_DEVICE_RESET, an FLR the user starts
 * from config space, a hot reset (VFIO_DEVICE_PCI_HOT_RESET). It resets
 * the emulated registers and, while the device is open as a transitional
 * member, the owner's legacy state. Not after AER recovery: the bus or
 * slot reset of a fatal error (pci_bus_error_reset()) restores nothing
 * and calls no reset_done, and vfio-pci-core, which has no slot_reset,
 * only signals the user (error_detected); the user's own reset, one of
 * the above, then lands here.
 */
static void vvp_vfio_reset_done(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);
	struct vvp_vfio_device *vd;

	if (!core)
		return;
	vd = container_of(core, struct vvp_vfio_device, core);
	mutex_lock(&vd->lock);
	vvp_vfio_config_reset_locked(vd);
	if (vd->owner && vd->legacy)
		vvp_vfio_legacy_reset_locked(vd);
	mutex_unlock(&vd->lock);
}

static const struct pci_error_handlers vvp_vfio_err_handlers = {
	.error_detected = vfio_pci_core_aer_err_detected,
	.reset_done = vvp_vfio_reset_done,
};

static const struct pci_device_id vvp_vfio_ids[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_VENDOR_ID_REDHAT_QUMRANET,
					  VVP_VIRTIO_NET_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vvp_vfio_ids);

static struct pci_driver vvp_vfio_driver = {
	.name			= KBUILD_MODNAME,
	.id_table		= vvp_vfio_ids,
	.probe			= vvp_vfio_probe,
	.remove			= vvp_vfio_remove,
	.err_handler		= &vvp_vfio_err_handlers,
	.driver_managed_dma	= true,
};

module_pci_driver(vvp_vfio_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vfio-pci variant driver for virtio-net VFs with an emulated legacy I/O BAR0");
MODULE_AUTHOR("The vvp developers");
