#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-vfio: how fast the emulated legacy BAR0 of vvp_vfio_pci answers,
# against what vfio-pci gives on the same VF, in one boot of the VM
# (tests/vm/run.sh --scenario bench-vfio; the NVMe PF 0000:01:00.0 with
# vvp_sim attached as its owner):
#   (a) 4-byte reads of BAR0 offset 0 (host features) of VF 0000:01:00.1 on
#       vvp_vfio_pci, transitional: the first read goes vfio ->
#       vvp_vfio_pci -> vvp.ko -> the sim's register file, the rest are
#       answered from vvp_vfio_pci's cache (kmod/vfio_pci/vfio_cache.c);
#       and of offset 24 (MSI-X off: device config 4..7, the MAC's last
#       two bytes and the link status), which every read asks the owner;
#   (b) 4-byte reads of config space offset 0 of the same VF on vfio-pci
#       (virtualised by vfio-pci-core, never reaching the device).
# Each is BENCH_READS pread()s by tests/vm/src/legacy_probe.c, best of
# BENCH_RUNS (3) runs; the ratio
# (a)/(b) is printed (target >= 0.9). Wall-clock under QEMU TCG: compare
# the ratio, not the numbers. Nothing about speed is asserted.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl
modinfo vvp_vfio_pci >/dev/null 2>&1 || skip "vvp_vfio_pci.ko is not in the guest (kmod/ not built)"

N=${BENCH_READS:-20000}
V=0000:01:00.1
rate() { sed -n 's/.*per_second=\([0-9]*\).*/\1/p' <<<"$1"; }

check "modprobe vvp_sim" modprobe vvp_sim
check "modprobe vvp_vfio_pci" modprobe vvp_vfio_pci
run vvpctl enable $PF --num-vfs 1
assert_eq "one VF" "$RC" 0
echo $PF >/sys/kernel/vvp_sim/attach
run vvpctl provision $V --transitional on
assert_eq "provision $V transitional" "$RC" 0

run vvpctl bind $V --driver vvp_vfio_pci
assert_eq "bind $V to vvp_vfio_pci" "$RC" 0
# best of $R runs each: a VM that shares the host's cores is descheduled
# now and then, which one run of a fraction of a second does not survive
R=${BENCH_RUNS:-3}
best() {
	local i out line
	for i in $(seq $R); do
		out=$(legacy_probe "$@" 2>&1 | grep '^bench ') || true
		info "$out" >&2
		[ -z "$line" ] || [ "$(rate "$out")" -gt "$(rate "$line")" ] && line=$out
	done
	echo "$line"
}
a=$(best --bench $N "$(vf_group $V)" $V)
# device config 4..7 (24): the link status is never kept, every read asks
u=$(best --bench $N --offset 24 "$(vf_group $V)" $V)
run vvpctl bind $V --driver vfio-pci
assert_eq "rebind $V to vfio-pci" "$RC" 0
b=$(best --bench $N --config "$(vf_group $V)" $V)

ra=$(rate "$a")
ru=$(rate "$u")
rb=$(rate "$b")
check "all runs measured" test -n "$ra" -a -n "$ru" -a -n "$rb" -a "${rb:-0}" -gt 0
info "emulated BAR0 $ra reads/s (host features, cached), vfio-pci config $rb reads/s, ratio $(awk "BEGIN { printf \"%.2f\", $ra / $rb }") (target >= 0.9)"
info "emulated BAR0 $ru reads/s (device config 4..7 with the link status, each asks the owner), ratio $(awk "BEGIN { printf \"%.2f\", $ru / $rb }")"

run vvpctl unbind $V
echo $PF >/sys/kernel/vvp_sim/detach
rmmod vvp_vfio_pci vvp_sim vvp
