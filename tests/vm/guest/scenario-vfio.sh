#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vfio: vvp_vfio_pci on VFs of the emulated NVMe PF 0000:01:00.0, with the
# simulated owner (vvp_sim) attached to the PF. VF 0000:01:00.1 is
# provisioned transitional with a chosen MAC: through VFIO it must look like
# a transitional virtio-net device with an emulated, sizeable I/O BAR0 that a
# legacy driver can probe (tests/vm/src/legacy_probe.c), its accesses landing
# in the sim's register file. VF 0000:01:00.2 is opted out: plain vfio-pci.
# Then: profile changes refused while open, injected owner failures, the
# owner vanishing while open (and a new owner then: the VF busy until the
# old device closes), bind/unbind loops, module unload with a device
# open and then closed, and a refused probe of a VF without an owner.
#
# THEORY OF OPERATION: kmod/vfio_pci/vfio_main.c, vfio_config.c,
# vfio_legacy.c, vfio_bars.c (BAR0 shown elsewhere for MSI-X),
# vfio_cache.c (what the owner is not asked).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl
modinfo vvp_vfio_pci >/dev/null 2>&1 || skip "vvp_vfio_pci.ko is not in the guest (kmod/ not built)"
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug

DBG=/sys/kernel/debug/vvp_sim/$PF
V=0000:01:00.1
W=0000:01:00.2
MAC=52:54:00:12:34:56

kicks() { awk -v q="$2" '$1 == q { print $2 }' "$DBG/members/$1/notifies"; }

# a legacy_probe --shell on $1 as coprocess LP; lp CMD prints its answer
lp_start() {
	coproc LP { legacy_probe --shell "$(vf_group "$1")" "$1" 2>&1; }
	echo $LP_PID >>$T_DIR/pids
	while read -r -t 20 LPREADY <&"${LP[0]}"; do
		echo "  | $LPREADY"
		[ "$LPREADY" = READY ] && return 0
	done
	return 1
}
lp() {
	echo "$*" >&"${LP[1]}"
	read -r -t 20 LPOUT <&"${LP[0]}" || LPOUT="(no answer)"
	echo "+ lp $* -> $LPOUT"
}
lp_stop() {
	exec {LP[1]}>&-
	wait "$LP_PID" 2>/dev/null || true
}
lp_io_on() { lp cr 4 2; lp cw 4 2 $(( ${LPOUT#ok } | 1 )); }

sim_vfio_load
check "vvp_vfio_pci depends on vfio-pci-core and vvp" \
	grep -q 'vfio_pci_core.*vvp\|vvp.*vfio_pci_core' <<<"$(lsmod | grep -E '^(vfio_pci_core|vvp) ' | awk '{print $1" "$4}' | xargs)"
sim_legacy_vfs $PF 4 $MAC $V $W
assert_eq "$V on vvp_vfio_pci" "$(dev_driver $V)" vvp_vfio_pci
assert_eq "$W on vvp_vfio_pci" "$(dev_driver $W)" vvp_vfio_pci

# --- the legacy probe sequence ---
k0=$(kicks 0 0)
probe_checks legacy_probe --mac $MAC "$(vf_group $V)" $V
assert_eq "the sim saw exactly one kick of queue 0 of member 0" "$(kicks 0 0)" $((k0 + 1))
# the NVMe VF keeps MSI-X in its 64-bit BAR0: shown at BAR2 (2 and 3 free)
reloc_type=$(sed -n 's/^# msix bar 2 type //p' $T_DIR/probe.out)
check "dmesg: $V's BAR0, which MSI-X points into, is shown as BAR2" \
	grep -q "$V: vvp_vfio_pci: BAR0 (16384 bytes, 2 capability pointers) shown as BAR2" <<<"$(dmesg)"
check "the sim counted legacy common writes" test "$(cat $DBG/counters/common_write)" -gt 0
check "the sim counted legacy device reads" test "$(cat $DBG/counters/device_read)" -gt 0

# --- owner commands of Linux's legacy probe, with the cache ---
r0=$(sim_reg_cmds $PF)
probe_checks legacy_probe --linux "$(vf_group $V)" $V
cmds_per_access "Linux's legacy virtio-net probe through VFIO (open included)" \
	$PF "$r0" "$(sed -n 's/^linux-probe accesses=//p' $T_DIR/probe.out)"
check "at most one owner command per two guest accesses (ratio $RATIO <= 0.50)" \
	awk -v r="$RATIO" 'BEGIN { exit !(r + 0 > 0 && r + 0 <= 0.5) }'

# --- the owner's notify register must be a 2-byte register of the VF ---
# vvp.ko checks every backend's legacy_notify_info answer (the virtio
# backend's own check wrapped: offset + 2 overflowed for an offset near
# U64_MAX, and an odd offset passed); vvp_sim answers what its knobs say.
# The VF's BAR0 is 16 KiB; BAR6 does not exist.
for where in "0 0xfffffffffffffffe" "0 0x3fff" "0 1" "6 0"; do
	set -- $where
	echo "$1" >$DBG/notify_bar
	echo "$2" >$DBG/notify_offset
	dmesg -c >/dev/null
	run legacy_probe --linux "$(vf_group $V)" $V
	check "open refused: the owner puts the notify register at BAR$1 offset $2" \
		test "$RC" -ne 0
	check "dmesg says why (BAR$1 offset $2)" grep -q \
		"$V: vvp: backend sim puts the legacy notify register at BAR$1 offset 0x$(printf '%x' $2), not a 2-byte register of this VF" \
		<<<"$(dmesg)"
done
echo -1 >$DBG/notify_bar
probe_checks legacy_probe --mac $MAC "$(vf_group $V)" $V

# --- opted out: vfio-pci as usual ---
probe_checks legacy_probe --modern "$(vf_group $W)" $W
assert_eq "$V's relocated BAR2 has the type bits of the VF's own BAR0 (as $W shows it)" \
	"${reloc_type:-none}" "$(sed -n 's/^# bar0 type //p' $T_DIR/probe.out)"

# --- unprivileged readers neither call the owner nor stall guest I/O ---
# Every owner command sleeps delay_ms under the owner's lock, which every
# legacy access waits for. A member read that asked the owner (as each one
# did: member files are 0444) held that lock for delay_ms too, so a loop
# of cat by any user doubled a guest's access time. Reads are the core's
# copy now: once it is filled (the root read below), they cost the owner
# nothing. The readers are cheap (cat), so that guest CPU is not what the
# ratio measures; vvpctl owner show as nobody is shown in the owner
# scenario not to ask the owner either.
bench_s() {
	legacy_probe --bench 30 "$(vf_group $V)" $V |
		sed -n 's/^bench bar0 .*seconds=\([0-9.]*\).*/\1/p'
}
run vvpctl owner show $PF
echo 100 >$DBG/delay_ms
alone=$(bench_s)
g0=$(cat $DBG/counters/member_get)
touch /tmp/readers.on
as_nobody "while [ -e /tmp/readers.on ]; do cat $PF_SYS/vvp/members/0/mtu \
	$PF_SYS/vvp/members/0/busy $PF_SYS/vvp/members/1/mac; \
	echo round; done" >$T_DIR/readers.out 2>&1 &
sleep 1
r0=$(grep -c '^round' $T_DIR/readers.out || true)
busy=$(bench_s)
r1=$(grep -c '^round' $T_DIR/readers.out || true)
rm -f /tmp/readers.on
wait $! || true
echo 0 >$DBG/delay_ms
ratio=$(awk -v a="$alone" -v b="$busy" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "nan" }')
echo "30 BAR0 reads at delay_ms 100: alone ${alone}s, with unprivileged readers ${busy}s (ratio $ratio), reader rounds during the reads: $((r1 - r0))"
check "unprivileged readers ran during the BAR0 reads ($((r1 - r0)) rounds)" test $((r1 - r0)) -ge 3
check "the readers saw the members (no error)" not grep -qi 'error\|denied\|No such' $T_DIR/readers.out
assert_eq "unprivileged readers made no member_get of the owner" "$(cat $DBG/counters/member_get)" "$g0"
check "BAR0 reads not slowed by the readers (ratio $ratio < 1.5)" awk -v r="$ratio" 'BEGIN { exit !(r + 0 > 0 && r + 0 < 1.5) }'

# --- profile changes refused while the device is open ---
check "legacy_probe --shell opens $V" lp_start $V
run vvpctl provision $V --transitional off
assert_eq "provision --transitional off exits 1 while $V is open" "$RC" 1
check "...and the error says the member is in use" grep -qi 'in use' <<<"$ERRS"
lp_io_on
lp r 0 4
assert_eq "BAR0 host features readable" "${LPOUT%% *}" ok

# --- the cache: what the owner is asked, by the sim's counters ---
cnt() { cat $DBG/counters/$1; }
cr=$(cnt common_read) cw=$(cnt common_write)
lp r 0 4
lp r 0 4
assert_eq "host features again, twice: the owner is not asked" "$(( $(cnt common_read) - cr ))" 0
lp w 18 1 0
assert_eq "a reset of a device reset at open, nothing written since, is not sent" "$(( $(cnt common_write) - cw ))" 0
lp w 18 1 1
lp w 18 1 0
assert_eq "a reset after a write goes to the owner" "$(( $(cnt common_write) - cw ))" 2
lp r 0 4
assert_eq "after a reset the host features are asked again" "$(( $(cnt common_read) - cr ))" 1
lp w 14 2 1
lp r 12 2
lp r 12 2
assert_eq "queue 1's size asked once" "$(( $(cnt common_read) - cr ))" 2
assert_eq "select 1 (after the reset's 0) goes to the owner" "$(( $(cnt common_write) - cw ))" 3
lp w 14 2 1
assert_eq "select 1 again is not sent" "$(( $(cnt common_write) - cw ))" 3
lp r 8 4
assert_eq "queue 1's PFN after a reset is 0, not asked" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0 2"
lp w 8 4 0x4321
lp r 8 4
assert_eq "a PFN written reads back without asking" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0x4321 2"
lp r 18 1
lp r 18 1
assert_eq "status after a reset is 0, not asked" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0 2"
lp w 18 1 3
lp r 18 1
assert_eq "status ACKNOWLEDGE|DRIVER written reads back without asking" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0x3 2"
lp w 18 1 0xb
lp r 18 1
assert_eq "status with FEATURES_OK (a device may refuse it) is asked" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0xb 3"
lp r 19 1
lp r 19 1
assert_eq "ISR is asked every time (read clears it)" "$(( $(cnt common_read) - cr ))" 5
lp w 4 4 0x20
lp r 4 4
assert_eq "guest features, a subset of the host's, read back without asking" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0x20 5"
lp w 4 4 0x80000020
lp r 4 4
assert_eq "guest features with a bit not offered are asked (the device masks it)" "$LPOUT $(( $(cnt common_read) - cr ))" "ok 0x20 6"
lp msix on
lp w 14 2 0
lp w 22 2 0
lp r 22 2
lp r 22 2
lp msix off
assert_eq "the queue vector is asked every time (a device may answer NO_VECTOR)" "$(( $(cnt common_read) - cr ))" 8
dr=$(cnt device_read)
lp r 30 2
lp r 30 2
lp r 31 1
assert_eq "the mtu (device config 10, at 30) is asked once: the device config read whole" "$(( $(cnt device_read) - dr ))" 1
lp r 20 1
mac0=${LPOUT#ok }
for i in 1 2 3 4 5; do lp r $((20 + i)) 1; done
lp r 20 1
assert_eq "the MAC byte by byte, twice: kept from that read (no CTRL_MAC_ADDR)" "$(( $(cnt device_read) - dr ))" 1
assert_eq "...and its first byte is the provisioned one" "$mac0" 0x52
lp w 20 1 0x52
lp r 20 1
assert_eq "a MAC byte written is asked again" "$(( $(cnt device_read) - dr ))" 2
lp r 19 1
lp r 26 1
lp r 27 1
assert_eq "link status byte by byte: one command for both bytes" "$(( $(cnt device_read) - dr ))" 3
lp r 27 1
lp r 26 1
assert_eq "link status again: asked again (never kept)" "$(( $(cnt device_read) - dr ))" 4
lp r 26 1
lp r 19 1
lp r 27 1
assert_eq "the rest of the device config read answers the very next access only" "$(( $(cnt device_read) - dr ))" 6
lp w 18 1 0

# --- injected owner failure: that access fails, the next works ---
# (ISR: never cached, every read asks the owner)
echo common_read >$DBG/fail_kind
echo 5 >$DBG/fail_errno
echo 1 >$DBG/fail_next
lp r 19 1
assert_eq "injected EIO on a BAR0 read comes back as errno 5" "$LPOUT" "err 5"
lp r 19 1
assert_eq "the next BAR0 read works" "${LPOUT%% *}" ok
echo any >$DBG/fail_kind

# --- bad access from the shell: out of window, unaligned ---
lp r 64 4
assert_eq "read at the window's end: EINVAL (22)" "$LPOUT" "err 22"
lp r 3 2
assert_eq "unaligned 2-byte read: EINVAL (22)" "$LPOUT" "err 22"

# --- module unload refused while open ---
check "rmmod vvp_vfio_pci refused while a device is open" not rmmod vvp_vfio_pci

# --- the owner vanishes while the device is open ---
echo 1 >$DBG/surprise_remove
lp r 0 4
assert_eq "BAR0 read after the owner vanished: ENODEV (19)" "$LPOUT" "err 19"
lp w 18 1 0
assert_eq "BAR0 write after the owner vanished: ENODEV (19)" "$LPOUT" "err 19"
# a new owner while the old device is still open: the member is busy
# (a guest still has it), provisioning it is refused, saying why
check "re-attach the sim while $V is still open" sh -c "echo $PF > /sys/kernel/vvp_sim/attach"
assert_eq "the new owner shows member 0 busy (sysfs)" "$(cat $PF_SYS/vvp/members/0/busy)" 1
run vvpctl show -j $V
assert_eq "the new owner shows member 0 busy (netlink)" "$(jqv .provisioning.busy)" true
run vvpctl provision $V --mac $MAC --transitional on
assert_eq "provision refused while open on the previous owner: exit 1" "$RC" 1
check "...saying it is open on its previous owner" grep -q 'still open through vvp_vfio_pci on its previous owner' <<<"$ERRS"
check "...with EBUSY" grep -q 'Device or resource busy' <<<"$ERRS"
lp r 0 4
assert_eq "the old device stays unusable on the new owner: ENODEV (19)" "$LPOUT" "err 19"
lp_stop
check "the device closes cleanly after its owner vanished" true
assert_eq "closed: member 0 no longer busy" "$(cat $PF_SYS/vvp/members/0/busy)" 0

# --- the owner's module unloaded while the device is open ---
run vvpctl provision $V --mac $MAC --transitional on
assert_eq "provision again after re-attach" "$RC" 0
check "legacy_probe --shell opens $V (owner module about to go)" lp_start $V
lp_io_on
lp r 0 4
assert_eq "BAR0 readable before the unload" "${LPOUT%% *}" ok
check "rmmod vvp_sim while $V is open" rmmod vvp_sim
lp r 0 4
assert_eq "BAR0 read after the owner's module left: ENODEV (19)" "$LPOUT" "err 19"
lp w 16 2 0
assert_eq "queue notify after the owner's module left: ENODEV (19)" "$LPOUT" "err 19"
lp_stop
check "modprobe vvp_sim again" modprobe vvp_sim
check "re-attach the sim once more" sh -c "echo $PF > /sys/kernel/vvp_sim/attach"
run vvpctl provision $V --mac $MAC --transitional on
assert_eq "provision after the reload" "$RC" 0
loops=0
for i in 1 2 3 4 5; do
	vvpctl unbind $V >/dev/null 2>&1 || break
	vvpctl bind $V --driver vvp_vfio_pci >/dev/null 2>&1 || break
	legacy_probe --mac $MAC "$(vf_group $V)" $V >/dev/null 2>&1 || break
	loops=$i
done
assert_eq "5 rounds of unbind, bind, legacy probe" "$loops" 5

# --- unload with a device open, then closed ---
check "legacy_probe --shell opens $V again" lp_start $V
lp_stop
run vvpctl unbind $V $W
assert_eq "unbind both" "$RC" 0
check "rmmod vvp_vfio_pci once no device is bound" rmmod vvp_vfio_pci
check "modprobe vvp_vfio_pci again" modprobe vvp_vfio_pci

# --- no owner, not virtio-net: refused at probe ---
check "detach the sim" sh -c "echo $PF > /sys/kernel/vvp_sim/detach"
dmesg -c >/dev/null
run vvpctl bind $V --driver vvp_vfio_pci
assert_eq "bind of an nvme VF without an owner exits 1" "$RC" 1
check "dmesg says why the probe refused it" grep -q 'not a virtio-net VF' <<<"$(dmesg)"
assert_eq "$V back unbound (rolled back)" "$(dev_driver $V)" ""
