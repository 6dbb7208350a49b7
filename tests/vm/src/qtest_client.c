// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qtest_client - QEMU's own vfio-pci as the client of a VF: start QEMU
 * (TCG, -S: no guest code runs) with the devices assigned, and play the
 * guest CPU over the qtest text protocol (QEMU's stdin/stdout): config
 * cycles through 0xcf8/0xcfc, BAR sizing and assignment, port I/O to the
 * legacy virtio registers, MSI-X table writes and MSI-X enable (QEMU then
 * calls VFIO_DEVICE_SET_IRQS).
 *
 *   qtest_client [OPTIONS] --legacy BDF [--legacy BDF] [--plain BDF]...
 *	each --legacy device must probe as a legacy virtio-net device, each
 *	--plain device must show its own IDs (from sysfs) and memory BAR0,
 *	all in one QEMU. Options for the legacy devices: --mac MAC,
 *	--features HEX (host features, exact), --bar0-size N, --queues N,
 *	--queue-size N; --while CMD runs CMD (sh -c) while QEMU still holds
 *	the devices and reports its exit status as a check; --raise-isr
 *	BITS CMD runs CMD (which must make the device raise ISR BITS) after
 *	DRIVER_OK: the ISR must read BITS, then 0 (with --diff: on BDF only).
 *   qtest_client --linux BDF
 *	only the BAR0 accesses of Linux's legacy virtio-net probe
 *	(linux_probe.h) through QEMU, MSI-X on; prints "linux-probe
 *	accesses=N" for the scenario to set against the owner's commands.
 *   qtest_client --diff REF BDF
 *	the same legacy register sequence against both (one QEMU); every
 *	observation the virtio 0.9.5 spec fixes must agree, except those in
 *	allowed[] below (each with its reason).
 *
 * One line per check, "ok - what" or "not ok - what: why", "# ..." notes;
 * exit 1 when a check failed. Built static for the VM guest.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/virtio_pci.h>

#include "linux_probe.h"
#include "probe_result.h"

#define QEMU		"/usr/bin/qemu-system-x86_64"
#define MAX_DEVS	4
#define MAX_OBS		64
#define IO_BASE		0xc000
#define MEM_BASE	0xc0000000u
#define MSI_ADDR	0xfee00000u
#define NET_F_MAC	(1u << 5)
#define NET_F_STATUS	(1u << 16)
#define LINUX_ONLY	2	/* struct dev legacy: --linux */

struct obs {
	const char *key;
	uint64_t val;
};

struct dev {
	const char *bdf;	/* host address, as passed to vfio-pci */
	int slot;		/* the inner machine's 00:slot.0 */
	int legacy;		/* 0: --plain, 1: --legacy, LINUX_ONLY */
	uint32_t bar_addr[6];	/* assigned (low 32 bits) */
	uint64_t bar_size[6];
	int bar_io[6];
	int msix;		/* capability offset, 0 if none */
	struct obs obs[MAX_OBS];
	int nobs;
};

static struct dev devs[MAX_DEVS];
static int ndevs, is_diff;
/* --raise-isr: raises ISR bits isr_bits of the device under test */
static const char *raise_isr_cmd;
static unsigned int isr_bits;
static FILE *qin, *qout;
static pid_t qpid;
static char qerr[] = "/tmp/qtest_client.XXXXXX";

/* ---- QEMU and the qtest protocol ------------------------------------------ */

static void qemu_start(void)
{
	char *argv[64], devarg[MAX_DEVS][96];
	int in[2], out[2], n = 0, efd;

	efd = mkstemp(qerr);
	if (efd < 0 || pipe(in) || pipe(out)) {
		perror("qtest_client: setup");
		exit(1);
	}
	const char *fixed[] = { QEMU, "-L", "/usr/share/qemu", "-accel", "tcg",
		"-S", "-qtest", "stdio", "-qtest-log", "/dev/null", "-display",
		"none", "-nodefaults", "-m", "64M", "-machine", "q35", NULL };
	for (int i = 0; fixed[i]; i++)
		argv[n++] = (char *)fixed[i];
	for (int i = 0; i < ndevs; i++) {
		snprintf(devarg[i], sizeof(devarg[i]), "vfio-pci,host=%s,addr=%#x",
			 devs[i].bdf, devs[i].slot);
		argv[n++] = "-device";
		argv[n++] = devarg[i];
	}
	argv[n] = NULL;
	qpid = fork();
	if (qpid < 0) {
		perror("qtest_client: fork");
		exit(1);
	}
	if (!qpid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(efd, 2);
		close(in[1]);
		close(out[0]);
		execv(QEMU, argv);
		perror(QEMU);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(efd);
	qin = fdopen(in[1], "w");
	qout = fdopen(out[0], "r");
}

/* QEMU's stderr, one line, for a failure message */
static const char *qemu_stderr(void)
{
	static char buf[512];
	FILE *f = fopen(qerr, "r");
	size_t n = 0;
	char line[256];

	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, "g_timer_elapsed"))	/* QEMU 10 at exit */
			continue;
		line[strcspn(line, "\n")] = ' ';
		n += snprintf(buf + n, sizeof(buf) - n, "%s", line);
		if (n >= sizeof(buf) - 1)
			break;
	}
	if (f)
		fclose(f);
	return buf[0] ? buf : "(nothing on stderr)";
}

static int qemu_stop(void)
{
	int st = 0;

	if (qin)
		fclose(qin);
	kill(qpid, SIGTERM);
	waitpid(qpid, &st, 0);
	if (qout)
		fclose(qout);
	qin = qout = NULL;
	return st;
}

/* one command, its answer: 0 and *val on "OK [val]", -1 on FAIL or EOF */
static int qcmd(uint64_t *val, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int qcmd(uint64_t *val, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vfprintf(qin, fmt, ap);
	va_end(ap);
	fputc('\n', qin);
	fflush(qin);
	while (fgets(line, sizeof(line), qout)) {
		if (!strncmp(line, "IRQ", 3))
			continue;
		if (strncmp(line, "OK", 2))
			return -1;
		if (val)
			*val = strtoull(line + 2, NULL, 0);
		return 0;
	}
	result(0, "QEMU runs with the devices assigned (it exited: %s)",
	       qemu_stderr());
	exit(1);
}

static const char *sfx(int size)
{
	return size == 1 ? "b" : size == 2 ? "w" : "l";
}

static uint32_t pin(int size, uint32_t port)
{
	uint64_t v = ~0ull;

	qcmd(&v, "in%s %#x", sfx(size), port);
	return v;
}

static int pout(int size, uint32_t port, uint32_t val)
{
	return qcmd(NULL, "out%s %#x %#x", sfx(size), port, val);
}

static uint32_t cfg_addr(const struct dev *d, int off)
{
	return 0x80000000u | d->slot << 11 | (off & 0xfc);
}

static uint32_t cfg_rd(const struct dev *d, int off, int size)
{
	pout(4, 0xcf8, cfg_addr(d, off));
	return pin(size, 0xcfc + (off & 3));
}

static void cfg_wr(const struct dev *d, int off, int size, uint32_t val)
{
	pout(4, 0xcf8, cfg_addr(d, off));
	pout(size, 0xcfc + (off & 3), val);
}

static void mem_wr32(uint64_t addr, uint32_t val)
{
	qcmd(NULL, "writel %#llx %#x", (unsigned long long)addr, val);
}

/* ---- observations ---------------------------------------------------------- */

static void obs(struct dev *d, const char *key, uint64_t val)
{
	if (d->nobs < MAX_OBS)
		d->obs[d->nobs++] = (struct obs){ key, val };
	printf("# %s %s %#llx\n", d->bdf, key, (unsigned long long)val);
}

static int obs_get(const struct dev *d, const char *key, uint64_t *val)
{
	for (int i = 0; i < d->nobs; i++)
		if (!strcmp(d->obs[i].key, key)) {
			*val = d->obs[i].val;
			return 0;
		}
	return -1;
}

/* ---- PCI: BARs, capabilities -------------------------------------------------- */

/* size every BAR, give it an address, enable I/O, memory and bus master */
static void assign_bars(struct dev *d, uint32_t *io, uint32_t *mem)
{
	for (int b = 0; b < 6; b++) {
		int off = PCI_BASE_ADDRESS_0 + 4 * b;
		uint32_t orig = cfg_rd(d, off, 4), mask, is64;
		uint64_t size;

		cfg_wr(d, off, 4, 0xffffffff);
		mask = cfg_rd(d, off, 4);
		cfg_wr(d, off, 4, orig);
		if (!mask)
			continue;
		d->bar_io[b] = mask & PCI_BASE_ADDRESS_SPACE_IO;
		if (d->bar_io[b]) {
			size = (uint16_t)~(mask & PCI_BASE_ADDRESS_IO_MASK) + 1;
			*io = (*io + size - 1) & ~(size - 1);
			d->bar_addr[b] = *io;
			*io += size;
		} else {
			size = (uint32_t)~(mask & PCI_BASE_ADDRESS_MEM_MASK) + 1;
			if (size < 0x1000)
				size = 0x1000;
			*mem = (*mem + size - 1) & ~(size - 1);
			d->bar_addr[b] = *mem;
			*mem += size;
		}
		d->bar_size[b] = size;
		is64 = !d->bar_io[b] &&
		       (mask & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64;
		cfg_wr(d, off, 4, d->bar_addr[b]);
		printf("# %s BAR%d %s size %#llx at %#x\n", d->bdf, b,
		       d->bar_io[b] ? "I/O" : is64 ? "MEM64" : "MEM32",
		       (unsigned long long)size, d->bar_addr[b]);
		if (is64)
			cfg_wr(d, off + 4, 4, 0), b++;
	}
	cfg_wr(d, PCI_COMMAND, 2, cfg_rd(d, PCI_COMMAND, 2) | PCI_COMMAND_IO |
	       PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

static int find_cap(const struct dev *d, int id)
{
	int pos, n = 48;

	if (!(cfg_rd(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	for (pos = cfg_rd(d, PCI_CAPABILITY_LIST, 1) & ~3; pos && n--;
	     pos = cfg_rd(d, pos + PCI_CAP_LIST_NEXT, 1) & ~3)
		if (cfg_rd(d, pos + PCI_CAP_LIST_ID, 1) == (uint32_t)id)
			return pos;
	return 0;
}

/* the vectors the host kernel gave vfio for this device (/proc/interrupts) */
static int host_msix_vectors(const char *bdf)
{
	char line[1024], pat[64];
	FILE *f = fopen("/proc/interrupts", "r");
	int n = 0;

	snprintf(pat, sizeof(pat), "vfio-msix[");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, pat) && strstr(line, bdf))
			n++;
	if (f)
		fclose(f);
	return n;
}

/*
 * MSI-X on, as a guest driver does it: program the first two table
 * entries (unmasked), then set Enable in Message Control. QEMU's vfio-pci
 * maps each unmasked vector with VFIO_DEVICE_SET_IRQS.
 */
static void msix_enable(struct dev *d, int on)
{
	uint32_t tbl, ctrl;
	uint64_t base;
	int bir;

	if (!d->msix)
		return;
	ctrl = cfg_rd(d, d->msix + PCI_MSIX_FLAGS, 2);
	if (on) {
		tbl = cfg_rd(d, d->msix + PCI_MSIX_TABLE, 4);
		bir = tbl & PCI_MSIX_TABLE_BIR;
		base = d->bar_addr[bir] + (tbl & PCI_MSIX_TABLE_OFFSET);
		for (int e = 0; e < 2; e++) {
			mem_wr32(base + 16 * e + PCI_MSIX_ENTRY_LOWER_ADDR, MSI_ADDR);
			mem_wr32(base + 16 * e + PCI_MSIX_ENTRY_UPPER_ADDR, 0);
			mem_wr32(base + 16 * e + PCI_MSIX_ENTRY_DATA, 0x40 + e);
			mem_wr32(base + 16 * e + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
		}
		ctrl = (ctrl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL;
	} else {
		ctrl &= ~PCI_MSIX_FLAGS_ENABLE;
	}
	cfg_wr(d, d->msix + PCI_MSIX_FLAGS, 2, ctrl);
}

/* ---- the legacy register sequence ----------------------------------------------- */

static uint64_t read_mac(uint32_t at)
{
	uint64_t mac = 0;

	for (int i = 0; i < 6; i++)
		mac = mac << 8 | (pin(1, at + i) & 0xff);
	return mac;
}

static void seq_config(struct dev *d)
{
	obs(d, "config.vendor", cfg_rd(d, PCI_VENDOR_ID, 2));
	obs(d, "config.device", cfg_rd(d, PCI_DEVICE_ID, 2));
	obs(d, "config.revision", cfg_rd(d, PCI_REVISION_ID, 1));
	obs(d, "config.class", cfg_rd(d, PCI_CLASS_REVISION, 4) >> 8);
	obs(d, "config.subsystem_vendor", cfg_rd(d, PCI_SUBSYSTEM_VENDOR_ID, 2));
	obs(d, "config.subsystem", cfg_rd(d, PCI_SUBSYSTEM_ID, 2));
	obs(d, "bar0.io", d->bar_io[0]);
	obs(d, "bar0.size", d->bar_size[0]);
	obs(d, "bar0.base_taken",
	    (cfg_rd(d, PCI_BASE_ADDRESS_0, 4) & PCI_BASE_ADDRESS_IO_MASK) ==
	    d->bar_addr[0] && d->bar_addr[0]);
	obs(d, "msix.capability", !!d->msix);
	if (d->msix)
		obs(d, "msix.table_size",
		    (cfg_rd(d, d->msix + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_QSIZE) + 1);
}

static void seq_status_features(struct dev *d, uint32_t p)
{
	uint32_t host, want;

	pout(1, p + VIRTIO_PCI_STATUS, 0);
	obs(d, "status.after_reset", pin(1, p + VIRTIO_PCI_STATUS));
	obs(d, "isr.after_reset", pin(1, p + VIRTIO_PCI_ISR));
	pout(1, p + VIRTIO_PCI_STATUS, 1);
	obs(d, "status.acknowledge", pin(1, p + VIRTIO_PCI_STATUS));
	pout(1, p + VIRTIO_PCI_STATUS, 3);
	obs(d, "status.driver", pin(1, p + VIRTIO_PCI_STATUS));
	host = pin(4, p + VIRTIO_PCI_HOST_FEATURES);
	obs(d, "features.host", host);
	obs(d, "features.host_has_mac", !!(host & NET_F_MAC));
	pout(4, p + VIRTIO_PCI_HOST_FEATURES, ~host);
	obs(d, "features.host_read_only", pin(4, p + VIRTIO_PCI_HOST_FEATURES) == host);
	want = host & (NET_F_MAC | NET_F_STATUS);
	pout(4, p + VIRTIO_PCI_GUEST_FEATURES, want);
	obs(d, "features.guest_read_back", pin(4, p + VIRTIO_PCI_GUEST_FEATURES) == want);
	obs(d, "devcfg.mac_at_20", read_mac(p + VIRTIO_PCI_CONFIG_OFF(0)));
}

/*
 * ISR read-clear with bits really set: the device raises them (the
 * command), the first read returns them, the second 0.
 */
static void seq_isr_raised(struct dev *d, uint32_t p)
{
	int st = system(raise_isr_cmd);

	result(st == 0, "%s: the device raises ISR %#x: %s (exit %d)", d->bdf,
	       isr_bits, raise_isr_cmd, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	obs(d, "isr.raised_read", pin(1, p + VIRTIO_PCI_ISR));
	obs(d, "isr.raised_second_read", pin(1, p + VIRTIO_PCI_ISR));
}

static void seq_queues(struct dev *d, uint32_t p)
{
	unsigned int q, sel_ok = 1;
	uint32_t n, size0 = 0;

	for (q = 0; q < 64; q++) {
		pout(2, p + VIRTIO_PCI_QUEUE_SEL, q);
		sel_ok &= pin(2, p + VIRTIO_PCI_QUEUE_SEL) == q;
		n = pin(2, p + VIRTIO_PCI_QUEUE_NUM);
		if (!q)
			obs(d, "queue.size_q0", size0 = n);
		if (!n)
			break;
	}
	obs(d, "queue.count", q);
	obs(d, "queue.select_read_back", sel_ok);
	pout(2, p + VIRTIO_PCI_QUEUE_SEL, 0);
	pout(2, p + VIRTIO_PCI_QUEUE_NUM, 1);
	obs(d, "queue.size_read_only", pin(2, p + VIRTIO_PCI_QUEUE_NUM) == size0);
	pout(4, p + VIRTIO_PCI_QUEUE_PFN, 0x1000);	/* 16 MB: inner RAM */
	obs(d, "queue.pfn_read_back", pin(4, p + VIRTIO_PCI_QUEUE_PFN));
	pout(2, p + VIRTIO_PCI_QUEUE_SEL, 1);
	obs(d, "queue.pfn_per_queue", pin(4, p + VIRTIO_PCI_QUEUE_PFN));
	obs(d, "queue.notify_accepted", !pout(2, p + VIRTIO_PCI_QUEUE_NOTIFY, 0));
	pout(1, p + VIRTIO_PCI_STATUS, 7);
	obs(d, "status.driver_ok", pin(1, p + VIRTIO_PCI_STATUS));
	pin(1, p + VIRTIO_PCI_ISR);
	obs(d, "isr.second_read", pin(1, p + VIRTIO_PCI_ISR));
	if (raise_isr_cmd && !(is_diff && d == &devs[0]))
		seq_isr_raised(d, p);
}

static void seq_msix(struct dev *d, uint32_t p)
{
	uint64_t tsize = 0;
	uint32_t qv;

	msix_enable(d, 1);
	obs(d, "msix.host_vectors", host_msix_vectors(d->bdf));
	pout(2, p + VIRTIO_MSI_CONFIG_VECTOR, 0);
	obs(d, "msix.config_vector", pin(2, p + VIRTIO_MSI_CONFIG_VECTOR));
	/*
	 * vector 1 where the table has it, else 0: a device answers
	 * NO_VECTOR for a vector it cannot map (an NVMe VF has one)
	 */
	obs_get(d, "msix.table_size", &tsize);
	qv = tsize > 1 ? 1 : 0;
	pout(2, p + VIRTIO_PCI_QUEUE_SEL, 0);
	pout(2, p + VIRTIO_MSI_QUEUE_VECTOR, qv);
	obs(d, "msix.queue_vector",
	    pin(2, p + VIRTIO_MSI_QUEUE_VECTOR) == qv);
	pout(2, p + VIRTIO_MSI_QUEUE_VECTOR, VIRTIO_MSI_NO_VECTOR);
	obs(d, "msix.queue_no_vector", pin(2, p + VIRTIO_MSI_QUEUE_VECTOR));
	pout(2, p + VIRTIO_MSI_CONFIG_VECTOR, tsize);
	obs(d, "msix.vector_beyond_table", pin(2, p + VIRTIO_MSI_CONFIG_VECTOR));
	obs(d, "devcfg.mac_at_24_msix_on", read_mac(p + VIRTIO_PCI_CONFIG_OFF(1)));
	msix_enable(d, 0);
	obs(d, "devcfg.mac_at_20_msix_off", read_mac(p + VIRTIO_PCI_CONFIG_OFF(0)));
}

/* a reset with vectors mapped: it must unmap them (NO_VECTOR) */
static void seq_reset(struct dev *d, uint32_t p)
{
	msix_enable(d, 1);
	pout(2, p + VIRTIO_MSI_CONFIG_VECTOR, 0);
	pout(2, p + VIRTIO_PCI_QUEUE_SEL, 0);
	pout(2, p + VIRTIO_MSI_QUEUE_VECTOR, 1);
	pout(1, p + VIRTIO_PCI_STATUS, 0);
	obs(d, "reset.status", pin(1, p + VIRTIO_PCI_STATUS));
	obs(d, "reset.guest_features", pin(4, p + VIRTIO_PCI_GUEST_FEATURES));
	obs(d, "reset.queue_select", pin(2, p + VIRTIO_PCI_QUEUE_SEL));
	obs(d, "reset.pfn_q0", pin(4, p + VIRTIO_PCI_QUEUE_PFN));
	obs(d, "reset.config_vector", pin(2, p + VIRTIO_MSI_CONFIG_VECTOR));
	obs(d, "reset.queue_vector", pin(2, p + VIRTIO_MSI_QUEUE_VECTOR));
	msix_enable(d, 0);
}

static void legacy_sequence(struct dev *d)
{
	uint32_t p = d->bar_addr[0];

	seq_config(d);
	if (!d->bar_io[0] || !p)
		return;
	seq_status_features(d, p);
	seq_queues(d, p);
	seq_msix(d, p);
	seq_reset(d, p);
}

/* linux_probe.h's port I/O: the I/O BAR0 at lp_port, through QEMU */
static uint32_t lp_port;

static uint32_t lp_qemu_rd(unsigned int off, unsigned int size)
{
	return pin(size, lp_port + off);
}

static void lp_qemu_wr(unsigned int off, unsigned int size, uint32_t val)
{
	pout(size, lp_port + off, val);
}

static void linux_sequence(struct dev *d)
{
	struct lp_io io = { lp_qemu_rd, lp_qemu_wr, 0 };

	lp_port = d->bar_addr[0];
	if (!d->bar_io[0] || !lp_port || !d->msix) {
		result(0, "%s: an I/O BAR0 and MSI-X for Linux's probe", d->bdf);
		return;
	}
	msix_enable(d, 1);
	linux_probe(&io, d->bdf);
	msix_enable(d, 0);
}

/* ---- --legacy and --plain: what must be true --------------------------------- */

struct want {
	const char *mac;
	long long features, bar0_size, queues, queue_size;
};

enum op { EQ, GE, SAME_AS };

struct expect {
	const char *key;
	enum op op;
	uint64_t val;		/* EQ, GE */
	const char *other;	/* SAME_AS: another observation */
	const char *what;
};

static void expect(const struct dev *d, const struct expect *e)
{
	uint64_t got, want = e->val;
	int ok;

	if (obs_get(d, e->key, &got)) {
		result(0, "%s: %s (%s was not observed)", d->bdf, e->what, e->key);
		return;
	}
	if (e->op == SAME_AS && obs_get(d, e->other, &want)) {
		result(0, "%s: %s (%s was not observed)", d->bdf, e->what, e->other);
		return;
	}
	ok = e->op == GE ? got >= want : got == want;
	result(ok, "%s: %s (%s %#llx, want %s%#llx)", d->bdf, e->what, e->key,
	       (unsigned long long)got, e->op == GE ? ">= " : "",
	       (unsigned long long)want);
}

static uint64_t parse_mac(const char *s)
{
	unsigned int b[6];
	uint64_t mac = 0;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6) {
		fprintf(stderr, "qtest_client: bad MAC '%s'\n", s);
		exit(2);
	}
	for (int i = 0; i < 6; i++)
		mac = mac << 8 | (b[i] & 0xff);
	return mac;
}

/* --raise-isr: the raised bits read once, then 0 */
static void check_isr_raised(const struct dev *d)
{
	struct expect e[] = {
		{ "isr.raised_read", EQ, isr_bits, 0, "ISR returns the bits the device raised" },
		{ "isr.raised_second_read", EQ, 0, 0, "ISR reads 0 after that read (read-clear)" },
	};

	if (!raise_isr_cmd)
		return;
	expect(d, &e[0]);
	expect(d, &e[1]);
}

static void check_legacy(const struct dev *d, const struct want *w)
{
	const struct expect fixed[] = {
		{ "config.vendor", EQ, 0x1af4, 0, "vendor 0x1af4" },
		{ "config.device", EQ, 0x1000, 0, "device 0x1000 (transitional net)" },
		{ "config.revision", EQ, 0, 0, "revision 0" },
		{ "config.class", EQ, 0x020000, 0, "class 0x020000 (Ethernet)" },
		{ "config.subsystem", EQ, 1, 0, "subsystem device 1 (network)" },
		{ "bar0.io", EQ, 1, 0, "BAR0 sizes as an I/O BAR" },
		{ "bar0.base_taken", EQ, 1, 0, "BAR0 takes the assigned port base" },
		{ "status.after_reset", EQ, 0, 0, "status 0 after writing 0" },
		{ "status.acknowledge", EQ, 1, 0, "status ACKNOWLEDGE reads back" },
		{ "status.driver", EQ, 3, 0, "status ACKNOWLEDGE|DRIVER reads back" },
		{ "features.host_has_mac", EQ, 1, 0, "host features offer VIRTIO_NET_F_MAC" },
		{ "features.host_read_only", EQ, 1, 0, "host features are read-only" },
		{ "features.guest_read_back", EQ, 1, 0, "guest features written read back" },
		{ "queue.select_read_back", EQ, 1, 0, "queue select reads back" },
		{ "queue.count", GE, 2, 0, "queues found by select + size (at least rx and tx)" },
		{ "queue.size_read_only", EQ, 1, 0, "queue size is read-only" },
		{ "queue.pfn_read_back", EQ, 0x1000, 0, "queue 0 address reads back" },
		{ "queue.pfn_per_queue", EQ, 0, 0, "queue 1 has its own address (0)" },
		{ "queue.notify_accepted", EQ, 1, 0, "queue notify of queue 0 accepted" },
		{ "status.driver_ok", EQ, 7, 0, "status DRIVER_OK reads back" },
		{ "isr.second_read", EQ, 0, 0, "ISR reads 0 after a read (read-clear)" },
		{ "msix.capability", EQ, 1, 0, "MSI-X capability present" },
		{ "msix.host_vectors", GE, 1, 0, "MSI-X enabled: QEMU set up host vectors (VFIO_DEVICE_SET_IRQS)" },
		{ "msix.config_vector", EQ, 0, 0, "MSI-X config vector reads back" },
		{ "msix.queue_vector", EQ, 1, 0, "MSI-X queue 0 vector (one the table has) reads back" },
		{ "msix.queue_no_vector", EQ, 0xffff, 0, "MSI-X queue vector NO_VECTOR reads back" },
		{ "devcfg.mac_at_24_msix_on", SAME_AS, 0, "devcfg.mac_at_20", "with MSI-X on the device config (MAC) is at 24" },
		{ "devcfg.mac_at_20_msix_off", SAME_AS, 0, "devcfg.mac_at_20", "with MSI-X off again it is back at 20" },
		{ "reset.status", EQ, 0, 0, "reset: status 0" },
		{ "reset.guest_features", EQ, 0, 0, "reset: guest features 0" },
		{ "reset.pfn_q0", EQ, 0, 0, "reset: queue 0 address 0" },
		{ "reset.queue_select", EQ, 0, 0, "reset: queue select 0" },
		{ "reset.config_vector", EQ, 0xffff, 0, "reset: config vector NO_VECTOR (MSI-X on)" },
		{ "reset.queue_vector", EQ, 0xffff, 0, "reset: queue 0 vector NO_VECTOR (MSI-X on)" },
	};
	struct expect e;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		expect(d, &fixed[i]);
	check_isr_raised(d);
	if (w->mac) {
		e = (struct expect){ "devcfg.mac_at_20", EQ, parse_mac(w->mac), 0,
				     "device config MAC is the provisioned one" };
		expect(d, &e);
	}
	if (w->features >= 0) {
		e = (struct expect){ "features.host", EQ, w->features, 0,
				     "host features are the provisioned ones" };
		expect(d, &e);
	}
	if (w->bar0_size >= 0) {
		e = (struct expect){ "bar0.size", EQ, w->bar0_size, 0, "BAR0 size" };
		expect(d, &e);
	}
	if (w->queues >= 0) {
		e = (struct expect){ "queue.count", EQ, w->queues, 0, "number of queues" };
		expect(d, &e);
	}
	if (w->queue_size >= 0) {
		e = (struct expect){ "queue.size_q0", EQ, w->queue_size, 0, "queue 0 size" };
		expect(d, &e);
	}
}

static unsigned long sysfs_hex(const char *bdf, const char *attr)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lx", &v) != 1)
		v = ~0ul;
	if (f)
		fclose(f);
	return v;
}

/* the opted-out VF: through QEMU it is what the host sees, memory BAR0 */
static void check_plain(const struct dev *d)
{
	unsigned long long start, end, flags;
	char path[128];
	FILE *f;
	uint32_t v;

	v = cfg_rd(d, PCI_VENDOR_ID, 2);
	result(v == sysfs_hex(d->bdf, "vendor"), "%s: plain: vendor %#x as in sysfs", d->bdf, v);
	v = cfg_rd(d, PCI_DEVICE_ID, 2);
	result(v == sysfs_hex(d->bdf, "device"), "%s: plain: device %#x as in sysfs", d->bdf, v);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", d->bdf);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3)
		start = end = 0;
	if (f)
		fclose(f);
	result(!d->bar_io[0] && d->bar_size[0] == end - start + 1,
	       "%s: plain: BAR0 is its memory BAR of %#llx bytes (got %s %#llx)",
	       d->bdf, end - start + 1, d->bar_io[0] ? "I/O" : "memory",
	       (unsigned long long)d->bar_size[0]);
}

/* ---- --diff: QEMU's legacy virtio-net against the VF ------------------------- */

/*
 * What may differ between two conforming legacy virtio-net devices: the
 * virtio 0.9.5 spec fixes register offsets and semantics, not these.
 */
static const struct {
	const char *key, *why;
} allowed[] = {
	{ "features.host", "each device offers its own features: QEMU what its "
	  "net backend can do (and VIRTIO_F_BAD_FEATURE, bit 30, to catch a "
	  "guest that acks everything), the VF what its owner provisioned; both "
	  "must offer MAC (compared: features.host_has_mac)" },
	{ "bar0.size", "the spec fixes offsets, not the BAR size: QEMU sizes "
	  "its I/O BAR for its own config (20 + 4 MSI-X + 8 mac/status -> 32), "
	  "vvp_vfio_pci for all the virtio-net config it forwards (24 + 12 -> 64)" },
	{ "msix.table_size", "the number of MSI-X vectors is the device's "
	  "(QEMU: queues + 1; a VF: the table of its hardware)" },
	{ "queue.count", "queues follow the features and the provisioned queue "
	  "pairs (rx/tx per pair, + ctrl)" },
	{ "queue.size_q0", "queue sizes are the device's resources" },
	{ "config.subsystem_vendor", "only the subsystem device ID (1, net) is "
	  "fixed; the subsystem vendor is the maker's" },
};

static const char *allowed_why(const char *key)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strcmp(allowed[i].key, key))
			return allowed[i].why;
	return NULL;
}

static void diff(const struct dev *ref, const struct dev *d)
{
	for (int i = 0; i < ref->nobs; i++) {
		const struct obs *o = &ref->obs[i];
		const char *why = allowed_why(o->key);
		uint64_t v;

		if (obs_get(d, o->key, &v)) {
			result(0, "diff: %s observed on %s but not on %s", o->key,
			       ref->bdf, d->bdf);
			continue;
		}
		if (v == o->val)
			result(1, "diff: %s agrees (%#llx)", o->key,
			       (unsigned long long)v);
		else if (why)
			printf("# diff: %s differs as allowed (%s %#llx, %s %#llx): %s\n",
			       o->key, ref->bdf, (unsigned long long)o->val,
			       d->bdf, (unsigned long long)v, why);
		else
			result(0, "diff: %s agrees (%s %#llx, %s %#llx)", o->key,
			       ref->bdf, (unsigned long long)o->val, d->bdf,
			       (unsigned long long)v);
	}
}

/* ---- main ----------------------------------------------------------------------- */

static struct dev *add_dev(const char *bdf, int legacy)
{
	struct dev *d;

	if (ndevs == MAX_DEVS) {
		fprintf(stderr, "qtest_client: at most %d devices\n", MAX_DEVS);
		exit(2);
	}
	d = &devs[ndevs];
	d->bdf = bdf;
	d->slot = 4 + ndevs++;
	d->legacy = legacy;
	return d;
}

static void usage(void)
{
	fprintf(stderr, "usage: qtest_client [--mac MAC] [--features HEX] [--bar0-size N]\n"
		"         [--queues N] [--queue-size N] [--while CMD] [--raise-isr BITS CMD]\n"
		"         --legacy BDF [--legacy BDF] [--plain BDF]...\n"
		"       qtest_client --linux BDF\n"
		"       qtest_client --diff REF_BDF BDF\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct want w = { NULL, -1, -1, -1, -1 };
	const char *while_cmd = NULL;
	uint32_t io = IO_BASE, mem = MEM_BASE;
	uint64_t v;
	int i, st;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!arg)
			usage();
		if (!strcmp(a, "--legacy"))
			add_dev(arg, 1);
		else if (!strcmp(a, "--plain"))
			add_dev(arg, 0);
		else if (!strcmp(a, "--linux"))
			add_dev(arg, LINUX_ONLY);
		else if (!strcmp(a, "--mac"))
			w.mac = arg;
		else if (!strcmp(a, "--features"))
			w.features = strtoll(arg, NULL, 16);
		else if (!strcmp(a, "--bar0-size"))
			w.bar0_size = strtoll(arg, NULL, 0);
		else if (!strcmp(a, "--queues"))
			w.queues = strtoll(arg, NULL, 0);
		else if (!strcmp(a, "--queue-size"))
			w.queue_size = strtoll(arg, NULL, 0);
		else if (!strcmp(a, "--while"))
			while_cmd = arg;
		else if (!strcmp(a, "--raise-isr") && i + 2 < argc) {
			isr_bits = strtoul(arg, NULL, 0);
			raise_isr_cmd = argv[++i + 1];
		}
		else if (!strcmp(a, "--diff") && i + 2 < argc) {
			add_dev(argv[++i], 1);
			add_dev(argv[i + 1], 1);
			is_diff = 1;
		} else
			usage();
		i++;
	}
	if (!ndevs)
		usage();

	qemu_start();
	if (qcmd(&v, "outl 0xcf8 0x80000000") || qcmd(&v, "inl 0xcfc") ||
	    v != 0x29c08086)
		result(0, "QEMU answers the qtest protocol (host bridge %#llx)",
		       (unsigned long long)v);
	result(1, "QEMU's vfio-pci accepted %d device(s)", ndevs);
	for (i = 0; i < ndevs; i++) {
		assign_bars(&devs[i], &io, &mem);
		devs[i].msix = find_cap(&devs[i], PCI_CAP_ID_MSIX);
	}
	for (i = 0; i < ndevs; i++) {
		if (!devs[i].legacy) {
			check_plain(&devs[i]);
			continue;
		}
		if (devs[i].legacy == LINUX_ONLY) {
			linux_sequence(&devs[i]);
			continue;
		}
		legacy_sequence(&devs[i]);
		if (!is_diff)
			check_legacy(&devs[i], &w);
	}
	if (is_diff) {
		diff(&devs[0], &devs[1]);
		check_isr_raised(&devs[1]);
	}
	if (while_cmd) {
		st = system(while_cmd);
		result(st == 0, "while QEMU holds the devices: %s (exit %d)",
		       while_cmd, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	st = qemu_stop();
	printf("# QEMU stderr: %s\n", qemu_stderr());
	unlink(qerr);
	result(WIFEXITED(st) || (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM),
	       "QEMU ended on SIGTERM (status %#x)", st);
	return failures ? 1 : 0;
}
