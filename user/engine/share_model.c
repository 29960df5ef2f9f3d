// SPDX-License-Identifier: GPL-2.0
#include "engine/share_model.h"
#include "engine/mapuse_report.h"

void share_losses_compute(struct share_losses *l, const struct census *c, __u64 missed_runs)
{
	const __u64 *n = c->totals.count;

	*l = (struct share_losses){
		.missed_runs = missed_runs,
		.no_context = n[DT_SH_NO_CONTEXT],
		.evicted = n[DT_SH_EVICTED],
		.unmatched = n[DT_SH_UNMATCHED],
		.lost = missed_runs + n[DT_SH_NO_CONTEXT],
	};
}

void share_uses_from_report(struct share_uses *u, const struct mapuse_report *r, bool measured)
{
	*u = (struct share_uses){ .measured = measured };
	for (int site = 0; measured && site < DT_NR_MAPUSE_SITES; site++) {
		u->count[site] = r->sites[site].count;
		u->shared[site] = r->sites[site].shared;
	}
}

/* The terms of the ->mapping readers: page_owner sites only (fs_reverse ones name no page). */
static void add_uses(struct share_model *m, const struct share_uses *u)
{
	m->uses = *u;
	for (int site = 0; site < DT_NR_MAPUSE_SITES; site++) {
		if (mapuse_site_is_fs_reverse(site))
			continue;
		m->proxy.lookups += u->shared[site];
		m->pfn_entries.owner_lookups += u->count[site];
		m->write_protect.sites_to_convert += u->shared[site] > 0;
		m->write_protect.uses_on_shared += u->shared[site];
	}
}

void share_model_compute(struct share_model *m, const struct census *c, __u64 proxy_bytes,
			 const struct share_rmap *rmap, const struct share_uses *uses)
{
	const __u64 *n = c->totals.count;

	*m = (struct share_model){ 0 };

	m->kernel.shared_pfns = c->shared_pfns;
	m->kernel.shared_pfns_peak = c->gauges.shared_peak;
	m->kernel.share_count_updates = n[DT_SH_SHARED_UPDATES];
	m->kernel.share_count_updates_elsewhere = n[DT_SH_SHARED_UPDATES_ELSEWHERE];
	m->kernel.share_count_updates_in_faults =
		n[DT_SH_SHARED_UPDATES] - n[DT_SH_SHARED_UPDATES_ELSEWHERE];
	m->proxy.allocations = n[DT_SH_SHARED_JOINS];
	m->proxy.frees = n[DT_SH_SHARED_UPDATES] - n[DT_SH_SHARED_JOINS];
	m->pfn_entries.shared_unmaps = n[DT_SH_SHARED_UPDATES_ELSEWHERE];
	m->kernel.share_count_update_pages = n[DT_SH_SHARED_UPDATE_PAGES];
	m->proxy.objects = c->extra_owners;
	m->proxy.objects_peak = c->gauges.extra_owners_peak;
	m->proxy.index_overrides = c->index_overrides;
	m->proxy.bytes_per_object = proxy_bytes;
	m->proxy.bytes = c->extra_owners * proxy_bytes;
	m->proxy.objects_per_page = c->extra_owner_pages;
	m->proxy.bytes_per_page_proxies = c->extra_owner_pages * proxy_bytes;
	m->pfn_entries.entries = c->owner_entries;
	m->pfn_entries.entries_per_page = c->owner_entry_pages;
	m->pfn_entries.rmap = *rmap;
	m->write_protect.objects = c->shared_pfns;
	m->write_protect.objects_peak = c->gauges.shared_peak;
	m->write_protect.break_callbacks = n[DT_SH_BREAKS];
	m->write_protect.allocations = n[DT_SH_BECAME_SHARED];
	m->write_protect.frees = n[DT_SH_BECAME_UNSHARED];
	if (uses && uses->measured)
		add_uses(m, uses);
	m->pfn_entries.reverse_lookups = m->pfn_entries.rmap.lookups +
					 m->pfn_entries.owner_lookups +
					 m->pfn_entries.shared_unmaps;
	m->write_protect.objects_per_page = c->shared_pages;
}

bool share_model_has_pmd(const struct share_model *m)
{
	return m->pfn_entries.entries_per_page != m->pfn_entries.entries;
}
