#!/bin/sh
# A database snapshotted by reflink: a data file with a MAP_SYNC writer at random pages (a
# loop of dt-workload mwrite-sync runs, each WRITES pages at one random offset and stride:
# each run fsyncs, maps MAP_SHARED_VALIDATE|MAP_SYNC and writes one byte per page), while the
# data file is FICLONEd to snap-N every INTERVAL seconds, SNAPSHOTS times; after each
# snapshot a backup reads it whole through a mapping (4 KiB faults, as the writer's). Run it
# under `daxtrace share --model` (tools/designs/run.sh does).
#
# Parameters (environment):
#   DIR        where the files go (default $DAX_MNT, else /mnt/dax), XFS with reflink
#   SIZE       data file size (default 256m)
#   SNAPSHOTS  snapshots taken (default 5)
#   INTERVAL   seconds between them (default 2)
#   WRITES     pages per writer run (default 64); the writer runs until the last backup ends
#   SEED       the writer's random offsets (default 1): the offsets repeat, their timing
#              against the snapshots does not
#
# What the census should show (4 KiB units; P = SIZE / 4 KiB pages, S = SNAPSHOTS): the
# writer races the snapshots, so only these are exact:
#   - the backups own S * P entries: owner_entry_pages = S * P + D, D the data file's entries
#     at the end (the pages the writer touched since the last FICLONE on 7.2, which drops the
#     data file's entries at each FICLONE; every page it ever wrote on 6.1 and 6.12);
#   - a page no write touched between two snapshots is one unit the two backups share: units
#     with S or S + 1 owners are the pages never written, and pfns - P counts the copies the
#     writes made;
#   - breaks: a MAP_SYNC write to a page the data file maps while a snapshot's backup owns it,
#     on 6.1 and 6.12; none on 7.2: the data file has no entry left after a FICLONE, so its
#     first write to a page after it copies the page without leaving an owned unit, and a
#     second write finds its own private copy.
. "$(dirname "$0")/lib.sh"

SIZE=${SIZE:-256m}
SNAPSHOTS=${SNAPSHOTS:-5}
INTERVAL=${INTERVAL:-2}
WRITES=${WRITES:-64}
SEED=${SEED:-1}
size=$(bytes "$SIZE")
pages=$((size / 4096))

d=$DIR/db-snapshot
rm -rf "$d"
mkdir -p "$d"
"$WORKLOAD" create "$d/data" "$SIZE" > /dev/null
# The writer: a linear congruential sequence of (offset, stride) pairs, WRITES pages inside
# the file each, until the stop file appears.
writer() {
	x=$SEED runs=0
	while [ ! -e "$d/stop" ]; do
		x=$(((x * 1103515245 + 12345) % 2147483648))
		stride=$((4096 * (1 + x % 16)))
		span=$((stride * (WRITES - 1) + 4096))
		offset=$((4096 * (x / 16 % ((size - span) / 4096 + 1))))
		"$WORKLOAD" mwrite-sync "$d/data" "$WRITES" --offset $offset --stride $stride > /dev/null
		runs=$((runs + 1))
	done
	say "writer: $runs runs of $WRITES pages"
}
writer &
wpid=$!
n=1
while [ $n -le "$SNAPSHOTS" ]; do
	sleep "$INTERVAL"
	"$WORKLOAD" clone "$d/data" "$d/snap-$n" > /dev/null
	"$WORKLOAD" mread "$d/snap-$n" "$pages" --nohuge > /dev/null
	say "snapshot $n taken and read"
	n=$((n + 1))
done
touch "$d/stop"
wait $wpid
