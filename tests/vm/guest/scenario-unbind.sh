#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# unbind: 4 VFs on vfio-pci; `vvpctl disable` refuses while they are bound
# (exit 1); `vvpctl unbind <vf>` and `vvpctl unbind <pf> --all-vfs` take
# them off vfio-pci (driver_override cleared, /dev/vfio/<group> gone); then
# `vvpctl disable` returns the PF to 0 VFs.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

enable_bind 4
ap0=$(cat $T_DIR/autoprobe0)

run vvpctl disable $PF
assert_eq "disable without --force exits 1 while VFs are on vfio-pci" "$RC" 1
check "...with an Error: line" grep -q '^Error: ' <<<"$ERRS"
assert_eq "...and leaves 4 VFs" "$(num_vfs)" 4

v=0000:01:00.1
g=$(vf_group $v)
run vvpctl unbind $v
assert_eq "unbind $v exits 0" "$RC" 0
check "$v no longer on vfio-pci" test "$(dev_driver $v)" != vfio-pci
assert_eq "$v driver_override cleared" "$(cat $PCI/devices/$v/driver_override)" "(null)"
check "/dev/vfio/$g is gone" test ! -e /dev/vfio/$g
assert_eq "the other 3 VFs still on vfio-pci" "$(count_vfs_on vfio-pci)" 3

w=0000:01:00.2
run vvpctl unbind --no-probe $w
assert_eq "unbind --no-probe $w exits 0" "$RC" 0
assert_eq "$w left unbound (no default driver probed)" "$(dev_driver $w)" ""
assert_eq "$w driver_override cleared" "$(cat $PCI/devices/$w/driver_override)" "(null)"
run vvpctl bind $w --driver vfio-pci
assert_eq "bind $w back to vfio-pci" "$RC" 0

run vvpctl unbind $PF --all-vfs
assert_eq "unbind --all-vfs exits 0" "$RC" 0
assert_eq "no VF on vfio-pci" "$(count_vfs_on vfio-pci)" 0
for w in $(vf_list); do
	assert_eq "$w driver_override cleared" "$(cat $PCI/devices/$w/driver_override)" "(null)"
done
assert_eq "no /dev/vfio/<group> left" "$(ls /dev/vfio | grep -cv '^vfio$' || true)" 0

run vvpctl disable $PF
assert_eq "disable exits 0" "$RC" 0
assert_eq "PF back to 0 VFs" "$(num_vfs)" 0
check "no virtfn links" test -z "$(vf_list)"
assert_eq "autoprobe as at boot" "$(cat $PF_SYS/sriov_drivers_autoprobe)" "$ap0"
