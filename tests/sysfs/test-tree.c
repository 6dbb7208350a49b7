// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generator and the kernel model themselves: the other tests are only
 * as good as the tree looks like sysfs and the model acts like the kernel.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static char *sys_path(struct fx *f, const char *rel)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", fake_tree_sysfs(f->t), rel);
	return buf;
}

static void assert_link(struct fx *f, const char *rel, const char *want_base)
{
	char target[PATH_MAX];
	ssize_t n = readlink(sys_path(f, rel), target, sizeof(target) - 1);
	const char *base;

	if (n < 0) {
		print_error("%s is not a link\n", rel);
		fail();
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	assert_string_equal(base ? base + 1 : target, want_base);
	/* relative, and pointing inside the tree */
	assert_true(target[0] == '.');
	assert_int_equal(access(sys_path(f, rel), F_OK), 0);
}

static void test_layout(void **state)
{
	struct fx *f;
	char rel[PATH_MAX], real[PATH_MAX], buf[64];
	struct stat st;

	f = fx_start_pfs(state, 2, 8, 2);

	assert_string_equal(fake_tree_pf_address(f->t, 0), "0000:01:00.0");
	assert_string_equal(fake_tree_pf_address(f->t, 1), "0000:02:00.0");
	assert_string_equal(fx_vf_addr(f, 0, 0), "0000:01:00.1");
	assert_string_equal(fx_vf_addr(f, 0, 7), "0000:01:01.0");
	/* bus/pci/devices/X is a link into devices/, like sysfs */
	assert_int_equal(lstat(sys_path(f, "bus/pci/devices/0000:01:00.0"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_non_null(realpath(sys_path(f, "bus/pci/devices/0000:01:00.1"), real));
	snprintf(rel, sizeof(rel), "%s/devices/pci0000:00/0000:00:01.0/0000:01:00.1",
		 fake_tree_sysfs(f->t));
	assert_string_equal(real, rel);

	assert_int_equal(fake_tree_get_attr(f->t, "0000:01:00.0", "vendor", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0x1b36");
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_totalvfs"), 8);
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_numvfs"), 2);
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_drivers_autoprobe"), 1);
	assert_int_equal(fake_tree_get_attr(f->t, "0000:01:00.1", "driver_override", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "(null)");
	assert_int_equal(access(sys_path(f, "bus/pci/devices/0000:01:00.1/sriov_totalvfs"), F_OK), -1);
	assert_int_equal(access(sys_path(f, "bus/pci/devices/0000:00:1f.0/sriov_totalvfs"), F_OK), -1);

	assert_link(f, "bus/pci/devices/0000:01:00.0/driver", "nvme");
	assert_link(f, "bus/pci/devices/0000:01:00.1/driver", "nvme");
	assert_link(f, "bus/pci/drivers/nvme/0000:01:00.1", "0000:01:00.1");
	assert_link(f, "bus/pci/devices/0000:00:01.0/driver", "pcieport");
	assert_link(f, "bus/pci/devices/0000:01:00.0/virtfn1", "0000:01:00.2");
	assert_link(f, "bus/pci/devices/0000:01:00.2/physfn", "0000:01:00.0");
	snprintf(buf, sizeof(buf), "%d", fake_tree_vf_group(f->t, 0, 1));
	assert_link(f, "bus/pci/devices/0000:01:00.2/iommu_group", buf);
	snprintf(rel, sizeof(rel), "kernel/iommu_groups/%s/devices/0000:01:00.2", buf);
	assert_link(f, rel, "0000:01:00.2");
	assert_int_equal(access(sys_path(f, "bus/pci/devices/0000:01:00.0/virtfn2"), F_OK), -1);
	assert_int_equal(access(sys_path(f, "bus/pci/drivers/vfio-pci/bind"), F_OK), 0);
	assert_int_equal(access(sys_path(f, "bus/pci/drivers/vfio-pci/unbind"), F_OK), 0);
	assert_int_equal(access(sys_path(f, "bus/pci/drivers_probe"), F_OK), 0);
	assert_int_equal(access(sys_path(f, "bus/pci/drivers/vvp_vfio_pci"), F_OK), -1);
	/* groups are distinct */
	assert_int_not_equal(fake_tree_group(f->t, "0000:01:00.1"),
			     fake_tree_group(f->t, "0000:02:00.1"));
}

static void test_scale(void **state)
{
	struct fake_tree_opts o;
	struct timespec a, b;
	struct fx *f;
	char rel[64];
	double ms;

	fake_tree_opts_init(&o);
	o.total_vfs = 1024;
	o.initial_vfs = 1024;
	clock_gettime(CLOCK_MONOTONIC, &a);
	f = fx_start(state, &o);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	print_message("1024 VFs generated in %.0f ms\n", ms);
	/* VF 1023 is routing ID 01:00.0 + 1024 = 05:00.0 */
	assert_string_equal(fx_vf_addr(f, 0, 1023), "0000:05:00.0");
	assert_link(f, "bus/pci/devices/0000:01:00.0/virtfn1023", "0000:05:00.0");
	assert_link(f, "bus/pci/devices/0000:05:00.0/physfn", "0000:01:00.0");
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver", fx_vf_addr(f, 0, 511));
	assert_link(f, rel, "nvme");
}

static void test_options(void **state)
{
	struct fake_tree_opts o;
	struct fx *f;
	char buf[64];

	fx_opts_vfs(&o, 3, "vfio-pci");
	o.pf_unbound = true;
	o.no_iommu = true;
	o.non_sriov = false;
	o.drivers[0] = "vfio-pci";
	o.drivers[1] = NULL;
	f = fx_start(state, &o);
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.0", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.2", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vfio-pci");
	fake_tree_override(f->t, "0000:01:00.2", buf, sizeof(buf));
	assert_string_equal(buf, "vfio-pci");
	assert_int_equal(fake_tree_group(f->t, "0000:01:00.2"), -1);
	assert_false(fake_tree_device_exists(f->t, fake_tree_non_sriov_address()));
	assert_false(fake_tree_driver_loaded(f->t, "nvme"));
	assert_null(fake_tree_default_driver(f->t, "0000:01:00.2"));
}

static void test_proc(void **state)
{
	struct fx *f = fx_start(state, NULL);
	char path[PATH_MAX], target[64];
	ssize_t n;

	assert_int_equal(fake_tree_hold_group(f->t, 77, 12), 0);
	assert_true(fake_tree_group_held(f->t, 12));
	assert_false(fake_tree_group_held(f->t, 13));
	snprintf(path, sizeof(path), "%s/77/fd/4", fake_tree_proc(f->t));
	n = readlink(path, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_string_equal(target, "/dev/vfio/12");
	assert_int_equal(fake_tree_release_pid(f->t, 77), 0);
	assert_false(fake_tree_group_held(f->t, 12));
	assert_int_equal(access(path, F_OK), -1);
}

/* write as libvvp would: through the hook, with a full path */
static int kwrite(struct fx *f, const char *rel, const char *value)
{
	return fake_kernel_write(f->ctx, sys_path(f, rel), value, f->k);
}

static void test_kernel_numvfs(void **state)
{
	struct fx *f = fx_start(state, NULL);
	const char *pf = "bus/pci/devices/0000:01:00.0/sriov_numvfs";
	char buf[64];

	assert_int_equal(kwrite(f, pf, "nine"), -EINVAL);
	assert_int_equal(kwrite(f, pf, "9"), -ERANGE);
	assert_int_equal(kwrite(f, pf, "0"), 0);	/* same: nothing */
	assert_int_equal(kwrite(f, pf, "4\n"), 0);
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_numvfs"), 4);
	/* autoprobe was on: the VFs are on their default driver */
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.4", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "nvme");
	assert_int_equal(kwrite(f, pf, "2"), -EBUSY);
	assert_int_equal(kwrite(f, pf, "4"), 0);
	assert_int_equal(kwrite(f, pf, "0"), 0);
	assert_false(fake_tree_device_exists(f->t, "0000:01:00.1"));
	assert_int_equal(access(sys_path(f, "bus/pci/drivers/nvme/0000:01:00.1"), F_OK), -1);
	assert_int_equal(access(sys_path(f, "bus/pci/devices/0000:01:00.0/virtfn0"), F_OK), -1);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", "maybe"), -EINVAL);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", "0"), 0);
	assert_int_equal(kwrite(f, pf, "3"), 0);
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.1", buf, sizeof(buf)), -ENOENT);
	/* no PF driver */
	assert_int_equal(kwrite(f, pf, "0"), 0);
	fake_tree_unbind(f->t, "0000:01:00.0");
	assert_int_equal(kwrite(f, pf, "3"), -ENOENT);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:09:00.0/sriov_numvfs", "1"), -ENOENT);
	assert_string_equal(fx_writes(f),
		"0000:01:00.0/sriov_numvfs nine -> EINVAL\n"
		"0000:01:00.0/sriov_numvfs 9 -> ERANGE\n"
		"0000:01:00.0/sriov_numvfs 0\n"
		"0000:01:00.0/sriov_numvfs 4\\n\n"
		"0000:01:00.0/sriov_numvfs 2 -> EBUSY\n"
		"0000:01:00.0/sriov_numvfs 4\n"
		"0000:01:00.0/sriov_numvfs 0\n"
		"0000:01:00.0/sriov_drivers_autoprobe maybe -> EINVAL\n"
		"0000:01:00.0/sriov_drivers_autoprobe 0\n"
		"0000:01:00.0/sriov_numvfs 3\n"
		"0000:01:00.0/sriov_numvfs 0\n"
		"0000:01:00.0/sriov_numvfs 3 -> ENOENT\n"
		"0000:09:00.0/sriov_numvfs 1 -> ENOENT\n");
}

static void test_kernel_bind(void **state)
{
	struct fx *f;
	char buf[64];

	f = fx_start_vfs(state, 2, NULL);
	/* vfio-pci has no ID table: only an override lets it bind */
	assert_int_equal(kwrite(f, "bus/pci/drivers/nvme/unbind", "0000:01:00.1"), 0);
	assert_int_equal(kwrite(f, "bus/pci/drivers/vfio-pci/bind", "0000:01:00.1"), -ENODEV);
	assert_int_equal(kwrite(f, "bus/pci/drivers/nvme/unbind", "0000:01:00.1"), -ENODEV);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.1/driver_override", "vfio-pci\n"), 0);
	fake_tree_override(f->t, "0000:01:00.1", buf, sizeof(buf));
	assert_string_equal(buf, "vfio-pci");
	/* the override excludes the default driver */
	assert_int_equal(kwrite(f, "bus/pci/drivers/nvme/bind", "0000:01:00.1"), -ENODEV);
	assert_int_equal(kwrite(f, "bus/pci/drivers_probe", "0000:01:00.1"), 0);
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vfio-pci");
	assert_int_equal(kwrite(f, "bus/pci/drivers/vfio-pci/bind", "0000:01:00.1"), -EBUSY);
	/* "\n" clears; a zero-length write does nothing */
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.1/driver_override", ""), 0);
	fake_tree_override(f->t, "0000:01:00.1", buf, sizeof(buf));
	assert_string_equal(buf, "vfio-pci");
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.1/driver_override", "\n"), 0);
	assert_int_equal(fake_tree_get_attr(f->t, "0000:01:00.1", "driver_override", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "(null)");
	/* held open: the kernel would block */
	assert_int_equal(fake_tree_hold_group(f->t, 500, fake_tree_vf_group(f->t, 0, 0)), 0);
	assert_int_equal(kwrite(f, "bus/pci/drivers/vfio-pci/unbind", "0000:01:00.1"), -EDEADLK);
	assert_true(fake_kernel_hung(f->k));
	fake_tree_release_pid(f->t, 500);
	assert_int_equal(kwrite(f, "bus/pci/drivers/vfio-pci/unbind", "0000:01:00.1"), 0);
	/* a failing probe: bind reports it, drivers_probe does not */
	fake_kernel_set_probe_error(f->k, "nvme", -EIO);
	assert_int_equal(kwrite(f, "bus/pci/drivers/nvme/bind", "0000:01:00.1"), -EIO);
	assert_int_equal(kwrite(f, "bus/pci/drivers_probe", "0000:01:00.1"), 0);
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.1", buf, sizeof(buf)), -ENOENT);
	fake_kernel_set_probe_error(f->k, "nvme", 0);
	assert_int_equal(kwrite(f, "bus/pci/drivers_probe", "0000:01:00.1\n"), 0);
	assert_int_equal(fake_tree_driver(f->t, "0000:01:00.1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "nvme");
	assert_int_equal(kwrite(f, "bus/pci/drivers_probe", "0000:0a:00.0"), -ENODEV);
	assert_int_equal(kwrite(f, "bus/pci/drivers/virtio-pci/bind", "0000:01:00.1"), -ENOENT);
	/* vfio needs an IOMMU group */
	fake_tree_remove_group(f->t, "0000:01:00.2");
	assert_int_equal(kwrite(f, "bus/pci/drivers/nvme/unbind", "0000:01:00.2"), 0);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.2/driver_override", "vfio-pci"), 0);
	assert_int_equal(kwrite(f, "bus/pci/drivers/vfio-pci/bind", "0000:01:00.2"), -EINVAL);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.2/vendor", "0x1"), -EACCES);
}

static void test_kernel_faults(void **state)
{
	struct fx *f = fx_start(state, NULL);
	const char *pf = "bus/pci/devices/0000:01:00.0/sriov_numvfs";

	fake_kernel_fail(f->k, "sriov_numvfs", "2", -ENOMEM, 1);
	fake_kernel_fail(f->k, "/driver_override", NULL, -EACCES, 2);
	assert_int_equal(kwrite(f, pf, "1"), 0);
	assert_int_equal(kwrite(f, pf, "0"), 0);
	assert_int_equal(kwrite(f, pf, "2"), -ENOMEM);
	assert_int_equal(fake_tree_get_int(f->t, "0000:01:00.0", "sriov_numvfs"), 0);
	assert_int_equal(kwrite(f, pf, "2"), 0);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.1/driver_override", "x"), -EACCES);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.2/driver_override", "\n"), -EACCES);
	assert_int_equal(kwrite(f, "bus/pci/devices/0000:01:00.2/driver_override", "\n"), 0);
	assert_int_equal(fake_kernel_writes(f->k), 7);
	fx_clear(f);
	assert_string_equal(fx_writes(f), "");
	/* outside the root */
	assert_int_equal(fake_kernel_write(f->ctx, "/sys/bus/pci/drivers_probe", "x", f->k), -ENOENT);
	assert_string_equal(fx_writes(f), "/sys/bus/pci/drivers_probe x -> ENOENT\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_layout),
		FX_TEST(test_scale),
		FX_TEST(test_options),
		FX_TEST(test_proc),
		FX_TEST(test_kernel_numvfs),
		FX_TEST(test_kernel_bind),
		FX_TEST(test_kernel_faults),
	};

	return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
