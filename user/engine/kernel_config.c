// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "engine/kernel_config.h"

const char *const dax_config_options[NR_DAX_CONFIG_OPTIONS + 1] = {
	"CONFIG_FS_DAX",
	"CONFIG_FS_DAX_PMD",
	"CONFIG_DEV_DAX",
	"CONFIG_DEV_DAX_PMEM",
	"CONFIG_ZONE_DEVICE",
	"CONFIG_LIBNVDIMM",
	"CONFIG_BLK_DEV_PMEM",
	"CONFIG_ACPI_NFIT",
	"CONFIG_X86_PMEM_LEGACY",
	"CONFIG_VIRTIO_PMEM",
	"CONFIG_CXL_PMEM",
	"CONFIG_MEMORY_FAILURE",
	"CONFIG_TRANSPARENT_HUGEPAGE",
	"CONFIG_XFS_FS",
	"CONFIG_EXT4_FS",
	"CONFIG_DEBUG_INFO_BTF",
	"CONFIG_DEBUG_INFO_BTF_MODULES",
	"CONFIG_KPROBES",
	"CONFIG_FUNCTION_TRACER",
	"CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS",
	"CONFIG_PREEMPT_NONE",
	"CONFIG_PREEMPT_VOLUNTARY",
	"CONFIG_PREEMPT",
	"CONFIG_PREEMPT_LAZY",
	"CONFIG_PREEMPT_RT",
	"CONFIG_PREEMPT_DYNAMIC",
	"CONFIG_HZ",
	NULL,
};

/* "CONFIG_X=value" or "# CONFIG_X is not set": the value of a wanted option into values. */
static void parse_line(const char *line, const char *const *options,
		       char (*values)[KERNEL_CONFIG_VALUE_LEN])
{
	const char *eq = strchr(line, '=');
	size_t name_len, value_len;

	if (line[0] != 'C' || !eq)
		return;
	name_len = eq - line;
	value_len = strcspn(eq + 1, "\n");
	for (int i = 0; options[i]; i++) {
		if (strlen(options[i]) != name_len || strncmp(line, options[i], name_len))
			continue;
		if (value_len >= 2 && eq[1] == '"' && eq[value_len] == '"')
			snprintf(values[i], KERNEL_CONFIG_VALUE_LEN, "%.*s", (int)value_len - 2,
				 eq + 2);
		else
			snprintf(values[i], KERNEL_CONFIG_VALUE_LEN, "%.*s", (int)value_len,
				 eq + 1);
		return;
	}
}

int kernel_config_read(const char *const *paths, int nr, const char *const *options,
		       char (*values)[KERNEL_CONFIG_VALUE_LEN])
{
	char line[512];

	for (int p = 0; p < nr; p++) {
		gzFile f = paths[p] ? gzopen(paths[p], "rb") : NULL;

		if (!f)
			continue;
		for (int i = 0; options[i]; i++)
			snprintf(values[i], KERNEL_CONFIG_VALUE_LEN, "n");
		while (gzgets(f, line, sizeof(line)))
			parse_line(line, options, values);
		gzclose(f);
		return p;
	}
	return -1;
}
