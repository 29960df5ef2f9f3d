// SPDX-License-Identifier: GPL-2.0
/* The share stream reader: a whole stream read, and each damage refused with its one line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/types.h>

#include "daxtrace_mapuse.h"
#include "daxtrace_share.h"
#include "engine/share_replay.h"
#include "share_stream_build.h"

#define DEV 0x10300001u /* 259:1 */
#define HEADER sizeof(struct share_stream_header) /* 112 */
#define RECORD sizeof(struct dt_share_record) /* 48 */
#define TRAILER sizeof(struct share_stream_trailer) /* 48 */

static const struct dt_share_record two_records[] = {
	{ .time_ns = 10,
	  .pfn = 0x1000,
	  .ino = 11,
	  .dev = DEV,
	  .owners = 1,
	  .type = DT_REC_ASSOCIATE },
	{ .time_ns = 20,
	  .pfn = 0x1000,
	  .ino = 12,
	  .dev = DEV,
	  .owners = 2,
	  .type = DT_REC_ASSOCIATE },
};

static const struct test_name two_names[] = {
	{ DEV, 11, "/mnt/dax/a" }, /* 10 bytes: 6 of padding */
	{ DEV, 12, "/mnt/dax/clone-of-a" }, /* 19 bytes: 5 of padding */
};

static struct test_bytes valid_stream(void)
{
	return test_stream_build(&(struct test_stream){ .records = two_records,
							.nr_records = 2,
							.names = two_names,
							.nr_names = 2,
							.lost_records = 5,
							.missed_runs = 6 });
}

/* Parses b as "s.dts"; returns the message ("" when accepted), the stream closed again. */
static const char *parse_message(const struct test_bytes *b)
{
	static struct share_stream_error err;
	struct share_stream s;

	if (!share_stream_parse(&s, b->data, b->len, "s.dts", &err)) {
		share_stream_close(&s);
		return "";
	}
	assert_false(err.out_of_memory);
	assert_null(strchr(err.message, '\n'));
	return err.message;
}

/* The record i of b, to damage; the CRC is the caller's to fix (or not). */
static struct dt_share_record *record_in(struct test_bytes *b, size_t i)
{
	const struct share_stream_header *h = (const void *)b->data;

	return (void *)(b->data + h->header_bytes + i * h->record_bytes);
}

static void test_valid_stream(void **state)
{
	struct test_bytes b = valid_stream();
	struct share_stream_error err;
	struct share_stream s;

	(void)state;
	/* 112 header + 2 x 48 records + (16 + 16) + (16 + 24) names + 48 trailer */
	assert_int_equal(b.len, 112 + 96 + 32 + 40 + 48);
	assert_int_equal(share_stream_parse(&s, b.data, b.len, "s.dts", &err), 0);
	assert_int_equal(s.nr_records, 2);
	assert_int_equal(share_stream_record(&s, 1)->ino, 12);
	assert_int_equal(share_stream_record(&s, 1)->owners, 2);
	assert_int_equal(s.nr_names, 2);
	assert_int_equal(s.names[1].ino, 12);
	assert_int_equal(s.names[1].dev, DEV);
	assert_int_equal(s.names[1].len, 19);
	assert_memory_equal(s.names[1].path, "/mnt/dax/clone-of-a", 19);
	assert_int_equal(s.trailer->lost_records, 5);
	assert_int_equal(s.trailer->missed_runs, 6);
	assert_string_equal(s.header->release, "6.12.0-test");
	share_stream_close(&s);
	free(b.data);
}

static void test_truncated(void **state)
{
	struct test_bytes b = valid_stream();
	/* each cut, and what it leaves: none of them ends with a trailer */
	const struct {
		size_t len;
		const char *message;
	} cuts[] = {
		{ 0, "s.dts: not a daxtrace share stream" },
		{ 5, "s.dts: not a daxtrace share stream" },
		{ 100, "s.dts: truncated: 100 bytes, less than a header and a trailer" },
		{ HEADER + TRAILER - 1,
		  "s.dts: truncated: 159 bytes, less than a header and a trailer" },
		{ HEADER + RECORD, "s.dts: truncated: no trailer (the recording did not finish)" },
		{ HEADER + 2 * RECORD + 3,
		  "s.dts: truncated: no trailer (the recording did not finish)" },
		{ 328 - 8, "s.dts: truncated: no trailer (the recording did not finish)" },
		{ 328 - 1, "s.dts: truncated: no trailer (the recording did not finish)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct test_bytes cut = { .data = b.data, .len = cuts[i].len };

		assert_string_equal(parse_message(&cut), cuts[i].message);
	}
	free(b.data);
}

static void test_bad_magic(void **state)
{
	struct test_bytes b = valid_stream();

	(void)state;
	b.data[0] = 'd';
	assert_string_equal(parse_message(&b), "s.dts: not a daxtrace share stream");
	free(b.data);
}

static void test_major_2(void **state)
{
	struct test_bytes b = test_stream_build(&(struct test_stream){ .header.major = 2 });

	(void)state;
	assert_string_equal(parse_message(&b), "s.dts: format 2.0, this daxtrace reads 1.x");
	free(b.data);
}

/* A type a newer minor version added: skipped there (and its longer records read), else refused. */
static void test_unknown_type(void **state)
{
	const struct dt_share_record records[] = {
		two_records[0],
		{ .time_ns = 15, .pfn = 0x1000, .type = 42 },
		two_records[1],
	};
	struct test_stream in = { .header = { .minor = 1, .record_bytes = 56 },
				  .records = records,
				  .nr_records = 3 };
	struct test_bytes b = test_stream_build(&in);
	struct share_stream_error err;
	struct share_replay r;
	struct share_stream s;

	(void)state;
	assert_int_equal(share_stream_parse(&s, b.data, b.len, "s.dts", &err), 0);
	assert_int_equal(share_replay_run(&r, &s), 0);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.mismatches, 0);
	assert_int_equal(r.census.totals.count[DT_SH_ASSOCIATIONS], 2);
	assert_int_equal(r.census.shared_pfns, 1);
	share_replay_free(&r);
	share_stream_close(&s);
	free(b.data);

	in.header.minor = 0;
	b = test_stream_build(&in);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: record 1 has unknown type 42");
	free(b.data);
	/* type 0 is no type in any version */
	in.header.minor = 1;
	b = test_stream_build(&in);
	record_in(&b, 1)->type = 0;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: record 1 has unknown type 0");
	free(b.data);
}

static void test_checksum(void **state)
{
	struct test_bytes b = valid_stream();

	(void)state;
	record_in(&b, 1)->owners ^= 0x10;
	assert_string_equal(parse_message(&b), "s.dts: corrupt: checksum mismatch");
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "");
	/* the trailer's counts are covered too */
	b.data[b.len - TRAILER + 8] ^= 1;
	assert_string_equal(parse_message(&b), "s.dts: corrupt: checksum mismatch");
	free(b.data);
}

static void test_sizes(void **state)
{
	struct test_bytes b = test_stream_build(&(struct test_stream){ .header.record_bytes = 40 });

	(void)state;
	assert_string_equal(parse_message(&b), "s.dts: corrupt: record_bytes 40 (expected a "
					       "multiple of 8, at least 48)");
	free(b.data);
	b = test_stream_build(&(struct test_stream){ .header.record_bytes = 52 });
	assert_string_equal(parse_message(&b), "s.dts: corrupt: record_bytes 52 (expected a "
					       "multiple of 8, at least 48)");
	free(b.data);
	b = test_stream_build(&(struct test_stream){
		.header.header_bytes = 104, .records = two_records, .nr_records = 2 });
	assert_string_equal(parse_message(&b), "s.dts: corrupt: header_bytes 104 (expected a "
					       "multiple of 8, at least 112)");
	free(b.data);

	/* more records than the file holds, and a count that overflows their size */
	b = valid_stream();
	((struct share_stream_trailer *)(b.data + b.len - TRAILER))->nr_records = 3;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: 2 names cannot fit in 24 bytes");
	((struct share_stream_trailer *)(b.data + b.len - TRAILER))->nr_records = 1ULL << 62;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b),
			    "s.dts: corrupt: sizes do not add up: 4611686018427387904 records "
			    "of 48 bytes after a 112-byte header do not fit in 328 bytes");
	/* one name fewer: the second is left between the names and the trailer */
	((struct share_stream_trailer *)(b.data + b.len - TRAILER))->nr_records = 2;
	((struct share_stream_trailer *)(b.data + b.len - TRAILER))->nr_names = 1;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: sizes do not add up: 40 bytes "
					       "between the names and the trailer");
	free(b.data);
}

/* The first name's header, in the stream of valid_stream(). */
static struct share_stream_name *first_name(struct test_bytes *b)
{
	return (void *)(b->data + HEADER + 2 * RECORD);
}

static void test_names(void **state)
{
	struct test_bytes b = valid_stream();

	(void)state;
	b.data[HEADER + 2 * RECORD + sizeof(struct share_stream_name) + 4] = '\0';
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: name 0 contains a NUL byte");
	free(b.data);

	b = valid_stream();
	first_name(&b)->len = 64;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: name 0 runs past the names region");
	first_name(&b)->len = 4097;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b),
			    "s.dts: corrupt: name 0 is 4097 bytes long (at most 4096)");
	/* 10 bytes and 16 are both 16 with padding: the padding is then not zero */
	first_name(&b)->len = 9;
	test_stream_fix_crc(&b);
	assert_string_equal(parse_message(&b), "s.dts: corrupt: name 0 has non-zero padding");
	free(b.data);
}

static void test_record_fields(void **state)
{
	const struct {
		__u8 type, order, detail, flags;
		const char *message;
	} bad[] = {
		{ DT_REC_ASSOCIATE, 5, 0, 0,
		  "s.dts: corrupt: record 1 has order 5 (expected 0 or 9)" },
		{ DT_REC_CHECK, 0, 3, 0,
		  "s.dts: corrupt: record 1 has kernel state 3 (expected 0 to 2)" },
		{ DT_REC_CHECK, 0, 2, 0x32,
		  "s.dts: corrupt: record 1 has event 2 (expected 0 or 1)" },
		{ DT_REC_OWNER_USE, 0, DT_NR_MAPUSE_SITES, 0,
		  "s.dts: corrupt: record 1 has site 6 (expected 0 to 5)" },
		{ DT_REC_CHECK, DT_PMD_ORDER, 2, 0x31, "" }, /* a PMD unit's check, disassociate */
		{ DT_REC_OWNER_USE, 0, DT_SITE_LAYOUT_BUSY, DT_RECF_SHARED, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct test_bytes b = valid_stream();
		struct dt_share_record *r = record_in(&b, 1);

		r->type = bad[i].type;
		r->order = bad[i].order;
		r->detail = bad[i].detail;
		r->flags = bad[i].flags;
		test_stream_fix_crc(&b);
		assert_string_equal(parse_message(&b), bad[i].message);
		free(b.data);
	}
}

/* A file: mapped and read; "-", a directory and a missing file refused without a mapping. */
static void test_open(void **state)
{
	char path[] = "/tmp/daxtrace-test-XXXXXX";
	struct test_bytes b = valid_stream();
	struct share_stream_error err;
	struct share_stream s;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.data, b.len), b.len);
	close(fd);
	assert_int_equal(share_stream_open(&s, path, &err), 0);
	assert_int_equal(s.nr_records, 2);
	assert_int_equal(s.map_len, b.len);
	share_stream_close(&s);
	assert_int_equal(truncate(path, b.len - 1), 0);
	assert_int_equal(share_stream_open(&s, path, &err), -1);
	assert_non_null(strstr(err.message, ": truncated: no trailer"));
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(share_stream_open(&s, path, &err), -1);
	assert_non_null(strstr(err.message, ": not a daxtrace share stream"));
	unlink(path);
	assert_int_equal(share_stream_open(&s, path, &err), -1);
	assert_non_null(strstr(err.message, ": No such file or directory"));
	assert_false(err.out_of_memory);
	assert_int_equal(share_stream_open(&s, "-", &err), -1);
	assert_string_equal(err.message,
			    "-: a share stream must be a file (stdin cannot be mapped)");
	assert_int_equal(share_stream_open(&s, "/tmp", &err), -1);
	assert_string_equal(err.message, "/tmp: a directory, not a share stream file");
	free(b.data);
}

/* The path of ino 11 only: ino 12's cannot be told (stored empty). */
static const char *name_of(void *ctx, __u32 dev, __u64 ino, char *buf, size_t size)
{
	(void)ctx;
	(void)dev;
	if (ino != 11)
		return NULL;
	snprintf(buf, size, "/mnt/dax/a");
	return buf;
}

/* share --record's writer (share_stream_write.c) and this reader agree, CRC included. */
static void test_writer_round_trip(void **state)
{
	const struct share_stream_info info = { .flags = SHARE_STREAM_RMAP_MEASURED,
						.start_ns = 5,
						.start_unix_s = 1764921600,
						.release = "7.2.0-test" };
	char path[] = "/tmp/daxtrace-test-XXXXXX";
	struct share_stream_writer *w;
	struct share_stream_error err;
	struct share_replay r;
	struct share_stream s;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(share_stream_create(&w, path, &info), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(share_stream_append(w, &two_records[i]), 0);
	assert_int_equal(share_stream_finish(w, name_of, NULL, 7, 8), 0);
	/* the message, if refused, says why */
	assert_string_equal(share_stream_open(&s, path, &err) ? err.message : "", "");
	assert_int_equal(s.nr_records, 2);
	assert_int_equal(s.header->flags, SHARE_STREAM_RMAP_MEASURED);
	assert_int_equal(s.header->start_ns, 5);
	assert_string_equal(s.header->release, "7.2.0-test");
	assert_int_equal(s.trailer->lost_records, 7);
	assert_int_equal(s.trailer->missed_runs, 8);
	assert_int_equal(s.nr_names, 2);
	assert_int_equal(s.names[0].ino, 11);
	assert_int_equal(s.names[0].len, 10);
	assert_memory_equal(s.names[0].path, "/mnt/dax/a", 10);
	assert_int_equal(s.names[1].ino, 12);
	assert_int_equal(s.names[1].len, 0);
	assert_int_equal(share_replay_run(&r, &s), 0);
	assert_int_equal(r.census.shared_pfns, 1);
	assert_int_equal(r.lost_records, 7);
	assert_int_equal(r.mismatches, 0);
	share_replay_free(&r);
	share_stream_close(&s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_stream),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_major_2),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_record_fields),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_writer_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
