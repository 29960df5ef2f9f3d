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
		json_kv_string(w, "from", u->from);
		/* none for a flag's unit, or one assumed from it */
		json_uint_or_null(w, "samples", u->samples > 0, u->samples);
		json_kv_string(w, "flag", share_unit_flags[i]);
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
			/* a count the model could not measure is null, as in "model" */
			json_uint_or_null(w, "count", term->state != SHARE_TERM_NOT_COUNTED,
					  term->count);
			json_kv_string(w, "unit", share_unit_names[term->unit]);
			json_uint_or_null(w, "ns", term->state == SHARE_TERM_PRICED, term->ns);
			json_object_end(w);
		}
		json_object_end(w);
		json_object_end(w);
	}
	json_object_end(w);
}

static void text_unit(FILE *out, const struct share_unit_cost *u, int unit)
{
	fprintf(out, "%-12s ", share_unit_names[unit]);
	switch (u->source) {
	case SHARE_UNIT_UNKNOWN:
		fprintf(out, "unknown: nothing in this run to take it from (%s)", u->from);
		break;
	case SHARE_UNIT_GIVEN:
		fprintf(out, "%llu ns, given (%s)\n", (unsigned long long)u->ns, u->from);
		return;
	case SHARE_UNIT_ASSUMED:
		fprintf(out, "%llu ns, assumed: as %s", (unsigned long long)u->ns, u->from);
		if (u->samples) /* not when it is a flag's value */
			fprintf(out, " (%llu calls)", (unsigned long long)u->samples);
		break;
	default: /* MEASURED, FALLBACK */
		fprintf(out, "%llu ns, %s: the average of %s (%llu calls)",
			(unsigned long long)u->ns, share_unit_source_names[u->source], u->from,
			(unsigned long long)u->samples);
	}
	fprintf(out, "; %s N replaces it\n", share_unit_flags[unit]);
}

/* Why a term has no price, in a few words; nothing for a priced one. */
static const char *term_unpriced(const struct share_price_term *t, char *buf, size_t size)
{
	switch (t->state) {
	case SHARE_TERM_NOT_COUNTED:
		snprintf(buf, size, "%s not measured", t->name);
		return buf;
	case SHARE_TERM_UNIT_UNKNOWN:
		snprintf(buf, size, "%s unknown", share_unit_names[t->unit]);
		return buf;
	case SHARE_TERM_OVERFLOW:
		snprintf(buf, size, "%s beyond 64 bits", t->name);
		return buf;
	default:
		return NULL;
	}
}

static void text_design(FILE *out, const struct share_design_price *d,
			const struct share_design_price *kernel)
{
	const char *sep = "not priced (", *why;
	char buf[96];

	for (int t = 0; t < d->nr_terms; t++) {
		why = term_unpriced(&d->terms[t], buf, sizeof(buf));
		if (why) {
			fprintf(out, "%s%s", sep, why);
			sep = ", ";
		}
	}
	if (d->priced)
		fprintf(out, "%.3f ms =", d->total_ns / 1e6);
	else if (*sep == ',') /* the terms said why */
		fprintf(out, "):");
	else /* every term priced: their sum did not fit */
		fprintf(out, "not priced (sum beyond 64 bits):");
	for (int t = 0; t < d->nr_terms; t++) {
		const struct share_price_term *term = &d->terms[t];

		fprintf(out, "%s %s ", t ? " +" : "", term->name);
		if (term->state == SHARE_TERM_NOT_COUNTED)
			fprintf(out, "(not measured)");
		else
			fprintf(out, "%llu", (unsigned long long)term->count);
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
