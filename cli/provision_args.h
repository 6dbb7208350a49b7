/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vvpctl provision's command line (provision_args.c) */
#ifndef _VVPCTL_PROVISION_ARGS_H_
#define _VVPCTL_PROVISION_ARGS_H_

#include <stdbool.h>
#include <stdint.h>

struct vvp_ctx;

/* what the command line asks for; wait_ms is set by the caller first */
struct prov_opts {
	bool has_mac, has_mtu, has_pairs, has_features, has_transitional;
	unsigned char mac[6];
	unsigned int mtu, pairs;
	uint64_t set, clear;
	bool transitional;
	int wait_ms;
};

/*
 * The options of argv into o, up to the first operand (optind): -1 when
 * the command goes on, else its exit status (EXIT_OK after --help,
 * EXIT_USAGE after a usage error on stderr).
 */
int provision_parse_args(int argc, char **argv, struct vvp_ctx *ctx,
			 struct prov_opts *o);

#endif
