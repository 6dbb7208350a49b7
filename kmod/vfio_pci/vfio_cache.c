// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the emulated BAR0 may answer without asking the owner. On real
 * hardware every owner command is an admin-queue round trip, and a legacy
 * probe is mostly reads of registers that cannot change under it.
 *
 * Kept, and only from the owner's own answers or from the driver's own
 * writes, each until the next reset (virtio 0.9.5, and the legacy
 * interface of virtio 1.x, 4.1.4.8):
 *  - host features: the device's feature bits, fixed until a reset;
 *  - each queue's size: read-only in the legacy interface, set by the
 *    device, fixed until a reset;
 *  - queue select and each queue's PFN: registers only the driver
 *    writes, whose values after a reset the spec fixes (select 0, PFN
 *    0); a write of the select value the device already has is not
 *    sent at all;
 *  - status: in virtio 0.9.5 only the driver sets status bits and only
 *    a reset clears them. DEVICE_NEEDS_RESET, the one bit a device sets,
 *    came with virtio 1.0 (QEMU sets it only once VIRTIO_F_VERSION_1,
 *    bit 32, is negotiated, which the 32-bit legacy feature register
 *    cannot express); FEATURES_OK, which a device may refuse, is not
 *    kept. So after a reset status is 0, and after the device took a
 *    write of ACKNOWLEDGE, DRIVER, DRIVER_OK or FAILED it reads back what
 *    was written;
 *  - guest features: what the device answered, or what the driver wrote
 *    when every bit of it is a host feature: in 0.9.5 the driver writes
 *    the subset of the host features it understands, and the device
 *    takes it; a write of a bit not offered is asked again, as a device
 *    masks it;
 *  - the device config's mtu: "The device MUST NOT modify mtu once it
 *    has been set" (virtio 1.x, 5.1.4.1);
 *  - the device config's MAC, while the device does not offer
 *    VIRTIO_NET_F_CTRL_MAC_ADDR: it is the provisioned one (member_set
 *    changes it, and forgets the cache) or what the driver wrote to it
 *    (a device-config write, which forgets those bytes); without that
 *    feature no control-queue command can change it, and a reset puts
 *    the provisioned one back (forgotten with the rest).
 * A device-config read the cache cannot answer reads the whole device
 * config in one command (Linux's vp_get() reads each field byte by
 * byte): the bytes that are not kept (link status, max_virtqueue_pairs)
 * answer only the driver's very next access, if it reads them, as if the
 * device had answered it together with the one before; the driver sees
 * one snapshot of the field, as a wider read would give it.
 * Never kept: ISR (reading clears it), the MSI-X vectors (a device
 * answers NO_VECTOR when it cannot map one, so each read-back is the
 * device's answer), link status, max_virtqueue_pairs (the spec does not
 * freeze it).
 * Not sent: a queue select of the queue selected, and a reset of a device
 * the owner reset with nothing written since (open, then QEMU's function
 * reset, then the driver's own reset): it is in its reset state.
 *
 * A reset (status 0, a function reset, open) forgets the device's values
 * and sets the driver registers to their reset values; a change of the
 * member (member_set, the owner gone) forgets everything. Under vd->lock.
 */
#include <linux/bitmap.h>
#include <linux/unaligned.h>
#include <linux/virtio_config.h>

#include "vvp_vfio_pci.h"

/* the status bits a legacy driver sets and a device takes as written */
#define VVP_CACHE_STATUS_BITS	(VIRTIO_CONFIG_S_ACKNOWLEDGE | \
				 VIRTIO_CONFIG_S_DRIVER | \
				 VIRTIO_CONFIG_S_DRIVER_OK | \
				 VIRTIO_CONFIG_S_FAILED)

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

/* the device-config bytes [pos, pos + count), as a mask of devcfg[] */
static u16 vvp_cache_bytes(loff_t pos, size_t count)
{
	return GENMASK(pos + count - 1, pos);
}

/* Nothing known: the device state is whatever the owner says. */
void vvp_vfio_cache_forget(struct vvp_vfio_device *vd)
{
	struct vvp_legacy_cache *c = &vd->cache;

	lockdep_assert_held(&vd->lock);
	c->gen = vd->owner ? vvp_member_gen(vd->owner, vd->member) : 0;
	c->host_features_valid = false;
	c->guest_features_valid = false;
	c->status_valid = false;
	c->sel_valid = false;
	c->fresh = false;
	c->devcfg_valid = 0;
	c->devcfg_once = 0;
	bitmap_zero(c->qsize_valid, VVP_CACHE_QUEUES);
	bitmap_zero(c->pfn_valid, VVP_CACHE_QUEUES);
}

/* The owner has just reset the device: the reset values of the spec. */
void vvp_vfio_cache_reset(struct vvp_vfio_device *vd)
{
	struct vvp_legacy_cache *c = &vd->cache;

	vvp_vfio_cache_forget(vd);
	c->fresh = true;
	c->status = 0;
	c->status_valid = true;
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

/* all of [pos, pos + count) of the device config known: answered */
static bool vvp_cache_device_read(struct vvp_legacy_cache *c, loff_t pos,
				  size_t count, u8 *data)
{
	u16 want = vvp_cache_bytes(pos, count);
	u16 once = c->devcfg_once;

	/* a read-ahead answers the very next access only */
	c->devcfg_once = 0;
	if (((c->devcfg_valid | once) & want) != want)
		return false;
	memcpy(data, &c->devcfg[pos], count);
	c->devcfg_once = once & ~want;
	return true;
}

static bool vvp_cache_u32(bool valid, u32 val, u8 *data)
{
	if (valid)
		put_unaligned_le32(val, data);
	return valid;
}

/* a common-config read the cache can answer */
static bool vvp_cache_common_read(struct vvp_legacy_cache *c, loff_t pos,
				  size_t count, u8 *data)
{
	int q;

	c->devcfg_once = 0;
	if (vvp_cache_is(pos, count, VIRTIO_PCI_HOST_FEATURES, 4))
		return vvp_cache_u32(c->host_features_valid,
				     c->host_features, data);
	if (vvp_cache_is(pos, count, VIRTIO_PCI_GUEST_FEATURES, 4))
		return vvp_cache_u32(c->guest_features_valid,
				     c->guest_features, data);
	if (vvp_cache_is(pos, count, VIRTIO_PCI_STATUS, 1) && c->status_valid) {
		data[0] = c->status;
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
	return vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_PFN, 4) &&
	       test_bit(q, c->qsize_valid) && c->qsize[q] &&
	       vvp_cache_u32(test_bit(q, c->pfn_valid), c->pfn[q], data);
}

/* A read answered from the cache: true, @data filled. */
bool vvp_vfio_cache_read(struct vvp_vfio_device *vd, loff_t pos, size_t count,
			 u8 *data, bool device)
{
	lockdep_assert_held(&vd->lock);
	vvp_cache_check_gen(vd);
	return device ? vvp_cache_device_read(&vd->cache, pos, count, data) :
			vvp_cache_common_read(&vd->cache, pos, count, data);
}

/*
 * A write the device would not notice: true, not sent. That is a queue
 * select of the queue already selected, and a reset (status 0) of a
 * device that the owner reset and that nothing was written to since: it
 * is in its reset state. (Reads change nothing there: ISR is 0 after a
 * reset, and a device raises no interrupt before DRIVER_OK. A kick
 * finds no queue: every PFN is 0.)
 */
bool vvp_vfio_cache_write_elided(struct vvp_vfio_device *vd, loff_t pos,
				 size_t count, const u8 *data, bool device)
{
	struct vvp_legacy_cache *c = &vd->cache;
	bool fresh;

	lockdep_assert_held(&vd->lock);
	vvp_cache_check_gen(vd);
	fresh = c->fresh;
	c->devcfg_once = 0;
	c->fresh = false;
	if (device)
		return false;
	if (vvp_cache_is(pos, count, VIRTIO_PCI_STATUS, 1) && !data[0] &&
	    fresh) {
		c->fresh = true;
		return true;
	}
	return vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_SEL, 2) &&
	       c->sel_valid && c->sel == get_unaligned_le16(data);
}

/* A reset of ours (after a function reset) the device need not see. */
bool vvp_vfio_cache_reset_elided(struct vvp_vfio_device *vd)
{
	lockdep_assert_held(&vd->lock);
	vvp_cache_check_gen(vd);
	return vd->cache.fresh;
}

/* the bytes kept until a reset: the mtu, and the MAC when it may be */
static u16 vvp_cache_devcfg_kept(struct vvp_legacy_cache *c)
{
	u16 kept = vvp_cache_bytes(offsetof(struct virtio_net_config, mtu), 2);

	if (c->host_features_valid &&
	    !(c->host_features & BIT(VIRTIO_NET_F_CTRL_MAC_ADDR)))
		kept |= vvp_cache_bytes(offsetof(struct virtio_net_config,
						 mac), ETH_ALEN);
	return kept;
}

/*
 * A device-config read the cache cannot answer: the whole device config
 * in one command (offset and length returned), so that the bytes Linux's
 * vp_get() reads one by one cost one round trip.
 */
bool vvp_vfio_cache_widen(loff_t pos, size_t count, loff_t *wpos,
			  size_t *wcount)
{
	*wpos = 0;
	*wcount = VVP_LEGACY_DEVCFG_SIZE;
	return count < VVP_LEGACY_DEVCFG_SIZE;
}

static void vvp_cache_note_read(struct vvp_legacy_cache *c, loff_t pos,
				size_t count, const u8 *data)
{
	int q = vvp_cache_queue(c);

	if (vvp_cache_is(pos, count, VIRTIO_PCI_HOST_FEATURES, 4)) {
		c->host_features = get_unaligned_le32(data);
		c->host_features_valid = true;
	} else if (vvp_cache_is(pos, count, VIRTIO_PCI_GUEST_FEATURES, 4)) {
		c->guest_features = get_unaligned_le32(data);
		c->guest_features_valid = true;
	} else if (vvp_cache_is(pos, count, VIRTIO_PCI_STATUS, 1)) {
		c->status = data[0];
		c->status_valid = true;
	} else if (q >= 0 && vvp_cache_is(pos, count, VIRTIO_PCI_QUEUE_NUM, 2)) {
		c->qsize[q] = get_unaligned_le16(data);
		__set_bit(q, c->qsize_valid);
	}
}

/* a status write the device took: a reset, or the bits it reads back */
static void vvp_cache_note_status(struct vvp_vfio_device *vd, loff_t pos,
				  size_t count, const u8 *data)
{
	struct vvp_legacy_cache *c = &vd->cache;

	if (!vvp_cache_is(pos, count, VIRTIO_PCI_STATUS, 1)) {
		vvp_vfio_cache_forget(vd);	/* a wider write: not modelled */
	} else if (!data[0]) {
		vvp_vfio_cache_reset(vd);
	} else {
		c->status = data[0];
		c->status_valid = !(data[0] & ~VVP_CACHE_STATUS_BITS);
	}
}

/* guest features the device took: kept when each bit is a host feature */
static void vvp_cache_note_guest_features(struct vvp_legacy_cache *c,
					  loff_t pos, size_t count,
					  const u8 *data)
{
	u32 val = count == 4 ? get_unaligned_le32(data) : 0;

	c->guest_features = val;
	c->guest_features_valid =
		vvp_cache_is(pos, count, VIRTIO_PCI_GUEST_FEATURES, 4) &&
		c->host_features_valid && !(val & ~c->host_features);
}

static void vvp_cache_note_write(struct vvp_vfio_device *vd, loff_t pos,
				 size_t count, const u8 *data)
{
	struct vvp_legacy_cache *c = &vd->cache;
	int q;

	if (vvp_cache_touches(pos, count, VIRTIO_PCI_STATUS, 1)) {
		vvp_cache_note_status(vd, pos, count, data);
		return;
	}
	if (vvp_cache_touches(pos, count, VIRTIO_PCI_GUEST_FEATURES, 4)) {
		vvp_cache_note_guest_features(c, pos, count, data);
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

/* a device-config read keeps the bytes kept until a reset; a write: ask */
static void vvp_cache_note_device(struct vvp_legacy_cache *c, loff_t pos,
				  size_t count, const u8 *data, bool write)
{
	u16 bytes = vvp_cache_bytes(pos, count);

	if (write) {
		c->devcfg_valid &= ~bytes;
		return;
	}
	memcpy(&c->devcfg[pos], data, count);
	c->devcfg_valid |= bytes & vvp_cache_devcfg_kept(c);
}

/*
 * The owner read the whole field [wpos, wpos + wcount) for a read of
 * [pos, pos + count) inside it: answer that read, keep what is kept, and
 * let the rest of the field answer the next access only.
 */
void vvp_vfio_cache_widened(struct vvp_vfio_device *vd, loff_t wpos,
			    size_t wcount, const u8 *wdata, loff_t pos,
			    size_t count, u8 *data)
{
	struct vvp_legacy_cache *c = &vd->cache;

	lockdep_assert_held(&vd->lock);
	vvp_cache_note_device(c, wpos, wcount, wdata, false);
	memcpy(data, &wdata[pos - wpos], count);
	c->devcfg_once = vvp_cache_bytes(wpos, wcount) &
			 ~vvp_cache_bytes(pos, count) & ~c->devcfg_valid;
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
