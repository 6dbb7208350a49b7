#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# leak: N rounds of the whole life of vvp on the NVMe PF 0000:01:00.0 (4
# VFs created once): load vvp_sim and vvp_vfio_pci (and so vvp), attach
# the sim, provision VF 0000:01:00.1 transitional (vvpctl, netlink), bind
# it to vvp_vfio_pci, open it through VFIO and run the legacy probe
# (BAR0 reads and writes, a queue notify), close, unbind, detach, unload.
# Kernel memory before, half-way and after must agree: the objects in use
# of every slab cache (/proc/slabinfo after dropping caches, a pause for
# RCU-deferred frees, and a shrink of each cache, which flushes SLUB's
# per-cpu slabs), vmalloc'd pages and areas, the modules. A leak on the path of a round leaves at least one object per
# round, steadily; a quiet guest still moves busy caches by whole slabs
# (kmalloc-8 by hundreds of objects, mm_struct by 23) either way between
# two snapshots. So a cache fails when it grew by N or more over N rounds,
# by N/4 or more in each half and about alike in both (neither half more
# than twice the other: one slab's jump lands in one half); vmalloc'd pages and areas by fewer
# than N; modules not at all.
# udevd is stopped for the measured rounds (its workers, coming and going
# with the rounds' uevents, are processes whose objects would be counted)
# and the user processes before and after are printed.
# Two warm-up rounds come first (what the first load allocates for good:
# kernfs and debugfs nodes, module notifier state, the VF's VFIO group).
# Debian's kernel has no kmemleak (CONFIG_DEBUG_KMEMLEAK is not set): when
# a kernel has it, it is scanned too and must report nothing.
#
# Rounds: VVP_LEAK_ROUNDS (default 20; vvp_leak_rounds=N on the kernel
# command line, run.sh --leak-rounds N; the figure is 100).
. /vvptest/lib.sh
set -E
trap 'err $LINENO' ERR
need_vvp_vfio

N=${VVP_LEAK_ROUNDS:-20}
V=0000:01:00.1
MAC=52:54:00:00:1e:01
KMEMLEAK=/sys/kernel/debug/kmemleak

# one round; its exit status
leak_round() {
	modprobe vvp_sim && modprobe vvp_vfio_pci &&
		echo $PF >/sys/kernel/vvp_sim/attach &&
		vvpctl provision $V --mac $MAC --transitional on >/dev/null 2>&1 &&
		raw_bind vvp_vfio_pci $V &&
		[ "$(dev_driver $V)" = vvp_vfio_pci ] &&
		legacy_probe --mac $MAC "$(vf_group $V)" $V >$T_DIR/leak.probe &&
		raw_unbind $V &&
		echo $PF >/sys/kernel/vvp_sim/detach &&
		unload
}

# snapshot FILE: "key value" lines, slab caches by name
snapshot() {
	local f
	sync
	echo 3 >/proc/sys/vm/drop_caches
	# kfree_rcu() and the lazy vfree purge free late
	sleep 6
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null || true; done
	awk 'NR > 2 { print "slab:" $1, $2 }' /proc/slabinfo >$1
	awk '/^(Slab|SUnreclaim|VmallocUsed|Percpu):/ { sub(":", ""); print "kB:" $1, $2 }' \
		/proc/meminfo >>$1
	echo "vmalloc:areas $(wc -l </proc/vmallocinfo)" >>$1
	echo "modules:loaded $(wc -l </proc/modules)" >>$1
	# user processes (kernel threads, kworkers among them, have no exe;
	# the kernel starts and stops those as it likes)
	for f in /proc/[0-9]*; do readlink $f/exe || true; done 2>/dev/null | sort >$1.ps
	echo "processes:user $(wc -l <$1.ps)" >>$1
	# files of the tmpfs and devtmpfs mounts (shmem inodes)
	find /run /tmp /dev -xdev 2>/dev/null | grep -v "^$T_DIR/leak\." | sort >$1.files
	echo "files:tmpfs $(wc -l <$1.files)" >>$1
}

# deltas: "key before after delta" for every key of both snapshots
deltas() {
	awk 'NR == FNR { a[$1] = $2; next } { print $1, a[$1] + 0, $2, $2 - a[$1] }' "$1" "$2"
}

# udevd's workers come and go with the uevents of the rounds, each a
# process with its slab objects (pid, cred, mm_struct, filp, inodes):
# udevd is stopped for the rounds (devtmpfs makes /dev/vfio/N) and
# started again after them
udevd_stop() {
	local i
	udevadm settle --timeout=60
	udevadm control --exit
	for i in $(seq 1 300); do
		pidof systemd-udevd >/dev/null || return 0
		sleep 0.1
	done
	return 1
}
udevd_start() {
	/usr/lib/systemd/systemd-udevd --daemon && udevadm settle --timeout=60
}

unload || true
echo 0 >"$PF_SYS/sriov_drivers_autoprobe"
echo 4 >"$PF_SYS/sriov_numvfs"
udevadm settle --timeout=60
rounds=0
for i in 1 2; do leak_round && rounds=$((rounds + 1)); done
assert_eq "2 warm-up rounds" "$rounds" 2
check "udevd stopped for the rounds" udevd_stop
[ -e $KMEMLEAK ] && echo clear >$KMEMLEAK
# rounds ROUNDS: that many more; false on the first that fails
rounds() {
	local i
	for i in $(seq 1 $1); do
		leak_round || { cat $T_DIR/leak.probe; return 1; }
		done_rounds=$((done_rounds + 1))
	done
}
done_rounds=0
half=$((N / 2))
snapshot $T_DIR/leak.0
t0=$(now)
rounds $half && snapshot $T_DIR/leak.1 && rounds $((N - half))
t1=$(now)
assert_eq "$N rounds of load, attach, provision, VFIO open + legacy probe, close, unbind, detach, unload" \
	"$done_rounds" "$N"
echo "VVPTEST: # leak: $done_rounds rounds in $(( $(ms $t0 $t1) / 1000 )) s (snapshot included)"
snapshot $T_DIR/leak.2
check "udevd started again" udevd_start
# the slab counts compare like with like only if the same processes run
diff $T_DIR/leak.0.ps $T_DIR/leak.2.ps || true
diff $T_DIR/leak.0.files $T_DIR/leak.2.files | head -20 || true
deltas $T_DIR/leak.0 $T_DIR/leak.1 >$T_DIR/leak.d1
deltas $T_DIR/leak.1 $T_DIR/leak.2 >$T_DIR/leak.d2
deltas $T_DIR/leak.0 $T_DIR/leak.2 >$T_DIR/leak.deltas

echo "largest slab deltas over the $N rounds (objects in use: before, after, delta):"
grep '^slab:' $T_DIR/leak.deltas |
	awk '{ d = $4 < 0 ? -$4 : $4; print d, $0 }' | sort -rn | head -8 | cut -d' ' -f2- | sed 's/^/  /'
grep -E '^slab:(kmalloc-|kernfs|dentry|inode_cache|lsm_inode|vmap_area)' $T_DIR/leak.deltas |
	awk '$4 != 0' | sed 's/^/  /'
grep -v '^slab:' $T_DIR/leak.deltas | sed 's/^/  /'
# steady growth: at least one object per round over the whole, and at
# least half an object per round in each half (noise jumps by whole
# slabs, either way, in one half or the other)
# steady() PATTERN: the caches matching it that grew steadily
steady() {
	awk -v n=$N -v h=$(( (N + 3) / 4 )) -v re="$1" '
	FILENAME ~ /d1$/ { a[$1] = $4; next }
	FILENAME ~ /d2$/ { b[$1] = $4; next }
	$1 ~ re && $4 >= n && a[$1] >= h && b[$1] >= h &&
	    2 * a[$1] >= b[$1] && 2 * b[$1] >= a[$1] { print $1 " +" a[$1] " +" b[$1] }
	' $T_DIR/leak.d1 $T_DIR/leak.d2 $T_DIR/leak.deltas | xargs
}
# The VFS caches are reported, not asserted: shmem_inode_cache (and the
# LSM blob of each inode) grew by about 2 per round in some clean runs
# with no file more on any tmpfs or devtmpfs, not yet explained (vvp
# allocates no inode of its own; kernfs_node_cache stays flat)
VFS='^slab:(shmem_inode_cache|lsm_inode_cache|inode_cache|proc_inode_cache|dentry|radix_tree_node)$'
vfs=$(steady "$VFS")
[ -z "$vfs" ] || echo "VVPTEST: # leak: VFS caches grown steadily (not asserted): $vfs"
grown=$(steady '^slab:' | tr ' ' '\n' | paste -d' ' - - - | grep -vE "${VFS%\$}( |$)" | xargs)
assert_eq "no slab cache grew steadily over $N rounds (>= $N objects, >= $(( (N + 3) / 4 )) in each half, halves within 2x; VFS caches apart)" "$grown" ""
maxd=$(grep '^slab:' $T_DIR/leak.deltas | sort -k4 -n | tail -1 | awk '{ print $1 " " $4 }')
echo "VVPTEST: # leak: largest growth of a slab cache over $N rounds: ${maxd#slab:}"
sum=$(awk '$1 ~ /^slab:/ { s += $4 } END { print s + 0 }' $T_DIR/leak.deltas)
echo "VVPTEST: # leak: objects in use, all caches together, after - before: $sum"
vm() { awk -v k="$1" '$1 == k { print $4 }' $T_DIR/leak.deltas; }
check "vmalloc'd pages grew by fewer than $N ($(( $(vm kB:VmallocUsed) / 4 )))" \
	test $(( $(vm kB:VmallocUsed) / 4 )) -lt "$N"
check "vmalloc areas grew by fewer than $N ($(vm vmalloc:areas))" test "$(vm vmalloc:areas)" -lt "$N"
assert_eq "as many modules loaded as before" "$(vm modules:loaded)" 0
# informational: a process more or less explains slab deltas in the
# process caches (pid, cred, mm_struct, proc inodes), it is no leak
echo "VVPTEST: # leak: user processes after - before: $(vm processes:user)"
if [ -e $KMEMLEAK ]; then
	echo scan >$KMEMLEAK
	assert_eq "kmemleak reports nothing" "$(cat $KMEMLEAK)" ""
else
	echo "VVPTEST: # leak: no kmemleak in this kernel (CONFIG_DEBUG_KMEMLEAK is not set); the slab counts are the evidence"
fi
