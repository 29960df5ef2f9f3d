/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A service's log: one line per lifecycle event on stderr, logfmt (time=... level=info
 * msg="..." key=value) or one JSON object, as journald, Loki and ebpf_exporter users read it.
 * Values may be kernel or user strings: quoting and escaping keep each event on one line.
 */
#ifndef DAXTRACE_LOG_LINE_H
#define DAXTRACE_LOG_LINE_H

enum log_format { LOG_LOGFMT, LOG_JSON };

void log_set_format(enum log_format format);

/* "logfmt" or "json"; -1 for anything else. */
int log_format_parse(const char *name);

/*
 * One event: level ("info", "warn", "error"), msg, then key, value pairs ending with NULL. A NULL
 * value leaves its key out.
 */
void log_line(const char *level, const char *msg, ...) __attribute__((sentinel));

#endif /* DAXTRACE_LOG_LINE_H */
