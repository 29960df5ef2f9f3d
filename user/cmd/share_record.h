/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace share --record FILE`: the census events the session reads from the share_stream
 * ring buffer, written to a stream file (engine/share_stream.h) for `daxtrace model`.
 */
#ifndef DAXTRACE_SHARE_RECORD_H
#define DAXTRACE_SHARE_RECORD_H

#include <stdbool.h>

struct session;
struct session_setup;
struct share_stream_writer;

struct share_record {
	const char *path; /* NULL: not recording */
	unsigned long long buffer_kb;
	struct share_stream_writer *writer; /* open from attach to share_record_finish */
};

/* Asks the session for the stream (before session_open). */
void share_record_setup(struct share_record *r, struct session_setup *setup);

/* After attach, before --snapshot and -- CMD: creates the file. 0, or -1 (said on stderr). */
int share_record_begin(struct share_record *r, struct session *s, bool since_snapshot);

/*
 * Drains the ring buffer into the file and ends it with the names and the trailer. 0, or -1
 * (said on stderr: the file is then incomplete, and `daxtrace model` refuses it).
 */
int share_record_finish(struct share_record *r, struct session *s);

#endif /* DAXTRACE_SHARE_RECORD_H */
