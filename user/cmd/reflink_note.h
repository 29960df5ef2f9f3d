/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cow and share on DAX mounts whose files cannot share extents (ext4, XFS without reflink):
 * said once on stderr at start, in each JSON report ("no_reflink") and under each table, so
 * that their zeros are not read as "nothing happened".
 */
#ifndef DAXTRACE_REFLINK_NOTE_H
#define DAXTRACE_REFLINK_NOTE_H

#include <stdio.h>

#include "engine/reflink_support.h"

struct json_writer;

struct reflink_note {
	struct dax_mount_reflink mounts[DT_MAX_NO_REFLINK];
	int nr;
};

/*
 * Finds the DAX mounts of table that cannot reflink and says so on stderr, one line each:
 * "COMMAND: MOUNT (FS) cannot share extents: WHY; nothing_there" (none when command is NULL:
 * doctor shows them in its report).
 */
void reflink_note_begin(struct reflink_note *note, const struct mount_table *table,
			const char *command, const char *nothing_there);

/* "no_reflink": [{"mount_point", "fs_type", "reason"}...], [] when every DAX mount can. */
void reflink_note_json(struct json_writer *w, const struct reflink_note *note);

/* One line per such mount, under a table whose rows leave their files out. */
void reflink_note_text(FILE *out, const struct reflink_note *note);

#endif /* DAXTRACE_REFLINK_NOTE_H */
