/* SPDX-License-Identifier: GPL-2.0 */
/* Strict number parsers for outside input: the whole string, in range; false otherwise. */
#ifndef DAXTRACE_NUMBERS_H
#define DAXTRACE_NUMBERS_H

#include <stdbool.h>

/* Decimal digits only: no blanks, no sign, no base prefix. */
bool parse_uint(const char *text, unsigned long long max, unsigned long long *value);
/* Seconds, 0.01 to 86400 (an interval). */
bool parse_seconds(const char *text, double *value);
/* Decimal MAJ:MIN (as mountinfo and -d write them), in range, as the kernel's dev_t. */
bool parse_dev(const char *text, unsigned int *dev);

#endif /* DAXTRACE_NUMBERS_H */
