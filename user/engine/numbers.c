// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/numbers.h"

bool parse_uint(const char *text, unsigned long long max, unsigned long long *value)
{
	char *end;

	/* strtoull would skip blanks and negate a '-' on its own: digits only, from the start. */
	if (!text || !isdigit((unsigned char)*text))
		return false;
	errno = 0;
	*value = strtoull(text, &end, 10);
	return !errno && !*end && *value <= max;
}

bool parse_seconds(const char *text, double *value)
{
	char *end;

	if (!text || !*text || isspace((unsigned char)*text))
		return false;
	errno = 0;
	*value = strtod(text, &end);
	return !errno && !*end && isfinite(*value) && *value >= 0.01 && *value <= 86400;
}

/* MAJ:MIN as the kernel's internal dev_t (DT_MKDEV). */
bool parse_dev(const char *text, unsigned int *dev)
{
	unsigned long long major, minor;
	char copy[32], *colon;

	if (!text || strlen(text) >= sizeof(copy))
		return false;
	strcpy(copy, text);
	colon = strchr(copy, ':');
	if (!colon)
		return false;
	*colon = '\0';
	if (!parse_uint(copy, DT_MAJOR_MAX, &major) ||
	    !parse_uint(colon + 1, DT_MINOR_MASK, &minor))
		return false;
	*dev = DT_MKDEV(major, minor);
	return true;
}
