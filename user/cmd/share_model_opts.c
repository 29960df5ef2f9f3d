// SPDX-License-Identifier: GPL-2.0
#include "cmd/share_model_opts.h"
#include "engine/numbers.h"
#include "engine/report_error.h"

#define MAX_PROXY_BYTES (1ULL << 20)
#define MAX_UNIT_NS 1000000000ULL /* a second per operation: beyond any kernel path's */

const char share_model_opts_help[] =
	"      --proxy-bytes N  bytes per page-proxy object in the model (default 64)\n"
	"      --alloc-ns N     ns per proxy or protection record made or freed (default:\n"
	"                       as a measured share-count update)\n"
	"      --lookup-ns N    ns per pfn -> proxy or protection lookup (default: as a\n"
	"                       measured ->mapping read)\n"
	"      --rmap-walk-ns N ns per filesystem reverse lookup (default: the measured\n"
	"                       rmap walk, when the run had a memory failure)\n";

bool share_model_opt_is(int opt)
{
	return opt >= OPT_PROXY_BYTES && opt <= OPT_RMAP_WALK_NS;
}

static int unit_ns(long long *ns, const char *flag, const char *arg)
{
	unsigned long long number;

	if (!parse_uint(arg, MAX_UNIT_NS, &number))
		return usage_error("bad --%s '%s': expected 0 to %llu", flag, arg, MAX_UNIT_NS);
	*ns = number;
	return 0;
}

int share_model_opt(struct share_model_params *params, int opt, const char *arg)
{
	switch (opt) {
	case OPT_ALLOC_NS:
		return unit_ns(&params->price.alloc_ns, "alloc-ns", arg);
	case OPT_LOOKUP_NS:
		return unit_ns(&params->price.lookup_ns, "lookup-ns", arg);
	case OPT_RMAP_WALK_NS:
		return unit_ns(&params->price.rmap_walk_ns, "rmap-walk-ns", arg);
	default: /* OPT_PROXY_BYTES */
		if (!parse_uint(arg, MAX_PROXY_BYTES, &params->proxy_bytes))
			return usage_error("bad --proxy-bytes '%s': expected 0 to %llu", arg,
					   MAX_PROXY_BYTES);
		return 0;
	}
}
