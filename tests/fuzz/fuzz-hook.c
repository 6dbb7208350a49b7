// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The domain XML libvirt gives vvpctl libvirt-hook on stdin, through
 * hook_xml_parse() (cli/hook_xml.c) as the hook calls it on what
 * hook_read_all() read. Besides not crashing: a refusal says why on one
 * line; what is accepted is a list of canonical PCI addresses, with an
 * MTU from 1 to 65535 or none, each at a line of the document.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "config-private.h"
#include "hook.h"
#include "fuzz.h"

static void check(const struct hook_domain *d)
{
	for (unsigned int i = 0; i < d->num_devs; i++) {
		const struct hook_dev *dev = &d->devs[i];
		char again[16];

		if (vvp_parse_pci_address(dev->address, again,
					  sizeof(again)) < 0 ||
		    strcmp(again, dev->address))
			abort();
		if (dev->mtu != -1 && (dev->mtu < 1 || dev->mtu > 65535))
			abort();
		if (dev->has_mac && !dev->interface)
			abort();
		if (dev->line < 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool initialized;
	struct hook_domain d;
	char err[512], *buf;
	int rc;

	if (!initialized) {
		xmlInitParser();
		initialized = true;
	}
	/* hook_read_all() hands over a NUL-terminated copy; so does this */
	buf = fuzz_strndup(data, size);

	rc = hook_xml_parse(buf, size, &d, err, sizeof(err));
	if (rc == 0) {
		check(&d);
		hook_domain_free(&d);
	} else if (rc == -EINVAL ? !err[0] || strchr(err, '\n') :
		   rc != -ENOMEM) {
		abort();
	}
	free(buf);
	return 0;
}
