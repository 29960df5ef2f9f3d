// SPDX-License-Identifier: GPL-2.0
/* kallsyms: addresses of variables, the text symbol of a stack address, stable names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/ksyms.h"

/* Out of order on purpose, with data symbols between text ones, and a module. */
static const char kallsyms[] = "ffffffff81762000 t grab_mapping_entry\n"
			       "ffffffff817611b0 t dax_insert_entry\n"
			       "ffffffff83000000 D vmemmap_base\n"
			       "ffffffff81762230 T dax_delete_mapping_range\n"
			       "ffffffff81762300 d some_table\n"
			       "ffffffffc0a01000 t xfs_dax_notify_failure\t[xfs]\n"
			       "ffffffff81762400 t dax_disassociate_entry.isra.0\n"
			       "not a symbol line\n";

static void test_ksyms(void **state)
{
	char path[] = "/tmp/daxtrace-kallsyms-XXXXXX", name[64];
	int fd = mkstemp(path);
	struct ksym_table t;
	const struct ksym *s;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, kallsyms, strlen(kallsyms)), strlen(kallsyms));
	close(fd);
	assert_int_equal(ksym_table_load(&t, path), 0);
	unlink(path);
	assert_int_equal(t.nr, 7);
	assert_int_equal(ksym_table_address(&t, "vmemmap_base"), 0xffffffff83000000ULL);
	assert_int_equal(ksym_table_address(&t, "nothing"), 0);

	s = ksym_table_resolve(&t, 0xffffffff817611b0ULL + 0x4c);
	assert_string_equal(s->name, "dax_insert_entry");
	assert_null(s->module);
	/* past the last text symbol before a data one: still that text symbol */
	s = ksym_table_resolve(&t, 0xffffffff81762310ULL);
	assert_string_equal(s->name, "dax_delete_mapping_range");
	s = ksym_table_resolve(&t, 0xffffffffc0a01010ULL);
	assert_string_equal(s->name, "xfs_dax_notify_failure");
	assert_string_equal(s->module, "xfs");
	assert_null(ksym_table_resolve(&t, 0x1000));

	ksym_stable_name("dax_disassociate_entry.isra.0", name, sizeof(name));
	assert_string_equal(name, "dax_disassociate_entry");
	ksym_stable_name("collect_procs.part.0", name, sizeof(name));
	assert_string_equal(name, "collect_procs");
	ksym_stable_name("memory_failure", name, sizeof(name));
	assert_string_equal(name, "memory_failure");
	ksym_table_free(&t);
	assert_int_equal(t.nr, 0);
}

/* No symbol at all (kptr_restrict hides them, say): an empty table, nothing resolves. */
static void test_ksyms_empty(void **state)
{
	struct ksym_table t;

	(void)state;
	assert_int_equal(ksym_table_load(&t, "/dev/null"), 0);
	assert_int_equal(t.nr, 0);
	assert_null(ksym_table_resolve(&t, 0xffffffff817611b0ULL));
	assert_int_equal(ksym_table_address(&t, "vmemmap_base"), 0);
	ksym_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksyms),
		cmocka_unit_test(test_ksyms_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
