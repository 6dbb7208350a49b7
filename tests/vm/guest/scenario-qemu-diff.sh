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
# ISR read-clear (with bits really set on the VF, see below), the MSI-X
# vector registers (read back, NO_VECTOR, a vector beyond the table) and
# the device config moving from 20 to 24 with MSI-X on. The differences allowed (device-specific sizes and feature
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

sim_vfio_load
sim_legacy_vfs $IGB_PF 1 $MAC $V

# ISR read-clear with bits set: vvp_sim raises both (used buffer, config
# change) through debugfs, as its device would; the first read returns
# them, the second 0. Only on the VF: QEMU's virtio-net raises ISR when it
# uses a buffer (rings in DMA memory and traffic on the outer VM's netdev)
# or when its config changes (set_link on the outer QEMU's monitor), and
# neither can be caused from inside this VM; on both devices the suite
# compares ISR 0 after a reset and after a read.
probe_checks qtest_client --raise-isr 3 \
	"echo 3 >/sys/kernel/debug/vvp_sim/$IGB_PF/members/0/raise_isr" \
	--diff $REF_NET $V
check "QEMU's virtio-net has the MAC the VF was provisioned with" \
	grep -q "^# $REF_NET devcfg.mac_at_20 0x525400123456\$" $T_DIR/probe.out
