// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backend "virtio": a virtio-net PF, driven by virtio-pci, whose VFs the
 * PF can reach through its admin virtqueue with the legacy I/O commands
 * (virtio 1.2+). Linux exports those commands as virtio_pci_admin_*().
 *
 * The virtio spec has no admin command to provision a member's MAC, MTU,
 * queue pairs or features, so this backend's mask has legacy I/O and the
 * transitional profile (which the core keeps) and nothing else: the core
 * answers EOPNOTSUPP, naming the backend, for the rest.
 *
 * An owner is registered when a VF of such a PF appears and reports
 * legacy I/O support (virtio_pci_admin_has_legacy_io() takes a VF), and
 * unregistered when the PF's driver unbinds or the PF goes away. The
 * check and the registration run under the PF's device lock, from a
 * work item (vvp_virtio_scan()), so that they cannot interleave with the
 * PF's unbind.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/virtio_pci_admin.h>
#include <linux/workqueue.h>
#include <uapi/linux/virtio_pci.h>

#include "vvp_core.h"

struct vvp_virtio {
	struct list_head node;
	struct vvp_owner *owner;
	struct pci_dev *pf;
};

static LIST_HEAD(vvp_virtio_list);
static DEFINE_MUTEX(vvp_virtio_lock);

/*
 * The member's VF, referenced; NULL when it does not exist. The VF that
 * vvp_vfio_pci claimed the member for, the one legacy I/O is about, is
 * at hand; only other callers look it up.
 */
static struct pci_dev *vvp_virtio_vf(struct vvp_owner *owner,
				     unsigned int member)
{
	struct pci_dev *pf = vvp_owner_pdev(owner);
	struct pci_dev *vf = vvp_member_vf_get_locked(owner, member);
	unsigned int bus, devfn;

	if (vf)
		return vf;
	if (vvp_member_bus_devfn(owner, member, &bus, &devfn))
		return NULL;
	return pci_get_domain_bus_and_slot(pci_domain_nr(pf->bus), bus, devfn);
}

/* the admin legacy command of each access, by enum vvp_legacy_op */
static int (* const vvp_virtio_legacy_cmds[])(struct pci_dev *vf, u8 offset,
					      u8 size, u8 *buf) = {
	[VVP_LEGACY_COMMON_READ] = virtio_pci_admin_legacy_common_io_read,
	[VVP_LEGACY_COMMON_WRITE] = virtio_pci_admin_legacy_common_io_write,
	[VVP_LEGACY_DEVICE_READ] = virtio_pci_admin_legacy_device_io_read,
	[VVP_LEGACY_DEVICE_WRITE] = virtio_pci_admin_legacy_device_io_write,
};

static_assert(ARRAY_SIZE(vvp_virtio_legacy_cmds) == VVP_LEGACY_NR_OPS);

static int vvp_virtio_legacy_io(struct vvp_owner *owner, unsigned int member,
				enum vvp_legacy_op op, u8 offset, u8 size,
				u8 *buf)
{
	struct pci_dev *vf = vvp_virtio_vf(owner, member);
	int rc;

	if (!vf)
		return -ENODEV;
	rc = vvp_virtio_legacy_cmds[op](vf, offset, size, buf);
	pci_dev_put(vf);
	return rc;
}

/*
 * Where the member's legacy notify register is: a BAR of the VF and an
 * offset. vvp_vfio_pci writes the kicks there itself, through
 * vfio-pci-core, which knows whether the VF's memory may be touched now
 * (not in reset, not in D3). The core checks the answer (a 2-byte,
 * aligned register inside a BAR of the VF) for every backend.
 */
static int vvp_virtio_notify_info(struct vvp_owner *owner, unsigned int member,
				  u8 *bar, u64 *offset)
{
	struct pci_dev *vf = vvp_virtio_vf(owner, member);
	u8 flags = VIRTIO_ADMIN_CMD_NOTIFY_INFO_FLAGS_OWNER_MEM;
	int rc;

	if (!vf)
		return -ENODEV;
	rc = virtio_pci_admin_legacy_io_notify_info(vf, flags, bar, offset);
	pci_dev_put(vf);
	return rc;
}

static const struct vvp_owner_ops vvp_virtio_ops = {
	.legacy_io = vvp_virtio_legacy_io,
	.legacy_notify_info = vvp_virtio_notify_info,
};

static bool vvp_virtio_pf_candidate(struct pci_dev *pf)
{
	return vvp_pci_is_virtio_net(pf) && pf->is_physfn && pf->driver &&
	       !strcmp(pf->driver->name, "virtio-pci");
}

static struct vvp_virtio *vvp_virtio_find(struct pci_dev *pf)
{
	struct vvp_virtio *v;

	lockdep_assert_held(&vvp_virtio_lock);
	list_for_each_entry(v, &vvp_virtio_list, node)
		if (v->pf == pf)
			return v;
	return NULL;
}

/*
 * Register VF @vf's PF if it qualifies. Under the PF's device lock: only
 * then is the PF's driver known to stay (a PF whose unbind has begun,
 * whose owner the unbind notifier already took away, is not taken again
 * by a VF event that comes between that notifier and the driver's
 * remove), and may virtio_pci_admin_has_legacy_io() use its driver data.
 */
static void vvp_virtio_vf_check(struct pci_dev *vf)
{
	struct pci_dev *pf = pci_physfn(vf);
	struct vvp_virtio *v;

	device_lock(&pf->dev);
	if (!vvp_virtio_pf_candidate(pf) ||
	    !virtio_pci_admin_has_legacy_io(vf))
		goto out_dev;
	mutex_lock(&vvp_virtio_lock);
	if (vvp_virtio_find(pf))
		goto out;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		goto out;
	v->pf = pf;
	v->owner = vvp_owner_register(pf, "virtio",
				      VVP_CAP_LEGACY_IO | VVP_CAP_TRANSITIONAL,
				      &vvp_virtio_ops, v);
	if (IS_ERR(v->owner)) {
		pci_warn(pf, "vvp: cannot register the virtio owner: %pe\n",
			 v->owner);
		kfree(v);
		goto out;
	}
	list_add(&v->node, &vvp_virtio_list);
out:
	mutex_unlock(&vvp_virtio_lock);
out_dev:
	device_unlock(&pf->dev);
}

/*
 * Every VF whose PF might qualify. A work item, not the notifier: VF
 * events come with the PF's device lock held (VFs are added, and may be
 * probed, from the PF driver's sriov_configure), so they cannot take it.
 */
static void vvp_virtio_scan(struct work_struct *work)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev->is_virtfn && vvp_pci_is_virtio_net(pci_physfn(pdev)))
			vvp_virtio_vf_check(pdev);
}

static DECLARE_WORK(vvp_virtio_scan_work, vvp_virtio_scan);

static void vvp_virtio_pf_gone(struct pci_dev *pf)
{
	struct vvp_virtio *v;

	mutex_lock(&vvp_virtio_lock);
	v = vvp_virtio_find(pf);
	if (v) {
		list_del(&v->node);
		vvp_owner_unregister(v->owner);
		kfree(v);
	}
	mutex_unlock(&vvp_virtio_lock);
}

static int vvp_virtio_notifier_call(struct notifier_block *nb,
				    unsigned long action, void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_ADD_DEVICE:
		/* a VF, or a PF (re)bound with its VFs there already */
		if (pdev->is_virtfn || action == BUS_NOTIFY_BOUND_DRIVER)
			schedule_work(&vvp_virtio_scan_work);
		break;
	case BUS_NOTIFY_UNBIND_DRIVER:
	case BUS_NOTIFY_DEL_DEVICE:
		if (!pdev->is_virtfn)
			vvp_virtio_pf_gone(pdev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vvp_virtio_nb = {
	.notifier_call = vvp_virtio_notifier_call,
};

int vvp_virtio_init(void)
{
	int rc;

	rc = bus_register_notifier(&pci_bus_type, &vvp_virtio_nb);
	if (rc)
		return rc;
	vvp_virtio_scan(NULL);	/* VFs that exist already */
	return 0;
}

void vvp_virtio_exit(void)
{
	struct vvp_virtio *v, *tmp;

	bus_unregister_notifier(&pci_bus_type, &vvp_virtio_nb);
	cancel_work_sync(&vvp_virtio_scan_work);
	mutex_lock(&vvp_virtio_lock);
	list_for_each_entry_safe(v, tmp, &vvp_virtio_list, node) {
		list_del(&v->node);
		vvp_owner_unregister(v->owner);
		kfree(v);
	}
	mutex_unlock(&vvp_virtio_lock);
}
