// SPDX-License-Identifier: GPL-2.0
/*
 * Each record type does to the replayed maps what bpf/share.bpf.c did to its maps when it
 * emitted the record (the function named at each); docs/daxtrace-share-stream.5 says the same
 * in words. One writer here, so the atomics there are plain updates.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/pfn_table.h"
#include "engine/share_replay.h"

struct replay_state {
	struct share_replay *out;
	struct pfn_table units;
	struct dt_share_totals totals;
	struct dt_share_gauges gauges;
	struct dt_anomaly samples[DT_SHARE_SAMPLES];
	size_t index; /* of the record being replayed */
	/* shared updates of PMD units: pages_per_pmd_update() pages each, known at the end */
	__u64 pmd_updates;
	__u8 layout; /* the kernel's share-count layout, from CHECK records (enum dt_page_layout) */
};

static void mismatch(struct replay_state *st)
{
	if (!st->out->mismatches++)
		st->out->first_mismatch = st->index;
}

/* share.bpf.c gauge_add(): the level moves, the peak follows. */
static void gauge_add(__s64 *level, __s64 *peak, __s64 delta)
{
	*level += delta;
	if (*level > *peak)
		*peak = *level;
}

/* share.bpf.c share_count_update_pages(), the PMD units' pages counted at the end. */
static void count_update_pages(struct replay_state *st, const struct dt_pfn_owners *unit,
			       __u64 updates)
{
	if (unit->order)
		st->pmd_updates += updates;
	else
		st->totals.count[DT_SH_SHARED_UPDATE_PAGES] += updates;
}

/*
 * The struct pages one share-count update of a PMD unit writes: 512 where the count is per page
 * (v6.0-v6.14: no folio->share), 1 where it is per folio (v6.15+). The layout every CHECK
 * record carries says which; a stream without one (records lost) falls back on its release.
 */
static __u64 pages_per_pmd_update(const struct replay_state *st, const char *release)
{
	unsigned int major = 0, minor = 0;

	if (st->layout == DT_LAYOUT_V61 || st->layout == DT_LAYOUT_V62)
		return DT_PMD_PAGES;
	if (st->layout == DT_LAYOUT_V615)
		return 1;
	if (sscanf(release, "%u.%u", &major, &minor) == 2 &&
	    (major < 6 || (major == 6 && minor < 15)))
		return DT_PMD_PAGES;
	return 1;
}

/* share.bpf.c pfn_record(): a unit new to the census is zeroed, with the entry's order. */
static struct dt_pfn_owners *unit_of(struct replay_state *st, const struct dt_share_record *rec)
{
	struct dt_pfn_owners *unit = pfn_table_find(&st->units, rec->pfn);

	if (!unit) {
		unit = pfn_table_add(&st->units, rec->pfn);
		if (unit)
			unit->order = rec->order;
	}
	return unit;
}

/* An owner joined: share.bpf.c owner_joined(), and for --snapshot snapshot.c add_owner(). */
static void owner_joined(struct replay_state *st, struct dt_pfn_owners *unit,
			 const struct dt_share_record *rec, bool snapshot)
{
	__u64 *n = st->totals.count;
	__u32 owners = ++unit->owners;
	bool listed = false;

	for (int s = 0; s < DT_SHARE_SLOTS && !listed; s++) {
		if (!unit->slot[s].ino) {
			unit->slot[s] = (struct dt_owner){ .ino = rec->ino,
							   .index = rec->index,
							   .dev = rec->dev };
			listed = true;
		}
	}
	if (!listed)
		unit->unlisted++;
	if (!snapshot) /* the snapshot's owners were there before: no association counted */
		n[DT_SH_ASSOCIATIONS]++;
	if (owners >= 2) {
		if (!snapshot) {
			n[DT_SH_SHARED_UPDATES]++;
			n[DT_SH_SHARED_JOINS]++;
			count_update_pages(st, unit, 1);
		}
		gauge_add(&st->gauges.extra_owners, &st->gauges.extra_owners_peak, 1);
	}
	if (owners == 2) {
		if (!snapshot)
			n[DT_SH_BECAME_SHARED]++;
		unit->shared_since_ns = rec->time_ns;
		gauge_add(&st->gauges.shared, &st->gauges.shared_peak, 1);
	}
}

static int replay_associate(struct replay_state *st, const struct dt_share_record *rec)
{
	struct dt_pfn_owners *unit = unit_of(st, rec);

	if (!unit)
		return -ENOMEM;
	owner_joined(st, unit, rec, false);
	if (rec->owners != unit->owners)
		mismatch(st);
	return 0;
}

/* snapshot.c add_owner(): an owner listed already (same file and index) is not added twice. */
static int replay_snapshot(struct replay_state *st, const struct dt_share_record *rec)
{
	struct dt_pfn_owners *unit = unit_of(st, rec);

	if (!unit)
		return -ENOMEM;
	for (int s = 0; s < DT_SHARE_SLOTS; s++)
		if (unit->slot[s].ino == rec->ino && unit->slot[s].dev == rec->dev &&
		    unit->slot[s].index == rec->index)
			return 0;
	owner_joined(st, unit, rec, true);
	return 0;
}

/* share.bpf.c on_entry_disassociated(), its DISASSOC_APPLY part. */
static void replay_disassociate(struct replay_state *st, const struct dt_share_record *rec)
{
	struct dt_pfn_owners *unit = pfn_table_find(&st->units, rec->pfn);
	__u64 *n = st->totals.count;
	int found = -1;
	__u32 old;

	if (!unit || !unit->owners) {
		mismatch(st); /* BPF emits none for a unit the census does not have */
		return;
	}
	for (int s = 0; s < DT_SHARE_SLOTS && found < 0; s++)
		if (unit->slot[s].ino == rec->ino && unit->slot[s].dev == rec->dev)
			found = s;
	/* an owner not listed must be one beyond the slots; else its join was lost */
	if (found < 0 && !unit->unlisted)
		mismatch(st);
	if (found >= 0)
		unit->slot[found].ino = 0;
	else if (unit->unlisted)
		unit->unlisted--;
	old = unit->owners--;
	n[DT_SH_DISASSOCIATIONS]++;
	if (old >= 2) {
		n[DT_SH_SHARED_UPDATES]++;
		if (!(rec->flags & DT_RECF_IN_FAULT)) /* FICLONE's layout break, truncate, punch */
			n[DT_SH_SHARED_UPDATES_ELSEWHERE]++;
		count_update_pages(st, unit, 1);
		gauge_add(&st->gauges.extra_owners, &st->gauges.extra_owners_peak, -1);
	}
	if (old == 2) {
		n[DT_SH_BECAME_UNSHARED]++;
		gauge_add(&st->gauges.shared, &st->gauges.shared_peak, -1);
	}
	if (rec->owners != old - 1)
		mismatch(st);
	if (old == 1)
		pfn_table_remove(&st->units, rec->pfn);
}

/* share.bpf.c entry_reinserted(): two share-count updates, nothing else changes. */
static void replay_reinsert(struct replay_state *st, const struct dt_share_record *rec)
{
	struct dt_pfn_owners *unit = pfn_table_find(&st->units, rec->pfn);
	__u64 *n = st->totals.count;

	n[DT_SH_DISASSOCIATIONS]++;
	n[DT_SH_ASSOCIATIONS]++;
	if (!unit || rec->owners != unit->owners)
		mismatch(st); /* BPF emits one only for a unit it has, with its owners */
	if (unit && unit->owners >= 2) {
		n[DT_SH_SHARED_UPDATES] += 2;
		n[DT_SH_SHARED_JOINS]++;
		count_update_pages(st, unit, 2);
	}
}

/* share.bpf.c on_entry_inserted(): a COW fault left a unit that others still own. */
static void replay_break(struct replay_state *st, const struct dt_share_record *rec)
{
	struct dt_share_totals *t = &st->totals;

	t->count[DT_SH_BREAKS]++;
	t->break_age_sum_ns += rec->age_ns;
	if (rec->age_ns > t->break_age_max_ns)
		t->break_age_max_ns = rec->age_ns;
	t->break_age_slots[dt_lat_slot(rec->age_ns)]++;
}

/* share.bpf.c check_kernel_view(): a disagreement is an anomaly, the first ones samples. */
static void replay_check(struct replay_state *st, const struct dt_share_record *rec)
{
	__u64 slot;

	if (DT_RECF_CHECK_LAYOUT(rec->flags) != DT_LAYOUT_UNKNOWN)
		st->layout = DT_RECF_CHECK_LAYOUT(rec->flags);
	if (rec->owners == rec->kernel_count)
		return;
	st->totals.count[DT_SH_ANOMALIES]++;
	slot = st->gauges.samples++;
	if (slot >= DT_SHARE_SAMPLES)
		return;
	st->samples[slot] = (struct dt_anomaly){
		.pfn = rec->pfn,
		.ino = rec->ino,
		.dev = rec->dev,
		.owners = rec->owners,
		.kernel_count = rec->kernel_count,
		.kernel_state = rec->detail,
		.event = DT_RECF_CHECK_EVENT(rec->flags),
		.layout = DT_RECF_CHECK_LAYOUT(rec->flags),
	};
}

/* mapuse.bpf.c: one owner lookup at a site, or one the full use table dropped. */
static void replay_owner_use(struct replay_state *st, const struct dt_share_record *rec)
{
	struct share_replay_use *use;

	if (rec->detail >= DT_NR_MAPUSE_SITES)
		return; /* share_stream_parse() refuses it: never here */
	use = &st->out->uses[rec->detail];
	if (rec->flags & DT_RECF_DROPPED) {
		use->dropped++;
		return;
	}
	use->count++;
	use->shared += !!(rec->flags & DT_RECF_SHARED);
}

static int replay_record(struct replay_state *st, const struct dt_share_record *rec)
{
	__u64 *n = st->totals.count;

	switch (rec->type) {
	case DT_REC_ASSOCIATE:
		return replay_associate(st, rec);
	case DT_REC_DISASSOCIATE:
		replay_disassociate(st, rec);
		return 0;
	case DT_REC_REINSERT:
		replay_reinsert(st, rec);
		return 0;
	case DT_REC_BREAK:
		replay_break(st, rec);
		return 0;
	case DT_REC_CHECK:
		replay_check(st, rec);
		return 0;
	case DT_REC_EVICTED:
		n[DT_SH_EVICTED]++;
		return 0;
	case DT_REC_UNMATCHED:
		n[DT_SH_UNMATCHED]++;
		return 0;
	case DT_REC_NO_CONTEXT:
		n[DT_SH_NO_CONTEXT]++;
		return 0;
	case DT_REC_SNAPSHOT:
		return replay_snapshot(st, rec);
	case DT_REC_OWNER_USE:
		replay_owner_use(st, rec);
		return 0;
	case DT_REC_COST: /* cost.bpf.h dt_cost_add(); share_stream_parse() checked the op */
		share_cost_add(&st->out->costs.op[rec->detail], rec->duration_ns);
		return 0;
	default: /* a newer minor version's type (share_stream_parse() refuses it otherwise) */
		st->out->skipped++;
		return 0;
	}
}

static void note_time(struct share_replay *r, __u64 time_ns)
{
	if (!r->timed || time_ns < r->first_ns)
		r->first_ns = time_ns;
	if (!r->timed || time_ns > r->last_ns)
		r->last_ns = time_ns;
	r->timed = true;
}

/* What census_read() takes from the maps, taken from the replayed ones. */
static int finish(struct replay_state *st, const struct share_stream *s)
{
	struct census *c = &st->out->census;
	struct share_replay *r = st->out;
	__u64 kept = st->gauges.samples;
	int err;

	st->totals.count[DT_SH_SHARED_UPDATE_PAGES] +=
		st->pmd_updates * pages_per_pmd_update(st, s->header->release);

	err = census_build(c, pfn_table_values(&st->units), (int)st->units.capacity);
	if (err)
		return err;
	c->totals = st->totals;
	c->gauges = st->gauges;
	c->nr_samples = kept < DT_SHARE_SAMPLES ? (int)kept : DT_SHARE_SAMPLES;
	memcpy(c->samples, st->samples, sizeof(c->samples));
	r->rmap.lookups = r->uses[DT_SITE_MF_DAX_KILL_PROCS].count;
	/* as share_uses_from_report(): no uses at all when the sites were not probed */
	r->owner_uses.measured = s->header->flags & SHARE_STREAM_USES_MEASURED;
	for (int site = 0; r->owner_uses.measured && site < DT_NR_MAPUSE_SITES; site++) {
		r->owner_uses.count[site] = r->uses[site].count;
		r->owner_uses.shared[site] = r->uses[site].shared;
	}
	return 0;
}

int share_replay_run(struct share_replay *r, const struct share_stream *s)
{
	struct replay_state st = { .out = r };
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->rmap.measured = s->header->flags & SHARE_STREAM_RMAP_MEASURED;
	r->lost_records = s->trailer->lost_records;
	r->missed_runs = s->trailer->missed_runs;
	r->has_costs = s->header->minor >= 1;
	share_costs_set_measured(&r->costs, r->has_costs ? s->header->costs_measured : 0);
	for (st.index = 0; st.index < s->nr_records && !err; st.index++) {
		const struct dt_share_record *rec = share_stream_record(s, st.index);

		note_time(r, rec->time_ns);
		err = replay_record(&st, rec);
	}
	if (!err)
		err = finish(&st, s);
	pfn_table_free(&st.units);
	if (err)
		memset(r, 0, sizeof(*r));
	return err;
}

void share_replay_free(struct share_replay *r)
{
	census_free(&r->census);
}
