// SPDX-License-Identifier: GPL-2.0
#include "cmd/share_render.h"
#include "cmd/reflink_note.h"
#include "cmd/share_costs_render.h"
#include "cmd/share_price_render.h"
#include "engine/file_paths.h"
#include "output/format.h"
#include "output/hist.h"
#include "cmd/plan_json.h"
#include "engine/empty_note.h"
#include "output/json_writer.h"
#include "output/text_escape.h"

static const char *const layout_names[] = {
	[DT_LAYOUT_UNKNOWN] = "unknown",
	[DT_LAYOUT_V61] = "v6.0-v6.1: ->mapping COW marker, count in ->index",
	[DT_LAYOUT_V62] = "v6.2-v6.14: ->mapping shared marker, count in page->share",
	[DT_LAYOUT_V615] = "v6.15+: NULL ->mapping, count in folio->share",
};

static const char *const state_names[] = {
	[DT_KS_NONE] = "none",
	[DT_KS_OWNER] = "owner",
	[DT_KS_SHARED] = "shared",
};

static const char *layout_name(unsigned int layout)
{
	return layout <= DT_LAYOUT_V615 ? layout_names[layout] : "unknown";
}

const char *share_anomaly_explanation(const struct dt_anomaly *a, bool since_snapshot)
{
	if (a->kernel_count < a->owners) {
		if (a->layout == DT_LAYOUT_V61 && a->kernel_state == DT_KS_OWNER)
			return "kernel: v6.0-v6.1 marks a page shared only on a COW write; a read "
			       "fault's dax_associate_entry() replaced ->mapping instead";
		return "the census has owners the kernel does not count: a disassociation not "
		       "seen (lost), or a kernel bug";
	}
	if (!since_snapshot)
		return "the kernel counts owners the census did not see: associated before attach "
		       "(try --snapshot), or an association lost or evicted";
	return "the kernel counts owners the census did not see: associated before attach but "
	       "not mapped at the snapshot, an association lost or evicted, or a kernel bug";
}

static const char *file_path_of(const struct census_file_id *id, const struct share_view *view,
				char *buf, size_t size)
{
	return file_paths_lookup(view->paths, id->dev, id->ino, buf, size);
}

static void json_file_id(struct json_writer *w, const struct census_file_id *id,
			 const struct share_view *view)
{
	char dev[32], path[4096];

	format_dev(id->dev, dev, sizeof(dev));
	json_kv_string(w, "dev", dev);
	json_kv_uint(w, "ino", id->ino);
	json_kv_name(w, "path", file_path_of(id, view, path, sizeof(path)));
}

static void json_owner_hist(struct json_writer *w, const struct census *c)
{
	json_key(w, "owners");
	json_object_begin(w);
	for (int n = 1; n <= CENSUS_MAX_OWNERS; n++) {
		char key[16];

		if (!c->owners_hist[n])
			continue;
		snprintf(key, sizeof(key), n < CENSUS_MAX_OWNERS ? "%d" : "%d+", n);
		json_kv_uint(w, key, c->owners_hist[n]);
	}
	json_object_end(w);
}

static void json_break_age(struct json_writer *w, const struct dt_share_totals *t)
{
	__u64 breaks = t->count[DT_SH_BREAKS];

	json_key(w, "break_age_ns");
	json_object_begin(w);
	json_kv_uint(w, "avg", breaks ? t->break_age_sum_ns / breaks : 0);
	json_kv_uint(w, "p50", hist_percentile(t->break_age_slots, 50, t->break_age_max_ns));
	json_kv_uint(w, "max", t->break_age_max_ns);
	json_object_end(w);
}

static void json_anomalies(struct json_writer *w, const struct census *c,
			   const struct share_view *view, const struct share_losses *losses)
{
	json_kv_uint(w, "anomalies", c->totals.count[DT_SH_ANOMALIES]);
	json_key(w, "anomaly_samples");
	json_array_begin(w);
	for (int i = 0; i < c->nr_samples; i++) {
		const struct dt_anomaly *a = &c->samples[i];
		struct census_file_id id = { .dev = a->dev, .ino = a->ino };
		char pfn[32];

		json_object_begin(w);
		snprintf(pfn, sizeof(pfn), "0x%llx", (unsigned long long)a->pfn);
		json_kv_string(w, "pfn", pfn);
		json_kv_string(w, "event",
			       a->event == DT_EV_ASSOCIATE ? "associate" : "disassociate");
		json_key(w, "file");
		json_object_begin(w);
		json_file_id(w, &id, view);
		json_object_end(w);
		json_kv_uint(w, "owners", a->owners);
		json_kv_uint(w, "kernel_count", a->kernel_count);
		json_kv_string(w, "kernel_state",
			       a->kernel_state <= DT_KS_SHARED ? state_names[a->kernel_state] :
								 "?");
		json_kv_string(w, "kernel", view->kernel_release);
		json_kv_string(w, "kernel_layout", layout_name(a->layout));
		json_kv_string(w, "explanation",
			       share_anomaly_explanation(a, view->since_snapshot));
		json_object_end(w);
	}
	json_array_end(w);
	/* What the census may have missed, so that an anomaly can be told from a kernel bug. */
	json_key(w, "missed_events");
	json_object_begin(w);
	json_kv_bool(w, "before_attach", !view->since_snapshot);
	json_kv_uint(w, "lost_runs", losses->missed_runs);
	json_kv_uint(w, "no_context", losses->no_context);
	json_kv_uint(w, "evicted", losses->evicted);
	json_kv_uint(w, "unmatched_disassociations", losses->unmatched);
	json_object_end(w);
}

static void json_files_and_pairs(struct json_writer *w, const struct census *c,
				 const struct share_view *view)
{
	json_key(w, "files");
	json_array_begin(w);
	for (int i = 0; i < c->nr_files; i++) {
		json_object_begin(w);
		json_file_id(w, &c->files[i].id, view);
		json_kv_uint(w, "pfns", c->files[i].pfns);
		json_kv_uint(w, "shared_pfns", c->files[i].shared_pfns);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "pairs");
	json_array_begin(w);
	for (int i = 0; i < c->nr_pairs && i < view->rows; i++) {
		json_object_begin(w);
		json_key(w, "a");
		json_object_begin(w);
		json_file_id(w, &c->pairs[i].a, view);
		json_object_end(w);
		json_key(w, "b");
		json_object_begin(w);
		json_file_id(w, &c->pairs[i].b, view);
		json_object_end(w);
		json_kv_uint(w, "shared_pfns", c->pairs[i].shared_pfns);
		json_kv_uint(w, "shared_bytes", c->pairs[i].shared_bytes);
		json_object_end(w);
	}
	json_array_end(w);
}

/* The census per 4 KiB page, and its PMD units (docs/designs.md, "Shared PMD entries"). */
static void json_census_pages(struct json_writer *w, const struct census *c)
{
	for (int i = 0; i < CENSUS_NR_PAGE_FIGURES; i++)
		json_kv_uint(w, census_page_figures[i].key,
			     census_figure(c, &census_page_figures[i]));
}

void share_render_json(FILE *out, const struct share_report *report, const struct share_view *view)
{
	const struct census *c = report->census;
	struct json_writer *w = json_writer_new(out);
	const __u64 *n = c->totals.count;
	char now[32];

	if (!w)
		return;
	format_utc(report->time ? report->time : time(NULL), now, sizeof(now));
	json_object_begin(w);
	json_kv_string(w, "time", now);
	json_kv_double(w, "elapsed_s", report->elapsed_s);
	json_kv_string(w, "kernel", view->kernel_release);
	if (view->no_reflink)
		reflink_note_json(w, view->no_reflink);
	json_attach_plan(w, view->plan);
	if (view->empty) /* a record's view: none */
		empty_note_json(w, view->empty);
	json_kv_string(w, "unit", "pmd");
	json_kv_string(w, "since", view->since_snapshot ? "snapshot" : "attach");
	json_kv_uint(w, "pfns", c->pfns);
	json_owner_hist(w, c);
	json_kv_uint(w, "shared_pfns", c->shared_pfns);
	json_kv_int(w, "shared_pfns_peak", c->gauges.shared_peak);
	json_kv_uint(w, "shared_bytes", c->shared_bytes);
	json_census_pages(w, c);
	json_kv_uint(w, "associations", n[DT_SH_ASSOCIATIONS]);
	json_kv_uint(w, "disassociations", n[DT_SH_DISASSOCIATIONS]);
	json_kv_uint(w, "became_shared", n[DT_SH_BECAME_SHARED]);
	json_kv_uint(w, "became_unshared", n[DT_SH_BECAME_UNSHARED]);
	json_kv_uint(w, "breaks", n[DT_SH_BREAKS]);
	json_break_age(w, &c->totals);
	json_kv_uint(w, "index_differs", c->index_differs);
	json_kv_uint(w, "unlisted_owners", c->unlisted_owners);
	json_anomalies(w, c, view, &report->losses);
	json_kv_uint(w, "lost", report->losses.lost);
	json_kv_uint(w, "evicted", report->losses.evicted);
	json_files_and_pairs(w, c, view);
	if (view->model)
		share_model_json(w, &report->model);
	if (report->costs)
		share_costs_json(w, report->costs);
	if (view->model && report->costs)
		share_price_json(w, &report->price);
	json_object_end(w);
	json_writer_free(w);
}

static void text_file(FILE *out, const struct census_file_id *id, const struct share_view *view)
{
	char dev[32], path[4096];
	const char *name = file_path_of(id, view, path, sizeof(path));

	format_dev(id->dev, dev, sizeof(dev));
	if (name)
		text_print(out, name, 0, 0);
	else
		fprintf(out, "%s/%llu", dev, (unsigned long long)id->ino);
}

void share_render_text(FILE *out, const struct share_report *report, const struct share_view *view)
{
	const struct census *c = report->census;
	const __u64 *n = c->totals.count;
	char now[32];

	format_utc(report->time ? report->time : time(NULL), now, sizeof(now));
	fprintf(out, "%s  %.1f s  kernel %s  since %s  (a PMD entry counts as one pfn)\n", now,
		report->elapsed_s, view->kernel_release,
		view->since_snapshot ? "snapshot" : "attach");
	fprintf(out, "pfns %llu   shared %llu (%llu bytes, peak %lld)   owners:",
		(unsigned long long)c->pfns, (unsigned long long)c->shared_pfns,
		(unsigned long long)c->shared_bytes, (long long)c->gauges.shared_peak);
	for (int k = 1; k <= CENSUS_MAX_OWNERS; k++)
		if (c->owners_hist[k])
			fprintf(out, " %d:%llu", k, (unsigned long long)c->owners_hist[k]);
	if (c->pmd_units)
		fprintf(out, "   pmd units %llu (%llu shared)", (unsigned long long)c->pmd_units,
			(unsigned long long)c->shared_pmd_units);
	fprintf(out,
		"\nassociations %llu  disassociations %llu  became shared %llu  unshared %llu  "
		"breaks %llu  index differs %llu\n",
		(unsigned long long)n[DT_SH_ASSOCIATIONS],
		(unsigned long long)n[DT_SH_DISASSOCIATIONS],
		(unsigned long long)n[DT_SH_BECAME_SHARED],
		(unsigned long long)n[DT_SH_BECAME_UNSHARED], (unsigned long long)n[DT_SH_BREAKS],
		(unsigned long long)c->index_differs);
	fprintf(out, "anomalies %llu  lost %llu  evicted %llu\n",
		(unsigned long long)n[DT_SH_ANOMALIES], (unsigned long long)report->losses.lost,
		(unsigned long long)report->losses.evicted);
	for (int i = 0; i < c->nr_samples && i < 3; i++)
		fprintf(out, "  anomaly pfn 0x%llx: %u owners, kernel %u: %s\n",
			(unsigned long long)c->samples[i].pfn, c->samples[i].owners,
			c->samples[i].kernel_count,
			share_anomaly_explanation(&c->samples[i], view->since_snapshot));
	if (c->nr_pairs)
		fprintf(out, "%12s %14s  FILES SHARING PMEM\n", "SHARED PFNS", "BYTES");
	for (int i = 0; i < c->nr_pairs && i < view->rows; i++) {
		fprintf(out, "%12llu %14llu  ", (unsigned long long)c->pairs[i].shared_pfns,
			(unsigned long long)c->pairs[i].shared_bytes);
		text_file(out, &c->pairs[i].a, view);
		fprintf(out, " <-> ");
		text_file(out, &c->pairs[i].b, view);
		fputc('\n', out);
	}
	if (view->no_reflink)
		reflink_note_text(out, view->no_reflink);
	if (view->model)
		share_model_text(out, &report->model);
	if (report->costs)
		share_costs_text(out, report->costs);
	if (view->model && report->costs)
		share_price_text(out, &report->price);
	fputc('\n', out);
}
