// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Plans: what a PF (or one of its VFs) is now against what the config
 * wants, as ordered steps. The order is the safe one: autoprobe off
 * before VFs appear, the count (through 0), provisioning before binding
 * (a variant driver reads the provisioning when it probes), autoprobe
 * on last. A count change removes every VF, so the steps of the VFs
 * after it are planned from what a new VF looks like (unbound, no
 * override, provisioning unknown); apply reads each VF again before its
 * step and skips what is already so. Refusals that would hang or destroy
 * (a VF held open through VFIO) come here, before anything is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"

struct vvp_plan_step *plan_add_step(struct vvp_plan *plan,
				    enum vvp_step_kind kind, const char *device,
				    int vf_index)
{
	struct vvp_plan_step *steps, *s;

	steps = realloc(plan->steps, (plan->num_steps + 1) * sizeof(*steps));
	if (!steps)
		return NULL;
	plan->steps = steps;
	s = &steps[plan->num_steps++];
	memset(s, 0, sizeof(*s));
	s->plan = plan;
	s->kind = kind;
	s->vf_index = vf_index;
	snprintf(s->device, sizeof(s->device), "%s", device);
	return s;
}

static int add_pf_step(struct vvp_plan *plan, enum vvp_step_kind kind,
		       int from, int to)
{
	struct vvp_plan_step *s;

	s = plan_add_step(plan, kind, plan->pf_address, -1);
	if (!s)
		return -ENOMEM;
	s->value = to;
	if (kind == VVP_STEP_AUTOPROBE) {
		snprintf(s->from, sizeof(s->from), "%s", from ? "on" : "off");
		snprintf(s->to, sizeof(s->to), "%s", to ? "on" : "off");
	} else {
		snprintf(s->from, sizeof(s->from), "%d", from);
		snprintf(s->to, sizeof(s->to), "%d", to);
	}
	return 0;
}

/* vf, if on vfio, held open by a process: -EBUSY */
static int vf_check_not_in_use(struct vvp_vf *vf, const char *doing,
			       bool fresh)
{
	char node[64] = "";
	int pid = 0;

	if (vfio_vf_users(vf, &pid, node, sizeof(node), fresh) <= 0)
		return 0;
	return vvp_refuse(vf->pf->ctx, VVP_REASON_IN_USE, EBUSY,
			  "cannot %s (VF %s is in use: process %d holds %s open; %s)",
			  doing, vf->address, pid, node, strerror(EBUSY));
}

/* VFs on vfio (all, or only_index) that a process holds open: -EBUSY */
int vfs_check_not_in_use(struct vvp_pf *pf, int only_index, const char *doing)
{
	bool fresh = true;
	struct vvp_vf *vf;
	int rc;

	if (only_index >= 0) {	/* read alone, not by listing every VF */
		vf = pf_vf_by_index(pf, only_index);
		return vf && vvp_vf_is_vfio(vf) ?
		       vf_check_not_in_use(vf, doing, true) : 0;
	}
	vvp_vf_foreach(pf, vf) {
		if (!vvp_vf_is_vfio(vf))
			continue;
		rc = vf_check_not_in_use(vf, doing, fresh);
		if (rc < 0)
			return rc;
		fresh = false;
	}
	return 0;
}

/* the wanted driver of VF index, and whether its count change makes it */
static bool vf_wants(const struct vvp_config_pf *cpf, int index,
		     struct cfg_vf_wanted *w, struct prov *prov)
{
	config_vf_wanted(cpf, index, w);
	memset(prov, 0, sizeof(*prov));
	prov->has_mac = w->has_mac;
	memcpy(prov->mac, w->mac, sizeof(prov->mac));
	prov->has_mtu = w->mtu != CFG_UNSET;
	prov->mtu = prov->has_mtu ? (unsigned int)w->mtu : 0;
	prov->has_transitional = w->transitional != CFG_UNSET;
	prov->transitional = w->transitional == 1;
	return prov->has_mac || prov->has_mtu || prov->has_transitional;
}

/* the device a VF step names: its address, or "PF/N" before it exists */
static void vf_device(struct vvp_pf *pf, int index, bool new_vf, char *buf,
		      size_t len)
{
	struct vvp_vf *vf = new_vf ? NULL : pf_vf_by_index(pf, index);

	if (vf)
		snprintf(buf, len, "%s", vf->address);
	else
		snprintf(buf, len, "%s/%d", pf->address, index);
}

static int plan_provision(struct vvp_plan *plan, struct vvp_pf *pf,
			  const struct vvp_config_pf *cpf, int index,
			  bool new_vf)
{
	struct cfg_vf_wanted w;
	struct vvp_member *m;
	struct vvp_plan_step *s;
	struct prov want, diff, cur;
	char dev[32];
	int rc;

	if (!vf_wants(cpf, index, &w, &want))
		return 0;
	vf_device(pf, index, new_vf, dev, sizeof(dev));
	diff = want;
	if (!new_vf) {
		rc = vvp_member_find(pf->ctx, dev, &m);
		if (rc < 0)
			return rc;
		if (!prov_differs(&want, m, &diff))
			return 0;
		member_prov(m, &diff, &cur);
	}
	s = plan_add_step(plan, VVP_STEP_PROVISION, dev, index);
	if (!s)
		return -ENOMEM;
	s->new_vf = new_vf;
	s->want = want;
	if (new_vf)
		snprintf(s->from, sizeof(s->from), "(new VF)");
	else
		prov_format(&cur, s->from, sizeof(s->from));
	prov_format(&diff, s->to, sizeof(s->to));
	return 0;
}

/* "nvme", "none", "vfio-pci (override nvme)", "vfio-pci (no override)" */
static void describe_driver(struct vvp_vf *vf, const char *want, char *buf,
			    size_t len)
{
	const char *d = vf->driver, *o = vf->driver_override;

	if (o && (!d || strcmp(o, d)))
		snprintf(buf, len, "%s (override %s)", d ? d : "none", o);
	else if (!o && d && strcmp(d, want) == 0)
		snprintf(buf, len, "%s (no override)", d);
	else
		snprintf(buf, len, "%s", d ? d : "none");
}

static int plan_bind(struct vvp_plan *plan, struct vvp_pf *pf,
		     const struct vvp_config_pf *cpf, int index, bool new_vf)
{
	struct cfg_vf_wanted w;
	struct vvp_plan_step *s;
	struct vvp_vf *vf = NULL;
	struct prov unused;
	char dev[32], doing[160];
	int rc;

	vf_wants(cpf, index, &w, &unused);
	if (!w.driver)
		return 0;
	vf_device(pf, index, new_vf, dev, sizeof(dev));
	if (new_vf) {
		/* a new VF is unbound without override: "none" already */
		if (strcmp(w.driver, "none") == 0)
			return 0;
	} else {
		vf = pf_vf_by_index(pf, index);
		if (!vf || vvp_vf_matches_driver(vf, w.driver))
			return 0;
		snprintf(doing, sizeof(doing),
			 "change the driver of VF %d of %s to %s", index,
			 pf->address, w.driver);
		rc = vfs_check_not_in_use(pf, index, doing);
		if (rc < 0)
			return rc;
	}
	s = plan_add_step(plan, VVP_STEP_BIND, dev, index);
	if (!s)
		return -ENOMEM;
	s->new_vf = new_vf;
	snprintf(s->driver, sizeof(s->driver), "%s", w.driver);
	if (vf)
		describe_driver(vf, w.driver, s->from, sizeof(s->from));
	else
		snprintf(s->from, sizeof(s->from), "none");
	snprintf(s->to, sizeof(s->to), "%s", w.driver);
	return 0;
}

/* provisioning needs vvp.ko and an owner: say so before any step */
static int check_owner(struct vvp_pf *pf, const struct vvp_config_pf *cpf,
		       int first, int last)
{
	struct vvp_owner *owner;
	struct cfg_vf_wanted w;
	struct prov p;

	for (int i = first; i < last; i++)
		if (vf_wants(cpf, i, &w, &p))
			return vvp_owner_find(pf->ctx, pf->address, &owner);
	return 0;
}

static int plan_vfs(struct vvp_plan *plan, struct vvp_pf *pf,
		    const struct vvp_config_pf *cpf, int first, int last,
		    bool new_vfs)
{
	int rc;

	rc = check_owner(pf, cpf, first, last);
	for (int i = first; rc == 0 && i < last; i++)
		rc = plan_provision(plan, pf, cpf, i, new_vfs);
	for (int i = first; rc == 0 && i < last; i++)
		rc = plan_bind(plan, pf, cpf, i, new_vfs);
	return rc;
}

static int plan_count(struct vvp_plan *plan, struct vvp_pf *pf, int cur,
		      int want)
{
	char doing[96];
	int rc;

	if (want > pf->total_vfs)
		return vvp_fail(pf->ctx, EINVAL,
				"cannot plan %d VFs on %s (the device supports at most %d: sriov_totalvfs)",
				want, pf->address, pf->total_vfs);
	rc = dev_read_driver(pf->ctx, pf->address, &pf->driver);
	if (rc == 0 && !pf->driver)
		return vvp_fail(pf->ctx, ENOENT,
				"cannot change the VFs of %s (no driver is bound to the PF, and the kernel needs it to create VFs)",
				pf->address);
	snprintf(doing, sizeof(doing), "change %s from %d to %d VFs",
		 pf->address, cur, want);
	rc = vfs_check_not_in_use(pf, -1, doing);
	return rc < 0 ? rc : add_pf_step(plan, VVP_STEP_NUM_VFS, cur, want);
}

static int plan_pf(struct vvp_plan *plan, struct vvp_pf *pf,
		   const struct vvp_config_pf *cpf)
{
	int cur = vvp_pf_get_num_vfs(pf), ap = vvp_pf_get_autoprobe(pf);
	bool change = cpf->num_vfs != CFG_UNSET && cpf->num_vfs != cur;
	int rc = 0;

	if (cur < 0 || ap < 0)
		return vvp_fail(pf->ctx, cur < 0 ? cur : ap,
				"cannot read the SR-IOV state of %s (%s)",
				pf->address, strerror(-(cur < 0 ? cur : ap)));
	if (cpf->autoprobe == 0 && ap == 1)
		rc = add_pf_step(plan, VVP_STEP_AUTOPROBE, 1, 0);
	if (rc == 0 && change)
		rc = plan_count(plan, pf, cur, cpf->num_vfs);
	if (rc == 0)
		rc = plan_vfs(plan, pf, cpf, 0, change ? cpf->num_vfs : cur,
			      change);
	if (rc == 0 && cpf->autoprobe == 1 && ap == 0)
		rc = add_pf_step(plan, VVP_STEP_AUTOPROBE, 0, 1);
	return rc;
}

static int plan_one_vf(struct vvp_plan *plan, struct vvp_pf *pf,
		       const struct vvp_config_pf *cpf, const char *vf_address)
{
	struct vvp_vf *vf;
	int rc;

	rc = vvp_vf_find(pf->ctx, vf_address, &vf);
	if (rc < 0)
		return rc;
	if (vf->pf != pf)
		return vvp_fail(pf->ctx, EINVAL,
				"cannot plan %s for %s (it is a VF of %s)",
				vf->address, pf->address, vf->pf->address);
	return plan_vfs(plan, pf, cpf, vf->index, vf->index + 1, false);
}

static void plan_free(struct vvp_plan *plan)
{
	plan_forget_applied(plan);
	vvp_config_unref(plan->config);
	vvp_unref(plan->ctx);
	free(plan->steps);
	free(plan);
}

/* the steps of the listed VFs the PF has now (gone ones are skipped) */
static int plan_listed_vfs(struct vvp_plan *plan, struct vvp_pf *pf,
			   const struct vvp_config_pf *cpf,
			   const char *const *vfs, unsigned int n)
{
	struct vvp_vf *v;
	int rc = 0;

	vvp_vf_foreach(pf, v)
		for (unsigned int i = 0; rc == 0 && i < n; i++)
			if (strcmp(vfs[i], v->address) == 0)
				rc = plan_vfs(plan, pf, cpf, v->index,
					      v->index + 1, false);
	return rc;
}

enum plan_scope { PLAN_PF, PLAN_VF, PLAN_VFS };

static int plan_new(struct vvp_config *config, const char *pf_address,
		    const char *vf_address, enum plan_scope scope,
		    const char *const *vfs, unsigned int n,
		    struct vvp_plan **out)
{
	struct vvp_ctx *ctx = config->ctx;
	struct vvp_config_pf *cpf;
	struct vvp_plan *plan;
	struct vvp_pf *pf;
	int rc;

	vvp_clear_error(ctx);
	rc = vvp_pf_find(ctx, pf_address, &pf);
	if (rc < 0)
		return rc;
	cpf = vvp_config_pf_find(config, pf->address);
	if (!cpf)
		return vvp_fail(ctx, ENOENT,
				"cannot plan %s (the config has no [pf %s] section)",
				pf->address, pf->address);
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return vvp_fail(ctx, ENOMEM, "cannot plan %s (%s)",
				pf->address, strerror(ENOMEM));
	plan->ctx = vvp_ref(ctx);
	plan->config = vvp_config_ref(config);
	plan->whole_pf = scope != PLAN_VF;
	snprintf(plan->pf_address, sizeof(plan->pf_address), "%s", pf->address);
	/* what is in sysfs now, not what an earlier listing cached */
	vf_free_all(pf);
	if (scope == PLAN_VF)
		rc = plan_one_vf(plan, pf, cpf, vf_address);
	else if (scope == PLAN_VFS)
		rc = plan_listed_vfs(plan, pf, cpf, vfs, n);
	else
		rc = plan_pf(plan, pf, cpf);
	if (rc == -ENOMEM && !*vvp_get_last_error(ctx))
		vvp_fail(ctx, ENOMEM, "cannot plan %s (%s)",
			 pf->address, strerror(ENOMEM));
	if (rc < 0) {
		plan_free(plan);
		return rc;
	}
	*out = plan;
	return 0;
}

VVP_EXPORT int vvp_plan_new(struct vvp_config *config, const char *pf_address,
			    const char *vf_address, struct vvp_plan **out)
{
	return plan_new(config, pf_address, vf_address,
			vf_address ? PLAN_VF : PLAN_PF, NULL, 0, out);
}

VVP_EXPORT int vvp_plan_new_vfs(struct vvp_config *config,
				const char *pf_address,
				const char *const *vfs, unsigned int n,
				struct vvp_plan **out)
{
	return plan_new(config, pf_address, NULL, PLAN_VFS, vfs, n, out);
}

VVP_EXPORT void vvp_plan_unref(struct vvp_plan *plan)
{
	if (plan)
		plan_free(plan);
}
