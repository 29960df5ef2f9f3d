// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/smaps, the input of share --snapshot (user/engine/smaps.c), and each mapping's
 * path turned into the names BPF would capture (remember_path in snapshot.c).
 */
#include <string.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/mounts.h"
#include "engine/smaps.h"
#include "fuzz_input.h"

static int check_vma(const struct smaps_vma *vma, void *ctx)
{
	static const struct mount_entry mounts[] = {
		{ .mount_point = "/", .root = "/" },
		{ .mount_point = "/mnt/dax", .root = "/sub" },
	};
	struct dt_file_info info;

	(void)ctx;
	fuzz_check(vma->start < vma->end);
	fuzz_check(vma->path);
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++)
		if (file_info_from_path(&mounts[i], vma->path, &info))
			fuzz_check(info.depth > 0 && info.depth <= DT_PATH_DEPTH);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fuzz_input_open(data, size);

	if (!in)
		return 0;
	fuzz_check(smaps_read(in, check_vma, NULL) == 0);
	fclose(in);
	return 0;
}
