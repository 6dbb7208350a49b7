#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sysfs: the testbed itself, without vvpctl.  Raw sysfs writes on the
# emulated NVMe PF 0000:01:00.0 (sriov_totalvfs 4 in profile default):
# autoprobe off, 4 VFs, each in its own IOMMU group, bound to vfio-pci by
# driver_override + drivers_probe, opened through VFIO by vfio_probe, then
# unbound and disabled.  When this fails, the vvpctl scenarios cannot pass.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR

check "PF $PF is bound to nvme" test "$(dev_driver $PF)" = nvme
total=$(cat $PF_SYS/sriov_totalvfs)
check "PF reports sriov_totalvfs > 0 ($total)" test "$total" -gt 0

echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo 4 >$PF_SYS/sriov_numvfs
assert_eq "sriov_numvfs 4 creates 4 virtfn links" "$(vf_list | wc -l)" 4
groups=$(for v in $(vf_list); do vf_group $v; done | sort -u | wc -l)
assert_eq "every VF in its own IOMMU group" "$groups" 4
assert_eq "new VFs stay unbound with autoprobe 0" "$(count_vfs_on '')" 4

raw_bind vfio-pci $(vf_list)
assert_eq "driver_override + drivers_probe binds 4 VFs to vfio-pci" "$(count_vfs_on vfio-pci)" 4
for v in $(vf_list); do
	g=$(vf_group $v)
	check "$v: /dev/vfio/$g exists" test -c /dev/vfio/$g
	out=$(vfio_probe $g $v) || { echo "$out"; fail "$v: vfio_probe"; continue; }
	echo "$out"
	check "$v: VFIO config region reads 1b36:0010" grep -q 'vendor=0x1b36 device=0x0010' <<<"$out"
done

raw_unbind $(vf_list)
assert_eq "unbind leaves all VFs without a driver" "$(count_vfs_on '')" 4
echo 0 >$PF_SYS/sriov_numvfs
assert_eq "sriov_numvfs 0 removes the VFs" "$(num_vfs)" 0
