// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace snoop: every DAX event as it happens, one line or one NDJSON object each, through a
 * BPF ring buffer. A full buffer drops the event in the kernel and counts it per CPU: the
 * traced process never waits for us.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/snoop_render.h"
#include "engine/event_names.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "output/json_writer.h"

#define SNOOP_DEFAULT_KB 4096ULL
#define SNOOP_MAX_KB (1ULL << 20)
#define SNOOP_POLL_MS 100

struct snoop_opts {
	struct common_opts common;
	__u32 event_mask;
	unsigned long long buffer_kb;
};

struct snoop_state {
	const struct snoop_opts *opts;
	struct json_writer *json; /* -j: one writer for the whole stream */
	__u64 since_ns; /* attach, CLOCK_MONOTONIC as bpf_ktime_get_ns() */
	unsigned long long delivered; /* records written out: their batch flushed */
	unsigned long long pending; /* records rendered since the last flush */
	bool write_failed;
	unsigned long long lost; /* as last read */
	unsigned long long *lost_per_cpu;
	int nr_cpus;
};

static void snoop_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace snoop [OPTIONS] [-- CMD [ARG...]]\n"
		"One line per DAX event: fault, mkwrite, cow, remap, writeback, sigbus, sync.\n\n"
		"  -e, --events LIST    event types to show, comma-separated (default all)\n"
		"      --buffer-kb N    ring buffer size in KiB, rounded up to a power of two "
		"(default %llu)\n"
		"%s",
		SNOOP_DEFAULT_KB, common_opts_help);
}

enum { OPT_BUFFER_KB = OPT_COMMAND_FIRST };

static int snoop_opt(int opt, const char *arg, void *ctx)
{
	struct snoop_opts *opts = ctx;
	char bad[64];

	if (opt == 'e' && event_mask_parse(arg, &opts->event_mask, bad, sizeof(bad)))
		return usage_error("bad event type '%s': expected a list of fault, mkwrite, cow, "
				   "remap, writeback, sigbus, sync or all",
				   bad);
	/* -b will mean --batch, as in top and cow (one option language) */
	if (opt == 'b')
		deprecated_option("-b", "--buffer-kb", " (-b will mean --batch)");
	if ((opt == 'b' || opt == OPT_BUFFER_KB) &&
	    (!parse_uint(arg, SNOOP_MAX_KB, &opts->buffer_kb) || !opts->buffer_kb))
		return usage_error("bad --buffer-kb '%s': expected 1 to %llu", arg, SNOOP_MAX_KB);
	return 0;
}

static int parse_snoop_opts(struct snoop_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		{ "events", required_argument, NULL, 'e' },
		{ "buffer-kb", required_argument, NULL, OPT_BUFFER_KB },
		{},
	};

	opts->event_mask = DT_ALL_EVENTS;
	opts->buffer_kb = SNOOP_DEFAULT_KB;
	return command_opts_parse(&(struct command_opts_spec){ .short_opts = "e:b:",
							       .long_opts = long_opts,
							       .common = &opts->common,
							       .own_opt = snoop_opt,
							       .usage = snoop_usage,
							       .ctx = opts },
				  argc, argv);
}

static int on_event(void *ctx, const struct dt_event *event)
{
	struct snoop_state *state = ctx;

	if (state->json)
		snoop_render_json(state->json, event, state->since_ns);
	else
		snoop_render_text(stdout, event, state->since_ns);
	state->pending++;
	/* stdio wrote part of the batch and failed: the rest would go nowhere */
	return ferror(stdout) ? -EIO : 0;
}

/* A batch counts as delivered once it is out; 0, or -1 when it could not be written. */
static int flush_batch(struct snoop_state *state)
{
	if (state->write_failed || flush_output(stdout)) {
		state->write_failed = true;
		return -1;
	}
	state->delivered += state->pending;
	state->pending = 0;
	return 0;
}

/* The kernel's per-CPU count of dropped records; says so on stderr when it grew. */
static void report_losses(struct session *s, struct snoop_state *state)
{
	unsigned long long lost = 0;

	if (session_read_health_per_cpu(s, DT_HEALTH_EVENTS_LOST, state->lost_per_cpu))
		return;
	for (int cpu = 0; cpu < state->nr_cpus; cpu++)
		lost += state->lost_per_cpu[cpu];
	if (lost > state->lost) {
		flush_batch(state);
		fprintf(stderr, "lost %llu events\n", lost - state->lost);
	}
	state->lost = lost;
}

static int snoop_run(struct session *s, struct snoop_state *state)
{
	enum session_event event = SESSION_TICK;
	struct snoop_summary summary;
	int status = EXIT_OK;

	if (!state->json)
		snoop_render_header(stdout);
	while (event == SESSION_TICK) {
		int n = session_events_poll(s, SNOOP_POLL_MS);

		if (flush_batch(state)) {
			status = EXIT_RUNTIME;
			break;
		}
		if (n < 0 && n != -EINTR) {
			runtime_error("reading the ring buffer: %s", strerror(-n));
			status = EXIT_RUNTIME;
			break;
		}
		report_losses(s, state);
		event = session_poll(s);
	}
	/* What the kernel wrote before the command exited or we were stopped. */
	if (!state->write_failed) {
		session_events_drain(s);
		flush_batch(state);
	}
	report_losses(s, state);
	summary = (struct snoop_summary){ .delivered = state->delivered,
					  .lost = state->lost,
					  .nr_cpus = state->nr_cpus,
					  .lost_per_cpu = state->lost_per_cpu,
					  .seconds = session_elapsed(s),
					  .empty = &s->empty };
	if (!state->json && !output_reader_gone())
		snoop_render_summary(stderr, &summary);
	else if (!state->write_failed)
		snoop_render_summary_json(state->json, &summary);
	if (flush_batch(state))
		return EXIT_RUNTIME;
	if (status == EXIT_OK && event == SESSION_COMMAND_EXITED)
		status = session_exit_status(s);
	return status;
}

int cmd_snoop(int argc, char **argv)
{
	struct snoop_opts opts = {};
	struct snoop_state state = { .opts = &opts };
	struct session session;
	bool remaps;
	int status;

	if (parse_snoop_opts(&opts, argc, argv))
		return EXIT_USAGE;
	state.nr_cpus = session_nr_cpus();
	state.lost_per_cpu = state.nr_cpus > 0 ? calloc(state.nr_cpus, sizeof(__u64)) : NULL;
	if (!state.lost_per_cpu) {
		runtime_error("cannot count the CPUs or allocate for them");
		return EXIT_RUNTIME;
	}
	remaps = opts.event_mask & (1U << DT_EV_REMAP);
	status = session_open(&session, &opts.common,
			      &(struct session_setup){ .users = USED_BY_TOP | USED_BY_DEVDAX |
								(remaps ? USED_BY_REMAP_KINDS : 0),
						       .syscall_events = remaps,
						       .break_detail = true,
						       .without_dax =
							       "snoop shows only page-cache mmap "
							       "writes and XFS reflink activity",
						       .events = { .on = true,
								   .mask = opts.event_mask,
								   .buffer_kb = opts.buffer_kb,
								   .consume = on_event,
								   .ctx = &state } });
	if (status == EXIT_OK && opts.common.json) {
		state.json = json_writer_new(stdout);
		if (!state.json) {
			runtime_error("out of memory");
			status = EXIT_RUNTIME;
		}
	}
	if (status == EXIT_OK) {
		state.since_ns = session.started.tv_sec * 1000000000ULL + session.started.tv_nsec;
		status = snoop_run(&session, &state);
	}
	session_close(&session);
	json_writer_free(state.json);
	free(state.lost_per_cpu);
	return status;
}
