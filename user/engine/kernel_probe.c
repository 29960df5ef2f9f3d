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
	const struct btf *vmlinux = kernel_btf_vmlinux();
	int prog_fd, link_fd, id;

	if (!vmlinux) {
		*err = ENOENT;
		return false;
	}
	id = btf__find_by_name_kind(vmlinux, "vfs_read", BTF_KIND_FUNC);
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
	f->vmlinux_btf = kernel_btf_vmlinux() != NULL;
	f->module_btfs = count_module_btfs();
	f->tracefs = mounted_as(TRACEFS_PATH, TRACEFS_MAGIC);
	if (!f->tracefs && mount_tracefs && mount("tracefs", TRACEFS_PATH, "tracefs", 0, NULL) == 0)
		f->tracefs = f->tracefs_mounted_by_us = true;
	f->bpffs = mounted_as(BPFFS_PATH, BPF_FS_MAGIC);
	f->kprobes = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
	f->fentry = fentry_works(&f->fentry_errno);
}
