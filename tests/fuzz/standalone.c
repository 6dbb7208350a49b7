// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A main() for a harness without libFuzzer: runs each input file given,
 * or, without arguments (make check), every file under
 * $srcdir/tests/fuzz/corpus/NAME and $srcdir/tests/fuzz/regress/NAME,
 * NAME being the program's name without "fuzz-". A crash is the failure;
 * ASan and UBSan (./configure --enable-sanitizers) or valgrind see what
 * a plain build would not.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* the inputs are small: libFuzzer's -max_len for make fuzz is 4096 */
#define INPUT_MAX_BYTES (2 * 1024 * 1024)

static int run_file(const char *path)
{
	uint8_t *buf = malloc(INPUT_MAX_BYTES), *copy;
	size_t n;
	FILE *f;

	if (!buf)
		return -ENOMEM;
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s (%s)\n", path, strerror(errno));
		free(buf);
		return -errno;
	}
	n = fread(buf, 1, INPUT_MAX_BYTES, f);
	fclose(f);
	/* an exact-size copy, so that ASan sees a read past its end */
	copy = malloc(n ? n : 1);
	if (copy)
		LLVMFuzzerTestOneInput(memcpy(copy, buf, n), n);
	free(copy);
	free(buf);
	return copy ? 0 : -ENOMEM;
}

static int filter(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* every file in dir, in name order: the count, or -errno */
static int run_dir(const char *dir)
{
	struct dirent **names;
	char path[4096];
	int n, rc = 0, done = 0;

	n = scandir(dir, &names, filter, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (rc == 0)
			rc = run_file(path);
		done++;
		free(names[i]);
	}
	free(names);
	return rc < 0 ? rc : done;
}

static int run_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return run_dir(path);
	return run_file(path) < 0 ? -1 : 1;
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir"), *name = strrchr(argv[0], '/');
	char dir[4096];
	int total = 0, rc;
	/* a harness may point stdout elsewhere (fuzz-args: at /dev/null) */
	FILE *out = fdopen(dup(1), "w");

	if (!out)
		return 1;

	name = name ? name + 1 : argv[0];
	/* libtool runs lt-fuzz-NAME */
	if (strncmp(name, "lt-", 3) == 0)
		name += 3;
	if (strncmp(name, "fuzz-", 5) == 0)
		name += 5;
	for (int i = 1; i < argc; i++) {
		rc = run_path(argv[i]);
		if (rc < 0)
			return 1;
		total += rc;
	}
	if (argc == 1) {
		static const char *const kinds[] = { "corpus", "regress" };

		for (int k = 0; k < 2; k++) {
			snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s/%s",
				 srcdir ? srcdir : ".", kinds[k], name);
			rc = run_dir(dir);
			if (rc < 0) {
				fprintf(stderr, "cannot read %s (%s)\n", dir,
					strerror(-rc));
				return 1;
			}
			fprintf(out, "%s: %d inputs from %s\n", name, rc, dir);
			total += rc;
		}
		if (total == 0) {
			fprintf(stderr, "no inputs for %s under %s/tests/fuzz\n",
				name, srcdir ? srcdir : ".");
			return 1;
		}
	}
	fprintf(out, "%s: %d inputs, no crash\n", name, total);
	fclose(out);
	return 0;
}
