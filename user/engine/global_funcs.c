// SPDX-License-Identifier: GPL-2.0
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "engine/global_funcs.h"

static bool takes_pointer(const struct btf *btf, const struct btf_type *proto)
{
	const struct btf_param *params = btf_params(proto);

	for (int i = 0; i < btf_vlen(proto); i++) {
		const struct btf_type *arg = btf__type_by_id(btf, params[i].type);

		while (arg && (btf_is_mod(arg) || btf_is_typedef(arg)))
			arg = btf__type_by_id(btf, arg->type);
		if (arg && btf_is_ptr(arg))
			return true;
	}
	return false;
}

int global_funcs_make_static(struct bpf_object *obj)
{
	struct btf *btf = bpf_object__btf(obj);
	int turned = 0;

	if (!btf)
		return -1;
	for (unsigned int id = 1; id < btf__type_cnt(btf); id++) {
		/* libbpf's sanitizer writes the object's BTF the same way (it owns the memory) */
		struct btf_type *t = (struct btf_type *)btf__type_by_id(btf, id);

		if (!btf_is_func(t) ||
		    btf_vlen(t) != BTF_FUNC_GLOBAL /* a FUNC's vlen is its linkage */ ||
		    !takes_pointer(btf, btf__type_by_id(btf, t->type)))
			continue;
		t->info = BTF_KIND_FUNC << 24 | BTF_FUNC_STATIC; /* kind, then vlen */
		turned++;
	}
	return turned;
}
