// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <math.h>
#include <string.h>

#include "output/hist.h"
#include "output/prom_writer.h"
#include "output/utf8.h"

void prom_writer_init(struct prom_writer *w, FILE *out, enum prom_format format)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->format = format;
}

const char *prom_content_type(enum prom_format format)
{
	return format == PROM_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; "
					    "charset=utf-8" :
					    "text/plain; version=0.0.4; charset=utf-8";
}

/* The name a family's HELP and TYPE lines carry. */
static void put_family_name(const struct prom_writer *w)
{
	fputs(w->family, w->out);
	if (w->format == PROM_OPENMETRICS)
		return;
	if (w->type == PROM_COUNTER)
		fputs("_total", w->out);
	else if (w->type == PROM_INFO)
		fputs("_info", w->out);
}

/*
 * s as both formats escape it: backslash, newline and (in label values, and in OpenMetrics's
 * HELP, an escaped-string whose normal-char excludes it) the double quote get a backslash; a
 * byte that is not UTF-8, which neither format allows, becomes U+FFFD.
 */
static void put_escaped(FILE *out, const char *s, int quote)
{
	while (*s) {
		unsigned int cp, len = utf8_decode(s, &cp);

		if (!len) {
			fputs("\xef\xbf\xbd", out);
			s++;
		} else if (*s == '\\' || (*s == '"' && quote)) {
			fputc('\\', out);
			fputc(*s++, out);
		} else if (*s == '\n') {
			fputs("\\n", out);
			s++;
		} else {
			fwrite(s, 1, len, out);
			s += len;
		}
	}
}

void prom_family(struct prom_writer *w, const char *name, enum prom_type type, const char *help)
{
	static const char *const type_names[][2] = {
		[PROM_COUNTER] = { "counter", "counter" },
		[PROM_GAUGE] = { "gauge", "gauge" },
		[PROM_HISTOGRAM] = { "histogram", "histogram" },
		[PROM_INFO] = { "gauge", "info" },
	};

	w->family = name;
	w->type = type;
	fputs("# HELP ", w->out);
	put_family_name(w);
	fputc(' ', w->out);
	put_escaped(w->out, help, w->format == PROM_OPENMETRICS);
	fputs("\n# TYPE ", w->out);
	put_family_name(w);
	fprintf(w->out, " %s\n", type_names[type][w->format == PROM_OPENMETRICS]);
}

/* NAME + suffix + {labels} (and one more label, extra, if not NULL) + ' '. */
static void put_series(struct prom_writer *w, const char *suffix, const struct prom_label *labels,
		       int nr_labels, const struct prom_label *extra)
{
	assert(w->family);
	fprintf(w->out, "%s%s", w->family, suffix);
	if (nr_labels || extra)
		fputc('{', w->out);
	for (int i = 0; i < nr_labels + (extra != NULL); i++) {
		const struct prom_label *l = i < nr_labels ? &labels[i] : extra;

		fprintf(w->out, "%s%s=\"", i ? "," : "", l->name);
		put_escaped(w->out, l->value ? l->value : "", 1);
		fputc('"', w->out);
	}
	if (nr_labels || extra)
		fputc('}', w->out);
	fputc(' ', w->out);
}

static const char *sample_suffix(const struct prom_writer *w)
{
	return w->type == PROM_COUNTER ? "_total" : w->type == PROM_INFO ? "_info" : "";
}

void prom_sample(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
		 unsigned long long value)
{
	put_series(w, sample_suffix(w), labels, nr_labels, NULL);
	fprintf(w->out, "%llu\n", value);
}

void prom_sample_text(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
		      const char *value)
{
	put_series(w, sample_suffix(w), labels, nr_labels, NULL);
	fprintf(w->out, "%s\n", value);
}

void prom_sample_double(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
			double value)
{
	char text[64];
	char *comma;

	/* %g writes inf and nan; OpenMetrics's number wants the sign, both formats read these */
	if (isnan(value) || isinf(value)) {
		prom_sample_text(w, labels, nr_labels,
				 isnan(value) ? "NaN" :
				 value > 0    ? "+Inf" :
						"-Inf");
		return;
	}
	/* %g is locale-bound: a decimal comma would not parse */
	snprintf(text, sizeof(text), "%.9g", value);
	comma = strchr(text, ',');
	if (comma)
		*comma = '.';
	prom_sample_text(w, labels, nr_labels, text);
}

const char *prom_seconds(__u64 ns, char *buf)
{
	int len = sprintf(buf, "%llu.%09llu", (unsigned long long)(ns / 1000000000ULL),
			  (unsigned long long)(ns % 1000000000ULL));

	while (buf[len - 1] == '0')
		buf[--len] = '\0';
	if (buf[len - 1] == '.')
		buf[--len] = '\0';
	return buf;
}

void prom_histogram_ns(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
		       const __u64 slots[DT_LAT_SLOTS], __u64 sum_ns)
{
	struct prom_label le = { "le", NULL };
	char bound[32], sum[32];
	__u64 cumulative = 0;

	for (unsigned int s = 0; s + 1 < DT_LAT_SLOTS; s++) {
		cumulative += slots[s];
		le.value = prom_seconds(hist_slot_hi(s), bound);
		put_series(w, "_bucket", labels, nr_labels, &le);
		fprintf(w->out, "%llu\n", (unsigned long long)cumulative);
	}
	cumulative += slots[DT_LAT_SLOTS - 1];
	le.value = "+Inf";
	put_series(w, "_bucket", labels, nr_labels, &le);
	fprintf(w->out, "%llu\n", (unsigned long long)cumulative);
	put_series(w, "_sum", labels, nr_labels, NULL);
	fprintf(w->out, "%s\n", prom_seconds(sum_ns, sum));
	put_series(w, "_count", labels, nr_labels, NULL);
	fprintf(w->out, "%llu\n", (unsigned long long)cumulative);
}

void prom_end(struct prom_writer *w)
{
	if (w->format == PROM_OPENMETRICS)
		fputs("# EOF\n", w->out);
}
