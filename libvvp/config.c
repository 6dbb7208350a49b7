// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vvp.conf(5): the config in memory, its builders (the reader and the
 * planner's tests use them) and the lookups the planner and the getters
 * share. Reading is config_read.c, checking config_check.c.
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
	struct vvp_config_pf *pf, *was = config->pfs;

	/*
	 * The PFs are an array: re-point each VF's pf if it moved (only
	 * then: a pass over every VF for each PF added made a config of
	 * many PFs quadratic to read)
	 */
	if (!grow((void **)&config->pfs, config->num_pfs, sizeof(*pf)))
		return NULL;
	for (unsigned int i = 0; config->pfs != was && i < config->num_pfs; i++)
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

static void vf_init(struct vvp_config_vf *vf, struct vvp_config_pf *pf,
		    unsigned int index, const char *file, unsigned int line)
{
	memset(vf, 0, sizeof(*vf));
	vf->pf = pf;
	vf->index = index;
	vf->file = file;
	vf->line = line;
	vf->mtu = CFG_UNSET;
	vf->transitional = CFG_UNSET;
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
	vf_init(vf, pf, index, file, line);
	return vf;
}

/* one pass, not an insert per index: num_vfs may be 65535 */
int config_pf_fill_vfs(struct vvp_config_pf *pf)
{
	unsigned int want, below = 0, total, j = 0, k = 0;
	struct vvp_config_vf *vfs;

	if (pf->num_vfs <= 0)
		return 0;
	want = pf->num_vfs;
	while (below < pf->num_vf_sections && pf->vfs[below].index < want)
		below++;
	if (below == want)
		return 0;
	total = pf->num_vf_sections + want - below;
	vfs = calloc(total, sizeof(*vfs));
	if (!vfs)
		return -ENOMEM;
	for (unsigned int index = 0; index < want; index++, k++) {
		if (j < pf->num_vf_sections && pf->vfs[j].index == index) {
			vfs[k] = pf->vfs[j++];
			continue;
		}
		vf_init(&vfs[k], pf, index, NULL, 0);
		vfs[k].implicit = true;
	}
	while (j < pf->num_vf_sections)
		vfs[k++] = pf->vfs[j++];
	free(pf->vfs);
	pf->vfs = vfs;
	pf->num_vf_sections = total;
	return 0;
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
		  sizeof(*config->problems)) ||
	    !grow((void **)&config->problem_at, config->num_problems,
		  sizeof(*config->problem_at))) {
		free(text);
		return -ENOMEM;
	}
	config->problem_at[config->num_problems].file = file;
	config->problem_at[config->num_problems].line = line;
	config->problems[config->num_problems++] = text;
	return 0;
}

struct vvp_config_vf *config_vf_find(const struct vvp_config_pf *pf,
				     unsigned int index)
{
	unsigned int lo = 0, hi = pf->num_vf_sections;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (pf->vfs[mid].index == index)
			return &pf->vfs[mid];
		if (pf->vfs[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void config_vf_effective(const struct vvp_config_pf *pf,
			 const struct vvp_config_vf *vf,
			 struct cfg_vf_wanted *want)
{
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

unsigned int config_file_index(const struct vvp_config *config,
			       const char *file)
{
	for (unsigned int i = 0; i < config->num_files; i++)
		if (config->files[i] == file)
			return i;
	return config->num_files;
}

struct problem_key {
	unsigned int file, n;
	struct cfg_where at;
};

static int problem_cmp(const void *a, const void *b)
{
	const struct problem_key *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* in file order, then line order; as found within one line */
static void sort_problems(struct vvp_config *config)
{
	unsigned int n = config->num_problems;
	struct problem_key *keys = calloc(n, sizeof(*keys));
	char **sorted = calloc(n, sizeof(*sorted));

	for (unsigned int i = 0; keys && sorted && i < n; i++)
		keys[i] = (struct problem_key){
			config_file_index(config, config->problem_at[i].file),
			i, config->problem_at[i] };
	if (keys && sorted) {
		qsort(keys, n, sizeof(*keys), problem_cmp);
		for (unsigned int i = 0; i < n; i++) {
			sorted[i] = config->problems[keys[i].n];
			config->problem_at[i] = keys[i].at;
		}
		memcpy(config->problems, sorted, n * sizeof(*sorted));
	}
	free(keys);
	free(sorted);
}

int config_result(struct vvp_config *config)
{
	if (config->num_problems == 0)
		return 0;
	sort_problems(config);
	return vvp_fail(config->ctx, EINVAL,
			"invalid config (%u problem%s, the first: %s)",
			config->num_problems, config->num_problems > 1 ? "s" : "",
			config->problems[0]);
}

void config_vf_wanted(const struct vvp_config_pf *pf, unsigned int index,
		      struct cfg_vf_wanted *want)
{
	config_vf_effective(pf, config_vf_find(pf, index), want);
}

/*
 * The driver the rule may bind VF index to by itself: a driver name, and
 * nothing else wanted of the VF (a provisioning key needs the owner, so
 * vvpctl udev-add). The name goes into a udev property and a sysfs write:
 * only the characters kernel driver names use.
 */
const char *config_vf_udev_driver(const struct vvp_config_pf *cpf,
				  unsigned int index)
{
	struct cfg_vf_wanted w;

	config_vf_wanted(cpf, index, &w);
	if (!w.driver || strcmp(w.driver, "host") == 0 ||
	    strcmp(w.driver, "none") == 0 || w.has_mac ||
	    w.mtu != CFG_UNSET || w.transitional != CFG_UNSET)
		return NULL;
	if (!*w.driver || strlen(w.driver) > 64 ||
	    strspn(w.driver, "abcdefghijklmnopqrstuvwxyz"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
	    strlen(w.driver))
		return NULL;
	return w.driver;
}

const char *config_pf_name(const struct vvp_config_pf *pf, char *buf,
			   size_t len)
{
	if (pf->serial)
		snprintf(buf, len, "serial=%s", pf->serial);
	else
		snprintf(buf, len, "%s", pf->address);
	return buf;
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
	free(config->problem_at);
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
