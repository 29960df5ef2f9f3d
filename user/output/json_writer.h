/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming writer of newline-delimited JSON: each top-level object is one compact line. Commas
 * and string escaping live here and nowhere else. Every string it writes is valid UTF-8.
 *
 * It does not flush: the command does, with flush_output() (engine/report_error.h) after each
 * report or batch of records, so that a write error is seen, with its errno, in one place.
 *
 * Misuse (a key outside an object, a value in an object without its key, an unbalanced end,
 * nesting deeper than 16) is a bug in the caller and trips an assert.
 */
#ifndef DAXTRACE_JSON_WRITER_H
#define DAXTRACE_JSON_WRITER_H

#include <stdbool.h>
#include <stdio.h>

struct json_writer;

/* NULL when out of memory. The writer does not own out: json_writer_free() leaves it open. */
struct json_writer *json_writer_new(FILE *out);
void json_writer_free(struct json_writer *w);

void json_object_begin(struct json_writer *w);
/* Closing the outermost object (or array) also writes '\n'. */
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);

void json_key(struct json_writer *w, const char *key);
/*
 * NULL writes null. Well-formed UTF-8 passes through as it is; a byte that is not part of it is
 * written as U+FFFD (the Unicode replacement character), so strict parsers accept the document.
 */
void json_string(struct json_writer *w, const char *s);
void json_uint(struct json_writer *w, unsigned long long v);
void json_int(struct json_writer *w, long long v);
/* "%.6g" with a '.' whatever the locale; NaN and infinities, which JSON lacks, write null. */
void json_double(struct json_writer *w, double v);
void json_boolean(struct json_writer *w, bool v); /* not json_bool: json-c's type */
void json_null(struct json_writer *w);

void json_kv_string(struct json_writer *w, const char *key, const char *s);
/*
 * A name the kernel gave us as bytes (a path, a comm): key as json_kv_string writes it and,
 * only when those bytes are not valid UTF-8, key + "_hex" with every byte exactly, in lowercase
 * hex, so that the file can still be named: {"path":"/mnt/a\ufffd","path_hex":"2f6d6e742f61ff"}.
 */
void json_kv_name(struct json_writer *w, const char *key, const char *s);
void json_kv_uint(struct json_writer *w, const char *key, unsigned long long v);
void json_kv_int(struct json_writer *w, const char *key, long long v);
void json_kv_double(struct json_writer *w, const char *key, double v);
void json_kv_bool(struct json_writer *w, const char *key, bool v);

#endif /* DAXTRACE_JSON_WRITER_H */
