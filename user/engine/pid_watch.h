/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processes of -p, watched until every one has exited: through pidfds (Linux 5.3), which
 * poll readable when the process exits, or, on an older kernel, by kill(pid, 0) at each look.
 */
#ifndef DAXTRACE_PID_WATCH_H
#define DAXTRACE_PID_WATCH_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#include "engine/options.h"

struct pid_watch {
	int nr;
	pid_t pids[DT_MAX_PIDS];
	int fds[DT_MAX_PIDS]; /* the pidfd, or -1: looked at with kill(pid, 0) */
	bool gone[DT_MAX_PIDS];
};

/* Starts watching (nr 0: nothing to watch, never all gone). A process already gone is gone. */
void pid_watch_open(struct pid_watch *w, const pid_t *pids, int nr);

/* The pidfds still open into pfds (room for DT_MAX_PIDS); returns how many. */
int pid_watch_pollfds(const struct pid_watch *w, struct pollfd *pfds);

/* True if some process can only be looked at with kill(pid, 0): poll it, do not sleep long. */
bool pid_watch_polled(const struct pid_watch *w);

/* Updates from pfds (the n pid_watch_pollfds gave, after poll) and kill(pid, 0). */
void pid_watch_update(struct pid_watch *w, const struct pollfd *pfds, int n);

/* Every watched process has exited (false when there is none to watch). */
bool pid_watch_all_gone(const struct pid_watch *w);

void pid_watch_close(struct pid_watch *w);

#endif /* DAXTRACE_PID_WATCH_H */
