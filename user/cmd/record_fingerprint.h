/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment a record was made in (docs/daxtrace-record.5 "fingerprint"): what diff
 * shows first, so that a changed count is read against a changed kernel, mount or device.
 */
#ifndef DAXTRACE_RECORD_FINGERPRINT_H
#define DAXTRACE_RECORD_FINGERPRINT_H

#include "engine/session.h"

struct json_writer;

/* "fingerprint": {...} of the session s opened; command: argv, or NULL without -- CMD. */
void record_fingerprint_json(struct json_writer *w, const struct session *s, char *const *command,
			     unsigned int repeat);

#endif /* DAXTRACE_RECORD_FINGERPRINT_H */
