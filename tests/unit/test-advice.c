// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli/advice.c: vvpctl's one table from a failure to what the user should
 * do. libvvp says what failed and why; which advice a failure gets depends
 * on what was asked, the errno, and libvvp's reason where one errno has
 * several causes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "advice.h"

static void assert_advice(enum op op, int err, enum vvp_reason reason,
			  const char *subject, const char *want)
{
	char buf[256];

	advice(buf, sizeof(buf), op, err, reason, subject);
	assert_string_equal(buf, want);
}

/* -EBUSY from enable/disable: held open, on vfio, or the kernel's own */
static void test_busy_by_reason(void **state)
{
	assert_advice(OP_SET_VFS, -EBUSY, VVP_REASON_IN_USE, "8",
		      "stop the process or VM that uses it first");
	assert_advice(OP_SET_VFS, -EBUSY, VVP_REASON_VFIO_BOUND, "8",
		      "unbind the VFs first or pass --force");
	assert_advice(OP_SET_VFS, -EBUSY, VVP_REASON_NONE, "8",
		      "see dmesg for the kernel's reason");
	/* a VF held open refuses bind and unbind too; force is no help */
	assert_advice(OP_BIND, -EBUSY, VVP_REASON_IN_USE, "vfio-pci",
		      "stop the process or VM that uses it first");
	assert_advice(OP_UNBIND, -EBUSY, VVP_REASON_IN_USE, NULL,
		      "stop the process or VM that uses it first");
	assert_advice(OP_BIND, -EBUSY, VVP_REASON_VFIO_BOUND, "vfio-pci",
		      "see dmesg for the kernel's reason");
	/* vvp.ko's busy member is another thing */
	assert_advice(OP_PROVISION, -EBUSY, VVP_REASON_NONE, NULL,
		      "the member is in use (a VM or VFIO user has it open); stop that first");
}

/* the same errno, other advice for what was asked */
static void test_by_operation(void **state)
{
	assert_advice(OP_BIND, -ENOENT, VVP_REASON_NONE, "vvp_vfio_pci",
		      "load it with modprobe vvp_vfio_pci");
	assert_advice(OP_SET_VFS, -ENOENT, VVP_REASON_NONE, "8",
		      "bind the PF to its driver first");
	assert_advice(OP_OWNER, -ENOENT, VVP_REASON_NONE, NULL,
		      "load it with modprobe vvp");
	assert_advice(OP_MONITOR, -ENOENT, VVP_REASON_NONE, NULL,
		      "load it with modprobe vvp");
	assert_advice(OP_MONITOR, -EOPNOTSUPP, VVP_REASON_NONE, NULL,
		      "load a vvp.ko that matches this vvpctl");
	assert_advice(OP_FIND_PF, -EOPNOTSUPP, VVP_REASON_NONE, NULL,
		      "give the address of a PF from vvpctl list");
	assert_advice(OP_FIND_VF, -EOPNOTSUPP, VVP_REASON_NONE, NULL,
		      "give a VF address from vvpctl show <pf>");
	assert_advice(OP_FIND, -EOPNOTSUPP, VVP_REASON_NONE, NULL,
		      "give the address of a PF or a VF from vvpctl list");
	assert_advice(OP_PROVISION, -EOPNOTSUPP, VVP_REASON_NONE, NULL,
		      "see what the owner's backend supports with vvpctl owner list");
	assert_advice(OP_SET_VFS, -ETIMEDOUT, VVP_REASON_NONE, "8",
		      "check that udevd runs (udevadm control --ping) or raise --timeout");
	assert_advice(OP_PROVISION, -ETIMEDOUT, VVP_REASON_NONE, NULL,
		      "check dmesg, or raise VVP_TIMEOUT_MS");
	/* sysfs writes need root for vvpctl; netlink sets for whoever asks */
	assert_advice(OP_SET_VFS, -EACCES, VVP_REASON_NONE, "8",
		      "run vvpctl as root");
	assert_advice(OP_BIND, -EPERM, VVP_REASON_NONE, "vfio-pci",
		      "run vvpctl as root");
	assert_advice(OP_PROVISION, -EPERM, VVP_REASON_NONE, NULL,
		      "run as root");
}

/* "%s" takes the subject; without one, the next row that fits */
static void test_subject(void **state)
{
	assert_advice(OP_SET_VFS, -EINVAL, VVP_REASON_NONE, "8",
		      "ask for 8 or fewer");
	assert_advice(OP_SET_VFS, -EINVAL, VVP_REASON_NONE, NULL,
		      "see dmesg for the kernel's reason");
	assert_advice(OP_BIND, -ENOENT, VVP_REASON_NONE, NULL,
		      "see dmesg for the kernel's reason");
	assert_advice(OP_LIST, -ENOENT, VVP_REASON_NONE, "/sys",
		      "check that sysfs is mounted at /sys");
}

/* every failure gets something to do; the errno's sign does not matter */
static void test_defaults(void **state)
{
	assert_advice(OP_UNBIND, -EIO, VVP_REASON_NONE, NULL,
		      "see dmesg for the kernel's reason");
	assert_advice(OP_OWNER, -EIO, VVP_REASON_NONE, NULL, "check dmesg");
	assert_advice(OP_OWNER, EIO, VVP_REASON_NONE, NULL, "check dmesg");
	assert_advice(OP_BIND, EIO, VVP_REASON_NONE, "vfio-pci",
		      "see dmesg for why the probe failed");
	assert_advice(0, -EIO, VVP_REASON_NONE, NULL, "see dmesg");
}

/* a short buffer cuts the advice, and still ends it */
static void test_short_buffer(void **state)
{
	char buf[8];

	advice(buf, sizeof(buf), OP_BIND, -ENOENT, VVP_REASON_NONE,
	       "vvp_vfio_pci");
	assert_string_equal(buf, "load it");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy_by_reason),
		cmocka_unit_test(test_by_operation),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
