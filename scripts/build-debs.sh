#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build vvp's Debian packages (vvp, libvvp1, libvvp-dev, vvp-dkms) from a
# clean copy of the tree and check them with lintian:
#   scripts/build-debs.sh [OUTDIR]         (default: ./debs)
# The copy is what git tracks plus what is not yet committed (or the whole
# unpacked release tarball), so that a configured or half-built tree does
# not leak into the packages. The .debs, .changes, .buildinfo, the build
# log and lintian's output land in OUTDIR. Exit 1 when the build fails or
# lintian reports an error.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
out=${1:-$top/debs}

vvp_install_deps $vvp_build_pkgs $vvp_deb_pkgs
mkdir -p "$out"
out=$(cd "$out" && pwd)
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
work=$out/src
src=$work/vvp-$ver
rm -rf "$work"; mkdir -p "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar -cf - --ignore-failed-read) | tar -xf - -C "$src"
else
	(cd "$top" && tar -cf - --exclude=./debs .) | tar -xf - -C "$src"
fi

echo "Building the Debian packages of vvp $ver in $work (log: $out/build.log)"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
if ! (cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
	tail -40 "$out/build.log"
	echo "Error: dpkg-buildpackage failed (last 40 lines above); see $out/build.log" >&2
	exit 1
fi
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
rm -rf "$work"

changes=$(ls "$out"/vvp_*.changes)
echo "Packages:"
for d in "$out"/*.deb; do echo "  $d"; done
# --fail-on error: warnings are printed, only errors fail the build
lintian --display-info --fail-on error "$changes" \
	>"$out/lintian.log" 2>&1 && rc=0 || rc=$?
cat "$out/lintian.log"
if [ $rc -ne 0 ]; then
	echo "Error: lintian found errors in $changes (listed above)" >&2
	exit 1
fi
echo "lintian: no errors ($(grep -c '^W: ' "$out/lintian.log" || true) warnings, $(grep -c '^I: ' "$out/lintian.log" || true) info)"
echo "Install them: sudo apt-get install $out/vvp_${ver}_*.deb $out/libvvp1_${ver}_*.deb [$out/vvp-dkms_${ver}_all.deb]"
