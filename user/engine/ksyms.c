// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/grow_array.h"
#include "engine/ksyms.h"
#include "engine/sorted.h"

/*
 * Names go into one growing block of strings; while it grows, a symbol holds the offset of its
 * name (and module) in the block, made a pointer once the block stops moving.
 */
struct strings {
	char *buf;
	size_t used, size;
};

#define NO_STRING SIZE_MAX

static size_t strings_add(struct strings *s, const char *str, size_t len)
{
	size_t at = s->used;

	if (s->used + len + 1 > s->size) {
		/* from a page, doubling: a 1 MiB start cost every small list (and the fuzzer, 10x) */
		size_t size = s->size ? s->size : 4096;
		char *grown;

		while (s->used + len + 1 > size)
			size *= 2;
		grown = realloc(s->buf, size);
		if (!grown)
			return NO_STRING;
		s->buf = grown;
		s->size = size;
	}
	memcpy(s->buf + at, str, len);
	s->buf[at + len] = '\0';
	s->used += len + 1;
	return at;
}

static const char *offset_ptr(size_t offset)
{
	return (const char *)(uintptr_t)offset;
}

static const char *strings_ptr(const struct strings *s, const char *offset)
{
	return offset == offset_ptr(NO_STRING) ? NULL : s->buf + (uintptr_t)offset;
}

static int compare_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static int compare_name(const void *a, const void *b)
{
	const struct ksym *x = *(const struct ksym *const *)a, *y = *(const struct ksym *const *)b;
	int cmp = strcmp(x->name, y->name);

	/* ties in address order, so a lookup by name finds the lowest address first */
	return cmp ? cmp : (x > y) - (x < y);
}

static size_t token_length(const char *s)
{
	return strcspn(s, " \t\n");
}

/*
 * "ADDR TYPE NAME" or "ADDR TYPE NAME\t[MODULE]": 1 with sym holding offsets of its strings,
 * 0 for a line of another shape, -ENOMEM. A module's name is stored once for its run of lines
 * (*module_at, the last one stored).
 */
static int parse_kallsyms_line(const char *line, struct ksym *sym, struct strings *strings,
			       size_t *module_at)
{
	const char *p = line, *name, *module;
	size_t len, mlen, at;
	char *end;

	sym->addr = strtoull(p, &end, 16);
	if (end == p || (*end != ' ' && *end != '\t'))
		return 0;
	p = end + strspn(end, " \t");
	if (!*p || (p[1] != ' ' && p[1] != '\t'))
		return 0;
	sym->type = *p;
	name = p + 1 + strspn(p + 1, " \t");
	len = token_length(name);
	if (!len)
		return 0;
	module = name + len + strspn(name + len, " \t");
	mlen = *module == '[' ? strcspn(module + 1, "]\n") : 0;
	at = strings_add(strings, name, len);
	if (at == NO_STRING)
		return -ENOMEM;
	sym->name = offset_ptr(at);
	sym->module = offset_ptr(NO_STRING);
	if (!mlen)
		return 1;
	if (*module_at == NO_STRING || strlen(strings->buf + *module_at) != mlen ||
	    memcmp(strings->buf + *module_at, module + 1, mlen)) {
		*module_at = strings_add(strings, module + 1, mlen);
		if (*module_at == NO_STRING)
			return -ENOMEM;
	}
	sym->module = offset_ptr(*module_at);
	return 1;
}

int ksym_table_read(struct ksym_table *t, FILE *f)
{
	struct grow_array syms = GROW_ARRAY_INIT(struct ksym);
	size_t module_at = NO_STRING, line_size = 0;
	struct strings strings = {};
	char *line = NULL;
	int err = 0, nr;

	memset(t, 0, sizeof(*t));
	while (!err && getline(&line, &line_size, f) > 0) {
		int parsed;

		if (grow_array_reserve(&syms, 1)) {
			err = -ENOMEM;
			break;
		}
		parsed = parse_kallsyms_line(line, grow_array_at(&syms, syms.nr), &strings,
					     &module_at);
		if (parsed < 0)
			err = parsed;
		syms.nr += parsed > 0;
	}
	free(line);
	t->syms = grow_array_take(&syms, &nr);
	t->nr = nr;
	if (!err && t->nr) {
		t->by_name = malloc(t->nr * sizeof(*t->by_name));
		err = t->by_name ? 0 : -ENOMEM;
	}
	t->strings = strings.buf;
	if (err) {
		t->nr = 0; /* the offsets were never made pointers */
		ksym_table_free(t);
		return err;
	}
	for (size_t i = 0; i < t->nr; i++) {
		t->syms[i].name = strings_ptr(&strings, t->syms[i].name);
		t->syms[i].module = strings_ptr(&strings, t->syms[i].module);
	}
	sort_items(t->syms, t->nr, sizeof(*t->syms), compare_addr);
	for (size_t i = 0; i < t->nr; i++)
		t->by_name[i] = &t->syms[i];
	sort_items(t->by_name, t->nr, sizeof(*t->by_name), compare_name);
	return 0;
}

int ksym_table_load(struct ksym_table *t, const char *path)
{
	FILE *f = fopen(path, "r");
	int err;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -errno;
	err = ksym_table_read(t, f);
	fclose(f);
	return err;
}

static bool is_text(char type)
{
	return type == 't' || type == 'T';
}

const struct ksym *ksym_table_resolve(const struct ksym_table *t, unsigned long long addr)
{
	size_t lo = 0, hi = t->nr;

	/* The first symbol above addr, then back to the nearest text symbol below it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && !is_text(t->syms[lo - 1].type))
		lo--;
	return lo > 0 && t->syms[lo - 1].addr ? &t->syms[lo - 1] : NULL;
}

/* The index of the first name >= name in by_name. */
static size_t first_name_at_or_after(const struct ksym_table *t, const char *name)
{
	size_t lo = 0, hi = t->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

unsigned long long ksym_table_address(const struct ksym_table *t, const char *name)
{
	size_t i = first_name_at_or_after(t, name);

	return i < t->nr && !strcmp(t->by_name[i]->name, name) ? t->by_name[i]->addr : 0;
}

static bool is_clone_suffix(const char *suffix)
{
	return !strncmp(suffix, ".isra.", 6) || !strncmp(suffix, ".constprop.", 11);
}

const struct ksym *ksym_table_function(const struct ksym_table *t, const char *name)
{
	size_t len = strlen(name), i = first_name_at_or_after(t, name);

	/* name itself, then "name.*": '.' sorts before every character a C name goes on with */
	for (; i < t->nr && !strcmp(t->by_name[i]->name, name); i++)
		if (is_text(t->by_name[i]->type))
			return t->by_name[i];
	for (; i < t->nr && !strncmp(t->by_name[i]->name, name, len) &&
	       t->by_name[i]->name[len] == '.';
	     i++)
		if (is_text(t->by_name[i]->type) && is_clone_suffix(t->by_name[i]->name + len))
			return t->by_name[i];
	return NULL;
}

void ksym_stable_name(const char *name, char *buf, size_t size)
{
	static const char *const suffixes[] = { ".isra.", ".constprop.", ".part.", ".cold" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		const char *at = strstr(name, suffixes[i]);

		if (at && (size_t)(at - name) < len)
			len = at - name;
	}
	snprintf(buf, size, "%.*s", (int)len, name);
}

void ksym_table_free(struct ksym_table *t)
{
	free(t->syms);
	free(t->by_name);
	free(t->strings);
	memset(t, 0, sizeof(*t));
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int name_set_read(struct name_set *set, FILE *f, int field)
{
	struct grow_array offsets = GROW_ARRAY_INIT(size_t);
	struct strings strings = {};
	size_t line_size = 0, kept = 0;
	char *line = NULL;
	int err = 0;

	memset(set, 0, sizeof(*set));
	while (!err && getline(&line, &line_size, f) > 0) {
		const char *p = line + strspn(line, " \t");
		size_t at;

		for (int i = 0; i < field && *p; i++) {
			p += token_length(p);
			p += strspn(p, " \t");
		}
		if (!token_length(p))
			continue;
		at = strings_add(&strings, p, token_length(p));
		if (at == NO_STRING || grow_array_reserve(&offsets, 1))
			err = -ENOMEM;
		else
			*(size_t *)grow_array_at(&offsets, offsets.nr++) = at;
	}
	set->nr = offsets.nr;
	free(line);
	if (!err && set->nr) {
		set->names = malloc(set->nr * sizeof(*set->names));
		err = set->names ? 0 : -ENOMEM;
	}
	set->strings = strings.buf;
	if (!err) {
		for (size_t i = 0; i < set->nr; i++)
			set->names[i] = strings.buf + *(size_t *)grow_array_at(&offsets, i);
		sort_items(set->names, set->nr, sizeof(*set->names), compare_strings);
		for (size_t i = 0; i < set->nr; i++)
			if (!kept || strcmp(set->names[kept - 1], set->names[i]))
				set->names[kept++] = set->names[i];
		set->nr = kept;
	}
	grow_array_free(&offsets);
	if (err)
		name_set_free(set);
	return err;
}

static int name_set_load(struct name_set *set, const char *path, int field)
{
	FILE *f = fopen(path, "r");
	int err;

	memset(set, 0, sizeof(*set));
	if (!f)
		return -errno;
	err = name_set_read(set, f, field);
	fclose(f);
	return err;
}

int ftrace_functions_load(struct name_set *set, const char *path)
{
	return name_set_load(set, path, 0);
}

int kprobe_blacklist_load(struct name_set *set, const char *path)
{
	return name_set_load(set, path, 1);
}

bool name_set_has(const struct name_set *set, const char *name)
{
	return find_item(&name, set->names, set->nr, sizeof(*set->names), compare_strings);
}

const char *name_set_function(const struct name_set *set, const char *name)
{
	size_t len = strlen(name), lo = 0, hi = set->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(set->names[mid], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < set->nr && !strcmp(set->names[lo], name))
		return set->names[lo];
	for (; lo < set->nr && !strncmp(set->names[lo], name, len) && set->names[lo][len] == '.';
	     lo++)
		if (is_clone_suffix(set->names[lo] + len))
			return set->names[lo];
	return NULL;
}

void name_set_free(struct name_set *set)
{
	free(set->names);
	free(set->strings);
	memset(set, 0, sizeof(*set));
}
