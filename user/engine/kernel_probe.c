// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "engine/ftrace_cache.h"
#include "engine/kernel_btf.h"
#include "engine/kernel_probe.h"

static int count_module_btfs(void)
{
	struct dirent *entry;
	DIR *dir = opendir("/sys/kernel/btf");
	int n = 0;

	if (!dir)
		return 0;
	while ((entry = readdir(dir)))
		n += entry->d_name[0] != '.' && strcmp(entry->d_name, "vmlinux");
	closedir(dir);
	return n;
}

static struct ksym_table *kallsyms_table(struct kernel_features *f)
{
	return f->kallsyms ? f->kallsyms : &f->own_kallsyms;
}

/* Marks the list tried; true if it is to be read now. */
static bool list_to_read(struct kernel_list *list)
{
	if (list->tried)
		return false;
	list->tried = true;
	list->err = list->path ? 0 : -ENOENT;
	return list->path != NULL;
}

const struct ksym_table *kernel_kallsyms(struct kernel_features *f)
{
	if (list_to_read(&f->kallsyms_list))
		f->kallsyms_list.err = ksym_table_load(kallsyms_table(f), f->kallsyms_list.path);
	return f->kallsyms_list.err ? NULL : kallsyms_table(f);
}

static int ftrace_functions_read(struct kernel_features *f)
{
	const char *path = f->ftrace_list.path;
	int err = ftrace_functions_load(&f->ftrace, path);

	/* Like the classic tracepoints: tracefs is mounted for the read if it is not. */
	if (err == -ENOENT && f->may_mount_tracefs && !f->tracefs &&
	    !strcmp(path, FTRACE_FUNCTIONS_PATH) &&
	    mount("tracefs", TRACEFS_PATH, "tracefs", 0, NULL) == 0) {
		err = ftrace_functions_load(&f->ftrace, path);
		umount(TRACEFS_PATH);
	}
	return err;
}

/* The kernel's list from the cache while this boot and its modules are the same (ftrace_cache.h). */
const struct name_set *kernel_ftrace_functions(struct kernel_features *f)
{
	struct kernel_list *list = &f->ftrace_list;
	char stamp[FTRACE_STAMP_SIZE];
	bool cache;

	if (!list_to_read(list))
		return list->err ? NULL : &f->ftrace;
	cache = f->ftrace_cache_path &&
		!ftrace_cache_stamp(stamp, sizeof(stamp), BOOT_ID_PATH, MODULES_PATH);
	if (cache && !ftrace_cache_load(&f->ftrace, f->ftrace_cache_path, stamp))
		return &f->ftrace;
	list->err = ftrace_functions_read(f);
	if (!list->err && cache)
		ftrace_cache_store(&f->ftrace, f->ftrace_cache_path, stamp);
	return list->err ? NULL : &f->ftrace;
}

const struct name_set *kernel_kprobe_blacklist(struct kernel_features *f)
{
	if (list_to_read(&f->blacklist_list))
		f->blacklist_list.err =
			kprobe_blacklist_load(&f->blacklist, f->blacklist_list.path);
	return f->blacklist_list.err ? NULL : &f->blacklist;
}

void kernel_features_release(struct kernel_features *f)
{
	if (f->tracefs_mounted_by_us)
		umount(TRACEFS_PATH);
	f->tracefs_mounted_by_us = false;
	kernel_btf_release();
	ksym_table_free(&f->own_kallsyms);
	name_set_free(&f->ftrace);
	name_set_free(&f->blacklist);
	f->kallsyms_list.tried = f->ftrace_list.tried = f->blacklist_list.tried = false;
}

bool tracepoint_in_tracefs(const char *category, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS_PATH "/events/%s/%s/id", category, name);
	/* Not access(): it checks the real uid without capabilities (CAP_DAC_READ_SEARCH). */
	return faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0;
}

void tracefs_problem(const struct kernel_features *f, char *buf, size_t size)
{
	switch (f->tracefs_err) {
	case EACCES:
		snprintf(buf, size,
			 "cannot read tracefs (" TRACEFS_PATH ": permission denied): "
			 "run as root or with CAP_DAC_READ_SEARCH");
		break;
	case EPERM:
		snprintf(buf, size,
			 "tracefs is not mounted on " TRACEFS_PATH " and mounting it was refused "
			 "(it needs CAP_SYS_ADMIN): run as root, or mount it first");
		break;
	case 0: /* not probed (made-up features): not mounted, as far as we know */
	case ENOENT:
		snprintf(buf, size, "tracefs is not mounted on " TRACEFS_PATH);
		break;
	default:
		snprintf(buf, size, "tracefs cannot be mounted on " TRACEFS_PATH " (%s)",
			 strerror(f->tracefs_err));
	}
}

static bool mounted_as(const char *path, long magic)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == magic;
}

/*
 * Loads "return 0" as fentry on a function every kernel has, and attaches it. Some kernels load
 * it and refuse the attach (no trampoline), others refuse the load (EPERM on our host): only
 * both succeeding means fentry works.
 */
/* "return 0" loaded as fentry on a vmlinux function: its fd, or -errno. */
static int fentry_load(const char *function)
{
	struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	const struct btf *vmlinux = kernel_btf_vmlinux();
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, function, BTF_KIND_FUNC) : -1;

	if (id < 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	return bpf_prog_load(BPF_PROG_TYPE_TRACING, "dt_fentry_probe", "GPL", ret0, 2, &opts);
}

static bool fentry_works(int *err)
{
	int prog_fd = fentry_load("vfs_read"), link_fd;

	if (prog_fd < 0) {
		*err = -prog_fd;
		return false;
	}
	link_fd = bpf_link_create(prog_fd, 0, BPF_TRACE_FENTRY, NULL);
	*err = link_fd < 0 ? -link_fd : 0;
	if (link_fd >= 0)
		close(link_fd);
	close(prog_fd);
	return link_fd >= 0;
}

/* A socket filter with *(u64 *)(r10 - 8) += 1 as an atomic fetch-and-add loads (v5.12). */
static bool atomic_fetch_works(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW,
		  .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1,
		  .off = -8,
		  .imm = BPF_ADD | BPF_FETCH },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "dt_atomic_fetch", "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/*
 * Loads a socket filter that calls a global function taking a pointer to a struct: v5.12
 * ("bpf: Support pointers in global func args") verifies it, older verifiers refuse the
 * argument ("Arg#0 type PTR in f() is not supported yet"). As libbpf's own BTF feature probes,
 * with a BTF made for it: int f(struct s *), struct s { int a; }.
 */
static bool global_func_ptr_args_work(void)
{
	struct bpf_insn insns[] = {
		/* *(u32 *)(r10 - 8) = 0; r1 = r10 - 8; call f; exit */
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = BPF_REG_10, .off = -8, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X,
		  .dst_reg = BPF_REG_1,
		  .src_reg = BPF_REG_10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_1, .imm = -8 },
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
		/* f: return 0 */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_func_info funcs[2] = { { .insn_off = 0 }, { .insn_off = 5 } };
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .func_info = funcs, .func_info_cnt = 2,
		    .func_info_rec_size = sizeof(struct bpf_func_info));
	struct btf *btf = btf__new_empty();
	int integer, s, ptr, main_proto, proto, fd = -1;

	if (!btf)
		return false;
	integer = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	s = btf__add_struct(btf, "s", 4);
	if (integer < 0 || s < 0 || btf__add_field(btf, "a", integer, 0, 0))
		goto out;
	ptr = btf__add_ptr(btf, s);
	main_proto = btf__add_func_proto(btf, integer);
	if (ptr < 0 || main_proto < 0)
		goto out;
	funcs[0].type_id = btf__add_func(btf, "main", BTF_FUNC_GLOBAL, main_proto);
	proto = btf__add_func_proto(btf, integer);
	if (proto < 0 || btf__add_func_param(btf, "p", ptr))
		goto out;
	funcs[1].type_id = btf__add_func(btf, "f", BTF_FUNC_GLOBAL, proto);
	if ((int)funcs[0].type_id < 0 || (int)funcs[1].type_id < 0 || btf__load_into_kernel(btf))
		goto out;
	opts.prog_btf_fd = btf__fd(btf);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "dt_global_ptr", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd >= 0)
		close(fd);
out:
	btf__free(btf);
	return fd >= 0;
}

void kernel_features_probe(struct kernel_features *f, bool mount_tracefs)
{
	struct utsname uts;

	memset(f, 0, sizeof(*f));
	if (uname(&uts) == 0)
		snprintf(f->release, sizeof(f->release), "%s", uts.release);
	f->vmlinux_btf = kernel_btf_vmlinux() != NULL;
	f->module_btfs = count_module_btfs();
	f->tracefs = mounted_as(TRACEFS_PATH, TRACEFS_MAGIC);
	if (!f->tracefs && mount_tracefs && mount("tracefs", TRACEFS_PATH, "tracefs", 0, NULL) == 0)
		f->tracefs = f->tracefs_mounted_by_us = true;
	else if (!f->tracefs)
		f->tracefs_err = mount_tracefs ? errno : ENOENT;
	/*
	 * tracefs's root is 0700 root (TRACEFS_DEFAULT_MODE): another uid cannot look in. (No
	 * events directory at all is lockdown's doing, which doctor reports: not this.)
	 */
	if (f->tracefs && faccessat(AT_FDCWD, TRACEFS_PATH "/events", X_OK, AT_EACCESS) &&
	    errno == EACCES) {
		f->tracefs_err = EACCES;
		f->tracefs = false;
	}
	f->bpffs = mounted_as(BPFFS_PATH, BPF_FS_MAGIC);
	f->kprobes = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
	f->fentry = fentry_works(&f->fentry_errno);
	f->ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
	f->task_storage = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) == 1;
	f->atomic_fetch = atomic_fetch_works();
	f->global_func_ptr_args = global_func_ptr_args_work();
	preempt_model_detect_here(&f->preempt, f->release);
	f->kallsyms_list.path = KALLSYMS_PATH;
	f->ftrace_list.path = FTRACE_FUNCTIONS_PATH;
	f->ftrace_cache_path = FTRACE_CACHE_PATH;
	f->blacklist_list.path = KPROBE_BLACKLIST_PATH;
	f->may_mount_tracefs = true;
}
