// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: fixed sequences of dt-workload operations on files in one directory, so that an
 * A/B comparison (daxtrace record on two kernels, then daxtrace diff) runs the same work as one
 * command. Each step runs in a child process of its own, forked and running the operation's code
 * directly (no exec: the binary may have been copied anywhere), exactly as one invocation of
 * `dt-workload OP ARGS...` would: the same faults, one process row per step. The parent touches
 * no traced file itself, apart from the unlink vm-farm ends with.
 *
 * The counts each scenario produces, computed from its fixed parameters, are in
 * docs/daxtrace-workload.1; keep them in step with what a scenario does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>

#include "workload.h"

struct scenario {
	const char *name;
	const char *args;
	int nr_args;
	void (*run)(const char *dir);
	const char *help;
};

/* At most this many steps run in the background at a time (demo starts 5 per round). */
#define MAX_BACKGROUND_STEPS 16
#define MAX_STEP_ARGS 12

static pid_t background[MAX_BACKGROUND_STEPS];
static int nr_background;
static unsigned int nr_steps;
static bool step_failed;

/* Waits for step PID; a step that did not exit 0 fails the scenario (after the others ended). */
static void wait_step(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail("waitpid %d", (int)pid);
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return;
	if (WIFEXITED(status))
		fprintf(stderr, "%s: %s: a step (pid %d) exited with status %d\n",
			program_invocation_short_name, op_name, (int)pid, WEXITSTATUS(status));
	else
		fprintf(stderr, "%s: %s: a step (pid %d) was killed by signal %d\n",
			program_invocation_short_name, op_name, (int)pid, WTERMSIG(status));
	step_failed = true;
}

static void wait_background_steps(void)
{
	for (int i = 0; i < nr_background; i++)
		wait_step(background[i]);
	nr_background = 0;
}

static void stop_if_failed(void)
{
	if (!step_failed)
		return;
	wait_background_steps();
	exit(1);
}

/*
 * step(BACKGROUND, OP, ARG..., NULL): one operation in a child process; the scenario waits for
 * it unless BACKGROUND (wait_background_steps does, like the shell's wait).
 */
static void step(bool background_step, const char *op, ...)
{
	char *argv[MAX_STEP_ARGS + 1] = { program_invocation_name, (char *)op };
	int argc = 2;
	va_list ap;
	pid_t pid;

	va_start(ap, op);
	while ((argv[argc] = (char *)va_arg(ap, const char *)))
		if (++argc == MAX_STEP_ARGS)
			fail_result("a step of more than %d arguments", MAX_STEP_ARGS - 2);
	va_end(ap);

	if (background_step && nr_background == MAX_BACKGROUND_STEPS)
		fail_result("more than %d steps in the background", MAX_BACKGROUND_STEPS);
	/* Nothing buffered may be written twice, by the parent and by the child. */
	if (fflush(stdout))
		fail("write stdout");
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (!pid) {
		operation_main(argc, argv);
		exit(0);
	}
	nr_steps++;
	if (background_step) {
		background[nr_background++] = pid;
	} else {
		wait_step(pid);
		stop_if_failed();
	}
}

#define RUN(...) step(false, __VA_ARGS__, NULL)
#define START(...) step(true, __VA_ARGS__, NULL)

/* DIR/NAME, allocated: a scenario's few paths live until it exits. */
static char *path_in(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		fail("asprintf");
	return path;
}

/*
 * docs/designs.md, "One run, captured": a small VM-image farm. A golden image of 2048 pages
 * written through a mapping, three clones booted (read in full, the golden image too), two
 * patched (64 pages 32 KiB apart, 256 pages 8 KiB apart), 256 pages of the third cloned into an
 * archive at another offset (FICLONERANGE 4 MiB -> 8 MiB) and read there, the third deleted.
 */
static void scenario_vm_farm(const char *dir)
{
	static const char *const images[] = { "golden", "vm1", "vm2", "vm3" };
	char *path[4], *archive = path_in(dir, "archive");

	for (int i = 0; i < 4; i++)
		path[i] = path_in(dir, images[i]);
	RUN("create", path[0], "8m");
	RUN("mwrite", path[0], "2048");
	for (int i = 1; i < 4; i++)
		RUN("clone", path[0], path[i]);
	for (int i = 0; i < 4; i++)
		RUN("mread", path[i], "2048");
	RUN("mwrite", path[1], "64", "--stride", "32k");
	RUN("mwrite", path[2], "256", "--stride", "8k");
	RUN("clonerange", path[3], archive, "4m", "1m", "8m");
	RUN("mread", archive, "256", "--offset", "8m");
	if (unlink(path[3]))
		fail("unlink %s", path[3]);
	for (int i = 0; i < 4; i++)
		free(path[i]);
	free(archive);
}

/* Removes each of paths, if it exists, in the scenario's own process (like vm-farm's unlink). */
static void remove_files(char *const *paths, int nr)
{
	for (int i = 0; i < nr; i++)
		if (unlink(paths[i]) && errno != ENOENT)
			fail("unlink %s", paths[i]);
}

/*
 * Cancels the unused COW reservations of a file that broke sharing, in the scenario's own
 * process: a truncate does it there (xfs_itruncate_extents_flags), where an unlink leaves it to
 * the inode's inactivation in XFS's inodegc worker, inside the run or after it as timing has it
 * (cow_cancels 16, 2 or 0 in ten runs on 6.1 and 7.2). Only that file: on 6.1 a truncate also
 * writes back the DAX entries of a file (a read PMD's 512 pages), which 7.2's does not.
 */
static void cancel_cow_reservations(const char *path)
{
	if (truncate(path, 0) && errno != ENOENT)
		fail("truncate %s", path);
}

/*
 * syncfs of the directory's filesystem: the removed files' inactivation (XFS's inodegc worker,
 * which xfs_fs_sync_fs flushes) and the writeback of what the run dirtied end inside the run.
 */
static void sync_filesystem(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || syncfs(fd))
		fail("syncfs %s", dir);
	close(fd);
}

/*
 * The scenario for validating a DAX patch (daxtrace record on two kernels, then daxtrace diff):
 * one of each behaviour whose count the kernel makes exact, starting and ending with its files
 * gone so that every run is the same. 64 pages read then written (PTE faults, then mkwrite),
 * 2 PMD reads, a FICLONE of the 4 MiB file, both files read over their first 64 pages (shared
 * pmem pages), 16 writes 64 KiB apart to the clone (COW breaks), its fsync, the files removed.
 */
static void scenario_validate(const char *dir)
{
	char *pte = path_in(dir, "pte"), *pmd = path_in(dir, "pmd"), *clone = path_in(dir, "clone");
	char *const files[] = { pte, pmd, clone };

	cancel_cow_reservations(clone);
	remove_files(files, 3);
	RUN("create", pte, "4m");
	RUN("mreadwrite", pte, "64");
	RUN("create", pmd, "4m");
	RUN("mread", pmd, "2", "--stride", "2m", "--huge");
	RUN("clone", pte, clone);
	RUN("mread", pte, "64");
	RUN("mread", clone, "64");
	RUN("mwrite", clone, "16", "--stride", "64k");
	RUN("fsync", clone);
	cancel_cow_reservations(clone);
	remove_files(files, 3);
	sync_filesystem(dir);
	for (int i = 0; i < 3; i++)
		free(files[i]);
}

/*
 * make demo's mixed workload: 4 KiB faults, 2 MiB faults, PMD fallbacks, write-protect faults and
 * reflink COW breaks, several processes at a time, three rounds a second apart.
 */
static void scenario_demo(const char *dir)
{
	char *small = path_in(dir, "small"), *huge = path_in(dir, "huge");
	char *fallback = path_in(dir, "fallback"), *rw = path_in(dir, "rw");
	char *src = path_in(dir, "src");
	const char *const created[] = { small, huge, fallback, rw, src };

	for (int i = 0; i < 5; i++)
		RUN("create", created[i], "16m");
	/* PTE entries first, so that the 2 MiB faults on this file fall back. */
	RUN("mread", fallback, "8", "--stride", "2m");
	for (int round = 1; round <= 3; round++) {
		char name[16];
		char *clone;

		snprintf(name, sizeof(name), "clone%d", round);
		clone = path_in(dir, name);
		START("mread", small, "256");
		START("mread", huge, "8", "--stride", "2m", "--huge");
		START("mread", fallback, "8", "--stride", "2m", "--huge");
		START("mreadwrite", rw, "64", "--stride", "64k");
		RUN("clone", src, clone);
		START("mreadwrite", clone, "32", "--stride", "256k");
		wait_background_steps();
		stop_if_failed();
		free(clone);
		if (round < 3)
			sleep_seconds(1);
	}
	for (int i = 0; i < 5; i++)
		free((char *)created[i]);
}

static const struct scenario scenarios[] = {
	{ "vm-farm", "DIR", 1, scenario_vm_farm,
	  "a VM-image farm: golden image, 3 clones read, 2 patched, a range archived, 1 deleted" },
	{ "demo", "DIR", 1, scenario_demo,
	  "make demo's mix: PTE, PMD, PMD fallback, mkwrite, COW; 3 rounds, 5 processes each" },
	{ "validate", "DIR", 1, scenario_validate,
	  "one of each exact DAX count for an A/B diff: PTE, mkwrite, PMD, clone, sharing, COW, "
	  "flush" },
};

#define NR_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

const struct scenario *scenario_find(const char *name)
{
	for (size_t i = 0; i < NR_SCENARIOS; i++)
		if (!strcmp(name, scenarios[i].name))
			return &scenarios[i];
	return NULL;
}

const char *scenario_name(const struct scenario *scenario)
{
	return scenario->name;
}

void scenarios_usage(FILE *stream)
{
	for (size_t i = 0; i < NR_SCENARIOS; i++)
		fprintf(stream, "  %s %s\n      %s\n", scenarios[i].name, scenarios[i].args,
			scenarios[i].help);
}

int scenario_run(const struct scenario *scenario, char **args, int nr_args)
{
	if (nr_args != scenario->nr_args)
		usage_error("%s takes %d arguments: %s %s", scenario->name, scenario->nr_args,
			    scenario->name, scenario->args);
	scenario->run(args[0]);
	report_begin(getpid());
	report_number("steps", nr_steps);
	report_end();
	return 0;
}
