#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# owner: vvpctl over the vvp generic netlink family (owner list/show,
# provision, monitor, show of a VF) with vvp.ko + vvp_sim.ko on the emulated
# NVMe PF 0000:01:00.0 (1b36:0010, driver nvme, 4 VFs in profile default,
# VF n = 0000:01:00.(n+1)).
#
#  - without the module: owner/provision/monitor fail (exit 1) saying which
#    module to load; show of a VF still works and has no "provisioning";
#  - the family is there in the init network namespace only;
#  - the sim attached: owner list shows backend sim, all caps, 4/4 members,
#    as <pf>/vvp/ in sysfs does; owner show lists the 4 members, each as
#    sysfs has it;
#  - provisioning MAC/MTU/transitional, features (+/-, number), queue pairs
#    reads back the same through netlink (owner show, show VF), sysfs and the
#    sim's register file (debugfs members/N/regs); other members unchanged;
#  - vvpctl monitor -j, started before the attach, saw owner_add, one
#    member_change per provision (with the new state) and per claim or
#    release, owner_change per VF count change, and owner_del, one JSON
#    object per line, and exits 0 on SIGINT (and SIGTERM); a member-set
#    with NLM_F_ECHO gets its notification back (tests/vm/src/nl_echo.c);
#  - reads are served from vvp.ko's copy: they do not ask the backend;
#  - every bad value fails with the kernel's message and errno (exit 1) or is
#    a usage error (exit 2), and changes nothing;
#  - an unprivileged user (nobody) can read but gets EPERM on provision;
#  - a busy member (vvp_member_claim through the sim's busy_member) refuses
#    provisioning with EBUSY;
#  - fault injection (fail_next/fail_errno/fail_kind) surfaces as a clear
#    error naming the injected failure and changes nothing;
#  - a sim attached with fewer caps: EOPNOTSUPP naming the backend;
#  - unloading with members provisioned, and 20 rounds of load, attach,
#    provision, detach, unload, leave the kernel log clean.
#
# THEORY OF OPERATION: kmod/specs/vvp.yaml (the contract; kmod/vvp/
# vvp_nl.c has the policies generated from it), kmod/vvp/vvp_netlink.c
# (messages), kmod/vvp/vvp_sysfs.c (<pf>/vvp layout), kmod/sim/
# sim_debugfs.c + sim_regs.c (debugfs layout, register file).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvpctl

CTL=/sys/kernel/vvp_sim
DBG=/sys/kernel/debug/vvp_sim/$PF
OWN=$PF_SYS/vvp
VF0=0000:01:00.1
VF1=0000:01:00.2
ALLCAPS="legacy_io mac mtu max_vq_pairs features transitional"
VVPCTL=$(command -v vvpctl)

modinfo vvp_sim >/dev/null 2>&1 || skip "vvp_sim.ko is not in the guest (kmod/ not built)"
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug

reg() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/members/${2:-0}/regs"; }
msysfs() { cat "$OWN/members/$1/$2" 2>&1 || true; }
# the member object of VF index $1 from `owner show -j`, in $OUT
member_json() {
	run vvpctl owner show -j $PF
	OUT=$(jq -c --argjson i "$1" '.members[] | select(.index == $i)' <<<"$OUT" 2>/dev/null || echo null)
	[ -n "$OUT" ] || OUT=null
}
# fails_with DESC EXIT MSG ERRNO-TEXT CMD...: CMD exits EXIT and its
# Error: line has the kernel's MSG and the errno's text
fails_with() {
	local desc=$1 want=$2 msg=$3 why=$4
	shift 4
	run "$@"
	assert_eq "$desc: exit $want" "$RC" "$want"
	check "$desc: says '$msg'" grep -qF -- "$msg" <<<"$ERRS"
	[ -z "$why" ] || check "$desc: says '$why'" grep -qF -- "$why" <<<"$ERRS"
}
# what provisioning VF0 has, in one line: netlink, sysfs, sim registers
state0() {
	member_json 0 >/dev/null
	echo "nl=$(jqv '[.mac, .mtu, .max_vq_pairs, .features, .transitional] | map(tostring) | join(",")')" \
		"sysfs=$(msysfs 0 mac),$(msysfs 0 mtu),$(msysfs 0 max_vq_pairs),$(msysfs 0 features),$(msysfs 0 transitional)" \
		"regs=$(reg provisioned_mac),$(reg mtu),$(reg max_virtqueue_pairs),$(reg features)"
}

# ---- without the module ----------------------------------------------------------
unload || true
fails_with "owner list without vvp.ko" 1 "vvp kernel module not loaded" "modprobe vvp" \
	vvpctl owner list
fails_with "provision without vvp.ko" 1 "vvp kernel module not loaded" "modprobe vvp" \
	vvpctl provision $VF0 --mtu 1500
fails_with "monitor without vvp.ko" 1 "vvp kernel module not loaded" "modprobe vvp" \
	vvpctl monitor
run vvpctl enable $PF --num-vfs 4
assert_eq "enable 4 VFs" "$RC" 0
vf_json $VF0
assert_eq "show VF without vvp.ko exits 0" "$RC" 0
assert_eq "show VF without vvp.ko: no provisioning key" "$(jqv 'has("provisioning")')" false

# ---- module loaded, no owner yet ------------------------------------------------------
check "modprobe vvp_sim" modprobe vvp_sim
# the family exists in the init network namespace only: vvp_nl_init() says
# so over what ynl-gen-c writes (nlctrl shows genl works in the other one)
check "genl: family vvp in the init network namespace" genl ctrl get name vvp
check "genl: family nlctrl in a new network namespace" \
	unshare -n genl ctrl get name nlctrl
run unshare -n genl ctrl get name vvp
check "genl: no family vvp in a new network namespace" test "$RC" -ne 0
run vvpctl owner list -j
assert_eq "owner list -j with no owner exits 0" "$RC" 0
assert_eq "owner list -j with no owner is []" "$(jq -c . <<<"$OUT" 2>&1)" "[]"
vf_json $VF0
assert_eq "show VF, PF not an owner: no provisioning key" "$(jqv 'has("provisioning")')" false
fails_with "owner show of a PF that is no owner" 1 "is not a vvp owner" "" \
	vvpctl owner show $PF
fails_with "provision a VF whose PF has no owner" 1 "the VF's PF has no vvp owner" \
	"No such device" vvpctl provision $VF0 --mtu 1500

# monitors, before the attach: JSON (stopped by SIGINT), text (SIGTERM)
vvpctl monitor -j >$T_DIR/mon.json 2>$T_DIR/mon.err &
MON=$!
vvpctl monitor >$T_DIR/mon.txt 2>$T_DIR/mon2.err &
MON2=$!
echo $MON $MON2 >>$T_DIR/pids
for i in $(seq 1 100); do
	grep -q listening $T_DIR/mon.err && grep -q listening $T_DIR/mon2.err && break
	sleep 0.05
done
check "monitors are listening" grep -q listening $T_DIR/mon.err

# ---- attach: the owner as netlink and sysfs show it -----------------------------------
echo $PF >$CTL/attach
# a backend's own EMSGSIZE fails the dump, and is not taken as "skb full"
# (which retried the member and swallowed the failure): member 0 is read
# once (the core keeps it), then member 1's first read fails
cat $OWN/members/0/mtu >/dev/null
echo member_get >$DBG/fail_kind
echo 90 >$DBG/fail_errno
echo 1 >$DBG/fail_next
fails_with "injected EMSGSIZE of member 1's first read" 1 "backend sim could not read member 1" \
	"Message too long" vvpctl owner show $PF
assert_eq "the injected EMSGSIZE was used" "$(cat $DBG/fail_next)" 0
echo any >$DBG/fail_kind
echo 5 >$DBG/fail_errno
run vvpctl owner list
assert_eq "owner list exits 0" "$RC" 0
check "owner list names $PF with backend sim" grep -q "^owner $PF: backend sim" <<<"$OUT"
run vvpctl owner list -j
assert_eq "owner list -j: one owner" "$(jqv length)" 1
OUT=$(jq -c '.[0]' <<<"$OUT" || echo null)
assert_eq "owner list -j: address" "$(jqv .address)" $PF
assert_eq "owner list -j: backend" "$(jqv .backend)" sim
assert_eq "owner list -j: all caps" "$(jqv '.caps | join(" ")')" "$ALLCAPS"
assert_eq "owner list -j: num_members" "$(jqv .num_members)" 4
assert_eq "owner list -j: total_members" "$(jqv .total_members)" 4
assert_eq "owner list -j: no members key" "$(jqv 'has("members")')" false
assert_eq "sysfs $OWN/backend" "$(cat $OWN/backend)" sim
assert_eq "sysfs $OWN/caps" "$(cat $OWN/caps)" "$ALLCAPS"
assert_eq "sysfs $OWN/num_members" "$(cat $OWN/num_members)" 4
assert_eq "sysfs $OWN/total_members" "$(cat $OWN/total_members)" 4

run vvpctl owner show -j $PF
assert_eq "owner show -j exits 0" "$RC" 0
assert_eq "owner show -j: 4 members" "$(jqv '.members | length')" 4
assert_eq "owner show -j: member indexes" "$(jqv '[.members[].index] | join(" ")')" "0 1 2 3"
assert_eq "owner show -j: member addresses = the VFs" "$(jqv '[.members[].address] | join(" ")')" \
	"$(vf_list | xargs)"
SHOW=$OUT
bad=0
for i in 0 1 2 3; do
	OUT=$(jq -c --argjson i $i '.members[$i]' <<<"$SHOW" || echo null)
	want="$(msysfs $i address) $(msysfs $i mac) $(msysfs $i mtu) $(msysfs $i max_vq_pairs) $(msysfs $i features) $(msysfs $i transitional) $(msysfs $i busy)" || true
	got="$(jqv .address) $(jqv .mac) $(jqv .mtu) $(jqv .max_vq_pairs) $(printf '0x%016x' "$(jqv .features)") $(jqv 'if .transitional then 1 else 0 end') $(jqv 'if .busy then 1 else 0 end')" || true
	[ "$got" = "$want" ] || { echo "member $i: netlink '$got' sysfs '$want'"; bad=$((bad + 1)); }
done
assert_eq "owner show -j: every member's keys = sysfs" "$bad" 0
OUT=$(jq -c '.members[0]' <<<"$SHOW" || echo null)
assert_eq "member 0 default MAC (sim)" "$(jqv .mac)" "$(reg provisioned_mac)"
assert_eq "member 0 default mtu" "$(jqv .mtu)" 1500
assert_eq "member 0 not transitional" "$(jqv .transitional)" false
assert_eq "member 0 not busy" "$(jqv .busy)" false
check "member 0 feature_names has mac, mtu, mq" \
	jq -e '.feature_names | index("mac") and index("mtu") and index("mq")' <<<"$OUT"
FEAT0=$(jqv .features)
MAC1=$(msysfs 1 mac)
run vvpctl owner show $PF
check "owner show text has a line for member 3" grep -q "member 3 0000:01:00.4: mac " <<<"$OUT"
vf_json $VF0
assert_eq "show -j VF has provisioning.owner" "$(jqv .provisioning.owner)" $PF
assert_eq "show -j VF has provisioning.backend" "$(jqv .provisioning.backend)" sim
assert_eq "show -j VF provisioning.mtu" "$(jqv .provisioning.mtu)" 1500
run vvpctl show $VF0
check "show VF text has a provisioning line" grep -q "provisioning: owner $PF backend sim mac" <<<"$OUT"
run vvpctl show -j $PF
assert_eq "show -j PF: every VF has provisioning" "$(jqv '[.vfs[] | has("provisioning")] | all')" true

# ---- provision ----------------------------------------------------------------------
run vvpctl provision $VF0 --mac 52:54:00:12:34:56 --mtu 9000 --transitional on
assert_eq "provision mac+mtu+transitional exits 0" "$RC" 0
check "provision says what it did" grep -q "provisioned $VF0: mac 52:54:00:12:34:56 mtu 9000 transitional on" <<<"$ERRS"
vf_json $VF0
assert_eq "show -j VF: mac" "$(jqv .provisioning.mac)" 52:54:00:12:34:56
assert_eq "show -j VF: mtu" "$(jqv .provisioning.mtu)" 9000
assert_eq "show -j VF: transitional" "$(jqv .provisioning.transitional)" true
member_json 0
assert_eq "owner show -j: member 0 mac" "$(jqv .mac)" 52:54:00:12:34:56
assert_eq "owner show -j: member 0 mtu" "$(jqv .mtu)" 9000
assert_eq "owner show -j: member 0 transitional" "$(jqv .transitional)" true
assert_eq "sysfs members/0/mac" "$(msysfs 0 mac)" 52:54:00:12:34:56
assert_eq "sysfs members/0/mtu" "$(msysfs 0 mtu)" 9000
assert_eq "sysfs members/0/transitional" "$(msysfs 0 transitional)" 1
assert_eq "sim regs: provisioned_mac" "$(reg provisioned_mac)" 52:54:00:12:34:56
assert_eq "sim regs: device config mac" "$(reg mac)" 52:54:00:12:34:56
assert_eq "sim regs: mtu" "$(reg mtu)" 9000
assert_eq "member 1 unchanged (mac)" "$(msysfs 1 mac)" "$MAC1"
assert_eq "member 1 unchanged (mtu)" "$(msysfs 1 mtu)" 1500

# features: - and + on what the kernel has, then a whole value
run vvpctl provision $VF0 --features -mq,+csum,+version_1
assert_eq "provision --features -mq,+csum,+version_1 exits 0" "$RC" 0
want=$(( (FEAT0 & ~(1 << 22)) | 1 | (1 << 32) ))
member_json 0
assert_eq "features: mq off, csum and version_1 on" "$(jqv .features)" "$want"
check "feature_names: csum, version_1, no mq" \
	jq -e '(.feature_names | index("csum") and index("version_1")) and (.feature_names | index("mq") | not)' <<<"$OUT"
assert_eq "sysfs features" "$(msysfs 0 features)" "$(printf '0x%016x' $want)"
assert_eq "sim regs: features" "$(reg features)" "$(printf '0x%016x' $want)"
assert_eq "sim regs: legacy host_features (low 32 bits)" "$(reg host_features)" \
	"$(printf '0x%08x' $((want & 0xffffffff)))"
assert_eq "mtu kept while features changed" "$(msysfs 0 mtu)" 9000
run vvpctl provision $VF0 --features "$(printf '0x%x' $FEAT0)"
assert_eq "provision --features <number> exits 0" "$RC" 0
assert_eq "features back to the default" "$(msysfs 0 features)" "$(printf '0x%016x' $FEAT0)"
run vvpctl provision $VF0 --max-vq-pairs 2
assert_eq "provision --max-vq-pairs 2 exits 0" "$RC" 0
assert_eq "sysfs max_vq_pairs" "$(msysfs 0 max_vq_pairs)" 2
assert_eq "sim regs: max_virtqueue_pairs" "$(reg max_virtqueue_pairs)" 2
assert_eq "sim regs: 5 queues (2 pairs + ctrl)" "$(reg num_queues)" 5
run vvpctl provision 01:00.2 --mac 52-54-00-AB-CD-EF
assert_eq "short address and '-' MAC accepted" "$RC" 0
assert_eq "member 1 mac" "$(msysfs 1 mac)" 52:54:00:ab:cd:ef

# ---- bad input: the kernel's message and errno, nothing changed -------------------------
before=$(state0)
fails_with "multicast MAC" 1 "MAC must be unicast and not all zeros" "Invalid argument" \
	vvpctl provision $VF0 --mac 01:00:5e:00:00:01
fails_with "zero MAC" 1 "MAC must be unicast and not all zeros" "Invalid argument" \
	vvpctl provision $VF0 --mac 00:00:00:00:00:00
fails_with "MTU 67" 1 "mtu: integer out of range (68-65535)" "Numerical result out of range" \
	vvpctl provision $VF0 --mtu 67
fails_with "MTU 65536" 1 "integer out of range" "Numerical result out of range" \
	vvpctl provision $VF0 --mtu 65536
fails_with "max-vq-pairs 0" 1 "max-vq-pairs: integer out of range (1-32768)" \
	"Numerical result out of range" vvpctl provision $VF0 --max-vq-pairs 0
fails_with "bad MTU with a good MAC: all or nothing" 1 "integer out of range" "" \
	vvpctl provision $VF0 --mac 52:54:00:00:00:99 --mtu 10
fails_with "the PF is not a VF" 1 "PCI device is not a VF" "No such device" \
	vvpctl provision $PF --mtu 1500
fails_with "no device at that address" 1 "no PCI device at this address" "No such device" \
	vvpctl provision 0000:01:00.5 --mtu 1500
fails_with "device elsewhere, not a VF" 1 "PCI device is not a VF" "No such device" \
	vvpctl provision 0000:00:00.0 --mtu 1500
fails_with "owner show of a VF" 1 "is not a vvp owner" "" vvpctl owner show $VF0
fails_with "malformed MAC: usage" 2 "invalid MAC address" "" \
	vvpctl provision $VF0 --mac 52:54:00:12:34
fails_with "MTU not a number: usage" 2 "invalid value 'big' for --mtu" "" \
	vvpctl provision $VF0 --mtu big
fails_with "unknown feature: usage" 2 "unknown feature 'warp'" "" \
	vvpctl provision $VF0 --features +warp
fails_with "feature without sign: usage" 2 "has no + or -" "" \
	vvpctl provision $VF0 --features mq
fails_with "transitional maybe: usage" 2 "expected on or off" "" \
	vvpctl provision $VF0 --transitional maybe
fails_with "nothing to provision: usage" 2 "nothing to provision" "" vvpctl provision $VF0
fails_with "malformed VF address: usage" 2 "is not a PCI address" "" \
	vvpctl provision 01:00 --mtu 1500
assert_eq "after all the bad input, VF0 unchanged" "$(state0)" "$before"

# ---- unprivileged ------------------------------------------------------------------
run as_nobody id -u
assert_eq "we can run as nobody" "$OUT" 65534
before=$(state0)
fails_with "provision as nobody" 1 "Operation not permitted" "run as root" \
	as_nobody "$VVPCTL provision $VF0 --mtu 1400"
assert_eq "nobody's provision changed nothing" "$(state0)" "$before"
run as_nobody "$VVPCTL owner show -j $PF"
assert_eq "nobody may read: owner show -j exits 0" "$RC" 0
assert_eq "nobody sees member 0's mtu" "$(jq -r '.members[0].mtu' <<<"$OUT")" 9000

# ---- busy member ---------------------------------------------------------------------
echo 0 >$DBG/busy_member
member_json 0
assert_eq "claimed member 0 is busy (netlink)" "$(jqv .busy)" true
assert_eq "claimed member 0 is busy (sysfs)" "$(msysfs 0 busy)" 1
fails_with "provision a busy member" 1 "member is in use" "Device or resource busy" \
	vvpctl provision $VF0 --mtu 1400
echo -1 >$DBG/busy_member
assert_eq "busy member unchanged" "$(msysfs 0 mtu)" 9000

# ---- fault injection ----------------------------------------------------------------------
before=$(state0)
inj=$(cat $DBG/counters/injected)
echo member_set >$DBG/fail_kind
echo 11 >$DBG/fail_errno
echo 1 >$DBG/fail_next
fails_with "injected member_set failure" 1 "injected failure (fail_next)" \
	"Resource temporarily unavailable" \
	vvpctl provision $VF0 --mtu 1280 --transitional off --mac 52:54:00:00:00:77
assert_eq "injected failure used up" "$(cat $DBG/fail_next)" 0
assert_eq "counters/injected +1" "$(cat $DBG/counters/injected)" $((inj + 1))
assert_eq "injected failure changed nothing (transitional kept too)" "$(state0)" "$before"
# reads are the core's copy: once read, a member costs the backend nothing
echo member_get >$DBG/fail_kind
echo 5 >$DBG/fail_errno
echo 1 >$DBG/fail_next
g0=$(cat $DBG/counters/member_get)
run vvpctl owner show -j $PF
assert_eq "owner show with a member_get failure pending exits 0" "$RC" 0
cat $OWN/members/*/mtu >/dev/null
assert_eq "...and neither it nor sysfs asked the backend" \
	"$(cat $DBG/counters/member_get)/$(cat $DBG/fail_next)" "$g0/1"
echo 0 >$DBG/fail_next
echo any >$DBG/fail_kind

# the change is still there, and a good provision works after the failures
run vvpctl provision $VF0 --mtu 1500 --transitional off
assert_eq "provision after the failures exits 0" "$RC" 0

# NLM_F_ECHO: a member-set's sender gets the change notification too,
# without joining the monitor group (genl_notify())
run nl_echo $VF0 1500
assert_eq "member-set with NLM_F_ECHO exits 0" "$RC" 0
assert_eq "...and got its change echoed, then the ack" "$(xargs <<<"$OUT")" \
	"echo member_change dev $VF0 mtu 1500 seq 42 ack 0"

# ---- the VF count changes: owner_change events ---------------------------------------
run vvpctl disable $PF
assert_eq "disable the VFs with the owner attached" "$RC" 0
run vvpctl enable $PF --num-vfs 4
assert_eq "enable 4 VFs again" "$RC" 0
assert_eq "provisioning outlives the VFs' disable" "$(msysfs 0 mtu)" 1500

# ---- detach: the monitors, then show without an owner ----------------------------------
echo $PF >$CTL/detach
for i in $(seq 1 100); do grep -q owner_del $T_DIR/mon.json && break; sleep 0.05; done
kill -INT $MON
wait $MON && rc=0 || rc=$?
assert_eq "monitor -j exits 0 on SIGINT" "$rc" 0
kill -TERM $MON2
wait $MON2 && rc=0 || rc=$?
assert_eq "monitor exits 0 on SIGTERM" "$rc" 0
echo "--- monitor -j"; cat $T_DIR/mon.json
echo "--- monitor"; cat $T_DIR/mon.txt
check "monitor -j: every line is one JSON object" \
	jq -e -s 'length > 0 and all(type == "object")' $T_DIR/mon.json
assert_eq "monitor -j: events in order" \
	"$(jq -r .event $T_DIR/mon.json | uniq | xargs)" \
	"owner_add member_change owner_change owner_del"
assert_eq "monitor -j: owner_change says the new VF counts" \
	"$(jq -r 'select(.event == "owner_change") | .num_members' $T_DIR/mon.json | xargs)" "0 4"
assert_eq "monitor -j: the claim and release of member 0 as busy changes" \
	"$(jq -r "select(.event == \"member_change\" and .address == \"$VF0\") | .busy" $T_DIR/mon.json | uniq | xargs)" \
	"false true false"
assert_eq "monitor -j: owner_add names the PF and backend" \
	"$(jq -r 'select(.event == "owner_add") | .owner + " " + .backend' $T_DIR/mon.json)" "$PF sim"
# provisions that succeeded: mac+mtu+trans, features x2, pairs, member 1
# mac, mtu+trans, mtu (nl_echo); and member 0's claim and release
assert_eq "monitor -j: 8 member_change events for $VF0" \
	"$(jq -r "select(.event == \"member_change\" and .address == \"$VF0\") | .index" $T_DIR/mon.json | wc -l)" 8
assert_eq "monitor -j: the first has the new state" \
	"$(jq -r "select(.event == \"member_change\" and .address == \"$VF0\") | .mac + \" \" + (.mtu|tostring) + \" \" + (.transitional|tostring)" $T_DIR/mon.json | head -1)" \
	"52:54:00:12:34:56 9000 true"
assert_eq "monitor -j: member 1's change" \
	"$(jq -r "select(.event == \"member_change\" and .address == \"$VF1\") | .owner + \" \" + .mac" $T_DIR/mon.json)" \
	"$PF 52:54:00:ab:cd:ef"
assert_eq "monitor (text): one line per event" "$(wc -l <$T_DIR/mon.txt)" "$(wc -l <$T_DIR/mon.json)"
check "monitor (text): member_change line" grep -q "^member_change $VF0 owner $PF index 0 mac 52:54:00:12:34:56 mtu 9000" $T_DIR/mon.txt

vf_json $VF0
assert_eq "after detach: show VF exits 0" "$RC" 0
assert_eq "after detach: no provisioning key" "$(jqv 'has("provisioning")')" false
run vvpctl owner list -j
assert_eq "after detach: owner list -j is []" "$(jq -c . <<<"$OUT" 2>&1)" "[]"
fails_with "after detach: provision" 1 "the VF's PF has no vvp owner" "No such device" \
	vvpctl provision $VF0 --mtu 1500

check "unload vvp_sim and vvp" unload
vf_json $VF0
assert_eq "after unload: show VF exits 0 without provisioning" \
	"$RC $(jqv 'has("provisioning")')" "0 false"

# ---- a backend without a capability --------------------------------------------------
# the sim attached with a narrower mask (attach "PF CAPS"): no mac, no mtu
check "modprobe vvp_sim again" modprobe vvp_sim
echo "$PF $(( 0x3f & ~0x2 & ~0x4 ))" >$CTL/attach
run vvpctl owner show -j $PF
assert_eq "narrowed sim: caps without mac and mtu" "$(jqv '.caps | join(" ")')" \
	"legacy_io max_vq_pairs features transitional"
assert_eq "narrowed sim: no mac key for a member" "$(jqv '.members[0] | has("mac")')" false
fails_with "backend without the mac cap" 1 "backend sim cannot provision mac" \
	"Operation not supported" vvpctl provision $VF0 --mac 52:54:00:00:00:42
fails_with "backend without the mtu cap" 1 "backend sim cannot provision mtu" \
	"Operation not supported" vvpctl provision $VF0 --mtu 1400 --max-vq-pairs 2
run vvpctl provision $VF0 --max-vq-pairs 2
assert_eq "narrowed sim: a cap it has still works" "$RC" 0
check "attach with caps outside the sim's refused" not sh -c "echo '$PF 0x40' >$CTL/attach"
echo $PF >$CTL/detach
check "attach with a malformed caps mask refused" not sh -c "echo '$PF mac' >$CTL/attach"
check "...and left nothing attached" test ! -e $OWN

# ---- unload with members provisioned -------------------------------------------------
echo $PF >$CTL/attach
run vvpctl provision $VF0 --mac 52:54:00:00:00:10 --mtu 4000 --transitional on
assert_eq "provision VF0 before unloading" "$RC" 0
run vvpctl provision $VF1 --mac 52:54:00:00:00:11
assert_eq "provision VF1 before unloading" "$RC" 0
check "rmmod vvp_sim with members provisioned (detaches the owner)" rmmod vvp_sim
check "the owner's sysfs directory is gone" test ! -e $OWN
check "rmmod vvp" rmmod vvp
check "no vvp module left" not grep -q '^vvp' /proc/modules
rounds=0
for i in $(seq 1 20); do
	modprobe vvp_sim && echo $PF >$CTL/attach &&
		vvpctl provision $VF0 --mac 52:54:00:00:01:$(printf %02x $i) --transitional on >/dev/null &&
		echo $PF >$CTL/detach && rmmod vvp_sim && rmmod vvp || break
	rounds=$i
done
assert_eq "20 rounds of load, attach, provision, detach, unload" "$rounds" 20
