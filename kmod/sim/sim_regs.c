// SPDX-License-Identifier: GPL-2.0-only
/*
 * vvp_sim: the legacy (virtio 0.9.5) register file of one member, as a
 * virtio-net device with an I/O BAR0 would have it, and its provisioning.
 *
 * Accesses are 1, 2 or 4 bytes, naturally aligned, inside the window,
 * little endian. Both windows are handled through an image: a read copies
 * from the image of the window; a write merges into the image and then
 * applies every register the access touched, so a narrow write to a wide
 * register changes just those bytes, as on an I/O port. Writes to
 * read-only registers are ignored, as real legacy devices do.
 *
 * Callers hold sim->state_lock.
 */
#include <linux/etherdevice.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_pci.h>

#include "vvp_sim.h"

#define SIM_DEFAULT_MTU		1500
#define SIM_DEFAULT_FEATURES				\
	(BIT_ULL(VIRTIO_NET_F_MAC) |			\
	 BIT_ULL(VIRTIO_NET_F_STATUS) |			\
	 BIT_ULL(VIRTIO_NET_F_MTU) |			\
	 BIT_ULL(VIRTIO_NET_F_MQ) |			\
	 BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |		\
	 BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY) |		\
	 BIT_ULL(VIRTIO_F_ANY_LAYOUT))

/* device config layout (struct virtio_net_config up to mtu) */
#define SIM_DEV_MAC		0
#define SIM_DEV_STATUS		6
#define SIM_DEV_MAX_VQ_PAIRS	8
#define SIM_DEV_MTU		10

static_assert(VIRTIO_PCI_CONFIG_OFF(true) == SIM_COMMON_SIZE);
static_assert(SIM_DEVICE_SIZE ==
	      offsetofend(struct virtio_net_config, mtu));

/* rx/tx per pair, plus the control queue when it is offered */
static unsigned int sim_nvqs(u32 max_vq_pairs, u64 features)
{
	return 2 * max_vq_pairs +
	       !!(features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ));
}

static struct sim_vq *sim_alloc_vqs(unsigned int n)
{
	struct sim_vq *vqs;
	unsigned int i;

	vqs = kvcalloc(n, sizeof(*vqs), GFP_KERNEL);
	if (!vqs)
		return NULL;
	for (i = 0; i < n; i++)
		vqs[i].vector = VIRTIO_MSI_NO_VECTOR;
	return vqs;
}

/*
 * Default MAC: locally administered unicast 52:54:BB:DF:ii:ii from the
 * PF's bus number, its devfn and the member index, so that members of
 * different PFs (in one PCI domain) differ.
 */
static void sim_default_mac(struct sim_member *m)
{
	struct pci_dev *pdev = m->sim->pdev;

	m->mac[0] = 0x52;
	m->mac[1] = 0x54;
	m->mac[2] = pdev->bus->number;
	m->mac[3] = pdev->devfn;
	m->mac[4] = m->index >> 8;
	m->mac[5] = m->index & 0xff;
}

/* the device reset a legacy driver asks for by writing 0 to status */
static void sim_reset(struct sim_member *m)
{
	unsigned int i;

	m->guest_features = 0;
	m->queue_sel = 0;
	m->status = 0;
	m->isr = 0;
	m->config_vector = VIRTIO_MSI_NO_VECTOR;
	for (i = 0; i < m->nvqs; i++) {
		m->vqs[i].pfn = 0;
		m->vqs[i].vector = VIRTIO_MSI_NO_VECTOR;
	}
	/* like QEMU's virtio-net: a reset restores the provisioned MAC */
	ether_addr_copy(m->cfg_mac, m->mac);
}

int sim_member_init(struct sim_member *m, struct vvp_sim *sim,
		    unsigned int index)
{
	m->sim = sim;
	m->index = index;
	sim_default_mac(m);
	m->mtu = SIM_DEFAULT_MTU;
	m->max_vq_pairs = 1;
	m->features = SIM_DEFAULT_FEATURES;
	m->nvqs = sim_nvqs(m->max_vq_pairs, m->features);
	m->vqs = sim_alloc_vqs(m->nvqs);
	if (!m->vqs)
		return -ENOMEM;
	sim_reset(m);
	return 0;
}

void sim_member_fini(struct sim_member *m)
{
	kvfree(m->vqs);
	m->vqs = NULL;
	m->nvqs = 0;
}

/*
 * Registers take 1-, 2- or 4-byte accesses, naturally aligned. A read of
 * the device config may be any run of bytes inside it, as the legacy
 * device-config read admin command is (an offset and a length).
 */
static int sim_check_access(u8 offset, u8 size, unsigned int window,
			    bool any_run)
{
	if (!size || offset + size > window)
		return -EINVAL;
	if (any_run)
		return 0;
	if (size != 1 && size != 2 && size != 4)
		return -EINVAL;
	return offset % size ? -EINVAL : 0;
}

/* does the access [offset, offset + size) touch register [reg, reg + len) */
static bool sim_touches(u8 offset, u8 size, unsigned int reg,
			unsigned int len)
{
	return offset < reg + len && reg < offset + size;
}

static struct sim_vq *sim_selected_vq(struct sim_member *m)
{
	return m->queue_sel < m->nvqs ? &m->vqs[m->queue_sel] : NULL;
}

static void sim_common_image(struct sim_member *m, u8 *img)
{
	struct sim_vq *vq = sim_selected_vq(m);

	put_unaligned_le32(lower_32_bits(m->features),
			   img + VIRTIO_PCI_HOST_FEATURES);
	put_unaligned_le32(m->guest_features, img + VIRTIO_PCI_GUEST_FEATURES);
	put_unaligned_le32(vq ? vq->pfn : 0, img + VIRTIO_PCI_QUEUE_PFN);
	put_unaligned_le16(vq ? SIM_QUEUE_SIZE : 0, img + VIRTIO_PCI_QUEUE_NUM);
	put_unaligned_le16(m->queue_sel, img + VIRTIO_PCI_QUEUE_SEL);
	put_unaligned_le16(0, img + VIRTIO_PCI_QUEUE_NOTIFY);
	img[VIRTIO_PCI_STATUS] = m->status;
	img[VIRTIO_PCI_ISR] = m->isr;
	put_unaligned_le16(m->config_vector, img + VIRTIO_MSI_CONFIG_VECTOR);
	put_unaligned_le16(vq ? vq->vector : VIRTIO_MSI_NO_VECTOR,
			   img + VIRTIO_MSI_QUEUE_VECTOR);
}

/* reading the ISR acknowledges it */
static void sim_common_read_done(struct sim_member *m, u8 offset, u8 size)
{
	if (sim_touches(offset, size, VIRTIO_PCI_ISR, 1))
		m->isr = 0;
}

/*
 * A vector the VF's MSI-X table does not have cannot be mapped: the
 * device answers NO_VECTOR (virtio 0.9.5, "MSI-X Vector Configuration"),
 * as QEMU's legacy virtio-net does.
 */
static u16 sim_vector(struct sim_member *m, const u8 *reg)
{
	u16 v = get_unaligned_le16(reg);

	if (m->msix_vectors && v != VIRTIO_MSI_NO_VECTOR && v >= m->msix_vectors)
		return VIRTIO_MSI_NO_VECTOR;
	return v;
}

/* host features, queue size and ISR are read-only: writes are ignored */
static void sim_common_apply(struct sim_member *m, u8 offset, u8 size,
			     const u8 *img)
{
	struct sim_vq *vq;

	if (sim_touches(offset, size, VIRTIO_PCI_GUEST_FEATURES, 4))
		m->guest_features =
			get_unaligned_le32(img + VIRTIO_PCI_GUEST_FEATURES) &
			lower_32_bits(m->features);
	if (sim_touches(offset, size, VIRTIO_PCI_QUEUE_SEL, 2))
		m->queue_sel = get_unaligned_le16(img + VIRTIO_PCI_QUEUE_SEL);
	vq = sim_selected_vq(m);
	if (vq && sim_touches(offset, size, VIRTIO_PCI_QUEUE_PFN, 4))
		vq->pfn = get_unaligned_le32(img + VIRTIO_PCI_QUEUE_PFN);
	if (sim_touches(offset, size, VIRTIO_PCI_QUEUE_NOTIFY, 2))
		sim_notify(m,
			   get_unaligned_le16(img + VIRTIO_PCI_QUEUE_NOTIFY));
	if (sim_touches(offset, size, VIRTIO_PCI_STATUS, 1)) {
		if (img[VIRTIO_PCI_STATUS])
			m->status = img[VIRTIO_PCI_STATUS];
		else
			sim_reset(m);
	}
	if (sim_touches(offset, size, VIRTIO_MSI_CONFIG_VECTOR, 2))
		m->config_vector = sim_vector(m, img + VIRTIO_MSI_CONFIG_VECTOR);
	if (vq && sim_touches(offset, size, VIRTIO_MSI_QUEUE_VECTOR, 2))
		vq->vector = sim_vector(m, img + VIRTIO_MSI_QUEUE_VECTOR);
}

static void sim_device_image(struct sim_member *m, u8 *img)
{
	memcpy(img + SIM_DEV_MAC, m->cfg_mac, ETH_ALEN);
	put_unaligned_le16(VIRTIO_NET_S_LINK_UP, img + SIM_DEV_STATUS);
	put_unaligned_le16(min_t(u32, m->max_vq_pairs, U16_MAX),
			   img + SIM_DEV_MAX_VQ_PAIRS);
	put_unaligned_le16(min_t(u32, m->mtu, U16_MAX), img + SIM_DEV_MTU);
}

/*
 * Legacy drivers may write the MAC into the device config: the register
 * file keeps it (until reset), the provisioned MAC stays as it is. The
 * rest of the device config is read-only.
 */
static void sim_device_apply(struct sim_member *m, u8 offset, u8 size,
			     const u8 *img)
{
	if (sim_touches(offset, size, SIM_DEV_MAC, ETH_ALEN))
		memcpy(m->cfg_mac, img + SIM_DEV_MAC, ETH_ALEN);
}

/* a register window: its size, its image, what an access does besides */
struct sim_window {
	unsigned int size;
	void (*image)(struct sim_member *m, u8 *img);
	/* after a read of [offset, offset + size); NULL: nothing */
	void (*read_done)(struct sim_member *m, u8 offset, u8 size);
	/* after a write merged into img: apply the registers it touched */
	void (*apply)(struct sim_member *m, u8 offset, u8 size,
		      const u8 *img);
};

/* indexed by vvp_legacy_op_is_device() */
static const struct sim_window sim_windows[] = {
	{ SIM_COMMON_SIZE, sim_common_image, sim_common_read_done,
	  sim_common_apply },
	{ SIM_DEVICE_SIZE, sim_device_image, NULL, sim_device_apply },
};

#define SIM_WINDOW_MAX	SIM_COMMON_SIZE
static_assert(SIM_DEVICE_SIZE <= SIM_WINDOW_MAX);

int sim_legacy_access(struct sim_member *m, enum vvp_legacy_op op,
		      u8 offset, u8 size, u8 *buf)
{
	const struct sim_window *w = &sim_windows[vvp_legacy_op_is_device(op)];
	u8 img[SIM_WINDOW_MAX];
	int err;

	err = sim_check_access(offset, size, w->size,
			       op == VVP_LEGACY_DEVICE_READ);
	if (err)
		return err;
	w->image(m, img);
	if (vvp_legacy_op_is_write(op)) {
		memcpy(img + offset, buf, size);
		w->apply(m, offset, size, img);
	} else {
		memcpy(buf, img + offset, size);
		if (w->read_done)
			w->read_done(m, offset, size);
	}
	return 0;
}

/* a kick of a queue that does not exist is ignored, but counted apart */
void sim_notify(struct sim_member *m, u16 queue)
{
	if (queue < m->nvqs)
		m->vqs[queue].notifies++;
	else
		m->notify_invalid++;
}

/*
 * What a device does when it has used buffers (bit 0) or its config
 * changed (bit 1): a test's stand-in for the rings the sim does not run
 */
void sim_raise_isr(struct sim_member *m, u8 bits)
{
	m->isr |= bits;
}

void sim_member_get(const struct sim_member *m, struct vvp_member_cfg *cfg)
{
	ether_addr_copy(cfg->mac, m->mac);
	cfg->mtu = m->mtu;
	cfg->max_vq_pairs = m->max_vq_pairs;
	cfg->features = m->features;
	/* cfg->transitional is the core's */
}

/*
 * Apply the fields in @caps. The core has checked @caps against the
 * owner's and the values' ranges. All or nothing: the only thing that can
 * fail, resizing the queue array, happens before anything changes.
 */
int sim_member_set(struct sim_member *m, const struct vvp_member_cfg *cfg,
		   u32 caps, struct netlink_ext_ack *extack)
{
	u32 pairs = caps & VVP_CAP_MAX_VQ_PAIRS ? cfg->max_vq_pairs :
						  m->max_vq_pairs;
	u64 features = caps & VVP_CAP_FEATURES ? cfg->features : m->features;
	bool config_changed = false;
	unsigned int nvqs;

	if (!pairs) {
		NL_SET_ERR_MSG_MOD(extack, "max-vq-pairs must be at least 1");
		return -EINVAL;
	}
	nvqs = sim_nvqs(pairs, features);
	if (nvqs != m->nvqs) {
		struct sim_vq *vqs = sim_alloc_vqs(nvqs);

		if (!vqs) {
			NL_SET_ERR_MSG_MOD(extack,
					   "no memory for the virtqueues");
			return -ENOMEM;
		}
		memcpy(vqs, m->vqs, min(nvqs, m->nvqs) * sizeof(*vqs));
		kvfree(m->vqs);
		m->vqs = vqs;
		m->nvqs = nvqs;
	}

	if (caps & VVP_CAP_MAC && !ether_addr_equal(m->mac, cfg->mac)) {
		ether_addr_copy(m->mac, cfg->mac);
		ether_addr_copy(m->cfg_mac, cfg->mac);
		config_changed = true;
	}
	if (caps & VVP_CAP_MTU && m->mtu != cfg->mtu) {
		m->mtu = cfg->mtu;
		config_changed = true;
	}
	if (pairs != m->max_vq_pairs) {
		m->max_vq_pairs = pairs;
		config_changed = true;
	}
	m->features = features;
	m->guest_features &= lower_32_bits(features);
	/* a driver that is there would get a configuration change interrupt */
	if (config_changed && m->status)
		m->isr |= VIRTIO_PCI_ISR_CONFIG;
	return 0;
}

void sim_regs_show(struct seq_file *s, const struct sim_member *m)
{
	unsigned int i;

	seq_printf(s, "host_features 0x%08x\n", lower_32_bits(m->features));
	seq_printf(s, "guest_features 0x%08x\n", m->guest_features);
	seq_printf(s, "status 0x%02x\n", m->status);
	seq_printf(s, "isr 0x%02x\n", m->isr);
	seq_printf(s, "queue_sel %u\n", m->queue_sel);
	seq_printf(s, "config_vector 0x%04x\n", m->config_vector);
	seq_printf(s, "mac %pM\n", m->cfg_mac);
	seq_printf(s, "link_status 0x%04x\n", VIRTIO_NET_S_LINK_UP);
	seq_printf(s, "max_virtqueue_pairs %u\n", m->max_vq_pairs);
	seq_printf(s, "mtu %u\n", m->mtu);
	seq_printf(s, "provisioned_mac %pM\n", m->mac);
	seq_printf(s, "features 0x%016llx\n", m->features);
	seq_printf(s, "num_queues %u\n", m->nvqs);
	seq_printf(s, "notify_invalid %llu\n", m->notify_invalid);
	for (i = 0; i < m->nvqs; i++)
		seq_printf(s, "queue %u pfn 0x%08x size %u vector 0x%04x\n",
			   i, m->vqs[i].pfn, SIM_QUEUE_SIZE,
			   m->vqs[i].vector);
}

void sim_notifies_show(struct seq_file *s, const struct sim_member *m)
{
	unsigned int i;

	for (i = 0; i < m->nvqs; i++)
		seq_printf(s, "%u %llu\n", i, m->vqs[i].notifies);
}
