#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The test command: install what is needed, build, run the unit and
# fake-sysfs tests (make check), then the VM suite on a real kernel
# (make check-vm). Options: --no-vm skips the VM suite.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"

vm=1
for a in "$@"; do
	case "$a" in
	--no-vm) vm= ;;
	*) echo "Error: unknown option '$a' (check.sh takes --no-vm); see README.md" >&2; exit 2 ;;
	esac
done

vvp_install_deps $vvp_build_pkgs ${vm:+$vvp_vm_pkgs}
[ -z "$vm" ] || vvp_enable_backports
cd "$top"
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --sysconfdir=/etc
make -j"$(nproc)"
make -j"$(nproc)" check || { cat tests/*/test-suite.log test-suite.log 2>/dev/null | tail -100; exit 1; }
if [ -n "$vm" ]; then
	make check-vm
	echo "All tests passed: make check, and the VM suite on a real 6.12 kernel."
else
	echo "make check passed (--no-vm: the VM suite did not run)."
fi
"$top/scripts/next-steps.sh" check
