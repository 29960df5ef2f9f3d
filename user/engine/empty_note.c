// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "engine/empty_note.h"
#include "engine/report_error.h"
#include "output/json_writer.h"

static bool device_dax_present(const char *sysfs)
{
	char path[256];
	struct dirent *d;
	bool found = false;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/bus/dax/devices", sysfs);
	dir = opendir(path); /* absent without the dax bus (no device DAX support loaded) */
	if (!dir)
		return false;
	while (!found && (d = readdir(dir)))
		found = !strncmp(d->d_name, "dax", 3);
	closedir(dir);
	return found;
}

bool dax_present(const struct mount_table *mounts, const char *sysfs)
{
	for (int i = 0; i < mounts->nr; i++)
		if (mounts->entries[i].dax)
			return true;
	return device_dax_present(sysfs);
}

void empty_note_decide(struct empty_note *note, const struct mount_table *mounts, const char *sysfs,
		       const char *still_counts)
{
	note->reason = dax_present(mounts, sysfs) ? EMPTY_NOT : EMPTY_NO_DAX;
	note->message[0] = '\0';
	if (note->reason == EMPTY_NO_DAX)
		snprintf(note->message, sizeof(note->message),
			 "no DAX mount or device DAX device: %s (see 'daxtrace doctor')",
			 still_counts);
}

void empty_note_say(const struct empty_note *note)
{
	static bool said; /* record opens a session per --repeat run: said for the first */

	if (note->reason == EMPTY_NOT || said)
		return;
	said = true;
	warning("%s", note->message);
}

void empty_note_json(struct json_writer *w, const struct empty_note *note)
{
	json_key(w, "empty");
	if (note->reason == EMPTY_NOT) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	json_kv_string(w, "reason", "no_dax");
	json_kv_string(w, "message", note->message);
	json_object_end(w);
}
