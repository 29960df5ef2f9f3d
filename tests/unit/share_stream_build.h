/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Share streams made in memory for the unit tests, laid out from the structs of
 * user/engine/share_stream.h with a correct CRC-32, so that each test can damage one thing.
 */
#ifndef DAXTRACE_TEST_SHARE_STREAM_BUILD_H
#define DAXTRACE_TEST_SHARE_STREAM_BUILD_H

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine/share_stream.h"

struct test_name {
	__u32 dev;
	__u64 ino;
	const char *path;
};

/* What a stream holds; header fields left 0 get the writer's defaults. */
struct test_stream {
	struct share_stream_header header;
	const struct dt_share_record *records;
	size_t nr_records;
	const struct test_name *names;
	size_t nr_names;
	__u64 lost_records;
	__u64 missed_runs;
};

struct test_bytes {
	unsigned char *data; /* malloc'd: 8-byte aligned, as share_stream_parse wants */
	size_t len;
};

/* The trailer's CRC of data[0..len) computed again, after a test changed a byte on purpose. */
static inline void test_stream_fix_crc(struct test_bytes *b)
{
	struct share_stream_trailer *t =
		(void *)(b->data + b->len - sizeof(struct share_stream_trailer));

	t->crc32 = crc32(0, b->data, (uInt)((unsigned char *)&t->crc32 - b->data));
}

static inline struct test_bytes test_stream_build(const struct test_stream *in)
{
	struct share_stream_header h = in->header;
	struct share_stream_trailer t = { .nr_records = in->nr_records,
					  .nr_names = in->nr_names,
					  .lost_records = in->lost_records,
					  .missed_runs = in->missed_runs };
	struct test_bytes b;
	size_t at;

	memcpy(h.magic, SHARE_STREAM_MAGIC, sizeof(h.magic));
	h.major = h.major ? h.major : SHARE_STREAM_MAJOR;
	h.header_bytes = h.header_bytes ? h.header_bytes : sizeof(h);
	h.record_bytes = h.record_bytes ? h.record_bytes : sizeof(struct dt_share_record);
	if (!h.release[0])
		strcpy(h.release, "6.12.0-test");
	memcpy(t.magic, SHARE_STREAM_END_MAGIC, sizeof(t.magic));
	b.len = h.header_bytes + in->nr_records * h.record_bytes + sizeof(t);
	for (size_t i = 0; i < in->nr_names; i++)
		b.len +=
			sizeof(struct share_stream_name) + ((strlen(in->names[i].path) + 7) & ~7UL);
	b.data = calloc(1, b.len);
	memcpy(b.data, &h, h.header_bytes < sizeof(h) ? h.header_bytes : sizeof(h));
	at = h.header_bytes;
	for (size_t i = 0; i < in->nr_records; i++, at += h.record_bytes)
		memcpy(b.data + at, &in->records[i], sizeof(in->records[i]));
	for (size_t i = 0; i < in->nr_names; i++) {
		struct share_stream_name n = { .ino = in->names[i].ino,
					       .dev = in->names[i].dev,
					       .len = strlen(in->names[i].path) };

		memcpy(b.data + at, &n, sizeof(n));
		memcpy(b.data + at + sizeof(n), in->names[i].path, n.len);
		at += sizeof(n) + ((n.len + 7) & ~7UL);
	}
	memcpy(b.data + at, &t, sizeof(t));
	test_stream_fix_crc(&b);
	return b;
}

#endif /* DAXTRACE_TEST_SHARE_STREAM_BUILD_H */
