// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The config's PFs and VFs for programs. A VF's values are what it
 * should end up with: its own keys over its PF's defaults
 * (config_vf_effective(), which the planner uses too).
 */
#include <string.h>

#include "config-private.h"

VVP_EXPORT struct vvp_config_pf *vvp_config_pf_get_first(struct vvp_config *config)
{
	return config->num_pfs ? &config->pfs[0] : NULL;
}

VVP_EXPORT struct vvp_config_pf *vvp_config_pf_get_next(struct vvp_config_pf *cpf)
{
	const struct vvp_config *config = cpf->config;

	return cpf + 1 < config->pfs + config->num_pfs ? cpf + 1 : NULL;
}

VVP_EXPORT struct vvp_config_pf *vvp_config_pf_find(struct vvp_config *config,
						    const char *pf_address)
{
	char addr[16];

	if (vvp_parse_pci_address(pf_address, addr, sizeof(addr)) < 0)
		return NULL;
	for (unsigned int i = 0; i < config->num_pfs; i++)
		if (strcmp(config->pfs[i].address, addr) == 0)
			return &config->pfs[i];
	return NULL;
}

VVP_EXPORT const char *vvp_config_pf_get_address(struct vvp_config_pf *cpf)
{
	return cpf->address;
}

VVP_EXPORT const char *vvp_config_pf_get_serial(struct vvp_config_pf *cpf)
{
	return cpf->serial;
}

VVP_EXPORT int vvp_config_pf_get_num_vfs(struct vvp_config_pf *cpf)
{
	return cpf->num_vfs;
}

VVP_EXPORT int vvp_config_pf_get_autoprobe(struct vvp_config_pf *cpf)
{
	return cpf->autoprobe;
}

VVP_EXPORT struct vvp_config_vf *vvp_config_vf_get_first(struct vvp_config_pf *cpf)
{
	return cpf->num_vf_sections ? &cpf->vfs[0] : NULL;
}

VVP_EXPORT struct vvp_config_vf *vvp_config_vf_get_next(struct vvp_config_vf *cvf)
{
	const struct vvp_config_pf *pf = cvf->pf;

	return cvf + 1 < pf->vfs + pf->num_vf_sections ? cvf + 1 : NULL;
}

VVP_EXPORT unsigned int vvp_config_vf_get_index(struct vvp_config_vf *cvf)
{
	return cvf->index;
}

VVP_EXPORT const char *vvp_config_vf_get_driver(struct vvp_config_vf *cvf)
{
	struct cfg_vf_wanted want;

	config_vf_effective(cvf->pf, cvf, &want);
	return want.driver;
}

VVP_EXPORT int vvp_config_vf_get_transitional(struct vvp_config_vf *cvf)
{
	struct cfg_vf_wanted want;

	config_vf_effective(cvf->pf, cvf, &want);
	return want.transitional;
}

VVP_EXPORT int vvp_config_vf_get_mtu(struct vvp_config_vf *cvf)
{
	return cvf->mtu;
}

VVP_EXPORT const unsigned char *vvp_config_vf_get_mac(struct vvp_config_vf *cvf)
{
	return cvf->has_mac ? cvf->mac : NULL;
}

VVP_EXPORT const char *vvp_config_pf_get_driver(struct vvp_config_pf *cpf)
{
	return cpf->driver;
}

VVP_EXPORT int vvp_config_pf_get_transitional(struct vvp_config_pf *cpf)
{
	return cpf->transitional;
}
