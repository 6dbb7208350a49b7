// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A program outside vvp that uses libvvp as a packager's user would: it
 * includes <libvvp.h> and links with what `pkg-config --cflags --libs
 * libvvp` says, nothing from the source tree. It lists the PFs of the
 * sysfs tree named on the command line (tests/sysfs/mktree makes one).
 */
#include <libvvp.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct vvp_ctx *ctx;
	struct vvp_pf *pf;
	char addr[32];
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: consumer SYSFS-ROOT\n");
		return 2;
	}
	rc = vvp_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "vvp_new: %s\n", strerror(-rc));
		return 1;
	}
	if (vvp_set_sysfs_root(ctx, argv[1]) < 0 || vvp_pf_scan(ctx) < 0 ||
	    vvp_parse_pci_address("1:0.0", addr, sizeof(addr)) < 0) {
		fprintf(stderr, "libvvp: %s\n", vvp_get_last_error(ctx));
		vvp_unref(ctx);
		return 1;
	}
	printf("short address 1:0.0 is %s\n", addr);
	for (pf = vvp_pf_get_first(ctx); pf; pf = vvp_pf_get_next(pf))
		printf("pf %s driver %s total_vfs %d num_vfs %d\n",
		       vvp_pf_get_address(pf), vvp_pf_get_driver(pf),
		       vvp_pf_get_total_vfs(pf), vvp_pf_get_num_vfs(pf));
	vvp_unref(ctx);
	return 0;
}
