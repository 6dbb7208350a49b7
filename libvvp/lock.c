// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One lock per PF, shared by every program that changes the PF: a flock(2)
 * on <run dir>/<PF>.lock. flock, not fcntl locks: it belongs to the open
 * file, so it goes away with the process however it ends, and a second
 * open in the same process does not silently share it. The holder writes
 * "pid purpose" into the file so that whoever waits can say for whom.
 * Waiting polls LOCK_NB with a growing sleep: a library must not use
 * signals (alarm) to bound a blocking flock.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "plan-private.h"

struct vvp_lock {
	int fd;
	unsigned int waited_ms;
};

/* the longest sleep between two tries */
#define LOCK_POLL_MAX_MS 50

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int run_path(struct vvp_ctx *ctx, const char *pf, const char *suffix,
	     char *buf, size_t len)
{
	int n;

	/* 0755 whatever the umask: others read who holds a lock */
	if (mkdir(ctx->run_dir, 0755) == 0)
		chmod(ctx->run_dir, 0755);
	else if (errno != EEXIST)
		return -errno;
	n = snprintf(buf, len, "%s/%s.%s", ctx->run_dir, pf, suffix);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* "pid purpose" from the lock file; false when it holds no live pid */
static bool read_holder(int fd, int *pid, char *purpose, size_t len)
{
	char buf[128];
	ssize_t n;
	int p = 0, off = 0;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (sscanf(buf, "%d %n", &p, &off) < 1 || p <= 0)
		return false;
	if (kill(p, 0) < 0 && errno == ESRCH)
		return false;
	*pid = p;
	if (purpose && len)
		snprintf(purpose, len, "%s", buf + off);
	return true;
}

/*
 * Who holds fd's lock. A new holder writes its line right after it got
 * the lock: an empty file, or the line of the holder before, is that
 * moment; look again shortly.
 */
static void find_holder(int fd, int *pid, char *purpose, size_t len)
{
	*pid = 0;
	if (purpose && len)
		purpose[0] = '\0';
	for (int i = 0; i < 20; i++) {
		if (read_holder(fd, pid, purpose, len))
			return;
		sleep_ms(5);
	}
}

static int lock_busy(struct vvp_pf *pf, const char *purpose, int fd,
		     int timeout_ms, long long waited)
{
	int err = timeout_ms == 0 ? EWOULDBLOCK : ETIMEDOUT, pid;
	char who[160], holder[64];

	find_holder(fd, &pid, holder, sizeof(holder));
	if (pid)
		snprintf(who, sizeof(who), "process %d holds it for %s", pid,
			 holder[0] ? holder : "an unnamed purpose");
	else
		snprintf(who, sizeof(who), "another process holds it");
	if (timeout_ms == 0)
		return vvp_fail(pf->ctx, err,
				"cannot lock %s for %s (%s: %s); try again when it is done",
				pf->address, purpose, who, strerror(err));
	return vvp_fail(pf->ctx, err,
			"cannot lock %s for %s (%s; waited %lld ms: %s); try again when it is done",
			pf->address, purpose, who, waited, strerror(err));
}

/* the PF's lock file: an fd, or -errno (path in buf for the message) */
static int open_lock_file(struct vvp_pf *pf, int flags, char *path,
			  size_t len)
{
	int rc, fd;

	rc = run_path(pf->ctx, pf->address, "lock", path, len);
	if (rc < 0) {
		snprintf(path, len, "%s", pf->ctx->run_dir);
		return rc;
	}
	fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0644);
	return fd < 0 ? -errno : fd;
}

/* best effort: a reader checks that the pid it finds is alive */
static void clear_file(int fd)
{
	if (ftruncate(fd, 0) < 0)
		return;
}

static void write_holder(int fd, const char *purpose)
{
	char line[128];
	int n;

	n = snprintf(line, sizeof(line), "%d %.64s\n", (int)getpid(), purpose);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, line, n, 0) != n)
		clear_file(fd);		/* a half line helps nobody */
}

static bool valid_purpose(const char *purpose)
{
	return purpose && *purpose && !strpbrk(purpose, "\n") &&
	       strlen(purpose) <= 64;
}

VVP_EXPORT int vvp_pf_lock(struct vvp_pf *pf, const char *purpose,
			   int timeout_ms, struct vvp_lock **lock)
{
	long long start = mono_ms(), waited, delay = 1;
	char path[PATH_MAX];
	struct vvp_lock *l;
	int fd;

	vvp_clear_error(pf->ctx);
	if (!valid_purpose(purpose))
		return vvp_fail(pf->ctx, EINVAL,
				"cannot lock %s (purpose '%s' is not one line of at most 64 characters: %s); name what the lock is for",
				pf->address, purpose ? purpose : "",
				strerror(EINVAL));
	if (timeout_ms < 0)
		timeout_ms = pf->ctx->timeout_ms;
	fd = open_lock_file(pf, O_RDWR | O_CREAT, path, sizeof(path));
	if (fd < 0)
		return vvp_fail(pf->ctx, fd,
				"cannot lock %s for %s (%s: %s); check that the run directory can be created and written",
				pf->address, purpose, path, strerror(-fd));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;

		waited = mono_ms() - start;
		if (err != EWOULDBLOCK && err != EINTR) {
			close(fd);
			return vvp_fail(pf->ctx, err,
					"cannot lock %s for %s (%s); check %s",
					pf->address, purpose, strerror(err),
					pf->ctx->run_dir);
		}
		if (err == EWOULDBLOCK && waited >= timeout_ms) {
			err = lock_busy(pf, purpose, fd, timeout_ms, waited);
			close(fd);
			return err;
		}
		sleep_ms(delay < timeout_ms - waited ? delay :
			 timeout_ms - waited);
		delay = delay * 2 > LOCK_POLL_MAX_MS ? LOCK_POLL_MAX_MS : delay * 2;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		close(fd);
		return vvp_fail(pf->ctx, ENOMEM, "cannot lock %s (%s); try again",
				pf->address, strerror(ENOMEM));
	}
	write_holder(fd, purpose);
	l->fd = fd;
	l->waited_ms = mono_ms() - start;
	*lock = l;
	return 0;
}

VVP_EXPORT unsigned int vvp_lock_get_waited_ms(struct vvp_lock *lock)
{
	return lock->waited_ms;
}

VVP_EXPORT void vvp_lock_release(struct vvp_lock *lock)
{
	if (!lock)
		return;
	/*
	 * whoever looks next must not take our line for a holder; if this
	 * fails, the line names a process that no longer holds the lock,
	 * which read_holder() cannot tell from one that just took it, and
	 * only until the next holder writes its own
	 */
	clear_file(lock->fd);
	close(lock->fd);
	free(lock);
}

VVP_EXPORT int vvp_pf_get_lock_holder(struct vvp_pf *pf, int *pid,
				      char *purpose, size_t len)
{
	char path[PATH_MAX];
	int fd, rc = 0;

	vvp_clear_error(pf->ctx);
	*pid = 0;
	if (purpose && len)
		purpose[0] = '\0';
	fd = open_lock_file(pf, O_RDONLY, path, sizeof(path));
	if (fd == -ENOENT)
		return -ENOENT;		/* never locked */
	if (fd < 0)
		return vvp_fail(pf->ctx, fd,
				"cannot tell who holds the lock of %s (%s: %s); check the permissions of the run directory",
				pf->address, path, strerror(-fd));
	/*
	 * A shared lock we can take means nobody holds the exclusive one.
	 * For that instant, a vvp_pf_lock() elsewhere finds the lock taken
	 * and tries again a moment later (or, with a timeout of 0, fails):
	 * harmless. (/proc/locks would tell without taking anything, but
	 * not on a generated tree, and not in a PID namespace.)
	 */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		rc = -ENOENT;
	} else if (errno != EWOULDBLOCK) {
		rc = vvp_fail(pf->ctx, errno,
			      "cannot tell who holds the lock of %s (%s); check %s",
			      pf->address, strerror(errno), pf->ctx->run_dir);
	} else {
		find_holder(fd, pid, purpose, len);
	}
	close(fd);
	return rc;
}
