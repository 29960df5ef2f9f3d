/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests' made-up input files: a fresh /tmp file with the given content; the test unlinks it. */
#ifndef DAXTRACE_TEST_TEMP_FILE_H
#define DAXTRACE_TEST_TEMP_FILE_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* path: a buffer of at least sizeof("/tmp/daxtrace-test-XXXXXX") bytes, filled with the name. */
static inline void temp_file_write(char *path, const char *content)
{
	int fd;

	strcpy(path, "/tmp/daxtrace-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), strlen(content));
	close(fd);
}

#endif /* DAXTRACE_TEST_TEMP_FILE_H */
