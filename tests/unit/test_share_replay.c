// SPDX-License-Identifier: GPL-2.0
/*
 * The replay of a share stream: records as bpf/share.bpf.c emits them for a known workload,
 * and the exact census, totals, gauges, samples and model that `daxtrace share` would read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "daxtrace_mapuse.h"
#include "engine/pfn_table.h"
#include "engine/share_replay.h"
#include "share_stream_build.h"

#define DEV 0x10300001u /* 259:1 */
#define A 11 /* the written file */
#define B 12 /* its FICLONE */
#define C 13 /* a file of one PMD extent */
#define D 14 /* its FICLONE */
#define N 8 /* pages of A, at pfns PFN..PFN + N - 1, index = page */
#define K 2 /* pages of B written after the clone: 0 and 4, to pfns NEW_PFN + page */
#define PFN 0x1000
#define NEW_PFN 0x2000
#define PMD_PFN 0x4000
#define ANOMALIES 20 /* checks that disagree: more than the DT_SHARE_SAMPLES kept */

struct records {
	struct dt_share_record items[256];
	size_t nr;
	__u64 now;
};

static struct dt_share_record *add(struct records *rs, __u8 type, __u64 pfn, __u64 ino, __u64 index,
				   __u32 owners)
{
	struct dt_share_record *r = &rs->items[rs->nr++];

	assert_true(rs->nr <= sizeof(rs->items) / sizeof(rs->items[0]));
	*r = (struct dt_share_record){ .time_ns = rs->now += 100,
				       .pfn = pfn,
				       .ino = ino,
				       .index = index,
				       .dev = DEV,
				       .owners = owners,
				       .type = type };
	return r;
}

static void add_check(struct records *rs, __u64 pfn, __u64 ino, __u32 owners, __u32 kernel,
		      __u8 state, __u8 event, __u8 layout)
{
	struct dt_share_record *r = add(rs, DT_REC_CHECK, pfn, ino, 0, owners);

	r->kernel_count = kernel;
	r->detail = state;
	r->flags = event | layout << 4;
}

static void add_use(struct records *rs, __u8 site, __u8 flags)
{
	struct dt_share_record *r = add(rs, DT_REC_OWNER_USE, PFN, A, 0, 0);

	r->detail = site;
	r->flags = flags;
}

/* Parses the records as a stream (the header's flags given) and replays it. */
static void replay(const struct records *rs, __u32 flags, struct share_replay *r)
{
	struct test_stream in = { .header = { .flags = flags, .start_ns = 50 },
				  .records = rs->items,
				  .nr_records = rs->nr,
				  .lost_records = 0,
				  .missed_runs = 3 };
	struct test_bytes b = test_stream_build(&in);
	struct share_stream_error err;
	struct share_stream s;

	assert_int_equal(share_stream_parse(&s, b.data, b.len, "t.dts", &err), 0);
	assert_int_equal(share_replay_run(r, &s), 0);
	share_stream_close(&s);
	free(b.data);
}

/*
 * A written (N pages), cloned to B, both read (B's reads join every pfn; A's, from v6.2,
 * reinsert its entries), B writes K pages (each: the held disassociation's check, B leaves the
 * old pfn, joins a new one, a break); C's PMD extent cloned to D and read through D.
 */
static void clone_workload(struct records *rs)
{
	for (__u64 i = 0; i < N; i++)
		add(rs, DT_REC_ASSOCIATE, PFN + i, A, i, 1)->flags = DT_RECF_IN_FAULT;
	for (__u64 i = 0; i < N; i++)
		add(rs, DT_REC_ASSOCIATE, PFN + i, B, i, 2);
	for (__u64 i = 0; i < N; i++)
		add(rs, DT_REC_REINSERT, PFN + i, A, i, 2);
	for (__u64 page = 0; page < N; page += N / K) {
		add_check(rs, PFN + page, B, 2, 2, DT_KS_SHARED, DT_EV_DISASSOCIATE, DT_LAYOUT_V62);
		add(rs, DT_REC_DISASSOCIATE, PFN + page, B, page, 1)->flags = DT_RECF_IN_FAULT;
		add(rs, DT_REC_ASSOCIATE, NEW_PFN + page, B, page, 1);
		add_check(rs, NEW_PFN + page, B, 1, 1, DT_KS_OWNER, DT_EV_ASSOCIATE, DT_LAYOUT_V62);
		/* ages 4000 ns (log2 slot 11) and 40000 ns (slot 15) */
		add(rs, DT_REC_BREAK, PFN + page, B, 0, 1)->age_ns = page ? 40000 : 4000;
	}
	add(rs, DT_REC_ASSOCIATE, PMD_PFN, C, 0, 1)->order = DT_PMD_ORDER;
	add(rs, DT_REC_ASSOCIATE, PMD_PFN, D, 0, 2)->order = DT_PMD_ORDER;
}

static void test_clone_breaks_pmd(void **state)
{
	struct records rs = {};
	struct share_losses losses;
	struct share_model model;
	struct share_replay r;
	const struct census *c = &r.census;
	const __u64 *n = c->totals.count;

	(void)state;
	clone_workload(&rs);
	/* 6.1's read fault replaced ->mapping: the kernel says 1 owner where the census has 2 */
	for (__u64 i = 0; i < ANOMALIES; i++)
		add_check(&rs, PFN + 1 + i % 3, B, 2, 1, DT_KS_OWNER, DT_EV_ASSOCIATE,
			  DT_LAYOUT_V61);
	add_use(&rs, DT_SITE_FOLIO_MAPPING, DT_RECF_SHARED);
	add_use(&rs, DT_SITE_FOLIO_MAPPING, DT_RECF_SHARED);
	add_use(&rs, DT_SITE_FOLIO_MAPPING, 0);
	add_use(&rs, DT_SITE_FOLIO_MAPPING, DT_RECF_DROPPED | DT_RECF_SHARED);
	add_use(&rs, DT_SITE_MF_DAX_KILL_PROCS, DT_RECF_SHARED);
	add_use(&rs, DT_SITE_MF_DAX_KILL_PROCS, DT_RECF_SHARED);
	add(&rs, DT_REC_EVICTED, 0x9000, A, 0, 0);
	add(&rs, DT_REC_UNMATCHED, PFN, C, 0, 0);
	add(&rs, DT_REC_NO_CONTEXT, PFN, 0, 0, 0);
	replay(&rs, SHARE_STREAM_RMAP_MEASURED | SHARE_STREAM_USES_MEASURED, &r);

	assert_int_equal(r.mismatches, 0);
	assert_int_equal(r.skipped, 0);
	assert_true(r.timed);
	assert_int_equal(r.first_ns, 100);
	assert_int_equal(r.last_ns, 100 * rs.nr);
	/* pages 0 and 4 of A alone, 6 shared by A and B, B's 2 new pages, 1 PMD unit of C and D */
	assert_int_equal(c->pfns, N + K + 1);
	assert_int_equal(c->owners_hist[1], 2 * K);
	assert_int_equal(c->owners_hist[2], N - K + 1);
	assert_int_equal(c->shared_pfns, N - K + 1);
	assert_int_equal(c->shared_bytes, (N - K) * 4096 + 2 * 1024 * 1024);
	assert_int_equal(c->owner_entries, 2 * K + 2 * (N - K + 1));
	assert_int_equal(c->extra_owners, N - K + 1);
	assert_int_equal(c->index_differs, 0);
	assert_int_equal(c->unlisted_owners, 0);
	assert_int_equal(c->nr_files, 4);
	assert_int_equal(c->files[0].id.ino, A);
	assert_int_equal(c->files[0].pfns, N);
	assert_int_equal(c->files[0].shared_pfns, N - K);
	assert_int_equal(c->files[1].id.ino, B);
	assert_int_equal(c->files[1].pfns, N);
	assert_int_equal(c->files[1].shared_pfns, N - K);
	assert_int_equal(c->files[3].id.ino, D);
	assert_int_equal(c->files[3].shared_pfns, 1);
	assert_int_equal(c->nr_pairs, 2);
	assert_int_equal(c->pairs[0].a.ino, A);
	assert_int_equal(c->pairs[0].b.ino, B);
	assert_int_equal(c->pairs[0].shared_pfns, N - K);
	assert_int_equal(c->pairs[1].a.ino, C);
	assert_int_equal(c->pairs[1].shared_bytes, 2 * 1024 * 1024);
	assert_int_equal(c->nr_devs, 1);
	assert_int_equal(c->devs[0].shared_pfns, N - K + 1);

	/* joins: N + N + N reinserted + K new pfns + 2 PMD; leaves: N reinserted + K */
	assert_int_equal(n[DT_SH_ASSOCIATIONS], 3 * N + K + 2);
	assert_int_equal(n[DT_SH_DISASSOCIATIONS], N + K);
	assert_int_equal(n[DT_SH_BECAME_SHARED], N + 1);
	assert_int_equal(n[DT_SH_BECAME_UNSHARED], K);
	/* B's joins N, the reinserts 2 each, the K leaves of a shared pfn, D's join */
	assert_int_equal(n[DT_SH_SHARED_UPDATES], N + 2 * N + K + 1);
	/* joins leaving 2 owners or more: B's N, the N reinserts, D's */
	assert_int_equal(n[DT_SH_SHARED_JOINS], 2 * N + 1);
	assert_int_equal(n[DT_SH_SHARED_UPDATES_ELSEWHERE], 0); /* B's leaves were its faults' */
	/* one page per 4 KiB update; D's PMD join 512, the checks' layouts being per page */
	assert_int_equal(n[DT_SH_SHARED_UPDATE_PAGES], N + 2 * N + K + DT_PMD_PAGES);
	assert_int_equal(n[DT_SH_BREAKS], K);
	assert_int_equal(c->totals.break_age_sum_ns, 44000);
	assert_int_equal(c->totals.break_age_max_ns, 40000);
	assert_int_equal(c->totals.break_age_slots[11], 1);
	assert_int_equal(c->totals.break_age_slots[15], 1);
	assert_int_equal(n[DT_SH_ANOMALIES], ANOMALIES);
	assert_int_equal(n[DT_SH_EVICTED], 1);
	assert_int_equal(n[DT_SH_UNMATCHED], 1);
	assert_int_equal(n[DT_SH_NO_CONTEXT], 1);

	/* levels: N shared after the clone (the peak), K fewer after the breaks, then the PMD */
	assert_int_equal(c->gauges.shared, N - K + 1);
	assert_int_equal(c->gauges.shared_peak, N);
	assert_int_equal(c->gauges.extra_owners, N - K + 1);
	assert_int_equal(c->gauges.extra_owners_peak, N);
	assert_int_equal(c->gauges.samples, ANOMALIES);
	assert_int_equal(c->nr_samples, DT_SHARE_SAMPLES);
	assert_int_equal(c->samples[0].pfn, PFN + 1);
	assert_int_equal(c->samples[0].ino, B);
	assert_int_equal(c->samples[0].dev, DEV);
	assert_int_equal(c->samples[0].owners, 2);
	assert_int_equal(c->samples[0].kernel_count, 1);
	assert_int_equal(c->samples[0].kernel_state, DT_KS_OWNER);
	assert_int_equal(c->samples[0].event, DT_EV_ASSOCIATE);
	assert_int_equal(c->samples[0].layout, DT_LAYOUT_V61);
	assert_int_equal(c->samples[15].pfn, PFN + 1 + 15 % 3);

	assert_int_equal(r.uses[DT_SITE_FOLIO_MAPPING].count, 3);
	assert_int_equal(r.uses[DT_SITE_FOLIO_MAPPING].shared, 2);
	assert_int_equal(r.uses[DT_SITE_FOLIO_MAPPING].dropped, 1);
	assert_int_equal(r.uses[DT_SITE_MF_DAX_KILL_PROCS].count, 2);
	assert_true(r.rmap.measured);
	assert_int_equal(r.rmap.lookups, 2);

	share_losses_compute(&losses, c, r.missed_runs);
	assert_int_equal(losses.missed_runs, 3);
	assert_int_equal(losses.lost, 3 + 1);
	assert_int_equal(losses.evicted, 1);
	assert_int_equal(losses.unmatched, 1);
	share_model_compute(&model, c, 64, &r.rmap, &r.owner_uses);
	assert_int_equal(model.kernel.shared_pfns, N - K + 1);
	assert_int_equal(model.kernel.shared_pfns_peak, N);
	assert_int_equal(model.kernel.share_count_updates, 3 * N + K + 1);
	assert_int_equal(model.proxy.objects, N - K + 1);
	assert_int_equal(model.proxy.objects_peak, N);
	assert_int_equal(model.proxy.bytes, (N - K + 1) * 64);
	assert_int_equal(model.pfn_entries.entries, 2 * K + 2 * (N - K + 1));
	assert_int_equal(model.pfn_entries.rmap.lookups, 2);
	assert_int_equal(model.write_protect.objects, N - K + 1);
	assert_int_equal(model.write_protect.break_callbacks, K);
	assert_int_equal(model.proxy.allocations, 2 * N + 1);
	assert_int_equal(model.proxy.frees, N + K);
	assert_int_equal(model.kernel.share_count_updates_in_faults, 3 * N + K + 1);
	/* the page_owner site's uses: 3, 2 on shared pages; mf_dax_kill_procs is rmap's */
	assert_true(model.uses.measured);
	assert_int_equal(model.proxy.lookups, 2);
	assert_int_equal(model.pfn_entries.owner_lookups, 3);
	assert_int_equal(model.write_protect.sites_to_convert, 1);
	assert_int_equal(model.write_protect.uses_on_shared, 2);
	assert_int_equal(model.pfn_entries.reverse_lookups, 2 + 3);
	share_replay_free(&r);
}

/*
 * A shared PMD unit's update writes 512 struct pages where the count is per page (up to
 * v6.14) and 1 where it is per folio: told by the CHECK records' layout, else by the release.
 */
static void test_pmd_update_pages(void **state)
{
	const struct {
		__u8 layout; /* of a CHECK record; DT_LAYOUT_UNKNOWN: no CHECK record */
		const char *release;
		__u64 pages;
	} cases[] = {
		{ DT_LAYOUT_V62, "7.2.0", DT_PMD_PAGES },
		{ DT_LAYOUT_V615, "6.12.0", 1 },
		{ DT_LAYOUT_UNKNOWN, "6.12.0-test", DT_PMD_PAGES },
		{ DT_LAYOUT_UNKNOWN, "6.15.0", 1 },
		{ DT_LAYOUT_UNKNOWN, "7.2.13+deb14-amd64", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_stream in = { .nr_records = 2 };
		struct dt_share_record records[3];
		struct records rs = {};
		struct share_stream_error err;
		struct share_replay r;
		struct share_stream s;
		struct test_bytes b;

		add(&rs, DT_REC_ASSOCIATE, PMD_PFN, C, 0, 1)->order = DT_PMD_ORDER;
		add(&rs, DT_REC_ASSOCIATE, PMD_PFN, D, 0, 2)->order = DT_PMD_ORDER;
		if (cases[i].layout != DT_LAYOUT_UNKNOWN)
			add_check(&rs, PMD_PFN, D, 2, 2, DT_KS_SHARED, DT_EV_ASSOCIATE,
				  cases[i].layout);
		memcpy(records, rs.items, rs.nr * sizeof(records[0]));
		in.records = records;
		in.nr_records = rs.nr;
		strcpy(in.header.release, cases[i].release);
		b = test_stream_build(&in);
		assert_int_equal(share_stream_parse(&s, b.data, b.len, "t.dts", &err), 0);
		assert_int_equal(share_replay_run(&r, &s), 0);
		assert_int_equal(r.census.totals.count[DT_SH_SHARED_UPDATE_PAGES], cases[i].pages);
		share_replay_free(&r);
		share_stream_close(&s);
		free(b.data);
	}
}

/* --snapshot's owners: no association counted, a listed owner not added twice, levels set. */
static void test_snapshot(void **state)
{
	struct records rs = {};
	struct share_replay r;
	const __u64 *n = r.census.totals.count;

	(void)state;
	add(&rs, DT_REC_SNAPSHOT, PFN, A, 0, 1);
	add(&rs, DT_REC_SNAPSHOT, PFN, B, 0, 2);
	add(&rs, DT_REC_SNAPSHOT, PFN, B, 0, 2); /* B mapped by a second process */
	add(&rs, DT_REC_SNAPSHOT, PFN, B, 5, 3); /* B's page 5 is the same pfn: an override */
	add(&rs, DT_REC_SNAPSHOT, PMD_PFN, C, 0, 1)->order = DT_PMD_ORDER;
	add(&rs, DT_REC_DISASSOCIATE, PFN, B, 0, 2);
	replay(&rs, SHARE_STREAM_SINCE_SNAPSHOT, &r);
	assert_int_equal(r.mismatches, 0);
	assert_false(r.rmap.measured);
	assert_int_equal(n[DT_SH_ASSOCIATIONS], 0);
	assert_int_equal(n[DT_SH_BECAME_SHARED], 0);
	assert_int_equal(n[DT_SH_DISASSOCIATIONS], 1);
	assert_int_equal(n[DT_SH_SHARED_UPDATES], 1);
	assert_int_equal(n[DT_SH_SHARED_UPDATES_ELSEWHERE], 1); /* a leave outside a fault */
	assert_int_equal(n[DT_SH_SHARED_JOINS], 0);
	assert_int_equal(r.census.pfns, 2);
	assert_int_equal(r.census.owners_hist[2], 1);
	assert_int_equal(r.census.owners_hist[1], 1);
	/* B left its first slot: A at index 0 and B at index 5 stay, one override */
	assert_int_equal(r.census.index_overrides, 1);
	assert_int_equal(r.census.gauges.shared, 1);
	assert_int_equal(r.census.gauges.shared_peak, 1);
	assert_int_equal(r.census.gauges.extra_owners, 1);
	assert_int_equal(r.census.gauges.extra_owners_peak, 2);
	share_replay_free(&r);
}

/*
 * Records that contradict the replayed census (lost ones before them): counted, the first's
 * index kept, and applied as far as they can be. Owners beyond the slots leave without one.
 */
static void test_mismatches(void **state)
{
	struct records rs = {};
	struct share_replay r;
	const __u64 *n = r.census.totals.count;

	(void)state;
	for (__u32 i = 0; i < DT_SHARE_SLOTS + 2; i++)
		add(&rs, DT_REC_ASSOCIATE, PFN, 100 + i, 0, i + 1);
	/* an owner beyond the slots leaves: not listed, and no mismatch */
	add(&rs, DT_REC_DISASSOCIATE, PFN, 100 + DT_SHARE_SLOTS, 0, DT_SHARE_SLOTS + 1);
	assert_int_equal(rs.nr, 10);
	add(&rs, DT_REC_DISASSOCIATE, 0x9999, A, 0, 0); /* 10: no such unit */
	add(&rs, DT_REC_ASSOCIATE, NEW_PFN, A, 0, 2); /* 11: B's join before it was lost */
	/* 12: B is not listed; its leave is applied all the same, and the unit goes */
	add(&rs, DT_REC_DISASSOCIATE, NEW_PFN, B, 0, 0);
	add(&rs, DT_REC_REINSERT, 0x9999, A, 0, 2); /* 13: no such unit */
	replay(&rs, 0, &r);
	assert_int_equal(r.mismatches, 4);
	assert_int_equal(r.first_mismatch, 10);
	assert_int_equal(r.census.pfns, 1);
	assert_int_equal(r.census.owners_hist[DT_SHARE_SLOTS + 1], 1);
	assert_int_equal(r.census.unlisted_owners, 1);
	assert_int_equal(n[DT_SH_ASSOCIATIONS], DT_SHARE_SLOTS + 2 + 1 + 1);
	assert_int_equal(n[DT_SH_DISASSOCIATIONS], 1 + 1 + 1);
	assert_int_equal(r.census.gauges.extra_owners, DT_SHARE_SLOTS);
	assert_int_equal(r.census.gauges.extra_owners_peak, DT_SHARE_SLOTS + 1);
	share_replay_free(&r);
}

/*
 * The VM farm of tools/designs: a golden image and 8 clones own a unit (9 owners, 2 beyond the
 * slots); 6 of the clones leave it first (listed ones, slots freed), then the 2 unlisted: each
 * leave is taken off, none is unmatched, and the census ends with the owners that remain.
 */
static void test_unlisted_owners_leave(void **state)
{
	const __u32 owners = DT_SHARE_SLOTS + 2;
	struct records rs = {};
	struct share_replay r;
	const __u64 *n = r.census.totals.count;
	__u32 left = owners;

	(void)state;
	for (__u32 i = 0; i < owners; i++)
		add(&rs, DT_REC_ASSOCIATE, PFN, 100 + i, 0, i + 1);
	for (__u32 i = 1; i <= 6; i++) /* clones 1..6: listed */
		add(&rs, DT_REC_DISASSOCIATE, PFN, 100 + i, 0, --left);
	for (__u32 i = DT_SHARE_SLOTS; i < owners; i++) /* clones 7, 8: beyond the slots */
		add(&rs, DT_REC_DISASSOCIATE, PFN, 100 + i, 0, --left);
	replay(&rs, 0, &r);
	assert_int_equal(r.mismatches, 0);
	assert_int_equal(n[DT_SH_UNMATCHED], 0);
	assert_int_equal(n[DT_SH_DISASSOCIATIONS], 8);
	assert_int_equal(r.census.pfns, 1);
	assert_int_equal(r.census.owners_hist[1], 1); /* the golden image alone */
	assert_int_equal(r.census.unlisted_owners, 0);
	assert_int_equal(r.census.shared_pfns, 0);
	share_replay_free(&r);
}

/*
 * COST records are the durations share timed, added as BPF added them; which operations were
 * measured is the header's costs_measured. A stream of minor 0 was made by a share that timed
 * nothing: no costs at all (has_costs false), not zeros.
 */
static void test_costs(void **state)
{
	const struct dt_share_record records[] = {
		{ .time_ns = 100, .index = 1500, .type = DT_REC_COST, .detail = DT_COST_REINSERT },
		{ .time_ns = 200, .index = 3000, .type = DT_REC_COST, .detail = DT_COST_REINSERT },
		{ .time_ns = 300, .index = 900, .type = DT_REC_COST, .detail = DT_COST_RMAP_WALK },
	};
	struct test_stream in = { .header = { .minor = 1,
					      .costs_measured = 1u << DT_COST_REINSERT |
								1u << DT_COST_RMAP_WALK },
				  .records = records,
				  .nr_records = 3 };
	struct test_bytes b = test_stream_build(&in);
	const struct dt_cost *reinsert, *walk;
	struct share_stream_error err;
	struct share_replay r;
	struct share_stream s;

	(void)state;
	assert_int_equal(share_stream_parse(&s, b.data, b.len, "t.dts", &err), 0);
	assert_int_equal(share_replay_run(&r, &s), 0);
	assert_true(r.has_costs);
	assert_int_equal(r.mismatches + r.skipped, 0);
	reinsert = &r.costs.op[DT_COST_REINSERT];
	walk = &r.costs.op[DT_COST_RMAP_WALK];
	assert_int_equal(reinsert->count, 2);
	assert_int_equal(reinsert->sum_ns, 4500);
	assert_int_equal(reinsert->max_ns, 3000);
	assert_int_equal(reinsert->slots[10] + reinsert->slots[11], 2);
	assert_int_equal(walk->count, 1);
	assert_int_equal(walk->slots[9], 1);
	assert_true(r.costs.measured[DT_COST_REINSERT] && r.costs.measured[DT_COST_RMAP_WALK]);
	assert_false(r.costs.measured[DT_COST_ASSOC_PRIVATE]);
	share_replay_free(&r);
	share_stream_close(&s);
	free(b.data);

	in.header.minor = 0;
	in.nr_records = 0;
	b = test_stream_build(&in);
	assert_int_equal(share_stream_parse(&s, b.data, b.len, "t.dts", &err), 0);
	assert_int_equal(share_replay_run(&r, &s), 0);
	assert_false(r.has_costs);
	assert_false(r.costs.measured[DT_COST_REINSERT]);
	share_replay_free(&r);
	share_stream_close(&s);
	free(b.data);
}

/* The pfn table under many joins and leaves: every unit found while it lives, none after. */
static void test_pfn_table(void **state)
{
	struct pfn_table t = {};
	const __u64 nr = 5000;

	(void)state;
	for (__u64 i = 0; i < nr; i++)
		pfn_table_add(&t, i * 512)->owners = i + 1;
	for (__u64 i = 0; i < nr; i += 3)
		pfn_table_remove(&t, i * 512);
	pfn_table_remove(&t, 7); /* not there */
	for (__u64 i = 0; i < nr; i++) {
		struct dt_pfn_owners *unit = pfn_table_find(&t, i * 512);

		if (i % 3 == 0) {
			assert_null(unit);
		} else {
			assert_non_null(unit);
			assert_int_equal(unit->owners, i + 1);
		}
	}
	assert_int_equal(t.nr, nr - (nr + 2) / 3);
	/* a removed slot is zeroed, for census_build */
	for (size_t i = 0; i < t.capacity; i++)
		assert_true(t.used[i] || !t.values[i].owners);
	pfn_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clone_breaks_pmd),
		cmocka_unit_test(test_pmd_update_pages),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_mismatches),
		cmocka_unit_test(test_pfn_table),
		cmocka_unit_test(test_unlisted_owners_leave),
		cmocka_unit_test(test_costs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
