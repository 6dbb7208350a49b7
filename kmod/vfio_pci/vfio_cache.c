// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the emulated BAR0 may answer without asking the owner. On real
 * hardware every owner command is an admin-queue round trip, and a legacy
 * probe is mostly reads of registers that cannot change under it.
 *
 * Kept, and only from the owner's own answers or from the driver's own
 * writes (virtio 0.9.5 and the legacy interface of virtio 1.x):
 *  - host features: the device's feature bits, fixed until a reset;
 *  - each queue's size: read-only in the legacy interface, set by the
 *    device, fixed until a reset;
 *  - queue select and each queue's PFN: registers only the driver
 *    writes, whose values after a reset the spec fixes (select 0, PFN
 *    0); a write of the select value the device already has is not
 *    sent at all.
 *  - the device config's mtu: "The device MUST NOT modify mtu once it
 *    has been set" (virtio 1.x, 5.1.4.1), kept by byte as legacy
 *    drivers read it.
 * Never kept: status (a 1.x device may set DEVICE_NEEDS_RESET), ISR
 * (read-clear), guest features (the device may mask them), the MSI-X
 * vectors (the device answers NO_VECTOR when it cannot map one), and the
 * rest of the device config (link status; the MAC, which a legacy driver
 * may write and a device may change; max_virtqueue_pairs, which the spec
 * does not freeze).
 *
 * A reset (status 0, a function reset, open) forgets the device's values
 * and sets the driver registers to their reset values; a change of the
 * member (member_set, the owner gone) forgets everything. Under vd->lock.
 */
#include <linux/bitmap.h>
#include <linux/unaligned.h>

#include "vvp_vfio_pci.h"

static bool vvp_cache_is(loff_t pos, size_t count, unsigned int reg,
			 size_t size)
{
	return pos == reg && count == size;
}

static bool vvp_cache_touches(loff_t pos, size_t count, unsigned int reg,
			      size_t size)
{
	return pos < reg + size && reg < pos + count;
}

/* Nothing known: the device state is whatever the owner says. */
void vvp_vfio_cache_forget(struct vvp_vfio_device *vd)
{
	struct vvp_legacy_cache *c = &vd->cache;

	lockdep_assert_held(&vd->lock);
	c->gen = vd->owner ? vvp_member_gen(vd->owner, vd->member) : 0;
	c->host_features_valid = false;
	c->sel_valid = false;
	c->mtu_valid = 0;
	bitmap_zero(c->qsize_valid, VVP_CACHE_QUEUES);
	bitmap_zero(c->pfn_valid, VVP_CACHE_QUEUES);
}

/* The owner has just reset the device: the reset values of the spec. */
void vvp_vfio_cache_reset(struct vvp_vfio_device *vd)
{
	struct vvp_legacy_cache *c = &vd->cache;

	vvp_vfio_cache_forget(vd);
	c->sel = 0;
	c->sel_valid = true;
	memset(c->pfn, 0, sizeof(c->pfn));
	bitmap_fill(c->pfn_valid, VVP_CACHE_QUEUES);
}

/* the selected queue, when it is known and cached at all; else -1 */
static int vvp_cache_queue(struct vvp_legacy_cache *c)
{
	return c->sel_valid && c->sel < VVP_CACHE_QUEUES ? c->sel : -1;
}

/* the member changed behind us (member_set, the owner gone): forget */
static void vvp_cache_check_gen(struct vvp_vfio_device *vd)
{
	if (vd->cache.gen != vvp_member_gen(vd->owner, vd->member))
		vvp_vfio_cache_forget(vd);
}

/* the mtu bytes that [pos, pos + count) covers, as a mask of mtu_valid */
static u8 vvp_cache_mtu_bytes(loff_t pos, size_t count)
{
	u8 mask = 0;
	int i;

	for (i = 0; i < 2; i++)
		if (vvp_cache_touches(pos, count, VVP_DEVCFG_MTU + i, 1))
			mask |= BIT(i);
	return mask;
}

/* all of [pos, pos + count) inside the mtu and known */
static bool vvp_cache_mtu_read(struct vvp_legacy_cache *c, loff_t pos,
			       size_t count, u8 *data)
{
	u8 want = vvp_cache_mtu_bytes(pos, count);

	if (pos < VVP_DEVCFG_MTU || pos + count > VVP_DEVCFG_MTU + 2 ||
	    (c->mtu_valid & want) != want)
		return false;
	memcpy(data, &c->mtu[pos - VVP_DEVCFG_MTU], count);
	return true;
}

/* A read answered from the cache: true, @data filled. */
bool vvp_vfio_cache_read(struct vvp_vfio_device *vd, loff_t pos, size_t count,
			 u8 *data, bool device)
{
	struct vvp_legacy_cache *c = &vd->cache;
	int q;

	lockdep_assert_held(&vd->lock);
	vvp_cache_check_gen(vd);
	if (device)
		return vvp_cache_mtu_read(c, pos, count, data);
	if (vvp_cache_is(pos, count, VIRTIO_PCI_HOST_FEATURES, 4) &&
	    c->host_features_valid) {
		put_unaligned_le32(c->host_features, data);
		return true;
	}
	q = vvp_cache_queue(c);
	if (q < 0)
		return false;
	if (vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_NUM, 2) &&
	    test_bit(q, c->qsize_valid)) {
		put_unaligned_le16(c->qsize[q], data);
		return true;
	}
	/* a queue that does not exist keeps no PFN: ask the device */
	if (vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_PFN, 4) &&
	    test_bit(q, c->qsize_valid) && c->qsize[q] &&
	    test_bit(q, c->pfn_valid)) {
		put_unaligned_le32(c->pfn[q], data);
		return true;
	}
	return false;
}

/* A write the device would not notice: true, not sent. */
bool vvp_vfio_cache_write_elided(struct vvp_vfio_device *vd, loff_t pos,
				 size_t count, const u8 *data, bool device)
{
	struct vvp_legacy_cache *c = &vd->cache;

	lockdep_assert_held(&vd->lock);
	vvp_cache_check_gen(vd);
	return !device && vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_SEL, 2) &&
	       c->sel_valid && c->sel == get_unaligned_le16(data);
}

static void vvp_cache_note_read(struct vvp_legacy_cache *c, loff_t pos,
				size_t count, const u8 *data)
{
	int q = vvp_cache_queue(c);

	if (vvp_cache_is(pos, count, VIRTIO_PCI_HOST_FEATURES, 4)) {
		c->host_features = get_unaligned_le32(data);
		c->host_features_valid = true;
	} else if (q >= 0 && vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_NUM, 2)) {
		c->qsize[q] = get_unaligned_le16(data);
		__set_bit(q, c->qsize_valid);
	}
}

static void vvp_cache_note_write(struct vvp_vfio_device *vd, loff_t pos,
				 size_t count, const u8 *data)
{
	struct vvp_legacy_cache *c = &vd->cache;
	int q;

	if (vvp_cache_touches(pos, count, VIRTIO_PCI_STATUS, 1)) {
		/* status 0 alone is a reset; a wider write we do not model */
		if (vvp_cache_is(pos, count, VIRTIO_PCI_STATUS, 1) && !data[0])
			vvp_vfio_cache_reset(vd);
		else if (count != 1)
			vvp_vfio_cache_forget(vd);
		return;
	}
	if (vvp_cache_touches(pos, count, VIRTIO_PCI_QUEUE_SEL, 2)) {
		/* only a plain 2-byte select is followed */
		c->sel_valid = vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_SEL, 2);
		if (c->sel_valid)
			c->sel = get_unaligned_le16(data);
		return;
	}
	if (!vvp_cache_touches(pos, count, VIRTIO_PCI_QUEUE_PFN, 4))
		return;
	q = vvp_cache_queue(c);
	if (q < 0)
		return;
	/* the device took the whole PFN of a queue it has; else ask it */
	if (vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_PFN, 4) &&
	    test_bit(q, c->qsize_valid) && c->qsize[q]) {
		c->pfn[q] = get_unaligned_le32(data);
		__set_bit(q, c->pfn_valid);
	} else {
		__clear_bit(q, c->pfn_valid);
	}
}

/* what a device-config read of the mtu says; a write: ask again */
static void vvp_cache_note_device(struct vvp_legacy_cache *c, loff_t pos,
				  size_t count, const u8 *data, bool write)
{
	u8 bytes = vvp_cache_mtu_bytes(pos, count);
	int i;

	if (write) {
		c->mtu_valid &= ~bytes;
		return;
	}
	for (i = 0; i < 2; i++)
		if (bytes & BIT(i))
			c->mtu[i] = data[VVP_DEVCFG_MTU + i - pos];
	c->mtu_valid |= bytes;
}

/* After the owner carried out an access: learn from it. */
void vvp_vfio_cache_note(struct vvp_vfio_device *vd, loff_t pos, size_t count,
			 const u8 *data, bool write, bool device)
{
	lockdep_assert_held(&vd->lock);
	if (device)
		vvp_cache_note_device(&vd->cache, pos, count, data, write);
	else if (write)
		vvp_cache_note_write(vd, pos, count, data);
	else
		vvp_cache_note_read(&vd->cache, pos, count, data);
}
