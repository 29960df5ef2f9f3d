// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/grow_array.h"
#include "engine/kernel_escape.h"
#include "engine/mounts.h"
#include "engine/numbers.h"

/* A field as the kernel meant it; NULL when out of memory. */
static char *unescape(const char *field)
{
	char *out = strdup(field);

	if (out)
		kernel_unescape(out, MOUNTINFO_ESCAPED);
	return out;
}

static bool has_dax_option(const char *options)
{
	char *copy = strdup(options), *save = NULL;
	bool dax = false;

	if (!copy)
		return false;
	for (char *opt = strtok_r(copy, ",", &save); opt && !dax; opt = strtok_r(NULL, ",", &save))
		dax = !strcmp(opt, "dax") || !strcmp(opt, "dax=always");
	free(copy);
	return dax;
}

static void mount_entry_free(struct mount_entry *entry)
{
	free(entry->mount_point);
	free(entry->root);
	free(entry->fs_type);
	free(entry->source);
}

/*
 * One line: id parent major:minor root mount_point options [optional...] - fstype source
 * super_options (Documentation/filesystems/proc.rst, 3.5). Fields are separated by one space
 * each; the kernel escapes spaces, tabs, newlines and backslashes inside them.
 */
static int parse_line(char *line, struct mount_entry *entry)
{
	char *fields[12], *save = NULL, *dash, *after[3];
	int n = 0;

	dash = strstr(line, " - ");
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	for (char *f = strtok_r(line, " ", &save); f && n < 12; f = strtok_r(NULL, " ", &save))
		fields[n++] = f;
	save = NULL;
	after[0] = strtok_r(dash + 3, " \n", &save);
	after[1] = strtok_r(NULL, " \n", &save);
	after[2] = strtok_r(NULL, " \n", &save);
	if (n < 6 || !after[2] || !parse_dev(fields[2], &entry->dev))
		return -EINVAL;
	entry->root = unescape(fields[3]);
	entry->mount_point = unescape(fields[4]);
	entry->fs_type = unescape(after[0]);
	entry->source = unescape(after[1]);
	if (!entry->root || !entry->mount_point || !entry->fs_type || !entry->source) {
		mount_entry_free(entry);
		return -ENOMEM;
	}
	entry->dax = has_dax_option(fields[5]) || has_dax_option(after[2]);
	return 0;
}

/* Out of memory part way: the mounts read so far, the rest unknown (paths then read NULL). */
void mount_table_read(struct mount_table *table, FILE *mountinfo)
{
	struct grow_array entries = GROW_ARRAY_INIT(struct mount_entry);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(table, 0, sizeof(*table));
	while ((len = getline(&line, &cap, mountinfo)) > 0) {
		struct mount_entry entry = {}, *slot;
		int err;

		/* a NUL would end the line early: what is left of it is not what the kernel wrote */
		if (strlen(line) != (size_t)len)
			continue;
		err = parse_line(line, &entry);
		if (err == -ENOMEM)
			break;
		if (err)
			continue;
		slot = grow_array_push(&entries);
		if (!slot) {
			mount_entry_free(&entry);
			break;
		}
		*slot = entry;
	}
	table->entries = grow_array_take(&entries, &table->nr);
	free(line);
}

int mount_table_load(struct mount_table *table, const char *mountinfo_path)
{
	FILE *file = fopen(mountinfo_path, "r");

	memset(table, 0, sizeof(*table));
	if (!file)
		return -errno;
	mount_table_read(table, file);
	fclose(file);
	return 0;
}

void mount_table_free(struct mount_table *table)
{
	for (int i = 0; i < table->nr; i++)
		mount_entry_free(&table->entries[i]);
	free(table->entries);
	memset(table, 0, sizeof(*table));
}

/* The first mount of the device whose root is the filesystem's root, else the first at all. */
const struct mount_entry *mount_table_find(const struct mount_table *table, unsigned int dev)
{
	const struct mount_entry *found = NULL;

	for (int i = 0; i < table->nr; i++) {
		if (table->entries[i].dev != dev)
			continue;
		if (!strcmp(table->entries[i].root, "/"))
			return &table->entries[i];
		if (!found)
			found = &table->entries[i];
	}
	return found;
}

bool file_path(const struct mount_table *table, unsigned int dev, const struct dt_file_info *info,
	       char *buf, size_t size)
{
	const struct mount_entry *mount = mount_table_find(table, dev);
	char inside[DT_PATH_DEPTH * (DT_NAME_LEN + 1) + 1] = "";
	size_t root_len;
	int depth;

	if (!mount || !info->complete || info->depth == 0)
		return false;
	depth = info->depth < DT_PATH_DEPTH ? info->depth : DT_PATH_DEPTH;
	for (int i = depth - 1; i >= 0; i--) {
		strcat(inside, "/");
		strncat(inside, info->names[i], DT_NAME_LEN - 1);
	}
	root_len = strcmp(mount->root, "/") ? strlen(mount->root) : 0;
	/* The mount shows its root and what is below it; a bind-mounted file is its own root. */
	if (root_len && (strncmp(inside, mount->root, root_len) ||
			 (inside[root_len] != '/' && inside[root_len] != '\0')))
		return false;
	snprintf(buf, size, "%s%s", strcmp(mount->mount_point, "/") ? mount->mount_point : "",
		 inside + root_len);
	return true;
}

bool file_info_from_path(const struct mount_entry *mount, const char *path,
			 struct dt_file_info *info)
{
	size_t mp_len = strcmp(mount->mount_point, "/") ? strlen(mount->mount_point) : 0;
	char inside[4096];
	char *names[64], *save, *name;
	int n = 0;

	if (strncmp(path, mount->mount_point, mp_len) || (path[mp_len] != '/'))
		return false;
	/* Below the mount point is below the mount's root inside its filesystem. A path cut
	 * short would lose its last components and name its directory as the file. */
	if (snprintf(inside, sizeof(inside), "%s%s", strcmp(mount->root, "/") ? mount->root : "",
		     path + mp_len) >= (int)sizeof(inside))
		return false;
	for (name = strtok_r(inside, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		if (n == DT_PATH_DEPTH)
			return false;
		names[n++] = name;
	}
	memset(info, 0, sizeof(*info));
	for (int i = 0; i < n; i++)
		snprintf(info->names[i], DT_NAME_LEN, "%s", names[n - 1 - i]);
	info->depth = n;
	info->complete = n > 0;
	return n > 0;
}
