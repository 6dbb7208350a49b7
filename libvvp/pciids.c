// SPDX-License-Identifier: LGPL-2.1-or-later
/* Vendor and device names from the PCI ID database, through libpci. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "libvvp-private.h"

static void libpci_quiet(char *msg, ...)
{
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/*
 * Names for a vendor/device pair. libpci parses its database once per
 * context, on the first lookup, so listing many devices costs one parse.
 */
int pciids_names(struct vvp_ctx *ctx, unsigned int vendor,
		 unsigned int device, char **vendor_name, char **device_name)
{
	char buf[256];
	const char *s;

	if (!ctx->pacc) {
		ctx->pacc = pci_alloc();
		if (!ctx->pacc)
			return -ENOMEM;
		ctx->pacc->warning = libpci_quiet;
		ctx->pacc->debug = libpci_quiet;
	}
	s = pci_lookup_name(ctx->pacc, buf, sizeof(buf),
			    PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS, vendor);
	*vendor_name = dup_or_null(s);
	s = pci_lookup_name(ctx->pacc, buf, sizeof(buf),
			    PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS, vendor,
			    device);
	*device_name = dup_or_null(s);
	return 0;
}

void pciids_free(struct vvp_ctx *ctx)
{
	if (ctx->pacc)
		pci_cleanup(ctx->pacc);
	ctx->pacc = NULL;
}
