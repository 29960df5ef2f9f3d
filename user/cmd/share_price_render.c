// SPDX-License-Identifier: GPL-2.0
#include "cmd/share_price_render.h"
#include "output/json_writer.h"

static void json_uint_or_null(struct json_writer *w, const char *key, bool known, __u64 value)
{
	json_key(w, key);
	if (known)
		json_uint(w, value);
	else
		json_null(w);
}

static void json_units(struct json_writer *w, const struct share_price *p)
{
	json_key(w, "units");
	json_object_begin(w);
	for (int i = 0; i < SHARE_NR_UNITS; i++) {
		const struct share_unit_cost *u = &p->unit[i];
		bool known = u->source != SHARE_UNIT_UNKNOWN;

		json_key(w, share_unit_names[i]);
		json_object_begin(w);
		json_uint_or_null(w, "ns", known, u->ns);
		json_kv_string(w, "source", share_unit_source_names[u->source]);
		json_key(w, "from");
		if (known)
			json_string(w, u->from);
		else
			json_null(w);
		json_uint_or_null(w, "samples", known && u->source != SHARE_UNIT_GIVEN, u->samples);
		json_key(w, "flag");
		if (share_unit_flags[i])
			json_string(w, share_unit_flags[i]);
		else
			json_null(w);
		json_object_end(w);
	}
	json_object_end(w);
}

void share_price_json(struct json_writer *w, const struct share_price *p)
{
	json_key(w, "price");
	json_object_begin(w);
	json_units(w, p);
	for (int i = 0; i < SHARE_NR_DESIGNS; i++) {
		const struct share_design_price *d = &p->design[i];

		json_key(w, share_design_names[i]);
		json_object_begin(w);
		json_uint_or_null(w, "total_ns", d->priced, d->total_ns);
		json_key(w, "terms");
		json_object_begin(w);
		for (int t = 0; t < d->nr_terms; t++) {
			const struct share_price_term *term = &d->terms[t];

			json_key(w, term->name);
			json_object_begin(w);
			json_uint_or_null(w, "count", term->counted, term->count);
			json_kv_string(w, "unit", share_unit_names[term->unit]);
			json_uint_or_null(w, "ns", term->priced, term->ns);
			json_object_end(w);
		}
		json_object_end(w);
		json_object_end(w);
	}
	json_object_end(w);
}

static void text_unit(FILE *out, const struct share_unit_cost *u, int unit)
{
	const char *flag = share_unit_flags[unit];

	fprintf(out, "%-12s ", share_unit_names[unit]);
	switch (u->source) {
	case SHARE_UNIT_UNKNOWN:
		fprintf(out, "unknown: this run timed no %s", u->from);
		break;
	case SHARE_UNIT_GIVEN:
		fprintf(out, "%llu ns, given (%s)", (unsigned long long)u->ns, u->from);
		flag = NULL;
		break;
	case SHARE_UNIT_ASSUMED:
		fprintf(out, "%llu ns, assumed: as %s (%llu calls)", (unsigned long long)u->ns,
			u->from, (unsigned long long)u->samples);
		break;
	default: /* MEASURED, FALLBACK */
		fprintf(out, "%llu ns, %s: the average of %s (%llu calls)",
			(unsigned long long)u->ns, share_unit_source_names[u->source], u->from,
			(unsigned long long)u->samples);
	}
	if (flag)
		fprintf(out, "; %s N replaces it", flag);
	fputc('\n', out);
}

static void text_design(FILE *out, const struct share_design_price *d,
			const struct share_design_price *kernel)
{
	if (d->priced)
		fprintf(out, "%.3f ms =", d->total_ns / 1e6);
	else
		fprintf(out, "not priced:");
	for (int t = 0; t < d->nr_terms; t++) {
		const struct share_price_term *term = &d->terms[t];

		fprintf(out, "%s %s ", t ? " +" : "", term->name);
		if (term->counted)
			fprintf(out, "%llu", (unsigned long long)term->count);
		else
			fprintf(out, "(not measured)");
		fprintf(out, " x %s", share_unit_names[term->unit]);
	}
	if (d != kernel && d->priced && kernel->priced && kernel->total_ns)
		fprintf(out, "  (%.2f x kernel)", (double)d->total_ns / kernel->total_ns);
	fputc('\n', out);
}

void share_price_text(FILE *out, const struct share_price *p)
{
	fprintf(out, "PRICED (count x ns per operation; docs/designs.md \"Priced\")\n");
	for (int i = 0; i < SHARE_NR_UNITS; i++) {
		fprintf(out, "  %-14s ", i ? "" : "unit costs");
		text_unit(out, &p->unit[i], i);
	}
	for (int i = 0; i < SHARE_NR_DESIGNS; i++) {
		fprintf(out, "  %-14s ", share_design_names[i]);
		text_design(out, &p->design[i], &p->design[SHARE_KERNEL]);
	}
}
