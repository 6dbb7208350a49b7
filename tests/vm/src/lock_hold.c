// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lock_hold LOCKFILE PURPOSE - take a vvp PF lock (flock(2) on LOCKFILE,
 * "<pid> <purpose>" written into it as libvvp's vvp_pf_lock() does), print
 * READY, and hold it until stdin reaches end of file. Used by the VM tests
 * to make helpers queue on a PF's lock deterministically, with a holder
 * that is not one of the commands that create VFs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/file.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[128], buf[64];
	int fd, n;

	if (argc != 3) {
		fprintf(stderr, "usage: lock_hold LOCKFILE PURPOSE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		fprintf(stderr, "lock_hold: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	n = snprintf(line, sizeof(line), "%d %.64s\n", (int)getpid(), argv[2]);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, line, n, 0) != n) {
		fprintf(stderr, "lock_hold: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("READY\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	if (ftruncate(fd, 0) < 0)
		return 1;
	return 0;
}
