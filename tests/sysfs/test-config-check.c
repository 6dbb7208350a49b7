// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvp_config_check() on generated trees: PFs that are not there or are
 * not PFs, sriov_totalvfs, serial= through the config file's Device
 * Serial Number, and the owners' capabilities (owners put in the
 * context's cache, as a netlink dump would leave them). It only reads:
 * every test also asserts that nothing was written.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/vvp.h>

#include "harness.h"
#include "config-private.h"

#define DSN_A 0x0011223344556677ULL
#define SERIAL_A "00-11-22-33-44-55-66-77"
#define DSN_B 0x8899aabbccddeeffULL

/* c.conf in the tree's directory: read (it must be valid) and checked */
static struct vvp_config *check(struct fx *f, const char *text, int want_rc)
{
	struct vvp_config *config = NULL;
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/c.conf", fake_tree_dir(f->t));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(vvp_config_read(f->ctx, path, &config), 0);
	assert_int_equal(vvp_config_check(config), want_rc);
	/* a second check adds nothing */
	assert_int_equal(vvp_config_check(config), want_rc);
	assert_string_equal(fx_writes(f), "");
	return config;
}

/* the problems, one per line, with the tree's directory left out */
static const char *problems(struct fx *f, struct vvp_config *config)
{
	static char buf[8192];
	char dir[PATH_MAX], *p;
	size_t n = 0, dlen;

	snprintf(dir, sizeof(dir), "%s/", fake_tree_dir(f->t));
	dlen = strlen(dir);
	buf[0] = '\0';
	for (unsigned int i = 0; i < vvp_config_get_num_problems(config); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s\n",
			      vvp_config_get_problem(config, i));
	while ((p = strstr(buf, dir)))
		memmove(p, p + dlen, strlen(p + dlen) + 1);
	return buf;
}

static void expect(struct fx *f, const char *text, const char *want)
{
	struct vvp_config *config = check(f, text, *want ? -EINVAL : 0);

	assert_string_equal(problems(f, config), want);
	vvp_config_unref(config);
}

/* n PFs of 8 VFs, none there yet */
static struct fx *start_pfs(void **state, int n)
{
	struct fake_tree_opts o;

	fake_tree_opts_init(&o);
	o.num_pfs = n;
	return fx_start(state, &o);
}

static void test_valid(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);

	/* a driver that is not loaded is fine: it may load later */
	expect(f, "[pf 0000:01:00.0]\nnum_vfs = 8\ndriver = vvp_vfio_pci\n"
		  "[vf 0000:01:00.0/7]\nmac = 02:00:00:00:00:07\nmtu = 9000\n", "");
}

static void test_total_vfs(void **state)
{
	struct fx *f = fx_start(state, NULL);

	expect(f, "[pf 0000:01:00.0]\nnum_vfs = 9\n[vf 0000:01:00.0/8]\n"
		  "[vf 0000:01:00.0/7]\n",
	       "c.conf:2: num_vfs 9 is more than 0000:01:00.0 supports (sriov_totalvfs 8)\n"
	       "c.conf:3: [vf 0000:01:00.0/8] is not a VF 0000:01:00.0 can have (sriov_totalvfs 8: indexes 0 to 7)\n");
}

static void test_not_a_pf(void **state)
{
	struct fx *f = fx_start_vfs(state, 2, NULL);

	expect(f, "[pf 0000:01:00.1]\n[pf 00:1f.0]\nnum_vfs = 1\n"
		  "[pf 0000:09:00.0]\n[vf 0000:09:00.0/1]\n[pf 0000:01:00.0]\n",
	       "c.conf:1: 0000:01:00.1 is a VF (of 0000:01:00.0), not a PF\n"
	       "c.conf:2: 0000:00:1f.0 is not a PF (it has no SR-IOV capability)\n"
	       "c.conf:4: PF 0000:09:00.0 not found (no such PCI device)\n");
}

static void test_serial(void **state)
{
	struct fx *f = start_pfs(state, 3);
	struct vvp_config *config;
	struct vvp_config_pf *cpf;

	assert_int_equal(fake_tree_write_config(f->t, "0000:01:00.0", 4096, DSN_B), 0);
	assert_int_equal(fake_tree_write_config(f->t, "0000:02:00.0", 4096, DSN_A), 0);
	/* conventional config space: no serial, and nothing to say */
	assert_int_equal(fake_tree_write_config(f->t, "0000:03:00.0", 256, 0), 0);
	config = check(f, "[pf serial=" SERIAL_A "]\nnum_vfs = 9\n"
			  "[vf serial=00-11-22-33-44-55-66-77/1]\nmtu = 1500\n"
			  "[pf serial=01-11-22-33-44-55-66-77]\n", -EINVAL);
	assert_string_equal(problems(f, config),
		"c.conf:2: num_vfs 9 is more than 0000:02:00.0 supports (sriov_totalvfs 8)\n"
		"c.conf:5: serial=01-11-22-33-44-55-66-77: no PF has that Device Serial Number\n");
	/* found: it has its address now */
	cpf = vvp_config_pf_find(config, "0000:02:00.0");
	assert_non_null(cpf);
	assert_string_equal(vvp_config_pf_get_serial(cpf), SERIAL_A);
	assert_ptr_equal(vvp_config_pf_get_first(config), cpf);
	assert_int_equal(vvp_config_vf_get_mtu(vvp_config_vf_get_next(
		vvp_config_vf_get_first(cpf))), 1500);
	assert_string_equal(vvp_config_pf_get_address(
		vvp_config_pf_get_next(cpf)), "");
	vvp_config_unref(config);
}

static void test_serial_needs_root(void **state)
{
	struct fx *f = fx_start(state, NULL);

	/* what the kernel shows a user: the first 64 bytes */
	assert_int_equal(fake_tree_write_config(f->t, "0000:01:00.0", 64, 0), 0);
	expect(f, "[pf serial=" SERIAL_A "]\n",
	       "c.conf:1: serial=" SERIAL_A " not found, and the serial numbers of 1 PF could not be read (reading past the first 64 bytes of PCI config space needs root)\n");
}

static void test_serial_twice(void **state)
{
	struct fx *f = start_pfs(state, 2);

	/* the PFs of one device share its serial number */
	assert_int_equal(fake_tree_write_config(f->t, "0000:01:00.0", 4096, DSN_A), 0);
	assert_int_equal(fake_tree_write_config(f->t, "0000:02:00.0", 4096, DSN_A), 0);
	expect(f, "[pf serial=" SERIAL_A "]\n",
	       "c.conf:1: serial=" SERIAL_A " names 0000:01:00.0 and 0000:02:00.0 (the functions of one device share its serial number; name the PF by its address)\n");
	/* one device named twice, by serial and by address */
	assert_int_equal(fake_tree_write_config(f->t, "0000:02:00.0", 4096, DSN_B), 0);
	expect(f, "[pf 0000:01:00.0]\n[pf serial=" SERIAL_A "]\n",
	       "c.conf:2: serial=" SERIAL_A " is 0000:01:00.0, which [pf 0000:01:00.0] at c.conf:1 configures too\n");
}

/* an owner in the context's cache, as OWNER_GET would have left it */
static void fake_owner(struct fx *f, const char *address, unsigned int caps)
{
	struct vvp_owner_cache *cache = owner_cache(f->ctx);
	struct vvp_owner *o = calloc(1, sizeof(*o));

	assert_non_null(cache);
	assert_non_null(o);
	o->ctx = f->ctx;
	snprintf(o->address, sizeof(o->address), "%s", address);
	snprintf(o->backend, sizeof(o->backend), "sim");
	o->caps = caps;
	o->present = 1u << VVP_A_OWNER_DEV_NAME | 1u << VVP_A_OWNER_BACKEND |
		     1u << VVP_A_OWNER_CAPS;
	o->next = cache->list;
	cache->list = o;
	cache->scanned = true;
}

static const char caps_conf[] =
	"[pf 0000:01:00.0]\ntransitional = off\n"
	"[vf 0000:01:00.0/0]\nmac = 02:00:00:00:00:01\nmtu = 9000\n"
	"[pf 0000:02:00.0]\ndriver = vfio-pci\n"
	"[vf 0000:02:00.0/1]\nmac = 02:00:00:00:00:02\n";

static void test_caps(void **state)
{
	struct fx *f = start_pfs(state, 2);

	/* no vvp module here: the capabilities are not looked at */
	expect(f, caps_conf, "");
	fx_reopen(f);
	fake_owner(f, "0000:01:00.0", VVP_OWNER_CAP_LEGACY_IO | VVP_OWNER_CAP_MAC);
	expect(f, caps_conf,
	       "c.conf:2: transitional cannot be provisioned on 0000:01:00.0 (its sim backend lacks the transitional capability)\n"
	       "c.conf:5: mtu cannot be provisioned on 0000:01:00.0 (its sim backend lacks the mtu capability)\n"
	       "c.conf:9: mac needs a vvp owner, and 0000:02:00.0 has none (no vvp backend drives it)\n");
	/* the owners cannot be read: nothing is claimed either way */
	fx_reopen(f);
	owner_cache(f->ctx)->scanned = true;
	owner_cache(f->ctx)->rc = -EACCES;
	expect(f, "[pf 0000:02:00.0]\n[vf 0000:02:00.0/1]\nmtu = 1500\n",
	       "c.conf:3: cannot tell whether mtu can be provisioned on 0000:02:00.0 (the vvp owners cannot be read: Permission denied)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_valid),
		FX_TEST(test_total_vfs),
		FX_TEST(test_not_a_pf),
		FX_TEST(test_serial),
		FX_TEST(test_serial_needs_root),
		FX_TEST(test_serial_twice),
		FX_TEST(test_caps),
	};

	return cmocka_run_group_tests_name("config-check", tests, NULL, NULL);
}
