// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a share stream (share_stream.h): the header, the records as they arrive, then the
 * names of the files they mention and the trailer with the CRC-32 of all of it (zlib's).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine/grow_array.h"
#include "engine/share_stream.h"

struct file_id {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

struct share_stream_writer {
	FILE *out;
	uLong crc;
	__u64 nr_records;
	/* the files the records mention, sorted and unique up to `sorted`, appended after */
	struct grow_array files;
	int sorted;
	struct file_id last;
	int error; /* the first write error, -errno */
};

static int file_id_cmp(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Sorts the files and drops repeats: the array stays as long as the distinct files. */
static void files_compact(struct share_stream_writer *w)
{
	struct file_id *f = w->files.items;
	int kept = 0;

	qsort(f, w->files.nr, sizeof(*f), file_id_cmp);
	for (int i = 0; i < w->files.nr; i++)
		if (!kept || file_id_cmp(&f[kept - 1], &f[i]))
			f[kept++] = f[i];
	w->files.nr = kept;
	w->sorted = kept;
}

/*
 * A file a record mentions. Records of one file come in runs, so only a change of file is
 * kept; the array is compacted whenever its unsorted tail is as long as its sorted head.
 */
static int note_file(struct share_stream_writer *w, __u32 dev, __u64 ino)
{
	struct file_id *f;

	if (!ino || (w->last.dev == dev && w->last.ino == ino))
		return 0;
	w->last = (struct file_id){ .ino = ino, .dev = dev };
	if (w->files.nr - w->sorted >= w->sorted + 64)
		files_compact(w);
	f = grow_array_push(&w->files);
	if (!f)
		return -ENOMEM;
	*f = w->last;
	return 0;
}

static void put(struct share_stream_writer *w, const void *data, size_t len)
{
	if (w->error)
		return;
	w->crc = crc32(w->crc, data, len);
	if (fwrite(data, 1, len, w->out) != len)
		w->error = -(errno ? errno : EIO);
}

int share_stream_create(struct share_stream_writer **wp, const char *path,
			const struct share_stream_info *info)
{
	struct share_stream_header h = {
		.magic = SHARE_STREAM_MAGIC, /* 8 bytes, no NUL: the array's size */
		.major = SHARE_STREAM_MAJOR,
		.minor = SHARE_STREAM_MINOR,
		.header_bytes = sizeof(h),
		.record_bytes = sizeof(struct dt_share_record),
		.flags = info->flags,
		.start_ns = info->start_ns,
		.start_unix_s = info->start_unix_s,
	};
	struct share_stream_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	snprintf(h.release, sizeof(h.release), "%s", info->release);
	w->files = GROW_ARRAY_INIT(struct file_id);
	w->crc = crc32(0, Z_NULL, 0);
	w->out = fopen(path, "we");
	if (!w->out) {
		int err = -errno;

		free(w);
		return err;
	}
	put(w, &h, sizeof(h));
	*wp = w;
	return w->error;
}

int share_stream_append(struct share_stream_writer *w, const struct dt_share_record *record)
{
	put(w, record, sizeof(*record));
	w->nr_records++;
	return w->error ? w->error : note_file(w, record->dev, record->ino);
}

static void put_name(struct share_stream_writer *w, const struct file_id *f, const char *path)
{
	static const char zeros[8];
	size_t len = path ? strnlen(path, SHARE_STREAM_MAX_NAME) : 0;
	struct share_stream_name n = { .ino = f->ino, .dev = f->dev, .len = len };

	put(w, &n, sizeof(n));
	if (path) /* zlib's crc32() of a NULL buffer is its initial value: the sum would restart */
		put(w, path, len);
	put(w, zeros, -len & 7);
}

int share_stream_finish(struct share_stream_writer *w, share_stream_name_fn name, void *ctx,
			__u64 lost_records, __u64 missed_runs)
{
	struct share_stream_trailer t = { .magic = SHARE_STREAM_END_MAGIC,
					  .nr_records = w->nr_records,
					  .lost_records = lost_records,
					  .missed_runs = missed_runs };
	const struct file_id *f;
	char buf[SHARE_STREAM_MAX_NAME + 1];
	int err;

	files_compact(w);
	f = w->files.items;
	for (int i = 0; i < w->files.nr; i++)
		put_name(w, &f[i], name(ctx, f[i].dev, f[i].ino, buf, sizeof(buf)));
	t.nr_names = w->files.nr;
	put(w, &t, offsetof(struct share_stream_trailer, crc32));
	t.crc32 = w->crc;
	put(w, &t.crc32, sizeof(t) - offsetof(struct share_stream_trailer, crc32));
	err = w->error;
	if (fclose(w->out) && !err)
		err = -(errno ? errno : EIO);
	grow_array_free(&w->files);
	free(w);
	return err;
}
