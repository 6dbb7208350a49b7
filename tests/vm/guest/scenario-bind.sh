#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bind: `vvpctl bind 0000:01:00.0 --all-vfs --driver vfio-pci` binds the 4
# VFs; each gets /dev/vfio/<group>, and vfio_probe opens it through the VFIO
# API (container, group, type1v2, device fd, config region) and reads the
# emulated NVMe IDs 1b36:0010.  Binding one VF by address works too.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

run vvpctl enable $PF --num-vfs 4
assert_eq "enable --num-vfs 4 exits 0" "$RC" 0
run vvpctl bind $PF --all-vfs --driver vfio-pci
assert_eq "bind --all-vfs --driver vfio-pci exits 0" "$RC" 0
assert_eq "4 VFs on vfio-pci" "$(count_vfs_on vfio-pci)" 4
for v in $(vf_list); do
	g=$(vf_group $v)
	check "$v: /dev/vfio/$g is a character device" test -c /dev/vfio/$g
	if out=$(vfio_probe $g $v 2>&1); then
		echo "$out"
		check "$v: VFIO config region reads 1b36:0010" \
			grep -q 'vendor=0x1b36 device=0x0010' <<<"$out"
	else
		echo "$out"
		fail "$v: vfio_probe opens the VF through VFIO"
	fi
done

v=0000:01:00.3
vf_json $v
assert_eq "show -j $v exits 0" "$RC" 0
assert_eq "show -j driver" "$(jqv .driver)" vfio-pci
assert_eq "show -j pf" "$(jqv .pf)" "$PF"
assert_eq "show -j index" "$(jqv .index)" 2
assert_eq "show -j iommu_group" "$(jqv .iommu_group)" "$(vf_group $v)"
assert_eq "show -j in_use" "$(jqv .in_use)" false

# one VF by address
raw_unbind $v
check "$v unbound behind vvpctl's back" test -z "$(dev_driver $v)"
run vvpctl bind $v --driver vfio-pci
assert_eq "bind $v --driver vfio-pci exits 0" "$RC" 0
assert_eq "$v on vfio-pci again" "$(dev_driver $v)" vfio-pci
check "$v: /dev/vfio/$(vf_group $v) is back" test -c /dev/vfio/$(vf_group $v)
assert_eq "the other VFs untouched" "$(count_vfs_on vfio-pci)" 4

run vvpctl bind $v --driver no-such-driver
assert_eq "bind to a driver that does not exist exits 1" "$RC" 1
check "...with an Error: line" grep -q '^Error: ' <<<"$ERRS"
