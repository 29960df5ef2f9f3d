/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Global BPF functions on verifiers that refuse their pointer arguments. bpf/ makes a helper
 * global (__noinline, not static) so that the verifier checks it once, on its own, instead of
 * at every call with the caller's states (dt_row_count_fault in bpf/fault.bpf.c). Before v5.12
 * ("bpf: Support pointers in global func args") a global function takes scalars and the
 * context only, and the whole object is refused. There, its BTF linkage is turned static before
 * load, as libbpf itself does for kernels without global functions at all
 * (bpf_object__sanitize_btf, FEAT_BTF_GLOBAL_FUNC): the verifier then checks it at each call,
 * which costs more instructions verified, and the program behaves the same.
 */
#ifndef DAXTRACE_GLOBAL_FUNCS_H
#define DAXTRACE_GLOBAL_FUNCS_H

struct bpf_object;

/*
 * Turns static every global function of the object's BTF that takes a pointer. Before
 * bpf_object__load. Returns how many it turned, or -1 if the object has no BTF.
 */
int global_funcs_make_static(struct bpf_object *obj);

#endif /* DAXTRACE_GLOBAL_FUNCS_H */
