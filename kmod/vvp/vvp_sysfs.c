// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read-only sysfs view of an owner, under its PCI device:
 *   <pf>/vvp/{backend,caps,num_members,total_members}
 *   <pf>/vvp/members/<index>/{address,mac,mtu,max_vq_pairs,features,
 *                             transitional,busy}
 * Provisioning files exist only when the backend has the capability.
 */
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "vvp_core.h"

#define to_owner(k) container_of(k, struct vvp_owner, kobj)
#define to_mkobj(k) container_of(k, struct vvp_member_kobj, kobj)

static ssize_t backend_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_owner(kobj)->backend);
}

static ssize_t caps_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	unsigned long caps = to_owner(kobj)->caps;
	unsigned int bit;
	int len = 0;

	for_each_set_bit(bit, &caps, BITS_PER_TYPE(u32))
		len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
				     vvp_cap_name(bit));
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static ssize_t num_members_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vvp_owner_num_members(to_owner(kobj)));
}

static ssize_t total_members_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_owner(kobj)->total);
}

static struct kobj_attribute owner_attr_backend = __ATTR_RO(backend);
static struct kobj_attribute owner_attr_caps = __ATTR_RO(caps);
static struct kobj_attribute owner_attr_num_members = __ATTR_RO(num_members);
static struct kobj_attribute owner_attr_total_members = __ATTR_RO(total_members);

static struct attribute *vvp_owner_attrs[] = {
	&owner_attr_backend.attr,
	&owner_attr_caps.attr,
	&owner_attr_num_members.attr,
	&owner_attr_total_members.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vvp_owner);

const struct kobj_type vvp_owner_ktype = {
	.release = vvp_owner_release,	/* frees the owner: vvp_main.c */
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = vvp_owner_groups,
};

/*
 * A member file's value, from the core's copy: the files are 0444, and
 * no local user may stall a guest's legacy I/O, which waits for the
 * owner's lock (vvp_member_snapshot()).
 */
enum member_field {
	FIELD_MAC,
	FIELD_MTU,
	FIELD_MAX_VQ_PAIRS,
	FIELD_FEATURES,
	FIELD_TRANSITIONAL,
	FIELD_BUSY,
};

struct member_attribute {
	struct kobj_attribute attr;
	enum member_field field;
	u32 cap;		/* visible only when the backend has it */
};

static ssize_t member_field_show(struct kobject *kobj,
				 struct kobj_attribute *kattr, char *buf)
{
	struct member_attribute *ma =
		container_of(kattr, struct member_attribute, attr);
	struct vvp_member_kobj *mk = to_mkobj(kobj);
	struct vvp_owner *owner = mk->owner;
	struct vvp_member_snap snap;
	struct vvp_member_cfg *cfg = &snap.cfg;
	int rc;

	rc = vvp_member_snapshot(owner, mk->index, &snap);
	if (rc)
		return rc;	/* -ENODEV: that VF is not enabled */

	switch (ma->field) {
	case FIELD_MAC:
		return sysfs_emit(buf, "%pM\n", cfg->mac);
	case FIELD_MTU:
		return sysfs_emit(buf, "%u\n", cfg->mtu);
	case FIELD_MAX_VQ_PAIRS:
		return sysfs_emit(buf, "%u\n", cfg->max_vq_pairs);
	case FIELD_FEATURES:
		return sysfs_emit(buf, "0x%016llx\n", cfg->features);
	case FIELD_TRANSITIONAL:
		return sysfs_emit(buf, "%d\n", cfg->transitional);
	case FIELD_BUSY:
		return sysfs_emit(buf, "%d\n", snap.busy);
	}
	return -EINVAL;
}

static ssize_t address_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct vvp_member_kobj *mk = to_mkobj(kobj);
	char addr[VVP_NAME_LEN];
	int rc;

	rc = vvp_member_address(mk->owner, mk->index, addr, sizeof(addr));
	return rc ? rc : sysfs_emit(buf, "%s\n", addr);
}

#define MEMBER_ATTR(_name, _field, _cap)				\
	static struct member_attribute member_attr_##_name = {		\
		.attr = __ATTR(_name, 0444, member_field_show, NULL),	\
		.field = _field,					\
		.cap = _cap,						\
	}

MEMBER_ATTR(mac, FIELD_MAC, VVP_CAP_MAC);
MEMBER_ATTR(mtu, FIELD_MTU, VVP_CAP_MTU);
MEMBER_ATTR(max_vq_pairs, FIELD_MAX_VQ_PAIRS, VVP_CAP_MAX_VQ_PAIRS);
MEMBER_ATTR(features, FIELD_FEATURES, VVP_CAP_FEATURES);
MEMBER_ATTR(transitional, FIELD_TRANSITIONAL, VVP_CAP_TRANSITIONAL);
MEMBER_ATTR(busy, FIELD_BUSY, 0);
static struct kobj_attribute member_attr_address = __ATTR_RO(address);

static struct attribute *vvp_member_attrs[] = {
	&member_attr_address.attr,
	&member_attr_mac.attr.attr,
	&member_attr_mtu.attr.attr,
	&member_attr_max_vq_pairs.attr.attr,
	&member_attr_features.attr.attr,
	&member_attr_transitional.attr.attr,
	&member_attr_busy.attr.attr,
	NULL,
};

static umode_t vvp_member_attr_visible(struct kobject *kobj,
				       struct attribute *a, int n)
{
	struct vvp_owner *owner = to_mkobj(kobj)->owner;
	struct member_attribute *ma;

	if (a == &member_attr_address.attr)
		return a->mode;
	ma = container_of(a, struct member_attribute, attr.attr);
	return !ma->cap || (owner->caps & ma->cap) ? a->mode : 0;
}

static const struct attribute_group vvp_member_group = {
	.attrs = vvp_member_attrs,
	.is_visible = vvp_member_attr_visible,
};

static const struct attribute_group *vvp_member_groups[] = {
	&vvp_member_group,
	NULL,
};

static void vvp_member_kobj_release(struct kobject *kobj)
{
	kfree(to_mkobj(kobj));
}

const struct kobj_type vvp_member_ktype = {
	.release = vvp_member_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = vvp_member_groups,
};

static void vvp_members_del(struct vvp_owner *owner)
{
	unsigned int i;

	for (i = 0; i < owner->total; i++) {
		if (!owner->mkobjs[i])
			continue;
		if (owner->mkobjs[i]->kobj.state_in_sysfs)
			kobject_del(&owner->mkobjs[i]->kobj);
		kobject_put(&owner->mkobjs[i]->kobj);
		owner->mkobjs[i] = NULL;
	}
	kobject_put(owner->members_kobj);	/* deletes it too */
	owner->members_kobj = NULL;
}

/* The owner's kobject is initialised, not yet added. */
int vvp_sysfs_add(struct vvp_owner *owner)
{
	unsigned int i;
	int rc;

	rc = kobject_add(&owner->kobj, &owner->pdev->dev.kobj, "vvp");
	if (rc)
		return rc;
	owner->members_kobj = kobject_create_and_add("members", &owner->kobj);
	if (!owner->members_kobj) {
		rc = -ENOMEM;
		goto err_owner;
	}
	for (i = 0; i < owner->total; i++) {
		struct vvp_member_kobj *mk = kzalloc(sizeof(*mk), GFP_KERNEL);

		if (!mk) {
			rc = -ENOMEM;
			goto err_members;
		}
		mk->owner = owner;
		mk->index = i;
		kobject_init(&mk->kobj, &vvp_member_ktype);
		owner->mkobjs[i] = mk;
		rc = kobject_add(&mk->kobj, owner->members_kobj, "%u", i);
		if (rc)
			goto err_members;
	}
	return 0;

err_members:
	vvp_members_del(owner);
err_owner:
	kobject_del(&owner->kobj);
	return rc;
}

void vvp_sysfs_del(struct vvp_owner *owner)
{
	vvp_members_del(owner);
	kobject_del(&owner->kobj);
}
