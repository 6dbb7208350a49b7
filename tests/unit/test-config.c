// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvp_config_read(): config texts and the exact problems each has, the
 * config directory (conf.d order, a key set in two files), the
 * permission rule, and the getters' effective values. Runs in a fresh
 * directory under $TMPDIR, so problems read "t.conf:LINE: ...".
 */
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

#include "config-private.h"

static char tmpdir[PATH_MAX];

/* --- files --- */

static void write_mode(const char *path, const char *text, size_t len,
		       mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	/* not the umask's idea: the reader refuses group-writable files */
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void write_text(const char *path, const char *text)
{
	write_mode(path, text, strlen(text), 0644);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* a context whose config directory is DIR (created 0755 when asked) */
static struct vvp_ctx *ctx_on(const char *dir)
{
	struct vvp_ctx *ctx;

	assert_int_equal(vvp_new(&ctx), 0);
	assert_int_equal(vvp_set_config_dir(ctx, dir), 0);
	return ctx;
}

/* every problem, one per line */
static char *problems(struct vvp_config *config)
{
	static char buf[16384];
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < vvp_config_get_num_problems(config); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s\n",
			      vvp_config_get_problem(config, i));
	return buf;
}

/* read t.conf with text: the problems, and 0 / -EINVAL to match them */
static void expect(const char *name, const char *text, size_t len,
		   const char *want)
{
	struct vvp_ctx *ctx = ctx_on(".");
	struct vvp_config *config = NULL;
	int rc;

	write_mode("t.conf", text, len, 0644);
	rc = vvp_config_read(ctx, "t.conf", &config);
	assert_non_null(config);
	if (strcmp(problems(config), want) != 0) {
		print_error("%s: problems\n%s--- wanted\n%s---\n", name,
			    problems(config), want);
		fail();
	}
	assert_int_equal(rc, *want ? -EINVAL : 0);
	if (*want)
		assert_non_null(strstr(vvp_get_last_error(ctx), "invalid config"));
	vvp_config_unref(config);
	vvp_unref(ctx);
}

/* read t.conf with text: n problems, the last one want */
static void expect_count(const char *name, const char *text, size_t len,
			 unsigned int n, const char *want)
{
	struct vvp_ctx *ctx = ctx_on(".");
	struct vvp_config *config = NULL;

	write_mode("t.conf", text, len, 0644);
	assert_int_equal(vvp_config_read(ctx, "t.conf", &config), -EINVAL);
	assert_int_equal(vvp_config_get_num_problems(config), n);
	assert_string_equal(vvp_config_get_problem(config, n - 1), want);
	vvp_config_unref(config);
	vvp_unref(ctx);
}

/* --- the table: one config text each, and its problems --- */

/* a text with NUL bytes in it, and its length */
#define B(text) text, sizeof(text) - 1

static const struct row {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen */
	const char *want;
} rows[] = {
	{ "issue 10's example, inline comments and all",
	  "[pf 0000:01:00.0]\n"
	  "num_vfs = 4\n"
	  "driver = vfio-pci            ; default for its VFs: a driver name\n"
	  "transitional = off           ; default for its VFs\n"
	  "autoprobe = off              ; sriov_drivers_autoprobe after apply\n"
	  "\n"
	  "[vf 0000:01:00.0/1]          ; PF address / VF index (virtfnN)\n"
	  "mac = 02:11:22:33:44:01\n"
	  "mtu = 9000\n"
	  "transitional = on\n"
	  "driver = vvp_vfio_pci\n", 0, "" },
	{ "empty file", "", 0, "" },
	{ "comments only, both kinds, indented too",
	  "; a comment\n# another\n   ; indented\n\n", 0, "" },
	{ "CR LF line ends",
	  "[pf 0000:01:00.0]\r\nnum_vfs = 2\r\ndriver = host\r\n", 0, "" },
	{ "no newline at the end",
	  "[pf 0000:01:00.0]\nnum_vfs = 2", 0, "" },
	{ "UTF-8 byte order mark",
	  "\xef\xbb\xbf[pf 0000:01:00.0]\nnum_vfs = 1\n", 0, "" },
	{ "indented keys are keys, not inih's continuation lines",
	  "[pf 0000:01:00.0]\n\tnum_vfs = 2\n    driver = none\n", 0, "" },
	{ "domainless address, upper case, serial, boolean spellings",
	  "[pf 01:00.0]\nautoprobe = YES\ntransitional = 0\n"
	  "[pf serial=00-1B-21-FF-FF-B2-5E-3C]\nautoprobe = true\n"
	  "[vf serial=00-1b-21-ff-ff-b2-5e-3c/3]\ntransitional = No\n", 0, "" },
	{ "';' without a blank before it is part of the value",
	  "[pf 0000:01:00.0]\ndriver = vfio-pci;x\nnum_vfs = 2 ;ok\n", 0,
	  "t.conf:2: driver 'vfio-pci;x' is not a driver name (letters, digits, '_', '-', '.'), host or none\n" },
	{ "a key before any section",
	  "num_vfs = 4\n[pf 0000:01:00.0]\n", 0,
	  "t.conf:1: key 'num_vfs' before any section (it belongs under [pf ...] or [vf ...])\n" },
	{ "binary junk",
	  B("[pf 0000:01:00.0]\nnum_vfs = 1\n\x7f" "ELF\x02\x01\x01\x00\x00"),
	  "t.conf:3: binary data (byte 0x7f), not a config file\n" },
	{ "a NUL byte",
	  B("[pf 0000:01:00.0]\x00num_vfs = 1\n"),
	  "t.conf:1: binary data (byte 0x00), not a config file\n" },
	{ "unknown sections and their keys",
	  "[global]\nfoo = 1\n[pf]\n[vf]\n[PF 0000:01:00.0]\n", 0,
	  "t.conf:1: unknown section [global] (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])\n"
	  "t.conf:3: [pf] names no PF (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])\n"
	  "t.conf:4: [vf] names no VF (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])\n"
	  "t.conf:5: unknown section [PF 0000:01:00.0] (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])\n" },
	{ "bad section names",
	  "[pf 0000:01:00]\n[pf serial=00-11]\n[vf 0000:01:00.0]\n"
	  "[vf 0000:01:00.0/x]\n[vf 0000:01:00.0/65535]\n[vf 01:00.0/-1]\n"
	  "[pf 0000:01:00.0\n", 0,
	  "t.conf:1: '0000:01:00' is not a PCI address (expected [DDDD:]BB:DD.F) or serial=SERIAL\n"
	  "t.conf:2: '00-11' is not a serial number (expected serial= and eight hex pairs, 00-11-22-33-44-55-66-77)\n"
	  "t.conf:3: [vf 0000:01:00.0] names no VF (expected [vf PF/INDEX], 0000:01:00.0/1)\n"
	  "t.conf:4: 'x' is not a VF index (0 to 65534)\n"
	  "t.conf:5: '65535' is not a VF index (0 to 65534)\n"
	  "t.conf:6: '-1' is not a VF index (0 to 65534)\n"
	  "t.conf:7: section without its closing ']'\n" },
	{ "keys of a bad PF name are still checked",
	  "[pf 0000:01:00]\nnum_vfs = lots\nmac = 02:00:00:00:00:01\n", 0,
	  "t.conf:1: '0000:01:00' is not a PCI address (expected [DDDD:]BB:DD.F) or serial=SERIAL\n"
	  "t.conf:2: num_vfs 'lots' is not a number from 0 to 65535\n"
	  "t.conf:3: key 'mac' belongs in a [vf] section, not in [pf]\n" },
	{ "unknown keys, keys in the wrong section, no value, no name",
	  "[pf 0000:01:00.0]\nmtu = 1500\nnumvfs = 2\nnum_vfs =\n= 3\n"
	  "[vf 0000:01:00.0/0]\nautoprobe = on\nMAC = 02:00:00:00:00:01\n", 0,
	  "t.conf:2: key 'mtu' belongs in a [vf] section, not in [pf]\n"
	  "t.conf:3: unknown key 'numvfs' in a [pf] section\n"
	  "t.conf:4: num_vfs has no value\n"
	  "t.conf:5: '= 3' has no key name\n"
	  "t.conf:7: key 'autoprobe' belongs in a [pf] section, not in [vf]\n"
	  "t.conf:8: unknown key 'MAC' in a [vf] section\n" },
	{ "lines that are neither section nor key; inih's line length",
	  "[pf 0000:01:00.0]\nnum_vfs 4\n"
	  "; a long comment is fine: cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n"
	  "[vf 0000:01:00.0/1]\n"
	  "mtu = 00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "1500\n"
	  "[vf 0000:01:00.0/2]\n"
	  "mtu = 000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "1500 ; the comment does not count\n", 0,
	  "t.conf:2: 'num_vfs 4' is neither [SECTION] nor NAME = VALUE\n"
	  "t.conf:7: line too long (199 characters; at most 198)\n" },
	{ "blanks inside brackets; ':' is no separator in vvp.conf",
	  "[ pf 0000:01:00.0 ]\nnum_vfs = 1\n[\tvf 0000:01:00.0/0\t]\n"
	  "mac: 02:00:00:00:00:01\n02:00 = mac\nmtu = 1500\n[]\n", 0,
	  "t.conf:4: 'mac: 02:00:00:00:00:01' is neither [SECTION] nor NAME = VALUE\n"
	  "t.conf:5: '02:00 = mac' is neither [SECTION] nor NAME = VALUE\n"
	  "t.conf:7: unknown section [] (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])\n" },
	{ "bad numbers and booleans",
	  "[pf 0000:01:00.0]\nnum_vfs = 65536\nautoprobe = maybe\ntransitional = 2\n"
	  "[vf 0000:01:00.0/0]\nmtu = 67\n[vf 0000:01:00.0/1]\nmtu = 65536\n"
	  "[vf 0000:01:00.0/2]\nmtu = +9000\n[vf 0000:01:00.0/3]\nmtu = 0x100\n", 0,
	  "t.conf:2: num_vfs '65536' is not a number from 0 to 65535\n"
	  "t.conf:3: autoprobe 'maybe' is not on or off (nor yes/no, true/false, 1/0)\n"
	  "t.conf:4: transitional '2' is not on or off (nor yes/no, true/false, 1/0)\n"
	  "t.conf:6: mtu '67' is not a number from 68 to 65535\n"
	  "t.conf:8: mtu '65536' is not a number from 68 to 65535\n"
	  "t.conf:10: mtu '+9000' is not a number from 68 to 65535\n"
	  "t.conf:12: mtu '0x100' is not a number from 68 to 65535\n" },
	{ "drivers: names, host, none, and what is not a name",
	  "[pf 0000:01:00.0]\ndriver = ../../x\n[vf 0000:01:00.0/0]\ndriver = host\n"
	  "[vf 0000:01:00.0/1]\ndriver = none\n[vf 0000:01:00.0/2]\ndriver = mlx5_core\n"
	  "[vf 0000:01:00.0/3]\ndriver = -x\n[vf 0000:01:00.0/4]\ndriver = vfio pci\n", 0,
	  "t.conf:2: driver '../../x' is not a driver name (letters, digits, '_', '-', '.'), host or none\n"
	  "t.conf:10: driver '-x' is not a driver name (letters, digits, '_', '-', '.'), host or none\n"
	  "t.conf:12: driver 'vfio pci' is not a driver name (letters, digits, '_', '-', '.'), host or none\n" },
	{ "MACs the kernel refuses, and ones that are not MACs",
	  "[pf 0000:01:00.0]\n[vf 0000:01:00.0/0]\nmac = 01:00:5e:00:00:01\n"
	  "[vf 0000:01:00.0/1]\nmac = ff:ff:ff:ff:ff:ff\n[vf 0000:01:00.0/2]\nmac = 00:00:00:00:00:00\n"
	  "[vf 0000:01:00.0/3]\nmac = 02:11:22:33:44\n[vf 0000:01:00.0/4]\nmac = 02-11-22-33-44-55\n", 0,
	  "t.conf:3: mac 01:00:5e:00:00:01 is a multicast address (a VF needs a unicast one: the first byte even)\n"
	  "t.conf:5: mac ff:ff:ff:ff:ff:ff is a multicast address (a VF needs a unicast one: the first byte even)\n"
	  "t.conf:7: mac 00:00:00:00:00:00 is all zeros (the kernel refuses it as a VF's address)\n"
	  "t.conf:9: mac '02:11:22:33:44' is not a MAC address (expected six hex pairs, 02:11:22:33:44:01)\n" },
	{ "duplicate sections, also by another spelling",
	  "[pf 0000:01:00.0]\n[vf 0000:01:00.0/1]\n[pf 01:00.0]\n[vf 01:00.0/1]\n"
	  "[pf serial=00-11-22-33-44-55-66-77]\n[pf serial=00-11-22-33-44-55-66-77]\n", 0,
	  "t.conf:3: duplicate section [pf 0000:01:00.0] (first at line 1)\n"
	  "t.conf:4: duplicate section [vf 0000:01:00.0/1] (first at line 2)\n"
	  "t.conf:6: duplicate section [pf serial=00-11-22-33-44-55-66-77] (first at line 5)\n" },
	{ "a key set twice",
	  "[pf 0000:01:00.0]\nnum_vfs = 2\nnum_vfs = 3\n[vf 0000:01:00.0/1]\nmtu = 1500\n"
	  "[pf 0000:01:00.0]\nnum_vfs = 2\n[vf 0000:01:00.0/1]\nmtu = 9000\n", 0,
	  "t.conf:3: num_vfs already set at t.conf:2\n"
	  "t.conf:6: duplicate section [pf 0000:01:00.0] (first at line 1)\n"
	  "t.conf:7: num_vfs already set at t.conf:2\n"
	  "t.conf:8: duplicate section [vf 0000:01:00.0/1] (first at line 4)\n"
	  "t.conf:9: mtu already set at t.conf:5\n" },
	{ "VF indexes against num_vfs",
	  "[vf 0000:01:00.0/3]\n[pf 0000:01:00.0]\nnum_vfs = 3\n[vf 0000:01:00.0/2]\n"
	  "[vf 0000:01:00.0/4]\n[pf 0000:02:00.0]\nnum_vfs = 0\n[vf 0000:02:00.0/0]\n", 0,
	  "t.conf:1: [vf 0000:01:00.0/3] is not below the PF's num_vfs (3, at t.conf:3)\n"
	  "t.conf:5: [vf 0000:01:00.0/4] is not below the PF's num_vfs (3, at t.conf:3)\n"
	  "t.conf:8: [vf 0000:02:00.0/0] is not below the PF's num_vfs (0, at t.conf:7)\n" },
	{ "a [vf] without its [pf]",
	  "[pf 0000:01:00.0]\n[vf 0000:02:00.0/1]\n[vf 0000:02:00.0/0]\n"
	  "[vf serial=00-11-22-33-44-55-66-77/0]\n", 0,
	  "t.conf:2: [vf 0000:02:00.0/1] has no [pf 0000:02:00.0] section (add one, even an empty one)\n"
	  "t.conf:3: [vf 0000:02:00.0/0] has no [pf 0000:02:00.0] section (add one, even an empty one)\n"
	  "t.conf:4: [vf serial=00-11-22-33-44-55-66-77/0] has no [pf serial=00-11-22-33-44-55-66-77] section (add one, even an empty one)\n" },
	{ "the same MAC on two VFs, of one PF and of two",
	  "[pf 0000:01:00.0]\n[pf 0000:02:00.0]\n"
	  "[vf 0000:02:00.0/0]\nmac = 02:00:00:00:00:01\n"
	  "[vf 0000:01:00.0/5]\nmac = 02-00-00-00-00-01\n"
	  "[vf 0000:01:00.0/1]\nmac = 02:00:00:00:00:01\n"
	  "[vf 0000:01:00.0/2]\nmac = 02:00:00:00:00:02\n", 0,
	  "t.conf:6: mac 02:00:00:00:00:01 already set for VF 0000:02:00.0/0 at t.conf:4\n"
	  "t.conf:8: mac 02:00:00:00:00:01 already set for VF 0000:02:00.0/0 at t.conf:4\n" },
};

static void test_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		expect(rows[i].name, rows[i].text,
		       rows[i].len ? rows[i].len : strlen(rows[i].text),
		       rows[i].want);
}

/* 1 MiB of comments and then some: refused whole, not parsed */
static void test_huge(void **state)
{
	size_t len = 1024 * 1024 + 10;
	char *text = malloc(len);

	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		text[i] = i % 64 == 63 ? '\n' : ';';
	expect("huge", text, len,
	       "t.conf: too large for a config file (more than 1048576 bytes)\n");
	/* the bound itself is fine */
	expect("1 MiB", text, 1024 * 1024, "");
	free(text);
}

/* n [pf] sections, each a PF of its own, each with body */
static char *pfs(unsigned int n, const char *body, size_t *len)
{
	size_t cap = n * (strlen(body) + 16) + 1, at = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	for (unsigned int i = 0; i < n; i++)
		at += snprintf(text + at, cap - at, "[pf %x:%x.%x]\n%s",
			       i >> 8 & 0xff, i >> 3 & 0x1f, i & 7, body);
	*len = at;
	return text;
}

/* n lines of one text */
static char *lines(unsigned int n, const char *line, size_t *len)
{
	size_t l = strlen(line);
	char *text = malloc(n * l + 1);

	assert_non_null(text);
	for (unsigned int i = 0; i < n; i++)
		memcpy(text + i * l, line, l);
	*len = n * l;
	return text;
}

/*
 * Small files that would make a large config: every VF below num_vfs
 * is a struct in memory, so 1000 PFs with num_vfs = 65535 in 32 KiB
 * took 11 GiB; 60000 PFs or 45000 [vf] sections took quadratic time;
 * a megabyte of bad lines made half a million problems.
 */
static void test_bounds(void **state)
{
	size_t len;
	char *text;

	text = pfs(1000, "num_vfs = 65535\n", &len);
	expect("num_vfs in all", text, len,
	       "t.conf:6: num_vfs = 65535 makes 196605 VFs in the config (at most 131072 in all)\n");
	free(text);
	/* up to the limit is a config: 131072 VFs, each a struct */
	expect("131072 VFs", B("[pf 1:0.0]\nnum_vfs = 65535\n"
			     "[pf 2:0.0]\nnum_vfs = 65535\n"
			     "[pf 3:0.0]\nnum_vfs = 2\n"), "");

	text = pfs(5000, "", &len);
	expect("PFs", text, len,
	       "t.conf:4097: more than 4096 PFs in the config: the rest of this file is not read\n");
	free(text);

	text = lines(2000, "junk\n", &len);
	expect_count("problems", text, len, 1001,
		     "t.conf:1001: more than 1000 problems: the rest of this file is not read");
	free(text);
}

static void test_not_a_file(void **state)
{
	struct vvp_ctx *ctx = ctx_on(".");
	struct vvp_config *config = (void *)1;

	/* a directory named like a config file */
	assert_int_equal(mkdir("dir.conf", 0755), 0);
	assert_int_equal(vvp_config_read(ctx, "dir.conf", &config), -EINVAL);
	assert_string_equal(problems(config), "dir.conf: not a regular file\n");
	vvp_config_unref(config);
	/* a FILE that is not there is an error, not an empty config */
	assert_int_equal(vvp_config_read(ctx, "absent.conf", &config), -ENOENT);
	assert_null(config);
	assert_non_null(strstr(vvp_get_last_error(ctx), "absent.conf"));
	rmdir("dir.conf");
	vvp_unref(ctx);
}


/* --- the config directory --- */

static void make_dir(const char *path, mode_t mode)
{
	assert_int_equal(mkdir(path, mode), 0);
	/* the umask may have taken bits away: set what the test means */
	assert_int_equal(chmod(path, mode), 0);
}

/* read the config directory etc/: 0 or -EINVAL, and the problems */
static struct vvp_config *read_dir(const char *dir, int want_rc)
{
	struct vvp_ctx *ctx = ctx_on(dir);
	struct vvp_config *config = NULL;

	assert_int_equal(vvp_config_read(ctx, NULL, &config), want_rc);
	vvp_unref(ctx);	/* the config keeps its own reference */
	return config;
}

static void test_conf_d(void **state)
{
	struct vvp_config *config;

	make_dir("etc", 0755);
	make_dir("etc/conf.d", 0755);
	write_text("etc/vvp.conf",
		   "[pf 0000:01:00.0]\nnum_vfs = 2\n"
		   "[vf 0000:02:00.0/1]\nmtu = 9000\n");
	/* strcmp order: 10-b.conf comes before 9-a.conf */
	write_text("etc/conf.d/10-b.conf",
		   "[pf 0000:02:00.0]\ndriver = vfio-pci\n"
		   "[pf 0000:01:00.0]\nnum_vfs = 3\n");
	write_text("etc/conf.d/9-a.conf",
		   "[pf 0000:02:00.0]\ndriver = none\n"
		   "[vf 0000:02:00.0/1]\nmac = 02:00:00:00:00:09\nmtu = 1500\n");
	/* not *.conf, or hidden: not read */
	write_text("etc/conf.d/README", "junk\n");
	write_text("etc/conf.d/.x.conf", "junk\n");
	write_text("etc/conf.d/.conf", "junk\n");
	write_text("etc/conf.d/old.conf.bak", "junk\n");
	config = read_dir("etc", -EINVAL);
	assert_string_equal(problems(config),
		"etc/conf.d/10-b.conf:4: num_vfs already set at etc/vvp.conf:2\n"
		"etc/conf.d/9-a.conf:2: driver already set at etc/conf.d/10-b.conf:2\n"
		"etc/conf.d/9-a.conf:5: mtu already set at etc/vvp.conf:4\n");
	vvp_config_unref(config);

	/* without the redefinitions the files make one config */
	write_text("etc/conf.d/10-b.conf",
		   "[pf 0000:02:00.0]\ndriver = vfio-pci\n");
	write_text("etc/conf.d/9-a.conf",
		   "[vf 0000:02:00.0/1]\nmac = 02:00:00:00:00:09\n");
	config = read_dir("etc", 0);
	assert_int_equal(vvp_config_pf_get_num_vfs(vvp_config_pf_find(config, "01:00.0")), 2);
	{
		struct vvp_config_pf *cpf = vvp_config_pf_find(config, "0000:02:00.0");
		struct vvp_config_vf *cvf = vvp_config_vf_get_first(cpf);

		assert_ptr_equal(vvp_config_pf_get_next(vvp_config_pf_get_first(config)), cpf);
		assert_int_equal(vvp_config_vf_get_index(cvf), 1);
		assert_int_equal(vvp_config_vf_get_mtu(cvf), 9000);
		assert_string_equal(vvp_config_vf_get_driver(cvf), "vfio-pci");
		assert_non_null(vvp_config_vf_get_mac(cvf));
		assert_int_equal(vvp_config_vf_get_mac(cvf)[5], 9);
	}
	vvp_config_unref(config);
}

static void test_no_config(void **state)
{
	struct vvp_config *config;

	/* no directory, or an empty one: an empty config, valid */
	config = read_dir("nothere", 0);
	assert_null(vvp_config_pf_get_first(config));
	vvp_config_unref(config);
	make_dir("empty", 0755);
	config = read_dir("empty", 0);
	assert_int_equal(vvp_config_get_num_problems(config), 0);
	assert_null(vvp_config_pf_get_first(config));
	vvp_config_unref(config);
	/* conf.d without vvp.conf */
	make_dir("empty/conf.d", 0755);
	write_text("empty/conf.d/a.conf", "[pf 0000:01:00.0]\n");
	config = read_dir("empty", 0);
	assert_non_null(vvp_config_pf_find(config, "0000:01:00.0"));
	vvp_config_unref(config);
}

/* refused: -EPERM, no config, and a message that names the path */
static void refused(const char *dir, const char *file, const char *needle)
{
	struct vvp_ctx *ctx = ctx_on(dir);
	struct vvp_config *config = (void *)1;
	const char *msg;

	assert_int_equal(vvp_config_read(ctx, file, &config), -EPERM);
	assert_null(config);
	msg = vvp_get_last_error(ctx);
	if (!strstr(msg, needle)) {
		print_error("\"%s\" lacks \"%s\"\n", msg, needle);
		fail();
	}
	vvp_unref(ctx);
}

static void test_permissions(void **state)
{
	make_dir("p", 0755);
	make_dir("p/conf.d", 0755);
	write_text("p/vvp.conf", "[pf 0000:01:00.0]\n");
	write_text("p/conf.d/a.conf", "[pf 0000:02:00.0]\n");
	vvp_config_unref(read_dir("p", 0));

	write_mode("w.conf", "", 0, 0666);
	refused(".", "w.conf",
		"w.conf refused (writable by group and others, mode 0666");
	assert_int_equal(chmod("p/conf.d/a.conf", 0620), 0);
	refused("p", NULL, "p/conf.d/a.conf refused (writable by group, mode 0620");
	assert_int_equal(chmod("p/conf.d/a.conf", 0644), 0);
	assert_int_equal(chmod("p/conf.d", 01777), 0);
	refused("p", NULL, "p/conf.d refused (writable by group and others, mode 1777");
	assert_int_equal(chmod("p/conf.d", 0755), 0);
	assert_int_equal(chmod("p", 0757), 0);
	refused("p", NULL, "p refused (writable by others, mode 0757");
	assert_int_equal(chmod("p", 0755), 0);
	vvp_config_unref(read_dir("p", 0));

	/* someone else's file: only root can make one */
	if (geteuid() != 0) {
		print_message("not root: someone else's file not tried\n");
		return;
	}
	assert_int_equal(chown("p/vvp.conf", 65534, 65534), 0);
	refused("p", NULL, "p/vvp.conf refused (owned by uid 65534");
	assert_int_equal(chown("p/vvp.conf", 0, 0), 0);
	assert_int_equal(chown("p/conf.d", 65534, 65534), 0);
	refused("p", NULL, "p/conf.d refused (owned by uid 65534");
}

/* --- what programs see --- */

static const char getters_conf[] =
	"[pf 0000:01:00.0]\nnum_vfs = 3\ndriver = vfio-pci\n"
	"transitional = on\nautoprobe = off\n"
	"[vf 01:00.0/1]\ndriver = host\nmac = 02:00:00:00:00:01\nmtu = 9000\n"
	"[vf 0000:01:00.0/2]\ntransitional = off\n"
	"[pf 0000:02:00.0]\n[vf 0000:02:00.0/7]\nmtu = 1500\n[vf 0000:02:00.0/3]\n"
	"[pf serial=00-11-22-33-44-55-66-77]\nnum_vfs = 1\n"
	"[pf 0000:03:00.0]\nnum_vfs = 65535\n[vf 0000:03:00.0/70]\nmtu = 68\n";

static void assert_vf(struct vvp_config_vf *cvf, unsigned int index,
		      const char *driver, int transitional, int mtu,
		      int mac_last)
{
	struct cfg_vf_wanted want;

	assert_non_null(cvf);
	assert_int_equal(vvp_config_vf_get_index(cvf), index);
	if (driver)
		assert_string_equal(vvp_config_vf_get_driver(cvf), driver);
	else
		assert_null(vvp_config_vf_get_driver(cvf));
	assert_int_equal(vvp_config_vf_get_transitional(cvf), transitional);
	assert_int_equal(vvp_config_vf_get_mtu(cvf), mtu);
	if (mac_last < 0)
		assert_null(vvp_config_vf_get_mac(cvf));
	else
		assert_int_equal(vvp_config_vf_get_mac(cvf)[5], mac_last);
	/* the planner's view is the same */
	config_vf_wanted(cvf->pf, index, &want);
	assert_ptr_equal(want.driver, vvp_config_vf_get_driver(cvf));
	assert_int_equal(want.transitional, transitional);
	assert_int_equal(want.mtu, mtu);
	assert_int_equal(want.has_mac, mac_last >= 0);
}

static void test_getters(void **state)
{
	struct vvp_ctx *ctx = ctx_on(".");
	struct vvp_config *config;
	struct vvp_config_pf *cpf;
	struct vvp_config_vf *cvf;
	unsigned int n = 0;

	write_text("t.conf", getters_conf);
	assert_int_equal(vvp_config_read(ctx, "t.conf", &config), 0);
	assert_ptr_equal(vvp_config_ref(config), config);
	vvp_config_unref(config);

	cpf = vvp_config_pf_get_first(config);
	assert_ptr_equal(vvp_config_pf_find(config, "01:00.0"), cpf);
	assert_string_equal(vvp_config_pf_get_address(cpf), "0000:01:00.0");
	assert_null(vvp_config_pf_get_serial(cpf));
	assert_int_equal(vvp_config_pf_get_num_vfs(cpf), 3);
	assert_int_equal(vvp_config_pf_get_autoprobe(cpf), 0);
	/* every index below num_vfs, the PF's defaults under the VF's own */
	cvf = vvp_config_vf_get_first(cpf);
	assert_true(cvf->implicit);
	assert_vf(cvf, 0, "vfio-pci", 1, -1, -1);
	assert_vf(cvf = vvp_config_vf_get_next(cvf), 1, "host", 1, 9000, 1);
	assert_false(cvf->implicit);
	assert_vf(cvf = vvp_config_vf_get_next(cvf), 2, "vfio-pci", 0, -1, -1);
	assert_null(vvp_config_vf_get_next(cvf));

	/* no num_vfs: only the sections, in index order; nothing set */
	cpf = vvp_config_pf_get_next(cpf);
	assert_int_equal(vvp_config_pf_get_num_vfs(cpf), -1);
	assert_int_equal(vvp_config_pf_get_autoprobe(cpf), -1);
	cvf = vvp_config_vf_get_first(cpf);
	assert_vf(cvf, 3, NULL, -1, -1, -1);
	assert_vf(cvf = vvp_config_vf_get_next(cvf), 7, NULL, -1, 1500, -1);
	assert_null(vvp_config_vf_get_next(cvf));

	/* serial=: no address until vvp_config_check() finds it */
	cpf = vvp_config_pf_get_next(cpf);
	assert_string_equal(vvp_config_pf_get_serial(cpf), "00-11-22-33-44-55-66-77");
	assert_string_equal(vvp_config_pf_get_address(cpf), "");
	assert_vf(vvp_config_vf_get_first(cpf), 0, NULL, -1, -1, -1);

	/* the most a PF can have, with a section in the middle */
	cpf = vvp_config_pf_get_next(cpf);
	vvp_config_vf_foreach(cpf, cvf) {
		assert_int_equal(vvp_config_vf_get_index(cvf), n);
		assert_int_equal(vvp_config_vf_get_mtu(cvf), n == 70 ? 68 : -1);
		n++;
	}
	assert_int_equal(n, 65535);
	assert_null(vvp_config_pf_get_next(cpf));

	assert_null(vvp_config_pf_find(config, "0000:04:00.0"));
	assert_null(vvp_config_pf_find(config, "junk"));
	assert_null(vvp_config_pf_find(config, ""));
	vvp_config_unref(config);
	vvp_unref(ctx);
}

/* a config built in memory, as the planner's tests do */
static void test_builders(void **state)
{
	struct vvp_ctx *ctx = ctx_on(".");
	struct vvp_config *config = config_new(ctx);
	struct vvp_config_pf *pf;
	struct vvp_config_vf *vf;
	struct cfg_vf_wanted want;
	const char *a;

	assert_non_null(config);
	/* problems sorted by file, then line; a literal file name is fine */
	assert_int_equal(config_problem(config, "b.conf", 2, "second"), 0);
	a = config_add_file(config, "a.conf");
	assert_int_equal(config_problem(config, a, 5, "x"), 0);
	assert_int_equal(config_problem(config, a, 0, "whole"), 0);
	assert_int_equal(config_problem(config, "b.conf", 1, "first"), 0);
	assert_int_equal(config_result(config), -EINVAL);
	assert_string_equal(problems(config),
		"a.conf: whole\na.conf:5: x\nb.conf:1: first\nb.conf:2: second\n");

	pf = config_add_pf(config, "0000:01:00.0", a, 1);
	pf->num_vfs = 3;
	pf->transitional = 1;
	vf = config_pf_add_vf(pf, 5, a, 2);
	vf->mtu = 1500;
	assert_int_equal(config_pf_fill_vfs(pf), 0);
	assert_int_equal(pf->num_vf_sections, 4);
	assert_true(pf->vfs[2].implicit);
	assert_int_equal(pf->vfs[3].index, 5);
	assert_false(pf->vfs[3].implicit);
	/* a second fill adds nothing */
	assert_int_equal(config_pf_fill_vfs(pf), 0);
	assert_int_equal(pf->num_vf_sections, 4);
	config_vf_wanted(pf, 5, &want);
	assert_int_equal(want.mtu, 1500);
	assert_int_equal(want.transitional, 1);
	config_vf_wanted(pf, 4, &want);
	assert_int_equal(want.mtu, -1);
	assert_null(config_vf_find(pf, 4));
	assert_ptr_equal(config_vf_find(pf, 0), &pf->vfs[0]);
	vvp_config_unref(config);
	vvp_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_not_a_file),
		cmocka_unit_test(test_conf_d),
		cmocka_unit_test(test_no_config),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_builders),
	};
	const char *tmp = getenv("TMPDIR");
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "%s/vvp-config.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpdir) || chdir(tmpdir) < 0)
		return 99;
	rc = cmocka_run_group_tests_name("config", tests, NULL, NULL);
	if (chdir("/") == 0)
		rm_rf(tmpdir);
	return rc;
}
