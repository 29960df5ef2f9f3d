// SPDX-License-Identifier: GPL-2.0
#include "cmd/mapuse_render.h"
#include "engine/file_paths.h"
#include "output/format.h"
#include "cmd/plan_json.h"
#include "engine/empty_note.h"
#include "output/json_writer.h"

static const char *site_kind(enum dt_mapuse_site site)
{
	return mapuse_site_is_fs_reverse(site) ? "fs_reverse" : "page_owner";
}

static const char *path_of(const struct mapuse_file *f, const struct mapuse_view *view, char *buf,
			   size_t size)
{
	/* dev 0: the page named no file. */
	return f->dev ? file_paths_lookup(view->paths, f->dev, f->ino, buf, size) : NULL;
}

static void json_site(struct json_writer *w, enum dt_mapuse_site s, const struct mapuse_site *site,
		      const struct mapuse_view *view)
{
	char dev[32], path[4096];

	json_object_begin(w);
	json_kv_string(w, "site", mapuse_site_name(s));
	json_kv_string(w, "kind", site_kind(s));
	json_kv_uint(w, "count", site->count);
	json_kv_uint(w, "shared", site->shared);
	json_key(w, "stacks");
	json_array_begin(w);
	for (int i = 0; i < site->nr_stacks && i < view->stacks; i++) {
		json_object_begin(w);
		json_key(w, "frames");
		json_array_begin(w);
		for (int f = 0; f < site->stacks[i].nr_frames; f++)
			json_string(w, site->stacks[i].frames[f]);
		json_array_end(w);
		json_kv_uint(w, "count", site->stacks[i].count);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "processes");
	json_array_begin(w);
	for (int i = 0; i < site->nr_procs; i++) {
		json_object_begin(w);
		json_kv_uint(w, "pid", site->procs[i].tgid);
		json_kv_name(w, "comm", site->procs[i].comm);
		json_kv_uint(w, "count", site->procs[i].count);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "files");
	json_array_begin(w);
	for (int i = 0; i < site->nr_files; i++) {
		const struct mapuse_file *f = &site->files[i];

		json_object_begin(w);
		format_dev(f->dev, dev, sizeof(dev));
		json_kv_string(w, "dev", f->dev ? dev : NULL);
		json_kv_uint(w, "ino", f->ino);
		json_kv_name(w, "path", path_of(f, view, path, sizeof(path)));
		json_kv_uint(w, "count", f->count);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

void mapuse_render_json(FILE *out, const struct mapuse_report *r, const struct mapuse_view *view,
			double elapsed_s)
{
	struct json_writer *w = json_writer_new(out);
	char now[32];

	if (!w)
		return;
	format_utc_now(now, sizeof(now));
	json_object_begin(w);
	json_kv_string(w, "time", now);
	json_kv_double(w, "elapsed_s", elapsed_s);
	json_kv_string(w, "kernel", view->kernel_release);
	json_attach_plan(w, view->plan);
	if (view->empty) /* a record's view: none */
		empty_note_json(w, view->empty);
	json_kv_uint(w, "total", r->total);
	json_kv_uint(w, "shared", r->shared);
	json_kv_uint(w, "fs_reverse_lookups", r->fs_reverse_lookups);
	json_kv_uint(w, "lost", mapuse_report_lost(r));
	json_key(w, "sites");
	json_array_begin(w);
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++)
		if (r->sites[s].count)
			json_site(w, s, &r->sites[s], view);
	json_array_end(w);
	json_object_end(w);
	json_writer_free(w);
}

void mapuse_render_text(FILE *out, const struct mapuse_report *r, const struct mapuse_view *view,
			double elapsed_s)
{
	char now[32];

	format_utc_now(now, sizeof(now));
	fprintf(out, "%s  %.1f s  kernel %s\n", now, elapsed_s, view->kernel_release);
	fprintf(out,
		"->mapping uses %llu (%llu on shared pages)   filesystem reverse lookups %llu   "
		"lost %llu\n",
		(unsigned long long)r->total, (unsigned long long)r->shared,
		(unsigned long long)r->fs_reverse_lookups,
		(unsigned long long)mapuse_report_lost(r));
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++) {
		const struct mapuse_site *site = &r->sites[s];

		if (!site->count)
			continue;
		fprintf(out, "%-28s %-10s %8llu uses, %llu shared\n", mapuse_site_name(s),
			site_kind(s), (unsigned long long)site->count,
			(unsigned long long)site->shared);
		for (int i = 0; i < site->nr_stacks && i < view->stacks; i++) {
			fprintf(out, "  %llu x", (unsigned long long)site->stacks[i].count);
			for (int f = 1; f < site->stacks[i].nr_frames && f < 8; f++)
				fprintf(out, " %s %s", f > 1 ? "<-" : "",
					site->stacks[i].frames[f]);
			fputc('\n', out);
		}
	}
	fputc('\n', out);
}
