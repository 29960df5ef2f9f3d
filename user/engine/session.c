// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "daxtrace.skel.h"
#include "engine/capabilities.h"
#include "engine/file_paths.h"
#include "engine/global_funcs.h"
#include "engine/lockdown.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "engine/session_internal.h"

static int verbose_log;

/*
 * libbpf stays quiet unless -v: its warnings about unused alternatives are not news. Its debug
 * log (some 2000 lines for top, written unbuffered) waits for -vv: it took 15 ms of start-up.
 * A verifier log comes as a warning, so -v shows it.
 */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (verbose_log < (level == LIBBPF_DEBUG ? 2 : 1))
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void set_filters(struct session *s)
{
	const struct common_opts *opts = s->opts;
	struct daxtrace_bpf__rodata *rodata = s->skel->rodata;

	rodata->filter_tgid = opts->nr_pids > 0 || opts->command;
	rodata->follow_forks = opts->command != NULL;
	rodata->filter_cgroup = opts->cgroup_path != NULL;
	rodata->filter_dev = opts->dev;
	rodata->dax_only = opts->dax_only;
}

static int fill_filter_maps(struct session *s)
{
	const struct common_opts *opts = s->opts;
	__u8 one = 1;

	for (int i = 0; i < opts->nr_pids; i++) {
		__u32 tgid = opts->pids[i];

		if (bpf_map__update_elem(s->skel->maps.traced_tgids, &tgid, sizeof(tgid), &one,
					 sizeof(one), BPF_ANY))
			return runtime_error("cannot add PID %u to the filter: %s", tgid,
					     strerror(errno));
	}
	if (opts->cgroup_path) {
		int fd = open(opts->cgroup_path, O_RDONLY | O_DIRECTORY);
		__u32 slot = 0;
		int err;

		if (fd < 0)
			return runtime_error("cannot open cgroup %s: %s", opts->cgroup_path,
					     strerror(errno));
		err = bpf_map__update_elem(s->skel->maps.cgroup_filter, &slot, sizeof(slot), &fd,
					   sizeof(fd), BPF_ANY);
		close(fd);
		if (err)
			return runtime_error("%s is not a cgroup v2 directory: %s",
					     opts->cgroup_path, strerror(-err));
	}
	for (int i = 0; i < s->mounts.nr; i++) {
		__u32 dev = s->mounts.entries[i].dev;

		if (s->mounts.entries[i].dax)
			bpf_map__update_elem(s->skel->maps.dax_devs, &dev, sizeof(dev), &one,
					     sizeof(one), BPF_ANY);
	}
	return 0;
}

/* The command waits on a pipe until the programs are attached, so its first fault counts. */
static int fork_command(struct session *s)
{
	pid_t parent = getpid();
	int release[2];
	__u8 one = 1;
	__u32 tgid;

	if (pipe2(release, O_CLOEXEC))
		return runtime_error("pipe: %s", strerror(errno));
	s->child = fork();
	if (s->child < 0)
		return runtime_error("fork: %s", strerror(errno));
	if (s->child == 0) {
		char go;

		/*
		 * It dies with daxtrace, even by SIGKILL: a run nobody counts is no run. The
		 * getppid() check covers a daxtrace gone before the prctl. (execve of a
		 * set-user-ID program clears the death signal.)
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(127);
		close(release[1]);
		sigaction(SIGINT, &s->inherited_sigint, NULL);
		sigaction(SIGTERM, &s->inherited_sigterm, NULL);
		sigaction(SIGPIPE, &s->inherited_sigpipe, NULL);
		sigprocmask(SIG_UNBLOCK, &s->waited_signals, NULL);
		if (read(release[0], &go, 1) != 1)
			_exit(127); /* daxtrace gave up before attaching */
		execvp(s->opts->command[0], s->opts->command);
		fprintf(stderr, "daxtrace: cannot run %s: %s\n", s->opts->command[0],
			strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(release[0]);
	s->child_release_fd = release[1];
	tgid = s->child;
	if (bpf_map__update_elem(s->skel->maps.traced_tgids, &tgid, sizeof(tgid), &one, sizeof(one),
				 BPF_ANY))
		return runtime_error("cannot trace the command: %s", strerror(errno));
	return 0;
}

static void print_plan(const struct attach_plan *plan)
{
	char targets[512];

	for (int i = 0; i < plan->nr_choices; i++) {
		const struct plan_choice *c = &plan->choices[i];

		plan_choice_targets(c, targets, sizeof(targets));
		fprintf(stderr, "daxtrace: plan %-12s %-8s %s%s%s\n", c->point->name,
			probe_kind_name(c->kind), targets, c->why[0] ? "  # " : "", c->why);
	}
}

static int load_and_attach(struct session *s)
{
	int err;

	s->skel = daxtrace_bpf__open();
	if (!s->skel)
		return runtime_error("cannot open the BPF object: %s", strerror(errno));
	set_filters(s);
	if (s->setup->ksyms) {
		/* the plan's table, if its kprobe checks read it: kallsyms is read once */
		if (!kernel_kallsyms(&s->features))
			return runtime_error("cannot read " KALLSYMS_PATH ": %s",
					     strerror(-s->features.kallsyms_list.err));
		/* Not a variable without CONFIG_RANDOMIZE_MEMORY: BPF then uses the constant. */
		s->skel->rodata->vmemmap_base_addr = ksym_table_address(&s->ksyms, "vmemmap_base");
	}
	if (session_size_row_maps(s))
		return -1;
	if (session_apply_setup(s))
		return -1;
	if (attach_plan_apply(&s->plan, s->skel->obj))
		return -1;
	if (!s->features.global_func_ptr_args) {
		if (global_funcs_make_static(s->skel->obj) < 0)
			return runtime_error("the BPF object has no BTF");
		s->skel->rodata->fault_count_static = 1;
	}
	err = daxtrace_bpf__load(s->skel);
	/* EACCES is the verifier's refusal, not a missing capability: that needs the log. */
	if (err == -EPERM)
		return runtime_error("loading BPF programs was refused (%s): needs CAP_BPF and "
				     "CAP_PERFMON: run as root",
				     strerror(-err));
	if (err && lockdown_read(LOCKDOWN_PATH) == LOCKDOWN_CONFIDENTIALITY)
		return runtime_error("loading BPF programs failed (%s): the kernel is locked down "
				     "(%s), so %s",
				     strerror(-err), LOCKDOWN_PATH,
				     lockdown_consequence(LOCKDOWN_CONFIDENTIALITY));
	if (err)
		return runtime_error("loading BPF programs failed: %s (run with -v for the "
				     "verifier log)",
				     strerror(-err));
	s->maps.total_fd = bpf_map__fd(s->skel->maps.total_stats);
	s->maps.proc_fd = bpf_map__fd(s->skel->maps.proc_stats);
	s->maps.file_fd = bpf_map__fd(s->skel->maps.file_stats);
	s->maps.devdax_fd = bpf_map__fd(s->skel->maps.devdax_stats);
	s->maps.file_info_fd = bpf_map__fd(s->skel->maps.file_info);
	s->maps.health_fd = bpf_map__fd(s->skel->maps.health);
	if (session_open_readers(s) || fill_filter_maps(s))
		return -1;
	if (s->opts->command && fork_command(s))
		return -1;
	return attach_plan_attach(&s->plan, s->skel->obj);
}

/* Following -- CMD's process tree counts nothing by itself. */
static bool counts_anything(const struct attach_plan *plan)
{
	for (int i = 0; i < plan->nr_choices; i++)
		if (plan->choices[i].kind != KIND_NONE && !plan->choices[i].point->command_only)
			return true;
	return false;
}

/* A command that cannot run without a point says which, and why it is missing. */
static int check_required_points(const struct attach_plan *plan)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		const struct plan_choice *c = &plan->choices[i];

		if (c->point->required && !plan->none_required && c->kind == KIND_NONE)
			return runtime_error("probe point %s: %s (see 'daxtrace doctor')",
					     c->point->name, c->why);
	}
	return 0;
}

int session_open(struct session *s, const struct common_opts *opts,
		 const struct session_setup *setup)
{
	bool classic_needed = opts->family == FAMILY_CLASSIC || setup->syscall_events;
	char missing[32];

	memset(s, 0, sizeof(*s));
	s->opts = opts;
	s->setup = setup;
	s->child_release_fd = -1;
	s->signal_fd = -1;
	s->input_fd = -1;
	verbose_log = opts->verbose;
	libbpf_set_print(libbpf_log);

	if (!has_bpf_capabilities(missing, sizeof(missing))) {
		runtime_error("needs CAP_BPF and CAP_PERFMON (or root), and lacks %s: run as root "
			      "or grant them",
			      missing);
		return EXIT_RUNTIME;
	}

	if (session_take_signals(s))
		return EXIT_RUNTIME;

	kernel_features_probe(&s->features, false);
	/* Every program reads kernel structs through CO-RE: libbpf needs the kernel's BTF. */
	if (!s->features.vmlinux_btf) {
		runtime_error("this kernel has no BTF (/sys/kernel/btf/vmlinux, "
			      "CONFIG_DEBUG_INFO_BTF): the CO-RE programs cannot be relocated, "
			      "nothing can be counted");
		return EXIT_RUNTIME;
	}
	/* auto takes classic tracepoints where tp_btf runs can be preempted (preempt_model.h) */
	classic_needed |= opts->family == FAMILY_AUTO &&
			  preempt_model_preempts_bpf(s->features.preempt.model);
	if (classic_needed && !s->features.tracefs)
		kernel_features_probe(&s->features, true);
	s->features.kallsyms = &s->ksyms; /* one kallsyms table: the plan's and the session's */
	if (attach_plan_resolve(&s->plan, &s->features, opts->family, opts->command != NULL,
				setup->users))
		return EXIT_RUNTIME;
	s->plan.none_required = setup->none_required;
	kernel_btf_hand_to_libbpf(); /* the plan is made: libbpf parses no copy of its own */
	if (opts->verbose)
		print_plan(&s->plan);
	if (check_required_points(&s->plan))
		return EXIT_RUNTIME;
	for (int i = 0; i < s->plan.nr_choices && !setup->none_required; i++)
		if (s->plan.choices[i].kind == KIND_NONE &&
		    !s->plan.choices[i].point->quiet_when_none)
			warning("%s: %s; these stay 0: %s", s->plan.choices[i].point->name,
				s->plan.choices[i].why, s->plan.choices[i].point->feeds);
	if (!counts_anything(&s->plan)) {
		runtime_error("none of this command's probe points exist on this kernel "
			      "(see 'daxtrace doctor')");
		return EXIT_RUNTIME;
	}
	mount_table_load(&s->mounts, "/proc/self/mountinfo");
	empty_note_decide(&s->empty, &s->mounts, "/sys",
			  setup->without_dax ? setup->without_dax : "its DAX counters stay 0");
	if (load_and_attach(s))
		return EXIT_RUNTIME;
	/* optional points that failed to attach said so; if that was all of them, stop */
	if (!counts_anything(&s->plan)) {
		runtime_error("none of this command's probe points attached");
		return EXIT_RUNTIME;
	}
	empty_note_say(&s->empty); /* attached: said once the command does run */
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	if (opts->verbose)
		fprintf(stderr, "daxtrace: attached %d probe points at %.6f s (CLOCK_MONOTONIC)\n",
			s->plan.nr_available, s->started.tv_sec + s->started.tv_nsec / 1e9);
	if (setup->after_attach && setup->after_attach(s, setup->arg))
		return EXIT_RUNTIME;
	if (s->child_release_fd >= 0) {
		if (write(s->child_release_fd, "g", 1) != 1) {
			runtime_error("cannot start the command: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		close(s->child_release_fd);
		s->child_release_fd = -1;
	}
	return EXIT_OK;
}

void session_close(struct session *s)
{
	if (s->child_release_fd >= 0)
		close(s->child_release_fd); /* a command never released exits 127 */
	if (s->child > 0 && !s->child_exited)
		waitpid(s->child, NULL, 0);
	ring_buffer__free(s->events);
	s->events = NULL;
	ring_buffer__free(s->share_stream);
	s->share_stream = NULL;
	file_paths_free(s->paths);
	s->paths = NULL;
	attach_plan_detach(&s->plan);
	daxtrace_bpf__destroy(s->skel);
	s->skel = NULL;
	mount_table_free(&s->mounts);
	ksym_table_free(&s->ksyms);
	pid_watch_close(&s->watch);
	if (s->signal_fd >= 0)
		close(s->signal_fd);
	s->signal_fd = -1;
	kernel_features_release(&s->features);
}
