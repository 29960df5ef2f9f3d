// SPDX-License-Identifier: GPL-2.0
/*
 * dt-workload: the deterministic workload behind daxtrace's tests. One invocation performs one
 * operation on one file (or a source/destination pair) and then prints one line of JSON saying
 * what it did, so a test can run `daxtrace ... -- dt-workload OP ...` and compare the counters
 * with exact numbers.
 *
 * Exactness is the whole point, so the traced file is touched only through the calls an
 * operation names: open/pread/pwrite/mmap/ioctl/fallocate/fsync, never stdio, and metadata
 * (fstat) only where an operation needs a size. Apart from its own executable, everything else
 * the program faults on is anonymous memory.
 *
 * Installed as daxtrace-workload (docs/daxtrace-workload.1), with the scenarios of
 * scenarios.c: several operations in a row, each in a process of its own, as one command.
 *
 * Exit status: 0 success, 1 a system call failed (message on stderr), 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "workload.h"

/*
 * PMD size on x86-64. A DAX PMD fault needs the virtual address and the file offset to be
 * aligned to it together and the VMA to cover the whole 2 MiB, so every file mapping starts on
 * this boundary: then whether a fault is PTE or PMD sized depends only on --huge/--nohuge,
 * --offset and the length, never on where mmap happened to place the mapping.
 */
#define PMD_BYTES (2UL << 20)

/* create writes in chunks this big: large enough that the allocator gets long extents. */
#define CREATE_CHUNK_BYTES (1UL << 20)

/* What madvise says of each file mapping: whether the kernel may try PMD faults there. */
enum thp_advice {
	ADVICE_NOHUGEPAGE, /* MADV_NOHUGEPAGE: 4 KiB faults only */
	ADVICE_HUGEPAGE, /* MADV_HUGEPAGE */
	ADVICE_NONE, /* no madvise: the kernel's default (DAX tries PMD faults) */
};

struct options {
	uint64_t stride;
	uint64_t offset;
	enum thp_advice advice;
	bool thp_disable; /* prctl(PR_SET_THP_DISABLE) before mapping */
	bool private_mapping;
	double hold_seconds;
	bool msync_after; /* msync(MS_SYNC) the mapping after touching it */
	uint64_t align; /* the mapping's address alignment */
};

/* The defaults give one 4K PTE fault per touched page, on DAX and page cache alike. */
static const struct options default_options = {
	.stride = 4096,
	.offset = 0,
	.advice = ADVICE_NOHUGEPAGE,
	.private_mapping = false,
	.align = PMD_BYTES,
};
static struct options opt;
/* An option other than --comm and --help was given: scenarios take none. */
static bool operation_options_given;

const char *op_name = "";
static size_t page_bytes;

/* A failed system call: name it and its errno text, exit 1. */
void fail(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	fprintf(stderr, "%s: %s: ", program_invocation_short_name, op_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved_errno));
	exit(1);
}

/* The operation ran but did not do what it promises (short I/O, no SIGBUS, ...): exit 1. */
void fail_result(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", program_invocation_short_name, op_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr,
		"\nusage: %s [OPTIONS] OP ARGS... | SCENARIO ARGS...; '%s --help' lists them\n",
		program_invocation_short_name, program_invocation_short_name);
	exit(2);
}

/* Decimal number with an optional binary suffix k, m or g (either case) when sizes allow one. */
static uint64_t parse_number(const char *what, const char *text, bool allow_suffix)
{
	unsigned int shift = 0;
	unsigned long long value;
	char *end;

	if (*text < '0' || *text > '9')
		usage_error("%s: '%s' is not a number", what, text);
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno)
		usage_error("%s: '%s' is out of range", what, text);
	if (allow_suffix && end[0] && !end[1]) {
		switch (end[0]) {
		case 'k':
		case 'K':
			shift = 10;
			end++;
			break;
		case 'm':
		case 'M':
			shift = 20;
			end++;
			break;
		case 'g':
		case 'G':
			shift = 30;
			end++;
			break;
		}
	}
	if (*end)
		usage_error("%s: '%s' is not a number%s", what, text,
			    allow_suffix ? " (suffixes: k, m, g)" : "");
	if (value > ((uint64_t)INT64_MAX >> shift))
		usage_error("%s: '%s' is out of range", what, text);
	return (uint64_t)value << shift;
}

static uint64_t parse_bytes(const char *what, const char *text)
{
	return parse_number(what, text, true);
}

/*
 * N of the page operations, which touch offset + i * stride for i in [0, N): those offsets
 * must fit in off_t and the N * stride bytes in one mapping. Options are parsed by now.
 */
static uint64_t parse_pages(const char *text)
{
	uint64_t pages = parse_number("N", text, false);

	if (!pages)
		usage_error("N must be at least 1");
	if (pages > (SIZE_MAX - 2 * opt.align) / opt.stride ||
	    opt.offset > INT64_MAX - pages * opt.stride)
		usage_error("N * --stride + --offset is too large");
	return pages;
}

static double parse_seconds(const char *text)
{
	double seconds;
	char *end;

	errno = 0;
	seconds = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(seconds) || seconds < 0 ||
	    seconds > 365 * 86400.0)
		usage_error("SECONDS: '%s' is not a number of seconds", text);
	return seconds;
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		fail("open %s", path);
	return fd;
}

/* A number in a sysfs attribute of the char device st_rdev: /sys/dev/char/MAJ:MIN/NAME. */
static uint64_t char_dev_attr(dev_t rdev, const char *name, const char *path)
{
	char attr[128];
	unsigned long long value;
	FILE *f;

	snprintf(attr, sizeof(attr), "/sys/dev/char/%u:%u/%s", major(rdev), minor(rdev), name);
	f = fopen(attr, "re");
	if (!f)
		fail("open %s (the %s of %s)", attr, name, path);
	if (fscanf(f, "%llu", &value) != 1)
		fail_result("%s (the %s of %s) holds no number", attr, name, path);
	fclose(f);
	return value;
}

static struct stat stat_fd(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st))
		fail("fstat %s", path);
	return st;
}

/* A device DAX char device (/dev/daxX.Y) has st_size 0: its size is in sysfs. */
static uint64_t file_size(int fd, const char *path)
{
	struct stat st = stat_fd(fd, path);

	return S_ISCHR(st.st_mode) ? char_dev_attr(st.st_rdev, "size", path) : (uint64_t)st.st_size;
}

/*
 * The smallest mapping unit: a page, or a device DAX's align (sysfs "align", since v5.10),
 * which its mmap requires of the mapping's start and end (drivers/dax/device.c check_vma).
 */
static uint64_t map_unit(int fd, const char *path)
{
	struct stat st = stat_fd(fd, path);

	return S_ISCHR(st.st_mode) ? char_dev_attr(st.st_rdev, "align", path) : page_bytes;
}

static void close_file(int fd, const char *path)
{
	if (close(fd))
		fail("close %s", path);
}

/*
 * Byte i of every buffer written, so a file's contents depend on the offset only: two files made
 * by create agree byte for byte, which FIDEDUPERANGE needs. Never zero, so no part of the file
 * can be mistaken for a hole or for zeroed blocks.
 */
static unsigned char pattern_byte(size_t i)
{
	return i % 251 + 1;
}

static unsigned char *pattern_buffer(size_t bytes)
{
	unsigned char *buffer = malloc(bytes);

	if (!buffer)
		fail("malloc %zu bytes", bytes);
	for (size_t i = 0; i < bytes; i++)
		buffer[i] = pattern_byte(i);
	return buffer;
}

/* JSON report: "op" and "pid" always, then the fields that describe this operation. */
void report_begin(pid_t pid)
{
	printf("{\"op\":\"%s\",\"pid\":%d", op_name, (int)pid);
}

void report_number(const char *key, uint64_t value)
{
	printf(",\"%s\":%" PRIu64, key, value);
}

void report_end(void)
{
	printf("}\n");
	if (fflush(stdout))
		fail("write stdout");
}

/* Everything the memory-mapped operations print, so mwrite and its variants agree. */
static void report_mapping(uint64_t pages)
{
	report_number("pages", pages);
	report_number("stride", opt.stride);
	report_number("offset", opt.offset);
	report_number("private", opt.private_mapping);
	report_number("huge", opt.advice == ADVICE_HUGEPAGE);
	report_number("thp_disable", opt.thp_disable);
}

/* len rounded up to whole --align (2 MiB): the address space a file mapping keeps to itself. */
static size_t map_span(size_t len)
{
	return (len + opt.align - 1) & ~(size_t)(opt.align - 1);
}

/*
 * Map [offset, offset + len) of fd at an --align (2 MiB) aligned address. mmap only promises
 * page alignment, so reserve len rounded up to --align (its span), plus --align, of PROT_NONE
 * address space, place the file mapping with MAP_FIXED at the first boundary inside it and
 * give back the slack on either side, except up to the span's end: no other mapping can share
 * a page table (PMD) with it, so whether the kernel tries a PMD fault depends on this
 * mapping's own faults only (an earlier PTE fault in the range leaves a page table). With
 * --align 1g no other mapping shares its PUD entry either: the first fault finds it empty,
 * and the kernel tries a PUD fault (device DAX) exactly once per 1 GiB region.
 * map_sync: MAP_SHARED_VALIDATE | MAP_SYNC, which only DAX files on a synchronous device
 * accept (EOPNOTSUPP on the page cache and on virtio-pmem).
 */
static char *map_file(int fd, const char *path, uint64_t offset, size_t len, int prot,
		      bool map_sync)
{
	int share = opt.private_mapping ? MAP_PRIVATE : MAP_SHARED;
	size_t span = map_span(len);
	size_t reserve_len = span + opt.align;
	uintptr_t reserve, aligned;
	size_t head, tail;
	char *addr;

	addr = mmap(NULL, reserve_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		    0);
	if (addr == MAP_FAILED)
		fail("mmap %zu bytes of address space", reserve_len);
	reserve = (uintptr_t)addr;
	aligned = (reserve + opt.align - 1) & ~(opt.align - 1);

	if (map_sync)
		share = MAP_SHARED_VALIDATE | MAP_SYNC;
	addr = mmap((void *)aligned, len, prot, share | MAP_FIXED, fd, offset);
	if (addr == MAP_FAILED)
		fail("mmap%s %s offset %" PRIu64 " length %zu", map_sync ? " MAP_SYNC" : "", path,
		     offset, len);

	head = aligned - reserve;
	tail = reserve_len - head - span;
	if (head && munmap((void *)reserve, head))
		fail("munmap %zu bytes below the mapping", head);
	if (tail && munmap((void *)(aligned + span), tail))
		fail("munmap %zu bytes above the mapping", tail);

	/*
	 * MADV_NOHUGEPAGE is what keeps DAX faults at PTE size: the kernel tries a DAX PMD fault
	 * whenever the VMA allows one, whatever /sys/kernel/mm/transparent_hugepage/enabled says,
	 * and it also stops a PMD-sized page-cache folio from being mapped by one PMD. Kernels
	 * without THP reject both advices with EINVAL; they never map huge pages, so --nohuge
	 * already holds there, while --huge cannot be honoured.
	 */
	if (opt.advice == ADVICE_NONE)
		return addr;
	if (madvise(addr, len, opt.advice == ADVICE_HUGEPAGE ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
	    (opt.advice == ADVICE_HUGEPAGE || errno != EINVAL))
		fail("madvise %s on %s",
		     opt.advice == ADVICE_HUGEPAGE ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE", path);
	return addr;
}

/* The mapping and the PROT_NONE rest of its last 2 MiB (map_file). */
static void unmap_file(char *addr, size_t len, const char *path)
{
	if (munmap(addr, map_span(len)))
		fail("munmap %s", path);
}

/* Keeps the compiler from dropping reads whose value nobody uses. */
static volatile unsigned char read_sink;

static void read_pages(const char *addr, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		read_sink += *(const volatile char *)(addr + i * opt.stride);
}

static void write_pages(char *addr, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		*(volatile char *)(addr + i * opt.stride) = 0x5a;
}

enum mapping_access {
	ACCESS_READ,
	ACCESS_WRITE,
	ACCESS_READ_THEN_WRITE,
	ACCESS_SYNC_WRITE, /* writes through a MAP_SYNC mapping */
};

/*
 * Length of the mapping for pages touched at offset + i * stride. Touching a page wholly past
 * EOF raises SIGBUS, so refuse up front with a message instead (past-eof exists for that).
 */
static size_t mapping_len(int fd, const char *path, uint64_t pages)
{
	uint64_t last_page = opt.offset + (pages - 1) * opt.stride;
	uint64_t size = file_size(fd, path);

	if (last_page >= size)
		fail_result("%s is %" PRIu64 " bytes: the page at offset %" PRIu64
			    " lies past EOF (use past-eof to provoke SIGBUS)",
			    path, size, last_page);
	return pages * opt.stride;
}

static struct timespec deadline_after(double seconds)
{
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)seconds;
	deadline.tv_nsec += (long)((seconds - (time_t)seconds) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	return deadline;
}

void sleep_seconds(double seconds)
{
	struct timespec deadline = deadline_after(seconds);
	int err;

	while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL)))
		if (err != EINTR) {
			errno = err;
			fail("clock_nanosleep");
		}
}

/*
 * One mapping, one pass over its pages, unmapped again so that the next pass faults afresh;
 * --hold keeps it mapped a while first (for readers of /proc/PID/pagemap).
 */
static void mapping_pass(int fd, const char *path, uint64_t pages, size_t len,
			 enum mapping_access access)
{
	int prot = access == ACCESS_READ ? PROT_READ : PROT_READ | PROT_WRITE;
	char *addr = map_file(fd, path, opt.offset, len, prot, access == ACCESS_SYNC_WRITE);

	switch (access) {
	case ACCESS_READ:
		read_pages(addr, pages);
		break;
	case ACCESS_WRITE:
	case ACCESS_SYNC_WRITE:
		write_pages(addr, pages);
		break;
	case ACCESS_READ_THEN_WRITE:
		/* Read faults map the pages read-only; the writes then take write-protect faults. */
		read_pages(addr, pages);
		write_pages(addr, pages);
		break;
	}
	/* DAX: writes back (flushes the CPU caches of) every page dirtied through the mapping. */
	if (opt.msync_after && msync(addr, len, MS_SYNC))
		fail("msync %s", path);
	if (opt.hold_seconds > 0) {
		/* stderr, so that stdout stays one JSON line: tests wait for this one. */
		fprintf(stderr, "%s: holding %s mapped for %g s\n", program_invocation_short_name,
			path, opt.hold_seconds);
		sleep_seconds(opt.hold_seconds);
	}
	unmap_file(addr, len, path);
}

static void mapping_op(char **args, enum mapping_access access)
{
	const char *path = args[0];
	uint64_t pages = parse_pages(args[1]);
	/* A MAP_PRIVATE writable mapping only needs read access to the file. */
	bool writes_file = access != ACCESS_READ && !opt.private_mapping;
	int fd = open_file(path, writes_file ? O_RDWR : O_RDONLY);
	size_t len = mapping_len(fd, path, pages);

	mapping_pass(fd, path, pages, len, access);
	close_file(fd, path);

	report_begin(getpid());
	report_mapping(pages);
	report_number("sigbus", 0);
	report_end();
}

static void op_mread(char **args)
{
	mapping_op(args, ACCESS_READ);
}

static void op_mwrite(char **args)
{
	mapping_op(args, ACCESS_WRITE);
}

static void op_mreadwrite(char **args)
{
	mapping_op(args, ACCESS_READ_THEN_WRITE);
}

static void op_create(char **args)
{
	const char *path = args[0];
	uint64_t size = parse_bytes("SIZE", args[1]);
	unsigned char *chunk = pattern_buffer(CREATE_CHUNK_BYTES);
	int fd = open_file(path, O_WRONLY | O_CREAT | O_TRUNC);

	for (uint64_t done = 0; done < size;) {
		size_t want = size - done < CREATE_CHUNK_BYTES ? size - done : CREATE_CHUNK_BYTES;
		ssize_t written = pwrite(fd, chunk, want, done);

		if (written < 0)
			fail("pwrite %s offset %" PRIu64, path, done);
		if (!written)
			fail_result("pwrite %s offset %" PRIu64 " wrote nothing", path, done);
		done += written;
	}
	/* Write back now, so delayed allocation is resolved and every extent is real. */
	if (fsync(fd))
		fail("fsync %s", path);
	close_file(fd, path);
	free(chunk);

	report_begin(getpid());
	report_number("bytes", size);
	report_end();
}

/*
 * MAP_SYNC writes. On DAX, a write fault whose block is new (or whose inode has metadata not
 * yet on media) returns VM_FAULT_NEEDDSYNC and the filesystem syncs before the page is
 * writable: mwrite-sync-new's fresh sparse file allocates; mwrite-sync over blocks written and
 * synced beforehand (create, then its own fsync) has nothing to sync.
 */
static void sync_write_op(char **args, bool fresh)
{
	const char *path = args[0];
	uint64_t pages = parse_pages(args[1]);
	uint64_t size = opt.offset + pages * opt.stride; /* where the mapping ends: PMDs fit */
	int fd;

	if (opt.private_mapping)
		usage_error("--private: MAP_SYNC needs a shared mapping");
	fd = open_file(path, fresh ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR);
	if (fresh && ftruncate(fd, (off_t)size))
		fail("ftruncate %s to %" PRIu64 " bytes", path, size);
	/*
	 * Blocks written and synced: XFS logs the inode again when the writer of a file closes it
	 * (post-EOF blocks trimmed), which makes the next MAP_SYNC write fault sync; fsync first.
	 */
	if (!fresh && fsync(fd))
		fail("fsync %s", path);
	mapping_pass(fd, path, pages, mapping_len(fd, path, pages), ACCESS_SYNC_WRITE);
	close_file(fd, path);

	report_begin(getpid());
	report_mapping(pages);
	report_number("map_sync", 1);
	report_number("fresh", fresh);
	report_end();
}

static void op_mwrite_sync(char **args)
{
	sync_write_op(args, false);
}

static void op_mwrite_sync_new(char **args)
{
	sync_write_op(args, true);
}

/*
 * COUNT files PREFIX0 .. PREFIX<COUNT-1> in one process (the soak needs many files per
 * process): each created (O_TRUNC) sparse, just long enough for N pages at offset + i*stride,
 * then mapped and written like mwrite. Every touched page is a hole, so each write fault gets
 * a fresh folio of its own and calls ->page_mkwrite once.
 */
static void op_mwrite_files(char **args)
{
	const char *prefix = args[0];
	uint64_t count = parse_number("COUNT", args[1], false);
	uint64_t pages = parse_pages(args[2]);
	uint64_t size = opt.offset + (pages - 1) * opt.stride + page_bytes;
	size_t path_len = strlen(prefix) + 24;
	char *path = malloc(path_len);

	if (!path)
		fail("malloc %zu bytes", path_len);
	for (uint64_t i = 0; i < count; i++) {
		int fd;

		snprintf(path, path_len, "%s%" PRIu64, prefix, i);
		fd = open_file(path, O_RDWR | O_CREAT | O_TRUNC);
		if (ftruncate(fd, (off_t)size))
			fail("ftruncate %s to %" PRIu64 " bytes", path, size);
		mapping_pass(fd, path, pages, mapping_len(fd, path, pages), ACCESS_WRITE);
		close_file(fd, path);
	}
	free(path);

	report_begin(getpid());
	report_number("files", count);
	report_mapping(pages);
	report_number("total_pages", count * pages);
	report_end();
}

/* The file offsets of pwrite/pread: offset + i * stride, one page each. */
static void page_io_op(char **args, bool write)
{
	const char *path = args[0];
	uint64_t pages = parse_pages(args[1]);
	unsigned char *buffer = pattern_buffer(page_bytes);
	int fd = open_file(path, write ? O_WRONLY : O_RDONLY);
	uint64_t bytes = 0;

	/*
	 * Only the named pages: a pread that misses the page cache would otherwise start
	 * readahead and read (and trace) neighbours nobody asked for.
	 */
	if (!write) {
		errno = posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
		if (errno)
			fail("posix_fadvise POSIX_FADV_RANDOM %s", path);
	}
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t offset = opt.offset + i * opt.stride;
		const char *call = write ? "pwrite" : "pread";
		ssize_t done = write ? pwrite(fd, buffer, page_bytes, offset) :
				       pread(fd, buffer, page_bytes, offset);

		if (done < 0)
			fail("%s %s offset %" PRIu64, call, path, offset);
		/* A read stops at EOF, so only the last page of a file may come back short. */
		if (!done || (write && (size_t)done != page_bytes))
			fail_result("%s %s offset %" PRIu64 ": %zd of %zu bytes%s", call, path,
				    offset, done, page_bytes, write ? "" : " (past EOF)");
		bytes += done;
	}
	close_file(fd, path);
	free(buffer);

	report_begin(getpid());
	report_number("pages", pages);
	report_number("stride", opt.stride);
	report_number("offset", opt.offset);
	report_number("bytes", bytes);
	report_end();
}

static void op_pwrite(char **args)
{
	page_io_op(args, true);
}

static void op_pread(char **args)
{
	page_io_op(args, false);
}

static void op_fsync(char **args)
{
	const char *path = args[0];
	int fd = open_file(path, O_RDONLY);

	if (fsync(fd))
		fail("fsync %s", path);
	close_file(fd, path);

	report_begin(getpid());
	report_end();
}

static void op_clone(char **args)
{
	const char *src_path = args[0], *dst_path = args[1];
	int src = open_file(src_path, O_RDONLY);
	int dst = open_file(dst_path, O_WRONLY | O_CREAT | O_TRUNC);
	uint64_t bytes = file_size(src, src_path);

	if (ioctl(dst, FICLONE, src))
		fail("ioctl FICLONE %s -> %s", src_path, dst_path);
	close_file(dst, dst_path);
	close_file(src, src_path);

	report_begin(getpid());
	report_number("bytes", bytes);
	report_end();
}

static void op_clonerange(char **args)
{
	const char *src_path = args[0], *dst_path = args[1];
	struct file_clone_range range = {
		.src_offset = parse_bytes("SRC_OFF", args[2]),
		.src_length = parse_bytes("LEN", args[3]),
		.dest_offset = parse_bytes("DST_OFF", args[4]),
	};
	int src = open_file(src_path, O_RDONLY);
	/* No O_TRUNC: cloning into the middle of an existing file is the point of a range. */
	int dst = open_file(dst_path, O_WRONLY | O_CREAT);
	uint64_t bytes = range.src_length;

	/* LEN 0 asks the kernel to clone up to the source's EOF: report what that came to. */
	if (!bytes) {
		uint64_t src_size = file_size(src, src_path);

		bytes = src_size > range.src_offset ? src_size - range.src_offset : 0;
	}
	range.src_fd = src;
	if (ioctl(dst, FICLONERANGE, &range))
		fail("ioctl FICLONERANGE %s -> %s", src_path, dst_path);
	close_file(dst, dst_path);
	close_file(src, src_path);

	report_begin(getpid());
	report_number("src_offset", range.src_offset);
	report_number("bytes", bytes);
	report_number("dst_offset", range.dest_offset);
	report_end();
}

static void op_dedupe(char **args)
{
	const char *src_path = args[0], *dst_path = args[1];
	uint64_t offset = parse_bytes("OFF", args[2]);
	uint64_t len = parse_bytes("LEN", args[3]);
	struct file_dedupe_range *range;
	struct file_dedupe_range_info *dest;
	int src, dst;
	bool same;

	range = calloc(1, sizeof(*range) + sizeof(*dest));
	if (!range)
		fail("calloc");
	src = open_file(src_path, O_RDONLY);
	/* The kernel dedupes into a destination only if it is open for writing (or we own it). */
	dst = open_file(dst_path, O_WRONLY);

	range->src_offset = offset;
	range->src_length = len;
	range->dest_count = 1;
	dest = &range->info[0];
	dest->dest_fd = dst;
	dest->dest_offset = offset;
	if (ioctl(src, FIDEDUPERANGE, range))
		fail("ioctl FIDEDUPERANGE %s -> %s", src_path, dst_path);
	if (dest->status < 0) {
		errno = -dest->status;
		fail("FIDEDUPERANGE %s -> %s", src_path, dst_path);
	}
	/* Differing data is an answer, not an error: a test may want to see no remap. */
	same = dest->status == FILE_DEDUPE_RANGE_SAME;
	close_file(dst, dst_path);
	close_file(src, src_path);

	report_begin(getpid());
	report_number("offset", offset);
	report_number("bytes", dest->bytes_deduped);
	report_number("same", same);
	report_end();
	free(range);
}

static void op_unshare(char **args)
{
	const char *path = args[0];
	uint64_t offset = parse_bytes("OFF", args[1]);
	uint64_t len = parse_bytes("LEN", args[2]);
	int fd = open_file(path, O_WRONLY);

	if (fallocate(fd, FALLOC_FL_UNSHARE_RANGE, offset, len))
		fail("fallocate FALLOC_FL_UNSHARE_RANGE %s offset %" PRIu64 " length %" PRIu64,
		     path, offset, len);
	close_file(fd, path);

	report_begin(getpid());
	report_number("offset", offset);
	report_number("bytes", len);
	report_end();
}

static sigjmp_buf sigbus_return;

static void on_sigbus(int signo)
{
	(void)signo;
	siglongjmp(sigbus_return, 1);
}

/*
 * Read the first page wholly past EOF, through a mapping that also covers the last page of the
 * file: mmap accepts a range past EOF, but the fault on it must fail with VM_FAULT_SIGBUS and
 * the kernel then sends SIGBUS. Catching it keeps the exit status 0, so the test judges only
 * what the tracer saw.
 */
static void op_past_eof(char **args)
{
	const char *path = args[0];
	int fd = open_file(path, O_RDONLY);
	uint64_t size = file_size(fd, path), unit = map_unit(fd, path);
	uint64_t end_of_pages = (size + unit - 1) / unit * unit;
	struct sigaction action = { .sa_handler = on_sigbus };
	size_t len = 2 * unit;
	char *addr;

	if (!size)
		fail_result("%s is empty: past-eof needs a file of at least one byte", path);
	addr = map_file(fd, path, end_of_pages - unit, len, PROT_READ, false);
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGBUS, &action, NULL))
		fail("sigaction SIGBUS");
	/* Save the signal mask too, so that SIGBUS is not left blocked after the jump. */
	if (!sigsetjmp(sigbus_return, 1)) {
		read_pages(addr + unit, 1);
		fail_result("reading %s at offset %" PRIu64 " (EOF is %" PRIu64
			    ") did not raise SIGBUS",
			    path, end_of_pages, size);
	}
	unmap_file(addr, len, path);
	close_file(fd, path);

	report_begin(getpid());
	report_number("pages", 1);
	report_number("offset", end_of_pages);
	report_number("size", size);
	report_number("sigbus", 1);
	report_end();
}

/*
 * Poison the first page of FILE with madvise(MADV_HWPOISON) (root, CONFIG_MEMORY_FAILURE), while
 * this process maps it, and the first page of FILE2 too when given (a reflinked copy: the same
 * pmem page then has two owners). memory_failure() looks the owners up and sends them SIGBUS;
 * that is the point, so SIGBUS is caught and counted, and madvise's own result reported. The
 * kernel may also kill the process outright (6.12 oopses here: docs/findings.md).
 */
static void poison(const char *file, const char *file2)
{
	const char *paths[2] = { file, file2 };
	struct sigaction action = { .sa_handler = on_sigbus };
	volatile int sigbus = 0, madvise_errno = 0;
	char *addr[2] = {};
	int fd[2] = { -1, -1 };

	for (int i = 0; i < 2 && paths[i]; i++) {
		fd[i] = open_file(paths[i], O_RDWR);
		addr[i] = map_file(fd[i], paths[i], 0, page_bytes, PROT_READ | PROT_WRITE, false);
		read_pages(addr[i], 1);
	}
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGBUS, &action, NULL))
		fail("sigaction SIGBUS");
	if (sigsetjmp(sigbus_return, 1))
		sigbus++;
	else if (madvise(addr[0], page_bytes, MADV_HWPOISON))
		madvise_errno = errno;

	report_begin(getpid());
	report_number("files", paths[1] ? 2 : 1);
	report_number("madvise_errno", madvise_errno);
	report_number("sigbus", sigbus);
	report_end();
}

static void op_poison(char **args)
{
	poison(args[0], NULL);
}

static void op_poison_shared(char **args)
{
	poison(args[0], args[1]);
}

static bool deadline_passed(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/*
 * Signals keep their default actions, so SIGINT or SIGTERM ends the process the ordinary way;
 * an absolute deadline keeps the total time right if a stop/continue interrupts the sleep.
 */
static void op_hold(char **args)
{
	double seconds = parse_seconds(args[0]);

	sleep_seconds(seconds);
	report_begin(getpid());
	printf(",\"seconds\":%g", seconds);
	report_end();
}

/* Background load: one fresh mapping per pass, so every pass takes N write faults again. */
static void op_spin_mwrite(char **args)
{
	const char *path = args[0];
	uint64_t pages = parse_pages(args[1]);
	double seconds = parse_seconds(args[2]);
	struct timespec deadline = deadline_after(seconds);
	int fd = open_file(path, opt.private_mapping ? O_RDONLY : O_RDWR);
	size_t len = mapping_len(fd, path, pages);
	uint64_t passes = 0;

	do {
		mapping_pass(fd, path, pages, len, ACCESS_WRITE);
		passes++;
	} while (!deadline_passed(&deadline));
	close_file(fd, path);

	/* "pages" counts every page touched, over all passes. */
	report_begin(getpid());
	report_mapping(passes * pages);
	report_number("passes", passes);
	report_number("sigbus", 0);
	report_end();
}

/*
 * The parent opens nothing and maps nothing, so every fault on the file belongs to the child
 * and a tracer that misses forked children counts zero.
 */
static void op_fork_mwrite(char **args)
{
	const char *path = args[0];
	uint64_t pages = parse_pages(args[1]);
	int status;
	pid_t child;

	child = fork();
	if (child < 0)
		fail("fork");
	if (!child) {
		int fd = open_file(path, opt.private_mapping ? O_RDONLY : O_RDWR);

		mapping_pass(fd, path, pages, mapping_len(fd, path, pages), ACCESS_WRITE);
		close_file(fd, path);
		_exit(0);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			fail("waitpid %d", (int)child);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_result("child %d did not succeed (wait status 0x%x)", (int)child, status);

	report_begin(getpid());
	report_number("child_pid", child);
	report_mapping(pages);
	report_number("sigbus", 0);
	report_end();
}

struct operation {
	const char *name;
	const char *args;
	int nr_args;
	void (*run)(char **args);
	const char *help;
};

static const struct operation operations[] = {
	{ "create", "FILE SIZE", 2, op_create,
	  "create (O_TRUNC) FILE of SIZE bytes of a non-zero pattern, pwrite in 1 MiB chunks, fsync" },
	{ "mread", "FILE N", 2, op_mread,
	  "map FILE PROT_READ, read one byte at offset + i*stride for i in [0, N)" },
	{ "mwrite", "FILE N", 2, op_mwrite,
	  "map FILE read-write, write one byte per page: every first touch is a write fault" },
	{ "mreadwrite", "FILE N", 2, op_mreadwrite,
	  "read all N pages, then write them: read faults, then write-protect (mkwrite) faults" },
	{ "mwrite-sync", "FILE N", 2, op_mwrite_sync,
	  "fsync FILE, then mwrite it through a MAP_SHARED_VALIDATE|MAP_SYNC mapping (DAX\n"
	  "      only): blocks already written (create) and synced need no sync fault" },
	{ "mwrite-sync-new", "FILE N", 2, op_mwrite_sync_new,
	  "create FILE (O_TRUNC) sparse, as long as the mapping, then mwrite-sync it: a write\n"
	  "      that allocates is a sync fault (VM_FAULT_NEEDDSYNC)" },
	{ "pwrite", "FILE N", 2, op_pwrite,
	  "pwrite one page at offset + i*stride for i in [0, N)" },
	{ "pread", "FILE N", 2, op_pread,
	  "pread one page at offset + i*stride for i in [0, N), readahead off" },
	{ "fsync", "FILE", 1, op_fsync, "fsync FILE" },
	{ "clone", "SRC DST", 2, op_clone, "create DST and reflink all of SRC into it (FICLONE)" },
	{ "clonerange", "SRC DST SRC_OFF LEN DST_OFF", 5, op_clonerange,
	  "reflink a range of SRC into DST, created if missing (FICLONERANGE; LEN 0: to EOF)" },
	{ "dedupe", "SRC DST OFF LEN", 4, op_dedupe,
	  "FIDEDUPERANGE [OFF, OFF+LEN) of SRC with the same range of DST" },
	{ "unshare", "FILE OFF LEN", 3, op_unshare,
	  "fallocate(FALLOC_FL_UNSHARE_RANGE): copy shared extents of the range" },
	{ "past-eof", "FILE", 1, op_past_eof,
	  "read the first page wholly past EOF through a mapping, catch the SIGBUS" },
	{ "poison", "FILE", 1, op_poison,
	  "map page 0 of FILE, madvise(MADV_HWPOISON) it, count the SIGBUS received" },
	{ "poison-shared", "FILE FILE2", 2, op_poison_shared,
	  "the same with page 0 of FILE2 (a reflinked copy) mapped too" },
	{ "hold", "SECONDS", 1, op_hold, "sleep SECONDS (fractions allowed), touching nothing" },
	{ "spin-mwrite", "FILE N SECONDS", 3, op_spin_mwrite,
	  "repeat map + mwrite N + unmap passes until SECONDS have passed" },
	{ "fork-mwrite", "FILE N", 2, op_fork_mwrite,
	  "fork a child that does mwrite FILE N and wait; the parent touches nothing" },
	{ "mwrite-files", "PREFIX COUNT N", 3, op_mwrite_files,
	  "create COUNT sparse files PREFIX0.. and mwrite N pages of each, in one process" },
};

#define NR_OPERATIONS (sizeof(operations) / sizeof(operations[0]))

static void usage(FILE *stream)
{
	const char *name = program_invocation_short_name;

	fprintf(stream,
		"usage: %s [OPTIONS] OP ARGS...\n"
		"       %s [--comm NAME] SCENARIO ARGS...\n"
		"\n"
		"Performs one operation on a file, touching exactly what the operation names, then\n"
		"prints one line of JSON describing it. Sizes and offsets take suffixes k, m, g.\n"
		"A scenario runs several operations, each in a process of its own.\n"
		"\n"
		"operations:\n",
		name, name);
	for (size_t i = 0; i < NR_OPERATIONS; i++) {
		const struct operation *op = &operations[i];

		fprintf(stream, "  %s %s\n      %s\n", op->name, op->args, op->help);
	}
	fprintf(stream, "\nscenarios:\n");
	scenarios_usage(stream);
	fprintf(stream,
		"\n"
		"options (before or after the operation):\n"
		"  --stride BYTES  distance between touched pages (default 4096)\n"
		"  --offset BYTES  file offset of the mapping / first page (default 0, page aligned)\n"
		"  --huge          madvise(MADV_HUGEPAGE) the mapping, allowing PMD faults\n"
		"  --nohuge        madvise(MADV_NOHUGEPAGE) the mapping (default: 4K PTE faults)\n"
		"  --noadvice      no madvise: the kernel's default (DAX: PMD faults tried)\n"
		"  --nothp         prctl(PR_SET_THP_DISABLE) first: no PMD fault is tried\n"
		"  --private       MAP_PRIVATE instead of MAP_SHARED\n"
		"  --hold SECONDS  keep the mapping that long after touching it (mread, mwrite, ...)\n"
		"  --msync         msync(MS_SYNC) the whole mapping after touching it\n"
		"  --align BYTES   address alignment of the mapping, a power of two (default 2m;\n"
		"                  1g: device DAX PUD attempts, one per 1 GiB region touched)\n"
		"  --comm NAME     set the process name (prctl PR_SET_NAME, cut to 15 bytes), any\n"
		"                  bytes: daxtrace must show a hostile name without harm\n"
		"  -h, --help      this text\n"
		"\n"
		"Mappings start at a 2 MiB (--align) aligned address. FILE may be a device DAX\n"
		"char device (/dev/daxX.Y): its size and align come from sysfs. Exit status: 0 success, 1 a call failed\n"
		"(or a scenario's step did), 2 usage error. The counts each one produces are in\n"
		"daxtrace-workload(1).\n");
}

enum option_id {
	OPTION_STRIDE = 256,
	OPTION_OFFSET,
	OPTION_HUGE,
	OPTION_NOHUGE,
	OPTION_NO_ADVICE,
	OPTION_THP_DISABLE,
	OPTION_PRIVATE,
	OPTION_HOLD,
	OPTION_MSYNC,
	OPTION_COMM,
	OPTION_ALIGN,
};

static const struct option long_options[] = {
	{ "stride", required_argument, NULL, OPTION_STRIDE },
	{ "offset", required_argument, NULL, OPTION_OFFSET },
	{ "huge", no_argument, NULL, OPTION_HUGE },
	{ "nohuge", no_argument, NULL, OPTION_NOHUGE },
	{ "noadvice", no_argument, NULL, OPTION_NO_ADVICE },
	{ "nothp", no_argument, NULL, OPTION_THP_DISABLE },
	{ "private", no_argument, NULL, OPTION_PRIVATE },
	{ "hold", required_argument, NULL, OPTION_HOLD },
	{ "msync", no_argument, NULL, OPTION_MSYNC },
	{ "comm", required_argument, NULL, OPTION_COMM },
	{ "align", required_argument, NULL, OPTION_ALIGN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parses argv from the start (optind 0: getopt's state too), into opt from its defaults. */
static void parse_options(int argc, char **argv)
{
	int id;

	opt = default_options;
	operation_options_given = false;
	optind = 0;
	/* opterr = 0: report bad options through usage_error, with the usage text. */
	opterr = 0;
	while ((id = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		if (id != OPTION_COMM && id != 'h')
			operation_options_given = true;
		switch (id) {
		case OPTION_STRIDE:
			opt.stride = parse_bytes("--stride", optarg);
			break;
		case OPTION_OFFSET:
			opt.offset = parse_bytes("--offset", optarg);
			break;
		case OPTION_HUGE:
			opt.advice = ADVICE_HUGEPAGE;
			break;
		case OPTION_NOHUGE:
			opt.advice = ADVICE_NOHUGEPAGE;
			break;
		case OPTION_NO_ADVICE:
			opt.advice = ADVICE_NONE;
			break;
		case OPTION_THP_DISABLE:
			/* for the whole process, before any mapping: mm->flags MMF_DISABLE_THP */
			if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
				fail("prctl(PR_SET_THP_DISABLE)");
			opt.thp_disable = true;
			break;
		case OPTION_PRIVATE:
			opt.private_mapping = true;
			break;
		case OPTION_HOLD:
			opt.hold_seconds = parse_seconds(optarg);
			break;
		case OPTION_MSYNC:
			opt.msync_after = true;
			break;
		case OPTION_ALIGN:
			opt.align = parse_bytes("--align", optarg);
			break;
		case OPTION_COMM:
			/* now, before the operation touches the file: its rows carry this name */
			if (prctl(PR_SET_NAME, optarg))
				fail("prctl(PR_SET_NAME)");
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	/* Each touch must land on a page of its own, and mmap needs page-aligned offsets. */
	if (!opt.stride || opt.stride % page_bytes)
		usage_error("--stride must be a non-zero multiple of the page size (%zu)",
			    page_bytes);
	if (opt.offset % page_bytes)
		usage_error("--offset must be a multiple of the page size (%zu)", page_bytes);
	if (opt.align < page_bytes || opt.align & (opt.align - 1) || opt.align > (1ULL << 40))
		usage_error("--align must be a power of two from the page size (%zu) to 1t",
			    page_bytes);
}

static const struct operation *find_operation(const char *name)
{
	for (size_t i = 0; i < NR_OPERATIONS; i++)
		if (!strcmp(name, operations[i].name))
			return &operations[i];
	return NULL;
}

static void run_operation(const struct operation *op, char **args, int nr_args)
{
	op_name = op->name;
	if (nr_args != op->nr_args)
		usage_error("%s takes %d arguments: %s %s", op->name, op->nr_args, op->name,
			    op->args);
	op->run(args);
}

void operation_main(int argc, char **argv)
{
	const struct operation *op;

	parse_options(argc, argv);
	if (optind >= argc)
		usage_error("no operation given");
	op = find_operation(argv[optind]);
	if (!op)
		usage_error("unknown operation '%s'", argv[optind]);
	run_operation(op, &argv[optind + 1], argc - optind - 1);
}

int main(int argc, char **argv)
{
	const struct scenario *scenario;
	const struct operation *op;
	char **args;
	int nr_args;

	page_bytes = sysconf(_SC_PAGESIZE);
	parse_options(argc, argv);
	if (optind >= argc)
		usage_error("no operation given");
	args = &argv[optind + 1];
	nr_args = argc - optind - 1;

	op = find_operation(argv[optind]);
	if (op) {
		run_operation(op, args, nr_args);
		return 0;
	}
	scenario = scenario_find(argv[optind]);
	if (!scenario)
		usage_error("unknown operation or scenario '%s'", argv[optind]);
	op_name = scenario_name(scenario);
	/* Its steps set their own: an option here would apply to some and not to others. */
	if (operation_options_given)
		usage_error("%s is a scenario: it takes no options but --comm", op_name);
	return scenario_run(scenario, args, nr_args);
}
