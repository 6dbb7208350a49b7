/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _VVPCTL_BUILTIN_H_
#define _VVPCTL_BUILTIN_H_

#include <stdbool.h>

struct vvp_ctx;

/* options before the command name, seen by every command */
struct global_opts {
	bool json;
	bool pretty;
	int verbose;
};
extern struct global_opts gopts;

/* exit codes */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	/* the operation failed */
	EXIT_USAGE = 2,	/* the command line is wrong */
};

struct vvp_vf;
void print_vf(struct vvp_vf *vf, bool detail);

int cmd_list(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_show(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_enable(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_disable(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_bind(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_unbind(int argc, char **argv, struct vvp_ctx *ctx);

#endif
