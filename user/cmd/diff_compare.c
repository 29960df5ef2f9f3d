// SPDX-License-Identifier: GPL-2.0
/*
 * Two records compared metric by metric (daxtrace-diff(8)). A count is evidence on its own: any
 * difference in its median is a change and, unless a threshold allows it, a regression. A
 * timing from one run is not: it is shown when the two sides' ranges over their runs do not
 * overlap, and is a regression only when a --threshold names it and the change exceeds that.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cmd/diff.h"
#include "engine/grow_array.h"
#include "engine/record_file.h"
#include "engine/record_metrics.h"

int diff_parse_threshold(char *text, struct diff_threshold *threshold)
{
	char *equals = strrchr(text, '='), *limit, *end;

	if (!equals || equals == text || !equals[1])
		return -1;
	*equals = '\0';
	limit = equals + 1;
	threshold->glob = text;
	threshold->increase_only = *limit == '+';
	if (*limit == '+')
		limit++;
	if (*limit < '0' || *limit > '9')
		return -1;
	errno = 0;
	threshold->limit = strtod(limit, &end);
	threshold->relative = *end == '%';
	if (threshold->relative)
		end++;
	if (errno || *end || !isfinite(threshold->limit))
		return -1;
	return 0;
}

/* --- each side's value over its runs -------------------------------------------------------- */

struct side_runs {
	struct record_metrics *runs;
	size_t nr_runs;
	size_t *next; /* per run: the first metric not yet taken */
};

static int load_side(const struct json_object *doc, struct side_runs *side)
{
	side->nr_runs = record_nr_runs(doc);
	side->runs = calloc(side->nr_runs, sizeof(*side->runs));
	side->next = calloc(side->nr_runs, sizeof(*side->next));
	if (!side->runs || !side->next)
		return -ENOMEM;
	for (size_t i = 0; i < side->nr_runs; i++)
		if (record_metrics_of_run(record_run(doc, i), &side->runs[i]))
			return -ENOMEM;
	return 0;
}

static void free_side(struct side_runs *side)
{
	for (size_t i = 0; side->runs && i < side->nr_runs; i++)
		record_metrics_free(&side->runs[i]);
	free(side->runs);
	free(side->next);
}

/* The smallest name not yet taken in any run of side, or NULL. */
static const char *next_name(const struct side_runs *side, const char *least)
{
	for (size_t i = 0; i < side->nr_runs; i++) {
		const struct record_metrics *run = &side->runs[i];

		if (side->next[i] < run->nr &&
		    (!least || strcmp(run->items[side->next[i]].name, least) < 0))
			least = run->items[side->next[i]].name;
	}
	return least;
}

static int by_value(const void *a, const void *b)
{
	const struct record_metric *x = *(const struct record_metric *const *)a;
	const struct record_metric *y = *(const struct record_metric *const *)b;

	if (x->integer && y->integer)
		return (x->count > y->count) - (x->count < y->count);
	return (x->value > y->value) - (x->value < y->value);
}

/* Takes metric name from every run of side that has it; values is room for nr_runs. */
static void take_side(struct side_runs *side, const char *name, struct diff_side *out,
		      const struct record_metric **values, bool *timing)
{
	const struct record_metric *median;
	unsigned int n = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < side->nr_runs; i++) {
		const struct record_metrics *run = &side->runs[i];

		if (side->next[i] < run->nr && !strcmp(run->items[side->next[i]].name, name))
			values[n++] = &run->items[side->next[i]++];
	}
	if (!n)
		return;
	qsort(values, n, sizeof(*values), by_value);
	median = values[(n - 1) / 2];
	out->runs = n;
	out->median = median->value;
	out->median_count = median->count;
	out->integer = true;
	for (unsigned int i = 0; i < n; i++)
		out->integer = out->integer && values[i]->integer;
	out->min = values[0]->value;
	out->max = values[n - 1]->value;
	*timing = median->timing;
}

/* --- the verdict per metric ------------------------------------------------------------------ */

static bool matches_any(const char *metric, const char *const *globs, int nr)
{
	for (int i = 0; i < nr; i++)
		if (record_metric_matches(metric, globs[i]))
			return true;
	return false;
}

static const struct diff_threshold *threshold_of(const char *metric, const struct diff_opts *opts)
{
	for (int i = opts->nr_thresholds - 1; i >= 0; i--)
		if (record_metric_matches(metric, opts->thresholds[i].glob))
			return &opts->thresholds[i];
	return NULL;
}

static bool exceeds(const struct diff_threshold *threshold, const struct diff_row *row)
{
	double delta = row->b.median - row->a.median;

	if (threshold->increase_only && delta <= 0)
		return false;
	if (!threshold->relative)
		return fabs(delta) > threshold->limit;
	/* from 0, any change is an infinite relative one */
	return row->a.median == 0 || fabs(delta) / row->a.median * 100 > threshold->limit;
}

static bool medians_differ(const struct diff_row *row)
{
	if (row->a.integer && row->b.integer)
		return row->a.median_count != row->b.median_count;
	return row->a.median != row->b.median;
}

static void judge(struct diff_row *row, const struct diff_opts *opts)
{
	row->threshold = threshold_of(row->metric, opts);
	if (!row->a.runs || !row->b.runs) {
		/* on one side only: no delta to hold against a threshold */
		row->changed = true;
		row->regression = !opts->allow_missing && (!row->timing || row->threshold);
	} else if (row->timing) {
		row->changed = row->a.max < row->b.min || row->b.max < row->a.min;
		row->regression = row->changed && row->threshold && exceeds(row->threshold, row);
	} else {
		row->changed = medians_differ(row);
		row->regression = row->changed && (!row->threshold || exceeds(row->threshold, row));
	}
	if (opts->nr_fail_on && !matches_any(row->metric, opts->fail_on, opts->nr_fail_on))
		row->regression = false;
}

static int compare_metrics(const struct json_object *a, const struct json_object *b,
			   const struct diff_opts *opts, struct diff_result *result)
{
	struct grow_array rows = GROW_ARRAY_INIT(struct diff_row);
	struct side_runs side_a = {}, side_b = {};
	const struct record_metric **values = NULL;
	struct diff_row *row;
	const char *name;
	int err, nr;

	err = load_side(a, &side_a) ?: load_side(b, &side_b);
	if (!err) {
		values = calloc(side_a.nr_runs + side_b.nr_runs, sizeof(*values));
		err = values ? 0 : -ENOMEM;
	}
	while (!err && (name = next_name(&side_b, next_name(&side_a, NULL)))) {
		row = grow_array_push(&rows);
		if (!row || !(row->metric = strdup(name))) {
			err = -ENOMEM;
			break;
		}
		take_side(&side_b, row->metric, &row->b, values, &row->timing);
		take_side(&side_a, row->metric, &row->a, values, &row->timing);
		judge(row, opts);
		if (row->regression)
			result->status = DIFF_EXIT_REGRESSION;
	}
	result->rows = grow_array_take(&rows, &nr);
	result->nr_rows = nr;
	free(values);
	free_side(&side_a);
	free_side(&side_b);
	return err;
}

/* --- the fingerprints ------------------------------------------------------------------------ */

/* name = value, one leaf of a fingerprint; value is the string, or the JSON of anything else. */
struct fingerprint_leaf {
	char *name;
	char *value;
};

struct leaf_walk {
	struct grow_array leaves; /* struct fingerprint_leaf */
	char *name;
	size_t len, size;
};

static int add_leaf(struct leaf_walk *walk, struct json_object *value)
{
	struct fingerprint_leaf *leaf;
	const char *text =
		json_object_is_type(value, json_type_string) ?
			json_object_get_string(value) :
			json_object_to_json_string_ext(
				value, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!text)
		return -ENOMEM;
	leaf = grow_array_push(&walk->leaves);
	if (!leaf)
		return -ENOMEM;
	leaf->name = strdup(walk->name);
	leaf->value = strdup(text);
	/* a leaf half made is freed with the others */
	return leaf->name && leaf->value ? 0 : -ENOMEM;
}

static bool holds_objects(struct json_object *array)
{
	for (size_t i = 0; i < json_object_array_length(array); i++)
		if (json_object_is_type(json_object_array_get_idx(array, i), json_type_object))
			return true;
	return false;
}

/*
 * The leaves below value, named from walk->name: objects by key, arrays of objects by index
 * ("dax_mounts[0].options"), any other array as one leaf ("command").
 */
static int walk_leaves(struct leaf_walk *walk, struct json_object *value)
{
	size_t old_len = walk->len;
	char index[32];
	int err = 0;

	if (json_object_is_type(value, json_type_object)) {
		json_object_object_foreach(value, key, member)
		{
			err = record_name_append(&walk->name, &walk->len, &walk->size, key) ?:
				      walk_leaves(walk, member);
			walk->len = old_len;
			walk->name[old_len] = '\0';
			if (err)
				return err;
		}
		return 0;
	}
	if (!json_object_is_type(value, json_type_array) || !holds_objects(value))
		return add_leaf(walk, value);
	for (size_t i = 0; !err && i < json_object_array_length(value); i++) {
		/* appended as a key, ".[i]", then without its '.' */
		snprintf(index, sizeof(index), "[%zu]", i);
		err = record_name_append(&walk->name, &walk->len, &walk->size, index);
		if (!err && old_len) {
			memmove(walk->name + old_len, walk->name + old_len + 1,
				walk->len - old_len);
			walk->len--;
		}
		err = err ?: walk_leaves(walk, json_object_array_get_idx(value, i));
		walk->len = old_len;
		walk->name[old_len] = '\0';
	}
	return err;
}

static int by_leaf_name(const void *a, const void *b)
{
	return strcmp(((const struct fingerprint_leaf *)a)->name,
		      ((const struct fingerprint_leaf *)b)->name);
}

static struct fingerprint_leaf *leaf_at(const struct leaf_walk *walk, int i)
{
	return i < walk->leaves.nr ? grow_array_at(&walk->leaves, i) : NULL;
}

static void free_leaves(struct leaf_walk *walk)
{
	for (int i = 0; i < walk->leaves.nr; i++) {
		free(leaf_at(walk, i)->name);
		free(leaf_at(walk, i)->value);
	}
	grow_array_free(&walk->leaves);
	free(walk->name);
}

/* The fingerprint and the "daxtrace" object (version, commit, libbpf) as sorted leaves. */
static int fingerprint_leaves(const struct json_object *doc, struct leaf_walk *walk)
{
	struct json_object *daxtrace = record_object(doc, "daxtrace");
	int err = walk_leaves(walk, record_fingerprint(doc));

	if (!err && daxtrace) {
		err = record_name_append(&walk->name, &walk->len, &walk->size, "daxtrace") ?:
			      walk_leaves(walk, daxtrace);
		walk->len = 0;
	}
	if (!err && walk->leaves.nr)
		qsort(walk->leaves.items, walk->leaves.nr, walk->leaves.item_size, by_leaf_name);
	return err;
}

static int add_field(struct diff_result *result, const char *name, const char *a, const char *b)
{
	struct diff_field *field;

	field = realloc(result->fields, (result->nr_fields + 1) * sizeof(*field));
	if (!field)
		return -ENOMEM;
	result->fields = field;
	field = &result->fields[result->nr_fields];
	field->name = strdup(name);
	field->a = a ? strdup(a) : NULL;
	field->b = b ? strdup(b) : NULL;
	result->nr_fields++;
	return field->name && (!a || field->a) && (!b || field->b) ? 0 : -ENOMEM;
}

static int compare_fingerprints(const struct json_object *a, const struct json_object *b,
				struct diff_result *result)
{
	struct leaf_walk leaves_a = { .leaves = GROW_ARRAY_INIT(struct fingerprint_leaf) };
	struct leaf_walk leaves_b = { .leaves = GROW_ARRAY_INIT(struct fingerprint_leaf) };
	int i = 0, j = 0, err, order;

	err = fingerprint_leaves(a, &leaves_a) ?: fingerprint_leaves(b, &leaves_b);
	while (!err && (leaf_at(&leaves_a, i) || leaf_at(&leaves_b, j))) {
		struct fingerprint_leaf *x = leaf_at(&leaves_a, i), *y = leaf_at(&leaves_b, j);

		order = !x ? 1 : !y ? -1 : strcmp(x->name, y->name);
		if (order < 0)
			err = add_field(result, x->name, x->value, NULL);
		else if (order > 0)
			err = add_field(result, y->name, NULL, y->value);
		else if (strcmp(x->value, y->value))
			err = add_field(result, x->name, x->value, y->value);
		i += order <= 0;
		j += order >= 0;
	}
	free_leaves(&leaves_a);
	free_leaves(&leaves_b);
	return err;
}

/* --- what makes two records incomparable ----------------------------------------------------- */

static int add_blocker(struct diff_result *result, const char *fmt, const char *point,
		       const char *kind)
{
	char **blockers = realloc(result->blockers, (result->nr_blockers + 1) * sizeof(char *));

	if (!blockers)
		return -ENOMEM;
	result->blockers = blockers;
	if (asprintf(&blockers[result->nr_blockers], fmt, point, kind) < 0)
		return -ENOMEM;
	result->nr_blockers++;
	return 0;
}

static const char *attach_kind(const struct json_object *doc, const char *point)
{
	const char *kind = record_string(record_object(record_fingerprint(doc), "attach"), point);

	return kind ? kind : "none";
}

/* Points attached (kind other than "none") on one side only, the side named. */
static int one_sided_points(const struct json_object *attached, const struct json_object *other,
			    const char *fmt, struct diff_result *result)
{
	struct json_object *attach = record_object(record_fingerprint(attached), "attach");
	int err = 0;

	if (!attach)
		return 0;
	json_object_object_foreach(attach, point, kind)
	{
		const char *kind_here = json_object_get_string(kind);

		if (strcmp(kind_here, "none") && !strcmp(attach_kind(other, point), "none"))
			err = add_blocker(result, fmt, point, kind_here);
		if (err)
			return err;
	}
	return 0;
}

static int find_blockers(const struct json_object *a, const struct json_object *b,
			 struct diff_result *result)
{
	struct json_object *command_a, *command_b;
	bool has_a, has_b;

	has_a = json_object_object_get_ex(record_fingerprint(a), "command", &command_a);
	has_b = json_object_object_get_ex(record_fingerprint(b), "command", &command_b);
	if (has_a != has_b || (has_a && !json_object_equal(command_a, command_b)))
		if (add_blocker(result, "the records ran different commands%s%s", "", ""))
			return -ENOMEM;
	return one_sided_points(a, b, "%s attached in A only (%s)", result) ?:
		       one_sided_points(b, a, "%s attached in B only (%s)", result);
}

int diff_compare(const struct json_object *a, const struct json_object *b,
		 const struct diff_opts *opts, struct diff_result *result)
{
	int err;

	memset(result, 0, sizeof(*result));
	result->status = DIFF_EXIT_SAME;
	err = compare_fingerprints(a, b, result) ?: find_blockers(a, b, result);
	result->compared = !err && (!result->nr_blockers || opts->allow_missing);
	if (result->compared)
		err = compare_metrics(a, b, opts, result);
	if (!result->compared)
		result->status = DIFF_EXIT_CANNOT_COMPARE;
	if (err) {
		diff_result_free(result);
		return err;
	}
	return 0;
}

void diff_result_free(struct diff_result *result)
{
	for (size_t i = 0; i < result->nr_fields; i++) {
		free(result->fields[i].name);
		free(result->fields[i].a);
		free(result->fields[i].b);
	}
	for (size_t i = 0; i < result->nr_rows; i++)
		free(result->rows[i].metric);
	for (size_t i = 0; i < result->nr_blockers; i++)
		free(result->blockers[i]);
	free(result->fields);
	free(result->rows);
	free(result->blockers);
	memset(result, 0, sizeof(*result));
}
