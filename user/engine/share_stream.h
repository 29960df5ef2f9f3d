/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stream file of `daxtrace share --record FILE`, read by `daxtrace model FILE`
 * (docs/daxtrace-share-stream.5 is the format's reference):
 *
 *   header    struct share_stream_header, header_bytes long
 *   records   nr_records x record_bytes: struct dt_share_record (include/daxtrace_share_stream.h)
 *   names     nr_names x (struct share_stream_name + len bytes, padded to 8): the files' paths
 *   trailer   struct share_stream_trailer, the last 48 bytes: counts, losses, and a CRC-32
 *             (zlib's) of every byte before its crc field
 *
 * A stream travels between machines and is anyone's: the reader takes nothing on trust. It
 * refuses, with one line naming the file and what is wrong, a file that is not a stream, one
 * of another major version, one cut short (no trailer: the recording never finished), one whose
 * checksum or sizes do not add up, and records or names out of range. After
 * share_stream_parse() succeeds, every record has a known type (or, in a stream of a newer
 * minor version, a type added since, which the replay skips) and order, and every name is a
 * path of at most SHARE_STREAM_MAX_NAME bytes without a NUL. data must be 8-byte aligned.
 */
#ifndef DAXTRACE_SHARE_STREAM_FILE_H
#define DAXTRACE_SHARE_STREAM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "daxtrace_share_stream.h"

#define SHARE_STREAM_MAGIC "DAXSHSTR"
#define SHARE_STREAM_END_MAGIC "DAXSHEND"
#define SHARE_STREAM_MAJOR 1
#define SHARE_STREAM_MINOR 0
#define SHARE_STREAM_MAX_NAME 4096 /* PATH_MAX */

/* header flags */
#define SHARE_STREAM_RMAP_MEASURED 0x1 /* mf_dax_kill_procs was probed (mapuse.fs_rmap) */
#define SHARE_STREAM_USES_MEASURED 0x2 /* mapuse's sites were probed: OWNER_USE records */
#define SHARE_STREAM_SINCE_SNAPSHOT 0x4 /* --snapshot: SNAPSHOT records come first */

struct share_stream_header {
	char magic[8]; /* SHARE_STREAM_MAGIC */
	__u16 major; /* a reader refuses another major version */
	__u16 minor; /* and reads a newer minor one: fields and record types were only added */
	__u16 header_bytes; /* >= sizeof(struct share_stream_header) */
	__u16 record_bytes; /* >= sizeof(struct dt_share_record) */
	__u32 flags; /* SHARE_STREAM_* */
	__u32 pad;
	__u64 start_ns; /* CLOCK_MONOTONIC at attach: records' time_ns count from the same clock */
	__u64 start_unix_s; /* the same moment, wall clock */
	char release[72]; /* uname -r of the traced kernel, NUL-terminated */
};

/* One name; the path follows (len bytes, no NUL), then zeros up to a multiple of 8. */
struct share_stream_name {
	__u64 ino;
	__u32 dev;
	__u32 len;
};

struct share_stream_trailer {
	char magic[8]; /* SHARE_STREAM_END_MAGIC */
	__u64 nr_records;
	__u64 nr_names;
	__u64 lost_records; /* records the ring buffer had no room for: the replay misses them */
	__u64 missed_runs; /* program runs the kernel skipped: their events are in no record */
	__u32 crc32; /* of the file's bytes before this field */
	__u32 pad;
};

struct share_stream_file {
	__u64 ino;
	__u32 dev;
	const char *path; /* into the stream's memory: len bytes, not NUL-terminated */
	__u32 len;
};

/* A stream read and checked: views into data (which the caller keeps, or share_stream_open's). */
struct share_stream {
	const struct share_stream_header *header;
	const unsigned char *records; /* nr_records x header->record_bytes */
	size_t nr_records;
	struct share_stream_file *names; /* nr_names, allocated */
	size_t nr_names;
	const struct share_stream_trailer *trailer;
	void *map; /* share_stream_open's mapping of the file */
	size_t map_len;
};

struct share_stream_error {
	char message[512];
	bool out_of_memory; /* not the file's fault: exit 1, not 2 */
};

/* Record i (0 <= i < nr_records). */
static inline const struct dt_share_record *share_stream_record(const struct share_stream *s,
								size_t i)
{
	return (const struct dt_share_record *)(s->records + i * s->header->record_bytes);
}

/* Checks data[0..len) (named name in messages) as above; -1 and err on refusal. */
int share_stream_parse(struct share_stream *s, const void *data, size_t len, const char *name,
		       struct share_stream_error *err);

/* Maps the file at path and parses it; -1 and err when it cannot be read or is refused. */
int share_stream_open(struct share_stream *s, const char *path, struct share_stream_error *err);

void share_stream_close(struct share_stream *s);

/*
 * Writing, as `daxtrace share --record` does: records as they arrive, then the names of the
 * files they mention and the trailer. Every function returns 0 or -errno.
 */
struct share_stream_writer;

/* The header's fields that are not the format's own. */
struct share_stream_info {
	__u32 flags;
	__u64 start_ns;
	__u64 start_unix_s;
	const char *release;
};

int share_stream_create(struct share_stream_writer **w, const char *path,
			const struct share_stream_info *info);
int share_stream_append(struct share_stream_writer *w, const struct dt_share_record *record);

/* The path of a file the records mention, or NULL when it cannot be told (stored empty). */
typedef const char *(*share_stream_name_fn)(void *ctx, __u32 dev, __u64 ino, char *buf,
					    size_t size);

/* Writes the names and the trailer, closes the file and frees w (also on failure). */
int share_stream_finish(struct share_stream_writer *w, share_stream_name_fn name, void *ctx,
			__u64 lost_records, __u64 missed_runs);

#endif /* DAXTRACE_SHARE_STREAM_FILE_H */
