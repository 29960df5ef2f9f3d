// SPDX-License-Identifier: GPL-2.0
/*
 * The design model of `daxtrace share --model` and `daxtrace model`, as text and JSON
 * (docs/designs.md gives each term's formula, docs/daxtrace-share.8 each key). A term whose
 * input was not measured on this kernel is "not measured" in the text and null in the JSON,
 * never 0.
 */
#include "cmd/share_render.h"
#include "engine/mapuse_report.h"
#include "output/json_writer.h"

static const char *const rmap_note =
	"not measured: mf_dax_kill_procs cannot be probed on this kernel";
static const char *const uses_note =
	"not measured: the ->mapping readers (dax_lock_folio/page, folio_mapping) are not probed";

/* key: value when measured, else key: null and key_note: why. */
static void json_measured(struct json_writer *w, const char *key, bool measured, __u64 value,
			  const char *note)
{
	char note_key[64];

	json_key(w, key);
	if (measured) {
		json_uint(w, value);
		return;
	}
	json_null(w);
	snprintf(note_key, sizeof(note_key), "%s_note", key);
	json_kv_string(w, note_key, note);
}

/* The page_owner sites that met a shared page: the ones write protection must convert. */
static void json_sites_to_convert(struct json_writer *w, const struct share_uses *u)
{
	json_key(w, "sites");
	if (!u->measured) {
		json_null(w);
		return;
	}
	json_array_begin(w);
	for (int site = 0; site < DT_NR_MAPUSE_SITES; site++)
		if (!mapuse_site_is_fs_reverse(site) && u->shared[site])
			json_string(w, mapuse_site_name(site));
	json_array_end(w);
}

void share_model_json(struct json_writer *w, const struct share_model *m)
{
	bool uses = m->uses.measured, rmap = m->pfn_entries.rmap.measured;

	json_key(w, "model");
	json_object_begin(w);
	json_key(w, "kernel");
	json_object_begin(w);
	json_kv_uint(w, "shared_pfns", m->kernel.shared_pfns);
	json_kv_int(w, "shared_pfns_peak", m->kernel.shared_pfns_peak);
	json_kv_uint(w, "share_count_updates", m->kernel.share_count_updates);
	json_kv_uint(w, "share_count_updates_in_faults", m->kernel.share_count_updates_in_faults);
	json_kv_uint(w, "share_count_updates_elsewhere", m->kernel.share_count_updates_elsewhere);
	json_kv_uint(w, "share_count_update_pages", m->kernel.share_count_update_pages);
	json_object_end(w);
	json_key(w, "proxy");
	json_object_begin(w);
	json_kv_uint(w, "objects", m->proxy.objects);
	json_kv_int(w, "objects_peak", m->proxy.objects_peak);
	json_kv_uint(w, "index_overrides", m->proxy.index_overrides);
	json_kv_uint(w, "bytes_per_object", m->proxy.bytes_per_object);
	json_kv_uint(w, "bytes", m->proxy.bytes);
	json_kv_uint(w, "objects_per_page", m->proxy.objects_per_page);
	json_kv_uint(w, "bytes_per_page_proxies", m->proxy.bytes_per_page_proxies);
	json_kv_uint(w, "allocations", m->proxy.allocations);
	json_kv_uint(w, "frees", m->proxy.frees);
	json_measured(w, "lookups", uses, m->proxy.lookups, uses_note);
	json_object_end(w);
	json_key(w, "pfn_entries");
	json_object_begin(w);
	json_kv_uint(w, "entries", m->pfn_entries.entries);
	json_kv_uint(w, "entries_per_page", m->pfn_entries.entries_per_page);
	json_measured(w, "rmap_lookups", rmap, m->pfn_entries.rmap.lookups, rmap_note);
	json_measured(w, "owner_lookups", uses, m->pfn_entries.owner_lookups, uses_note);
	json_kv_uint(w, "shared_unmaps", m->pfn_entries.shared_unmaps);
	json_measured(w, "reverse_lookups", uses && rmap, m->pfn_entries.reverse_lookups,
		      "not measured: a part of it is not (rmap_lookups_note, owner_lookups_note)");
	json_object_end(w);
	json_key(w, "write_protect");
	json_object_begin(w);
	json_kv_uint(w, "objects", m->write_protect.objects);
	json_kv_int(w, "objects_peak", m->write_protect.objects_peak);
	json_kv_uint(w, "break_callbacks", m->write_protect.break_callbacks);
	json_kv_uint(w, "allocations", m->write_protect.allocations);
	json_kv_uint(w, "frees", m->write_protect.frees);
	json_kv_uint(w, "objects_per_page", m->write_protect.objects_per_page);
	json_measured(w, "sites_to_convert", uses, m->write_protect.sites_to_convert, uses_note);
	json_measured(w, "uses_on_shared", uses, m->write_protect.uses_on_shared, uses_note);
	json_sites_to_convert(w, &m->uses);
	json_object_end(w);
	json_object_end(w);
}

static void text_measured(FILE *out, const char *what, bool measured, __u64 value)
{
	if (measured)
		fprintf(out, "%s %llu", what, (unsigned long long)value);
	else
		fprintf(out, "%s not measured", what);
}

/* With a PMD unit, each design's per-page terms follow its per-unit ones (designs.md). */
void share_model_text(FILE *out, const struct share_model *m)
{
	bool pmd = share_model_has_pmd(m), uses = m->uses.measured;

	fprintf(out, "MODEL (docs/designs.md)\n");
	fprintf(out,
		"  kernel         shared pfns %llu (peak %lld), share-count updates %llu (%llu in "
		"faults, %llu elsewhere)",
		(unsigned long long)m->kernel.shared_pfns, (long long)m->kernel.shared_pfns_peak,
		(unsigned long long)m->kernel.share_count_updates,
		(unsigned long long)m->kernel.share_count_updates_in_faults,
		(unsigned long long)m->kernel.share_count_updates_elsewhere);
	if (pmd)
		fprintf(out, " writing %llu struct pages",
			(unsigned long long)m->kernel.share_count_update_pages);
	fprintf(out,
		"\n  proxy          objects %llu (peak %lld), index overrides %llu, %llu bytes at %llu "
		"per object",
		(unsigned long long)m->proxy.objects, (long long)m->proxy.objects_peak,
		(unsigned long long)m->proxy.index_overrides, (unsigned long long)m->proxy.bytes,
		(unsigned long long)m->proxy.bytes_per_object);
	if (pmd)
		fprintf(out, "; per page %llu objects, %llu bytes",
			(unsigned long long)m->proxy.objects_per_page,
			(unsigned long long)m->proxy.bytes_per_page_proxies);
	fprintf(out, "\n                 allocations %llu, frees %llu, ",
		(unsigned long long)m->proxy.allocations, (unsigned long long)m->proxy.frees);
	text_measured(out, "lookups", uses, m->proxy.lookups);
	fprintf(out, "\n  pfn_entries    page-cache entries %llu, ",
		(unsigned long long)m->pfn_entries.entries);
	if (pmd)
		fprintf(out, "per page %llu, ",
			(unsigned long long)m->pfn_entries.entries_per_page);
	fprintf(out, "reverse lookups: ");
	text_measured(out, "memory failure", m->pfn_entries.rmap.measured,
		      m->pfn_entries.rmap.lookups);
	text_measured(out, ", ->mapping readers", uses, m->pfn_entries.owner_lookups);
	fprintf(out, ", shared unmaps %llu\n", (unsigned long long)m->pfn_entries.shared_unmaps);
	fprintf(out, "  write_protect  objects %llu (peak %lld), ",
		(unsigned long long)m->write_protect.objects,
		(long long)m->write_protect.objects_peak);
	if (pmd)
		fprintf(out, "per page %llu, ",
			(unsigned long long)m->write_protect.objects_per_page);
	fprintf(out, "break callbacks %llu, ",
		(unsigned long long)m->write_protect.break_callbacks);
	text_measured(out, "sites to convert", uses, m->write_protect.sites_to_convert);
	if (uses)
		fprintf(out, " (%llu uses on shared pages)",
			(unsigned long long)m->write_protect.uses_on_shared);
	fprintf(out, "\n");
}
