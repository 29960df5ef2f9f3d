/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's symbols from /proc/kallsyms (module symbols included): addresses of kernel
 * variables for the BPF side, names for the addresses of a kernel stack, and the functions a
 * kprobe can be put on. Also the other name lists of the kernel the attach plan checks: tracefs
 * available_filter_functions and debugfs kprobes/blacklist.
 */
#ifndef DAXTRACE_KSYMS_H
#define DAXTRACE_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ksym {
	unsigned long long addr;
	char type; /* kallsyms type letter: t/T text, d/D data, ... */
	const char *name;
	const char *module; /* NULL for vmlinux */
};

struct ksym_table {
	struct ksym *syms; /* sorted by address */
	size_t nr;
	char *strings; /* every name and module name, one allocation */
	const struct ksym **by_name; /* the same symbols sorted by name (address order on ties) */
};

/* Reads a kallsyms file ("/proc/kallsyms"); -errno. Addresses of 0 (no privilege) are kept. */
int ksym_table_load(struct ksym_table *t, const char *path);
/* The same from an open kallsyms stream; lines of another shape are skipped. -ENOMEM. */
int ksym_table_read(struct ksym_table *t, FILE *kallsyms);

/* The text symbol an address lies in (the last at or below it), or NULL. */
const struct ksym *ksym_table_resolve(const struct ksym_table *t, unsigned long long addr);

/* The address of a symbol by name, or 0. */
unsigned long long ksym_table_address(const struct ksym_table *t, const char *name);

/*
 * A function (text symbol) for a kprobe: the name itself, else a compiler clone
 * "name.isra.N" / "name.constprop.N" (the whole function under another name, e.g.
 * dax_disassociate_entry.isra.0 on 7.x; the first by name if there are several). NULL if
 * neither is there.
 */
const struct ksym *ksym_table_function(const struct ksym_table *t, const char *name);

/* "name" without a compiler clone suffix (.isra.N, .constprop.N, .part.N, .cold): a stable name. */
void ksym_stable_name(const char *name, char *buf, size_t size);

void ksym_table_free(struct ksym_table *t);

/* A sorted set of names read from a kernel list, duplicates dropped. */
struct name_set {
	const char **names;
	size_t nr;
	char *strings;
};

/*
 * tracefs available_filter_functions: the functions ftrace can trace (so fentry can attach to,
 * and kprobes reach through ftrace), one a line: "name" or "name [module]". A static function
 * defined in several files is listed once per copy. -errno.
 */
int ftrace_functions_load(struct name_set *set, const char *path);

/*
 * debugfs kprobes/blacklist: the functions kprobes refuse, one a line:
 * "0xSTART-0xEND\tname" or "... name [module]" (addresses 0 without privilege). -errno.
 */
int kprobe_blacklist_load(struct name_set *set, const char *path);

/* The field'th blank-separated token (from 0) of every line of a stream, as a set. -ENOMEM. */
int name_set_read(struct name_set *set, FILE *list, int field);

bool name_set_has(const struct name_set *set, const char *name);

/* name, else its first .isra.N / .constprop.N clone in the set (as ksym_table_function), or NULL. */
const char *name_set_function(const struct name_set *set, const char *name);

void name_set_free(struct name_set *set);

#endif /* DAXTRACE_KSYMS_H */
