// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio_hold [--no-stdin] GROUP [BDF] - keep /dev/vfio/GROUP open (and, with
 * BDF, the device too: container, type1v2 IOMMU, device fd), print READY,
 * then wait until stdin reaches end of file or, with --no-stdin, until
 * killed.  Used by the VM tests to make a VF "in use".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

static int fail(const char *what)
{
	fprintf(stderr, "vfio_hold: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int watch_stdin = 1, container, group, dev;
	char path[64], buf[256];

	if (argc > 1 && !strcmp(argv[1], "--no-stdin")) {
		watch_stdin = 0;
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vfio_hold [--no-stdin] GROUP [BDF]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	group = open(path, O_RDWR);
	if (group < 0)
		return fail(path);
	if (argc == 3) {
		container = open("/dev/vfio/vfio", O_RDWR);
		if (container < 0)
			return fail("open /dev/vfio/vfio");
		if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
			return fail("VFIO_GROUP_SET_CONTAINER");
		if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
			return fail("VFIO_SET_IOMMU");
		dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[2]);
		if (dev < 0)
			return fail("VFIO_GROUP_GET_DEVICE_FD");
	}
	printf("READY pid=%d group=%s%s%s\n", (int)getpid(), argv[1],
	       argc == 3 ? " device=" : "", argc == 3 ? argv[2] : "");
	fflush(stdout);
	if (watch_stdin)
		while (read(0, buf, sizeof(buf)) > 0)
			;
	else
		for (;;)
			pause();
	return 0;
}
