/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A generated PCI sysfs tree, laid out like the real one:
 *
 *   DIR/sys/devices/pci0000:00/0000:00:00.0             host bridge
 *   DIR/sys/devices/pci0000:00/0000:00:0P.0             root port of PF p-1
 *   DIR/sys/devices/pci0000:00/0000:00:0P.0/0000:BB:00.0  the PF
 *   DIR/sys/devices/pci0000:00/0000:00:0P.0/0000:BB:DD.F  its VFs
 *   DIR/sys/devices/pci0000:00/0000:00:1f.0             no SR-IOV
 *   DIR/sys/bus/pci/devices/<addr> -> ../../../devices/...
 *   DIR/sys/bus/pci/drivers/<name>/{bind,unbind,<addr> links}
 *   DIR/sys/bus/pci/drivers_probe
 *   DIR/sys/kernel/iommu_groups/<n>/devices/<addr>
 *   DIR/proc/<pid>/fd/<n> -> /dev/vfio/<group>   (a held VFIO group)
 *
 * VF i of a PF has the routing ID PF + 1 + i (offset 1, stride 1), so
 * 1024 VFs span five buses, as on real hardware. The PFs are QEMU NVMe
 * controllers (1b36:0010, class 010802) bound to nvme; their VFs have the
 * same IDs, so nvme is their default driver.
 *
 * Only generation and plain state changes live here; what the kernel does
 * on a write (checks, side effects, errors) is fake-kernel.c.
 */
#ifndef _FAKE_TREE_H_
#define _FAKE_TREE_H_

#include <stdbool.h>
#include <stddef.h>

#define FAKE_MAX_DRIVERS 8

struct fake_tree_opts {
	const char *dir;	/* NULL: mkdtemp "$TMPDIR/vvp-tree.XXXXXX" */
	int num_pfs;		/* 1 */
	int total_vfs;		/* 8, per PF */
	int initial_vfs;	/* 0, per PF */
	/*
	 * Driver of the initial VFs: NULL = the default one, as autoprobe
	 * leaves them; "" = unbound; a name = bound with driver_override
	 * set to it, as vvpctl bind leaves them.
	 */
	const char *vf_driver;
	bool non_sriov;		/* true: a device without SR-IOV at 00:1f.0 */
	bool pf_unbound;	/* false: PFs bound to nvme */
	bool no_iommu;		/* false: every device has an IOMMU group */
	/* loaded drivers besides pcieport; NULL-terminated, {nvme, vfio-pci} */
	const char *drivers[FAKE_MAX_DRIVERS + 1];
};

struct fake_tree;

void fake_tree_opts_init(struct fake_tree_opts *o);
int fake_tree_new(const struct fake_tree_opts *o, struct fake_tree **t);
/* free the handle, keep the files (mktree) */
void fake_tree_free(struct fake_tree *t);
/* remove the whole tree and free the handle */
void fake_tree_destroy(struct fake_tree *t);

const char *fake_tree_dir(struct fake_tree *t);
const char *fake_tree_sysfs(struct fake_tree *t);	/* DIR/sys */
const char *fake_tree_proc(struct fake_tree *t);	/* DIR/proc */
int fake_tree_num_pfs(struct fake_tree *t);
int fake_tree_total_vfs(struct fake_tree *t);

/* addresses and groups, computed from the layout (bufs of 16) */
const char *fake_tree_pf_address(struct fake_tree *t, int pf);
void fake_tree_vf_address(struct fake_tree *t, int pf, int i, char *buf);
const char *fake_tree_non_sriov_address(void);
const char *fake_tree_bridge_address(struct fake_tree *t, int pf);
int fake_tree_vf_group(struct fake_tree *t, int pf, int i);
/* which PF (and VF index) an address is: 0, or -ENODEV */
int fake_tree_lookup(struct fake_tree *t, const char *addr, int *pf, int *vf);

/* --- state, used by fake-kernel.c and by tests to set a scene --- */
bool fake_tree_device_exists(struct fake_tree *t, const char *addr);
/* bus/pci/devices/<addr>/<attr>; get strips the trailing newline */
int fake_tree_get_attr(struct fake_tree *t, const char *addr,
		       const char *attr, char *buf, size_t len);
int fake_tree_set_attr(struct fake_tree *t, const char *addr,
		       const char *attr, const char *value);
int fake_tree_get_int(struct fake_tree *t, const char *addr, const char *attr);
/* a device's driver: 0 and the name, or -ENOENT when unbound */
int fake_tree_driver(struct fake_tree *t, const char *addr, char *buf,
		     size_t len);
/* override or "" when unset */
void fake_tree_override(struct fake_tree *t, const char *addr, char *buf,
			size_t len);
/* the links only: no checks, no probe */
int fake_tree_bind(struct fake_tree *t, const char *addr, const char *driver);
int fake_tree_unbind(struct fake_tree *t, const char *addr);
bool fake_tree_driver_loaded(struct fake_tree *t, const char *driver);
int fake_tree_load_driver(struct fake_tree *t, const char *driver);
int fake_tree_unload_driver(struct fake_tree *t, const char *driver);
/* the loaded driver whose ID table matches the device, or NULL */
const char *fake_tree_default_driver(struct fake_tree *t, const char *addr);
/* the device's iommu_group number, or -1 */
int fake_tree_group(struct fake_tree *t, const char *addr);
int fake_tree_remove_group(struct fake_tree *t, const char *addr);

/*
 * The device's config file as a reader sees it: size 4096 (root), 256 (no
 * extended space) or 64 (what the kernel shows a user). With 4096 and a
 * dsn, extended space holds an AER capability and then the Device Serial
 * Number (lspci: "00-11-...-77" is 0x0011223344556677).
 */
int fake_tree_write_config(struct fake_tree *t, const char *addr,
			   size_t size, unsigned long long dsn);

/* VF i of PF pf appears or goes away (dirs, links, group); unbound */
int fake_tree_add_vf(struct fake_tree *t, int pf, int i);
int fake_tree_remove_vf(struct fake_tree *t, int pf, int i);

/* a process pid holds /dev/vfio/<group> open (fake /proc) */
int fake_tree_hold_group(struct fake_tree *t, int pid, int group);
int fake_tree_release_pid(struct fake_tree *t, int pid);
bool fake_tree_group_held(struct fake_tree *t, int group);

#endif
