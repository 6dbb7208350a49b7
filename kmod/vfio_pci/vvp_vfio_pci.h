/* SPDX-License-Identifier: GPL-2.0-only */
/* vvp_vfio_pci: a vfio-pci variant driver with an emulated legacy I/O BAR0 */
#ifndef _VVP_VFIO_PCI_H
#define _VVP_VFIO_PCI_H

#include <linux/mutex.h>
#include <linux/vfio_pci_core.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_pci.h>

#include <linux/vvp.h>

/*
 * The emulated BAR0 window: the legacy common config with the two MSI-X
 * vector registers (VIRTIO_PCI_CONFIG_OFF(true) = 24 bytes), then the
 * virtio-net device config (mac, status, max_virtqueue_pairs, mtu: 12
 * bytes), rounded up to a power of two as a BAR must be.
 */
#define VVP_LEGACY_DEVCFG_SIZE	12
#define VVP_LEGACY_WINDOW	64
static_assert(VIRTIO_PCI_CONFIG_OFF(true) + VVP_LEGACY_DEVCFG_SIZE <= VVP_LEGACY_WINDOW);
static_assert((VVP_LEGACY_WINDOW & (VVP_LEGACY_WINDOW - 1)) == 0);

/* IDs the device shows when transitional (virtio 1.x, 4.1.2.3) */
#define VVP_TRANS_VENDOR	PCI_VENDOR_ID_REDHAT_QUMRANET
#define VVP_TRANS_DEVICE	VIRTIO_TRANS_ID_NET
#define VVP_TRANS_SUBSYS	VIRTIO_ID_NET

struct vvp_vfio_device {
	struct vfio_pci_core_device core;

	/* set at open, cleared at close (under lock, for reset_done) */
	struct vvp_owner *owner;	/* with a reference */
	unsigned int member;
	bool legacy;			/* transitional profile on: emulate */
	/* the VF's own notify register; NULL: kicks go to the owner */
	void __iomem *notify_addr;

	struct mutex lock;		/* the emulated registers below */
	u16 cmd_io;			/* PCI_COMMAND_IO as the user set it */
	u32 bar0;			/* BAR0 as the user wrote it */
	bool bar1_hidden;		/* BAR0 was 64-bit memory: hide BAR1 */
};

static inline struct vvp_vfio_device *to_vvp_vfio(struct vfio_device *vdev)
{
	return container_of(vdev, struct vvp_vfio_device, core.vdev);
}

/* vfio_config.c */
ssize_t vvp_vfio_config_read(struct vvp_vfio_device *vd, char __user *buf,
			     size_t count, loff_t *ppos);
ssize_t vvp_vfio_config_write(struct vvp_vfio_device *vd,
			      const char __user *buf, size_t count,
			      loff_t *ppos);
void vvp_vfio_config_reset(struct vvp_vfio_device *vd);
void vvp_vfio_config_reset_locked(struct vvp_vfio_device *vd);

/* vfio_legacy.c */
ssize_t vvp_vfio_bar0_rw(struct vvp_vfio_device *vd, char __user *buf,
			 size_t count, loff_t pos, bool write);
int vvp_vfio_legacy_reset(struct vvp_vfio_device *vd);

#endif /* _VVP_VFIO_PCI_H */
