/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What vvpctl tells the user to do after a failure. libvvp's messages say
 * what failed and why, "<what> (<why>)", and never name a vvpctl option;
 * vvpctl adds "; <what to do>" from one table, by what the user asked for
 * (the operation), the errno and the library's reason.
 */
#ifndef _VVPCTL_ADVICE_H_
#define _VVPCTL_ADVICE_H_

#include <stddef.h>

#include <libvvp.h>

/* what the user asked for: one bit each, so that a row can name several */
enum op {
	OP_LIST = 1 << 0,	/* list the PFs: sysfs; subject: its root */
	OP_FIND = 1 << 1,	/* show: a PF or a VF by address */
	OP_FIND_PF = 1 << 2,	/* enable, disable, --all-vfs: a PF */
	OP_FIND_VF = 1 << 3,	/* bind, unbind: VFs */
	OP_SET_VFS = 1 << 4,	/* enable, disable; subject: total_vfs */
	OP_BIND = 1 << 5,	/* subject: the driver */
	OP_UNBIND = 1 << 6,	/* unbind, and putting VFs back */
	OP_OWNER = 1 << 7,	/* owner list, owner show */
	OP_PROVISION = 1 << 8,	/* read and set a member */
	OP_MONITOR = 1 << 9,
	OP_CONFIG = 1 << 10,	/* read or check vvp.conf; subject: its path */
	OP_LOCK = 1 << 11,	/* take a PF's lock */
	OP_APPLY = 1 << 12,	/* plan or apply a config for a PF */
};

/*
 * The advice for a failure of op with -err (err may be negative too) and
 * the library's reason, into buf; subject replaces a "%s" in the advice
 * (NULL: the advice without it). Never empty.
 */
void advice(char *buf, size_t len, enum op op, int err,
	    enum vvp_reason reason, const char *subject);

#endif
