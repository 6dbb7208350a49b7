// SPDX-License-Identifier: GPL-2.0-or-later
/* vvp_pf_lock() and vvp_pf_get_lock_holder() across processes */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plan-fx.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void lock_file(struct fx *f, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.lock", vvp_get_run_dir(f->ctx),
		 fake_tree_pf_address(f->t, 0));
	buf[0] = '\0';
	fp = fopen(path, "r");
	assert_non_null(fp);
	if (!fgets(buf, len, fp))
		buf[0] = '\0';
	fclose(fp);
}

/*
 * A child that takes the lock for purpose, says so on the pipe, holds it
 * for hold_ms (-1: until killed), then exits. Returns its pid.
 */
static pid_t child_holding(struct fx *f, const char *purpose, int hold_ms)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vvp_lock *l;

		close(p[0]);
		if (vvp_pf_lock(fx_pf(f, 0), purpose, 0, &l) < 0)
			_exit(1);
		if (write(p[1], "L", 1) != 1)
			_exit(1);
		if (hold_ms < 0)
			pause();
		usleep(hold_ms * 1000);
		vvp_lock_release(l);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void test_unlocked(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_lock *l = NULL;
	char line[128], want[128], purpose[64];
	struct stat st;
	int pid = -1;

	assert_int_equal(vvp_pf_get_lock_holder(fx_pf(f, 0), &pid, purpose,
						sizeof(purpose)), -ENOENT);
	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "apply", 0, &l), 0);
	/* upper bounds only tell "waited" from "did not" on a loaded host */
	assert_true(vvp_lock_get_waited_ms(l) < 5000);
	/* the run directory was made for it */
	assert_int_equal(stat(vvp_get_run_dir(f->ctx), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	lock_file(f, line, sizeof(line));
	snprintf(want, sizeof(want), "%d apply\n", (int)getpid());
	assert_string_equal(line, want);
	assert_int_equal(vvp_pf_get_lock_holder(fx_pf(f, 0), &pid, purpose,
						sizeof(purpose)), 0);
	assert_int_equal(pid, getpid());
	assert_string_equal(purpose, "apply");
	vvp_lock_release(l);
	lock_file(f, line, sizeof(line));
	assert_string_equal(line, "");
	assert_int_equal(vvp_pf_get_lock_holder(fx_pf(f, 0), &pid, purpose,
						sizeof(purpose)), -ENOENT);
	assert_string_equal(fx_writes(f), "");
}

static void test_held_by_another(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	pid_t child = child_holding(f, "bind", -1);
	struct vvp_lock *l = NULL;
	char who[64], purpose[64];
	long long t0;
	int pid = 0;

	snprintf(who, sizeof(who), "process %d holds it for bind", (int)child);
	t0 = now_ms();
	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "apply", 0, &l), -EWOULDBLOCK);
	assert_true(now_ms() - t0 < 5000);
	assert_msg(f->ctx, "cannot lock 0000:01:00.0 for apply", who);
	t0 = now_ms();
	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "apply", 300, &l), -ETIMEDOUT);
	assert_true(now_ms() - t0 >= 300);
	assert_true(now_ms() - t0 < 10000);
	assert_msg(f->ctx, who, "waited 3", strerror(ETIMEDOUT));
	assert_null(l);
	assert_int_equal(vvp_pf_get_lock_holder(fx_pf(f, 0), &pid, purpose,
						sizeof(purpose)), 0);
	assert_int_equal(pid, child);
	assert_string_equal(purpose, "bind");
	/* the holder dies: the lock goes with it */
	reap(child);
	assert_int_equal(vvp_pf_get_lock_holder(fx_pf(f, 0), &pid, purpose,
						sizeof(purpose)), -ENOENT);
	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "apply", 0, &l), 0);
	vvp_lock_release(l);
}

static void test_waits_for_release(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	pid_t child = child_holding(f, "enable", 300);
	struct vvp_lock *l = NULL;

	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "apply", 30000, &l), 0);
	assert_true(vvp_lock_get_waited_ms(l) >= 200);
	assert_true(vvp_lock_get_waited_ms(l) < 15000);
	vvp_lock_release(l);
	reap(child);
}

/* one lock per PF: another PF's holder does not stand in the way */
static void test_per_pf(void **state)
{
	struct fx *f = fx_start_pfs(state, 2, 8, 0);
	pid_t child = child_holding(f, "apply", -1);
	struct vvp_lock *l = NULL;
	struct vvp_pf *pf1;

	assert_int_equal(vvp_pf_find(f->ctx, fake_tree_pf_address(f->t, 1), &pf1), 0);
	assert_int_equal(vvp_pf_lock(pf1, "bind", 0, &l), 0);
	vvp_lock_release(l);
	reap(child);
}

static void test_bad_purpose(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_lock *l = NULL;

	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "two\nlines", 0, &l), -EINVAL);
	assert_int_equal(vvp_pf_lock(fx_pf(f, 0), "", 0, &l), -EINVAL);
	assert_null(l);
}

static void test_run_dir_unwritable(void **state)
{
	struct fx *f = fx_start_vfs(state, 0, NULL);
	struct vvp_lock *l = NULL;
	char dir[PATH_MAX];

	/* a file where the run directory should be */
	snprintf(dir, sizeof(dir), "%s/file", fake_tree_dir(f->t));
	fclose(fopen(dir, "w"));
	assert_int_equal(vvp_set_run_dir(f->ctx, dir), 0);
	assert_true(vvp_pf_lock(fx_pf(f, 0), "apply", 0, &l) < 0);
	assert_msg(f->ctx, "cannot lock 0000:01:00.0 for apply", dir);
}

int main(void)
{
#define T(fn) FX_TEST(fn)
	const struct CMUnitTest tests[] = {
		T(test_unlocked),
		T(test_held_by_another),
		T(test_waits_for_release),
		T(test_per_pf),
		T(test_bad_purpose),
		T(test_run_dir_unwritable),
	};

	return cmocka_run_group_tests_name("lock", tests, NULL, NULL);
}
