// SPDX-License-Identifier: GPL-2.0-or-later
/* vvpctl's side of the per-PF locks: --wait, reports, release at the end */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "util.h"

/* the locks this command holds, by PF address */
static struct held {
	char pf[16];
	struct vvp_lock *lock;
} *held;
static int num_held;

bool parse_wait(const char *cmd, const char *arg, int *wait_ms)
{
	unsigned int s;

	if (!parse_uint(cmd, "--wait", arg, 86400, &s))
		return false;
	*wait_ms = s * 1000;
	return true;
}

static bool holding(const char *pf)
{
	for (int i = 0; i < num_held; i++)
		if (strcmp(held[i].pf, pf) == 0)
			return true;
	return false;
}

static int keep(struct vvp_pf *pf, struct vvp_lock *lock)
{
	struct held *h = realloc(held, (num_held + 1) * sizeof(*h));

	if (!h) {
		vvp_lock_release(lock);
		fprintf(stderr, "Error: cannot keep the lock of %s (%s); try again\n",
			vvp_pf_get_address(pf), strerror(ENOMEM));
		return EXIT_FAIL;
	}
	held = h;
	snprintf(held[num_held].pf, sizeof(held[num_held].pf), "%s",
		 vvp_pf_get_address(pf));
	held[num_held++].lock = lock;
	return EXIT_OK;
}

/* another process holds it: say who, then wait for it */
static int wait_for(struct vvp_pf *pf, const char *cmd, int wait_ms,
		    struct vvp_lock **lock)
{
	const char *addr = vvp_pf_get_address(pf);
	char purpose[80] = "";
	int pid = 0, rc;

	if (vvp_pf_get_lock_holder(pf, &pid, purpose, sizeof(purpose)) == 0 &&
	    pid > 0)
		fprintf(stderr, "%s: waiting up to %d s for the lock of %s (process %d holds it for %s)\n",
			cmd, wait_ms / 1000, addr, pid, purpose);
	else
		fprintf(stderr, "%s: waiting up to %d s for the lock of %s\n",
			cmd, wait_ms / 1000, addr);
	rc = vvp_pf_lock(pf, cmd, wait_ms, lock);
	if (rc == 0)
		fprintf(stderr, "%s: waited %u ms for the lock of %s\n", cmd,
			vvp_lock_get_waited_ms(*lock), addr);
	return rc;
}

int lock_pf(struct vvp_pf *pf, const char *cmd, int wait_ms, bool *waited)
{
	struct vvp_lock *lock = NULL;
	int rc;

	if (waited)
		*waited = false;
	if (holding(vvp_pf_get_address(pf)))
		return EXIT_OK;
	rc = vvp_pf_lock(pf, cmd, 0, &lock);
	/*
	 * Who may not write the run directory (not root) may not change the
	 * PF either: go on, and let the kernel refuse with its own reason.
	 */
	if (rc == -EACCES || rc == -EPERM)
		return EXIT_OK;
	if (rc == -EWOULDBLOCK && wait_ms > 0) {
		if (waited)
			*waited = true;
		rc = wait_for(pf, cmd, wait_ms, &lock);
	}
	if (rc < 0)
		return op_error(vvp_pf_get_ctx(pf), OP_LOCK, rc, NULL);
	return keep(pf, lock);
}

static int by_address(const void *a, const void *b)
{
	return strcmp(vvp_pf_get_address(*(struct vvp_pf *const *)a),
		      vvp_pf_get_address(*(struct vvp_pf *const *)b));
}

int lock_pfs(struct vvp_pf **pfs, int n, const char *cmd, int wait_ms,
	     bool *waited)
{
	bool w;

	*waited = false;
	if (n > 1)
		qsort(pfs, n, sizeof(*pfs), by_address);
	for (int i = 0; i < n; i++) {
		if (lock_pf(pfs[i], cmd, wait_ms, &w) != EXIT_OK)
			return EXIT_FAIL;
		*waited |= w;
	}
	return EXIT_OK;
}

int lock_vf_pf(struct vvp_ctx *ctx, const char *vf, const char *cmd,
	       int wait_ms)
{
	struct vvp_vf *v;

	/* not in sysfs: the kernel refuses it anyway, with its own reason */
	if (vvp_vf_find(ctx, vf, &v) < 0)
		return EXIT_OK;
	return lock_pf(vvp_vf_get_pf(v), cmd, wait_ms, NULL);
}

void unlock_pf(struct vvp_pf *pf)
{
	for (int i = 0; i < num_held; i++) {
		if (strcmp(held[i].pf, vvp_pf_get_address(pf)))
			continue;
		vvp_lock_release(held[i].lock);
		held[i] = held[--num_held];
		return;
	}
}

void unlock_all(void)
{
	for (int i = 0; i < num_held; i++)
		vvp_lock_release(held[i].lock);
	free(held);
	held = NULL;
	num_held = 0;
}
