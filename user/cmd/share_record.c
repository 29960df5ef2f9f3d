// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "cmd/share_record.h"
#include "engine/file_paths.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "engine/share_stream.h"

#define SHARE_RECORD_DEFAULT_KB 8192 /* 170,000 records between two reads */

static int append_record(void *ctx, const struct dt_share_record *record)
{
	struct share_record *r = ctx;

	return r->writer ? share_stream_append(r->writer, record) : 0;
}

void share_record_setup(struct share_record *r, struct session_setup *setup)
{
	if (!r->path)
		return;
	setup->share_stream.on = true;
	setup->share_stream.buffer_kb = r->buffer_kb ? r->buffer_kb : SHARE_RECORD_DEFAULT_KB;
	setup->share_stream.consume = append_record;
	setup->share_stream.ctx = r;
}

static bool point_attached(const struct session *s, const char *name)
{
	const struct plan_choice *c = attach_plan_find(&s->plan, name);

	return c && c->kind != KIND_NONE;
}

int share_record_begin(struct share_record *r, struct session *s, bool since_snapshot)
{
	struct share_stream_info info = {
		.start_ns = s->started.tv_sec * 1000000000ULL + s->started.tv_nsec,
		.start_unix_s = time(NULL),
	};
	struct utsname uts;
	int err;

	if (!r->path)
		return 0;
	uname(&uts);
	info.release = uts.release;
	if (point_attached(s, "mapuse.fs_rmap"))
		info.flags |= SHARE_STREAM_RMAP_MEASURED;
	/* as share.c's read_owner_lookups(): the model's uses are measured with both */
	if (point_attached(s, "mapuse.lock") && point_attached(s, "mapuse.generic"))
		info.flags |= SHARE_STREAM_USES_MEASURED;
	if (since_snapshot)
		info.flags |= SHARE_STREAM_SINCE_SNAPSHOT;
	err = share_stream_create(&r->writer, r->path, &info);
	if (err)
		return runtime_error("--record %s: %s", r->path, strerror(-err));
	return 0;
}

static const char *file_name(void *ctx, __u32 dev, __u64 ino, char *buf, size_t size)
{
	return file_paths_lookup(ctx, dev, ino, buf, size);
}

int share_record_finish(struct share_record *r, struct session *s)
{
	__u64 lost = 0;
	int drained, err;

	if (!r->writer)
		return 0;
	drained = session_share_stream_drain(s);
	if (!drained)
		drained = session_read_health_total(s, DT_HEALTH_STREAM_LOST, &lost);
	err = share_stream_finish(r->writer, file_name, s->paths, lost, session_missed_runs(s));
	r->writer = NULL;
	if (drained || err)
		return runtime_error("--record %s: %s", r->path,
				     strerror(-(drained ? drained : err)));
	if (lost)
		warning("--record %s: the ring buffer lost %llu records: raise --buffer-kb",
			r->path, (unsigned long long)lost);
	return 0;
}
