// SPDX-License-Identifier: GPL-2.0
/*
 * Newline-delimited JSON writer; see json_writer.h. One thread writes a writer's FILE: the
 * unlocked stdio calls save a lock per call, which snoop pays per field.
 */
#include <assert.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "output/json_writer.h"
#include "output/utf8.h"

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	/* printf formats doubles in the thread's locale, which may use a decimal comma */
	locale_t c_numeric;
	unsigned int depth;
	/* per open container: its closing bracket, and whether the next member needs a comma */
	char closer[JSON_MAX_DEPTH];
	bool has_member[JSON_MAX_DEPTH];
	bool after_key;
};

struct json_writer *json_writer_new(FILE *out)
{
	struct json_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (w->c_numeric == (locale_t)0) {
		free(w);
		return NULL;
	}
	w->out = out;
	return w;
}

void json_writer_free(struct json_writer *w)
{
	if (!w)
		return;
	freelocale(w->c_numeric);
	free(w);
}

static bool in_object(const struct json_writer *w)
{
	return w->depth > 0 && w->closer[w->depth - 1] == '}';
}

/* The one place that writes a comma: before every member of a container but its first. */
static void separate_member(struct json_writer *w)
{
	if (w->has_member[w->depth - 1])
		fputc_unlocked(',', w->out);
	w->has_member[w->depth - 1] = true;
}

static void begin_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	assert(!in_object(w));
	/* top-level values are separated by the newline written when they close */
	if (w->depth > 0)
		separate_member(w);
}

static void open_container(struct json_writer *w, char open, char close)
{
	assert(w->depth < JSON_MAX_DEPTH);
	begin_value(w);
	fputc_unlocked(open, w->out);
	w->closer[w->depth] = close;
	w->has_member[w->depth] = false;
	w->depth++;
}

static void close_container(struct json_writer *w, char close)
{
	assert(w->depth > 0 && w->closer[w->depth - 1] == close && !w->after_key);
	w->depth--;
	fputc_unlocked(close, w->out);
	if (w->depth == 0)
		fputc_unlocked('\n', w->out);
}

void json_object_begin(struct json_writer *w)
{
	open_container(w, '{', '}');
}

void json_object_end(struct json_writer *w)
{
	close_container(w, '}');
}

void json_array_begin(struct json_writer *w)
{
	open_container(w, '[', ']');
}

void json_array_end(struct json_writer *w)
{
	close_container(w, ']');
}

/*
 * Runs of characters that need no escape go out with one fwrite: snoop writes a lot of JSON.
 * A byte that is not part of well-formed UTF-8 becomes U+FFFD, so that every parser accepts the
 * document; json_kv_name() keeps the exact bytes next to it.
 */
static void write_escaped(FILE *out, const char *s)
{
	fputc_unlocked('"', out);
	while (*s) {
		size_t run = 0, len;
		unsigned int cp;
		unsigned char c;

		while ((c = s[run]) && c >= 0x20 && c != '"' && c != '\\') {
			if (c < 0x80)
				run++;
			else if ((len = utf8_decode(s + run, &cp)))
				run += len;
			else
				break;
		}
		fwrite_unlocked(s, 1, run, out);
		s += run;
		if (!(c = *s))
			break;
		s++;
		switch (c) {
		case '"':
			fputs_unlocked("\\\"", out);
			break;
		case '\\':
			fputs_unlocked("\\\\", out);
			break;
		case '\b':
			fputs_unlocked("\\b", out);
			break;
		case '\f':
			fputs_unlocked("\\f", out);
			break;
		case '\n':
			fputs_unlocked("\\n", out);
			break;
		case '\r':
			fputs_unlocked("\\r", out);
			break;
		case '\t':
			fputs_unlocked("\\t", out);
			break;
		default:
			if (c >= 0x80)
				fputs_unlocked("\\ufffd", out);
			else
				fprintf(out, "\\u%04x", c);
		}
	}
	fputc_unlocked('"', out);
}

void json_key(struct json_writer *w, const char *key)
{
	assert(in_object(w) && !w->after_key);
	separate_member(w);
	write_escaped(w->out, key);
	fputc_unlocked(':', w->out);
	w->after_key = true;
}

void json_string(struct json_writer *w, const char *s)
{
	if (!s) {
		json_null(w);
		return;
	}
	begin_value(w);
	write_escaped(w->out, s);
}

void json_uint(struct json_writer *w, unsigned long long v)
{
	char digits[24];
	int n = sizeof(digits);

	begin_value(w);
	do {
		digits[--n] = '0' + v % 10;
		v /= 10;
	} while (v);
	fwrite_unlocked(digits + n, 1, sizeof(digits) - n, w->out);
}

void json_int(struct json_writer *w, long long v)
{
	begin_value(w);
	fprintf(w->out, "%lld", v);
}

void json_double(struct json_writer *w, double v)
{
	locale_t saved;

	if (!isfinite(v)) {
		json_null(w);
		return;
	}
	begin_value(w);
	saved = uselocale(w->c_numeric);
	fprintf(w->out, "%.6g", v);
	uselocale(saved);
}

void json_boolean(struct json_writer *w, bool v)
{
	begin_value(w);
	fputs_unlocked(v ? "true" : "false", w->out);
}

void json_null(struct json_writer *w)
{
	begin_value(w);
	fputs_unlocked("null", w->out);
}

void json_kv_string(struct json_writer *w, const char *key, const char *s)
{
	json_key(w, key);
	json_string(w, s);
}

void json_kv_name(struct json_writer *w, const char *key, const char *s)
{
	static const char hex_digits[] = "0123456789abcdef";
	char hex_key[64];

	json_kv_string(w, key, s);
	if (!s || utf8_valid(s))
		return;
	snprintf(hex_key, sizeof(hex_key), "%s_hex", key);
	json_key(w, hex_key);
	begin_value(w);
	fputc_unlocked('"', w->out);
	for (const unsigned char *b = (const unsigned char *)s; *b; b++) {
		fputc_unlocked(hex_digits[*b >> 4], w->out);
		fputc_unlocked(hex_digits[*b & 15], w->out);
	}
	fputc_unlocked('"', w->out);
}

void json_kv_uint(struct json_writer *w, const char *key, unsigned long long v)
{
	json_key(w, key);
	json_uint(w, v);
}

void json_kv_int(struct json_writer *w, const char *key, long long v)
{
	json_key(w, key);
	json_int(w, v);
}

void json_kv_double(struct json_writer *w, const char *key, double v)
{
	json_key(w, key);
	json_double(w, v);
}

void json_kv_bool(struct json_writer *w, const char *key, bool v)
{
	json_key(w, key);
	json_boolean(w, v);
}
