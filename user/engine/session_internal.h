/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between session.c's lifecycle and session_setup.c, which turns a command's struct
 * session_setup into settings and map sizes: not for commands, which see session.h only.
 */
#ifndef DAXTRACE_SESSION_INTERNAL_H
#define DAXTRACE_SESSION_INTERNAL_H

struct session;

/* Blocks the signals session_wait takes and opens its signalfd and -p pidfds; -1 on failure. */
int session_take_signals(struct session *s);

/* Before load: the per-process and per-file rows, within the memory budget (row_budget.h). */
int session_size_row_maps(struct session *s);

/* After the plan and before load: the setup's settings and the sizes of its maps. */
int session_apply_setup(struct session *s);

/* After load: the ring buffer's reader (setup->events.on) and the renderers' paths. */
int session_open_readers(struct session *s);

#endif /* DAXTRACE_SESSION_INTERNAL_H */
