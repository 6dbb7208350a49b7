// SPDX-License-Identifier: GPL-2.0-only
/*
 * vvp_sim debugfs: per attached PF, /sys/kernel/debug/vvp_sim/<PF>/
 *
 *   counters/<kind>        commands attempted, per kind (common_read,
 *                          common_write, device_read, device_write, notify,
 *                          member_get, member_set), failed ones included
 *   counters/injected      failures injected so far
 *   counters/registers     "kind offset count bytes" lines: legacy commands
 *                          per register (offset in the common or device
 *                          config) and the bytes they moved
 *   fail_next              the next N commands of fail_kind fail ...
 *   fail_skip              ... after the first N of them passed (so that
 *                          fail_skip N-1, fail_next 1 fails the Nth one)
 *   fail_errno             ... with -fail_errno (default EIO)
 *   fail_kind              a kind above, or "any" (default)
 *   delay_ms               every command first sleeps this long
 *   surprise_remove        write 1: the owner goes, as if the PF vanished
 *   busy_member            write N: claim member N (vvp_member_claim());
 *                          write -1: release all; read: claimed members
 *   notify_bar, _offset    what legacy_notify_info answers (-1: none)
 *   members/<N>/regs       legacy register file and provisioning of VF N
 *   members/<N>/notifies   "queue count" lines: notifies per virtqueue
 *   members/<N>/raise_isr  write ISR bits (1, 2, 3): the device raises them
 *
 * Knobs with a check on write or a lock use DEFINE_DEBUGFS_ATTRIBUTE;
 * the files are removed before the sim is freed, which waits for their
 * handlers, so the handlers may use the sim freely.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/virtio_pci.h>

#include "vvp_sim.h"

const char * const sim_cmd_names[SIM_CMD_NR + 1] = {
	[SIM_CMD_COMMON_READ] = "common_read",
	[SIM_CMD_COMMON_WRITE] = "common_write",
	[SIM_CMD_DEVICE_READ] = "device_read",
	[SIM_CMD_DEVICE_WRITE] = "device_write",
	[SIM_CMD_NOTIFY] = "notify",
	[SIM_CMD_MEMBER_GET] = "member_get",
	[SIM_CMD_MEMBER_SET] = "member_set",
	[SIM_CMD_ANY] = "any",
};

static struct dentry *sim_debugfs_root;

/* --- counters --- */

static int sim_counter_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_counter_fops, sim_counter_get, NULL, "%llu\n");

/* --- fault injection --- */

/* a u32 knob of the sim under its fault_lock */
static u64 sim_fault_read(struct vvp_sim *sim, const u32 *knob)
{
	u32 val;

	spin_lock(&sim->fault_lock);
	val = *knob;
	spin_unlock(&sim->fault_lock);
	return val;
}

static int sim_fault_write(struct vvp_sim *sim, u32 *knob, u64 val)
{
	if (val > U32_MAX)
		return -ERANGE;
	spin_lock(&sim->fault_lock);
	*knob = val;
	spin_unlock(&sim->fault_lock);
	return 0;
}

static int sim_fail_next_get(void *data, u64 *val)
{
	struct vvp_sim *sim = data;

	*val = sim_fault_read(sim, &sim->fail_next);
	return 0;
}

static int sim_fail_next_set(void *data, u64 val)
{
	struct vvp_sim *sim = data;

	return sim_fault_write(sim, &sim->fail_next, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_fail_next_fops, sim_fail_next_get,
			 sim_fail_next_set, "%llu\n");

static int sim_fail_skip_get(void *data, u64 *val)
{
	struct vvp_sim *sim = data;

	*val = sim_fault_read(sim, &sim->fail_skip);
	return 0;
}

static int sim_fail_skip_set(void *data, u64 val)
{
	struct vvp_sim *sim = data;

	return sim_fault_write(sim, &sim->fail_skip, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_fail_skip_fops, sim_fail_skip_get,
			 sim_fail_skip_set, "%llu\n");

static int sim_fail_errno_get(void *data, u64 *val)
{
	struct vvp_sim *sim = data;

	spin_lock(&sim->fault_lock);
	*val = sim->fail_errno;
	spin_unlock(&sim->fault_lock);
	return 0;
}

/*
 * A positive errno that user space knows: 512 and up (ERESTARTSYS,
 * ENOTSUPP, EPROBE_DEFER, ...) are the kernel's own, must never reach a
 * system call's caller, and would make the core report nonsense.
 */
#define SIM_ERRNO_MAX	(ERESTARTSYS - 1)

static int sim_fail_errno_set(void *data, u64 val)
{
	struct vvp_sim *sim = data;

	if (!val || val > SIM_ERRNO_MAX)
		return -EINVAL;
	spin_lock(&sim->fault_lock);
	sim->fail_errno = val;
	spin_unlock(&sim->fault_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_fail_errno_fops, sim_fail_errno_get,
			 sim_fail_errno_set, "%llu\n");

static int sim_delay_ms_get(void *data, u64 *val)
{
	struct vvp_sim *sim = data;

	*val = READ_ONCE(sim->delay_ms);
	return 0;
}

static int sim_delay_ms_set(void *data, u64 val)
{
	struct vvp_sim *sim = data;

	if (val > SIM_DELAY_MAX_MS)
		return -ERANGE;
	WRITE_ONCE(sim->delay_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_delay_ms_fops, sim_delay_ms_get,
			 sim_delay_ms_set, "%llu\n");

static int sim_fail_kind_show(struct seq_file *s, void *unused)
{
	struct vvp_sim *sim = s->private;
	u32 kind;

	spin_lock(&sim->fault_lock);
	kind = sim->fail_kind;
	spin_unlock(&sim->fault_lock);
	seq_printf(s, "%s\n", sim_cmd_names[kind]);
	return 0;
}

static int sim_fail_kind_open(struct inode *inode, struct file *file)
{
	return single_open(file, sim_fail_kind_show, inode->i_private);
}

static ssize_t sim_fail_kind_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct vvp_sim *sim = ((struct seq_file *)file->private_data)->private;
	char buf[32];
	int kind;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	kind = sysfs_match_string(sim_cmd_names, buf);
	if (kind < 0)
		return kind;
	spin_lock(&sim->fault_lock);
	sim->fail_kind = kind;
	spin_unlock(&sim->fault_lock);
	return count;
}

static const struct file_operations sim_fail_kind_fops = {
	.owner = THIS_MODULE,
	.open = sim_fail_kind_open,
	.read = seq_read,
	.write = sim_fail_kind_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * Only the owner goes here; the debugfs directory (this file's parent)
 * goes from a work item, as removing it from inside this write would
 * wait for the write itself.
 */
static int sim_surprise_remove_set(void *data, u64 val)
{
	if (val != 1)
		return -EINVAL;
	return sim_surprise_remove(data);
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_surprise_remove_fops, NULL,
			 sim_surprise_remove_set, "%llu\n");

/*
 * --- notify_bar, notify_offset: what legacy_notify_info answers ---
 * A notify_bar of -1 (the default) answers "not supported"; any other
 * pair is answered as it is, unchecked, as a faulty owner would: the core
 * must refuse what is not a register of the VF.
 */
static int sim_notify_bar_get(void *data, u64 *val)
{
	struct vvp_sim *sim = data;

	spin_lock(&sim->fault_lock);
	*val = (s64)sim->notify_bar;
	spin_unlock(&sim->fault_lock);
	return 0;
}

static int sim_notify_bar_set(void *data, u64 val)
{
	struct vvp_sim *sim = data;
	s64 bar = val;

	if (bar < -1 || bar > U8_MAX)
		return -ERANGE;
	spin_lock(&sim->fault_lock);
	sim->notify_bar = bar;
	spin_unlock(&sim->fault_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(sim_notify_bar_fops, sim_notify_bar_get,
				sim_notify_bar_set, "%lld\n");

static int sim_notify_offset_get(void *data, u64 *val)
{
	struct vvp_sim *sim = data;

	spin_lock(&sim->fault_lock);
	*val = sim->notify_offset;
	spin_unlock(&sim->fault_lock);
	return 0;
}

static int sim_notify_offset_set(void *data, u64 val)
{
	struct vvp_sim *sim = data;

	spin_lock(&sim->fault_lock);
	sim->notify_offset = val;
	spin_unlock(&sim->fault_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_notify_offset_fops, sim_notify_offset_get,
			 sim_notify_offset_set, "%#llx\n");

/* --- counters/registers: legacy commands by register --- */

static int sim_reg_counters_show(struct seq_file *s, void *unused)
{
	struct vvp_sim *sim = s->private;
	unsigned int op, off;
	s64 n;

	for (op = 0; op < VVP_LEGACY_NR_OPS; op++)
		for (off = 0; off < SIM_REG_OFFSETS; off++) {
			n = atomic64_read(&sim->reg_counters[op][off]);
			if (n)
				seq_printf(s, "%s %u %lld %lld\n",
					   sim_cmd_names[op], off, n,
					   atomic64_read(&sim->reg_bytes[op][off]));
		}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_reg_counters);

/* --- busy_member --- */

static int sim_busy_show(struct seq_file *s, void *unused)
{
	struct vvp_sim *sim = s->private;
	unsigned int i;

	mutex_lock(&sim->lock);
	for (i = 0; i < sim->num_members; i++)
		if (sim->members[i].claimed)
			seq_printf(s, "%u\n", i);
	mutex_unlock(&sim->lock);
	return 0;
}

static int sim_busy_open(struct inode *inode, struct file *file)
{
	return single_open(file, sim_busy_show, inode->i_private);
}

static ssize_t sim_busy_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct vvp_sim *sim = ((struct seq_file *)file->private_data)->private;
	int index, err;

	err = kstrtoint_from_user(ubuf, count, 0, &index);
	if (err)
		return err;
	if (index == -1) {
		sim_busy_release_all(sim);
		return count;
	}
	if (index < 0)
		return -EINVAL;
	err = sim_busy_claim(sim, index);
	return err ?: count;
}

static const struct file_operations sim_busy_fops = {
	.owner = THIS_MODULE,
	.open = sim_busy_open,
	.read = seq_read,
	.write = sim_busy_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* --- members --- */

static int sim_regs_seq_show(struct seq_file *s, void *unused)
{
	struct sim_member *m = s->private;

	mutex_lock(&m->sim->state_lock);
	sim_regs_show(s, m);
	mutex_unlock(&m->sim->state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_regs_seq);

static int sim_notifies_seq_show(struct seq_file *s, void *unused)
{
	struct sim_member *m = s->private;

	mutex_lock(&m->sim->state_lock);
	sim_notifies_show(s, m);
	mutex_unlock(&m->sim->state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_notifies_seq);

/* write a mask of ISR bits: the device raises them (sim_raise_isr()) */
static int sim_raise_isr_set(void *data, u64 val)
{
	struct sim_member *m = data;

	if (!val || val > (BIT(0) | VIRTIO_PCI_ISR_CONFIG))
		return -EINVAL;
	mutex_lock(&m->sim->state_lock);
	sim_raise_isr(m, val);
	mutex_unlock(&m->sim->state_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sim_raise_isr_fops, NULL, sim_raise_isr_set,
			 "%llu\n");

/* --- directories --- */

void sim_debugfs_init(struct vvp_sim *sim)
{
	struct dentry *dir, *mdir;
	char name[16];
	unsigned int i;

	sim->ddir = debugfs_create_dir(pci_name(sim->pdev), sim_debugfs_root);

	dir = debugfs_create_dir("counters", sim->ddir);
	for (i = 0; i < SIM_CMD_NR; i++)
		debugfs_create_file_unsafe(sim_cmd_names[i], 0444, dir,
					   &sim->counters[i],
					   &sim_counter_fops);
	debugfs_create_file_unsafe("injected", 0444, dir, &sim->injected,
				   &sim_counter_fops);
	debugfs_create_file("registers", 0444, dir, sim,
			    &sim_reg_counters_fops);

	debugfs_create_file_unsafe("fail_next", 0600, sim->ddir, sim,
				   &sim_fail_next_fops);
	debugfs_create_file_unsafe("fail_skip", 0600, sim->ddir, sim,
				   &sim_fail_skip_fops);
	debugfs_create_file_unsafe("fail_errno", 0600, sim->ddir, sim,
				   &sim_fail_errno_fops);
	debugfs_create_file("fail_kind", 0600, sim->ddir, sim,
			    &sim_fail_kind_fops);
	debugfs_create_file_unsafe("delay_ms", 0600, sim->ddir, sim,
				   &sim_delay_ms_fops);
	debugfs_create_file_unsafe("surprise_remove", 0200, sim->ddir, sim,
				   &sim_surprise_remove_fops);
	debugfs_create_file("busy_member", 0600, sim->ddir, sim,
			    &sim_busy_fops);
	debugfs_create_file_unsafe("notify_bar", 0600, sim->ddir, sim,
				   &sim_notify_bar_fops);
	debugfs_create_file_unsafe("notify_offset", 0600, sim->ddir, sim,
				   &sim_notify_offset_fops);

	dir = debugfs_create_dir("members", sim->ddir);
	for (i = 0; i < sim->num_members; i++) {
		snprintf(name, sizeof(name), "%u", i);
		mdir = debugfs_create_dir(name, dir);
		debugfs_create_file("regs", 0444, mdir, &sim->members[i],
				    &sim_regs_seq_fops);
		debugfs_create_file("notifies", 0444, mdir, &sim->members[i],
				    &sim_notifies_seq_fops);
		debugfs_create_file_unsafe("raise_isr", 0200, mdir,
					   &sim->members[i],
					   &sim_raise_isr_fops);
	}
}

/* waits for the handlers running on the sim's files */
void sim_debugfs_exit(struct vvp_sim *sim)
{
	debugfs_remove_recursive(sim->ddir);
	sim->ddir = NULL;
}

void sim_debugfs_create_root(void)
{
	sim_debugfs_root = debugfs_create_dir("vvp_sim", NULL);
}

void sim_debugfs_destroy_root(void)
{
	debugfs_remove_recursive(sim_debugfs_root);
	sim_debugfs_root = NULL;
}
