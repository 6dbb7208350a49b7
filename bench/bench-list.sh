#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/bench-list.sh BUILDDIR [RUNS]
#
# How much slower is `vvpctl list -j` than reading the same facts raw?
# Builds a 1024-VF tree with tests/sysfs/mktree, then times RUNS (default
# 20) runs of each, after one warm-up run each, and prints the medians and
# their ratio (target: vvpctl at most 2x the raw walk). No assertion.
#
# vvpctl list -j reads:
#   readdir bus/pci/devices; per entry access(<dev>/sriov_totalvfs);
#   per PF: sriov_totalvfs vendor device sriov_numvfs sriov_drivers_autoprobe,
#           readlink driver, and the PCI ID database (libpci) for the names;
#   per VF: readlink <pf>/virtfnN, vendor device driver_override,
#           readlink driver, readlink iommu_group.
# The raw walk is one pipeline, find | xargs cat: find visits every
# bus/pci/devices/<dev>/ (readdir), readlinks driver, iommu_group and
# virtfn* (-fprintf %l), and hands vendor, device, driver_override,
# sriov_totalvfs, sriov_numvfs, sriov_drivers_autoprobe of every device to
# cat. It reads a little more (the bridges' and 00:1f.0's attributes), and
# neither parses pci.ids nor builds JSON.
#
# vvpctl is run as the real binary (cli/.libs/vvpctl with LD_LIBRARY_PATH),
# not libtool's wrapper script, whose shell startup would be timed too.

set -eu

B=${1:?usage: bench/bench-list.sh BUILDDIR [RUNS]}
RUNS=${2:-20}
B=$(cd "$B" && pwd)
MKTREE=$B/tests/sysfs/mktree
if [ -x "$B/cli/.libs/vvpctl" ]; then
	VVPCTL=$B/cli/.libs/vvpctl
	export LD_LIBRARY_PATH=$B/libvvp/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
else
	VVPCTL=$B/cli/vvpctl
fi
[ -x "$MKTREE" ] && [ -x "$VVPCTL" ] || {
	echo "Error: $MKTREE or $VVPCTL missing (build first: make)" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/vvp-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
eval "$("$MKTREE" "$T/tree" --vfs 1024)"
export VVP_SYSFS_ROOT VVP_PROC_ROOT
unset VVP_LOG
D=$VVP_SYSFS_ROOT/bus/pci/devices

run_vvpctl() {
	"$VVPCTL" list -j >"$T/vvpctl.json"
}

run_raw() {
	find -H "$D"/*/ -maxdepth 1 \
		\( \( -name driver -o -name iommu_group -o -name 'virtfn*' \) \
		   -fprintf "$T/links" '%h %f %l\n' \) -o \
		\( -type f \( -name vendor -o -name device -o -name driver_override \
		   -o -name sriov_totalvfs -o -name sriov_numvfs \
		   -o -name sriov_drivers_autoprobe \) -print0 \) |
		xargs -0 cat >"$T/attrs"
}

# median of RUNS runs of $1, in ms
time_median() {
	local t0 t1 i
	"$1"	# warm-up: page cache, dentries, ld.so cache
	for ((i = 0; i < RUNS; i++)); do
		t0=$EPOCHREALTIME
		"$1"
		t1=$EPOCHREALTIME
		echo "$t0 $t1"
	done | awk '{ print ($2 - $1) * 1000 }' | sort -g |
		awk '{ v[NR] = $1 }
		     END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			   printf "%.2f\n", m }'
}

vv=$(time_median run_vvpctl)
raw=$(time_median run_raw)
vfs=$(jq '.[0].vfs | length' "$T/vvpctl.json" 2>/dev/null || echo "?")
links=$(wc -l <"$T/links")

echo "tree: 1 PF, $vfs VFs listed ($VVP_SYSFS_ROOT)"
echo "vvpctl list -j:              median $vv ms over $RUNS runs"
echo "raw walk (find | xargs cat): median $raw ms over $RUNS runs ($links links read)"
awk -v a="$vv" -v b="$raw" 'BEGIN { r = a / b; verdict = (r <= 2) ? "met" : "NOT met"
	printf "ratio vvpctl/raw: %.2f (target <= 2: %s)\n", r, verdict }'
