// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cgroup_names.h"
#include "engine/grow_array.h"
#include "engine/sorted.h"

struct cgroup_name {
	__u64 id;
	char *path; /* NULL: not found (yet) */
};

struct cgroup_names {
	char *root;
	size_t root_len; /* without trailing slashes: "/" and "/sys/fs/cgroup/" as 0 and 14 */
	struct grow_array names; /* struct cgroup_name, sorted by id */
	int unresolved;
};

struct cgroup_names *cgroup_names_new(const char *root)
{
	struct cgroup_names *names = calloc(1, sizeof(*names));

	if (!names)
		return NULL;
	names->names = GROW_ARRAY_INIT(struct cgroup_name);
	names->root = strdup(root);
	if (!names->root) {
		free(names);
		return NULL;
	}
	names->root_len = strlen(root);
	while (names->root_len && root[names->root_len - 1] == '/')
		names->root_len--;
	return names;
}

static int compare_ids(const void *a, const void *b)
{
	__u64 x = ((const struct cgroup_name *)a)->id, y = ((const struct cgroup_name *)b)->id;

	return x < y ? -1 : x > y;
}

static struct cgroup_name *find_name(const struct cgroup_names *names, __u64 id)
{
	struct cgroup_name key = { .id = id };

	return find_item(&key, names->names.items, names->names.nr, sizeof(key), compare_ids);
}

void cgroup_names_want(struct cgroup_names *names, __u64 id)
{
	struct cgroup_name *name;

	if (find_name(names, id))
		return;
	name = grow_array_push(&names->names);
	if (!name)
		return; /* out of memory: the label reads "unknown" */
	name->id = id;
	names->unresolved++;
	sort_items(names->names.items, names->names.nr, sizeof(*name), compare_ids);
}

/* nftw has no context argument: the walk in progress. */
static struct cgroup_names *walking;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *below_root = path + walking->root_len;
	struct cgroup_name *name;

	(void)ftw;
	if (type != FTW_D)
		return FTW_CONTINUE;
	name = find_name(walking, st->st_ino);
	if (!name || name->path)
		return FTW_CONTINUE;
	name->path = strdup(*below_root ? below_root : "/");
	if (name->path && --walking->unresolved == 0)
		return FTW_STOP;
	return FTW_CONTINUE;
}

void cgroup_names_resolve(struct cgroup_names *names)
{
	if (!names->unresolved)
		return;
	walking = names;
	nftw(names->root, visit, 16, FTW_PHYS | FTW_MOUNT | FTW_ACTIONRETVAL);
	walking = NULL;
	names->unresolved = 0; /* the rest were removed before we looked: not looked for again */
}

const char *cgroup_names_get(const struct cgroup_names *names, __u64 id)
{
	const struct cgroup_name *name = find_name(names, id);

	return name && name->path ? name->path : "unknown";
}

void cgroup_names_free(struct cgroup_names *names)
{
	if (!names)
		return;
	for (int i = 0; i < names->names.nr; i++)
		free(((struct cgroup_name *)grow_array_at(&names->names, i))->path);
	grow_array_free(&names->names);
	free(names->root);
	free(names);
}
