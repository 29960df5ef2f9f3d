/* SPDX-License-Identifier: GPL-2.0 */
/* The names of the event model's enums (include/daxtrace_event.h), as every output spells them. */
#ifndef DAXTRACE_EVENT_NAMES_H
#define DAXTRACE_EVENT_NAMES_H

#include <stddef.h>
#include <linux/types.h>

#include "daxtrace_event.h"

extern const char *const event_type_names[DT_NR_EVENT_TYPES];
extern const char *const remap_kind_names[DT_NR_REMAP_KINDS];

/* The event type called name, or -1. */
int event_type_by_name(const char *name);

/*
 * "a,b,..." of event type names into a bit mask (1 << type); "all" is every type. Returns -1
 * and names the bad entry in bad (size bad_size) when one is not a type.
 */
int event_mask_parse(const char *list, __u32 *mask, char *bad, size_t bad_size);

/* The VM_FAULT_* bits of a fault result as "nopage|fallback", "-" when none. */
void format_fault_result(__u32 result, char *buf, size_t size);

#endif /* DAXTRACE_EVENT_NAMES_H */
