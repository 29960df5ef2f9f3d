/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracefs available_filter_functions, kept between runs. The kernel prints each line with %ps,
 * and a module function's name is found by a linear walk of its module's symbols
 * (find_kallsyms_symbol), for each of the thousands of XFS functions. In a TCG guest of 7.2
 * that read took 2 of daxtrace's 4.5 s of start-up (perf: 46 % of it in
 * find_kallsyms_symbol), at every start. The list changes only with a boot or a module loaded
 * or unloaded, so its names are kept in a file stamped with both, and read from there while
 * the stamp holds.
 */
#ifndef DAXTRACE_FTRACE_CACHE_H
#define DAXTRACE_FTRACE_CACHE_H

#include <stddef.h>

#include "engine/ksyms.h"

/* root's: a tmpfs, gone with the boot the list belongs to */
#define FTRACE_CACHE_PATH "/run/daxtrace/available_filter_functions"
#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"
#define MODULES_PATH "/proc/modules"

#define FTRACE_STAMP_SIZE 96

/*
 * The stamp of the running kernel's list: the boot's id and a hash of every loaded module's
 * name, size and address (a module reloaded, or rebuilt, changes it; its use counts do not
 * count). -errno if the boot id cannot be read: then nothing is cached.
 */
int ftrace_cache_stamp(char *stamp, size_t size, const char *boot_id_path,
		       const char *modules_path);

/*
 * The set kept at path under stamp. -ENOENT if there is none, its stamp differs, or the file
 * (or its directory) is not this user's own and closed to others: a list someone else wrote
 * must not pick the probes. Other -errno as name_set_read.
 */
int ftrace_cache_load(struct name_set *set, const char *path, const char *stamp);

/*
 * Keeps set at path under stamp, replacing the file at once (a reader sees the old or the new
 * one), its directory made 0700 if missing. -errno; a failure only costs the next start the
 * kernel's read.
 */
int ftrace_cache_store(const struct name_set *set, const char *path, const char *stamp);

#endif /* DAXTRACE_FTRACE_CACHE_H */
