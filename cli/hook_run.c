// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What vvpctl libvirt-hook does with a guest's PCI devices: keep the VFs
 * whose PF vvp.conf(5) configures (libvirt's business stays libvirt's:
 * any other device is left alone), plan each one as vvpctl apply --vf
 * would, with the guest's MAC and MTU and a vfio driver over the config
 * for prepare, lock their PFs in address order, and carry the plans out.
 * A prepare is all or nothing: when one VF fails, the VFs prepared
 * before it are put back (vvp_plan_revert()) and the guest does not
 * start. A release is best effort: the guest is gone, each VF goes back
 * to what the config says on its own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libvvp.h>

#include "builtin.h"
#include "hook.h"
#include "lock.h"
#include "util.h"

/* one VF of the guest that vvp manages */
struct hook_vf {
	const struct hook_dev *dev;
	char vf[16], pf[16];
	int index;
	struct vvp_plan *plan;
};

struct hook_job {
	struct vvp_ctx *ctx;
	struct vvp_config *config;
	const char *domain;
	enum hook_op op;
	bool dry_run;
	struct hook_vf *vfs;
	unsigned int n;
};

static const char *op_name(enum hook_op op)
{
	return op == HOOK_PREPARE ? "prepare" : "release";
}

/* one line on stderr (libvirt shows it) and in syslog */
static void _printf_(1, 2) say_error(const char *fmt, ...)
{
	char msg[2048];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	fprintf(stderr, "Error: %s\n", msg);
	syslog(LOG_ERR, "%s", msg);
}

static const char *element(const struct hook_dev *dev)
{
	return dev->interface ? "<interface type='hostdev'>" : "<hostdev>";
}

/*
 * dev, when it is a VF of a configured PF: 1 (added), 0 (not ours), or
 * EXIT_FAIL-worthy -1 after the error.
 */
static int keep_vf(struct hook_job *job, const struct hook_dev *dev)
{
	struct hook_vf *vfs, *v;
	struct vvp_pf *pf;
	struct vvp_vf *vf;
	int rc;

	rc = vvp_pci_lookup(job->ctx, dev->address, &pf, &vf);
	if (rc == -ENODEV || rc == -EOPNOTSUPP || rc == VVP_PCI_PF ||
	    (rc == VVP_PCI_VF &&
	     !vvp_config_pf_find(job->config, vvp_pf_get_address(pf)))) {
		if (job->dry_run)
			printf("%s: left alone (not a VF of a PF in vvp.conf)\n",
			       dev->address);
		return 0;
	}
	if (rc < 0) {
		say_error("cannot look up %s of domain '%s' (%s); check the device with vvpctl show %s",
			  dev->address, job->domain,
			  vvp_get_last_error(job->ctx), dev->address);
		return -1;
	}
	if (dev->managed) {
		say_error("domain '%s' assigns VF %s with managed='yes' (line %d: libvirt would bind it itself, against vvp.conf); set managed='no' on its %s, see vvpctl-libvirt-hook(8)",
			  job->domain, dev->address, dev->line, element(dev));
		return -1;
	}
	vfs = realloc(job->vfs, (job->n + 1) * sizeof(*vfs));
	if (!vfs) {
		say_error("cannot prepare domain '%s' (%s); try again",
			  job->domain, strerror(ENOMEM));
		return -1;
	}
	job->vfs = vfs;
	v = &vfs[job->n++];
	memset(v, 0, sizeof(*v));
	v->dev = dev;
	v->index = vvp_vf_get_index(vf);
	snprintf(v->vf, sizeof(v->vf), "%s", vvp_vf_get_address(vf));
	snprintf(v->pf, sizeof(v->pf), "%s", vvp_pf_get_address(pf));
	return 1;
}

/* the driver the config gives VF index of cpf (its own, or its PF's) */
static const char *config_driver(struct vvp_config *config, const char *pf,
				 int index)
{
	struct vvp_config_pf *cpf = vvp_config_pf_find(config, pf);
	struct vvp_config_vf *cvf;

	vvp_config_vf_foreach(cpf, cvf)
		if ((int)vvp_config_vf_get_index(cvf) == index)
			return vvp_config_vf_get_driver(cvf);
	return vvp_config_pf_get_driver(cpf);
}

/*
 * prepare: the guest's MAC and MTU, and the config's driver when it is
 * a vfio one (vvp_vfio_pci for a transitional VF), else vfio-pci
 */
static int override(struct hook_job *job, struct hook_vf *v)
{
	const char *driver = config_driver(job->config, v->pf, v->index);
	const struct hook_dev *dev = v->dev;
	int rc;

	if (!vvp_driver_is_vfio(driver))
		driver = "vfio-pci";
	rc = vvp_config_set_vf(job->config, v->pf, v->index,
			       dev->has_mac ? dev->mac : NULL, dev->mtu,
			       driver);
	if (rc < 0)
		say_error("cannot prepare VF %s for domain '%s' (%s: line %d of its XML); fix its %s",
			  v->vf, job->domain, vvp_get_last_error(job->ctx),
			  dev->line, element(dev));
	return rc;
}

static void print_plan(struct hook_job *job, struct hook_vf *v)
{
	unsigned int n = vvp_plan_get_num_steps(v->plan);
	struct vvp_plan_step *s;

	printf("%s: %s for domain '%s': ", v->vf, op_name(job->op),
	       job->domain);
	if (n == 0)
		printf("nothing to do\n");
	else
		printf("%u step%s\n", n, n == 1 ? "" : "s");
	vvp_plan_step_foreach(v->plan, s)
		printf("  %-9s %-16s %s -> %s\n",
		       vvp_step_kind_name(vvp_plan_step_get_kind(s)),
		       vvp_plan_step_get_device(s), vvp_plan_step_get_from(s),
		       vvp_plan_step_get_to(s));
}

/* every VF's plan, before anything changes: EXIT_OK or EXIT_FAIL */
static int plan_all(struct hook_job *job)
{
	for (unsigned int i = 0; i < job->n; i++) {
		struct hook_vf *v = &job->vfs[i];
		struct failure f;
		int rc;

		if (job->op == HOOK_PREPARE && override(job, v) < 0)
			return EXIT_FAIL;
		rc = vvp_plan_new(job->config, v->pf, v->vf, &v->plan);
		if (rc < 0) {
			char what_to_do[256];

			failure_keep(job->ctx, rc, &f);
			advice(what_to_do, sizeof(what_to_do), OP_APPLY, f.err,
			       f.reason, NULL);
			say_error("cannot %s VF %s for domain '%s' (%s; nothing was changed); %s",
				  op_name(job->op), v->vf, job->domain, f.msg,
				  what_to_do);
			return EXIT_FAIL;
		}
		if (job->dry_run)
			print_plan(job, v);
	}
	return EXIT_OK;
}

static int lock_all(struct hook_job *job)
{
	struct vvp_pf **pfs = calloc(job->n + 1, sizeof(*pfs));
	bool waited;
	int n = 0, rc;

	if (!pfs) {
		say_error("cannot lock the PFs of domain '%s' (%s); try again",
			  job->domain, strerror(ENOMEM));
		return EXIT_FAIL;
	}
	for (unsigned int i = 0; i < job->n; i++)
		if (vvp_pf_find(job->ctx, job->vfs[i].pf, &pfs[n]) == 0)
			n++;
	rc = lock_pfs(pfs, n, "libvirt-hook", LOCK_WAIT_DEFAULT_S * 1000,
		      &waited);
	free(pfs);
	return rc;
}

/* put back the VFs before the one that failed; the count put back */
static unsigned int revert_before(struct hook_job *job, unsigned int failed,
				  char *undo_err, size_t len)
{
	unsigned int n = 0;

	for (unsigned int i = failed; i-- > 0;) {
		if (vvp_plan_revert(job->vfs[i].plan) == 0) {
			n++;
			continue;
		}
		if (!*undo_err)
			snprintf(undo_err, len, "; putting back VF %s failed: %s",
				 job->vfs[i].vf, vvp_get_last_error(job->ctx));
	}
	return n;
}

static int prepare_all(struct hook_job *job)
{
	for (unsigned int i = 0; i < job->n; i++) {
		struct hook_vf *v = &job->vfs[i];
		char undo_err[1100] = "";
		struct failure f;
		char what_to_do[256];
		unsigned int back;
		int rc;

		rc = vvp_plan_apply(v->plan);
		if (rc == 0) {
			syslog(LOG_INFO, "VF %s prepared for domain '%s' (%u steps)",
			       v->vf, job->domain,
			       vvp_plan_get_num_steps(v->plan));
			continue;
		}
		failure_keep(job->ctx, rc, &f);
		back = revert_before(job, i, undo_err, sizeof(undo_err));
		advice(what_to_do, sizeof(what_to_do), OP_APPLY, f.err,
		       f.reason, NULL);
		say_error("cannot prepare VF %s for domain '%s' (%s; %u VF%s prepared before it put back%s); %s",
			  v->vf, job->domain, f.msg, back, back == 1 ? "" : "s",
			  undo_err, what_to_do);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* the guest is gone: each VF on its own, the first failure said */
static int release_all(struct hook_job *job)
{
	unsigned int failed = 0;
	struct failure first;

	for (unsigned int i = 0; i < job->n; i++) {
		int rc = vvp_plan_apply(job->vfs[i].plan);

		if (rc == 0)
			continue;
		if (failed++ == 0)
			failure_keep(job->ctx, rc, &first);
	}
	if (failed)
		say_error("cannot release the VFs of domain '%s' (%u of %u failed, the first: %s); fix that, then run vvpctl apply",
			  job->domain, failed, job->n, first.msg);
	return failed ? EXIT_FAIL : EXIT_OK;
}

int hook_run(struct vvp_ctx *ctx, struct vvp_config *config,
	     const char *domain, enum hook_op op, const struct hook_domain *d,
	     bool dry_run)
{
	struct hook_job job = {
		.ctx = ctx, .config = config, .domain = domain, .op = op,
		.dry_run = dry_run,
	};
	int rc = EXIT_OK;

	for (unsigned int i = 0; rc == EXIT_OK && i < d->num_devs; i++)
		if (keep_vf(&job, &d->devs[i]) < 0)
			rc = EXIT_FAIL;
	if (rc == EXIT_OK && job.n > 0 && !dry_run)
		rc = lock_all(&job);
	if (rc == EXIT_OK)
		rc = plan_all(&job);
	if (rc == EXIT_OK && !dry_run)
		rc = op == HOOK_PREPARE ? prepare_all(&job) : release_all(&job);
	for (unsigned int i = 0; i < job.n; i++)
		vvp_plan_unref(job.vfs[i].plan);
	free(job.vfs);
	return rc;
}
