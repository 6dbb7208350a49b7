#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The collection on two managed hosts at once: run by tests/ansible/vm-hosts.sh
# (which boots them and sets VVP_INVENTORY, VVP_SSH_KEY, VVP_HOSTS,
# VVP_SSH_PORTS), it runs tests/ansible/two-hosts.yml with Debian's
# ansible-playbook from this machine and checks each host with vvpctl over
# SSH:
#  - layout a on vvp1 alone (the 1-host time), then state absent on it;
#  - layout a on both (the 2-host time): VF count, provisioning on the sim
#    owner (owner show), drivers, status in sync, fragment mode 0600;
#  - the same again: changed=0 on both;
#  - layout b in check mode (--diff): changed reported, the plan shown,
#    both hosts byte for byte as they were (list, owner show, conf.d);
#  - layout b with the sim's fail_next armed on vvp2: vvp2's task fails
#    with vvpctl's Error: line and vvp2 is as it was, vvp1 has layout b;
#  - state absent on both: 0 VFs, no fragment.
# Prints TAP lines, the wall time of the first run for 1 and 2 hosts, and
# exits 1 when a check failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
read -r -a HOSTS <<<"$VVP_HOSTS"
read -r -a PORTS <<<"$VVP_SSH_PORTS"
PF=0000:01:00.0
DBG=/sys/kernel/debug/vvp_sim/$PF

W=$(mktemp -d "${TMPDIR:-/tmp}/vvp-two-hosts.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/collections/ansible_collections/vvp" "$W/cp"
ln -s "$src/contrib/ansible" "$W/collections/ansible_collections/vvp/sriov"
export ANSIBLE_COLLECTIONS_PATH=$W/collections ANSIBLE_NOCOLOR=1 \
	ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_PIPELINING=True \
	ANSIBLE_SSH_CONTROL_PATH_DIR=$W/cp ANSIBLE_RETRY_FILES_ENABLED=False \
	ANSIBLE_ROLES_PATH=$src/contrib/ansible/roles

n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() {   # check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

on() {   # on HOST COMMAND: run COMMAND on HOST over SSH
	local h=$1 i
	shift
	for i in "${!HOSTS[@]}"; do [ "${HOSTS[$i]}" = "$h" ] && break; done
	ssh -q -i "$VVP_SSH_KEY" -p "${PORTS[$i]}" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR root@127.0.0.1 "$@"
}

# everything the playbook may change on a host
snapshot() {
	on "$1" "vvpctl list -j; vvpctl owner show -j $PF | jq -c '[.members[] | del(.busy)]';
		stat -c '%n %a %s' /etc/vvp/conf.d/* 2>&1; cat /etc/vvp/conf.d/* 2>/dev/null; true"
}

PLAYS=0 LAST=
play() {   # play NAME ARGS...: ansible-playbook; output in $LAST, time in $SECS
	local name=$1 t0 rc
	shift
	PLAYS=$((PLAYS + 1))
	LAST=$W/play-$PLAYS-$name.log
	t0=$(date +%s.%N)
	ansible-playbook -i "$VVP_INVENTORY" "$here/two-hosts.yml" "$@" >"$LAST" 2>&1
	rc=$?
	SECS=$(echo "$(date +%s.%N) - $t0" | bc)
	echo "# play $name ($*): exit $rc in $(printf %.1f "$SECS") s"
	sed -n '/^PLAY RECAP/,$p' "$LAST" | sed '/^$/d; s/^/#   /'
	return $rc
}
recap() {   # recap HOST KEY: that host's count in the last play's recap
	sed -n "/^PLAY RECAP/,\$s/^$1 *:.* $2=\([0-9]*\).*/\1/p" "$LAST"
}
show_last() { sed 's/^/#   | /' "$LAST" | tail -${1:-40}; }

# the host as layout a says, seen by vvpctl on it
layout_a_on() {   # layout_a_on HOST INDEX(1-based, the MAC's 5th byte)
	local h=$1 m=02:00:00:00:0$2 out
	out=$(on "$h" "vvpctl status >/dev/null && echo in_sync;
		vvpctl list -j | jq -c '.[] | select(.address == \"$PF\") | [.num_vfs, [.vfs[].driver]]';
		vvpctl owner show -j $PF | jq -c '[(.members[] | select(.index == 0) | [.mac, .mtu]), (.members[] | select(.index == 1) | [.mac, .transitional])]';
		stat -c %a /etc/vvp/conf.d/ansible-$PF.conf")
	local want="in_sync
[3,[\"vfio-pci\",\"vvp_vfio_pci\",\"vfio-pci\"]]
[[\"$m:00\",9000],[\"$m:01\",true]]
600"
	[ "$out" = "$want" ] || { echo "# $h: got"; echo "$out" | sed 's/^/#   /'; \
		echo "# wanted"; echo "$want" | sed 's/^/#   /'; return 1; }
}
num_vfs_on() {   # num_vfs_on HOST N: the PF has N VFs and vvpctl says so
	[ "$(on "$1" "vvpctl list -j | jq '.[] | select(.address == \"$PF\") | .num_vfs'")" = "$2" ]
}
no_fragment_on() { on "$1" "! ls /etc/vvp/conf.d/*.conf 2>/dev/null"; }

H1=${HOSTS[0]} H2=${HOSTS[1]}

# ---- 1 host: the first run's time, then absent -----------------------------
if play a1 -e layout=a --limit "$H1"; then
	T1=$SECS
	check "1 host: $H1 configured (changed=$(recap "$H1" changed))" layout_a_on "$H1" 1
else
	T1=
	not_ok "1 host: layout a on $H1 failed"; show_last
fi
play absent1 -e layout=absent --limit "$H1" ||
	{ not_ok "1 host: state absent on $H1 failed"; show_last; }
check "1 host: state absent, $H1 has 0 VFs" num_vfs_on "$H1" 0
check "1 host: state absent removed $H1's fragment" no_fragment_on "$H1"

# ---- 2 hosts ------------------------------------------------------------------
if play a2 -e layout=a; then
	T2=$SECS
	ok "2 hosts: first run passed (the playbook's facts asserts included)"
else
	T2=
	not_ok "2 hosts: first run failed"; show_last
fi
for i in 1 2; do
	h=${HOSTS[$((i - 1))]}
	check "2 hosts: $h changed (changed=$(recap "$h" changed))" \
		test "$(recap "$h" changed)" -ge 1
	check "2 hosts: vvpctl on $h: 3 VFs, drivers, provisioning on the sim, in sync, fragment 0600" \
		layout_a_on "$h" $i
done

play again -e layout=a || { not_ok "second run failed"; show_last; }
for h in "$H1" "$H2"; do
	check "second run: $h changed=0" test "$(recap "$h" changed)" = 0
done

# ---- check mode with another layout -------------------------------------------
s1=$(snapshot "$H1") s2=$(snapshot "$H2")
play check -e layout=b --check --diff || { not_ok "check mode run failed"; show_last; }
for h in "$H1" "$H2"; do
	check "check mode: $h reports changed (changed=$(recap "$h" changed))" \
		test "$(recap "$h" changed)" -ge 1
done
check "check mode: the diff shows the plan (num_vfs 3 -> 2, planned) for both" \
	test "$(grep -c "num_vfs   $PF     3 -> 2 (planned)" "$LAST")" = 2
check "check mode: the diff shows the fragment (-num_vfs = 3 +num_vfs = 2)" \
	grep -q '^+num_vfs = 2' "$LAST"
check "check mode: $H1 as it was (sysfs, provisioning, conf.d)" \
	test "$(snapshot "$H1")" = "$s1"
check "check mode: $H2 as it was (sysfs, provisioning, conf.d)" \
	test "$(snapshot "$H2")" = "$s2"

# ---- a fault on one host ------------------------------------------------------------
on "$H2" "echo member_set >$DBG/fail_kind && echo 5 >$DBG/fail_errno && echo 1 >$DBG/fail_next"
s2=$(snapshot "$H2")
if play fault -e layout=b; then
	not_ok "fault: the run passed although $H2's sim was to fail"
else
	ok "fault: the run failed"
fi
check "fault: $H2's task failed (failed=$(recap "$H2" failed))" test "$(recap "$H2" failed)" = 1
check "fault: the task's message is vvpctl's Error: line" \
	grep -q "\"msg\": \"Error: step [0-9]* of [0-9]* failed: provision $PF/0 .*Input/output error" "$LAST"
grep -o '"msg": "Error: [^"]*' "$LAST" | head -1 | sed 's/^/#   /'
check "fault: $H2 is as it was (sysfs, provisioning, conf.d)" test "$(snapshot "$H2")" = "$s2"
check "fault: the injected failure was used ($H2's sim counted it)" \
	test "$(on "$H2" "cat $DBG/fail_next")" = 0
h1_done() { [ "$(recap "$H1" failed)" = 0 ] && [ "$(recap "$H1" changed)" -ge 1 ]; }
check "fault: $H1 was configured (failed=$(recap "$H1" failed), changed=$(recap "$H1" changed))" h1_done
check "fault: vvpctl on $H1: 2 VFs, in sync" \
	on "$H1" "vvpctl status >/dev/null && vvpctl list -j | jq -e '.[] | select(.address == \"$PF\") | .num_vfs == 2' >/dev/null"

# ---- state absent on both ---------------------------------------------------------
play absent -e layout=absent || { not_ok "state absent run failed"; show_last; }
for h in "$H1" "$H2"; do
	check "state absent: $h has 0 VFs" num_vfs_on "$h" 0
	check "state absent: $h has no fragment" no_fragment_on "$h"
done

secs() { if [ -n "$1" ]; then printf '%.1f s' "$1"; else echo failed; fi; }
echo "# wall time of one playbook run (layout a from 0 VFs; role, facts, assert):" \
	"1 host $(secs "$T1"), 2 hosts $(secs "$T2")"
echo "# $n checks, $fails failed"
[ $fails = 0 ]
