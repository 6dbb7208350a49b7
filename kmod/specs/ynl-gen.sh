#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Write the C code that vvp.yaml describes with the kernel's own generator,
# ynl-gen-c (tools/net/ynl of a Linux 6.12 source tree), into OUTDIR
# (default: kmod/, this folder's parent):
#   include/uapi/linux/vvp.h   the family's uapi header
#   vvp/vvp_nl.h vvp/vvp_nl.c  its policies, split ops and genl_family
#   ynl-gen.sh YNL_DIR [OUTDIR]
# ynl-gen-c names the spec by its path below the nearest folder with a
# MAINTAINERS file, and checks it against ../<protocol>.yaml of the
# spec's folder: kernel-tree conventions, which a scratch tree provides.
# Needs python3 with yaml and jsonschema.
set -eu
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 YNL_DIR [OUTDIR]" >&2
	exit 2
fi
ynl=$1
kmod=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$kmod}
spec=$kmod/specs/vvp.yaml
proto=$(sed -n 's/^protocol: *//p' "$spec")
schema=$ynl/../../../Documentation/netlink/$proto.yaml
for f in "$ynl/ynl-gen-c.py" "$schema"; do
	if [ ! -r "$f" ]; then
		echo "Error: $f is missing (YNL_DIR must be tools/net/ynl of a kernel source tree); scripts/ynl-tools.sh extracts one" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/kmod/specs" "$out/include/uapi/linux" "$out/vvp"
: >"$tmp/MAINTAINERS"
cp "$schema" "$tmp/kmod/"
cp "$spec" "$tmp/kmod/specs/"
gen() {
	python3 "$ynl/ynl-gen-c.py" --cmp-out --spec "$tmp/kmod/specs/vvp.yaml" "$@"
}
gen --mode uapi --header -o "$out/include/uapi/linux/vvp.h"
gen --mode kernel --header -o "$out/vvp/vvp_nl.h"
gen --mode kernel --source -o "$out/vvp/vvp_nl.c"
