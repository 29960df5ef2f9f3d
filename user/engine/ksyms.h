/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's symbols from /proc/kallsyms (module symbols included): addresses of kernel
 * variables for the BPF side, and names for the addresses of a kernel stack.
 */
#ifndef DAXTRACE_KSYMS_H
#define DAXTRACE_KSYMS_H

#include <stdbool.h>
#include <stddef.h>

struct ksym {
	unsigned long long addr;
	char type; /* kallsyms type letter: t/T text, d/D data, ... */
	char *name;
	char *module; /* NULL for vmlinux */
};

struct ksym_table {
	struct ksym *syms; /* sorted by address */
	size_t nr;
};

/* Reads a kallsyms file ("/proc/kallsyms"); -errno. Addresses of 0 (no privilege) are kept. */
int ksym_table_load(struct ksym_table *t, const char *path);

/* The text symbol an address lies in (the last at or below it), or NULL. */
const struct ksym *ksym_table_resolve(const struct ksym_table *t, unsigned long long addr);

/* The address of a symbol by name, or 0. */
unsigned long long ksym_table_address(const struct ksym_table *t, const char *name);

/* "name" without a compiler clone suffix (.isra.N, .constprop.N, .part.N, .cold): a stable name. */
void ksym_stable_name(const char *name, char *buf, size_t size);

void ksym_table_free(struct ksym_table *t);

#endif /* DAXTRACE_KSYMS_H */
