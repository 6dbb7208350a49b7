// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio_probe GROUP BDF - open a PCI device through the VFIO group/container
 * API (type1v2 IOMMU) and read its vendor and device ID from the config
 * region.  Prints one line per step; the last one is
 *   config vendor=0x1b36 device=0x0010
 * Exit status 0 when every step worked, 1 otherwise.  Built static for the
 * VM guest (tests/vm/run.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

static int fail(const char *what)
{
	fprintf(stderr, "vfio_probe: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg) };
	char path[64];
	int container, group, dev, api;
	uint16_t ids[2];

	if (argc != 3) {
		fprintf(stderr, "usage: vfio_probe GROUP BDF\n");
		return 2;
	}
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		return fail("open /dev/vfio/vfio");
	api = ioctl(container, VFIO_GET_API_VERSION);
	if (api != VFIO_API_VERSION) {
		fprintf(stderr, "vfio_probe: unexpected VFIO API version %d\n", api);
		return 1;
	}
	if (ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1) {
		fprintf(stderr, "vfio_probe: no type1v2 IOMMU support\n");
		return 1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	group = open(path, O_RDWR);
	if (group < 0)
		return fail(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs))
		return fail("VFIO_GROUP_GET_STATUS");
	printf("group %s viable=%d\n", argv[1], !!(gs.flags & VFIO_GROUP_FLAGS_VIABLE));
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fprintf(stderr, "vfio_probe: group %s is not viable\n", argv[1]);
		return 1;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		return fail("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return fail("VFIO_SET_IOMMU type1v2");
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[2]);
	if (dev < 0)
		return fail("VFIO_GROUP_GET_DEVICE_FD");
	if (ioctl(dev, VFIO_DEVICE_GET_INFO, &di))
		return fail("VFIO_DEVICE_GET_INFO");
	printf("device %s flags=0x%x pci=%d regions=%u irqs=%u\n", argv[2], di.flags,
	       !!(di.flags & VFIO_DEVICE_FLAGS_PCI), di.num_regions, di.num_irqs);
	cfg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		return fail("VFIO_DEVICE_GET_REGION_INFO config");
	printf("config size=0x%llx offset=0x%llx\n", (unsigned long long)cfg.size,
	       (unsigned long long)cfg.offset);
	if (pread(dev, ids, sizeof(ids), cfg.offset) != sizeof(ids))
		return fail("pread config");
	printf("config vendor=0x%04x device=0x%04x\n", ids[0], ids[1]);
	close(dev);
	close(group);
	close(container);
	return 0;
}
