#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fault: the fault matrix of issue 13, with vvp.ko + vvp_sim.ko as the
# owner of the NVMe PF 0000:01:00.0 (4 VFs) and vvp_vfio_pci loaded.
#
# For each operation (vvpctl enable, provision of each of the 4 VFs, bind
# of the 4 VFs, apply of a config that takes the PF from 2 VFs to 4
# provisioned and bound ones) a clean run counts the owner commands it
# makes, per kind the sim counts (the kinds are the sim's counters/, not a
# list here). Then for every kind K and every N in 1..count(K) the
# operation runs again from the same state with the sim failing its Nth
# command of kind K (fail_kind K, fail_skip N-1, fail_next 1, fail_errno
# EREMOTEIO). After each such fault point:
#  - the failure was injected (counters/injected +1);
#  - vvpctl exits 1 with an "Error:" naming the operation's step (the
#    VF's address, for apply "failed: <step> <device>") and the injected
#    errno; or, if it exits 0, the state is the clean run's end state;
#  - a failure leaves the state exactly as before: sysfs (count,
#    autoprobe, drivers, overrides), `owner show -j`, and the sim's own
#    provisioning of every member (also of VFs that do not exist now);
#  - the kernel logged no WARNING/BUG/Oops/Call Trace.
# Prints the fault points tried and how many left a different state
# (asserted 0). First, fail_skip itself: skip 2 member_sets, fail the 3rd.
#
# Permissions, as nobody: list, show, owner list/show, status work;
# enable, disable, bind, unbind, provision, apply fail with "Error: ...
# (Operation not permitted|Permission denied); run [vvpctl] as root" and
# change nothing; a raw MEMBER_SET (nl_echo) gets EPERM. As root, a
# config file the group or others may write is refused.
#
# THEORY OF OPERATION: kmod/sim/README.md (fail_next, fail_skip,
# fail_kind, counters); libvvp/apply.c (rollback); docs/hardening.md.
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

sim_owner_setup

DBG=/sys/kernel/debug/vvp_sim/$PF
V0=0000:01:00.1 V1=0000:01:00.2 V2=0000:01:00.3 V3=0000:01:00.4
CONF=$T_DIR/fault.conf
ERRNO=121			# EREMOTEIO: no other path returns it
ERRSTR="Remote I/O error"
KINDS=$(ls $DBG/counters | grep -vx injected | xargs)
echo "command kinds of the sim: $KINDS"

ctr() { cat $DBG/counters/$1; }
counts() { local k; for k in $KINDS; do echo -n "$(ctr $k) "; done; }
# the sim's own provisioning of every member, whether its VF exists or not
sim_prov() {
	local m
	for m in $DBG/members/*; do
		echo "member ${m##*/}" $(awk '$1 ~ /^(provisioned_mac|mtu|max_virtqueue_pairs|features)$/ \
			{ printf "%s=%s ", $1, $2 }' $m/regs)
	done
}
state() { pf_state; sim_prov; }
kernel_bad() { dmesg | grep -cE 'WARNING:|BUG:|Oops|general protection|Call Trace' || true; }
disarm() { echo 0 >$DBG/fail_next; echo 0 >$DBG/fail_skip; }
q() { "$@" >/dev/null 2>&1; }

# ---- fail_skip: the first N matching commands pass ------------------------------
q vvpctl enable $PF --num-vfs 4
echo member_set >$DBG/fail_kind
echo $ERRNO >$DBG/fail_errno
echo 2 >$DBG/fail_skip
echo 1 >$DBG/fail_next
i0=$(ctr injected)
r=
for v in $V0 $V1 $V2; do
	vvpctl provision $v --mtu 2000 >/dev/null 2>&1 && r+="0 " || r+="1 "
done
assert_eq "fail_skip 2, fail_next 1: provisions 1 and 2 pass, the 3rd fails" "$r" "0 0 1 "
assert_eq "fail_skip and fail_next used up, one failure injected" \
	"$(cat $DBG/fail_skip)/$(cat $DBG/fail_next)/$(($(ctr injected) - i0))" 0/0/1
disarm

# ---- the operations: setup (the state before), command, step pattern -----------
base_prov() {   # base_prov [INDEX...]: members (default all) as at base
	local i
	for i in ${*:-0 1 2 3}; do
		q vvpctl provision $(vf_at $i) --mac 02:00:00:00:00:0$i \
			--mtu 1500 --max-vq-pairs 1 --transitional off
	done
}
vf_at() { echo 0000:01:00.$(($1 + 1)); }
count_to() {   # count_to N: N VFs, unbound, no override, autoprobe as at boot
	if [ "$(num_vfs)" != "$1" ]; then
		q vvpctl disable $PF --force
		[ "$1" = 0 ] || q vvpctl enable $PF --num-vfs $1
	fi
	raw_unbind $(vf_list)
	cat $T_DIR/autoprobe0 >$PF_SYS/sriov_drivers_autoprobe
}

printf '[pf %s]\nnum_vfs = 4\ndriver = vfio-pci\nautoprobe = off\n' $PF >$CONF
for i in 0 1 2 3; do
	printf '\n[vf %s/%d]\nmac = 02:11:22:33:44:0%d\nmtu = 9000\n' $PF $i $i
	[ $i != 1 ] || printf 'transitional = on\ndriver = vvp_vfio_pci\n'
done >>$CONF
chmod 0644 $CONF

setup_enable() { count_to 0; }
# the first time every member, then only the one the last run changed
setup_provision() { count_to 4; base_prov ${REF[prov$1]:+$1}; }
setup_bind() {
	count_to 4
	q vvpctl provision $V1 --transitional on
}
setup_apply() {
	count_to 4
	base_prov
	count_to 2
	q vvpctl bind $V0 --driver vfio-pci
	q vvpctl provision $V1 --mtu 1400
}

OPS=(enable prov0 prov1 prov2 prov3 bind apply)
# op_setup OP: the state before OP; only when it is not that already (a
# failure that rolled back left it so), as count changes are slow
declare -A REF
op_setup() {
	[ -z "${REF[$1]:-}" ] || [ "$(state)" != "${REF[$1]}" ] || return 0
	case $1 in
	prov*) setup_provision ${1#prov} ;;
	*) setup_$1 ;;
	esac
	[ -n "${REF[$1]:-}" ] || REF[$1]=$(state)
}
op_cmd() {
	case $1 in
	enable) echo "vvpctl enable $PF --num-vfs 4" ;;
	prov*) echo "vvpctl provision $(vf_at ${1#prov}) --mac 02:aa:00:00:00:0${1#prov} --mtu 9000 --max-vq-pairs 2 --transitional on" ;;
	bind) echo "vvpctl bind $V0 $V1 $V2 $V3 --driver vvp_vfio_pci" ;;
	apply) echo "vvpctl apply -c $CONF" ;;
	esac
}
# what a failure's message must name: the operation's device and step
op_step() {
	case $1 in
	enable) echo "$PF" ;;
	prov*) echo "$(vf_at ${1#prov})" ;;
	bind) echo "0000:01:00\\.[1-4]" ;;
	apply) echo "failed: [a-z-]+ ($PF|0000:01:00\\.[1-4])" ;;
	esac
}

TRIED=0 HALF=0 NONAME=0 NOTHIT=0 ABSORBED=0 FALSE=0 KBAD=0
POINTS=
k0=$(kernel_bad)
for op in "${OPS[@]}"; do
	cmd=$(op_cmd $op)
	t0=$(now)
	# the clean run: counted, from the state every fault point starts from
	op_setup $op
	before=$(state)
	c0=($(counts))
	run $cmd
	c1=($(counts))
	after=$(state)
	assert_eq "$op: clean run exits 0" "$RC" 0
	check "$op: the clean run changed the state" test "$after" != "$before"
	i=0 line=
	for k in $KINDS; do
		n[$i]=$((c1[i] - c0[i]))
		line+="$k=${n[$i]} "
		i=$((i + 1))
	done
	echo "VVPTEST: # fault: $op makes owner commands: $line"
	POINTS+="$op:"
	i=0
	for k in $KINDS; do
		POINTS+=" $k=${n[$i]}"
		for nth in $(seq 1 ${n[$i]}); do
			op_setup $op
			before=$(state)
			[ "$before" = "${REF[$op]}" ] || fail "$op: setup gives the same state"
			i0=$(ctr injected)
			echo $k >$DBG/fail_kind
			echo $ERRNO >$DBG/fail_errno
			echo $((nth - 1)) >$DBG/fail_skip
			echo 1 >$DBG/fail_next
			$cmd >$T_DIR/f.out 2>$T_DIR/f.err && rc=0 || rc=$?
			disarm
			got=$(state)
			TRIED=$((TRIED + 1))
			what="$op $k #$nth: exit $rc: $(head -c 300 $T_DIR/f.err | tr '\n' ' ')"
			if [ $(($(ctr injected) - i0)) != 1 ]; then
				NOTHIT=$((NOTHIT + 1))
				fail "$what: the failure was not injected"
			elif [ $rc = 0 ]; then
				# absorbed (e.g. a read retried): a true report only
				ABSORBED=$((ABSORBED + 1))
				[ "$got" = "$after" ] || { FALSE=$((FALSE + 1));
					fail "$what: exit 0 but not the clean run's state"; }
			else
				[ "$got" = "$before" ] || { HALF=$((HALF + 1));
					fail "$what: left a different state";
					diff <(echo "$before") <(echo "$got") || true; }
				grep -q "^Error: " $T_DIR/f.err &&
					grep -qE "($(op_step $op)).*$ERRSTR" $T_DIR/f.err &&
					[ $rc = 1 ] || { NONAME=$((NONAME + 1));
					fail "$what: exit 1 and an Error: naming the step and the errno"; }
			fi
			kb=$(kernel_bad)
			[ "$kb" = "$k0" ] || { KBAD=$((KBAD + 1)); k0=$kb;
				fail "$what: the kernel logged a WARNING/BUG"; }
			echo "  $what"
		done
		i=$((i + 1))
	done
	POINTS+=";"
	echo "VVPTEST: # fault: $op: clean run and its fault points in $(ms $t0 $(now)) ms"
done
disarm
echo any >$DBG/fail_kind
echo 5 >$DBG/fail_errno

echo "VVPTEST: # fault: points per operation and kind: $POINTS"
echo "VVPTEST: # fault: $TRIED fault points tried, $HALF left a different state, $ABSORBED absorbed (exit 0, true state)"
check "fault points were tried (enumerated from the clean runs)" test $TRIED -gt 0
assert_eq "fault points whose failure was not injected" $NOTHIT 0
assert_eq "fault points that left a different state (of $TRIED)" $HALF 0
assert_eq "fault points whose exit 0 was not the clean run's state" $FALSE 0
assert_eq "fault points without exit 1 and an Error: naming the step and errno" $NONAME 0
assert_eq "fault points after which the kernel logged a WARNING/BUG" $KBAD 0

# ---- permissions: an unprivileged user reads, and changes nothing ------------------
VVPCTL=$(command -v vvpctl)
NL_ECHO=$(command -v nl_echo)
count_to 4
q vvpctl bind $V0 --driver vfio-pci
run as_nobody id -u
assert_eq "we can run as nobody" "$OUT" 65534
PERM_OK=0 PERM_N=0
perm() {   # perm WHAT WANT-RC PATTERN CMD...: one check of a run as nobody
	local what=$1 want=$2 pat=$3
	shift 3
	run as_nobody "$*"
	PERM_N=$((PERM_N + 1))
	if [ "$RC" = "$want" ] && grep -qE "$pat" <<<"$ERRS"$'\n'"$OUT"; then
		PERM_OK=$((PERM_OK + 1))
		ok "as nobody: $what"
	else
		fail "as nobody: $what (exit $RC, want $want and /$pat/)"
	fi
}
chmod 0644 $CONF
before=$(state)
perm "list works" 0 "$PF" $VVPCTL list
perm "list -j works" 0 "\"address\"" $VVPCTL list -j
perm "show PF works" 0 "$V0" $VVPCTL show $PF
perm "show VF works" 0 "$V0" $VVPCTL show $V0
perm "owner list works" 0 "$PF" $VVPCTL owner list
perm "owner show works" 0 "members" $VVPCTL owner show -j $PF
run as_nobody "$VVPCTL status -c $CONF"
PERM_N=$((PERM_N + 1))
if [ $RC = 3 ] && ! grep -q '^Error:' <<<"$ERRS"; then
	PERM_OK=$((PERM_OK + 1)); ok "as nobody: status works (exit 3: drift)"
else
	fail "as nobody: status works (exit $RC, want 3 and no Error:)"
fi
denied='^Error: .*\(([^()]*: )?(Operation not permitted|Permission denied)\); run (vvpctl )?as root$'
perm "enable refused" 1 "$denied" $VVPCTL enable $PF --num-vfs 2 --force
perm "disable refused" 1 "$denied" $VVPCTL disable $PF --force
perm "bind refused" 1 "$denied" $VVPCTL bind $V1 --driver vfio-pci
perm "unbind refused" 1 "$denied" $VVPCTL unbind $V0
perm "provision refused" 1 "$denied" $VVPCTL provision $V1 --mtu 1400
perm "apply refused" 1 "$denied" $VVPCTL apply -c $CONF
perm "raw netlink MEMBER_SET: EPERM" 1 "^ack 1$" $NL_ECHO $V1 1400
assert_eq "nobody changed nothing (sysfs, netlink, the sim)" "$(state)" "$before"
echo "VVPTEST: # fault: permissions: $PERM_OK of $PERM_N checks as nobody passed"

# a config others may write decides nothing
for mode in 0664 0646; do
	chmod $mode $CONF
	run vvpctl apply -c $CONF
	assert_eq "apply of a config with mode $mode: exit 1" $RC 1
	check "... refused: writable by $([ $mode = 0664 ] && echo group || echo others)" \
		grep -qE "^Error: .*refused \(writable by $([ $mode = 0664 ] && echo group || echo others)" <<<"$ERRS"
done
assert_eq "a refused config changed nothing" "$(state)" "$before"
chmod 0644 $CONF

# ---- done ---------------------------------------------------------------------------
q vvpctl disable $PF --force
echo $PF >/sys/kernel/vvp_sim/detach
unload || true
