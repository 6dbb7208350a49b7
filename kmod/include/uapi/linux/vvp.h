/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	kmod/specs/vvp.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_VVP_H
#define _UAPI_LINUX_VVP_H

#define VVP_FAMILY_NAME		"vvp"
#define VVP_FAMILY_VERSION	1

/**
 * enum vvp_cap - What an owner's backend can do for its members.
 * @VVP_CAP_LEGACY_IO: Legacy (pre-1.0) register access on behalf of a member:
 *   common and device config reads and writes, queue notify.
 * @VVP_CAP_MAC: Provision a member's MAC address.
 * @VVP_CAP_MTU: Provision a member's MTU.
 * @VVP_CAP_MAX_VQ_PAIRS: Provision a member's maximum number of virtqueue
 *   pairs.
 * @VVP_CAP_FEATURES: Provision the feature bits a member offers.
 * @VVP_CAP_TRANSITIONAL: Offer the member as a transitional device (legacy I/O
 *   BAR0 emulated by vvp_vfio_pci). Needs legacy-io.
 */
enum vvp_cap {
	VVP_CAP_LEGACY_IO = 1,
	VVP_CAP_MAC = 2,
	VVP_CAP_MTU = 4,
	VVP_CAP_MAX_VQ_PAIRS = 8,
	VVP_CAP_FEATURES = 16,
	VVP_CAP_TRANSITIONAL = 32,
};

enum {
	VVP_A_OWNER_DEV_NAME = 1,
	VVP_A_OWNER_BACKEND,
	VVP_A_OWNER_CAPS,
	VVP_A_OWNER_NUM_MEMBERS,
	VVP_A_OWNER_TOTAL_MEMBERS,

	__VVP_A_OWNER_MAX,
	VVP_A_OWNER_MAX = (__VVP_A_OWNER_MAX - 1)
};

enum {
	VVP_A_MEMBER_OWNER = 1,
	VVP_A_MEMBER_INDEX,
	VVP_A_MEMBER_DEV_NAME,
	VVP_A_MEMBER_MAC,
	VVP_A_MEMBER_MTU,
	VVP_A_MEMBER_MAX_VQ_PAIRS,
	VVP_A_MEMBER_FEATURES,
	VVP_A_MEMBER_TRANSITIONAL,
	VVP_A_MEMBER_BUSY,

	__VVP_A_MEMBER_MAX,
	VVP_A_MEMBER_MAX = (__VVP_A_MEMBER_MAX - 1)
};

enum {
	VVP_CMD_OWNER_GET = 1,
	VVP_CMD_MEMBER_GET,
	VVP_CMD_MEMBER_SET,
	VVP_CMD_OWNER_ADD_NTF,
	VVP_CMD_OWNER_DEL_NTF,
	VVP_CMD_MEMBER_CHANGE_NTF,
	VVP_CMD_OWNER_CHANGE_NTF,

	__VVP_CMD_MAX,
	VVP_CMD_MAX = (__VVP_CMD_MAX - 1)
};

#define VVP_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_VVP_H */
