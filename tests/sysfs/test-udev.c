// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvp_config_update_udev_markers() and vvp_pf_remove_udev_markers(): the
 * files the udev rule tests, one per VF address a configured PF can have,
 * on generated trees.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "config-private.h"

static char run_dir[PATH_MAX];

/* the context's run dir inside the tree; a config naming PFs by index */
static struct vvp_config *config_of(struct fx *f, int npfs, const int *pfs)
{
	struct vvp_config *c = config_new(f->ctx);

	snprintf(run_dir, sizeof(run_dir), "%s/run", fake_tree_dir(f->t));
	assert_int_equal(vvp_set_run_dir(f->ctx, run_dir), 0);
	assert_non_null(c);
	for (int i = 0; i < npfs; i++)
		assert_non_null(config_add_pf(c, fake_tree_pf_address(f->t, pfs[i]),
					      "vvp.conf", i + 1));
	return c;
}

static int count_markers(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/udev", run_dir);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* the marker's text, or "" when there is none */
static const char *marker(const char *vf)
{
	static char buf[160];
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/udev/%s", run_dir, vf);
	buf[0] = '\0';
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* what the rule imports for VF index of pf (driver NULL: none) */
static const char *marker_text(const char *pf, int index, const char *driver)
{
	static char want[128];
	int n;

	n = snprintf(want, sizeof(want), "VVP_PF=%s\nVVP_INDEX=%d\n", pf,
		     index);
	if (driver)
		snprintf(want + n, sizeof(want) - n, "VVP_DRIVER=%s\n", driver);
	return want;
}

static void assert_pf_marked(struct fx *f, int pf, int total)
{
	for (int i = 0; i < total; i++)
		assert_string_equal(marker(fx_vf_addr(f, pf, i)),
				    marker_text(fake_tree_pf_address(f->t, pf),
						i, NULL));
}

static struct fx *start(void **state, int num_pfs, int total, int initial)
{
	struct fake_tree_opts o;

	fake_tree_opts_init(&o);
	o.num_pfs = num_pfs;
	o.total_vfs = total;
	o.initial_vfs = initial;
	o.non_sriov = true;
	return fx_start(state, &o);
}

static void test_one_of_two_pfs(void **state)
{
	struct fx *f = start(state, 2, 8, 0);
	struct vvp_config *c = config_of(f, 1, (int[]){ 1 });

	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(count_markers(), 8);
	assert_pf_marked(f, 1, 8);
	assert_string_equal(marker(fx_vf_addr(f, 0, 0)), "");
	/* no sysfs writes: markers live in the run dir only */
	assert_string_equal(fx_writes(f), "");
	vvp_config_unref(c);
}

/* 300 VFs at offset 1, stride 1 span two buses past the PF's own */
static void test_vfs_across_buses(void **state)
{
	struct fx *f = start(state, 1, 300, 0);
	struct vvp_config *c = config_of(f, 1, (int[]){ 0 });

	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(count_markers(), 300);
	assert_pf_marked(f, 0, 300);
	assert_string_equal(fx_vf_addr(f, 0, 299), "0000:02:05.4");
	vvp_config_unref(c);
}

static void test_stale_ones_go(void **state)
{
	struct fx *f = start(state, 2, 4, 0);
	struct vvp_config *both = config_of(f, 2, (int[]){ 0, 1 });
	struct vvp_config *one = config_of(f, 1, (int[]){ 1 });
	char path[PATH_MAX];
	int fd;

	assert_int_equal(vvp_config_update_udev_markers(both), 0);
	assert_int_equal(count_markers(), 8);
	snprintf(path, sizeof(path), "%s/udev/0000:77:00.1", run_dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(count_markers(), 9);

	assert_int_equal(vvp_config_update_udev_markers(one), 0);
	assert_int_equal(count_markers(), 4);
	assert_pf_marked(f, 1, 4);
	assert_string_equal(marker(fx_vf_addr(f, 0, 0)), "");
	vvp_config_unref(both);
	vvp_config_unref(one);
}

static void test_right_ones_are_not_rewritten(void **state)
{
	struct fx *f = start(state, 1, 4, 0);
	struct vvp_config *c = config_of(f, 1, (int[]){ 0 });
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	char path[PATH_MAX], wrong[PATH_MAX];
	struct stat st;
	FILE *fp;

	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	snprintf(path, sizeof(path), "%s/udev/%s", run_dir, fx_vf_addr(f, 0, 0));
	snprintf(wrong, sizeof(wrong), "%s/udev/%s", run_dir, fx_vf_addr(f, 0, 1));
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	fp = fopen(wrong, "w");
	assert_non_null(fp);
	fputs("0000:05:00.0 7\n", fp);
	fclose(fp);

	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 1000);
	assert_pf_marked(f, 0, 4);
	vvp_config_unref(c);
}

/* a PF not present, or named by a serial not found: nothing to mark */
static void test_absent_pfs(void **state)
{
	struct fx *f = start(state, 1, 4, 0);
	struct vvp_config *c = config_of(f, 0, NULL);

	assert_non_null(config_add_pf(c, "0000:09:00.0", "vvp.conf", 1));
	assert_non_null(config_add_pf(c, NULL, "vvp.conf", 5));
	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(count_markers(), 0);
	assert_string_equal(vvp_get_last_error(f->ctx), "");
	vvp_config_unref(c);
}

/*
 * Offset 8, stride 2: the computed addresses, plus those of the VFs there
 * are now (made at offset 1, stride 1), which differ.
 */
static void test_offset_and_stride(void **state)
{
	struct fx *f = start(state, 1, 4, 2);
	struct vvp_config *c = config_of(f, 1, (int[]){ 0 });
	const char *vf_at[] = { "0000:01:01.0", "0000:01:01.2", "0000:01:01.4",
				"0000:01:01.6" };

	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_offset", "8\n");
	fake_tree_set_attr(f->t, "0000:01:00.0", "sriov_stride", "2\n");
	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(count_markers(), 6);
	for (int i = 0; i < 4; i++)
		assert_string_equal(marker(vf_at[i]),
				    marker_text("0000:01:00.0", i, NULL));
	assert_pf_marked(f, 0, 2);
	vvp_config_unref(c);
}

static void test_run_dir_not_a_dir(void **state)
{
	struct fx *f = start(state, 1, 4, 0);
	struct vvp_config *c = config_of(f, 1, (int[]){ 0 });
	char want[PATH_MAX + 64];
	int fd;

	fd = open(run_dir, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vvp_config_update_udev_markers(c), -ENOTDIR);
	assert_msg(f->ctx, "cannot update the udev rule's markers in", run_dir,
		   "Not a directory");
	unlink(run_dir);
	vvp_config_unref(c);
}

/* an apply that creates PF 0's VFs takes its markers away, only its */
static void test_remove_one_pf(void **state)
{
	struct fx *f = start(state, 2, 4, 0);
	struct vvp_config *c = config_of(f, 2, (int[]){ 0, 1 });

	assert_int_equal(vvp_pf_remove_udev_markers(fx_pf(f, 0)), 0);
	assert_int_equal(count_markers(), -1);
	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(vvp_pf_remove_udev_markers(fx_pf(f, 0)), 0);
	assert_int_equal(count_markers(), 4);
	assert_pf_marked(f, 1, 4);
	assert_string_equal(marker(fx_vf_addr(f, 0, 0)), "");
	assert_string_equal(fx_writes(f), "");

	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(count_markers(), 8);
	assert_pf_marked(f, 0, 4);
	vvp_config_unref(c);
}

/*
 * VVP_DRIVER, for the rule to bind by itself, only where a driver name is
 * all the config wants: the PF's default, a VF's own; not with a
 * provisioning key, "host", "none", or a name udev should not be handed.
 */
static void test_driver_only_vfs(void **state)
{
	struct fx *f = start(state, 1, 8, 0);
	struct vvp_config *c = config_of(f, 1, (int[]){ 0 });
	const char *pf = fake_tree_pf_address(f->t, 0);
	struct vvp_config_pf *cpf = &c->pfs[0];
	struct vvp_config_vf *v[7];

	cpf->driver = strdup("vfio-pci");
	/* added first: adding one may move the others */
	for (int i = 1; i < 7; i++)
		assert_non_null(config_pf_add_vf(cpf, i, "vvp.conf", 10 + i));
	for (int i = 1; i < 7; i++)
		v[i] = config_vf_find(cpf, i);
	v[1]->has_mac = true;
	v[1]->mac[0] = 2;
	v[2]->mtu = 9000;
	v[3]->transitional = 0;
	v[4]->driver = strdup("vvp_vfio_pci");
	v[5]->driver = strdup("host");
	v[6]->driver = strdup("a$b");

	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_int_equal(count_markers(), 8);
	assert_string_equal(marker(fx_vf_addr(f, 0, 0)),
			    marker_text(pf, 0, "vfio-pci"));
	for (int i = 1; i <= 3; i++)
		assert_string_equal(marker(fx_vf_addr(f, 0, i)),
				    marker_text(pf, i, NULL));
	assert_string_equal(marker(fx_vf_addr(f, 0, 4)),
			    marker_text(pf, 4, "vvp_vfio_pci"));
	assert_string_equal(marker(fx_vf_addr(f, 0, 5)),
			    marker_text(pf, 5, NULL));
	assert_string_equal(marker(fx_vf_addr(f, 0, 6)),
			    marker_text(pf, 6, NULL));
	assert_string_equal(marker(fx_vf_addr(f, 0, 7)),
			    marker_text(pf, 7, "vfio-pci"));

	/* "none" as the default: nothing for the rule to bind */
	free(cpf->driver);
	cpf->driver = strdup("none");
	assert_int_equal(vvp_config_update_udev_markers(c), 0);
	assert_string_equal(marker(fx_vf_addr(f, 0, 0)), marker_text(pf, 0, NULL));
	assert_string_equal(marker(fx_vf_addr(f, 0, 4)),
			    marker_text(pf, 4, "vvp_vfio_pci"));
	vvp_config_unref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_one_of_two_pfs),
		FX_TEST(test_vfs_across_buses),
		FX_TEST(test_stale_ones_go),
		FX_TEST(test_right_ones_are_not_rewritten),
		FX_TEST(test_absent_pfs),
		FX_TEST(test_offset_and_stride),
		FX_TEST(test_run_dir_not_a_dir),
		FX_TEST(test_remove_one_pf),
		FX_TEST(test_driver_only_vfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
