#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sim: vvp.ko and vvp_sim.ko on the emulated NVMe PF 0000:01:00.0 (1b36:0010,
# driver nvme, sriov_totalvfs 4 in profile default), without vvpctl. With
# 4 VFs made through raw sysfs, the sim is attached through
# /sys/kernel/vvp_sim/attach and the PF gets a "sim" owner (<pf>/vvp/) while
# nvme keeps the PF. Its debugfs (/sys/kernel/debug/vvp_sim/<pf>/) shows
# member 0's legacy register file and the command counters; an injected
# failure (fail_next, fail_errno, fail_kind) fails exactly one command with
# that errno (1..511: never a kernel-internal one); surprise_remove takes
# the owner and then its debugfs away; the PF can be attached again,
# detached, and the modules unloaded. Removing
# the PF from the bus detaches it. Then 20 rounds of load, attach, claim,
# detach or unload while attached, unload. The kernel log must stay clean.
#
# THEORY OF OPERATION: kmod/sim/sim_main.c (control), kmod/sim/
# sim_debugfs.c (layout of the debugfs directory), kmod/sim/sim_regs.c
# (register file).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR

CTL=/sys/kernel/vvp_sim
DBG=/sys/kernel/debug/vvp_sim/$PF
OWN=$PF_SYS/vvp

modinfo vvp_sim >/dev/null 2>&1 || skip "vvp_sim.ko is not in the guest (kmod/ not built)"
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug

# sysw FILE VALUE: write VALUE to FILE; $RC is the exit status and $WERR
# the error text (e.g. "File exists"); never fails
sysw() {
	WERR=$( { echo "$2" >"$1"; } 2>&1) && RC=0 || RC=1
	WERR=${WERR##*error: }
	echo "+ echo $2 > $1 -> exit $RC${WERR:+ ($WERR)}"
}
ctr() { cat "$DBG/counters/$1"; }
reg() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/members/${2:-0}/regs"; }
# wait_gone PATH: the path disappears within 5 s
wait_gone() {
	local i
	for i in $(seq 1 50); do [ -e "$1" ] || return 0; sleep 0.1; done
	return 1
}
dmesg_clean() { ! dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace'; }

unload || true
check "modprobe vvp_sim (pulls in vvp)" modprobe vvp_sim
check "vvp is loaded" grep -q '^vvp ' /proc/modules
check "vvp_sim comes from extra/ (the test build)" grep -q /extra/ <<<"$(modinfo -n vvp_sim)"
check "vvp_sim taints with O (out of tree)" grep -q O /sys/module/vvp_sim/taint
check "$CTL/attach is write-only (0200)" test "$(stat -c %a $CTL/attach)" = 200
check "$CTL/detach is write-only (0200)" test "$(stat -c %a $CTL/detach)" = 200
assert_eq "nothing attached after load" "$(cat $CTL/list)" ""

echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo 4 >$PF_SYS/sriov_numvfs
assert_eq "4 VFs through raw sysfs" "$(num_vfs)" 4

# --- attach: strict parsing, SR-IOV PFs only ---
for bad in 0000:01:00 0:1:0.0 "0000:01:00.0 x" 0000:01:20.0 0000:01:00.8 zzzz:01:00.0; do
	sysw $CTL/attach "$bad"
	assert_eq "attach '$bad' fails: Invalid argument" "$RC/$WERR" "1/Invalid argument"
done
check "...and says the expected format" grep -q 'expected DDDD:BB:DD.F' <<<"$(dmesg)"
sysw $CTL/attach 0000:01:00.1
assert_eq "attach of a VF fails: Invalid argument" "$RC/$WERR" "1/Invalid argument"
sysw $CTL/attach 0000:07:00.0
assert_eq "attach of a missing device fails: No such device" "$RC/$WERR" "1/No such device"
sysw $CTL/detach $PF
assert_eq "detach before attach fails: No such file or directory" "$RC/$WERR" \
	"1/No such file or directory"

sysw $CTL/attach $PF
assert_eq "attach $PF exits 0" "$RC" 0
sysw $CTL/attach "$PF"
assert_eq "attach again fails: File exists" "$RC/$WERR" "1/File exists"
assert_eq "list shows $PF" "$(cat $CTL/list)" "$PF"
assert_eq "PF still on nvme" "$(dev_driver $PF)" nvme
assert_eq "owner backend is sim" "$(cat $OWN/backend 2>&1)" sim
assert_eq "owner total_members" "$(cat $OWN/total_members 2>&1)" 4
assert_eq "owner num_members" "$(cat $OWN/num_members 2>&1)" 4
assert_eq "member 0 address" "$(cat $OWN/members/0/address 2>&1)" 0000:01:00.1

# --- debugfs: layout, register file, counters ---
for f in fail_next fail_skip fail_errno fail_kind delay_ms surprise_remove busy_member \
	counters/common_read counters/common_write counters/device_read \
	counters/device_write counters/notify counters/member_get \
	counters/member_set counters/injected members/0/regs members/0/notifies \
	members/3/regs; do
	check "debugfs $f exists" test -e "$DBG/$f"
done
echo "--- $DBG/members/0/regs"; cat "$DBG/members/0/regs"
assert_eq "regs: host_features (MAC STATUS CTRL_VQ MQ MTU NOTIFY_ON_EMPTY ANY_LAYOUT)" \
	"$(reg host_features)" 0x09430028
assert_eq "regs: guest_features 0" "$(reg guest_features)" 0x00000000
assert_eq "regs: status 0" "$(reg status)" 0x00
assert_eq "regs: config_vector none" "$(reg config_vector)" 0xffff
assert_eq "regs: mtu 1500" "$(reg mtu)" 1500
assert_eq "regs: max_virtqueue_pairs 1" "$(reg max_virtqueue_pairs)" 1
assert_eq "regs: 3 queues (1 pair + ctrl)" "$(reg num_queues)" 3
assert_eq "regs: queue 2 size 256, no vector" \
	"$(awk '$1 == "queue" && $2 == 2 { print $6, $8 }' $DBG/members/0/regs)" "256 0xffff"
mac0=$(reg mac)
mac3=$(reg mac 3)
assert_eq "regs: member 0 MAC 52:54:01:00:00:00" "$mac0" 52:54:01:00:00:00
check "regs: members 0 and 3 have different MACs" test "$mac0" != "$mac3"
assert_eq "notifies: 3 queues, none kicked" "$(cat $DBG/members/0/notifies | xargs)" "0 0 1 0 2 0"
assert_eq "fail_errno default 5 (EIO)" "$(cat $DBG/fail_errno)" 5
assert_eq "fail_kind default any" "$(cat $DBG/fail_kind)" any
assert_eq "fail_next default 0" "$(cat $DBG/fail_next)" 0
assert_eq "fail_skip default 0" "$(cat $DBG/fail_skip)" 0

# member_get through the core's sysfs
g0=$(ctr member_get)
assert_eq "core sysfs: member 0 mac = sim's" "$(cat $OWN/members/0/mac)" "$mac0"
assert_eq "core sysfs: member 0 mtu" "$(cat $OWN/members/0/mtu)" 1500
assert_eq "core sysfs: member 1 max_vq_pairs" "$(cat $OWN/members/1/max_vq_pairs)" 1
check "counters/member_get moved" test "$(ctr member_get)" -gt "$g0"

# --- fault injection: one member_get fails with EAGAIN ---
g0=$(ctr member_get)
i0=$(ctr injected)
sysw $DBG/fail_errno 0
assert_eq "fail_errno 0 refused" "$RC" 1
# 512 and up are the kernel's own (ERESTARTSYS, ENOTSUPP, EPROBE_DEFER)
for e in 512 517 524 4095; do
	sysw $DBG/fail_errno $e
	assert_eq "fail_errno $e (kernel-internal) refused: Invalid argument" "$RC/$WERR" \
		"1/Invalid argument"
done
sysw $DBG/fail_errno 511
assert_eq "fail_errno 511 accepted" "$RC/$(cat $DBG/fail_errno)" 0/511
sysw $DBG/fail_kind bogus
assert_eq "fail_kind bogus refused" "$RC" 1
echo 11 >$DBG/fail_errno
echo member_get >$DBG/fail_kind
echo 1 >$DBG/fail_next
assert_eq "fail_kind reads member_get" "$(cat $DBG/fail_kind)" member_get
sysw $DBG/busy_member 2
assert_eq "claim of member 2 fails with the injected EAGAIN" "$RC/$WERR" \
	"1/Resource temporarily unavailable"
assert_eq "fail_next used up" "$(cat $DBG/fail_next)" 0
assert_eq "counters/injected +1" "$(ctr injected)" $((i0 + 1))
assert_eq "counters/member_get +1 (failed commands count)" "$(ctr member_get)" $((g0 + 1))
assert_eq "member 2 not busy" "$(cat $OWN/members/2/busy)" 0
sysw $DBG/busy_member 2
assert_eq "the next claim of member 2 works" "$RC" 0
assert_eq "busy_member lists 2" "$(cat $DBG/busy_member)" 2
assert_eq "core: member 2 busy" "$(cat $OWN/members/2/busy)" 1
sysw $DBG/busy_member 2
assert_eq "claiming member 2 twice: Device or resource busy" "$RC/$WERR" \
	"1/Device or resource busy"
sysw $DBG/busy_member 4
assert_eq "claiming member 4 (of 4): Invalid argument" "$RC/$WERR" "1/Invalid argument"
sysw $DBG/busy_member -1
assert_eq "busy_member -1 releases" "$(cat $DBG/busy_member)/$(cat $OWN/members/2/busy)" "/0"
echo any >$DBG/fail_kind
echo 5 >$DBG/fail_errno

# delay_ms: a member_get takes at least that long (member 3's first read:
# the core asks the sim once, then keeps its copy); the next read of the
# same member is the core's copy: no command, no delay
echo 300 >$DBG/delay_ms
g0=$(ctr member_get)
t0=${EPOCHREALTIME/./}
cat $OWN/members/3/mtu >/dev/null
t1=${EPOCHREALTIME/./}
cat $OWN/members/3/mtu $OWN/members/3/mac $OWN/members/3/busy >/dev/null
t2=${EPOCHREALTIME/./}
echo 0 >$DBG/delay_ms
ms=$(((t1 - t0) / 1000))
# Half the delay, not all of it: under TCG on a loaded host the guest's
# realtime clock and the jiffies msleep() counts have been seen to disagree
# by 50 ms (248 ms measured for a 300 ms sleep). The check only has to tell
# a delayed command (hundreds of ms) from an undelayed one (a few ms).
check "delay_ms 300 delays a command >= 150 ms ($ms ms)" test $ms -ge 150
assert_eq "member 3's first read asked the sim once" "$(ctr member_get)" $((g0 + 1))
ms=$(((t2 - t1) / 1000))
check "later reads of member 3 are the core's copy: not delayed ($ms ms < 300)" test $ms -lt 300
sysw $DBG/delay_ms 100000
assert_eq "delay_ms above 60000 refused" "$RC" 1

# members whose VF does not exist
echo 0 >$PF_SYS/sriov_numvfs
echo 2 >$PF_SYS/sriov_numvfs
assert_eq "owner num_members follows sriov_numvfs" "$(cat $OWN/num_members)" 2
sysw $DBG/busy_member 3
assert_eq "claiming member 3 without its VF: No such device" "$RC/$WERR" "1/No such device"
echo 0 >$PF_SYS/sriov_numvfs
echo 4 >$PF_SYS/sriov_numvfs

# --- surprise removal ---
echo 1 >$DBG/busy_member
sysw $DBG/surprise_remove 2
assert_eq "surprise_remove 2 refused" "$RC" 1
sysw $DBG/surprise_remove 1
assert_eq "surprise_remove 1 exits 0" "$RC" 0
check "owner gone from <pf>/vvp right away" test ! -e $OWN
assert_eq "list empty after surprise removal" "$(cat $CTL/list)" ""
check "debugfs dir goes away" wait_gone $DBG
sysw $CTL/detach $PF
assert_eq "detach after surprise removal: No such file or directory" "$RC/$WERR" \
	"1/No such file or directory"

sysw $CTL/attach $PF
assert_eq "attach again after surprise removal exits 0" "$RC" 0
assert_eq "counters start from 0 again" "$(ctr injected)" 0
assert_eq "owner back" "$(cat $OWN/backend 2>&1)" sim
# the register file is per attach: a fresh one
assert_eq "regs: status 0 again" "$(reg status)" 0x00

# surprise removal, then attach at once (the work may still be pending)
echo 1 >$DBG/surprise_remove
sysw $CTL/attach $PF
assert_eq "attach right after surprise removal exits 0" "$RC" 0
check "...with its debugfs" test -e $DBG/members/0/regs

sysw $CTL/detach "$PF"
assert_eq "detach exits 0" "$RC" 0
assert_eq "list empty" "$(cat $CTL/list)" ""
check "owner gone" test ! -e $OWN
check "debugfs dir gone" test ! -e $DBG
sysw $CTL/detach $PF
assert_eq "detach again fails: No such file or directory" "$RC/$WERR" \
	"1/No such file or directory"
check "unload vvp_sim and vvp" unload

# --- the PF leaves the bus while attached ---
echo 0 >$PF_SYS/sriov_numvfs
modprobe vvp_sim
sysw $CTL/attach $PF
assert_eq "attach before PF removal" "$RC" 0
echo 1 >$PF_SYS/remove
check "PF removed" wait_gone $PF_SYS
assert_eq "list empty after PF removal" "$(cat $CTL/list)" ""
check "dmesg says the PF went" grep -q 'vvp_sim: PF removed' <<<"$(dmesg)"
echo 1 >/sys/bus/pci/rescan
udevadm settle --timeout=60 || true
check "PF back after rescan" test -e $PF_SYS/sriov_numvfs
check "PF back on nvme" test "$(dev_driver $PF)" = nvme
cat $T_DIR/autoprobe0 >$PF_SYS/sriov_drivers_autoprobe
check "unload after PF removal" unload

# --- 20 rounds of load, attach, detach, unload ---
echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo 4 >$PF_SYS/sriov_numvfs
bad=0
for i in $(seq 1 20); do
	modprobe vvp_sim || { bad=$((bad + 1)); continue; }
	echo $PF >$CTL/attach || bad=$((bad + 1))
	cat $OWN/members/$((i % 4))/mac >/dev/null || bad=$((bad + 1))
	echo $((i % 4)) >$DBG/busy_member || bad=$((bad + 1))
	case $((i % 3)) in
	0) echo $PF >$CTL/detach || bad=$((bad + 1)) ;;
	1) ;;	# unload while attached (and claimed): module exit detaches
	2) echo 1 >$DBG/surprise_remove || bad=$((bad + 1)) ;;
	esac
	unload || bad=$((bad + 1))
done
assert_eq "20 rounds of load/attach/claim/detach/unload without an error" "$bad" 0
check "no vvp module left" unload

check "dmesg has no WARNING/BUG/Oops/Call Trace" dmesg_clean
