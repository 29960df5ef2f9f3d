// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kallsyms and the kernel's other name lists (user/engine/ksyms.c): the table and every
 * lookup the attach plan and the stack symboliser make, over the names the input defines.
 */
#include <string.h>

#include "engine/ksyms.h"
#include "fuzz_input.h"

static void check_table(const struct ksym_table *t)
{
	char stable[256];

	for (size_t i = 0; i < t->nr; i++) {
		const struct ksym *sym = &t->syms[i], *at;

		fuzz_check(i == 0 || t->syms[i - 1].addr <= sym->addr);
		fuzz_check(sym->name && *sym->name);
		fuzz_check(ksym_table_address(t, sym->name) <= sym->addr);
		at = ksym_table_resolve(t, sym->addr);
		fuzz_check(!at || at->addr <= sym->addr);
		at = ksym_table_function(t, sym->name);
		fuzz_check(!at || !strncmp(at->name, sym->name, strlen(sym->name)));
		ksym_stable_name(sym->name, stable, sizeof(stable));
	}
	ksym_table_resolve(t, 0);
	ksym_table_resolve(t, ~0ULL);
}

static void check_names(const uint8_t *data, size_t size, int field)
{
	FILE *in = fuzz_input_open(data, size);
	struct name_set set;

	if (!in)
		return;
	if (!name_set_read(&set, in, field)) {
		for (size_t i = 0; i < set.nr; i++) {
			fuzz_check(i == 0 || strcmp(set.names[i - 1], set.names[i]) < 0);
			fuzz_check(name_set_has(&set, set.names[i]));
			fuzz_check(name_set_function(&set, set.names[i]) == set.names[i]);
		}
		name_set_has(&set, "");
		name_set_function(&set, "dax_iomap_rw");
		name_set_free(&set);
	}
	fclose(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fuzz_input_open(data, size);
	struct ksym_table t;

	if (!in)
		return 0;
	if (!ksym_table_read(&t, in)) {
		check_table(&t);
		ksym_table_free(&t);
	}
	fclose(in);
	/* available_filter_functions (field 0) and kprobes/blacklist (field 1) */
	check_names(data, size, 0);
	check_names(data, size, 1);
	return 0;
}
