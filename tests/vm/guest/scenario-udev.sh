#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# udev: with the real systemd-udevd running, every VF that `vvpctl enable`
# created is already processed by udev (its udev database entry exists:
# USEC_INITIALIZED) the moment vvpctl returns, with no sleep and no
# `udevadm settle` in between.
# To make a race visible under TCG, a test rule delays udev's processing of
# each VF add event by 2 s (PROGRAM= runs before udevd writes its database);
# a control run with a raw sriov_numvfs write shows that without waiting the
# VFs are not initialized yet.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

initialized() {   # number of VFs whose udev db entry exists
	local v n=0
	for v in $(vf_list); do
		udevadm info -q property -p /sys/bus/pci/devices/$v 2>/dev/null |
			grep -q '^USEC_INITIALIZED=' && n=$((n + 1))
	done
	echo $n
}

check "systemd-udevd is running" pidof systemd-udevd
check "udevd answers udevadm control --ping" udevadm control --ping

# 5 s per VF: with 2 s, a TCG guest on a loaded host once took so long
# between the write's return and counting that all 4 were done, and the
# control below failed.
cat >/etc/udev/rules.d/99-vvptest-slow-vf.rules <<'RULE'
ACTION=="add", SUBSYSTEM=="pci", TEST=="physfn", PROGRAM="/bin/sleep 5"
RULE
udevadm control --reload

# control: the raw write returns before udev is done
echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo 4 >$PF_SYS/sriov_numvfs
n=$(initialized)
check "control: right after a raw sriov_numvfs write, not all 4 VFs are initialized ($n are)" test "$n" -lt 4
udevadm settle --timeout=60
assert_eq "control: after udevadm settle all 4 are" "$(initialized)" 4
echo 0 >$PF_SYS/sriov_numvfs
cat $T_DIR/autoprobe0 >$PF_SYS/sriov_drivers_autoprobe
udevadm settle --timeout=60

run vvpctl enable $PF --num-vfs 4
n=$(initialized)
assert_eq "enable --num-vfs 4 exits 0" "$RC" 0
assert_eq "all 4 VFs initialized in udev when vvpctl returns" "$n" 4
for v in $(vf_list); do
	udevadm info -q property -p /sys/bus/pci/devices/$v >$T_DIR/uinfo
	check "$v: udevadm info has SUBSYSTEM=pci" grep -q '^SUBSYSTEM=pci$' $T_DIR/uinfo
	check "$v: udevadm info has PCI_SLOT_NAME=$v" grep -q "^PCI_SLOT_NAME=$v$" $T_DIR/uinfo
done
