#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The boot unit and the udev rule as 'make install' installs them, staged
# in a DESTDIR: both name vvpctl at the configured sbindir, and
# systemd-analyze verify passes on vvp-apply.service there (which includes
# the check that ExecStart's program exists at that path), saying nothing;
# it fails once vvpctl is missing, and speaks up about a bad line.
#
# Exit: 0 pass, 1 fail, 77 skip (no systemd-analyze or no systemd units).

set -u

B=${VVP_BUILDDIR:-$(pwd)}
MAKE=${VVP_MAKE:-make}
: "${VVP_SBINDIR:?} ${VVP_UNITDIR:?} ${VVP_RULESDIR:?}"

command -v systemd-analyze >/dev/null || {
	echo "SKIP: systemd-analyze not installed (Debian package systemd)"; exit 77; }
units=
for d in /usr/lib/systemd/system /lib/systemd/system; do
	[ -e "$d/sysinit.target" ] && { units=$d; break; }
done
[ -n "$units" ] || { echo "SKIP: no systemd units to verify against"; exit 77; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vvp-boot.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
S=$TMP/stage
UNIT=$S$VVP_UNITDIR/vvp-apply.service
RULE=$S$VVP_RULESDIR/80-vvp.rules

fails=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
not() { ! "$@"; }

# verify: systemd-analyze on the staged root; output in $TMP/verify
verify() {
	systemd-analyze verify --man=no --root="$S" vvp-apply.service \
		>"$TMP/verify" 2>&1
}

if ! MAKEFLAGS= MFLAGS= $MAKE -s -C "$B" install-boot DESTDIR="$S" >"$TMP/install" 2>&1; then
	cat "$TMP/install"
	not_ok "make install-boot DESTDIR=stage"
	echo "1..$n"
	exit 1
fi
check "the unit is installed into systemdsystemunitdir" test -f "$UNIT"
check "the rule is installed into udevrulesdir" test -f "$RULE"
check "ExecStart runs $VVP_SBINDIR/vvpctl apply" \
	grep -qx "ExecStart=$VVP_SBINDIR/vvpctl apply" "$UNIT"
check "the rule runs $VVP_SBINDIR/vvpctl udev-add \$kernel" \
	grep -qF "RUN+=\"$VVP_SBINDIR/vvpctl udev-add \$kernel\"" "$RULE"
check "nothing is left to substitute" not grep -q '@[a-z]*@' "$UNIT" "$RULE"

# a root systemd can load units from: its own units, ours, vvpctl
mkdir -p "$S/usr/lib/systemd" "$S/etc/systemd/system" "$S$VVP_SBINDIR"
cp -a "$units" "$S/usr/lib/systemd/system"
cp "$UNIT" "$S/etc/systemd/system/"
cp "$B/cli/vvpctl" "$S$VVP_SBINDIR/vvpctl"

verify
check "systemd-analyze verify passes" test $? = 0
check "systemd-analyze verify has nothing to say" test ! -s "$TMP/verify"
cat "$TMP/verify"

rm "$S$VVP_SBINDIR/vvpctl"
verify
check "without vvpctl at $VVP_SBINDIR, verify fails" test $? != 0
check "... saying the command is not executable" \
	grep -q 'is not executable' "$TMP/verify"
cp "$B/cli/vvpctl" "$S$VVP_SBINDIR/vvpctl"

sed -i 's/^Type=oneshot$/Type=oneshot\nRemainAfterExt=yes/' \
	"$S/etc/systemd/system/vvp-apply.service"
verify
check "a misspelt key does not go unnoticed" grep -q 'RemainAfterExt' "$TMP/verify"

echo "1..$n"
[ "$fails" -eq 0 ]
