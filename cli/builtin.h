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
int cmd_owner(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_provision(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_monitor(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_check_config(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_apply(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_status(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_udev_add(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_boot_wait(int argc, char **argv, struct vvp_ctx *ctx);
int cmd_libvirt_hook(int argc, char **argv, struct vvp_ctx *ctx);

/* udev.c: the udev rule's markers, for vvpctl apply */
struct vvp_config;
struct vvp_plan;
int udev_markers_update(struct vvp_ctx *ctx, struct vvp_config *config);
bool udev_markers_hide(struct vvp_ctx *ctx, struct vvp_plan *plan);

/* udev-burst.c: udev-add configures a burst of new VFs once */
struct vvp_pf;
enum { BURST_NONE, BURST_DONE, BURST_MISSED };
void udev_burst_register(struct vvp_ctx *ctx, struct vvp_pf *pf,
			 const char *vf);
int udev_burst_check(struct vvp_ctx *ctx, struct vvp_pf *pf, const char *vf);
void udev_burst_unregister(struct vvp_ctx *ctx, struct vvp_pf *pf,
			   const char *vf);
int udev_burst_apply(struct vvp_ctx *ctx, struct vvp_config *config,
		     struct vvp_pf *pf, unsigned int *steps);

/* owner.c: printers shared with show and monitor */
struct vvp_owner;
struct vvp_member;
void print_owner_fields(struct vvp_owner *owner);
void print_member_fields(struct vvp_member *member);
/* a VF's provisioning when its PF has a vvp owner; nothing otherwise */
void print_vf_provisioning(struct vvp_vf *vf);

#endif
