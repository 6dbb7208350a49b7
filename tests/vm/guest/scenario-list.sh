#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# list: `vvpctl list` and `vvpctl list -j` show the emulated NVMe PF
# 0000:01:00.0 (1b36:0010, driver nvme, sriov_totalvfs 4 in profile
# default) with its state, and its VFs once there are some; in profile
# default also the igb PF 0000:02:00.0 (driver igb, sriov_totalvfs 7).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

run vvpctl list
assert_eq "list exits 0" "$RC" 0
check "list shows PF $PF" grep -q "$PF" <<<"$OUT"
check "list shows total_vfs 4" grep -Eq 'total_vfs[ :=]+4([^0-9]|$)' <<<"$OUT"

run vvpctl list -j
assert_eq "list -j exits 0" "$RC" 0
check "list -j is a JSON array" jq -e 'type == "array"' <<<"$OUT"
if [ -e "$IGB_PF_SYS" ]; then
	assert_eq "list -j lists both SR-IOV PFs, the NVMe and the igb" \
		"$(jqv '[.[] | .address + "=" + .driver] | join(" ")')" "$PF=nvme $IGB_PF=igb"
	assert_eq "list -j: igb PF total_vfs (its driver bound)" \
		"$(jq -r --arg pf $IGB_PF '.[] | select(.address == $pf) | .total_vfs' <<<"$OUT")" 7
fi
pf_json
check "list -j has an object for $PF" jq -e 'type == "object"' <<<"$OUT"
assert_eq "list -j total_vfs" "$(jqv .total_vfs)" 4
assert_eq "list -j num_vfs" "$(jqv .num_vfs)" 0
assert_eq "list -j vendor_id" "$(jqv .vendor_id)" 0x1b36
assert_eq "list -j device_id" "$(jqv .device_id)" 0x0010
assert_eq "list -j driver" "$(jqv .driver)" nvme
want=$([ "$(cat $PF_SYS/sriov_drivers_autoprobe)" = 1 ] && echo true || echo false)
assert_eq "list -j autoprobe matches sysfs" "$(jqv .autoprobe)" "$want"
assert_eq "list -j vfs is empty" "$(jqv '.vfs | length')" 0

# VFs made behind vvpctl's back are listed too
echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo 2 >$PF_SYS/sriov_numvfs
pf_json
assert_eq "list -j num_vfs after raw sysfs enable of 2" "$(jqv .num_vfs)" 2
assert_eq "list -j VF addresses" "$(jqv '[.vfs[].address] | join(" ")')" "0000:01:00.1 0000:01:00.2"
assert_eq "list -j VF indexes" "$(jqv '[.vfs[].index] | join(" ")')" "0 1"
assert_eq "list -j VF iommu groups match sysfs" "$(jqv '[.vfs[].iommu_group] | join(" ")')" \
	"$(vf_group 0000:01:00.1) $(vf_group 0000:01:00.2)"
assert_eq "list -j VF has no driver key when unbound" "$(jqv '.vfs[0] | has("driver")')" false

run vvpctl list --no-such-option
assert_eq "list with an unknown option exits 2 (usage)" "$RC" 2
check "usage error prints an Error: line" grep -q '^Error: ' <<<"$ERRS"
