// SPDX-License-Identifier: GPL-2.0-or-later
/* vvpctl check-config: is the config (vvp.conf(5)) valid, here and now */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "print.h"
#include "util.h"

static const char check_usage[] =
	"Usage: vvpctl check-config [ --offline ] [ -j ] [ -p ] [ FILE ]\n"
	"Read the config (vvp.conf and conf.d/*.conf in the config directory,\n"
	"or FILE alone) and check it against this system. Each problem is\n"
	"printed on stderr as FILE:LINE: problem, and the exit status is 1.\n"
	"  --offline      syntax and values only: do not look at the system\n"
	"  -j, --json     {\"valid\", \"problems\", \"pfs\", \"vfs\"} on stdout\n"
	"  -p, --pretty   indented JSON\n";

struct check_opts {
	bool offline;
	const char *file;	/* NULL: the config directory */
};

static int parse_args(int argc, char **argv, struct check_opts *o)
{
	static const struct option opts[] = {
		{ "offline", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = parse_opt("check-config", argc, argv, "jph", opts)) != -1) {
		if (json_opt(c))
			continue;
		if (c == 'h')
			return print_usage(check_usage);
		if (c != 'o')
			return EXIT_USAGE;
		o->offline = true;
	}
	if (argc - optind > 1)
		return usage_error("check-config", "too many arguments (check-config takes one FILE at most)");
	o->file = optind < argc ? argv[optind] : NULL;
	return -1;
}

static void count(struct vvp_config *config, unsigned int *pfs,
		  unsigned int *vfs)
{
	struct vvp_config_pf *cpf;
	struct vvp_config_vf *cvf;

	*pfs = *vfs = 0;
	vvp_config_pf_foreach(config, cpf) {
		(*pfs)++;
		vvp_config_vf_foreach(cpf, cvf)
			(*vfs)++;
	}
}

static void print_json(struct vvp_config *config)
{
	unsigned int n = vvp_config_get_num_problems(config), pfs, vfs;

	count(config, &pfs, &vfs);
	print_init(true, gopts.pretty);
	open_json_object(NULL);
	print_bool(PRINT_JSON, "valid", NULL, n == 0);
	open_json_array("problems");
	for (unsigned int i = 0; i < n; i++)
		print_string(PRINT_JSON, NULL, NULL,
			     vvp_config_get_problem(config, i));
	close_json_array();
	print_int(PRINT_JSON, "pfs", NULL, pfs);
	print_int(PRINT_JSON, "vfs", NULL, vfs);
	close_json_object();
	print_end();
}

/* one line, and what it could not look at */
static void print_valid(struct vvp_ctx *ctx, struct vvp_config *config,
			const struct check_opts *o)
{
	unsigned int pfs, vfs;

	count(config, &pfs, &vfs);
	printf("%s: valid, %u PF%s, %u VF%s", o->file ? o->file :
	       vvp_get_config_dir(ctx), pfs, pfs == 1 ? "" : "s", vfs,
	       vfs == 1 ? "" : "s");
	if (o->offline)
		printf(" (offline: syntax and values only)\n");
	else if (vvp_owner_scan(ctx) == -ENOENT)
		printf(" (provisioning keys not checked: the vvp module is not loaded)\n");
	else
		printf("\n");
}

static int report(struct vvp_ctx *ctx, struct vvp_config *config,
		  const struct check_opts *o)
{
	unsigned int n = vvp_config_get_num_problems(config);

	if (gopts.json) {
		print_json(config);
		return n ? EXIT_FAIL : EXIT_OK;
	}
	if (n == 0) {
		print_valid(ctx, config, o);
		return EXIT_OK;
	}
	for (unsigned int i = 0; i < n; i++)
		fprintf(stderr, "%s\n", vvp_config_get_problem(config, i));
	fprintf(stderr, "Error: the config is not valid (%u problem%s, listed above); fix %s and check again\n",
		n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
	return EXIT_FAIL;
}

int cmd_check_config(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct check_opts o = { };
	struct vvp_config *config;
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = vvp_config_read(ctx, o.file, &config);
	if (rc < 0 && rc != -EINVAL)
		return op_error(ctx, OP_CONFIG, rc, o.file);
	/* the system too, with problems or not: every problem at once */
	if (!o.offline) {
		rc = vvp_config_check(config);
		if (rc < 0 && rc != -EINVAL) {
			vvp_config_unref(config);
			return op_error(ctx, OP_CONFIG, rc, o.file);
		}
	}
	rc = report(ctx, config, &o);
	vvp_config_unref(config);
	return rc;
}
