// SPDX-License-Identifier: GPL-2.0
/*
 * A record file read and checked (record_file.h). json-c parses: it reads unsigned 64-bit
 * integers (json_object_get_uint64), bounds the nesting in its tokener (json_tokener_new_ex)
 * and validates UTF-8; what it does not check, the walk below does.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/record_file.h"
#include "output/text_escape.h"

/* Where in the document a check failed: "runs[0].views.top.total.mkwrite", cut if long. */
struct record_check {
	struct record_error *err;
	const char *name;
	char where[160];
	size_t where_len;
};

static void set_error(struct record_error *err, const char *name, const char *fmt, va_list ap)
{
	char shown_name[128], problem[380];

	text_escape(name, shown_name, sizeof(shown_name), 60);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	snprintf(err->message, sizeof(err->message), "%s: %s", shown_name, problem);
}

static void load_error(struct record_error *err, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void load_error(struct record_error *err, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(err, name, fmt, ap);
	va_end(ap);
}

static bool check_failed(struct record_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "NAME: WHERE: problem"; false, so that checks can `return check_failed(...)`. */
static bool check_failed(struct record_check *c, const char *fmt, ...)
{
	char shown_where[200], problem[256];
	va_list ap;

	text_escape(c->where, shown_where, sizeof(shown_where), 100);
	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	load_error(c->err, c->name, "%s%s%s", shown_where, *shown_where ? ": " : "", problem);
	return false;
}

/* Appends ".key" (or "key" first) or "[index]" to the location; returns the old length. */
static size_t where_push(struct record_check *c, const char *key, size_t index)
{
	size_t old = c->where_len, room = sizeof(c->where) - old;
	int n;

	if (key)
		n = snprintf(c->where + old, room, "%s%s", old ? "." : "", key);
	else
		n = snprintf(c->where + old, room, "[%zu]", index);
	c->where_len = n < 0 || (size_t)n >= room ? sizeof(c->where) - 1 : old + n;
	return old;
}

static void where_pop(struct record_check *c, size_t old)
{
	c->where_len = old;
	c->where[old] = '\0';
}

bool record_key_is_timing(const char *key)
{
	size_t len = strlen(key);

	return (len >= 3 && !strcmp(key + len - 3, "_ns")) ||
	       (len >= 2 && !strcmp(key + len - 2, "_s"));
}

/*
 * A number under "views" (or "wall_s"): finite and >= 0, and a count an integer that json-c
 * did not saturate. key is its object key (an array element's: the array's).
 */
static bool check_view_number(struct record_check *c, const struct json_object *number,
			      const char *key)
{
	double value = json_object_get_double(number);

	if (json_object_get_type(number) == json_type_double) {
		if (!isfinite(value))
			return check_failed(c, "a number out of range");
		if (value < 0)
			return check_failed(c, "a negative number");
		if (!record_key_is_timing(key))
			return check_failed(c, "a count that is not an integer");
		return true;
	}
	if (json_object_get_int64(number) < 0)
		return check_failed(c, "a negative count");
	if (json_object_get_uint64(number) == UINT64_MAX)
		return check_failed(c, "a count of 2^64 - 1 or more");
	return true;
}

static bool check_string(struct record_check *c, const struct json_object *string)
{
	size_t len = json_object_get_string_len(string);

	if (len > RECORD_MAX_STRING)
		return check_failed(c, "a string longer than %d bytes", RECORD_MAX_STRING);
	if (memchr(json_object_get_string((struct json_object *)string), '\0', len))
		return check_failed(c, "a string with a NUL character");
	return true;
}

/* Every member below value (parsed at most RECORD_MAX_DEPTH deep: the recursion is bounded). */
static bool check_value(struct record_check *c, struct json_object *value, const char *key,
			bool in_views)
{
	size_t old;
	bool ok = true;

	switch (json_object_get_type(value)) {
	case json_type_string:
		return check_string(c, value);
	case json_type_int:
	case json_type_double:
		if (!in_views)
			return isfinite(json_object_get_double(value)) ||
			       check_failed(c, "a number out of range");
		return check_view_number(c, value, key);
	case json_type_array:
		for (size_t i = 0; ok && i < json_object_array_length(value); i++) {
			old = where_push(c, NULL, i);
			ok = check_value(c, json_object_array_get_idx(value, i), key, in_views);
			where_pop(c, old);
		}
		return ok;
	case json_type_object: {
		json_object_object_foreach(value, member_key, member)
		{
			if (strlen(member_key) > RECORD_MAX_STRING)
				return check_failed(c, "a key longer than %d bytes",
						    RECORD_MAX_STRING);
			old = where_push(c, member_key, 0);
			ok = check_value(c, member, member_key, in_views);
			where_pop(c, old);
			if (!ok)
				return false;
		}
		return true;
	}
	default: /* null, true, false */
		return true;
	}
}

static bool check_fingerprint(struct record_check *c, const struct json_object *doc)
{
	struct json_object *fingerprint = record_fingerprint(doc), *member;
	uint64_t repeat;

	if (!fingerprint)
		return check_failed(c, "no \"fingerprint\" object");
	if (json_object_object_get_ex(fingerprint, "command", &member)) {
		if (!json_object_is_type(member, json_type_array))
			return check_failed(c, "fingerprint.command is not an array");
		for (size_t i = 0; i < json_object_array_length(member); i++)
			if (!json_object_is_type(json_object_array_get_idx(member, i),
						 json_type_string))
				return check_failed(c, "fingerprint.command[%zu] is not a string",
						    i);
	}
	if (json_object_object_get_ex(fingerprint, "attach", &member)) {
		if (!json_object_is_type(member, json_type_object))
			return check_failed(c, "fingerprint.attach is not an object");
		json_object_object_foreach(member, point, kind)
		{
			if (!json_object_is_type(kind, json_type_string))
				return check_failed(c, "fingerprint.attach member is not a string");
			(void)point;
		}
	}
	if (json_object_object_get_ex(fingerprint, "repeat", NULL) &&
	    !record_u64(fingerprint, "repeat", &repeat))
		return check_failed(c, "fingerprint.repeat is not a count");
	return true;
}

static bool check_run(struct record_check *c, struct json_object *run)
{
	double wall_s;
	size_t old;
	bool ok;

	if (!json_object_is_type(run, json_type_object))
		return check_failed(c, "not an object");
	if (!record_views(run))
		return check_failed(c, "no \"views\" object");
	if (json_object_object_get_ex(run, "wall_s", NULL) &&
	    !record_number(run, "wall_s", &wall_s))
		return check_failed(c, "wall_s is not a number of seconds");
	json_object_object_foreach(run, key, member)
	{
		if (strlen(key) > RECORD_MAX_STRING)
			return check_failed(c, "a key longer than %d bytes", RECORD_MAX_STRING);
		old = where_push(c, key, 0);
		ok = check_value(c, member, key, !strcmp(key, "views"));
		where_pop(c, old);
		if (!ok)
			return false;
	}
	return true;
}

static bool check_runs(struct record_check *c, struct json_object *doc)
{
	struct json_object *runs;
	size_t old;
	bool ok = true;

	if (!json_object_object_get_ex(doc, "runs", &runs) ||
	    !json_object_is_type(runs, json_type_array))
		return check_failed(c, "no \"runs\" array");
	if (!json_object_array_length(runs))
		return check_failed(c, "no runs (\"runs\" is empty)");
	for (size_t i = 0; ok && i < json_object_array_length(runs); i++) {
		old = where_push(c, "runs", 0);
		where_push(c, NULL, i);
		ok = check_run(c, json_object_array_get_idx(runs, i));
		where_pop(c, old);
	}
	return ok;
}

/* "format" first: a newer record is refused for that, whatever else it holds. */
static bool check_format(struct record_check *c, struct json_object *doc)
{
	const char *format = record_string(doc, "format");
	size_t prefix_len = strlen(RECORD_FORMAT_PREFIX);

	if (!format)
		return check_failed(c, "not a daxtrace record (no \"format\")");
	if (!strcmp(format, RECORD_FORMAT))
		return true;
	/* "daxtrace-record/" and a major version: digits only, so the message is plain text */
	if (!strncmp(format, RECORD_FORMAT_PREFIX, prefix_len) && format[prefix_len] &&
	    strspn(format + prefix_len, "0123456789") == strlen(format + prefix_len) &&
	    strlen(format + prefix_len) < 16)
		return check_failed(c, "record format %.40s is newer than this daxtrace reads (%s)",
				    format, RECORD_FORMAT);
	return check_failed(c, "not a daxtrace record (format is not %s)", RECORD_FORMAT);
}

static bool check_record(struct record_check *c, struct json_object *doc)
{
	size_t old;

	if (!check_format(c, doc) || !check_fingerprint(c, doc) || !check_runs(c, doc))
		return false;
	json_object_object_foreach(doc, key, member)
	{
		if (!strcmp(key, "runs"))
			continue; /* checked run by run */
		if (strlen(key) > RECORD_MAX_STRING)
			return check_failed(c, "a key longer than %d bytes", RECORD_MAX_STRING);
		old = where_push(c, key, 0);
		if (!check_value(c, member, key, false))
			return false;
		where_pop(c, old);
	}
	return true;
}

static bool only_blanks(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	return true;
}

static struct json_object *parse_json(const char *name, const char *text, size_t len,
				      struct record_error *err)
{
	struct json_tokener *tokener;
	struct json_object *doc;
	enum json_tokener_error parse_error;
	size_t end;

	/* json-c counts the outermost value as a level too */
	tokener = json_tokener_new_ex(RECORD_MAX_DEPTH + 1);
	if (!tokener) {
		err->out_of_memory = true;
		load_error(err, name, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tokener, text, (int)len);
	parse_error = json_tokener_get_error(tokener);
	end = json_tokener_get_parse_end(tokener);
	json_tokener_free(tokener);
	if (parse_error == json_tokener_continue)
		load_error(err, name, "truncated JSON at byte %zu", len);
	else if (parse_error == json_tokener_error_depth)
		load_error(err, name, "nesting deeper than %d", RECORD_MAX_DEPTH);
	else if (parse_error != json_tokener_success)
		load_error(err, name, "corrupt JSON at byte %zu: %s", end,
			   json_tokener_error_desc(parse_error));
	else if (!only_blanks(text + end, len - end))
		load_error(err, name, "trailing data after the JSON document at byte %zu", end);
	else
		return doc;
	json_object_put(doc);
	return NULL;
}

struct json_object *record_parse(const char *name, const char *text, size_t len,
				 struct record_error *err)
{
	struct record_check check = { .err = err, .name = name };
	struct json_object *doc;
	size_t start = 0;

	memset(err, 0, sizeof(*err));
	if (len > RECORD_MAX_BYTES) {
		load_error(err, name, "larger than %u MiB, the most a record may be",
			   RECORD_MAX_BYTES >> 20);
		return NULL;
	}
	while (start < len && strchr(" \t\r\n", text[start]) && text[start])
		start++;
	if (start == len) {
		load_error(err, name, "empty: not a daxtrace record");
		return NULL;
	}
	if (text[start] != '{') {
		load_error(err, name, "not a daxtrace record (not a JSON object)");
		return NULL;
	}
	doc = parse_json(name, text, len, err);
	if (doc && !check_record(&check, doc)) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

/* The whole file, up to one byte more than a record may be; NULL with err filled. */
static char *read_file(FILE *in, const char *name, size_t *len, struct record_error *err)
{
	size_t size = 0, capacity = 0, got;
	char *text = NULL, *bigger;

	do {
		if (size == capacity) {
			capacity = capacity ? 2 * capacity : 64 << 10;
			if (capacity > RECORD_MAX_BYTES + 1)
				capacity = RECORD_MAX_BYTES + 1;
			bigger = realloc(text, capacity);
			if (!bigger) {
				err->out_of_memory = true;
				load_error(err, name, "out of memory reading it");
				free(text);
				return NULL;
			}
			text = bigger;
		}
		got = fread(text + size, 1, capacity - size, in);
		size += got;
	} while (got && size <= RECORD_MAX_BYTES);
	if (ferror(in)) {
		load_error(err, name, "%s", strerror(errno ? errno : EIO));
		free(text);
		return NULL;
	}
	*len = size;
	return text;
}

struct json_object *record_load(const char *path, struct record_error *err)
{
	bool from_stdin = !strcmp(path, "-");
	const char *name = from_stdin ? "stdin" : path;
	struct json_object *doc = NULL;
	FILE *in = from_stdin ? stdin : fopen(path, "r");
	char *text;
	size_t len;

	memset(err, 0, sizeof(*err));
	if (!in) {
		load_error(err, name, "%s", strerror(errno));
		return NULL;
	}
	errno = 0;
	text = read_file(in, name, &len, err);
	if (!from_stdin)
		fclose(in);
	if (text)
		doc = record_parse(name, text, len, err);
	free(text);
	return doc;
}

void record_free(struct json_object *doc)
{
	json_object_put(doc);
}

static struct json_object *member_of_type(const struct json_object *obj, const char *key,
					  enum json_type type)
{
	struct json_object *member;

	if (!obj || !json_object_object_get_ex(obj, key, &member) ||
	    !json_object_is_type(member, type))
		return NULL;
	return member;
}

struct json_object *record_object(const struct json_object *obj, const char *key)
{
	return member_of_type(obj, key, json_type_object);
}

const char *record_string(const struct json_object *obj, const char *key)
{
	struct json_object *member = member_of_type(obj, key, json_type_string);

	return member ? json_object_get_string(member) : NULL;
}

bool record_u64(const struct json_object *obj, const char *key, uint64_t *value)
{
	struct json_object *member = member_of_type(obj, key, json_type_int);

	if (!member || json_object_get_int64(member) < 0 ||
	    json_object_get_uint64(member) == UINT64_MAX)
		return false;
	*value = json_object_get_uint64(member);
	return true;
}

bool record_number(const struct json_object *obj, const char *key, double *value)
{
	struct json_object *member;
	double number;

	if (!obj || !json_object_object_get_ex(obj, key, &member) ||
	    !(json_object_is_type(member, json_type_int) ||
	      json_object_is_type(member, json_type_double)))
		return false;
	number = json_object_get_double(member);
	if (!isfinite(number) || number < 0 || json_object_get_int64(member) < 0)
		return false;
	*value = number;
	return true;
}

struct json_object *record_fingerprint(const struct json_object *doc)
{
	return record_object(doc, "fingerprint");
}

size_t record_nr_runs(const struct json_object *doc)
{
	struct json_object *runs;

	if (!json_object_object_get_ex(doc, "runs", &runs) ||
	    !json_object_is_type(runs, json_type_array))
		return 0;
	return json_object_array_length(runs);
}

struct json_object *record_run(const struct json_object *doc, size_t i)
{
	struct json_object *runs;

	if (!json_object_object_get_ex(doc, "runs", &runs) || i >= record_nr_runs(doc))
		return NULL;
	return json_object_array_get_idx(runs, i);
}

struct json_object *record_views(const struct json_object *run)
{
	return record_object(run, "views");
}
