#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo: a short narrated vvpctl session, run inside the test VM (guest
# scenario "demo"; on the host: tests/vm/run.sh --demo).  The VM has one
# emulated NVMe controller at 0000:01:00.0 that supports 4 SR-IOV virtual
# functions (VFs), an IOMMU, vfio-pci and udev.  Narration and command output
# go to the console prefixed "VVPDEMO: "; the host prints them without it.
# Each step is also a test check, so a broken vvpctl fails the demo.
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
	say "\$ $*"
	"$@" >$T_DIR/demo.out 2>&1 && rc=0 || rc=$?
	sed 's/^/VVPDEMO: /' $T_DIR/demo.out
	assert_eq "$*" "$rc" 0
}

PF=0000:01:00.0
VF=0000:01:00.2
say "vvpctl demo: SR-IOV virtual functions for device assignment"
say "This machine has one PCI device that can split itself into virtual"
say "functions (VFs): an NVMe controller at $PF. We will create 4 VFs, hand"
say "them to vfio-pci (so a VM could use them), look at one, and clean up."
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
step "Remove the VFs; the PF is as we found it." \
	vvpctl disable $PF
step "Check: no VFs left." \
	vvpctl list
say ""
say "Done. 'vvpctl --help' lists every command; 'vvpctl COMMAND --help' explains one."
