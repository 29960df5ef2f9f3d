// SPDX-License-Identifier: GPL-2.0
/* share's measured costs: adding and merging durations, what a plan measures, the renderers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "cmd/share_costs_render.h"
#include "engine/attach_plan.h"
#include "engine/share_costs.h"
#include "output/json_writer.h"
#include "output_capture.h"

/* As BPF adds them: count, sum, max, and the log2 slot of each (slot s: [2^s, 2^(s+1)) ns). */
static void test_add_and_merge(void **state)
{
	struct dt_cost a = {}, b = {};

	(void)state;
	share_cost_add(&a, 1500); /* slot 10 */
	share_cost_add(&a, 3000); /* slot 11 */
	share_cost_add(&b, 1024); /* slot 10 */
	share_cost_add(&b, 0); /* slot 0 */
	assert_int_equal(a.count, 2);
	assert_int_equal(a.sum_ns, 4500);
	assert_int_equal(a.max_ns, 3000);
	assert_int_equal(a.slots[10], 1);
	assert_int_equal(a.slots[11], 1);
	share_cost_merge(&a, &b);
	assert_int_equal(a.count, 4);
	assert_int_equal(a.sum_ns, 5524);
	assert_int_equal(a.max_ns, 3000);
	assert_int_equal(a.slots[0], 1);
	assert_int_equal(a.slots[10], 2);
	assert_int_equal(a.slots[11], 1);
}

/* Every operation has a name and a point of the plan's table. */
static void test_names_and_points(void **state)
{
	(void)state;
	for (int op = 0; op < DT_NR_COST_OPS; op++) {
		bool found = false;

		assert_non_null(share_cost_names[op]);
		for (int i = 0; i < nr_probe_points; i++)
			found |= !strcmp(probe_points[i].name, share_cost_point(op));
		assert_true(found);
	}
	assert_string_equal(share_cost_point(DT_COST_REINSERT), "share.assoc");
	assert_string_equal(share_cost_point(DT_COST_DISASSOC_PRIVATE), "cost.disassoc");
	assert_string_equal(share_cost_point(DT_COST_RMAP_WALK), "cost.rmap_walk");
	assert_string_equal(share_cost_point(DT_COST_FOLIO_MAPPING_SHARED), "cost.generic");
}

static const struct probe_point *point_named(const char *name)
{
	for (int i = 0; i < nr_probe_points; i++)
		if (!strcmp(probe_points[i].name, name))
			return &probe_points[i];
	return NULL;
}

/* An operation is measured when its point is attached; a point missing or none is not. */
static void test_measured_by_plan(void **state)
{
	struct attach_plan plan = { .nr_choices = 3 };
	struct share_costs c;
	__u32 mask;

	(void)state;
	plan.choices[0] =
		(struct plan_choice){ .point = point_named("share.assoc"), .kind = KIND_KPROBE };
	plan.choices[1] =
		(struct plan_choice){ .point = point_named("cost.disassoc"), .kind = KIND_FENTRY };
	plan.choices[2] =
		(struct plan_choice){ .point = point_named("cost.lock"), .kind = KIND_NONE };
	mask = share_costs_measured_by(&plan);
	assert_int_equal(mask, 1u << DT_COST_ASSOC_PRIVATE | 1u << DT_COST_ASSOC_SHARED |
				       1u << DT_COST_REINSERT |
				       1u << DT_COST_DISASSOC_SHARED_FAULT |
				       1u << DT_COST_DISASSOC_SHARED_ELSEWHERE |
				       1u << DT_COST_DISASSOC_PRIVATE);
	share_costs_set_measured(&c, mask);
	assert_true(c.measured[DT_COST_REINSERT]);
	assert_false(c.measured[DT_COST_DAX_LOCK]);
	assert_false(c.measured[DT_COST_MF_DAX_KILL_PROCS]); /* not in the plan at all */
}

/* Two operations timed, one measured but never seen, the rest not measured. */
static struct share_costs sample_costs(void)
{
	struct share_costs c;

	memset(&c, 0, sizeof(c));
	share_costs_set_measured(&c, 1u << DT_COST_ASSOC_PRIVATE | 1u << DT_COST_ASSOC_SHARED |
					     1u << DT_COST_REINSERT);
	share_cost_add(&c.op[DT_COST_ASSOC_PRIVATE], 1500);
	share_cost_add(&c.op[DT_COST_ASSOC_PRIVATE], 2500);
	share_cost_add(&c.op[DT_COST_ASSOC_SHARED], 70000);
	return c;
}

/*
 * p50 of {1500, 2500}: the first sample's slot (1024-2047) bound 2047; p99: the second's
 * (2048-4095) capped at the max, 2500. One line per op timed, then those not measured.
 */
static void test_text(void **state)
{
	struct share_costs c = sample_costs();
	struct output_capture cap;

	(void)state;
	output_capture_open(&cap);
	share_costs_text(cap.out, &c);
	output_capture_assert(
		&cap,
		"COSTS (kernel time per operation, us)\n"
		"  OPERATION                       COUNT       AVG       P50       P99       MAX\n"
		"  assoc_private                       2      2.00      2.05      2.50      2.50\n"
		"  assoc_shared                        1     70.00     70.00     70.00     70.00\n"
		"  not measured (probe point not attached): disassoc_shared_fault, "
		"disassoc_shared_elsewhere, disassoc_private, mf_dax_kill_procs, rmap_walk, "
		"dax_lock, dax_lock_shared, folio_mapping, folio_mapping_shared\n");
	output_capture_close(&cap);
}

/* Nothing timed and everything measured: no block at all. */
static void test_text_empty(void **state)
{
	struct share_costs c;
	struct output_capture cap;

	(void)state;
	memset(&c, 0, sizeof(c));
	share_costs_set_measured(&c, (1u << DT_NR_COST_OPS) - 1);
	output_capture_open(&cap);
	share_costs_text(cap.out, &c);
	fputs("-", cap.out);
	output_capture_assert(&cap, "-");
	output_capture_close(&cap);
}

/* A measured op has its numbers (0 is a real 0); one not measured has none. */
static void test_json(void **state)
{
	struct share_costs c = sample_costs();
	struct output_capture cap;
	struct json_writer *w;
	const char *want;

	(void)state;
	output_capture_open(&cap);
	w = json_writer_new(cap.out);
	json_object_begin(w);
	share_costs_json(w, &c);
	json_object_end(w);
	json_writer_free(w);
	assert_int_equal(fflush(cap.out), 0);
	want = "{\"costs\":{\"assoc_private\":{\"measured\":true,\"point\":\"share.assoc\","
	       "\"count\":2,\"total_ns\":4000,\"avg_ns\":2000,\"p50_ns\":2047,\"p99_ns\":2500,"
	       "\"max_ns\":2500,\"buckets\":[{\"lo_ns\":1024,\"hi_ns\":2047,\"count\":1},"
	       "{\"lo_ns\":2048,\"hi_ns\":4095,\"count\":1}]},";
	assert_memory_equal(cap.buf, want, strlen(want));
	assert_non_null(strstr(cap.buf, "\"reinsert\":{\"measured\":true,\"point\":\"share.assoc\","
					"\"count\":0,\"total_ns\":0,\"avg_ns\":0,\"p50_ns\":0,"
					"\"p99_ns\":0,\"max_ns\":0,\"buckets\":[]}"));
	assert_non_null(strstr(cap.buf, "\"dax_lock\":{\"measured\":false,\"point\":"
					"\"cost.lock\"}"));
	output_capture_close(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_merge),	 cmocka_unit_test(test_names_and_points),
		cmocka_unit_test(test_measured_by_plan), cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_empty),	 cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
