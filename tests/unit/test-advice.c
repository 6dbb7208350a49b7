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
#include <string.h>
#include <cmocka.h>

#include "advice.h"

static const struct advice_case {
	const char *what;
	enum op op;
	int err;
	enum vvp_reason reason;
	const char *subject;
	const char *want;
} cases[] = {
	/* -EBUSY from enable/disable: held open, on vfio, or the kernel's */
	{ "held open", OP_SET_VFS, -EBUSY, .reason = VVP_REASON_IN_USE,
	  .want = "stop the process or VM that uses it first" },
	{ "on vfio", OP_SET_VFS, -EBUSY, .reason = VVP_REASON_VFIO_BOUND,
	  .want = "unbind the VFs first or pass --force" },
	{ "kernel busy", OP_SET_VFS, -EBUSY,
	  .want = "see dmesg for the kernel's reason" },
	/* a VF held open refuses bind and unbind too; force is no help */
	{ "bind held", OP_BIND, -EBUSY, .reason = VVP_REASON_IN_USE,
	  .want = "stop the process or VM that uses it first" },
	{ "unbind held", OP_UNBIND, -EBUSY, .reason = VVP_REASON_IN_USE,
	  .want = "stop the process or VM that uses it first" },
	{ "bind, vfio reason", OP_BIND, -EBUSY,
	  .reason = VVP_REASON_VFIO_BOUND, .subject = "vfio-pci",
	  .want = "see dmesg for the kernel's reason" },
	/* vvp.ko's busy member is another thing */
	{ "member busy", OP_PROVISION, -EBUSY,
	  .want = "the member is in use (a VM or VFIO user has it open); stop that first" },

	/* the same errno, other advice for what was asked */
	{ "driver", OP_BIND, -ENOENT, .subject = "vvp_vfio_pci",
	  .want = "load it with modprobe vvp_vfio_pci" },
	{ "PF driver", OP_SET_VFS, -ENOENT,
	  .want = "bind the PF to its driver first" },
	{ "module", OP_OWNER, -ENOENT, .want = "load it with modprobe vvp" },
	{ "module, monitor", OP_MONITOR, -ENOENT,
	  .want = "load it with modprobe vvp" },
	{ "module mismatch", OP_MONITOR, -EOPNOTSUPP,
	  .want = "load a vvp.ko that matches this vvpctl" },
	{ "want a PF", OP_FIND_PF, -EOPNOTSUPP,
	  .want = "give the address of a PF from vvpctl list" },
	{ "want a VF", OP_FIND_VF, -EOPNOTSUPP,
	  .want = "give a VF address from vvpctl show <pf>" },
	{ "want either", OP_FIND, -EOPNOTSUPP,
	  .want = "give the address of a PF or a VF from vvpctl list" },
	{ "no cap", OP_PROVISION, -EOPNOTSUPP,
	  .want = "see what the owner's backend supports with vvpctl owner list" },
	{ "udev late", OP_SET_VFS, -ETIMEDOUT,
	  .want = "check that udevd runs (udevadm control --ping) or raise --timeout" },
	{ "kernel late", OP_PROVISION, -ETIMEDOUT,
	  .want = "check dmesg, or raise VVP_TIMEOUT_MS" },
	/* sysfs writes need root for vvpctl; netlink sets for whoever asks */
	{ "sysfs EACCES", OP_SET_VFS, -EACCES, .want = "run vvpctl as root" },
	{ "sysfs EPERM", OP_BIND, -EPERM, .want = "run vvpctl as root" },
	{ "netlink EPERM", OP_PROVISION, -EPERM, .want = "run as root" },
	{ "ENOSPC", OP_SET_VFS, -ENOSPC,
	  .want = "the PF lacks resources for that many VFs; ask for fewer (see dmesg)" },
	{ "ERANGE", OP_PROVISION, -ERANGE, .want = "check the value" },

	/* "%s" takes the subject; without one, the next row that fits */
	{ "subject", OP_SET_VFS, -EINVAL, .subject = "8",
	  .want = "ask for 8 or fewer" },
	{ "no subject", OP_SET_VFS, -EINVAL,
	  .want = "see dmesg for the kernel's reason" },
	{ "no driver named", OP_BIND, -ENOENT,
	  .want = "see dmesg for the kernel's reason" },
	{ "sysfs root", OP_LIST, -ENOENT, .subject = "/sys",
	  .want = "check that sysfs is mounted at /sys" },

	/* every failure gets something to do; the errno's sign is no matter */
	{ "unbind EIO", OP_UNBIND, -EIO,
	  .want = "see dmesg for the kernel's reason" },
	{ "owner EIO", OP_OWNER, -EIO, .want = "check dmesg" },
	{ "positive errno", OP_OWNER, EIO, .want = "check dmesg" },
	{ "probe", OP_BIND, EIO, .want = "see dmesg for why the probe failed" },
	{ "no operation", 0, -EIO, .want = "see dmesg" },
};

static void test_cases(void **state)
{
	char buf[256];
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct advice_case *c = &cases[i];

		advice(buf, sizeof(buf), c->op, c->err, c->reason, c->subject);
		if (strcmp(buf, c->want) == 0)
			continue;
		print_error("%s: \"%s\", not \"%s\"\n", c->what, buf, c->want);
		bad++;
	}
	assert_int_equal(bad, 0);
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
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
