// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl monitor: one line (or one JSON object per line) per vvp event,
 * flushed as it comes, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "print.h"
#include "util.h"

static const char monitor_usage[] =
	"Usage: vvpctl monitor [ -j ] [ -p ]\n"
	"Print vvp events as vvp.ko sends them (owner_add, owner_change,\n"
	"owner_del, member_change), one line each, until interrupted\n"
	"(SIGINT, SIGTERM).\n"
	"  -j, --json     one JSON object per line\n"
	"  -p, --pretty   indented JSON\n";

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void print_event(struct vvp_event *ev)
{
	enum vvp_event_type type = vvp_event_get_type(ev);
	struct vvp_member *m = vvp_event_get_member(ev);
	struct vvp_owner *o = vvp_event_get_owner(ev);
	const char *owner = vvp_event_get_owner_address(ev);
	const char *name = vvp_event_type_name(type);

	print_init(gopts.json, gopts.pretty);
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", name ? name : "unknown");
	if (m) {
		const char *addr = vvp_member_get_address(m);

		if (addr)
			print_string(PRINT_ANY, "address", " %s", addr);
		if (owner)
			print_string(PRINT_ANY, "owner", " owner %s", owner);
		if (vvp_member_has_index(m))
			print_int(PRINT_ANY, "index", " index %lld",
				  vvp_member_get_index(m));
		print_member_fields(m);
	} else {
		if (owner)
			print_string(PRINT_ANY, "owner", " %s", owner);
		if (o)
			print_owner_fields(o);
	}
	print_nl();
	close_json_object();
	print_end();
}

static int parse_args(int argc, char **argv)
{
	int rc = parse_json_opts("monitor", monitor_usage, argc, argv);

	if (rc >= 0)
		return rc;
	if (optind < argc)
		return usage_error("monitor", "unexpected argument '%s' (monitor takes none)",
				   argv[optind]);
	return -1;
}

/* events until a signal: EXIT_OK then, EXIT_FAIL when reading fails */
static int loop(struct vvp_ctx *ctx, struct vvp_monitor *mon,
		const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = vvp_monitor_get_fd(mon), .events = POLLIN };
	struct vvp_event *ev;
	int rc;

	while (!stop_signal) {
		/* the signals are blocked except inside ppoll: none is missed */
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: cannot wait for vvp events (%s); check the system\n",
				strerror(errno));
			return EXIT_FAIL;
		}
		while ((rc = vvp_monitor_receive(mon, &ev)) == 0) {
			print_event(ev);
			vvp_event_unref(ev);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				fprintf(stderr, "Error: cannot write the output (%s); check where stdout goes\n",
					strerror(errno ? errno : EIO));
				return EXIT_FAIL;
			}
		}
		if (rc == -EAGAIN)
			continue;
		if (rc == -ENOBUFS) {
			struct failure f;

			/* some events are gone; the next ones still come */
			failure_keep(ctx, rc, &f);
			failure_print("Warning: ", &f, OP_MONITOR, NULL);
			continue;
		}
		return op_error(ctx, OP_MONITOR, rc, NULL);
	}
	return EXIT_OK;
}

int cmd_monitor(int argc, char **argv, struct vvp_ctx *ctx)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	struct vvp_monitor *mon;
	int rc;

	rc = parse_args(argc, argv);
	if (rc >= 0)
		return rc;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	rc = vvp_monitor_new(ctx, &mon);
	if (rc < 0)
		return op_error(ctx, OP_MONITOR, rc, NULL);
	/* on stderr, so that stdout stays events only; scripts wait for it */
	fprintf(stderr, "monitor: listening for vvp events (interrupt to stop)\n");
	rc = loop(ctx, mon, &waitmask);
	vvp_monitor_unref(mon);
	return rc;
}
