// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI devices by address: the address itself, and what sysfs has for it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvvp-private.h"

/*
 * Accept "DDDD:BB:DD.F" and, as lspci -s does, "BB:DD.F" meaning domain 0.
 * Hex digits in either case; the canonical form is lower case and padded.
 */
VVP_EXPORT int vvp_parse_pci_address(const char *str, char *buf,
				     unsigned long len)
{
	unsigned int dom = 0, bus, dev, fn;
	int n = 0;

	if (!str || !buf)
		return -EINVAL;
	/* field widths: "%x" would wrap 100000000 around to 0 */
	if (sscanf(str, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &n) != 4 ||
	    str[n]) {
		dom = 0;
		n = 0;
		if (sscanf(str, "%2x:%2x.%1x%n", &bus, &dev, &fn, &n) != 3 ||
		    str[n])
			return -EINVAL;
	}
	/* sscanf takes signs and spaces; an address has neither */
	for (const char *p = str; *p; p++)
		if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
			return -EINVAL;
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	if (snprintf(buf, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn) >=
	    (int)len)
		return -ENOSPC;
	return 0;
}
