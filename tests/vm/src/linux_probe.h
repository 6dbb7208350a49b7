/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux_probe.h - the BAR0 accesses of Linux's legacy virtio-pci and
 * virtio_net probing a device with MSI-X on (drivers/virtio/
 * virtio_pci_legacy*.c, virtio.c, drivers/net/virtio_net.c, 6.12):
 * reset, ACKNOWLEDGE, DRIVER, features, the config fields byte by byte,
 * each queue, DRIVER_OK, a closing reset. One sequence for both clients
 * of the VM suite: legacy_probe (VFIO directly) and qtest_client (QEMU's
 * vfio-pci), so that the owner commands they cost are set against the
 * same guest accesses. The includer gives the port I/O (struct lp_io).
 */
#ifndef VVP_LINUX_PROBE_H
#define VVP_LINUX_PROBE_H

#include <stdint.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>

#include "probe_result.h"

struct lp_io {
	/* a 1/2/4-byte access at offset @off of the I/O BAR0 */
	uint32_t (*rd)(unsigned int off, unsigned int size);
	void (*wr)(unsigned int off, unsigned int size, uint32_t val);
	unsigned int accesses;	/* guest accesses of BAR0 so far */
};

static uint32_t lp_rd(struct lp_io *io, unsigned int off, unsigned int size)
{
	io->accesses++;
	return io->rd(off, size);
}

static void lp_wr(struct lp_io *io, unsigned int off, unsigned int size,
		  uint32_t val)
{
	io->accesses++;
	io->wr(off, size, val);
}

/* status |= @bits, read-modify-write as virtio_add_status() does */
static void lp_add_status(struct lp_io *io, uint8_t bits)
{
	uint32_t st = lp_rd(io, VIRTIO_PCI_STATUS, 1);

	lp_wr(io, VIRTIO_PCI_STATUS, 1, st | bits);
}

/* a config field of @len bytes, byte by byte as Linux's vp_get() reads */
static uint32_t lp_cfg_get(struct lp_io *io, unsigned int off,
			   unsigned int len)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < len; i++)
		v |= lp_rd(io, VIRTIO_PCI_CONFIG_OFF(1) + off + i, 1) << (8 * i);
	return v;
}

/* one queue as Linux's setup_vq() of virtio_pci_legacy sets it up */
static int lp_setup_vq(struct lp_io *io, unsigned int q, uint16_t vector)
{
	uint32_t num, pfn;

	lp_wr(io, VIRTIO_PCI_QUEUE_SEL, 2, q);
	num = lp_rd(io, VIRTIO_PCI_QUEUE_NUM, 2);
	lp_wr(io, VIRTIO_PCI_QUEUE_SEL, 2, q);
	pfn = lp_rd(io, VIRTIO_PCI_QUEUE_PFN, 4);
	if (!num || pfn)
		return -1;
	lp_wr(io, VIRTIO_PCI_QUEUE_SEL, 2, q);
	lp_wr(io, VIRTIO_PCI_QUEUE_PFN, 4, 0x1000 + q);
	lp_wr(io, VIRTIO_PCI_QUEUE_SEL, 2, q);
	lp_wr(io, VIRTIO_MSI_QUEUE_VECTOR, 2, vector);
	return lp_rd(io, VIRTIO_MSI_QUEUE_VECTOR, 2) == vector ? 0 : -1;
}

/*
 * The probe, MSI-X already on (the device config at 24); checks what a
 * driver would notice and prints "linux-probe accesses=N" for the
 * scenario to set against the owner's command counters.
 */
static void linux_probe(struct lp_io *io, const char *who)
{
	uint32_t v, host, pairs = 1, mtu = 0, nq;
	uint8_t mac[6];
	int rc = 0;

	io->accesses = 0;
	lp_wr(io, VIRTIO_PCI_STATUS, 1, 0);
	lp_rd(io, VIRTIO_PCI_STATUS, 1);
	lp_add_status(io, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	lp_add_status(io, VIRTIO_CONFIG_S_DRIVER);
	host = lp_rd(io, VIRTIO_PCI_HOST_FEATURES, 4);
	if (host & (1u << 3))			/* VIRTIO_NET_F_MTU: validate */
		mtu = lp_cfg_get(io, 10, 2);
	lp_wr(io, VIRTIO_PCI_GUEST_FEATURES, 4, host);
	if (host & (1u << 22))			/* VIRTIO_NET_F_MQ */
		pairs = lp_cfg_get(io, 8, 2);
	if (host & (1u << 3))
		mtu = lp_cfg_get(io, 10, 2);
	for (int i = 0; i < 6; i++)
		mac[i] = lp_cfg_get(io, i, 1);
	lp_wr(io, VIRTIO_MSI_CONFIG_VECTOR, 2, 0);
	lp_rd(io, VIRTIO_MSI_CONFIG_VECTOR, 2);
	nq = 2 * pairs + !!(host & (1u << 17));	/* VIRTIO_NET_F_CTRL_VQ */
	for (unsigned int q = 0; q < nq; q++)
		rc |= lp_setup_vq(io, q, 0);
	lp_add_status(io, VIRTIO_CONFIG_S_DRIVER_OK);
	if (host & (1u << 16))			/* VIRTIO_NET_F_STATUS */
		lp_cfg_get(io, 6, 2);
	v = lp_rd(io, VIRTIO_PCI_STATUS, 1);

	result(!rc, "%s: %u queues set up as Linux does (mtu %u, pairs %u, mac %02x:...:%02x)",
	       who, nq, mtu, pairs, mac[0], mac[5]);
	result(v == (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		     VIRTIO_CONFIG_S_DRIVER_OK), "%s: DRIVER_OK reached (%#x)",
	       who, v);
	lp_wr(io, VIRTIO_PCI_STATUS, 1, 0);
	printf("linux-probe accesses=%u\n", io->accesses);
}

#endif
