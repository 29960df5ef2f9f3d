// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "cmd/doctor_pmem.h"
#include "output/format.h"
#include "output/text_escape.h"

void doctor_pmem_read(struct doctor_pmem *p, const char *sysfs)
{
	p->nr = pmem_devs_read(sysfs, p->devs, DOCTOR_MAX_PMEM);
}

/* Whether the mount is a DAX mount of the disk (device DAX has no mounts: dev 0). */
static bool mounted_on(const struct mount_entry *m, const struct pmem_dev_info *d)
{
	return m->dax && d->dev && m->dev == d->dev;
}

void doctor_pmem_json(struct json_writer *w, const struct doctor_pmem *p,
		      const struct mount_table *mounts)
{
	char path[80];

	json_key(w, "pmem_devices");
	json_array_begin(w);
	for (int i = 0; i < p->nr; i++) {
		const struct pmem_dev_info *d = &p->devs[i];

		snprintf(path, sizeof(path), "/dev/%s", d->name);
		json_object_begin(w);
		json_kv_string(w, "device", d->name);
		json_kv_string(w, "path", path);
		json_kv_string(w, "provider", d->provider[0] ? d->provider : NULL);
		json_kv_string(w, "region", d->region[0] ? d->region : NULL);
		json_kv_string(w, "mode", d->mode[0] ? d->mode : NULL);
		json_kv_uint(w, "align", d->align);
		json_kv_uint(w, "size", d->size);
		json_key(w, "map_sync");
		if (d->map_sync == PMEM_MAP_SYNC_UNKNOWN)
			json_null(w);
		else
			json_boolean(w, d->map_sync == PMEM_MAP_SYNC_YES);
		json_key(w, "dax_mounts");
		json_array_begin(w);
		for (int m = 0; m < mounts->nr; m++)
			if (mounted_on(&mounts->entries[m], d))
				json_string(w, mounts->entries[m].mount_point);
		json_array_end(w);
		json_object_end(w);
	}
	json_array_end(w);
}

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

void doctor_pmem_text(const struct doctor_pmem *p, const struct mount_table *mounts)
{
	char align[32], size[32];

	if (!p->nr) {
		printf("pmem        none\n");
		return;
	}
	printf("pmem        %-9s %-12s %-9s %-7s %-6s %-7s %-9s %s\n", "DEVICE", "PROVIDER",
	       "REGION", "MODE", "ALIGN", "SIZE", "MAP_SYNC", "DAX MOUNTS");
	for (int i = 0; i < p->nr; i++) {
		const struct pmem_dev_info *d = &p->devs[i];
		int n = 0;

		format_bytes(d->align, align, sizeof(align));
		format_bytes(d->size, size, sizeof(size));
		printf("            %-9s %-12s %-9s %-7s %-6s %-7s %-9s ", d->name,
		       or_dash(d->provider), or_dash(d->region), or_dash(d->mode),
		       d->align ? align : "-", size, pmem_map_sync_name(d->map_sync));
		for (int m = 0; m < mounts->nr; m++)
			if (mounted_on(&mounts->entries[m], d)) {
				fputs(n++ ? ", " : "", stdout);
				text_print(stdout, mounts->entries[m].mount_point, 0, 0);
			}
		printf("%s\n", n ? "" : "-");
	}
	for (int i = 0; i < p->nr; i++)
		if (p->devs[i].map_sync == PMEM_MAP_SYNC_NO)
			printf("map_sync    refused on %s (mmap fails with EOPNOTSUPP): its %s region is "
			       "asynchronous, its writes persist only through fsync or msync\n",
			       p->devs[i].name, p->devs[i].provider);
}
