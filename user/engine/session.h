/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tracing session from open to detach: probe the kernel, plan, load, set the filters, attach,
 * optionally run "-- CMD", wait for ticks, signals or the command's exit, and read the maps.
 * No BPF program or link outlives session_close (or the process).
 */
#ifndef DAXTRACE_SESSION_H
#define DAXTRACE_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "engine/attach_plan.h"
#include "engine/kernel_probe.h"
#include "engine/ksyms.h"
#include "engine/mounts.h"
#include "engine/options.h"
#include "engine/stats.h"

struct bpf_map;
struct daxtrace_bpf;
struct session;

/* What a command asks of its session. */
struct session_setup {
	unsigned int users; /* enum point_user: the probe points to attach */
	bool ksyms; /* load kallsyms: BPF reads struct page (vmemmap_base), stacks get names */
	bool syscall_events; /* attaches syscalls:* events, which only tracefs has: mount it */
	/* After the plan and before the BPF object loads: map sizes, load-time settings. */
	int (*before_load)(struct session *s, void *arg);
	/* Attached, and -- CMD not started yet: state the probes cannot see arrive. */
	int (*after_attach)(struct session *s, void *arg);
	void *arg;
};

struct session {
	const struct common_opts *opts;
	const struct session_setup *setup;
	struct daxtrace_bpf *skel;
	struct kernel_features features;
	struct attach_plan plan;
	struct stats_maps maps;
	struct mount_table mounts;
	struct ksym_table ksyms; /* empty unless setup->ksyms */
	sigset_t waited_signals;
	struct sigaction inherited_sigint;
	struct sigaction inherited_sigterm;
	pid_t child;
	int child_release_fd;
	int child_status; /* our exit status for the command's */
	bool child_exited;
	bool stop_requested;
	struct timespec started; /* when attach completed */
};

enum session_event { SESSION_TICK, SESSION_STOP, SESSION_COMMAND_EXITED };

/* Everything up to and including attach; on failure returns the exit status (1 or 2). */
int session_open(struct session *s, const struct common_opts *opts,
		 const struct session_setup *setup);

/* Waits up to seconds (forever if <= 0) for a tick, SIGINT/SIGTERM or the command's exit. */
enum session_event session_wait(struct session *s, double seconds);

/* The same without waiting: SESSION_TICK when the command runs on and no signal came. */
enum session_event session_poll(struct session *s);

int session_read(struct session *s, struct stats_snapshot *snap);

/*
 * For before_load: gives a map the command owns its entries. The object declares such maps
 * with one entry, so that the commands which do not use them neither wait for nor pay for a
 * preallocated map. Returns 0, or -1 after saying what failed.
 */
int session_size_map(struct bpf_map *map, __u32 entries, const char *what);

/*
 * The report loop of a command whose reports are cumulative: with -- CMD one report when it
 * exits, else one per every->interval_s, every->count times (0: until SIGINT or SIGTERM). report returns
 * non-zero on failure. Returns the exit status.
 */
int session_report_loop(struct session *s, const struct report_opts *every,
			int (*report)(struct session *s, void *arg), void *arg);

/* The exit status of the command in -- CMD mode, else 0. */
int session_exit_status(const struct session *s);

void session_close(struct session *s);

/* Seconds since attach. */
double session_elapsed(const struct session *s);

#endif /* DAXTRACE_SESSION_H */
