#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The consumer test (make check-consumer): libvvp as installed, used by a
# program that knows only what pkg-config says.
#   tests/consumer/run.sh DESTDIR LIBDIR SRCDIR BUILDDIR
# DESTDIR holds a 'make install DESTDIR=...' of this build, LIBDIR is the
# configured libdir. The program is compiled with
# `pkg-config --cflags --libs libvvp` alone (PKG_CONFIG_SYSROOT_DIR and
# PKG_CONFIG_PATH point into DESTDIR), run against the installed library,
# on a tree from tests/sysfs/mktree. Exit 0 pass, 1 fail.
set -euo pipefail
root=$1 libdir=$2 srcdir=$3 builddir=$4
fail() { echo "FAIL: $*" >&2; exit 1; }

export PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH=$root$libdir/pkgconfig
flags=$(pkg-config --cflags --libs libvvp) ||
	fail "pkg-config does not find libvvp in $PKG_CONFIG_PATH"
echo "pkg-config --cflags --libs libvvp: $flags"
case " $flags " in
*" -I$root"*" -L$root"*) ;;
*) fail "the flags do not point into $root: $flags" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/vvp-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2086 # the flags are words
${CC:-cc} -Wall -Wextra -Werror -o "$work/consumer" \
	"$srcdir/tests/consumer/consumer.c" $flags ||
	fail "the consumer does not build with pkg-config's flags"

export LD_LIBRARY_PATH=$root$libdir
lib=$(ldd "$work/consumer" | awk '$1 == "libvvp.so.1" { print $3 }')
[ "$lib" = "$root$libdir/libvvp.so.1" ] ||
	fail "the consumer loads libvvp.so.1 from '${lib:-nowhere}', not from $root$libdir"

"$builddir/tests/sysfs/mktree" "$work/tree" --vfs 2 >"$work/roots"
sysfs=$(sed -n 's/^VVP_SYSFS_ROOT=//p' "$work/roots")
"$work/consumer" "$sysfs" >"$work/out" || fail "the consumer failed"
cat "$work/out"
cat >"$work/want" <<'WANT'
short address 1:0.0 is 0000:01:00.0
pf 0000:01:00.0 driver nvme total_vfs 8 num_vfs 2
WANT
diff -u "$work/want" "$work/out" || fail "the consumer's output differs (above)"
echo "PASS: a program built with pkg-config's flags alone runs on $lib"
