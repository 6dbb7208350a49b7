#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages vvp needs to build, test and run the VM
# suite. Sourced by check.sh and demo.sh; safe to run again (apt skips
# what is there). Set VVP_NO_APT=1 to skip (e.g. on a prepared machine).

# libxml2-dev: the libvirt hook reads the domain XML; libvirt-clients:
# virt-xml-validate checks the hook's test samples against libvirt's schema
vvp_build_pkgs="build-essential autoconf automake libtool pkg-config
	libnl-3-dev libnl-genl-3-dev libudev-dev libpci-dev libinih-dev
	libjson-c-dev libxml2-dev libcmocka-dev asciidoctor jq pciutils udev
	bash-completion python3-yaml systemd libvirt-clients"
# qemu-system-x86 (bookworm's 7.2) brings the libraries that the VM
# suite's QEMU 10.0 needs; that QEMU itself comes from bookworm-backports
# (vvp_enable_backports) and is only extracted into tests/vm/cache, never
# installed
vvp_vm_pkgs="qemu-system-x86 busybox-static cpio xz-utils kmod dwarves
	iproute2 driverctl"
# the kernel's netlink code generator (ynl-gen-c) and checkpatch, for
# make netlink-regen and the check of kmod's generated netlink code
# (scripts/ynl-tools.sh extracts them; bookworm-security has the package)
vvp_ynl_pkgs="linux-source-6.12 python3-jsonschema"
# the Ansible collection's tests (make check-ansible): ansible-core (with
# ansible-test), the linters ansible-test sanity runs, pytest, and what
# the two managed-host VMs need (dropbear in the guest, ssh on the host)
vvp_ansible_pkgs="ansible-core python3-pytest pylint yamllint
	python3-pycodestyle python3-voluptuous shellcheck dropbear-bin
	openssh-client python3.11 bc"
# the Debian packages (scripts/build-debs.sh), DKMS, and the ABI check
vvp_deb_pkgs="dpkg-dev debhelper dh-dkms dkms fakeroot lintian abigail-tools"
# issue 13's checks: make fuzz (clang with libFuzzer and the sanitizer
# runtimes), make check-valgrind, and sparse on kmod/
# (scripts/kmod-static.sh; checkpatch comes with linux-source-6.12)
vvp_hardening_pkgs="clang libclang-rt-dev valgrind sparse"

# Whether this script may change apt's state: not with VVP_NO_APT set, and
# then it says what is missing ($1) and what to do ($2).
vvp_apt_allowed() {
	[ -z "${VVP_NO_APT:-}" ] && return 0
	echo "Error: $1 (VVP_NO_APT is set); $2" >&2
	return 1
}

# Run "$@" as root: directly when we are, else through sudo.
vvp_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

vvp_install_deps() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	vvp_apt_allowed "missing Debian packages: ${missing[*]}" \
		"install them with apt-get" || return 1
	# apt's own progress: on a bare machine this takes minutes
	echo "Installing with apt-get: ${missing[*]}"
	vvp_as_root apt-get update -q &&
	vvp_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
}

# Add bookworm-backports to apt's sources (once) and update, so that the
# VM suite can `apt-get download` QEMU 10.0 from it. Backports are
# NotAutomatic: nothing else is installed or upgraded from it.
vvp_enable_backports() {
	local f=/etc/apt/sources.list.d/vvp-bookworm-backports.sources
	apt-cache policy 2>/dev/null | grep -q 'bookworm-backports/main' && return 0
	vvp_apt_allowed "bookworm-backports is not in apt's sources" \
		"add it for the VM suite's QEMU 10.0" || return 1
	echo "Adding bookworm-backports to apt's sources ($f)"
	printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm-backports' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
		vvp_as_root tee "$f" >/dev/null &&
	vvp_as_root apt-get update -q >/dev/null
}
