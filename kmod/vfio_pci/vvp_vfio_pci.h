/* SPDX-License-Identifier: GPL-2.0-only */
/* vvp_vfio_pci: a vfio-pci variant driver with an emulated legacy I/O BAR0 */
#ifndef _VVP_VFIO_PCI_H
#define _VVP_VFIO_PCI_H

#include <linux/mutex.h>
#include <linux/vfio_pci_core.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>
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

/* where a virtio_pci_cap keeps its length and its BAR index */
#define VVP_VNDR_CAP_LEN	offsetof(struct virtio_pci_cap, cap_len)
#define VVP_VNDR_CAP_BAR	offsetof(struct virtio_pci_cap, bar)

/* the MSI-X table and PBA, and a few vendor capabilities */
#define VVP_MAX_BAR_REFS	8

/* IDs the device shows when transitional (virtio 1.x, 4.1.2.3) */
#define VVP_TRANS_VENDOR	PCI_VENDOR_ID_REDHAT_QUMRANET
#define VVP_TRANS_DEVICE	VIRTIO_TRANS_ID_NET
#define VVP_TRANS_SUBSYS	VIRTIO_ID_NET

/* queues whose size and PFN the cache keeps: 2 * 31 pairs + control */
#define VVP_CACHE_QUEUES	64

/* vfio_cache.c: legacy registers the owner need not be asked about */
struct vvp_legacy_cache {
	u32 gen;			/* vvp_member_gen() when filled */
	bool host_features_valid;
	bool guest_features_valid;
	bool status_valid;
	bool sel_valid;
	bool fresh;			/* reset by the owner, nothing written */
	u32 host_features;
	u32 guest_features;
	u8 status;
	u16 sel;			/* queue select, as the device has it */
	u16 qsize[VVP_CACHE_QUEUES];
	u32 pfn[VVP_CACHE_QUEUES];
	DECLARE_BITMAP(qsize_valid, VVP_CACHE_QUEUES);
	DECLARE_BITMAP(pfn_valid, VVP_CACHE_QUEUES);
	u8 devcfg[VVP_LEGACY_DEVCFG_SIZE];	/* the device config, by byte */
	u16 devcfg_valid;		/* bit i: devcfg[i], until a reset */
	u16 devcfg_once;		/* bit i: for the next access only */
};

struct vvp_vfio_device {
	struct vfio_pci_core_device core;

	/* set at open, cleared at close (under lock, for reset_done) */
	struct vvp_owner *owner;	/* with a reference */
	unsigned int member;
	bool legacy;			/* transitional profile on: emulate */
	/* the VF's own notify register; NULL: kicks go to the owner */
	void __iomem *notify_addr;
	bool bar1_hidden;		/* BAR0 was 64-bit memory: hide BAR1 */
	/*
	 * Set at open (vfio_bars.c): the BAR index at which the hidden
	 * memory BAR0 is shown, -1 when nothing points into it, and the
	 * config bytes that name BAR0 and read as reloc instead.
	 */
	int reloc;
	u64 reloc_size;
	u32 reloc_flags;		/* type and prefetch bits of BAR0 */
	unsigned int nr_refs;
	struct {
		u16 pos;		/* config-space byte */
		u8 mask;		/* its bits that hold the BAR index */
	} refs[VVP_MAX_BAR_REFS];

	struct mutex lock;		/* the emulated registers below */
	u16 cmd_io;			/* PCI_COMMAND_IO as the user set it */
	u32 bar0;			/* BAR0 as the user wrote it */
	u32 reloc_bar[2];		/* the relocated BAR as the user wrote it */
	struct vvp_legacy_cache cache;
};

static inline struct vvp_vfio_device *to_vvp_vfio(struct vfio_device *vdev)
{
	return container_of(vdev, struct vvp_vfio_device, core.vdev);
}

/* vfio_bars.c */
int vvp_vfio_bars_setup(struct vvp_vfio_device *vd);
u32 vvp_vfio_reloc_bar_read(struct vvp_vfio_device *vd, unsigned int i);
ssize_t vvp_vfio_reloc_rw(struct vvp_vfio_device *vd, char __user *buf,
			  size_t count, loff_t *ppos, bool write);
int vvp_vfio_reloc_mmap(struct vvp_vfio_device *vd, struct vm_area_struct *vma);
long vvp_vfio_reloc_region_info(struct vvp_vfio_device *vd,
				struct vfio_region_info *info,
				struct vfio_region_info __user *uarg);

/* vfio_cache.c, all under vd->lock */
void vvp_vfio_cache_forget(struct vvp_vfio_device *vd);
void vvp_vfio_cache_reset(struct vvp_vfio_device *vd);
bool vvp_vfio_cache_read(struct vvp_vfio_device *vd, loff_t pos, size_t count,
			 u8 *data, bool device);
bool vvp_vfio_cache_write_elided(struct vvp_vfio_device *vd, loff_t pos,
				 size_t count, const u8 *data, bool device);
bool vvp_vfio_cache_reset_elided(struct vvp_vfio_device *vd);
void vvp_vfio_cache_note(struct vvp_vfio_device *vd, loff_t pos, size_t count,
			 const u8 *data, bool write, bool device);
bool vvp_vfio_cache_widen(loff_t pos, size_t count, loff_t *wpos,
			  size_t *wcount);
void vvp_vfio_cache_widened(struct vvp_vfio_device *vd, loff_t wpos,
			    size_t wcount, const u8 *wdata, loff_t pos,
			    size_t count, u8 *data);

/* vfio_config.c */
ssize_t vvp_vfio_config_read(struct vvp_vfio_device *vd, char __user *buf,
			     size_t count, loff_t *ppos);
ssize_t vvp_vfio_config_write(struct vvp_vfio_device *vd,
			      const char __user *buf, size_t count,
			      loff_t *ppos);
void vvp_vfio_config_reset_locked(struct vvp_vfio_device *vd);

/* vfio_legacy.c */
ssize_t vvp_vfio_bar0_rw(struct vvp_vfio_device *vd, char __user *buf,
			 size_t count, loff_t pos, bool write);
int vvp_vfio_legacy_reset_locked(struct vvp_vfio_device *vd);

#endif /* _VVP_VFIO_PCI_H */
