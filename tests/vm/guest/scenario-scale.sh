#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scale (profile scale: the NVMe PF 0000:01:00.0 has sriov_totalvfs 127,
# VFs 0000:01:00.1-0000:01:0f.7 with ARI): `vvpctl enable` 127 VFs, bind
# them all to vfio-pci, check all 127 bound with their own /dev/vfio node,
# then unbind and disable.  Step times are printed, not asserted.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

N=$(cat $PF_SYS/sriov_totalvfs)
[ "$N" = 127 ] || skip "sriov_totalvfs is $N, not 127: run the scale profile"
t() { echo "VVPTEST: # scale: $1: $((($(now) - $2) / 1000)) ms"; }

t0=$(now)
run vvpctl enable $PF --num-vfs $N
t "enable --num-vfs $N" $t0
assert_eq "enable --num-vfs $N exits 0" "$RC" 0
assert_eq "sriov_numvfs $N" "$(num_vfs)" $N
assert_eq "last VF is 0000:01:0f.7" "$(vf_list | tail -1)" 0000:01:0f.7
assert_eq "$N distinct IOMMU groups" "$(for v in $(vf_list); do vf_group $v; done | sort -u | wc -l)" $N

t0=$(now)
run vvpctl bind $PF --all-vfs --driver vfio-pci
t "bind --all-vfs" $t0
assert_eq "bind --all-vfs --driver vfio-pci exits 0" "$RC" 0
assert_eq "all $N VFs on vfio-pci" "$(count_vfs_on vfio-pci)" $N
missing=0
for v in $(vf_list); do [ -c /dev/vfio/$(vf_group $v) ] || missing=$((missing + 1)); done
assert_eq "every VF has its /dev/vfio/<group>" "$missing" 0
pf_json
assert_eq "list -j shows $N VFs on vfio-pci" "$(jqv '[.vfs[] | select(.driver == "vfio-pci")] | length')" $N
for v in 0000:01:00.1 0000:01:0f.7; do
	out=$(vfio_probe $(vf_group $v) $v 2>&1) || true
	echo "$out"
	check "$v: vfio_probe reads 1b36:0010" grep -q 'vendor=0x1b36 device=0x0010' <<<"$out"
done

t0=$(now)
run vvpctl unbind $PF --all-vfs
t "unbind --all-vfs" $t0
assert_eq "unbind --all-vfs exits 0" "$RC" 0
assert_eq "no VF on vfio-pci" "$(count_vfs_on vfio-pci)" 0
t0=$(now)
run vvpctl disable $PF
t "disable" $t0
assert_eq "disable exits 0" "$RC" 0
assert_eq "0 VFs" "$(num_vfs)" 0
