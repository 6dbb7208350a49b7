// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's PCI sysfs ABI, modelled on a fake tree (see fake-kernel.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-kernel.h"
#include "fake-tree.h"

#define MAX_FAULTS 8
#define MAX_PROBE_ERRORS 8

struct fault {
	char suffix[128];
	char value[64];
	bool any_value;
	int err, times;
};

struct fake_kernel {
	struct fake_tree *t;
	struct fault faults[MAX_FAULTS];
	struct {
		char driver[64];
		int err;
	} probe_errors[MAX_PROBE_ERRORS];
	char *log;
	size_t len, cap;
	unsigned int writes;
	bool hung;
};

struct fake_kernel *fake_kernel_new(struct fake_tree *t)
{
	struct fake_kernel *k = calloc(1, sizeof(*k));

	if (k)
		k->t = t;
	return k;
}

void fake_kernel_free(struct fake_kernel *k)
{
	if (k)
		free(k->log);
	free(k);
}

void fake_kernel_fail(struct fake_kernel *k, const char *suffix,
		      const char *value, int err, int times)
{
	for (int i = 0; i < MAX_FAULTS; i++) {
		struct fault *f = &k->faults[i];

		if (f->times > 0)
			continue;
		snprintf(f->suffix, sizeof(f->suffix), "%s", suffix);
		snprintf(f->value, sizeof(f->value), "%s", value ? value : "");
		f->any_value = !value;
		f->err = err;
		f->times = times;
		return;
	}
}

void fake_kernel_set_probe_error(struct fake_kernel *k, const char *driver,
				 int err)
{
	int free_slot = -1;

	for (int i = 0; i < MAX_PROBE_ERRORS; i++) {
		if (strcmp(k->probe_errors[i].driver, driver) == 0) {
			k->probe_errors[i].err = err;
			return;
		}
		if (free_slot < 0 && !k->probe_errors[i].driver[0])
			free_slot = i;
	}
	if (free_slot >= 0) {
		snprintf(k->probe_errors[free_slot].driver,
			 sizeof(k->probe_errors[free_slot].driver), "%s",
			 driver);
		k->probe_errors[free_slot].err = err;
	}
}

const char *fake_kernel_log(struct fake_kernel *k)
{
	return k->log ? k->log : "";
}

unsigned int fake_kernel_writes(struct fake_kernel *k)
{
	return k->writes;
}

void fake_kernel_clear_log(struct fake_kernel *k)
{
	k->len = 0;
	if (k->log)
		k->log[0] = '\0';
	k->writes = 0;
}

bool fake_kernel_hung(struct fake_kernel *k)
{
	return k->hung;
}

static const char *errno_name(int err)
{
	static char buf[16];
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EBUSY, "EBUSY" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { ENXIO, "ENXIO" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == -err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

static void log_write(struct fake_kernel *k, const char *rel,
		      const char *value, int rc)
{
	char line[PATH_MAX + 256];
	size_t n;
	int w;

	if (strncmp(rel, "bus/pci/devices/", 16) == 0)
		rel += 16;
	else if (strncmp(rel, "bus/pci/", 8) == 0)
		rel += 8;
	w = snprintf(line, sizeof(line), "%s ", rel);
	for (const char *v = value; *v && w < (int)sizeof(line) - 64; v++)
		w += *v == '\n' ? snprintf(line + w, sizeof(line) - w, "\\n")
				: snprintf(line + w, sizeof(line) - w, "%c", *v);
	if (rc)
		w += snprintf(line + w, sizeof(line) - w, " -> %s",
			      errno_name(rc));
	snprintf(line + w, sizeof(line) - w, "\n");
	n = strlen(line);
	if (k->len + n + 1 > k->cap) {
		size_t cap = (k->cap ? k->cap * 2 : 4096) + n;
		char *p = realloc(k->log, cap);

		if (!p)
			return;
		k->log = p;
		k->cap = cap;
	}
	memcpy(k->log + k->len, line, n + 1);
	k->len += n;
	k->writes++;
}

/* the value up to its first newline, as sysfs_streq and the stores see it */
static void chomp(const char *value, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(value, "\n"), value);
}

static int probe_error(struct fake_kernel *k, const char *driver)
{
	for (int i = 0; i < MAX_PROBE_ERRORS; i++)
		if (strcmp(k->probe_errors[i].driver, driver) == 0)
			return k->probe_errors[i].err;
	return 0;
}

static bool is_vfio(const char *driver)
{
	size_t len = strlen(driver);

	return strcmp(driver, "vfio-pci") == 0 ||
	       (len >= 8 && strcmp(driver + len - 8, "vfio_pci") == 0);
}

/* driver's probe on an unbound device: 0 bound, or its error */
static int really_probe(struct fake_kernel *k, const char *addr,
			const char *driver)
{
	int err = probe_error(k, driver);

	if (err)
		return err;
	if (is_vfio(driver) && fake_tree_group(k->t, addr) < 0)
		return -EINVAL;	/* vfio: "No IOMMU group" */
	return fake_tree_bind(k->t, addr, driver);
}

/* pci_bus_match(): an override names the only driver that may bind */
static bool driver_matches(struct fake_kernel *k, const char *addr,
			   const char *driver)
{
	char override[256];
	const char *dflt;

	fake_tree_override(k->t, addr, override, sizeof(override));
	if (override[0])
		return strcmp(override, driver) == 0;
	dflt = fake_tree_default_driver(k->t, addr);
	return dflt && strcmp(dflt, driver) == 0;
}

/* device_attach(): the first matching loaded driver; errors swallowed */
static void attach(struct fake_kernel *k, const char *addr)
{
	char override[256], cur[256];
	const char *driver;

	if (fake_tree_driver(k->t, addr, cur, sizeof(cur)) == 0)
		return;
	fake_tree_override(k->t, addr, override, sizeof(override));
	if (override[0])
		driver = fake_tree_driver_loaded(k->t, override) ? override : NULL;
	else
		driver = fake_tree_default_driver(k->t, addr);
	if (driver)
		really_probe(k, addr, driver);
}

/* unbinding a vfio device whose group is open waits for the user */
static bool would_block(struct fake_kernel *k, const char *addr)
{
	char cur[256];

	return fake_tree_driver(k->t, addr, cur, sizeof(cur)) == 0 &&
	       is_vfio(cur) && fake_tree_group_held(k->t, fake_tree_group(k->t, addr));
}

static int store_numvfs(struct fake_kernel *k, const char *addr,
			const char *value)
{
	char driver[256], *end;
	int pf, vf, cur, total;
	unsigned long num;

	errno = 0;
	num = strtoul(value, &end, 0);
	if (end == value || (*end && strcmp(end, "\n")) || errno ||
	    num > 0xffff || value[0] == '-')
		return -EINVAL;
	if (fake_tree_lookup(k->t, addr, &pf, &vf) < 0 || vf >= 0)
		return -ENOENT;	/* a VF has no sriov_numvfs */
	total = fake_tree_get_int(k->t, addr, "sriov_totalvfs");
	cur = fake_tree_get_int(k->t, addr, "sriov_numvfs");
	if ((long)num > total)
		return -ERANGE;
	if ((int)num == cur)
		return 0;
	if (fake_tree_driver(k->t, addr, driver, sizeof(driver)) < 0)
		return -ENOENT;	/* "no driver bound to device" */
	if (num == 0) {
		for (int i = cur - 1; i >= 0; i--) {
			char a[16];

			fake_tree_vf_address(k->t, pf, i, a);
			if (would_block(k, a)) {
				k->hung = true;
				return -EDEADLK;
			}
		}
		for (int i = cur - 1; i >= 0; i--)
			fake_tree_remove_vf(k->t, pf, i);
		return fake_tree_set_attr(k->t, addr, "sriov_numvfs", "0\n");
	}
	if (cur > 0)
		return -EBUSY;	/* "%d VFs already enabled. Disable before ..." */
	for (unsigned long i = 0; i < num; i++) {
		int rc = fake_tree_add_vf(k->t, pf, i);

		if (rc < 0)
			return rc;
	}
	{
		char n[16];

		snprintf(n, sizeof(n), "%lu\n", num);
		fake_tree_set_attr(k->t, addr, "sriov_numvfs", n);
	}
	if (fake_tree_get_int(k->t, addr, "sriov_drivers_autoprobe") == 1) {
		for (unsigned long i = 0; i < num; i++) {
			char a[16];

			fake_tree_vf_address(k->t, pf, i, a);
			attach(k, a);
		}
	}
	return 0;
}

static int store_autoprobe(struct fake_kernel *k, const char *addr,
			   const char *value)
{
	char v[16];

	chomp(value, v, sizeof(v));
	if (!strcmp(v, "1") || !strcasecmp(v, "y") || !strcasecmp(v, "on"))
		return fake_tree_set_attr(k->t, addr, "sriov_drivers_autoprobe", "1\n");
	if (!strcmp(v, "0") || !strcasecmp(v, "n") || !strcasecmp(v, "off"))
		return fake_tree_set_attr(k->t, addr, "sriov_drivers_autoprobe", "0\n");
	return -EINVAL;
}

static int store_override(struct fake_kernel *k, const char *addr,
			  const char *value)
{
	char v[4096];

	if (strlen(value) >= 4096 - 1)
		return -EINVAL;
	chomp(value, v, sizeof(v));
	if (!v[0])
		return fake_tree_set_attr(k->t, addr, "driver_override", "(null)\n");
	strcat(v, "\n");
	return fake_tree_set_attr(k->t, addr, "driver_override", v);
}

static int store_dev_attr(struct fake_kernel *k, const char *rest,
			  const char *value)
{
	char addr[64];
	const char *attr = strchr(rest, '/');

	if (!attr || attr - rest >= (int)sizeof(addr))
		return -ENOENT;
	snprintf(addr, sizeof(addr), "%.*s", (int)(attr - rest), rest);
	attr++;
	if (!fake_tree_device_exists(k->t, addr))
		return -ENOENT;
	if (strcmp(attr, "sriov_numvfs") == 0)
		return store_numvfs(k, addr, value);
	if (strcmp(attr, "sriov_drivers_autoprobe") == 0)
		return store_autoprobe(k, addr, value);
	if (strcmp(attr, "driver_override") == 0)
		return store_override(k, addr, value);
	/* read-only or not modelled */
	{
		char buf[8];

		return fake_tree_get_attr(k->t, addr, attr, buf, sizeof(buf)) < 0 ?
			-ENOENT : -EACCES;
	}
}

static int store_driver_attr(struct fake_kernel *k, const char *rest,
			     const char *value)
{
	char driver[256], addr[64], cur[256];
	const char *attr = strchr(rest, '/');

	if (!attr || attr - rest >= (int)sizeof(driver))
		return -ENOENT;
	snprintf(driver, sizeof(driver), "%.*s", (int)(attr - rest), rest);
	attr++;
	if (!fake_tree_driver_loaded(k->t, driver))
		return -ENOENT;
	chomp(value, addr, sizeof(addr));
	if (strcmp(attr, "unbind") == 0) {
		if (!fake_tree_device_exists(k->t, addr) ||
		    fake_tree_driver(k->t, addr, cur, sizeof(cur)) < 0 ||
		    strcmp(cur, driver) != 0)
			return -ENODEV;
		if (would_block(k, addr)) {
			k->hung = true;
			return -EDEADLK;
		}
		return fake_tree_unbind(k->t, addr);
	}
	if (strcmp(attr, "bind") == 0) {
		if (!fake_tree_device_exists(k->t, addr) ||
		    !driver_matches(k, addr, driver))
			return -ENODEV;
		if (fake_tree_driver(k->t, addr, cur, sizeof(cur)) == 0)
			return -EBUSY;
		return really_probe(k, addr, driver);
	}
	return -EACCES;	/* new_id, remove_id, uevent: not modelled */
}

static int store(struct fake_kernel *k, const char *rel, const char *value)
{
	char addr[64];

	if (!*value)
		return 0;	/* kernfs does not call ->store for 0 bytes */
	if (strncmp(rel, "bus/pci/devices/", 16) == 0)
		return store_dev_attr(k, rel + 16, value);
	if (strncmp(rel, "bus/pci/drivers/", 16) == 0)
		return store_driver_attr(k, rel + 16, value);
	if (strcmp(rel, "bus/pci/drivers_probe") == 0) {
		chomp(value, addr, sizeof(addr));
		if (!fake_tree_device_exists(k->t, addr))
			return -ENODEV;
		attach(k, addr);
		return 0;
	}
	return -ENOENT;
}

int fake_kernel_write(struct vvp_ctx *ctx, const char *path,
		      const char *value, void *data)
{
	struct fake_kernel *k = data;
	const char *root = fake_tree_sysfs(k->t);
	size_t n = strlen(root);
	const char *rel;
	int rc = 0;

	/* a path outside the tree is a library bug: log it whole */
	if (strncmp(path, root, n) != 0 || path[n] != '/') {
		log_write(k, path, value, -ENOENT);
		return -ENOENT;
	}
	rel = path + n + 1;
	for (int i = 0; i < MAX_FAULTS; i++) {
		struct fault *f = &k->faults[i];
		size_t rl = strlen(rel), sl = strlen(f->suffix);
		char v[64];

		if (f->times <= 0 || rl < sl || strcmp(rel + rl - sl, f->suffix))
			continue;
		chomp(value, v, sizeof(v));
		if (!f->any_value && strcmp(v, f->value))
			continue;
		f->times--;
		rc = f->err;
		break;
	}
	if (rc == 0)
		rc = store(k, rel, value);
	log_write(k, rel, value, rc);
	return rc;
}
