// SPDX-License-Identifier: GPL-2.0
/* kallsyms: addresses of variables, the text symbol of a stack address, stable names. */
#include <errno.h>
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
#include "temp_file.h"

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

static char *write_file(const char *content)
{
	static char path[64];

	temp_file_write(path, content);
	return path;
}

/* Functions by name for kprobes: the name, else a clone; text only; modules kept once. */
static void test_ksyms_functions(void **state)
{
	static const char kallsyms_by_name[] =
		"ffffffff81000100 t dax_disassociate_entry.isra.0\n"
		"ffffffff81000200 t dax_disassociate_entry.part.0\n"
		"ffffffff81000300 d dax_insert_entry\n" /* data: never a kprobe target */
		"ffffffff81000400 T dax_insert_entry\n"
		"ffffffff81000500 t dax_insert_entry_slow\n"
		"ffffffff81000600 t grab_mapping_entry.constprop.0\n"
		"ffffffff81000700 t grab_mapping_entry.isra.0\n"
		"ffffffff81000800 t grab_mapping_entry\n"
		"ffffffff81000900 t dup_name\n"
		"ffffffff81000a00 t dup_name\n"
		"ffffffffc0001000 t xfs_filemap_fault\t[xfs]\n"
		"ffffffffc0001100 t xfs_reflink_end_cow\t[xfs]\n"
		"ffffffffc0002000 t ext4_dax_fault\t[ext4]\n"
		"ffffffffc0003000 t xfs_bmapi_read\t[xfs]\n"
		"ffffffff81000b00 t page_mapping.cold\n"
		"ffffffff81000c00 T\n"
		"ffffffff81000d00 t folio_mapping\n";
	char *path = write_file(kallsyms_by_name);
	const struct ksym *s;
	struct ksym_table t;

	(void)state;
	assert_int_equal(ksym_table_load(&t, path), 0);
	unlink(path);
	assert_int_equal(t.nr, 16); /* the line without a name is not a symbol */
	s = ksym_table_function(&t, "dax_insert_entry");
	assert_string_equal(s->name, "dax_insert_entry");
	assert_int_equal(s->addr, 0xffffffff81000400ULL);
	/* a clone only where the function itself is missing; .part is half a function */
	assert_string_equal(ksym_table_function(&t, "dax_disassociate_entry")->name,
			    "dax_disassociate_entry.isra.0");
	assert_string_equal(ksym_table_function(&t, "grab_mapping_entry")->name,
			    "grab_mapping_entry");
	assert_null(ksym_table_function(&t, "page_mapping"));
	assert_null(ksym_table_function(&t, "dax_insert"));
	assert_null(ksym_table_function(&t, "zzz"));
	assert_null(ksym_table_function(&t, ""));
	assert_int_equal(ksym_table_function(&t, "dup_name")->addr, 0xffffffff81000900ULL);
	/* the first address of a name, whatever its type */
	assert_int_equal(ksym_table_address(&t, "dax_insert_entry"), 0xffffffff81000300ULL);
	s = ksym_table_function(&t, "xfs_reflink_end_cow");
	assert_string_equal(s->module, "xfs");
	assert_string_equal(ksym_table_function(&t, "ext4_dax_fault")->module, "ext4");
	/* one string for a run of lines of the same module, a new one for the next run */
	assert_ptr_equal(s->module, ksym_table_function(&t, "xfs_filemap_fault")->module);
	assert_ptr_not_equal(s->module, ksym_table_function(&t, "xfs_bmapi_read")->module);
	assert_null(ksym_table_function(&t, "folio_mapping")->module);
	ksym_table_free(&t);
	assert_int_equal(ksym_table_load(&t, "/nonexistent/kallsyms"), -ENOENT);
	assert_int_equal(t.nr, 0);
	ksym_table_free(&t);
}

/* available_filter_functions: modules, clones and duplicate names (static functions). */
static void test_ftrace_functions(void **state)
{
	static const char ftrace[] = "dax_iomap_fault\n"
				     "dax_disassociate_entry.isra.0\n"
				     "copy_page\n"
				     "copy_page\n"
				     "xfs_filemap_fault [xfs]\n"
				     "xfs_reflink_end_cow [xfs]\n"
				     "__ftrace_invalid_address___84\n"
				     "\n"
				     "   \n"
				     "xfs_filemap_fault [xfs]\n";
	char *path = write_file(ftrace);
	struct name_set set;

	(void)state;
	assert_int_equal(ftrace_functions_load(&set, path), 0);
	unlink(path);
	assert_int_equal(set.nr, 6);
	assert_string_equal(set.names[0], "__ftrace_invalid_address___84");
	assert_string_equal(set.names[1], "copy_page");
	assert_string_equal(set.names[5], "xfs_reflink_end_cow");
	assert_true(name_set_has(&set, "dax_iomap_fault"));
	assert_true(name_set_has(&set, "xfs_filemap_fault"));
	assert_true(name_set_has(&set, "dax_disassociate_entry.isra.0"));
	assert_false(name_set_has(&set, "dax_disassociate_entry"));
	assert_false(name_set_has(&set, "xfs"));
	assert_false(name_set_has(&set, "[xfs]"));
	/* kprobe targets: the function, else its clone */
	assert_string_equal(name_set_function(&set, "dax_iomap_fault"), "dax_iomap_fault");
	assert_string_equal(name_set_function(&set, "dax_disassociate_entry"),
			    "dax_disassociate_entry.isra.0");
	assert_null(name_set_function(&set, "dax_disassociate"));
	assert_null(name_set_function(&set, "copy"));
	assert_null(name_set_function(&set, "zzz"));
	assert_null(name_set_function(&set, ""));
	name_set_free(&set);
	assert_int_equal(set.nr, 0);
	assert_false(name_set_has(&set, "copy_page"));
	assert_int_equal(ftrace_functions_load(&set, "/nonexistent/list"), -ENOENT);
	path = write_file("");
	assert_int_equal(ftrace_functions_load(&set, path), 0);
	unlink(path);
	assert_int_equal(set.nr, 0);
	assert_false(name_set_has(&set, "copy_page"));
	name_set_free(&set);
}

/* kprobes/blacklist: "START-END<tab>name [module]", addresses 0 without privilege. */
static void test_kprobe_blacklist(void **state)
{
	static const char blacklist[] =
		"0xffffffff81001000-0xffffffff81001040\tnmi_handle\n"
		"0x0000000000000000-0x0000000000000000\texc_int3\n"
		"0xffffffff81002000-0xffffffff81002200\tasm_exc_page_fault\n"
		"0xffffffffc0001000-0xffffffffc0001100\tkvm_spurious_fault [kvm]\n"
		"0xffffffff81003000-0xffffffff81003010\tnmi_handle\n"
		"0xffffffff81004000-0xffffffff81004010\tdo_int3.isra.0\n"
		"not-an-entry\n";
	char *path = write_file(blacklist);
	struct name_set set;

	(void)state;
	assert_int_equal(kprobe_blacklist_load(&set, path), 0);
	unlink(path);
	assert_int_equal(set.nr, 5);
	assert_true(name_set_has(&set, "nmi_handle"));
	assert_true(name_set_has(&set, "exc_int3"));
	assert_true(name_set_has(&set, "kvm_spurious_fault"));
	assert_true(name_set_has(&set, "do_int3.isra.0"));
	assert_false(name_set_has(&set, "do_int3"));
	assert_false(name_set_has(&set, "[kvm]"));
	assert_false(name_set_has(&set, "not-an-entry"));
	assert_false(name_set_has(&set, "0xffffffff81001000-0xffffffff81001040"));
	name_set_free(&set);
	assert_int_equal(kprobe_blacklist_load(&set, "/nonexistent/blacklist"), -ENOENT);
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
		cmocka_unit_test(test_ksyms_functions),
		cmocka_unit_test(test_ftrace_functions),
		cmocka_unit_test(test_kprobe_blacklist),
		cmocka_unit_test(test_ksyms_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
