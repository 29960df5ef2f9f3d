// SPDX-License-Identifier: GPL-2.0
/*
 * The design model's terms from the census counters and from mapuse's ->mapping readers
 * (docs/designs.md): each term's formula on numbers chosen so that no two terms agree by
 * accident, and a term whose input was not measured is reported so, not as 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/census.h"
#include "engine/share_model.h"

/* 100 shared updates: 30 joins (one of them a reinsert's), 70 leaves, 45 of them elsewhere. */
static void counters(struct census *c)
{
	memset(c, 0, sizeof(*c));
	c->totals.count[DT_SH_SHARED_UPDATES] = 100;
	c->totals.count[DT_SH_SHARED_JOINS] = 30;
	c->totals.count[DT_SH_SHARED_UPDATES_ELSEWHERE] = 45;
	c->totals.count[DT_SH_BREAKS] = 7;
	c->totals.count[DT_SH_BECAME_SHARED] = 12;
	c->totals.count[DT_SH_BECAME_UNSHARED] = 9;
}

static void test_counter_terms(void **state)
{
	struct share_rmap rmap = { .measured = true, .lookups = 3 };
	struct share_model m;
	struct census c;

	(void)state;
	counters(&c);
	share_model_compute(&m, &c, 64, &rmap, NULL);
	assert_int_equal(m.kernel.share_count_updates, 100);
	assert_int_equal(m.kernel.share_count_updates_in_faults, 55);
	assert_int_equal(m.kernel.share_count_updates_elsewhere, 45);
	assert_int_equal(m.proxy.allocations, 30);
	assert_int_equal(m.proxy.frees, 70);
	assert_int_equal(m.pfn_entries.shared_unmaps, 45);
	assert_int_equal(m.write_protect.break_callbacks, 7);
	assert_int_equal(m.write_protect.allocations, 12);
	assert_int_equal(m.write_protect.frees, 9);
	/* no ->mapping readers probed: their terms are unmeasured, the total too */
	assert_false(m.uses.measured);
	assert_int_equal(m.proxy.lookups, 0);
	assert_int_equal(m.write_protect.sites_to_convert, 0);
}

/*
 * dax_lock_folio 5 uses (2 on shared pages), folio_mapping 11 (0 shared), page_mapping 4
 * (4 shared); the filesystem sites' counts must not count as ->mapping readers.
 */
static void test_use_terms(void **state)
{
	struct share_rmap rmap = { .measured = true, .lookups = 3 };
	struct share_uses uses = { .measured = true };
	struct share_model m;
	struct census c;

	(void)state;
	counters(&c);
	uses.count[DT_SITE_DAX_LOCK_FOLIO] = 5;
	uses.shared[DT_SITE_DAX_LOCK_FOLIO] = 2;
	uses.count[DT_SITE_FOLIO_MAPPING] = 11;
	uses.count[DT_SITE_PAGE_MAPPING] = 4;
	uses.shared[DT_SITE_PAGE_MAPPING] = 4;
	uses.count[DT_SITE_MF_DAX_KILL_PROCS] = 3;
	uses.count[DT_SITE_LAYOUT_BUSY] = 1000;
	share_model_compute(&m, &c, 64, &rmap, &uses);
	assert_int_equal(m.proxy.lookups, 6); /* 2 + 4 on shared pages */
	assert_int_equal(m.pfn_entries.owner_lookups, 20); /* 5 + 11 + 4: every reader */
	assert_int_equal(m.pfn_entries.reverse_lookups, 3 + 20 + 45);
	assert_int_equal(m.write_protect.sites_to_convert, 2); /* dax_lock_folio, page_mapping */
	assert_int_equal(m.write_protect.uses_on_shared, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_terms),
		cmocka_unit_test(test_use_terms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
