// SPDX-License-Identifier: GPL-2.0
/* -p's end: every watched process gone, seen through its pidfd or, without one, kill(pid, 0). */
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/pid_watch.h"

#define NO_SUCH_PID 4194303 /* PID_MAX_LIMIT - 1: valid, and never in use on a test host */

/* A child that waits to be killed. */
static pid_t start_child(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		for (;;)
			pause();
	return pid;
}

/* One look, waiting up to timeout_ms for a pidfd. */
static void look(struct pid_watch *w, int timeout_ms)
{
	struct pollfd pfds[DT_MAX_PIDS];
	int n = pid_watch_pollfds(w, pfds);

	poll(pfds, n, timeout_ms);
	pid_watch_update(w, pfds, n);
}

static void test_nothing_watched_never_ends(void **state)
{
	struct pid_watch w;

	(void)state;
	pid_watch_open(&w, NULL, 0);
	look(&w, 0);
	assert_false(pid_watch_all_gone(&w));
	pid_watch_close(&w);
}

static void test_gone_before_watching(void **state)
{
	pid_t pids[] = { NO_SUCH_PID };
	struct pid_watch w;

	(void)state;
	pid_watch_open(&w, pids, 1);
	assert_true(pid_watch_all_gone(&w));
	pid_watch_close(&w);
}

/* Both children must go: the first one's exit alone does not end the watch. */
static void check_exits(bool pidfds)
{
	pid_t pids[2] = { start_child(), start_child() };
	struct pid_watch w;

	pid_watch_open(&w, pids, 2);
	if (!pidfds) /* as before Linux 5.3 */
		for (int i = 0; i < 2; i++) {
			close(w.fds[i]);
			w.fds[i] = -1;
		}
	assert_int_equal(pid_watch_polled(&w), !pidfds);
	look(&w, 0);
	assert_false(pid_watch_all_gone(&w));
	kill(pids[0], SIGKILL);
	/* kill(pid, 0) sees a zombie as alive: reap it first, as a parent would */
	waitpid(pids[0], NULL, 0);
	look(&w, 5000);
	assert_false(pid_watch_all_gone(&w));
	kill(pids[1], SIGKILL);
	waitpid(pids[1], NULL, 0);
	look(&w, 5000);
	assert_true(pid_watch_all_gone(&w));
	pid_watch_close(&w);
}

static void test_pidfd_sees_exits(void **state)
{
	(void)state;
	check_exits(true);
}

static void test_kill_polling_sees_exits(void **state)
{
	(void)state;
	check_exits(false);
}

/* A pidfd is readable once the process exits, before its parent reaps it. */
static void test_pidfd_sees_a_zombie(void **state)
{
	pid_t pid = start_child();
	struct pid_watch w;

	(void)state;
	pid_watch_open(&w, &pid, 1);
	assert_true(w.fds[0] >= 0);
	kill(pid, SIGKILL);
	look(&w, 5000);
	assert_true(pid_watch_all_gone(&w));
	pid_watch_close(&w);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_watched_never_ends),
		cmocka_unit_test(test_gone_before_watching),
		cmocka_unit_test(test_pidfd_sees_exits),
		cmocka_unit_test(test_kill_polling_sees_exits),
		cmocka_unit_test(test_pidfd_sees_a_zombie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
