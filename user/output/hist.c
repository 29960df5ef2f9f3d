// SPDX-License-Identifier: GPL-2.0
/* Log2 latency histogram; see hist.h. */
#include <string.h>

#include "output/hist.h"
#include "output/json_writer.h"

#define HIST_BAR_WIDTH 40
#define HIST_MIN_RANGE_WIDTH 10

__u64 hist_slot_lo(unsigned int slot)
{
	return slot ? 1ULL << slot : 0;
}

__u64 hist_slot_hi(unsigned int slot)
{
	return (1ULL << (slot + 1)) - 1;
}

__u64 hist_total(const __u64 slots[DT_LAT_SLOTS])
{
	__u64 total = 0;
	unsigned int i;

	for (i = 0; i < DT_LAT_SLOTS; i++)
		total += slots[i];
	return total;
}

__u64 hist_percentile(const __u64 slots[DT_LAT_SLOTS], double p, __u64 max_ns)
{
	__u64 total = hist_total(slots), rank, seen = 0;
	unsigned int slot;
	double exact_rank;

	if (!total)
		return 0;
	/*
	 * ceil() of p/100 * total without libm. The small bias keeps a rank that is whole but for
	 * rounding noise (90.04% of 10000 comes out as 9004.000000000002) on that sample.
	 */
	exact_rank = p * total / 100 - 1e-9;
	if (!(exact_rank > 1)) { /* also a NaN p */
		rank = 1;
	} else if (exact_rank >= total) {
		rank = total;
	} else {
		rank = (__u64)exact_rank;
		if (rank < exact_rank)
			rank++;
	}

	for (slot = 0; slot < DT_LAT_SLOTS - 1; slot++) {
		seen += slots[slot];
		if (seen >= rank)
			break;
	}
	if (max_ns && (max_ns < hist_slot_hi(slot) || slot == DT_LAT_SLOTS - 1))
		return max_ns;
	return hist_slot_hi(slot);
}

void hist_add(__u64 into[DT_LAT_SLOTS], const __u64 slots[DT_LAT_SLOTS])
{
	unsigned int i;

	for (i = 0; i < DT_LAT_SLOTS; i++)
		into[i] += slots[i];
}

void hist_sub(__u64 into[DT_LAT_SLOTS], const __u64 older[DT_LAT_SLOTS])
{
	unsigned int i;

	for (i = 0; i < DT_LAT_SLOTS; i++)
		into[i] = into[i] > older[i] ? into[i] - older[i] : 0;
}

static int decimal_digits(__u64 v)
{
	int digits = 1;

	while (v >= 10) {
		v /= 10;
		digits++;
	}
	return digits;
}

void hist_print(FILE *out, const __u64 slots[DT_LAT_SLOTS], __u64 divisor, const char *unit)
{
	char bar[HIST_BAR_WIDTH + 1];
	unsigned int first = DT_LAT_SLOTS, last = 0, slot;
	__u64 max_count = 0;
	int width;

	for (slot = 0; slot < DT_LAT_SLOTS; slot++) {
		if (!slots[slot])
			continue;
		if (first == DT_LAT_SLOTS)
			first = slot;
		last = slot;
		if (slots[slot] > max_count)
			max_count = slots[slot];
	}
	if (!max_count)
		return;

	/* the layout of bcc's biolatency, widened when the bounds have more than 10 digits */
	width = decimal_digits(hist_slot_hi(last) / divisor);
	if (width < HIST_MIN_RANGE_WIDTH)
		width = HIST_MIN_RANGE_WIDTH;
	/* the unit's column spans both bounds: width + strlen(" -> ") + width */
	fprintf(out, "%*s%-*s : count    distribution\n", width - 5, "", width + 9, unit);

	for (slot = first; slot <= last; slot++) {
		/* rounded up so that every non-empty slot shows at least one star */
		int stars = (slots[slot] * HIST_BAR_WIDTH + max_count - 1) / max_count;

		memset(bar, '*', stars);
		memset(bar + stars, ' ', HIST_BAR_WIDTH - stars);
		bar[HIST_BAR_WIDTH] = '\0';
		fprintf(out, "%*llu -> %-*llu : %-8llu |%s|\n", width,
			(unsigned long long)(hist_slot_lo(slot) / divisor), width,
			(unsigned long long)(hist_slot_hi(slot) / divisor),
			(unsigned long long)slots[slot], bar);
	}
}

void hist_json_buckets(struct json_writer *w, const __u64 slots[DT_LAT_SLOTS])
{
	unsigned int slot;

	json_key(w, "buckets");
	json_array_begin(w);
	for (slot = 0; slot < DT_LAT_SLOTS; slot++) {
		if (!slots[slot])
			continue;
		json_object_begin(w);
		json_kv_uint(w, "lo_ns", hist_slot_lo(slot));
		json_kv_uint(w, "hi_ns", hist_slot_hi(slot));
		json_kv_uint(w, "count", slots[slot]);
		json_object_end(w);
	}
	json_array_end(w);
}
