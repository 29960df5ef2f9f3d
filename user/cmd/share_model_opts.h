/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's parameters, one option language for `daxtrace share --model` and `daxtrace
 * model`: bytes per proxy object, and the unit costs a flag may replace (engine/share_price.h).
 */
#ifndef DAXTRACE_SHARE_MODEL_OPTS_H
#define DAXTRACE_SHARE_MODEL_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "engine/options.h"
#include "engine/share_price.h"

struct share_model_params {
	unsigned long long proxy_bytes;
	struct share_price_params price;
	const char *given; /* the last of these flags given, for "needs --model"; NULL: none */
};

#define SHARE_MODEL_PARAMS_DEFAULT \
	((struct share_model_params){ .proxy_bytes = 64, .price = SHARE_PRICE_PARAMS_DEFAULT })

/* After a command's own options: OPT_COMMAND_FIRST + 50 leaves room for them (share.c checks). */
enum {
	OPT_PROXY_BYTES = OPT_COMMAND_FIRST + 50,
	OPT_UNIT_NS, /* + enum share_unit: --update-ns, --alloc-ns, --lookup-ns, --rmap-walk-ns */
	OPT_MODEL_LAST = OPT_UNIT_NS + SHARE_NR_UNITS - 1,
};

#define SHARE_MODEL_LONG_OPTS                                                               \
	{ "proxy-bytes", required_argument, NULL, OPT_PROXY_BYTES },                        \
		{ "update-ns", required_argument, NULL, OPT_UNIT_NS + SHARE_UNIT_UPDATE },  \
		{ "alloc-ns", required_argument, NULL, OPT_UNIT_NS + SHARE_UNIT_ALLOC },    \
		{ "lookup-ns", required_argument, NULL, OPT_UNIT_NS + SHARE_UNIT_LOOKUP },  \
	{                                                                                   \
		"rmap-walk-ns", required_argument, NULL, OPT_UNIT_NS + SHARE_UNIT_RMAP_WALK \
	}

extern const char share_model_opts_help[];

/* True when opt is one of SHARE_MODEL_LONG_OPTS. */
bool share_model_opt_is(int opt);

/* One of them into params: 0, or -1 after the usage error's line. */
int share_model_opt(struct share_model_params *params, int opt, const char *arg);

#endif /* DAXTRACE_SHARE_MODEL_OPTS_H */
