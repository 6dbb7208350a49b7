/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-PF locks (vvp_pf_lock()) as vvpctl's changing commands take
 * them: bounded by --wait SECONDS, waits reported on stderr, and held
 * until the command returns (run_cmd() releases them) or, for apply, until
 * it is done with one PF.
 */
#ifndef _VVPCTL_LOCK_H_
#define _VVPCTL_LOCK_H_

#include <stdbool.h>

struct vvp_ctx;
struct vvp_pf;
struct vvp_lock;

/* --wait when not given, in seconds */
#define LOCK_WAIT_DEFAULT_S 30

/* --wait SECONDS into ms: false (and a usage error) when not a number */
bool parse_wait(const char *cmd, const char *arg, int *wait_ms);

/*
 * Lock pf for cmd, waiting at most wait_ms; *waited (may be NULL) says
 * whether another process held it first, so that the caller reads the
 * PF's state again. A PF this command holds already is not locked twice.
 * A user who may not create the lock file (not root) goes on without it.
 * EXIT_OK, or EXIT_FAIL after "Error: ..." on stderr.
 */
int lock_pf(struct vvp_pf *pf, const char *cmd, int wait_ms, bool *waited);
/* the same for several PFs, taken in address order (no deadlock) */
int lock_pfs(struct vvp_pf **pfs, int n, const char *cmd, int wait_ms,
	     bool *waited);
/* the PF of a VF, when the VF is in sysfs (else nothing to lock) */
int lock_vf_pf(struct vvp_ctx *ctx, const char *vf, const char *cmd,
	       int wait_ms);
/* release pf's lock now (apply, PF by PF) */
void unlock_pf(struct vvp_pf *pf);
/* release every lock the command holds */
void unlock_all(void);

#endif
