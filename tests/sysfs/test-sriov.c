// SPDX-License-Identifier: GPL-2.0-or-later
/* vvp_pf_set_num_vfs() and vvp_pf_wait_vfs() against the kernel model */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define PF "0000:01:00.0/"
/* what the kernel sees when 4 VFs become 2: autoprobe off, through 0 */
#define FOUR_TO_TWO							\
	PF "sriov_drivers_autoprobe 0\n"					\
	PF "sriov_numvfs 0\n"						\
	PF "sriov_numvfs 2\n"						\
	PF "sriov_drivers_autoprobe 1\n"

/* every VF 0..n-1 present, with this driver (NULL: none) and override */
static void assert_vfs(struct fx *f, int n, const char *driver,
		       const char *override)
{
	char buf[256];

	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_numvfs"), n);
	for (int i = 0; i < n; i++) {
		const char *a = fx_vf_addr(f, 0, i);

		assert_true(fake_tree_device_exists(f->t, a));
		if (fake_tree_driver(f->t, a, buf, sizeof(buf)) < 0)
			buf[0] = '\0';
		assert_string_equal(buf, driver ? driver : "");
		fake_tree_override(f->t, a, buf, sizeof(buf));
		assert_string_equal(buf, override ? override : "");
	}
	assert_false(fake_tree_device_exists(f->t, fx_vf_addr(f, 0, n)));
}

static void test_enable(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);
	struct vvp_vf *vf;
	int n = 0;

	assert_int_equal(vvp_pf_set_num_vfs(pf, 4, 0), 0);
	assert_string_equal(vvp_get_last_error(f->ctx), "");
	/* autoprobe off while they appear: they come up unbound */
	assert_string_equal(fx_writes(f),
		PF "sriov_drivers_autoprobe 0\n"
		PF "sriov_numvfs 4\n"
		PF "sriov_drivers_autoprobe 1\n");
	assert_vfs(f, 4, NULL, NULL);
	assert_int_equal(vvp_pf_get_num_vfs(pf), 4);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
	/* the cached list was dropped: the new VFs are listed */
	vvp_vf_foreach(pf, vf) {
		assert_int_equal(vvp_vf_get_index(vf), n++);
		assert_null(vvp_vf_get_driver(vf));
	}
	assert_int_equal(n, 4);
}

static void test_change_through_zero(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	assert_non_null(vvp_vf_get_first(pf));
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, 0), 0);
	assert_string_equal(fx_writes(f), FOUR_TO_TWO);
	assert_vfs(f, 2, NULL, NULL);
	assert_false(fake_kernel_hung(f->k));
}

static void test_disable(void **state)
{
	struct fx *f = fx_start_vfs(state, 3, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	assert_int_equal(vvp_pf_set_num_vfs(pf, 0, 0), 0);
	assert_string_equal(fx_writes(f),
		PF "sriov_drivers_autoprobe 0\n"
		PF "sriov_numvfs 0\n"
		PF "sriov_drivers_autoprobe 1\n");
	assert_vfs(f, 0, NULL, NULL);
	assert_null(vvp_vf_get_first(pf));
}

static void test_same_count(void **state)
{
	struct fx *f = fx_start_vfs(state, 3, NULL);

	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 3, 0), 0);
	assert_string_equal(fx_writes(f), "");
	assert_vfs(f, 3, "nvme", NULL);
}

static void test_autoprobe_off(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_drivers_autoprobe", "0\n");
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, VVP_NUM_VFS_NO_WAIT), 0);
	/* left alone: nothing to turn off, nothing to put back */
	assert_string_equal(fx_writes(f), PF "sriov_numvfs 2\n");
	assert_int_equal(vvp_pf_get_autoprobe(pf), 0);
}

static void test_too_many(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);

	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 9, 0), -EINVAL);
	assert_msg(f->ctx, "cannot create 9 VFs on 0000:01:00.0",
		   "at most 8", "sriov_totalvfs");
	assert_string_equal(fx_writes(f), "");
	assert_vfs(f, 2, "nvme", NULL);
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 65536, 0), -EINVAL);
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), (unsigned int)-1, 0), -EINVAL);
	assert_string_equal(fx_writes(f), "");
}

static void test_pf_without_driver(void **state)
{
	struct fake_tree_opts o;
	struct fx *f;

	fake_tree_opts_init(&o);
	o.pf_unbound = true;
	f = fx_start(state, &o);
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 2, 0), -ENOENT);
	assert_msg(f->ctx, "cannot set VFs on 0000:01:00.0", "no driver",
		   "needs the PF's driver");
	assert_string_equal(fx_writes(f), "");
	/* the driver check is live, not the cached driver */
	fake_tree_bind(f->t, "0000:01:00.0", "nvme");
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 2, 0), 0);
	fake_tree_unbind(f->t, "0000:01:00.0");
	fx_clear(f);
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 0, 0), -ENOENT);
	assert_string_equal(fx_writes(f), "");
}

static void test_vfio_bound_refused(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, "vfio-pci");
	struct vvp_pf *pf = fx_pf(f, 0);

	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, 0), -EBUSY);
	assert_msg(f->ctx, "cannot change 0000:01:00.0 from 4 to 2 VFs",
		   "bound to vfio-pci", strerror(EBUSY));
	/* what VVP_NUM_VFS_FORCE is for: a program can tell */
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_VFIO_BOUND);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 0, 0), -EBUSY);
	assert_string_equal(fx_writes(f), "");
	assert_vfs(f, 4, "vfio-pci", "vfio-pci");
	/* forced */
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, VVP_NUM_VFS_FORCE), 0);
	assert_string_equal(fx_writes(f), FOUR_TO_TWO);
	assert_vfs(f, 2, NULL, NULL);
}

static void test_vfio_bound_behind_our_back(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	/* listed while on nvme, then someone binds one to vfio-pci */
	assert_non_null(vvp_vf_get_first(pf));
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 3));
	fake_tree_bind(f->t, fx_vf_addr(f, 0, 3), "vfio-pci");
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, 0), -EBUSY);
	assert_msg(f->ctx, fx_vf_addr(f, 0, 3), "bound to vfio-pci");
	assert_string_equal(fx_writes(f), "");
}

static void test_held_open_refused(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, "vfio-pci");
	struct vvp_pf *pf = fx_pf(f, 0);
	char group[32];

	assert_int_equal(fake_tree_hold_group(f->t, 4321,
					      fake_tree_vf_group(f->t, 0, 2)), 0);
	snprintf(group, sizeof(group), "/dev/vfio/%d", fake_tree_vf_group(f->t, 0, 2));
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, VVP_NUM_VFS_FORCE), -EBUSY);
	assert_msg(f->ctx, "cannot change 0000:01:00.0 from 4 to 2 VFs",
		   fx_vf_addr(f, 0, 2), "process 4321", group);
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_IN_USE);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 0, VVP_NUM_VFS_FORCE), -EBUSY);
	/* held open is the reason with or without force: force cannot help */
	assert_int_equal(vvp_pf_set_num_vfs(pf, 0, 0), -EBUSY);
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_IN_USE);
	assert_string_equal(fx_writes(f), "");
	assert_false(fake_kernel_hung(f->k));
	/* let go: now it may */
	fake_tree_release_pid(f->t, 4321);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 0, VVP_NUM_VFS_FORCE), 0);
	assert_false(fake_kernel_hung(f->k));
}

static void test_held_open_other_pf(void **state)
{
	struct fake_tree_opts o;
	struct fx *f;

	fake_tree_opts_init(&o);
	o.num_pfs = 2;
	o.initial_vfs = 2;
	o.vf_driver = "vfio-pci";
	f = fx_start(state, &o);
	/* PF 1's VF is held: PF 0 may change */
	fake_tree_hold_group(f->t, 99, fake_tree_vf_group(f->t, 1, 0));
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 0, VVP_NUM_VFS_FORCE), 0);
	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 1), 0, VVP_NUM_VFS_FORCE), -EBUSY);
}

/* creating fails (0 -> 4): the kernel's errno, autoprobe put back */
static void create_fails(void **state, int err)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);
	char log[512];

	fake_kernel_fail(f->k, "sriov_numvfs", NULL, err, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 4, 0), err);
	assert_msg(f->ctx, "cannot create 4 VFs on 0000:01:00.0",
		   "writing sriov_numvfs", strerror(-err));
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_NONE);
	snprintf(log, sizeof(log),
		 PF "sriov_drivers_autoprobe 0\n"
		 PF "sriov_numvfs 4 -> %s\n"
		 PF "sriov_drivers_autoprobe 1\n",
		 err == -EBUSY ? "EBUSY" : err == -ENOMEM ? "ENOMEM" :
		 err == -EINVAL ? "EINVAL" : "EACCES");
	assert_string_equal(fx_writes(f), log);
	assert_vfs(f, 0, NULL, NULL);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
}

static void test_create_ebusy(void **state)
{
	create_fails(state, -EBUSY);
}

static void test_create_enomem(void **state)
{
	create_fails(state, -ENOMEM);
}

static void test_create_einval(void **state)
{
	create_fails(state, -EINVAL);
}

static void test_create_eacces(void **state)
{
	create_fails(state, -EACCES);
}

/* 4 -> 2 fails at "2": the 4 VFs come back, on the drivers they had */
static void test_change_fails_restores(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);
	const char *log;

	/* VF 1 was unbound before: it stays so */
	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 1));
	fake_kernel_fail(f->k, "sriov_numvfs", "2", -ENOMEM, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, 0), -ENOMEM);
	/* the message is the failure's, not the rollback's */
	assert_msg(f->ctx, "cannot create 2 VFs on 0000:01:00.0",
		   "writing sriov_numvfs", strerror(ENOMEM));
	log = fx_writes(f);
	/* back to 4 with autoprobe still off, each driver put back with
	 * its bind file (no override churn, no probe), autoprobe on last */
	assert_string_equal(log,
		PF "sriov_drivers_autoprobe 0\n"
		PF "sriov_numvfs 0\n"
		PF "sriov_numvfs 2 -> ENOMEM\n"
		PF "sriov_numvfs 0\n"
		PF "sriov_numvfs 4\n"
		"drivers/nvme/bind 0000:01:00.1\n"
		"drivers/nvme/bind 0000:01:00.3\n"
		"drivers/nvme/bind 0000:01:00.4\n"
		PF "sriov_drivers_autoprobe 1\n");
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_numvfs"), 4);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
	for (int i = 0; i < 4; i++) {
		char drv[64], ovr[64];
		const char *a = fx_vf_addr(f, 0, i);

		if (fake_tree_driver(f->t, a, drv, sizeof(drv)) < 0)
			drv[0] = '\0';
		fake_tree_override(f->t, a, ovr, sizeof(ovr));
		assert_string_equal(drv, i == 1 ? "" : "nvme");
		/* nothing left behind that was not there before */
		assert_string_equal(ovr, "");
	}
}

static void test_change_fails_restores_vfio(void **state)
{
	struct fx *f = fx_start_vfs(state, 3, "vfio-pci");
	struct vvp_pf *pf = fx_pf(f, 0);

	fake_kernel_fail(f->k, "sriov_numvfs", "1", -EBUSY, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 1, VVP_NUM_VFS_FORCE), -EBUSY);
	assert_msg(f->ctx, "cannot create 1 VFs on 0000:01:00.0", strerror(EBUSY));
	assert_vfs(f, 3, "vfio-pci", "vfio-pci");
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
}

static void test_restore_fails(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	fake_kernel_fail(f->k, "sriov_numvfs", "2", -ENOMEM, 1);
	fake_kernel_fail(f->k, "sriov_numvfs", "4", -ENOMEM, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, 0), -ENOMEM);
	assert_msg(f->ctx, "cannot create 2 VFs on 0000:01:00.0");
	assert_non_null(strstr(f->log, "could not restore 4 VFs"));
	assert_int_equal(vvp_pf_get_num_vfs(pf), 0);
	assert_int_equal(vvp_pf_get_autoprobe(pf), 1);
}

static void test_remove_fails(void **state)
{
	struct fx *f = fx_start_vfs(state, 4, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	fake_kernel_fail(f->k, "sriov_numvfs", "0", -EBUSY, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 2, 0), -EBUSY);
	assert_msg(f->ctx, "cannot remove the 4 VFs of 0000:01:00.0",
		   "writing 0 to sriov_numvfs", strerror(EBUSY));
	/* the kernel's -EBUSY: neither of the library's own refusals */
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_NONE);
	assert_string_equal(fx_writes(f),
		PF "sriov_drivers_autoprobe 0\n"
		PF "sriov_numvfs 0 -> EBUSY\n"
		PF "sriov_drivers_autoprobe 1\n");
	assert_vfs(f, 4, "nvme", NULL);
}

static void test_autoprobe_write_fails(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	fake_kernel_fail(f->k, "sriov_drivers_autoprobe", NULL, -EACCES, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 4, 0), -EACCES);
	assert_msg(f->ctx, "sriov_drivers_autoprobe", strerror(EACCES));
	assert_string_equal(fx_writes(f),
		PF "sriov_drivers_autoprobe 0 -> EACCES\n");
	assert_vfs(f, 0, NULL, NULL);
}

static void test_autoprobe_restore_fails(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);

	fake_kernel_fail(f->k, "sriov_drivers_autoprobe", "1", -EIO, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 4, 0), -EIO);
	assert_msg(f->ctx, "cannot set sriov_drivers_autoprobe of 0000:01:00.0");
	assert_vfs(f, 4, NULL, NULL);
}

static void test_scale_1024(void **state)
{
	struct fx *f = fx_start_pfs(state, 1, 1024, 0);
	struct vvp_pf *pf = fx_pf(f, 0);
	struct timespec a, b;
	struct vvp_vf *vf;
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 1024, 0), 0);
	vvp_vf_foreach(pf, vf) {
		assert_int_equal(vvp_vf_get_index(vf), n);
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	print_message("0 -> 1024 VFs and a listing: %.0f ms\n",
		      (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
	assert_int_equal(n, 1024);
	assert_string_equal(vvp_vf_get_address(fx_vf(f, 0, 1023)), "0000:05:00.0");
	assert_int_equal(vvp_pf_set_num_vfs(pf, 1025, 0), -EINVAL);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 0, 0), 0);
	assert_null(vvp_vf_get_first(pf));
}

static void test_wait(void **state)
{
	struct fx *f = fx_start_vfs(state, 3, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);
	struct timespec a, b;

	/* present: done at once, whatever the timeout; udev not asked */
	assert_int_equal(vvp_pf_wait_vfs(pf, 3, 0), 0);
	assert_int_equal(vvp_pf_wait_vfs(pf, 2, -1), 0);
	assert_int_equal(vvp_pf_wait_vfs(pf, 0, 0), 0);
	assert_string_equal(vvp_get_last_error(f->ctx), "");
	/* more than there are: a failure, and no hang */
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_true(vvp_pf_wait_vfs(pf, 5, 200) < 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 2);
	assert_msg(f->ctx, "0000:01:00.0", "virtfn3");
	assert_string_equal(fx_writes(f), "");
}

/* an unbound VF's override comes back too after a failed change */
static void test_change_fails_restores_override(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	struct vvp_pf *pf = fx_pf(f, 0);
	char ovr[64];

	fake_tree_unbind(f->t, fx_vf_addr(f, 0, 0));
	fake_tree_set_attr(f->t, fx_vf_addr(f, 0, 0), "driver_override",
			   "vfio-pci\n");
	fake_kernel_fail(f->k, "sriov_numvfs", "4", -ENOMEM, 1);
	assert_int_equal(vvp_pf_set_num_vfs(pf, 4, 0), -ENOMEM);
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_numvfs"), 2);
	fake_tree_override(f->t, fx_vf_addr(f, 0, 0), ovr, sizeof(ovr));
	assert_string_equal(ovr, "vfio-pci");
}

/* --no-wait returns at once when the count is already right */
static void test_same_count_no_wait(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);

	assert_int_equal(vvp_pf_set_num_vfs(fx_pf(f, 0), 2, VVP_NUM_VFS_NO_WAIT), 0);
	assert_string_equal(fx_writes(f), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_enable),
		FX_TEST(test_change_through_zero),
		FX_TEST(test_disable),
		FX_TEST(test_same_count),
		FX_TEST(test_autoprobe_off),
		FX_TEST(test_too_many),
		FX_TEST(test_pf_without_driver),
		FX_TEST(test_vfio_bound_refused),
		FX_TEST(test_vfio_bound_behind_our_back),
		FX_TEST(test_held_open_refused),
		FX_TEST(test_held_open_other_pf),
		FX_TEST(test_create_ebusy),
		FX_TEST(test_create_enomem),
		FX_TEST(test_create_einval),
		FX_TEST(test_create_eacces),
		FX_TEST(test_change_fails_restores),
		FX_TEST(test_change_fails_restores_override),
		FX_TEST(test_same_count_no_wait),
		FX_TEST(test_change_fails_restores_vfio),
		FX_TEST(test_restore_fails),
		FX_TEST(test_remove_fails),
		FX_TEST(test_autoprobe_write_fails),
		FX_TEST(test_autoprobe_restore_fails),
		FX_TEST(test_scale_1024),
		FX_TEST(test_wait),
	};

	return cmocka_run_group_tests_name("sriov", tests, NULL, NULL);
}
