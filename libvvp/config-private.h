/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The declarative state (vvp.conf(5)) inside libvvp: what config.c reads
 * and checks, and what plan.c and apply.c turn into steps. Private to the
 * library; programs use the vvp_config_* calls of libvvp.h.
 */
#ifndef _LIBVVP_CONFIG_PRIVATE_H_
#define _LIBVVP_CONFIG_PRIVATE_H_

#include <stdbool.h>

#include "libvvp-private.h"

/* a value the config does not set: leave what is there alone */
#define CFG_UNSET (-1)

/* [vf PF/N]: one VF's own settings; unset ones come from its PF section */
struct vvp_config_vf {
	struct vvp_config_pf *pf;
	unsigned int index;		/* N: the PF's virtfnN */
	const char *file;		/* where the section starts (points */
	unsigned int line;		/* into vvp_config.files) */
	bool has_mac;
	unsigned char mac[6];
	int mtu;			/* CFG_UNSET or 68..65535 */
	int transitional;		/* CFG_UNSET, 0, 1 */
	char *driver;			/* NULL: the PF's default */
};

/* [pf ADDRESS] or [pf serial=...] */
struct vvp_config_pf {
	struct vvp_config *config;
	char address[16];		/* canonical; "" until a serial= PF is found */
	char *serial;			/* NULL unless named by serial */
	const char *file;
	unsigned int line;
	int num_vfs;			/* CFG_UNSET or 0..sriov_totalvfs */
	/*
	 * Default driver of its VFs: NULL (unset: drivers are left alone),
	 * "host" (the VF's own driver: no override, kernel probes),
	 * "none" (unbound), or a driver name (override + probe).
	 */
	char *driver;
	int transitional;		/* CFG_UNSET, 0, 1: default of its VFs */
	int autoprobe;			/* CFG_UNSET, 0, 1: after apply */
	struct vvp_config_vf *vfs;	/* sorted by index */
	unsigned int num_vf_sections;
};

struct vvp_config {
	struct vvp_ctx *ctx;
	int refcount;
	struct vvp_config_pf *pfs;	/* in the order they were read */
	unsigned int num_pfs;
	char **files;			/* every file read, for file:line */
	unsigned int num_files;
	char **problems;		/* "FILE:LINE: problem" */
	unsigned int num_problems;
};

/*
 * Building a config in memory (config.c): the reader uses these, and so
 * can tests of the planner that want a config without a file. Each
 * returns NULL when out of memory. file must be one of config->files
 * (config_add_file() returns the stored copy) or a string literal.
 */
struct vvp_config *config_new(struct vvp_ctx *ctx);
const char *config_add_file(struct vvp_config *config, const char *path);
struct vvp_config_pf *config_add_pf(struct vvp_config *config,
				    const char *address, const char *file,
				    unsigned int line);
struct vvp_config_vf *config_pf_add_vf(struct vvp_config_pf *pf,
				       unsigned int index, const char *file,
				       unsigned int line);
/* record "FILE:LINE: problem" (line 0: "FILE: problem"); -ENOMEM or 0 */
int config_problem(struct vvp_config *config, const char *file,
		   unsigned int line, const char *fmt, ...) _printf_(4, 5);

/*
 * What a VF of a configured PF should look like, its own section over
 * its PF's defaults (NULL/CFG_UNSET: leave alone). index need not have
 * a [vf] section. Used by the planner and by status.
 */
struct cfg_vf_wanted {
	const char *driver;
	int transitional;
	bool has_mac;
	unsigned char mac[6];
	int mtu;
};
void config_vf_wanted(const struct vvp_config_pf *pf, unsigned int index,
		      struct cfg_vf_wanted *want);

#endif /* _LIBVVP_CONFIG_PRIVATE_H_ */
