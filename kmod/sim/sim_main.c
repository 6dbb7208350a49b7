// SPDX-License-Identifier: GPL-2.0-only
/*
 * vvp_sim: a simulated owner backend for vvp.ko, in the spirit of
 * netdevsim and vdpa_sim. Attach it to any PCI SR-IOV PF and that PF
 * becomes a virtio-net owner whose members (VFs) have a legacy register
 * file and provisioning state, with counters and fault injection in
 * debugfs (sim_debugfs.c).
 *
 *   echo 0000:01:00.0 > /sys/kernel/vvp_sim/attach
 *   echo 0000:01:00.0 > /sys/kernel/vvp_sim/detach
 *   cat /sys/kernel/vvp_sim/list
 *
 * The sim does not bind the PF (it stays with its own driver); it keeps a
 * reference to the pci_dev, and detaches by itself when the PF goes away.
 */
#include <linux/delay.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "vvp_sim.h"

#define SIM_CAPS	(VVP_CAP_LEGACY_IO | VVP_CAP_MAC | VVP_CAP_MTU | \
			 VVP_CAP_MAX_VQ_PAIRS | VVP_CAP_FEATURES |	  \
			 VVP_CAP_TRANSITIONAL)

/*
 * Attached sims are on sim_list. A sim being torn down by a surprise
 * removal is on sim_dying_list until its work item has freed it; a sim
 * being torn down by any other path is on no list. Only the path that
 * took a sim off sim_list tears it down.
 */
static LIST_HEAD(sim_list);
static LIST_HEAD(sim_dying_list);
static DEFINE_MUTEX(sim_list_lock);
/* attach/detach writes are refused (-EBUSY) while false: load, unload;
 * read and written under sim_list_lock
 */
static bool sim_enable;
static struct workqueue_struct *sim_wq;
static struct kobject *sim_kobj;

/* --- owner ops --- */

/*
 * Common prologue of every op: count the command, sleep delay_ms, inject
 * a failure if one is due (the first fail_skip matching commands pass,
 * so that a test can fail the Nth command of a kind), then check the
 * member. A command is counted
 * when it is attempted, so the counters include failed commands (injected
 * failures, bad members, bad offsets) as well as successful ones. On
 * success, the member's state is locked until sim_cmd_end().
 */
static int sim_cmd_begin(struct vvp_sim *sim, enum sim_cmd kind,
			 unsigned int member, struct netlink_ext_ack *extack,
			 struct sim_member **mp)
{
	u32 delay_ms;
	int err = 0;

	atomic64_inc(&sim->counters[kind]);

	delay_ms = READ_ONCE(sim->delay_ms);
	if (delay_ms)
		msleep(delay_ms);

	spin_lock(&sim->fault_lock);
	if (sim->fail_next &&
	    (sim->fail_kind == SIM_CMD_ANY || sim->fail_kind == kind)) {
		if (sim->fail_skip) {
			sim->fail_skip--;
		} else {
			sim->fail_next--;
			err = -(int)sim->fail_errno;
		}
	}
	spin_unlock(&sim->fault_lock);
	if (err) {
		atomic64_inc(&sim->injected);
		NL_SET_ERR_MSG_MOD(extack, "injected failure (fail_next)");
		return err;
	}

	if (member >= sim->num_members || member >= pci_num_vf(sim->pdev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no such member: its VF does not exist");
		return -ENODEV;
	}
	*mp = &sim->members[member];
	mutex_lock(&sim->state_lock);
	return 0;
}

static void sim_cmd_end(struct vvp_sim *sim)
{
	mutex_unlock(&sim->state_lock);
}

static int sim_legacy_io(struct vvp_owner *owner, unsigned int member,
			 enum vvp_legacy_op op, u8 offset, u8 size, u8 *buf)
{
	struct vvp_sim *sim = vvp_owner_priv(owner);
	struct sim_member *m;
	struct pci_dev *vf;
	int err, vecs;

	if (offset < SIM_REG_OFFSETS) {
		atomic64_inc(&sim->reg_counters[op][offset]);
		atomic64_add(size, &sim->reg_bytes[op][offset]);
	}
	err = sim_cmd_begin(sim, (enum sim_cmd)op, member, NULL, &m);
	if (err)
		return err;
	/*
	 * a device maps only the vectors its MSI-X table has: looked up for
	 * writes of the common registers alone (where vectors are set), not
	 * on every access
	 */
	if (vvp_legacy_op_is_write(op) && !vvp_legacy_op_is_device(op)) {
		vf = vvp_member_vf_get_locked(owner, member);
		vecs = vf ? pci_msix_vec_count(vf) : 0;
		pci_dev_put(vf);
		m->msix_vectors = vecs > 0 ? vecs : 0;
	}
	err = sim_legacy_access(m, op, offset, size, buf);
	sim_cmd_end(sim);
	return err;
}

static int sim_legacy_notify(struct vvp_owner *owner, unsigned int member,
			     u16 queue)
{
	struct vvp_sim *sim = vvp_owner_priv(owner);
	struct sim_member *m;
	int err;

	err = sim_cmd_begin(sim, SIM_CMD_NOTIFY, member, NULL, &m);
	if (err)
		return err;
	sim_notify(m, queue);
	sim_cmd_end(sim);
	return 0;
}

static int sim_member_get_op(struct vvp_owner *owner, unsigned int member,
			     struct vvp_member_cfg *cfg)
{
	struct vvp_sim *sim = vvp_owner_priv(owner);
	struct sim_member *m;
	int err;

	err = sim_cmd_begin(sim, SIM_CMD_MEMBER_GET, member, NULL, &m);
	if (err)
		return err;
	sim_member_get(m, cfg);
	sim_cmd_end(sim);
	return 0;
}

static int sim_member_set_op(struct vvp_owner *owner, unsigned int member,
			     const struct vvp_member_cfg *cfg, u32 caps,
			     struct netlink_ext_ack *extack)
{
	struct vvp_sim *sim = vvp_owner_priv(owner);
	struct sim_member *m;
	int err;

	err = sim_cmd_begin(sim, SIM_CMD_MEMBER_SET, member, extack, &m);
	if (err)
		return err;
	err = sim_member_set(m, cfg, caps, extack);
	sim_cmd_end(sim);
	return err;
}

/*
 * Where the notify register is, as debugfs notify_info says: not known
 * (kicks come as commands) unless a test sets one. Not a command of the
 * counters: a backend answers it from what it knows of its VFs.
 */
static int sim_legacy_notify_info(struct vvp_owner *owner,
				  unsigned int member, u8 *bar, u64 *offset)
{
	struct vvp_sim *sim = vvp_owner_priv(owner);
	int rc = -EOPNOTSUPP;

	spin_lock(&sim->fault_lock);
	if (sim->notify_bar >= 0) {
		*bar = sim->notify_bar;
		*offset = sim->notify_offset;
		rc = 0;
	}
	spin_unlock(&sim->fault_lock);
	return rc;
}

static const struct vvp_owner_ops sim_ops = {
	.legacy_io = sim_legacy_io,
	.legacy_notify = sim_legacy_notify,
	.legacy_notify_info = sim_legacy_notify_info,
	.member_get = sim_member_get_op,
	.member_set = sim_member_set_op,
};

/* --- members claimed through debugfs busy_member --- */

int sim_busy_claim(struct vvp_sim *sim, unsigned int index)
{
	struct vvp_member_cfg cfg;
	int err;

	mutex_lock(&sim->lock);
	if (!sim->owner)
		err = -ENODEV;
	else if (index >= sim->num_members)
		err = -EINVAL;
	else if (sim->members[index].claimed)
		err = -EBUSY;
	else
		err = vvp_member_claim(sim->owner, index, &cfg);
	if (!err)
		sim->members[index].claimed = true;
	mutex_unlock(&sim->lock);
	return err;
}

static void __sim_busy_release_all(struct vvp_sim *sim)
{
	unsigned int i;

	lockdep_assert_held(&sim->lock);
	for (i = 0; i < sim->num_members; i++) {
		if (!sim->members[i].claimed)
			continue;
		vvp_member_release(sim->owner, i);
		sim->members[i].claimed = false;
	}
}

void sim_busy_release_all(struct vvp_sim *sim)
{
	mutex_lock(&sim->lock);
	if (sim->owner)
		__sim_busy_release_all(sim);
	mutex_unlock(&sim->lock);
}

/* --- attach and detach --- */

static void sim_free(struct vvp_sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->num_members; i++)
		sim_member_fini(&sim->members[i]);
	kvfree(sim->members);
	pci_dev_put(sim->pdev);
	mutex_destroy(&sim->state_lock);
	mutex_destroy(&sim->lock);
	kfree(sim);
}

/* the core stops calling the ops; idempotent */
static void sim_unregister(struct vvp_sim *sim)
{
	mutex_lock(&sim->lock);
	if (sim->owner) {
		__sim_busy_release_all(sim);
		vvp_owner_unregister(sim->owner);
		sim->owner = NULL;
	}
	mutex_unlock(&sim->lock);
}

/*
 * First half of a teardown: debugfs (this waits for the debugfs handlers
 * running on the sim's files, and none can start after), then the owner.
 */
static void sim_teardown(struct vvp_sim *sim)
{
	sim_debugfs_exit(sim);
	sim_unregister(sim);
	dev_info(&sim->pdev->dev, "vvp_sim detached\n");
}

/*
 * Second half of a surprise removal, away from the debugfs write that
 * started it (that write cannot remove its own debugfs directory: the
 * removal would wait for the write to finish). The sim stays on
 * sim_dying_list until its debugfs directory is gone, so a new attach of
 * the same PF cannot collide with it.
 */
static void sim_remove_work(struct work_struct *work)
{
	struct vvp_sim *sim = container_of(work, struct vvp_sim, remove_work);

	sim_teardown(sim);
	mutex_lock(&sim_list_lock);
	list_del(&sim->list);
	mutex_unlock(&sim_list_lock);
	sim_free(sim);
}

static struct vvp_sim *sim_create(struct pci_dev *pdev, u32 caps)
{
	int total = pci_sriov_get_totalvfs(pdev);
	struct vvp_owner *owner;
	struct vvp_sim *sim;
	unsigned int i;
	int err;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&sim->list);
	mutex_init(&sim->lock);
	mutex_init(&sim->state_lock);
	spin_lock_init(&sim->fault_lock);
	sim->fail_errno = EIO;
	sim->fail_kind = SIM_CMD_ANY;
	sim->notify_bar = -1;
	INIT_WORK(&sim->remove_work, sim_remove_work);
	sim->pdev = pdev;

	sim->members = kvcalloc(total, sizeof(*sim->members), GFP_KERNEL);
	if (!sim->members) {
		err = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < total; i++) {
		err = sim_member_init(&sim->members[i], sim, i);
		if (err)
			goto err_free;
		sim->num_members = i + 1;
	}

	owner = vvp_owner_register(pdev, "sim", caps, &sim_ops, sim);
	if (IS_ERR(owner)) {
		err = PTR_ERR(owner);
		if (err == -EEXIST)
			pr_err("%s already has an owner\n", pci_name(pdev));
		else
			pr_err("%s: registering the owner failed: %d\n",
			       pci_name(pdev), err);
		goto err_free;
	}
	sim->owner = owner;
	sim_debugfs_init(sim);
	return sim;

err_free:
	sim->pdev = NULL;	/* the caller keeps its reference */
	sim_free(sim);
	return ERR_PTR(err);
}

/* with sim_list_lock held */
static struct vvp_sim *sim_find(struct list_head *head, unsigned int domain,
				unsigned int bus, unsigned int devfn)
{
	struct vvp_sim *sim;

	list_for_each_entry(sim, head, list) {
		struct pci_dev *pdev = sim->pdev;

		if (pci_domain_nr(pdev->bus) == domain &&
		    pdev->bus->number == bus && pdev->devfn == devfn)
			return sim;
	}
	return NULL;
}

/*
 * Strictly "DDDD:BB:DD.F" (hex, as in pci_name()), with at most a trailing
 * newline.
 */
static int sim_parse_addr(const char *op, const char *buf, size_t count,
			  unsigned int *domain, unsigned int *bus,
			  unsigned int *devfn)
{
	size_t len = count;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!vvp_pci_parse_addr(buf, len, domain, bus, devfn))
		return 0;
	pr_err("%s: invalid PCI address \"%.*s\": expected DDDD:BB:DD.F, e.g. 0000:01:00.0\n",
	       op, (int)min_t(size_t, len, 32), buf);
	return -EINVAL;
}

/*
 * "DDDD:BB:DD.F [CAPS]": CAPS, a mask of enum vvp_cap, lets a test play a
 * backend that lacks some capabilities.
 */
static int sim_parse_attach(const char *buf, size_t count,
			    unsigned int *domain, unsigned int *bus,
			    unsigned int *devfn, u32 *caps)
{
	const char *space = strnchr(buf, count, ' ');
	char arg[16];
	int err;

	err = sim_parse_addr("attach", buf, space ? space - buf : count,
			     domain, bus, devfn);
	if (err || !space)
		return err;
	strscpy(arg, space + 1,
		min_t(size_t, sizeof(arg), count - (space - buf)));
	if (kstrtou32(strim(arg), 0, caps) || !*caps || (*caps & ~SIM_CAPS)) {
		pr_err("attach: invalid caps \"%s\": expected a mask of enum vvp_cap within %#x\n",
		       arg, SIM_CAPS);
		return -EINVAL;
	}
	return 0;
}

/* The SR-IOV PF at an address, referenced, or ERR_PTR. */
static struct pci_dev *sim_get_pf(unsigned int domain, unsigned int bus,
				  unsigned int devfn)
{
	struct pci_dev *pdev;

	pdev = pci_get_domain_bus_and_slot(domain, bus, devfn);
	if (!pdev) {
		pr_err("attach: no PCI device %04x:%02x:%02x.%x\n", domain,
		       bus, PCI_SLOT(devfn), PCI_FUNC(devfn));
		return ERR_PTR(-ENODEV);
	}
	if (!pdev->is_physfn || pci_sriov_get_totalvfs(pdev) <= 0) {
		pr_err("attach: %s has no SR-IOV: expected DDDD:BB:DD.F of an SR-IOV PF\n",
		       pci_name(pdev));
		pci_dev_put(pdev);
		return ERR_PTR(-EINVAL);
	}
	return pdev;
}

/* A new sim for @pdev on sim_list, unless refused; sim_list_lock held. */
static struct vvp_sim *sim_attach_locked(struct pci_dev *pdev, u32 caps)
{
	unsigned int domain = pci_domain_nr(pdev->bus);
	unsigned int bus = pdev->bus->number;
	struct vvp_sim *sim;

	lockdep_assert_held(&sim_list_lock);
	if (!sim_enable)
		return ERR_PTR(-EBUSY);
	if (sim_find(&sim_list, domain, bus, pdev->devfn)) {
		pr_err("attach: %s is already attached\n", pci_name(pdev));
		return ERR_PTR(-EEXIST);
	}
	if (sim_find(&sim_dying_list, domain, bus, pdev->devfn)) {
		pr_err("attach: %s is still being removed, try again\n",
		       pci_name(pdev));
		return ERR_PTR(-EBUSY);
	}
	sim = sim_create(pdev, caps);
	if (!IS_ERR(sim))
		list_add_tail(&sim->list, &sim_list);
	return sim;
}

static ssize_t attach_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned int domain, bus, devfn;
	u32 caps = SIM_CAPS;
	struct pci_dev *pdev;
	struct vvp_sim *sim;
	int err;

	err = sim_parse_attach(buf, count, &domain, &bus, &devfn, &caps);
	if (err)
		return err;
	pdev = sim_get_pf(domain, bus, devfn);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);

	/* let pending surprise removals finish, their debugfs dirs go */
	flush_workqueue(sim_wq);

	mutex_lock(&sim_list_lock);
	sim = sim_attach_locked(pdev, caps);
	mutex_unlock(&sim_list_lock);
	if (IS_ERR(sim)) {
		pci_dev_put(pdev);
		return PTR_ERR(sim);
	}
	dev_info(&pdev->dev, "vvp_sim attached, %u members\n",
		 sim->num_members);
	return count;	/* the sim keeps the reference to pdev */
}

static ssize_t detach_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned int domain, bus, devfn;
	struct vvp_sim *sim;
	int err;

	err = sim_parse_addr("detach", buf, count, &domain, &bus, &devfn);
	if (err)
		return err;

	mutex_lock(&sim_list_lock);
	if (!sim_enable) {
		mutex_unlock(&sim_list_lock);
		return -EBUSY;
	}
	sim = sim_find(&sim_list, domain, bus, devfn);
	if (sim) {
		sim->dying = true;
		list_del_init(&sim->list);
	}
	mutex_unlock(&sim_list_lock);
	if (!sim) {
		pr_err("detach: %04x:%02x:%02x.%x is not attached\n", domain,
		       bus, PCI_SLOT(devfn), PCI_FUNC(devfn));
		return -ENOENT;
	}

	sim_teardown(sim);
	sim_free(sim);
	return count;
}

static ssize_t list_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct vvp_sim *sim;
	int len = 0;

	mutex_lock(&sim_list_lock);
	list_for_each_entry(sim, &sim_list, list)
		len += sysfs_emit_at(buf, len, "%s\n", pci_name(sim->pdev));
	mutex_unlock(&sim_list_lock);
	return len;
}

static struct kobj_attribute sim_attach_attr = __ATTR_WO(attach);
static struct kobj_attribute sim_detach_attr = __ATTR_WO(detach);
static struct kobj_attribute sim_list_attr = __ATTR_RO(list);

static struct attribute *sim_attrs[] = {
	&sim_attach_attr.attr,
	&sim_detach_attr.attr,
	&sim_list_attr.attr,
	NULL,
};

static const struct attribute_group sim_attr_group = {
	.attrs = sim_attrs,
};

/*
 * debugfs surprise_remove: unregister the owner now, as if the PF had
 * vanished, and leave the debugfs directory and the memory to
 * sim_remove_work().
 */
int sim_surprise_remove(struct vvp_sim *sim)
{
	mutex_lock(&sim_list_lock);
	if (sim->dying) {
		mutex_unlock(&sim_list_lock);
		return -ENODEV;
	}
	sim->dying = true;
	list_move_tail(&sim->list, &sim_dying_list);
	mutex_unlock(&sim_list_lock);

	dev_info(&sim->pdev->dev, "vvp_sim: surprise removal\n");
	sim_unregister(sim);
	queue_work(sim_wq, &sim->remove_work);
	return 0;
}

/* the PF is going away: detach it */
static int sim_pci_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct vvp_sim *sim = NULL, *iter;

	if (action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;

	mutex_lock(&sim_list_lock);
	list_for_each_entry(iter, &sim_list, list) {
		if (iter->pdev == pdev) {
			sim = iter;
			sim->dying = true;
			list_del_init(&sim->list);
			break;
		}
	}
	mutex_unlock(&sim_list_lock);
	if (!sim)
		return NOTIFY_DONE;

	dev_info(&pdev->dev, "vvp_sim: PF removed\n");
	sim_teardown(sim);
	sim_free(sim);
	return NOTIFY_OK;
}

static struct notifier_block sim_pci_nb = {
	.notifier_call = sim_pci_notify,
};

static int __init sim_init(void)
{
	int err;

	sim_wq = alloc_workqueue("vvp_sim", 0, 0);
	if (!sim_wq)
		return -ENOMEM;
	sim_debugfs_create_root();
	err = bus_register_notifier(&pci_bus_type, &sim_pci_nb);
	if (err)
		goto err_debugfs;

	sim_kobj = kobject_create_and_add("vvp_sim", kernel_kobj);
	if (!sim_kobj) {
		err = -ENOMEM;
		goto err_notifier;
	}
	err = sysfs_create_group(sim_kobj, &sim_attr_group);
	if (err)
		goto err_kobj;

	mutex_lock(&sim_list_lock);
	sim_enable = true;
	mutex_unlock(&sim_list_lock);
	return 0;

err_kobj:
	kobject_put(sim_kobj);
err_notifier:
	bus_unregister_notifier(&pci_bus_type, &sim_pci_nb);
err_debugfs:
	sim_debugfs_destroy_root();
	destroy_workqueue(sim_wq);
	return err;
}

static void __exit sim_exit(void)
{
	struct vvp_sim *sim, *tmp;
	LIST_HEAD(list);

	/* refuse new writes, then wait for those running to finish */
	mutex_lock(&sim_list_lock);
	sim_enable = false;
	mutex_unlock(&sim_list_lock);
	sysfs_remove_group(sim_kobj, &sim_attr_group);
	kobject_put(sim_kobj);
	bus_unregister_notifier(&pci_bus_type, &sim_pci_nb);

	mutex_lock(&sim_list_lock);
	list_splice_init(&sim_list, &list);
	list_for_each_entry(sim, &list, list)
		sim->dying = true;
	mutex_unlock(&sim_list_lock);
	list_for_each_entry_safe(sim, tmp, &list, list) {
		list_del_init(&sim->list);
		sim_teardown(sim);
		sim_free(sim);
	}

	/* runs the surprise removals still queued */
	destroy_workqueue(sim_wq);
	WARN_ON(!list_empty(&sim_dying_list));
	sim_debugfs_destroy_root();
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_DESCRIPTION("vvp_sim: simulated virtio-net SR-IOV owner for vvp");
MODULE_LICENSE("GPL");
