// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one place where vvpctl says what to do about a failure: a table
 * from (operation, errno, libvvp's reason) to advice. The first row that
 * matches wins, so the specific rows come before the general ones.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "advice.h"

/* operations that go to sysfs, and those that go to vvp.ko */
#define SYSFS (OP_LIST | OP_FIND | OP_FIND_PF | OP_FIND_VF | OP_SET_VFS | \
	       OP_BIND | OP_UNBIND)
#define NETLINK (OP_OWNER | OP_PROVISION | OP_MONITOR)
#define FINDS (OP_FIND | OP_FIND_PF | OP_FIND_VF)

/* up to two errnos a row is for; none: any errno */
#define ERRS(...) { __VA_ARGS__ }

static const struct row {
	unsigned int ops;	/* a mask of enum op */
	int errs[2];		/* { 0 }: any errno */
	enum vvp_reason reason;	/* VVP_REASON_NONE: any reason */
	const char *text;	/* a "%s" takes the caller's subject */
} rows[] = {
	/* one errno, two causes: libvvp's reason tells them apart */
	{ SYSFS, ERRS(EBUSY), VVP_REASON_IN_USE,
	  "stop the process or VM that uses it first" },
	{ OP_SET_VFS, ERRS(EBUSY), VVP_REASON_VFIO_BOUND,
	  "unbind the VFs first or pass --force" },

	{ SYSFS, ERRS(EACCES, EPERM), 0, "run vvpctl as root" },
	{ OP_LIST, ERRS(0), 0, "check that sysfs is mounted at %s" },
	{ FINDS, ERRS(EINVAL), 0, "see vvpctl list" },
	{ OP_FIND | OP_FIND_PF, ERRS(ENODEV), 0,
	  "check the address with vvpctl list or lspci" },
	{ OP_FIND_VF, ERRS(ENODEV), 0, "check the address with vvpctl show <pf>" },
	{ OP_FIND, ERRS(EOPNOTSUPP), 0,
	  "give the address of a PF or a VF from vvpctl list" },
	{ OP_FIND_PF, ERRS(EOPNOTSUPP), 0,
	  "give the address of a PF from vvpctl list" },
	{ OP_FIND_VF, ERRS(EOPNOTSUPP), 0,
	  "give a VF address from vvpctl show <pf>" },
	{ OP_SET_VFS, ERRS(EINVAL), 0, "ask for %s or fewer" },
	{ OP_SET_VFS, ERRS(ENOENT), 0, "bind the PF to its driver first" },
	{ OP_SET_VFS, ERRS(ENOMEM, ENOSPC), 0,
	  "the PF lacks resources for that many VFs; ask for fewer (see dmesg)" },
	{ OP_SET_VFS, ERRS(ETIMEDOUT), 0,
	  "check that udevd runs (udevadm control --ping) or raise --timeout" },
	{ OP_BIND, ERRS(ENOENT), 0, "load it with modprobe %s" },
	{ OP_BIND | OP_UNBIND, ERRS(ENODEV), 0,
	  "the VF is gone; list the VFs again" },
	{ OP_BIND, ERRS(EIO), 0, "see dmesg for why the probe failed" },
	{ OP_BIND | OP_UNBIND, ERRS(ENOMEM), 0, "try again" },
	{ SYSFS, ERRS(0), 0, "see dmesg for the kernel's reason" },

	{ NETLINK, ERRS(ENOENT), 0, "load it with modprobe vvp" },
	{ NETLINK, ERRS(EACCES, EPERM), 0, "run as root" },
	{ NETLINK, ERRS(ETIMEDOUT), 0, "check dmesg, or raise VVP_TIMEOUT_MS" },
	{ NETLINK, ERRS(ENOMEM), 0, "check memory" },
	{ OP_OWNER, ERRS(ENODEV), 0, "see vvpctl owner list" },
	{ OP_PROVISION, ERRS(EOPNOTSUPP), 0,
	  "see what the owner's backend supports with vvpctl owner list" },
	{ OP_PROVISION, ERRS(ENODEV), 0,
	  "see the owners and their members with vvpctl owner list and vvpctl owner show" },
	{ OP_PROVISION, ERRS(EBUSY), 0,
	  "the member is in use (a VM or VFIO user has it open); stop that first" },
	{ OP_PROVISION, ERRS(EINVAL, ERANGE), 0, "check the value" },
	{ OP_PROVISION, ERRS(EAGAIN), 0, "try again" },
	{ OP_MONITOR, ERRS(EOPNOTSUPP), 0,
	  "load a vvp.ko that matches this vvpctl" },
	{ OP_MONITOR, ERRS(ENOBUFS), 0,
	  "read the state again with vvpctl owner list" },
	{ NETLINK, ERRS(0), 0, "check dmesg" },

	{ OP_CONFIG, ERRS(EPERM), 0,
	  "make it owned by root and writable by root only (chown root, chmod go-w)" },
	{ OP_CONFIG, ERRS(ENOENT), 0, "check the path" },
	{ OP_CONFIG, ERRS(EACCES), 0, "run as root or check the file's permissions" },
	{ OP_CONFIG, ERRS(0), 0, "check the config files" },

	{ OP_LOCK, ERRS(ETIMEDOUT, EWOULDBLOCK), 0,
	  "wait until it is done, or raise --wait" },
	{ OP_LOCK, ERRS(0), 0,
	  "check that /run/vvp (or VVP_RUN_DIR) is writable by root" },

	{ OP_APPLY, ERRS(EBUSY), VVP_REASON_IN_USE,
	  "stop the process or VM that uses it first" },
	{ OP_APPLY, ERRS(EACCES, EPERM), 0, "run vvpctl as root" },
	{ OP_APPLY, ERRS(ENOENT), 0, "load the module or driver the message names" },
	{ OP_APPLY, ERRS(0), 0, "see vvpctl status for where it stands" },
};

static bool matches(const struct row *r, enum op op, int err,
		    enum vvp_reason reason, const char *subject)
{
	return (r->ops & op) &&
	       (!r->errs[0] || r->errs[0] == err ||
		(r->errs[1] && r->errs[1] == err)) &&
	       (!r->reason || r->reason == reason) &&
	       (subject || !strstr(r->text, "%s"));
}

void advice(char *buf, size_t len, enum op op, int err,
	    enum vvp_reason reason, const char *subject)
{
	const char *at;

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!matches(&rows[i], op, err, reason, subject))
			continue;
		at = strstr(rows[i].text, "%s");
		if (at)
			snprintf(buf, len, "%.*s%s%s", (int)(at - rows[i].text),
				 rows[i].text, subject, at + 2);
		else
			snprintf(buf, len, "%s", rows[i].text);
		return;
	}
	snprintf(buf, len, "see dmesg");
}
