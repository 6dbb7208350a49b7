#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot N test VMs as Ansible managed hosts, run a command on the host
# machine against them, power them off.
#
#   tests/ansible/vm-hosts.sh --srcdir DIR --builddir DIR [--hosts N]
#                             [--timeout SECONDS] -- COMMAND...
#
# Each VM is the VM suite's (tests/vm/run.sh --build-only: the Debian 6.12
# kernel, the NVMe SR-IOV PF 0000:01:00.0 with 4 VFs, vvp installed, its
# modules) with an overlay initramfs on top: tests/ansible/guest-init as
# /init (the sim owns the PF, vvp_vfio_pci loaded), python3.11 without its
# tests and GUIs, dropbear, virtio_net. Host vvpN is reached over SSH on
# 127.0.0.1:(VVP_SSH_PORT, default 2222)+N-1 (QEMU user-mode networking,
# loopback only), as root with a key made for the run.
#
# COMMAND runs with: VVP_INVENTORY (an INI inventory, group vvp_test),
# VVP_SSH_KEY (the private key), VVP_HOSTS ("vvp1 vvp2 ..."),
# VVP_SSH_PORTS ("2222 2223 ..."). Its exit status is this script's.
# Console logs: BUILDDIR/tests/vm/ansible-hosts/console-vvpN.log (kept on
# failure).
set -euo pipefail
PROG=${0##*/}
SRCDIR='' BUILDDIR='' NHOSTS=2 TIMEOUT=300
kernel='' initrd='' kroot='' kver=''
while [ $# -gt 0 ]; do
	case "$1" in
	--srcdir) SRCDIR=${2:?}; shift 2 ;;
	--builddir) BUILDDIR=${2:?}; shift 2 ;;
	--hosts) NHOSTS=${2:?}; shift 2 ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	--) shift; break ;;
	*) echo "Usage: $PROG --srcdir DIR --builddir DIR [--hosts N] [--timeout S] -- COMMAND..." >&2
	   exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "$PROG: no command given" >&2; exit 2; }
SRCDIR=$(cd "${SRCDIR:-$(dirname "$0")/../..}" && pwd)
BUILDDIR=$(cd "${BUILDDIR:-$SRCDIR}" && pwd)
note() { echo "$PROG: $*" >&2; }
die() { echo "$PROG: error: $*" >&2; exit 1; }

for t in dropbear:dropbear-bin ssh-keygen:openssh-client python3.11:python3.11 \
	 qemu-system-x86_64:qemu-system-x86; do
	command -v "${t%%:*}" >/dev/null || [ -x "/usr/sbin/${t%%:*}" ] ||
		die "${t%%:*} is missing; install ${t#*:} (scripts/deps.sh: vvp_ansible_pkgs)"
done

# --- the VM suite's kernel and initramfs ------------------------------------
eval "$("$SRCDIR/tests/vm/run.sh" --srcdir "$SRCDIR" --builddir "$BUILDDIR" --build-only)"
OUT=$BUILDDIR/tests/vm/ansible-hosts
mkdir -p "$OUT"

# --- the overlay: python, dropbear, virtio_net, our /init -----------------
OVERLAY=$OUT/overlay.cpio.gz
PY_EXCLUDES=(test idlelib tkinter turtledemo ensurepip lib2to3 pydoc_data
	     __pycache__ site-packages dist-packages config-3.11-x86_64-linux-gnu
	     sitecustomize.py)
overlay_inputs() {
	echo "kver $kver"
	sha256sum "$SRCDIR/tests/ansible/guest-init" /usr/bin/python3.11 \
		/usr/sbin/dropbear /usr/bin/dropbearkey
	dpkg-query -W python3.11 libpython3.11-stdlib dropbear-bin 2>/dev/null || true
}
copy_libs() {   # copy_libs ROOT FILE...: the libraries the files need
	local root=$1 f l
	shift
	for f in "$@"; do
		for l in $(ldd "$f" 2>/dev/null | awk '/=>/ && $3 ~ /^\// {print $3}'); do
			l=/usr/${l#/usr/}
			[ -e "$root$l" ] || install -D -m755 "$(readlink -f "$l")" "$root$l"
		done
	done
}
build_overlay() {
	local hash r=$OUT/overlay m ex=()
	hash=$(overlay_inputs | sha256sum | cut -d' ' -f1)
	if [ -e "$OVERLAY" ] && [ "$(cat "$OVERLAY.hash" 2>/dev/null)" = "$hash" ]; then
		return 0
	fi
	note "building the managed-host overlay (python3.11, dropbear, virtio_net)"
	rm -rf "$r"
	mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/usr/lib" "$r/etc" "$r/vvphost" \
		 "$r/root/.ssh"
	install -m755 "$SRCDIR/tests/ansible/guest-init" "$r/init"
	for m in "${PY_EXCLUDES[@]}"; do ex+=(--exclude="$m"); done
	tar -C /usr/lib -cf - "${ex[@]}" python3.11 | tar -C "$r/usr/lib" -xf -
	for f in /usr/bin/python3.11 /usr/sbin/dropbear /usr/bin/dropbearkey; do
		install -m755 "$f" "$r$f"
	done
	copy_libs "$r" /usr/bin/python3.11 /usr/sbin/dropbear /usr/bin/dropbearkey \
		/usr/lib/python3.11/lib-dynload/*.so
	ln -sf python3.11 "$r/usr/bin/python3"
	printf '/bin/sh\n/bin/bash\n/usr/bin/bash\n' >"$r/etc/shells"
	for m in failover net_failover virtio_net; do
		f=$(modprobe -d "$kroot" -S "$kver" -D virtio_net | awk -v m="/$m.ko" \
			'$1 == "insmod" && index($2, m) {print $2}')
		[ -n "$f" ] || die "no $m module in $kroot"
		xz -dc "$f" >"$r/vvphost/$m.ko"
	done
	chmod 700 "$r/root" "$r/root/.ssh"
	(cd "$r" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0 | gzip -1) \
		>"$OVERLAY.tmp"
	mv "$OVERLAY.tmp" "$OVERLAY"
	echo "$hash" >"$OVERLAY.hash"
	rm -rf "$r"
	note "overlay $(du -h "$OVERLAY" | cut -f1)"
}
build_overlay

# --- this run: a key, the initramfs of base + overlay + key -----------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/vvp-hosts.XXXXXX")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ssh-keygen -q -t ed25519 -N '' -C vvp-ansible-test -f "$RUN/id"
mkdir -p "$RUN/keyroot/root/.ssh"
cp "$RUN/id.pub" "$RUN/keyroot/root/.ssh/authorized_keys"
chmod 700 "$RUN/keyroot/root" "$RUN/keyroot/root/.ssh"
chmod 600 "$RUN/keyroot/root/.ssh/authorized_keys"
(cd "$RUN/keyroot" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0 | gzip -1) \
	>"$RUN/key.cpio.gz"
cat "$initrd" "$OVERLAY" "$RUN/key.cpio.gz" >"$RUN/initrd"

port0=${VVP_SSH_PORT:-2222}
HOSTS=() PORTS=()
for i in $(seq 1 "$NHOSTS"); do
	HOSTS+=("vvp$i") PORTS+=($((port0 + i - 1)))
done
for p in "${PORTS[@]}"; do
	! ss -ltnH "sport = :$p" | grep -q . || die "port $p is in use (set VVP_SSH_PORT)"
done

boot() {   # boot NAME PORT LOG
	qemu-system-x86_64 -accel tcg -machine q35 -m 1G -smp 1 -nographic -no-reboot \
		-kernel "$kernel" -initrd "$RUN/initrd" \
		-append "console=ttyS0 panic=-1 intel_iommu=on no_timer_check quiet vvphost=$1" \
		-nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$2-:22" \
		-device intel-iommu,intremap=on \
		-device pcie-root-port,id=rp1,chassis=1,slot=1 \
		-device nvme-subsys,id=subsys0,nqn=vvp-test \
		-device "nvme,id=nvme0,serial=vvp0,subsys=subsys0,bus=rp1,sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4,max_ioqpairs=12,msix_qsize=16" \
		</dev/null >"$3" 2>&1 &
	PIDS+=($!)
}
t0=$SECONDS
for i in "${!HOSTS[@]}"; do
	rm -f "$OUT/console-${HOSTS[$i]}.log"
	boot "${HOSTS[$i]}" "${PORTS[$i]}" "$OUT/console-${HOSTS[$i]}.log"
done
note "booting ${HOSTS[*]} (ports ${PORTS[*]})"
for i in "${!HOSTS[@]}"; do
	log=$OUT/console-${HOSTS[$i]}.log
	until grep -aq 'VVPHOST: READY' "$log"; do
		if grep -aq 'VVPHOST: FAILED' "$log" || ! kill -0 "${PIDS[$i]}" 2>/dev/null ||
		   [ $((SECONDS - t0)) -ge "$TIMEOUT" ]; then
			grep -a 'VVPHOST: ' "$log" | tail -3 >&2 || true
			die "${HOSTS[$i]} did not come up in $((SECONDS - t0)) s (console log: $log)"
		fi
		sleep 1
	done
done
note "hosts up in $((SECONDS - t0)) s"

{
	echo "[vvp_test]"
	for i in "${!HOSTS[@]}"; do
		echo "${HOSTS[$i]} ansible_host=127.0.0.1 ansible_port=${PORTS[$i]}"
	done
	echo
	echo "[vvp_test:vars]"
	echo "ansible_user=root"
	echo "ansible_ssh_private_key_file=$RUN/id"
	echo "ansible_ssh_transfer_method=piped"
	echo "ansible_python_interpreter=/usr/bin/python3"
	echo "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR'"
} >"$RUN/inventory"

rc=0
VVP_INVENTORY=$RUN/inventory VVP_SSH_KEY=$RUN/id VVP_HOSTS="${HOSTS[*]}" \
	VVP_SSH_PORTS="${PORTS[*]}" "$@" || rc=$?
if [ $rc = 0 ]; then
	for h in "${HOSTS[@]}"; do rm -f "$OUT/console-$h.log"; done
else
	for h in "${HOSTS[@]}"; do note "console log kept: $OUT/console-$h.log"; done
fi
exit $rc
