#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The collection's own tests, without a VM: the unit tests (pytest, with
# tests/unit/fake_vvpctl.py as vvpctl) and ansible-test sanity. Both want
# the collection at ansible_collections/vvp/sriov, so they run on a copy
# of it in a temporary directory.
#
#   tests/ansible/check.sh [--units] [--sanity]   (default: both)
#
# Needs Debian's ansible-core (it ships ansible-test) and python3-pytest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../contrib/ansible" && pwd)
units='' sanity=''
for a in "$@"; do
	case "$a" in
	--units) units=1 ;;
	--sanity) sanity=1 ;;
	*) echo "Error: unknown option '$a' (--units, --sanity)" >&2; exit 2 ;;
	esac
done
[ -n "$units$sanity" ] || units=1 sanity=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vvp-ansible.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
coll=$tmp/ansible_collections/vvp/sriov
mkdir -p "$coll"
(cd "$src" && tar --exclude=tests/output --exclude=__pycache__ \
	--exclude=.pytest_cache -cf - .) | tar -C "$coll" -xf -

rc=0
if [ -n "$units" ]; then
	echo "== unit tests"
	(cd "$coll" && PYTHONPATH=$tmp /usr/bin/python3 -m pytest -q -p no:cacheprovider \
		tests/unit) || rc=1
fi
if [ -n "$sanity" ]; then
	echo "== ansible-test sanity"
	# ansible-test wants a git tree or explicit files: give it a repo
	# its virtual environments in a HOME of their own, made from the
	# system's packages (see ansible-test-offline.py)
	(cd "$coll" && git init -q && git add -A &&
	 HOME=$tmp/home /usr/bin/python3 "$here/ansible-test-offline.py" sanity \
		--python "$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
		--color no ${VVP_SANITY_ARGS:+$VVP_SANITY_ARGS}) || rc=1
fi
exit $rc
