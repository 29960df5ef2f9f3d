/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel aggregation: every event lands in the run total, its process row and its file row
 * (the exporter: its device row instead), all per-CPU, so the fault path takes no lock and
 * makes no user/kernel crossing.
 */
#ifndef DAXTRACE_ACCOUNT_BPF_H
#define DAXTRACE_ACCOUNT_BPF_H

#include "compat.bpf.h"
#include "maps.bpf.h"

struct dt_rows {
	struct dt_stats *total;
	struct dt_stats *proc; /* NULL when the event is not the current task's doing */
	struct dt_stats *file;
	struct dt_dev_stats *dev; /* the exporter's (dev_rows), else NULL */
};

static __always_inline void dt_health_inc(enum dt_health what)
{
	__u32 slot = what;
	__u64 *value = bpf_map_lookup_elem(&health, &slot);

	if (value)
		(*value)++;
}

/*
 * Looks a row up, creating it as a copy of blank_map's zeroed entry; *created says whether this
 * call made it.
 */
static __always_inline void *dt_row_from(void *map, void *blank_map, const void *key,
					 enum dt_health inserts, bool *created)
{
	void *row = bpf_map_lookup_elem(map, key);
	__u32 zero = 0;
	void *blank;

	*created = false;
	if (row)
		return row;
	blank = bpf_map_lookup_elem(blank_map, &zero);
	if (!blank)
		return NULL;
	if (bpf_map_update_elem(map, key, blank, BPF_NOEXIST) == 0) {
		dt_health_inc(inserts);
		*created = true;
	}
	row = bpf_map_lookup_elem(map, key);
	if (!row)
		dt_health_inc(DT_HEALTH_MAP_FULL);
	return row;
}

static __always_inline struct dt_stats *dt_row(void *map, const void *key, enum dt_health inserts,
					       bool *created)
{
	return dt_row_from(map, &zero_stats, key, inserts, created);
}

/*
 * The task's cgroup as the exporter labels it: its own id while fewer than --max-series
 * cgroups have rows, else DT_CGROUP_OTHER, the first time counted as a folded cgroup.
 */
static __always_inline __u64 dt_cgroup_label(void)
{
	__u64 id = bpf_get_current_cgroup_id();
	__u8 seen = 1;

	if (bpf_map_lookup_elem(&cgroup_series, &id) ||
	    !bpf_map_update_elem(&cgroup_series, &id, &seen, BPF_NOEXIST) ||
	    bpf_map_lookup_elem(&cgroup_series, &id)) /* another CPU added it just now */
		return id;
	if (!bpf_map_update_elem(&folded_cgroups, &id, &seen, BPF_NOEXIST))
		dt_health_inc(DT_HEALTH_FOLDED_CGROUPS);
	return DT_CGROUP_OTHER;
}

static __always_inline struct dt_dev_stats *dt_dev_row(__u32 dev)
{
	struct dt_dev_key key = { .dev = dev };
	bool created;

	if (cgroup_labels)
		key.cgroup = dt_cgroup_label();
	return dt_row_from(&dev_stats, &zero_dev_stats, &key, DT_HEALTH_DEV_INSERTS, &created);
}

/* Path components, leaf first, up to the filesystem root or DT_PATH_DEPTH; once per file. */
static __always_inline void dt_capture_names(const struct dt_file_key *file, struct dentry *dentry,
					     bool dax)
{
	struct dt_file_info *info;
	__u32 zero = 0;
	int depth;

	info = bpf_map_lookup_elem(&zero_file_info, &zero);
	if (!info || bpf_map_update_elem(&file_info, file, info, BPF_NOEXIST))
		return;
	info = bpf_map_lookup_elem(&file_info, file);
	if (!info)
		return;
	info->dax = dax;
	for (depth = 0; depth < DT_PATH_DEPTH && dentry; depth++) {
		struct dentry *parent = BPF_CORE_READ(dentry, d_parent);

		if (parent == dentry) {
			info->complete = 1;
			break;
		}
		bpf_probe_read_kernel_str(info->names[depth], DT_NAME_LEN,
					  BPF_CORE_READ(dentry, d_name.name));
		dentry = parent;
	}
	info->depth = depth;
}

/* The dentry of an inode, through its first alias (hlist i_dentry -> dentry's d_alias). */
static __always_inline struct dentry *dt_inode_dentry(struct inode *inode)
{
	struct hlist_node *alias = BPF_CORE_READ(inode, i_dentry.first);

	return alias ? dt_alias_dentry(alias) : NULL;
}

/* The current process's row. */
static __always_inline struct dt_stats *dt_proc_row(void)
{
	struct dt_proc_key proc = {};
	bool created;

	proc.tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(proc.comm, sizeof(proc.comm));
	return dt_row(&proc_stats, &proc, DT_HEALTH_PROC_INSERTS, &created);
}

/*
 * The rows an event lands in. with_proc is false for work a kernel thread does on a traced
 * process's behalf (COW completion). inode may be NULL (classic tracepoints): the file row then
 * gets no path.
 */
static __always_inline bool dt_rows_get(struct dt_rows *rows, const struct dt_file_key *file,
					struct inode *inode, bool dax, bool with_proc)
{
	__u32 zero = 0;
	bool created;

	rows->total = bpf_map_lookup_elem(&total_stats, &zero);
	if (!rows->total)
		return false;
	rows->dev = dev_rows ? dt_dev_row(file->dev) : NULL;
	rows->proc = NULL;
	rows->file = NULL;
	if (!keyed_rows)
		return true;
	if (with_proc)
		rows->proc = dt_proc_row();
	rows->file = dt_row(&file_stats, file, DT_HEALTH_FILE_INSERTS, &created);
	if (created)
		dt_capture_names(file, inode ? dt_inode_dentry(inode) : NULL, dax);
	return true;
}

static __always_inline void dt_add(struct dt_rows *rows, enum dt_counter counter, __u64 n)
{
	rows->total->count[counter] += n;
	if (rows->proc)
		rows->proc->count[counter] += n;
	if (rows->file)
		rows->file->count[counter] += n;
	if (rows->dev)
		rows->dev->stats.count[counter] += n;
}

static __always_inline void dt_add_fallback_reason(struct dt_rows *rows,
						   enum dt_fallback_reason reason)
{
	__u32 slot = reason;

	barrier_var(slot); /* as in dt_stats_latency: keep the bound on this register */
	if (slot >= DT_NR_FALLBACK_REASONS)
		return;
	rows->total->fallback_reasons[slot]++;
	if (rows->proc)
		rows->proc->fallback_reasons[slot]++;
	if (rows->file)
		rows->file->fallback_reasons[slot]++;
	if (rows->dev)
		rows->dev->stats.fallback_reasons[slot]++;
}

/*
 * A PTE fault with no PMD fault tried first; DT_NR_NO_PMD_REASONS (one was) counts nothing.
 * dt_add_fallback_reason's twin: one function over both arrays, by offset, lost the bound
 * (the 6.18 verifier refused lat's dax_pte_fault_done: "R5 max value is outside").
 */
static __always_inline void dt_add_pte_reason(struct dt_rows *rows, __u8 reason)
{
	__u32 slot = reason;

	barrier_var(slot); /* as in dt_stats_latency: keep the bound on this register */
	if (slot >= DT_NR_NO_PMD_REASONS)
		return;
	rows->total->pte_reasons[slot]++;
	if (rows->proc)
		rows->proc->pte_reasons[slot]++;
	if (rows->file)
		rows->file->pte_reasons[slot]++;
	if (rows->dev)
		rows->dev->stats.pte_reasons[slot]++;
}

static __always_inline void dt_stats_latency(struct dt_stats *stats, __u64 ns, __u32 slot)
{
	stats->lat_sum_ns += ns;
	if (ns > stats->lat_max_ns)
		stats->lat_max_ns = ns;
	/*
	 * clang knows dt_lat_slot() is in range and drops this check, leaving the 6.1 verifier
	 * a bound on a register copy only ("unbounded memory access"): hide the value first.
	 */
	barrier_var(slot);
	if (slot < DT_LAT_SLOTS)
		stats->lat_slots[slot]++;
}

static __always_inline void dt_add_latency(struct dt_rows *rows, __u64 ns)
{
	__u32 slot = dt_lat_slot(ns);

	dt_stats_latency(rows->total, ns, slot);
	if (rows->proc)
		dt_stats_latency(rows->proc, ns, slot);
	if (rows->file)
		dt_stats_latency(rows->file, ns, slot);
	if (rows->dev)
		dt_stats_latency(&rows->dev->stats, ns, slot);
}

#endif /* DAXTRACE_ACCOUNT_BPF_H */
