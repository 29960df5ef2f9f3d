/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's BTF (vmlinux and modules), parsed once and shared with libbpf. */
#ifndef DAXTRACE_KERNEL_BTF_H
#define DAXTRACE_KERNEL_BTF_H

#include <stdbool.h>

struct btf;

/* vmlinux's BTF, parsed on first use; NULL without one. */
const struct btf *kernel_btf_vmlinux(void);

/* The tracepoint has a btf_trace_<name> typedef in vmlinux or module BTF (tp_btf, raw_tp). */
bool tracepoint_in_btf(const char *name);

/* The struct is in vmlinux or module BTF (CO-RE reads of it need it there). */
bool struct_in_btf(const char *name);
/* Whether the function (vmlinux or module BTF) has a parameter that is a struct or union. */
bool function_takes_struct_by_value(const char *name);
/* Whether fentry/fexit can attach to such a function (v6.1). */
bool trampoline_takes_struct_args(void);

/* The function is in vmlinux or module BTF (fentry needs its prototype). */
bool function_in_btf(const char *name);

/*
 * Once the plan is made: frees the module BTFs, and gives vmlinux's to the next
 * btf__load_vmlinux_btf() call, libbpf's in bpf_object__load, which frees it after the load.
 * Lookups after it parse anew.
 */
void kernel_btf_hand_to_libbpf(void);

/* Frees all of it, vmlinux's too if libbpf has not taken it. */
void kernel_btf_release(void);

#endif /* DAXTRACE_KERNEL_BTF_H */
