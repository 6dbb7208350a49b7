#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-apply: a whole-PF apply from nothing, count plus binding every VF to
# vfio-pci, three ways, in one boot of the VM (tests/vm/run.sh --scenario
# bench-apply; profile scale: the emulated NVMe PF 0000:01:00.0 with 127
# VFs, real udevd running with vvp's 80-vvp.rules installed):
#   (a) raw sysfs, the limit: sriov_drivers_autoprobe 0, sriov_numvfs N,
#       then driver_override + drivers_probe per VF in a shell loop
#   (b) vvpctl apply of a vvp.conf saying num_vfs = N, driver = vfio-pci,
#       autoprobe = off, as installed: the udev rule active (apply takes
#       the PF's markers away while it creates the VFs, so that udev does
#       not start the rule's helper for them). Apply also takes the PF's
#       lock, keeps a journal and waits for udev to announce each new VF
#   (c) as (b), with the rule opted out (ENV{VVP_DISABLE_RULES_FLAG}): what
#       is left of the rule's cost to apply
#       ((a), (b) and (c) alternate BENCH_ROUNDS (3) times; medians)
#   split: (a) step by step, with udevadm settle after the count write:
#       the wait for udev that apply has and the raw loop has not
#   (d) the count write plus driverctl set-override per VF, on the first
#       BENCH_DRIVERCTL_VFS (16) VFs only, scaled linearly to all VFs
# Between runs the VFs are unbound and removed (not timed). Times are
# wall-clock (bash's $EPOCHREALTIME) under QEMU TCG: compare the ratios,
# not the absolute numbers. Target: (b) <= 1.2 x (a). Nothing about the
# times is asserted; the checks are that each way ended with every VF on
# vfio-pci.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR

DC_VFS=${BENCH_DRIVERCTL_VFS:-16}
bench_prologue

# the VF addresses, once: the raw loop should not pay for finding them
echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo $N >$PF_SYS/sriov_numvfs
VFS=($(vf_list))
assert_eq "setup: $N VFs" "${#VFS[@]}" "$N"

reset_vfs() {
	raw_unbind "${VFS[@]}"
	rm -f /etc/driverctl.d/*
	echo 0 >$PF_SYS/sriov_numvfs
	echo 1 >$PF_SYS/sriov_drivers_autoprobe
	udevadm settle --timeout=600
	[ "$(num_vfs)" = 0 ]
}
check "reset after setup" reset_vfs

raw_apply() {
	echo 0 >$PF_SYS/sriov_drivers_autoprobe
	echo $N >$PF_SYS/sriov_numvfs
	raw_bind vfio-pci "${VFS[@]}"
}

raw_all=() apply_all=() quiet_all=()
for r in $(seq 1 "$ROUNDS"); do
	bench_opt_out 1
	bench_time raw raw_apply
	bench_opt_out 0
	bench_time apply vvpctl apply
	bench_opt_out 1
	bench_time quiet vvpctl apply
	bench_opt_out 0
done
bench_medians raw apply quiet
info "(a) raw: autoprobe, count, override + probe loop, $N VFs: median $raw_ms ms of ${raw_all[*]}"
info "(b) vvpctl apply, rule active: median $apply_ms ms of ${apply_all[*]}"
info "(c) vvpctl apply, rule opted out: median $quiet_ms ms of ${quiet_all[*]}"

# where the time goes: (a) split, plus what apply waits for and raw does
# not, udev done with the new VFs
bench_opt_out 1
t0=$(now); echo 0 >$PF_SYS/sriov_drivers_autoprobe; echo $N >$PF_SYS/sriov_numvfs; t1=$(now)
udevadm settle --timeout=600; t2=$(now)
raw_bind vfio-pci "${VFS[@]}"; t3=$(now)
info "split of (a): count write $(ms $t0 $t1) ms, then udev done with the VFs $(ms $t1 $t2) ms later (apply waits for that, raw does not), bind loop $(ms $t2 $t3) ms"
check "reset after the split" reset_vfs

# (d) driverctl on a subset, scaled
[ "$DC_VFS" -le "$N" ] || DC_VFS=$N
t0=$(now)
echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo $N >$PF_SYS/sriov_numvfs
t1=$(now)
for v in "${VFS[@]:0:$DC_VFS}"; do driverctl set-override "$v" vfio-pci; done
t2=$(now)
dc_ms=$(($(ms $t0 $t1) + $(ms $t1 $t2) * N / DC_VFS))
assert_eq "(d) driverctl bound its $DC_VFS VFs" "$(vfs_on_vfio)" "$DC_VFS"
info "(d) count write $(ms $t0 $t1) ms + driverctl set-override on $DC_VFS VFs $(ms $t1 $t2) ms; scaled to $N VFs: $dc_ms ms"
check "reset after (d)" reset_vfs
bench_opt_out 0

info "ratio apply/raw = $(ratio $apply_ms $raw_ms) (target <= 1.2); apply without the rule/raw = $(ratio $quiet_ms $raw_ms); driverctl(scaled)/raw = $(ratio $dc_ms $raw_ms); apply/driverctl(scaled) = $(ratio $apply_ms $dc_ms)"
rm -rf /etc/vvp /run/vvp
