#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# config: `vvpctl check-config` against a real kernel. PF 0000:01:00.0 is
# QEMU's NVMe controller (sriov_totalvfs 4 in profile default), which has
# no Device Serial Number capability. What is checked:
#  - the PF's config file: 4096 bytes for root, the first 64 for nobody
#    (what serial= reading rests on);
#  - a valid config: exit 0, the summary line; without vvp.ko it says the
#    provisioning keys were not checked;
#  - with vvp.ko and no owner: mtu needs one; the sim attached with all
#    caps: valid; attached without mtu: the backend lacks it;
#  - a VF named as a PF, num_vfs beyond sriov_totalvfs, -j;
#  - serial=: not found as root (extended config space read and walked),
#    unreadable as nobody (the problem says root is needed);
#  - a config directory others may write: refused;
#  - nothing written: the VF count and drivers are as before.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

CTL=/sys/kernel/vvp_sim
CFG=$T_DIR/config
SERIAL=00-11-22-33-44-55-66-77
VVPCTL=$(command -v vvpctl)
# conf NAME TEXT: a config file in $CFG that only root may write
conf() {
	mkdir -p -m 0755 $CFG
	printf '%b' "$2" >$CFG/$1
	chmod 0644 $CFG/$1
}

# ---- the facts serial= reading rests on ---------------------------------------------
assert_eq "root reads the PF's whole config space" "$(wc -c <$PF_SYS/config)" 4096
assert_eq "nobody reads its first 64 bytes" "$(as_nobody "wc -c <$PF_SYS/config")" 64

autoprobe=$(cat $PF_SYS/sriov_drivers_autoprobe)
conf vvp.conf "[pf 0000:01:00.0]\nnum_vfs = 4 ; all of them\ndriver = vfio-pci\n[vf 01:00.0/1]\nmtu = 9000\n"

# ---- owners -------------------------------------------------------------------------
check "unload vvp" unload
run vvpctl check-config $CFG/vvp.conf
assert_eq "valid without vvp.ko: exit 0" "$RC" 0
assert_eq "the summary says what was not checked" "$OUT" \
	"$CFG/vvp.conf: valid, 1 PF, 4 VFs (provisioning keys not checked: the vvp module is not loaded)"
check "modprobe vvp" modprobe vvp
run vvpctl check-config $CFG/vvp.conf
assert_eq "vvp.ko, no owner: exit 1" "$RC" 1
assert_eq "vvp.ko, no owner: mtu needs one" "$(head -1 <<<"$ERRS")" \
	"$CFG/vvp.conf:5: mtu needs a vvp owner, and 0000:01:00.0 has none (no vvp backend drives it)"
if modinfo vvp_sim >/dev/null 2>&1; then
	check "modprobe vvp_sim" modprobe vvp_sim
	echo $PF >$CTL/attach
	run vvpctl check-config $CFG/vvp.conf
	assert_eq "sim attached: valid, nothing left unchecked" "$RC $OUT" \
		"0 $CFG/vvp.conf: valid, 1 PF, 4 VFs"
	echo $PF >$CTL/detach
	echo "$PF $(( 0x3f & ~0x4 ))" >$CTL/attach
	run vvpctl check-config -j $CFG/vvp.conf
	assert_eq "sim without mtu: exit 1" "$RC" 1
	assert_eq "sim without mtu: the backend lacks it" "$(jqv '.problems[0]')" \
		"$CFG/vvp.conf:5: mtu cannot be provisioned on 0000:01:00.0 (its sim backend lacks the mtu capability)"
	echo $PF >$CTL/detach
fi
check "unload vvp again" unload

# ---- the PCI devices ------------------------------------------------------------------
echo 0 >$PF_SYS/sriov_drivers_autoprobe
echo 2 >$PF_SYS/sriov_numvfs
conf bad.conf "[pf 0000:01:00.1]\n[pf 0000:01:00.0]\nnum_vfs = 5\n[vf 0000:01:00.0/4]\n"
run vvpctl check-config -j $CFG/bad.conf
assert_eq "bad.conf: exit 1" "$RC" 1
assert_eq "bad.conf: every problem, in line order" "$(jqv '.problems | join("|")')" \
	"$CFG/bad.conf:1: 0000:01:00.1 is a VF (of 0000:01:00.0), not a PF|$CFG/bad.conf:3: num_vfs 5 is more than 0000:01:00.0 supports (sriov_totalvfs 4)|$CFG/bad.conf:4: [vf 0000:01:00.0/4] is not a VF 0000:01:00.0 can have (sriov_totalvfs 4: indexes 0 to 3)"
echo 0 >$PF_SYS/sriov_numvfs
echo $autoprobe >$PF_SYS/sriov_drivers_autoprobe
before="$(num_vfs) $autoprobe $(ls $PCI/drivers/nvme)"

# ---- serial= ---------------------------------------------------------------------------
conf serial.conf "[pf serial=$SERIAL]\nnum_vfs = 1\n"
run vvpctl check-config $CFG/serial.conf
assert_eq "serial as root: exit 1" "$RC" 1
assert_eq "serial as root: not found (no PF has one)" "$(head -1 <<<"$ERRS")" \
	"$CFG/serial.conf:1: serial=$SERIAL: no PF has that Device Serial Number"
run as_nobody "$VVPCTL check-config $CFG/serial.conf"
assert_eq "serial as nobody: exit 1" "$RC" 1
# every SR-IOV PF of the VM (profile default: the NVMe and the igb)
npf=$(ls -d $PCI/devices/*/sriov_totalvfs | wc -l)
check "serial as nobody: says root is needed for the $npf PF(s)" grep -qF \
	"the serial numbers of $npf PF$([ "$npf" = 1 ] || echo s) could not be read (reading past the first 64 bytes of PCI config space needs root)" <<<"$ERRS"

# ---- permissions -------------------------------------------------------------------------
chmod o+w $CFG
run env VVP_CONFIG_DIR=$CFG vvpctl check-config
assert_eq "a config directory others may write: exit 1" "$RC" 1
check "...and the error names it" grep -qF "Error: $CFG refused (writable by others" <<<"$ERRS"
chmod 0755 $CFG

assert_eq "check-config wrote nothing: VF count, autoprobe, nvme's devices" \
	"$(num_vfs) $(cat $PF_SYS/sriov_drivers_autoprobe) $(ls $PCI/drivers/nvme)" "$before"
rm -rf $CFG
