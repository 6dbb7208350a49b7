#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vvpctl libvirt-hook run as libvirt runs it (DOMAIN OP SUBOP -, the domain
# XML on stdin) on the samples of tests/hook, against a generated tree
# (tests/sysfs/mktree) through VVP_SYSFS_ROOT and a config in VVP_CONFIG_DIR.
#
# A subprocess has no fake kernel behind its writes (see tests/cli/
# test-cli.sh), so here the hook either plans (--dry-run: the steps it would
# take, exactly) or must fail before writing, leaving the tree byte for byte
# as it was. Binding, MAC and rollback for real: tests/sysfs/test-hook (the
# fake kernel) and the VM scenario "hook" (vvp.ko).
#
# Tree: PFs 0000:01:00.0 and 0000:02:00.0, 4 VFs each on nvme (VF i at
# function i+1); 0000:00:1f.0 has no SR-IOV. Config: the first PF only,
# its VFs on their own driver (host), VF 1 on vvp_vfio_pci.
#
# Exit: 0 pass, 1 fail.

set -u

B=${VVP_BUILDDIR:-$(pwd)}
D=${srcdir:-.}/tests/hook
[ -f "$D/samples.txt" ] || D=$(cd "$(dirname "$0")" && pwd)
VVPCTL=$B/cli/vvpctl
MKTREE=$B/tests/sysfs/mktree
MAKE=${VVP_MAKE:-make}

[ -x "$VVPCTL" ] && [ -x "$MKTREE" ] || {
	echo "FAIL: $VVPCTL or $MKTREE not built"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vvp-hook.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
unset VVP_LOG VVP_TIMEOUT_MS
export VVP_RUN_DIR=$TMP/run VVP_CONFIG_DIR=$TMP/conf

fails=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

tree() {
	local out
	rm -rf "$TMP/tree"
	out=$("$MKTREE" "$TMP/tree" "$@") || { echo "mktree $* failed"; exit 1; }
	eval "export $(echo "$out" | tr '\n' ' ')"
}

snapshot() {
	(cd "$VVP_SYSFS_ROOT/.." && find . -printf '%p %l\n' | LC_ALL=C sort &&
	 find . -type f -perm -u=r -exec cat {} +) | md5sum
}

mkdir -m 755 "$VVP_CONFIG_DIR"
cat >"$VVP_CONFIG_DIR/vvp.conf" <<'CONF'
[pf 0000:01:00.0]
driver = host

[vf 0000:01:00.0/1]
driver = vvp_vfio_pci
CONF
chmod 644 "$VVP_CONFIG_DIR/vvp.conf"

# hook STATUS SAMPLE|- DOMAIN OP SUBOP [ options before DOMAIN ]: runs the
# hook with the sample on stdin ("-": stdin as given); $OUT, $ERR
hook() {
	local want=$1 sample=$2 domain=$3 op=$4 subop=$5 in
	shift 5
	in=$D/$sample
	[ "$sample" = - ] && in=/dev/stdin
	"$VVPCTL" libvirt-hook "$@" -- "$domain" "$op" "$subop" - \
		<"$in" >"$TMP/out" 2>"$TMP/err"
	status=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ "$status" -ne "$want" ]; then
		not_ok "$sample: $op $subop exits $want (got $status: $ERR)"
		return 1
	fi
	return 0
}

out_is() {
	if [ "$OUT" = "$1" ]; then ok "$2"; else not_ok "$2 (got: $OUT)"; fi
}

# err_like NEEDLE DESCRIPTION: one line, "Error: ...NEEDLE...; ..."
err_like() {
	if [[ $ERR == Error:*"$1"*\;* && $ERR != *$'\n'* ]]; then
		ok "$2: ${ERR:0:160}"
	else
		not_ok "$2 (one line Error: ...$1...; got: $ERR)"
	fi
}

tree --pfs 2 --vfs 4

# --- what prepare and release would do ---
hook 0 hostdev-hex.xml web prepare begin --dry-run && out_is \
"0000:01:00.1: prepare for domain 'web': 1 step
  bind      0000:01:00.1     nvme -> vfio-pci
0000:01:00.2: prepare for domain 'web': 1 step
  bind      0000:01:00.2     nvme -> vvp_vfio_pci" \
	"hex addresses: a host VF goes to vfio-pci, a vvp_vfio_pci one to its driver"
hook 0 hostdev-hex.xml web release end --dry-run && out_is \
"0000:01:00.1: release for domain 'web': nothing to do
0000:01:00.2: release for domain 'web': 1 step
  bind      0000:01:00.2     nvme -> vvp_vfio_pci" \
	"release plans what apply --vf would"
hook 0 hostdev-decimal.xml web prepare begin --dry-run && out_is \
"0000:01:00.3: prepare for domain 'web': 1 step
  bind      0000:01:00.3     nvme -> vfio-pci
0000:01:00.4: prepare for domain 'web': 1 step
  bind      0000:01:00.4     nvme -> vfio-pci" \
	"decimal and leading-zero addresses, the domain left out"
hook 0 not-managed.xml web prepare begin --dry-run && out_is \
"0000:00:1f.0: left alone (not a VF of a PF in vvp.conf)
0000:02:00.1: left alone (not a VF of a PF in vvp.conf)" \
	"a non-VF, a VF of an unconfigured PF, USB, disk, network: left alone"
hook 0 xinclude.xml web prepare begin --dry-run &&
	out_is "" "an xi:include is not followed (it would add two VFs)"

# --- what fails changes nothing ---
before=$(snapshot)
hook 0 not-managed.xml web prepare begin && out_is "" "not-managed: nothing to do, nothing printed"
hook 0 hostdev-hex.xml web started begin && out_is "" "started: another op does nothing"
for op in "start begin" "stopped end" "migrate begin" "restore begin" \
	  "reconnect begin" "attach begin" "prepare end" "release begin"; do
	hook 0 hostdev-hex.xml web $op || continue
	[ -z "$OUT$ERR" ] && ok "$op: exit 0, nothing said" ||
		not_ok "$op: exit 0, nothing said (got: $OUT $ERR)"
done
hook 1 managed-yes.xml web prepare begin &&
	err_like "0000:01:00.2 with managed='yes' (line " "managed='yes' on a vvp VF is refused"
hook 1 interface-mac.xml web prepare begin &&
	err_like "vvp kernel module not loaded" "a MAC without vvp.ko: says which module"
hook 1 multifunction.xml web prepare begin &&
	err_like "VF 0000:01:00.3" "multifunction: the VF that cannot be prepared is named"
hook 1 malformed.xml web prepare begin &&
	err_like "line 23: Opening and ending tag mismatch" "malformed XML: where and why"
# libxml2 says "...encoding !\nBytes: 0x9D ...": it was two lines (fuzz-hook,
# tests/fuzz/regress/hook/not-utf8-two-line-error)
hook 1 - web prepare begin <<<$'<domain type=\'kvm\'><name>w\x9d\x9d</name></domain>' &&
	err_like "line 1: Input is not proper UTF-8, indicate encoding ! Bytes: 0x9D 0x9D" \
		"not UTF-8: one line of error"
# bounded memory and time; under ASan (VVP_SANITIZERS=yes, set by make
# check) time only: its shadow memory alone is far above any such limit
ulimit_run() {
	if [ "${VVP_SANITIZERS:-no}" = yes ]; then
		timeout 20 "$@"
	else
		(ulimit -v 262144; timeout 20 "$@")
	fi
}
if ulimit_run "$VVPCTL" libvirt-hook -- web prepare begin - <"$D/entities.xml" \
	>"$TMP/out" 2>"$TMP/err"; then
	not_ok "billion laughs is refused"
else
	ERR=$(cat "$TMP/err")
	err_like "line 3: it has a <!DOCTYPE>" "billion laughs: refused at its DOCTYPE, in 256 MiB and 20 s"
fi
hook 1 external-entity.xml web prepare begin &&
	err_like "<!DOCTYPE>" "an external entity is refused, not read"
head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$TMP/huge.xml"
hook 1 - web prepare begin <"$TMP/huge.xml" &&
	err_like "over 4 MiB on stdin" "4 MiB + 1 byte: refused"
hook 1 - web prepare begin </dev/null &&
	err_like "cannot read the XML of domain 'web'" "no XML at all"
{ printf "<domain type='kvm'><name>big</name><description>"
  head -c $((3 * 1024 * 1024)) /dev/zero | tr '\0' 'x'
  printf "</description><devices>"
  sed -n '/<hostdev/,/<\/hostdev>/p' "$D/managed-yes.xml"
  printf "</devices></domain>"; } >"$TMP/big.xml"
hook 1 - web prepare begin <"$TMP/big.xml" &&
	err_like "managed='yes'" "3 MiB of XML is read whole (its last device is seen)"
[ "$(snapshot)" = "$before" ] && ok "the tree is as it was" ||
	not_ok "the tree is as it was"

# a VF held open by a process (pid 4242 holds group 5: VF 1)
tree --vfs 4 --bound vfio-pci --hold 5
before=$(snapshot)
hook 1 hostdev-hex.xml web prepare begin &&
	err_like "is in use" "a VF another guest holds: refused, says who"
[ "$(snapshot)" = "$before" ] && ok "in use: the tree is as it was" ||
	not_ok "in use: the tree is as it was"

# an invalid config: nothing is done
cp "$VVP_CONFIG_DIR/vvp.conf" "$TMP/vvp.conf"
echo "frob = 1" >>"$VVP_CONFIG_DIR/vvp.conf"
hook 1 hostdev-hex.xml web prepare begin &&
	err_like "the config is invalid" "an invalid config is refused"
hook 0 - web prepare begin <<<"<domain type='kvm'><name>web</name><devices>
<hostdev mode='subsystem' type='pci'><source><address bus='0' slot='0x1f' function='0'/>
</source></hostdev></devices></domain>" && [ -z "$OUT$ERR" ] &&
	ok "an invalid config does not stop a guest without VFs" ||
	not_ok "an invalid config does not stop a guest without VFs ($ERR)"
cp "$TMP/vvp.conf" "$VVP_CONFIG_DIR/vvp.conf"

# --- usage ---
"$VVPCTL" libvirt-hook web prepare >/dev/null 2>"$TMP/err"
[ $? -eq 2 ] && ok "two arguments: usage error" || not_ok "two arguments: usage error"

# --- the installed script runs vvpctl libvirt-hook, as libvirt runs it ---
S=$TMP/stage
if MAKEFLAGS= MFLAGS= $MAKE -s -C "$B" install-boot DESTDIR="$S" >"$TMP/install" 2>&1 &&
   [ -x "$S${VVP_HOOKSDIR:-}/qemu.d/vvp" ]; then
	ok "make install puts an executable qemu.d/vvp into the hooks dir"
	script=$S${VVP_HOOKSDIR:-}/qemu.d/vvp
	grep -qx "exec ${VVP_SBINDIR:-}/vvpctl libvirt-hook -- \"\$@\"" "$script" &&
		ok "it runs ${VVP_SBINDIR:-}/vvpctl" ||
		not_ok "it runs ${VVP_SBINDIR:-}/vvpctl ($(cat "$script"))"
	sed "s|${VVP_SBINDIR:-}/vvpctl|$VVPCTL|" "$script" >"$TMP/vvp-hook"
	chmod +x "$TMP/vvp-hook"
	"$TMP/vvp-hook" -n prepare begin - <"$D/not-managed.xml" >"$TMP/out" 2>&1 &&
		[ ! -s "$TMP/out" ] && ok "run as libvirt would (a domain named -n)" ||
		not_ok "run as libvirt would ($(cat "$TMP/out"))"
else
	cat "$TMP/install"
	not_ok "make install puts an executable qemu.d/vvp into the hooks dir"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
