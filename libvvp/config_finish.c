// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What can only be checked once every file is read, since a [pf] section
 * and its [vf] sections may be in different files: each [vf] has its
 * [pf], its index is below num_vfs, no two VFs share a MAC. Then the
 * VFs below num_vfs without a section are added, for the getters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-private.h"

static int vf_problem(struct vvp_config *c, const struct vvp_config_vf *vf,
		      const char *why)
{
	char name[48];

	return config_problem(c, vf->file, vf->line, "[vf %s/%u] %s",
			      config_pf_name(vf->pf, name, sizeof(name)),
			      vf->index, why);
}

static int check_vfs(struct vvp_config *c, const struct vvp_config_pf *pf)
{
	const struct cfg_where *n = &pf->set_at[CFG_KEY_NUM_VFS];
	char name[48], why[160];
	int rc = 0;

	for (unsigned int i = 0; rc == 0 && i < pf->num_vf_sections; i++) {
		const struct vvp_config_vf *vf = &pf->vfs[i];

		if (pf->implicit) {
			snprintf(why, sizeof(why),
				 "has no [pf %s] section (add one, even an empty one)",
				 config_pf_name(pf, name, sizeof(name)));
			rc = vf_problem(c, vf, why);
		} else if (pf->num_vfs != CFG_UNSET &&
			   vf->index >= (unsigned int)pf->num_vfs) {
			snprintf(why, sizeof(why),
				 "is not below the PF's num_vfs (%d, at %s:%u)",
				 pf->num_vfs, n->file, n->line);
			rc = vf_problem(c, vf, why);
		}
	}
	return rc;
}

/* a VF with a MAC, and the file its MAC is in, in reading order */
struct mac_at {
	const struct vvp_config_vf *vf;
	unsigned int file, line;
};

static int mac_cmp(const void *a, const void *b)
{
	const struct mac_at *x = a, *y = b;
	int d = memcmp(x->vf->mac, y->vf->mac, 6);

	if (d)
		return d;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* each later use of a MAC names the first one */
static int check_macs(struct vvp_config *c)
{
	struct mac_at *all = NULL, *first = NULL;
	unsigned int n = 0, cap = 0;
	int rc = 0;

	for (unsigned int i = 0; i < c->num_pfs; i++)
		cap += c->pfs[i].num_vf_sections;
	if (cap && !(all = calloc(cap, sizeof(*all))))
		return -ENOMEM;
	for (unsigned int i = 0; i < c->num_pfs; i++)
		for (unsigned int j = 0; j < c->pfs[i].num_vf_sections; j++) {
			const struct vvp_config_vf *vf = &c->pfs[i].vfs[j];
			const struct cfg_where *at = &vf->set_at[CFG_KEY_MAC];

			if (vf->has_mac)
				all[n++] = (struct mac_at){
					vf, config_file_index(c, at->file), at->line };
		}
	if (n > 1)
		qsort(all, n, sizeof(*all), mac_cmp);
	for (unsigned int i = 0; rc == 0 && i < n; i++) {
		const struct cfg_where *at, *was;
		char mac[18], name[48];

		if (!first || memcmp(first->vf->mac, all[i].vf->mac, 6)) {
			first = &all[i];
			continue;
		}
		at = &all[i].vf->set_at[CFG_KEY_MAC];
		was = &first->vf->set_at[CFG_KEY_MAC];
		vvp_format_mac(all[i].vf->mac, mac, sizeof(mac));
		config_pf_name(first->vf->pf, name, sizeof(name));
		rc = config_problem(c, at->file, at->line,
				    "mac %s already set for VF %s/%u at %s:%u",
				    mac, name, first->vf->index, was->file,
				    was->line);
	}
	free(all);
	return rc;
}

/*
 * The VFs in all, below CFG_MAX_VFS: the PF whose num_vfs goes over,
 * or NULL. Each is a struct in memory once filled in.
 */
static const struct vvp_config_pf *too_many_vfs(const struct vvp_config *c,
						unsigned long *total)
{
	*total = 0;
	for (unsigned int i = 0; i < c->num_pfs; i++) {
		if (c->pfs[i].num_vfs > 0)
			*total += c->pfs[i].num_vfs;
		if (*total > CFG_MAX_VFS)
			return &c->pfs[i];
	}
	return NULL;
}

int config_finish(struct vvp_config *c)
{
	const struct vvp_config_pf *over;
	unsigned long total;
	int rc = 0;

	for (unsigned int i = 0; rc == 0 && i < c->num_pfs; i++)
		rc = check_vfs(c, &c->pfs[i]);
	if (rc == 0)
		rc = check_macs(c);
	over = too_many_vfs(c, &total);
	/* an invalid config: its VFs without a section are not filled in */
	if (over) {
		const struct cfg_where *at = &over->set_at[CFG_KEY_NUM_VFS];

		return rc ? rc : config_problem(c, at->file, at->line,
				"num_vfs = %d makes %lu VFs in the config (at most %d in all)",
				over->num_vfs, total, CFG_MAX_VFS);
	}
	for (unsigned int i = 0; rc == 0 && i < c->num_pfs; i++)
		rc = config_pf_fill_vfs(&c->pfs[i]);
	return rc;
}
