/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What vvpctl apply and status share: the config, and the PFs to look at. */
#ifndef _VVPCTL_STATE_H_
#define _VVPCTL_STATE_H_

#include <stdbool.h>

struct vvp_ctx;
struct vvp_config;

/* exit status of status when a PF or VF is not as configured */
#define EXIT_DRIFT 3

/*
 * Read the config (path NULL: the config directory), and check it
 * against the system too when check. An invalid config has its problems
 * printed on stderr, one "FILE:LINE: problem" a line, then "Error: ...".
 * NULL then, with *rc the exit code.
 */
struct vvp_config *read_config(struct vvp_ctx *ctx, const char *cmd,
			       const char *path, bool check, int *rc);

/*
 * The canonical addresses of the PFs named on the command line (each
 * must be in the config), or of every PF the config names: *n of them,
 * into *pfs (free it). EXIT_OK, or an exit code after the error.
 */
int pick_pfs(struct vvp_config *config, const char *cmd, int argc,
	     char **argv, char (**pfs)[16], int *n);

#endif
