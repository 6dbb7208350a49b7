// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "print.h"

/* the formats come from the callers, as in iproute2's json_print.c */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#define MAX_DEPTH 16

static struct {
	bool json, pretty;
	int depth;
	json_object *stack[MAX_DEPTH];
	const char *keys[MAX_DEPTH];
	json_object *root;
} out;

void print_init(bool json, bool pretty)
{
	out.json = json;
	out.pretty = pretty;
	out.depth = 0;
	out.root = NULL;
}

bool print_is_json(void)
{
	return out.json;
}

/* Attach v under key to the open object, or append it to the open array. */
static void attach(const char *key, json_object *v)
{
	json_object *top;

	if (!v)
		return;
	if (out.depth == 0) {
		json_object_put(out.root);
		out.root = v;
		return;
	}
	top = out.stack[out.depth - 1];
	if (json_object_is_type(top, json_type_array))
		json_object_array_add(top, v);
	else
		json_object_object_add(top, key, v);
}

static void push(const char *key, json_object *v)
{
	if (!out.json || out.depth == MAX_DEPTH)
		return;
	out.keys[out.depth] = key;
	out.stack[out.depth++] = v;
}

static void pop(void)
{
	json_object *v;

	if (!out.json || out.depth == 0)
		return;
	v = out.stack[--out.depth];
	attach(out.keys[out.depth], v);
}

void open_json_object(const char *key)
{
	if (out.json)
		push(key, json_object_new_object());
}

void close_json_object(void)
{
	pop();
}

void open_json_array(const char *key)
{
	if (out.json)
		push(key, json_object_new_array());
}

void close_json_array(void)
{
	pop();
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (out.json && (t & PRINT_JSON))
		attach(key, json_object_new_string(value ? value : ""));
	else if (!out.json && (t & PRINT_FP))
		printf(fmt, value);
}

void print_int(enum output_type t, const char *key, const char *fmt,
	       long long value)
{
	if (out.json && (t & PRINT_JSON))
		attach(key, json_object_new_int64(value));
	else if (!out.json && (t & PRINT_FP))
		printf(fmt, value);
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       unsigned long long value)
{
	if (out.json && (t & PRINT_JSON))
		attach(key, json_object_new_uint64(value));
	else if (!out.json && (t & PRINT_FP))
		printf(fmt, value);
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (out.json && (t & PRINT_JSON))
		attach(key, json_object_new_boolean(value));
	else if (!out.json && (t & PRINT_FP))
		printf(fmt, value ? "on" : "off");
}

void print_hex(enum output_type t, const char *key, const char *fmt,
	       unsigned int value)
{
	char buf[16];

	if (out.json && (t & PRINT_JSON)) {
		snprintf(buf, sizeof(buf), "0x%04x", value);
		attach(key, json_object_new_string(buf));
	} else if (!out.json && (t & PRINT_FP)) {
		printf(fmt, value);
	}
}

void print_text(const char *fmt, ...)
{
	va_list args;

	if (out.json)
		return;
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
}

void print_nl(void)
{
	if (!out.json)
		putchar('\n');
}

void print_end(void)
{
	int flags = out.pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			       : JSON_C_TO_STRING_PLAIN;

	while (out.depth > 0)
		pop();
	if (out.json && out.root) {
		puts(json_object_to_json_string_ext(out.root,
				flags | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out.root);
		out.root = NULL;
	}
}
