#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# removal: surprise removal while vvpctl and a VFIO client are busy (issue
# 13). On the NVMe PF 0000:01:00.0 (MSI-X in the VFs' BAR0) and the igb PF
# 0000:02:00.0 (MSI-X in BAR3), with vvp_sim as owner, VF 1 transitional
# on vvp_vfio_pci and VF 2 provisioned too, four loops run:
#   bind       vvpctl bind VF2 --driver vvp_vfio_pci, vvpctl unbind VF2
#   provision  vvpctl provision VF2 --mtu 1500|9000
#   owner      vvpctl owner show PF
#   bar0       legacy_probe --bench: open VF1 through VFIO, legacy BAR0
#              reads, close
# plus one vvpctl monitor -j; then the owner goes, either by the sim's
# debugfs surprise_remove or by removing the PF from the PCI bus
# (echo 1 > /sys/bus/pci/devices/PF/remove). Checked for every command
# the loops ran: none died of a signal, every vvpctl failure says
# "Error: ...", nothing that needs the owner (a bind to vvp_vfio_pci, a
# provision, owner show, a BAR0 read) succeeded once the removal had
# returned (a false success), and each loop did succeed before it. The
# monitor reports owner_del and exits 0 on SIGINT; the loops end (no
# hang); the modules unload; after a PF removal, a PCI rescan brings the
# PF back on its driver, and VFs are created, provisioned, bound and read
# through BAR0 again. The runner checks dmesg after the scenario (WARNING,
# BUG, Oops, Call Trace); Debian's kernel has no lockdep (PROVE_LOCKING is
# not set), so lockdep splats cannot show here.
#
# Rounds per kind and layout: VVP_REMOVAL_ROUNDS (default 1; the kernel
# command line's vvp_removal_rounds=N, run.sh --removal-rounds N).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvp_vfio

ROUNDS=${VVP_REMOVAL_ROUNDS:-1}
L=$T_DIR/removal
MAC=52:54:00:00:0e:01
LOOPS="bind provision owner bar0"
SURVIVED=0

# the layout under test: use_pf PF
use_pf() {
	LPF=$1
	LPF_SYS=$PCI/devices/$1
	LPF_DRV=$(dev_driver $1)
}
lvf() { basename "$(readlink "$LPF_SYS/virtfn$1")"; }

# setup: modules, 2 VFs, the sim attached, VF1 and VF2 provisioned
# transitional, VF1 on vvp_vfio_pci; quiet, exit status only
setup() {
	modprobe vvp_sim && modprobe vvp_vfio_pci || return 1
	echo 0 >"$LPF_SYS/sriov_drivers_autoprobe"
	vvpctl enable $LPF --num-vfs 2 >/dev/null || return 1
	echo $LPF >/sys/kernel/vvp_sim/attach || return 1
	V=$(lvf 0) W=$(lvf 1)
	vvpctl provision $V --mac $MAC --transitional on >/dev/null &&
		vvpctl provision $W --transitional on >/dev/null &&
		vvpctl bind $V --driver vvp_vfio_pci >/dev/null || return 1
	legacy_probe --bench 4 "$(vf_group $V)" $V >/dev/null
}

# teardown: VFs unbound and gone, the sim detached, modules unloaded
teardown() {
	local v
	if [ -e "$LPF_SYS" ]; then
		for v in $(PF_SYS=$LPF_SYS vf_list); do raw_unbind $v; done
		echo 0 >"$LPF_SYS/sriov_numvfs"
	fi
	grep -q "$LPF" /sys/kernel/vvp_sim/list 2>/dev/null &&
		echo $LPF >/sys/kernel/vvp_sim/detach
	unload
}

# logrun LOG CMD...: one line per run, "start end rc|command|error line"
# (start and end in microseconds; the error line is the first "Error:"
# line of stderr, else its first line)
logrun() {
	local log=$1 t0 t1 rc e
	shift
	t0=$(now)
	"$@" >/dev/null 2>$log.err && rc=0 || rc=$?
	t1=$(now)
	e=$(grep -m1 '^Error: ' $log.err || head -1 $log.err)
	echo "$t0 $t1 $rc|$*|$e" >>$log
}
bind_loop() {
	while [ ! -e $L/stop ]; do
		logrun $L/bind vvpctl bind $W --driver vvp_vfio_pci
		logrun $L/bind vvpctl unbind $W
	done
}
provision_loop() {
	while [ ! -e $L/stop ]; do
		logrun $L/provision vvpctl provision $W --mtu 9000
		logrun $L/provision vvpctl provision $W --mtu 1500
	done
}
owner_loop() {
	while [ ! -e $L/stop ]; do logrun $L/owner vvpctl owner show $LPF; done
}
# the whole legacy probe, not bare BAR0 reads: a VF opened without an
# owner is plain vfio-pci, whose BAR0 reads would succeed too
bar0_loop() {
	local g
	g=$(vf_group $V)
	while [ ! -e $L/stop ]; do logrun $L/bar0 legacy_probe --mac $MAC "$g" $V; done
}

# until LOOPS each have a line that AWK_COND matches (bounded: 90 s)
wait_loops() {
	local i l n
	for i in $(seq 1 900); do
		n=0
		for l in $LOOPS; do
			awk -v tr="${2:-0}" "$1 { f = 1 } END { exit !f }" $L/$l 2>/dev/null &&
				n=$((n + 1))
		done
		[ $n = $(wc -w <<<"$LOOPS") ] && return 0
		sleep 0.1
	done
	return 1
}
nfailed() { cat $T_DIR/failed.$SCENARIO 2>/dev/null | wc -l; }
alive() {   # alive PID...: true while any of them runs
	local p
	for p; do kill -0 $p 2>/dev/null && return 0; done
	return 1
}

# judge NAME TR: the commands of loop NAME against the removal that
# returned at TR (us): ran and succeeded before it, no signal, vvpctl's
# failures say Error:, no success of a command needing the owner after it
# (an unbind needs none)
judge() {
	local name=$1 tr=$2 what=$3 f=$L/$1
	local n before sig noerr false
	n=$(wc -l <$f)
	before=$(awk -v tr=$tr '{ split($0, a, "|"); split(a[1], t, " ") }
		t[2] < tr && t[3] == 0 { n++ } END { print n + 0 }' $f)
	sig=$(awk '{ split($0, a, "|"); split(a[1], t, " ") } t[3] >= 128' $f)
	noerr=$(awk '{ split($0, a, "|"); split(a[1], t, " ") }
		t[3] != 0 && a[2] ~ /^vvpctl / && a[3] !~ /^Error: .+/' $f)
	false=$(awk -v tr=$tr '{ split($0, a, "|"); split(a[1], t, " ") }
		t[1] > tr && t[3] == 0 && a[2] !~ /^vvpctl unbind /' $f)
	echo "  $name: $n commands, $before succeeded before the removal," \
		"$(awk -v tr=$tr '{ split($1, t, " ") } t[1] > tr' $f | wc -l) started after it"
	grep -v '^[0-9]* [0-9]* 0|' $f | cut -d'|' -f2- | sort | uniq -c | sed 's/^/    /' | head -8
	check "$what: $name loop worked before the removal ($before successes)" test "$before" -gt 0
	assert_eq "$what: $name loop: no command died of a signal" "$sig" ""
	assert_eq "$what: $name loop: every vvpctl failure says Error: <what>" "$noerr" ""
	assert_eq "$what: $name loop: no false success after the removal" "$false" ""
}

# The kernel's nvme driver leaves SR-IOV on when its PF is removed ("driver
# left SR-IOV enabled after remove": nvme_remove() has no
# pci_disable_sriov(); virtio_pci_remove() and igb_remove() have one): its
# VFs stay, orphaned, and have no remove file of their own. A rescan would
# collide with them (a WARNING for the duplicate 0000:01:00.1 at the next
# VF enable, then an Oops in the kernel's rescan). An operator clears them
# by removing the port above, as a hot unplug of the slot would.
orphans() {
	local v n=0
	for v in $vfs; do [ -e $PCI/devices/$v ] && n=$((n + 1)); done
	echo "VVPTEST: # removal: $LPF_DRV left $n of its VFs behind its removed PF"
	[ $n = 0 ] || echo 1 >$PCI/devices/$port/remove
	check "$what: no VF left behind" not test -e $PCI/devices/${vfs%% *}
}

# round KIND: setup, the loops and a monitor, the removal, the checks,
# teardown; KIND is surprise (the sim's debugfs) or pci (the PF removed,
# then a PCI rescan)
round() {
	local kind=$1 what="$LPF_DRV PF, $1 removal" tr mon rc i pids=() f0 vfs d0 port
	f0=$(nfailed)
	d0=$(dmesg | wc -l)
	rm -rf $L
	mkdir -p $L
	check "$what: setup (modules, 2 VFs, sim, provision, vvp_vfio_pci, BAR0)" setup
	[ -n "${V:-}" ] && [ "$(dev_driver $V)" = vvp_vfio_pci ] ||
		{ teardown; return 0; }
	vvpctl monitor -j >$L/mon.json 2>$L/mon.err &
	mon=$!
	echo $mon >>$T_DIR/pids
	bind_loop & pids+=($!)
	provision_loop & pids+=($!)
	owner_loop & pids+=($!)
	bar0_loop & pids+=($!)
	echo "${pids[*]}" >>$T_DIR/pids
	# the removal comes once every loop has succeeded, while they run;
	# they stop once every loop has started a command after it
	check "$what: every loop succeeded once before the removal" \
		wait_loops '{ split($0, a, "|"); split(a[1], t, " ") } t[3] == 0'
	vfs=$(PF_SYS=$LPF_SYS vf_list | xargs)
	port=$(basename "$(dirname "$(readlink -f "$LPF_SYS")")")
	if [ $kind = surprise ]; then
		echo 1 >/sys/kernel/debug/vvp_sim/$LPF/surprise_remove
	else
		echo 1 >"$LPF_SYS/remove"
	fi
	tr=$(now)
	check "$what: every loop ran a command after the removal" \
		wait_loops '$1 > tr' $tr
	touch $L/stop
	for i in $(seq 1 600); do
		alive "${pids[@]}" || break
		sleep 0.05
	done
	check "$what: the loops ended within 30 s of the stop (no hang)" \
		not alive "${pids[@]}"
	kill -9 "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
	for i in $LOOPS; do judge $i $tr "$what"; done
	for i in $(seq 1 100); do grep -q owner_del $L/mon.json && break; sleep 0.05; done
	kill -INT $mon
	wait $mon && rc=0 || rc=$?
	assert_eq "$what: monitor -j reported owner_del of $LPF" \
		"$(jq -r 'select(.event == "owner_del") | .owner' $L/mon.json)" $LPF
	assert_eq "$what: monitor -j exits 0 on SIGINT afterwards" "$rc" 0
	if [ $kind = pci ]; then
		check "$what: $LPF is gone" not test -e "$LPF_SYS"
		orphans
		check "$what: vvp_vfio_pci, vvp_sim and vvp unload" unload
		echo 1 >$PCI/rescan
		udevadm settle --timeout=60
		assert_eq "$what: rescan brings $LPF back on $LPF_DRV" "$(dev_driver $LPF)" "$LPF_DRV"
		check "$what: after the rescan: 2 VFs, sim, provision, bind, BAR0" setup
	fi
	teardown
	check "$what: VFs gone, sim detached, modules unloaded" not grep -q '^vvp' /proc/modules
	assert_eq "$what: the kernel logged no WARNING, BUG, Oops or Call Trace" \
		"$(dmesg | tail -n +$((d0 + 1)) | grep -E "$KERNEL_BAD" | head -3)" ""
	[ "$(nfailed)" != "$f0" ] || SURVIVED=$((SURVIVED + 1))
}

layout() {
	local n kind
	use_pf $1
	for kind in surprise pci; do
		for n in $(seq 1 $ROUNDS); do
			round $kind
		done
	done
}

unload || true
layout $PF
# the igb layout: its autoprobe as the boot left it (0), after rescans too
if [ -e "$IGB_PF_SYS" ]; then
	layout $IGB_PF
	echo 0 >"$IGB_PF_SYS/sriov_drivers_autoprobe"
fi
echo "VVPTEST: # removal: $SURVIVED rounds survived of $(( ROUNDS * 2 * ($([ -e "$IGB_PF_SYS" ] && echo 2 || echo 1)) ))"
