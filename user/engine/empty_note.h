/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Honest emptiness: on a machine with no DAX mount and no device DAX, a command's DAX counters
 * can only stay 0, which reads as "all is well". Every live command says so once on stderr at
 * start (the exporter in its log), with what it still counts, and its JSON header carries the
 * same fact ("empty"); doctor's dax mounts line says none. (A command none of whose points
 * exists on this kernel does not start at all: session_open refuses it, and doctor's verdict
 * says cannot run.)
 */
#ifndef DAXTRACE_EMPTY_NOTE_H
#define DAXTRACE_EMPTY_NOTE_H

#include <stdbool.h>

#include "engine/mounts.h"

struct json_writer;

enum empty_reason {
	EMPTY_NOT, /* there is DAX to count */
	EMPTY_NO_DAX, /* no DAX mount, no device DAX */
};

struct empty_note {
	enum empty_reason reason;
	char message[256]; /* the line said at start, without the "daxtrace CMD: warning: " */
};

/* A mount with -o dax, or a device DAX below sysfs (bus/dax/devices/dax*). */
bool dax_present(const struct mount_table *mounts, const char *sysfs);

/*
 * Decides, and words the message with what the command still counts without DAX
 * (still_counts: "top counts only page-cache mmap writes").
 */
void empty_note_decide(struct empty_note *note, const struct mount_table *mounts, const char *sysfs,
		       const char *still_counts);

/* Says the note as a warning (stderr, or a service's log), the first time only. */
void empty_note_say(const struct empty_note *note);

/* "empty": {"reason": "no_dax", "message": str}, or null when there is DAX. */
void empty_note_json(struct json_writer *w, const struct empty_note *note);

#endif /* DAXTRACE_EMPTY_NOTE_H */
