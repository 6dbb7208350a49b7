#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages vvp needs to build, test and run the VM
# suite. Sourced by check.sh and demo.sh; safe to run again (apt skips
# what is there). Set VVP_NO_APT=1 to skip (e.g. on a prepared machine).

vvp_build_pkgs="build-essential autoconf automake libtool pkg-config
	libnl-3-dev libnl-genl-3-dev libudev-dev libpci-dev libinih-dev
	libjson-c-dev libcmocka-dev asciidoctor jq pciutils udev
	bash-completion python3-yaml systemd"
vvp_vm_pkgs="qemu-system-x86 busybox-static cpio xz-utils kmod dwarves
	iproute2 driverctl"
# the kernel's netlink code generator (ynl-gen-c) and checkpatch, for
# make netlink-regen and the check of kmod's generated netlink code
# (scripts/ynl-tools.sh extracts them; bookworm-security has the package)
vvp_ynl_pkgs="linux-source-6.12 python3-jsonschema"
# the Debian packages (scripts/build-debs.sh), DKMS, and the ABI check
vvp_deb_pkgs="dpkg-dev debhelper dh-dkms dkms fakeroot lintian abigail-tools"

vvp_install_deps() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ -n "${VVP_NO_APT:-}" ]; then
		echo "Error: missing Debian packages: ${missing[*]} (VVP_NO_APT is set); install them with apt-get" >&2
		return 1
	fi
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	# apt's own progress: on a bare machine this takes minutes
	echo "Installing with apt-get: ${missing[*]}"
	$sudo apt-get update -q &&
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
}
