#!/bin/sh
# The A/B scenario of the record suite: one run of each DAX behaviour whose counts the kernel
# makes exact, in DIR (a fresh directory on the DAX mount, files inheriting 2 MiB extents):
# PTE read faults, write-protect faults, PMD read faults, a reflink clone whose pages both
# files then map (shared pmem pages), sharing breaks and a writeback flush. Counts per step are in record-suite.sh, computed from the parameters here.
# Every run starts and ends with DIR empty, so that run N meets nothing of run N-1 (a clone
# made over an old one would cancel the old one's COW reservations and truncate its pages).
# The removed files' inactivation, which cancels the clone's unused COW reservations, runs in
# XFS's inodegc worker some time later; syncfs waits for it (xfs_fs_sync_fs flushes inodegc),
# so that it falls inside the run every time, not only when the worker is quick.
set -eu
dir=$1
W=${WORKLOAD:-build/tools/dt-workload}
PTE_PAGES=${PTE_PAGES:-64} PMD_RANGES=${PMD_RANGES:-2} BREAKS=${BREAKS:-16}
rm -f "$dir/pte" "$dir/pmd" "$dir/clone"
"$W" create "$dir/pte" 4m > /dev/null
"$W" mreadwrite "$dir/pte" "$PTE_PAGES" > /dev/null
"$W" create "$dir/pmd" "$((PMD_RANGES * 2))m" > /dev/null
"$W" mread "$dir/pmd" "$PMD_RANGES" --stride 2m --huge > /dev/null
"$W" clone "$dir/pte" "$dir/clone" > /dev/null
"$W" mread "$dir/pte" "$PTE_PAGES" > /dev/null
"$W" mread "$dir/clone" "$PTE_PAGES" > /dev/null
"$W" mwrite "$dir/clone" "$BREAKS" --stride 64k > /dev/null
"$W" fsync "$dir/clone" > /dev/null
rm -f "$dir/pte" "$dir/pmd" "$dir/clone"
sync -f "$dir"
