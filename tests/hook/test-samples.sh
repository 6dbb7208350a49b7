#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every domain XML sample in tests/hook is checked with virt-xml-validate
# against libvirt's schema, and is valid or invalid as samples.txt says:
# the hook's tests run on XML that libvirt really sends (and on what it
# never sends, on purpose). Each sample must be listed there.
#
# Exit: 0 pass, 1 fail, 77 skip (no virt-xml-validate: Debian's
# libvirt-clients; scripts/deps.sh installs it, and CI does).

set -u

D=${srcdir:-.}/tests/hook
[ -f "$D/samples.txt" ] || D=$(dirname "$0")

command -v virt-xml-validate >/dev/null || {
	echo "SKIP: virt-xml-validate not installed (Debian package libvirt-clients)"
	exit 77; }

fails=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

listed=()
while read -r name want; do
	[[ -z $name || $name == \#* ]] && continue
	listed+=("$name")
	timeout 60 virt-xml-validate "$D/$name" domain >/dev/null 2>&1
	rc=$?
	got=invalid
	[ $rc -eq 0 ] && got=valid
	if [ "$got" = "$want" ]; then
		ok "$name is $want for libvirt's domain schema"
	else
		not_ok "$name is $want for libvirt's domain schema (virt-xml-validate exits $rc)"
	fi
done <"$D/samples.txt"

for f in "$D"/*.xml; do
	name=${f##*/}
	if printf '%s\n' "${listed[@]}" | grep -qx "$name"; then
		ok "$name is listed in samples.txt"
	else
		not_ok "$name is listed in samples.txt (every sample is checked)"
	fi
done

echo "1..$n"
[ "$fails" -eq 0 ]
