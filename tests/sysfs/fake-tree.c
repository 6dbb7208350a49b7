// SPDX-License-Identifier: GPL-2.0-or-later
/* Generate a realistic PCI sysfs tree (and a /proc) in a directory. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake-tree.h"

#define MAX_HOLDERS 32

struct fake_tree {
	char dir[PATH_MAX];
	char sys[PATH_MAX];
	char proc[PATH_MAX];
	int num_pfs, total_vfs, bus_span;
	bool no_iommu;
	char pf_addr[32][16];
	char bridge_addr[32][16];
	struct { int pid, group; } holders[MAX_HOLDERS];
	int nholders;
};

/* vendor, device, class of what we generate */
#define NVME_VENDOR 0x1b36
#define NVME_DEVICE 0x0010
#define NVME_CLASS 0x010802
#define PORT_DEVICE 0x000c
#define PORT_CLASS 0x060400

/* the ID tables of the drivers we know: a driver matches by class */
static const struct {
	const char *name;
	unsigned int class;
} id_tables[] = {
	{ "nvme", NVME_CLASS },
	{ "pcieport", PORT_CLASS },
	/* vfio-pci and its variants have none: driver_override only */
};

void fake_tree_opts_init(struct fake_tree_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->num_pfs = 1;
	o->total_vfs = 8;
	o->non_sriov = true;
	o->drivers[0] = "nvme";
	o->drivers[1] = "vfio-pci";
}

/* --- files --- */

static int vpath(struct fake_tree *t, char *buf, const char *fmt, va_list ap)
{
	int n = snprintf(buf, PATH_MAX, "%s/", t->sys);

	if (vsnprintf(buf + n, PATH_MAX - n, fmt, ap) >= PATH_MAX - n)
		return -ENAMETOOLONG;
	return 0;
}

static int spath(struct fake_tree *t, char *buf, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int spath(struct fake_tree *t, char *buf, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(t, buf, fmt, ap);
	va_end(ap);
	return rc;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int write_file(const char *path, mode_t mode, const char *value)
{
	size_t len = strlen(value);
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		rc = -EIO;
	close(fd);
	return rc;
}

/* a sysfs-relative file: DIR/sys/<rel> */
static int sfile(struct fake_tree *t, const char *rel, mode_t mode,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int sfile(struct fake_tree *t, const char *rel, mode_t mode,
		 const char *fmt, ...)
{
	char path[PATH_MAX], val[512];
	va_list ap;

	if (spath(t, path, "%s", rel) < 0)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return write_file(path, mode, val);
}

/* DIR/sys/<link_rel> -> relative path to DIR/sys/<target_rel>, like sysfs */
static int slink(struct fake_tree *t, const char *target_rel,
		 const char *link_rel)
{
	char path[PATH_MAX], target[PATH_MAX];
	int n = 0;

	for (const char *p = link_rel; *p; p++)
		if (*p == '/')
			n += snprintf(target + n, sizeof(target) - n, "../");
	snprintf(target + n, sizeof(target) - n, "%s", target_rel);
	if (spath(t, path, "%s", link_rel) < 0)
		return -ENAMETOOLONG;
	unlink(path);
	return symlink(target, path) < 0 ? -errno : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

static int rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}

/* sysfs-relative real directory of a device, from its bus link */
static int dev_rel(struct fake_tree *t, const char *addr, char *buf)
{
	char path[PATH_MAX], real[PATH_MAX];
	size_t n = strlen(t->sys);

	if (strchr(addr, '/') || spath(t, path, "bus/pci/devices/%s", addr) < 0)
		return -ENODEV;
	if (!realpath(path, real))
		return -ENODEV;
	if (strncmp(real, t->sys, n) != 0 || real[n] != '/')
		return -ENODEV;
	snprintf(buf, PATH_MAX, "%s", real + n + 1);
	return 0;
}

/* --- layout --- */

static unsigned int rid(const char *addr)
{
	unsigned int dom, bus, dev, fn;

	if (sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		return ~0u;
	return bus << 8 | dev << 3 | fn;
}

static void rid_address(unsigned int r, char *buf)
{
	snprintf(buf, 16, "0000:%02x:%02x.%x", (r >> 8) & 0xff, (r >> 3) & 0x1f,
		 r & 7);
}

const char *fake_tree_pf_address(struct fake_tree *t, int pf)
{
	return t->pf_addr[pf];
}

const char *fake_tree_bridge_address(struct fake_tree *t, int pf)
{
	return t->bridge_addr[pf];
}

void fake_tree_vf_address(struct fake_tree *t, int pf, int i, char *buf)
{
	rid_address(rid(t->pf_addr[pf]) + 1 + i, buf);
}

const char *fake_tree_non_sriov_address(void)
{
	return "0000:00:1f.0";
}

int fake_tree_vf_group(struct fake_tree *t, int pf, int i)
{
	/* 0 host bridge, 1 the device without SR-IOV, 2+2p port, 3+2p PF */
	return 2 + 2 * t->num_pfs + pf * t->total_vfs + i;
}

int fake_tree_lookup(struct fake_tree *t, const char *addr, int *pf, int *vf)
{
	unsigned int r = rid(addr);

	for (int p = 0; p < t->num_pfs; p++) {
		unsigned int base = rid(t->pf_addr[p]);

		if (r == base) {
			*pf = p;
			*vf = -1;
			return 0;
		}
		if (r > base && r <= base + (unsigned int)t->total_vfs) {
			*pf = p;
			*vf = r - base - 1;
			return 0;
		}
	}
	return -ENODEV;
}

const char *fake_tree_dir(struct fake_tree *t) { return t->dir; }
const char *fake_tree_sysfs(struct fake_tree *t) { return t->sys; }
const char *fake_tree_proc(struct fake_tree *t) { return t->proc; }
int fake_tree_num_pfs(struct fake_tree *t) { return t->num_pfs; }
int fake_tree_total_vfs(struct fake_tree *t) { return t->total_vfs; }

/* --- devices --- */

static int add_group(struct fake_tree *t, const char *rel, const char *addr,
		     int group)
{
	char buf[PATH_MAX], link[PATH_MAX];
	int rc;

	if (group < 0 || t->no_iommu)
		return 0;
	/* the parent exists: two mkdirs, not mkdir -p (1024 VFs) */
	if (spath(t, buf, "kernel/iommu_groups/%d", group) < 0)
		return -ENAMETOOLONG;
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	strcat(buf, "/devices");
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(buf, sizeof(buf), "kernel/iommu_groups/%d/type", group);
	rc = sfile(t, buf, 0644, "DMA\n");
	snprintf(buf, sizeof(buf), "kernel/iommu_groups/%d", group);
	snprintf(link, sizeof(link), "%s/iommu_group", rel);
	if (rc == 0)
		rc = slink(t, buf, link);
	snprintf(link, sizeof(link), "kernel/iommu_groups/%d/devices/%s", group,
		 addr);
	if (rc == 0)
		rc = slink(t, rel, link);
	return rc;
}

/*
 * One attribute file, name, under the device directory rel: for the
 * functions that build devices, which have t, rel, a buffer f and rc, and
 * return rc on a failure.
 */
#define DEV_ATTR(name, mode, ...)					\
	do {								\
		snprintf(f, sizeof(f), "%s/" name, rel);		\
		rc = sfile(t, f, mode, __VA_ARGS__);			\
		if (rc < 0)						\
			return rc;					\
	} while (0)

static int add_device(struct fake_tree *t, const char *parent_rel,
		      const char *addr, unsigned int vendor,
		      unsigned int device, unsigned int class, int group,
		      bool full)
{
	char rel[PATH_MAX], path[PATH_MAX], f[PATH_MAX];
	int rc;

	snprintf(rel, sizeof(rel), "%s/%s", parent_rel, addr);
	if (spath(t, path, "%s", rel) < 0)
		return -ENAMETOOLONG;
	if (mkdir(path, 0755) < 0)
		return -errno;
	DEV_ATTR("vendor", 0444, "0x%04x\n", vendor);
	DEV_ATTR("device", 0444, "0x%04x\n", device);
	DEV_ATTR("class", 0444, "0x%06x\n", class);
	DEV_ATTR("driver_override", 0644, "(null)\n");
	/* the rest only on PFs and bridges: 1024 VFs must be quick to make */
	if (full) {
		DEV_ATTR("subsystem_vendor", 0444, "0x%04x\n", vendor);
		DEV_ATTR("subsystem_device", 0444, "0x%04x\n", device == PORT_DEVICE ? 0 : 0x1100);
		DEV_ATTR("revision", 0444, "0x02\n");
		DEV_ATTR("enable", 0644, "1\n");
		DEV_ATTR("uevent", 0644,
		     "PCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
		     "PCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
		     class, vendor, device, vendor, device == PORT_DEVICE ? 0 : 0x1100,
		     addr, vendor, device, vendor, device == PORT_DEVICE ? 0 : 0x1100,
		     class >> 16, (class >> 8) & 0xff, class & 0xff);
	}
	snprintf(f, sizeof(f), "%s/subsystem", rel);
	rc = slink(t, "bus/pci", f);
	if (rc == 0) {
		snprintf(f, sizeof(f), "bus/pci/devices/%s", addr);
		rc = slink(t, rel, f);
	}
	if (rc == 0)
		rc = add_group(t, rel, addr, group);
	return rc;
}

static int remove_device(struct fake_tree *t, const char *addr)
{
	char rel[PATH_MAX], path[PATH_MAX];
	int group, rc;

	rc = dev_rel(t, addr, rel);
	if (rc < 0)
		return rc;
	fake_tree_unbind(t, addr);
	group = fake_tree_group(t, addr);
	if (group >= 0) {
		spath(t, path, "kernel/iommu_groups/%d", group);
		rm_rf(path);
	}
	spath(t, path, "bus/pci/devices/%s", addr);
	unlink(path);
	spath(t, path, "%s", rel);
	return rm_rf(path);
}

int fake_tree_load_driver(struct fake_tree *t, const char *driver)
{
	char rel[PATH_MAX], path[PATH_MAX];
	static const char *const files[] = {
		"bind", "unbind", "new_id", "remove_id", "uevent"
	};
	int rc;

	if (!*driver || strchr(driver, '/'))
		return -EINVAL;
	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s", driver);
	if (spath(t, path, "%s", rel) < 0)
		return -ENAMETOOLONG;
	rc = mkdir_p(path);
	for (size_t i = 0; rc == 0 && i < sizeof(files) / sizeof(files[0]); i++) {
		char f[PATH_MAX];

		snprintf(f, sizeof(f), "%s/%s", rel, files[i]);
		rc = sfile(t, f, 0200, "%s", "");
	}
	return rc;
}

int fake_tree_unload_driver(struct fake_tree *t, const char *driver)
{
	char path[PATH_MAX];

	if (spath(t, path, "bus/pci/drivers/%s", driver) < 0)
		return -ENAMETOOLONG;
	return rm_rf(path);
}

bool fake_tree_driver_loaded(struct fake_tree *t, const char *driver)
{
	char path[PATH_MAX];

	if (!*driver || strchr(driver, '/') ||
	    spath(t, path, "bus/pci/drivers/%s", driver) < 0)
		return false;
	return access(path, F_OK) == 0;
}

bool fake_tree_device_exists(struct fake_tree *t, const char *addr)
{
	char rel[PATH_MAX];

	return dev_rel(t, addr, rel) == 0;
}

int fake_tree_get_attr(struct fake_tree *t, const char *addr,
		       const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (spath(t, path, "bus/pci/devices/%s/%s", addr, attr) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

int fake_tree_set_attr(struct fake_tree *t, const char *addr,
		       const char *attr, const char *value)
{
	char path[PATH_MAX], rel[PATH_MAX];
	int rc;

	rc = dev_rel(t, addr, rel);
	if (rc < 0)
		return rc;
	if (spath(t, path, "%s/%s", rel, attr) < 0)
		return -ENAMETOOLONG;
	return write_file(path, 0644, value);
}

int fake_tree_get_int(struct fake_tree *t, const char *addr, const char *attr)
{
	char buf[64];
	int rc;

	rc = fake_tree_get_attr(t, addr, attr, buf, sizeof(buf));
	return rc < 0 ? rc : atoi(buf);
}

static int link_base(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	/* GNU basename() (string.h): what follows the last '/' */
	snprintf(buf, len, "%s", basename(target));
	return 0;
}

int fake_tree_driver(struct fake_tree *t, const char *addr, char *buf,
		     size_t len)
{
	char path[PATH_MAX];

	if (spath(t, path, "bus/pci/devices/%s/driver", addr) < 0)
		return -ENAMETOOLONG;
	return link_base(path, buf, len);
}

void fake_tree_override(struct fake_tree *t, const char *addr, char *buf,
			size_t len)
{
	if (fake_tree_get_attr(t, addr, "driver_override", buf, len) < 0 ||
	    strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
}

int fake_tree_group(struct fake_tree *t, const char *addr)
{
	char path[PATH_MAX], buf[32];

	if (spath(t, path, "bus/pci/devices/%s/iommu_group", addr) < 0 ||
	    link_base(path, buf, sizeof(buf)) < 0)
		return -1;
	return atoi(buf);
}

int fake_tree_remove_group(struct fake_tree *t, const char *addr)
{
	char path[PATH_MAX];
	int group = fake_tree_group(t, addr);

	if (group < 0)
		return 0;
	spath(t, path, "kernel/iommu_groups/%d", group);
	rm_rf(path);
	spath(t, path, "bus/pci/devices/%s/iommu_group", addr);
	return unlink(path) < 0 ? -errno : 0;
}

int fake_tree_bind(struct fake_tree *t, const char *addr, const char *driver)
{
	char rel[PATH_MAX], drv[PATH_MAX], link[PATH_MAX];
	int rc;

	rc = dev_rel(t, addr, rel);
	if (rc < 0)
		return rc;
	snprintf(drv, sizeof(drv), "bus/pci/drivers/%s", driver);
	snprintf(link, sizeof(link), "%s/driver", rel);
	rc = slink(t, drv, link);
	if (rc == 0) {
		snprintf(link, sizeof(link), "bus/pci/drivers/%s/%s", driver,
			 addr);
		rc = slink(t, rel, link);
	}
	return rc;
}

int fake_tree_unbind(struct fake_tree *t, const char *addr)
{
	char path[PATH_MAX], driver[256];

	if (fake_tree_driver(t, addr, driver, sizeof(driver)) < 0)
		return 0;
	if (spath(t, path, "bus/pci/drivers/%s/%s", driver, addr) == 0)
		unlink(path);
	if (spath(t, path, "bus/pci/devices/%s/driver", addr) < 0)
		return -ENAMETOOLONG;
	return unlink(path) < 0 ? -errno : 0;
}

const char *fake_tree_default_driver(struct fake_tree *t, const char *addr)
{
	char buf[32];
	unsigned int class;

	if (fake_tree_get_attr(t, addr, "class", buf, sizeof(buf)) < 0)
		return NULL;
	class = strtoul(buf, NULL, 16);
	for (size_t i = 0; i < sizeof(id_tables) / sizeof(id_tables[0]); i++)
		if (id_tables[i].class == class &&
		    fake_tree_driver_loaded(t, id_tables[i].name))
			return id_tables[i].name;
	return NULL;
}

int fake_tree_add_vf(struct fake_tree *t, int pf, int i)
{
	char addr[16], parent[PATH_MAX], rel[PATH_MAX], link[PATH_MAX];
	char pf_rel[PATH_MAX];
	int rc;

	if (pf < 0 || pf >= t->num_pfs || i < 0 || i >= t->total_vfs)
		return -EINVAL;
	fake_tree_vf_address(t, pf, i, addr);
	snprintf(parent, sizeof(parent), "devices/pci0000:00/%s",
		 t->bridge_addr[pf]);
	rc = add_device(t, parent, addr, NVME_VENDOR, NVME_DEVICE, NVME_CLASS,
			fake_tree_vf_group(t, pf, i), false);
	if (rc < 0)
		return rc;
	snprintf(rel, sizeof(rel), "%s/%s", parent, addr);
	snprintf(link, sizeof(link), "%s/physfn", rel);
	snprintf(pf_rel, sizeof(pf_rel), "%s/%s", parent, t->pf_addr[pf]);
	rc = slink(t, pf_rel, link);
	if (rc == 0) {
		snprintf(link, sizeof(link), "%s/virtfn%d", pf_rel, i);
		rc = slink(t, rel, link);
	}
	return rc;
}

int fake_tree_remove_vf(struct fake_tree *t, int pf, int i)
{
	char addr[16], path[PATH_MAX];

	if (pf < 0 || pf >= t->num_pfs || i < 0 || i >= t->total_vfs)
		return -EINVAL;
	fake_tree_vf_address(t, pf, i, addr);
	if (spath(t, path, "bus/pci/devices/%s/virtfn%d", t->pf_addr[pf], i) < 0)
		return -ENAMETOOLONG;
	unlink(path);
	return remove_device(t, addr);
}

static void put_le32(unsigned char *p, unsigned int v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

int fake_tree_write_config(struct fake_tree *t, const char *addr,
			   size_t size, unsigned long long dsn)
{
	unsigned char cfg[4096] = { 0 };
	char rel[PATH_MAX], path[PATH_MAX];
	int fd, rc;

	if (size > sizeof(cfg) || dev_rel(t, addr, rel) < 0 ||
	    spath(t, path, "%s/config", rel) < 0)
		return -EINVAL;
	put_le32(cfg, NVME_DEVICE << 16 | NVME_VENDOR);
	if (size == sizeof(cfg) && dsn) {
		/* AER (id 1, version 2) pointing at the DSN (id 3) at 0x148 */
		put_le32(cfg + 0x100, 0x148 << 20 | 2 << 16 | 0x0001);
		put_le32(cfg + 0x148, 1 << 16 | 0x0003);
		put_le32(cfg + 0x14c, dsn & 0xffffffff);
		put_le32(cfg + 0x150, dsn >> 32);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write(fd, cfg, size) == (ssize_t)size ? 0 : -EIO;
	close(fd);
	return rc;
}

/* --- /proc --- */

int fake_tree_hold_group(struct fake_tree *t, int pid, int group)
{
	char path[PATH_MAX], target[64];
	int fd = 3, rc;

	if (t->nholders == MAX_HOLDERS)
		return -ENOSPC;
	snprintf(path, sizeof(path), "%s/%d/fd", t->proc, pid);
	rc = mkdir_p(path);
	if (rc < 0)
		return rc;
	/* like QEMU: the container first, then the group */
	snprintf(path, sizeof(path), "%s/%d/fd/%d", t->proc, pid, fd);
	if (access(path, F_OK) != 0 && symlink("/dev/vfio/vfio", path) < 0)
		return -errno;
	do {
		snprintf(path, sizeof(path), "%s/%d/fd/%d", t->proc, pid, ++fd);
	} while (access(path, F_OK) == 0);
	snprintf(target, sizeof(target), "/dev/vfio/%d", group);
	if (symlink(target, path) < 0)
		return -errno;
	t->holders[t->nholders].pid = pid;
	t->holders[t->nholders].group = group;
	t->nholders++;
	return 0;
}

int fake_tree_release_pid(struct fake_tree *t, int pid)
{
	char path[PATH_MAX];
	int j = 0;

	for (int i = 0; i < t->nholders; i++)
		if (t->holders[i].pid != pid)
			t->holders[j++] = t->holders[i];
	t->nholders = j;
	snprintf(path, sizeof(path), "%s/%d", t->proc, pid);
	return rm_rf(path);
}

bool fake_tree_group_held(struct fake_tree *t, int group)
{
	for (int i = 0; i < t->nholders; i++)
		if (t->holders[i].group == group)
			return true;
	return false;
}

/* pid 1 with its standard fds, and "self": not VFIO, to be skipped */
static int make_proc(struct fake_tree *t)
{
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), "%s/1/fd", t->proc);
	rc = mkdir_p(path);
	for (int fd = 0; rc == 0 && fd < 3; fd++) {
		snprintf(path, sizeof(path), "%s/1/fd/%d", t->proc, fd);
		if (symlink("/dev/null", path) < 0)
			rc = -errno;
	}
	snprintf(path, sizeof(path), "%s/self", t->proc);
	if (rc == 0 && symlink("1", path) < 0)
		rc = -errno;
	return rc;
}

/* --- the tree --- */

static int make_skeleton(struct fake_tree *t, const struct fake_tree_opts *o)
{
	static const char *const dirs[] = {
		"devices/pci0000:00", "bus/pci/devices", "bus/pci/drivers",
		"bus/pci/slots", "kernel/iommu_groups",
	};
	char path[PATH_MAX];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (spath(t, path, "%s", dirs[i]) < 0)
			return -ENAMETOOLONG;
		rc = mkdir_p(path);
	}
	if (rc == 0)
		rc = sfile(t, "bus/pci/drivers_probe", 0200, "%s", "");
	if (rc == 0)
		rc = sfile(t, "bus/pci/drivers_autoprobe", 0644, "1\n");
	if (rc == 0)
		rc = sfile(t, "bus/pci/rescan", 0200, "%s", "");
	if (rc == 0)
		rc = fake_tree_load_driver(t, "pcieport");
	for (int i = 0; rc == 0 && o->drivers[i]; i++)
		rc = fake_tree_load_driver(t, o->drivers[i]);
	return rc;
}

static int make_pf(struct fake_tree *t, const struct fake_tree_opts *o, int p)
{
	char rel[PATH_MAX], f[PATH_MAX];
	const char *addr = t->pf_addr[p];
	int rc;

	snprintf(rel, sizeof(rel), "devices/pci0000:00/%s", t->bridge_addr[p]);
	rc = add_device(t, "devices/pci0000:00", t->bridge_addr[p], NVME_VENDOR,
			PORT_DEVICE, PORT_CLASS, 2 + 2 * p, true);
	if (rc == 0)
		rc = fake_tree_bind(t, t->bridge_addr[p], "pcieport");
	if (rc == 0)
		rc = add_device(t, rel, addr, NVME_VENDOR, NVME_DEVICE,
				NVME_CLASS, 3 + 2 * p, true);
	if (rc < 0)
		return rc;
	snprintf(rel, sizeof(rel), "devices/pci0000:00/%s/%s",
		 t->bridge_addr[p], addr);
	DEV_ATTR("sriov_totalvfs", 0444, "%d\n", t->total_vfs);
	DEV_ATTR("sriov_numvfs", 0644, "0\n");
	DEV_ATTR("sriov_drivers_autoprobe", 0644, "1\n");
	DEV_ATTR("sriov_offset", 0444, "1\n");
	DEV_ATTR("sriov_stride", 0444, "1\n");
	DEV_ATTR("sriov_vf_device", 0444, "%04x\n", NVME_DEVICE);
	if (!o->pf_unbound && fake_tree_driver_loaded(t, "nvme"))
		rc = fake_tree_bind(t, addr, "nvme");
	for (int i = 0; rc == 0 && i < o->initial_vfs; i++) {
		char vf[16];
		const char *d = o->vf_driver;

		rc = fake_tree_add_vf(t, p, i);
		if (rc < 0)
			break;
		fake_tree_vf_address(t, p, i, vf);
		if (!d)
			d = fake_tree_default_driver(t, vf);
		else if (*d)
			rc = fake_tree_set_attr(t, vf, "driver_override", d);
		if (rc == 0 && d && *d)
			rc = fake_tree_bind(t, vf, d);
	}
	if (rc == 0 && o->initial_vfs > 0) {
		char n[16];

		snprintf(n, sizeof(n), "%d\n", o->initial_vfs);
		rc = fake_tree_set_attr(t, addr, "sriov_numvfs", n);
	}
	return rc;
}

int fake_tree_new(const struct fake_tree_opts *o, struct fake_tree **out)
{
	struct fake_tree_opts dflt;
	struct fake_tree *t;
	char path[PATH_MAX];
	int rc;

	if (!o) {
		fake_tree_opts_init(&dflt);
		o = &dflt;
	}
	if (o->num_pfs < 0 || o->num_pfs > 30 || o->total_vfs < 0 ||
	    o->total_vfs > 4096 || o->initial_vfs < 0 ||
	    o->initial_vfs > o->total_vfs)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->num_pfs = o->num_pfs;
	t->total_vfs = o->total_vfs;
	t->no_iommu = o->no_iommu;
	/* routing IDs of a PF and its VFs, rounded up to whole buses */
	t->bus_span = (t->total_vfs + 1 + 255) / 256;
	for (int p = 0; p < t->num_pfs; p++) {
		snprintf(t->bridge_addr[p], 16, "0000:00:%02x.0", p + 1);
		snprintf(t->pf_addr[p], 16, "0000:%02x:00.0",
			 1 + p * t->bus_span);
	}
	if (1 + t->num_pfs * t->bus_span > 0x100) {
		free(t);
		return -ERANGE;
	}

	if (o->dir) {
		rc = mkdir_p(o->dir);
		if (rc < 0 || !realpath(o->dir, t->dir)) {
			free(t);
			return rc < 0 ? rc : -errno;
		}
	} else {
		const char *tmp = getenv("TMPDIR");

		snprintf(path, sizeof(path), "%s/vvp-tree.XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(path) || !realpath(path, t->dir)) {
			rc = -errno;
			free(t);
			return rc;
		}
	}
	snprintf(t->sys, sizeof(t->sys), "%s/sys", t->dir);
	snprintf(t->proc, sizeof(t->proc), "%s/proc", t->dir);

	rc = make_skeleton(t, o);
	if (rc == 0)
		rc = add_device(t, "devices/pci0000:00", "0000:00:00.0", 0x8086,
				0x29c0, 0x060000, 0, true);
	if (rc == 0 && o->non_sriov)
		rc = add_device(t, "devices/pci0000:00",
				fake_tree_non_sriov_address(), 0x8086, 0x2918,
				0x060100, 1, true);
	for (int p = 0; rc == 0 && p < t->num_pfs; p++)
		rc = make_pf(t, o, p);
	if (rc == 0)
		rc = make_proc(t);
	if (rc < 0) {
		fake_tree_destroy(t);
		return rc;
	}
	*out = t;
	return 0;
}

void fake_tree_free(struct fake_tree *t)
{
	free(t);
}

void fake_tree_destroy(struct fake_tree *t)
{
	if (!t)
		return;
	rm_rf(t->dir);
	free(t);
}
