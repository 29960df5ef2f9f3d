/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a daxtrace record (docs/daxtrace-record.5): one JSON document written by `daxtrace
 * record`, read back by `daxtrace report` and `daxtrace diff`. A record is outside input (it
 * travels between machines, and its file names are anyone's), so the loader bounds what it
 * takes and checks what its readers rely on; after record_load() succeeds they may use the
 * accessors below without checking types again:
 *
 *   - the file: at most RECORD_MAX_BYTES, one JSON object, nothing but blanks after it,
 *     nesting at most RECORD_MAX_DEPTH deep (json-c's tokener stops deeper input);
 *   - "format" is RECORD_FORMAT; another "daxtrace-record/N" is refused as newer (a reader
 *     refuses a newer major format; a minor addition keeps the name, and readers ignore the
 *     members they do not know);
 *   - "fingerprint" is an object; its "command" (if any) an array of strings, its "attach" (if
 *     any) an object of strings, its "repeat" (if any) a count;
 *   - "runs" is an array of at least one object, each with a "views" object, and a "wall_s"
 *     (if any) that is a finite number >= 0;
 *   - under "views" every number is finite and >= 0, and a count (any name but those ending in
 *     "_ns" or "_s", the timings) is an integer below 2^64 - 1: json-c saturates a larger one
 *     to 2^64 - 1, so that value is refused too;
 *   - everywhere, a string or a key is at most RECORD_MAX_STRING bytes and holds no NUL.
 *
 * The documents are json-c's (struct json_object); free one with record_free().
 */
#ifndef DAXTRACE_RECORD_FILE_H
#define DAXTRACE_RECORD_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define RECORD_FORMAT "daxtrace-record/1"
#define RECORD_FORMAT_PREFIX "daxtrace-record/"
/* A record of 20,000 files and 3 runs is some 60 MB: room for four times that. */
#define RECORD_MAX_BYTES (256u << 20)
/* A record nests 12 deep (runs, views, mapuse, sites, stacks, frames). */
#define RECORD_MAX_DEPTH 32
/* PATH_MAX: a file's path is the longest string a record holds. */
#define RECORD_MAX_STRING 4096

/* Why a load failed: one line naming the file, and whether it was memory, not the file. */
struct record_error {
	char message[512];
	bool out_of_memory;
};

/*
 * The record in the file at path ("-": standard input, named "stdin" in messages), checked as
 * above; NULL with err filled ("a.json: truncated JSON at byte 1234") when it cannot be read or
 * is not a record this daxtrace reads.
 */
struct json_object *record_load(const char *path, struct record_error *err);

/* The same from text[0..len), named name in messages (the fuzz target's entry). */
struct json_object *record_parse(const char *name, const char *text, size_t len,
				 struct record_error *err);

void record_free(struct json_object *doc);

/* obj's member key when it is an object, else NULL. obj may be NULL. */
struct json_object *record_object(const struct json_object *obj, const char *key);

/* obj's member key when it is a string, else NULL. */
const char *record_string(const struct json_object *obj, const char *key);

/* obj's member key when it is an integer in [0, 2^64 - 1): true and *value. */
bool record_u64(const struct json_object *obj, const char *key, uint64_t *value);

/* obj's member key when it is a finite number >= 0 (integer or not): true and *value. */
bool record_number(const struct json_object *obj, const char *key, double *value);

/* The checked parts of a loaded record. */
struct json_object *record_fingerprint(const struct json_object *doc);
size_t record_nr_runs(const struct json_object *doc);
/* Run i (0 <= i < record_nr_runs), in the record's order. */
struct json_object *record_run(const struct json_object *doc, size_t i);
struct json_object *record_views(const struct json_object *run);

/* Whether a number named key (its last object key) is a timing: it ends in "_ns" or "_s". */
bool record_key_is_timing(const char *key);

#endif /* DAXTRACE_RECORD_FILE_H */
