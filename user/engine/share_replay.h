/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A share stream (share_stream.h) replayed into what `daxtrace share` reads from its maps: the
 * census units, totals, gauges and anomaly samples that bpf/share.bpf.c keeps, rebuilt record
 * by record in file order with the same rules, so that census_build(), share_losses_compute()
 * and share_model_compute() give the recording's numbers offline. Pure: no BPF, no files.
 *
 * A record that contradicts the replayed state is a mismatch: records were lost (the trailer
 * says how many), or the stream is inconsistent. It is applied as far as it can be and counted;
 * no input makes the replay index out of bounds.
 */
#ifndef DAXTRACE_SHARE_REPLAY_H
#define DAXTRACE_SHARE_REPLAY_H

#include <stdbool.h>
#include <linux/types.h>

#include "daxtrace_mapuse.h"
#include "engine/census.h"
#include "engine/share_model.h"
#include "engine/share_stream.h"

/* A mapuse site's owner lookups (DT_REC_OWNER_USE). */
struct share_replay_use {
	__u64 count;
	__u64 shared; /* of count, on a page the kernel held shared */
	__u64 dropped; /* mapuse's use table was full: in no count */
};

struct share_replay {
	struct census census; /* totals, gauges and samples set as census_read sets them */
	struct share_replay_use uses[DT_NR_MAPUSE_SITES];
	struct share_rmap rmap; /* measured: the header says so; lookups: mf_dax_kill_procs */
	struct share_uses
		owner_uses; /* the same uses for share_model_compute (header's measured) */
	__u64 missed_runs; /* the trailer's: for share_losses_compute */
	__u64 lost_records; /* the trailer's: records the ring buffer had no room for */
	__u64 mismatches;
	__u64 first_mismatch; /* its record index, when mismatches */
	__u64 skipped; /* records of a type added by a newer minor version */
	bool timed; /* a record was replayed: first_ns and last_ns are set */
	__u64 first_ns, last_ns; /* the earliest and latest time_ns of the records */
};

/* Replays the stream; -ENOMEM (nothing left allocated) or 0. */
int share_replay_run(struct share_replay *r, const struct share_stream *s);

void share_replay_free(struct share_replay *r);

#endif /* DAXTRACE_SHARE_REPLAY_H */
