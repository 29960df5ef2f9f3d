// SPDX-License-Identifier: GPL-2.0
#include "engine/share_model.h"

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

void share_model_compute(struct share_model *m, const struct census *c, __u64 proxy_bytes,
			 const struct share_rmap *rmap)
{
	const __u64 *n = c->totals.count;

	m->kernel.shared_pfns = c->shared_pfns;
	m->kernel.shared_pfns_peak = c->gauges.shared_peak;
	m->kernel.share_count_updates = n[DT_SH_SHARED_UPDATES];
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
	m->write_protect.objects_per_page = c->shared_pages;
}

bool share_model_has_pmd(const struct share_model *m)
{
	return m->pfn_entries.entries_per_page != m->pfn_entries.entries;
}
