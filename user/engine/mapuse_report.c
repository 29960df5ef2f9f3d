// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/mapuse_report.h"
#include "engine/session.h"

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

/*
 * Adds count to the entry of array equal to item (compare on key_size bytes), or appends.
 * Returns the array, moved or not; NULL when out of memory, with array unchanged.
 */
static void *tally(void *array, int *nr, size_t size, const void *item, size_t key_size,
		   __u64 count, size_t count_offset)
{
	char *base = array;

	for (int i = 0; i < *nr; i++) {
		if (!memcmp(base + i * size, item, key_size)) {
			*(__u64 *)(base + i * size + count_offset) += count;
			return array;
		}
	}
	base = realloc(array, (*nr + 1) * size);
	if (!base)
		return NULL;
	memcpy(base + *nr * size, item, size);
	*(__u64 *)(base + *nr * size + count_offset) = count;
	(*nr)++;
	return base;
}

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

static int add_row(struct mapuse_report *r, const struct dt_mapuse_key *k,
		   const struct dt_mapuse_value *v)
{
	struct mapuse_site *site = &r->sites[k->site];
	struct mapuse_stack stack = { .stackid = k->stackid };
	struct mapuse_proc proc = { .tgid = k->tgid };
	struct mapuse_file file = { .dev = k->dev, .ino = k->ino };
	void *grown;

	memcpy(proc.comm, k->comm, sizeof(proc.comm));
	site->count += v->count;
	site->shared += v->shared;
	if (mapuse_site_is_fs_reverse(k->site)) {
		r->fs_reverse_lookups += v->count;
	} else {
		r->total += v->count;
		r->shared += v->shared;
	}
	/* each array is replaced only when tally has one: a failed one stays, to be freed */
	grown = tally(site->stacks, &site->nr_stacks, sizeof(stack), &stack, sizeof(stack.stackid),
		      v->count, offsetof(struct mapuse_stack, count));
	if (!grown)
		return -ENOMEM;
	site->stacks = grown;
	grown = tally(site->procs, &site->nr_procs, sizeof(proc), &proc,
		      offsetof(struct mapuse_proc, count), v->count,
		      offsetof(struct mapuse_proc, count));
	if (!grown)
		return -ENOMEM;
	site->procs = grown;
	grown = tally(site->files, &site->nr_files, sizeof(file), &file,
		      offsetof(struct mapuse_file, count), v->count,
		      offsetof(struct mapuse_file, count));
	if (!grown)
		return -ENOMEM;
	site->files = grown;
	return 0;
}

int mapuse_report_build(struct mapuse_report *r, const struct dt_mapuse_key *keys,
			const struct dt_mapuse_value *values, int n)
{
	for (int i = 0; i < n; i++) {
		int err;

		if (keys[i].site >= DT_NR_MAPUSE_SITES)
			continue;
		err = add_row(r, &keys[i], &values[i]);
		if (err)
			return err;
	}
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++) {
		struct mapuse_site *site = &r->sites[s];

		if (!site->nr_stacks) /* a site never used has NULL arrays, which qsort must not get */
			continue;
		qsort(site->stacks, site->nr_stacks, sizeof(*site->stacks), compare_stacks);
		qsort(site->procs, site->nr_procs, sizeof(*site->procs), compare_procs);
		qsort(site->files, site->nr_files, sizeof(*site->files), compare_files);
	}
	return 0;
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

static int read_rows(int fd, struct dt_mapuse_key **keys, struct dt_mapuse_value **values, int *n)
{
	struct dt_mapuse_key key, next, *prev = NULL;
	int capacity = 0;

	*keys = NULL;
	*values = NULL;
	*n = 0;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (*n == capacity) {
			capacity = capacity ? capacity * 2 : 64;
			*keys = realloc(*keys, capacity * sizeof(**keys));
			*values = realloc(*values, capacity * sizeof(**values));
			if (!*keys || !*values)
				return -ENOMEM;
		}
		if (bpf_map_lookup_elem(fd, &next, &(*values)[*n]) == 0)
			(*keys)[(*n)++] = next;
		key = next;
		prev = &key;
	}
	return errno == ENOENT ? 0 : -errno;
}

static __u64 read_dropped(int fd)
{
	int nr_cpus = libbpf_num_possible_cpus();
	__u64 per_cpu[1024] = {}, sum = 0;
	__u32 zero = 0;

	if (nr_cpus <= 0 || nr_cpus > 1024 || bpf_map_lookup_elem(fd, &zero, per_cpu))
		return 0;
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		sum += per_cpu[cpu];
	return sum;
}

int mapuse_report_size_maps(struct bpf_map *uses, struct bpf_map *stacks)
{
	return session_size_map(uses, DT_MAPUSE_KEYS, "use table") ||
	       session_size_map(stacks, DT_MAPUSE_STACKS, "stack map");
}

int mapuse_report_read(struct mapuse_report *r, int uses_fd, int stacks_fd, int dropped_fd,
		       const struct ksym_table *ksyms)
{
	struct dt_mapuse_key *keys;
	struct dt_mapuse_value *values;
	int n, err;

	memset(r, 0, sizeof(*r));
	err = read_rows(uses_fd, &keys, &values, &n);
	if (!err)
		err = mapuse_report_build(r, keys, values, n);
	free(keys);
	free(values);
	if (err)
		return err;
	r->dropped = read_dropped(dropped_fd);
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
