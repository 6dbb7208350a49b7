// SPDX-License-Identifier: GPL-2.0-only
/*
 * vvp: a registry of SR-IOV PFs ("owners") whose backends can act on
 * their VFs ("members"): legacy virtio I/O on a member's behalf and
 * member provisioning. Userspace sees owners in sysfs (<pf>/vvp/) and
 * over the generic netlink family "vvp"; vvp_vfio_pci uses the legacy
 * I/O path through this file's wrappers.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vvp_core.h"

/* vvp_lock protects the owner lists and the generation count */
DEFINE_MUTEX(vvp_lock);
LIST_HEAD(vvp_owners);
unsigned long vvp_generation;
/*
 * Unregistered owners whose members a driver still holds (a VF opened
 * through vvp_vfio_pci before its owner was detached or removed): until
 * the driver lets go, those VFs are busy for any later owner of the PF
 * too, which must not provision a VF a guest still has open.
 */
static LIST_HEAD(vvp_dead_owners);

static const char * const vvp_cap_names[] = {
	"legacy_io", "mac", "mtu", "max_vq_pairs", "features", "transitional",
};

#define VVP_CAP_ALL	(BIT(ARRAY_SIZE(vvp_cap_names)) - 1)

const char *vvp_cap_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(vvp_cap_names) ? vvp_cap_names[bit] : "?";
}

struct vvp_owner *vvp_owner_find_locked(struct pci_dev *pf)
{
	struct vvp_owner *owner;

	lockdep_assert_held(&vvp_lock);
	list_for_each_entry(owner, &vvp_owners, node)
		if (owner->pdev == pf)
			return owner;
	return NULL;
}

unsigned int vvp_owner_num_members(struct vvp_owner *owner)
{
	return min_t(unsigned int, pci_num_vf(owner->pdev), owner->total);
}

/*
 * May the backend be asked about @member now? Not once the owner is
 * unregistered (its backend, maybe its module, may be gone), nor for a
 * VF that does not exist. Only meaningful under owner->lock.
 */
bool vvp_member_live_locked(struct vvp_owner *owner, unsigned int member)
{
	lockdep_assert_held(&owner->lock);
	return !owner->dead && member < vvp_owner_num_members(owner);
}

/* state_lock held: may readers see @member? */
static bool vvp_member_live(struct vvp_owner *owner, unsigned int member)
{
	lockdep_assert_held(&owner->state_lock);
	return !owner->dead && member < vvp_owner_num_members(owner);
}

/* Is member @index of @owner's PF held through a dead owner? */
bool vvp_member_held_by_dead(struct vvp_owner *owner, unsigned int index)
{
	struct vvp_owner *dead;
	bool held = false;

	mutex_lock(&vvp_lock);
	list_for_each_entry(dead, &vvp_dead_owners, node)
		if (dead->pdev == owner->pdev && index < dead->total &&
		    READ_ONCE(dead->state[index].claims))
			held = true;
	mutex_unlock(&vvp_lock);
	return held;
}

/* state_lock held */
static void vvp_member_copy(struct vvp_owner *owner, unsigned int index,
			    struct vvp_member_snap *snap)
{
	const struct vvp_member_state *st = &owner->state[index];

	lockdep_assert_held(&owner->state_lock);
	snap->cfg = st->cfg;
	snap->cfg.transitional = st->transitional;
	snap->busy = st->claims > 0;
}

/* Ask the backend about member @index and keep the answer; owner->lock. */
static int vvp_member_fetch_locked(struct vvp_owner *owner, unsigned int index)
{
	struct vvp_member_cfg cfg = {};
	int rc = 0;

	lockdep_assert_held(&owner->lock);
	if (owner->ops->member_get)
		rc = owner->ops->member_get(owner, index, &cfg);
	if (rc)
		return rc;
	spin_lock(&owner->state_lock);
	owner->state[index].cfg = cfg;
	owner->state[index].cfg_valid = true;
	spin_unlock(&owner->state_lock);
	return 0;
}

/* The member as the core keeps it, asking the backend if need be. */
int vvp_member_snapshot_locked(struct vvp_owner *owner, unsigned int index,
			       struct vvp_member_snap *snap)
{
	int rc;

	memset(snap, 0, sizeof(*snap));
	if (!vvp_member_live_locked(owner, index))
		return -ENODEV;
	if (!owner->state[index].cfg_valid) {
		rc = vvp_member_fetch_locked(owner, index);
		if (rc)
			return rc;
	}
	spin_lock(&owner->state_lock);
	vvp_member_copy(owner, index, snap);
	spin_unlock(&owner->state_lock);
	snap->busy = snap->busy || vvp_member_held_by_dead(owner, index);
	return 0;
}

/*
 * The member for a reader, from the core's copy and without owner->lock:
 * a reader neither waits for a backend call (a guest's legacy access)
 * nor makes one wait. Only the first read of a member since the owner
 * registered, or since the backend said it changed, asks the backend.
 */
int vvp_member_snapshot(struct vvp_owner *owner, unsigned int index,
			struct vvp_member_snap *snap)
{
	bool live, valid;
	int rc;

	memset(snap, 0, sizeof(*snap));
	spin_lock(&owner->state_lock);
	live = vvp_member_live(owner, index);
	valid = live && owner->state[index].cfg_valid;
	if (valid)
		vvp_member_copy(owner, index, snap);
	spin_unlock(&owner->state_lock);
	if (!live)
		return -ENODEV;
	if (valid) {
		snap->busy = snap->busy || vvp_member_held_by_dead(owner, index);
		return 0;
	}
	mutex_lock(&owner->lock);
	rc = vvp_member_snapshot_locked(owner, index, snap);
	mutex_unlock(&owner->lock);
	return rc;
}

/* member_set applied the fields in @mask of @cfg: keep them; owner->lock */
void vvp_member_applied_locked(struct vvp_owner *owner, unsigned int index,
			       const struct vvp_member_cfg *cfg, u32 mask)
{
	struct vvp_member_state *st = &owner->state[index];

	lockdep_assert_held(&owner->lock);
	spin_lock(&owner->state_lock);
	if (mask & VVP_CAP_MAC)
		ether_addr_copy(st->cfg.mac, cfg->mac);
	if (mask & VVP_CAP_MTU)
		st->cfg.mtu = cfg->mtu;
	if (mask & VVP_CAP_MAX_VQ_PAIRS)
		st->cfg.max_vq_pairs = cfg->max_vq_pairs;
	if (mask & VVP_CAP_FEATURES)
		st->cfg.features = cfg->features;
	if (mask & VVP_CAP_TRANSITIONAL)
		st->transitional = cfg->transitional;
	spin_unlock(&owner->state_lock);
}

void vvp_owner_release(struct kobject *kobj)
{
	struct vvp_owner *owner = container_of(kobj, struct vvp_owner, kobj);
	unsigned int i;

	/* a claim never released; state may be missing after a failed register */
	for (i = 0; owner->state && i < owner->total; i++)
		pci_dev_put(owner->state[i].vf);
	pci_dev_put(owner->pdev);
	kfree(owner->mkobjs);
	kfree(owner->state);
	kfree(owner);
}

struct vvp_owner *vvp_owner_register(struct pci_dev *pf, const char *backend,
				     u32 caps, const struct vvp_owner_ops *ops,
				     void *priv)
{
	struct vvp_owner *owner;
	int total, rc;

	total = pci_sriov_get_totalvfs(pf);
	if (!pf->is_physfn || total <= 0)
		return ERR_PTR(-EINVAL);
	if (!ops || !backend || (caps & ~VVP_CAP_ALL) ||
	    ((caps & VVP_CAP_TRANSITIONAL) && !(caps & VVP_CAP_LEGACY_IO)))
		return ERR_PTR(-EINVAL);

	owner = kzalloc(sizeof(*owner), GFP_KERNEL);
	if (!owner)
		return ERR_PTR(-ENOMEM);
	/* from here on, kobject_put() frees what was allocated */
	kobject_init(&owner->kobj, &vvp_owner_ktype);
	mutex_init(&owner->lock);
	spin_lock_init(&owner->state_lock);
	INIT_LIST_HEAD(&owner->node);
	owner->pdev = pci_dev_get(pf);
	strscpy(owner->name, pci_name(pf), sizeof(owner->name));
	strscpy(owner->backend, backend, sizeof(owner->backend));
	owner->caps = caps;
	owner->ops = ops;
	owner->priv = priv;
	owner->total = total;
	owner->sriov_pos = pci_find_ext_capability(pf, PCI_EXT_CAP_ID_SRIOV);
	owner->state = kcalloc(total, sizeof(*owner->state), GFP_KERNEL);
	owner->mkobjs = kcalloc(total, sizeof(*owner->mkobjs), GFP_KERNEL);
	if (!owner->state || !owner->mkobjs) {
		rc = -ENOMEM;
		goto err_put;
	}

	mutex_lock(&vvp_lock);
	if (vvp_owner_find_locked(pf)) {
		rc = -EEXIST;
		goto err_unlock;
	}
	rc = vvp_sysfs_add(owner);
	if (rc)
		goto err_unlock;
	list_add_tail(&owner->node, &vvp_owners);
	vvp_generation++;
	mutex_unlock(&vvp_lock);

	pci_info(pf, "vvp owner, backend %s, %d members\n", backend, total);
	vvp_nl_owner_notify(owner, VVP_CMD_OWNER_ADD_NTF,
			    vvp_owner_num_members(owner));
	return owner;

err_unlock:
	mutex_unlock(&vvp_lock);
err_put:
	kobject_put(&owner->kobj);
	return ERR_PTR(rc);
}
EXPORT_SYMBOL_GPL(vvp_owner_register);

/* owner->lock held */
static bool vvp_owner_claimed_locked(struct vvp_owner *owner)
{
	unsigned int i;

	for (i = 0; i < owner->total; i++)
		if (owner->state[i].claims)
			return true;
	return false;
}

void vvp_owner_unregister(struct vvp_owner *owner)
{
	unsigned int i;

	/* tell listeners first, while the owner still answers */
	vvp_nl_owner_notify(owner, VVP_CMD_OWNER_DEL_NTF,
			    vvp_owner_num_members(owner));

	mutex_lock(&vvp_lock);
	list_del_init(&owner->node);
	vvp_generation++;
	mutex_unlock(&vvp_lock);

	/* no backend call starts after this; running ones hold the lock */
	mutex_lock(&owner->lock);
	spin_lock(&owner->state_lock);
	owner->dead = true;
	spin_unlock(&owner->state_lock);
	if (vvp_owner_claimed_locked(owner)) {
		mutex_lock(&vvp_lock);
		list_add_tail(&owner->node, &vvp_dead_owners);
		mutex_unlock(&vvp_lock);
	}
	for (i = 0; i < owner->total; i++)
		vvp_member_gen_bump_locked(owner, i);
	mutex_unlock(&owner->lock);

	/* outside owner->lock: removal waits for sysfs readers, which take it */
	vvp_sysfs_del(owner);
	pci_info(owner->pdev, "vvp owner gone (backend %s)\n", owner->backend);
	kobject_put(&owner->kobj);
}
EXPORT_SYMBOL_GPL(vvp_owner_unregister);

void *vvp_owner_priv(struct vvp_owner *owner)
{
	return owner->priv;
}
EXPORT_SYMBOL_GPL(vvp_owner_priv);

struct pci_dev *vvp_owner_pdev(struct vvp_owner *owner)
{
	return owner->pdev;
}
EXPORT_SYMBOL_GPL(vvp_owner_pdev);

u32 vvp_owner_caps(struct vvp_owner *owner)
{
	return owner->caps;
}
EXPORT_SYMBOL_GPL(vvp_owner_caps);

struct vvp_owner *vvp_owner_get_by_vf(struct pci_dev *vf, unsigned int *member)
{
	struct vvp_owner *owner;
	int id;

	if (!vf->is_virtfn)
		return NULL;
	id = pci_iov_vf_id(vf);
	if (id < 0)
		return NULL;
	mutex_lock(&vvp_lock);
	owner = vvp_owner_find_locked(pci_physfn(vf));
	if (owner)
		kobject_get(&owner->kobj);
	mutex_unlock(&vvp_lock);
	if (owner)
		*member = id;
	return owner;
}
EXPORT_SYMBOL_GPL(vvp_owner_get_by_vf);

void vvp_owner_put(struct vvp_owner *owner)
{
	if (owner)
		kobject_put(&owner->kobj);
}
EXPORT_SYMBOL_GPL(vvp_owner_put);

/*
 * Claims and releases are announced: they change the member's busy. A
 * member still held through a dead owner cannot be claimed again.
 */
int vvp_member_claim_vf(struct vvp_owner *owner, unsigned int member,
			struct pci_dev *vf, struct vvp_member_cfg *cfg)
{
	struct vvp_member_state *state;
	struct vvp_member_snap snap;
	int rc;

	mutex_lock(&owner->lock);
	rc = vvp_member_snapshot_locked(owner, member, &snap);
	if (!rc && vvp_member_held_by_dead(owner, member))
		rc = -EBUSY;
	if (!rc) {
		state = &owner->state[member];
		spin_lock(&owner->state_lock);
		state->claims++;
		spin_unlock(&owner->state_lock);
		if (vf && vf != state->vf) {
			/* a stale VF of an earlier claim that outlived its VF */
			pci_dev_put(state->vf);
			state->vf = pci_dev_get(vf);
		}
		if (cfg)
			*cfg = snap.cfg;
		vvp_nl_member_notify_locked(owner, member, NULL);
	}
	mutex_unlock(&owner->lock);
	return rc;
}
EXPORT_SYMBOL_GPL(vvp_member_claim_vf);

int vvp_member_claim(struct vvp_owner *owner, unsigned int member,
		     struct vvp_member_cfg *cfg)
{
	return vvp_member_claim_vf(owner, member, NULL, cfg);
}
EXPORT_SYMBOL_GPL(vvp_member_claim);

/*
 * The last member of dead @owner was let go: take it off the dead list,
 * and tell listeners that @member of the PF's owner now (if any) is no
 * longer busy. Without owner->lock: this takes another owner's.
 */
static void vvp_dead_owner_done(struct vvp_owner *owner, unsigned int member)
{
	struct vvp_owner *later;

	mutex_lock(&vvp_lock);
	list_del_init(&owner->node);
	later = vvp_owner_find_locked(owner->pdev);
	if (later)
		kobject_get(&later->kobj);
	mutex_unlock(&vvp_lock);
	if (!later)
		return;
	mutex_lock(&later->lock);
	if (vvp_member_live_locked(later, member))
		vvp_nl_member_notify_locked(later, member, NULL);
	mutex_unlock(&later->lock);
	vvp_owner_put(later);
}

/* Works after the owner died too: the state lives as long as the owner. */
void vvp_member_release(struct vvp_owner *owner, unsigned int member)
{
	struct vvp_member_state *state;
	bool done = false;

	mutex_lock(&owner->lock);
	state = member < owner->total ? &owner->state[member] : NULL;
	if (state && !WARN_ON(!state->claims)) {
		spin_lock(&owner->state_lock);
		state->claims--;
		spin_unlock(&owner->state_lock);
		if (!state->claims) {
			pci_dev_put(state->vf);
			state->vf = NULL;
		}
		/* listeners were told a dead owner is gone */
		if (!owner->dead)
			vvp_nl_member_notify_locked(owner, member, NULL);
		else
			done = !vvp_owner_claimed_locked(owner);
	}
	mutex_unlock(&owner->lock);
	if (done)
		vvp_dead_owner_done(owner, member);
}
EXPORT_SYMBOL_GPL(vvp_member_release);

/*
 * What a claimer may have cached about the member is stale: it changed
 * (member_set) or its owner died. vvp_member_gen() reads it locklessly.
 */
void vvp_member_gen_bump_locked(struct vvp_owner *owner, unsigned int member)
{
	lockdep_assert_held(&owner->lock);
	WRITE_ONCE(owner->state[member].gen, owner->state[member].gen + 1);
}

u32 vvp_member_gen(struct vvp_owner *owner, unsigned int member)
{
	return member < owner->total ? READ_ONCE(owner->state[member].gen) : 0;
}
EXPORT_SYMBOL_GPL(vvp_member_gen);

/* The claimed member's VF, referenced, or NULL when no VF driver said. */
struct pci_dev *vvp_member_vf_get_locked(struct vvp_owner *owner,
					 unsigned int member)
{
	lockdep_assert_held(&owner->lock);
	return member < owner->total ? pci_dev_get(owner->state[member].vf) :
	       NULL;
}
EXPORT_SYMBOL_GPL(vvp_member_vf_get_locked);

/*
 * Lock the owner for a legacy I/O call to the backend about @member, or
 * say why not. Only under the lock, once the owner is known alive, may
 * owner->ops be used: a caller (vvp_vfio_pci) may hold the owner past
 * its backend module's unload, and then ops points into freed memory.
 */
static int vvp_legacy_lock(struct vvp_owner *owner, unsigned int member)
{
	if (!(owner->caps & VVP_CAP_LEGACY_IO))
		return -EOPNOTSUPP;
	mutex_lock(&owner->lock);
	if (!vvp_member_live_locked(owner, member)) {
		mutex_unlock(&owner->lock);
		return -ENODEV;
	}
	return 0;
}

int vvp_legacy_io(struct vvp_owner *owner, unsigned int member,
		  enum vvp_legacy_op op, u8 offset, u8 size, u8 *buf)
{
	int rc;

	if (op >= VVP_LEGACY_NR_OPS)
		return -EINVAL;
	rc = vvp_legacy_lock(owner, member);
	if (rc)
		return rc;
	rc = owner->ops->legacy_io ?
	     owner->ops->legacy_io(owner, member, op, offset, size, buf) :
	     -EOPNOTSUPP;
	mutex_unlock(&owner->lock);
	return rc;
}
EXPORT_SYMBOL_GPL(vvp_legacy_io);

int vvp_legacy_notify(struct vvp_owner *owner, unsigned int member, u16 queue)
{
	int rc;

	rc = vvp_legacy_lock(owner, member);
	if (rc)
		return rc;
	rc = owner->ops->legacy_notify ?
	     owner->ops->legacy_notify(owner, member, queue) : -EOPNOTSUPP;
	mutex_unlock(&owner->lock);
	return rc;
}
EXPORT_SYMBOL_GPL(vvp_legacy_notify);

/*
 * The backend's answer must name a 2-byte register of the VF, naturally
 * aligned, inside a BAR the VF has: the VF's driver maps that BAR and
 * writes the kicks there. Checked here once for every backend; written
 * so that it cannot wrap (offset + 2 > len would, for an offset near
 * U64_MAX).
 */
static int vvp_notify_info_check(struct vvp_owner *owner, unsigned int member,
				 u8 bar, u64 offset)
{
	struct pci_dev *vf = vvp_member_vf_get_locked(owner, member);
	resource_size_t len;
	int rc = 0;

	if (!vf)
		return -ENODEV;
	len = bar < PCI_STD_NUM_BARS ? pci_resource_len(vf, bar) : 0;
	if (len < sizeof(u16) || offset > len - sizeof(u16) ||
	    !IS_ALIGNED(offset, sizeof(u16))) {
		pci_err(vf, "vvp: backend %s puts the legacy notify register at BAR%u offset %#llx, not a 2-byte register of this VF\n",
			owner->backend, bar, offset);
		rc = -EINVAL;
	}
	pci_dev_put(vf);
	return rc;
}

int vvp_legacy_notify_info(struct vvp_owner *owner, unsigned int member,
			   u8 *bar, u64 *offset)
{
	int rc;

	rc = vvp_legacy_lock(owner, member);
	if (rc)
		return rc;
	rc = owner->ops->legacy_notify_info ?
	     owner->ops->legacy_notify_info(owner, member, bar, offset) :
	     -EOPNOTSUPP;
	if (!rc)
		rc = vvp_notify_info_check(owner, member, *bar, *offset);
	mutex_unlock(&owner->lock);
	return rc;
}
EXPORT_SYMBOL_GPL(vvp_legacy_notify_info);

void vvp_member_changed(struct vvp_owner *owner, unsigned int member)
{
	/* the backend's view changed: ask it again, for the notification */
	mutex_lock(&owner->lock);
	if (member < owner->total) {
		spin_lock(&owner->state_lock);
		owner->state[member].cfg_valid = false;
		spin_unlock(&owner->state_lock);
		vvp_nl_member_notify_locked(owner, member, NULL);
	}
	mutex_unlock(&owner->lock);
}
EXPORT_SYMBOL_GPL(vvp_member_changed);

/*
 * An owner's VF appeared or went: once the last of a change has, tell
 * listeners the owner's new member count. VFs are added and removed in
 * index order; NumVFs in the SR-IOV capability has the new count before
 * the first is added, pci_num_vf() the old one until the last is gone.
 */
static int vvp_pci_notifier_call(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct pci_dev *vf = to_pci_dev(data);
	struct vvp_owner *owner;
	unsigned int id;
	u16 num;

	if (!vf->is_virtfn || (action != BUS_NOTIFY_ADD_DEVICE &&
			       action != BUS_NOTIFY_DEL_DEVICE))
		return NOTIFY_DONE;
	owner = vvp_owner_get_by_vf(vf, &id);
	if (!owner)
		return NOTIFY_DONE;
	if (action == BUS_NOTIFY_ADD_DEVICE) {
		pci_read_config_word(owner->pdev,
				     owner->sriov_pos + PCI_SRIOV_NUM_VF, &num);
		if (id + 1 == num)
			vvp_nl_owner_notify(owner, VVP_CMD_OWNER_CHANGE_NTF,
					    min_t(unsigned int, num,
						  owner->total));
	} else if (id + 1 == pci_num_vf(owner->pdev)) {
		vvp_nl_owner_notify(owner, VVP_CMD_OWNER_CHANGE_NTF, 0);
	}
	vvp_owner_put(owner);
	return NOTIFY_DONE;
}

static struct notifier_block vvp_pci_nb = {
	.notifier_call = vvp_pci_notifier_call,
};

static int __init vvp_init(void)
{
	int rc;

	rc = vvp_nl_init();
	if (rc)
		return rc;
	rc = bus_register_notifier(&pci_bus_type, &vvp_pci_nb);
	if (rc)
		goto err_nl;
	rc = vvp_virtio_init();
	if (rc)
		goto err_nb;
	return 0;

err_nb:
	bus_unregister_notifier(&pci_bus_type, &vvp_pci_nb);
err_nl:
	vvp_nl_exit();
	return rc;
}

static void __exit vvp_exit(void)
{
	vvp_virtio_exit();
	/* other backends are modules that use our symbols: already gone */
	WARN_ON(!list_empty(&vvp_owners));
	bus_unregister_notifier(&pci_bus_type, &vvp_pci_nb);
	vvp_nl_exit();
}

module_init(vvp_init);
module_exit(vvp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vvp: admin capabilities of SR-IOV PFs over their VFs");
MODULE_AUTHOR("The vvp developers");
