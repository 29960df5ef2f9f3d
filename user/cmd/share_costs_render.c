// SPDX-License-Identifier: GPL-2.0
#include "cmd/share_costs_render.h"
#include "output/hist.h"
#include "output/json_writer.h"

static double us(__u64 ns)
{
	return ns / 1000.0;
}

void share_costs_text(FILE *out, const struct share_costs *c)
{
	const char *sep = "";
	bool header = false, unmeasured = false;

	for (int op = 0; op < DT_NR_COST_OPS; op++) {
		const struct dt_cost *o = &c->op[op];

		unmeasured |= !c->measured[op];
		if (!c->measured[op] || !o->count)
			continue;
		if (!header)
			fprintf(out,
				"COSTS (kernel time per operation, us)\n  %-26s %10s %9s %9s "
				"%9s %9s\n",
				"OPERATION", "COUNT", "AVG", "P50", "P99", "MAX");
		header = true;
		fprintf(out, "  %-26s %10llu %9.2f %9.2f %9.2f %9.2f\n", share_cost_names[op],
			(unsigned long long)o->count, us(o->sum_ns) / o->count,
			us(hist_percentile(o->slots, 50, o->max_ns)),
			us(hist_percentile(o->slots, 99, o->max_ns)), us(o->max_ns));
	}
	if (!unmeasured)
		return;
	fprintf(out, "  not measured (probe point not attached):");
	for (int op = 0; op < DT_NR_COST_OPS; op++) {
		if (c->measured[op])
			continue;
		fprintf(out, "%s %s", sep, share_cost_names[op]);
		sep = ",";
	}
	fputc('\n', out);
}

void share_costs_json(struct json_writer *w, const struct share_costs *c)
{
	json_key(w, "costs");
	json_object_begin(w);
	for (int op = 0; op < DT_NR_COST_OPS; op++) {
		const struct dt_cost *o = &c->op[op];

		json_key(w, share_cost_names[op]);
		json_object_begin(w);
		json_kv_bool(w, "measured", c->measured[op]);
		json_kv_string(w, "point", share_cost_point(op));
		if (c->measured[op]) { /* not measured: no number at all, never a 0 */
			json_kv_uint(w, "count", o->count);
			json_kv_uint(w, "total_ns", o->sum_ns);
			json_kv_uint(w, "avg_ns", o->count ? o->sum_ns / o->count : 0);
			json_kv_uint(w, "p50_ns", hist_percentile(o->slots, 50, o->max_ns));
			json_kv_uint(w, "p99_ns", hist_percentile(o->slots, 99, o->max_ns));
			json_kv_uint(w, "max_ns", o->max_ns);
			hist_json_buckets(w, o->slots);
		}
		json_object_end(w);
	}
	json_object_end(w);
}
