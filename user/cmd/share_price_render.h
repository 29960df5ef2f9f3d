/* SPDX-License-Identifier: GPL-2.0 */
/* Each design's priced cost (engine/share_price.h): the PRICED block of the text, "price" in JSON. */
#ifndef DAXTRACE_SHARE_PRICE_RENDER_H
#define DAXTRACE_SHARE_PRICE_RENDER_H

#include <stdio.h>

#include "engine/share_price.h"

struct json_writer;

/*
 * The unit costs, each with where it came from, then per design its total in ns as the sum
 * of count x unit cost, and its ratio to the kernel's; "not priced" names what is missing.
 */
void share_price_text(FILE *out, const struct share_price *p);

/*
 * "price": {"units": {"<unit>": {"ns", "source", "from", "samples"}}, "<design>": {"total_ns",
 * "terms": {"<term>": {"count", "unit", "ns"}}}}: null for what is not priced
 * (docs/daxtrace-share.8).
 */
void share_price_json(struct json_writer *w, const struct share_price *p);

#endif /* DAXTRACE_SHARE_PRICE_RENDER_H */
