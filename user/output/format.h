/* SPDX-License-Identifier: GPL-2.0 */
/* Small formatters every command's output uses, so they print things the same way. */
#ifndef DAXTRACE_FORMAT_H
#define DAXTRACE_FORMAT_H

#include <stddef.h>
#include <time.h>

/* "MAJ:MIN" of a kernel dev_t (DT_MKDEV in include/daxtrace.h). */
void format_dev(unsigned int dev, char *buf, size_t size);

/* bytes in the largest of G, M, K that divides them ("2M", "1G"), else in bytes ("4097"). */
void format_bytes(unsigned long long bytes, char *buf, size_t size);

/* The current time as ISO 8601 UTC, "2026-11-26T07:51:49Z". */
void format_utc_now(char *buf, size_t size);
/* The same of another moment. */
void format_utc(time_t when, char *buf, size_t size);

#endif /* DAXTRACE_FORMAT_H */
