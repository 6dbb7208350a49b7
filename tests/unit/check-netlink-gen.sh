#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The netlink code committed in kmod/ (vvp/vvp_nl.[ch], the uapi header)
# is what the kernel's ynl-gen-c makes of kmod/specs/vvp.yaml now: a spec
# edited without make netlink-regen, or generated code edited by hand,
# fails here.
#
# ynl-gen-c comes from $VVP_YNL (a kernel tree's tools/net/ynl), else from
# the copy scripts/ynl-tools.sh extracts into tests/vm/cache/ (CI runs
# it). Exit 0 current, 1 stale, 77 skip (no ynl-gen-c, no python3 yaml or
# jsonschema).
srcdir=${srcdir:-$(dirname "$0")/../..}
ynl=${VVP_YNL:-}
if [ -z "$ynl" ]; then
	for d in "$srcdir/tests/vm/cache" tests/vm/cache; do
		if [ -r "$d/linux-source-6.12/tools/net/ynl/ynl-gen-c.py" ]; then
			ynl=$d/linux-source-6.12/tools/net/ynl
			break
		fi
	done
fi
if [ -z "$ynl" ]; then
	echo "SKIP: no ynl-gen-c: set VVP_YNL, or run scripts/ynl-tools.sh (needs linux-source-6.12)"
	exit 77
fi
if ! python3 -c 'import yaml, jsonschema' 2>/dev/null; then
	echo "SKIP: ynl-gen-c needs python3-yaml and python3-jsonschema"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$srcdir/kmod/specs/ynl-gen.sh" "$ynl" "$tmp" || exit 1
rc=0 n=0
for f in $(cd "$tmp" && find . -type f | sed 's|^\./||' | sort); do
	n=$((n + 1))
	if ! diff -u "$srcdir/kmod/$f" "$tmp/$f"; then
		echo "FAIL: kmod/$f is not what ynl-gen-c makes of kmod/specs/vvp.yaml; run make netlink-regen"
		rc=1
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: ynl-gen.sh wrote nothing"; exit 1; }
[ $rc -ne 0 ] || echo "$n generated files current (ynl-gen-c from $ynl)"
exit $rc
