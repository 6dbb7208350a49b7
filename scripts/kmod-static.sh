#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Static checks of kmod/ (issue 13): sparse through Kbuild (make C=1,
# Debian's sparse) and checkpatch.pl --strict from Debian's
# linux-source-6.12 (scripts/ynl-tools.sh extracts it). Either finding
# anything fails. The headers to build against are KDIR, else the Debian
# 6.12 headers the VM suite fetched into tests/vm/cache/.
#   scripts/kmod-static.sh [KDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:-$(ls -d "$top"/tests/vm/cache/root-*/usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)}
[ -n "$kdir" ] && [ -d "$kdir" ] || {
	echo "Error: no kernel headers to build kmod/ against (tests/vm/cache has none); run make check-vm once, or pass KDIR" >&2
	exit 1; }
command -v sparse >/dev/null || {
	echo "Error: sparse is not installed; apt-get install sparse" >&2; exit 1; }
checkpatch=$("$top/scripts/ynl-tools.sh")/scripts/checkpatch.pl

# a copy, so that the build leaves nothing in the source tree
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vvp-kmod-static.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -r "$top/kmod/." "$tmp/"
make -C "$tmp" clean KDIR="$kdir" >/dev/null 2>&1 || true
if ! make -C "$kdir" M="$tmp" C=1 modules >"$tmp/sparse.log" 2>&1; then
	tail -30 "$tmp/sparse.log"; echo "Error: kmod/ does not build" >&2; exit 1
fi
checked=$(grep -c '^  CHECK ' "$tmp/sparse.log" || true)
if grep -E '(warning|error):' "$tmp/sparse.log"; then
	echo "sparse: findings in kmod/ (above)"; exit 1
fi
[ "$checked" -gt 0 ] || { echo "Error: sparse checked no file" >&2; exit 1; }
echo "sparse: $checked files, 0 warnings"
if ! out=$(cd "$top/kmod" && make -s --no-print-directory style \
	CHECKPATCH="$checkpatch" 2>&1) || [ -n "$out" ]; then
	echo "$out"; echo "checkpatch: findings in kmod/ (above)"; exit 1
fi
echo "checkpatch --strict: $(cd "$top/kmod" && grep -L YNL-GEN */*.c */*.h include/linux/*.h include/uapi/linux/*.h | grep -vc '\.mod\.c$') files, 0 findings"
