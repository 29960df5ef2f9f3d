// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/event_names.h"

const char *const event_type_names[DT_NR_EVENT_TYPES] = {
	[DT_EV_FAULT] = "fault", [DT_EV_MKWRITE] = "mkwrite",	  [DT_EV_COW] = "cow",
	[DT_EV_REMAP] = "remap", [DT_EV_WRITEBACK] = "writeback", [DT_EV_SIGBUS] = "sigbus",
	[DT_EV_SYNC] = "sync",
};

const char *const remap_kind_names[DT_NR_REMAP_KINDS] = {
	[DT_REMAP_CLONE] = "clone",   [DT_REMAP_CLONE_RANGE] = "clone_range",
	[DT_REMAP_DEDUPE] = "dedupe", [DT_REMAP_UNSHARE] = "unshare",
	[DT_REMAP_OTHER] = "other",
};

int event_type_by_name(const char *name)
{
	for (int t = 0; t < DT_NR_EVENT_TYPES; t++)
		if (!strcmp(name, event_type_names[t]))
			return t;
	return -1;
}

int event_mask_parse(const char *list, __u32 *mask, char *bad, size_t bad_size)
{
	char *copy = strdup(list), *save = NULL;
	int err = 0;

	if (!copy)
		return -1;
	*mask = 0;
	for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int type = event_type_by_name(name);

		if (!strcmp(name, "all")) {
			*mask = DT_ALL_EVENTS;
		} else if (type >= 0) {
			*mask |= 1U << type;
		} else {
			snprintf(bad, bad_size, "%s", name);
			err = -1;
			break;
		}
	}
	free(copy);
	if (!err && !*mask) {
		snprintf(bad, bad_size, "%s", list);
		err = -1;
	}
	return err;
}

/* include/linux/mm_types.h VM_FAULT_RESULT_TRACE, in its order. */
static const struct {
	__u32 bit;
	const char *name;
} fault_results[] = {
	{ DT_VM_FAULT_OOM, "oom" },
	{ DT_VM_FAULT_SIGBUS, "sigbus" },
	{ DT_VM_FAULT_MAJOR, "major" },
	{ DT_VM_FAULT_HWPOISON, "hwpoison" },
	{ DT_VM_FAULT_HWPOISON_LARGE, "hwpoison_large" },
	{ DT_VM_FAULT_SIGSEGV, "sigsegv" },
	{ DT_VM_FAULT_NOPAGE, "nopage" },
	{ DT_VM_FAULT_LOCKED, "locked" },
	{ DT_VM_FAULT_RETRY, "retry" },
	{ DT_VM_FAULT_FALLBACK, "fallback" },
	{ DT_VM_FAULT_DONE_COW, "done_cow" },
	{ DT_VM_FAULT_NEEDDSYNC, "needdsync" },
	{ DT_VM_FAULT_COMPLETED, "completed" },
};

/* Appends s to buf (used bytes so far), cut at size - 1; returns the new length. */
static size_t append(char *buf, size_t size, size_t used, const char *s)
{
	size_t n = strlen(s);

	if (used + n > size - 1)
		n = used < size - 1 ? size - 1 - used : 0;
	memcpy(buf + used, s, n);
	buf[used + n] = '\0';
	return used + n;
}

/* Once per snoop line: string appends, not snprintf (text_line.h says why). */
void format_fault_result(__u32 result, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(fault_results) / sizeof(fault_results[0]); i++) {
		if (!(result & fault_results[i].bit))
			continue;
		if (used)
			used = append(buf, size, used, "|");
		used = append(buf, size, used, fault_results[i].name);
	}
	if (!used)
		append(buf, size, 0, "-");
}
