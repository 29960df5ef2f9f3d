/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options of the running kernel's build configuration, for a record's fingerprint: from
 * /proc/config.gz (CONFIG_IKCONFIG_PROC) or /boot/config-RELEASE, gzip or plain.
 */
#ifndef DAXTRACE_KERNEL_CONFIG_H
#define DAXTRACE_KERNEL_CONFIG_H

#include <stddef.h>

#define NR_DAX_CONFIG_OPTIONS 27
#define KERNEL_CONFIG_VALUE_LEN 64

/* The options a DAX behaviour or a daxtrace command depends on, NULL-terminated. */
extern const char *const dax_config_options[NR_DAX_CONFIG_OPTIONS + 1];

/*
 * Reads the first of paths[0..nr) that opens; values[i] gets options[i]'s value ("y", "m",
 * "1000", a string without its quotes) or "n" when the config does not set it. Returns the
 * index of the file read, or -1 when none opened (values untouched).
 */
int kernel_config_read(const char *const *paths, int nr, const char *const *options,
		       char (*values)[KERNEL_CONFIG_VALUE_LEN]);

#endif /* DAXTRACE_KERNEL_CONFIG_H */
