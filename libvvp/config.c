// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vvp.conf(5): the config in memory. The reader (inih) and the checks
 * come next; for now the builders the planner and its tests use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-private.h"

struct vvp_config *config_new(struct vvp_ctx *ctx)
{
	struct vvp_config *config = calloc(1, sizeof(*config));

	if (!config)
		return NULL;
	config->ctx = vvp_ref(ctx);
	config->refcount = 1;
	return config;
}

static bool grow(void **array, unsigned int count, size_t size)
{
	void *p = realloc(*array, (count + 1) * size);

	if (!p)
		return false;
	*array = p;
	return true;
}

const char *config_add_file(struct vvp_config *config, const char *path)
{
	char *copy = strdup(path);

	if (!copy || !grow((void **)&config->files, config->num_files,
			   sizeof(*config->files))) {
		free(copy);
		return NULL;
	}
	config->files[config->num_files++] = copy;
	return copy;
}

struct vvp_config_pf *config_add_pf(struct vvp_config *config,
				    const char *address, const char *file,
				    unsigned int line)
{
	struct vvp_config_pf *pf;

	/* the PFs are an array: re-point each VF's pf after it moves */
	if (!grow((void **)&config->pfs, config->num_pfs, sizeof(*pf)))
		return NULL;
	for (unsigned int i = 0; i < config->num_pfs; i++)
		for (unsigned int j = 0; j < config->pfs[i].num_vf_sections; j++)
			config->pfs[i].vfs[j].pf = &config->pfs[i];
	pf = &config->pfs[config->num_pfs++];
	memset(pf, 0, sizeof(*pf));
	pf->config = config;
	snprintf(pf->address, sizeof(pf->address), "%s", address ? address : "");
	pf->file = file;
	pf->line = line;
	pf->num_vfs = CFG_UNSET;
	pf->transitional = CFG_UNSET;
	pf->autoprobe = CFG_UNSET;
	return pf;
}

struct vvp_config_vf *config_pf_add_vf(struct vvp_config_pf *pf,
				       unsigned int index, const char *file,
				       unsigned int line)
{
	struct vvp_config_vf *vf;
	unsigned int at = 0;

	if (!grow((void **)&pf->vfs, pf->num_vf_sections, sizeof(*vf)))
		return NULL;
	while (at < pf->num_vf_sections && pf->vfs[at].index < index)
		at++;
	memmove(&pf->vfs[at + 1], &pf->vfs[at],
		(pf->num_vf_sections - at) * sizeof(*vf));
	pf->num_vf_sections++;
	vf = &pf->vfs[at];
	memset(vf, 0, sizeof(*vf));
	vf->pf = pf;
	vf->index = index;
	vf->file = file;
	vf->line = line;
	vf->mtu = CFG_UNSET;
	vf->transitional = CFG_UNSET;
	return vf;
}

int config_problem(struct vvp_config *config, const char *file,
		   unsigned int line, const char *fmt, ...)
{
	char msg[512], *text;
	va_list args;
	int n;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (line)
		n = asprintf(&text, "%s:%u: %s", file, line, msg);
	else
		n = asprintf(&text, "%s: %s", file, msg);
	if (n < 0)
		return -ENOMEM;
	if (!grow((void **)&config->problems, config->num_problems,
		  sizeof(*config->problems))) {
		free(text);
		return -ENOMEM;
	}
	config->problems[config->num_problems++] = text;
	return 0;
}

void config_vf_wanted(const struct vvp_config_pf *pf, unsigned int index,
		      struct cfg_vf_wanted *want)
{
	const struct vvp_config_vf *vf = NULL;

	for (unsigned int i = 0; i < pf->num_vf_sections; i++)
		if (pf->vfs[i].index == index)
			vf = &pf->vfs[i];
	memset(want, 0, sizeof(*want));
	want->driver = vf && vf->driver ? vf->driver : pf->driver;
	want->transitional = vf && vf->transitional != CFG_UNSET ?
			     vf->transitional : pf->transitional;
	want->mtu = vf ? vf->mtu : CFG_UNSET;
	if (vf && vf->has_mac) {
		want->has_mac = true;
		memcpy(want->mac, vf->mac, sizeof(want->mac));
	}
}

static void config_free(struct vvp_config *config)
{
	for (unsigned int i = 0; i < config->num_pfs; i++) {
		struct vvp_config_pf *pf = &config->pfs[i];

		for (unsigned int j = 0; j < pf->num_vf_sections; j++)
			free(pf->vfs[j].driver);
		free(pf->vfs);
		free(pf->serial);
		free(pf->driver);
	}
	free(config->pfs);
	for (unsigned int i = 0; i < config->num_files; i++)
		free(config->files[i]);
	free(config->files);
	for (unsigned int i = 0; i < config->num_problems; i++)
		free(config->problems[i]);
	free(config->problems);
	vvp_unref(config->ctx);
	free(config);
}

VVP_EXPORT struct vvp_config *vvp_config_ref(struct vvp_config *config)
{
	if (config)
		config->refcount++;
	return config;
}

VVP_EXPORT void vvp_config_unref(struct vvp_config *config)
{
	if (config && --config->refcount == 0)
		config_free(config);
}

VVP_EXPORT unsigned int vvp_config_get_num_problems(struct vvp_config *config)
{
	return config->num_problems;
}

VVP_EXPORT const char *vvp_config_get_problem(struct vvp_config *config,
					      unsigned int index)
{
	return index < config->num_problems ? config->problems[index] : NULL;
}
