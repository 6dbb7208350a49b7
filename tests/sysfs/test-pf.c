// SPDX-License-Identifier: GPL-2.0-or-later
/* PFs: enumeration, attributes, names, vvp_pf_find, autoprobe */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void test_enumerate(void **state)
{
	struct vvp_pf *pf;
	struct fx *f;
	int n = 0;

	/* 0000:0a:00.0 .. 0000:0c:00.0 sort after 09 */
	f = fx_start_pfs(state, 12, 8, 0);
	vvp_pf_foreach(f->ctx, pf) {
		/* sorted by address; bridges and 00:1f.0 are not PFs */
		assert_string_equal(vvp_pf_get_address(pf),
				    fake_tree_pf_address(f->t, n));
		assert_ptr_equal(vvp_pf_get_ctx(pf), f->ctx);
		n++;
	}
	assert_int_equal(n, 12);
	assert_string_equal(fake_tree_pf_address(f->t, 11), "0000:0c:00.0");
	/* a second walk reuses the list */
	assert_ptr_equal(vvp_pf_get_first(f->ctx), vvp_pf_get_first(f->ctx));
	assert_string_equal(f->log, "");
}

static void test_none(void **state)
{
	struct fx *f;

	f = fx_start_pfs(state, 0, 8, 0);
	assert_int_equal(vvp_pf_scan(f->ctx), 0);
	assert_null(vvp_pf_get_first(f->ctx));
	/* no bus/pci at all (not a sysfs): NULL, and the scan says why */
	assert_int_equal(vvp_set_sysfs_root(f->ctx, fake_tree_proc(f->t)), 0);
	assert_int_equal(vvp_pf_scan(f->ctx), -ENOENT);
	assert_msg(f->ctx, "cannot list PCI devices", "bus/pci/devices",
		   strerror(ENOENT));
	assert_null(vvp_pf_get_first(f->ctx));
}

static void test_attributes(void **state)
{
	struct vvp_pf *pf;
	struct fx *f;

	f = fx_start_pfs(state, 1, 16, 3);
	pf = vvp_pf_get_first(f->ctx);
	assert_non_null(pf);
	assert_null(vvp_pf_get_next(pf));
	assert_string_equal(vvp_pf_get_address(pf), "0000:01:00.0");
	assert_int_equal(vvp_pf_get_vendor_id(pf), 0x1b36);
	assert_int_equal(vvp_pf_get_device_id(pf), 0x0010);
	assert_string_equal(vvp_pf_get_driver(pf), "nvme");
	assert_int_equal(vvp_pf_get_total_vfs(pf), 16);
	assert_int_equal(vvp_pf_get_num_vfs(pf), 3);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
	/* read live */
	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_numvfs", "5\n");
	assert_int_equal(vvp_pf_get_num_vfs(pf), 5);
	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_drivers_autoprobe", "junk\n");
	assert_int_equal(vvp_pf_get_autoprobe(pf), -EINVAL);
	assert_string_equal(fx_writes(f), "");
}

static void test_no_driver(void **state)
{
	struct fake_tree_opts o;
	struct fx *f;

	fake_tree_opts_init(&o);
	o.pf_unbound = true;
	f = fx_start(state, &o);
	assert_null(vvp_pf_get_driver(fx_pf(f, 0)));
}

static void test_names(void **state)
{
	struct fx *f = fx_start(state, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);
	const char *v = vvp_pf_get_vendor_name(pf);
	const char *d = vvp_pf_get_device_name(pf);

	/* from pci.ids when installed: a name or NULL, never a crash */
	if (v)
		assert_true(strlen(v) > 0);
	if (d)
		assert_true(strlen(d) > 0);
	print_message("1b36:0010 is \"%s\" \"%s\"\n", v ? v : "(unknown)",
		      d ? d : "(unknown)");
	/* looked up once */
	assert_ptr_equal(vvp_pf_get_vendor_name(pf), v);
	assert_ptr_equal(vvp_pf_get_device_name(pf), d);
}

static void test_names_unknown(void **state)
{
	struct fx *f = fx_start(state, NULL);
	struct vvp_pf *pf;

	/* an ID no database has */
	fake_tree_set_attr(f->t, "0000:01:00.0", "vendor", "0x0f0f\n");
	fake_tree_set_attr(f->t, "0000:01:00.0", "device", "0x0bad\n");
	pf = fx_pf(f, 0);
	assert_int_equal(vvp_pf_get_vendor_id(pf), 0x0f0f);
	assert_null(vvp_pf_get_vendor_name(pf));
	assert_null(vvp_pf_get_device_name(pf));
}

static void test_unreadable_skipped(void **state)
{
	struct vvp_pf *pf;
	struct fx *f;

	f = fx_start_pfs(state, 3, 8, 0);
	fake_tree_set_attr(f->t, "0000:02:00.0", "sriov_totalvfs", "lots\n");
	pf = vvp_pf_get_first(f->ctx);
	assert_string_equal(vvp_pf_get_address(pf), "0000:01:00.0");
	pf = vvp_pf_get_next(pf);
	assert_string_equal(vvp_pf_get_address(pf), "0000:03:00.0");
	assert_null(vvp_pf_get_next(pf));
	assert_non_null(strstr(f->log, "0000:02:00.0: cannot read its SR-IOV attributes"));

	/* unreadable IDs do not make a PF less of a PF */
	fake_tree_set_attr(f->t, "0000:03:00.0", "vendor", "garbage\n");
	vvp_refresh(f->ctx);
	pf = vvp_pf_get_next(vvp_pf_get_first(f->ctx));
	assert_string_equal(vvp_pf_get_address(pf), "0000:03:00.0");
	assert_int_equal(vvp_pf_get_vendor_id(pf), 0);
}

static void test_find(void **state)
{
	struct vvp_pf *pf = NULL, *p2 = NULL;
	struct fx *f;

	f = fx_start_pfs(state, 2, 8, 2);
	assert_int_equal(vvp_pf_find(f->ctx, "0000:02:00.0", &pf), 0);
	assert_string_equal(vvp_pf_get_address(pf), "0000:02:00.0");
	assert_string_equal(vvp_get_last_error(f->ctx), "");
	/* the short and upper-case forms find the same object */
	assert_int_equal(vvp_pf_find(f->ctx, "02:00.0", &p2), 0);
	assert_ptr_equal(pf, p2);
	p2 = NULL;
	assert_int_equal(vvp_pf_find(f->ctx, "0000:02:00.0", &p2), 0);
	assert_ptr_equal(pf, p2);
	assert_ptr_equal(vvp_pf_get_next(vvp_pf_get_first(f->ctx)), pf);
}

/*
 * vvp_pf_find() before any listing reads that PF alone, not every PCI
 * device (a udev helper per VF would look at them all each time): the
 * others are read when listed, in address order, the found one among them.
 */
static void test_find_reads_one(void **state)
{
	struct fx *f = fx_start_pfs(state, 3, 8, 0);
	struct vvp_pf *pf, *found = NULL;
	int n = 0;

	assert_int_equal(vvp_pf_find(f->ctx, "0000:02:00.0", &found), 0);
	/* after the find: a find that read them all has PF 3 stale */
	fake_tree_unbind(f->t, "0000:03:00.0");
	vvp_pf_foreach(f->ctx, pf) {
		assert_string_equal(vvp_pf_get_address(pf),
				    fake_tree_pf_address(f->t, n));
		if (n == 1)
			assert_ptr_equal(pf, found);
		if (n == 2)
			assert_null(vvp_pf_get_driver(pf));
		else
			assert_string_equal(vvp_pf_get_driver(pf), "nvme");
		n++;
	}
	assert_int_equal(n, 3);
	assert_string_equal(fx_writes(f), "");
}

static void test_find_errors(void **state)
{
	struct vvp_pf *pf = NULL;
	struct fx *f;

	f = fx_start_vfs(state, 2, NULL);

	assert_int_equal(vvp_pf_find(f->ctx, "01:00", &pf), -EINVAL);
	assert_msg(f->ctx, "'01:00' is not a PCI address", "DDDD:BB:DD.F");
	assert_int_equal(vvp_pf_find(f->ctx, "../../etc", &pf), -EINVAL);

	assert_int_equal(vvp_pf_find(f->ctx, "0000:0b:00.0", &pf), -ENODEV);
	assert_msg(f->ctx, "PCI device 0000:0b:00.0 not found", strerror(ENODEV));

	assert_int_equal(vvp_pf_find(f->ctx, "00:1f.0", &pf), -EOPNOTSUPP);
	assert_msg(f->ctx, "0000:00:1f.0 has no SR-IOV", "no sriov_totalvfs");
	/* a bridge, bound to a driver, is not a PF either */
	assert_int_equal(vvp_pf_find(f->ctx, "0000:00:01.0", &pf), -EOPNOTSUPP);

	/* a VF: not a PF, and the message names its PF */
	assert_int_equal(vvp_pf_find(f->ctx, "0000:01:00.2", &pf), -EOPNOTSUPP);
	assert_msg(f->ctx, "0000:01:00.2 is a VF", "its PF is 0000:01:00.0");
	assert_null(pf);
	assert_string_equal(fx_writes(f), "");
}

static void test_autoprobe(void **state)
{
	struct fx *f = fx_start(state, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	assert_int_equal(vvp_pf_set_autoprobe(pf, false), 0);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 0);
	assert_int_equal(vvp_pf_set_autoprobe(pf, true), 0);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
	assert_string_equal(fx_writes(f),
		"0000:01:00.0/sriov_drivers_autoprobe 0\n"
		"0000:01:00.0/sriov_drivers_autoprobe 1\n");

	fake_kernel_fail(f->k, "sriov_drivers_autoprobe", NULL, -EACCES, 1);
	assert_int_equal(vvp_pf_set_autoprobe(pf, false), -EACCES);
	assert_msg(f->ctx, "cannot set sriov_drivers_autoprobe of 0000:01:00.0",
		   strerror(EACCES));
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
	fake_kernel_fail(f->k, "sriov_drivers_autoprobe", NULL, -EIO, 1);
	assert_int_equal(vvp_pf_set_autoprobe(pf, false), -EIO);
	assert_msg(f->ctx, "sriov_drivers_autoprobe", strerror(EIO));
	/* success clears the message */
	assert_int_equal(vvp_pf_set_autoprobe(pf, false), 0);
	assert_string_equal(vvp_get_last_error(f->ctx), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_enumerate),
		FX_TEST(test_none),
		FX_TEST(test_attributes),
		FX_TEST(test_no_driver),
		FX_TEST(test_names),
		FX_TEST(test_names_unknown),
		FX_TEST(test_unreadable_skipped),
		FX_TEST(test_find),
		FX_TEST(test_find_reads_one),
		FX_TEST(test_find_errors),
		FX_TEST(test_autoprobe),
	};

	return cmocka_run_group_tests_name("pf", tests, NULL, NULL);
}
