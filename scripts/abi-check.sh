#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvvp's ABI against a baseline, with abidiff (Debian: abigail-tools).
#   scripts/abi-check.sh SRCDIR BUILDDIR [BASELINE]      (make abi-check)
# BASELINE: a git tag or commit (built in a scratch copy), a libvvp.so.N
# with debug info, or an XML dump from abidw. Without one: the newest v*
# tag before HEAD; when there is none (nothing released yet) it says so and
# exits 0. Only libvvp.h's types count (--header-file).
# Exit 0: same ABI, or only additions (printed, with what a release then
# changes); 1: an incompatible change, or the check could not run.
set -euo pipefail
src=$1 build=$2 base=${3:-}
fail() { echo "Error: $*" >&2; exit 1; }
command -v abidiff >/dev/null ||
	fail "abidiff not found (abigail-tools is not installed); apt-get install abigail-tools"

new=$(readlink -f "$build/libvvp/.libs/libvvp.so")
[ -f "$new" ] || fail "$build/libvvp/.libs/libvvp.so not found (not built); run make"
if [ -z "$base" ]; then
	base=$(git -C "$src" describe --tags --abbrev=0 --match 'v[0-9]*' HEAD^ 2>/dev/null || true)
	if [ -z "$base" ]; then
		echo "abi-check: SKIP: no release tag (v*) before HEAD and no ABI_BASELINE;"
		echo "  libvvp has no released ABI to be compatible with yet."
		echo "  Once a release is tagged (v0.1), later commits are compared with it;"
		echo "  make abi-check ABI_BASELINE=<tag, libvvp.so.N or abidw XML> picks one."
		exit 0
	fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vvp-abi.XXXXXX")
trap 'rm -rf "$work"' EXIT
hdr_old=()
if [ -f "$base" ]; then
	old=$base
elif git -C "$src" rev-parse -q --verify "$base^{commit}" >/dev/null; then
	# the baseline's library, built from its own sources as a release
	# tarball would be
	echo "abi-check: building libvvp of $base in $work"
	git -C "$src" archive --prefix=base/ "$base" | tar -xf - -C "$work"
	(cd "$work/base" && autoreconf -fi && ./configure --disable-docs --disable-test &&
		make -j2 libvvp/libvvp.la) >"$work/build.log" 2>&1 ||
		{ tail -20 "$work/build.log"; fail "building libvvp of $base failed (log above)"; }
	old=$(readlink -f "$work/base/libvvp/.libs/libvvp.so")
	hdr_old=(--hf1 "$work/base/libvvp/libvvp.h")
else
	fail "baseline '$base' is neither a file nor a git tag or commit; pass ABI_BASELINE=<tag|libvvp.so.N|abi.xml>"
fi

echo "abi-check: $base ($old) -> $new"
rc=0
abidiff --drop-private-types "${hdr_old[@]}" --hf2 "$src/libvvp/libvvp.h" \
	"$old" "$new" >"$work/report" 2>&1 || rc=$?
cat "$work/report"
# abidiff's status is a bit field: 1 error, 2 usage, 4 ABI change,
# 8 incompatible change
if [ $((rc & 3)) -ne 0 ]; then
	fail "abidiff could not compare the two (status $rc, above)"
elif [ $((rc & 8)) -ne 0 ]; then
	fail "libvvp's ABI is incompatible with $base (report above); restore what changed, or bump the soname (Makefile.am: LIBVVP_CURRENT++, LIBVVP_AGE = 0) and start a new node in libvvp.sym"
elif [ $((rc & 4)) -ne 0 ]; then
	echo "abi-check: libvvp changed its ABI compatibly since $base (above): a release then has LIBVVP_CURRENT++, LIBVVP_AGE++, LIBVVP_REVISION = 0 (Makefile.am) and the new symbols in a new libvvp.sym node"
else
	echo "abi-check: libvvp's ABI is the same as $base's"
fi
