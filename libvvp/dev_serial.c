// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The PCI Express Device Serial Number (extended capability 0x0003): a
 * 64-bit number that stays with the device when its address changes.
 * Written as lspci -vv shows it, most significant byte first:
 * "00-11-22-33-44-55-66-77". It lives in extended config space, which
 * the kernel lets only CAP_SYS_ADMIN read: others get the first 64 bytes
 * of the config file.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config-private.h"

#define PCI_EXT_CAP_START	0x100
#define PCI_EXT_CAP_ID_DSN	0x0003
#define PCI_CFG_SPACE_EXP_SIZE	4096

int cfg_parse_serial(const char *str, char out[CFG_SERIAL_LEN])
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++, str += 3) {
		char pair[3] = { str[0], str[0] ? str[1] : '\0', '\0' };

		if (!isxdigit((unsigned char)pair[0]) ||
		    !isxdigit((unsigned char)pair[1]) ||
		    str[2] != (i == 7 ? '\0' : '-'))
			return -EINVAL;
		b[i] = strtoul(pair, NULL, 16);
	}
	snprintf(out, CFG_SERIAL_LEN, "%02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* the config space as the kernel lets us read it: length or -errno */
static ssize_t read_config(struct vvp_ctx *ctx, const char *address,
			   unsigned char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n = 0;
	ssize_t got = 0;
	int fd;

	if (dev_path(ctx, path, address, "config") < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < len && (got = read(fd, buf + n, len - n)) > 0)
		n += got;
	if (got < 0 && n == 0)
		n = -errno;
	close(fd);
	return n;
}

int dev_serial_from_config(const unsigned char *cfg, size_t n,
			   char out[CFG_SERIAL_LEN])
{
	unsigned int off = PCI_EXT_CAP_START;

	/* 64 bytes for a user; 256 (no capability found) without PCIe */
	if (n < PCI_EXT_CAP_START)
		return -EACCES;
	/* each capability is at least 4 bytes: a loop ends within 960 */
	for (int hops = 0; hops < (PCI_CFG_SPACE_EXP_SIZE - 256) / 4; hops++) {
		uint32_t hdr;

		if (off + 12 > n)
			break;
		hdr = le32(cfg + off);
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		if ((hdr & 0xffff) == PCI_EXT_CAP_ID_DSN) {
			uint32_t lo = le32(cfg + off + 4);
			uint32_t hi = le32(cfg + off + 8);

			snprintf(out, CFG_SERIAL_LEN,
				 "%02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x",
				 hi >> 24, (hi >> 16) & 0xff, (hi >> 8) & 0xff,
				 hi & 0xff, lo >> 24, (lo >> 16) & 0xff,
				 (lo >> 8) & 0xff, lo & 0xff);
			return 0;
		}
		off = (hdr >> 20) & 0xffc;
		if (off < PCI_EXT_CAP_START)
			break;
	}
	return -ENOENT;
}

int dev_read_serial(struct vvp_ctx *ctx, const char *address,
		    char out[CFG_SERIAL_LEN])
{
	unsigned char cfg[PCI_CFG_SPACE_EXP_SIZE];
	ssize_t n = read_config(ctx, address, cfg, sizeof(cfg));

	if (n < 0)
		return n;
	return dev_serial_from_config(cfg, n, out);
}
