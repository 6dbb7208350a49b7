/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every harness in tests/fuzz/ defines: libFuzzer's entry point.
 * Built with clang -fsanitize=fuzzer (make fuzz) libFuzzer drives it;
 * built with the project's compiler and standalone.c (make check) it
 * replays the seed corpus and every input that once crashed.
 */
#ifndef _VVP_FUZZ_H_
#define _VVP_FUZZ_H_

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a NUL-terminated copy of the input (the parsers take strings) */
char *fuzz_strndup(const uint8_t *data, size_t size);

#endif
