#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# enable: `vvpctl enable 0000:01:00.0 --num-vfs 4` creates 4 VFs
# (0000:01:00.1-.4), each alone in its own IOMMU group, with
# sriov_drivers_autoprobe back at its old value (tried with 1 and 0) and
# the new VFs not grabbed by nvme while they were created.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

ap0=$(cat $PF_SYS/sriov_drivers_autoprobe)
run vvpctl enable $PF --num-vfs 4
assert_eq "enable --num-vfs 4 exits 0" "$RC" 0
assert_eq "sriov_numvfs is 4" "$(num_vfs)" 4
assert_eq "4 virtfn links" "$(vf_list | wc -l)" 4
assert_eq "VF addresses" "$(vf_list | xargs)" "0000:01:00.1 0000:01:00.2 0000:01:00.3 0000:01:00.4"
assert_eq "4 distinct IOMMU groups" "$(for v in $(vf_list); do vf_group $v; done | sort -u | wc -l)" 4
for v in $(vf_list); do
	assert_eq "$v is alone in its IOMMU group" \
		"$(ls $PCI/devices/$v/iommu_group/devices | xargs)" "$v"
done
assert_eq "sriov_drivers_autoprobe restored to $ap0" "$(cat $PF_SYS/sriov_drivers_autoprobe)" "$ap0"
assert_eq "no VF was probed by a driver during enable" "$(count_vfs_on '')" 4
pf_json
assert_eq "list -j num_vfs" "$(jqv .num_vfs)" 4
assert_eq "list -j lists 4 VFs" "$(jqv '.vfs | length')" 4
assert_eq "list -j autoprobe restored" "$(jqv .autoprobe)" "$([ $ap0 = 1 ] && echo true || echo false)"

run vvpctl enable $PF --num-vfs 4
assert_eq "enable with the same count again exits 0" "$RC" 0
assert_eq "still 4 VFs" "$(num_vfs)" 4

run vvpctl enable $PF --num-vfs 5
assert_eq "enable beyond sriov_totalvfs exits 1" "$RC" 1
check "...with an Error: line" grep -q '^Error: ' <<<"$ERRS"
assert_eq "...and leaves 4 VFs" "$(num_vfs)" 4

run vvpctl disable $PF
assert_eq "disable exits 0" "$RC" 0
assert_eq "0 VFs after disable" "$(num_vfs)" 0

# the other autoprobe value is restored too
other=$((1 - ap0))
echo $other >$PF_SYS/sriov_drivers_autoprobe
run vvpctl enable $PF --num-vfs 2
assert_eq "enable --num-vfs 2 with autoprobe $other exits 0" "$RC" 0
assert_eq "2 VFs" "$(num_vfs)" 2
assert_eq "sriov_drivers_autoprobe still $other" "$(cat $PF_SYS/sriov_drivers_autoprobe)" "$other"
