#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# boot (profile boot only): Debian's systemd 252 is PID 1 and booted with
# vvp installed as a package (tests/vm/boot-initramfs.sh): vvp-apply.service
# enabled, 80-vvp.rules, modules-load.d, /etc/vvp/vvp.conf for the NVMe PF
# (4 VFs on vfio-pci, VF1 with MAC and MTU, VF2 transitional on
# vvp_vfio_pci through the sim owner), a libvirtd.service stub that
# recorded the VFs when it started. This scenario runs after
# multi-user.target (vvptest-boot.service) and checks:
#  - vvp-apply.service is active (exited), result success, status 0;
#  - libvirtd.service started with every VF on its configured driver and
#    vvpctl status in sync (the ordering is real, not just written down);
#  - the PF is as configured now (vvpctl status exits 0);
#  - the unit started after systemd-udev-trigger and systemd-modules-load
#    had finished and finished before libvirtd started (timestamps);
#  - a broken vvp.conf: restart fails with vvpctl's Error: line in the
#    journal and the PF as it was; no vvp.conf at all: skipped, not failed;
#  - driverctl's real path (05-driverctl.rules -> driverctl@.service) with
#    the PF opted out of 80-vvp.rules binds re-created VFs; then the count
#    write until all VFs are bound, timed: vvp's rule vs driverctl's rule
#    through systemd vs a raw loop (figures only).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl
[ "$(cat /proc/1/comm)" = systemd ] || skip "PID 1 is not systemd (run profile boot)"

UNIT=vvp-apply.service
STUB=/run/vvptest-libvirtd
OPTOUT=/etc/udev/rules.d/79-vvptest-optout.rules
N=4

prop() { systemctl show -p "$2" --value "$1"; }     # prop UNIT PROPERTY
mono() { prop "$1" "${2}TimestampMonotonic"; }      # mono UNIT WHEN: us
sec() { awk "BEGIN { printf \"%.2f\", $1 / 1000000 }"; }
unit_state() {
	echo "$(prop $1 ActiveState)/$(prop $1 SubState)/$(prop $1 Result)/$(prop $1 ExecMainStatus)"
}

# ---- the boot as it happened ---------------------------------------------------
assert_eq "PID 1 is Debian's systemd 252" \
	"$(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')" 252
assert_eq "$UNIT is enabled" "$(systemctl is-enabled $UNIT)" enabled
assert_eq "$UNIT active/exited, result success, ExecMainStatus 0" \
	"$(unit_state $UNIT)" "active/exited/success/0"
journalctl -b -u $UNIT -o cat --no-pager | sed 's/^/  | /'
check "the journal has boot-wait's line: $PF bound to nvme" \
	sh -c "journalctl -b -u $UNIT -o cat --no-pager | grep -q '^$PF: bound to nvme'"
run cat $STUB
assert_eq "libvirtd.service started with $N VFs, each on its configured driver, vvpctl status in sync" \
	"$OUT" "numvfs=$N
$VF0=vfio-pci
$VF1=vfio-pci
$VF2=vvp_vfio_pci
$VF3=vfio-pci
status=0"
run vvpctl status
assert_eq "vvpctl status after boot exits 0 (in sync)" "$RC" 0
vf_json $VF1
assert_eq "VF1 provisioned as configured (MAC, MTU)" \
	"$(jqv '.provisioning.mac + " " + (.provisioning.mtu | tostring)')" "02:11:22:33:44:01 9000"

trig=$(mono systemd-udev-trigger.service ActiveEnter)
mods=$(mono systemd-modules-load.service ActiveEnter)
start=$(mono $UNIT InactiveExit)
apply=$(mono $UNIT ExecMainStart)
done_=$(mono $UNIT ActiveEnter)
virt=$(mono libvirtd.service InactiveExit)
echo "VVPTEST: # boot: udev-trigger done $(sec $trig) s, modules-load done $(sec $mods) s; $UNIT started $(sec $start) s (boot-wait $(sec $((apply - start))) s, apply $(sec $((done_ - apply))) s), done $(sec $done_) s; libvirtd started $(sec $virt) s (uptime, monotonic)"
check "$UNIT started after systemd-udev-trigger finished" test "$start" -ge "$trig"
check "$UNIT started after systemd-modules-load finished" test "$start" -ge "$mods"
check "libvirtd.service started after $UNIT finished" test "$virt" -ge "$done_"

# ---- no config, a broken config, a failing apply -------------------------------
cp $VVP_CONF $T_DIR/vvp.conf.good
before=$(pf_state)
good_conf() { write_vvp_conf <$T_DIR/vvp.conf.good; }
# journal_error CURSOR: the unit's journal after CURSOR has an Error: line.
# Not by _SYSTEMD_INVOCATION_ID=: once, systemctl status showed the run's
# Error: line and a query by the run's invocation ID found nothing.
journal_error() {
	journalctl -u $UNIT -o cat --no-pager --after-cursor="$1" >$T_DIR/journal
	grep -q '^Error: ' $T_DIR/journal
}
# restart_fails WHAT: the unit fails, vvpctl's Error: line in the journal
# of this run (journald reads the unit's stdout on its own time: waited
# for), and the PF as it was (count, drivers, overrides, provisioning)
restart_fails() {
	local c
	c=$(journalctl -n 1 --show-cursor --no-pager | sed -n 's/^-- cursor: //p')
	check "$1: systemctl restart $UNIT fails" not systemctl restart $UNIT
	assert_eq "$1: $UNIT failed, result exit-code, ExecMainStatus 1" \
		"$(unit_state $UNIT)" "failed/failed/exit-code/1"
	systemctl status --no-pager -n 4 $UNIT | sed 's/^/  | /' || true
	check "$1: vvpctl's Error: line in the journal of this run" wait_for 10 journal_error "$c"
	grep '^Error: ' $T_DIR/journal | sed 's/^/  | /' || true
	assert_eq "$1: the PF as it was" "$(pf_state)" "$before"
}
rm -f $VVP_CONF
check "no vvp.conf: systemctl restart $UNIT exits 0" systemctl restart $UNIT
assert_eq "no vvp.conf: skipped (inactive, ConditionResult no, result success), not failed" \
	"$(prop $UNIT ActiveState)/$(prop $UNIT ConditionResult)/$(prop $UNIT Result)" "inactive/no/success"
good_conf
check "vvp.conf back: systemctl restart $UNIT succeeds" systemctl restart $UNIT
assert_eq "vvp.conf back: the apply had nothing to do, the PF as it was" "$(pf_state)" "$before"
# fewer VFs and a multicast MAC: refused before anything is touched
sed -i 's/^num_vfs = 4/num_vfs = 2/; s/^mac = 02:11:22:33:44:01/mac = 03:11:22:33:44:01/' $VVP_CONF
restart_fails "invalid vvp.conf"
# a valid change the owner fails half-way: new MACs for VF1 and VF2, the
# sim fails the second provisioning command; apply rolls the first back
good_conf
sed -i 's/^mac = 02:11:22:33:44:0\([12]\)/mac = 02:11:22:33:55:0\1/' $VVP_CONF
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
DBG=/sys/kernel/debug/vvp_sim/$PF
echo member_set >$DBG/fail_kind; echo 1 >$DBG/fail_skip; echo 1 >$DBG/fail_next
restart_fails "owner fails the 2nd provisioning"
assert_eq "owner fails the 2nd provisioning: the failure was injected" "$(cat $DBG/counters/injected)" 1
echo 0 >$DBG/fail_next; echo 0 >$DBG/fail_skip
good_conf
check "vvp.conf good again: systemctl restart $UNIT succeeds" systemctl restart $UNIT
assert_eq "$UNIT active again" "$(unit_state $UNIT)" "active/exited/success/0"

# ---- driverctl through systemd, and the three ways timed ---------------------------
echo "VVPTEST: # boot: the driverctl and timing part starts at uptime $(cut -d' ' -f1 /proc/uptime) s"
all_bound() { [ "$(vfs_on_vfio)" = "$N" ]; }
recreate() {   # recreate: 0 VFs, then N by the count write alone
	raw_unbind $(vf_list)
	echo 0 >$PF_SYS/sriov_numvfs
	udevadm settle --timeout=60
	echo $N >$PF_SYS/sriov_numvfs
}
reset_vfs() {
	raw_unbind $(vf_list)
	echo 0 >$PF_SYS/sriov_numvfs
	udevadm settle --timeout=60
	[ "$(num_vfs)" = 0 ]
}
by_write() {   # by_write: the count write, then poll until all N bound
	echo $N >$PF_SYS/sriov_numvfs
	local i
	for i in $(seq 6000); do all_bound && return 0; nap 0.01; done
	return 1
}
by_raw() { echo $N >$PF_SYS/sriov_numvfs; raw_bind vfio-pci $(vf_list); }
optout() {   # optout 1|0: the PF's VFs out of 80-vvp.rules or back in
	if [ "$1" = 1 ]; then echo 'ENV{VVP_DISABLE_RULES_FLAG}="1"' >$OPTOUT; else rm -f $OPTOUT; fi
	udevadm control --reload
}

# a driver-only config for all N: every way ends with N VFs on vfio-pci
write_vvp_conf <<-EOF
[pf $PF]
num_vfs = $N
driver = vfio-pci
autoprobe = off
EOF
run vvpctl apply
assert_eq "driver-only vvp.conf applied (markers for the rule)" "$RC" 0
optout 1
for v in $(vf_list); do run driverctl set-override $v vfio-pci; done
assert_eq "driverctl saved $N overrides" "$(ls /etc/driverctl.d | wc -l)" $N
check "reset before driverctl's round" reset_vfs
r=1
bench_time dc by_write
V1=$VF0
assert_eq "driverctl@pci-$V1.service started by 05-driverctl.rules, active" \
	"$(prop driverctl@pci-$V1.service ActiveState)/$(prop driverctl@pci-$V1.service Result)" "active/success"
# a second re-creation: the template instance is still active (RemainAfterExit,
# RefuseManualStop), so systemd may have no job to run for the new add event
recreate
udevadm settle --timeout=60
for i in $(seq 50); do all_bound && break; nap 0.1; done
info "driverctl after a second re-creation on the same boot: $(vfs_on_vfio) of $N VFs bound within 5 s; driverctl@pci-$V1.service $(prop driverctl@pci-$V1.service ActiveState) since $(sec $(mono driverctl@pci-$V1.service ActiveEnter)) s"
reset_vfs
rm -f /etc/driverctl.d/*
raw_all=() vvp_all=()
for r in $(seq 1 ${BENCH_ROUNDS:-3}); do
	optout 1
	bench_time raw by_raw
	optout 0
	bench_time vvp by_write
done
bench_medians raw vvp dc
info "$N VFs, count write until all bound: raw loop median $raw_ms ms of ${raw_all[*]}; vvp's rule median $vvp_ms ms of ${vvp_all[*]}; driverctl's rule via systemd $dc_ms ms (1 round)"
info "ratios: vvp/raw $(ratio $vvp_ms $raw_ms), driverctl/vvp $(ratio $dc_ms $vvp_ms), driverctl/raw $(ratio $dc_ms $raw_ms)"
