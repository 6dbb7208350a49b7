#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demo: install what is needed, build vvp, boot a real Debian 6.12
# kernel under QEMU with an IOMMU and an SR-IOV PF, and run a narrated
# vvpctl session there. Options: --detail prints each check of the legacy
# guest's probe (part 2) instead of its story in a few lines.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"

demo=--demo
for a in "$@"; do
	case "$a" in
	--detail) demo=--demo-detail ;;
	*) echo "Error: unknown option '$a' (demo.sh takes --detail); see README.md" >&2; exit 2 ;;
	esac
done

echo "== 1/3 Debian packages for building vvp and running the VM"
vvp_install_deps $vvp_build_pkgs $vvp_vm_pkgs
echo "all installed"

cd "$top"
log=$top/demo-build.log
echo
echo "== 2/3 Building vvp: autoreconf, configure, make (output in $log)"
if ! {
	[ -x configure ] || autoreconf -fi
	[ -f Makefile ] || ./configure --sysconfdir=/etc
	make -j"$(nproc)"
} >"$log" 2>&1; then
	tail -30 "$log"
	echo "Error: the build failed (the last 30 lines of $log above); fix what it names and run scripts/demo.sh again" >&2
	exit 1
fi
grep -i '^configure: WARNING' "$log" || true
echo "built cli/vvpctl, libvvp/.libs/libvvp.so and the man pages in man/"

echo
echo "== 3/3 A Debian 6.12 kernel in QEMU, and vvpctl in it"
if ! tests/vm/run.sh --srcdir "$top" --builddir "$top" $demo; then
	echo "Error: the demo in the VM failed (what failed and the console log kept are above); run scripts/demo.sh again, or see tests/vm/README.md" >&2
	exit 1
fi
"$top/scripts/next-steps.sh" demo
