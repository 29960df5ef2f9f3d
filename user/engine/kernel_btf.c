// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's BTF, parsed once: the attach plan looks names up in it, then libbpf gets the
 * same vmlinux BTF for CO-RE and for the tp_btf/fentry attach targets, instead of parsing
 * /sys/kernel/btf/vmlinux a second time.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "engine/kernel_btf.h"

#define MAX_BTFS 128

/*
 * vmlinux's BTF, then every module's split BTF. vmlinux is loaded on first use; the modules
 * only when a name is not in vmlinux (parsing them all costs start-up time for nothing when
 * every probe point is a vmlinux one).
 */
static struct btf *kernel_btfs[MAX_BTFS];
static int nr_kernel_btfs = -1;
static bool modules_loaded;
static bool vmlinux_for_libbpf; /* kernel_btf_hand_to_libbpf() was called */

struct btf *__real_btf__load_vmlinux_btf(void);

/*
 * The binary is linked with -Wl,--wrap=btf__load_vmlinux_btf, so libbpf's own call
 * (bpf_object__load_vmlinux_btf, the one vmlinux BTF of a bpf_object) lands here. libbpf has no
 * option to take a parsed BTF. libbpf 1.7 maps /sys/kernel/btf/vmlinux read-only where the
 * kernel allows it (v6.16, "btf: Allow mmap of vmlinux btf"), but still indexes its types: a
 * second parse would cost 7-8 ms on the 6.18 host, and on 6.1 and 6.12, which cannot map it, a
 * whole copy of the 5.5 MB file. libbpf frees obj->btf_vmlinux when the load is done, so
 * handing ours over moves its ownership: the engine forgets it.
 */
struct btf *__wrap_btf__load_vmlinux_btf(void)
{
	struct btf *btf = kernel_btfs[0];

	if (!vmlinux_for_libbpf)
		return __real_btf__load_vmlinux_btf();
	kernel_btfs[0] = NULL;
	nr_kernel_btfs = -1;
	vmlinux_for_libbpf = false;
	return btf;
}

static void load_vmlinux_btf(void)
{
	nr_kernel_btfs = 0;
	kernel_btfs[0] = __real_btf__load_vmlinux_btf();
	if (kernel_btfs[0])
		nr_kernel_btfs = 1;
}

static void load_module_btfs(void)
{
	struct dirent *entry;
	char path[300];
	DIR *dir;

	modules_loaded = true;
	dir = nr_kernel_btfs == 1 ? opendir("/sys/kernel/btf") : NULL;
	if (!dir)
		return;
	while ((entry = readdir(dir)) && nr_kernel_btfs < MAX_BTFS) {
		struct btf *module;

		if (entry->d_name[0] == '.' || !strcmp(entry->d_name, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", entry->d_name);
		module = btf__parse_split(path, kernel_btfs[0]);
		if (module)
			kernel_btfs[nr_kernel_btfs++] = module;
	}
	closedir(dir);
}

const struct btf *kernel_btf_vmlinux(void)
{
	if (nr_kernel_btfs < 0)
		load_vmlinux_btf();
	return kernel_btfs[0];
}

static bool in_kernel_btf(const char *name, int kind)
{
	if (kernel_btf_vmlinux() && btf__find_by_name_kind(kernel_btfs[0], name, kind) >= 0)
		return true;
	if (!modules_loaded)
		load_module_btfs();
	for (int i = 1; i < nr_kernel_btfs; i++)
		if (btf__find_by_name_kind(kernel_btfs[i], name, kind) >= 0)
			return true;
	return false;
}

bool struct_in_btf(const char *name)
{
	return in_kernel_btf(name, BTF_KIND_STRUCT);
}

/* The BTF holding a FUNC of that name, and its id there; NULL if none does. */
static const struct btf *find_function(const char *name, __s32 *id)
{
	if (kernel_btf_vmlinux()) {
		*id = btf__find_by_name_kind(kernel_btfs[0], name, BTF_KIND_FUNC);
		if (*id >= 0)
			return kernel_btfs[0];
	}
	if (!modules_loaded)
		load_module_btfs();
	for (int i = 1; i < nr_kernel_btfs; i++) {
		*id = btf__find_by_name_kind(kernel_btfs[i], name, BTF_KIND_FUNC);
		if (*id >= 0)
			return kernel_btfs[i];
	}
	return NULL;
}

bool function_takes_struct_by_value(const char *name)
{
	const struct btf_param *param;
	const struct btf_type *proto;
	const struct btf *btf;
	__s32 id;

	btf = find_function(name, &id);
	if (!btf)
		return false;
	proto = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!proto || !btf_is_func_proto(proto))
		return false;
	param = btf_params(proto);
	for (int i = 0; i < btf_vlen(proto); i++) {
		const struct btf_type *type =
			btf__type_by_id(btf, btf__resolve_type(btf, param[i].type));

		if (type && (btf_is_struct(type) || btf_is_union(type)))
			return true;
	}
	return false;
}

/*
 * v6.1 "bpf: Allow struct argument in trampoline based programs" gave struct btf_func_model
 * its arg_flags: before, an fentry program on a function that takes a struct by value (pfn_t,
 * until v6.17) fails to load, and with it the whole BPF object.
 */
bool trampoline_takes_struct_args(void)
{
	const struct btf *btf = kernel_btf_vmlinux();
	const struct btf_member *member;
	const struct btf_type *model;
	__s32 id;

	if (!btf)
		return false;
	id = btf__find_by_name_kind(btf, "btf_func_model", BTF_KIND_STRUCT);
	model = id >= 0 ? btf__type_by_id(btf, id) : NULL;
	if (!model)
		return false;
	member = btf_members(model);
	for (int i = 0; i < btf_vlen(model); i++)
		if (!strcmp(btf__name_by_offset(btf, member[i].name_off), "arg_flags"))
			return true;
	return false;
}

bool tracepoint_in_btf(const char *name)
{
	char typedef_name[128];

	snprintf(typedef_name, sizeof(typedef_name), "btf_trace_%s", name);
	return in_kernel_btf(typedef_name, BTF_KIND_TYPEDEF);
}

bool function_in_btf(const char *name)
{
	return in_kernel_btf(name, BTF_KIND_FUNC);
}

/* Module BTFs are split on top of vmlinux's: free them before their base. */
static void free_module_btfs(void)
{
	for (int i = nr_kernel_btfs - 1; i >= 1; i--)
		btf__free(kernel_btfs[i]);
	if (nr_kernel_btfs > 1)
		nr_kernel_btfs = 1;
	modules_loaded = false;
}

void kernel_btf_hand_to_libbpf(void)
{
	free_module_btfs();
	vmlinux_for_libbpf = nr_kernel_btfs > 0;
}

void kernel_btf_release(void)
{
	free_module_btfs();
	if (nr_kernel_btfs > 0)
		btf__free(kernel_btfs[0]);
	kernel_btfs[0] = NULL;
	nr_kernel_btfs = -1;
	vmlinux_for_libbpf = false;
}
