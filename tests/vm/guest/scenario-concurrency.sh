#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# concurrency: 8 vvpctl processes at once on the NVMe PF 0000:01:00.0 and
# the igb PF 0000:02:00.0 (profile default), both owned by vvp_sim,
# repeated ROUNDS times (kernel command line vvp_rounds=N, run.sh
# --rounds N; default 4, make check-hardening: 20). Each round one PF, X,
# changes its VF count and the other, Y, has its VFs bound and unbound:
#   enable X (the count alternates 3/4, --force)  provision X's VF 0 (MTU)
#   bind Y's VFs 0 and 1 to vfio-pci              provision Y's VF 1 (MTU)
#   provision Y's VF 0 (MAC)                      owner show -j X
#   unbind Y's VF 2 and X's VF 2 (both PFs: the locks of two PFs)
#   monitor -j (all round long, then SIGTERM)
# Every process is bounded (timeout 120 s: a deadlock fails the round).
# Each either exits 0 and its report is true -- checked at the end of the
# round for the facts no other process of the round writes: X's count,
# the MTUs and the MAC (netlink and the sim), Y's drivers, owner show's
# member count, monitor's events (owner_change for X, member_change for
# each provision that succeeded) -- or it exits 1 with an "Error:" line
# and, for those same facts, changed nothing.
# At the end: every PF's count agrees in sysfs and netlink, no journal or
# lock holder is left, every VF is on vfio-pci or unbound.
#
# THEORY OF OPERATION: libvvp/lock.c (per-PF locks, taken in address
# order), cli/lock.c; docs/hardening.md.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

modinfo vvp_sim >/dev/null 2>&1 || skip "vvp_sim.ko is not in the guest (kmod/ not built)"
[ -e "$IGB_PF_SYS" ] || skip "no igb PF $IGB_PF (profile default has one)"
ROUNDS=${VVP_ROUNDS:-4}
check "modprobe vvp_sim" modprobe vvp_sim
for p in $PF $IGB_PF; do
	check "attach the sim to $p" sh -c "echo $p > /sys/kernel/vvp_sim/attach"
done
q() { "$@" >/dev/null 2>&1; }
vf_of() {   # vf_of PF N: the address of VF N
	basename "$(readlink /sys/bus/pci/devices/$1/virtfn$2)"
}
count_of() { cat /sys/bus/pci/devices/$1/sriov_numvfs; }
mtu_of() {   # mtu_of VF: netlink's and the sim's
	local pf n
	vf_json $1 >/dev/null
	pf=$(basename "$(readlink /sys/bus/pci/devices/$1/physfn)")
	n=$(jqv .index)
	echo "$(jqv .provisioning.mtu)/$(awk '$1 == "mtu" { print $2 }' \
		/sys/kernel/debug/vvp_sim/$pf/members/$n/regs)"
}
mac_of() { vf_json $1 >/dev/null; jqv .provisioning.mac; }
for p in $PF $IGB_PF; do q vvpctl enable $p --num-vfs 4; done

T=$T_DIR/conc
LIE=0 UNCLEAR=0 HUNG=0 OKS=0 ERRS_N=0 SURVIVED=0
# start NAME CMD...: one bounded process of the round
start() {
	local name=$1
	shift
	timeout 120 "$@" >$T.$name.out 2>$T.$name.err &
	echo $! >$T.$name.pid
	echo $! >>$T_DIR/pids
}
# finish NAME: its exit status in $RC; a hang or an unclear failure fails
finish() {
	RC=0
	wait "$(cat $T.$1.pid)" || RC=$?
	if [ $RC = 124 ]; then
		HUNG=$((HUNG + 1))
		fail "round $r: $1 did not end in 120 s"
	elif [ $RC = 0 ]; then
		OKS=$((OKS + 1))
	elif [ $RC = 1 ] && grep -q '^Error: ' $T.$1.err; then
		ERRS_N=$((ERRS_N + 1))
		echo "  round $r: $1: $(grep '^Error: ' $T.$1.err | head -1)"
	else
		UNCLEAR=$((UNCLEAR + 1))
		fail "round $r: $1 exit $RC without an Error: line: $(head -c 300 $T.$1.err)"
	fi
}
# claim NAME WHAT GOT IF-OK [IF-FAILED]: a success of NAME must be true,
# and a failure must have changed nothing
claim() {
	local want=$4
	if [ "$(cat $T.$1.rc)" != 0 ]; then
		[ $# -ge 5 ] || return 0
		want=$5
	fi
	[ "$3" = "$want" ] && return 0
	LIE=$((LIE + 1))
	fail "round $r: $1 exited $(cat $T.$1.rc) but $2 is '$3', not '$want'"
}

t0=$(now)
for r in $(seq 1 $ROUNDS); do
	if [ $((r % 2)) = 1 ]; then X=$PF Y=$IGB_PF; else X=$IGB_PF Y=$PF; fi
	n=$(( $(count_of $X) == 4 ? 3 : 4 ))
	mtu=$((1500 + r)) mac=$(printf '02:00:00:00:%02x:%02x' $r $r)
	# Y: VFs 0 and 1 unbound, VF 2 on vfio-pci
	y0=$(vf_of $Y 0) y1=$(vf_of $Y 1) y2=$(vf_of $Y 2) x0=$(vf_of $X 0) x2=$(vf_of $X 2)
	raw_unbind $y0 $y1
	[ "$(dev_driver $y2)" = vfio-pci ] || raw_bind vfio-pci $y2
	n0=$(count_of $X) mtux0=$(mtu_of $x0) mtuy0=$(mtu_of $y1) mac0=$(mac_of $y0)
	vvpctl monitor -j >$T.monitor.out 2>$T.monitor.err &
	MON=$!
	echo $MON >>$T_DIR/pids
	for i in $(seq 100); do grep -q listening $T.monitor.err && break; sleep 0.05; done
	start enable vvpctl enable $X --num-vfs $n --force --wait 100
	start provx vvpctl provision $x0 --mtu $mtu --wait 100
	start bind vvpctl bind $y0 $y1 --driver vfio-pci --wait 100
	start provy vvpctl provision $y1 --mtu $mtu --wait 100
	start provmac vvpctl provision $y0 --mac $mac --wait 100
	start show vvpctl owner show -j $X
	start unbind vvpctl unbind $y2 $x2 --no-probe --wait 100
	for p in enable provx bind provy provmac show unbind; do
		finish $p
		echo $RC >$T.$p.rc
	done
	sleep 0.3
	kill -TERM $MON
	rc=0
	wait $MON || rc=$?
	echo $rc >$T.monitor.rc
	[ $rc = 0 ] || { UNCLEAR=$((UNCLEAR + 1));
		fail "round $r: monitor exit $rc on SIGTERM: $(head -c 300 $T.monitor.err)"; }
	# the reports, against what no other process of the round writes
	claim enable "$X's VF count" "$(count_of $X)" $n $n0
	claim provx "$x0's MTU (netlink/sim)" "$(mtu_of $x0)" $mtu/$mtu $mtux0
	claim provy "$y1's MTU (netlink/sim)" "$(mtu_of $y1)" $mtu/$mtu $mtuy0
	claim provmac "$y0's MAC" "$(mac_of $y0)" $mac $mac0
	claim bind "$y0 $y1 drivers" "$(dev_driver $y0) $(dev_driver $y1)" \
		"vfio-pci vfio-pci" " "
	claim unbind "$y2's driver" "$(dev_driver $y2)" "" vfio-pci
	claim show "its member count" \
		"$(jq '.members | length' $T.show.out 2>/dev/null || echo bad)" \
		"$(jq '.num_members' $T.show.out 2>/dev/null || echo bad)"
	for p in provx:$x0 provy:$y1 provmac:$y0; do
		dev=${p#*:} p=${p%%:*}
		claim $p "monitor's member_change of $dev" "$(jq -r --arg d $dev \
			'select(.event == "member_change" and .address == $d) | .address' \
			$T.monitor.out 2>/dev/null | head -1)" $dev
	done
	[ "$(cat $T.enable.rc)" != 0 ] || grep -q "owner_change" $T.monitor.out || {
		LIE=$((LIE + 1)); fail "round $r: enable exited 0 and monitor saw no owner_change"; }
	SURVIVED=$((SURVIVED + 1))
done
t1=$(now)

# ---- the end: consistent ------------------------------------------------------------
for p in $PF $IGB_PF; do
	run vvpctl owner show -j $p
	assert_eq "$p: sysfs and netlink agree on the VF count" "$(jqv .num_members)" "$(count_of $p)"
	bad=$(for i in $(seq 0 $(($(count_of $p) - 1))); do
		d=$(dev_driver $(vf_of $p $i)); [ -z "$d" ] || [ "$d" = vfio-pci ] || echo $d; done)
	assert_eq "$p: every VF on vfio-pci or unbound" "$bad" ""
	check "$p: no journal left" not test -e /run/vvp/$p.journal
done
run vvpctl enable $PF --num-vfs 2 --force --wait 5
assert_eq "no lock is left: an enable gets it at once" "$RC" 0
echo "VVPTEST: # concurrency: $SURVIVED of $ROUNDS rounds of 8 processes survived in $(ms $t0 $t1) ms: $OKS succeeded, $ERRS_N failed with an Error:, $LIE false reports, $UNCLEAR unclear failures, $HUNG hung"
assert_eq "rounds survived" $SURVIVED $ROUNDS
assert_eq "false success reports" $LIE 0
assert_eq "failures without a clear Error:" $UNCLEAR 0
assert_eq "processes that hung" $HUNG 0

# ---- done ---------------------------------------------------------------------------
for p in $PF $IGB_PF; do
	q vvpctl disable $p --force
	echo $p >/sys/kernel/vvp_sim/detach
done
unload || true
