// SPDX-License-Identifier: GPL-2.0-or-later
/* VFs: iteration, attributes, vvp_vf_find, vvp_pci_lookup, is_vfio, in_use */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void test_iterate(void **state)
{
	/* 12 VFs: virtfn10 sorts before virtfn2 in readdir */
	struct fx *f = fx_start_pfs(state, 1, 16, 12);
	struct vvp_pf *pf = fx_pf(f, 0);
	struct vvp_vf *vf;
	int n = 0;

	vvp_vf_foreach(pf, vf) {
		assert_int_equal(vvp_vf_get_index(vf), n);
		assert_string_equal(vvp_vf_get_address(vf), fx_vf_addr(f, 0, n));
		assert_ptr_equal(vvp_vf_get_pf(vf), pf);
		assert_int_equal(vvp_vf_get_vendor_id(vf), 0x1b36);
		assert_int_equal(vvp_vf_get_device_id(vf), 0x0010);
		assert_string_equal(vvp_vf_get_driver(vf), "nvme");
		assert_null(vvp_vf_get_driver_override(vf));
		assert_int_equal(vvp_vf_get_iommu_group(vf),
				 fake_tree_vf_group(f->t, 0, n));
		assert_false(vvp_vf_is_vfio(vf));
		assert_int_equal(vvp_vf_in_use(vf), 0);
		n++;
	}
	assert_int_equal(n, 12);
	assert_string_equal(fx_writes(f), "");
}

static void test_no_vfs(void **state)
{
	struct fx *f = fx_start(state, NULL);

	assert_null(vvp_vf_get_first(fx_pf(f, 0)));
}

static void test_states(void **state)
{
	struct fake_tree_opts o;
	struct vvp_vf *vf;
	struct fx *f;

	fx_opts_vfs(&o, 3, "vfio-pci");
	o.drivers[2] = "vvp_vfio_pci";
	f = fx_start(state, &o);
	/* VF 1 unbound, VF 2 on a vfio-pci variant without override */
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 1));
	fake_tree_set_attr(f->t, fx_vf_addr(f, 0, 1), "driver_override", "(null)\n");
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 2));
	fake_tree_set_attr(f->t, fx_vf_addr(f, 0, 2), "driver_override", "(null)\n");
	fake_tree_bind(f->t, fx_vf_addr(f, 0, 2), "vvp_vfio_pci");

	vf = fx_vf(f, 0, 0);
	assert_string_equal(vvp_vf_get_driver(vf), "vfio-pci");
	assert_string_equal(vvp_vf_get_driver_override(vf), "vfio-pci");
	assert_true(vvp_vf_is_vfio(vf));
	vf = fx_vf(f, 0, 1);
	assert_null(vvp_vf_get_driver(vf));
	assert_null(vvp_vf_get_driver_override(vf));
	assert_false(vvp_vf_is_vfio(vf));
	assert_int_equal(vvp_vf_in_use(vf), 0);
	vf = fx_vf(f, 0, 2);
	assert_string_equal(vvp_vf_get_driver(vf), "vvp_vfio_pci");
	assert_null(vvp_vf_get_driver_override(vf));
	assert_true(vvp_vf_is_vfio(vf));
}

static void test_is_vfio_names(void **state)
{
	static const struct { const char *name; bool vfio; } cases[] = {
		{ "vfio-pci", true }, { "vvp_vfio_pci", true },
		{ "virtio_vfio_pci", true }, { "mlx5_vfio_pci", true },
		{ "nvme", false }, { "vfio", false }, { "vfio_pci_core", false },
		{ "vfio-pci-x", false }, { "pci", false },
	};
	struct fx *f;

	f = fx_start_vfs(state, 1, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vvp_vf *vf;

		fake_tree_load_driver(f->t, cases[i].name);
		fake_tree_unbind(f->t, fx_vf_addr(f, 0, 0));
		fake_tree_bind(f->t, fx_vf_addr(f, 0, 0), cases[i].name);
		vvp_refresh(f->ctx);
		vf = fx_vf(f, 0, 0);
		assert_string_equal(vvp_vf_get_driver(vf), cases[i].name);
		if (vvp_vf_is_vfio(vf) != cases[i].vfio) {
			print_error("%s: is_vfio should be %d\n", cases[i].name,
				    cases[i].vfio);
			fail();
		}
	}
}

static void test_no_iommu_group(void **state)
{
	struct fake_tree_opts o;
	struct vvp_vf *vf;
	struct fx *f;

	fx_opts_vfs(&o, 2, NULL);
	o.no_iommu = true;
	f = fx_start(state, &o);
	vvp_vf_foreach(fx_pf(f, 0), vf)
		assert_int_equal(vvp_vf_get_iommu_group(vf), -1);
	/* a vfio VF without a group cannot be held open */
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 0));
	fake_tree_bind(f->t, fx_vf_addr(f, 0, 0), "vfio-pci");
	vvp_refresh(f->ctx);
	assert_int_equal(vvp_vf_in_use(fx_vf(f, 0, 0)), 0);
}

static void test_in_use(void **state)
{
	struct vvp_vf *vf0, *vf1;
	struct fx *f;

	f = fx_start_vfs(state, 2, "vfio-pci");
	/* another group is held, and non-VFIO files are open everywhere */
	assert_int_equal(fake_tree_hold_group(f->t, 300, 999), 0);
	assert_int_equal(fake_tree_hold_group(f->t, 1234,
					      fake_tree_vf_group(f->t, 0, 1)), 0);
	vf0 = fx_vf(f, 0, 0);
	vf1 = fx_vf(f, 0, 1);
	assert_int_equal(vvp_vf_in_use(vf0), 0);
	assert_int_equal(vvp_vf_in_use(vf1), 1);
	/* a listing reuses its snapshot; a refresh takes a new one */
	fake_tree_release_pid(f->t, 1234);
	vvp_refresh(f->ctx);
	assert_int_equal(vvp_vf_in_use(fx_vf(f, 0, 1)), 0);
	/* a VF not on vfio is never "in use", whatever is open */
	fake_tree_hold_group(f->t, 55, fake_tree_vf_group(f->t, 0, 0));
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 0));
	fake_tree_bind(f->t, fx_vf_addr(f, 0, 0), "nvme");
	vvp_refresh(f->ctx);
	assert_int_equal(vvp_vf_in_use(fx_vf(f, 0, 0)), 0);
}

static void test_in_use_no_proc(void **state)
{
	char missing[PATH_MAX];
	struct fx *f;

	f = fx_start_vfs(state, 1, "vfio-pci");
	snprintf(missing, sizeof(missing), "%s/nope", fake_tree_proc(f->t));
	vvp_set_proc_root(f->ctx, missing);
	/* cannot be told: a negative errno, not "free" */
	assert_int_equal(vvp_vf_in_use(fx_vf(f, 0, 0)), -ENOENT);
}

static void test_find(void **state)
{
	struct vvp_vf *vf = NULL;
	struct fx *f;

	f = fx_start_pfs(state, 2, 8, 3);
	assert_int_equal(vvp_vf_find(f->ctx, "0000:02:00.3", &vf), 0);
	assert_int_equal(vvp_vf_get_index(vf), 2);
	assert_string_equal(vvp_pf_get_address(vvp_vf_get_pf(vf)), "0000:02:00.0");
	/* the same object as the PF's list holds */
	assert_ptr_equal(vf, vvp_vf_get_next(vvp_vf_get_next(vvp_vf_get_first(fx_pf(f, 1)))));
	assert_int_equal(vvp_vf_find(f->ctx, "02:00.3", &vf), 0);
	assert_string_equal(vvp_vf_get_address(vf), "0000:02:00.3");

	assert_int_equal(vvp_vf_find(f->ctx, "2:0.3.1", &vf), -EINVAL);
	assert_msg(f->ctx, "'2:0.3.1' is not a PCI address");
	assert_int_equal(vvp_vf_find(f->ctx, "0000:02:00.5", &vf), -ENODEV);
	assert_msg(f->ctx, "0000:02:00.5 not found", strerror(ENODEV));
	assert_int_equal(vvp_vf_find(f->ctx, "0000:02:00.0", &vf), -EOPNOTSUPP);
	assert_msg(f->ctx, "0000:02:00.0 is not a VF", "no physfn");
	assert_int_equal(vvp_vf_find(f->ctx, "0000:00:1f.0", &vf), -EOPNOTSUPP);
	assert_msg(f->ctx, "0000:00:1f.0 is not a VF");
	assert_string_equal(fx_writes(f), "");
}

/*
 * vvp_vf_find() reads that VF alone, not every VF of its PF (the udev
 * rule's helper runs once per VF: 127 VFs read 127 times over): the
 * others are read when they are listed, and the found one is in the list.
 */
static void test_find_reads_one(void **state)
{
	struct fx *f = fx_start_pfs(state, 1, 16, 12);
	struct vvp_vf *vf, *found = NULL;
	int n = 0;

	assert_int_equal(vvp_vf_find(f->ctx, fx_vf_addr(f, 0, 5), &found), 0);
	assert_int_equal(vvp_vf_get_index(found), 5);
	/* after the find: a find that read them all has VF 7 stale */
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 7));
	vvp_vf_foreach(fx_pf(f, 0), vf) {
		assert_int_equal(vvp_vf_get_index(vf), n);
		assert_string_equal(vvp_vf_get_address(vf), fx_vf_addr(f, 0, n));
		if (n == 5)
			assert_ptr_equal(vf, found);
		if (n == 7)
			assert_null(vvp_vf_get_driver(vf));
		else
			assert_string_equal(vvp_vf_get_driver(vf), "nvme");
		n++;
	}
	assert_int_equal(n, 12);
	/* listed once, found again: the same object */
	assert_int_equal(vvp_vf_find(f->ctx, fx_vf_addr(f, 0, 5), &vf), 0);
	assert_ptr_equal(vf, found);
	assert_string_equal(fx_writes(f), "");
}

/*
 * Found where sriov_offset and sriov_stride put it, or, when they are
 * wrong (a device that changes them with the count) or unreadable, by
 * its virtfn link.
 */
static void test_find_layout(void **state)
{
	static const char *const layouts[][2] = {
		{ "1\n", "1\n" }, { "3\n", "1\n" }, { "1\n", "2\n" },
		{ "1\n", "0\n" }, { "garbage\n", "1\n" }, { "1\n", "" },
	};
	struct fx *f = fx_start_pfs(state, 1, 16, 12);
	const char *pf = fake_tree_pf_address(f->t, 0);
	struct vvp_vf *vf;

	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
		fake_tree_set_attr(f->t, pf, "sriov_offset", layouts[i][0]);
		fake_tree_set_attr(f->t, pf, "sriov_stride", layouts[i][1]);
		for (int n = 0; n < 12; n += 11) {
			vvp_refresh(f->ctx);
			assert_int_equal(vvp_vf_find(f->ctx, fx_vf_addr(f, 0, n),
						     &vf), 0);
			assert_int_equal(vvp_vf_get_index(vf), n);
			assert_string_equal(vvp_vf_get_address(vf),
					    fx_vf_addr(f, 0, n));
		}
	}
}

static void test_find_stale(void **state)
{
	struct vvp_vf *vf;
	struct fx *f;

	f = fx_start_vfs(state, 3, NULL);
	/* sysfs has the VF, sriov_numvfs already says it is gone */
	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_numvfs", "2\n");
	assert_int_equal(vvp_vf_find(f->ctx, "0000:01:00.3", &vf), -ENODEV);
	assert_msg(f->ctx, "0000:01:00.3 is not among the VFs of 0000:01:00.0",
		   "going away");
}

/*
 * vvp_pci_lookup(): one call says what an address is, so that a program
 * taking "a PF or a VF" (vvpctl show) or "VFs" (vvpctl bind) needs no
 * second lookup, and no reading of messages, to tell the user.
 */
static void test_pci_lookup(void **state)
{
	struct vvp_pf *pf = NULL;
	struct vvp_vf *vf = NULL;
	struct fx *f;

	f = fx_start_pfs(state, 2, 8, 3);

	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:02:00.0", &pf, &vf),
			 VVP_PCI_PF);
	assert_ptr_equal(pf, fx_pf(f, 1));
	assert_null(vf);
	assert_string_equal(vvp_get_last_error(f->ctx), "");

	/* a VF, by its short form: the VF, and its PF with it */
	assert_int_equal(vvp_pci_lookup(f->ctx, "02:00.3", &pf, &vf), VVP_PCI_VF);
	assert_ptr_equal(vf, fx_vf(f, 1, 2));
	assert_ptr_equal(pf, fx_pf(f, 1));
	/* either object may be left out */
	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:01:00.1", NULL, &vf),
			 VVP_PCI_VF);
	assert_ptr_equal(vf, fx_vf(f, 0, 0));
	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:01:00.0", NULL, NULL),
			 VVP_PCI_PF);

	/* neither: a device without SR-IOV, a bridge */
	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:00:1f.0", &pf, &vf),
			 -EOPNOTSUPP);
	assert_null(pf);
	assert_null(vf);
	assert_msg(f->ctx, "0000:00:1f.0 is not a VF or a PF", "no physfn",
		   "no sriov_totalvfs");
	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:00:01.0", &pf, &vf),
			 -EOPNOTSUPP);
	/* absent, malformed */
	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:02:00.5", &pf, &vf),
			 -ENODEV);
	assert_msg(f->ctx, "PCI device 0000:02:00.5 not found");
	assert_int_equal(vvp_pci_lookup(f->ctx, "02:00", &pf, &vf), -EINVAL);
	assert_msg(f->ctx, "'02:00' is not a PCI address");
	assert_int_equal(vvp_pci_lookup(f->ctx, NULL, &pf, &vf), -EINVAL);
	/* a VF its PF no longer counts is going away: absent */
	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_numvfs", "2\n");
	vvp_refresh(f->ctx);
	assert_int_equal(vvp_pci_lookup(f->ctx, "0000:01:00.3", &pf, &vf),
			 -ENODEV);
	assert_msg(f->ctx, "0000:01:00.3 is not among the VFs of 0000:01:00.0");
	assert_null(pf);
	assert_null(vf);
	assert_string_equal(fx_writes(f), "");
}

static void test_vf_with_garbage_ids(void **state)
{
	struct vvp_vf *vf;
	struct fx *f;
	int n = 0;

	f = fx_start_vfs(state, 3, NULL);
	fake_tree_set_attr(f->t, fx_vf_addr(f, 0, 1), "vendor", "garbage\n");
	/* IDs are read on first use: an unreadable one is 0, the VF stays */
	vvp_vf_foreach(fx_pf(f, 0), vf) {
		if (vvp_vf_get_index(vf) == 1)
			assert_int_equal(vvp_vf_get_vendor_id(vf), 0);
		else
			assert_int_equal(vvp_vf_get_vendor_id(vf), 0x1b36);
		n++;
	}
	assert_int_equal(n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_iterate),
		FX_TEST(test_no_vfs),
		FX_TEST(test_states),
		FX_TEST(test_is_vfio_names),
		FX_TEST(test_no_iommu_group),
		FX_TEST(test_in_use),
		FX_TEST(test_in_use_no_proc),
		FX_TEST(test_find),
		FX_TEST(test_find_reads_one),
		FX_TEST(test_find_layout),
		FX_TEST(test_find_stale),
		FX_TEST(test_pci_lookup),
		FX_TEST(test_vf_with_garbage_ids),
	};

	return cmocka_run_group_tests_name("vf", tests, NULL, NULL);
}
