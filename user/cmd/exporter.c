// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace exporter: a service. It binds its port first (a port in use is an error before any
 * BPF is loaded), attaches what this kernel allows (a point that cannot attach is logged and
 * published as daxtrace_probe_attached 0, never fatal unless none attaches), then gives up
 * every capability and serves scrapes until SIGINT, SIGTERM or SIGHUP. It logs lifecycle
 * events only, never a scrape.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "cmd/exporter.h"
#include "daxtrace_share.h"
#include "engine/capabilities.h"
#include "engine/cgroup_names.h"
#include "engine/numbers.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "output/log_line.h"
#include "version.h"

#define DEFAULT_MAX_SERIES 200
#define MAX_MAX_SERIES 100000

enum {
	OPT_LISTEN = OPT_COMMAND_FIRST,
	OPT_CGROUP_LABELS,
	OPT_MAX_SERIES,
	OPT_SHARE,
	OPT_LOG_FORMAT,
};

static void exporter_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace exporter [OPTIONS]\n"
		"Serves DAX faults, PMD fallbacks, mkwrite, copy-on-write, remaps and writeback\n"
		"per device, cumulative since start, for Prometheus (GET /metrics).\n"
		"  --listen ADDR:PORT    address to serve on (default 127.0.0.1:%d;\n"
		"                        [::1]:PORT for IPv6, :PORT for every IPv4 address)\n"
		"  --cgroup-labels       a cgroup label (cgroup v2 path) on the fault, mkwrite and\n"
		"                        cow series\n"
		"  --max-series N        cgroups with series of their own (default %d); the rest\n"
		"                        count as cgroup=\"other\"\n"
		"  --share               the share census: pages shared by reflink, owners per\n"
		"                        page (needs fentry or kprobes)\n"
		"  --log-format FORMAT   logfmt (default) or json, on stderr\n"
		"  -d, --dev MAJ:MIN     count only files on this device (not 0:0)\n"
		"      --dax-only        count only DAX files\n"
		"      --attach FAMILY   auto|fentry|kprobe|tracepoint|tp_btf|raw_tp|classic\n"
		"  -v, --verbose         the attach plan and libbpf's warnings too\n"
		"  -h, --help            this help\n"
		"  -V, --version         daxtrace's version, commit and libbpf\n",
		EXPORTER_DEFAULT_PORT, DEFAULT_MAX_SERIES);
}

/* "HOST:PORT" with a numeric IPv4 host, "[V6]:PORT", or ":PORT" (every IPv4 address). */
static int parse_listen(struct exporter_opts *opts, const char *text)
{
	const char *colon = strrchr(text, ':');
	struct sockaddr_in *v4 = (struct sockaddr_in *)&opts->listen;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&opts->listen;
	unsigned long long port;
	char host[64];
	size_t host_len;

	if (!colon || !parse_uint(colon + 1, 65535, &port) || !port)
		goto bad;
	host_len = colon - text;
	if (host_len >= sizeof(host))
		goto bad;
	memcpy(host, text, host_len);
	host[host_len] = '\0';
	memset(&opts->listen, 0, sizeof(opts->listen));
	if (host[0] == '[' && host_len > 2 && host[host_len - 1] == ']') {
		host[host_len - 1] = '\0';
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1)
			goto bad;
		opts->listen_len = sizeof(*v6);
	} else {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		v4->sin_addr.s_addr = htonl(INADDR_ANY);
		if (host[0] && inet_pton(AF_INET, host, &v4->sin_addr) != 1)
			goto bad;
		opts->listen_len = sizeof(*v4);
	}
	opts->listen_text = text;
	return 0;
bad:
	return usage_error("bad --listen '%s': expected ADDR:PORT, e.g. 127.0.0.1:%d, [::1]:%d or "
			   ":%d (numeric addresses, port 1 to 65535)",
			   text, EXPORTER_DEFAULT_PORT, EXPORTER_DEFAULT_PORT,
			   EXPORTER_DEFAULT_PORT);
}

static int exporter_opt(int opt, const char *arg, void *ctx)
{
	struct exporter_opts *opts = ctx;
	unsigned long long number;
	int format;

	switch (opt) {
	case OPT_LISTEN:
		return parse_listen(opts, arg);
	case OPT_CGROUP_LABELS:
		opts->cgroup_labels = true;
		return 0;
	case OPT_MAX_SERIES:
		if (!parse_uint(arg, MAX_MAX_SERIES, &number) || !number)
			return usage_error("bad --max-series '%s': expected 1 to %d", arg,
					   MAX_MAX_SERIES);
		opts->max_series = number;
		return 0;
	case OPT_SHARE:
		opts->share = true;
		return 0;
	case OPT_LOG_FORMAT:
		format = log_format_parse(arg);
		if (format < 0)
			return usage_error("bad --log-format '%s': expected logfmt or json", arg);
		log_set_format(format);
		return 0;
	default:
		return usage_error("unknown option '%s'", arg ? arg : "");
	}
}

static int parse_exporter_opts(struct exporter_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "dax-only", no_argument, NULL, OPT_DAX_ONLY },
		{ "attach", required_argument, NULL, OPT_ATTACH },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		VERSION_LONG_OPT,
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "cgroup-labels", no_argument, NULL, OPT_CGROUP_LABELS },
		{ "max-series", required_argument, NULL, OPT_MAX_SERIES },
		{ "share", no_argument, NULL, OPT_SHARE },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{},
	};
	static char default_listen[32];
	bool max_series_given;

	if (command_opts_parse(&(struct command_opts_spec){ .short_opts = "",
							    .long_opts = long_opts,
							    .common = &opts->common,
							    .own_opt = exporter_opt,
							    .usage = exporter_usage,
							    .ctx = opts },
			       argc, argv))
		return -1;
	/* the common letters the exporter has no use for: it counts the whole machine */
	if (opts->common.nr_pids || opts->common.cgroup_path || opts->common.json ||
	    opts->common.command)
		return usage_error("the exporter counts the whole machine and serves metrics, not "
				   "JSON: -p, -C, -j and -- CMD are not its options");
	max_series_given = opts->max_series != 0;
	if (max_series_given && !opts->cgroup_labels)
		return usage_error("--max-series limits --cgroup-labels' series: give both");
	if (!max_series_given)
		opts->max_series = DEFAULT_MAX_SERIES;
	if (!opts->listen_text) {
		snprintf(default_listen, sizeof(default_listen), "127.0.0.1:%d",
			 EXPORTER_DEFAULT_PORT);
		if (parse_listen(opts, default_listen))
			return -1;
	}
	return 0;
}

/* The bound, listening socket, before anything is loaded; -1 after logging why not. */
static int listen_socket(const struct exporter_opts *opts)
{
	int one = 1;
	int fd = socket(opts->listen.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&opts->listen, opts->listen_len) || listen(fd, 64)) {
		runtime_error("cannot listen on %s: %s", opts->listen_text, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void log_sink(const char *level, const char *message)
{
	log_line(level, message, NULL);
}

/* The plan, one line per point: how it attached, or why not. */
static void log_plan(const struct attach_plan *plan)
{
	char targets[512];

	for (int i = 0; i < plan->nr_choices; i++) {
		const struct plan_choice *c = &plan->choices[i];

		if (c->kind == KIND_NONE) {
			log_line("warn", "probe point not attached", "point", c->point->name, "why",
				 c->why, "stays_zero", c->point->feeds, NULL);
			continue;
		}
		plan_choice_targets(c, targets, sizeof(targets));
		log_line("info", "probe point attached", "point", c->point->name, "kind",
			 probe_kind_name(c->kind), "targets", targets, "note",
			 c->why[0] ? c->why : NULL, NULL);
	}
}

/* The cgroup v2 hierarchy's mount point, where the cgroup labels' paths start. */
static const char *cgroup2_root(const struct mount_table *mounts)
{
	for (int i = 0; i < mounts->nr; i++)
		if (!strcmp(mounts->entries[i].fs_type, "cgroup2") &&
		    !strcmp(mounts->entries[i].root, "/"))
			return mounts->entries[i].mount_point;
	return "/sys/fs/cgroup";
}

/* Attached: drop the capabilities, start serving, wait for the end. */
static int serve(struct exporter *ex, int fd)
{
	struct http_server *server;
	/* 5.10 refuses the maps' reads without CAP_BPF: keep that one there, only */
	bool keep_bpf = bpf_fds_need_capability();
	int err = drop_capabilities_but(keep_bpf ? DT_CAP_BPF : -1);

	if (err) {
		runtime_error("cannot drop the capabilities: %s", strerror(-err));
		close(fd);
		return EXIT_RUNTIME;
	}
	if (ex->opts->cgroup_labels) {
		ex->cgroups = cgroup_names_new(cgroup2_root(&ex->session->mounts));
		if (!ex->cgroups) {
			runtime_error("out of memory");
			close(fd);
			return EXIT_RUNTIME;
		}
	}
	server = http_server_start(fd, ex);
	if (!server) {
		close(fd);
		return EXIT_RUNTIME;
	}
	log_line("info", "listening", "address", ex->opts->listen_text, "capabilities",
		 keep_bpf ? "CAP_BPF" : "none", NULL);
	while (session_wait(ex->session, -1) == SESSION_TICK)
		;
	log_line("info", "stopping", NULL);
	http_server_stop(server);
	return EXIT_OK;
}

int cmd_exporter(int argc, char **argv)
{
	struct exporter_opts opts = {};
	struct exporter ex = { .opts = &opts, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct session session;
	char pid[16];
	int status, fd;

	if (parse_exporter_opts(&opts, argc, argv))
		return EXIT_USAGE;
	report_set_sink(log_sink);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	log_line("info", "starting", "version", daxtrace_version(), "kernel",
		 daxtrace_kernel_release(), "pid", pid, NULL);
	fd = listen_socket(&opts);
	if (fd < 0)
		return EXIT_RUNTIME;
	status = session_open(
		&session, &opts.common,
		&(struct session_setup){
			.users = USED_BY_TOP | USED_BY_REMAP_KINDS |
				 (opts.share ? USED_BY_SHARE : 0),
			.syscall_events = true, /* the remap kinds: syscalls:* tracepoints */
			.lat = { .on = true, .per_dev = true },
			.dev_rows = { .on = true,
				      .cgroups = opts.cgroup_labels,
				      .max_cgroups = opts.max_series },
			/* the census reads struct page through vmemmap_base (kallsyms) */
			.ksyms = opts.share,
			.census_pfns = opts.share ? DT_SHARE_DEFAULT_PFNS : 0,
			.none_required = true,
			.without_dax = "the exporter counts only page-cache mmap writes and XFS "
				       "reflink activity",
		});
	if (status == EXIT_OK) {
		ex.session = &session;
		log_plan(&session.plan);
		status = serve(&ex, fd);
	} else {
		close(fd);
	}
	session_close(&session);
	cgroup_names_free(ex.cgroups);
	log_line(status == EXIT_OK ? "info" : "error", "stopped", "status",
		 status == EXIT_OK    ? "0" :
		 status == EXIT_USAGE ? "2" :
					"1",
		 NULL);
	return status;
}
