// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a share stream (share_stream.h, docs/daxtrace-share-stream.5): every size, count and
 * field that the replay indexes with is checked here, so that share_replay.c can trust it.
 * The checks run in the order a damaged file is most usefully told: not a stream at all, too
 * short, another major version, cut short (no trailer), damaged (checksum), then inconsistent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <zlib.h>

#include "daxtrace_mapuse.h"
#include "daxtrace_share.h"
#include "engine/share_stream.h"

#define HEADER_BYTES sizeof(struct share_stream_header)
#define TRAILER_BYTES sizeof(struct share_stream_trailer)

static int refuse(struct share_stream_error *err, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct share_stream_error *err, const char *name, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	snprintf(err->message, sizeof(err->message), "%s: ", name);
	used = strlen(err->message);
	va_start(ap, fmt);
	vsnprintf(err->message + used, sizeof(err->message) - used, fmt, ap);
	va_end(ap);
	/* one line, whatever the file's name holds */
	for (char *c = err->message; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = '?';
	return -1;
}

static bool size_ok(__u16 bytes, size_t ours)
{
	return bytes >= ours && bytes % 8 == 0;
}

/* The header's own fields: version and the sizes the rest of the file is cut by. */
static int check_header(const struct share_stream_header *h, const char *name,
			struct share_stream_error *err)
{
	if (h->major != SHARE_STREAM_MAJOR)
		return refuse(err, name, "format %u.%u, this daxtrace reads %u.x", h->major,
			      h->minor, SHARE_STREAM_MAJOR);
	if (!size_ok(h->header_bytes, HEADER_BYTES))
		return refuse(err, name,
			      "corrupt: header_bytes %u (expected a multiple of 8, at least %zu)",
			      h->header_bytes, HEADER_BYTES);
	if (!size_ok(h->record_bytes, sizeof(struct dt_share_record)))
		return refuse(err, name,
			      "corrupt: record_bytes %u (expected a multiple of 8, at least %zu)",
			      h->record_bytes, sizeof(struct dt_share_record));
	if (!memchr(h->release, '\0', sizeof(h->release)))
		return refuse(err, name, "corrupt: the kernel release is not NUL-terminated");
	return 0;
}

/* zlib's CRC-32 of everything before the trailer's crc32 field (its last 8 bytes). */
static __u32 stream_crc(const unsigned char *data, size_t len)
{
	return crc32_z(crc32_z(0, NULL, 0), data,
		       len - TRAILER_BYTES + offsetof(struct share_stream_trailer, crc32));
}

/* One name at *offset (< end): its path checked and kept; *offset moves past its padding. */
static int read_name(struct share_stream *s, const unsigned char *data, size_t *offset, size_t end,
		     size_t i, const char *name, struct share_stream_error *err)
{
	const struct share_stream_name *n = (const void *)(data + *offset);
	const unsigned char *path = data + *offset + sizeof(*n);
	size_t padded;

	if (end - *offset < sizeof(*n))
		return refuse(err, name, "corrupt: name %zu runs past the names region", i);
	if (n->len > SHARE_STREAM_MAX_NAME)
		return refuse(err, name, "corrupt: name %zu is %u bytes long (at most %d)", i,
			      n->len, SHARE_STREAM_MAX_NAME);
	padded = (n->len + 7) & ~(size_t)7;
	if (end - *offset - sizeof(*n) < padded)
		return refuse(err, name, "corrupt: name %zu runs past the names region", i);
	if (memchr(path, '\0', n->len))
		return refuse(err, name, "corrupt: name %zu contains a NUL byte", i);
	for (size_t k = n->len; k < padded; k++)
		if (path[k])
			return refuse(err, name, "corrupt: name %zu has non-zero padding", i);
	s->names[i] = (struct share_stream_file){
		.ino = n->ino, .dev = n->dev, .path = (const char *)path, .len = n->len
	};
	*offset += sizeof(*n) + padded;
	return 0;
}

/* The names region, from offset to the trailer (end), exactly nr_names names. */
static int read_names(struct share_stream *s, const unsigned char *data, size_t offset, size_t end,
		      __u64 nr_names, const char *name, struct share_stream_error *err)
{
	/* each name takes 16 bytes at least: a count past that is not worth an allocation */
	if (nr_names > (end - offset) / sizeof(struct share_stream_name))
		return refuse(err, name, "corrupt: %llu names cannot fit in %zu bytes",
			      (unsigned long long)nr_names, end - offset);
	s->nr_names = nr_names;
	s->names = calloc(nr_names ? nr_names : 1, sizeof(*s->names));
	if (!s->names) {
		err->out_of_memory = true;
		return refuse(err, name, "out of memory for %llu names",
			      (unsigned long long)nr_names);
	}
	for (size_t i = 0; i < nr_names; i++)
		if (read_name(s, data, &offset, end, i, name, err))
			return -1;
	if (offset != end)
		return refuse(err, name,
			      "corrupt: sizes do not add up: %zu bytes between the names and the "
			      "trailer",
			      end - offset);
	return 0;
}

/* A record's fields the replay indexes with, or that the renderers print by name. */
static int check_record(const struct share_stream *s, size_t i, const char *name,
			struct share_stream_error *err)
{
	const struct dt_share_record *r = share_stream_record(s, i);

	if (!r->type || r->type >= DT_NR_REC_TYPES) {
		/* a newer minor version added types: skipped by the replay (share_replay.c) */
		if (r->type && s->header->minor > SHARE_STREAM_MINOR)
			return 0;
		return refuse(err, name, "corrupt: record %zu has unknown type %u", i, r->type);
	}
	if (r->order != 0 && r->order != DT_PMD_ORDER)
		return refuse(err, name, "corrupt: record %zu has order %u (expected 0 or %d)", i,
			      r->order, DT_PMD_ORDER);
	if (r->type == DT_REC_CHECK && r->detail > DT_KS_SHARED)
		return refuse(err, name,
			      "corrupt: record %zu has kernel state %u (expected 0 to %d)", i,
			      r->detail, DT_KS_SHARED);
	if (r->type == DT_REC_CHECK && DT_RECF_CHECK_EVENT(r->flags) > DT_EV_DISASSOCIATE)
		return refuse(err, name, "corrupt: record %zu has event %u (expected 0 or %d)", i,
			      DT_RECF_CHECK_EVENT(r->flags), DT_EV_DISASSOCIATE);
	if (r->type == DT_REC_OWNER_USE && r->detail >= DT_NR_MAPUSE_SITES)
		return refuse(err, name, "corrupt: record %zu has site %u (expected 0 to %d)", i,
			      r->detail, DT_NR_MAPUSE_SITES - 1);
	return 0;
}

/* Header, records, names and trailer laid end to end, the records' and names' fields checked. */
static int check_layout(struct share_stream *s, const unsigned char *data, size_t len,
			const char *name, struct share_stream_error *err)
{
	const struct share_stream_header *h = s->header;
	const struct share_stream_trailer *t = s->trailer;
	size_t end = len - TRAILER_BYTES, records_bytes, names_offset;

	/* the builtins check that the exact result fits in a size_t */
	if (__builtin_mul_overflow(t->nr_records, h->record_bytes, &records_bytes) ||
	    __builtin_add_overflow(records_bytes, (size_t)h->header_bytes, &names_offset) ||
	    names_offset > end)
		return refuse(err, name,
			      "corrupt: sizes do not add up: %llu records of %u bytes after a "
			      "%u-byte header do not fit in %zu bytes",
			      (unsigned long long)t->nr_records, h->record_bytes, h->header_bytes,
			      len);
	s->records = data + h->header_bytes;
	s->nr_records = t->nr_records;
	if (read_names(s, data, names_offset, end, t->nr_names, name, err))
		return -1;
	for (size_t i = 0; i < s->nr_records; i++)
		if (check_record(s, i, name, err))
			return -1;
	return 0;
}

int share_stream_parse(struct share_stream *s, const void *data, size_t len, const char *name,
		       struct share_stream_error *err)
{
	const unsigned char *bytes = data;

	memset(s, 0, sizeof(*s));
	err->message[0] = '\0';
	err->out_of_memory = false;
	if (len < sizeof(SHARE_STREAM_MAGIC) - 1 ||
	    memcmp(bytes, SHARE_STREAM_MAGIC, sizeof(SHARE_STREAM_MAGIC) - 1))
		return refuse(err, name, "not a daxtrace share stream");
	if (len < HEADER_BYTES + TRAILER_BYTES)
		return refuse(err, name, "truncated: %zu bytes, less than a header and a trailer",
			      len);
	s->header = data;
	if (check_header(s->header, name, err))
		return -1;
	if (memcmp(bytes + len - TRAILER_BYTES, SHARE_STREAM_END_MAGIC,
		   sizeof(SHARE_STREAM_END_MAGIC) - 1))
		return refuse(err, name, "truncated: no trailer (the recording did not finish)");
	/* every part is a multiple of 8 long: the trailer's fields are then aligned */
	if (len % 8)
		return refuse(err, name, "corrupt: %zu bytes, not a multiple of 8", len);
	s->trailer = (const void *)(bytes + len - TRAILER_BYTES);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION /* let the fuzzer reach the checks below */
	if (s->trailer->crc32 != stream_crc(bytes, len))
		return refuse(err, name, "corrupt: checksum mismatch");
#else
	(void)stream_crc;
#endif
	if (check_layout(s, bytes, len, name, err)) {
		share_stream_close(s);
		return -1;
	}
	return 0;
}

/* A refusal of the file itself (exit 2), or an I/O failure or lack of memory (exit 1). */
static int open_failed(struct share_stream_error *err, const char *path, int errnum)
{
	err->out_of_memory =
		errnum == ENOMEM || errnum == EIO || errnum == ENFILE || errnum == EMFILE;
	return refuse(err, path, "%s", strerror(errnum));
}

int share_stream_open(struct share_stream *s, const char *path, struct share_stream_error *err)
{
	struct stat st;
	void *map = NULL;
	int fd, ret;

	memset(s, 0, sizeof(*s));
	err->out_of_memory = false;
	/* the stream is mapped, and checked whole before anything is read: no pipe */
	if (!strcmp(path, "-"))
		return refuse(err, path, "a share stream must be a file (stdin cannot be mapped)");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return open_failed(err, path, errno);
	if (fstat(fd, &st)) {
		ret = open_failed(err, path, errno);
		close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(err, path, "%s, not a share stream file",
			      S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
	}
	if (st.st_size > 0) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			ret = open_failed(err, path, errno);
			close(fd);
			return ret;
		}
	}
	close(fd);
	if (share_stream_parse(s, map, st.st_size, path, err)) {
		if (map)
			munmap(map, st.st_size);
		return -1;
	}
	s->map = map;
	s->map_len = st.st_size;
	return 0;
}

void share_stream_close(struct share_stream *s)
{
	if (s->map)
		munmap(s->map, s->map_len);
	free(s->names);
	memset(s, 0, sizeof(*s));
}
