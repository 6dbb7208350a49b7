#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# DKMS for real: build the modules of the vvp-dkms package with dkms, as
# a machine that installs the package would, against the Debian 6.12
# kernel headers the VM suite uses, and keep the .ko files for the VM suite
# (tests/vm/run.sh --kmod-from DIR loads them instead of building kmod/).
#   scripts/dkms-check.sh [--deb FILE] [--headers DIR] [--out DIR]
#     --deb      the vvp-dkms .deb (default: debs/vvp-dkms_*_all.deb, from
#                scripts/build-debs.sh)
#     --headers  a kernel build tree (default: the VM suite's extracted
#                Debian 6.12 headers; run.sh fetches them when missing)
#     --out      where the .ko files and dkms's make.log go
#                (default: tests/vm/dkms-ko)
# dkms gets private trees (--dkmstree, --sourcetree, --installtree) in a
# scratch directory: nothing is written to /var/lib/dkms, /usr/src or
# /lib/modules of this machine, and 'dkms remove' undoes the add and build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
deb='' headers='' out=$top/tests/vm/dkms-ko
while [ $# -gt 0 ]; do
	case "$1" in
	--deb) deb=${2:?}; shift 2 ;;
	--headers) headers=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	*) echo "Error: unknown option '$1' (dkms-check.sh takes --deb, --headers, --out); see its header comment" >&2; exit 2 ;;
	esac
done
fail() { echo "Error: $*" >&2; exit 1; }
command -v dkms >/dev/null || fail "dkms not found (the dkms package is not installed); apt-get install dkms"
if [ -z "$deb" ]; then
	deb=$(ls "$top"/debs/vvp-dkms_*_all.deb 2>/dev/null | sort -V | tail -1 || true)
	[ -n "$deb" ] || fail "no vvp-dkms .deb in $top/debs (not built); run scripts/build-debs.sh or pass --deb"
fi
[ -n "$headers" ] ||
	headers=$("$top/tests/vm/run.sh" --srcdir "$top" --builddir "$top" --print-headers)
kver=$(cat "$headers/include/config/kernel.release" 2>/dev/null) ||
	fail "$headers has no include/config/kernel.release (not a kernel build tree); pass --headers"

work=$(mktemp -d "${TMPDIR:-/tmp}/vvp-dkms.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/pkg"
mkdir -p "$work/dkms" "$work/modules"
conf=$(ls "$work"/pkg/usr/src/vvp-*/dkms.conf) || fail "$deb has no usr/src/vvp-*/dkms.conf"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$conf")
dk() {
	dkms --dkmstree "$work/dkms" --sourcetree "$work/pkg/usr/src" \
		--installtree "$work/modules" "$@"
}
echo "dkms: vvp $ver from $(basename "$deb"), for kernel $kver ($headers)"
dk add -m vvp -v "$ver"
rc=0
dk build -m vvp -v "$ver" -k "$kver" --kernelsourcedir "$headers" || rc=$?
mkdir -p "$out"
rm -f "$out"/*.ko "$out/make.log"
cp "$work/dkms/vvp/$ver/$kver/$(uname -m)/log/make.log" "$out/make.log" 2>/dev/null ||
	cp "$work/dkms/vvp/$ver/build/make.log" "$out/make.log" 2>/dev/null || true
if [ $rc -eq 0 ]; then
	cp "$work/dkms/vvp/$ver/$kver/$(uname -m)/module/"*.ko "$out/"
fi
dk remove -m vvp -v "$ver" --all
[ $rc -eq 0 ] || { tail -30 "$out/make.log" 2>/dev/null; fail "dkms build of vvp $ver for $kver failed (status $rc; make.log above, kept in $out)"; }

n=0
for ko in "$out"/*.ko; do
	magic=$(modinfo -F vermagic "$ko")
	[ "${magic%% *}" = "$kver" ] || fail "$ko is for '${magic%% *}', not $kver"
	n=$((n + 1))
done
[ $n -eq 3 ] || fail "dkms built $n modules, not the 3 of dkms.conf"
echo "dkms: built $(cd "$out" && echo *.ko) for $kver into $out (make.log there)"
