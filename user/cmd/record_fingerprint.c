// SPDX-License-Identifier: GPL-2.0
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "cmd/plan_json.h"
#include "cmd/record_fingerprint.h"
#include "engine/block_dev.h"
#include "engine/kernel_config.h"
#include "engine/preempt_model.h"
#include "output/json_writer.h"

#define MAX_PMEM_DEVS 64

/* The first line of path starting with prefix, after it and its separators (" \t:"). */
static bool read_field(const char *path, const char *prefix, char *buf, size_t size)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		const char *value = line + strlen(prefix);

		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		value += strspn(value, " \t:");
		snprintf(buf, size, "%.*s", (int)strcspn(value, "\n"), value);
		found = true;
	}
	fclose(f);
	return found;
}

/* A sysfs choice list "always [madvise] never": the word in brackets. */
static void json_kv_choice(struct json_writer *w, const char *key, const char *path)
{
	char text[256] = "";
	const char *open;

	read_field(path, "", text, sizeof(text));
	open = strchr(text, '[');
	if (open && strchr(open, ']'))
		snprintf(text, sizeof(text), "%.*s", (int)(strchr(open, ']') - open - 1), open + 1);
	json_kv_string(w, key, text);
}

static void kernel_json(struct json_writer *w, const struct session *s)
{
	char boot_config[128], cmdline[4096] = "",
			       values[NR_DAX_CONFIG_OPTIONS][KERNEL_CONFIG_VALUE_LEN];
	const char *configs[] = { "/proc/config.gz", boot_config };
	struct utsname uts = {};
	int read;

	uname(&uts);
	snprintf(boot_config, sizeof(boot_config), "/boot/config-%s", uts.release);
	read_field("/proc/cmdline", "", cmdline, sizeof(cmdline));
	json_key(w, "kernel");
	json_object_begin(w);
	json_kv_string(w, "release", uts.release);
	json_kv_string(w, "version", uts.version);
	json_kv_string(w, "cmdline", cmdline);
	json_kv_string(w, "preempt_model", preempt_model_name(s->features.preempt.model));
	read = kernel_config_read(configs, 2, dax_config_options, values);
	json_kv_string(w, "config_source", read < 0 ? "" : configs[read]);
	json_key(w, "config");
	json_object_begin(w);
	for (int i = 0; read >= 0 && dax_config_options[i]; i++)
		json_kv_string(w, dax_config_options[i], values[i]);
	json_object_end(w);
	json_object_end(w);
}

static void machine_json(struct json_writer *w)
{
	char text[256] = "";
	unsigned long long mem_kb = 0;

	json_key(w, "thp");
	json_object_begin(w);
	json_kv_choice(w, "enabled", "/sys/kernel/mm/transparent_hugepage/enabled");
	json_kv_choice(w, "defrag", "/sys/kernel/mm/transparent_hugepage/defrag");
	json_object_end(w);
	json_key(w, "cpu");
	json_object_begin(w);
	read_field("/proc/cpuinfo", "model name", text, sizeof(text));
	json_kv_string(w, "model", text);
	json_kv_uint(w, "count", sysconf(_SC_NPROCESSORS_ONLN));
	json_object_end(w);
	if (read_field("/proc/meminfo", "MemTotal", text, sizeof(text)))
		sscanf(text, "%llu", &mem_kb);
	json_kv_uint(w, "memory_kb", mem_kb);
}

/* The options of mount_point in /proc/self/mounts (the last mount there wins). */
static void mount_options(const char *mount_point, char *buf, size_t size)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;

	buf[0] = '\0';
	while (f && (m = getmntent(f)))
		if (!strcmp(m->mnt_dir, mount_point))
			snprintf(buf, size, "%s", m->mnt_opts);
	if (f)
		endmntent(f);
}

static void storage_json(struct json_writer *w, const struct session *s)
{
	struct pmem_dev_info devs[MAX_PMEM_DEVS];
	int nr = pmem_devs_read("/sys", devs, MAX_PMEM_DEVS);
	char options[1024];

	json_key(w, "dax_mounts");
	json_array_begin(w);
	for (int i = 0; i < s->mounts.nr; i++) {
		const struct mount_entry *m = &s->mounts.entries[i];

		if (!m->dax)
			continue;
		mount_options(m->mount_point, options, sizeof(options));
		json_object_begin(w);
		json_kv_string(w, "mount", m->mount_point);
		json_kv_string(w, "source", m->source);
		json_kv_string(w, "fs", m->fs_type);
		json_kv_string(w, "options", options);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "pmem");
	json_array_begin(w);
	for (int i = 0; i < nr; i++) {
		json_object_begin(w);
		json_kv_string(w, "device", devs[i].name);
		json_kv_string(w, "provider", devs[i].provider);
		json_kv_string(w, "mode", devs[i].mode);
		json_kv_uint(w, "align", devs[i].align);
		json_kv_uint(w, "size", devs[i].size);
		json_object_end(w);
	}
	json_array_end(w);
}

void record_fingerprint_json(struct json_writer *w, const struct session *s, char *const *command,
			     unsigned int repeat)
{
	json_key(w, "fingerprint");
	json_object_begin(w);
	kernel_json(w, s);
	machine_json(w);
	storage_json(w, s);
	json_attach_plan(w, &s->plan);
	empty_note_json(w, &s->empty);
	json_key(w, "command");
	json_array_begin(w);
	for (int i = 0; command && command[i]; i++)
		json_string(w, command[i]);
	json_array_end(w);
	json_kv_uint(w, "repeat", repeat);
	json_object_end(w);
}
