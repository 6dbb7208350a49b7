#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-bind: time to bind every VF of the PF to vfio-pci, three ways, in one
# boot of the VM (tests/vm/run.sh --scenario bench-bind; profile scale: the
# emulated NVMe PF 0000:01:00.0 with 127 VFs, real udevd running):
#   (a) raw sysfs: driver_override + drivers_probe per VF, in a shell loop
#   (b) vvpctl bind <pf> --all-vfs --driver vfio-pci
#       ((a) and (b) alternate BENCH_ROUNDS (5) times; medians compared)
#   (c) driverctl set-override <vf> vfio-pci per VF, on the first
#       BENCH_DRIVERCTL_VFS (16) VFs only (driverctl costs ~0.25 s per VF
#       under TCG), scaled linearly to all VFs
# Between runs every VF is unbound and its override cleared.  Times are
# wall-clock (bash's $EPOCHREALTIME, us; busybox date has no %N) under QEMU TCG: compare the ratios, not the
# absolute numbers.  Nothing about the times is asserted; the checks are that
# each method really bound the VFs.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR

DC_VFS=${BENCH_DRIVERCTL_VFS:-16}

total=$(cat $PF_SYS/sriov_totalvfs)
[ "$total" -ge 8 ] || skip "PF has only $total VFs; run the scale profile"
echo 0 >$PF_SYS/sriov_drivers_autoprobe
t0=$(now)
echo $total >$PF_SYS/sriov_numvfs
udevadm settle --timeout=600
t1=$(now)
VFS=($(vf_list))
N=${#VFS[@]}
assert_eq "setup: $total VFs created" "$N" "$total"
info "setup: sriov_numvfs 0 -> $N + udevadm settle: $(ms $t0 $t1) ms"

unbind_all() {
	raw_unbind "${VFS[@]}"
	rm -f /etc/driverctl.d/*
	udevadm settle --timeout=600
	[ "$(count_vfs_on '')" = "$N" ]
}


# (a) raw sysfs loop and (b) vvpctl, alternated ROUNDS times: TCG timing
# drifts with the host's load, so compare medians of runs taken side by side
ROUNDS=${BENCH_ROUNDS:-5}
raw_all=() vvp_all=()
have_vvpctl=$(command -v vvpctl || true)
for r in $(seq 1 "$ROUNDS"); do
	t0=$(now)
	raw_bind vfio-pci "${VFS[@]}"
	t1=$(now)
	raw_all+=($(ms $t0 $t1))
	assert_eq "(a) round $r: raw sysfs loop bound all $N VFs" "$(count_vfs_on vfio-pci)" "$N"
	check "reset after (a) round $r: all VFs unbound" unbind_all
	[ -n "$have_vvpctl" ] || continue
	t0=$(now)
	run vvpctl bind $PF --all-vfs --driver vfio-pci
	t1=$(now)
	vvp_all+=($(ms $t0 $t1))
	assert_eq "(b) round $r: vvpctl bind --all-vfs exits 0" "$RC" 0
	assert_eq "(b) round $r: vvpctl bound all $N VFs" "$(count_vfs_on vfio-pci)" "$N"
	check "reset after (b) round $r: all VFs unbound" unbind_all
done
raw_ms=$(median "${raw_all[@]}")
[ "$raw_ms" -gt 0 ] || raw_ms=1
info "(a) raw sysfs loop, $N VFs: median $raw_ms ms of ${raw_all[*]} ($((raw_ms * 1000 / N)) us/VF)"
vvp_ms=
if [ -n "$have_vvpctl" ]; then
	vvp_ms=$(median "${vvp_all[@]}")
	info "(b) vvpctl bind --all-vfs, $N VFs: median $vvp_ms ms of ${vvp_all[*]} ($((vvp_ms * 1000 / N)) us/VF)"
else
	info "(b) vvpctl not in the guest: skipped"
fi

# (c) driverctl, on a subset
[ "$DC_VFS" -le "$N" ] || DC_VFS=$N
t0=$(now)
for v in "${VFS[@]:0:$DC_VFS}"; do driverctl set-override "$v" vfio-pci; done
t1=$(now)
dc_sub_ms=$(ms $t0 $t1)
dc_ms=$((dc_sub_ms * N / DC_VFS))
assert_eq "(c) driverctl bound its $DC_VFS VFs" "$(count_vfs_on vfio-pci)" "$DC_VFS"
info "(c) driverctl set-override, $DC_VFS VFs: $dc_sub_ms ms ($((dc_sub_ms * 1000 / DC_VFS)) us/VF); scaled to $N VFs: $dc_ms ms"
check "reset after (c): all VFs unbound" unbind_all

if [ -n "$vvp_ms" ]; then
	info "ratio vvpctl/raw = $(ratio $vvp_ms $raw_ms); vvpctl/driverctl(scaled) = $(ratio $vvp_ms $dc_ms)"
else
	info "ratio driverctl(scaled)/raw = $(ratio $dc_ms $raw_ms) (vvpctl missing)"
fi
