// SPDX-License-Identifier: GPL-2.0
/*
 * The priced model (engine/share_price.h): each unit cost from the operations it stands for,
 * its fallbacks and flags, and each design's total as the sum of count x unit, on numbers
 * chosen so that no two terms agree by accident. A count or unit nothing measured prices
 * nothing: never a silent 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/share_price.h"

/* The model: kernel 100 updates; proxy 30 + 70, 6 lookups; pfn 20 + 45; wp 7, 12 + 9, 6. */
static void model(struct share_model *m, bool uses)
{
	*m = (struct share_model){ 0 };
	m->kernel.share_count_updates = 100;
	m->proxy.allocations = 30;
	m->proxy.frees = 70;
	m->proxy.lookups = 6;
	m->pfn_entries.owner_lookups = 20;
	m->pfn_entries.shared_unmaps = 45;
	m->write_protect.break_callbacks = 7;
	m->write_protect.allocations = 12;
	m->write_protect.frees = 9;
	m->write_protect.uses_on_shared = 6;
	m->uses.measured = uses;
}

static void timed(struct share_costs *c, enum dt_cost_op op, __u64 count, __u64 sum_ns)
{
	c->measured[op] = true;
	c->op[op].count = count;
	c->op[op].sum_ns = sum_ns;
}

static const struct share_price_params defaults = SHARE_PRICE_PARAMS_DEFAULT;

/*
 * share_update: the shared disassociations' average, (3 x 1000 + 1 x 5000) / 4 = 2000; alloc
 * as share_update; lookup: dax_lock and folio_mapping together, (2 x 300 + 2 x 700) / 4 =
 * 500; rmap_walk: 2 walks of 90000 in all, less the 10000 of their 3 kill_procs calls, 40000.
 */
static void test_measured(void **state)
{
	struct share_costs c = {};
	struct share_price p;
	struct share_model m;

	(void)state;
	model(&m, true);
	timed(&c, DT_COST_DISASSOC_SHARED_FAULT, 3, 3000);
	timed(&c, DT_COST_DISASSOC_SHARED_ELSEWHERE, 1, 5000);
	timed(&c, DT_COST_DISASSOC_PRIVATE, 50, 50); /* not a stand-in while the shared ran */
	timed(&c, DT_COST_ASSOC_SHARED, 10, 999990);
	timed(&c, DT_COST_DAX_LOCK_SHARED, 2, 600);
	timed(&c, DT_COST_FOLIO_MAPPING, 2, 1400);
	timed(&c, DT_COST_RMAP_WALK, 2, 90000);
	timed(&c, DT_COST_MF_DAX_KILL_PROCS, 3, 10000);
	share_price_compute(&p, &m, &c, &defaults);
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].source, SHARE_UNIT_MEASURED);
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].ns, 2000);
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].samples, 4);
	assert_int_equal(p.unit[SHARE_UNIT_ALLOC].source, SHARE_UNIT_ASSUMED);
	assert_int_equal(p.unit[SHARE_UNIT_ALLOC].ns, 2000);
	assert_int_equal(p.unit[SHARE_UNIT_LOOKUP].source, SHARE_UNIT_ASSUMED);
	assert_int_equal(p.unit[SHARE_UNIT_LOOKUP].ns, 500);
	assert_int_equal(p.unit[SHARE_UNIT_RMAP_WALK].source, SHARE_UNIT_MEASURED);
	assert_int_equal(p.unit[SHARE_UNIT_RMAP_WALK].ns, 40000);
	assert_string_equal(p.unit[SHARE_UNIT_RMAP_WALK].from, "rmap_walk-mf_dax_kill_procs");
	/* kill_procs not attached: the whole walk */
	c.measured[DT_COST_MF_DAX_KILL_PROCS] = false;
	share_price_compute(&p, &m, &c, &defaults);
	assert_int_equal(p.unit[SHARE_UNIT_RMAP_WALK].ns, 45000);
	assert_string_equal(p.unit[SHARE_UNIT_RMAP_WALK].from, "rmap_walk");
	c.measured[DT_COST_MF_DAX_KILL_PROCS] = true;
	share_price_compute(&p, &m, &c, &defaults);
	assert_true(p.design[SHARE_KERNEL].priced);
	assert_int_equal(p.design[SHARE_KERNEL].total_ns, 100 * 2000);
	assert_int_equal(p.design[SHARE_PROXY].total_ns, (30 + 70) * 2000 + 6 * 500);
	assert_int_equal(p.design[SHARE_PFN_ENTRIES].total_ns, (20 + 45) * 40000);
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].total_ns,
			 7 * 2000 + (12 + 9) * 2000 + 6 * 500);
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].nr_terms, 3);
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].terms[1].count, 21);
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].terms[1].ns, 21 * 2000);
	/* every ->mapping reader counts in lookup, whichever site and whether shared */
	timed(&c, DT_COST_DAX_LOCK, 1, 100);
	timed(&c, DT_COST_FOLIO_MAPPING_SHARED, 1, 900);
	share_price_compute(&p, &m, &c, &defaults);
	assert_int_equal(p.unit[SHARE_UNIT_LOOKUP].ns, (600 + 1400 + 100 + 900) / 6);
	assert_int_equal(p.unit[SHARE_UNIT_LOOKUP].samples, 6);
}

/*
 * No shared disassociation: the private one stands in; without it, the whole shared insert.
 * An operation whose point was not attached is no stand-in, whatever its numbers.
 */
static void test_update_fallbacks(void **state)
{
	struct share_costs c = {};
	struct share_price p;
	struct share_model m;

	(void)state;
	model(&m, true);
	c.op[DT_COST_DISASSOC_SHARED_FAULT] = (struct dt_cost){ .count = 1, .sum_ns = 7 };
	timed(&c, DT_COST_DISASSOC_SHARED_ELSEWHERE, 0, 0); /* measured, never called */
	timed(&c, DT_COST_DISASSOC_PRIVATE, 4, 1200);
	timed(&c, DT_COST_ASSOC_SHARED, 2, 9000);
	share_price_compute(&p, &m, &c, &defaults);
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].source, SHARE_UNIT_FALLBACK);
	assert_string_equal(p.unit[SHARE_UNIT_UPDATE].from, "disassoc_private");
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].ns, 300);
	c.op[DT_COST_DISASSOC_PRIVATE].count = 0;
	c.op[DT_COST_DISASSOC_PRIVATE].sum_ns = 0;
	share_price_compute(&p, &m, &c, &defaults);
	assert_string_equal(p.unit[SHARE_UNIT_UPDATE].from, "assoc_shared");
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].ns, 4500);
	assert_int_equal(p.design[SHARE_KERNEL].total_ns, 100 * 4500);
}

/* Kill_procs longer than the walks (they cannot be inside them): the whole walk stands in. */
static void test_rmap_walk_fallback(void **state)
{
	struct share_costs c = {};
	struct share_price p;
	struct share_model m;

	(void)state;
	model(&m, true);
	timed(&c, DT_COST_RMAP_WALK, 2, 5000);
	timed(&c, DT_COST_MF_DAX_KILL_PROCS, 3, 6000);
	share_price_compute(&p, &m, &c, &defaults);
	assert_int_equal(p.unit[SHARE_UNIT_RMAP_WALK].source, SHARE_UNIT_FALLBACK);
	assert_string_equal(p.unit[SHARE_UNIT_RMAP_WALK].from, "rmap_walk");
	assert_int_equal(p.unit[SHARE_UNIT_RMAP_WALK].ns, 2500);
}

/* Durations beyond 64 bits (a corrupt stream's) price nothing, and say so. */
static void test_overflow(void **state)
{
	struct share_price_params huge = SHARE_PRICE_PARAMS_DEFAULT;
	struct share_costs c = {};
	struct share_price p;
	struct share_model m;

	(void)state;
	model(&m, true);
	timed(&c, DT_COST_DISASSOC_SHARED_FAULT, 1, UINT64_MAX / 2);
	timed(&c, DT_COST_DISASSOC_SHARED_ELSEWHERE, 1, UINT64_MAX / 2 + 2); /* the sum wraps */
	timed(&c, DT_COST_DISASSOC_PRIVATE, 1, UINT64_MAX / 50);
	share_price_compute(&p, &m, &c, &defaults);
	assert_string_equal(p.unit[SHARE_UNIT_UPDATE].from, "disassoc_private");
	assert_int_equal(p.design[SHARE_KERNEL].terms[0].state, SHARE_TERM_OVERFLOW);
	assert_false(p.design[SHARE_KERNEL].priced);
	/* each term fits, their sum does not */
	m.kernel.share_count_updates = 0;
	m.write_protect.break_callbacks = 30; /* 0.6 of 2^64 */
	m.write_protect.allocations = 30; /* 0.6 */
	m.write_protect.frees = 0;
	m.write_protect.uses_on_shared = 0;
	share_price_compute(&p, &m, &c, &huge);
	for (int t = 0; t < 3; t++)
		assert_int_equal(p.design[SHARE_WRITE_PROTECT].terms[t].state, SHARE_TERM_PRICED);
	assert_false(p.design[SHARE_WRITE_PROTECT].priced);
	m.write_protect.allocations = 19; /* 0.6 + 0.38: it fits */
	share_price_compute(&p, &m, &c, &huge);
	assert_true(p.design[SHARE_WRITE_PROTECT].priced);
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].total_ns, 49 * (UINT64_MAX / 50));
}

/*
 * Nothing timed: every unit unknown, and a design with a term of a count above 0 is not
 * priced; a count of 0 costs 0 whatever its unit. The flags give their units.
 */
static void test_unknown_and_given(void **state)
{
	struct share_price_params given = { { -1, 11, 0, 13 } }; /* update, alloc, lookup, walk */
	struct share_costs c = {};
	struct share_price p;
	struct share_model m;

	(void)state;
	model(&m, true);
	share_price_compute(&p, &m, &c, &defaults);
	for (int u = 0; u < SHARE_NR_UNITS; u++)
		assert_int_equal(p.unit[u].source, SHARE_UNIT_UNKNOWN);
	for (int d = 0; d < SHARE_NR_DESIGNS; d++)
		assert_false(p.design[d].priced);
	m.kernel.share_count_updates = 0;
	share_price_compute(&p, &m, &c, &defaults);
	assert_true(p.design[SHARE_KERNEL].priced);
	assert_int_equal(p.design[SHARE_KERNEL].total_ns, 0);
	timed(&c, DT_COST_RMAP_WALK, 1, 40000); /* a flag wins over a measurement */
	share_price_compute(&p, &m, &c, &given);
	assert_int_equal(p.unit[SHARE_UNIT_ALLOC].source, SHARE_UNIT_GIVEN);
	assert_int_equal(p.unit[SHARE_UNIT_LOOKUP].ns, 0);
	assert_int_equal(p.unit[SHARE_UNIT_LOOKUP].source, SHARE_UNIT_GIVEN);
	assert_int_equal(p.unit[SHARE_UNIT_RMAP_WALK].ns, 13);
	assert_true(p.design[SHARE_PROXY].priced);
	assert_int_equal(p.design[SHARE_PROXY].total_ns, 100 * 11);
	assert_int_equal(p.design[SHARE_PFN_ENTRIES].total_ns, 65 * 13);
	assert_false(p.design[SHARE_WRITE_PROTECT].priced); /* its breaks need share_update */
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].terms[0].state, SHARE_TERM_UNIT_UNKNOWN);
	/* --update-ns: share_update given, and alloc assumed as it unless given too */
	given.ns[SHARE_UNIT_UPDATE] = 17;
	given.ns[SHARE_UNIT_ALLOC] = -1;
	share_price_compute(&p, &m, &c, &given);
	assert_int_equal(p.unit[SHARE_UNIT_UPDATE].source, SHARE_UNIT_GIVEN);
	assert_int_equal(p.unit[SHARE_UNIT_ALLOC].source, SHARE_UNIT_ASSUMED);
	assert_int_equal(p.unit[SHARE_UNIT_ALLOC].ns, 17);
	assert_int_equal(p.design[SHARE_WRITE_PROTECT].total_ns, 7 * 17 + 21 * 17 + 6 * 0);
}

/* ->mapping readers not probed: the terms from them are not counted, their designs unpriced. */
static void test_uses_not_measured(void **state)
{
	struct share_price_params given = { { -1, 1, 1, 1 } };
	struct share_costs c = {};
	struct share_price p;
	struct share_model m;

	(void)state;
	model(&m, false);
	timed(&c, DT_COST_DISASSOC_SHARED_FAULT, 1, 100);
	share_price_compute(&p, &m, &c, &given);
	assert_true(p.design[SHARE_KERNEL].priced);
	assert_false(p.design[SHARE_PROXY].priced);
	assert_int_equal(p.design[SHARE_PROXY].terms[1].state, SHARE_TERM_NOT_COUNTED);
	assert_int_equal(p.design[SHARE_PROXY].terms[0].state, SHARE_TERM_PRICED);
	assert_false(p.design[SHARE_PFN_ENTRIES].priced);
	assert_false(p.design[SHARE_WRITE_PROTECT].priced);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measured),	   cmocka_unit_test(test_update_fallbacks),
		cmocka_unit_test(test_rmap_walk_fallback), cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_unknown_and_given),  cmocka_unit_test(test_uses_not_measured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
