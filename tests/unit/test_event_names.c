// SPDX-License-Identifier: GPL-2.0
/* snoop's --events lists and fault result flags, and lat's interval deltas. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/event_names.h"
#include "engine/lat_report.h"

static void test_event_mask(void **state)
{
	char bad[32] = "";
	__u32 mask;

	(void)state;
	assert_int_equal(event_mask_parse("fault,remap", &mask, bad, sizeof(bad)), 0);
	assert_int_equal(mask, (1U << DT_EV_FAULT) | (1U << DT_EV_REMAP));
	assert_int_equal(event_mask_parse("all", &mask, bad, sizeof(bad)), 0);
	assert_int_equal(mask, DT_ALL_EVENTS);
	assert_int_equal(event_mask_parse("sigbus,writeback,mkwrite,cow", &mask, bad, sizeof(bad)),
			 0);
	assert_int_equal(mask, (1U << DT_EV_SIGBUS) | (1U << DT_EV_WRITEBACK) |
				       (1U << DT_EV_MKWRITE) | (1U << DT_EV_COW));
}

static void test_event_mask_rejects(void **state)
{
	char bad[32] = "";
	__u32 mask;

	(void)state;
	assert_int_equal(event_mask_parse("fault,faults", &mask, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "faults");
	assert_int_equal(event_mask_parse(",", &mask, bad, sizeof(bad)), -1);
	assert_string_equal(bad, ",");
	assert_int_equal(event_mask_parse("", &mask, bad, sizeof(bad)), -1);
}

static void test_fault_result(void **state)
{
	char buf[64];

	(void)state;
	format_fault_result(DT_VM_FAULT_NOPAGE, buf, sizeof(buf));
	assert_string_equal(buf, "nopage");
	format_fault_result(DT_VM_FAULT_FALLBACK | DT_VM_FAULT_SIGBUS, buf, sizeof(buf));
	assert_string_equal(buf, "sigbus|fallback");
	format_fault_result(0, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	format_fault_result(DT_VM_FAULT_NOPAGE | DT_VM_FAULT_NEEDDSYNC, buf, 8);
	assert_string_equal(buf, "nopage|");
}

static struct lat_row row(enum dt_lat_kind kind, __u32 tgid, __u64 slot3, __u64 slot9)
{
	struct lat_row r = { .key = { .kind = kind, .tgid = tgid } };

	r.hist.slots[3] = slot3;
	r.hist.slots[9] = slot9;
	r.hist.sum_ns = slot3 * 10 + slot9 * 600;
	r.count = slot3 + slot9;
	return r;
}

/* One interval: rows that moved, by how much; a row new in the interval whole. */
static void test_lat_delta(void **state)
{
	struct lat_row before_rows[] = { row(DT_LAT_PTE_READ, 1, 4, 0),
					 row(DT_LAT_MKWRITE, 1, 1, 1) };
	struct lat_row now_rows[] = { row(DT_LAT_PTE_READ, 1, 6, 2), row(DT_LAT_MKWRITE, 1, 1, 1),
				      row(DT_LAT_WRITEBACK, 2, 0, 3) };
	struct lat_report before = { before_rows, 2, 1 }, now = { now_rows, 3, 4 }, delta;

	(void)state;
	assert_int_equal(lat_report_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.nr_rows, 2);
	assert_int_equal(delta.lost, 3);
	assert_int_equal(delta.rows[0].key.kind, DT_LAT_PTE_READ);
	assert_int_equal(delta.rows[0].count, 4);
	assert_int_equal(delta.rows[0].hist.slots[3], 2);
	assert_int_equal(delta.rows[0].hist.slots[9], 2);
	assert_int_equal(delta.rows[0].hist.sum_ns, 2 * 10 + 2 * 600);
	assert_int_equal(delta.rows[1].key.kind, DT_LAT_WRITEBACK);
	assert_int_equal(delta.rows[1].count, 3);
	lat_report_free(&delta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_mask),
		cmocka_unit_test(test_event_mask_rejects),
		cmocka_unit_test(test_fault_result),
		cmocka_unit_test(test_lat_delta),
	};

	return cmocka_run_group_tests_name("event_names", tests, NULL, NULL);
}
