// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "engine/map_read.h"
#include "engine/mapuse_report.h"
#include "engine/sorted.h"

static const char *const site_names[DT_NR_MAPUSE_SITES] = {
	[DT_SITE_DAX_LOCK_PAGE] = "dax_lock_page",
	[DT_SITE_DAX_LOCK_FOLIO] = "dax_lock_folio",
	[DT_SITE_FOLIO_MAPPING] = "folio_mapping",
	[DT_SITE_PAGE_MAPPING] = "page_mapping",
	[DT_SITE_MF_DAX_KILL_PROCS] = "mf_dax_kill_procs",
	[DT_SITE_LAYOUT_BUSY] = "dax_layout_busy_page_range",
};

const char *mapuse_site_name(enum dt_mapuse_site site)
{
	return site < DT_NR_MAPUSE_SITES ? site_names[site] : "?";
}

bool mapuse_site_is_fs_reverse(enum dt_mapuse_site site)
{
	return site == DT_SITE_MF_DAX_KILL_PROCS || site == DT_SITE_LAYOUT_BUSY;
}

/* Adds count to the item of a equal to item on key_size bytes, or appends item. */
static int tally(struct grow_array *a, const void *item, size_t key_size, __u64 count,
		 size_t count_offset)
{
	char *slot;

	for (int i = 0; i < a->nr; i++) {
		slot = grow_array_at(a, i);
		if (!memcmp(slot, item, key_size)) {
			*(__u64 *)(slot + count_offset) += count;
			return 0;
		}
	}
	slot = grow_array_push(a);
	if (!slot)
		return -ENOMEM;
	memcpy(slot, item, a->item_size);
	*(__u64 *)(slot + count_offset) = count;
	return 0;
}

/* A site's stacks, processes and files while they are tallied. */
struct site_lists {
	struct grow_array stacks, procs, files;
};

static int by_count(__u64 a, __u64 b)
{
	return (a < b) - (a > b);
}

static int compare_stacks(const void *a, const void *b)
{
	const struct mapuse_stack *x = a, *y = b;

	return by_count(x->count, y->count) ?:
					      (x->stackid > y->stackid) - (x->stackid < y->stackid);
}

static int compare_procs(const void *a, const void *b)
{
	const struct mapuse_proc *x = a, *y = b;

	return by_count(x->count, y->count) ?: (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

static int compare_files(const void *a, const void *b)
{
	const struct mapuse_file *x = a, *y = b;

	return by_count(x->count, y->count) ?: (x->ino > y->ino) - (x->ino < y->ino);
}

static int add_row(struct mapuse_report *r, struct site_lists *lists, const struct dt_mapuse_key *k,
		   const struct dt_mapuse_value *v)
{
	struct mapuse_site *site = &r->sites[k->site];
	struct mapuse_stack stack = { .stackid = k->stackid };
	struct mapuse_proc proc = { .tgid = k->tgid };
	struct mapuse_file file = { .dev = k->dev, .ino = k->ino };

	memcpy(proc.comm, k->comm, sizeof(proc.comm));
	site->count += v->count;
	site->shared += v->shared;
	if (mapuse_site_is_fs_reverse(k->site)) {
		r->fs_reverse_lookups += v->count;
	} else {
		r->total += v->count;
		r->shared += v->shared;
	}
	return tally(&lists->stacks, &stack, sizeof(stack.stackid), v->count, offsetof(struct mapuse_stack, count)) ?:
		       tally(&lists->procs, &proc, offsetof(struct mapuse_proc, count), v->count, offsetof(struct mapuse_proc, count)) ?:
		       tally(&lists->files, &file, offsetof(struct mapuse_file, count), v->count,
			     offsetof(struct mapuse_file, count));
}

int mapuse_report_build(struct mapuse_report *r, const struct dt_mapuse_key *keys,
			const struct dt_mapuse_value *values, int n)
{
	struct site_lists lists[DT_NR_MAPUSE_SITES];
	int err = 0;

	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++)
		lists[s] = (struct site_lists){ GROW_ARRAY_INIT(struct mapuse_stack),
						GROW_ARRAY_INIT(struct mapuse_proc),
						GROW_ARRAY_INIT(struct mapuse_file) };
	for (int i = 0; i < n && !err; i++)
		if (keys[i].site < DT_NR_MAPUSE_SITES)
			err = add_row(r, &lists[keys[i].site], &keys[i], &values[i]);
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++) {
		struct mapuse_site *site = &r->sites[s];

		if (err) {
			grow_array_free(&lists[s].stacks);
			grow_array_free(&lists[s].procs);
			grow_array_free(&lists[s].files);
			continue;
		}
		site->stacks = grow_array_take(&lists[s].stacks, &site->nr_stacks);
		site->procs = grow_array_take(&lists[s].procs, &site->nr_procs);
		site->files = grow_array_take(&lists[s].files, &site->nr_files);
		sort_items(site->stacks, site->nr_stacks, sizeof(*site->stacks), compare_stacks);
		sort_items(site->procs, site->nr_procs, sizeof(*site->procs), compare_procs);
		sort_items(site->files, site->nr_files, sizeof(*site->files), compare_files);
	}
	return err;
}

/*
 * The frames above the site's own function are the BPF program and its trampoline (fentry),
 * which the kallsyms read at start does not know: the stack starts at the site.
 */
static void start_at_site(struct mapuse_stack *stack, const char *site)
{
	size_t len = strlen(site);

	for (int i = 0; i < stack->nr_frames; i++) {
		const char *frame = stack->frames[i];

		if (strncmp(frame, site, len) || (frame[len] && frame[len] != ' '))
			continue;
		memmove(stack->frames, stack->frames[i],
			(stack->nr_frames - i) * sizeof(stack->frames[0]));
		stack->nr_frames -= i;
		return;
	}
}

/* Frames by name, leaf first. */
static void symbolise(struct mapuse_stack *stack, int stacks_fd, const struct ksym_table *ksyms)
{
	__u64 ips[DT_MAPUSE_STACK_DEPTH] = {};

	stack->nr_frames = 0;
	if (stack->stackid < 0 || bpf_map_lookup_elem(stacks_fd, &stack->stackid, ips))
		return;
	for (int i = 0; i < DT_MAPUSE_STACK_DEPTH && ips[i]; i++) {
		const struct ksym *sym = ksym_table_resolve(ksyms, ips[i]);
		char *frame = stack->frames[stack->nr_frames];
		char name[80];

		if (!sym) {
			snprintf(frame, sizeof(stack->frames[0]), "0x%llx",
				 (unsigned long long)ips[i]);
		} else {
			ksym_stable_name(sym->name, name, sizeof(name));
			snprintf(frame, sizeof(stack->frames[0]), "%s%s%s%s", name,
				 sym->module ? " [" : "", sym->module ? sym->module : "",
				 sym->module ? "]" : "");
		}
		stack->nr_frames++;
	}
}

int mapuse_report_read(struct mapuse_report *r, int uses_fd, int stacks_fd, int dropped_fd,
		       const struct ksym_table *ksyms)
{
	struct map_rows rows;
	__u32 zero = 0;
	int err;

	memset(r, 0, sizeof(*r));
	err = map_read_rows(uses_fd, sizeof(struct dt_mapuse_key), sizeof(struct dt_mapuse_value),
			    NULL, MAP_READ_AUTO, &rows);
	if (err)
		return err;
	err = mapuse_report_build(r, rows.keys.items, rows.values.items, rows.keys.nr);
	map_rows_free(&rows);
	if (err) {
		mapuse_report_free(r);
		return err;
	}
	/* Uses that found the table full: a read that fails counts none. */
	if (map_read_percpu(dropped_fd, &zero, sizeof(r->dropped), NULL, &r->dropped))
		r->dropped = 0;
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++)
		for (int i = 0; i < r->sites[s].nr_stacks; i++) {
			symbolise(&r->sites[s].stacks[i], stacks_fd, ksyms);
			start_at_site(&r->sites[s].stacks[i], mapuse_site_name(s));
		}
	return 0;
}

void mapuse_report_free(struct mapuse_report *r)
{
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++) {
		free(r->sites[s].stacks);
		free(r->sites[s].procs);
		free(r->sites[s].files);
	}
	memset(r, 0, sizeof(*r));
}

__u64 mapuse_report_lost(const struct mapuse_report *r)
{
	return r->missed_runs + r->dropped;
}
