// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vvp_config_check(): the config against the running system. Each PF
 * must be there and have SR-IOV, counts and indexes must fit its
 * sriov_totalvfs, a serial= PF is looked up among the PFs, and the keys
 * that provision a VF need an owner whose backend can set them (when
 * vvp.ko is loaded: without it nothing can be said, and nothing is).
 * A driver that is not loaded is fine: modules load later.
 */
#include <stdio.h>
#include <string.h>

#include "config-private.h"

struct check {
	struct vvp_config *config;
	struct vvp_ctx *ctx;
	int owners_rc;		/* vvp_owner_scan(): -ENOENT, no vvp.ko */
	bool owners_read;
};

#define pf_problem(c, cpf, ...)						\
	config_problem((c)->config, (cpf)->file, (cpf)->line, __VA_ARGS__)

/* the one PF whose Device Serial Number is cpf->serial */
static int resolve_serial(struct check *c, struct vvp_config_pf *cpf)
{
	char serial[CFG_SERIAL_LEN], first[16] = "", other[16] = "";
	unsigned int unreadable = 0, found = 0;
	struct vvp_pf *pf;

	vvp_pf_foreach(c->ctx, pf) {
		const char *addr = vvp_pf_get_address(pf);
		int rc = pci_read_serial(c->ctx, addr, serial);

		unreadable += rc == -EACCES;
		if (rc < 0 || strcmp(serial, cpf->serial))
			continue;
		snprintf(found++ ? other : first, sizeof(first), "%s", addr);
	}
	if (found == 1) {
		snprintf(cpf->address, sizeof(cpf->address), "%s", first);
		return 0;
	}
	if (found > 1)
		return pf_problem(c, cpf, "serial=%s names %s and %s (the functions of one device share its serial number; name the PF by its address)",
				  cpf->serial, first, other);
	if (unreadable)
		return pf_problem(c, cpf, "serial=%s not found, and the serial numbers of %u PF%s could not be read (reading past the first 64 bytes of PCI config space needs root)",
				  cpf->serial, unreadable, unreadable > 1 ? "s" : "");
	return pf_problem(c, cpf, "serial=%s: no PF has that Device Serial Number",
			  cpf->serial);
}

/* a serial= PF that is also configured by its address */
static int check_twice(struct check *c, const struct vvp_config_pf *cpf)
{
	const struct vvp_config *config = c->config;

	if (!cpf->serial || !cpf->address[0])
		return 0;
	for (unsigned int i = 0; i < config->num_pfs; i++) {
		const struct vvp_config_pf *o = &config->pfs[i];

		if (o != cpf && !o->serial && !strcmp(o->address, cpf->address))
			return pf_problem(c, cpf, "serial=%s is %s, which [pf %s] at %s:%u configures too",
					  cpf->serial, cpf->address, o->address,
					  o->file, o->line);
	}
	return 0;
}

/* the PF of the running system, or a problem saying why there is none */
static int find_pf(struct check *c, const struct vvp_config_pf *cpf,
		   struct vvp_pf **pf)
{
	char path[PATH_MAX], parent[32];
	int rc;

	*pf = NULL;
	rc = vvp_pf_find(c->ctx, cpf->address, pf);
	if (rc == 0)
		return 0;
	if (rc == -ENODEV)
		return pf_problem(c, cpf, "PF %s not found (no such PCI device)",
				  cpf->address);
	if (pci_dev_path(c->ctx, path, cpf->address, "physfn") == 0 &&
	    sysfs_link_name(c->ctx, path, parent, sizeof(parent)) == 0)
		return pf_problem(c, cpf, "%s is a VF (of %s), not a PF",
				  cpf->address, parent);
	return pf_problem(c, cpf, "%s is not a PF (it has no SR-IOV capability)",
			  cpf->address);
}

static int check_total(struct check *c, const struct vvp_config_pf *cpf,
		       struct vvp_pf *pf)
{
	const struct cfg_where *at = &cpf->set_at[CFG_KEY_NUM_VFS];
	int total = vvp_pf_get_total_vfs(pf), rc = 0;

	if (cpf->num_vfs > total)
		rc = config_problem(c->config, at->file, at->line,
				    "num_vfs %d is more than %s supports (sriov_totalvfs %d)",
				    cpf->num_vfs, cpf->address, total);
	for (unsigned int i = 0; rc == 0 && i < cpf->num_vf_sections; i++) {
		const struct vvp_config_vf *vf = &cpf->vfs[i];

		if (!vf->implicit && vf->index >= (unsigned int)total)
			rc = config_problem(c->config, vf->file, vf->line,
					    "[vf %s/%u] is not a VF %s can have (sriov_totalvfs %d: indexes 0 to %d)",
					    cpf->address, vf->index,
					    cpf->address, total, total - 1);
	}
	return rc;
}

/* the keys that go to the owner's backend, and the capability each needs */
static const struct {
	enum cfg_key key;
	unsigned int cap;
} prov_keys[] = {
	{ CFG_KEY_MAC, VVP_OWNER_CAP_MAC },
	{ CFG_KEY_MTU, VVP_OWNER_CAP_MTU },
	{ CFG_KEY_TRANSITIONAL, VVP_OWNER_CAP_TRANSITIONAL },
};

static int check_keys(struct check *c, struct vvp_pf *pf,
		      const struct cfg_where *set_at)
{
	const char *addr = vvp_pf_get_address(pf), *backend;
	struct vvp_owner *owner = NULL;
	int rc = 0;

	if (c->owners_rc == 0)
		owner = vvp_pf_get_owner(pf);

	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(prov_keys); i++) {
		const struct cfg_where *at = &set_at[prov_keys[i].key];
		const char *key = config_key_name(prov_keys[i].key);

		if (!at->file)
			continue;
		if (c->owners_rc < 0)
			rc = config_problem(c->config, at->file, at->line,
					    "cannot tell whether %s can be provisioned on %s (the vvp owners cannot be read: %s)",
					    key, addr, strerror(-c->owners_rc));
		else if (!owner)
			rc = config_problem(c->config, at->file, at->line,
					    "%s needs a vvp owner, and %s has none (no vvp backend drives it)",
					    key, addr);
		else if (!(vvp_owner_get_caps(owner) & prov_keys[i].cap)) {
			backend = vvp_owner_get_backend(owner);
			rc = config_problem(c->config, at->file, at->line,
					    "%s cannot be provisioned on %s (its %s backend lacks the %s capability)",
					    key, addr, backend ? backend : "vvp",
					    vvp_cap_name(prov_keys[i].cap));
		}
	}
	return rc;
}

static int check_caps(struct check *c, const struct vvp_config_pf *cpf,
		      struct vvp_pf *pf)
{
	int rc;

	if (!c->owners_read) {
		c->owners_rc = vvp_owner_scan(c->ctx);
		c->owners_read = true;
	}
	if (c->owners_rc == -ENOENT)
		return 0;
	rc = check_keys(c, pf, cpf->set_at);
	for (unsigned int i = 0; rc == 0 && i < cpf->num_vf_sections; i++)
		rc = check_keys(c, pf, cpf->vfs[i].set_at);
	return rc;
}

static int check_pf(struct check *c, struct vvp_config_pf *cpf)
{
	struct vvp_pf *pf = NULL;
	int rc;

	/* no [pf] section, or serial= not found: said already */
	if (cpf->implicit || !cpf->address[0])
		return 0;
	rc = check_twice(c, cpf);
	if (rc == 0)
		rc = find_pf(c, cpf, &pf);
	if (rc == 0 && pf)
		rc = check_total(c, cpf, pf);
	if (rc == 0 && pf)
		rc = check_caps(c, cpf, pf);
	return rc;
}

VVP_EXPORT int vvp_config_check(struct vvp_config *config)
{
	struct check c = { .config = config, .ctx = config->ctx };
	int rc;

	vvp_clear_error(c.ctx);
	if (!config->checked) {
		rc = vvp_pf_scan(c.ctx);
		if (rc < 0)
			return rc;
		config->checked = true;
		for (unsigned int i = 0; rc == 0 && i < config->num_pfs; i++)
			if (config->pfs[i].serial)
				rc = resolve_serial(&c, &config->pfs[i]);
		for (unsigned int i = 0; rc == 0 && i < config->num_pfs; i++)
			rc = check_pf(&c, &config->pfs[i]);
		if (rc < 0)
			return vvp_fail(c.ctx, ENOMEM, "cannot check the config (%s)",
					strerror(ENOMEM));
	}
	/* vvp_pf_find() leaves its message on the context: not ours */
	vvp_clear_error(c.ctx);
	return config_result(config);
}
