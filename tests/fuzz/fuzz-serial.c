// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PCI Device Serial Number (dev_serial.c): the input is a device's
 * config file as sysfs gives it (64 bytes to a user, 256 without PCIe,
 * 4096 with extended config space), walked for the DSN capability by
 * dev_serial_from_config(), which dev_read_serial() calls on what it
 * read. Besides not reading past the bytes given: a serial found is one
 * that [pf serial=...] in vvp.conf(5) takes (cfg_parse_serial()), and
 * it is its own canonical form.
 */
#include <stdlib.h>
#include <string.h>

#include "config-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char serial[CFG_SERIAL_LEN], again[CFG_SERIAL_LEN];
	int rc = dev_serial_from_config(data, size, serial);

	/* what a user may read (64 bytes) is no config space to walk */
	if ((rc == -EACCES) != (size < 256))
		abort();
	if (rc < 0)
		return 0;
	if (cfg_parse_serial(serial, again) < 0 || strcmp(serial, again))
		abort();
	return 0;
}
