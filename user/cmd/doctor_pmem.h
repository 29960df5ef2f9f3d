/* SPDX-License-Identifier: GPL-2.0 */
/* doctor's pmem devices: provider, region, mode, align, size, MAP_SYNC, DAX mounts on each. */
#ifndef DAXTRACE_DOCTOR_PMEM_H
#define DAXTRACE_DOCTOR_PMEM_H

#include "engine/block_dev.h"
#include "engine/mounts.h"
#include "output/json_writer.h"

#define DOCTOR_MAX_PMEM 64

struct doctor_pmem {
	struct pmem_dev_info devs[DOCTOR_MAX_PMEM];
	int nr;
};

void doctor_pmem_read(struct doctor_pmem *p, const char *sysfs);
/* "pmem_devices": an array of one object per device. */
void doctor_pmem_json(struct json_writer *w, const struct doctor_pmem *p,
		      const struct mount_table *mounts);
/* The table, and one line per device that refuses MAP_SYNC. */
void doctor_pmem_text(const struct doctor_pmem *p, const struct mount_table *mounts);

#endif /* DAXTRACE_DOCTOR_PMEM_H */
