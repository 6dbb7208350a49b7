// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PFs: PCI functions with an sriov_totalvfs attribute.
 *
 * The scan reads bus/pci/devices directly rather than through
 * udev_enumerate: it is the same readdir libudev does underneath, minus a
 * uevent parse per PCI device, and it lets the same code run on a
 * generated tree under VVP_SYSFS_ROOT. libudev is used where only udev
 * knows the answer: whether udev has processed a new VF (sriov.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvvp-private.h"

static void pf_free(struct vvp_pf *pf)
{
	vf_free_all(pf);
	free(pf->driver);
	free(pf->vendor_name);
	free(pf->device_name);
	free(pf);
}

void pf_free_all(struct vvp_ctx *ctx)
{
	struct vvp_pf *pf, *next;

	for (pf = ctx->pfs; pf; pf = next) {
		next = pf->next;
		pf_free(pf);
	}
	ctx->pfs = NULL;
	ctx->pfs_scanned = false;
}

static struct vvp_pf *pf_add(struct vvp_ctx *ctx, const char *address)
{
	char path[PATH_MAX];
	struct vvp_pf *pf;

	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return NULL;
	pf->ctx = ctx;
	snprintf(pf->address, sizeof(pf->address), "%s", address);
	if (dev_path(ctx, path, address, "sriov_totalvfs") < 0 ||
	    sysfs_read_int(ctx, path, &pf->total_vfs) < 0)
		goto err;
	/* unreadable IDs are 0: the PF is still a PF */
	dev_read_ids(ctx, address, &pf->vendor_id, &pf->device_id);
	if (dev_read_driver(ctx, address, &pf->driver) < 0)
		goto err;
	return pf;
err:
	err(ctx, "%s: cannot read its SR-IOV attributes, skipped\n", address);
	pf_free(pf);
	return NULL;
}

static int pf_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the PF at addr among those read so far, NULL when not read */
static struct vvp_pf *pf_cached(struct vvp_ctx *ctx, const char *addr)
{
	struct vvp_pf *pf;

	for (pf = ctx->pfs; pf; pf = pf->next)
		if (strcmp(pf->address, addr) == 0)
			return pf;
	return NULL;
}

/* into ctx->pfs, which stays in address order, like lspci */
static void pf_insert(struct vvp_ctx *ctx, struct vvp_pf *pf)
{
	struct vvp_pf **p = &ctx->pfs;

	while (*p && strcmp((*p)->address, pf->address) < 0)
		p = &(*p)->next;
	pf->next = *p;
	*p = pf;
}

/* PFs read one at a time before (pf_lookup()) stay: callers hold them */
static int pfs_scan(struct vvp_ctx *ctx)
{
	char path[PATH_MAX], **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;

	ctx->pfs_scanned = true;
	if (sysfs_path(ctx, path, sizeof(path), "bus/pci/devices") < 0)
		return vvp_fail(ctx, ENAMETOOLONG,
				"cannot list PCI devices (the sysfs root is longer than a path may be: %s)",
				strerror(ENAMETOOLONG));
	dir = opendir(path);
	if (!dir)
		return vvp_fail(ctx, errno,
				"cannot list PCI devices (%s: %s)", path,
				strerror(errno));
	while ((de = readdir(dir))) {
		char attr[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		if (dev_path(ctx, attr, de->d_name, "sriov_totalvfs") < 0 ||
		    access(attr, F_OK) < 0)
			continue;
		if (n == cap) {
			char **tmp;

			cap = cap ? cap * 2 : 8;
			tmp = realloc(names, cap * sizeof(*names));
			if (!tmp)
				break;
			names = tmp;
		}
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(dir);

	/*
	 * readdir order is arbitrary: list PFs by address, like lspci. No
	 * PF at all leaves names NULL, which qsort() must not be given.
	 */
	if (n > 1)
		qsort(names, n, sizeof(*names), pf_cmp);
	for (size_t i = 0; i < n; i++) {
		struct vvp_pf *pf = pf_cached(ctx, names[i]);

		if (!pf && (pf = pf_add(ctx, names[i])))
			pf_insert(ctx, pf);
		free(names[i]);
	}
	free(names);
	return 0;
}

VVP_EXPORT int vvp_pf_scan(struct vvp_ctx *ctx)
{
	vvp_clear_error(ctx);
	return ctx->pfs_scanned ? 0 : pfs_scan(ctx);
}

VVP_EXPORT struct vvp_pf *vvp_pf_get_first(struct vvp_ctx *ctx)
{
	if (!ctx->pfs_scanned)
		pfs_scan(ctx);
	return ctx->pfs;
}

VVP_EXPORT struct vvp_pf *vvp_pf_get_next(struct vvp_pf *pf)
{
	return pf->next;
}

/*
 * The PF at a canonical address, NULL when it is none. Read alone when
 * the PFs have not been listed: a udev helper wants one PF per event,
 * not an access(2) on every PCI device (each VF is one).
 */
struct vvp_pf *pf_lookup(struct vvp_ctx *ctx, const char *addr)
{
	struct vvp_pf *pf = pf_cached(ctx, addr);
	char attr[PATH_MAX];

	if (pf || ctx->pfs_scanned)
		return pf;
	if (dev_path(ctx, attr, addr, "sriov_totalvfs") < 0 ||
	    access(attr, F_OK) < 0)
		return NULL;
	pf = pf_add(ctx, addr);
	if (pf)
		pf_insert(ctx, pf);
	return pf;
}

VVP_EXPORT int vvp_pf_find(struct vvp_ctx *ctx, const char *address,
			   struct vvp_pf **out)
{
	char addr[16], parent[32];
	int rc;

	vvp_clear_error(ctx);
	rc = dev_find(ctx, address, addr);
	if (rc < 0)
		return rc;
	*out = pf_lookup(ctx, addr);
	if (*out)
		return 0;
	if (dev_read_physfn(ctx, addr, parent, sizeof(parent)) == 0)
		return vvp_fail(ctx, EOPNOTSUPP,
				"%s is a VF, not a PF (its PF is %s)",
				addr, parent);
	return vvp_fail(ctx, EOPNOTSUPP,
			"PCI device %s has no SR-IOV capability (no sriov_totalvfs)",
			addr);
}

VVP_EXPORT struct vvp_ctx *vvp_pf_get_ctx(struct vvp_pf *pf)
{
	return pf->ctx;
}

VVP_EXPORT const char *vvp_pf_get_address(struct vvp_pf *pf)
{
	return pf->address;
}

VVP_EXPORT unsigned int vvp_pf_get_vendor_id(struct vvp_pf *pf)
{
	return pf->vendor_id;
}

VVP_EXPORT unsigned int vvp_pf_get_device_id(struct vvp_pf *pf)
{
	return pf->device_id;
}

static void pf_lookup_names(struct vvp_pf *pf)
{
	if (pf->names_looked_up)
		return;
	pf->names_looked_up = true;
	pciids_names(pf->ctx, pf->vendor_id, pf->device_id,
		     &pf->vendor_name, &pf->device_name);
}

VVP_EXPORT const char *vvp_pf_get_vendor_name(struct vvp_pf *pf)
{
	pf_lookup_names(pf);
	return pf->vendor_name;
}

VVP_EXPORT const char *vvp_pf_get_device_name(struct vvp_pf *pf)
{
	pf_lookup_names(pf);
	return pf->device_name;
}

VVP_EXPORT const char *vvp_pf_get_driver(struct vvp_pf *pf)
{
	return pf->driver;
}

VVP_EXPORT int vvp_pf_get_total_vfs(struct vvp_pf *pf)
{
	return pf->total_vfs;
}

static int pf_read_attr_int(struct vvp_pf *pf, const char *attr)
{
	char path[PATH_MAX];
	int rc, val;

	rc = dev_path(pf->ctx, path, pf->address, attr);
	if (rc == 0)
		rc = sysfs_read_int(pf->ctx, path, &val);
	return rc < 0 ? rc : val;
}

/* First VF Offset and VF Stride (sriov_offset, sriov_stride): 0 or -errno */
int pf_read_vf_layout(struct vvp_pf *pf, int *offset, int *stride)
{
	int rc;

	rc = *offset = pf_read_attr_int(pf, "sriov_offset");
	if (rc >= 0)
		rc = *stride = pf_read_attr_int(pf, "sriov_stride");
	return rc < 0 ? rc : 0;
}

/* read live: the count and autoprobe change under us, the rest does not */
VVP_EXPORT int vvp_pf_get_num_vfs(struct vvp_pf *pf)
{
	return pf_read_attr_int(pf, "sriov_numvfs");
}

VVP_EXPORT int vvp_pf_get_autoprobe(struct vvp_pf *pf)
{
	return pf_read_attr_int(pf, "sriov_drivers_autoprobe");
}

VVP_EXPORT int vvp_pf_set_autoprobe(struct vvp_pf *pf, bool on)
{
	char path[PATH_MAX];
	int rc;

	vvp_clear_error(pf->ctx);
	rc = dev_path(pf->ctx, path, pf->address, "sriov_drivers_autoprobe");
	if (rc == 0)
		rc = sysfs_write(pf->ctx, path, on ? "1" : "0");
	if (rc < 0)
		return vvp_fail(pf->ctx, rc,
				"cannot set sriov_drivers_autoprobe of %s (%s)",
				pf->address, strerror(-rc));
	return 0;
}
