/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzz targets' input as a stream, for the parsers that read a FILE* (fmemopen). */
#ifndef DAXTRACE_FUZZ_INPUT_H
#define DAXTRACE_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Read-only, so the cast is safe; NULL for an empty input, which fmemopen refuses. */
static inline FILE *fuzz_input_open(const uint8_t *data, size_t size)
{
	return size ? fmemopen((void *)data, size, "r") : NULL;
}

/* A broken invariant: abort, which libFuzzer reports as a crash with the input saved. */
#define fuzz_check(cond)                                                                      \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "%s:%d: fuzz_check(%s) failed\n", __FILE__, __LINE__, \
				#cond);                                                       \
			abort();                                                              \
		}                                                                             \
	} while (0)

#endif /* DAXTRACE_FUZZ_INPUT_H */
