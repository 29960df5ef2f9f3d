// SPDX-License-Identifier: GPL-2.0
/*
 * How a session waits: for a tick, a signal (taken synchronously, through a signalfd), the
 * exit of -- CMD or the exit of every -p process; and the report loop built on it.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "engine/report_error.h"
#include "engine/session.h"
#include "engine/session_internal.h"

/* How often kill(pid, 0) looks at a -p process without a pidfd (before Linux 5.3). */
#define PID_POLL_NS 100000000L
/*
 * How often the share stream is read when BPF has not woken us: it wakes the reader only from
 * a quarter full (bpf/share_stream.bpf.h), and a trickle must not wait for that.
 */
#define STREAM_POLL_NS 100000000L

int session_take_signals(struct session *s)
{
	/*
	 * SIGINT/SIGTERM/SIGHUP/SIGCHLD are taken synchronously, never mid-update. A shell
	 * starts background jobs with SIGINT ignored, and an ignored signal is discarded even
	 * while blocked: take the default back (as perf does), and give the command the
	 * dispositions we inherited. An ignored SIGHUP is nohup's request: it stays ignored.
	 */
	sigaction(SIGINT, &(struct sigaction){ .sa_handler = SIG_DFL }, &s->inherited_sigint);
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = SIG_DFL }, &s->inherited_sigterm);
	sigaction(SIGHUP, NULL, &s->inherited_sighup);
	/* A reader gone is EPIPE from a write, so that the session tears down (flush_output). */
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &s->inherited_sigpipe);
	sigemptyset(&s->waited_signals);
	sigaddset(&s->waited_signals, SIGINT);
	sigaddset(&s->waited_signals, SIGTERM);
	sigaddset(&s->waited_signals, SIGCHLD);
	if (s->inherited_sighup.sa_handler != SIG_IGN)
		sigaddset(&s->waited_signals, SIGHUP);
	sigprocmask(SIG_BLOCK, &s->waited_signals, NULL);
	/* A signalfd, so that one poll waits for the signals and the -p processes' pidfds. */
	s->signal_fd = signalfd(-1, &s->waited_signals, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->signal_fd < 0)
		return runtime_error("signalfd: %s", strerror(errno));
	pid_watch_open(&s->watch, s->opts->pids, s->opts->nr_pids);
	return 0;
}

static void reap_child(struct session *s)
{
	int status;

	if (s->child <= 0 || s->child_exited || waitpid(s->child, &status, WNOHANG) != s->child)
		return;
	s->child_exited = true;
	/* Like a shell: the exit code, or 128 + the signal that killed it. */
	s->child_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* What session_watch_input's fd had to say. */
enum input_state { INPUT_NONE, INPUT_READABLE, INPUT_GONE };

/*
 * Waits up to left for a signal, a -p process's exit or input (session_watch_input); the
 * signal's number, or 0.
 */
static int wait_for_signal(struct session *s, const struct timespec *left, int *code,
			   enum input_state *input)
{
	struct pollfd pfds[3 + DT_MAX_PIDS];
	struct signalfd_siginfo info;
	struct timespec timeout = *left;
	int n = 1, watched;

	pfds[0] = (struct pollfd){ .fd = s->signal_fd, .events = POLLIN };
	if (s->input_fd >= 0)
		pfds[n++] = (struct pollfd){ .fd = s->input_fd, .events = POLLIN };
	if (s->share_stream)
		pfds[n++] = (struct pollfd){ .fd = ring_buffer__epoll_fd(s->share_stream),
					     .events = POLLIN };
	watched = n;
	n += pid_watch_pollfds(&s->watch, pfds + watched);
	if (pid_watch_polled(&s->watch) && (timeout.tv_sec || timeout.tv_nsec > PID_POLL_NS))
		timeout = (struct timespec){ 0, PID_POLL_NS };
	if (s->share_stream && (timeout.tv_sec || timeout.tv_nsec > STREAM_POLL_NS))
		timeout = (struct timespec){ 0, STREAM_POLL_NS };
	if (ppoll(pfds, n, &timeout, NULL) < 0)
		for (int i = 0; i < n; i++)
			pfds[i].revents = 0;
	if (s->share_stream)
		session_share_stream_drain(s); /* its error is kept for the command */
	pid_watch_update(&s->watch, pfds + watched, n - watched);
	/* a terminal hung up stays readable, with nothing to read: the screen has ended */
	if (s->input_fd >= 0 && (pfds[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
		*input = INPUT_GONE;
	else if (s->input_fd >= 0 && (pfds[1].revents & POLLIN))
		*input = INPUT_READABLE;
	if (!(pfds[0].revents & POLLIN) || read(s->signal_fd, &info, sizeof(info)) != sizeof(info))
		return 0;
	*code = info.ssi_code;
	return info.ssi_signo;
}

/*
 * One look at the command, the -p processes, the signals and the input, waiting up to left.
 * Returns SESSION_TICK when none ended the wait.
 */
static enum session_event session_step(struct session *s, const struct timespec *left)
{
	enum input_state input = INPUT_NONE;
	int sig, code = 0;

	reap_child(s);
	if (s->child_exited)
		return SESSION_COMMAND_EXITED;
	if (pid_watch_all_gone(&s->watch))
		return SESSION_STOP;
	sig = wait_for_signal(s, left, &code, &input);
	if (pid_watch_all_gone(&s->watch)) {
		if (s->opts->verbose)
			fprintf(stderr, "daxtrace: the traced processes have exited\n");
		return SESSION_STOP;
	}
	if (input == INPUT_GONE)
		return SESSION_STOP;
	if (sig == SIGWINCH)
		return SESSION_RESIZE;
	if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP)
		return input == INPUT_READABLE ? SESSION_INPUT : SESSION_TICK;
	if (s->child <= 0)
		return SESSION_STOP;
	/*
	 * -- CMD: the command decides when the run ends; pass a kill on to it. A terminal's
	 * SIGINT or hangup SIGHUP (not SI_USER) reached its process group, the command too.
	 */
	if (sig == SIGTERM || code == SI_USER)
		kill(s->child, sig);
	return SESSION_TICK;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

double session_elapsed(const struct session *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return seconds_between(&s->started, &now);
}

enum session_event session_wait(struct session *s, double seconds)
{
	struct timespec deadline, now, left;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)seconds;
	deadline.tv_nsec += (long)((seconds - (time_t)seconds) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (;;) {
		enum session_event event;

		reap_child(s);
		if (s->child_exited)
			return SESSION_COMMAND_EXITED;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (seconds > 0 && seconds_between(&now, &deadline) <= 0)
			return SESSION_TICK;
		left.tv_sec = 1;
		left.tv_nsec = 0;
		if (seconds > 0 && seconds_between(&now, &deadline) < 1) {
			double rest = seconds_between(&now, &deadline);

			left.tv_sec = 0;
			left.tv_nsec = (long)(rest * 1e9);
		}
		event = session_step(s, &left);
		if (event != SESSION_TICK)
			return event;
	}
}

enum session_event session_poll(struct session *s)
{
	return session_step(s, &(struct timespec){ 0, 0 });
}

int session_watch_input(struct session *s, int fd)
{
	sigaddset(&s->waited_signals, SIGWINCH);
	sigprocmask(SIG_BLOCK, &s->waited_signals, NULL);
	/* signalfd on an existing descriptor replaces its mask */
	if (signalfd(s->signal_fd, &s->waited_signals, SFD_CLOEXEC | SFD_NONBLOCK) < 0)
		return runtime_error("signalfd: %s", strerror(errno));
	s->input_fd = fd;
	return 0;
}

int session_report_loop(struct session *s, const struct report_opts *every,
			int (*report)(struct session *s, void *arg), void *arg)
{
	if (s->opts->command) {
		while (session_wait(s, 0) != SESSION_COMMAND_EXITED)
			;
		return report(s, arg) ? EXIT_RUNTIME : session_exit_status(s);
	}
	for (unsigned long long n = 0; !every->count || n < every->count; n++) {
		enum session_event event = session_wait(s, every->interval_s);

		if (report(s, arg))
			return EXIT_RUNTIME;
		if (event == SESSION_STOP)
			break;
	}
	return EXIT_OK;
}

int session_exit_status(const struct session *s)
{
	return s->child > 0 ? s->child_status : EXIT_OK;
}
