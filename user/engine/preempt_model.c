// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "engine/preempt_model.h"

static const char *const model_names[] = {
	[PREEMPT_MODEL_UNKNOWN] = "unknown",	 [PREEMPT_MODEL_NONE] = "none",
	[PREEMPT_MODEL_VOLUNTARY] = "voluntary", [PREEMPT_MODEL_FULL] = "full",
	[PREEMPT_MODEL_LAZY] = "lazy",		 [PREEMPT_MODEL_RT] = "rt",
};

static const char *const source_names[] = {
	[PREEMPT_FROM_NOWHERE] = "no source answered",
	[PREEMPT_FROM_DEBUGFS] = "debugfs sched/preempt",
	[PREEMPT_FROM_CMDLINE] = "preempt= on the kernel command line",
	[PREEMPT_FROM_CONFIG] = "the kernel config's default",
	[PREEMPT_FROM_UNAME] = "uname -v",
};

const char *preempt_model_name(enum preempt_model model)
{
	return model_names[model];
}

const char *preempt_source_name(enum preempt_source source)
{
	return source_names[source];
}

bool preempt_model_preempts_bpf(enum preempt_model model)
{
	return model != PREEMPT_MODEL_NONE && model != PREEMPT_MODEL_VOLUNTARY;
}

/* A model by the name the kernel gives it (sched/preempt, preempt=), len bytes of word. */
static enum preempt_model model_named(const char *word, size_t len)
{
	for (int m = PREEMPT_MODEL_NONE; m <= PREEMPT_MODEL_RT; m++)
		if (strlen(model_names[m]) == len && !strncmp(word, model_names[m], len))
			return m;
	return PREEMPT_MODEL_UNKNOWN;
}

enum preempt_model preempt_model_from_debugfs(const char *text)
{
	const char *open = strchr(text, '(');
	const char *close = open ? strchr(open, ')') : NULL;

	return close ? model_named(open + 1, close - open - 1) : PREEMPT_MODEL_UNKNOWN;
}

enum preempt_model preempt_model_from_cmdline(const char *text)
{
	enum preempt_model model = PREEMPT_MODEL_UNKNOWN;

	for (const char *p = text; (p = strstr(p, "preempt=")); p++) {
		const char *value = p + strlen("preempt=");

		if (p != text && p[-1] != ' ')
			continue; /* another parameter's tail, e.g. "nopreempt=" */
		model = model_named(value, strcspn(value, " \n"));
	}
	return model;
}

enum preempt_model preempt_model_from_config(const char *text)
{
	static const struct {
		const char *line;
		enum preempt_model model;
	} defaults[] = {
		/* RT first: an RT build has CONFIG_PREEMPT=y (or _LAZY) as well */
		{ "CONFIG_PREEMPT_RT=y", PREEMPT_MODEL_RT },
		{ "CONFIG_PREEMPT_LAZY=y", PREEMPT_MODEL_LAZY },
		{ "CONFIG_PREEMPT=y", PREEMPT_MODEL_FULL },
		{ "CONFIG_PREEMPT_VOLUNTARY=y", PREEMPT_MODEL_VOLUNTARY },
		{ "CONFIG_PREEMPT_NONE=y", PREEMPT_MODEL_NONE },
	};

	for (size_t d = 0; d < sizeof(defaults) / sizeof(defaults[0]); d++) {
		size_t len = strlen(defaults[d].line);

		for (const char *p = text; (p = strstr(p, defaults[d].line)); p += len)
			if ((p == text || p[-1] == '\n') && (p[len] == '\n' || !p[len]))
				return defaults[d].model;
	}
	return PREEMPT_MODEL_UNKNOWN;
}

static bool has_word(const char *text, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = text; (p = strstr(p, word)); p += len)
		if ((p == text || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

/* init/Makefile's UTS_VERSION flags: "SMP PREEMPT_DYNAMIC", "SMP PREEMPT_RT", "SMP PREEMPT". */
enum preempt_model preempt_model_from_uname(const char *version)
{
	if (has_word(version, "PREEMPT_RT"))
		return PREEMPT_MODEL_RT;
	if (has_word(version, "PREEMPT_DYNAMIC"))
		return PREEMPT_MODEL_UNKNOWN; /* the model is chosen at boot or at run time */
	if (has_word(version, "PREEMPT_LAZY"))
		return PREEMPT_MODEL_LAZY;
	if (has_word(version, "PREEMPT"))
		return PREEMPT_MODEL_FULL;
	return PREEMPT_MODEL_UNKNOWN;
}

/*
 * At most this much of a file. A kernel config (some 100-300 KB, gzip or not) chooses the
 * preemption model in "General setup", its first menu (init/Kconfig sources
 * kernel/Kconfig.preempt): 3 KB in on the 6.18 host. Reading all of /proc/config.gz cost
 * 1.4 ms of every start-up there, its first 16 KiB 0.1 ms, still five times what it takes.
 */
#define READ_TEXT_MAX (16 << 10)

/* The start of a file (READ_TEXT_MAX) as a string, gzip or not. */
static char *read_text(const char *path)
{
	gzFile f = path ? gzopen(path, "rb") : NULL;
	size_t size = 0, used = 0;
	char *text = NULL;
	int got = 1;

	if (!f)
		return NULL;
	while (got > 0 && used < READ_TEXT_MAX) {
		if (used + 1 >= size) {
			char *bigger = realloc(text, size ? size * 2 : 4096);

			if (!bigger)
				break;
			text = bigger;
			size = size ? size * 2 : 4096;
		}
		got = gzread(f, text + used, size - used - 1);
		used += got > 0 ? got : 0;
	}
	gzclose(f);
	if (text)
		text[used] = '\0';
	return text;
}

static bool try_file(struct preempt_info *info, const char *path, enum preempt_source source,
		     enum preempt_model (*parse)(const char *text))
{
	char *text = read_text(path);

	if (text) {
		info->model = parse(text);
		free(text);
	}
	if (info->model == PREEMPT_MODEL_UNKNOWN)
		return false;
	info->source = source;
	return true;
}

void preempt_model_detect(struct preempt_info *info, const struct preempt_paths *paths)
{
	*info = (struct preempt_info){};
	if (try_file(info, paths->debugfs, PREEMPT_FROM_DEBUGFS, preempt_model_from_debugfs))
		return;
	/* A kernel built without PREEMPT_DYNAMIC has one model, named by uname -v. */
	if (paths->uname_version) {
		info->model = preempt_model_from_uname(paths->uname_version);
		if (info->model != PREEMPT_MODEL_UNKNOWN) {
			info->source = PREEMPT_FROM_UNAME;
			return;
		}
	}
	if (try_file(info, paths->cmdline, PREEMPT_FROM_CMDLINE, preempt_model_from_cmdline))
		return;
	for (int c = 0; c < PREEMPT_CONFIG_PATHS && paths->configs[c]; c++)
		if (try_file(info, paths->configs[c], PREEMPT_FROM_CONFIG,
			     preempt_model_from_config))
			return;
}

void preempt_model_detect_here(struct preempt_info *info, const char *release)
{
	struct utsname uts = {};
	char boot_config[128];

	snprintf(boot_config, sizeof(boot_config), "/boot/config-%s", release);
	uname(&uts);
	preempt_model_detect(info, &(struct preempt_paths){
					   .debugfs = "/sys/kernel/debug/sched/preempt",
					   .cmdline = "/proc/cmdline",
					   .configs = { "/proc/config.gz", boot_config },
					   .uname_version = uts.version,
				   });
}
