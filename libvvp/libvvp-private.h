/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef _LIBVVP_PRIVATE_H_
#define _LIBVVP_PRIVATE_H_

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

#include "libvvp.h"

#define VVP_EXPORT __attribute__((visibility("default")))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/*
 * A public getter that returns one field as it is stored:
 *	VVP_GETTER(const char *, vvp_plan_step_get_to, struct vvp_plan_step, to)
 * defines const char *vvp_plan_step_get_to(struct vvp_plan_step *obj). The
 * full name is spelled out, so that grep finds the definition; libvvp.h
 * declares it and libvvp.sym lists it like any other.
 */
#define VVP_GETTER(type, fn, obj_type, field)	\
	VVP_EXPORT type fn(obj_type *obj)		\
	{						\
		return obj->field;			\
	}

/* the context's timeout until set (ctx.c), and netlink's for a 0 (nl.c) */
#define VVP_DEFAULT_TIMEOUT_MS 30000

/* --- logging (log.c) --- */
struct log_ctx {
	vvp_log_fn log_fn;
	int log_priority;
	const char *owner;
};

void vvp_log(struct vvp_ctx *ctx, int priority, const char *file, int line,
	     const char *fn, const char *format, ...) _printf_(6, 7);
/* 0, or -EINVAL when env has a value that is no level (LOG_ERR then) */
int log_init(struct log_ctx *log, const char *owner, const char *env);

#define vvp_log_cond(ctx, prio, ...)					\
	do {								\
		if (vvp_get_log_priority(ctx) >= prio)			\
			vvp_log(ctx, prio, __FILE__, __LINE__, __func__, \
				__VA_ARGS__);				\
	} while (0)

#ifdef ENABLE_LOGGING
#ifdef ENABLE_DEBUG
#define dbg(ctx, ...) vvp_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#else
#define dbg(ctx, ...) do { if (0) vvp_log_cond(ctx, LOG_DEBUG, __VA_ARGS__); } while (0)
#endif
#define info(ctx, ...) vvp_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define err(ctx, ...) vvp_log_cond(ctx, LOG_ERR, __VA_ARGS__)
#else
#define dbg(ctx, ...) do { } while (0)
#define info(ctx, ...) do { } while (0)
#define err(ctx, ...) do { } while (0)
#endif

/* --- objects --- */
struct vvp_vf {
	struct vvp_pf *pf;
	struct vvp_vf *next;
	int index;
	char address[16];
	unsigned int vendor_id, device_id;	/* read on first use */
	bool ids_read;
	char *driver;		/* NULL: unbound */
	char *driver_override;	/* NULL: none */
	int iommu_group;	/* -1: none; read on first use */
	bool group_read;
};

struct vvp_pf {
	struct vvp_ctx *ctx;
	struct vvp_pf *next;
	char address[16];
	unsigned int vendor_id, device_id;
	char *driver;
	char *vendor_name, *device_name;
	bool names_looked_up;
	int total_vfs;
	bool vfs_scanned;
	struct vvp_vf *vfs;
};

/*
 * Tests replace the kernel behind sysfs writes with a model of it (see
 * tests/sysfs/fake-kernel.c): the hook performs the write and its side
 * effects and returns 0 or -errno, exactly as write(2) on sysfs would.
 */
typedef int (*vvp_sysfs_write_hook)(struct vvp_ctx *ctx, const char *path,
				    const char *value, void *data);

struct vvp_ctx {
	struct log_ctx log;	/* first member, as in libcxl */
	int refcount;
	void *userdata;
	char *sysfs_root;
	char *proc_root;
	char *config_dir;	/* vvp.conf and conf.d/ (config.c) */
	char *run_dir;		/* locks and journals (lock.c, apply.c) */
	unsigned int timeout_ms;
	char errbuf[1024];
	enum vvp_reason reason;	/* of the failure in errbuf */
	bool pfs_scanned;
	struct vvp_pf *pfs;
	struct pci_access *pacc;
	struct vfio_snapshot *vfio;	/* vfio_holders.c: who holds /dev/vfio/N */
	/* a driver whose bus/pci/drivers/<name> this context has seen */
	char driver_seen[64];
	vvp_sysfs_write_hook write_hook;
	void *write_hook_data;
	struct vvp_nl *nl;	/* nl.c: generic netlink, NULL until used */
	struct vvp_owner_cache *owners;	/* owner.c: NULL until read */
};

/*
 * ctx.c: every failing call sets the message, "<what> (<why>)", logs it
 * and returns -err. vvp_refuse() is for a refusal whose errno has more
 * than one cause: it also sets the reason (vvp_get_last_reason()).
 */
int vvp_refuse(struct vvp_ctx *ctx, enum vvp_reason reason, int err,
	       const char *fmt, ...) _printf_(4, 5);
#define vvp_fail(ctx, err, ...)						\
	vvp_refuse(ctx, VVP_REASON_NONE, err, __VA_ARGS__)
void vvp_clear_error(struct vvp_ctx *ctx);
/* a failure kept across a rollback, whose own failures must not replace it */
struct vvp_error {
	char msg[1024];
	enum vvp_reason reason;
};
void vvp_error_save(struct vvp_ctx *ctx, struct vvp_error *e);
void vvp_error_restore(struct vvp_ctx *ctx, const struct vvp_error *e);
void vvp_set_sysfs_write_hook(struct vvp_ctx *ctx, vvp_sysfs_write_hook hook,
			      void *data);

/* sysfs.c: paths are relative to the sysfs root unless they start with it */
int sysfs_path(struct vvp_ctx *ctx, char *buf, size_t len, const char *fmt,
	       ...) _printf_(4, 5);
int sysfs_read(struct vvp_ctx *ctx, const char *path, char *buf, size_t len);
int sysfs_read_int(struct vvp_ctx *ctx, const char *path, int *val);
int sysfs_read_hex(struct vvp_ctx *ctx, const char *path, unsigned int *val);
int sysfs_write(struct vvp_ctx *ctx, const char *path, const char *value);
int sysfs_link_name(struct vvp_ctx *ctx, const char *path, char *buf,
		    size_t len);
bool sysfs_exists(struct vvp_ctx *ctx, const char *path);
#define dev_path(ctx, buf, addr, attr)					\
	sysfs_path(ctx, buf, sizeof(buf), "bus/pci/devices/%s/%s", addr, attr)

/*
 * device.c: a PCI device by address, what PFs and VFs share. addr
 * buffers take the canonical form, 16 bytes.
 */
int dev_parse_address(struct vvp_ctx *ctx, const char *address, char *addr);
int dev_find(struct vvp_ctx *ctx, const char *address, char *addr);
int dev_read_driver(struct vvp_ctx *ctx, const char *address, char **driver);
void dev_read_ids(struct vvp_ctx *ctx, const char *address,
		  unsigned int *vendor, unsigned int *device);
int dev_read_physfn(struct vvp_ctx *ctx, const char *address, char *pf,
		    size_t len);
int dev_vf_address(const char *pf, int offset, int stride,
		   unsigned int index, char *buf, size_t len);
int dev_vf_index(const char *pf, int offset, int stride, const char *vf);

/* pciids.c: names from the PCI ID database */
int pciids_names(struct vvp_ctx *ctx, unsigned int vendor,
		 unsigned int device, char **vendor_name, char **device_name);
void pciids_free(struct vvp_ctx *ctx);

/* pf.c / vf.c */
void pf_free_all(struct vvp_ctx *ctx);
struct vvp_pf *pf_lookup(struct vvp_ctx *ctx, const char *addr);
int pf_read_vf_layout(struct vvp_pf *pf, int *offset, int *stride);
void vf_free_all(struct vvp_pf *pf);
struct vvp_vf *pf_vf_by_index(struct vvp_pf *pf, int index);
int vf_lookup(struct vvp_ctx *ctx, const char *addr, const char *pf_addr,
	      struct vvp_vf **vf);
int vf_read(struct vvp_vf *vf);
int vf_read_driver(struct vvp_vf *vf);

/* vfio_holders.c */
int vfio_vf_users(struct vvp_vf *vf, int *pid, char *node, size_t len,
		  bool fresh);
void vfio_snapshot_free(struct vvp_ctx *ctx);

/* --- generic netlink: owners, members, commands, monitor (nl.c ...) --- */
#include <stdint.h>

/* extended ACKs (Linux 4.12+), for headers older than the kernel */
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

struct nlmsghdr;
struct nl_msg;
struct nl_sock;

/*
 * What the kernel sent for an object; a key is known only when its bit
 * (1 << VVP_A_MEMBER_<KEY>) is set in present.
 */
struct vvp_member {
	struct vvp_ctx *ctx;
	struct vvp_owner *owner;	/* NULL: looked up alone or an event */
	struct vvp_member *next;
	uint32_t present;
	char owner_address[32];
	char address[32];
	unsigned int index;
	unsigned char mac[6];
	unsigned int mtu;
	unsigned int max_vq_pairs;
	uint64_t features;
	bool transitional;
	bool busy;
};

struct vvp_owner {
	struct vvp_ctx *ctx;
	struct vvp_owner *next;
	uint32_t present;	/* 1 << VVP_A_OWNER_<KEY> */
	char address[32];
	char backend[32];
	unsigned int caps;
	unsigned int num_members;
	unsigned int total_members;
	bool members_scanned;
	int members_rc;
	struct vvp_member *members;
};

/* the transport: a socket and the family's id */
struct vvp_nl {
	struct nl_sock *sock;
	int family;		/* 0: not resolved yet */
};

/* what was read from the kernel, until vvp_refresh() */
struct vvp_owner_cache {
	bool scanned;
	int rc;			/* the scan's result, repeated to later callers */
	char *err;		/* and its message */
	struct vvp_owner *list;
	struct vvp_member *lone;	/* from vvp_member_find(), one per VF */
};

/* the result of one request, kernel side */
struct vnl_result {
	int error;		/* 0 or -errno the kernel answered */
	bool from_kernel;	/* false: the request did not get there */
	char extack[512];	/* NLMSGERR_ATTR_MSG, "" when none */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, 0 when none */
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: the bad attribute */
	uint16_t bad_type;	/* its type, found in the request; 0: none */
	const char *bad_name;	/* its name, set by the caller that knows */
	bool has_range;		/* NLMSGERR_ATTR_POLICY gave min and max */
	bool dump_intr;		/* NLM_F_DUMP_INTR: the dump may be inconsistent */
	uint64_t min, max;
};

typedef int (*vnl_parse_fn)(struct nlmsghdr *hdr, void *arg);

/* how often a dump the kernel marked NLM_F_DUMP_INTR is read again */
#define DUMP_TRIES 3

/* nl.c */
struct vvp_nl *vnl_state(struct vvp_ctx *ctx);
void vnl_free(struct vvp_ctx *ctx);
int vnl_connect(struct vvp_ctx *ctx, struct nl_sock **sock, int *family);
unsigned int vnl_timeout_ms(struct vvp_ctx *ctx);
void vnl_apply_timeout(struct vvp_ctx *ctx, struct nl_sock *sk);
int vnl_resolve(struct vvp_ctx *ctx);
int vnl_msg_new(struct vvp_ctx *ctx, uint8_t cmd, int flags,
	       struct nl_msg **msg);
int vnl_transact(struct vvp_ctx *ctx, struct nl_msg *msg, vnl_parse_fn parse,
		void *arg, struct vnl_result *res);
int vnl_parse_err(const struct nlmsghdr *hdr, struct vnl_result *res);
int vnl_parse_done(const struct nlmsghdr *hdr, struct vnl_result *res);
int vnl_fail(struct vvp_ctx *ctx, const struct vnl_result *res,
	     const char *fmt, ...) _printf_(3, 4);
void vnl_describe(const struct vnl_result *res, char *buf, size_t len);
uint16_t vnl_attr_at(struct nl_msg *msg, uint32_t offs);

/* owner.c / member.c: one reply message into an object (0 or -EINVAL) */
int owner_parse(struct nlmsghdr *hdr, struct vvp_owner *owner);
void owner_free(struct vvp_owner *owner);
struct vvp_owner *owner_lookup(struct vvp_ctx *ctx, const char *address);
struct vvp_owner_cache *owner_cache(struct vvp_ctx *ctx);
void owner_cache_free(struct vvp_ctx *ctx);
int member_parse(struct nlmsghdr *hdr, struct vvp_member *member);
void member_free_list(struct vvp_member *m);

/* monitor.c: a monitor on a socket (taken over), a datagram into events */
int monitor_new_on(struct vvp_ctx *ctx, struct nl_sock *sk, int family,
		   struct vvp_monitor **monitor);
void monitor_take(struct vvp_monitor *monitor, const void *buf, size_t len);

#endif /* _LIBVVP_PRIVATE_H_ */
