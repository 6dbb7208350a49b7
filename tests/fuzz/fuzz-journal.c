// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The journal of an apply (<run dir>/<PF>.journal, journal.c): what
 * vvp_pf_recover() reads back after a crash, through journal_parse(),
 * which journal_read() calls on the open file. Besides not crashing: a
 * refusal says why, on one line; what is accepted, written out again as
 * journal_write() writes it, reads back to the same journal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"
#include "fuzz.h"

/* s as journal_write() writes it, in a malloc'ed string */
static char *print(const struct snapshot *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	journal_print(f, s);
	if (fclose(f) != 0)
		abort();
	return text;
}

static int parse(const void *data, size_t size, struct snapshot *s,
		 char *why, size_t len)
{
	FILE *f = fmemopen((void *)data, size, "r");
	int rc;

	if (!f)
		abort();
	rc = journal_parse(f, s, why, len);
	fclose(f);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot s, again;
	char why[200] = "", *text, *text2;

	/* fmemopen() wants a buffer; an empty journal is refused anyway */
	if (size == 0)
		return 0;
	if (parse(data, size, &s, why, sizeof(why)) < 0) {
		if (!why[0] || strchr(why, '\n'))
			abort();
		return 0;
	}
	text = print(&s);
	if (parse(text, strlen(text), &again, why, sizeof(why)) < 0)
		abort();
	text2 = print(&again);
	if (strcmp(text, text2))
		abort();
	free(text2);
	free(text);
	snapshot_free(&again);
	snapshot_free(&s);
	return 0;
}
