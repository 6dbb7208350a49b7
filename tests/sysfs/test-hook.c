// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The libvirt hook in-process, on generated trees with the fake kernel
 * behind its writes: the domain XML samples of tests/hook parsed as
 * vvpctl libvirt-hook parses them, then prepare and release carried out
 * (hook_run()). What the drivers become, that a prepare whose second VF
 * fails puts the first back (vvp_plan_revert()), and that devices vvp
 * does not manage are not touched. MAC and MTU need vvp.ko: the VM
 * scenario "hook" checks them.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "plan-fx.h"
#include "builtin.h"
#include "hook.h"
#include "lock.h"

struct global_opts gopts;

#define FRESH "numvfs=4 autoprobe=1 vf0=nvme/ vf1=nvme/ vf2=nvme/ vf3=nvme/"

/* PFs of 4 VFs on nvme; vvp_vfio_pci loaded when with_variant */
static struct fx *start(void **state, int num_pfs, bool with_variant)
{
	struct fake_tree_opts o;
	char run[PATH_MAX];
	struct fx *f;

	fx_opts_vfs(&o, 4, NULL);
	o.num_pfs = num_pfs;
	o.non_sriov = true;
	if (with_variant)
		o.drivers[2] = "vvp_vfio_pci";
	f = fx_start(state, &o);
	snprintf(run, sizeof(run), "%s/run", fake_tree_dir(f->t));
	assert_int_equal(vvp_set_run_dir(f->ctx, run), 0);
	return f;
}

/* PF 0: VFs on their own driver, VF 1 on vvp_vfio_pci (a legacy guest's) */
static struct vvp_config *config(struct fx *f)
{
	struct vvp_config *c = fx_config(f, CFG_UNSET, "host", CFG_UNSET);

	fx_config_vf_driver(c, 1, "vvp_vfio_pci");
	return c;
}

static void parse_sample(const char *name, struct hook_domain *d)
{
	const char *srcdir = getenv("srcdir");
	char path[PATH_MAX], *buf = NULL, err[512] = "";
	size_t len;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/tests/hook/%s", srcdir ? srcdir : ".",
		 name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("cannot open %s", path);
	assert_int_equal(hook_read_all(fd, HOOK_XML_MAX, &buf, &len), 0);
	close(fd);
	rc = hook_xml_parse(buf, len, d, err, sizeof(err));
	free(buf);
	if (rc < 0)
		fail_msg("%s: %s", name, err);
}

/* hook_run() on a sample with a fresh config, as a new vvpctl would */
static int run(struct fx *f, const char *sample, enum hook_op op)
{
	struct vvp_config *c = config(f);
	struct hook_domain d;
	int rc;

	parse_sample(sample, &d);
	rc = hook_run(f->ctx, c, "web", op, &d, false);
	unlock_all();
	hook_domain_free(&d);
	vvp_config_unref(c);
	vvp_refresh(f->ctx);
	return rc;
}

static const char *state_of(struct fx *f)
{
	static char buf[4096];

	fx_tree_state(f, buf, sizeof(buf));
	return buf;
}

/* the samples say what the parser must find */
static void test_parse(void **state)
{
	struct hook_domain d;

	parse_sample("hostdev-decimal.xml", &d);
	assert_int_equal(d.num_devs, 2);
	assert_string_equal(d.devs[0].address, "0000:01:00.3");
	assert_string_equal(d.devs[1].address, "0000:01:00.4");
	hook_domain_free(&d);

	parse_sample("interface-mac.xml", &d);
	assert_int_equal(d.num_devs, 1);
	assert_true(d.devs[0].interface && d.devs[0].has_mac);
	assert_string_equal(d.devs[0].address, "0000:01:00.2");
	assert_memory_equal(d.devs[0].mac, "\x52\x54\x00\x6d\x90\x02", 6);
	assert_int_equal(d.devs[0].mtu, 9000);
	hook_domain_free(&d);

	/* the guest-side <address multifunction='on'> is not the source */
	parse_sample("multifunction.xml", &d);
	assert_int_equal(d.num_devs, 3);
	assert_string_equal(d.devs[2].address, "0000:01:00.3");
	assert_true(d.devs[2].has_mac && d.devs[2].mtu == -1);
	hook_domain_free(&d);

	/* USB, disk and network interface are not PCI devices */
	parse_sample("not-managed.xml", &d);
	assert_int_equal(d.num_devs, 2);
	assert_true(d.devs[0].managed);
	hook_domain_free(&d);
}

/* prepare: vfio-pci for a host VF, the config's vfio driver for VF 1 */
static void test_prepare_release(void **state)
{
	struct fx *f = start(state, 1, true);

	assert_int_equal(run(f, "hostdev-hex.xml", HOOK_PREPARE), EXIT_OK);
	assert_string_equal(state_of(f),
			    "numvfs=4 autoprobe=1 vf0=vfio-pci/vfio-pci "
			    "vf1=vvp_vfio_pci/vvp_vfio_pci vf2=nvme/ vf3=nvme/");
	/* a second prepare (libvirt retrying) has nothing to do */
	assert_int_equal(run(f, "hostdev-hex.xml", HOOK_PREPARE), EXIT_OK);
	/* release: what apply makes them, VF 1 stays on its vfio driver */
	assert_int_equal(run(f, "hostdev-hex.xml", HOOK_RELEASE), EXIT_OK);
	assert_string_equal(state_of(f),
			    "numvfs=4 autoprobe=1 vf0=nvme/ "
			    "vf1=vvp_vfio_pci/vvp_vfio_pci vf2=nvme/ vf3=nvme/");
}

/* VF 1's driver is not loaded: VF 0, bound first, is put back */
static void test_prepare_rolls_back(void **state)
{
	struct fx *f = start(state, 1, false);

	assert_int_equal(run(f, "hostdev-hex.xml", HOOK_PREPARE), EXIT_FAIL);
	assert_string_equal(state_of(f), FRESH);
}

/* three VFs of one guest, the third fails: both before it go back */
static void test_rollback_of_two(void **state)
{
	struct fx *f = start(state, 1, false);
	struct vvp_config *c = fx_config(f, CFG_UNSET, "host", CFG_UNSET);
	struct hook_domain d;

	fx_config_vf_driver(c, 2, "no_such_vfio_pci");
	parse_sample("multifunction.xml", &d);
	/* the interface's MAC needs vvp.ko: keep its address only */
	d.devs[2].has_mac = false;
	assert_int_equal(hook_run(f->ctx, c, "web", HOOK_PREPARE, &d, false),
			 EXIT_FAIL);
	unlock_all();
	hook_domain_free(&d);
	vvp_config_unref(c);
	assert_string_equal(state_of(f), FRESH);
}

static void test_not_managed_left_alone(void **state)
{
	struct fx *f = start(state, 2, true);
	char before[4096];

	snprintf(before, sizeof(before), "%s", state_of(f));
	fx_clear(f);
	assert_int_equal(run(f, "not-managed.xml", HOOK_PREPARE), EXIT_OK);
	assert_int_equal(run(f, "not-managed.xml", HOOK_RELEASE), EXIT_OK);
	assert_string_equal(fx_writes(f), "");
	assert_string_equal(state_of(f), before);
}

/* managed='yes' on a VF vvp binds: refused before anything is written */
static void test_managed_yes_refused(void **state)
{
	struct fx *f = start(state, 1, true);

	fx_clear(f);
	assert_int_equal(run(f, "managed-yes.xml", HOOK_PREPARE), EXIT_FAIL);
	assert_string_equal(fx_writes(f), "");
	assert_string_equal(state_of(f), FRESH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		FX_TEST(test_prepare_release),
		FX_TEST(test_prepare_rolls_back),
		FX_TEST(test_rollback_of_two),
		FX_TEST(test_not_managed_left_alone),
		FX_TEST(test_managed_yes_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
