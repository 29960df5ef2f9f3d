// SPDX-License-Identifier: GPL-2.0
/*
 * top's and cow's CSV (cmd/counter_csv.c): the header's columns, one row per process, file and
 * device and the total, identity columns empty where they do not apply, the counters and the
 * latency columns in nanoseconds as the JSON has them, and --columns' list restricting them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"
#include "cmd/counter_csv.h"
#include "output_capture.h"

#define TOP_HEADER                                                                             \
	"time,interval_s,row,pid,comm,dev,ino,path,dax,device,faults,pte,pmd,pud,read,write,"  \
	"nopage,fallback,sigbus,mkwrite,sync,cow,cow_bytes,remaps,flushes,flush_pages,avg_ns," \
	"p50_ns,p99_ns,max_ns\n"
#define COW_HEADER                                                                              \
	"time,interval_s,row,pid,comm,dev,ino,path,dax,remaps,clones,clone_bytes,clone_ranges," \
	"clone_range_bytes,dedupes,dedupe_bytes,unshares,unshare_bytes,cow,cow_break_bytes,"    \
	"cow_completions,cow_bytes,cow_cancels,cow_cancel_blocks,cow_avg_ns\n"

/*
 * 4 DAX faults, 3 PTE and a PMD that fell back, all writes. Latency: 3 samples in log2 slot 10
 * (1024-2047 ns) and one in slot 12, 10000 ns in all, the largest 5000: avg 2500, p50 the upper
 * bound of slot 10 (2047), p99 slot 12's (8191) capped at the maximum, 5000 (latency_summarize).
 */
static void fault_stats(struct dt_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->count[DT_FAULTS] = 4;
	stats->count[DT_PTE] = 3;
	stats->count[DT_PMD] = 1;
	stats->count[DT_WRITE] = 4;
	stats->count[DT_NOPAGE] = 3;
	stats->count[DT_FALLBACK] = 1;
	stats->lat_slots[10] = 3;
	stats->lat_slots[12] = 1;
	stats->lat_sum_ns = 10000;
	stats->lat_max_ns = 5000;
}

/* One report: a process named to break a row, a file without a path, a device, the total. */
struct fixture {
	struct stats_snapshot snap;
	struct proc_row proc;
	struct file_row file;
	struct devdax_row device;
	struct output_capture out;
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->proc.key.tgid = 42;
	strcpy(f->proc.key.comm, "a,b\n\"c");
	f->file.key.dev = DT_MKDEV(259, 3);
	f->file.key.ino = 131; /* has_info false: no path (classic tracepoints) */
	strcpy(f->device.name, "dax0.0");
	fault_stats(&f->proc.stats);
	fault_stats(&f->file.stats);
	fault_stats(&f->device.stats);
	fault_stats(&f->snap.total);
	f->snap.procs = &f->proc;
	f->snap.nr_procs = 1;
	f->snap.files = &f->file;
	f->snap.nr_files = 1;
	f->snap.devices = &f->device;
	f->snap.nr_devices = 1;
	output_capture_open(&f->out);
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	output_capture_close(&f->out);
	free(f);
	return 0;
}

static void assert_header(const struct counter_view *view, const char *expected)
{
	struct output_capture c;

	output_capture_open(&c);
	counter_csv_header(c.out, view);
	output_capture_assert(&c, expected);
	output_capture_close(&c);
}

/* The output with each row's time (format_utc_now: "2026-12-05T05:43:03Z,") checked, cut. */
static void assert_rows(struct output_capture *c, const char *expected)
{
	char *timeless, *line, *saveptr, *end;

	assert_int_equal(fflush(c->out), 0); /* c->len is the stream's only from here */
	timeless = end = calloc(1, c->len + 1);
	assert_non_null(timeless);
	for (line = strtok_r(c->buf, "\n", &saveptr); line; line = strtok_r(NULL, "\n", &saveptr)) {
		assert_true(strlen(line) > 21);
		assert_int_equal(line[4], '-');
		assert_int_equal(line[10], 'T');
		assert_memory_equal(line + 19, "Z,", 2);
		end = stpcpy(stpcpy(end, line + 21), "\n");
	}
	assert_string_equal(timeless, expected);
	free(timeless);
}

#define FAULT_VALUES "4,3,1,0,0,4,3,1,0,0,0,0,0,0,0,0,2500,2047,5000,5000\n"

static void test_top_header(void **state)
{
	(void)state;
	assert_header(&(struct counter_view){ .command = &top_command }, TOP_HEADER);
}

/* Each kind of row leaves empty the identity columns it does not have. */
static void test_top_rows(void **state)
{
	struct fixture *f = *state;

	counter_render_csv(f->out.out, &f->snap, &(struct counter_view){ .command = &top_command },
			   0.5);
	assert_rows(&f->out,
		    "0.5,process,42,\"a,b\\n\"\"c\",,,,,," FAULT_VALUES
		    "0.5,file,,,259:3,131,,false,," FAULT_VALUES
		    "0.5,device,,,,,,,dax0.0," FAULT_VALUES "0.5,total,,,,,,,," FAULT_VALUES);
}

/* cow: no device column nor rows; cow_avg_us is breaks.avg_ns, in nanoseconds. */
static void test_cow(void **state)
{
	struct counter_view view = { .command = &cow_command };
	struct fixture *f = *state;
	__u64 *total = f->snap.total.count;

	f->snap.nr_procs = f->snap.nr_files = 0;
	total[DT_REMAPS] = 1;
	total[DT_CLONES] = 1;
	total[DT_CLONE_BYTES] = 8388608;
	total[DT_COW] = 3;
	total[DT_COW_BREAK_BYTES] = 12288;
	total[DT_COW_TIMED] = 2;
	total[DT_COW_LAT_NS] = 3001; /* avg 1500: integer division, as the JSON's */
	assert_header(&view, COW_HEADER);
	counter_render_csv(f->out.out, &f->snap, &view, 2);
	assert_rows(&f->out, "2,total,,,,,,,1,1,8388608,0,0,0,0,0,0,3,12288,0,0,0,0,1500\n");
}

/* --columns picks and orders the columns, a latency by its JSON unit (p99_us: p99_ns). */
static void test_column_list(void **state)
{
	static const int columns[] = { DT_MKWRITE, DT_FAULTS, COLUMN_P99_US };
	struct counter_view view = { .command = &top_command, .columns = columns, .nr_columns = 3 };
	struct fixture *f = *state;

	f->snap.nr_procs = f->snap.nr_files = f->snap.nr_devices = 0;
	f->snap.total.count[DT_MKWRITE] = 7;
	assert_header(&view, "time,interval_s,row,pid,comm,dev,ino,path,dax,device,mkwrite,faults,"
			     "p99_ns\n");
	counter_render_csv(f->out.out, &f->snap, &view, 1);
	assert_rows(&f->out, "1,total,,,,,,,,7,4,5000\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_header),
		cmocka_unit_test_setup_teardown(test_top_rows, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cow, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_column_list, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("counter_csv", tests, NULL, NULL);
}
