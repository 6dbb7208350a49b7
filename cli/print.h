/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One print path for text and JSON, after iproute2's json_print: each
 * value is printed once with a key (JSON) and a format (text). In JSON
 * mode the values build a json-c tree that print_end() writes out.
 */
#ifndef _VVPCTL_PRINT_H_
#define _VVPCTL_PRINT_H_

#include <stdbool.h>

enum output_type {
	PRINT_FP = 1,	/* text only */
	PRINT_JSON = 2,	/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void print_init(bool json, bool pretty);
bool print_is_json(void);
/*
 * Write the JSON document, if any. A failed write is not returned: it
 * stays in ferror(stdout), which main() checks once at the end.
 */
void print_end(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_int(enum output_type t, const char *key, const char *fmt,
	       long long value);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
/* unsigned 64-bit (feature masks): a JSON number, fmt gets unsigned long long */
void print_u64(enum output_type t, const char *key, const char *fmt,
	       unsigned long long value);
/* hex ids: "0x1b36" in JSON */
void print_hex(enum output_type t, const char *key, const char *fmt,
	       unsigned int value);
/* text only */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_nl(void);

#endif
