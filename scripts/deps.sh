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
# issue 13's checks: make fuzz (clang with libFuzzer and the sanitizer
# runtimes), make check-valgrind, and sparse on kmod/
# (scripts/kmod-static.sh; checkpatch comes with linux-source-6.12)
vvp_hardening_pkgs="clang libclang-rt-dev valgrind sparse"

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
	echo "Installing: ${missing[*]}"
	$sudo apt-get update -q >/dev/null &&
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null
}
