#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo: a short narrated vvpctl session, run inside the test VM (guest
# scenario "demo"; on the host: tests/vm/run.sh --demo).  The VM has one
# emulated NVMe controller at 0000:01:00.0 that supports 4 SR-IOV virtual
# functions (VFs), an IOMMU, vfio-pci and udev.  Narration and command output
# go to the console prefixed "VVPDEMO: "; the host prints them without it.
# Each step is also a test check, so a broken vvpctl fails the demo.
# The legacy guest's probe is told in a few lines; with vvp_demo=detail on
# the kernel command line (run.sh --demo-detail) each of its checks is shown.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

say() { echo "VVPDEMO: $*"; }
# step DESCRIPTION CMD...: narrate, show the command and its output, check it
step() {
	local desc=$1 rc
	shift
	say ""
	say "# $desc"
	if [ "$1" = sh ] && [ "$2" = -c ]; then say "\$ $3"; else say "\$ $*"; fi
	"$@" >$T_DIR/demo.out 2>&1 && rc=0 || rc=$?
	sed 's/^/VVPDEMO: /' $T_DIR/demo.out
	assert_eq "$*" "$rc" 0
}

PF=0000:01:00.0
VF=0000:01:00.2
say "vvpctl demo: SR-IOV virtual functions for device assignment"
say "This machine has one PCI device that can split itself into virtual"
say "functions (VFs): an NVMe controller at $PF. We will create 4 VFs, hand"
say "them to vfio-pci (so a VM could use them), look at one; then let a"
say "simulated owner provision a VF for a legacy guest; then write the whole"
say "state down in a config and let vvp keep it."
step "Which devices support SR-IOV, and how many VFs can each have?" \
	vvpctl list
step "Create 4 VFs on the PF (vvpctl waits until udev has seen each one)." \
	vvpctl enable $PF --num-vfs 4
step "Bind all VFs to vfio-pci, the driver that hands devices to VMs." \
	vvpctl bind $PF --all-vfs --driver vfio-pci
step "Look at one VF as JSON (for scripts): driver, IOMMU group, in use or not." \
	vvpctl show -j $VF
step "Give the VFs back: unbind them from vfio-pci." \
	vvpctl unbind $PF --all-vfs

MAC=52:54:00:12:34:56
say ""
say "Part 2: a legacy guest on a VF. An owner (the PF's admin side) can"
say "provision its VFs and speak the legacy virtio interface for them. Real"
say "owners are virtio-net PFs with an admin virtqueue; here the simulated"
say "owner vvp_sim stands in for one, attached to the same NVMe PF."
step "Load vvp and the simulator, and make the simulator the PF's owner." \
	sh -c "modprobe vvp_sim && echo $PF > /sys/kernel/vvp_sim/attach"
step "The owner, its backend and what it can do for its VFs." \
	vvpctl owner list
step "Provision VF $VF: a MAC, and the transitional (legacy) personality." \
	vvpctl provision $VF --mac $MAC --transitional on
step "The VF now shows its provisioning." \
	vvpctl show $VF
step "Bind it to vvp_vfio_pci, vvp's vfio-pci variant with a legacy I/O BAR0." \
	sh -c "modprobe vvp_vfio_pci && vvpctl bind $VF --driver vvp_vfio_pci"
probe=--narrate
grep -qw vvp_demo=detail /proc/cmdline && probe=
step "What a guest with a legacy (pre-1.0) virtio-net driver sees of this VF, through VFIO:" \
	legacy_probe $probe --mac $MAC "$(vf_group $VF)" $VF
step "Clean up: unbind, detach the simulated owner." \
	sh -c "vvpctl unbind $VF && echo $PF > /sys/kernel/vvp_sim/detach"
step "Remove the VFs; the PF is as we found it." \
	vvpctl disable $PF
step "Check: no VFs left." \
	vvpctl list
say ""
say "Part 3: the wanted state, written down once. /etc/vvp/vvp.conf says what"
say "the PF should look like; vvpctl apply makes it so, at boot too"
say "(vvp-apply.service), and a udev rule keeps it so for VFs created later,"
say "by anyone."
mkdir -p /etc/vvp
printf '[pf %s]\nnum_vfs = 4\ndriver = vfio-pci\nautoprobe = off\n\n[vf %s/3]\ndriver = none\n' \
	$PF $PF >/etc/vvp/vvp.conf
step "The config: 4 VFs for vfio-pci, except the last, which stays unbound." \
	cat /etc/vvp/vvp.conf
step "Apply it: vvpctl prints its plan, then carries it out in a safe order." \
	vvpctl apply
step "Apply again: it is all there already, so nothing is written." \
	vvpctl apply
step "Now remove the VFs by hand, the way any script would, without vvpctl." \
	sh -c "echo 0 > $PF_SYS/sriov_numvfs"
step "Create them again by hand, and wait until udev has handled them." \
	sh -c "echo 4 > $PF_SYS/sriov_numvfs && udevadm settle"
step "udev's rule bound each new VF as the config says: wanted and actual agree." \
	vvpctl status
step "Clean up: forget the config, remove the VFs." \
	sh -c "rm -r /etc/vvp && vvpctl unbind $PF --all-vfs && vvpctl disable $PF"
say ""
say "Done: the PF is as we found it."
