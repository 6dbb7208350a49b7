# SPDX-License-Identifier: GPL-2.0-or-later
#
# What the vvpctl shell tests share: TAP-style reporting and the generated
# sysfs trees (tests/sysfs/mktree). Sourced after MKTREE and TMP are set.

fails=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

# tree NAME MKTREE-ARGS...: make $TMP/NAME, export its roots
tree() {
	local name=$1 out
	shift
	out=$("$MKTREE" "$TMP/$name" "$@") || { echo "mktree $* failed"; exit 1; }
	eval "export $(echo "$out" | tr '\n' ' ')"
}

# everything in the tree, links included: to show nothing was written
snapshot() {
	(cd "$VVP_SYSFS_ROOT/.." && find . -printf '%p %l\n' | LC_ALL=C sort &&
	 find . -type f -perm -u=r -exec cat {} +) | md5sum
}
