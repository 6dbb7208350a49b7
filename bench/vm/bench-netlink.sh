#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-netlink: the provisioning of every member of an owner, read two ways,
# in one boot of the VM (tests/vm/run.sh --scenario bench-netlink; profile
# scale: the emulated NVMe PF 0000:01:00.0 with 127 VFs, vvp.ko + vvp_sim.ko
# attached to it):
#   (a) netlink: `vvpctl owner show -j <pf>`, one MEMBER_GET dump of all
#       members (process start, library, JSON output included)
#   (b) sysfs, one process: one `cat` of every file of every member,
#       <pf>/vvp/members/*/{address,mac,mtu,max_vq_pairs,features,
#       transitional,busy}
#   (c) sysfs, per file: the same files read one by one with bash's
#       $(<file), as a shell script would
# Each is run BENCH_NETLINK_RUNS (5) times after one warm-up; the best and
# the median are printed, then the ratios of the medians. Also printed: how
# many member_get commands the backend saw per method (the sim's counter):
# sysfs asks the backend once per file, netlink once per member. Times are
# wall-clock under QEMU TCG: compare the ratios, not the absolute numbers.
# The checks are only that both ways read the same facts.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR

RUNS=${BENCH_NETLINK_RUNS:-5}
CTL=/sys/kernel/vvp_sim
DBG=/sys/kernel/debug/vvp_sim/$PF
OWN=$PF_SYS/vvp
FILES="address mac mtu max_vq_pairs features transitional busy"

command -v vvpctl >/dev/null || skip "vvpctl is not in the guest"
modinfo vvp_sim >/dev/null 2>&1 || skip "vvp_sim.ko is not in the guest (kmod/ not built)"
total=$(cat $PF_SYS/sriov_totalvfs)
[ "$total" -ge 8 ] || skip "PF has only $total VFs; run the scale profile"
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug

echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo $total >$PF_SYS/sriov_numvfs
modprobe vvp_sim
echo $PF >$CTL/attach
N=$(cat $OWN/num_members)
assert_eq "setup: owner with $total members" "$N" "$total"

# (a) netlink
netlink() { vvpctl owner show -j $PF >$T_DIR/nl.json; }
# (b) one cat of every member file
sysfs_cat() {
	local f args=()
	for f in $FILES; do args+=($OWN/members/*/$f); done
	cat "${args[@]}" >$T_DIR/sysfs.txt
}
# (c) one bash $(<file) per file
sysfs_read() {
	local d f out=
	for d in $OWN/members/*; do
		for f in $FILES; do out+="$(<$d/$f) "; done
		out+=$'\n'
	done
	printf '%s' "$out" >$T_DIR/sysfs-read.txt
}

# time_it KEY LABEL FN: median and best of RUNS runs in us; member_get per run
declare -A MED BEST GETS
time_it() {
	local name=$1 label=$2 fn=$3 i t0 t1 g0 times=()
	$fn
	g0=$(cat $DBG/counters/member_get)
	for i in $(seq 1 $RUNS); do
		t0=$(now)
		$fn
		t1=$(now)
		times+=($((t1 - t0)))
	done
	GETS[$name]=$((($(cat $DBG/counters/member_get) - g0) / RUNS))
	IFS=$'\n' times=($(printf '%s\n' "${times[@]}" | sort -n)); unset IFS
	MED[$name]=${times[$((RUNS / 2))]}
	BEST[$name]=${times[0]}
	info "$label: median $((MED[$name] / 1000)).$(printf %03d $((MED[$name] % 1000))) ms," \
		"best $((BEST[$name] / 1000)).$(printf %03d $((BEST[$name] % 1000))) ms" \
		"over $RUNS runs; ${GETS[$name]} member_get commands per run"
}

time_it a "(a) netlink: vvpctl owner show -j, $N members" netlink
time_it b "(b) sysfs: one cat of $((N * 7)) files" sysfs_cat
time_it c "(c) sysfs: bash \$(<file) of $((N * 7)) files" sysfs_read

# the same facts both ways: address mac mtu pairs features transitional busy
jq -r '.members[] | "\(.address) \(.mac) \(.mtu) \(.max_vq_pairs) \(.features) \(if .transitional then 1 else 0 end) \(if .busy then 1 else 0 end)"' \
	$T_DIR/nl.json | while read -r ad mac mtu pairs feat tr busy; do
		printf '%s %s %s %s 0x%016x %s %s\n' $ad $mac $mtu $pairs $feat $tr $busy
	done | sort >$T_DIR/nl.txt
sed 's/ $//' $T_DIR/sysfs-read.txt | sort >$T_DIR/sysfs.sorted
assert_eq "netlink and sysfs agree on all $N members" \
	"$(diff $T_DIR/nl.txt $T_DIR/sysfs.sorted >/dev/null && echo same || diff $T_DIR/nl.txt $T_DIR/sysfs.sorted | head -4)" same
assert_eq "one cat read $((N * 7)) values" "$(wc -l <$T_DIR/sysfs.txt)" $((N * 7))

info "ratio (b) sysfs cat / (a) netlink = $(ratio ${MED[b]} ${MED[a]});" \
	"(c) sysfs bash / (a) netlink = $(ratio ${MED[c]} ${MED[a]})" \
	"(medians; > 1: netlink is faster)"

echo $PF >$CTL/detach
rmmod vvp_sim
rmmod vvp
