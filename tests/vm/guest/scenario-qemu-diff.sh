#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# qemu-diff: the differential test. The same legacy register sequence
# (tests/vm/src/qtest_client.c --diff), through the same QEMU 10.0 vfio-pci
# client inside the test VM, against QEMU's own legacy-only virtio-net
# ($REF_NET: the outer VM's -device virtio-net-pci,disable-modern=on, I/O
# BAR0 of 0x20 bytes, bound to vfio-pci here) and against an igb VF
# provisioned --transitional on with the same MAC, on vvp_vfio_pci with
# vvp_sim as its owner. What the virtio 0.9.5 spec fixes must agree: IDs and
# class, BAR0 an I/O BAR, reset, status, feature negotiation (host
# features read-only, guest features read back), queue select/size/address,
# ISR read-clear, the MSI-X vector registers (read back, NO_VECTOR, a
# vector beyond the table) and the device config moving from 20 to 24 with
# MSI-X on. The differences allowed (device-specific sizes and feature
# sets) are listed with their reasons in qtest_client.c (allowed[]) and
# printed as "# diff: ... differs as allowed".
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_qemu_client
[ -e "$PCI/devices/$REF_NET" ] || skip "no legacy virtio-net $REF_NET (profile default has one)"

MAC=52:54:00:12:34:56		# the outer VM gives $REF_NET this MAC
V=0000:02:10.0

cleanup() {
	raw_unbind $V $REF_NET
	echo $REF_NET >$PCI/drivers_probe 2>/dev/null || true
	echo $IGB_PF >/sys/kernel/vvp_sim/detach 2>/dev/null || true
	echo 0 >$IGB_PF_SYS/sriov_numvfs || true
}
trap cleanup EXIT

assert_eq "$REF_NET is 1af4:1000 (legacy virtio-net)" \
	"$(cat $PCI/devices/$REF_NET/vendor):$(cat $PCI/devices/$REF_NET/device)" 0x1af4:0x1000
raw_unbind $REF_NET
raw_bind vfio-pci $REF_NET
assert_eq "$REF_NET on vfio-pci" "$(dev_driver $REF_NET)" vfio-pci

rmmod vvp_vfio_pci 2>/dev/null || true
check "modprobe vvp_sim" modprobe vvp_sim
check "modprobe vvp_vfio_pci" modprobe vvp_vfio_pci
run vvpctl enable $IGB_PF --num-vfs 1
assert_eq "enable 1 VF of $IGB_PF" "$RC" 0
check "attach the sim to $IGB_PF" sh -c "echo $IGB_PF > /sys/kernel/vvp_sim/attach"
run vvpctl provision $V --mac $MAC --transitional on
assert_eq "provision $V --mac $MAC --transitional on" "$RC" 0
run vvpctl bind $V --driver vvp_vfio_pci
assert_eq "bind $V to vvp_vfio_pci" "$RC" 0

probe_checks qtest_client --diff $REF_NET $V
check "QEMU's virtio-net has the MAC the VF was provisioned with" \
	grep -q "^# $REF_NET devcfg.mac_at_20 0x525400123456\$" $T_DIR/probe.out
