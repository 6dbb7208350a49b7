#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What to do after scripts/demo.sh or scripts/check.sh: where the vvpctl
# just built is and how to use it, install it, package it, test it.
#   scripts/next-steps.sh demo|check
# Printed at the end of both (README: Quick start).
top=$(cd "$(dirname "$0")/.." && pwd)
cat <<EOF2

== What next
vvp is built in $top, nothing is installed yet. In that directory:
  ./cli/vvpctl --help          every command; './cli/vvpctl list' shows this
                               machine's SR-IOV devices (changes need root).
                               cli/vvpctl is libtool's wrapper script: it runs
                               cli/.libs/vvpctl with the libvvp.so just built
  man -l man/vvpctl.8          the manual, and a page per command
                               (man -l man/vvpctl-enable.8, ...)
  sudo make install            vvpctl on PATH, 'man vvpctl', the udev rule and
                               vvp-apply.service (README: Building from source)
  scripts/build-debs.sh        or all that as Debian packages
                               (README: Debian packages)
EOF2
case "${1:-}" in
demo)
	echo "  scripts/check.sh             the tests (--no-vm: without the VM suite)"
	echo "  scripts/demo.sh --detail     this demo, with each check of the legacy probe"
	;;
check)
	echo "  scripts/demo.sh              a narrated vvpctl session in the VM"
	;;
esac
