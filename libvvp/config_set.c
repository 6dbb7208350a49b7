// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A config changed in memory after it was read, for a program that plans
 * with the config and values of its own over it: the libvirt hook gives a
 * VF the guest's MAC and a vfio driver while the guest runs, and leaves
 * everything else as the config says. Nothing is written to the files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config-private.h"

/* the VF's section, made (implicit, nothing set) when it had none */
static struct vvp_config_vf *vf_section(struct vvp_config_pf *cpf,
					unsigned int index)
{
	struct vvp_config_vf *cvf = config_vf_find(cpf, index);

	if (cvf)
		return cvf;
	cvf = config_pf_add_vf(cpf, index, NULL, 0);
	if (cvf)
		cvf->implicit = true;
	return cvf;
}

static int check_values(struct vvp_ctx *ctx, const unsigned char *mac,
			int mtu, const char *driver)
{
	static const unsigned char zero[6];

	if (mac && ((mac[0] & 1) || memcmp(mac, zero, sizeof(zero)) == 0))
		return vvp_fail(ctx, EINVAL,
				"cannot set the MAC of a VF (a VF needs a unicast address that is not all zeros)");
	if (mtu >= 0 && (mtu < 68 || mtu > 65535))
		return vvp_fail(ctx, EINVAL,
				"cannot set an MTU of %d (a VF's MTU is 68 to 65535)",
				mtu);
	if (driver && (!*driver || strlen(driver) > 63 || strchr(driver, '/')))
		return vvp_fail(ctx, EINVAL,
				"cannot set driver '%s' (not a driver name)",
				driver);
	return 0;
}

VVP_EXPORT int vvp_config_set_vf(struct vvp_config *config,
				 const char *pf_address, unsigned int index,
				 const unsigned char *mac, int mtu,
				 const char *driver)
{
	struct vvp_ctx *ctx = config->ctx;
	struct vvp_config_pf *cpf;
	struct vvp_config_vf *cvf;
	char *copy = NULL;
	int rc;

	vvp_clear_error(ctx);
	cpf = vvp_config_pf_find(config, pf_address);
	if (!cpf)
		return vvp_fail(ctx, ENOENT,
				"cannot set VF %u of %s (the config has no [pf %s] section)",
				index, pf_address, pf_address);
	rc = check_values(ctx, mac, mtu, driver);
	if (rc < 0)
		return rc;
	if (driver)
		copy = strdup(driver);
	if (driver && !copy)
		return vvp_fail(ctx, ENOMEM, "cannot set VF %u of %s (%s)",
				index, pf_address, strerror(ENOMEM));
	cvf = vf_section(cpf, index);
	if (!cvf) {
		free(copy);
		return vvp_fail(ctx, ENOMEM, "cannot set VF %u of %s (%s)",
				index, pf_address, strerror(ENOMEM));
	}
	if (mac) {
		cvf->has_mac = true;
		memcpy(cvf->mac, mac, sizeof(cvf->mac));
	}
	if (mtu >= 0)
		cvf->mtu = mtu;
	if (copy) {
		free(cvf->driver);
		cvf->driver = copy;
	}
	return 0;
}
