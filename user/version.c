// SPDX-License-Identifier: GPL-2.0
/*
 * Only this file sees DAXTRACE_VERSION and DAXTRACE_GIT, so that a new commit recompiles one
 * object (the Makefile's version stamp), not the whole binary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/libbpf.h>

#include "engine/report_error.h"
#include "version.h"

#ifndef DAXTRACE_VERSION
#error "DAXTRACE_VERSION is set by the Makefile, from debian/changelog"
#endif
#ifndef DAXTRACE_GIT
#define DAXTRACE_GIT "unknown"
#endif

const char *daxtrace_version(void)
{
	return DAXTRACE_VERSION;
}

const char *daxtrace_git_commit(void)
{
	return DAXTRACE_GIT;
}

const char *daxtrace_libbpf_version(void)
{
	static char version[32];

	if (!version[0])
		snprintf(version, sizeof(version), "%u.%u", libbpf_major_version(),
			 libbpf_minor_version());
	return version;
}

const char *daxtrace_kernel_release(void)
{
	static struct utsname uts;

	if (!uts.release[0] && uname(&uts))
		return "unknown";
	return uts.release;
}

char *daxtrace_version_line(char *buf, size_t size)
{
	snprintf(buf, size, "daxtrace %s (git %s, libbpf %s)", daxtrace_version(),
		 daxtrace_git_commit(), daxtrace_libbpf_version());
	return buf;
}

int print_version(void)
{
	char line[256];

	puts(daxtrace_version_line(line, sizeof(line)));
	return flush_output(stdout) ? EXIT_RUNTIME : EXIT_OK;
}

void exit_version(void)
{
	exit(print_version());
}
