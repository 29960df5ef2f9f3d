/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this binary is: daxtrace's version (debian/changelog), the commit it was built from and
 * the libbpf it links. One place for `daxtrace --version` and the exporter's
 * daxtrace_build_info{version,libbpf,kernel}.
 */
#ifndef DAXTRACE_VERSION_H
#define DAXTRACE_VERSION_H

#include <stddef.h>

/* "0.4.0": the first entry of debian/changelog, passed by the Makefile. */
const char *daxtrace_version(void);

/* "49409aa0f1c2", with "-dirty" when the tree had changes, or "unknown" outside git. */
const char *daxtrace_git_commit(void);

/* "1.7": the libbpf linked in, as it reports itself at run time. */
const char *daxtrace_libbpf_version(void);

/* "6.1.0-28-amd64": the running kernel's release (uname -r), or "unknown". */
const char *daxtrace_kernel_release(void);

/* "daxtrace 0.4.0 (git 49409aa0f1c2, libbpf 1.7)", into buf; returns buf. */
char *daxtrace_version_line(char *buf, size_t size);

/* -V, --version: the version line on stdout; EXIT_OK, or EXIT_RUNTIME when it was not written. */
int print_version(void);

/*
 * print_version, then exit with its status: -V in a command's options (command_opts_parse).
 * Here, not in options.c, so that a test of the option parser can stand in for it.
 */
void exit_version(void) __attribute__((noreturn));

#endif /* DAXTRACE_VERSION_H */
