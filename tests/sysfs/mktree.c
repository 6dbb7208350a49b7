// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mktree: write a fake PCI sysfs tree for shell tests and benchmarks.
 *
 *   eval "$(tests/sysfs/mktree DIR --vfs 4)"   # sets VVP_SYSFS_ROOT/VVP_PROC_ROOT
 *
 * Prints the two roots as shell assignments; the tree stays until the
 * caller removes DIR.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-tree.h"

static const char usage[] =
	"Usage: mktree DIR [ --pfs N ] [ --total N ] [ --vfs N ] [ --bound DRIVER ]\n"
	"              [ --unbound ] [ --no-pf-driver ] [ --no-iommu ] [ --hold GROUP ]\n"
	"Write a fake PCI sysfs tree (DIR/sys) and /proc (DIR/proc) and print\n"
	"VVP_SYSFS_ROOT=... VVP_PROC_ROOT=... for eval.\n"
	"  --pfs N          SR-IOV PFs (default 1)\n"
	"  --total N        sriov_totalvfs of each PF (default 8, at least --vfs)\n"
	"  --vfs N          VFs each PF already has (default 0)\n"
	"  --bound DRIVER   those VFs are bound to DRIVER with driver_override\n"
	"  --unbound        those VFs have no driver (default: nvme, as autoprobe)\n"
	"  --no-pf-driver   the PFs have no driver\n"
	"  --no-iommu       no IOMMU groups\n"
	"  --hold GROUP     a process (pid 4242) holds /dev/vfio/GROUP open\n";

static int number(const char *s, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (!*s || *end || errno || n < 0 || n > 65535) {
		fprintf(stderr, "Error: '%s' is not a number (0 to 65535); see mktree --help\n", s);
		return -1;
	}
	*v = n;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pfs", required_argument, NULL, 'P' },
		{ "total", required_argument, NULL, 'T' },
		{ "vfs", required_argument, NULL, 'n' },
		{ "bound", required_argument, NULL, 'b' },
		{ "unbound", no_argument, NULL, 'u' },
		{ "no-pf-driver", no_argument, NULL, 'D' },
		{ "no-iommu", no_argument, NULL, 'I' },
		{ "hold", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct fake_tree_opts o;
	struct fake_tree *t;
	int c, total = -1, hold = -1, rc;

	fake_tree_opts_init(&o);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (number(optarg, &o.num_pfs) < 0)
				return 2;
			break;
		case 'T':
			if (number(optarg, &total) < 0)
				return 2;
			break;
		case 'n':
			if (number(optarg, &o.initial_vfs) < 0)
				return 2;
			break;
		case 'b':
			o.vf_driver = optarg;
			break;
		case 'u':
			o.vf_driver = "";
			break;
		case 'D':
			o.pf_unbound = true;
			break;
		case 'I':
			o.no_iommu = true;
			break;
		case 'H':
			if (number(optarg, &hold) < 0)
				return 2;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fputs(usage, stderr);
		return 2;
	}
	o.dir = argv[optind];
	o.total_vfs = total >= 0 ? total :
		      o.initial_vfs > o.total_vfs ? o.initial_vfs : o.total_vfs;
	rc = fake_tree_new(&o, &t);
	if (rc < 0) {
		fprintf(stderr, "Error: cannot write a tree in %s (%s); check the options and the directory\n",
			o.dir, strerror(-rc));
		return 1;
	}
	if (hold >= 0 && (rc = fake_tree_hold_group(t, 4242, hold)) < 0) {
		fprintf(stderr, "Error: cannot hold group %d (%s)\n", hold,
			strerror(-rc));
		fake_tree_free(t);
		return 1;
	}
	printf("VVP_SYSFS_ROOT=%s\nVVP_PROC_ROOT=%s\n", fake_tree_sysfs(t),
	       fake_tree_proc(t));
	fake_tree_free(t);
	return 0;
}
