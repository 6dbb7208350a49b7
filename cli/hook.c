// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl libvirt-hook DOMAIN OP SUBOP EXTRA: what libvirt's qemu hook
 * (installed as <hooks dir>/qemu.d/vvp) runs, with the domain XML on
 * stdin. prepare begin readies the guest's VFs, release end gives them
 * back to vvp.conf; every other operation does nothing. It never calls
 * libvirt: libvirt waits for the hook, and a call back would deadlock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libvvp.h>

#include "builtin.h"
#include "hook.h"
#include "util.h"

static const char hook_usage[] =
	"Usage: vvpctl libvirt-hook [ --dry-run ] [ -c FILE ] DOMAIN OP SUBOP [ EXTRA ]\n"
	"\n"
	"Run by libvirt's qemu hook (qemu.d/vvp) with the domain XML on stdin.\n"
	"prepare begin: give the guest's VFs of PFs in vvp.conf(5) its MAC and\n"
	"MTU and bind them to a vfio driver (the config's, else vfio-pci); a\n"
	"failure puts them all back and libvirt does not start the guest.\n"
	"release end: make them what vvp.conf says again. Other operations and\n"
	"other devices are left alone. See vvpctl-libvirt-hook(8).\n"
	"  -n, --dry-run       print what it would do, change nothing\n"
	"  -c, --config FILE   read FILE instead of the config directory\n"
	"Exit status: 0 done (or nothing to do), 1 failed, 2 usage error.\n";

/* the ops that change something: libvirt's "prepare begin", "release end" */
static int parse_op(const char *op, const char *subop, enum hook_op *out)
{
	if (strcmp(op, "prepare") == 0 && strcmp(subop, "begin") == 0)
		*out = HOOK_PREPARE;
	else if (strcmp(op, "release") == 0 && strcmp(subop, "end") == 0)
		*out = HOOK_RELEASE;
	else
		return 0;
	return 1;
}

/* whether the guest has a VF at all: a config vvp cannot read concerns it */
static bool any_vf(struct vvp_ctx *ctx, const struct hook_domain *d)
{
	for (unsigned int i = 0; i < d->num_devs; i++)
		if (vvp_pci_lookup(ctx, d->devs[i].address, NULL, NULL) ==
		    VVP_PCI_VF)
			return true;
	return false;
}

static struct vvp_config *hook_config(struct vvp_ctx *ctx, const char *path,
				      const char *domain)
{
	struct vvp_config *config = NULL;
	struct failure f;
	unsigned int n;
	int rc;

	rc = vvp_config_read(ctx, path, &config);
	if (rc < 0 && rc != -EINVAL) {
		failure_keep(ctx, rc, &f);
		failure_print("Error: ", &f, OP_CONFIG, path);
		return NULL;
	}
	n = vvp_config_get_num_problems(config);
	if (n > 0) {
		fprintf(stderr, "Error: cannot prepare or release the VFs of domain '%s' (the config is invalid: %u problem%s, the first: %s); fix it (vvpctl check-config)\n",
			domain, n, n == 1 ? "" : "s",
			vvp_config_get_problem(config, 0));
		vvp_config_unref(config);
		return NULL;
	}
	return config;
}

/* the domain XML from stdin: 0, or EXIT_FAIL after the error */
static int read_domain(const char *domain, struct hook_domain *d)
{
	char *buf = NULL, err[512];
	size_t len = 0;
	int rc;

	rc = hook_read_all(STDIN_FILENO, HOOK_XML_MAX, &buf, &len);
	if (rc == -EFBIG) {
		fprintf(stderr, "Error: cannot read the XML of domain '%s' (over %u MiB on stdin, more than any domain XML); give the hook the XML libvirt gives it\n",
			domain, HOOK_XML_MAX >> 20);
		return EXIT_FAIL;
	}
	if (rc < 0) {
		fprintf(stderr, "Error: cannot read the XML of domain '%s' from stdin (%s); run the hook as libvirt does, the XML on stdin\n",
			domain, strerror(-rc));
		return EXIT_FAIL;
	}
	rc = hook_xml_parse(buf, len, d, err, sizeof(err));
	free(buf);
	if (rc == -ENOMEM)
		fprintf(stderr, "Error: cannot read the XML of domain '%s' (%s); try again\n",
			domain, strerror(ENOMEM));
	else if (rc < 0)
		fprintf(stderr, "Error: cannot read the XML of domain '%s' (%s); give the hook the domain XML libvirt writes (virsh dumpxml)\n",
			domain, err);
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}

/* stdin of an op we ignore: read it, so that libvirt's write succeeds */
static void drain_stdin(void)
{
	char buf[65536];

	if (isatty(STDIN_FILENO))
		return;
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
}

static int parse_args(int argc, char **argv, bool *dry_run,
		      const char **config)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = parse_opt("libvirt-hook", argc, argv, "nc:h", opts)) != -1) {
		if (c == 'n')
			*dry_run = true;
		else if (c == 'c')
			*config = optarg;
		else
			return c == 'h' ? print_usage(hook_usage) : EXIT_USAGE;
	}
	if (argc - optind < 3 || argc - optind > 4)
		return usage_error("libvirt-hook", "expected DOMAIN OP SUBOP [ EXTRA ] as libvirt gives them (got %d arguments)",
				   argc - optind);
	return -1;
}

int cmd_libvirt_hook(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct vvp_config *config;
	struct hook_domain d;
	const char *path = NULL, *domain;
	bool dry_run = false;
	enum hook_op op;
	int rc;

	rc = parse_args(argc, argv, &dry_run, &path);
	if (rc >= 0)
		return rc;
	domain = argv[optind];
	if (!parse_op(argv[optind + 1], argv[optind + 2], &op)) {
		drain_stdin();
		return EXIT_OK;
	}
	openlog("vvpctl libvirt-hook", LOG_PID, LOG_DAEMON);
	if (read_domain(domain, &d) != EXIT_OK)
		return EXIT_FAIL;
	/*
	 * A guest without VFs is none of vvp's business: a broken vvp.conf
	 * must not keep it from starting.
	 */
	if (!any_vf(ctx, &d)) {
		hook_domain_free(&d);
		return EXIT_OK;
	}
	config = hook_config(ctx, path, domain);
	rc = config ? hook_run(ctx, config, domain, op, &d, dry_run) : EXIT_FAIL;
	vvp_config_unref(config);
	hook_domain_free(&d);
	return rc;
}
