// SPDX-License-Identifier: GPL-2.0
/*
 * dt-bench: the fault microbenchmark behind tests/bench. It maps a file MAP_SHARED, touches one
 * byte per page in a loop and reports, from its own CLOCK_MONOTONIC, what one fault costs:
 *
 *   dt-bench [OPTIONS] read|write|mkwrite|cow FILE
 *
 * prints {"mode":..., "faults":N, "ns_per_fault":..., "faults_per_s":..., ...}. Only the loops
 * that touch pages are timed: file creation, fsync, clones and unmapping are not. FILE is
 * created (replacing it) with one 4 KiB block of data every --stride bytes and holes between:
 * buffered 4 KiB writes leave order-0 folios in the page cache, so no large folio lets one fault
 * map several of the touched pages, and a stride of at least the kernel's fault-around window
 * (64 KiB) keeps a read fault from mapping the next touched page. The kernel's own fault count
 * (getrusage minflt + majflt over the timed loops) is printed as kernel_faults, so the caller
 * can check that every touch was one fault.
 *
 *   dt-bench exec-time [--interrupt] TEXT -- CMD [ARG...]
 *
 * runs CMD with stdout and stderr on a pipe and reports the time from its exec to the first
 * line containing TEXT, and its peak RSS. That is how tests/bench measures the start-up of
 * daxtrace (up to "daxtrace: attached ...") and bpftrace (up to "Attaching N probes...").
 *
 * Exit status: 0 success, 1 a system call failed (message on stderr), 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#define BLOCK_BYTES 4096

enum mode {
	MODE_READ,
	MODE_WRITE,
	MODE_MKWRITE,
	MODE_COW,
};

static const char *const mode_names[] = {
	[MODE_READ] = "read",
	[MODE_WRITE] = "write",
	[MODE_MKWRITE] = "mkwrite",
	[MODE_COW] = "cow",
};

static struct {
	uint64_t pages;
	uint64_t stride;
	uint64_t rounds;
} opt = {
	.pages = 1024,
	.stride = 64 << 10,
	.rounds = 100,
};

/* One round's timed pass. */
struct pass {
	uint64_t ns;
	uint64_t kernel_faults;
};

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	fputs("dt-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved_errno));
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail_result(const char *fmt, ...)
{
	va_list ap;

	fputs("dt-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dt-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: dt-bench [--pages N] [--stride BYTES] [--rounds N] read|write|mkwrite|cow "
	      "FILE\n"
	      "       dt-bench exec-time [--interrupt] TEXT -- CMD [ARG...]\n",
	      stderr);
	exit(2);
}

static uint64_t parse_count(const char *what, const char *text)
{
	unsigned long long value;
	char *end;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (*text < '0' || *text > '9' || *end || errno || !value || value > UINT32_MAX)
		usage_error("%s: '%s' is not a number from 1 to %u", what, text, UINT32_MAX);
	return value;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t kernel_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		fail("getrusage");
	return ru.ru_minflt + ru.ru_majflt;
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		fail("open %s", path);
	return fd;
}

static void sync_file(int fd, const char *path)
{
	if (fsync(fd))
		fail("fsync %s", path);
}

/* FILE, replaced: a 4 KiB block of data at every touched offset, holes between, on disk. */
static int create_file(const char *path)
{
	static char block[BLOCK_BYTES];
	int fd = open_file(path, O_RDWR | O_CREAT | O_TRUNC);

	memset(block, 0xa5, sizeof(block));
	if (ftruncate(fd, opt.pages * opt.stride))
		fail("ftruncate %s", path);
	for (uint64_t i = 0; i < opt.pages; i++)
		if (pwrite(fd, block, sizeof(block), i * opt.stride) != sizeof(block))
			fail("pwrite %s", path);
	sync_file(fd, path);
	return fd;
}

/*
 * MADV_NOHUGEPAGE keeps every fault PTE sized: on DAX the kernel would otherwise try a PMD fault
 * wherever the VMA allows one. Kernels without THP reject the advice and never map huge pages.
 */
static char *map_file(int fd, const char *path, int prot)
{
	size_t len = opt.pages * opt.stride;
	char *addr = mmap(NULL, len, prot, MAP_SHARED, fd, 0);

	if (addr == MAP_FAILED)
		fail("mmap %s", path);
	if (madvise(addr, len, MADV_NOHUGEPAGE) && errno != EINVAL)
		fail("madvise MADV_NOHUGEPAGE %s", path);
	return addr;
}

/* Unmapping drops every PTE: the next round faults on every page again. */
static void unmap_file(char *addr, const char *path)
{
	if (munmap(addr, opt.pages * opt.stride))
		fail("munmap %s", path);
}

/* Keeps the compiler from dropping reads whose value nobody uses. */
static volatile unsigned char read_sink;

static void read_pages(const char *addr)
{
	for (uint64_t i = 0; i < opt.pages; i++)
		read_sink += *(const volatile char *)(addr + i * opt.stride);
}

static void write_pages(char *addr)
{
	for (uint64_t i = 0; i < opt.pages; i++)
		*(volatile char *)(addr + i * opt.stride) = 0x5a;
}

/* One timed pass over the pages; getrusage stays outside the clock readings. */
static void timed_pass(struct pass *pass, char *addr, bool write)
{
	uint64_t faults_before = kernel_faults();
	uint64_t start = now_ns();

	if (write)
		write_pages(addr);
	else
		read_pages(addr);
	pass->ns = now_ns() - start;
	pass->kernel_faults = kernel_faults() - faults_before;
}

/*
 * The clone's page cache starts empty: read its pages (without readahead, so the folios stay
 * order 0) before the timed writes, which then measure the sharing break, not a disk read.
 */
static void read_into_cache(int fd, const char *path)
{
	static char block[BLOCK_BYTES];

	if (posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM))
		fail("posix_fadvise %s", path);
	for (uint64_t i = 0; i < opt.pages; i++)
		if (pread(fd, block, sizeof(block), i * opt.stride) != sizeof(block))
			fail("pread %s", path);
}

/*
 * cow: a fresh reflinked clone per round, since a page's sharing breaks only once. fsync
 * completes the COW (xfs_reflink_end_cow) within the round, untimed.
 */
static void cow_round(struct pass *pass, int src, const char *path)
{
	char clone_path[4096];

	char *addr;
	int fd;

	if (snprintf(clone_path, sizeof(clone_path), "%s.clone", path) >= (int)sizeof(clone_path))
		fail_result("%s: path too long", path);
	fd = open_file(clone_path, O_RDWR | O_CREAT | O_EXCL);
	if (ioctl(fd, FICLONE, src))
		fail("ioctl FICLONE -> %s", clone_path);
	read_into_cache(fd, clone_path);
	addr = map_file(fd, clone_path, PROT_READ | PROT_WRITE);
	timed_pass(pass, addr, true);
	unmap_file(addr, clone_path);
	sync_file(fd, clone_path);
	if (close(fd) || unlink(clone_path))
		fail("close and unlink %s", clone_path);
}

/*
 * One round. The writing modes end with fsync, so every round writes to clean pages: on the
 * page cache, first-touch write faults and write-protect faults each call ->page_mkwrite.
 */
static void round_of(enum mode mode, struct pass *pass, int fd, const char *path)
{
	char *addr;

	switch (mode) {
	case MODE_READ:
		addr = map_file(fd, path, PROT_READ);
		timed_pass(pass, addr, false);
		unmap_file(addr, path);
		break;
	case MODE_WRITE:
		addr = map_file(fd, path, PROT_READ | PROT_WRITE);
		timed_pass(pass, addr, true);
		unmap_file(addr, path);
		sync_file(fd, path);
		break;
	case MODE_MKWRITE:
		/* Read faults map the pages read-only; the timed writes are write-protect faults. */
		addr = map_file(fd, path, PROT_READ | PROT_WRITE);
		read_pages(addr);
		timed_pass(pass, addr, true);
		unmap_file(addr, path);
		sync_file(fd, path);
		break;
	case MODE_COW:
		cow_round(pass, fd, path);
		break;
	}
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * ns_per_fault comes from the median round: other processes on the machine inflate some rounds,
 * and the median ignores them where the mean (printed too) does not.
 */
static void run_fault_bench(enum mode mode, const char *path)
{
	uint64_t *round_ns = calloc(opt.rounds, sizeof(*round_ns));
	uint64_t faults = opt.rounds * opt.pages, total_ns = 0, kernel_faults = 0;
	int fd = create_file(path);
	double ns_per_fault;

	if (!round_ns)
		fail("calloc");
	/* The first round also faults in the program's own pages: it is not counted. */
	for (uint64_t round = 0; round <= opt.rounds; round++) {
		struct pass pass;

		round_of(mode, &pass, fd, path);
		if (!round)
			continue;
		round_ns[round - 1] = pass.ns;
		total_ns += pass.ns;
		kernel_faults += pass.kernel_faults;
	}
	if (close(fd) || unlink(path))
		fail("close and unlink %s", path);

	qsort(round_ns, opt.rounds, sizeof(*round_ns), compare_u64);
	ns_per_fault =
		(round_ns[(opt.rounds - 1) / 2] + round_ns[opt.rounds / 2]) / 2.0 / opt.pages;
	printf("{\"mode\":\"%s\",\"faults\":%" PRIu64 ",\"ns_per_fault\":%.1f,"
	       "\"faults_per_s\":%.0f,\"mean_ns_per_fault\":%.1f,\"kernel_faults\":%" PRIu64
	       ",\"pages\":%" PRIu64 ",\"stride\":%" PRIu64 ",\"rounds\":%" PRIu64
	       ",\"seconds\":%.3f}\n",
	       mode_names[mode], faults, ns_per_fault, 1e9 / ns_per_fault,
	       (double)total_ns / faults, kernel_faults, opt.pages, opt.stride, opt.rounds,
	       total_ns / 1e9);
	free(round_ns);
}

/*
 * daxtrace -v says when its attach completed ("attached N probe points at T s
 * (CLOCK_MONOTONIC)"): that beats the moment its line reaches us through the pipe.
 */
static bool reported_time(const char *line, uint64_t *ns)
{
	const char *at = strstr(line, " at ");
	double seconds;
	int end = 0;

	if (!at || sscanf(at, " at %lf s (CLOCK_MONOTONIC)%n", &seconds, &end) != 1 || !end)
		return false;
	*ns = seconds * 1e9;
	return true;
}

static pid_t exec_child;

static void interrupt_child(int sig)
{
	(void)sig;
	kill(exec_child, SIGINT);
}

/*
 * --interrupt repeats SIGINT every 100 ms until CMD exits: bpftrace 0.17 prints "Attaching"
 * before it attaches and loses a SIGINT that arrives during the attach.
 */
static void start_interrupting(void)
{
	struct sigaction action = { .sa_handler = interrupt_child, .sa_flags = SA_RESTART };
	struct itimerval every = { .it_interval = { 0, 100000 }, .it_value = { 0, 1 } };

	if (sigaction(SIGALRM, &action, NULL) || setitimer(ITIMER_REAL, &every, NULL))
		fail("setitimer");
}

static void run_exec_time(const char *text, char **cmd, bool interrupt)
{
	uint64_t *exec_ns, until_ns = 0;
	bool seen = false, reported = false;
	char *line = NULL, *last = NULL;
	size_t line_size = 0;
	struct rusage ru;
	int out[2], status;
	FILE *stream;
	pid_t child;

	/* The child writes its exec time here, as late as it can: fork is not CMD's start-up. */
	exec_ns = mmap(NULL, sizeof(*exec_ns), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	if (exec_ns == MAP_FAILED)
		fail("mmap");
	if (pipe2(out, O_CLOEXEC))
		fail("pipe");
	child = exec_child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		/* A shell starts background jobs with SIGINT ignored: --interrupt must work. */
		signal(SIGINT, SIG_DFL);
		if (dup2(out[1], STDOUT_FILENO) < 0 || dup2(out[1], STDERR_FILENO) < 0)
			_exit(126);
		*exec_ns = now_ns();
		execvp(cmd[0], cmd);
		printf("dt-bench: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	stream = fdopen(out[0], "r");
	if (!stream)
		fail("fdopen");
	/* Read to EOF even after the line: CMD must never block on a full pipe. */
	while (getline(&line, &line_size, stream) >= 0) {
		if (!seen && strstr(line, text)) {
			until_ns = now_ns();
			seen = true;
			reported = reported_time(line, &until_ns);
			if (interrupt)
				start_interrupting();
		}
		free(last);
		last = strdup(line);
	}
	/* EOF: CMD has exited or closed its output; stop interrupting before reaping it. */
	setitimer(ITIMER_REAL, &(struct itimerval){}, NULL);
	if (wait4(child, &status, 0, &ru) != child)
		fail("wait4");
	if (!seen)
		fail_result("%s never printed '%s' (exit status %d; last line: %s)", cmd[0], text,
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			    last ? last : "none\n");
	/* ru_maxrss is what /usr/bin/time -v prints as "Maximum resident set size". */
	printf("{\"mode\":\"exec-time\",\"startup_s\":%.6f,\"source\":\"%s\",\"maxrss_kb\":%ld,"
	       "\"status\":%d}\n",
	       (until_ns - *exec_ns) / 1e9, reported ? "reported" : "seen", ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	free(line);
	free(last);
}

static void usage(void)
{
	printf("usage: dt-bench [OPTIONS] MODE FILE\n"
	       "       dt-bench exec-time [--interrupt] TEXT -- CMD [ARG...]\n"
	       "\n"
	       "Fault microbenchmark: creates FILE, maps it MAP_SHARED and times one touch per page,\n"
	       "--rounds times (plus one untimed warm-up round), unmapping between rounds.\n"
	       "MODE:\n"
	       "  read     read faults (page cache: fault-around of a cached page)\n"
	       "  write    first-touch write faults (page cache: ->page_mkwrite)\n"
	       "  mkwrite  write-protect faults: the pages are read first, untimed\n"
	       "  cow      first-touch write faults on a fresh reflinked clone (FICLONE) of FILE\n"
	       "options:\n"
	       "  --pages N        pages touched per round (default 1024)\n"
	       "  --stride BYTES   distance between touched pages (default 65536)\n"
	       "  --rounds N       timed rounds (default 100)\n"
	       "\n"
	       "exec-time: runs CMD (stdout and stderr on a pipe) and reports the seconds from its\n"
	       "exec to the first line containing TEXT, and its peak RSS. --interrupt sends CMD\n"
	       "SIGINT from that line on, every 100 ms until it exits.\n"
	       "\n"
	       "Output: one JSON line. Exit status: 0 success, 1 a call failed, 2 usage error.\n");
}

enum option_id {
	OPTION_PAGES = 256,
	OPTION_STRIDE,
	OPTION_ROUNDS,
};

static const struct option long_options[] = {
	{ "pages", required_argument, NULL, OPTION_PAGES },
	{ "stride", required_argument, NULL, OPTION_STRIDE },
	{ "rounds", required_argument, NULL, OPTION_ROUNDS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "+": options end at the mode, so exec-time's CMD keeps its own options. */
static void parse_options(int argc, char **argv)
{
	int id;

	opterr = 0;
	while ((id = getopt_long(argc, argv, "+h", long_options, NULL)) != -1) {
		switch (id) {
		case OPTION_PAGES:
			opt.pages = parse_count("--pages", optarg);
			break;
		case OPTION_STRIDE:
			opt.stride = parse_count("--stride", optarg);
			break;
		case OPTION_ROUNDS:
			opt.rounds = parse_count("--rounds", optarg);
			break;
		case 'h':
			usage();
			exit(0);
		default:
			usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (opt.stride % BLOCK_BYTES)
		usage_error("--stride must be a multiple of %d", BLOCK_BYTES);
	if (opt.pages > SIZE_MAX / opt.stride)
		usage_error("--pages * --stride is too large");
}

int main(int argc, char **argv)
{
	char **args;
	int nr_args;

	parse_options(argc, argv);
	args = &argv[optind];
	nr_args = argc - optind;
	if (nr_args < 1)
		usage_error("no mode given");

	if (!strcmp(args[0], "exec-time")) {
		bool interrupt = nr_args > 1 && !strcmp(args[1], "--interrupt");

		args += interrupt;
		nr_args -= interrupt;
		if (nr_args < 4 || strcmp(args[2], "--"))
			usage_error("exec-time takes [--interrupt] TEXT -- CMD [ARG...]");
		run_exec_time(args[1], &args[3], interrupt);
		return 0;
	}
	for (size_t mode = 0; mode < sizeof(mode_names) / sizeof(mode_names[0]); mode++) {
		if (strcmp(args[0], mode_names[mode]))
			continue;
		if (nr_args != 2)
			usage_error("%s takes one argument: FILE", args[0]);
		run_fault_bench(mode, args[1]);
		return 0;
	}
	usage_error("unknown mode '%s'", args[0]);
}
