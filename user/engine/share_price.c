// SPDX-License-Identifier: GPL-2.0
#include "engine/share_price.h"

const char *const share_unit_names[SHARE_NR_UNITS] = {
	[SHARE_UNIT_UPDATE] = "share_update",
	[SHARE_UNIT_ALLOC] = "alloc",
	[SHARE_UNIT_LOOKUP] = "lookup",
	[SHARE_UNIT_RMAP_WALK] = "rmap_walk",
};

const char *const share_unit_flags[SHARE_NR_UNITS] = {
	[SHARE_UNIT_UPDATE] = "--update-ns",
	[SHARE_UNIT_ALLOC] = "--alloc-ns",
	[SHARE_UNIT_LOOKUP] = "--lookup-ns",
	[SHARE_UNIT_RMAP_WALK] = "--rmap-walk-ns",
};

const char *const share_unit_source_names[] = {
	[SHARE_UNIT_UNKNOWN] = "unknown",   [SHARE_UNIT_MEASURED] = "measured",
	[SHARE_UNIT_FALLBACK] = "fallback", [SHARE_UNIT_ASSUMED] = "assumed",
	[SHARE_UNIT_GIVEN] = "given",
};

const char *const share_design_names[SHARE_NR_DESIGNS] = {
	[SHARE_KERNEL] = "kernel",
	[SHARE_PROXY] = "proxy",
	[SHARE_PFN_ENTRIES] = "pfn_entries",
	[SHARE_WRITE_PROTECT] = "write_protect",
};

#define OP(op) (1u << (op))
#define UPDATE_FROM "disassoc_shared_fault+disassoc_shared_elsewhere"
#define LOOKUP_FROM "dax_lock+dax_lock_shared+folio_mapping+folio_mapping_shared"
#define RMAP_WALK_FROM "rmap_walk-mf_dax_kill_procs"

/* What an unknown unit could have been taken from: every operation tried, in order. */
static const char *const tried[SHARE_NR_UNITS] = {
	[SHARE_UNIT_UPDATE] = UPDATE_FROM ", disassoc_private, assoc_shared",
	[SHARE_UNIT_ALLOC] = "share_update",
	[SHARE_UNIT_LOOKUP] = LOOKUP_FROM,
	[SHARE_UNIT_RMAP_WALK] = "rmap_walk",
};

/*
 * The average duration of the operations in mask that this run timed (over all their calls),
 * as the unit's cost; false when none was timed (not measured, or never called), or when the
 * durations add up beyond 64 bits (a corrupt stream's).
 */
static bool average_of(struct share_unit_cost *u, const struct share_costs *c, __u32 mask,
		       enum share_unit_source source, const char *from)
{
	__u64 count = 0, sum = 0;

	for (int op = 0; op < DT_NR_COST_OPS; op++) {
		if (!(mask & OP(op)) || !c->measured[op])
			continue;
		if (__builtin_add_overflow(count, c->op[op].count, &count) ||
		    __builtin_add_overflow(sum, c->op[op].sum_ns, &sum))
			return false;
	}
	if (!count)
		return false;
	*u = (struct share_unit_cost){ source, sum / count, count, from };
	return true;
}

/*
 * dax_associate_entry() is inlined into dax_insert_entry() on every kernel we trace
 * (docs/kernel-internals.md 1.1): an association's count update cannot be timed alone, its
 * inverse can. A run without shared disassociations falls back to the same function on a
 * private unit, then to the whole shared insert (an upper bound: it holds the fault's xarray
 * work too).
 */
static void price_update(struct share_unit_cost *u, const struct share_costs *c)
{
	if (average_of(u, c,
		       OP(DT_COST_DISASSOC_SHARED_FAULT) | OP(DT_COST_DISASSOC_SHARED_ELSEWHERE),
		       SHARE_UNIT_MEASURED, UPDATE_FROM))
		return;
	if (average_of(u, c, OP(DT_COST_DISASSOC_PRIVATE), SHARE_UNIT_FALLBACK, "disassoc_private"))
		return;
	average_of(u, c, OP(DT_COST_ASSOC_SHARED), SHARE_UNIT_FALLBACK, "assoc_shared");
}

/*
 * A reverse lookup: xfs_dax_notify_failure's rmap walk without the mf_dax_kill_procs calls
 * it makes for each owner found (xfs_dax_failure_fn, the only caller on XFS), which signal and
 * unmap the owners' processes: memory failure's work, not the lookup's. Without a measure of
 * those calls, the whole walk stands in (an upper bound).
 */
static void price_rmap_walk(struct share_unit_cost *u, const struct share_costs *c)
{
	const struct dt_cost *walk = &c->op[DT_COST_RMAP_WALK],
			     *kill = &c->op[DT_COST_MF_DAX_KILL_PROCS];

	if (!c->measured[DT_COST_RMAP_WALK] || !walk->count)
		return;
	if (!c->measured[DT_COST_MF_DAX_KILL_PROCS] || kill->sum_ns > walk->sum_ns) {
		average_of(u, c, OP(DT_COST_RMAP_WALK), SHARE_UNIT_FALLBACK, "rmap_walk");
		return;
	}
	*u = (struct share_unit_cost){ SHARE_UNIT_MEASURED,
				       (walk->sum_ns - kill->sum_ns) / walk->count, walk->count,
				       RMAP_WALK_FROM };
}

/* A flag given replaces the unit's default. */
static void apply_flag(struct share_unit_cost *u, enum share_unit unit,
		       const struct share_price_params *params)
{
	if (params->ns[unit] >= 0)
		*u = (struct share_unit_cost){ SHARE_UNIT_GIVEN, params->ns[unit], 0,
					       share_unit_flags[unit] };
}

static void price_units(struct share_price *p, const struct share_costs *c,
			const struct share_price_params *params)
{
	struct share_unit_cost *u = p->unit, *update = &u[SHARE_UNIT_UPDATE];

	for (int i = 0; i < SHARE_NR_UNITS; i++)
		u[i] = (struct share_unit_cost){ .source = SHARE_UNIT_UNKNOWN, .from = tried[i] };
	price_update(update, c);
	apply_flag(update, SHARE_UNIT_UPDATE, params);
	/* a proxy or record made at a join, freed at a leave: as much as the count update it replaces */
	if (update->source != SHARE_UNIT_UNKNOWN)
		u[SHARE_UNIT_ALLOC] =
			(struct share_unit_cost){ SHARE_UNIT_ASSUMED, update->ns, update->samples,
						  share_unit_names[SHARE_UNIT_UPDATE] };
	apply_flag(&u[SHARE_UNIT_ALLOC], SHARE_UNIT_ALLOC, params);
	/* a pfn -> proxy lookup: as much as the ->mapping read it serves */
	average_of(&u[SHARE_UNIT_LOOKUP], c,
		   OP(DT_COST_DAX_LOCK) | OP(DT_COST_DAX_LOCK_SHARED) | OP(DT_COST_FOLIO_MAPPING) |
			   OP(DT_COST_FOLIO_MAPPING_SHARED),
		   SHARE_UNIT_ASSUMED, LOOKUP_FROM);
	apply_flag(&u[SHARE_UNIT_LOOKUP], SHARE_UNIT_LOOKUP, params);
	price_rmap_walk(&u[SHARE_UNIT_RMAP_WALK], c);
	apply_flag(&u[SHARE_UNIT_RMAP_WALK], SHARE_UNIT_RMAP_WALK, params);
}

/* counted: the model measured the count (the ->mapping readers' terms need mapuse's points). */
static void add_term(struct share_design_price *d, const struct share_price *p, const char *name,
		     bool counted, __u64 count, enum share_unit unit)
{
	const struct share_unit_cost *u = &p->unit[unit];
	struct share_price_term *t = &d->terms[d->nr_terms++];

	*t = (struct share_price_term){ .name = name, .count = counted ? count : 0, .unit = unit };
	if (!counted)
		t->state = SHARE_TERM_NOT_COUNTED;
	else if (count && u->source == SHARE_UNIT_UNKNOWN)
		t->state = SHARE_TERM_UNIT_UNKNOWN;
	else if (count && __builtin_mul_overflow(count, u->ns, &t->ns))
		t->state = SHARE_TERM_OVERFLOW;
	if (t->state != SHARE_TERM_PRICED)
		t->ns = 0; /* what the overflow left there is no price */
	if (t->state != SHARE_TERM_PRICED ||
	    __builtin_add_overflow(d->total_ns, t->ns, &d->total_ns))
		d->priced = false;
}

void share_price_compute(struct share_price *p, const struct share_model *m,
			 const struct share_costs *costs, const struct share_price_params *params)
{
	struct share_design_price *d = p->design;
	bool uses = m->uses.measured;

	*p = (struct share_price){ 0 };
	for (int i = 0; i < SHARE_NR_DESIGNS; i++)
		d[i].priced = true;
	price_units(p, costs, params);
	add_term(&d[SHARE_KERNEL], p, "share_count_updates", true, m->kernel.share_count_updates,
		 SHARE_UNIT_UPDATE);
	add_term(&d[SHARE_PROXY], p, "allocations_and_frees", true,
		 m->proxy.allocations + m->proxy.frees, SHARE_UNIT_ALLOC);
	add_term(&d[SHARE_PROXY], p, "lookups", uses, m->proxy.lookups, SHARE_UNIT_LOOKUP);
	/* memory failure walks the rmap in the kernel's design too: only the new walks */
	add_term(&d[SHARE_PFN_ENTRIES], p, "owner_lookups_and_shared_unmaps", uses,
		 m->pfn_entries.owner_lookups + m->pfn_entries.shared_unmaps, SHARE_UNIT_RMAP_WALK);
	/* a break callback unlinks one owner, as the kernel's count update at a COW does */
	add_term(&d[SHARE_WRITE_PROTECT], p, "break_callbacks", true,
		 m->write_protect.break_callbacks, SHARE_UNIT_UPDATE);
	add_term(&d[SHARE_WRITE_PROTECT], p, "records_made_and_freed", true,
		 m->write_protect.allocations + m->write_protect.frees, SHARE_UNIT_ALLOC);
	add_term(&d[SHARE_WRITE_PROTECT], p, "uses_on_shared", uses,
		 m->write_protect.uses_on_shared, SHARE_UNIT_LOOKUP);
}
