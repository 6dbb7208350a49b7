#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# apply: vvpctl apply and status from a config (vvp.conf(5)) on the emulated
# NVMe PF 0000:01:00.0 (4 VFs in profile default, VF n = 0000:01:00.(n+1)),
# with vvp.ko + vvp_sim.ko as its owner and vvp_vfio_pci loaded. The config:
# 4 VFs on vfio-pci, VF 1 transitional on vvp_vfio_pci, every VF with its
# MAC and MTU 9000, autoprobe off.
#
#  - rollback, the sim refusing the third VF's provisioning (busy_member 2):
#    exit 1 naming the step and the errno; sysfs (count, autoprobe, drivers,
#    overrides) and `owner show -j` exactly as before;
#  - rollback of a count change at the third VF's bind (its driver is not
#    loaded): the same, with the count, the drivers and the provisioning of
#    the VFs the apply created put back;
#  - apply end to end from 0 VFs: count, provisioning, vfio-pci and
#    vvp_vfio_pci; status exit 0;
#  - a second apply: "nothing to do", sysfs unchanged, and the sim's write
#    counters (member_set, common_write, device_write) unchanged;
#  - a manual unbind: status exit 3 flagging that VF's driver; --dry-run
#    prints the fix and changes nothing (sysfs, provisioning, counters);
#    apply fixes it;
#  - SIGKILL of an apply half-way (the sim slowed by delay_ms): status
#    exit 3 reporting it, the next apply undoes it and ends configured;
#  - 8 concurrent applies plus binds: all exit 0, nothing on stderr but
#    reported waits, the configured state at the end.
#
# THEORY OF OPERATION: libvvp/plan.c, apply.c, snapshot.c, journal.c,
# lock.c; kmod/README.sim.md (busy_member, delay_ms, counters).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

DBG=/sys/kernel/debug/vvp_sim/$PF
CONF=$T_DIR/apply.conf
V0=0000:01:00.1 V1=0000:01:00.2 V2=0000:01:00.3 V3=0000:01:00.4

sim_owner_setup

# the config of the scenario, and one with VF 2 on vvp_vfio_pci instead
write_conf() {   # write_conf FILE VF-ON-VVP_VFIO_PCI
	local i
	printf '[pf %s]\nnum_vfs = 4\ndriver = vfio-pci\nautoprobe = off\n' $PF >$1
	for i in 0 1 2 3; do
		printf '\n[vf %s/%d]\nmac = 02:11:22:33:44:0%d\nmtu = 9000\n' $PF $i $i
		[ $i != $2 ] || printf 'transitional = on\ndriver = vvp_vfio_pci\n'
	done >>$1
	chmod 0644 $1
}
write_conf $CONF 1
write_conf $T_DIR/apply2.conf 2
cat $CONF

# the sim's write counters: commands that change something
writes() {
	local k
	for k in member_set common_write device_write; do
		echo -n "$k=$(cat $DBG/counters/$k) "
	done
}
# stderr has nothing but reported lock waits
only_waits() {   # (and bind's own report)
	! grep -v -E '^((apply|bind): (waiting up to [0-9]+ s|waited [0-9]+ ms) for the lock of |bound [0-9]+ VFs? to )' "$1"
}
journal() { test -e /run/vvp/$PF.journal; }
apply() { run vvpctl apply -c $CONF "$@"; }
status() { run vvpctl status -c $CONF "$@"; }

# ---- rollback: the third VF's provisioning refused --------------------------------
run vvpctl enable $PF --num-vfs 4
run vvpctl bind $V0 --driver vfio-pci
run vvpctl provision $V1 --mtu 1400
before=$(pf_state)
echo 2 >$DBG/busy_member
apply
echo -1 >$DBG/busy_member
assert_eq "rollback (provisioning): apply exits 1" "$RC" 1
check "rollback (provisioning): the error names the step and the device" \
	grep -q "failed: provision $V2 " <<<"$ERRS"
check "rollback (provisioning): ... and the errno" grep -q "Device or resource busy" <<<"$ERRS"
check "rollback (provisioning): ... and that the PF was put back" \
	grep -q "$PF was put back as it was before" <<<"$ERRS"
assert_eq "rollback (provisioning): sysfs and provisioning exactly as before" "$(pf_state)" "$before"
check "rollback (provisioning): no journal left" not journal

# ---- rollback: a count change, failing at the third VF's bind ------------------------
run vvpctl disable $PF --force
run vvpctl enable $PF --num-vfs 2
run vvpctl bind $V0 --driver vfio-pci
check "rmmod vvp_vfio_pci (VF 2's driver is missing now)" rmmod vvp_vfio_pci
before=$(pf_state)
run vvpctl apply -c $T_DIR/apply2.conf
assert_eq "rollback (count): apply exits 1" "$RC" 1
check "rollback (count): the error names the bind of the third VF" \
	grep -q "failed: bind $PF/2 none -> vvp_vfio_pci (No such file or directory" <<<"$ERRS"
assert_eq "rollback (count): sysfs and provisioning exactly as before" "$(pf_state)" "$before"
check "modprobe vvp_vfio_pci again" modprobe vvp_vfio_pci

# ---- apply end to end ---------------------------------------------------------------
run vvpctl disable $PF --force
apply
assert_eq "apply from 0 VFs exits 0" "$RC" 0
check "apply printed the plan and 'applied'" grep -q "pf $PF: applied" <<<"$OUT"
assert_eq "4 VFs" "$(num_vfs)" 4
assert_eq "autoprobe off" "$(cat $PF_SYS/sriov_drivers_autoprobe)" 0
assert_eq "drivers" "$(drivers_of_vfs | xargs)" "$V0=vfio-pci $V1=vvp_vfio_pci $V2=vfio-pci $V3=vfio-pci"
assert_eq "overrides" "$(for v in $(vf_list); do cat $PCI/devices/$v/driver_override; done | xargs)" \
	"vfio-pci vvp_vfio_pci vfio-pci vfio-pci"
run vvpctl owner show -j $PF
assert_eq "provisioning" "$(jqv '[.members[] | "\(.mac) \(.mtu) \(.transitional)"] | join(",")')" \
	"02:11:22:33:44:00 9000 false,02:11:22:33:44:01 9000 true,02:11:22:33:44:02 9000 false,02:11:22:33:44:03 9000 false"
status
assert_eq "status after apply: exit 0" "$RC" 0

# ---- apply twice ---------------------------------------------------------------------
before=$(pf_state)
w0=$(writes)
apply
assert_eq "second apply exits 0" "$RC" 0
assert_eq "second apply: nothing to do" "$OUT" "pf $PF: nothing to do"
assert_eq "second apply: sysfs and provisioning unchanged" "$(pf_state)" "$before"
assert_eq "second apply: no sim write command" "$(writes)" "$w0"

# ---- drift, dry run ------------------------------------------------------------------
run vvpctl unbind $V2
status -j
assert_eq "status after a manual unbind: exit 3" "$RC" 3
assert_eq "status -j: only VF 2's driver drifted" \
	"$(jqv '[.[0].vfs[] | .driver.drift] | map(tostring) | join(",")')" "false,false,true,false"
before=$(pf_state)
w0=$(writes)
apply --dry-run
assert_eq "apply --dry-run exits 0" "$RC" 0
check "apply --dry-run plans VF 2's bind" grep -q "bind .*$V2 .* -> vfio-pci" <<<"$OUT"
assert_eq "apply --dry-run: sysfs and provisioning unchanged" "$(pf_state)" "$before"
assert_eq "apply --dry-run: no sim write command" "$(writes)" "$w0"
apply -j
assert_eq "apply -j fixes the drift" "$(jqv '.[0].result')/$(jqv '[.[0].steps[].state] | join(",")')" "applied/done"
status
assert_eq "status after apply: exit 0" "$RC" 0

# ---- SIGKILL half-way ------------------------------------------------------------------
for v in $(vf_list); do run vvpctl provision $v --mtu 1500; done
run vvpctl disable $PF --force
n0=$(cat $DBG/counters/member_set)
echo 300 >$DBG/delay_ms
vvpctl apply -c $CONF >$T_DIR/killed.out 2>&1 &
APID=$!
echo $APID >>$T_DIR/pids
for i in $(seq 600); do
	[ "$(cat $DBG/counters/member_set)" -ge $((n0 + 2)) ] && break
	sleep 0.05
done
kill -9 $APID
wait $APID 2>/dev/null || true
echo 0 >$DBG/delay_ms
check "the killed apply got half-way (2 VFs provisioned)" test "$(cat $DBG/counters/member_set)" -ge $((n0 + 2))
check "the killed apply left its journal" journal
status -j
assert_eq "status after the kill: exit 3" "$RC" 3
assert_eq "status -j reports the killed apply" "$(jqv '.[0].interrupted_pid')" "$APID"
apply
assert_eq "apply after the kill exits 0" "$RC" 0
check "apply says what it undid" grep -q "process $APID died during an apply of $PF" <<<"$ERRS"
check "the journal is gone" not journal
status
assert_eq "status after it: exit 0" "$RC" 0

# ---- 8 concurrent applies plus binds ----------------------------------------------------
run vvpctl unbind $PF --all-vfs --no-probe
for i in $(seq 8); do
	vvpctl apply -c $CONF --wait 300 >$T_DIR/conc.$i.out 2>$T_DIR/conc.$i.err &
	echo $! >$T_DIR/conc.$i.pid
done
vvpctl bind $V0 $V2 $V3 --driver vfio-pci --wait 300 >/dev/null 2>$T_DIR/conc.b1.err &
echo $! >$T_DIR/conc.b1.pid
vvpctl bind $V1 --driver vvp_vfio_pci --wait 300 >/dev/null 2>$T_DIR/conc.b2.err &
echo $! >$T_DIR/conc.b2.pid
for f in $T_DIR/conc.*.pid; do
	p=$(cat $f)
	rc=0
	wait $p || rc=$?
	assert_eq "concurrent $(basename $f .pid): exit 0" "$rc" 0
	e=${f%.pid}.err
	check "concurrent $(basename $f .pid): stderr has only reported waits" only_waits $e
done
cat $T_DIR/conc.*.err
check "some waited, and said so" grep -q "waited" $T_DIR/conc.*.err
status
assert_eq "status after the concurrent run: exit 0" "$RC" 0
assert_eq "drivers after the concurrent run" "$(drivers_of_vfs | xargs)" \
	"$V0=vfio-pci $V1=vvp_vfio_pci $V2=vfio-pci $V3=vfio-pci"

# ---- done: leave the modules as we found them ---------------------------------------------
run vvpctl disable $PF --force
echo $PF >/sys/kernel/vvp_sim/detach
unload || true
