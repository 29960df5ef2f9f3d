// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's exposition, byte for byte, against the Prometheus text format 0.0.4 and
 * OpenMetrics 1.0: family names and suffixes, escaping, exact seconds and histogram buckets.
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/prom_writer.h"

struct capture {
	char *buf;
	size_t len;
	FILE *out;
	struct prom_writer w;
};

static struct capture *capture_new(void **state, enum prom_format format)
{
	struct capture *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->out = open_memstream(&c->buf, &c->len);
	assert_non_null(c->out);
	prom_writer_init(&c->w, c->out, format);
	*state = c;
	return c;
}

static int text_setup(void **state)
{
	capture_new(state, PROM_TEXT);
	return 0;
}

static int openmetrics_setup(void **state)
{
	capture_new(state, PROM_OPENMETRICS);
	return 0;
}

static int capture_teardown(void **state)
{
	struct capture *c = *state;

	fclose(c->out);
	free(c->buf);
	free(c);
	return 0;
}

static void assert_output(struct capture *c, const char *expected)
{
	assert_int_equal(fflush(c->out), 0);
	assert_non_null(c->buf);
	assert_string_equal(c->buf, expected);
	assert_int_equal(c->len, strlen(expected));
}

static const struct prom_label dev_label[] = { { "device", "pmem0" } };

static void test_content_types(void **state)
{
	(void)state;
	assert_string_equal(prom_content_type(PROM_TEXT),
			    "text/plain; version=0.0.4; charset=utf-8");
	assert_string_equal(prom_content_type(PROM_OPENMETRICS),
			    "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

/* Text 0.0.4 names a counter by its samples: HELP and TYPE carry the _total. */
static void test_counter_text(void **state)
{
	struct capture *c = *state;
	const struct prom_label two[] = { { "a", "b" }, { "c", "d" } };

	prom_family(&c->w, "daxtrace_x", PROM_COUNTER, "Faults seen.");
	prom_sample(&c->w, two, 1, 5);
	prom_sample(&c->w, two, 2, 18446744073709551615ULL);
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_x_total Faults seen.\n"
			 "# TYPE daxtrace_x_total counter\n"
			 "daxtrace_x_total{a=\"b\"} 5\n"
			 "daxtrace_x_total{a=\"b\",c=\"d\"} 18446744073709551615\n");
}

/* OpenMetrics names the family without _total, its samples keep it, and # EOF ends it. */
static void test_counter_openmetrics(void **state)
{
	struct capture *c = *state;
	const struct prom_label ab[] = { { "a", "b" } };

	prom_family(&c->w, "daxtrace_x", PROM_COUNTER, "Faults seen.");
	prom_sample(&c->w, ab, 1, 5);
	prom_family(&c->w, "daxtrace_y", PROM_GAUGE, "Pages.");
	prom_sample(&c->w, NULL, 0, 0);
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_x Faults seen.\n"
			 "# TYPE daxtrace_x counter\n"
			 "daxtrace_x_total{a=\"b\"} 5\n"
			 "# HELP daxtrace_y Pages.\n"
			 "# TYPE daxtrace_y gauge\n"
			 "daxtrace_y 0\n"
			 "# EOF\n");
}

static void test_info_text(void **state)
{
	struct capture *c = *state;
	const struct prom_label labels[] = { { "device", "pmem0" }, { "mode", "fsdax" } };

	prom_family(&c->w, "daxtrace_device", PROM_INFO, "Each device.");
	prom_sample(&c->w, labels, 2, 1);
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_device_info Each device.\n"
			 "# TYPE daxtrace_device_info gauge\n"
			 "daxtrace_device_info{device=\"pmem0\",mode=\"fsdax\"} 1\n");
}

static void test_info_openmetrics(void **state)
{
	struct capture *c = *state;
	const struct prom_label labels[] = { { "device", "pmem0" }, { "mode", "fsdax" } };

	prom_family(&c->w, "daxtrace_device", PROM_INFO, "Each device.");
	prom_sample(&c->w, labels, 2, 1);
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_device Each device.\n"
			 "# TYPE daxtrace_device info\n"
			 "daxtrace_device_info{device=\"pmem0\",mode=\"fsdax\"} 1\n"
			 "# EOF\n");
}

static void test_gauge_without_labels(void **state)
{
	struct capture *c = *state;

	prom_family(&c->w, "daxtrace_shared_pages", PROM_GAUGE, "Shared pages.");
	prom_sample(&c->w, NULL, 0, 42);
	prom_sample_text(&c->w, NULL, 0, "0.25");
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_shared_pages Shared pages.\n"
			 "# TYPE daxtrace_shared_pages gauge\n"
			 "daxtrace_shared_pages 42\n"
			 "daxtrace_shared_pages 0.25\n");
}

/* Label values: backslash, double quote and newline escaped; HELP: backslash and newline only. */
static void test_escaping_text(void **state)
{
	struct capture *c = *state;
	const struct prom_label path[] = { { "path", "C:\\dax \"x\"\nend" } };

	prom_family(&c->w, "daxtrace_x", PROM_GAUGE, "a \\ b \"q\"\nnext");
	prom_sample(&c->w, path, 1, 1);
	assert_output(c, "# HELP daxtrace_x a \\\\ b \"q\"\\nnext\n"
			 "# TYPE daxtrace_x gauge\n"
			 "daxtrace_x{path=\"C:\\\\dax \\\"x\\\"\\nend\"} 1\n");
}

/*
 * OpenMetrics 1.0's HELP is an escaped-string, whose normal-char excludes the double quote
 * (as in label values): there it is escaped too.
 */
static void test_escaping_openmetrics_help(void **state)
{
	struct capture *c = *state;

	prom_family(&c->w, "daxtrace_x", PROM_GAUGE, "a \\ b \"q\"\nnext");
	prom_sample(&c->w, NULL, 0, 1);
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_x a \\\\ b \\\"q\\\"\\nnext\n"
			 "# TYPE daxtrace_x gauge\n"
			 "daxtrace_x 1\n"
			 "# EOF\n");
}

/* Neither format allows bytes that are not UTF-8: each becomes U+FFFD; characters stay. */
static void test_label_utf8(void **state)
{
	struct capture *c = *state;
	const struct prom_label labels[] = {
		{ "bad", "a\xffz\xc3" },
		{ "cut", "\xe2\x82(" },
		{ "good", "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x92\xbe" },
		{ "none", NULL },
	};

	prom_family(&c->w, "daxtrace_x", PROM_GAUGE, "caf\xc3\xa9\xff");
	prom_sample(&c->w, labels, 4, 7);
	assert_output(c, "# HELP daxtrace_x caf\xc3\xa9\xef\xbf\xbd\n"
			 "# TYPE daxtrace_x gauge\n"
			 "daxtrace_x{bad=\"a\xef\xbf\xbdz\xef\xbf\xbd\","
			 "cut=\"\xef\xbf\xbd\xef\xbf\xbd(\","
			 "good=\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x92\xbe\",none=\"\"} 7\n");
}

static void test_seconds_exact(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(prom_seconds(0, buf), "0");
	assert_string_equal(prom_seconds(1, buf), "0.000000001");
	assert_string_equal(prom_seconds(1023, buf), "0.000001023");
	assert_string_equal(prom_seconds(1000000, buf), "0.001");
	assert_string_equal(prom_seconds(1500000000, buf), "1.5");
	assert_string_equal(prom_seconds(12000000000ULL, buf), "12");
	assert_string_equal(prom_seconds(10000000000ULL, buf), "10");
	assert_string_equal(prom_seconds(18446744073709551615ULL, buf), "18446744073.709551615");
}

/* (2^(s+1) - 1) ns in seconds, slot s = 0 .. DT_LAT_SLOTS - 2, written out by hand. */
static const char *const bucket_bounds[DT_LAT_SLOTS - 1] = {
	"0.000000001",	"0.000000003",	 "0.000000007",	  "0.000000015",   "0.000000031",
	"0.000000063",	"0.000000127",	 "0.000000255",	  "0.000000511",   "0.000001023",
	"0.000002047",	"0.000004095",	 "0.000008191",	  "0.000016383",   "0.000032767",
	"0.000065535",	"0.000131071",	 "0.000262143",	  "0.000524287",   "0.001048575",
	"0.002097151",	"0.004194303",	 "0.008388607",	  "0.016777215",   "0.033554431",
	"0.067108863",	"0.134217727",	 "0.268435455",	  "0.536870911",   "1.073741823",
	"2.147483647",	"4.294967295",	 "8.589934591",	  "17.179869183",  "34.359738367",
	"68.719476735", "137.438953471", "274.877906943", "549.755813887",
};

static void test_histogram(void **state)
{
	struct capture *c = *state;
	__u64 slots[DT_LAT_SLOTS] = { 0 };
	char expected[16384], line[256];
	int s, used;

	slots[0] = 1;
	slots[9] = 2;
	slots[20] = 5;
	slots[DT_LAT_SLOTS - 2] = 3;
	slots[DT_LAT_SLOTS - 1] = 4; /* past the last finite bound: only in +Inf */
	prom_family(&c->w, "daxtrace_lat_seconds", PROM_HISTOGRAM, "Latency.");
	prom_histogram_ns(&c->w, dev_label, 1, slots, 1500000000);

	used = snprintf(expected, sizeof(expected),
			"# HELP daxtrace_lat_seconds Latency.\n"
			"# TYPE daxtrace_lat_seconds histogram\n");
	for (s = 0; s < DT_LAT_SLOTS - 1; s++) {
		/* cumulative: 1 from slot 0, +2 from slot 9, +5 from 20, +3 from 38 */
		int cumulative = s < 9 ? 1 : s < 20 ? 3 : s < DT_LAT_SLOTS - 2 ? 8 : 11;

		snprintf(line, sizeof(line),
			 "daxtrace_lat_seconds_bucket{device=\"pmem0\",le=\"%s\"} %d\n",
			 bucket_bounds[s], cumulative);
		used += snprintf(expected + used, sizeof(expected) - used, "%s", line);
	}
	snprintf(expected + used, sizeof(expected) - used,
		 "daxtrace_lat_seconds_bucket{device=\"pmem0\",le=\"+Inf\"} 15\n"
		 "daxtrace_lat_seconds_sum{device=\"pmem0\"} 1.5\n"
		 "daxtrace_lat_seconds_count{device=\"pmem0\"} 15\n");
	assert_output(c, expected);
	/* the two bounds the format's readers meet first, spelled out once more */
	assert_non_null(strstr(c->buf, "_bucket{device=\"pmem0\",le=\"0.000000001\"} 1\n"));
	assert_non_null(strstr(c->buf, "_bucket{device=\"pmem0\",le=\"0.000001023\"} 3\n"));
}

static void test_histogram_empty_openmetrics(void **state)
{
	struct capture *c = *state;
	__u64 slots[DT_LAT_SLOTS] = { 0 };
	const char *inf = "daxtrace_lat_seconds_bucket{le=\"+Inf\"} 0\n"
			  "daxtrace_lat_seconds_sum 0\n"
			  "daxtrace_lat_seconds_count 0\n"
			  "# EOF\n";
	int buckets = 0;

	prom_family(&c->w, "daxtrace_lat_seconds", PROM_HISTOGRAM, "Latency.");
	prom_histogram_ns(&c->w, NULL, 0, slots, 0);
	prom_end(&c->w);
	assert_int_equal(fflush(c->out), 0);
	assert_true(strncmp(c->buf,
			    "# HELP daxtrace_lat_seconds Latency.\n"
			    "# TYPE daxtrace_lat_seconds histogram\n"
			    "daxtrace_lat_seconds_bucket{le=\"0.000000001\"} 0\n",
			    strlen("# HELP daxtrace_lat_seconds Latency.\n"
				   "# TYPE daxtrace_lat_seconds histogram\n"
				   "daxtrace_lat_seconds_bucket{le=\"0.000000001\"} 0\n")) == 0);
	assert_true(c->len > strlen(inf));
	assert_string_equal(c->buf + c->len - strlen(inf), inf);
	for (const char *p = c->buf; (p = strstr(p, "_bucket{")); p++)
		buckets++;
	assert_int_equal(buckets, DT_LAT_SLOTS);
}

static void test_sample_double(void **state)
{
	struct capture *c = *state;

	prom_family(&c->w, "daxtrace_x", PROM_GAUGE, "Seconds.");
	prom_sample_double(&c->w, NULL, 0, 0.000123);
	prom_sample_double(&c->w, dev_label, 1, 2.5);
	prom_sample_double(&c->w, NULL, 0, 0);
	assert_output(c, "# HELP daxtrace_x Seconds.\n"
			 "# TYPE daxtrace_x gauge\n"
			 "daxtrace_x 0.000123\n"
			 "daxtrace_x{device=\"pmem0\"} 2.5\n"
			 "daxtrace_x 0\n");
}

/* Both formats spell the special values +Inf, -Inf and NaN (OpenMetrics needs the sign). */
static void test_sample_double_special(void **state)
{
	struct capture *c = *state;

	prom_family(&c->w, "daxtrace_x", PROM_GAUGE, "Seconds.");
	prom_sample_double(&c->w, NULL, 0, INFINITY);
	prom_sample_double(&c->w, NULL, 0, -INFINITY);
	prom_sample_double(&c->w, NULL, 0, NAN);
	prom_end(&c->w);
	assert_output(c, "# HELP daxtrace_x Seconds.\n"
			 "# TYPE daxtrace_x gauge\n"
			 "daxtrace_x +Inf\n"
			 "daxtrace_x -Inf\n"
			 "daxtrace_x NaN\n"
			 "# EOF\n");
}

/* A decimal-comma locale (build/locale, LOCPATH, as test_json_writer) must not reach a value. */
static void test_sample_double_ignores_locale(void **state)
{
	struct capture *c = *state;
	locale_t comma = newlocale(LC_NUMERIC_MASK, "de_DE.UTF-8", (locale_t)0);
	locale_t saved;

	if (comma == (locale_t)0) {
		print_message("no de_DE.UTF-8 locale (LOCPATH=%s)\n", getenv("LOCPATH"));
		skip();
	}
	saved = uselocale(comma);
	prom_family(&c->w, "daxtrace_x", PROM_GAUGE, "Seconds.");
	prom_sample_double(&c->w, NULL, 0, 2.5);
	prom_sample_double(&c->w, NULL, 0, 1234567.125);
	uselocale(saved);
	freelocale(comma);
	assert_output(c, "# HELP daxtrace_x Seconds.\n"
			 "# TYPE daxtrace_x gauge\n"
			 "daxtrace_x 2.5\n"
			 "daxtrace_x 1234567.12\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_types),
		cmocka_unit_test_setup_teardown(test_counter_text, text_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_counter_openmetrics, openmetrics_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_info_text, text_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_info_openmetrics, openmetrics_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_gauge_without_labels, text_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_escaping_text, text_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_escaping_openmetrics_help, openmetrics_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_label_utf8, text_setup, capture_teardown),
		cmocka_unit_test(test_seconds_exact),
		cmocka_unit_test_setup_teardown(test_histogram, text_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_histogram_empty_openmetrics, openmetrics_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_sample_double, text_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_sample_double_special, openmetrics_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_sample_double_ignores_locale, text_setup,
						capture_teardown),
	};

	return cmocka_run_group_tests_name("prom_writer", tests, NULL, NULL);
}
