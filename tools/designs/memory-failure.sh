#!/bin/sh
# A memory-failure drill: madvise(MADV_HWPOISON) of one page that one file owns and of one page
# that two reflinked files share (dt-workload poison and poison-shared: page 0 mapped -- both
# files' for the shared one -- then poisoned through the first file), on the file system as it
# is: tools/designs/run.sh remakes XFS with rmapbt=1 and rmapbt=0 and runs this on each, under
# `daxtrace share --model` and again under `daxtrace mapuse`, each run with new files.
#
# Parameters (environment):
#   DIR           where the files go (default $DAX_MNT, else /mnt/dax), XFS with reflink
#   SIZE          each file's size (default 4m)
#   TAG           a name for this run's files (default the seconds since the epoch)
#   SKIP_SHARED   set (to the reason) to leave the shared page alone: on 6.12 without rmapbt,
#                 dax_lock_folio dereferences the shared marker and oopses (docs/findings.md)
#
# What the census and mapuse should show (tests/e2e/vm/mapuse-suite.sh checks the same):
#   rmapbt=1 (every kernel): the filesystem finds each owner, mf_dax_kill_procs once per owner:
#     1 for the unshared page, 2 for the shared one -- share's pfn_entries.rmap_lookups 3,
#     mapuse's mf_dax_kill_procs 3 (its fs_reverse_lookups adds the FICLONE's 2
#     dax_layout_busy_page_range walks, one per file: 5); no ->mapping reader (dax_lock_*).
#   rmapbt=0: xfs_dax_notify_failure cannot help, memory failure locks the entry through
#     ->mapping: dax_lock_page (6.1) / dax_lock_folio, once per poison. On the shared page:
#     6.1 never marked it shared and finds the last reader alone (one process signalled);
#     6.12 oopses (skipped); 7.2 sees ->mapping NULL, madvise fails with EBUSY, nobody is
#     signalled. rmap_lookups 0; the shared page's lookup is a proxy lookup and a site to
#     convert (model.proxy.lookups 1, write_protect.sites_to_convert 1) on 6.12 and 7.2.
#   census: 1 unit with 1 owner, 1 unit with 2 owners (poison-shared maps page 0 of both files
#     before the poison; 6.1 counts the second association as an anomaly); 1 unit alone when
#     the shared page is skipped.
. "$(dirname "$0")/lib.sh"

SIZE=${SIZE:-4m}
TAG=${TAG:-$(date +%s)}
SKIP_SHARED=${SKIP_SHARED:-}

d=$DIR/memory-failure
mkdir -p "$d"
one=$d/one-$TAG a=$d/a-$TAG b=$d/b-$TAG
"$WORKLOAD" create "$one" "$SIZE" > /dev/null
"$WORKLOAD" create "$a" "$SIZE" > /dev/null
"$WORKLOAD" clone "$a" "$b" > /dev/null
# dt-workload prints what it saw ({"op", "madvise_errno", "sigbus"}): kept on stdout, with
# share's or mapuse's report.
"$WORKLOAD" poison "$one" || say "poison of an unshared page: exit $?"
if [ -n "$SKIP_SHARED" ]; then
	say "SKIP poison of a shared page: $SKIP_SHARED"
else
	"$WORKLOAD" poison-shared "$a" "$b" || say "poison of a shared page: exit $?"
fi
