// SPDX-License-Identifier: GPL-2.0
#include <sys/utsname.h>

#include "cmd/reflink_note.h"
#include "output/json_writer.h"
#include "output/text_escape.h"

void reflink_note_begin(struct reflink_note *note, const struct mount_table *table,
			const char *command, const char *nothing_there)
{
	struct utsname uts;

	uname(&uts);
	note->nr = dax_mounts_without_reflink(table, uts.release, xfs_reflink_flag, note->mounts,
					      DT_MAX_NO_REFLINK);
	for (int i = 0; command && i < note->nr; i++)
		fprintf(stderr, "%s: %s (%s) cannot share extents: %s; %s\n", command,
			note->mounts[i].mount_point, note->mounts[i].fs_type,
			reflink_support_reason(note->mounts[i].support), nothing_there);
}

void reflink_note_json(struct json_writer *w, const struct reflink_note *note)
{
	json_key(w, "no_reflink");
	json_array_begin(w);
	for (int i = 0; i < note->nr; i++) {
		json_object_begin(w);
		json_kv_name(w, "mount_point", note->mounts[i].mount_point);
		json_kv_string(w, "fs_type", note->mounts[i].fs_type);
		json_kv_string(w, "reason", reflink_support_name(note->mounts[i].support));
		json_object_end(w);
	}
	json_array_end(w);
}

void reflink_note_text(FILE *out, const struct reflink_note *note)
{
	for (int i = 0; i < note->nr; i++) {
		fputs("no reflink: ", out);
		text_print(out, note->mounts[i].mount_point, 0, 4096);
		fprintf(out, " (%s): %s\n", note->mounts[i].fs_type,
			reflink_support_reason(note->mounts[i].support));
	}
}
