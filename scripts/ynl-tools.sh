#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel's own netlink code generator and checkpatch, from Debian's
# linux-source-6.12 package (/usr/src/linux-source-6.12.tar.xz), extracted
# once into tests/vm/cache/linux-source-6.12/ (or DIR/linux-source-6.12/):
# tools/net/ynl (ynl-gen-c), the genetlink schemas it checks a spec
# against, scripts/checkpatch.pl with the files it reads, MAINTAINERS.
# Again only when the package's version changed. Prints the directory.
#   scripts/ynl-tools.sh [DIR]
# make netlink-regen and tests/unit/check-netlink-gen.sh use it; CI runs
# it (.ci/run), scripts/deps.sh names the packages.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-$top/tests/vm/cache}
dest=$cache/linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz

ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || ver=
if [ -n "$ver" ] && [ "$(cat "$dest/.version" 2>/dev/null)" = "$ver" ]; then
	echo "$dest"
	exit 0
fi
if [ -z "$ver" ] || [ ! -r "$tarball" ]; then
	echo "Error: $tarball is missing (linux-source-6.12 is not installed); apt-get install linux-source-6.12 (bookworm-security)" >&2
	exit 1
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$dest.new.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# one pass over the 150 MB tarball, about 15 s
tar -xJf "$tarball" -C "$tmp" --strip-components=1 --wildcards \
	'linux-source-6.12/tools/net/ynl/*' \
	'linux-source-6.12/Documentation/netlink/genetlink*.yaml' \
	linux-source-6.12/scripts/checkpatch.pl \
	linux-source-6.12/scripts/spelling.txt \
	linux-source-6.12/scripts/const_structs.checkpatch \
	linux-source-6.12/MAINTAINERS
echo "$ver" >"$tmp/.version"
# the cache is shared: replace the old copy in one step
rm -rf "$dest.old"
[ ! -e "$dest" ] || mv -T "$dest" "$dest.old"
mv -T "$tmp" "$dest"
rm -rf "$dest.old"
echo "$dest"
