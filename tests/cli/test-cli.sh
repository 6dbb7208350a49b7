#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vvpctl on generated trees (tests/sysfs/mktree) through VVP_SYSFS_ROOT.
#
# A subprocess has no write hook, so nothing here models the kernel: every
# command that would write is one that must fail before writing, and the
# test checks that the tree is byte for byte as it was. The library's
# writes are tested in tests/sysfs/test-{sriov,bind}.
#
# Topology (mktree defaults): PF 0000:01:00.0 (1b36:0010, nvme, 8 VFs total)
# behind root port 0000:00:01.0; VF i at routing ID PF+1+i; 0000:00:1f.0
# has no SR-IOV; drivers nvme, vfio-pci (and pcieport) are loaded.
#
# VVP_VALGRIND=1 (make check-valgrind) runs every vvpctl under valgrind:
# an invalid access or a definite leak fails that check, with valgrind's
# report. VVP_VALGRIND=sample (make check-valgrind-sample) runs only the
# first call of each subcommand with each exit status under it: every
# command's success, usage error and failure once, in a few minutes.
#
# Exit: 0 pass, 1 fail, 77 skip (no jq).

set -u

B=${VVP_BUILDDIR:-$(pwd)}
VVPCTL=$B/cli/vvpctl
MKTREE=$B/tests/sysfs/mktree

command -v jq >/dev/null || { echo "SKIP: jq not installed"; exit 77; }
[ -x "$VVPCTL" ] && [ -x "$MKTREE" ] || {
	echo "FAIL: $VVPCTL or $MKTREE not built"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vvp-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
unset VVP_LOG VVP_TIMEOUT_MS VVP_CONFIG_DIR
# the changing commands lock the PF: never in the host's /run/vvp
export VVP_RUN_DIR=$TMP/run

# each vvpctl under valgrind, through libtool: vvpctl is its wrapper script
WRAP=()
if [ -n "${VVP_VALGRIND:-}" ]; then
	command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed"; exit 77; }
	WRAP=("$B/libtool" --mode=execute valgrind --error-exitcode=99
	      --leak-check=full --errors-for-leak-kinds=definite
	      --log-file="$TMP/valgrind.%p")
fi

. "$(dirname "$0")/lib.sh"

# Each check reports one line, and a failure once: run reports a wrong exit
# status itself and returns 1, so what follows "run ... &&" is a further
# check, never a second report of the same failure.

# the wrapper for a call of vvpctl $2... expected to exit $1, into wrap
declare -A vg_seen=()
vg_calls=0 vg_wrapped=0
choose_wrap() {
	wrap=()
	vg_calls=$((vg_calls + 1))
	[ ${#WRAP[@]} -gt 0 ] || return 0
	[ "$VVP_VALGRIND" != sample ] || [ -z "${vg_seen["${2-} $1"]:-}" ] ||
		return 0
	vg_seen["${2-} $1"]=1
	vg_wrapped=$((vg_wrapped + 1))
	wrap=("${WRAP[@]}")
}

# run EXPECTED-STATUS vvpctl-args...: stdout in $OUT, stderr in $ERR
run() {
	local want=$1 wrap
	choose_wrap "$@"
	shift
	"${wrap[@]}" "$VVPCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ ${#wrap[@]} -gt 0 ] && [ "$status" -eq 99 ]; then
		not_ok "vvpctl $* under valgrind: $(cat "$TMP"/valgrind.*)"
		rm -f "$TMP"/valgrind.*
		return 1
	fi
	rm -f "$TMP"/valgrind.*
	if [ "$status" -ne "$want" ]; then
		not_ok "vvpctl $* exits $want (got $status: $ERR)"
		return 1
	fi
	return 0
}

# jqt 'FILTER' DESCRIPTION: FILTER is true of $OUT
jqt() {
	if echo "$OUT" | jq -e "$1" >/dev/null 2>&1; then
		ok "$2"
	else
		not_ok "$2 ($1 on: ${OUT:0:300})"
	fi
}

# out_like GLOB DESCRIPTION: $OUT matches GLOB
out_like() {
	if [[ $OUT == $1 ]]; then
		ok "$2"
	else
		not_ok "$2 (got: ${OUT:0:300})"
	fi
}

# err_is TEXT DESCRIPTION: stderr is TEXT, one line
err_is() {
	if [ "$ERR" = "$1" ]; then
		ok "$2"
	else
		not_ok "$2 (got: $ERR)"
	fi
}

# usage ARGS...: a misuse exits 2 with a line "Error: ..." on stderr
usage() {
	local line
	run 2 "$@" || return
	line=$(grep -m1 '^Error: ' "$TMP/err")
	if [ -n "$line" ] && [ -z "$OUT" ]; then
		ok "vvpctl $* is a usage error: $line"
	else
		not_ok "vvpctl $* prints Error: (stderr: $ERR, stdout: $OUT)"
		return 1
	fi
}

# failure ARGS... -- NEEDLE: exits 1 with "Error: ...NEEDLE..."
failure() {
	local args=() needle
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	needle=$2
	run 1 "${args[@]}" || return
	if [[ $ERR == Error:* && $ERR == *"$needle"* ]]; then
		ok "vvpctl ${args[*]} fails: ${ERR%%$'\n'*}"
	else
		not_ok "vvpctl ${args[*]} says Error: ...$needle... (got: $ERR)"
		return 1
	fi
}

# --- list ---
tree small --vfs 4
run 0 list -j && {
	err_is "" "list -j: nothing on stderr when there are PFs"
	jqt 'length == 1' "list -j: one PF"
	jqt '.[0].address == "0000:01:00.0" and .[0].vendor_id == "0x1b36" and .[0].device_id == "0x0010"' \
		"list -j: PF address and ids"
	jqt '.[0].driver == "nvme" and .[0].total_vfs == 8 and .[0].num_vfs == 4 and .[0].autoprobe == true' \
		"list -j: PF driver, total_vfs, num_vfs, autoprobe"
	jqt '.[0].vfs | length == 4' "list -j: 4 VFs"
	jqt '[.[0].vfs[].index] == [0,1,2,3]' "list -j: VFs in index order"
	jqt '[.[0].vfs[].address] == ["0000:01:00.1","0000:01:00.2","0000:01:00.3","0000:01:00.4"]' \
		"list -j: VF addresses"
	jqt 'all(.[0].vfs[]; .driver == "nvme" and (.iommu_group | type) == "number" and (has("driver_override") | not))' \
		"list -j: VF driver, group, no override"
}
run 0 -j list && jqt '.[0].num_vfs == 4' "global -j before the command"
run 0 list -p && jqt '.[0].vfs | length == 4' "list -p is JSON too"
run 0 list && out_like '*pf 0000:01:00.0*0000:01:00.4*' \
	"list (text) names the PF and its VFs"

tree three --pfs 3 --vfs 2
run 0 list -j && {
	jqt '[.[].address] == ["0000:01:00.0","0000:02:00.0","0000:03:00.0"]' \
		"list -j: three PFs, sorted; bridges and 00:1f.0 left out"
	jqt '[.[].num_vfs] == [2,2,2]' "list -j: each with its VFs"
}

tree big --vfs 1024
run 0 list -j && {
	jqt '.[0].total_vfs == 1024 and .[0].num_vfs == 1024' "1024 VFs: counts"
	jqt '.[0].vfs | length == 1024' "1024 VFs: all listed"
	jqt '.[0].vfs[1023].address == "0000:05:00.0" and .[0].vfs[1023].index == 1023' \
		"1024 VFs: the last one, four buses on"
	jqt '[.[0].vfs[].index] == [range(1024)]' "1024 VFs: in index order"
}

tree none --pfs 0
run 0 list -j && {
	jqt '. == []' "no PF: an empty array"
	err_is "no SR-IOV capable PCI devices found" "no PF: list -j says so on stderr"
}
run 0 list && {
	out_like '' "no PF: list prints nothing"
	err_is "no SR-IOV capable PCI devices found" "no PF: list says so on stderr"
}

# --- show ---
# VF i of the first PF is in IOMMU group 4+i
tree held --vfs 3 --bound vfio-pci --hold 5
run 0 show -j 0000:01:00.0 &&
	jqt '.address == "0000:01:00.0" and (.vfs | length) == 3 and .vfs[0].driver == "vfio-pci"' \
		"show -j PF: the PF with its VFs"
run 0 show -j 01:00.0 && jqt '.address == "0000:01:00.0"' "show -j takes the short form"
run 0 show -j 0000:01:00.2 &&
	jqt '.address == "0000:01:00.2" and .index == 1 and .pf == "0000:01:00.0" and .driver == "vfio-pci" and .driver_override == "vfio-pci" and .iommu_group == 5 and .in_use == true' \
		"show -j VF: index, PF, driver, override, group, in use"
run 0 show -j 0000:01:00.1 && jqt '.in_use == false' "show -j VF: another VF is not in use"
run 0 show 0000:01:00.2 && out_like '*vf 0000:01:00.2*' "show VF (text)"

# --- misuse: exit 2, "Error:" ---
tree usage --vfs 2
before=$(snapshot)
usage frob
# one reason, one piece of advice: the message does not repeat itself
err_is "Error: unknown command 'frob' (not a vvpctl command); see vvpctl --help" \
	"an unknown command is named once, with where to look"
usage help frob
err_is "Error: unknown command 'frob' (not a vvpctl command); see vvpctl --help" \
	"help of an unknown command says the same"
usage --frob list
usage -x list
usage
usage list --frob
usage list extra
usage show
usage show 01:00
usage show 0000:01:00.0 0000:01:00.1
usage show 0000:01:00.0x
usage enable 0000:01:00.0
usage enable 0000:01:00.0 --num-vfs
usage enable 0000:01:00.0 --num-vfs four
usage enable 0000:01:00.0 --num-vfs -1
usage enable 0000:01:00.0 --num-vfs 4x
usage enable 0000:01:00.0 --num 4
usage enable 0000:01:00.0 --num-vfs 2 --timeout soon
usage enable --num-vfs 2
usage enable 01:00 --num-vfs 2
usage disable
usage disable 0000:01:00.0 --forc
usage bind 0000:01:00.1
usage bind 0000:01:00.1 --drive vfio-pci
usage bind 0000:01:00.1 --driver
usage bind nope --driver vfio-pci
usage bind --driver vfio-pci
usage bind 0000:01:00.1 --driver ../vfio-pci
usage bind 0000:01:00.1 --driver ""
usage bind --all-vfs 0000:01:00.0 0000:02:00.0 --driver vfio-pci
usage unbind
usage unbind 0000:01:00.1 --al
usage help frob
# provision checks the form of its values before it asks vvp.ko
usage provision 0000:01:00.1 --features 0x1g
usage provision 0000:01:00.1 --features 99999999999999999999999 &&
	if [[ $ERR == *"is out of range (at most 64 bits)"* ]]; then
		ok "a --features number above 64 bits is out of range"
	else
		not_ok "a --features number above 64 bits is out of range (got: $ERR)"
	fi

# --- failures: exit 1, "Error:" ---
failure show 0000:0a:00.0 -- "not found"
failure show 0000:00:1f.0 -- "0000:00:1f.0"
failure enable 0000:0a:00.0 --num-vfs 2 -- "not found"
failure enable 0000:00:1f.0 --num-vfs 2 -- "no SR-IOV"
failure enable 0000:01:00.1 --num-vfs 2 -- "is a VF"
failure enable 0000:01:00.0 --num-vfs 9 -- "at most 8: sriov_totalvfs); ask for 8 or fewer"
failure disable 0000:00:1f.0 -- "no SR-IOV"
failure bind 0000:01:00.1 --driver vvp_vfio_pci -- "modprobe vvp_vfio_pci"
failure bind 0000:01:00.1 0000:01:00.2 --driver vvp_vfio_pci -- "modprobe"
failure bind 0000:01:00.1 0000:0a:00.1 --driver vfio-pci -- "not found"
failure bind 0000:01:00.0 --driver vfio-pci -- "is a PF"
failure unbind 0000:01:00.0 -- "--all-vfs"
failure unbind 0000:00:1f.0 -- "0000:00:1f.0 is not a VF"
failure unbind 0000:01:00.1 0000:0a:00.1 -- "0000:0a:00.1 not found"
[ "$(snapshot)" = "$before" ] && ok "misuse and failures wrote nothing" ||
	not_ok "the tree changed"

# sysfs still has VF 3, sriov_numvfs says 2: the VF's reason is given
tree stale --vfs 3
echo 2 >"$VVP_SYSFS_ROOT/bus/pci/devices/0000:01:00.0/sriov_numvfs"
failure unbind 0000:01:00.3 -- "not among the VFs of 0000:01:00.0"

tree novfs
failure bind --all-vfs 0000:01:00.0 --driver vfio-pci -- "has no VFs"
failure unbind --all-vfs 0000:01:00.0 -- "has no VFs"
tree nopfdrv --no-pf-driver
failure enable 0000:01:00.0 --num-vfs 2 -- "bind the PF to its driver first"

# refused before any write: VFs on vfio, a VF held open
tree vfio --vfs 2 --bound vfio-pci
before=$(snapshot)
failure enable 0000:01:00.0 --num-vfs 1 -- "bound to vfio-pci; Device or resource busy); unbind the VFs first or pass --force"
failure disable 0000:01:00.0 -- "bound to vfio-pci"
[ "$(snapshot)" = "$before" ] && ok "refused changes wrote nothing" ||
	not_ok "a refused change wrote"
tree busy --vfs 2 --bound vfio-pci --hold 5
before=$(snapshot)
failure disable 0000:01:00.0 --force -- "holds /dev/vfio/5 open"
# the same -EBUSY, held rather than on vfio: --force would not help
failure enable 0000:01:00.0 --num-vfs 1 -- "open; Device or resource busy); stop the process or VM that uses it first"
failure unbind 0000:01:00.2 -- "process 4242"
failure unbind --all-vfs 0000:01:00.0 -- "in use"
failure bind 0000:01:00.2 --driver nvme -- "in use"
# a sysfs that cannot be read is an error, not an empty list
VVP_SYSFS_ROOT=$TMP/nonexistent failure list -- "cannot list PCI devices"
[ "$(snapshot)" = "$before" ] && ok "a VF in use: nothing written" ||
	not_ok "a VF in use was written to"

# --- check-config ---
tree cfg --vfs 2
before=$(snapshot)
CFG=$TMP/etc
mkdir -m 0755 "$CFG" "$CFG/conf.d"
export VVP_CONFIG_DIR=$CFG
# conf FILE TEXT: a config file only its owner may write (printf %b)
conf() { printf '%b' "$2" >"$1" && chmod 0644 "$1"; }
conf "$CFG/vvp.conf" '[pf 0000:01:00.0]\nnum_vfs = 4 ; four VFs\ndriver = vfio-pci\n'
conf "$CFG/conf.d/10-vf.conf" '[vf 0000:01:00.0/1]\nmac = 02:00:00:00:00:01\ndriver = host\n'
conf "$CFG/conf.d/README" 'not read\n'
run 0 check-config && [[ $OUT == "$CFG: valid, 1 PF, 4 VFs"* && -z $ERR ]] &&
	ok "check-config: the config directory, valid: $OUT" ||
	not_ok "check-config (valid): $OUT $ERR"
run 0 check-config -j && jqt '.valid == true and .problems == [] and .pfs == 1 and .vfs == 4' \
	"check-config -j: valid, counts"
run 0 -j check-config && jqt '.valid == true' "global -j before check-config"
run 0 check-config "$CFG/vvp.conf" && [[ $OUT == "$CFG/vvp.conf: valid, 1 PF, 4 VFs"* ]] &&
	ok "check-config FILE reads that file alone" || not_ok "check-config FILE: $OUT"

conf "$TMP/far.conf" '[pf 0000:0a:00.0]\nnum_vfs = 2\n'
run 0 check-config --offline "$TMP/far.conf" &&
	[[ $OUT == "$TMP/far.conf: valid, 1 PF, 2 VFs (offline: syntax and values only)" ]] &&
	ok "check-config --offline: not against the system" ||
	not_ok "check-config --offline: $OUT"
run 1 check-config "$TMP/far.conf" &&
	[[ $ERR == "$TMP/far.conf:1: PF 0000:0a:00.0 not found (no such PCI device)"$'\n'"Error: the config is not valid (1 problem, listed above); fix it and check again" && -z $OUT ]] &&
	ok "check-config: a PF that is not there" || not_ok "check-config far.conf: $ERR"

conf "$TMP/p.conf" '[pf 0000:01:00.0]\nnum_vfs = 9\nmtu = 1500\n[vf 0000:01:00.0/1]\nmac = 01:00:00:00:00:01\n'
want="$TMP/p.conf:2: num_vfs 9 is more than 0000:01:00.0 supports (sriov_totalvfs 8)
$TMP/p.conf:3: key 'mtu' belongs in a [vf] section, not in [pf]
$TMP/p.conf:5: mac 01:00:00:00:00:01 is a multicast address (a VF needs a unicast one: the first byte even)
Error: the config is not valid (3 problems, listed above); fix them and check again"
run 1 check-config "$TMP/p.conf" && [ "$ERR" = "$want" ] &&
	ok "check-config: every problem as FILE:LINE, exit 1" ||
	not_ok "check-config p.conf: $ERR"
run 1 check-config -j "$TMP/p.conf" &&
	jqt ".valid == false and (.problems | length) == 3 and .problems[2] == \"$TMP/p.conf:5: mac 01:00:00:00:00:01 is a multicast address (a VF needs a unicast one: the first byte even)\" and .pfs == 1 and .vfs == 9" \
		"check-config -j: the problems, exit 1"

conf "$CFG/conf.d/20-again.conf" '[pf 01:00.0]\nnum_vfs = 2\n'
run 1 check-config &&
	[[ $ERR == "$CFG/conf.d/20-again.conf:2: num_vfs already set at $CFG/vvp.conf:2"$'\n'* ]] &&
	ok "check-config: a key set again in conf.d names both places" ||
	not_ok "check-config (redefined): $ERR"
rm "$CFG/conf.d/20-again.conf"
chmod g+w "$CFG/conf.d/10-vf.conf"
failure check-config -- "$CFG/conf.d/10-vf.conf refused (writable by group"
chmod 0644 "$CFG/conf.d/10-vf.conf"
chmod o+w "$CFG"
failure check-config -j -- "$CFG refused (writable by others"
chmod 0755 "$CFG"
failure check-config "$TMP/nothere.conf" -- "$TMP/nothere.conf"
usage check-config "$TMP/p.conf" "$TMP/far.conf"
usage check-config --frob
usage check-config --offlin
unset VVP_CONFIG_DIR
[ "$(snapshot)" = "$before" ] && ok "check-config wrote nothing" ||
	not_ok "check-config changed the tree"

# --- apply and status ---
# Nothing models the kernel behind a subprocess, so apply runs here only
# where it must not write: dry runs, a config that is applied already,
# refusals. Its writes are tests/sysfs/test-{plan,apply}.
tree applied --vfs 2 --bound vfio-pci
before=$(snapshot)
conf "$TMP/in.conf" '[pf 0000:01:00.0]\nnum_vfs = 2\ndriver = vfio-pci\n'
run 0 status -c "$TMP/in.conf" &&
	[[ $OUT == *"vf 1 0000:01:00.2: driver vfio-pci"* && $OUT == *"pf 0000:01:00.0: in sync" ]] &&
	ok "status: in sync, exit 0" || not_ok "status (in sync): $OUT"
run 0 status -j -c "$TMP/in.conf" &&
	jqt '.[0].in_sync and .[0].present and .[0].num_vfs == {"wanted": 2, "actual": 2, "drift": false} and [.[0].vfs[] | .driver.drift, .in_sync] == [false, true, false, true]' \
		"status -j: every field in sync"
run 0 apply -c "$TMP/in.conf" && [ "$OUT" = "pf 0000:01:00.0: nothing to do" ] &&
	ok "apply of an applied config: nothing to do" || not_ok "apply (applied): $OUT"
run 0 apply -j -c "$TMP/in.conf" &&
	jqt '.[0] == {"pf": "0000:01:00.0", "dry_run": false, "steps": [], "result": "nothing_to_do"}' \
		"apply -j: nothing to do"
[ -e "$VVP_RUN_DIR/0000:01:00.0.lock" ] && ok "apply took the PF's lock in VVP_RUN_DIR" ||
	not_ok "no lock file in $VVP_RUN_DIR"

conf "$TMP/drift.conf" '[pf 0000:01:00.0]\nnum_vfs = 4\ndriver = host\nautoprobe = off\n'
run 3 status -c "$TMP/drift.conf" &&
	[[ $OUT == "pf 0000:01:00.0: num_vfs 2 (wanted 4: drift) autoprobe on (wanted off: drift)"* &&
	   $OUT == *"vf 0 0000:01:00.1: driver vfio-pci (wanted host: drift)"* &&
	   $OUT == *"vf 3: absent (drift)"* && $OUT == *"pf 0000:01:00.0: drifted" ]] &&
	ok "status: drift flagged per field, exit 3" || not_ok "status (drift): $OUT"
run 3 status -j -c "$TMP/drift.conf" &&
	jqt '(.[0].in_sync | not) and .[0].autoprobe == {"wanted": false, "actual": true, "drift": true} and [.[0].vfs[].present] == [true, true, false, false] and .[0].vfs[1].driver == {"wanted": "host", "actual": "vfio-pci", "drift": true}' \
		"status -j: drift per field, absent VFs"
plan="pf 0000:01:00.0: 6 steps
  autoprobe 0000:01:00.0     on -> off
  num_vfs   0000:01:00.0     2 -> 4
  bind      0000:01:00.0/0   none -> host
  bind      0000:01:00.0/1   none -> host
  bind      0000:01:00.0/2   none -> host
  bind      0000:01:00.0/3   none -> host
pf 0000:01:00.0: dry run, nothing changed"
run 0 apply --dry-run -c "$TMP/drift.conf" && [ "$OUT" = "$plan" ] &&
	ok "apply --dry-run: the plan, one line per step" || not_ok "apply --dry-run: $OUT"
run 0 apply -n -j -c "$TMP/drift.conf" &&
	jqt '.[0].result == "planned" and .[0].dry_run and [.[0].steps[].kind] == ["autoprobe", "num_vfs", "bind", "bind", "bind", "bind"] and .[0].steps[2] == {"kind": "bind", "device": "0000:01:00.0/0", "vf_index": 0, "from": "none", "to": "host", "state": "planned"}' \
		"apply --dry-run -j: the steps"
run 0 apply -n --vf 01:00.2 -c "$TMP/drift.conf" &&
	[ "$OUT" = "pf 0000:01:00.0: 1 step
  bind      0000:01:00.2     vfio-pci -> host
pf 0000:01:00.0: dry run, nothing changed" ] &&
	ok "apply --vf: that VF's steps only" || not_ok "apply --vf: $OUT"
run 0 apply -n 0000:01:00.0 -c "$TMP/drift.conf" && [[ $OUT == "pf 0000:01:00.0: 6 steps"* ]] &&
	ok "apply PF: a configured PF by name" || not_ok "apply PF: $OUT"
[ "$(snapshot)" = "$before" ] && ok "status and dry runs wrote nothing" ||
	not_ok "status or a dry run changed the tree"

conf "$TMP/empty.conf" '; nothing yet\n'
run 0 apply -c "$TMP/empty.conf" && [ -z "$OUT" ] && [ "$ERR" = "apply: the config names no PF" ] &&
	ok "apply of an empty config: says so, exit 0" || not_ok "apply empty.conf: $OUT $ERR"
run 0 status -j -c "$TMP/empty.conf" && jqt '. == []' "status -j of an empty config: []"

# refused before anything is written
tree held2 --vfs 2 --bound vfio-pci --hold 5
before=$(snapshot)
conf "$TMP/shrink.conf" '[pf 0000:01:00.0]\nnum_vfs = 1\ndriver = vfio-pci\n'
failure apply -c "$TMP/shrink.conf" -- "0000:01:00.2 is in use: process 4242 holds /dev/vfio/5 open"
run 1 apply -j -c "$TMP/shrink.conf" &&
	jqt '.[0].result == "failed" and (.[0].error | test("in use")) and (.[0] | has("steps") | not)' \
		"apply -j: a refused plan, its error"
conf "$TMP/bad.conf" '[pf 0000:01:00.0]\nnum_vfs = many\n'
run 1 apply -c "$TMP/bad.conf" &&
	[[ $ERR == "$TMP/bad.conf:2: "*$'\n'"Error: apply refuses an invalid config (1 problem, listed above: nothing was changed)"* && -z $OUT ]] &&
	ok "apply: an invalid config, its problems, nothing touched" || not_ok "apply bad.conf: $ERR"
run 1 status -c "$TMP/bad.conf" &&
	[[ $ERR == "$TMP/bad.conf:2: "*$'\n'"Error: status refuses an invalid config (1 problem, listed above)"* ]] &&
	ok "status: an invalid config, exit 1" || not_ok "status bad.conf: $ERR"
failure apply 0000:02:00.0 -c "$TMP/shrink.conf" -- "0000:02:00.0 is not in the config"
failure apply --vf 0000:01:00.0 -c "$TMP/shrink.conf" -- "not a VF"
usage apply 01:00 -c "$TMP/shrink.conf"
usage apply --wait soon
usage apply --vf nope
usage apply --vf 0000:01:00.1 0000:01:00.0 0000:02:00.0
usage apply --dry
usage status --frob
usage status 01:00 -c "$TMP/shrink.conf"
[ "$(snapshot)" = "$before" ] && ok "refused applies wrote nothing" ||
	not_ok "a refused apply changed the tree"
conf "$TMP/gone.conf" '[pf 0000:0a:00.0]\nnum_vfs = 2\n'
run 3 status -j -c "$TMP/gone.conf" &&
	jqt '.[0].present == false and .[0].in_sync == false' "status: a configured PF that is missing is drift"
run 1 apply -c "$TMP/gone.conf" &&
	[[ $ERR == "$TMP/gone.conf:1: PF 0000:0a:00.0 not found"*"Error: apply refuses an invalid config"* ]] &&
	ok "apply: a configured PF that is missing fails the check" || not_ok "apply gone.conf: $ERR"

# the lock: another process holds it (flock(1), with a line as vvp writes)
if command -v flock >/dev/null; then
	tree lock --vfs 2
	L=$VVP_RUN_DIR/0000:01:00.0.lock
	mkdir -p "$VVP_RUN_DIR"
	( exec 9>>"$L"; flock 9; echo "$BASHPID hold" >"$L"; touch "$TMP/locked"
	  exec sleep 20 ) &
	holder=$!
	for i in $(seq 100); do [ -e "$TMP/locked" ] && break; sleep 0.05; done
	failure enable 0000:01:00.0 --num-vfs 2 --wait 0 -- "process $holder holds it for hold"
	run 1 bind 0000:01:00.1 --driver vfio-pci --wait 1 &&
		[[ $ERR == "bind: waiting up to 1 s for the lock of 0000:01:00.0 (process $holder holds it for hold)"$'\n'"Error: cannot lock 0000:01:00.0 for bind (process $holder holds it for hold; waited 1"* ]] &&
		ok "bind --wait 1: the wait reported, then a timeout" || not_ok "bind --wait 1: $ERR"
	failure apply -c "$TMP/in.conf" --wait 0 -- "holds it for hold"
	failure unbind 0000:01:00.1 --wait 0 -- "for hold"
	failure disable 0000:01:00.0 --wait 0 -- "for hold"
	failure provision 0000:01:00.1 --mtu 1500 --wait 0 -- "for hold"
	run 3 status -c "$TMP/in.conf" && ok "status does not wait for the lock"
	kill $holder
	wait $holder 2>/dev/null
	run 0 apply -n -c "$TMP/in.conf" && ok "the lock is free again once its holder is gone"
else
	echo "# flock(1) missing: lock checks skipped"
fi

# --- hostile input: a clear error (or none), bounded, never a crash ---
# (what vvpctl reads from outside: arguments, config files, VVP_*)
tree hostile --vfs 2
long=$(head -c 70000 /dev/zero | tr '\0' a)
usage show "$long"
usage provision 0000:01:00.1 --mac "$long"
usage provision 0000:01:00.1 --features "+$long"
usage bind 0000:01:00.1 "--$long"
# problem FILE NEEDLE: check-config --offline FILE lists it, and fails
problem() {
	run 1 check-config --offline "$1" &&
		[[ $ERR == *"$2"* && $ERR == *"Error: the config is not valid"* ]] &&
		ok "check-config: ${1##*/}: $2" ||
		not_ok "check-config: ${1##*/} says $2 (got: ${ERR:0:300})"
}
head -c 4096 /dev/urandom >"$TMP/binary.conf"
printf '\1' >>"$TMP/binary.conf"
problem "$TMP/binary.conf" "not a config file"
printf '[pf 0000:01:00.0]\nnum_vfs = 2\n[vf 0000:01:0' >"$TMP/truncated.conf"
problem "$TMP/truncated.conf" "closing ']'"
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' '\n' >"$TMP/huge.conf"
problem "$TMP/huge.conf" "too large for a config file"
# 32 KiB asking for 65 million VFs (it took 11 GiB)
for i in $(seq 0 999); do
	printf '[pf %x:%x.%x]\nnum_vfs = 65535\n' $((i >> 8)) $((i >> 3 & 31)) $((i & 7))
done >"$TMP/vfs.conf"
problem "$TMP/vfs.conf" "at most 131072 in all"
for v in "$long" 99999999999999999999 -5 '' $'err\n' debug7; do
	VVP_LOG=$v run 0 list && ok "VVP_LOG=$(printf %q "${v:0:20}"): list works"
done
VVP_LOG=verbose run 0 list &&
	[[ $ERR == *"VVP_LOG=verbose ignored (expected err, notice, info, debug or 0 to 7)"* ]] &&
	ok "VVP_LOG unknown: ignored, and said"
VVP_TIMEOUT_MS=99999999999999999999 run 0 list &&
	[[ $ERR == *"VVP_TIMEOUT_MS=99999999999999999999 ignored"* ]] &&
	ok "VVP_TIMEOUT_MS out of range: ignored, and said"
VVP_SYSFS_ROOT=/$long failure list -- "longer than a path may be"
VVP_CONFIG_DIR=/$long failure check-config -- "cannot read config directory"
VVP_RUN_DIR=/$long failure disable 0000:01:00.0 --wait 0 -- "cannot lock"

# --- help and version ---
cmds=$("${WRAP[@]}" "$VVPCTL" --list-cmds) && [ -n "$cmds" ] && ok "--list-cmds" || not_ok "--list-cmds"
for c in $cmds; do
	[ "$c" = help ] && continue
	run 0 "$c" --help && out_like "Usage:*vvpctl $c*" "vvpctl $c --help"
	run 0 help "$c" && out_like 'Usage:*' "vvpctl help $c"
done
run 0 --help && out_like 'Usage:*' "vvpctl --help"
run 0 -h && out_like 'Usage:*' "vvpctl -h"
run 0 help && out_like 'Usage:*' "vvpctl help"
run 0 --version && out_like 'vvpctl [0-9]*' "vvpctl --version: $OUT"
run 0 -V && out_like 'vvpctl [0-9]*' "vvpctl -V"

[ ${#WRAP[@]} -eq 0 ] ||
	echo "# $vg_wrapped of $vg_calls vvpctl calls ran under valgrind"
echo "1..$n"
[ "$fails" -eq 0 ] || { echo "$fails of $n failed"; exit 1; }
exit 0
