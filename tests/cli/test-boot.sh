#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The helpers of the udev rule and the boot unit, vvpctl udev-add and
# vvpctl boot-wait, on generated trees (tests/sysfs/mktree) through
# VVP_SYSFS_ROOT, with the config in VVP_CONFIG_DIR and locks in
# VVP_RUN_DIR. As in test-cli.sh nothing models the kernel, so only the
# paths that must not write are run here, and the tree is checked to be as
# it was; the VM scenario udev-apply runs the rest on a real kernel.
#
# Topology (mktree defaults): PF 0000:01:00.0 (nvme, 8 VFs total), VF i at
# 0000:01:00.(i+1); 0000:00:1f.0 has no SR-IOV.
#
# Exit: 0 pass, 1 fail, 77 skip (no flock).

set -u

B=${VVP_BUILDDIR:-$(pwd)}
VVPCTL=$B/cli/vvpctl
MKTREE=$B/tests/sysfs/mktree
PF=0000:01:00.0
VF=0000:01:00.2

command -v flock >/dev/null || { echo "SKIP: flock (util-linux) not installed"; exit 77; }
[ -x "$VVPCTL" ] && [ -x "$MKTREE" ] || {
	echo "FAIL: $VVPCTL or $MKTREE not built"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vvp-boot.XXXXXX") || exit 1
HOLDER=
trap '[ -z "$HOLDER" ] || unhold; rm -rf "$TMP"' EXIT
unset VVP_LOG VVP_TIMEOUT_MS
export VVP_CONFIG_DIR=$TMP/etc VVP_RUN_DIR=$TMP/run
mkdir -m 755 "$VVP_CONFIG_DIR"

. "$(dirname "$0")/lib.sh"
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
not() { ! "$@"; }
config() { printf '%s\n' "$@" >"$VVP_CONFIG_DIR/vvp.conf"; chmod 644 "$VVP_CONFIG_DIR/vvp.conf"; }
# run WANT-STATUS ARGS...: $OUT, $ERR, $MS (how long it took)
run() {
	local want=$1 t0
	shift
	t0=$(date +%s%N)
	"$VVPCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	check "vvpctl $* exits $want (got $status: $ERR)" test "$status" = "$want"
}
# hold PURPOSE: a process (flock, $HOLDER) holds the PF's lock and says
# so in the file as libvvp's holders do
hold() {
	local f=$VVP_RUN_DIR/$PF.lock
	mkdir -p "$VVP_RUN_DIR"
	flock -o "$f" sh -c "echo \"\$PPID $1\" >'$f'; echo \$\$ >'$TMP/child'; exec sleep 60" &
	HOLDER=$!
	for i in $(seq 50); do grep -q "$1" "$f" 2>/dev/null && return; sleep 0.1; done
}
unhold() { kill $HOLDER $(cat "$TMP/child"); wait $HOLDER 2>/dev/null; HOLDER=; }

# ---- boot-wait -------------------------------------------------------------------
# Upper bounds on $MS are half of a timeout the command was given (or far
# above the one it was): they tell "not waited for" from "waited the
# timeout out" on a loaded machine, and assert nothing about speed.
tree bound --vfs 2
run 0 boot-wait
check "boot-wait without a config says nothing" test -z "$OUT$ERR"
config "[pf $PF]" "num_vfs = 2" "driver = vfio-pci"
run 0 boot-wait
check "boot-wait: a bound PF is ready at once" grep -q "^$PF: bound to nvme (waited [0-9]* ms)$" <<<"$OUT"
config "[pf 0000:09:00.0]" "num_vfs = 2"
run 0 boot-wait --timeout 60
check "boot-wait: an absent PF is not waited for ($MS ms)" test "$MS" -lt 30000
check "boot-wait: ... and is named" grep -q "^0000:09:00.0: not ready (.*); vvpctl apply will report it$" <<<"$OUT"
tree nodriver --no-pf-driver
config "[pf $PF]" "num_vfs = 2"
run 0 boot-wait --timeout 1
check "boot-wait: a PF without a driver is waited for, bounded ($MS ms)" \
	test "$MS" -ge 1000 -a "$MS" -lt 30000
check "boot-wait: ... and named" grep -q "^$PF: no driver bound after 1 s; vvpctl apply will report it$" <<<"$OUT"
run 2 boot-wait --timeout x
run 2 boot-wait extra
run 0 boot-wait --help
check "boot-wait --help says what runs it" grep -q "vvp-apply.service" <<<"$OUT"

# ---- udev-add: the paths that change nothing --------------------------------------
tree vfs --vfs 4 --unbound
config "[pf $PF]" "num_vfs = 4" "driver = vfio-pci"
before=$(snapshot)
run 0 udev-add $PF
check "udev-add of a PF (not a VF) says nothing" test -z "$OUT$ERR"
run 0 udev-add 0000:01:07.0
check "udev-add of a device that is gone says nothing" test -z "$OUT$ERR"
run 2 udev-add not-an-address
run 2 udev-add
hold apply
VVP_TIMEOUT_MS=60000 run 0 udev-add $VF
check "udev-add while apply holds the lock does not wait for it ($MS ms)" test "$MS" -lt 30000
check "... leaving the VF to it" grep -q "^$VF: left to apply (process $HOLDER), which holds the lock of $PF$" <<<"$ERR"
unhold
hold bind
VVP_TIMEOUT_MS=300 run 1 udev-add $VF
check "udev-add waits for another holder, bounded ($MS ms)" test "$MS" -ge 300 -a "$MS" -lt 30000
check "... then fails in one line naming the holder" \
	grep -qx "Error: vvp.conf not applied to new VF $VF: cannot lock $PF for udev-add $VF (process $HOLDER holds it for bind; waited [0-9]* ms: .*" <<<"$ERR"
unhold
config "[pf 0000:01:00.0]" "num_vfs = 4" "bogus = 1"
run 1 udev-add $VF
check "udev-add with a bad config fails in one line naming its first problem" \
	grep -qx "Error: vvp.conf not applied to new VF $VF: the config is invalid (1 problem, the first: $VVP_CONFIG_DIR/vvp.conf:3: .*); run vvpctl check-config" <<<"$ERR"
config "[pf 0000:02:00.0]" "num_vfs = 4"
run 0 udev-add $VF
check "udev-add of a VF whose PF the config does not name changes nothing" \
	test "$(snapshot)" = "$before"

# ---- udev-add: a burst of new VFs is planned once ----------------------------------
# udev gives the helper its event's number (SEQNUM); each helper registers
# it (udev-burst/PF/VF) before it waits for the lock; the first to get the
# lock plans every registered VF and marks them done; a later one whose
# entry says done exits at once. driver = none: the unbound VFs need no
# step, so nothing is written to sysfs.
config "[pf $PF]" "num_vfs = 4" "driver = none"
before=$(snapshot)
BURST=$VVP_RUN_DIR/udev-burst/$PF
mkdir -p "$BURST"
echo 95 >"$BURST/0000:01:00.3"		# a helper of the burst, waiting
SEQNUM=90 run 0 udev-add $VF
check "burst: the first helper marks the waiting one's VF done" \
	test "$(cat "$BURST/0000:01:00.3" 2>/dev/null)" = "95 done"
check "burst: ... its own entry gone, none for VFs with no helper (opted out)" \
	test "$(ls "$BURST")" = "0000:01:00.3"
SEQNUM=95 run 0 udev-add 0000:01:00.3
check "burst: the later helper is done at once" \
	grep -qx "0000:01:00.3: configured already, with the other new VFs of $PF" <<<"$ERR"
check "burst: ... and its entry goes" test -z "$(ls "$BURST")"
echo "96 failed" >"$BURST/0000:01:00.4"
SEQNUM=96 run 0 udev-add 0000:01:00.4
check "burst: after a failed burst, the VF is planned alone" \
	not grep -q "configured already" <<<"$ERR"
run 0 udev-add 0000:01:00.4
check "burst: by hand (no SEQNUM), the VF is planned alone and registers nothing" \
	test -z "$(ls "$BURST")"
check "burst: nothing written to sysfs" test "$(snapshot)" = "$before"
rm -rf "$VVP_RUN_DIR/udev-burst"

not_listed() { ! "$VVPCTL" "$1" | grep -qE 'udev-add|boot-wait'; }
check "vvpctl --help does not list the helpers" not_listed --help
check "vvpctl --list-cmds (bash completion) does not either" not_listed --list-cmds

echo "1..$n"
[ "$fails" -eq 0 ]
