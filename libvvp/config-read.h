/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reader's state while inih walks one file: shared by the line and
 * section code (config_parse.c) and the keys (config_keys.c).
 */
#ifndef _LIBVVP_CONFIG_READ_H_
#define _LIBVVP_CONFIG_READ_H_

#include "config-private.h"

enum cfg_section {
	CFG_SEC_NONE,		/* before the first section */
	CFG_SEC_PF,
	CFG_SEC_VF,
	CFG_SEC_BAD,		/* unknown: its keys are skipped */
};

struct cfg_reader {
	struct vvp_config *config;
	const char *file;		/* one of config->files */
	const char *text;		/* the whole file */
	size_t len, pos;		/* and where the next line starts */
	unsigned int line;		/* the line inih has now */
	enum cfg_section kind;
	/* what the section names; NULL when its name is wrong */
	struct vvp_config_pf *pf;
	struct vvp_config_vf *vf;	/* [vf] only */
	int err;			/* -ENOMEM: stop */
	bool stop;			/* a limit reached: read no further */
};

/* a problem at the current line; records -ENOMEM in r->err */
void cfg_problem(struct cfg_reader *r, const char *fmt, ...)
	_printf_(2, 3);
/* a limit reached: say which, and read no further lines of the file */
void cfg_stop(struct cfg_reader *r, const char *fmt, ...) _printf_(2, 3);
/* one NAME = VALUE line: checks it and stores it */
void config_key(struct cfg_reader *r, const char *name, const char *value);

#endif /* _LIBVVP_CONFIG_READ_H_ */
