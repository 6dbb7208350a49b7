// SPDX-License-Identifier: LGPL-2.1-or-later
/* VFs: a PF's virtfnN links, read on first use and kept in index order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvvp-private.h"

static void vf_free(struct vvp_vf *vf)
{
	free(vf->driver);
	free(vf->driver_override);
	free(vf);
}

void vf_free_all(struct vvp_pf *pf)
{
	struct vvp_vf *vf, *next;

	for (vf = pf->vfs; vf; vf = next) {
		next = vf->next;
		vf_free(vf);
	}
	pf->vfs = NULL;
	pf->vfs_scanned = false;
}

/* (Re)read the driver link only: what a probe changes. */
int vf_read_driver(struct vvp_vf *vf)
{
	return dev_read_driver(vf->pf->ctx, vf->address, &vf->driver);
}

/* (Re)read what changes when a VF is bound: driver and override. */
int vf_read(struct vvp_vf *vf)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	char path[PATH_MAX], buf[256];
	int rc;

	free(vf->driver_override);
	vf->driver_override = NULL;

	rc = vf_read_driver(vf);
	if (rc < 0)
		return rc;

	rc = dev_path(ctx, path, vf->address, "driver_override");
	if (rc < 0)
		return rc;
	rc = sysfs_read(ctx, path, buf, sizeof(buf));
	/* the kernel shows an unset override as "(null)" */
	if (rc > 0 && strcmp(buf, "(null)") != 0 &&
	    !(vf->driver_override = strdup(buf)))
		return -ENOMEM;

	return 0;
}

static struct vvp_vf *vf_add(struct vvp_pf *pf, int index)
{
	struct vvp_ctx *ctx = pf->ctx;
	char path[PATH_MAX];
	struct vvp_vf *vf;

	vf = calloc(1, sizeof(*vf));
	if (!vf)
		return NULL;
	vf->pf = pf;
	vf->index = index;
	if (sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/virtfn%d",
		       pf->address, index) < 0 ||
	    sysfs_link_name(ctx, path, vf->address, sizeof(vf->address)) < 0)
		goto err;
	if (vf_read(vf) < 0)
		goto err;
	return vf;
err:
	dbg(ctx, "%s: virtfn%d unreadable\n", pf->address, index);
	vf_free(vf);
	return NULL;
}

/* the VF at index among those read so far, NULL when not read */
static struct vvp_vf *vf_cached(struct vvp_pf *pf, int index)
{
	struct vvp_vf *vf;

	for (vf = pf->vfs; vf && vf->index <= index; vf = vf->next)
		if (vf->index == index)
			return vf;
	return NULL;
}

/* into pf->vfs, which stays in index order */
static void vf_insert(struct vvp_pf *pf, struct vvp_vf *vf)
{
	struct vvp_vf **p = &pf->vfs;

	while (*p && (*p)->index < vf->index)
		p = &(*p)->next;
	vf->next = *p;
	*p = vf;
}

/*
 * Every VF, around those read one at a time before (pf_vf_by_index()):
 * their objects stay, callers may hold them.
 */
static void vfs_scan(struct vvp_pf *pf)
{
	int num = vvp_pf_get_num_vfs(pf);

	pf->vfs_scanned = true;
	/* virtfn0..N-1 exist once a write of N to sriov_numvfs returned */
	for (int i = 0; i < num; i++) {
		struct vvp_vf *vf = vf_cached(pf, i);

		if (!vf && (vf = vf_add(pf, i)))
			vf_insert(pf, vf);
	}
}

/*
 * VF index alone, without listing the others: a udev helper or a
 * one-VF apply needs one VF of 127, and under TCG each listing of them
 * all cost more than starting vvpctl. NULL when the PF has no such VF.
 */
struct vvp_vf *pf_vf_by_index(struct vvp_pf *pf, int index)
{
	struct vvp_vf *vf = vf_cached(pf, index);

	/* a VF the PF no longer counts is going away: as the listing */
	if (vf || pf->vfs_scanned || index < 0 ||
	    index >= vvp_pf_get_num_vfs(pf))
		return vf;
	vf = vf_add(pf, index);
	if (vf)
		vf_insert(pf, vf);
	return vf;
}

VVP_EXPORT struct vvp_vf *vvp_vf_get_first(struct vvp_pf *pf)
{
	if (!pf->vfs_scanned)
		vfs_scan(pf);
	return pf->vfs;
}

VVP_EXPORT struct vvp_vf *vvp_vf_get_next(struct vvp_vf *vf)
{
	return vf->next;
}

/* whether virtfn<index> of pf links to addr */
static bool virtfn_is(struct vvp_pf *pf, int index, const char *addr)
{
	char path[PATH_MAX], name[32];

	return sysfs_path(pf->ctx, path, sizeof(path),
			  "bus/pci/devices/%s/virtfn%d", pf->address,
			  index) == 0 &&
	       sysfs_link_name(pf->ctx, path, name, sizeof(name)) == 0 &&
	       strcmp(name, addr) == 0;
}

/*
 * The index of pf's VF at addr, -1 when it has none there. Where First
 * VF Offset and VF Stride put it, checked against its virtfn link (a
 * device may change them with the count, a generated tree may lack
 * them); else each virtfn link in turn.
 */
static int pf_vf_index(struct vvp_pf *pf, const char *addr)
{
	int offset, stride, num, index;
	struct vvp_vf *vf;

	if (pf->vfs_scanned) {
		vvp_vf_foreach(pf, vf)
			if (strcmp(vf->address, addr) == 0)
				return vf->index;
		return -1;
	}
	if (pf_read_vf_layout(pf, &offset, &stride) == 0) {
		index = dev_vf_index(pf->address, offset, stride, addr);
		if (index >= 0 && virtfn_is(pf, index, addr))
			return index;
	}
	num = vvp_pf_get_num_vfs(pf);
	for (int i = 0; i < num; i++)
		if (virtfn_is(pf, i, addr))
			return i;
	return -1;
}

/*
 * The VF at a canonical address, among the VFs of pf_addr (its physfn):
 * 0, or -errno with the message (-ENODEV: sysfs still has it, its PF no
 * longer counts it).
 */
int vf_lookup(struct vvp_ctx *ctx, const char *addr, const char *pf_addr,
	      struct vvp_vf **out)
{
	struct vvp_pf *pf;
	struct vvp_vf *vf;
	int rc, index;

	rc = vvp_pf_find(ctx, pf_addr, &pf);
	if (rc < 0)
		return rc;
	index = pf_vf_index(pf, addr);
	vf = index >= 0 ? pf_vf_by_index(pf, index) : NULL;
	if (vf && strcmp(vf->address, addr) == 0) {
		*out = vf;
		return 0;
	}
	return vvp_fail(ctx, ENODEV,
			"VF %s is not among the VFs of %s (it is going away)",
			addr, pf_addr);
}

VVP_EXPORT int vvp_vf_find(struct vvp_ctx *ctx, const char *address,
			   struct vvp_vf **out)
{
	char addr[16], pf_addr[32];
	int rc;

	vvp_clear_error(ctx);
	rc = dev_find(ctx, address, addr);
	if (rc < 0)
		return rc;
	if (dev_read_physfn(ctx, addr, pf_addr, sizeof(pf_addr)) < 0)
		return vvp_fail(ctx, EOPNOTSUPP,
				"PCI device %s is not a VF (it has no physfn)",
				addr);
	return vf_lookup(ctx, addr, pf_addr, out);
}

VVP_EXPORT struct vvp_pf *vvp_vf_get_pf(struct vvp_vf *vf)
{
	return vf->pf;
}

VVP_EXPORT int vvp_vf_get_index(struct vvp_vf *vf)
{
	return vf->index;
}

VVP_EXPORT const char *vvp_vf_get_address(struct vvp_vf *vf)
{
	return vf->address;
}

/* IDs are read on first use: a bind of many VFs never needs them */
static void vf_read_ids(struct vvp_vf *vf)
{
	if (vf->ids_read)
		return;
	vf->ids_read = true;
	dev_read_ids(vf->pf->ctx, vf->address, &vf->vendor_id, &vf->device_id);
}

VVP_EXPORT unsigned int vvp_vf_get_vendor_id(struct vvp_vf *vf)
{
	vf_read_ids(vf);
	return vf->vendor_id;
}

VVP_EXPORT unsigned int vvp_vf_get_device_id(struct vvp_vf *vf)
{
	vf_read_ids(vf);
	return vf->device_id;
}

VVP_EXPORT const char *vvp_vf_get_driver(struct vvp_vf *vf)
{
	return vf->driver;
}

VVP_EXPORT const char *vvp_vf_get_driver_override(struct vvp_vf *vf)
{
	return vf->driver_override;
}

/* A VF keeps its IOMMU group for its life: read on first use. */
VVP_EXPORT int vvp_vf_get_iommu_group(struct vvp_vf *vf)
{
	struct vvp_ctx *ctx = vf->pf->ctx;
	char path[PATH_MAX], buf[32];

	if (!vf->group_read) {
		vf->group_read = true;
		vf->iommu_group = -1;
		if (dev_path(ctx, path, vf->address, "iommu_group") == 0 &&
		    sysfs_link_name(ctx, path, buf, sizeof(buf)) == 0)
			vf->iommu_group = atoi(buf);
	}
	return vf->iommu_group;
}

/*
 * vfio-pci and its variant drivers (ours: vvp_vfio_pci; upstream:
 * virtio_vfio_pci, mlx5_vfio_pci, ...) all end in "vfio_pci" or are
 * "vfio-pci" itself.
 */
VVP_EXPORT bool vvp_driver_is_vfio(const char *driver)
{
	size_t len;

	if (!driver)
		return false;
	if (strcmp(driver, "vfio-pci") == 0)
		return true;
	len = strlen(driver);
	return len >= 8 && strcmp(driver + len - 8, "vfio_pci") == 0;
}

VVP_EXPORT bool vvp_vf_is_vfio(struct vvp_vf *vf)
{
	return vvp_driver_is_vfio(vf->driver);
}
