// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The keys of vvp.conf(5): which section takes which, what values they
 * take, and that no key is set twice (in one file or across files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config-read.h"

static const struct key_def {
	const char *name;
	enum cfg_key key;
	bool in_pf, in_vf;
} keys[] = {
	{ "num_vfs", CFG_KEY_NUM_VFS, true, false },
	{ "driver", CFG_KEY_DRIVER, true, true },
	{ "transitional", CFG_KEY_TRANSITIONAL, true, true },
	{ "autoprobe", CFG_KEY_AUTOPROBE, true, false },
	{ "mac", CFG_KEY_MAC, false, true },
	{ "mtu", CFG_KEY_MTU, false, true },
};

const char *config_key_name(enum cfg_key key)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].key == key)
			return keys[i].name;
	return "?";
}

struct cfg_value {
	int num;
	unsigned char mac[6];
};

static bool parse_number(const char *s, int min, int max, int *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v < (unsigned long)min || v > (unsigned long)max)
		return false;
	*out = v;
	return true;
}

static bool parse_bool(const char *s, int *out)
{
	static const char *const on[] = { "on", "yes", "true", "1" };
	static const char *const off[] = { "off", "no", "false", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(on); i++) {
		if (strcasecmp(s, on[i]) == 0) {
			*out = 1;
			return true;
		}
		if (strcasecmp(s, off[i]) == 0) {
			*out = 0;
			return true;
		}
	}
	return false;
}

/* a name under bus/pci/drivers: no '/', not "." or "..", fits a buffer */
static bool driver_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || !((*s >= 'a' && *s <= 'z') ||
				  (*s >= 'A' && *s <= 'Z') ||
				  (*s >= '0' && *s <= '9')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_-.") == n;
}

/* what the kernel's member_set refuses is refused here, with its reason */
static bool parse_mac(struct cfg_reader *r, const char *s, unsigned char *mac)
{
	static const unsigned char zero[6];

	if (vvp_parse_mac(s, mac) < 0) {
		cfg_problem(r, "mac '%s' is not a MAC address (expected six hex pairs, 02:11:22:33:44:01)",
			    s);
		return false;
	}
	if (mac[0] & 1) {
		cfg_problem(r, "mac %s is a multicast address (a VF needs a unicast one: the first byte even)",
			    s);
		return false;
	}
	if (memcmp(mac, zero, 6) == 0) {
		cfg_problem(r, "mac %s is all zeros (the kernel refuses it as a VF's address)",
			    s);
		return false;
	}
	return true;
}

static bool parse_value(struct cfg_reader *r, enum cfg_key key,
			const char *s, struct cfg_value *v)
{
	switch (key) {
	case CFG_KEY_NUM_VFS:
		if (parse_number(s, 0, 65535, &v->num))
			return true;
		cfg_problem(r, "num_vfs '%s' is not a number from 0 to 65535", s);
		return false;
	case CFG_KEY_MTU:
		if (parse_number(s, 68, 65535, &v->num))
			return true;
		cfg_problem(r, "mtu '%s' is not a number from 68 to 65535", s);
		return false;
	case CFG_KEY_TRANSITIONAL:
	case CFG_KEY_AUTOPROBE:
		if (parse_bool(s, &v->num))
			return true;
		cfg_problem(r, "%s '%s' is not on or off (nor yes/no, true/false, 1/0)",
			    config_key_name(key), s);
		return false;
	case CFG_KEY_DRIVER:
		if (driver_name_ok(s))
			return true;
		cfg_problem(r, "driver '%s' is not a driver name (letters, digits, '_', '-', '.'), host or none",
			    s);
		return false;
	case CFG_KEY_MAC:
		return parse_mac(r, s, v->mac);
	default:
		return false;
	}
}

/* the value is valid; 0 or -ENOMEM */
static int store(struct cfg_reader *r, enum cfg_key key, const char *s,
		 const struct cfg_value *v)
{
	struct vvp_config_pf *pf = r->pf;
	struct vvp_config_vf *vf = r->vf;
	char **driver;

	switch (key) {
	case CFG_KEY_NUM_VFS:
		pf->num_vfs = v->num;
		break;
	case CFG_KEY_AUTOPROBE:
		pf->autoprobe = v->num;
		break;
	case CFG_KEY_TRANSITIONAL:
		*(vf ? &vf->transitional : &pf->transitional) = v->num;
		break;
	case CFG_KEY_MTU:
		vf->mtu = v->num;
		break;
	case CFG_KEY_MAC:
		vf->has_mac = true;
		memcpy(vf->mac, v->mac, sizeof(vf->mac));
		break;
	case CFG_KEY_DRIVER:
		driver = vf ? &vf->driver : &pf->driver;
		free(*driver);
		*driver = strdup(s);
		if (!*driver)
			return -ENOMEM;
		break;
	default:
		break;
	}
	return 0;
}

static const struct key_def *key_find(struct cfg_reader *r, const char *name)
{
	const char *kind = r->kind == CFG_SEC_PF ? "pf" : "vf";
	const struct key_def *def = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			def = &keys[i];
	if (!def)
		cfg_problem(r, "unknown key '%s' in a [%s] section", name, kind);
	else if (r->kind == CFG_SEC_PF ? !def->in_pf : !def->in_vf)
		cfg_problem(r, "key '%s' belongs in a [%s] section, not in [%s]",
			    name, def->in_pf ? "pf" : "vf", kind);
	else
		return def;
	return NULL;
}

void config_key(struct cfg_reader *r, const char *name, const char *value)
{
	const struct key_def *def;
	struct cfg_where *at;
	struct cfg_value v;

	if (!*name) {
		cfg_problem(r, "'= %s' has no key name", value);
		return;
	}
	if (r->kind == CFG_SEC_NONE) {
		cfg_problem(r, "key '%s' before any section (it belongs under [pf ...] or [vf ...])",
			    name);
		return;
	}
	/* the section's own problem says enough */
	if (r->kind == CFG_SEC_BAD)
		return;
	def = key_find(r, name);
	if (!def)
		return;
	if (!*value) {
		cfg_problem(r, "%s has no value", name);
		return;
	}
	if (!parse_value(r, def->key, value, &v) || !r->pf)
		return;
	at = &(r->vf ? r->vf->set_at : r->pf->set_at)[def->key];
	if (at->file) {
		cfg_problem(r, "%s already set at %s:%u", name, at->file,
			    at->line);
		return;
	}
	if (store(r, def->key, value, &v) < 0) {
		r->err = -ENOMEM;
		return;
	}
	at->file = r->file;
	at->line = r->line;
}
