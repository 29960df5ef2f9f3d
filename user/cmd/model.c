// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace model FILE: a share stream (`daxtrace share --record`, daxtrace-share-stream(5))
 * replayed into the census, and each sharing design's cost computed from it, as `daxtrace
 * share --model` shows them at the end of the same run. No BPF: it reads a file, unprivileged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/commands.h"
#include "cmd/share_model_opts.h"
#include "cmd/share_render.h"
#include "engine/file_paths.h"
#include "engine/options.h"
#include "engine/report_error.h"
#include "engine/share_replay.h"
#include "output/text_escape.h"
#include "version.h"

struct model_opts {
	bool json;
	int rows;
	struct share_model_params model; /* as share's --proxy-bytes, --alloc-ns ... */
	const char *path;
};

static void model_usage(FILE *out)
{
	fprintf(out,
		"Usage: daxtrace model [OPTIONS] FILE\n"
		"The census and the cost of each sharing design (docs/designs.md) from a share\n"
		"stream written by `daxtrace share --record FILE`: what `daxtrace share --model`\n"
		"showed at the end of that run, computed again offline.\n\n"
		"  -r, --rows N         rows per table: file pairs shown (default 20)\n"
		"%s"
		"  -j, --json           one JSON object on stdout\n"
		"  -h, --help           this help\n"
		"  -V, --version        daxtrace's version, commit and libbpf\n"
		"Exit status: 0 (also when the stream lost records: a warning says so), 1 out of\n"
		"memory or a failed read, 2 bad usage or a file that is not a whole share stream.\n",
		share_model_opts_help);
}

static int model_opt(struct model_opts *opts, int opt, const char *arg)
{
	unsigned long long number;

	switch (opt) {
	case 'j':
		opts->json = true;
		report_set_json(true);
		return 0;
	case 'r':
		if (!parse_uint(arg, 100000, &number) || !number)
			return usage_error("bad row count '%s': expected 1 to 100000", arg);
		opts->rows = number;
		return 0;
	default: /* share_model_opts.h: share's, so that both take the same values */
		return share_model_opt(&opts->model, opt, arg);
	}
}

static int parse_model_opts(struct model_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "rows", required_argument, NULL, 'r' },
		SHARE_MODEL_LONG_OPTS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		VERSION_LONG_OPT,
		{},
	};
	int opt;

	opts->rows = 20;
	opts->model = SHARE_MODEL_PARAMS_DEFAULT;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":r:jhV", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			model_usage(stdout);
			exit(EXIT_OK);
		}
		if (opt == 'V')
			exit_version();
		if (opt == ':' || opt == '?')
			return bad_option(long_opts, opt, argc, argv);
		if (model_opt(opts, opt, optarg))
			return -1;
	}
	if (optind == argc)
		return usage_error(
			"no share stream given (daxtrace share --record FILE makes one)");
	if (argc - optind > 1)
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	opts->path = argv[optind];
	return 0;
}

/* The stream's names, under the recording's own dev:ino, so that pairs sort as they did. */
static struct file_paths *stream_paths(const struct share_stream *s)
{
	struct file_paths *paths = file_paths_new_recorded();

	for (size_t i = 0; paths && i < s->nr_names; i++) {
		const struct share_stream_file *f = &s->names[i];

		if (file_paths_add_named(paths, f->dev, f->ino, f->path, f->len)) {
			file_paths_free(paths);
			return NULL;
		}
	}
	return paths;
}

/* The traced kernel's release, from a file anyone may have written: printable bytes only. */
static void printable_release(const struct share_stream_header *h, char *buf, size_t size)
{
	snprintf(buf, size, "%s", h->release[0] ? h->release : "unknown");
	for (char *c = buf; *c; c++)
		if (*c < ' ' || *c > '~')
			*c = '?';
}

/* From the start of the recording (attach) to its last record. */
static double elapsed_s(const struct share_stream *s, const struct share_replay *r)
{
	if (!r->timed || r->last_ns < s->header->start_ns)
		return 0;
	return (r->last_ns - s->header->start_ns) / 1e9;
}

static void stream_text(const struct model_opts *opts, const struct share_stream *s,
			const struct share_replay *r)
{
	printf("stream ");
	text_print(stdout, opts->path, 0, 0); /* a file name may hold any byte but '/' */
	printf("  format %u.%u  records %zu  names %zu  lost records %llu  mismatches %llu",
	       s->header->major, s->header->minor, s->nr_records, s->nr_names,
	       (unsigned long long)r->lost_records, (unsigned long long)r->mismatches);
	if (r->mismatches)
		printf(" (first: record %llu)", (unsigned long long)r->first_mismatch);
	if (r->skipped)
		printf("  skipped %llu (newer record types)", (unsigned long long)r->skipped);
	putchar('\n');
}

/*
 * share's JSON object with a "stream" member added last: the renderer writes whole objects,
 * so it writes into a buffer whose closing brace the member goes before.
 */
static int render_json(const struct share_report *report, const struct share_view *view,
		       const struct share_stream *s, const struct share_replay *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return runtime_error("out of memory");
	share_render_json(mem, report, view);
	if (fclose(mem) || !buf) {
		free(buf);
		return runtime_error("out of memory");
	}
	while (len && buf[len - 1] != '}')
		len--;
	if (len)
		len--;
	printf("%.*s,\"stream\":{\"format\":\"%u.%u\",\"records\":%zu,\"names\":%zu,"
	       "\"lost_records\":%llu,\"mismatches\":%llu,\"first_mismatch\":",
	       (int)len, buf, s->header->major, s->header->minor, s->nr_records, s->nr_names,
	       (unsigned long long)r->lost_records, (unsigned long long)r->mismatches);
	if (r->mismatches)
		printf("%llu", (unsigned long long)r->first_mismatch);
	else
		printf("null");
	printf(",\"skipped_records\":%llu}}\n", (unsigned long long)r->skipped);
	free(buf);
	return 0;
}

/* A model that may be short or inconsistent is still printed: said on stderr. */
static void warn_stream(const struct model_opts *opts, const struct share_replay *r)
{
	if (r->lost_records)
		warning("%s: the recording lost %llu records (its ring buffer was full): the "
			"census and the model may be short",
			opts->path, (unsigned long long)r->lost_records);
	if (r->mismatches)
		warning("%s: %llu records contradict the replayed census, the first record %llu: "
			"records were lost, or the stream is inconsistent",
			opts->path, (unsigned long long)r->mismatches,
			(unsigned long long)r->first_mismatch);
	if (r->skipped)
		warning("%s: %llu records of types newer than this daxtrace were skipped",
			opts->path, (unsigned long long)r->skipped);
}

static int show_model(const struct model_opts *opts, const struct share_stream *s,
		      struct file_paths *paths)
{
	static const struct attach_plan no_plan; /* nothing attached: a file is read */
	char release[sizeof(s->header->release)];
	struct share_report report;
	struct share_replay r;
	struct share_view view = { .model = true,
				   .since_snapshot = s->header->flags & SHARE_STREAM_SINCE_SNAPSHOT,
				   .rows = opts->rows,
				   .kernel_release = release,
				   .plan = &no_plan,
				   .paths = paths };
	int err;

	if (share_replay_run(&r, s))
		return runtime_error("out of memory replaying %s", opts->path);
	printable_release(s->header, release, sizeof(release));
	report = (struct share_report){ .census = &r.census,
					.elapsed_s = elapsed_s(s, &r),
					.costs = r.has_costs ? &r.costs : NULL };
	/* the time the recording's last record says, not now: a replay is of then */
	report.time = s->header->start_unix_s + (time_t)report.elapsed_s;
	share_losses_compute(&report.losses, &r.census, r.missed_runs);
	share_model_compute(&report.model, &r.census, opts->model.proxy_bytes, &r.rmap,
			    &r.owner_uses);
	if (r.has_costs)
		share_price_compute(&report.price, &report.model, &r.costs, &opts->model.price);
	else if (opts->model.given && strcmp(opts->model.given, "--proxy-bytes"))
		warning("%s: format %u.%u has no timed operations, so no price: %s is not used",
			opts->path, s->header->major, s->header->minor, opts->model.given);
	warn_stream(opts, &r);
	if (opts->json) {
		err = render_json(&report, &view, s, &r);
	} else {
		stream_text(opts, s, &r);
		share_render_text(stdout, &report, &view);
		err = 0;
	}
	share_replay_free(&r);
	return err || flush_output(stdout) ? -1 : 0;
}

int cmd_model(int argc, char **argv)
{
	struct model_opts opts = {};
	struct share_stream_error err;
	struct share_stream stream;
	struct file_paths *paths;
	int status;

	if (parse_model_opts(&opts, argc, argv))
		return EXIT_USAGE;
	if (share_stream_open(&stream, opts.path, &err)) {
		runtime_error("%s", err.message); /* one line: no usage hint for a bad file */
		return err.out_of_memory ? EXIT_RUNTIME : EXIT_USAGE;
	}
	paths = stream_paths(&stream);
	status = EXIT_RUNTIME;
	if (!paths)
		runtime_error("out of memory");
	else if (!show_model(&opts, &stream, paths))
		status = EXIT_OK;
	file_paths_free(paths);
	share_stream_close(&stream);
	return status;
}
