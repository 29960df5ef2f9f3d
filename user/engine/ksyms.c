// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ksyms.h"

static int compare_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

int ksym_table_load(struct ksym_table *t, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t capacity = 0;
	char line[512];

	memset(t, 0, sizeof(*t));
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char type, name[256], module[64] = "";
		unsigned long long addr;
		struct ksym *sym;

		if (sscanf(line, "%llx %c %255s [%63[^]]]", &addr, &type, name, module) < 3)
			continue;
		if (t->nr == capacity) {
			struct ksym *grown;

			capacity = capacity ? capacity * 2 : 65536;
			grown = realloc(t->syms, capacity * sizeof(*grown));
			if (!grown) {
				fclose(f);
				ksym_table_free(t);
				return -ENOMEM;
			}
			t->syms = grown;
		}
		sym = &t->syms[t->nr++];
		sym->addr = addr;
		sym->type = type;
		sym->name = strdup(name);
		sym->module = module[0] ? strdup(module) : NULL;
	}
	fclose(f);
	if (t->nr) /* none read: syms is NULL, which qsort must not get */
		qsort(t->syms, t->nr, sizeof(*t->syms), compare_addr);
	return 0;
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

unsigned long long ksym_table_address(const struct ksym_table *t, const char *name)
{
	for (size_t i = 0; i < t->nr; i++)
		if (!strcmp(t->syms[i].name, name))
			return t->syms[i].addr;
	return 0;
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
	for (size_t i = 0; i < t->nr; i++) {
		free(t->syms[i].name);
		free(t->syms[i].module);
	}
	free(t->syms);
	memset(t, 0, sizeof(*t));
}
