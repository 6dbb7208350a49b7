// SPDX-License-Identifier: GPL-2.0-or-later
/* vvp_vf_bind() and vvp_vf_unbind() against the kernel model */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* the VF's driver and override in sysfs ("" for none) */
static void assert_vf(struct fx *f, int i, const char *driver,
		      const char *override)
{
	char buf[256];
	const char *a = fx_vf_addr(f, 0, i);

	if (fake_tree_driver(f->t, a, buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	assert_string_equal(buf, driver);
	fake_tree_override(f->t, a, buf, sizeof(buf));
	assert_string_equal(buf, override);
}

/* the library's object says the same: its driver, its override (NULL: none) */
static void assert_object(struct vvp_vf *vf, const char *driver,
			  const char *override)
{
	assert_string_equal(vvp_vf_get_driver(vf), driver);
	if (override)
		assert_string_equal(vvp_vf_get_driver_override(vf), override);
	else
		assert_null(vvp_vf_get_driver_override(vf));
}

static void test_bind(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 1);

	fx_assert_done(f, vvp_vf_bind(vf, "vfio-pci"),
		"0000:01:00.2/driver_override vfio-pci\n"
		"drivers/nvme/unbind 0000:01:00.2\n"
		"drivers_probe 0000:01:00.2\n");
	assert_vf(f, 1, "vfio-pci", "vfio-pci");
	assert_vf(f, 0, "nvme", "");
	/* the object follows */
	assert_object(vf, "vfio-pci", "vfio-pci");
	assert_true(vvp_vf_is_vfio(vf));
}

static void test_bind_unbound(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "");
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	assert_int_equal(vvp_vf_bind(vf, "vfio-pci"), 0);
	/* nothing to unbind */
	assert_string_equal(fx_writes(f),
		"0000:01:00.1/driver_override vfio-pci\n"
		"drivers_probe 0000:01:00.1\n");
	assert_vf(f, 0, "vfio-pci", "vfio-pci");
}

static void test_already_bound(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "vfio-pci");

	assert_int_equal(vvp_vf_bind(fx_vf(f, 0, 0), "vfio-pci"), 0);
	assert_string_equal(fx_writes(f), "");
	/* even when held open: nothing to do is not "busy" */
	fake_tree_hold_group(f->t, 10, fake_tree_vf_group(f->t, 0, 0));
	assert_int_equal(vvp_vf_bind(fx_vf(f, 0, 0), "vfio-pci"), 0);
	assert_string_equal(fx_writes(f), "");
}

static void test_bound_without_override(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	/* on nvme by autoprobe: binding to nvme pins it, no unbind or probe */
	assert_int_equal(vvp_vf_bind(vf, "nvme"), 0);
	assert_string_equal(fx_writes(f),
		"0000:01:00.1/driver_override nvme\n");
	assert_vf(f, 0, "nvme", "nvme");
}

static void test_driver_not_loaded(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	assert_int_equal(vvp_vf_bind(vf, "vvp_vfio_pci"), -ENOENT);
	assert_msg(f->ctx, "cannot bind 0000:01:00.1 to vvp_vfio_pci",
		   "not loaded", "drivers/vvp_vfio_pci");
	assert_string_equal(fx_writes(f), "");
	assert_vf(f, 0, "nvme", "");
}

static void test_bad_driver_name(void **state)
{
	static const char *const bad[] = {
		"", "../nvme", "vfio-pci/bind", "a\nb", ".", "..",
		"0123456789012345678901234567890123456789012345678901234567890123456789",
	};
	struct fx *f = fx_start_vfs(state, 1, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	assert_int_equal(vvp_vf_bind(vf, NULL), -EINVAL);
	assert_msg(f->ctx, "is not a driver name", "/sys/bus/pci/drivers");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(vvp_vf_bind(vf, bad[i]), -EINVAL);
	assert_string_equal(fx_writes(f), "");
}

static void test_probe_fails(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	fake_kernel_set_probe_error(f->k, "vfio-pci", -ENXIO);
	assert_int_equal(vvp_vf_bind(vf, "vfio-pci"), -EIO);
	assert_msg(f->ctx, "vfio-pci did not bind 0000:01:00.1", "stayed unbound");
	/* put back: the override cleared, nvme bound again */
	assert_string_equal(fx_writes(f),
		"0000:01:00.1/driver_override vfio-pci\n"
		"drivers/nvme/unbind 0000:01:00.1\n"
		"drivers_probe 0000:01:00.1\n"
		"0000:01:00.1/driver_override \\n\n"
		"drivers/nvme/bind 0000:01:00.1\n");
	assert_vf(f, 0, "nvme", "");
	assert_object(vf, "nvme", NULL);
}

static void test_probe_fails_restores_override(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "vfio-pci");
	struct vvp_vf *vf;

	fake_tree_load_driver(f->t, "vvp_vfio_pci");
	fake_kernel_set_probe_error(f->k, "vvp_vfio_pci", -EINVAL);
	vf = fx_vf(f, 0, 0);
	assert_int_equal(vvp_vf_bind(vf, "vvp_vfio_pci"), -EIO);
	assert_msg(f->ctx, "vvp_vfio_pci did not bind 0000:01:00.1");
	assert_vf(f, 0, "vfio-pci", "vfio-pci");
}

static void test_probe_binds_another(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "");
	struct vvp_vf *vf;

	/* no IOMMU group: vfio's probe fails. Unbound before, unbound after */
	fake_tree_remove_group(f->t, fx_vf_addr(f, 0, 0));
	vf = fx_vf(f, 0, 0);
	assert_int_equal(vvp_vf_bind(vf, "vfio-pci"), -EIO);
	assert_vf(f, 0, "", "");
}

static void test_in_use(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, "vfio-pci");
	char group[32];

	fake_tree_hold_group(f->t, 777, fake_tree_vf_group(f->t, 0, 1));
	snprintf(group, sizeof(group), "/dev/vfio/%d", fake_tree_vf_group(f->t, 0, 1));
	assert_int_equal(vvp_vf_bind(fx_vf(f, 0, 1), "nvme"), -EBUSY);
	assert_msg(f->ctx, "cannot rebind 0000:01:00.2", "in use", "process 777",
		   group);
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_IN_USE);
	assert_int_equal(vvp_vf_unbind(fx_vf(f, 0, 1)), -EBUSY);
	assert_msg(f->ctx, "cannot unbind 0000:01:00.2", "process 777");
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_IN_USE);
	assert_string_equal(fx_writes(f), "");
	assert_false(fake_kernel_hung(f->k));
	assert_vf(f, 1, "vfio-pci", "vfio-pci");
	/* pinning it to the driver it has does not touch the device */
	assert_int_equal(vvp_vf_bind(fx_vf(f, 0, 1), "vfio-pci"), 0);
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_NONE);
	assert_string_equal(fx_writes(f), "");
	/* the other VF is free */
	assert_int_equal(vvp_vf_unbind(fx_vf(f, 0, 0)), 0);
}

static void test_in_use_detected_fresh(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "vfio-pci");
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	/* listed as free; opened afterwards: the check looks again */
	assert_int_equal(vvp_vf_in_use(vf), 0);
	fake_tree_hold_group(f->t, 778, fake_tree_vf_group(f->t, 0, 0));
	assert_int_equal(vvp_vf_bind(vf, "nvme"), -EBUSY);
	assert_string_equal(fx_writes(f), "");
}

/* the kernel's refusal: its errno, no reason of the library's own */
static void injected(void **state, const char *attr, int err, const char *want)
{
	struct fx *f = fx_start_vfs(state, 1, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	fake_kernel_fail(f->k, attr, NULL, err, 1);
	assert_int_equal(vvp_vf_bind(vf, "vfio-pci"), err);
	assert_msg(f->ctx, want, strerror(-err));
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_NONE);
	/* whatever happened, the VF is back on nvme without override */
	assert_vf(f, 0, "nvme", "");
	assert_false(fake_kernel_hung(f->k));
}

static void test_override_eacces(void **state)
{
	injected(state, "driver_override", -EACCES,
		 "cannot set driver_override of 0000:01:00.1 to vfio-pci");
}

static void test_override_eperm(void **state)
{
	injected(state, "driver_override", -EPERM, "driver_override");
}

static void test_unbind_fails(void **state)
{
	injected(state, "nvme/unbind", -EIO,
		 "cannot unbind 0000:01:00.1 from nvme");
}

static void test_probe_write_fails(void **state)
{
	injected(state, "drivers_probe", -ENODEV,
		 "cannot probe 0000:01:00.1 for vfio-pci");
}

static void test_unbind(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, "vfio-pci");
	struct vvp_vf *vf = fx_vf(f, 0, 1);

	/* override cleared, unbound, and the default driver probed */
	fx_assert_done(f, vvp_vf_unbind(vf),
		"0000:01:00.2/driver_override \\n\n"
		"drivers/vfio-pci/unbind 0000:01:00.2\n"
		"drivers_probe 0000:01:00.2\n");
	assert_vf(f, 1, "nvme", "");
	assert_vf(f, 0, "vfio-pci", "vfio-pci");
	assert_object(vf, "nvme", NULL);
}

static void test_unbind_default_probe_fails(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "vfio-pci");
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	/* the default driver's probe failing is not unbind's failure */
	fake_kernel_set_probe_error(f->k, "nvme", -ENOMEM);
	assert_int_equal(vvp_vf_unbind(vf), 0);
	assert_vf(f, 0, "", "");
	assert_null(vvp_vf_get_driver(vf));
}

static void test_unbind_unbound(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "");

	/* nothing to clear or unbind: a probe only */
	assert_int_equal(vvp_vf_unbind(fx_vf(f, 0, 0)), 0);
	assert_string_equal(fx_writes(f), "drivers_probe 0000:01:00.1\n");
	assert_vf(f, 0, "nvme", "");
}

static void test_unbind_errors(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "vfio-pci");
	struct vvp_vf *vf = fx_vf(f, 0, 0);

	fake_kernel_fail(f->k, "driver_override", NULL, -EACCES, 1);
	assert_int_equal(vvp_vf_unbind(vf), -EACCES);
	assert_msg(f->ctx, "cannot clear driver_override of 0000:01:00.1",
		   strerror(EACCES));
	assert_vf(f, 0, "vfio-pci", "vfio-pci");

	fake_kernel_fail(f->k, "vfio-pci/unbind", NULL, -EIO, 1);
	assert_int_equal(vvp_vf_unbind(vf), -EIO);
	assert_msg(f->ctx, "cannot unbind 0000:01:00.1 from vfio-pci",
		   strerror(EIO));
	/* the override is put back */
	assert_vf(f, 0, "vfio-pci", "vfio-pci");

	fake_kernel_fail(f->k, "drivers_probe", NULL, -EACCES, 1);
	assert_int_equal(vvp_vf_unbind(vf), -EACCES);
	assert_msg(f->ctx, "cannot reprobe 0000:01:00.1", strerror(EACCES));
	/* a failed unbind puts back what it changed */
	assert_vf(f, 0, "vfio-pci", "vfio-pci");
}

/* held through the VFIO device cdev (iommufd users), not the group */
static void test_in_use_cdev(void **state)
{
	struct fx *f = fx_start_vfs(state, 1, "vfio-pci");
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev",
		 fake_tree_sysfs(f->t), fx_vf_addr(f, 0, 0));
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/vfio3");
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/77", fake_tree_proc(f->t));
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/fd");
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/9");
	assert_int_equal(symlink("/dev/vfio/devices/vfio3", path), 0);

	assert_int_equal(vvp_vf_unbind(fx_vf(f, 0, 0)), -EBUSY);
	assert_msg(f->ctx, "cannot unbind 0000:01:00.1", "process 77",
		   "/dev/vfio/devices/vfio3");
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_IN_USE);
	assert_int_equal(vvp_vf_in_use(fx_vf(f, 0, 0)), 1);
	assert_string_equal(fx_writes(f), "");
}

/* vvp_vf_restore(): an exact state, no probe of anything else */
static void test_restore(void **state)
{
	struct fx *f = fx_start_vfs(state, 3, "vfio-pci");
	char group[32];

	/* back to unbound, no override: no drivers_probe */
	assert_int_equal(vvp_vf_restore(fx_vf(f, 0, 0), NULL, NULL), 0);
	assert_string_equal(fx_writes(f),
		"drivers/vfio-pci/unbind 0000:01:00.1\n"
		"0000:01:00.1/driver_override \\n\n");
	assert_vf(f, 0, "", "");
	fx_clear(f);

	/* back to nvme with no override: through nvme's bind file */
	assert_int_equal(vvp_vf_restore(fx_vf(f, 0, 1), "nvme", NULL), 0);
	assert_string_equal(fx_writes(f),
		"drivers/vfio-pci/unbind 0000:01:00.2\n"
		"0000:01:00.2/driver_override \\n\n"
		"drivers/nvme/bind 0000:01:00.2\n");
	assert_vf(f, 1, "nvme", "");

	/* unbound with an override left, as "vvpctl unbind" had found it */
	assert_int_equal(vvp_vf_restore(fx_vf(f, 0, 1), NULL, "vfio-pci"), 0);
	assert_vf(f, 1, "", "vfio-pci");

	/* a VF in use does not change driver */
	fx_clear(f);
	fake_tree_hold_group(f->t, 42, fake_tree_vf_group(f->t, 0, 2));
	snprintf(group, sizeof(group), "/dev/vfio/%d", fake_tree_vf_group(f->t, 0, 2));
	assert_int_equal(vvp_vf_restore(fx_vf(f, 0, 2), NULL, NULL), -EBUSY);
	assert_msg(f->ctx, "cannot rebind 0000:01:00.3", "process 42", group);
	assert_int_equal(vvp_get_last_reason(f->ctx), VVP_REASON_IN_USE);
	assert_vf(f, 2, "vfio-pci", "vfio-pci");
	assert_false(fake_kernel_hung(f->k));

	/* a bad name is refused before anything is written */
	assert_int_equal(vvp_vf_restore(fx_vf(f, 0, 0), "../nvme", NULL), -EINVAL);
	assert_string_equal(fx_writes(f), "");
}

static void test_vf_gone(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);
	struct vvp_vf *vf = fx_vf(f, 0, 1);

	/* removed behind our back */
	fake_tree_remove_vf(f->t, 0, 1);
	assert_true(vvp_vf_bind(vf, "vfio-pci") < 0);
	assert_false(fake_kernel_hung(f->k));
	assert_true(vvp_vf_unbind(vf) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_bind),
		FX_TEST(test_bind_unbound),
		FX_TEST(test_already_bound),
		FX_TEST(test_bound_without_override),
		FX_TEST(test_driver_not_loaded),
		FX_TEST(test_bad_driver_name),
		FX_TEST(test_probe_fails),
		FX_TEST(test_probe_fails_restores_override),
		FX_TEST(test_probe_binds_another),
		FX_TEST(test_in_use),
		FX_TEST(test_in_use_detected_fresh),
		FX_TEST(test_override_eacces),
		FX_TEST(test_override_eperm),
		FX_TEST(test_unbind_fails),
		FX_TEST(test_probe_write_fails),
		FX_TEST(test_unbind),
		FX_TEST(test_unbind_default_probe_fails),
		FX_TEST(test_unbind_unbound),
		FX_TEST(test_unbind_errors),
		FX_TEST(test_in_use_cdev),
		FX_TEST(test_restore),
		FX_TEST(test_vf_gone),
	};

	return cmocka_run_group_tests_name("bind", tests, NULL, NULL);
}
