# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared helpers of the VM guest: TAP reporting for /init and the scenarios,
# PF/VF sysfs helpers, the PF reset between scenarios, vvpctl wrappers.
#
# Topology (tests/vm/run.sh): QEMU 10.0 q35 + intel-iommu; one emulated
# NVMe controller (1b36:0010) behind pcie-root-port rp1 = PF 0000:01:00.0,
# bound to nvme, with sriov_totalvfs 4 (profile default) or 127 (profile
# scale). VF n is 0000:01:00.(n+1) (ARI numbering beyond function 7), each
# in its own IOMMU group. Profile default also has $IGB_PF and $REF_NET.
#
# A scenario script (scenario-<name>.sh), ndctl style:
#	. /vvptest/lib.sh
#	set -E
#	trap 'err $LINENO' ERR
#	need_vvpctl                  # exit 77 (skip) without the prerequisite
#	check "what is checked" cmd args...
#	assert_eq "what" "$got" "$want"
# Every check prints "VVPTEST: ok N - <scenario>: <what>" or "not ok".

PF=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF
# profile default only: a second SR-IOV PF, QEMU's igb (82576), bound to
# igb, sriov_totalvfs 7, VFs at 0000:02:10.0, 0000:02:10.2, ...; its VFs keep
# MSI-X in BAR3 where NVMe VFs keep it in BAR0. Scenarios use it only where
# they say so and return it to 0 VFs themselves.
IGB_PF=0000:02:00.0
IGB_PF_SYS=/sys/bus/pci/devices/$IGB_PF
# profile default only: QEMU's legacy-only virtio-net (disable-modern=on),
# a reference legacy register file, bound to virtio-pci at boot
REF_NET=0000:00:05.0
PCI=/sys/bus/pci
T_DIR=/run/vvptest
SCENARIO=${SCENARIO:-init}

# ---- TAP ----------------------------------------------------------------------
# Results go to fd 3 (the console, opened by /init), so that a failure
# reported inside a command substitution is not swallowed by it.
{ true >&3; } 2>/dev/null || exec 3>&1

tap_init() {
	mkdir -p $T_DIR
	echo 0 >$T_DIR/n
	: >$T_DIR/results
}

# tap_result "ok"|"not ok" DESCRIPTION [KIND]; KIND (ok, not ok, skip) is
# what the summary counts, by default the status
tap_result() {
	local n
	n=$(($(cat $T_DIR/n) + 1))
	echo $n >$T_DIR/n
	echo "${3:-$1}" >>$T_DIR/results
	echo "VVPTEST: $1 $n - $2" >&3
}

tap_end() {
	local p f s
	p=$(grep -c '^ok$' $T_DIR/results)
	f=$(grep -c '^not ok$' $T_DIR/results)
	s=$(grep -c '^skip$' $T_DIR/results)
	echo "VVPTEST: 1..$(cat $T_DIR/n)"
	echo "VVPTEST: END passed=$p failed=$f skipped=$s uptime=$(cut -d' ' -f1 /proc/uptime)"
}

ok() { tap_result ok "$SCENARIO: $*"; }
fail() { tap_result "not ok" "$SCENARIO: $*"; echo 1 >>$T_DIR/failed.$SCENARIO; }

# check DESCRIPTION CMD [ARGS...]: one check = one command's exit status.
# A failed check is reported and the scenario goes on (so it never trips
# the ERR trap); an unexpected failure elsewhere ends the scenario.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc (failed: $*)"; fi
	return 0
}

# assert_eq DESCRIPTION GOT WANT
assert_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1 (got '$2', want '$3')"; fi
	return 0
}

# skip REASON: the whole scenario is skipped (exit 77, reported by the runner)
skip() {
	echo "$*" >$T_DIR/skip.$SCENARIO
	exit 77
}

# ERR trap target: an unexpected command failure ends the scenario
err() {
	fail "unexpected failure at line $1: ${BASH_COMMAND}"
	exit 1
}

# ---- sysfs helpers --------------------------------------------------------------
vf_list() {   # VF addresses of the PF, in VF index order
	local i=0
	while [ -e "$PF_SYS/virtfn$i" ]; do
		basename "$(readlink "$PF_SYS/virtfn$i")"
		i=$((i + 1))
	done
}
num_vfs() { cat "$PF_SYS/sriov_numvfs"; }
vf_group() {   # IOMMU group number, empty if none
	local l
	l=$(readlink "$PCI/devices/$1/iommu_group" || true)
	[ -z "$l" ] || basename "$l"
}
dev_driver() {   # driver name or empty
	if [ -e "$PCI/devices/$1/driver" ]; then basename "$(readlink "$PCI/devices/$1/driver")"; fi
}
drivers_of_vfs() { local v; for v in $(vf_list); do echo "$v=$(dev_driver $v)"; done; }
# count_vfs_on vfio-pci (in this guest only VFs are ever on vfio-pci) and
# count_vfs_on "" without a process per VF (127 VFs under TCG): globs of
# the driver's and the VFs' links
vfs_on_vfio() {
	local d=($PCI/drivers/vfio-pci/0000:*)
	[ -e "${d[0]}" ] && echo ${#d[@]} || echo 0
}
vfs_unbound() {
	local v=($PF_SYS/virtfn*) d=($PF_SYS/virtfn*/driver)
	[ -e "${v[0]}" ] || v=()
	[ -e "${d[0]}" ] || d=()
	echo $((${#v[@]} - ${#d[@]}))
}
count_vfs_on() {   # count_vfs_on DRIVER
	local v n=0
	for v in $(vf_list); do [ "$(dev_driver $v)" = "$1" ] && n=$((n + 1)); done
	echo $n
}

# raw sysfs binding, independent of vvpctl
raw_bind() {   # raw_bind DRIVER BDF...
	local drv=$1 v
	shift
	for v in "$@"; do
		echo "$drv" >"$PCI/devices/$v/driver_override"
		echo "$v" >$PCI/drivers_probe
	done
}
raw_unbind() {   # raw_unbind BDF...: unbind and clear driver_override
	local v
	for v in "$@"; do
		[ -e "$PCI/devices/$v/driver" ] && echo "$v" >"$PCI/devices/$v/driver/unbind"
		echo >"$PCI/devices/$v/driver_override"
	done
	return 0
}

# Return the PF to the boot state: holders gone, VFs unbound, 0 VFs,
# sriov_drivers_autoprobe as at boot, no driverctl overrides, no udev
# markers of vvp.
reset_pf() {
	local p
	for p in $(cat $T_DIR/pids 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	: >$T_DIR/pids
	raw_unbind $(vf_list)
	rm -f /etc/driverctl.d/*
	# no marker left for vvp's udev rule (80-vvp.rules) to act on
	rm -rf /run/vvp/udev
	if ls /etc/udev/rules.d/99-vvptest-* >/dev/null 2>&1; then
		rm -f /etc/udev/rules.d/99-vvptest-*
		udevadm control --reload
	fi
	echo 0 >"$PF_SYS/sriov_numvfs" || return 1
	cat $T_DIR/autoprobe0 >"$PF_SYS/sriov_drivers_autoprobe" || return 1
	udevadm settle --timeout=60
	[ "$(num_vfs)" = 0 ] && [ "$(cat $PF_SYS/sriov_drivers_autoprobe)" = "$(cat $T_DIR/autoprobe0)" ]
}

# ---- test programs ---------------------------------------------------------------
# hold_start GROUP [BDF]: keep /dev/vfio/GROUP (and the device) open in the
# background until hold_stop; waits for the holder's READY line.
hold_start() {
	local i
	rm -f $T_DIR/hold.out
	vfio_hold --no-stdin "$@" >$T_DIR/hold.out 2>&1 &
	HOLD_PID=$!
	echo $HOLD_PID >>$T_DIR/pids
	for i in $(seq 1 200); do
		grep -q READY $T_DIR/hold.out 2>/dev/null && return 0
		kill -0 $HOLD_PID 2>/dev/null || break
		sleep 0.05
	done
	cat $T_DIR/hold.out
	return 1
}
# need_vvp_vfio: skip (exit 77) without vvpctl or vvp_vfio_pci.ko; debugfs
# mounted (the sim's knobs)
need_vvp_vfio() {
	need_vvpctl
	modinfo vvp_vfio_pci >/dev/null 2>&1 ||
		skip "vvp_vfio_pci.ko is not in the guest (kmod/ not built)"
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug
}
# need_qemu_client: skip (exit 77) unless the guest can run QEMU's vfio-pci
# against VFs on vvp_vfio_pci of both layouts (profile default)
need_qemu_client() {
	need_vvpctl
	modinfo vvp_vfio_pci >/dev/null 2>&1 ||
		skip "vvp_vfio_pci.ko is not in the guest (kmod/ not built)"
	command -v qemu-system-x86_64 >/dev/null || skip "no QEMU in the guest initramfs"
	[ -e "$IGB_PF_SYS" ] || skip "no igb PF $IGB_PF (profile default has one)"
}

# probe_checks CMD...: each "ok - x" / "not ok - x" line of a probe program
# (legacy_probe, qtest_client) becomes a check of this scenario
probe_checks() {
	local line n=0
	"$@" >$T_DIR/probe.out 2>&1 || true
	sed 's/^/  | /' $T_DIR/probe.out
	while read -r line; do
		case "$line" in
		"ok - "*) ok "${line#ok - }"; n=$((n + 1)) ;;
		"not ok - "*) fail "${line#not ok - }"; n=$((n + 1)) ;;
		esac
	done <$T_DIR/probe.out
	[ $n -gt 0 ] || fail "$1 printed no results"
}

# sim_kicks PF MEMBER QUEUE: the queue notifies vvp_sim counted (debugfs)
sim_kicks() {
	awk -v q="$3" '$1 == q { print $2 }' \
		"/sys/kernel/debug/vvp_sim/$1/members/$2/notifies"
}

# sim_vfio_load: vvp_sim and a fresh vvp_vfio_pci, checked
sim_vfio_load() {
	rmmod vvp_vfio_pci 2>/dev/null || true
	check "modprobe vvp_sim" modprobe vvp_sim
	check "modprobe vvp_vfio_pci" modprobe vvp_vfio_pci
}
# sim_legacy_vfs PF NUM MAC LEGACY [PLAIN]: NUM VFs of PF with vvp_sim as
# their owner; VF LEGACY provisioned --mac MAC --transitional on, VF PLAIN
# (if given) --transitional off, both bound to vvp_vfio_pci; asserted
sim_legacy_vfs() {
	local pf=$1 num=$2 mac=$3 v=$4 w=${5:-}
	run vvpctl enable $pf --num-vfs $num
	assert_eq "enable $num VFs of $pf" "$RC" 0
	check "attach the sim to $pf" sh -c "echo $pf > /sys/kernel/vvp_sim/attach"
	run vvpctl provision $v --mac $mac --transitional on
	assert_eq "provision $v --mac $mac --transitional on" "$RC" 0
	if [ -n "$w" ]; then
		run vvpctl provision $w --transitional off
		assert_eq "provision $w --transitional off" "$RC" 0
	fi
	run vvpctl bind $v $w --driver vvp_vfio_pci
	assert_eq "bind $v${w:+ $w} to vvp_vfio_pci" "$RC" 0
}
# sim_reg_cmds PF: counters/registers ("kind offset count bytes"), kicks
sim_reg_cmds() {
	local n
	cat "/sys/kernel/debug/vvp_sim/$1/counters/registers"
	n=$(cat "/sys/kernel/debug/vvp_sim/$1/counters/notify")
	echo "notify 16 $n $((2 * n))"
}
# cmds_per_access WHAT PF BEFORE ACCESSES: the owner commands since BEFORE
# (a sim_reg_cmds snapshot) against ACCESSES guest BAR0 accesses: prints
# the ratio and the commands per register; RATIO is set (n/a: no accesses)
cmds_per_access() {
	local what=$1 pf=$2 acc=${4:-0} cmds
	# files, not <(...): the guest has no /dev/fd
	echo "$3" >$T_DIR/cmds.before
	sim_reg_cmds "$pf" >$T_DIR/cmds.after
	cmds=$(awk 'NR == FNR { b[$1 " " $2] = $3; next }
		{ n += $3 - b[$1 " " $2] } END { print n + 0 }' \
		$T_DIR/cmds.before $T_DIR/cmds.after)
	RATIO=$(ratio "$cmds" "$acc")
	echo "VVPTEST: # owner commands for $what: $cmds for $acc guest BAR0 accesses, ratio $RATIO (one per access would be 1.00; goal <= 0.50)"
	awk 'BEGIN {
		split("host_features 0 guest_features 4 queue_pfn 8 queue_num 12 queue_sel 14 queue_notify 16 status 18 isr 19 config_vector 20 queue_vector 22", c, " ")
		for (i = 1; i < 20; i += 2) common[c[i + 1]] = c[i]
		split("mac 0 mac 1 mac 2 mac 3 mac 4 mac 5 net_status 6 net_status 7 max_vq_pairs 8 max_vq_pairs 9 mtu 10 mtu 11", d, " ")
		for (i = 1; i < 24; i += 2) device[d[i + 1]] = d[i]
	}
	NR == FNR { b[$1 " " $2] = $3; bb[$1 " " $2] = $4; next }
	$3 - b[$1 " " $2] > 0 {
		n = $3 - b[$1 " " $2]
		bytes = ($4 - bb[$1 " " $2]) / n
		reg = $1 ~ /^device/ ? (bytes > 4 ? "(all)" : device[$2]) : common[$2]
		printf "VVPTEST: #   %-12s %-14s offset %2d: %d (%g bytes each)\n", $1, reg, $2, n, bytes
	}' $T_DIR/cmds.before $T_DIR/cmds.after
}

hold_stop() {
	kill "$HOLD_PID" 2>/dev/null || true
	wait "$HOLD_PID" 2>/dev/null || true
}

# ---- vvpctl ------------------------------------------------------------------------
need_vvpctl() {
	command -v vvpctl >/dev/null ||
		skip "vvpctl is not in the guest (configure and build the tree first)"
	command -v jq >/dev/null || skip "jq missing"
}

# run CMD...: runs a command, keeps stdout in $OUT, stderr in $ERRS, exit
# status in $RC (never fails), and echoes all of it to the console log
run() {
	"$@" >$T_DIR/out 2>$T_DIR/err && RC=0 || RC=$?
	OUT=$(cat $T_DIR/out)
	ERRS=$(cat $T_DIR/err)
	echo "+ $* -> exit $RC"
	[ -z "$OUT" ] || sed 's/^/  | /' $T_DIR/out
	[ -z "$ERRS" ] || sed 's/^/  ! /' $T_DIR/err
	return 0
}

# jqv FILTER: apply a jq filter to $OUT, raw output
jqv() { jq -r "$1" <<<"$OUT"; }

# ---- the runner (used by /init) ------------------------------------------------------
# what a kernel log must not have
KERNEL_BAD='WARNING:|BUG:|Oops|general protection|Call Trace'
dmesg_check() {   # dmesg_check NAME: report whether the kernel complained
	local log=$T_DIR/dmesg.$1 bad
	dmesg -c >"$log" 2>/dev/null
	bad=$(grep -E "$KERNEL_BAD" "$log" || true)
	if [ -n "$bad" ]; then
		SCENARIO=$1 fail "kernel log clean (dmesg has WARNING/BUG/Oops/Call Trace)"
		echo "---- dmesg of $1 ----"
		cat "$log"
		echo "---- end dmesg ----"
	else
		SCENARIO=$1 ok "kernel log clean (no WARNING/BUG/Oops/Call Trace)"
	fi
}

run_scenario() {
	local name=$1 script=/vvptest/scenario-$1.sh rc t0 t1 limit=1200
	echo "VVPTEST: # scenario $name"
	if [ ! -e "$script" ]; then
		SCENARIO=$name fail "no such scenario ($script)"
		return
	fi
	[ -n "$(cat $T_DIR/pids 2>/dev/null)" ] && reset_pf >/dev/null 2>&1
	rm -f $T_DIR/skip.$name $T_DIR/failed.$name
	t0=$(cut -d' ' -f1 /proc/uptime)
	SCENARIO=$name timeout $limit bash "$script"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	if [ $rc = 77 ]; then
		tap_result ok "$name # SKIP $(cat $T_DIR/skip.$name 2>/dev/null)" skip
	elif [ $rc != 0 ] && [ ! -e $T_DIR/failed.$name ]; then
		SCENARIO=$name fail "exit status $rc$([ $rc = 143 ] && echo ' (guest timeout)')"
	fi
	dmesg_check "$name"
	if ! reset_pf >$T_DIR/reset.log 2>&1; then
		cat $T_DIR/reset.log
		SCENARIO=$name fail "reset: PF back to 0 VFs and autoprobe restored"
	fi
	echo "VVPTEST: # end scenario $name rc=$rc time=$(awk "BEGIN{print $t1 - $t0}")s"
}

# read_cmdline: what run.sh passed on the kernel command line, for /init and
# the boot profile's runner alike: $scenarios (scenario=a,b,c) and the
# round counts the scenarios read from their environment
read_cmdline() {
	local w
	scenarios=
	for w in $(cat /proc/cmdline); do
		case "$w" in
		scenario=*) scenarios=${w#scenario=} ;;
		vvp_bench_rounds=*) export BENCH_ROUNDS=${w#vvp_bench_rounds=} ;;
		vvp_rounds=*) export VVP_ROUNDS=${w#vvp_rounds=} ;;
		vvp_leak_rounds=*) export VVP_LEAK_ROUNDS=${w#vvp_leak_rounds=} ;;
		vvp_removal_rounds=*) export VVP_REMOVAL_ROUNDS=${w#vvp_removal_rounds=} ;;
		esac
	done
}

# ---- timing (bench/vm/*.sh and scenarios that report times) ---------------------------
now() { echo "${EPOCHREALTIME/./}"; }        # microseconds (busybox date has no %N)
ms() { echo $((($2 - $1) / 1000)); }          # ms T0 T1
# nap SECONDS: sleep without a fork. A poller timing udev's work must not
# compete with it: `sleep 0.01` is a fork and an exec every 10 ms on the
# guest's two vCPUs. read -t on a pipe nobody writes to just times out.
nap() {
	[ -n "${NAP_FD:-}" ] || exec {NAP_FD}<> <(:)
	read -r -t "$1" -u "$NAP_FD" || :
}
info() { echo "VVPTEST: # bench: $*"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { [ "$2" -gt 0 ] && awk "BEGIN { printf \"%.2f\", $1 / $2 }" || echo n/a; }

# bench_prologue: what bench-apply and bench-udev start from: vvpctl, the
# scale profile's PF with N VFs, a vvp.conf ($CONF) putting all N on
# vfio-pci with autoprobe off, ROUNDS, and OPTOUT, the rule file that opts
# every device out of 80-vvp.rules (bench_opt_out 1|0)
bench_prologue() {
	ROUNDS=${BENCH_ROUNDS:-3}
	CONF=/etc/vvp/vvp.conf
	OPTOUT=/etc/udev/rules.d/79-vvptest-optout.rules
	need_vvpctl
	N=$(cat $PF_SYS/sriov_totalvfs)
	[ "$N" -ge 8 ] || skip "PF has only $N VFs; run the scale profile"
	mkdir -p /etc/vvp
	printf '[pf %s]\nnum_vfs = %s\ndriver = vfio-pci\nautoprobe = off\n' $PF $N >$CONF
}
bench_opt_out() {   # bench_opt_out 1|0: vvp's rule off or on for every device
	if [ "$1" = 1 ]; then echo 'ENV{VVP_DISABLE_RULES_FLAG}="1"' >$OPTOUT; else rm -f $OPTOUT; fi
	udevadm control --reload
}
all_on_vfio() { [ "$(vfs_on_vfio)" = "$N" ]; }
# bench_medians NAME...: NAME_ms, the median of NAME_all, for each NAME
bench_medians() { local n; for n in "$@"; do eval "${n}_ms=\$(median \"\${${n}_all[@]}\")"; done; }
# bench_time NAME CMD...: run CMD once (round $r), timed; append the ms to
# NAME_all; check it exited 0 with all N VFs on vfio-pci, then reset_vfs
bench_time() {
	local name=$1 t0 t1 rc
	shift
	t0=$(now)
	"$@" >$T_DIR/bench.out 2>&1 && rc=0 || rc=$?
	t1=$(now)
	eval "${name}_all+=($(ms $t0 $t1))"
	assert_eq "$name round $r: exits 0" "$rc" 0
	[ "$rc" = 0 ] || cat $T_DIR/bench.out
	check "$name round $r: all $N VFs on vfio-pci" all_on_vfio
	check "reset after $name round $r" reset_vfs
}

# ---- vvpctl JSON helpers ------------------------------------------------------------
# vf_json BDF: `vvpctl show -j BDF` as one object in $OUT (RC set)
vf_json() {
	run vvpctl show -j "$1"
	OUT=$(jq -c 'if type == "array" then .[0] else . end' <<<"$OUT" 2>/dev/null || echo null)
}
# vf_state BDF: "driver|override|mac|mtu|transitional", from sysfs and netlink
vf_state() {
	local prov
	vf_json "$1" >/dev/null
	prov=$(jqv '[.provisioning.mac, .provisioning.mtu, .provisioning.transitional] |
		map(if . == null then "-" else tostring end) | join("|")')
	echo "$(dev_driver $1)|$(cat $PCI/devices/$1/driver_override)|$prov"
}
# pf_json: the test PF's object from `vvpctl list -j` in $OUT (RC set)
pf_json() {
	run vvpctl list -j
	OUT=$(jq -c --arg pf "$PF" '.[] | select(.address == $pf)' <<<"$OUT" 2>/dev/null || echo null)
	[ -n "$OUT" ] || OUT=null
}
# pf_state: everything vvpctl may change on the test PF, to compare with
# an earlier snapshot: VF count, autoprobe, each VF's driver and override
# (sysfs), every member's provisioning (netlink, without busy)
pf_state() {
	local v
	echo "numvfs=$(num_vfs) autoprobe=$(cat $PF_SYS/sriov_drivers_autoprobe)"
	for v in $(vf_list); do
		echo "$v driver=$(dev_driver $v) override=$(cat $PCI/devices/$v/driver_override)"
	done
	vvpctl owner show -j $PF | jq -c '[.members[] | del(.busy)]'
}
# enable_bind N: vvpctl enable + bind all VFs to vfio-pci, asserted
enable_bind() {
	run vvpctl enable $PF --num-vfs "$1"
	assert_eq "vvpctl enable --num-vfs $1 exits 0" "$RC" 0
	run vvpctl bind $PF --all-vfs --driver vfio-pci
	assert_eq "vvpctl bind --all-vfs --driver vfio-pci exits 0" "$RC" 0
	assert_eq "all $1 VFs on vfio-pci" "$(count_vfs_on vfio-pci)" "$1"
}

# not CMD...: succeeds when CMD fails (for check "x refused" not cmd ...)
not() { ! "$@"; }
wait_for() {   # wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds
	local end=$((${EPOCHREALTIME%.*} + $1))
	shift
	until "$@"; do
		[ "${EPOCHREALTIME%.*}" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# as_nobody "CMD ARGS": a shell command line run as nobody (65534), who is
# added to the guest's passwd and group first when missing
as_nobody() {
	grep -q '^nobody:' /etc/passwd ||
		echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >>/etc/passwd
	grep -q '^nogroup:' /etc/group || echo 'nogroup:x:65534:' >>/etc/group
	if [ "$(su nobody -s /bin/sh -c 'id -u' 2>/dev/null)" = 65534 ]; then
		su nobody -s /bin/sh -c "$*"
	else
		setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c "$*"
	fi
}

# sim_owner_setup: vvp_sim (debugfs mounted) and vvp_vfio_pci loaded, the
# sim attached to $PF as its owner; skip (exit 77) without the modules
sim_owner_setup() {
	modinfo vvp_sim >/dev/null 2>&1 ||
		skip "vvp_sim.ko is not in the guest (kmod/ not built)"
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug
	check "modprobe vvp_sim" modprobe vvp_sim
	check "modprobe vvp_vfio_pci" modprobe vvp_vfio_pci
	check "attach the sim to $PF" sh -c "echo $PF > /sys/kernel/vvp_sim/attach"
}

# unload: vvp.ko and what uses it (vvp_vfio_pci, if another scenario left
# it, and vvp_sim); true when no vvp module is left
unload() {
	rmmod vvp_vfio_pci 2>/dev/null
	rmmod vvp_sim 2>/dev/null
	rmmod vvp 2>/dev/null
	! grep -q '^vvp' /proc/modules
}

# ---- vvp_sim with a vvp.conf (scenarios hook, udev-apply) --------------------------
SIM_CTL=/sys/kernel/vvp_sim
VVP_CONF=/etc/vvp/vvp.conf
# $PF's VFs by index (the 4 of profile default)
VF0=0000:01:00.1 VF1=0000:01:00.2 VF2=0000:01:00.3 VF3=0000:01:00.4

# need_sim: skip (exit 77) unless the guest has vvp_sim.ko
need_sim() {
	modinfo vvp_sim >/dev/null 2>&1 ||
		skip "vvp_sim.ko is not in the guest (kmod/ not built)"
}

# sim_reattach: a fresh sim owner on $PF (the sim keeps its members'
# provisioning for as long as it stays attached)
sim_reattach() {
	echo $PF >$SIM_CTL/detach 2>/dev/null || true
	echo $PF >$SIM_CTL/attach
}

# sim_conf_setup: vvp_sim freshly on $PF, vvp_vfio_pci loaded, and no
# vvp.conf or /run/vvp state left by an earlier scenario
sim_conf_setup() {
	modprobe vvp_sim
	modprobe vvp_vfio_pci
	sim_reattach
	rm -rf /etc/vvp /run/vvp
}

# write_vvp_conf: stdin becomes $VVP_CONF, world-readable as make install's
write_vvp_conf() {
	mkdir -p /etc/vvp
	cat >$VVP_CONF
	chmod 644 $VVP_CONF
}
