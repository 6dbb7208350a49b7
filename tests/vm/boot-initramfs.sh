# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by run.sh for profile boot: the initramfs of the other profiles
# plus a second cpio archive (the kernel unpacks both, the second over the
# first) that makes Debian's own systemd 252 PID 1 (rdinit=) with vvp
# installed as a package would: vvp-apply.service enabled, 80-vvp.rules,
# modules-load.d, /etc/vvp/vvp.conf. Test fixtures (tests/vm/boot/): a
# stand-in for the owner's driver (the sim attached before the apply), a
# libvirtd.service stub recording the VFs when it starts, and the unit
# that runs the scenarios after multi-user.target and powers off.
# Sets BOOT_INITRD. See "boot profile" in tests/vm/README.md.

BOOT_INITRD=$VMDIR/initrd-boot-$KVER.cpio.gz
BOOT_I=$VMDIR/initramfs-boot
SYSTEMD_LIB=/lib/systemd
# the units PID 1 needs for this boot and no more: udevd and its sockets,
# coldplug, modules-load, a volatile journald, the targets they hang from,
# driverctl's template (its 05-driverctl.rules asks systemd for it)
BOOT_UNITS="systemd-udevd.service systemd-udevd-control.socket
	systemd-udevd-kernel.socket systemd-udev-trigger.service
	systemd-modules-load.service systemd-journald.service
	systemd-journald.socket systemd-journald-dev-log.socket
	sysinit.target basic.target sockets.target multi-user.target
	local-fs.target local-fs-pre.target swap.target paths.target
	timers.target slices.target shutdown.target driverctl@.service"

boot_overlay() {
	local I=$BOOT_I u d l B=$SRCDIR/tests/vm/boot U=$BOOT_I/usr/lib/systemd/system
	rm -rf "$I"
	mkdir -p "$I"/usr/{bin,sbin,lib/systemd} "$I"/etc/{modules-load.d,vvp,systemd/system} "$U"
	copy_bin $SYSTEMD_LIB/systemd $SYSTEMD_LIB/systemd-modules-load \
		$SYSTEMD_LIB/systemd-journald /usr/bin/systemctl /usr/bin/journalctl \
		/usr/bin/systemd-escape
	for u in $BOOT_UNITS; do cp "/lib/systemd/system/$u" "$U/"; done
	# the distribution's .wants links between the units above
	for d in /lib/systemd/system/*.target.wants; do
		[ -e "$U/$(basename "$d" .wants)" ] || continue
		for l in "$d"/*; do
			[ -e "$U/${l##*/}" ] || continue
			mkdir -p "$U/${d##*/}"
			cp -P "$l" "$U/${d##*/}/"
		done
	done
	ln -s multi-user.target "$U/default.target"
	# vvp as make install puts it (the stage), enabled as a package does
	cp -a "$STAGE/." "$I/"
	cp "$B"/*.service "$I/etc/systemd/system/"
	systemctl --root="$I" --quiet enable vvp-apply.service libvirtd.service \
		vvptest-sim-owner.service vvptest-boot.service
	install -m644 "$B/modules-load.conf" "$I/etc/modules-load.d/vvp.conf"
	install -m644 "$B/vvp.conf" "$I/etc/vvp/vvp.conf"
	install -m755 "$B/libvirtd-stub" "$B/boot-run" "$I/usr/sbin/"
	# a fixed machine-id: not a first boot; journald's /run/log/journal/ID
	echo 5f1d0e2c7a9b4c3e8d6f0a1b2c3d4e5f >"$I/etc/machine-id"
	cp /etc/os-release "$I/etc/"
}

boot_initramfs() {
	local hash
	hash=$( (cat "$INITRD.hash"; cd "$SRCDIR" && cat tests/vm/boot-initramfs.sh tests/vm/boot/*;
		ls -l $SYSTEMD_LIB/systemd) | sha256sum | cut -d' ' -f1)
	if [ -e "$BOOT_INITRD" ] && [ "$(cat "$BOOT_INITRD.hash" 2>/dev/null)" = "$hash" ]; then
		note "boot initramfs unchanged (inputs hash ${hash:0:12})"
		return 0
	fi
	boot_overlay
	(cd "$BOOT_I" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) |
		cat "$INITRD" - >"$BOOT_INITRD.tmp"
	mv "$BOOT_INITRD.tmp" "$BOOT_INITRD"
	echo "$hash" >"$BOOT_INITRD.hash"
	note "boot initramfs $(du -h "$BOOT_INITRD" | cut -f1) (systemd overlay $(du -sh "$BOOT_I" | cut -f1))"
}
boot_initramfs
