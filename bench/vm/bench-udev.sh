#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-udev: bind-on-create, from `echo N > sriov_numvfs` to every new VF
# bound to vfio-pci, several ways, in one boot of the VM (tests/vm/run.sh
# --scenario bench-udev; profile scale: the emulated NVMe PF 0000:01:00.0
# with 127 VFs, real udevd running, sriov_drivers_autoprobe 0):
#   (a) raw, the limit: the count write, then driver_override +
#       drivers_probe per VF in a shell loop, by the writer itself
#   (b) vvp's rule, 80-vvp.rules: vvpctl apply wrote its markers once,
#       each saying VVP_DRIVER=vfio-pci (all the config wants of the VF):
#       udevd writes driver_override and drivers_probe itself in each VF's
#       add event, no process started; timed until every VF is bound (as
#       (a) is) and until udevadm settle returns (udev also done with the
#       events binding makes: vfio's device nodes)
#   (c) driverctl's way, with its overrides saved (driverctl set-override
#       for every VF, /etc/driverctl.d/pci-<VF>): its 05-driverctl.rules
#       only asks systemd to start driverctl@pci-<VF>.service, which runs
#       `driverctl load-override pci/<VF>`. The guest has no systemd, so an
#       equivalent rule runs that command itself (RUN+=, inside the event,
#       as vvp's does); timed as (b)
#   (a'), (b') as (a), (b) with driverctl's 89-vfio-uio.rules active, which
#       runs a bash script for each vfio device a bind creates: a host
#       with driverctl installed. (a) and (b) have it masked
#       ((a), (b), (a'), (b'), (c) alternate BENCH_ROUNDS (3) times, (c) only
#       BENCH_DRIVERCTL_ROUNDS (1): ~0.25 s per VF; medians)
#   (d) VFs of a PF the config does not name: count write + udevadm settle
#       with 80-vvp.rules installed (no markers), masked, and replaced by
#       a rule without the marker guard that starts the helper for every
#       VF: what the guard saves
#   (e) where the helper's time goes: starting vvpctl, one vvpctl
#       udev-add, one raw bind, each on its own, per VF
#   (f) the floor: the count write alone, and until udevadm settle
#       returns, nothing bound: no way of binding can beat it, so
#       driverctl/floor bounds what driverctl/vvp can be
# Only one of the rules is active at a time (vvp's opted out through
# ENV{VVP_DISABLE_RULES_FLAG}, driverctl's removed). Between runs the VFs are
# unbound and removed (not timed). Times are wall-clock under QEMU TCG:
# compare the ratios. Targets: (b) <= 1.5 x (a), (c) >= 10 x (b), which
# (f) bounds. Nothing
# about the times is asserted; the checks are that every VF ended on
# vfio-pci.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR

DC_ROUNDS=${BENCH_DRIVERCTL_ROUNDS:-1}
DCRULE=/etc/udev/rules.d/05-vvptest-driverctl.rules
bench_prologue
run vvpctl apply
assert_eq "setup: vvpctl apply ($N VFs, markers for the rule) exits 0" "$RC" 0
VFS=($(vf_list))
assert_eq "setup: $N VFs" "${#VFS[@]}" "$N"
assert_eq "setup: a marker per VF" "$(ls /run/vvp/udev | wc -l)" "$N"
for v in "${VFS[@]}"; do echo vfio-pci >/etc/driverctl.d/pci-$v; done

# driverctl's package also brings 89-vfio-uio.rules, which runs a bash
# script (vfio_name) for every vfio device a bind creates. Ways (a) and
# (b) run as on a host without driverctl, that rule masked; (a') and (b')
# with it, as on a host that has driverctl installed; (c) with it.
VFIO_UIO=/etc/udev/rules.d/89-vfio-uio.rules
# use RULE [dc]: RULE active; dc: driverctl installed (its vfio rule too)
use() {
	rm -f $DCRULE $OPTOUT $VFIO_UIO
	[ "$1" = driverctl ] || [ "${2:-}" = dc ] || ln -s /dev/null $VFIO_UIO
	[ "$1" = vvp ] || echo 'ENV{VVP_DISABLE_RULES_FLAG}="1"' >$OPTOUT
	[ "$1" != driverctl ] || cat >$DCRULE <<-'EOF'
	ACTION=="add", TEST=="/etc/driverctl.d/$env{SUBSYSTEM}-$kernel", RUN+="/usr/sbin/driverctl load-override $env{SUBSYSTEM}/$kernel"
	EOF
	udevadm control --reload
}
reset_vfs() {
	raw_unbind "${VFS[@]}"
	echo 0 >$PF_SYS/sriov_numvfs
	udevadm settle --timeout=600
	[ "$(num_vfs)" = 0 ] && [ "$(cat $PF_SYS/sriov_drivers_autoprobe)" = 0 ]
}
check "reset after setup" reset_vfs

by_raw() { echo $N >$PF_SYS/sriov_numvfs; raw_bind vfio-pci "${VFS[@]}"; }
# all N VFs on vfio-pci: one readdir, no fork, cheap enough to poll (with
# nap, which does not fork either)
all_bound() { local b=(/sys/bus/pci/drivers/vfio-pci/${PF%:*}:*); [ ${#b[@]} -ge $N ]; }
# by_rule NAME: the count write, then the time until every VF is bound
# (appended to NAME_bound_all, what raw's figure is: raw's loop does not
# wait for udev), then until udevadm settle returns (bench_time's figure:
# udev also done with the events the binds make, vfio's device nodes)
by_rule() {
	local t0 i
	t0=$(now)
	echo $N >$PF_SYS/sriov_numvfs
	eval "${1}_write_all+=($(ms $t0 $(now)))"
	for i in $(seq 90000); do all_bound && break; nap 0.01; done
	eval "${1}_bound_all+=($(ms $t0 $(now)))"
	udevadm settle --timeout=900
}

raw_all=() vvp_all=() rawdc_all=() vvpdc_all=() dc_all=()
for r in $(seq 1 "$ROUNDS"); do
	use none
	bench_time raw by_raw
	use vvp
	bench_time vvp by_rule vvp
	use none dc
	bench_time rawdc by_raw
	use vvp dc
	bench_time vvpdc by_rule vvpdc
	if [ "$r" -le "$DC_ROUNDS" ]; then
		use driverctl
		bench_time dc by_rule dc
	fi
done
# (f) the floor: the count write alone, nothing bound (no rule active),
# and until udevadm settle returns. Every way above starts with that
# write, so none can take less, and driverctl/vvp can be at most
# driverctl/floor, whatever vvp's rule does.
use none
floor_all=() fsettle_all=()
for r in $(seq 1 "$ROUNDS"); do
	t0=$(now); echo $N >$PF_SYS/sriov_numvfs; t1=$(now)
	udevadm settle --timeout=900; t2=$(now)
	floor_all+=($(ms $t0 $t1)) fsettle_all+=($(ms $t0 $t2))
	assert_eq "(f) round $r: the $N VFs left unbound" "$(vfs_unbound)" "$N"
	check "reset after (f) round $r" reset_vfs
done

# the figures the targets are about, as soon as they are measured
bench_medians raw vvp dc floor fsettle vvp_bound dc_bound vvp_write dc_write \
	rawdc vvpdc vvpdc_bound
info "(a) raw: count write + override/probe loop, $N VFs: median $raw_ms ms of ${raw_all[*]}"
info "(b) vvp's rule (driver-only VFs: udevd writes override + probe itself, no helper): median $vvp_ms ms of ${vvp_all[*]} ($((vvp_ms * 1000 / N)) us/VF)"
info "(b) ... until all $N VFs were bound (not waiting for udev, as raw does not): median $vvp_bound_ms ms of ${vvp_bound_all[*]}; the count write returned after $vvp_write_ms ms of ${vvp_write_all[*]}"
info "(a') raw, driverctl's vfio rule active: median $rawdc_ms ms of ${rawdc_all[*]}"
info "(b') vvp's rule, driverctl's vfio rule active: until bound $vvpdc_bound_ms ms of ${vvpdc_bound_all[*]}, until settled $vvpdc_ms ms of ${vvpdc_all[*]}"
info "(c) driverctl load-override per VF from udev: median $dc_ms ms of ${dc_all[*]} ($((dc_ms * 1000 / N)) us/VF)"
info "(c) ... until all $N VFs were bound: median $dc_bound_ms ms of ${dc_bound_all[*]}; the count write returned after $dc_write_ms ms"
info "(f) floor, the count write alone: median $floor_ms ms of ${floor_all[*]}; until udevadm settle returns: $fsettle_ms ms of ${fsettle_all[*]}"
info "ratio vvp/raw = $(ratio $vvp_ms $raw_ms) until settled, $(ratio $vvp_bound_ms $raw_ms) until bound (target <= 1.5); with driverctl installed (a', b') $(ratio $vvpdc_ms $rawdc_ms) until settled, $(ratio $vvpdc_bound_ms $rawdc_ms) until bound; driverctl/vvp = $(ratio $dc_ms $vvp_ms) until settled, $(ratio $dc_bound_ms $vvp_bound_ms) until bound (a host with one or the other: (c) against (b); target >= 10), $(ratio $dc_ms $vvpdc_ms) and $(ratio $dc_bound_ms $vvpdc_bound_ms) against (b'), both installed"
info "bound on driverctl/vvp: driverctl/floor = $(ratio $dc_ms $floor_ms) until settled, $(ratio $dc_bound_ms $floor_ms) until bound (against the count write alone); driverctl/raw = $(ratio $dc_ms $raw_ms). For 10x until bound, vvp's rule would have to bind every VF within $((dc_bound_ms / 10)) ms of the write, which alone takes $floor_ms ms"
# (e) where (b)'s time goes: one helper at a time, on VFs no rule touched
use none
E=8
echo $N >$PF_SYS/sriov_numvfs
udevadm settle --timeout=900
t0=$(now)
for v in "${VFS[@]:0:$E}"; do vvpctl --version >/dev/null; done
t1=$(now)
for v in "${VFS[@]:0:$E}"; do vvpctl udev-add $v; done
t2=$(now)
raw_bind vfio-pci "${VFS[@]:$E:$E}"
t3=$(now)
assert_eq "(e) the helper and the raw loop bound $((2 * E)) VFs" "$(vfs_on_vfio)" $((2 * E))
info "(e) per VF, one at a time: starting vvpctl $(($(ms $t0 $t1) / E)) ms; vvpctl udev-add (PF, config, lock, plan, bind) $(($(ms $t1 $t2) / E)) ms; raw override + probe $(($(ms $t2 $t3) / E)) ms"
check "reset after (e)" reset_vfs
rm -f $OPTOUT $VFIO_UIO
udevadm control --reload

# (d) the cost of the rule for VFs of a PF vvp does not manage (no
# markers): rule installed vs masked vs a rule without the marker guard,
# which starts the helper for every VF (it reads the config, finds the PF
# is not in it and exits 0): count write + udevadm settle, VFs stay unbound
MASK=/etc/udev/rules.d/80-vvp.rules
NOGUARD=/etc/udev/rules.d/81-vvptest-noguard.rules
unmanaged() {   # unmanaged installed|masked|noguard
	rm -f $MASK $NOGUARD /run/vvp/udev/*
	[ "$1" != masked ] || ln -s /dev/null $MASK
	[ "$1" != noguard ] ||
		echo 'ACTION=="add", SUBSYSTEM=="pci", TEST=="physfn", RUN+="/usr/sbin/vvpctl udev-add $kernel"' >$NOGUARD
	udevadm control --reload
	echo $N >$PF_SYS/sriov_numvfs
	udevadm settle --timeout=900
}
time_unmanaged() {   # time_unmanaged NAME WAY
	local t0 t1
	t0=$(now); unmanaged $2; t1=$(now)
	eval "${1}_all+=($(ms $t0 $t1))"
	assert_eq "(d) $2 round $r: the $N VFs left unbound" "$(vfs_unbound)" "$N"
	check "reset after (d) $2 round $r" reset_vfs
}
mv $CONF $CONF.off
inst_all=() mask_all=() noguard_all=()
for r in $(seq 1 "$ROUNDS"); do
	time_unmanaged inst installed
	time_unmanaged mask masked
	time_unmanaged noguard noguard
done
rm -f $MASK $NOGUARD
udevadm control --reload
mv $CONF.off $CONF

bench_medians inst mask noguard
info "(d) $N VFs of an unmanaged PF, count write + settle: rule installed $inst_ms ms of ${inst_all[*]}, rule masked $mask_ms ms of ${mask_all[*]}, no marker guard (helper per VF) $noguard_ms ms of ${noguard_all[*]}"
info "ratio installed/masked = $(ratio $inst_ms $mask_ms); no guard/masked = $(ratio $noguard_ms $mask_ms)"
rm -rf /etc/vvp /run/vvp /etc/driverctl.d/*
