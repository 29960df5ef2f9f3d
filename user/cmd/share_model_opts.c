// SPDX-License-Identifier: GPL-2.0
#include "cmd/share_model_opts.h"
#include "engine/numbers.h"
#include "engine/report_error.h"

#define MAX_PROXY_BYTES (1ULL << 20)
#define MAX_UNIT_NS 1000000000ULL /* a second per operation: beyond any kernel path's */

const char share_model_opts_help[] =
	"      --proxy-bytes N  bytes per page-proxy object in the model (default 64)\n"
	"      --update-ns N    ns per share-count update in the price (default: the\n"
	"                       measured dax_disassociate_entry of a shared unit)\n"
	"      --alloc-ns N     ns per proxy or protection record made or freed (default:\n"
	"                       as a share-count update)\n"
	"      --lookup-ns N    ns per pfn -> proxy or protection lookup (default: as a\n"
	"                       measured ->mapping read)\n"
	"      --rmap-walk-ns N ns per filesystem reverse lookup (default: the measured\n"
	"                       rmap walk, when the run had a memory failure)\n";

bool share_model_opt_is(int opt)
{
	return opt >= OPT_PROXY_BYTES && opt <= OPT_MODEL_LAST;
}

int share_model_opt(struct share_model_params *params, int opt, const char *arg)
{
	unsigned long long number;

	if (opt == OPT_PROXY_BYTES) {
		if (!parse_uint(arg, MAX_PROXY_BYTES, &params->proxy_bytes))
			return usage_error("bad --proxy-bytes '%s': expected 0 to %llu", arg,
					   MAX_PROXY_BYTES);
		params->given = "--proxy-bytes";
		return 0;
	}
	/* OPT_UNIT_NS + enum share_unit: its flag's name is share_unit_flags[] */
	if (!parse_uint(arg, MAX_UNIT_NS, &number))
		return usage_error("bad %s '%s': expected 0 to %llu",
				   share_unit_flags[opt - OPT_UNIT_NS], arg, MAX_UNIT_NS);
	params->price.ns[opt - OPT_UNIT_NS] = number;
	params->given = share_unit_flags[opt - OPT_UNIT_NS];
	return 0;
}
