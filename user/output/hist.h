/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one log2 latency histogram of every command: DT_LAT_SLOTS counters as the BPF side fills
 * them, slot dt_lat_slot(ns). Slot s holds [2^s, 2^(s+1)) ns, slot 0 also holds 0 ns, and the
 * last slot also holds everything above its range.
 */
#ifndef DAXTRACE_HIST_H
#define DAXTRACE_HIST_H

#include <stdio.h>
#include <linux/types.h>

#include "daxtrace.h"

struct json_writer;

/* Lowest ns of a slot: 0 for slot 0, else 2^slot. */
__u64 hist_slot_lo(unsigned int slot);
/* Highest ns of a slot's log2 range: 2^(slot+1) - 1. */
__u64 hist_slot_hi(unsigned int slot);
/* Number of samples. */
__u64 hist_total(const __u64 slots[DT_LAT_SLOTS]);
/*
 * Value at percentile p (0 < p <= 100, clamped to that range): the upper bound of the slot that
 * holds the ceil(p/100 * total)-th smallest sample; 0 when empty. That bound is hist_slot_hi(),
 * capped at max_ns unless max_ns is 0, for max_ns is the real maximum and a log2 bound may exceed
 * it; in the catch-all last slot, whose range has no upper bound, it is max_ns when known.
 */
__u64 hist_percentile(const __u64 slots[DT_LAT_SLOTS], double p, __u64 max_ns);
/* into += slots: merges per-CPU copies. */
void hist_add(__u64 into[DT_LAT_SLOTS], const __u64 slots[DT_LAT_SLOTS]);
/* into -= older, each slot clamped at 0: the delta of a cumulative histogram. */
void hist_sub(__u64 into[DT_LAT_SLOTS], const __u64 older[DT_LAT_SLOTS]);
/*
 * Biolatency-style text histogram (range, count, bar of width 40) of the slots from the first to
 * the last non-empty one; nothing when empty. Bounds are ns divided by divisor (not 0) and named
 * unit: 1 "nsecs", 1000 "usecs", 1000000 "msecs".
 */
void hist_print(FILE *out, const __u64 slots[DT_LAT_SLOTS], __u64 divisor, const char *unit);
/* Writes "buckets":[{"lo_ns":..,"hi_ns":..,"count":..},...] of the non-empty slots. */
void hist_json_buckets(struct json_writer *w, const __u64 slots[DT_LAT_SLOTS]);

#endif /* DAXTRACE_HIST_H */
