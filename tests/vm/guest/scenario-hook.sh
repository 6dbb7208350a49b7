#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# hook: vvpctl libvirt-hook run exactly as libvirt runs it, through the
# script make install puts into /etc/libvirt/hooks/qemu.d/vvp (argv
# DOMAIN OP SUBOP -, the domain XML on stdin), on VFs of the emulated NVMe
# PF 0000:01:00.0 provisioned by vvp.ko + vvp_sim.ko (4 VFs, VF n =
# 0000:01:00.(n+1)), with vvp_vfio_pci loaded. The guest's XML assigns VF0
# as a <hostdev>, VF1 and VF2 as <interface type='hostdev'> with MACs
# (and an MTU for VF1).
#
#  - prepare begin: VF0 (idle: no driver) on vfio-pci; VF1 (configured
#    transitional, on vvp_vfio_pci) on vvp_vfio_pci with the guest's MAC
#    and MTU; VF2 on vfio-pci with the guest's MAC (read back through
#    netlink, vvpctl show); VF3, not the guest's, left alone;
#  - every other op (started, stopped, ...) changes nothing;
#  - release end: each VF as vvpctl apply makes it (VF1 gets the config's
#    MAC back; VF2 keeps the guest's, the config setting none);
#  - a prepare whose VF1 cannot be bound (vvp_vfio_pci unloaded) exits 1
#    with one Error: line naming VF1, and every VF is as it was: VF0
#    unbound again, the MACs and MTUs of VF1 and VF2 untouched.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

HOOK=/etc/libvirt/hooks/qemu.d/vvp
XML=$T_DIR/guest1.xml

need_sim
[ -x $HOOK ] || skip "$HOOK not installed in the stage"
trap 'rm -rf /etc/vvp /run/vvp' EXIT

# hook OP SUBOP: the installed script, as libvirt runs it; RC, OUT, ERRS
hook() {
	run $HOOK guest1 "$1" "$2" - <$XML
}

all_states() {
	local v
	for v in $VF0 $VF1 $VF2 $VF3; do echo "$v=$(vf_state $v)"; done
}

sim_conf_setup
printf '%s\n' "[pf $PF]" "num_vfs = 4" "driver = none" "autoprobe = off" "" \
	"[vf $PF/1]" "mac = 02:11:22:33:44:01" "transitional = on" \
	"driver = vvp_vfio_pci" | write_vvp_conf

printf '%s\n' \
	"<domain type='kvm'>" \
	"  <name>guest1</name>" \
	"  <memory unit='KiB'>1048576</memory>" \
	"  <os><type arch='x86_64'>hvm</type></os>" \
	"  <devices>" \
	"    <hostdev mode='subsystem' type='pci' managed='no'>" \
	"      <source>" \
	"        <address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>" \
	"      </source>" \
	"    </hostdev>" \
	"    <interface type='hostdev' managed='no'>" \
	"      <mac address='52:54:00:6d:90:02'/>" \
	"      <source>" \
	"        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x2'/>" \
	"      </source>" \
	"      <mtu size='9000'/>" \
	"    </interface>" \
	"    <interface type='hostdev'>" \
	"      <mac address='52:54:00:6d:90:03'/>" \
	"      <source>" \
	"        <address type='pci' domain='0' bus='1' slot='0' function='3'/>" \
	"      </source>" \
	"    </interface>" \
	"  </devices>" \
	"</domain>" >$XML

run vvpctl apply
assert_eq "apply of the config exits 0" "$RC" 0
idle=$(all_states)
echo "$idle"
assert_eq "idle: VF0 unbound" "$(vf_state $VF0 | cut -d'|' -f1,2)" "|(null)"
assert_eq "idle: VF1 on vvp_vfio_pci, the config's MAC, transitional" \
	"$(vf_state $VF1 | cut -d'|' -f1,3,5)" "vvp_vfio_pci|02:11:22:33:44:01|true"

# ---- prepare begin ----------------------------------------------------------------
t0=$(now)
hook prepare begin
t1=$(now)
echo "VVPTEST: # hook: prepare begin of 3 VFs took $(ms $t0 $t1) ms"
assert_eq "prepare begin exits 0" "$RC" 0
assert_eq "prepare: nothing on stdout or stderr" "$OUT$ERRS" ""
assert_eq "prepare: VF0 on vfio-pci" "$(vf_state $VF0 | cut -d'|' -f1,2)" "vfio-pci|vfio-pci"
assert_eq "prepare: VF1 on vvp_vfio_pci with the guest's MAC and MTU, transitional" \
	"$(vf_state $VF1)" "vvp_vfio_pci|vvp_vfio_pci|52:54:00:6d:90:02|9000|true"
assert_eq "prepare: VF2 on vfio-pci with the guest's MAC" \
	"$(vf_state $VF2 | cut -d'|' -f1-3)" "vfio-pci|vfio-pci|52:54:00:6d:90:03"
assert_eq "prepare: VF3, not the guest's, left alone" "$VF3=$(vf_state $VF3)" \
	"$(grep "^$VF3=" <<<"$idle")"
prepared=$(all_states)

# ---- the other ops: nothing ---------------------------------------------------------
for op in "start begin" "started begin" "stopped end" "reconnect begin" \
	  "migrate begin" "restore begin" "attach begin"; do
	hook $op
	assert_eq "$op: exit 0, nothing printed" "$RC:$OUT$ERRS" "0:"
done
assert_eq "the other ops changed nothing" "$(all_states)" "$prepared"

# ---- release end --------------------------------------------------------------------
hook release end
assert_eq "release end exits 0" "$RC" 0
assert_eq "release: VF0 unbound again, no override" "$(vf_state $VF0 | cut -d'|' -f1,2)" "|(null)"
assert_eq "release: VF1 on vvp_vfio_pci with the config's MAC" \
	"$(vf_state $VF1 | cut -d'|' -f1,3,5)" "vvp_vfio_pci|02:11:22:33:44:01|true"
assert_eq "release: VF2 unbound, the guest's MAC kept (the config sets none)" \
	"$(vf_state $VF2 | cut -d'|' -f1-3)" "|(null)|52:54:00:6d:90:03"
run vvpctl status
assert_eq "release: vvpctl status says in sync" "$RC" 0

# ---- a prepare that fails part-way puts everything back -------------------------------
# VF2 gets a MAC of its own first, so that a MAC the hook would change
# and not put back shows
run vvpctl provision $VF2 --mac 02:11:22:33:44:02
before=$(all_states)
rmmod vvp_vfio_pci
hook prepare begin
modprobe vvp_vfio_pci
assert_eq "prepare with vvp_vfio_pci unloaded exits 1" "$RC" 1
assert_eq "failed prepare: one line on stderr" "$(wc -l <<<"$ERRS")" 1
check "failed prepare: Error: names VF1, the driver, and VF0 put back" \
	grep -q "^Error: cannot prepare VF $VF1 for domain 'guest1' (.*vvp_vfio_pci.*1 VF prepared before it put back); " <<<"$ERRS"
after=$(all_states)
echo "$after"
assert_eq "failed prepare: every VF as it was (drivers, overrides, MACs, MTUs)" "$after" "$before"

echo $PF >$SIM_CTL/detach
