// SPDX-License-Identifier: GPL-2.0
/*
 * mountinfo (user/engine/mounts.c): the table, then the path code over every mount, as the
 * commands use it to name a dev:ino and share --snapshot to name a mapped file.
 */
#include <string.h>

#include <linux/types.h>

#include "engine/mounts.h"
#include "fuzz_input.h"

static void check_mount(const struct mount_table *table, const struct mount_entry *mount)
{
	char path[8192], back[8192];
	struct dt_file_info info;

	fuzz_check(mount->mount_point && mount->root && mount->fs_type && mount->source);
	fuzz_check(mount_table_find(table, mount->dev) != NULL);
	snprintf(path, sizeof(path), "%s/dir/file", mount->mount_point);
	if (file_info_from_path(mount, path, &info)) {
		fuzz_check(info.complete && info.depth > 0 && info.depth <= DT_PATH_DEPTH);
		file_path(table, mount->dev, &info, back, sizeof(back));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fuzz_input_open(data, size);
	struct mount_table table;

	if (!in)
		return 0;
	mount_table_read(&table, in);
	fclose(in);
	for (int i = 0; i < table.nr; i++)
		check_mount(&table, &table.entries[i]);
	mount_table_free(&table);
	return 0;
}
