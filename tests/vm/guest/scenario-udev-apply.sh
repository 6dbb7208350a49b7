#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# udev-apply: vvp.conf applied by the boot unit and by the udev rule, with
# the real systemd-udevd running, vvp.ko + vvp_sim.ko attached to the
# emulated NVMe PF 0000:01:00.0 (4 VFs, VF n = 0000:01:00.(n+1)) and
# vvp_vfio_pci loaded; both installed from the stage as make install puts
# them (80-vvp.rules in /usr/lib/udev/rules.d, vvp-apply.service's
# commands run as systemd would, there being no systemd in the guest).
#
#  - the boot path (the unit's ExecStartPre and ExecStart) applies the
#    config with udevd running and writes the rule's markers; the apply
#    takes its PF's markers away while it creates the VFs, so the helper
#    does not even start for them;
#  - vvpctl enable, which holds the PF's lock while it waits for udev,
#    with the markers there: the helper leaves each new VF with
#    provisioning keys to it at once instead of waiting for the lock
#    (which would keep enable waiting until its udev timeout); the rule
#    binds the driver-only ones itself, as for any creator;
#  - VFs created by hand (echo 4 > sriov_numvfs, not vvpctl) are
#    provisioned and bound as configured once udevadm settle returns:
#    vfio-pci, and vvp_vfio_pci for a transitional one; the driver-only
#    ones by udevd itself (no vvpctl started: udevd's debug log), those
#    with provisioning keys by one helper for the burst;
#  - the rule's own bind finding no driver falls back to the helper, which
#    takes the rule's override away and reports;
#  - VFs of a PF the config does not name are left alone (no marker; a
#    stale marker makes the helper a no-op);
#  - ENV{VVP_DISABLE_RULES_FLAG}="1" from an earlier rule opts a VF out;
#  - a VF the helper cannot configure is left as the kernel made it, and
#    syslog has one line saying why.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

UNIT=/usr/lib/systemd/system/vvp-apply.service
RULES=/usr/lib/udev/rules.d/80-vvp.rules
OPTOUT=/etc/udev/rules.d/79-vvptest-optout.rules
MARKS=/run/vvp/udev
LOG=$T_DIR/syslog

need_sim
[ -e $RULES ] && [ -e $UNIT ] || skip "80-vvp.rules or vvp-apply.service not installed in the stage"

# the unit's command lines, run as systemd would (no shell in between)
unit_run() {   # unit_run KEY: run the KEY= line of the unit
	local line
	line=$(sed -n "s/^$1=//p" $UNIT)
	run $line
}

# udevd in the foreground with --debug, its log in a file, for one step:
# the guest's udevd --daemon logs nowhere, and RUN output is debug-level
udevd_debug() {
	udevadm control --exit
	/usr/lib/systemd/systemd-udevd --debug >$T_DIR/udevd.log 2>&1 &
	UDEVD=$!
	for i in $(seq 100); do udevadm control --ping 2>/dev/null && return; sleep 0.1; done
}
udevd_normal() {
	udevadm control --exit 2>/dev/null || true
	[ -z "${UDEVD:-}" ] || wait $UDEVD 2>/dev/null || true
	UDEVD=
	# a --daemon udevd still exiting made pidof below skip the start
	for i in $(seq 100); do pidof systemd-udevd >/dev/null || break; sleep 0.1; done
	pidof systemd-udevd >/dev/null || /usr/lib/systemd/systemd-udevd --daemon
	# --daemon returns before the child listens: the next udevd_debug's
	# --exit was refused ("Connection refused") on a loaded host
	for i in $(seq 100); do udevadm control --ping 2>/dev/null && return; sleep 0.1; done
}
# whatever happens, the scenarios after this one get udevd back as it was
trap 'udevd_normal; rm -rf $OPTOUT /etc/vvp /run/vvp; udevadm control --reload' EXIT

raw_numvfs() {   # raw_numvfs N: the kernel's count by hand, then settle
	echo 0 >$PF_SYS/sriov_numvfs
	udevadm settle --timeout=60
	[ "$1" = 0 ] || echo "$1" >$PF_SYS/sriov_numvfs
	udevadm settle --timeout=60
}

# VF1 has neither its configured MAC nor the transitional personality
vf1_unprovisioned() {
	local st
	st=$(vf_state $VF1)
	[ "$(cut -d'|' -f5 <<<"$st")" = false ] &&
		[ "$(cut -d'|' -f3 <<<"$st")" != 02:11:22:33:44:01 ]
}

write_config() {
	write_vvp_conf <<-EOF
	[pf $PF]
	num_vfs = 4
	driver = vfio-pci
	autoprobe = off

	[vf $PF/1]
	mac = 02:11:22:33:44:01
	transitional = on
	driver = vvp_vfio_pci

	[vf $PF/2]
	mac = 02:11:22:33:44:02
	mtu = 9000
	EOF
}

# the configured state of all four VFs
assert_configured() {
	local what=$1
	assert_eq "$what: VF0 on vfio-pci" "$(vf_state $VF0 | cut -d'|' -f1,2)" "vfio-pci|vfio-pci"
	assert_eq "$what: VF1 on vvp_vfio_pci, its MAC, transitional" "$(vf_state $VF1 | cut -d'|' -f1-3,5)" \
		"vvp_vfio_pci|vvp_vfio_pci|02:11:22:33:44:01|true"
	assert_eq "$what: VF2 on vfio-pci, its MAC, MTU 9000" "$(vf_state $VF2 | cut -d'|' -f1-4)" \
		"vfio-pci|vfio-pci|02:11:22:33:44:02|9000"
	assert_eq "$what: VF3 on vfio-pci" "$(vf_state $VF3 | cut -d'|' -f1,2)" "vfio-pci|vfio-pci"
}

syslogd -n -O $LOG &
echo $! >>$T_DIR/pids
sim_conf_setup

# ---- the boot path -------------------------------------------------------------
check "udevd runs with 80-vvp.rules in $RULES" pidof systemd-udevd
run vvpctl boot-wait
assert_eq "boot-wait without a config exits 0" "$RC" 0
write_config
check "the unit's condition holds: $VVP_CONF exists" test -e "$(sed -n 's/^ConditionPathExists=|//p' $UNIT)"
udevd_debug
t0=$(now)
unit_run ExecStartPre
assert_eq "boot: ExecStartPre (vvpctl boot-wait) exits 0" "$RC" 0
check "boot-wait: the PF is bound to nvme" grep -q "^$PF: bound to nvme" <<<"$OUT"
unit_run ExecStart
t1=$(now)
udevd_normal
assert_eq "boot: ExecStart (vvpctl apply) exits 0" "$RC" 0
# no wall-clock limit: with six VMs on two host cores this took 29.9 s
# without a single wait; what shows the helper kept out is that it did
# not start (below)
echo "VVPTEST: # udev-apply: boot path (boot-wait + apply of 4 VFs) took $(ms $t0 $t1) ms"
assert_eq "boot: apply made the VFs without starting the rule's helper" \
	"$(grep -ac "vvpctl udev-add" $T_DIR/udevd.log || true)" 0
assert_configured "boot"
assert_eq "boot: a marker for each of the 4 VFs the PF can have" "$(ls $MARKS | sort | tr '\n' ' ')" \
	"$VF0 $VF1 $VF2 $VF3 "
assert_eq "boot: a marker names its PF and index" "$(tr '\n' ' ' <$MARKS/$VF2)" "VVP_PF=$PF VVP_INDEX=2 "
assert_eq "boot: a driver-only VF's marker names its driver, for the rule" "$(tr '\n' ' ' <$MARKS/$VF0)" \
	"VVP_PF=$PF VVP_INDEX=0 VVP_DRIVER=vfio-pci "
run vvpctl status
assert_eq "boot: vvpctl status says in sync" "$RC" 0

# ---- vvpctl enable holds the lock while udev runs the helper ----------------------------
raw_numvfs 0
udevd_debug
t0=$(now)
run vvpctl enable $PF --num-vfs 4
t1=$(now)
udevd_normal
assert_eq "enable with the rule active exits 0" "$RC" 0
# not timed against a limit either: the helper leaving each VF to enable
# (below) is what shows that enable did not wait for it
echo "VVPTEST: # udev-apply: vvpctl enable 0 -> 4 VFs with the rule active: $(ms $t0 $t1) ms"
grep -a 'vvpctl udev-add' $T_DIR/udevd.log | grep -a 'left to enable' >$T_DIR/left || true
cat $T_DIR/left
assert_eq "enable: the helper ran for each VF with provisioning keys and left it to enable" \
	"$(wc -l <$T_DIR/left)" 2
assert_eq "enable: those are as enable made them, unbound" "$(dev_driver $VF1)|$(dev_driver $VF2)" "|"
# the rule cannot tell who created a VF: it binds the driver-only ones
assert_eq "enable: the driver-only VFs bound by the rule itself" \
	"$(dev_driver $VF0) $(dev_driver $VF3)" "vfio-pci vfio-pci"

# ---- VFs created by hand ------------------------------------------------------------
# VF0 and VF3 want vfio-pci and nothing else: the rule binds them itself,
# no process started. VF1 and VF2 have provisioning keys: the helper, the
# first of which configures both. All four VFs exist before udevd handles
# any of their events (its queue stopped), and a test process holds the
# PF's lock until both helpers have registered their VF for the burst, so
# that which helper does the burst does not depend on timing (on a quiet
# host the first helper otherwise finished before the second registered).
raw_numvfs 0
sim_reattach
: >$LOG
udevd_debug
rm -f $T_DIR/hold.fifo && mkfifo $T_DIR/hold.fifo
lock_hold /run/vvp/$PF.lock "udev-apply test" <$T_DIR/hold.fifo >$T_DIR/hold.out &
hold_pid=$!
exec 7>$T_DIR/hold.fifo
wait_for 10 grep -q READY $T_DIR/hold.out
t0=$(now)
udevadm control --stop-exec-queue
echo 4 >$PF_SYS/sriov_numvfs
udevadm control --start-exec-queue
check "by hand: both helpers registered for the burst while the lock was held" \
	wait_for 60 test -e /run/vvp/udev-burst/$PF/$VF1 -a -e /run/vvp/udev-burst/$PF/$VF2
exec 7>&-
wait $hold_pid
udevadm settle --timeout=60
t1=$(now)
udevd_normal
echo "VVPTEST: # udev-apply: echo 4 > sriov_numvfs + udevadm settle: $(ms $t0 $t1) ms"
assert_configured "by hand"
run vvpctl status
assert_eq "by hand: vvpctl status says in sync" "$RC" 0
assert_eq "by hand: no helper started for the driver-only VF0 and VF3" \
	"$(grep -aEc "vvpctl udev-add ($VF0|$VF3)" $T_DIR/udevd.log || true)" 0
for v in $VF0 $VF3; do
	check "by hand: udevd itself wrote $v's driver_override" \
		grep -aq "$v.*driver_override.*vfio-pci" $T_DIR/udevd.log
done
for v in $VF1 $VF2; do
	check "by hand: the helper ran for $v, which has provisioning keys" \
		grep -aq "vvpctl udev-add $v" $T_DIR/udevd.log
done
assert_eq "by hand: syslog has one 'configured' line, for the burst of VF1 and VF2" \
	"$(grep -c 'configured with the other new VFs' $LOG || true)" 1
assert_eq "by hand: the second helper found its VF configured by the first" \
	"$(grep -ac 'configured already, with the other new VFs' $T_DIR/udevd.log || true)" 1

# ---- a whole-PF apply with udevd running, from 0 VFs ----------------------------------
raw_numvfs 0
udevd_debug
t0=$(now)
run vvpctl apply
t1=$(now)
udevd_normal
assert_eq "apply from 0 VFs with udevd and the rule exits 0" "$RC" 0
echo "VVPTEST: # udev-apply: vvpctl apply 0 -> 4 VFs with the rule active: $(ms $t0 $t1) ms"
# not a wall-clock limit (a loaded host passes any): no helper, no wait
assert_eq "apply 0 -> 4: no helper started, so none waited for the lock" \
	"$(grep -ac "vvpctl udev-add" $T_DIR/udevd.log || true)" 0
assert_configured "apply"

# ---- opt-out -------------------------------------------------------------------------------
echo "SUBSYSTEM==\"pci\", KERNEL==\"$VF1\", ENV{VVP_DISABLE_RULES_FLAG}=\"1\"" >$OPTOUT
udevadm control --reload
raw_numvfs 0
sim_reattach
raw_numvfs 4
assert_eq "opt-out: VF1 left unbound, no override" "$(dev_driver $VF1)|$(cat $PCI/devices/$VF1/driver_override)" "|(null)"
check "opt-out: VF1 not provisioned" vf1_unprovisioned
assert_eq "opt-out: VF2 configured still" "$(vf_state $VF2 | cut -d'|' -f1-4)" \
	"vfio-pci|vfio-pci|02:11:22:33:44:02|9000"
rm -f $OPTOUT
udevadm control --reload

# ---- a failure: the VF as the kernel made it, one line in syslog ------------------------
raw_numvfs 0
sim_reattach
rmmod vvp_vfio_pci
: >$LOG
raw_numvfs 4
modprobe vvp_vfio_pci
assert_eq "failure: VF1 left unbound, no override" "$(dev_driver $VF1)|$(cat $PCI/devices/$VF1/driver_override)" "|(null)"
check "failure: VF1's MAC and transitional put back" vf1_unprovisioned
assert_eq "failure: the other VFs configured" "$(dev_driver $VF0) $(dev_driver $VF2) $(dev_driver $VF3)" \
	"vfio-pci vfio-pci vfio-pci"
grep 'vvp.conf not applied' $LOG >$T_DIR/fail.lines || true
cat $T_DIR/fail.lines
assert_eq "failure: syslog has one line for it" "$(wc -l <$T_DIR/fail.lines)" 1
check "failure: the line names the VF and the missing driver" \
	grep -q "vvp.conf not applied to new VF $VF1: .*vvp_vfio_pci" $T_DIR/fail.lines

# ---- the rule's own bind binds nothing: its helper takes over ------------------------
# VF3 configured on a driver that is not loaded: the rule's override and
# probe leave it unbound, and the helper it falls back to takes the
# override away, fails and says why. Its marker as apply writes it for
# that config (test-udev.c checks apply writes it so).
raw_numvfs 0
sim_reattach
printf '\n[vf %s/3]\ndriver = vvp_nosuch\n' $PF >>$VVP_CONF
printf 'VVP_PF=%s\nVVP_INDEX=3\nVVP_DRIVER=vvp_nosuch\n' $PF >$MARKS/$VF3
: >$LOG
udevd_debug
raw_numvfs 4
udevd_normal
check "rule's bind failed: udevd wrote VF3's override itself" \
	grep -aq "$VF3.*driver_override.*vvp_nosuch" $T_DIR/udevd.log
assert_eq "rule's bind failed: VF3 left unbound, no override" \
	"$(dev_driver $VF3)|$(cat $PCI/devices/$VF3/driver_override)" "|(null)"
check "rule's bind failed: syslog says why" \
	grep -q "vvp.conf not applied to new VF $VF3: .*vvp_nosuch" $LOG
assert_eq "rule's bind failed: VF0 bound by the rule still" "$(dev_driver $VF0)" vfio-pci
write_config

# ---- a PF the config does not name ----------------------------------------------------------
raw_numvfs 0
rm -f $VVP_CONF
run vvpctl apply
assert_eq "apply of an empty config exits 0" "$RC" 0
assert_eq "empty config: no markers left" "$(ls $MARKS | wc -l)" 0
: >$LOG
raw_numvfs 4
assert_eq "unmanaged: the 4 VFs left unbound" "$(count_vfs_on '')" 4
# a stale marker: the helper runs, finds the PF not configured, does nothing
raw_numvfs 0
for v in $VF0 $VF1 $VF2 $VF3; do echo "$PF 0" >$MARKS/$v; done
raw_numvfs 4
assert_eq "stale markers: the 4 VFs left unbound" "$(count_vfs_on '')" 4
assert_eq "unmanaged: no helper logged anything" "$(wc -l <$LOG)" 0
run vvpctl udev-add $VF0
assert_eq "udev-add of a VF of an unmanaged PF exits 0" "$RC" 0
assert_eq "... and leaves it unbound" "$(dev_driver $VF0)|$(cat $PCI/devices/$VF0/driver_override)" "|(null)"

echo $PF >$SIM_CTL/detach
rm -rf /etc/vvp /run/vvp
