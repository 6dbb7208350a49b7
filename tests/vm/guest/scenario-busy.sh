#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# busy: 4 VFs on vfio-pci, VF 0000:01:00.2's /dev/vfio/<group> held open by
# vfio_hold.  Changing the VF count must fail with exit 1 and an EBUSY
# "Error:" line naming that VF, with or without --force, and leave the 4 VFs
# and their drivers as they were.  Once the holder is gone, --force works.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

enable_bind 4
v=0000:01:00.2
g=$(vf_group $v)
check "vfio_hold holds /dev/vfio/$g open" hold_start $g
before=$(drivers_of_vfs | xargs)

vf_json $v
assert_eq "show -j $v: in_use true while held" "$(jqv .in_use)" true
vf_json 0000:01:00.1
assert_eq "show -j 0000:01:00.1: in_use false" "$(jqv .in_use)" false

run vvpctl enable $PF --num-vfs 2
assert_eq "enable --num-vfs 2 exits 1 while $v is held" "$RC" 1
check "...with an Error: line" grep -q '^Error: ' <<<"$ERRS"

run vvpctl enable $PF --num-vfs 2 --force
assert_eq "enable --num-vfs 2 --force exits 1 while $v is held" "$RC" 1
check "...Error: line names the busy VF $v" grep -q "^Error: .*$v" <<<"$ERRS"
check "...and says it is in use / busy" grep -Eiq 'in use|busy' <<<"$ERRS"

run vvpctl disable $PF --force
assert_eq "disable --force exits 1 while $v is held" "$RC" 1

assert_eq "still 4 VFs" "$(num_vfs)" 4
assert_eq "VF drivers unchanged" "$(drivers_of_vfs | xargs)" "$before"
check "the holder is still running" kill -0 $HOLD_PID

hold_stop
vf_json $v
assert_eq "show -j $v: in_use false after the holder exits" "$(jqv .in_use)" false
run vvpctl enable $PF --num-vfs 2 --force
assert_eq "enable --num-vfs 2 --force exits 0 once nothing holds a VF" "$RC" 0
assert_eq "2 VFs" "$(num_vfs)" 2
