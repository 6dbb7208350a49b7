// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvpctl status: each configured PF and VF, what the config wants against
 * what is there, field by field. The driver is compared by the planner's
 * own rule (vvp_vf_matches_driver()), so that "in sync" here is "nothing
 * to do" for vvpctl apply. Reads only: no lock, no journal undone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvvp.h>

#include "builtin.h"
#include "print.h"
#include "state.h"
#include "util.h"

static const char status_usage[] =
	"Usage: vvpctl status [ PF... ] [ -c FILE ] [ -j ] [ -p ]\n"
	"Compare each PF of the config (default: every one) and its VFs with\n"
	"what the config says, field by field, and flag what drifted.\n"
	"  -c, --config FILE   read FILE instead of the config directory\n"
	"  -j, --json          JSON: an array of PF objects\n"
	"  -p, --pretty        indented JSON\n"
	"Exit status: 0 in sync, 3 drifted (a field differs, a PF or VF is\n"
	"missing, or an apply was interrupted), 1 error, 2 usage error.\n";

/* a value of a field: JSON typed, text as it reads */
enum val_type { V_NONE, V_INT, V_BOOL, V_STR };

struct val {
	enum val_type type;	/* V_NONE: not known */
	long long n;
	const char *s;
};

#define VAL_INT(x) ((struct val){ V_INT, (x), NULL })
#define VAL_BOOL(x) ((struct val){ V_BOOL, (x), NULL })
#define VAL_STR(x) ((struct val){ V_STR, 0, (x) })
#define VAL_UNKNOWN ((struct val){ V_NONE, 0, NULL })

static void put_val(const char *key, const struct val *v)
{
	if (v->type == V_INT)
		print_int(PRINT_JSON, key, NULL, v->n);
	else if (v->type == V_BOOL)
		print_bool(PRINT_JSON, key, NULL, v->n);
	else if (v->type == V_STR)
		print_string(PRINT_JSON, key, NULL, v->s);
}

static const char *val_text(const struct val *v, char *buf, size_t len)
{
	if (v->type == V_INT)
		snprintf(buf, len, "%lld", v->n);
	else if (v->type == V_BOOL)
		snprintf(buf, len, "%s", v->n ? "on" : "off");
	else
		snprintf(buf, len, "%s", v->type == V_STR ? v->s : "unknown");
	return buf;
}

/* one field: "name actual", with "(wanted W: drift)" when it drifted */
static bool field(const char *key, struct val want, struct val have,
		  bool drift)
{
	char w[64], h[160];

	open_json_object(key);
	put_val("wanted", &want);
	put_val("actual", &have);
	print_bool(PRINT_JSON, "drift", NULL, drift);
	close_json_object();
	print_text(drift ? " %s %s (wanted %s: drift)" : " %s %s", key,
		   val_text(&have, h, sizeof(h)), val_text(&want, w, sizeof(w)));
	return drift;
}

/* what a VF should be: its [vf] section over its PF's defaults */
struct vf_want {
	const char *driver;
	const unsigned char *mac;
	int mtu, transitional;
};

static bool vf_want(struct vvp_config_pf *cpf, struct vvp_config_vf *cvf,
		    struct vf_want *w)
{
	w->driver = cvf ? vvp_config_vf_get_driver(cvf) :
			  vvp_config_pf_get_driver(cpf);
	w->transitional = cvf ? vvp_config_vf_get_transitional(cvf) :
				vvp_config_pf_get_transitional(cpf);
	w->mac = cvf ? vvp_config_vf_get_mac(cvf) : NULL;
	w->mtu = cvf ? vvp_config_vf_get_mtu(cvf) : -1;
	return w->driver || w->mac || w->mtu >= 0 || w->transitional >= 0;
}

static bool driver_field(struct vvp_vf *vf, const char *want)
{
	const char *d = vvp_vf_get_driver(vf), *o = vvp_vf_get_driver_override(vf);
	char text[160];

	if (o && (!d || strcmp(o, d)))
		snprintf(text, sizeof(text), "%s (override %s)", d ? d : "none", o);
	else
		snprintf(text, sizeof(text), "%s", d ? d : "none");
	return field("driver", VAL_STR(want), VAL_STR(text),
		     !vvp_vf_matches_driver(vf, want));
}

/* mac, mtu, transitional as the kernel has them; unknown counts as drift */
static bool provisioning_fields(struct vvp_ctx *ctx, struct vvp_vf *vf,
				const struct vf_want *w)
{
	struct vvp_member *m = NULL;
	char want[18], have[18] = "";
	bool drift = false;

	if (!w->mac && w->mtu < 0 && w->transitional < 0)
		return false;
	if (vvp_member_find(ctx, vvp_vf_get_address(vf), &m) < 0) {
		fprintf(stderr, "Warning: %s\n", vvp_get_last_error(ctx));
		m = NULL;
	}
	if (w->mac) {
		vvp_format_mac(w->mac, want, sizeof(want));
		if (m && vvp_member_has_mac(m))
			vvp_format_mac(vvp_member_get_mac(m), have, sizeof(have));
		drift |= field("mac", VAL_STR(want),
			       have[0] ? VAL_STR(have) : VAL_UNKNOWN,
			       strcmp(want, have) != 0);
	}
	if (w->mtu >= 0) {
		bool known = m && vvp_member_has_mtu(m);

		drift |= field("mtu", VAL_INT(w->mtu),
			       known ? VAL_INT(vvp_member_get_mtu(m)) : VAL_UNKNOWN,
			       !known || vvp_member_get_mtu(m) != (unsigned int)w->mtu);
	}
	if (w->transitional >= 0) {
		bool known = m && vvp_member_has_transitional(m);

		drift |= field("transitional", VAL_BOOL(w->transitional),
			       known ? VAL_BOOL(vvp_member_get_transitional(m)) :
			       VAL_UNKNOWN,
			       !known || vvp_member_get_transitional(m) != w->transitional);
	}
	return drift;
}

static struct vvp_vf *vf_by_index(struct vvp_pf *pf, int index)
{
	struct vvp_vf *vf;

	vvp_vf_foreach(pf, vf)
		if (vvp_vf_get_index(vf) == index)
			return vf;
	return NULL;
}

static struct vvp_config_vf *cvf_by_index(struct vvp_config_pf *cpf, int index)
{
	struct vvp_config_vf *cvf;

	vvp_config_vf_foreach(cpf, cvf)
		if ((int)vvp_config_vf_get_index(cvf) == index)
			return cvf;
	return NULL;
}

/* VF index of pf; drift when it differs from, or lacks, what is wanted */
static bool status_vf(struct vvp_ctx *ctx, struct vvp_pf *pf,
		      struct vvp_config_pf *cpf, int index)
{
	struct vvp_config_vf *cvf = cvf_by_index(cpf, index);
	struct vvp_vf *vf = vf_by_index(pf, index);
	struct vf_want w;
	bool drift;

	if (!vf_want(cpf, cvf, &w) && !cvf)
		return false;
	open_json_object(NULL);
	print_int(PRINT_ANY, "index", "  vf %lld", index);
	print_bool(PRINT_JSON, "present", NULL, vf != NULL);
	if (!vf) {
		/* num_vfs set: apply creates it; unset: it waits for its VF */
		drift = vvp_config_pf_get_num_vfs(cpf) > index;
		print_text(": absent%s\n", drift ? " (drift)" : " (no VF yet)");
		print_bool(PRINT_JSON, "in_sync", NULL, !drift);
		close_json_object();
		return drift;
	}
	print_string(PRINT_ANY, "address", " %s:", vvp_vf_get_address(vf));
	drift = w.driver && driver_field(vf, w.driver);
	drift |= provisioning_fields(ctx, vf, &w);
	print_bool(PRINT_JSON, "in_sync", NULL, !drift);
	print_nl();
	close_json_object();
	return drift;
}

/* every index the config names or the PF has, in order */
static bool status_vfs(struct vvp_ctx *ctx, struct vvp_pf *pf,
		       struct vvp_config_pf *cpf)
{
	struct vvp_config_vf *cvf;
	int last = vvp_pf_get_num_vfs(pf);
	bool drift = false;

	vvp_config_vf_foreach(cpf, cvf)
		if ((int)vvp_config_vf_get_index(cvf) + 1 > last)
			last = vvp_config_vf_get_index(cvf) + 1;
	open_json_array("vfs");
	for (int i = 0; i < last; i++)
		drift |= status_vf(ctx, pf, cpf, i);
	close_json_array();
	return drift;
}

/* an apply running now, or one that died half-way (drift) */
static bool status_journal(struct vvp_pf *pf)
{
	bool alive;
	int pid;

	if (vvp_pf_get_journal(pf, &pid, &alive) < 0)
		return false;
	print_int(PRINT_JSON, alive ? "apply_running_pid" : "interrupted_pid",
		  NULL, pid);
	print_text(alive ? "  an apply by process %d is running\n" :
		   "  process %d died during an apply (drift): vvpctl apply undoes it\n",
		   pid);
	return !alive;
}

static bool status_pf(struct vvp_ctx *ctx, struct vvp_config *config,
		      const char *addr)
{
	struct vvp_config_pf *cpf = vvp_config_pf_find(config, addr);
	int want_n = vvp_config_pf_get_num_vfs(cpf);
	int want_ap = vvp_config_pf_get_autoprobe(cpf);
	bool drift = false;
	struct vvp_pf *pf;
	bool present = vvp_pf_find(ctx, addr, &pf) == 0;

	open_json_object(NULL);
	print_string(PRINT_ANY, "pf", "pf %s:", addr);
	print_bool(PRINT_JSON, "present", NULL, present);
	if (!present) {
		print_string(PRINT_JSON, "error", NULL, vvp_get_last_error(ctx));
		print_text(" missing (drift): %s\n", vvp_get_last_error(ctx));
		print_bool(PRINT_JSON, "in_sync", NULL, false);
		close_json_object();
		return true;
	}
	if (want_n >= 0)
		drift |= field("num_vfs", VAL_INT(want_n),
			       VAL_INT(vvp_pf_get_num_vfs(pf)),
			       vvp_pf_get_num_vfs(pf) != want_n);
	if (want_ap >= 0)
		drift |= field("autoprobe", VAL_BOOL(want_ap),
			       VAL_BOOL(vvp_pf_get_autoprobe(pf) == 1),
			       vvp_pf_get_autoprobe(pf) != want_ap);
	print_nl();
	drift |= status_journal(pf);
	drift |= status_vfs(ctx, pf, cpf);
	print_bool(PRINT_JSON, "in_sync", NULL, !drift);
	print_text("pf %s: %s\n", addr, drift ? "drifted" : "in sync");
	close_json_object();
	return drift;
}

int cmd_status(int argc, char **argv, struct vvp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *path = NULL;
	struct vvp_config *config;
	char (*pfs)[16] = NULL;
	int c, rc, n;
	bool drift = false;

	while ((c = parse_opt("status", argc, argv, "c:jph", opts)) != -1) {
		if (json_opt(c))
			continue;
		if (c == 'h')
			return print_usage(status_usage);
		if (c != 'c')
			return EXIT_USAGE;
		path = optarg;
	}
	config = read_config(ctx, "status", path, false, &rc);
	if (!config)
		return rc;
	rc = pick_pfs(config, "status", argc - optind, argv + optind, &pfs, &n);
	if (rc == EXIT_OK && n == 0)
		fprintf(stderr, "status: the config names no PF\n");
	if (rc == EXIT_OK) {
		print_init(gopts.json, gopts.pretty);
		open_json_array(NULL);
		for (int i = 0; i < n; i++)
			drift |= status_pf(ctx, config, pfs[i]);
		close_json_array();
		print_end();
	}
	free(pfs);
	vvp_config_unref(config);
	return rc != EXIT_OK ? rc : drift ? EXIT_DRIFT : EXIT_OK;
}
