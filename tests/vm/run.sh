#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# VM end-to-end suite: boots a real Debian 6.12 kernel under QEMU 10.0 (TCG,
# from bookworm-backports, extracted into the cache) with an Intel vIOMMU and
# an SR-IOV capable emulated NVMe PF (profile default: also an igb PF and a
# legacy-only virtio-net), runs the guest
# scenarios in tests/vm/guest/ (plus bench/vm/bench-bind.sh and
# scripts/vm-demo.sh) and reports their TAP lines.  See tests/vm/README.md.
#
#   tests/vm/run.sh --srcdir DIR --builddir DIR [--scenario NAME]...
#                   [--profile default|scale|boot] [--keep-log] [--demo]
#                   [--demo-detail] [--build-only]
#                   [--timeout SECONDS] [--list] [--kmod-from DIR]
#                   [--print-headers]
#
# Exit status: 0 all checks passed (or skipped), 1 a check failed or a VM
# did not reach its end marker, 2 usage error.

set -euo pipefail

PROG=${0##*/}
SRCDIR=
BUILDDIR=
PROFILE=
SCENARIOS=()
KEEP_LOG=0
DEMO=0
DEMO_DETAIL=0
VM_TIMEOUT=
LIST=0
SKIP_KMOD=0
BUILD_ONLY=0
KMOD_FROM=
PRINT_HEADERS=0

# Scenarios per profile, in the order they run inside one boot.
DEFAULT_SCENARIOS=(sysfs sim list enable bind busy unbind udev owner vfio qemu-client qemu-diff config apply udev-apply hook fault concurrency removal leak bench-vfio)
# scenarios that run QEMU inside the test VM: only then does the initramfs
# carry it (+20 MB)
QEMU_SCENARIOS=(qemu-client qemu-diff)
SCALE_SCENARIOS=(scale bench-netlink)
# the scale profile's long timing rounds (127 VFs created and bound several
# times over, each way): run by name or with --profile scale (make
# bench-vm), not by a plain make check-vm, which stays within its budget
SCALE_BENCH_SCENARIOS=(bench-bind bench-apply bench-udev)
DEMO_SCENARIOS=(demo)
# systemd as PID 1 (tests/vm/boot-initramfs.sh): vvp-apply.service at boot
BOOT_SCENARIOS=(boot)

usage() {
	cat <<EOF
Usage: $PROG --srcdir DIR --builddir DIR [OPTIONS]
  --scenario NAME     run only this scenario (repeatable); the profile is
                      picked from the scenario (scale, bench-bind -> scale)
  --profile NAME      default (4 VFs), scale (127 VFs) or boot (4 VFs,
                      systemd as PID 1); runs all of its scenarios unless
                      --scenario is given
  --demo              boot once and print the narrated vvpctl demo
  --demo-detail       the demo, with each check of its legacy-guest probe
  --keep-log          keep the serial console log even when all passed
  --timeout SECONDS   hard timeout per VM boot (default 600, scale 1500)
  --list              list the scenarios of each profile and exit
  --skip-kmod         do not build kmod/ (the guest gets no vvp modules)
  --build-only        build the kernel, modules and initramfs, boot nothing;
                      print kernel=PATH and initrd=PATH (tests/ansible
                      boots its own VMs from them)
  --kmod-from DIR     load the .ko files in DIR (e.g. dkms's, from
                      scripts/dkms-check.sh) instead of building kmod/
  --print-headers     fetch the kernel if needed, print its headers' build
                      directory and exit (for building modules against it)
  --bench-rounds N    rounds of each benchmark's alternated timings (their
                      BENCH_ROUNDS; default: each benchmark's own, 3 or 5)
  --rounds N          rounds of scenario concurrency (default 4; make
                      check-hardening: 20)
  --leak-rounds N     rounds of scenario leak (default 20; issue 13: 100)
  --removal-rounds N  rounds per removal kind and PF of scenario removal
                      (default 1)
Environment: VVP_VM_KVER=6.12.N+deb12 pins the kernel version.
EOF
}

die() { echo "$PROG: error: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--srcdir) SRCDIR=${2:?}; shift 2 ;;
	--builddir) BUILDDIR=${2:?}; shift 2 ;;
	--scenario) SCENARIOS+=("${2:?}"); shift 2 ;;
	--profile) PROFILE=${2:?}; shift 2 ;;
	--keep-log) KEEP_LOG=1; shift ;;
	--demo) DEMO=1; shift ;;
	--demo-detail) DEMO=1; DEMO_DETAIL=1; shift ;;
	--timeout) VM_TIMEOUT=${2:?}; shift 2 ;;
	--list) LIST=1; shift ;;
	--skip-kmod) SKIP_KMOD=1; shift ;;
	--build-only) BUILD_ONLY=1; shift ;;
	--kmod-from) KMOD_FROM=${2:?}; shift 2 ;;
	--print-headers) PRINT_HEADERS=1; shift ;;
	--bench-rounds) BENCH_ROUNDS=${2:?}; shift 2 ;;
	--rounds) VVP_ROUNDS=${2:?}; shift 2 ;;
	--leak-rounds) LEAK_ROUNDS=${2:?}; shift 2 ;;
	--removal-rounds) REMOVAL_ROUNDS=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

if [ $LIST = 1 ]; then
	echo "default: ${DEFAULT_SCENARIOS[*]}"
	echo "scale:   ${SCALE_SCENARIOS[*]} (--profile scale or make bench-vm: also ${SCALE_BENCH_SCENARIOS[*]})"
	echo "demo:    ${DEMO_SCENARIOS[*]}"
	echo "boot:    ${BOOT_SCENARIOS[*]} (systemd as PID 1; --profile boot or make check-boot)"
	echo "a plain run (make check-vm): default, scale and boot, without ${SCALE_BENCH_SCENARIOS[*]}"
	exit 0
fi

[ -n "$SRCDIR" ] || SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "$BUILDDIR" ] || BUILDDIR=$SRCDIR
SRCDIR=$(cd "$SRCDIR" && pwd)
mkdir -p "$BUILDDIR"
BUILDDIR=$(cd "$BUILDDIR" && pwd)
case "$PROFILE" in ""|default|scale|boot) ;; *) usage >&2; exit 2 ;; esac

profile_of() {
	local s
	for s in "${SCALE_SCENARIOS[@]}" "${SCALE_BENCH_SCENARIOS[@]}"; do
		[ "$s" = "$1" ] && { echo scale; return; }; done
	for s in "${BOOT_SCENARIOS[@]}"; do [ "$s" = "$1" ] && { echo boot; return; }; done
	for s in "${DEFAULT_SCENARIOS[@]}" "${DEMO_SCENARIOS[@]}"; do
		[ "$s" = "$1" ] && { echo default; return; }; done
	# a scenario not listed yet runs in the default profile
	[ -e "$SRCDIR/tests/vm/guest/scenario-$1.sh" ] && { echo default; return; }
	return 1
}

# --- which boots: profile -> scenario list -----------------------------------
declare -A RUN
if [ $DEMO = 1 ]; then
	RUN[default]=demo
elif [ ${#SCENARIOS[@]} -gt 0 ]; then
	for s in "${SCENARIOS[@]}"; do
		p=$(profile_of "$s") || { echo "$PROG: unknown scenario '$s' (try --list)" >&2; exit 2; }
		[ -z "$PROFILE" ] || [ "$PROFILE" = "$p" ] ||
			{ echo "$PROG: scenario '$s' belongs to profile $p, not $PROFILE" >&2; exit 2; }
		RUN[$p]="${RUN[$p]:+${RUN[$p]},}$s"
	done
elif [ "$PROFILE" = boot ]; then
	RUN[boot]=$(IFS=,; echo "${BOOT_SCENARIOS[*]}")
else
	[ "$PROFILE" = scale ] || RUN[default]=$(IFS=,; echo "${DEFAULT_SCENARIOS[*]}")
	[ "$PROFILE" = default ] || RUN[scale]=$(IFS=,; echo "${SCALE_SCENARIOS[*]}")
	[ "$PROFILE" != scale ] ||
		RUN[scale]+=$(IFS=,; echo ",${SCALE_BENCH_SCENARIOS[*]}")
	# no profile named: every profile's own scenarios, boot included
	[ -n "$PROFILE" ] || RUN[boot]=$(IFS=,; echo "${BOOT_SCENARIOS[*]}")
fi

T_START=$(date +%s)
VMDIR=$BUILDDIR/tests/vm
CACHE=$VMDIR/cache
mkdir -p "$CACHE" "$VMDIR/logs"

# --- host packages ------------------------------------------------------------
need_pkgs() {
	local missing=() cmd pkg
	while [ $# -gt 0 ]; do
		cmd=$1 pkg=$2; shift 2
		if [ "${cmd#/}" != "$cmd" ]; then [ -e "$cmd" ] || missing+=("$pkg")
		else command -v "$cmd" >/dev/null || missing+=("$pkg"); fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	note "installing ${missing[*]} (apt-get)"
	[ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}; run as root or install them"
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}
need_pkgs qemu-system-x86_64 qemu-system-x86 /bin/busybox busybox-static cpio cpio \
	xz xz-utils depmod kmod pahole dwarves gcc build-essential make build-essential \
	genl iproute2 udevadm udev lspci pciutils driverctl driverctl jq jq \
	/usr/share/misc/pci.ids pci.ids apt-get apt dpkg-deb dpkg

# --- 1. kernel ------------------------------------------------------------------
pick_kver() {
	local list
	list() { apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' |
		awk '{print $1}' | sed 's/^linux-image-//; s/-amd64-unsigned$//' | sort -V; }
	list=$(list)
	if [ -z "$list" ] && ! ls "$CACHE"/kernel-*.stamp >/dev/null 2>&1; then
		note "apt does not know a Debian 6.12 kernel; apt-get update"
		apt-get update -qq
		list=$(list)
	fi
	if [ -z "$list" ]; then   # offline: newest cached kernel
		list=$(ls "$CACHE"/kernel-*.stamp 2>/dev/null | sed 's|.*/kernel-||; s|\.stamp$||' | sort -V)
	fi
	echo "$list" | tail -1
}
KVER=${VVP_VM_KVER:-$(pick_kver)}
[ -n "$KVER" ] || die "no linux-image-6.12.*+deb12-amd64-unsigned known to apt (bookworm-security in sources?)"
KV=$KVER-amd64
KROOT=$CACHE/root-$KVER
KSTAMP=$CACHE/kernel-$KVER.stamp
HEADERS=$KROOT/usr/src/linux-headers-$KV

fetch_kernel() {
	[ -e "$KSTAMP" ] && return 0
	local t0=$SECONDS d=$CACHE/debs-$KVER
	note "fetching kernel $KV (first run only: 124 MB of Debian packages, unpacked into $CACHE: 214 MB)"
	mkdir -p "$d"
	(cd "$d" && apt-get download -q linux-image-$KV-unsigned linux-headers-$KV \
		linux-headers-$KVER-common linux-kbuild-$KVER 2>&1 | grep -v '_apt' >&2 || true)
	local n=$(ls "$d"/*.deb 2>/dev/null | wc -l)
	[ "$n" -eq 4 ] || die "apt-get download of kernel $KVER got $n of 4 packages"
	rm -rf "$KROOT"; mkdir -p "$KROOT"
	for deb in "$d"/*.deb; do dpkg-deb -x "$deb" "$KROOT"; done
	# the arch headers Makefile includes the common one by absolute path
	sed -i "s|^include /usr/src/|include $KROOT/usr/src/|" "$HEADERS/Makefile"
	depmod -b "$KROOT" "$KV"
	rm -rf "$d"      # extracted tree is the cache; the debs are not needed again
	touch "$KSTAMP"
	note "kernel $KV ready in $((SECONDS - t0)) s"
}
fetch_kernel
[ -e "$KROOT/boot/vmlinuz-$KV" ] || die "$KROOT/boot/vmlinuz-$KV missing; rm $KSTAMP and retry"
if [ $PRINT_HEADERS = 1 ]; then
	echo "$HEADERS"
	exit 0
fi

# --- 1b. QEMU 10.0 from bookworm-backports ---------------------------------------
# The test VM's QEMU and the one inside it (scenario qemu-client): 10.0 has
# the igb PF (a second SR-IOV layout) and runs on bookworm's libraries.
# Extracted into the cache, never installed: the host's QEMU stays as it is.
QDIR=$CACHE/qemu-10
QROOT=$QDIR/root
QSTAMP=$QDIR/stamp
QEMU_DEBS="qemu-system-x86 qemu-system-common qemu-system-data seabios"
QEMU_BIN=$QROOT/usr/bin/qemu-system-x86_64

fetch_qemu() {
	[ -e "$QSTAMP" ] && return 0
	local t0=$SECONDS tmp=$QDIR/tmp.$$ p missing
	note "fetching QEMU 10.0 from bookworm-backports (first run: ~15 MB)"
	. "$SRCDIR/scripts/deps.sh"
	vvp_enable_backports >&2 || die "bookworm-backports is not in apt's sources"
	rm -rf "$tmp"
	mkdir -p "$tmp/debs"
	(cd "$tmp/debs" && apt-get download -q \
		$(for p in $QEMU_DEBS; do echo "$p/bookworm-backports"; done) 2>&1 |
		grep -v '_apt' >&2 || true)
	local n=$(ls "$tmp"/debs/*.deb 2>/dev/null | wc -l)
	[ "$n" -eq 4 ] || { rm -rf "$tmp"; die "apt-get download of QEMU 10.0 ($QEMU_DEBS) got $n of 4 packages"; }
	for p in "$tmp"/debs/*.deb; do dpkg-deb -x "$p" "$tmp/root"; done
	missing=$(ldd "$tmp/root/usr/bin/qemu-system-x86_64" | awk '/not found/ {print $1}' | xargs)
	[ -z "$missing" ] || { rm -rf "$tmp"; die "QEMU 10.0 needs libraries the host lacks: $missing"; }
	dpkg-deb -f "$tmp"/debs/qemu-system-x86_*.deb Version >"$tmp/version"
	rm -rf "$QROOT"
	mv "$tmp/root" "$QROOT"
	mv "$tmp/version" "$QSTAMP"
	rm -rf "$tmp"
	note "QEMU $(cat "$QSTAMP") ready in $((SECONDS - t0)) s"
}
fetch_qemu
[ -x "$QEMU_BIN" ] || die "$QEMU_BIN missing; rm $QSTAMP and retry"
# its own firmware and modules, not the host QEMU's
QEMU_DATA=(-L "$QROOT/usr/share/qemu" -L "$QROOT/usr/share/seabios")
export QEMU_MODULE_DIR=$QROOT/usr/lib/x86_64-linux-gnu/qemu

# --- 2. out-of-tree modules -----------------------------------------------------
KMOD_OUT=$VMDIR/kmod
# --kmod-from: modules built elsewhere (dkms) for this kernel, listed in a
# modules.order of their own as a kmod/ build lists its modules
kmod_from() {
	local ko n=0 magic
	KMOD_OUT=$VMDIR/kmod-from
	rm -rf "$KMOD_OUT"; mkdir -p "$KMOD_OUT"
	for ko in "$KMOD_FROM"/*.ko; do
		[ -e "$ko" ] || continue
		magic=$(modinfo -F vermagic "$ko")
		[ "${magic%% *}" = "$KV" ] ||
			die "$ko was built for '${magic%% *}', not for $KV"
		install -m644 "$ko" "$KMOD_OUT/"
		echo "$(basename "$ko" .ko).o" >>"$KMOD_OUT/modules.order"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || die "--kmod-from $KMOD_FROM: no .ko files there"
	note "kernel modules from $KMOD_FROM: $(cd "$KMOD_OUT" && echo *.ko)"
}
build_kmod() {
	if [ -n "$KMOD_FROM" ]; then
		kmod_from
		return 0
	fi
	if [ $SKIP_KMOD = 1 ]; then
		note "--skip-kmod: no out-of-tree modules"
		rm -rf "$KMOD_OUT"
		return 0
	fi
	if [ ! -e "$SRCDIR/kmod/Kbuild" ] && [ ! -e "$SRCDIR/kmod/Makefile" ]; then
		note "kmod/ has no Kbuild or Makefile: no out-of-tree modules"
		rm -rf "$KMOD_OUT"
		return 0
	fi
	# sources only (the Kbuild files of kmod/'s folders name them): an
	# in-tree build's products (.o, .mod with absolute paths) must not
	# leak into this build; unchanged files keep their mtime so make stays
	# incremental, and sources kmod/ no longer has go
	mkdir -p "$KMOD_OUT"
	kmod_sources() {
		(cd "$1" && find . \( -name '*.[ch]' ! -name '*.mod.c' \) -o \
			-name Kbuild -o -name Makefile)
	}
	kmod_sources "$SRCDIR/kmod" |
	while read -r f; do
		cmp -s "$SRCDIR/kmod/$f" "$KMOD_OUT/$f" ||
			install -D -m644 "$SRCDIR/kmod/$f" "$KMOD_OUT/$f"
	done
	kmod_sources "$KMOD_OUT" |
	while read -r f; do
		[ -e "$SRCDIR/kmod/$f" ] || rm -f "$KMOD_OUT/$f"
	done
	note "building kmod/ against $KV"
	make -s -C "$HEADERS" M="$KMOD_OUT" modules >&2 ||
		die "out-of-tree module build failed"
}
build_kmod

# --- 3. initramfs ----------------------------------------------------------------
STAGE=$VMDIR/stage
TESTBIN=$VMDIR/bin
INITRD=$VMDIR/initrd-$KVER.cpio.gz
I=$VMDIR/initramfs

install_stage() {
	rm -rf "$STAGE"; mkdir -p "$STAGE"
	if [ ! -e "$BUILDDIR/Makefile" ]; then
		note "warning: $BUILDDIR is not configured; the guest has no vvpctl (its scenarios skip)"
		return 0
	fi
	make -s -C "$BUILDDIR" install DESTDIR="$STAGE" prefix=/usr sysconfdir=/etc \
		>"$VMDIR/logs/install.log" 2>&1 ||
		{ cat "$VMDIR/logs/install.log" >&2; die "make install into the stage failed"; }
}

build_testbin() {
	local src out
	mkdir -p "$TESTBIN"
	for src in "$SRCDIR"/tests/vm/src/*.c; do
		out=$TESTBIN/$(basename "$src" .c)
		# up to date: newer than its source and the shared headers
		[ "$out" -nt "$src" ] &&
			[ -z "$(find "$SRCDIR"/tests/vm/src -name '*.h' -newer "$out")" ] &&
			continue
		gcc -O2 -Wall -Wextra -Werror -static -o "$out" "$src" ||
			die "building $src failed"
	done
}

# everything that goes into the initramfs besides the fixed host tools
initrd_inputs() {
	echo "kver $KV"
	echo "modules ${GUEST_MODULES[*]}"
	echo "guest qemu $GUEST_QEMU $(cat "$QSTAMP")"
	(
		cd "$SRCDIR"
		find tests/vm/run.sh tests/vm/guest bench/vm scripts -type f \
			\( -path 'scripts/vm-*' -o ! -path 'scripts/*' \) -print0 2>/dev/null |
			sort -z | xargs -0r sha256sum
	)
	for d in "$STAGE" "$TESTBIN" "$KMOD_OUT"; do
		[ -d "$d" ] || continue
		(cd "$d" && find . \( -type f -o -type l \) ! -name '*.o' ! -name '*.cmd' -print0 |
			sort -z | xargs -0r sha256sum)
	done
}

GUEST_MODULES=(nvme igb igbvf vfio-pci vfio_iommu_type1)
GUEST_QEMU=0
for s in "${QEMU_SCENARIOS[@]}"; do
	[[ ,${RUN[default]:-}, == *,$s,* ]] && GUEST_QEMU=1
done

# QEMU 10.0 (the cached one) for the scenarios that run it in the guest:
# the binary and its libraries, the BIOS and the vAPIC option ROM it loads
# even with -S; TCG is built
# into 10.0, no accel module needed
guest_qemu() {
	local l
	install -D -m755 "$QEMU_BIN" "$I/usr/bin/qemu-system-x86_64"
	for l in $(ldd "$QEMU_BIN" | awk '/=>/ && $3 ~ /^\// {print $3} /ld-linux/ {print $1}'); do
		[ -e "$I/usr/${l#/usr/}" ] ||
			install -D -m755 "$(readlink -f "$l")" "$I/usr/${l#/usr/}"
	done
	install -D -m644 "$QROOT/usr/share/seabios/bios-256k.bin" "$I/usr/share/qemu/bios-256k.bin"
	install -D -m644 "$QROOT/usr/share/qemu/kvmvapic.bin" "$I/usr/share/qemu/kvmvapic.bin"
}

# copy_bin FILE...: host binaries + their libraries into the tree $I;
# install+mv replaces a busybox symlink
copy_bin() {
	local f l
	for f in "$@"; do
		install -D -m755 "$(readlink -f "$f")" "$I/tmp.bin"
		mv -f "$I/tmp.bin" "$I/usr/${f#/usr/}"
		for l in $(ldd "$f" | awk '/=>/ && $3 ~ /^\// {print $3} /ld-linux/ {print $1}'); do
			[ -e "$I/usr/${l#/usr/}" ] ||
				install -D -m755 "$(readlink -f "$l")" "$I/usr/${l#/usr/}"
		done
	done
}

build_initramfs() {
	local hash f l m
	hash=$(initrd_inputs | sha256sum | cut -d' ' -f1)
	if [ -e "$INITRD" ] && [ "$(cat "$INITRD.hash" 2>/dev/null)" = "$hash" ]; then
		note "initramfs unchanged (inputs hash ${hash:0:12})"
		return 0
	fi
	note "building initramfs"
	rm -rf "$I"
	mkdir -p "$I"/usr/{bin,sbin,lib,lib64} "$I"/{proc,sys,dev,run,tmp,root,etc/udev/rules.d,etc/driverctl.d}
	for d in bin sbin lib lib64; do ln -s usr/$d "$I/$d"; done
	cp /bin/busybox "$I/usr/bin/busybox"
	for a in $(/bin/busybox --list-full); do
		[ "${a##*/}" = busybox ] || ln -sf /usr/bin/busybox "$I/$a"
	done
	copy_bin /bin/bash /usr/sbin/genl /bin/udevadm /usr/bin/lspci /usr/bin/jq
	[ $GUEST_QEMU = 0 ] || guest_qemu
	mkdir -p "$I/usr/lib/systemd" && ln -sf ../../bin/udevadm "$I/usr/lib/systemd/systemd-udevd"
	mkdir -p "$I/usr/lib/udev" "$I/usr/share/misc"
	cp -a /lib/udev/rules.d "$I/usr/lib/udev/"
	for f in ata_id cdrom_id scsi_id vfio_name; do
		[ -e /lib/udev/$f ] && cp -a /lib/udev/$f "$I/usr/lib/udev/"
	done
	cp /etc/udev/udev.conf "$I/etc/udev/"
	cp /usr/sbin/driverctl "$I/usr/sbin/"
	cp /usr/share/misc/pci.ids "$I/usr/share/misc/"
	echo "root:x:0:0:root:/root:/bin/bash" >"$I/etc/passwd"
	echo "root:x:0:" >"$I/etc/group"

	# kernel modules + deps, then ours in extra/
	M=$I/usr/lib/modules/$KV
	mkdir -p "$M"
	cp "$KROOT/lib/modules/$KV"/modules.{builtin,builtin.modinfo,order} "$M/"
	for m in "${GUEST_MODULES[@]}"; do
		for f in $(modprobe -d "$KROOT" -S "$KV" -D "$m" | awk '$1=="insmod" {print $2}'); do
			install -D -m644 "$f" "$M/${f#$KROOT/lib/modules/$KV/}"
		done
	done
	if [ -d "$KMOD_OUT" ]; then
		# the modules this build made (modules.order), not the leftovers
		# of another kmod/ layout
		mkdir -p "$M/extra"
		sed 's/\.o$/.ko/' "$KMOD_OUT/modules.order" |
		while read -r ko; do
			[ "${ko#/}" != "$ko" ] || ko=$KMOD_OUT/$ko
			install -m644 "$ko" "$M/extra/"
		done
	fi
	depmod -b "$I" "$KV"

	# the project, installed as a distribution would
	if [ -d "$STAGE/usr" ] || [ -d "$STAGE/etc" ]; then
		cp -a "$STAGE/." "$I/"
		local libdirs
		libdirs=$(find "$STAGE" -name '*.so*' -printf '%h\n' | sort -u | tr '\n' ':')
		for f in $(find "$STAGE" -type f -perm -u+x ! -name '*.so*' ! -name '*.la'); do
			[ "$(head -c4 "$f" | tail -c3)" = ELF ] || continue
			for l in $(LD_LIBRARY_PATH=$libdirs ldd "$f" | awk '/=>/ && $3 ~ /^\// {print $3} /ld-linux/ {print $1}'); do
				case "$l" in "$STAGE"/*) continue ;; esac
				[ -e "$I/usr/${l#/usr/}" ] ||
					install -D -m755 "$(readlink -f "$l")" "$I/usr/${l#/usr/}"
			done
		done
		# stage libdirs might not be in ld.so's default path (e.g. /usr/lib)
		{
			find "$STAGE" -name '*.so*' -printf '/%P\n' | xargs -rn1 dirname | sort -u
			echo /usr/lib/x86_64-linux-gnu
			echo /lib/x86_64-linux-gnu
		} >"$I/etc/ld.so.conf"
		ldconfig -r "$I" 2>/dev/null || true
	fi

	# test payload: runner, scenarios, test programs
	local T=$I/vvptest
	mkdir -p "$T/bin"
	install -m755 "$SRCDIR/tests/vm/guest/init" "$I/init"
	install -m644 "$SRCDIR/tests/vm/guest/lib.sh" "$T/"
	for f in "$SRCDIR"/tests/vm/guest/scenario-*.sh; do install -m755 "$f" "$T/"; done
	for f in "$SRCDIR"/bench/vm/bench-*.sh; do
		[ -e "$f" ] && install -m755 "$f" "$T/scenario-$(basename "$f")"
	done
	[ -e "$SRCDIR/scripts/vm-demo.sh" ] &&
		install -m755 "$SRCDIR/scripts/vm-demo.sh" "$T/scenario-demo.sh"
	install -m755 "$TESTBIN"/* "$T/bin/"

	(cd "$I" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	echo "$hash" >"$INITRD.hash"
	note "initramfs $(du -h "$INITRD" | cut -f1) (inputs hash ${hash:0:12})"
}

install_stage
build_testbin
build_initramfs
# profile boot: that initramfs + systemd as PID 1 ($BOOT_INITRD)
[ -z "${RUN[boot]:-}" ] || . "$SRCDIR/tests/vm/boot-initramfs.sh"
if [ $BUILD_ONLY = 1 ]; then
	echo "kernel=$KROOT/boot/vmlinuz-$KV"
	echo "initrd=$INITRD"
	[ -z "${RUN[boot]:-}" ] || echo "boot_initrd=$BOOT_INITRD"
	echo "kroot=$KROOT"
	echo "kver=$KV"
	exit 0
fi

# --- 4. QEMU ---------------------------------------------------------------------
# QEMU 7.2 and 10.0 hw/nvme/ctrl.c nvme_check_constraints() for SR-IOV:
#   sriov_max_vfs <= 127 (NVME_MAX_VFS), needs subsys=;
#   sriov_vq_flexible >= 2 * sriov_max_vfs; max_ioqpairs >= sriov_vq_flexible + 2;
#   sriov_vi_flexible >= sriov_max_vfs;     msix_qsize   >= sriov_vi_flexible + 1.
nvme_params() {
	case "$1" in
	default|boot) echo sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4,max_ioqpairs=12,msix_qsize=16 ;;
	scale) echo sriov_max_vfs=127,sriov_vq_flexible=254,sriov_vi_flexible=127,max_ioqpairs=256,msix_qsize=128 ;;
	esac
}

# Profile default also has the second SR-IOV layout and a reference legacy
# device: an igb PF (82576, 8086:10c9; VFs 8086:10ca with MSI-X in BAR3, not
# in the BAR that becomes the legacy I/O BAR) behind its own root port =
# 0000:02:00.0, and QEMU's legacy-only virtio-net (I/O BAR0 of 0x20 bytes)
# at 0000:00:05.0 on the root bus (on a PCIe port QEMU would make it
# modern-only), for scenario qemu-diff; no ROM, no network peer.
extra_devices() {
	[ "$1" = default ] || return 0
	echo "-device pcie-root-port,id=rp2,chassis=2,slot=2 -device igb,bus=rp2,romfile="
	echo "-device virtio-net-pci,disable-modern=on,addr=0x5,romfile=,mac=52:54:00:12:34:56"
}

QEMU_PID=
cleanup() {
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --demo: print the guest's narration (console lines "VVPDEMO: ...") as it
# comes, without the prefix
DEMO_SHOWN=0
demo_show() {
	local n
	n=$(grep -ac '^VVPDEMO: ' "$1" || true)
	[ "$n" -gt "$DEMO_SHOWN" ] || return 0
	grep -a '^VVPDEMO: ' "$1" | sed -n "$((DEMO_SHOWN + 1)),${n}p" |
		sed 's/^VVPDEMO: \{0,1\}//; s/\r$//'
	DEMO_SHOWN=$n
}

# boot_vm PROFILE SCENARIOS LOG: returns 0 when the guest reached its end marker
boot_vm() {
	local profile=$1 scen=$2 log=$3 timeout=$VM_TIMEOUT t0=$SECONDS
	if [ -z "$timeout" ]; then
		timeout=600; [ "$profile" = scale ] && timeout=1500
	fi
	local kargs= initrd=$INITRD
	# systemd 252 as PID 1 on the initramfs (no /etc/initrd-release: it
	# is the real root)
	[ "$profile" != boot ] || { kargs=" rdinit=/usr/lib/systemd/systemd"; initrd=$BOOT_INITRD; }
	[ $DEMO_DETAIL = 0 ] || kargs+=" vvp_demo=detail"
	[ -z "${BENCH_ROUNDS:-}" ] || kargs+=" vvp_bench_rounds=$BENCH_ROUNDS"
	[ -z "${VVP_ROUNDS:-}" ] || kargs+=" vvp_rounds=$VVP_ROUNDS"
	[ -z "${LEAK_ROUNDS:-}" ] || kargs+=" vvp_leak_rounds=$LEAK_ROUNDS"
	[ -z "${REMOVAL_ROUNDS:-}" ] || kargs+=" vvp_removal_rounds=$REMOVAL_ROUNDS"
	[ $DEMO = 0 ] ||
		note "booting Debian's $KV under QEMU (no KVM: 1-3 minutes until the demo starts)"
	# Under TCG on a loaded host (8 VMs on 2 cores) the guest's vCPUs
	# starve: no_timer_check (else the IO-APIC timer check at boot can
	# panic: "timer doesn't work through Interrupt-remapped IO-APIC"),
	# nosoftlockup and no RCU stall reports (else a vCPU the host did not
	# run for a minute fails the kernel-log checks though nothing is wrong)
	"$QEMU_BIN" "${QEMU_DATA[@]}" -accel tcg -machine q35 -m 1G -smp 2 -nographic -no-reboot -nic none \
		-kernel "$KROOT/boot/vmlinuz-$KV" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 intel_iommu=on no_timer_check nosoftlockup rcupdate.rcu_cpu_stall_suppress=1 quiet scenario=$scen$kargs" \
		-device intel-iommu,intremap=on \
		-device pcie-root-port,id=rp1,chassis=1,slot=1 \
		-device nvme-subsys,id=subsys0,nqn=vvp-test \
		-device "nvme,id=nvme0,serial=vvp0,subsys=subsys0,bus=rp1,$(nvme_params "$profile")" \
		$(extra_devices "$profile") \
		</dev/null >"$log" 2>&1 &
	QEMU_PID=$!
	TIMED_OUT=
	DEMO_SHOWN=0
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		[ $DEMO = 1 ] && demo_show "$log"
		if [ $((SECONDS - t0)) -ge "$timeout" ]; then
			TIMED_OUT=$timeout
			kill "$QEMU_PID" 2>/dev/null || true
			sleep 1
			kill -9 "$QEMU_PID" 2>/dev/null || true
			break
		fi
		sleep 0.5
	done
	wait "$QEMU_PID" 2>/dev/null || true
	[ -z "$TIMED_OUT" ] || echo "VVPHOST: TIMEOUT after $TIMED_OUT s, killed QEMU pid $QEMU_PID" >>"$log"
	QEMU_PID=
	[ $DEMO = 1 ] && demo_show "$log"
	grep -aq 'VVPTEST: END ' "$log"
}

PASS=0 FAIL=0 SKIP=0
BAD_LOGS=()

run_profile() {
	local profile=$1 scen=$2 log t0=$SECONDS try
	log=$VMDIR/logs/console-$profile.log
	for try in 1 2; do
		[ $DEMO = 1 ] || note "booting profile $profile: ${scen//,/ }"
		if boot_vm "$profile" "$scen" "$log"; then break; fi
		if [ $try = 1 ] && grep -aq 'Oops: int3' "$log"; then
			note "known TCG boot flake (Oops: int3); re-running this VM once"
			cp "$log" "$log.flake"
			continue
		fi
		break
	done
	local secs=$((SECONDS - t0)) p=0 f=0 s=0 line
	# a result may share a console line with other output: take every
	# "VVPTEST: " occurrence, not only the line starts
	local piece
	while IFS= read -r line; do
		line=${line%$'\r'}
		while [[ $line == *"VVPTEST: "* ]]; do
			line=${line#*VVPTEST: }
			piece=${line%%VVPTEST: *}
			case "$piece" in
			"ok "*"# SKIP"*) s=$((s + 1)) ;;
			"ok "*) p=$((p + 1)) ;;
			"not ok "*) f=$((f + 1)) ;;
			"# scenario "*|"# boot "*) continue ;;
			"# "*) ;;
			*) continue ;;
			esac
			[ $DEMO = 1 ] || echo "  $piece"
		done
	done < <(grep -a 'VVPTEST: ' "$log")
	# the guest's own count is authoritative when it is higher
	local gf
	gf=$(grep -a 'VVPTEST: END ' "$log" | sed -n 's/.*failed=\([0-9]*\).*/\1/p' | tail -1 || true)
	if [ -n "$gf" ] && [ "$gf" -gt "$f" ]; then
		echo "  not ok - profile $profile: the guest counted $gf failures, $f seen on the console"
		f=$gf
	fi
	if ! grep -aq 'VVPTEST: END ' "$log"; then
		f=$((f + 1))
		local last
		last=$(grep -a 'VVPTEST: # scenario ' "$log" | tail -1 | sed 's/.*# scenario //; s/\r$//' || true)
		echo "  not ok - profile $profile: no end marker (guest crash or timeout${last:+ in scenario $last})"
		grep -a -m3 -E 'Kernel panic|Oops|TIMEOUT' "$log" | sed 's/^/    /' || true
	fi
	PASS=$((PASS + p)) FAIL=$((FAIL + f)) SKIP=$((SKIP + s))
	[ $DEMO = 1 ] && [ $f -eq 0 ] ||
		note "profile $profile: $p passed, $f failed, $s skipped in ${secs} s"
	if [ $f -gt 0 ]; then BAD_LOGS+=("$log"); fi
}

for profile in default scale boot; do
	[ -n "${RUN[$profile]:-}" ] || continue
	run_profile "$profile" "${RUN[$profile]}"
done

echo "$PASS passed, $FAIL failed, $SKIP skipped ($(( $(date +%s) - T_START )) s)"
if [ $FAIL -gt 0 ]; then
	for l in "${BAD_LOGS[@]}"; do echo "console log kept: $l"; done
	exit 1
fi
if [ $KEEP_LOG = 1 ]; then
	for profile in default scale boot; do
		[ -n "${RUN[$profile]:-}" ] && echo "console log: $VMDIR/logs/console-$profile.log"
	done
else
	for profile in default scale boot; do rm -f "$VMDIR/logs/console-$profile.log"{,.flake}; done
fi
exit 0
