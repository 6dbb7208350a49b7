// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "state.h"
#include "util.h"

struct vvp_config *read_config(struct vvp_ctx *ctx, const char *cmd,
			       const char *path, bool check, int *rc)
{
	struct vvp_config *config = NULL;
	unsigned int n;
	int r;

	r = vvp_config_read(ctx, path, &config);
	if (r == 0 && check)
		r = vvp_config_check(config);
	if (r < 0 && r != -EINVAL) {
		vvp_config_unref(config);
		*rc = op_error(ctx);
		return NULL;
	}
	n = vvp_config_get_num_problems(config);
	if (n == 0)
		return config;
	for (unsigned int i = 0; i < n; i++)
		fprintf(stderr, "%s\n", vvp_config_get_problem(config, i));
	fprintf(stderr, "Error: %s refuses an invalid config (%u problem%s, listed above%s); fix the config (vvpctl check-config checks it)\n",
		cmd, n, n == 1 ? "" : "s",
		strcmp(cmd, "apply") ? "" : ": nothing was changed");
	vvp_config_unref(config);
	*rc = EXIT_FAIL;
	return NULL;
}

static int configured(struct vvp_config *config, const char *cmd,
		      const char *arg, char *addr)
{
	if (vvp_parse_pci_address(arg, addr, 16) < 0)
		return usage_error(cmd, "'%s' is not a PCI address (expected DDDD:BB:DD.F)",
				   arg);
	if (!vvp_config_pf_find(config, addr)) {
		fprintf(stderr, "Error: %s is not in the config (no [pf %s] section); add one, or name a configured PF\n",
			addr, addr);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int pick_pfs(struct vvp_config *config, const char *cmd, int argc,
	     char **argv, char (**pfs)[16], int *n)
{
	struct vvp_config_pf *cpf;
	int count = 0, rc = EXIT_OK;

	vvp_config_pf_foreach(config, cpf)
		count++;
	*pfs = calloc((argc > count ? argc : count) + 1, sizeof(**pfs));
	if (!*pfs)
		return EXIT_FAIL;
	*n = 0;
	for (int i = 0; rc == EXIT_OK && i < argc; i++)
		rc = configured(config, cmd, argv[i], (*pfs)[(*n)++]);
	if (argc == 0) {
		/* a serial= PF not found has no address: check reports it */
		vvp_config_pf_foreach(config, cpf)
			if (*vvp_config_pf_get_address(cpf))
				snprintf((*pfs)[(*n)++], 16, "%s",
					 vvp_config_pf_get_address(cpf));
	}
	if (rc != EXIT_OK) {
		free(*pfs);
		*pfs = NULL;
	}
	return rc;
}
