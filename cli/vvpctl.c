// SPDX-License-Identifier: GPL-2.0-or-later
/* vvpctl: make virtio SR-IOV VFs ready for device assignment. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libvvp.h>

#include "builtin.h"
#include "lock.h"
#include "print.h"
#include "util.h"

struct global_opts gopts;

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct vvp_ctx *ctx);
	const char *help;
};

static const struct cmd_struct commands[] = {
	{ "list", cmd_list, "list SR-IOV PFs and their VFs" },
	{ "show", cmd_show, "show one PF or VF" },
	{ "enable", cmd_enable, "create VFs on a PF" },
	{ "disable", cmd_disable, "remove all VFs of a PF" },
	{ "bind", cmd_bind, "bind VFs to a driver (vfio-pci, ...)" },
	{ "unbind", cmd_unbind, "unbind VFs and give them back to their default driver" },
	{ "owner", cmd_owner, "list vvp owners (PFs a vvp backend drives) and their members" },
	{ "provision", cmd_provision, "set a VF's MAC, MTU, queue pairs, features, transitional" },
	{ "monitor", cmd_monitor, "print vvp events as they happen" },
	{ "check-config", cmd_check_config, "check the config (vvp.conf) for problems" },
	{ "apply", cmd_apply, "make the PFs what the config says (plan, carry out, roll back)" },
	{ "status", cmd_status, "compare the PFs with the config (exit 3: drifted)" },
	/* run by the system (vvp-apply.service(8)), not listed */
	{ "udev-add", cmd_udev_add, NULL },
	{ "boot-wait", cmd_boot_wait, NULL },
	/* run by libvirt (vvpctl-libvirt-hook(8)) */
	{ "libvirt-hook", cmd_libvirt_hook, NULL },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vvpctl [ OPTIONS ] COMMAND [ ARGS ]\n"
		"\n"
		"Options:\n"
		"  -j, --json       JSON output (list, show, owner, monitor, check-config)\n"
		"  -p, --pretty     indented JSON\n"
		"  -v, --verbose    log library messages (twice: debug)\n"
		"  -V, --version    print the version\n"
		"  -h, --help       this help; 'vvpctl COMMAND --help' for a command\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].help)
			fprintf(f, "  %-12s %s\n", commands[i].name,
				commands[i].help);
}

static const struct cmd_struct *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* ndctl's run_builtin: output that could not be written is a failure */
static int finish_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "Error: cannot write the output (%s); check where stdout goes\n",
			strerror(errno ? errno : EIO));
		return rc ? rc : EXIT_FAIL;
	}
	return rc;
}

static int run_cmd(const struct cmd_struct *cmd, int argc, char **argv)
{
	struct vvp_ctx *ctx;
	int rc;

	rc = vvp_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "Error: cannot start libvvp (%s); check memory\n",
			strerror(-rc));
		return EXIT_FAIL;
	}
	if (gopts.verbose)
		vvp_set_log_priority(ctx, gopts.verbose > 1 ? LOG_DEBUG : LOG_INFO);
	optind = 0;	/* reinitialise getopt fully: main used '+' mode */
	rc = cmd->fn(argc, argv, ctx);
	unlock_all();
	vvp_unref(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "list-cmds", no_argument, NULL, 'L' },
		{ }
	};
	const struct cmd_struct *cmd;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jpvVh", opts, NULL)) != -1) {
		if (json_opt(c))
			continue;
		switch (c) {
		case 'v':
			gopts.verbose++;
			break;
		case 'V':
			printf("vvpctl %s\n", VERSION_STRING);
			return finish_stdout(EXIT_OK);
		case 'h':
			usage(stdout);
			return finish_stdout(EXIT_OK);
		case 'L':
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (commands[i].help)
					printf("%s\n", commands[i].name);
			printf("help\n");
			return finish_stdout(EXIT_OK);
		default:
			if (optopt)
				return usage_error(NULL, "unknown option '-%c' (not a vvpctl option)",
						   optopt);
			return usage_error(NULL, "unknown option '%s' (not a vvpctl option)",
					   argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return usage_error(NULL, "no command given (a command is required)");
	}
	if (strcmp(argv[0], "help") == 0) {
		char *help_argv[] = { argv[1], "--help", NULL };

		if (argc < 2) {
			usage(stdout);
			return finish_stdout(EXIT_OK);
		}
		cmd = find_cmd(argv[1]);
		if (!cmd)
			return usage_error(NULL, "unknown command '%s' (not a vvpctl command)",
					   argv[1]);
		return finish_stdout(run_cmd(cmd, 2, help_argv));
	}
	cmd = find_cmd(argv[0]);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s' (not a vvpctl command)",
				   argv[0]);
	return finish_stdout(run_cmd(cmd, argc, argv));
}
