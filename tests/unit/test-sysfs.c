// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfs.c: paths under the root, attribute reads and writes, link names */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvvp-private.h"

struct st {
	char dir[PATH_MAX];
	struct vvp_ctx *ctx;
};

static int setup(void **state)
{
	struct st *s = calloc(1, sizeof(*s));
	const char *tmp = getenv("TMPDIR");

	if (!s)
		return -1;
	snprintf(s->dir, sizeof(s->dir), "%s/vvp-unit.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir) || vvp_new(&s->ctx) < 0 ||
	    vvp_set_sysfs_root(s->ctx, s->dir) < 0)
		return -1;
	*state = s;
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int f, struct FTW *w)
{
	return remove(p);
}

static int teardown(void **state)
{
	struct st *s = *state;

	nftw(s->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	vvp_unref(s->ctx);
	free(s);
	return 0;
}

static void put(struct st *s, const char *name, const char *content, size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}

static void test_path(void **state)
{
	struct st *s = *state;
	char buf[PATH_MAX], want[PATH_MAX], tiny[8];

	assert_int_equal(sysfs_path(s->ctx, buf, sizeof(buf), "bus/pci/devices/%s/%s",
				    "0000:01:00.0", "vendor"), 0);
	snprintf(want, sizeof(want), "%s/bus/pci/devices/0000:01:00.0/vendor", s->dir);
	assert_string_equal(buf, want);
	assert_int_equal(dev_path(s->ctx, buf, "0000:01:00.0", "driver"), 0);
	snprintf(want, sizeof(want), "%s/bus/pci/devices/0000:01:00.0/driver", s->dir);
	assert_string_equal(buf, want);
	/* never a truncated path */
	assert_int_equal(sysfs_path(s->ctx, tiny, sizeof(tiny), "x"), -ENAMETOOLONG);
	assert_int_equal(sysfs_path(s->ctx, buf, strlen(s->dir) + 4, "abcd"),
			 -ENAMETOOLONG);
	assert_int_equal(sysfs_path(s->ctx, buf, strlen(s->dir) + 6, "abcd"), 0);
}

/* an attribute holding len bytes of content reads back as want */
static void read_back(struct st *s, const char *content, size_t len,
		      const char *want)
{
	char path[PATH_MAX], buf[16];

	put(s, "attr", content, len);
	sysfs_path(s->ctx, path, sizeof(path), "attr");
	assert_int_equal(sysfs_read(s->ctx, path, buf, sizeof(buf)),
			 strlen(want));
	assert_string_equal(buf, want);
}

static void test_read(void **state)
{
	struct st *s = *state;
	char path[PATH_MAX], buf[16];

	read_back(s, "0x1b36\n", 7, "0x1b36");
	/* no newline; trailing NULs (some attributes pad) */
	read_back(s, "nvme\0\0", 6, "nvme");
	read_back(s, "", 0, "");
	/* longer than the buffer: cut, still terminated */
	read_back(s, "0123456789abcdefXYZ\n", 20, "0123456789abcde");
	/* missing */
	sysfs_path(s->ctx, path, sizeof(path), "nope");
	assert_int_equal(sysfs_read(s->ctx, path, buf, sizeof(buf)), -ENOENT);
}

static void test_read_int_hex(void **state)
{
	struct st *s = *state;
	char path[PATH_MAX];
	unsigned int h = 7;
	int v = 7;

	sysfs_path(s->ctx, path, sizeof(path), "n");
	put(s, "n", "1024\n", 5);
	assert_int_equal(sysfs_read_int(s->ctx, path, &v), 0);
	assert_int_equal(v, 1024);
	put(s, "n", "-3\n", 3);
	assert_int_equal(sysfs_read_int(s->ctx, path, &v), 0);
	assert_int_equal(v, -3);
	put(s, "n", "12abc\n", 6);
	v = 7;
	assert_int_equal(sysfs_read_int(s->ctx, path, &v), -EINVAL);
	assert_int_equal(v, 7);
	put(s, "n", "\n", 1);
	assert_int_equal(sysfs_read_int(s->ctx, path, &v), -EINVAL);
	put(s, "n", "99999999999\n", 12);
	assert_int_equal(sysfs_read_int(s->ctx, path, &v), -EINVAL);

	put(s, "n", "0x1b36\n", 7);
	assert_int_equal(sysfs_read_hex(s->ctx, path, &h), 0);
	assert_int_equal(h, 0x1b36);
	put(s, "n", "0010\n", 5);	/* sriov_vf_device has no 0x */
	assert_int_equal(sysfs_read_hex(s->ctx, path, &h), 0);
	assert_int_equal(h, 0x10);
	put(s, "n", "0xzz\n", 5);
	assert_int_equal(sysfs_read_hex(s->ctx, path, &h), -EINVAL);
	put(s, "n", "0x100000000\n", 12);
	assert_int_equal(sysfs_read_hex(s->ctx, path, &h), -EINVAL);

	sysfs_path(s->ctx, path, sizeof(path), "missing");
	assert_int_equal(sysfs_read_int(s->ctx, path, &v), -ENOENT);
	assert_int_equal(sysfs_read_hex(s->ctx, path, &h), -ENOENT);
}

static void test_write(void **state)
{
	struct st *s = *state;
	char path[PATH_MAX], buf[16];

	/* without a hook: one write of the whole value */
	put(s, "w", "old-value\n", 10);
	sysfs_path(s->ctx, path, sizeof(path), "w");
	assert_int_equal(sysfs_write(s->ctx, path, "4"), 0);
	assert_int_equal(sysfs_read(s->ctx, path, buf, sizeof(buf)), 9);
	sysfs_path(s->ctx, path, sizeof(path), "no/such/attr");
	assert_int_equal(sysfs_write(s->ctx, path, "1"), -ENOENT);
	/* a read-only attribute */
	if (geteuid() != 0) {
		put(s, "ro", "1\n", 2);
		sysfs_path(s->ctx, path, sizeof(path), "ro");
		chmod(path, 0444);
		assert_int_equal(sysfs_write(s->ctx, path, "0"), -EACCES);
	}
}

static int hook_calls;
static char hook_path[PATH_MAX], hook_value[64];

static int hook(struct vvp_ctx *ctx, const char *path, const char *value,
		void *data)
{
	hook_calls++;
	snprintf(hook_path, sizeof(hook_path), "%s", path);
	snprintf(hook_value, sizeof(hook_value), "%s", value);
	return *(int *)data;
}

static void test_write_hook(void **state)
{
	struct st *s = *state;
	char path[PATH_MAX], buf[16];
	int ret = -EBUSY;

	put(s, "w", "0\n", 2);
	vvp_set_sysfs_write_hook(s->ctx, hook, &ret);
	sysfs_path(s->ctx, path, sizeof(path), "w");
	assert_int_equal(sysfs_write(s->ctx, path, "8"), -EBUSY);
	assert_int_equal(hook_calls, 1);
	assert_string_equal(hook_path, path);
	assert_string_equal(hook_value, "8");
	/* the hook is the kernel: the file is not touched */
	sysfs_read(s->ctx, path, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	ret = 0;
	assert_int_equal(sysfs_write(s->ctx, path, "\n"), 0);
	assert_string_equal(hook_value, "\n");
	vvp_set_sysfs_write_hook(s->ctx, NULL, NULL);
	assert_int_equal(sysfs_write(s->ctx, path, "3"), 0);
	assert_int_equal(hook_calls, 2);
	sysfs_read(s->ctx, path, buf, sizeof(buf));
	assert_string_equal(buf, "3");
}

static void test_links(void **state)
{
	struct st *s = *state;
	char path[PATH_MAX], buf[32], small[4];

	sysfs_path(s->ctx, path, sizeof(path), "driver");
	assert_int_equal(symlink("../../../bus/pci/drivers/vfio-pci", path), 0);
	assert_int_equal(sysfs_link_name(s->ctx, path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vfio-pci");
	assert_int_equal(sysfs_link_name(s->ctx, path, small, sizeof(small)),
			 -ENAMETOOLONG);
	sysfs_path(s->ctx, path, sizeof(path), "group");
	assert_int_equal(symlink("42", path), 0);	/* no slash */
	assert_int_equal(sysfs_link_name(s->ctx, path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "42");
	sysfs_path(s->ctx, path, sizeof(path), "none");
	assert_int_equal(sysfs_link_name(s->ctx, path, buf, sizeof(buf)), -ENOENT);
	assert_false(sysfs_exists(s->ctx, path));
	put(s, "plain", "x", 1);
	sysfs_path(s->ctx, path, sizeof(path), "plain");
	assert_true(sysfs_exists(s->ctx, path));
	assert_int_equal(sysfs_link_name(s->ctx, path, buf, sizeof(buf)), -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_path),
		T(test_read),
		T(test_read_int_hex),
		T(test_write),
		T(test_write_hook),
		T(test_links),
	};

	return cmocka_run_group_tests_name("sysfs", tests, NULL, NULL);
}
