#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demo: install what is needed, build vvp, boot a real Debian 6.12
# kernel under QEMU with an IOMMU and an SR-IOV PF, and run a narrated
# vvpctl session there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"

vvp_install_deps $vvp_build_pkgs $vvp_vm_pkgs
cd "$top"
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --sysconfdir=/etc
make -j"$(nproc)" >/dev/null
exec tests/vm/run.sh --srcdir "$top" --builddir "$top" --demo
