// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
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

#include "engine/kernel_probe.h"

#define MAX_BTFS 128

/*
 * vmlinux's BTF, then every module's split BTF. vmlinux is loaded on first use; the modules
 * only when a name is not in vmlinux (parsing them all costs start-up time for nothing when
 * every probe point is a vmlinux one). kernel_btf_release() drops them all.
 */
static struct btf *kernel_btfs[MAX_BTFS];
static int nr_kernel_btfs = -1;
static bool modules_loaded;

static void load_vmlinux_btf(void)
{
	nr_kernel_btfs = 0;
	kernel_btfs[0] = btf__load_vmlinux_btf();
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

static bool in_kernel_btf(const char *name, int kind)
{
	if (nr_kernel_btfs < 0)
		load_vmlinux_btf();
	if (nr_kernel_btfs > 0 && btf__find_by_name_kind(kernel_btfs[0], name, kind) >= 0)
		return true;
	if (!modules_loaded)
		load_module_btfs();
	for (int i = 1; i < nr_kernel_btfs; i++)
		if (btf__find_by_name_kind(kernel_btfs[i], name, kind) >= 0)
			return true;
	return false;
}

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

void kernel_btf_release(void)
{
	/* Module BTFs are split on top of vmlinux's: free them before their base. */
	for (int i = nr_kernel_btfs - 1; i >= 0; i--)
		btf__free(kernel_btfs[i]);
	nr_kernel_btfs = -1;
	modules_loaded = false;
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

static bool is_clone_of(const char *symbol, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(symbol, name, len) &&
	       (!strncmp(symbol + len, ".isra.", 6) || !strncmp(symbol + len, ".constprop.", 11));
}

bool kallsyms_find(const char *name, char *symbol, size_t size)
{
	FILE *kallsyms = fopen("/proc/kallsyms", "r");
	char line[512], found[256] = "";

	if (!kallsyms)
		return false;
	while (fgets(line, sizeof(line), kallsyms)) {
		char type, sym[256];

		if (sscanf(line, "%*s %c %255s", &type, sym) != 2 || (type != 't' && type != 'T'))
			continue;
		if (!strcmp(sym, name)) {
			snprintf(found, sizeof(found), "%s", sym);
			break;
		}
		if (!found[0] && is_clone_of(sym, name))
			snprintf(found, sizeof(found), "%s", sym);
	}
	fclose(kallsyms);
	snprintf(symbol, size, "%s", found);
	return found[0] != '\0';
}

void kernel_features_release(struct kernel_features *f)
{
	if (f->tracefs_mounted_by_us)
		umount(TRACEFS_PATH);
	f->tracefs_mounted_by_us = false;
	kernel_btf_release();
}

bool tracepoint_in_tracefs(const char *category, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS_PATH "/events/%s/%s/id", category, name);
	return access(path, R_OK) == 0;
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
static bool fentry_works(int *err)
{
	struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int prog_fd, link_fd, id;

	if (nr_kernel_btfs < 0)
		load_vmlinux_btf();
	if (nr_kernel_btfs < 1) {
		*err = ENOENT;
		return false;
	}
	id = btf__find_by_name_kind(kernel_btfs[0], "vfs_read", BTF_KIND_FUNC);
	if (id < 0) {
		*err = ENOENT;
		return false;
	}
	opts.attach_btf_id = id;
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "dt_fentry_probe", "GPL", ret0, 2, &opts);
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

void kernel_features_probe(struct kernel_features *f, bool mount_tracefs)
{
	struct utsname uts;

	memset(f, 0, sizeof(*f));
	if (uname(&uts) == 0)
		snprintf(f->release, sizeof(f->release), "%s", uts.release);
	if (nr_kernel_btfs < 0)
		load_vmlinux_btf();
	f->vmlinux_btf = nr_kernel_btfs > 0;
	f->module_btfs = count_module_btfs();
	f->tracefs = mounted_as(TRACEFS_PATH, TRACEFS_MAGIC);
	if (!f->tracefs && mount_tracefs && mount("tracefs", TRACEFS_PATH, "tracefs", 0, NULL) == 0)
		f->tracefs = f->tracefs_mounted_by_us = true;
	f->bpffs = mounted_as(BPFFS_PATH, BPF_FS_MAGIC);
	f->kprobes = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
	f->fentry = fentry_works(&f->fentry_errno);
}
