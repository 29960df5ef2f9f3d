// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/grow_array.h"
#include "engine/record_file.h"
#include "engine/record_metrics.h"

/* A walk's state: the name so far, and the metrics found. */
struct metrics_walk {
	char *name;
	size_t len, size;
	struct grow_array found; /* struct record_metric */
};

static bool needs_quotes(const char *key)
{
	return !*key || strpbrk(key, ". \"\\");
}

/*
 * Not the JSON writer's escaping: that one writes a byte that is not UTF-8 as U+FFFD, which
 * would give two files the same metric name. Here every byte but '"', '\' and the control
 * characters stays as it is, so names stay as distinct as the keys; renderers escape them for
 * the terminal.
 */
static size_t quoted_len(const char *key)
{
	size_t len = 2;

	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		len += *c == '"' || *c == '\\' ? 2 : *c < 0x20 ? 6 : 1;
	return len;
}

static char *write_quoted(char *out, const char *key)
{
	*out++ = '"';
	for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
		if (*c == '"' || *c == '\\') {
			*out++ = '\\';
			*out++ = *c;
		} else if (*c < 0x20) {
			out += sprintf(out, "\\u%04x", *c);
		} else {
			*out++ = *c;
		}
	}
	*out++ = '"';
	return out;
}

int record_name_append(char **name, size_t *len, size_t *size, const char *key)
{
	bool quoted = needs_quotes(key);
	size_t part = (*len ? 1 : 0) + (quoted ? quoted_len(key) : strlen(key));
	size_t want = *len + part + 1, bigger = *size ? *size : 64;
	char *grown, *out;

	if (want > *size) {
		while (bigger < want)
			bigger *= 2;
		grown = realloc(*name, bigger);
		if (!grown)
			return -ENOMEM;
		*name = grown;
		*size = bigger;
	}
	out = *name + *len;
	if (*len)
		*out++ = '.';
	if (quoted)
		out = write_quoted(out, key);
	else
		out = stpcpy(out, key);
	*out = '\0';
	*len = out - *name;
	return 0;
}

static int add_metric(struct metrics_walk *walk, const struct json_object *number, const char *key)
{
	struct record_metric *metric;
	char *name = strdup(walk->name);

	if (!name)
		return -ENOMEM;
	metric = grow_array_push(&walk->found);
	if (!metric) {
		free(name);
		return -ENOMEM;
	}
	metric->name = name;
	metric->value = json_object_get_double(number);
	metric->integer = json_object_is_type(number, json_type_int);
	metric->count = metric->integer ? json_object_get_uint64(number) : 0;
	metric->timing = record_key_is_timing(key);
	return 0;
}

/* The number leaves below obj (an object; arrays and other values are not metrics). */
static int walk_object(struct metrics_walk *walk, const struct json_object *obj)
{
	size_t old_len = walk->len;
	int err = 0;

	json_object_object_foreach((struct json_object *)obj, key, member)
	{
		if (record_name_append(&walk->name, &walk->len, &walk->size, key))
			return -ENOMEM;
		if (json_object_is_type(member, json_type_object))
			err = walk_object(walk, member);
		else if (json_object_is_type(member, json_type_int) ||
			 json_object_is_type(member, json_type_double))
			err = add_metric(walk, member, key);
		walk->len = old_len;
		walk->name[old_len] = '\0';
		if (err)
			return err;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct record_metric *)a)->name,
		      ((const struct record_metric *)b)->name);
}

void record_metrics_free(struct record_metrics *metrics)
{
	for (size_t i = 0; i < metrics->nr; i++)
		free(metrics->items[i].name);
	free(metrics->items);
	metrics->items = NULL;
	metrics->nr = 0;
}

int record_metrics_of_run(const struct json_object *run, struct record_metrics *metrics)
{
	struct metrics_walk walk = { .found = GROW_ARRAY_INIT(struct record_metric) };
	struct json_object *views = record_views(run), *wall_s;
	int err = 0, nr;

	metrics->items = NULL;
	metrics->nr = 0;
	if (views)
		err = walk_object(&walk, views);
	/* a view named "wall_s" (not one the spec has) would give the name twice: it wins */
	if (!err && json_object_object_get_ex(run, "wall_s", &wall_s) &&
	    !(views && json_object_object_get_ex(views, "wall_s", NULL)) &&
	    (json_object_is_type(wall_s, json_type_int) ||
	     json_object_is_type(wall_s, json_type_double))) {
		err = record_name_append(&walk.name, &walk.len, &walk.size, "wall_s");
		if (!err)
			err = add_metric(&walk, wall_s, "wall_s");
	}
	free(walk.name);
	metrics->items = grow_array_take(&walk.found, &nr);
	metrics->nr = nr;
	if (err) {
		record_metrics_free(metrics);
		return err;
	}
	if (metrics->nr)
		qsort(metrics->items, metrics->nr, sizeof(*metrics->items), by_name);
	return 0;
}

bool record_metric_matches(const char *name, const char *glob)
{
	bool quoted = false;

	if (!fnmatch(glob, name, 0))
		return true;
	for (const char *c = name; *c; c++) {
		if (quoted && *c == '\\' && c[1])
			c++;
		else if (*c == '"')
			quoted = !quoted;
		else if (!quoted && *c == '.' && !fnmatch(glob, c + 1, 0))
			return true;
	}
	return false;
}
