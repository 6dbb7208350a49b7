// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * legacy_probe - drive a VF bound to vvp_vfio_pci through VFIO the way a
 * legacy (virtio 0.9.5) virtio-net driver probes its device.
 *
 *   legacy_probe [--mac MAC] GROUP BDF     full legacy probe sequence
 *   legacy_probe --modern GROUP BDF        the device must look like vfio-pci
 *   legacy_probe --linux GROUP BDF         the BAR0 accesses of Linux's
 *      legacy virtio-pci + virtio_net probe; prints "linux-probe
 *      accesses=N" (a closing reset included)
 *   legacy_probe --shell GROUP BDF         then commands from stdin:
 *        r OFF SIZE | w OFF SIZE VAL | cr OFF SIZE | cw OFF SIZE VAL |
 *        msix on|off | reset
 *      (BAR0 read/write, config read/write), each answered "ok VAL" or
 *      "err ERRNO"; the device stays open until stdin ends.
 *   legacy_probe --bench N [--offset OFF] GROUP BDF   N 4-byte reads of
 *      BAR0 at OFF (default 0; or of config space with --config) and the
 *      rate.
 *   legacy_probe --narrate [--mac MAC] GROUP BDF
 *      the full probe, told for a person in a few lines (the demo); only
 *      failed checks are printed one by one.
 *
 * One line per check, "ok - what" or "not ok - what: why"; exit 1 when any
 * check failed. Built static for the VM guest (tests/vm/run.sh).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>

#include "linux_probe.h"
#include "probe_result.h"

static int dev = -1;
static uint64_t bar0_off, cfg_off;
/* one line of the story --narrate tells, in the guest driver's terms */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (!narrate)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int die(const char *what)
{
	printf("not ok - %s: %s\n", what, strerror(errno));
	exit(1);
}

/* 1/2/4-byte access at region offset; 0 or -errno */
static int rd(uint64_t base, unsigned int off, unsigned int size, uint32_t *val)
{
	uint32_t v = 0;
	ssize_t n = pread(dev, &v, size, base + off);

	if (n < 0)
		return -errno;
	if (n != (ssize_t)size)
		return -EIO;
	*val = v;
	return 0;
}

static int wr(uint64_t base, unsigned int off, unsigned int size, uint32_t val)
{
	ssize_t n = pwrite(dev, &val, size, base + off);

	if (n < 0)
		return -errno;
	return n == (ssize_t)size ? 0 : -EIO;
}

static uint32_t rd_ok(uint64_t base, unsigned int off, unsigned int size,
		      const char *what)
{
	uint32_t v = 0;
	int rc = rd(base, off, size, &v);

	if (rc)
		result(0, "%s: read of %u bytes at %#x: %s", what, size, off,
		       strerror(-rc));
	return v;
}

static void wr_ok(uint64_t base, unsigned int off, unsigned int size,
		  uint32_t val, const char *what)
{
	int rc = wr(base, off, size, val);

	if (rc)
		result(0, "%s: write of %u bytes at %#x: %s", what, size, off,
		       strerror(-rc));
}

static int open_device(const char *grp, const char *bdf)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	char path[64];
	int container, group;

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("open /dev/vfio/vfio");
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	group = open(path, O_RDWR);
	if (group < 0)
		die(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group not viable");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("container setup");
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (dev < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
	ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("region info config");
	cfg_off = ri.offset;
	memset(&ri, 0, sizeof(ri));
	ri.argsz = sizeof(ri);
	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("region info BAR0");
	bar0_off = ri.offset;
	if (!narrate)
		printf("# bar0 size=%#llx flags=%#x\n",
		       (unsigned long long)ri.size, ri.flags);
	return 0;
}


/* MSI-X on (one vector, an eventfd) or off, through VFIO_DEVICE_SET_IRQS */
static int set_msix(int on)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (void *)buf;
	int32_t fd = on ? eventfd(0, 0) : -1;

	memset(buf, 0, sizeof(buf));
	set->argsz = on ? sizeof(buf) : sizeof(*set);
	set->index = VFIO_PCI_MSIX_IRQ_INDEX;
	set->start = 0;
	set->count = on ? 1 : 0;
	set->flags = VFIO_IRQ_SET_ACTION_TRIGGER |
		     (on ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE);
	if (on)
		memcpy(set->data, &fd, sizeof(fd));
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

static struct vfio_region_info region_info(unsigned int index)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };

	ri.index = index;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("region info");
	return ri;
}

static struct vfio_region_info bar0_info(void)
{
	return region_info(VFIO_PCI_BAR0_REGION_INDEX);
}

/* config dword of BAR @bar as the user sees it */
static uint32_t bar_reg(unsigned int bar)
{
	return rd_ok(cfg_off, PCI_BASE_ADDRESS_0 + 4 * bar, 4, "bar");
}

static int bar_is_upper_half(unsigned int bar)
{
	uint32_t prev;

	if (!bar)
		return 0;
	prev = bar_reg(bar - 1);
	return !(prev & PCI_BASE_ADDRESS_SPACE_IO) &&
	       (prev & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64;
}

/*
 * A capability names BAR @bar and [0, @end) in it: the BAR must be one the
 * user sees, a memory BAR (never the legacy I/O BAR0, never the upper half
 * of a 64-bit BAR), and its region must hold @end bytes.
 */
static void check_bar_ref(const char *what, unsigned int bar, uint64_t end)
{
	struct vfio_region_info ri;
	uint32_t reg;

	if (bar >= 6) {
		result(0, "%s names BAR%u, no BAR", what, bar);
		return;
	}
	ri = region_info(bar);
	reg = bar_reg(bar);
	result(bar != 0 && !(reg & PCI_BASE_ADDRESS_SPACE_IO) &&
	       !bar_is_upper_half(bar) && ri.size >= end,
	       "%s names BAR%u, a visible memory BAR holding it (bar %#x, region size %#llx, needs %#llx)",
	       what, bar, reg, (unsigned long long)ri.size,
	       (unsigned long long)end);
}

/*
 * Every capability that names a BAR, as a guest (QEMU first) reads them:
 * MSI-X table and PBA, and vendor capabilities (virtio's, bar at 4).
 * Returns the MSI-X table BIR (-1 without MSI-X).
 */
static int check_cap_bars(uint32_t *tbl_off)
{
	unsigned int pos, n = 0, id, len;
	int msix_bar = -1;
	char what[64];

	pos = rd_ok(cfg_off, PCI_CAPABILITY_LIST, 1, "cap list") & ~3u;
	for (; pos && n < 48; n++) {
		id = rd_ok(cfg_off, pos, 1, "cap id");
		if (id == PCI_CAP_ID_MSIX) {
			uint32_t ctl = rd_ok(cfg_off, pos + PCI_MSIX_FLAGS, 2, "msix");
			uint32_t tbl = rd_ok(cfg_off, pos + PCI_MSIX_TABLE, 4, "msix");
			uint32_t pba = rd_ok(cfg_off, pos + PCI_MSIX_PBA, 4, "msix");
			unsigned int nvec = (ctl & PCI_MSIX_FLAGS_QSIZE) + 1;

			printf("# msix at %#x: %u vectors, table bir %u offset %#x, pba bir %u offset %#x\n",
			       pos, nvec, tbl & 7, tbl & ~7u, pba & 7, pba & ~7u);
			check_bar_ref("MSI-X table", tbl & 7,
				      (tbl & ~7u) + 16ull * nvec);
			check_bar_ref("MSI-X PBA", pba & 7,
				      (pba & ~7u) + 8ull * ((nvec + 63) / 64));
			msix_bar = tbl & 7;
			*tbl_off = tbl & ~7u;
		} else if (id == PCI_CAP_ID_VNDR) {
			len = rd_ok(cfg_off, pos + 2, 1, "vendor cap len");
			if (len > 4) {
				snprintf(what, sizeof(what),
					 "vendor capability at %#x", pos);
				check_bar_ref(what, rd_ok(cfg_off, pos + 4, 1, "bar"), 0);
			}
		}
		pos = rd_ok(cfg_off, pos + 1, 1, "cap next") & ~3u;
	}
	return msix_bar;
}

/*
 * The memory BAR that holds MSI-X, relocated or not: sizes like a BAR in
 * config space, and its region reads the same through pread and mmap.
 */
static void check_msix_bar(unsigned int bar, uint32_t tbl_off)
{
	struct vfio_region_info ri = region_info(bar);
	uint32_t lo = bar_reg(bar), hi = 0, v, cmd, a = 0;
	int is64 = (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
		   PCI_BASE_ADDRESS_MEM_TYPE_64;
	uint64_t mask = ~(ri.size - 1);
	void *map;

	result((ri.flags & VFIO_REGION_INFO_FLAG_READ) &&
	       (ri.flags & VFIO_REGION_INFO_FLAG_WRITE),
	       "BAR%u region: size %#llx flags %#x, read/write", bar,
	       (unsigned long long)ri.size, ri.flags);
	if (is64)
		hi = bar_reg(bar + 1);
	wr_ok(cfg_off, PCI_BASE_ADDRESS_0 + 4 * bar, 4, 0xffffffff, "sizing");
	if (is64)
		wr_ok(cfg_off, PCI_BASE_ADDRESS_0 + 4 * bar + 4, 4, 0xffffffff,
		      "sizing");
	v = bar_reg(bar);
	result((v & ~0xfu) == ((uint32_t)mask & ~0xfu) && (v & 0xf) == (lo & 0xf),
	       "BAR%u all-ones reads back the size mask %#x with its type bits (%#x)",
	       bar, (uint32_t)mask & ~0xfu, v);
	if (is64) {
		v = bar_reg(bar + 1);
		result(v == (uint32_t)(mask >> 32),
		       "BAR%u upper half all-ones reads back %#x (%#x)", bar + 1,
		       (uint32_t)(mask >> 32), v);
	}
	wr_ok(cfg_off, PCI_BASE_ADDRESS_0 + 4 * bar, 4, lo, "restore");
	if (is64)
		wr_ok(cfg_off, PCI_BASE_ADDRESS_0 + 4 * bar + 4, 4, hi, "restore");

	printf("# msix bar %u type %#x\n", bar, lo & 0xf);

	/*
	 * The region is the real BAR with vfio-pci-core's MSI-X table
	 * protection: a read of the table answers all-ones; the mapping is
	 * the device's own table, where vector 0 is masked until enabled.
	 */
	cmd = rd_ok(cfg_off, PCI_COMMAND, 2, "command");
	wr_ok(cfg_off, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY, "command");
	v = rd_ok(ri.offset, tbl_off + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, "BAR read");
	result(v == 0xffffffff,
	       "BAR%u region read of the MSI-X table: vfio-pci-core's all-ones (%#x)",
	       bar, v);
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		result(0, "BAR%u region can be mmapped (flags %#x)", bar, ri.flags);
		return;
	}
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dev,
		   ri.offset + (tbl_off & ~4095u));
	if (map == MAP_FAILED) {
		result(0, "mmap of BAR%u: %s", bar, strerror(errno));
		return;
	}
	a = *(volatile uint32_t *)((char *)map + (tbl_off & 4095) +
				   PCI_MSIX_ENTRY_VECTOR_CTRL);
	munmap(map, 4096);
	result(a & PCI_MSIX_ENTRY_CTRL_MASKBIT,
	       "BAR%u mmapped: the device's MSI-X table, vector 0 masked (%#x)",
	       bar, a);
}

/* VFIO_DEVICE_IOEVENTFD on BAR @index offset @off: 0 or -errno */
static int ioeventfd(unsigned int index, unsigned int off, int fd)
{
	struct vfio_device_ioeventfd ev = {
		.argsz = sizeof(ev),
		.flags = VFIO_DEVICE_IOEVENTFD_16,
		.offset = region_info(index).offset + off,
		.fd = fd,
	};

	return ioctl(dev, VFIO_DEVICE_IOEVENTFD, &ev) ? -errno : 0;
}

/* offsets past the 12-byte virtio-net config are not forwarded */
static void check_devcfg_bound(unsigned int devcfg, uint64_t window)
{
	uint32_t v;
	int rc;

	rc = rd(bar0_off, devcfg + 10, 2, &v);
	result(!rc, "device config mtu (offset 10) readable at %u (%s)",
	       devcfg + 10, rc ? strerror(-rc) : "ok");
	rc = rd(bar0_off, devcfg + 12, 1, &v);
	result(rc == -EINVAL, "device config offset 12 (%u), past the net config: EINVAL (%s)",
	       devcfg + 12, rc ? strerror(-rc) : "no error");
	rc = rd(bar0_off, window - 4, 4, &v);
	result(rc == -EINVAL, "last dword of the window (%llu): EINVAL (%s)",
	       (unsigned long long)window - 4, rc ? strerror(-rc) : "no error");
	rc = wr(bar0_off, devcfg + 12, 4, 0);
	result(rc == -EINVAL, "write past the net config: EINVAL (%s)",
	       rc ? strerror(-rc) : "no error");
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static void read_mac(unsigned int devcfg, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = rd_ok(bar0_off, devcfg + i, 1, "device config mac");
}

static void probe_legacy(const char *want_mac)
{
	struct vfio_region_info ri = bar0_info();
	uint32_t v, host, status;
	unsigned int nq = 0;
	uint8_t mac[6], want[6];
	int rc, msix_bar, efd;
	uint32_t tbl_off = 0;

	v = rd_ok(cfg_off, PCI_VENDOR_ID, 2, "vendor");
	result(v == 0x1af4, "config vendor id 0x1af4 (got %#x)", v);
	v = rd_ok(cfg_off, PCI_DEVICE_ID, 2, "device");
	result(v == 0x1000, "config device id 0x1000, transitional net (got %#x)", v);
	v = rd_ok(cfg_off, PCI_REVISION_ID, 1, "revision");
	result(v == 0, "config revision 0 (got %u)", v);
	v = rd_ok(cfg_off, PCI_CLASS_REVISION, 4, "class") >> 8;
	result(v == 0x020000, "config class 0x020000, Ethernet (got %#x)", v);
	v = rd_ok(cfg_off, PCI_SUBSYSTEM_ID, 2, "subsystem");
	result(v == 1, "config subsystem device id 1, network (got %u)", v);
	say("- The guest sees PCI device 1af4:1000: a transitional virtio-net card.");

	result(ri.size >= 36 && !(ri.size & (ri.size - 1)),
	       "BAR0 region is a power of two covering the legacy registers (%#llx)",
	       (unsigned long long)ri.size);
	result((ri.flags & VFIO_REGION_INFO_FLAG_READ) &&
	       (ri.flags & VFIO_REGION_INFO_FLAG_WRITE) &&
	       !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP),
	       "BAR0 region is read/write, not mmap-able (flags %#x)", ri.flags);

	/* sizing, as a BIOS or QEMU does it */
	v = rd_ok(cfg_off, PCI_BASE_ADDRESS_0, 4, "bar0");
	result(v & PCI_BASE_ADDRESS_SPACE_IO, "BAR0 is an I/O BAR (%#x)", v);
	wr_ok(cfg_off, PCI_BASE_ADDRESS_0, 4, 0xffffffff, "bar0 sizing");
	v = rd_ok(cfg_off, PCI_BASE_ADDRESS_0, 4, "bar0 size");
	result(v == ((uint32_t)~(ri.size - 1) | PCI_BASE_ADDRESS_SPACE_IO),
	       "BAR0 all-ones reads back the size mask with the I/O bit (%#x)", v);
	wr_ok(cfg_off, PCI_BASE_ADDRESS_0, 4, 0xc040, "bar0 address");
	v = rd_ok(cfg_off, PCI_BASE_ADDRESS_0, 4, "bar0 address");
	result(v == (0xc040 | PCI_BASE_ADDRESS_SPACE_IO),
	       "BAR0 address written reads back (%#x)", v);
	say("- Its BIOS finds an I/O BAR0 of %llu bytes, sizes it and places it, as on real hardware.",
	    (unsigned long long)ri.size);

	/* no capability may point into BAR0 (the I/O window) or a hidden BAR */
	msix_bar = check_cap_bars(&tbl_off);
	result(msix_bar != 0, "MSI-X is not located in the I/O BAR0 (bir %d)",
	       msix_bar);
	if (msix_bar > 0)
		check_msix_bar(msix_bar, tbl_off);
	efd = eventfd(0, 0);
	rc = ioeventfd(VFIO_PCI_BAR0_REGION_INDEX, VIRTIO_PCI_QUEUE_NOTIFY, efd);
	result(rc == -EOPNOTSUPP, "VFIO_DEVICE_IOEVENTFD on BAR0 refused: EOPNOTSUPP (%s)",
	       rc ? strerror(-rc) : "accepted");
	if (msix_bar > 0) {
		rc = ioeventfd(msix_bar, 0, efd);
		result(rc == -EOPNOTSUPP, "VFIO_DEVICE_IOEVENTFD on BAR%d refused: EOPNOTSUPP (%s)",
		       msix_bar, rc ? strerror(-rc) : "accepted");
	}
	close(efd);

	/* no I/O decoding before the command register says so */
	rc = rd(bar0_off, VIRTIO_PCI_HOST_FEATURES, 4, &v);
	result(rc == -EIO, "BAR0 refuses access while I/O is disabled (%s)",
	       rc ? strerror(-rc) : "no error");
	v = rd_ok(cfg_off, PCI_COMMAND, 2, "command");
	wr_ok(cfg_off, PCI_COMMAND, 2, v | PCI_COMMAND_IO, "command");
	v = rd_ok(cfg_off, PCI_COMMAND, 2, "command");
	result(v & PCI_COMMAND_IO, "command register I/O enable sticks (%#x)", v);

	/* the probe of a legacy virtio-net driver */
	wr_ok(bar0_off, VIRTIO_PCI_STATUS, 1, 0, "reset");
	wr_ok(bar0_off, VIRTIO_PCI_STATUS, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE, "ack");
	wr_ok(bar0_off, VIRTIO_PCI_STATUS, 1,
	      VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, "driver");
	host = rd_ok(bar0_off, VIRTIO_PCI_HOST_FEATURES, 4, "host features");
	result(host != 0, "host features read (%#x)", host);

	read_mac(VIRTIO_PCI_CONFIG_OFF(0), mac);
	if (!narrate)
		printf("# mac %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1],
		       mac[2], mac[3], mac[4], mac[5]);
	say("- Its legacy virtio-net driver reads the features (%#x) and the MAC %02x:%02x:%02x:%02x:%02x:%02x%s.",
	    host, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	    want_mac ? ", the one vvpctl provisioned" : "");
	if (want_mac) {
		parse_mac(want_mac, want);
		result(!memcmp(mac, want, 6),
		       "device config MAC at 20 is the provisioned %s", want_mac);
	}

	check_devcfg_bound(VIRTIO_PCI_CONFIG_OFF(0), ri.size);

	wr_ok(bar0_off, VIRTIO_PCI_GUEST_FEATURES, 4, host & 0x20, "guest features");
	v = rd_ok(bar0_off, VIRTIO_PCI_GUEST_FEATURES, 4, "guest features");
	result(v == (host & 0x20), "guest features written read back (%#x)", v);

	for (unsigned int q = 0; q < 64; q++) {
		wr_ok(bar0_off, VIRTIO_PCI_QUEUE_SEL, 2, q, "queue select");
		v = rd_ok(bar0_off, VIRTIO_PCI_QUEUE_NUM, 2, "queue size");
		if (!v)
			break;
		nq++;
	}
	result(nq >= 2, "queues found by selecting each and reading its size (%u)", nq);
	wr_ok(bar0_off, VIRTIO_PCI_QUEUE_SEL, 2, 0, "queue select");
	wr_ok(bar0_off, VIRTIO_PCI_QUEUE_PFN, 4, 0x12345, "queue pfn");
	v = rd_ok(bar0_off, VIRTIO_PCI_QUEUE_PFN, 4, "queue pfn");
	result(v == 0x12345, "queue 0 address written reads back (%#x)", v);

	status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		 VIRTIO_CONFIG_S_DRIVER_OK;
	wr_ok(bar0_off, VIRTIO_PCI_STATUS, 1, status, "driver ok");
	v = rd_ok(bar0_off, VIRTIO_PCI_STATUS, 1, "status");
	result(v == status, "status ACKNOWLEDGE|DRIVER|DRIVER_OK (%#x)", v);
	say("- It finds %u queues, sets one up and reports DRIVER_OK: the device is live.", nq);

	rc = wr(bar0_off, VIRTIO_PCI_QUEUE_NOTIFY, 2, 0);
	result(!rc, "queue 0 notified (%s)", rc ? strerror(-rc) : "ok");
	rd_ok(bar0_off, VIRTIO_PCI_ISR, 1, "isr");
	result(1, "ISR read");

	rc = set_msix(1);
	result(!rc, "MSI-X enabled through VFIO_DEVICE_SET_IRQS (%s)",
	       rc ? strerror(-rc) : "ok");
	if (!rc) {
		uint8_t mac2[6];

		wr_ok(bar0_off, VIRTIO_MSI_CONFIG_VECTOR, 2, 0, "config vector");
		v = rd_ok(bar0_off, VIRTIO_MSI_CONFIG_VECTOR, 2, "config vector");
		result(v == 0, "MSI-X config vector at 20 while MSI-X is on (%u)", v);
		read_mac(VIRTIO_PCI_CONFIG_OFF(1), mac2);
		result(!memcmp(mac, mac2, 6),
		       "with MSI-X the device config (MAC) moves from 20 to 24");
		check_devcfg_bound(VIRTIO_PCI_CONFIG_OFF(1), ri.size);
		set_msix(0);
	}

	wr_ok(bar0_off, VIRTIO_PCI_STATUS, 1, 0, "reset");
	v = rd_ok(bar0_off, VIRTIO_PCI_STATUS, 1, "status");
	result(v == 0, "status 0 after a reset write (%#x)", v);
	v = rd_ok(bar0_off, VIRTIO_PCI_GUEST_FEATURES, 4, "guest features");
	result(v == 0, "guest features cleared by the reset (%#x)", v);

	wr_ok(bar0_off, VIRTIO_PCI_STATUS, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE, "ack");
	rc = ioctl(dev, VFIO_DEVICE_RESET) ? -errno : 0;
	result(!rc, "VFIO_DEVICE_RESET (%s)", rc ? strerror(-rc) : "ok");
	v = rd_ok(cfg_off, PCI_COMMAND, 2, "command");
	wr_ok(cfg_off, PCI_COMMAND, 2, v | PCI_COMMAND_IO, "command");
	v = rd_ok(bar0_off, VIRTIO_PCI_STATUS, 1, "status");
	result(v == 0, "status 0 after VFIO_DEVICE_RESET (%#x)", v);
	say("- MSI-X, a device reset and a VFIO reset behave as the legacy interface says.");

	/* what a driver must not do */
	rc = rd(bar0_off, ri.size, 4, &v);
	result(rc == -EINVAL, "read beyond the window: EINVAL (%s)", strerror(-rc));
	rc = rd(bar0_off, 1, 2, &v);
	result(rc == -EINVAL, "unaligned 2-byte read: EINVAL (%s)", strerror(-rc));
	rc = rd(bar0_off, 0, 3, &v);
	result(rc == -EINVAL, "3-byte read: EINVAL (%s)", strerror(-rc));
	rc = wr(bar0_off, VIRTIO_PCI_QUEUE_NOTIFY, 4, 0);
	result(rc == -EINVAL, "4-byte queue notify: EINVAL (%s)", strerror(-rc));
	say("Each of these accesses went to the owner as a legacy admin command: %d of %d checks passed.",
	    checks - failures, checks);
}

/* linux_probe.h's port I/O: BAR0 through the VFIO region */
static uint32_t lp_bar0_rd(unsigned int off, unsigned int size)
{
	return rd_ok(bar0_off, off, size, "BAR0");
}

static void lp_bar0_wr(unsigned int off, unsigned int size, uint32_t val)
{
	wr_ok(bar0_off, off, size, val, "BAR0");
}

/* Linux's probe (linux_probe.h), MSI-X on as Linux's virtio-pci asks */
static void probe_linux(void)
{
	struct lp_io io = { lp_bar0_rd, lp_bar0_wr, 0 };
	uint32_t v;
	int rc;

	v = rd_ok(cfg_off, PCI_COMMAND, 2, "command");
	wr_ok(cfg_off, PCI_COMMAND, 2, v | PCI_COMMAND_IO, "command");
	rc = set_msix(1);
	result(!rc, "MSI-X on, as Linux's virtio-pci asks (%s)",
	       rc ? strerror(-rc) : "ok");
	linux_probe(&io, "VFIO");
	set_msix(0);
}

static void probe_modern(void)
{
	struct vfio_region_info ri = bar0_info();
	uint32_t v;

	v = rd_ok(cfg_off, PCI_DEVICE_ID, 2, "device");
	result(v != 0x1000, "config device id unchanged (%#x)", v);
	v = rd_ok(cfg_off, PCI_VENDOR_ID, 2, "vendor");
	printf("# vendor %#x\n", v);
	result(ri.size != 64 || (ri.flags & VFIO_REGION_INFO_FLAG_MMAP),
	       "BAR0 region is the device's own (size %#llx flags %#x)",
	       (unsigned long long)ri.size, ri.flags);
	v = rd_ok(cfg_off, PCI_BASE_ADDRESS_0, 4, "bar0");
	result(!(v & PCI_BASE_ADDRESS_SPACE_IO), "BAR0 is not an I/O BAR (%#x)", v);
	printf("# bar0 type %#x\n", v & 0xf);
	if (ri.size >= 4) {	/* armed and at once disarmed: nothing written */
		int efd = eventfd(0, 0), rc;

		rc = ioeventfd(VFIO_PCI_BAR0_REGION_INDEX, 0, efd);
		result(!rc, "VFIO_DEVICE_IOEVENTFD on the device's own BAR0 accepted (%s)",
		       rc ? strerror(-rc) : "ok");
		if (!rc)
			ioeventfd(VFIO_PCI_BAR0_REGION_INDEX, 0, -1);
		close(efd);
	}
}

static void shell(void)
{
	char line[128], cmd[8], arg[16];
	unsigned int off, size, val;

	printf("READY\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		uint32_t v = 0;
		int rc;

		if (sscanf(line, "%7s", cmd) != 1)
			continue;
		if (!strcmp(cmd, "r") && sscanf(line, "%*s %i %u", &off, &size) == 2)
			rc = rd(bar0_off, off, size, &v);
		else if (!strcmp(cmd, "w") && sscanf(line, "%*s %i %u %i", &off, &size, &val) == 3)
			rc = wr(bar0_off, off, size, val);
		else if (!strcmp(cmd, "cr") && sscanf(line, "%*s %i %u", &off, &size) == 2)
			rc = rd(cfg_off, off, size, &v);
		else if (!strcmp(cmd, "cw") && sscanf(line, "%*s %i %u %i", &off, &size, &val) == 3)
			rc = wr(cfg_off, off, size, val);
		else if (!strcmp(cmd, "msix") && sscanf(line, "%*s %15s", arg) == 1)
			rc = set_msix(!strcmp(arg, "on"));
		else if (!strcmp(cmd, "reset"))
			rc = ioctl(dev, VFIO_DEVICE_RESET) ? -errno : 0;
		else
			rc = -EINVAL;
		if (rc)
			printf("err %d\n", -rc);
		else
			printf("ok %#x\n", v);
		fflush(stdout);
	}
}

static void bench(long n, int config, unsigned int off)
{
	struct timespec a, b;
	uint64_t base = config ? cfg_off : bar0_off;
	uint32_t v;
	double s;

	if (!config) {	/* I/O decoding on */
		v = rd_ok(cfg_off, PCI_COMMAND, 2, "command");
		wr_ok(cfg_off, PCI_COMMAND, 2, v | PCI_COMMAND_IO, "command");
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (rd(base, off, 4, &v))
			die("bench read");
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("bench %s offset=%u reads=%ld seconds=%.3f per_second=%.0f\n",
	       config ? "config" : "bar0", off, n, s, n / s);
}

int main(int argc, char **argv)
{
	const char *mac = NULL;
	int modern = 0, sh = 0, config = 0, lnx = 0, i = 1;
	long nbench = 0;
	unsigned int off = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--modern"))
			modern = 1;
		else if (!strcmp(argv[i], "--linux"))
			lnx = 1;
		else if (!strcmp(argv[i], "--shell"))
			sh = 1;
		else if (!strcmp(argv[i], "--config"))
			config = 1;
		else if (!strcmp(argv[i], "--narrate"))
			narrate = 1;
		else if (!strcmp(argv[i], "--mac") && i + 1 < argc)
			mac = argv[++i];
		else if (!strcmp(argv[i], "--bench") && i + 1 < argc)
			nbench = atol(argv[++i]);
		else if (!strcmp(argv[i], "--offset") && i + 1 < argc)
			off = strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: legacy_probe [--modern|--linux|--shell|--bench N [--config]|--narrate] [--mac MAC] GROUP BDF\n");
		return 2;
	}
	open_device(argv[i], argv[i + 1]);
	if (nbench)
		bench(nbench, config, off);
	else if (sh)
		shell();
	else if (modern)
		probe_modern();
	else if (lnx)
		probe_linux();
	else
		probe_legacy(mac);
	return failures ? 1 : 0;
}
