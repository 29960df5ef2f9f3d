/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record's views turned back into the engine's reports (the inverse of record_views.c), so
 * that `daxtrace report` shows them with the live commands' renderers. Files get ids of a
 * recorded file_paths (file_paths_new_recorded), which the renderers resolve to their names.
 * A member a record lacks reads as 0; the record's structure was checked when it was loaded.
 */
#ifndef DAXTRACE_RECORD_READ_H
#define DAXTRACE_RECORD_READ_H

#include <json-c/json.h>

#include "engine/attach_plan.h"
#include "engine/census.h"
#include "engine/lat_report.h"
#include "engine/mapuse_report.h"
#include "engine/share_model.h"
#include "engine/stats.h"

struct file_paths;

/* The plan of fingerprint.attach: its points with their kinds, no links. */
void record_read_plan(json_object *fingerprint, struct attach_plan *plan);

/* Each returns 0, or -1 when out of memory. */
int record_read_counters(json_object *run, struct file_paths *paths, struct stats_snapshot *snap);
int record_read_lat(json_object *views, struct lat_report *lat);
/* share's census and the rmap lookups of its model */
int record_read_census(json_object *share, struct file_paths *paths, struct census *c,
		       struct share_rmap *rmap);
int record_read_mapuse(json_object *mapuse, struct file_paths *paths, struct mapuse_report *r);

/* The member key of obj, of any type, or NULL (record_file.h's accessors check the type). */
json_object *record_member(json_object *obj, const char *key);
/* The integer at key of obj, 0 when it has none: a count, or a gauge (which may be < 0). */
__u64 record_count(json_object *obj, const char *key);

#endif /* DAXTRACE_RECORD_READ_H */
