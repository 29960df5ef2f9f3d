// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/pid_watch.h"

/* glibc wraps pidfd_open only from 2.36 (bookworm has it, older build hosts do not). */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

void pid_watch_open(struct pid_watch *w, const pid_t *pids, int nr)
{
	w->nr = nr;
	for (int i = 0; i < nr; i++) {
		w->pids[i] = pids[i];
		w->fds[i] = syscall(SYS_pidfd_open, pids[i], 0);
		/*
		 * ESRCH: it exited since the options were checked. ENOSYS (before Linux 5.3) or
		 * anything else: fall back to kill(pid, 0).
		 */
		w->gone[i] = w->fds[i] < 0 && errno == ESRCH;
	}
}

int pid_watch_pollfds(const struct pid_watch *w, struct pollfd *pfds)
{
	int n = 0;

	for (int i = 0; i < w->nr; i++)
		if (!w->gone[i] && w->fds[i] >= 0)
			pfds[n++] = (struct pollfd){ .fd = w->fds[i], .events = POLLIN };
	return n;
}

bool pid_watch_polled(const struct pid_watch *w)
{
	for (int i = 0; i < w->nr; i++)
		if (!w->gone[i] && w->fds[i] < 0)
			return true;
	return false;
}

static void mark_gone(struct pid_watch *w, int i)
{
	w->gone[i] = true;
	if (w->fds[i] >= 0)
		close(w->fds[i]);
	w->fds[i] = -1;
}

void pid_watch_update(struct pid_watch *w, const struct pollfd *pfds, int n)
{
	for (int k = 0; k < n; k++)
		for (int i = 0; i < w->nr; i++)
			if (w->fds[i] == pfds[k].fd && (pfds[k].revents & (POLLIN | POLLHUP)))
				mark_gone(w, i);
	/* EPERM: it exists, owned by another user. A zombie counts as alive until reaped. */
	for (int i = 0; i < w->nr; i++)
		if (!w->gone[i] && w->fds[i] < 0 && kill(w->pids[i], 0) && errno == ESRCH)
			mark_gone(w, i);
}

bool pid_watch_all_gone(const struct pid_watch *w)
{
	for (int i = 0; i < w->nr; i++)
		if (!w->gone[i])
			return false;
	return w->nr > 0;
}

void pid_watch_close(struct pid_watch *w)
{
	for (int i = 0; i < w->nr; i++)
		if (w->fds[i] >= 0)
			close(w->fds[i]);
	w->nr = 0;
}
