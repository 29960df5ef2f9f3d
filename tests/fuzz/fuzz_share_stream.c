// SPDX-License-Identifier: GPL-2.0
/*
 * Share streams (user/engine/share_stream_read.c, share_replay.c, census.c): the input is a
 * stream file. Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, the reader skips only the
 * CRC comparison, so that the fuzzer's changes reach the checks after it. What the reader
 * accepts must replay, build a census, a model and its price without a crash, a leak or a
 * broken invariant, whatever its records say.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/share_price.h"
#include "engine/share_replay.h"
#include "fuzz_input.h"

static void check_census(const struct census *c, bool consistent)
{
	__u64 units = 0, owners = 0;

	for (int n = 0; n <= CENSUS_MAX_OWNERS; n++)
		units += c->owners_hist[n];
	fuzz_check(units == c->pfns);
	fuzz_check(c->shared_pfns == c->pfns - c->owners_hist[1] - c->owners_hist[0]);
	fuzz_check(c->nr_samples >= 0 && c->nr_samples <= DT_SHARE_SAMPLES);
	fuzz_check((__u64)c->nr_samples <= c->totals.count[DT_SH_ANOMALIES]);
	for (int i = 0; i < c->nr_files; i++)
		owners += c->files[i].pfns;
	/* a leave of an owner not listed (a mismatch) takes a count and leaves the slots */
	fuzz_check(!consistent || owners <= c->owner_entries);
	for (int i = 1; i < c->nr_pairs; i++)
		fuzz_check(c->pairs[i - 1].shared_pfns >= c->pairs[i].shared_pfns);
}

/*
 * The price's invariants, whatever the durations: a term is priced only when its count was
 * measured and its unit known (or its count 0); a design is priced exactly when every term is
 * and their sum fits, and then its total is at least each term.
 */
static void check_price(const struct share_model *m, const struct share_costs *costs)
{
	struct share_price_params params = SHARE_PRICE_PARAMS_DEFAULT;
	struct share_price p;

	share_price_compute(&p, m, costs, &params);
	for (int d = 0; d < SHARE_NR_DESIGNS; d++) {
		const struct share_design_price *design = &p.design[d];
		bool all_priced = true;

		for (int t = 0; t < design->nr_terms; t++) {
			const struct share_price_term *term = &design->terms[t];
			bool unit_known = p.unit[term->unit].source != SHARE_UNIT_UNKNOWN;

			fuzz_check(term->state != SHARE_TERM_PRICED || !term->count || unit_known);
			fuzz_check(term->state != SHARE_TERM_NOT_COUNTED || !term->count);
			fuzz_check(term->state == SHARE_TERM_PRICED || !term->ns);
			fuzz_check(!design->priced || design->total_ns >= term->ns);
			all_priced &= term->state == SHARE_TERM_PRICED;
		}
		fuzz_check(!design->priced || all_priced);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct share_stream_error err;
	struct share_stream s;
	struct share_replay r;
	struct share_model model;
	struct share_losses losses;
	void *aligned;

	/* the reader wants what mmap gives: 8-byte aligned data */
	aligned = malloc(size ? size : 1);
	if (!aligned)
		return 0;
	memcpy(aligned, data, size);
	if (share_stream_parse(&s, aligned, size, "fuzz.dts", &err)) {
		fuzz_check(err.message[0] && !strchr(err.message, '\n'));
		free(aligned);
		return 0;
	}
	for (size_t i = 0; i < s.nr_names; i++)
		fuzz_check(s.names[i].len <= SHARE_STREAM_MAX_NAME &&
			   !memchr(s.names[i].path, '\0', s.names[i].len));
	if (!share_replay_run(&r, &s)) {
		check_census(&r.census, !r.mismatches);
		fuzz_check(r.skipped <= s.nr_records && r.mismatches <= s.nr_records);
		fuzz_check(!r.mismatches || r.first_mismatch < s.nr_records);
		fuzz_check(r.rmap.lookups == r.uses[DT_SITE_MF_DAX_KILL_PROCS].count);
		share_losses_compute(&losses, &r.census, r.missed_runs);
		share_model_compute(&model, &r.census, 64, &r.rmap, &r.owner_uses);
		fuzz_check(model.proxy.objects == r.census.extra_owners);
		if (r.has_costs)
			check_price(&model, &r.costs);
		share_replay_free(&r);
	}
	share_stream_close(&s);
	free(aligned);
	return 0;
}
