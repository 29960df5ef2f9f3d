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
#include "engine/empty_note.h"
#include "engine/kernel_probe.h"
#include "engine/ksyms.h"
#include "engine/mounts.h"
#include "engine/options.h"
#include "engine/pid_watch.h"
#include "engine/stats.h"

struct census;
struct dev_rows;
struct daxtrace_bpf;
struct dt_event;
struct file_paths;
struct lat_report;
struct mapuse_report;
struct dt_share_record;
struct ring_buffer;
struct session;
struct snapshot_result;

/*
 * What a command asks of its session: the probe points, and the load-time settings and map
 * sizes of the parts of the BPF object only it uses (bpf/maps.bpf.h). Everything left 0 stays
 * off, and its maps keep the one entry they are declared with, so that top neither waits for
 * nor pays for a preallocated map it never reads.
 */
struct session_setup {
	unsigned int users; /* enum point_user: the probe points to attach */
	bool ksyms; /* load kallsyms: BPF reads struct page (vmemmap_base), stacks get names */
	bool syscall_events; /* attaches syscalls:* events, which only tracefs has: mount it */
	bool break_detail; /* where a sharing break starts and its bytes (cow, snoop) */
	struct {
		bool on; /* latency histograms by kind, in the lat_hists map */
		bool per_proc; /* ... keyed per process too (-P) */
		bool per_file; /* ... and per file (-F) */
		bool per_dev; /* ... and per device (the exporter) */
	} lat;
	/* The exporter: rows per device (dev_rows.h) instead of per process and per file. */
	struct {
		bool on;
		bool cgroups; /* ... and per cgroup */
		__u32 max_cgroups; /* cgroups with rows of their own; the rest fold into one */
	} dev_rows;
	struct {
		bool on; /* records in the events ring buffer */
		__u32 mask; /* 1 << enum dt_event_type: the types recorded */
		unsigned long long buffer_kb; /* rounded up to a power-of-two number of pages */
		/* Called by session_events_poll for every record. Non-zero stops the poll. */
		int (*consume)(void *ctx, const struct dt_event *event);
		void *ctx;
	} events;
	/* share --record: the census events of the share_stream ring buffer, as they come. */
	struct {
		bool on;
		unsigned long long buffer_kb; /* rounded up to a power-of-two number of pages */
		/* Called for every record while the session waits; non-zero is kept as the error. */
		int (*consume)(void *ctx, const struct dt_share_record *record);
		void *ctx;
	} share_stream;
	__u32 census_pfns; /* the share census's capacity (0: no census) */
	bool mapuse_tables; /* mapuse's use table and stack map at their full size */
	bool pmem_ranges; /* tell BPF the pmem pfns (/proc/iomem): mapuse's generic readers */
	bool none_required; /* a service: serve with whatever attaches (attach_plan.h) */
	/* What the command still counts with no DAX at all (empty_note.h), said at start. */
	const char *without_dax;
	/* Attached, and -- CMD not started yet: state the probes cannot see arrive. */
	int (*after_attach)(struct session *s, void *arg);
	void *arg;
};

struct session {
	const struct common_opts *opts;
	const struct session_setup *setup;
	struct daxtrace_bpf *skel; /* the engine's alone: commands use the functions below */
	struct ring_buffer *events; /* setup->events.on */
	struct ring_buffer *share_stream; /* setup->share_stream.on, read in session_wait */
	int share_stream_error; /* the first non-zero return of setup->share_stream.consume */
	struct kernel_features features;
	struct attach_plan plan;
	struct stats_maps maps;
	struct mount_table mounts;
	struct empty_note empty; /* no DAX to count: for the JSON header (empty_note_json) */
	struct ksym_table ksyms; /* empty unless setup->ksyms */
	struct file_paths *paths; /* dev:ino -> path, for the renderers */
	sigset_t waited_signals;
	struct sigaction inherited_sigint;
	struct sigaction inherited_sigterm;
	struct sigaction inherited_sigpipe;
	struct sigaction inherited_sighup; /* SIG_IGN (nohup): not waited for */
	int signal_fd; /* waited_signals, read in session_wait */
	int input_fd; /* session_watch_input's terminal, -1 for none */
	struct pid_watch watch; /* the -p processes: all gone ends the session */
	pid_t child;
	int child_release_fd;
	int child_status; /* our exit status for the command's */
	bool child_exited;
	bool stop_requested;
	struct timespec started; /* when attach completed */
};

enum session_event {
	SESSION_TICK,
	SESSION_STOP,
	SESSION_COMMAND_EXITED,
	SESSION_INPUT, /* session_watch_input's fd is readable */
	SESSION_RESIZE, /* SIGWINCH, after session_watch_input */
};

/* Everything up to and including attach; on failure returns the exit status (1 or 2). */
int session_open(struct session *s, const struct common_opts *opts,
		 const struct session_setup *setup);

/*
 * Waits up to seconds (forever if <= 0) for a tick, SIGINT/SIGTERM/SIGHUP, the command's exit
 * or the exit of every -p process (SESSION_STOP, as for a signal).
 */
enum session_event session_wait(struct session *s, double seconds);

/* The same without waiting: SESSION_TICK when the command runs on and no signal came. */
enum session_event session_poll(struct session *s);

/*
 * For an interactive screen: session_wait and session_poll also end on input readable on fd
 * (SESSION_INPUT) and on SIGWINCH (SESSION_RESIZE), taken through the signalfd like the others
 * so that a resize never interrupts a read of the maps. Returns 0, or -1 after saying why.
 */
int session_watch_input(struct session *s, int fd);

/* The readers: each returns 0, or -1 after saying what failed (and leaves nothing allocated). */

/* The per-process and per-file counter rows, the totals, health and lost runs. */
int session_read(struct session *s, struct stats_snapshot *snap);

/* The exporter's rows (setup.dev_rows.on). */
int session_read_devs(struct session *s, struct dev_rows *rows);

/* lat's histograms (setup.lat.on). */
int session_read_lat(struct session *s, struct lat_report *report);

/* The share census (setup.census_pfns). */
int session_read_census(struct session *s, struct census *census);

/* mapuse's uses by site, stacks symbolised (setup.mapuse_tables). */
int session_read_mapuse(struct session *s, struct mapuse_report *report);

/* One health counter (enum dt_health) per CPU: session_nr_cpus() values; -errno, quietly. */
int session_read_health_per_cpu(struct session *s, unsigned int slot, __u64 *per_cpu);
/* The same summed over the CPUs; -errno. */
int session_read_health_total(struct session *s, unsigned int slot, __u64 *total);

/*
 * The kernel's run statistics of a loaded program: they count only while
 * kernel.bpf_stats_enabled is 1 (v5.1), and cost two clock reads a run then.
 */
struct prog_runs {
	char name[64];
	unsigned long long run_time_ns;
	unsigned long long run_cnt;
};

/* Every loaded program's, up to max; how many, or -1 after saying what failed. */
int session_read_prog_runs(struct session *s, struct prog_runs *runs, int max);

/* Program runs the kernel skipped so far that cost a count (attach_plan_misses). */
unsigned long long session_missed_runs(struct session *s);

/* CPUs the per-CPU counters have copies for (the possible CPUs), or -errno. */
int session_nr_cpus(void);

/* The census's owners of the DAX pages mapped now (snapshot.h); for after_attach. */
int session_take_snapshot(struct session *s, struct snapshot_result *result);

/*
 * Hands the records waiting in the ring buffer (setup.events) to setup.events.consume,
 * waiting up to timeout_ms for the first. Returns how many, or -errno. session_events_drain
 * takes what is left without waiting.
 */
int session_events_poll(struct session *s, int timeout_ms);
int session_events_drain(struct session *s);

/*
 * share --record: hands every record still waiting to setup.share_stream.consume (the session
 * does so whenever it waits); 0, or the consumer's first error, or -errno.
 */
int session_share_stream_drain(struct session *s);

/*
 * The report loop of a command whose reports are cumulative: with -- CMD one report when it
 * exits, else one per every->interval_s, every->count times (0: until SIGINT, SIGTERM or SIGHUP,
 * or until every -p process has exited: then a last report). report returns non-zero on
 * failure. Returns the exit status.
 */
int session_report_loop(struct session *s, const struct report_opts *every,
			int (*report)(struct session *s, void *arg), void *arg);

/* The exit status of the command in -- CMD mode, else 0. */
int session_exit_status(const struct session *s);

void session_close(struct session *s);

/* Seconds since attach. */
double session_elapsed(const struct session *s);

#endif /* DAXTRACE_SESSION_H */
