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

/*
 * What one config may hold. Every VF below a PF's num_vfs is a struct in
 * memory (config_pf_fill_vfs()), so without a bound a 32 KiB file of
 * 1000 PFs with num_vfs = 65535 took 11 GiB: the VFs in all are capped
 * at what two PFs can have at most (about 20 MiB), the PFs (each looked up by
 * name as sections come) at a number no host comes near, and a file
 * that is all problems stops being read after CFG_MAX_PROBLEMS.
 */
#define CFG_MAX_VFS (2 * 65536)
#define CFG_MAX_PFS 4096
#define CFG_MAX_PROBLEMS 1000

/* the keys of vvp.conf(5), to say where each was set (config_keys.c) */
enum cfg_key {
	CFG_KEY_NUM_VFS,
	CFG_KEY_DRIVER,
	CFG_KEY_TRANSITIONAL,
	CFG_KEY_AUTOPROBE,
	CFG_KEY_MAC,
	CFG_KEY_MTU,
	CFG_NUM_KEYS,
};

/* "num_vfs", "driver", ... as written in the file */
const char *config_key_name(enum cfg_key key);

/* a line of the config; file NULL: nowhere (a key not set) */
struct cfg_where {
	const char *file;		/* one of vvp_config.files */
	unsigned int line;
};

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
	/*
	 * Added by the reader: after vvp_config_read(), vfs holds every
	 * index below num_vfs too; those without a [vf] section are
	 * implicit (file NULL, nothing set).
	 */
	bool implicit;
	struct cfg_where set_at[CFG_NUM_KEYS];	/* where each key is set */
	struct cfg_where seen;		/* its latest section, for the reader */
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
	unsigned int num_vf_sections;	/* and implicit ones, once read */
	/*
	 * Added by the reader: a [vf] section may come before its [pf]
	 * section, or without one (a problem). Until the [pf] comes, the PF
	 * is implicit and file and line are the [vf]'s.
	 */
	bool implicit;
	struct cfg_where set_at[CFG_NUM_KEYS];
	struct cfg_where seen;
};

struct vvp_config {
	struct vvp_ctx *ctx;
	int refcount;
	struct vvp_config_pf *pfs;	/* in the order they were read */
	unsigned int num_pfs;
	char **files;			/* every file read, for file:line */
	unsigned int num_files;
	char **problems;		/* "FILE:LINE: problem" */
	struct cfg_where *problem_at;	/* where each is, to sort them */
	unsigned int num_problems;
	bool checked;			/* vvp_config_check() ran */
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

/* the position of a file in config->files; num_files: not one of them */
unsigned int config_file_index(const struct vvp_config *config,
			       const char *file);
/*
 * 0, or -EINVAL with "invalid config (N problems, the first: ...)" after
 * sorting the problems by file and line
 */
int config_result(struct vvp_config *config);

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
/* the same for a VF already looked up (NULL: none has that index) */
void config_vf_effective(const struct vvp_config_pf *pf,
			 const struct vvp_config_vf *vf,
			 struct cfg_vf_wanted *want);
/* the VF with that index in pf->vfs (a binary search), or NULL */
struct vvp_config_vf *config_vf_find(const struct vvp_config_pf *pf,
				     unsigned int index);
/*
 * Add an implicit VF for every index below num_vfs that has no [vf]
 * section, so that the getters walk them all: 0 or -ENOMEM.
 */
int config_pf_fill_vfs(struct vvp_config_pf *pf);
/*
 * The driver the udev rule binds VF index to by itself (its marker's
 * VVP_DRIVER): a driver name when that is all the config wants of the
 * VF; NULL when the rule leaves the VF to its helper.
 */
const char *config_vf_udev_driver(const struct vvp_config_pf *cpf,
				  unsigned int index);
/* "0000:01:00.0" or "serial=..." for messages, into buf */
const char *config_pf_name(const struct vvp_config_pf *pf, char *buf,
			   size_t len);

/* reading (config_read.c, config_parse.c, config_keys.c) */
/* the file's text into config: 0, or -ENOMEM (problems are recorded) */
int config_parse_text(struct vvp_config *config, const char *file,
		      const char *text, size_t len);
/* what needs every file read: a [vf] without [pf], indexes, MACs */
int config_finish(struct vvp_config *config);

/* dev_serial.c: the PCI Device Serial Number of a device */
#define CFG_SERIAL_LEN 24		/* "00-11-22-33-44-55-66-77" */
/* "01-23-..." (any case) into canonical lower case: 0 or -EINVAL */
int cfg_parse_serial(const char *str, char out[CFG_SERIAL_LEN]);
/*
 * Read it from the device's config file: 0; -ENOENT when the device has
 * none; -EACCES when the extended config space cannot be read (that
 * needs CAP_SYS_ADMIN); another -errno.
 */
int dev_read_serial(struct vvp_ctx *ctx, const char *address,
		    char out[CFG_SERIAL_LEN]);
/* the same from the first n bytes of a config space */
int dev_serial_from_config(const unsigned char *cfg, size_t n,
			   char out[CFG_SERIAL_LEN]);

#endif /* _LIBVVP_CONFIG_PRIVATE_H_ */
