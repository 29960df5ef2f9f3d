/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of a writer's exact bytes: its FILE is an open_memstream. (test_json_writer.c and
 * test_prom_writer.c still carry their own copies of this.)
 */
#ifndef DAXTRACE_TEST_OUTPUT_CAPTURE_H
#define DAXTRACE_TEST_OUTPUT_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct output_capture {
	char *buf;
	size_t len;
	FILE *out;
};

static inline void output_capture_open(struct output_capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->out = open_memstream(&c->buf, &c->len);
	assert_non_null(c->out);
}

static inline void output_capture_close(struct output_capture *c)
{
	fclose(c->out);
	free(c->buf);
}

/* Writers leave flushing to the command (flush_output); open_memstream publishes on fflush. */
static inline void output_capture_assert(struct output_capture *c, const char *expected)
{
	assert_int_equal(fflush(c->out), 0);
	assert_non_null(c->buf);
	assert_string_equal(c->buf, expected);
	assert_int_equal(c->len, strlen(expected));
}

#endif /* DAXTRACE_TEST_OUTPUT_CAPTURE_H */
