#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh): MAP_SYNC writes on XFS and on ext4,
# exact, under top, lat -F and snoop at once, for each attach family given as arguments.
#
# A write fault through a MAP_SHARED_VALIDATE|MAP_SYNC mapping returns VM_FAULT_NEEDDSYNC when
# the filesystem's iomap says IOMAP_F_DIRTY (fs/dax.c dax_fault_is_synchronous), and the
# filesystem then calls dax_finish_sync_fault() once for it (XFS __xfs_filemap_fault, or
# xfs_dax_fault_locked from 6.13; ext4_dax_huge_fault). IOMAP_F_DIRTY means "metadata not yet
# on media": XFS sets it when the inode is pinned with fsync-relevant fields logged
# (xfs_bmbt_to_iomap: ili_fsync_fields other than the timestamps), ext4 when the inode's
# datasync transaction is not committed (ext4_inode_datasync_dirty). The sync forces the log
# or commits the journal, so the next fault is dirty again only if it changes metadata itself.
#
# Counts, the same on 6.1, 6.12 and 7.2 (measured; see each check):
# - N pages of a fresh sparse file, 4 KiB apart: N sync faults on both filesystems. ext4
#   allocates one block per PTE fault (ext4_iomap_alloc maps the fault's length), XFS too:
#   each of these faults reports VM_FAULT_MAJOR, fs/dax.c's sign of IOMAP_F_NEW (a block
#   allocated for it), though /mnt/dax's 2 MiB extent size hint would suggest one allocation.
# - S pages 2 MiB apart (each in an extent of its own): S sync faults on both.
# - P = 2 PMD writes (--huge, 2 MiB apart, a 4 MiB fresh file mapped 2 MiB-aligned): P PMD
#   sync faults (result needdsync: the PMD path reports no MAJOR), each synced with a PMD
#   order (enum page_entry_size 1 before 6.6, PMD_ORDER since: sync.bpf.c reads either).
# - K pages written by pwrite and fsync'ed (create, then mwrite-sync's own fsync): no sync. The
#   file is 2 MiB, a whole extent of the hint: a shorter one has post-EOF blocks, which XFS
#   trims after the writer's close, logging the inode; on 6.12 that trim landed after the fsync
#   once and made the first fault a sync (measured: "needdsync" without "major").
# - Each sync's vfs_fsync_range writes back the faulting page's range, which is a DAX
#   writeback range (a flush) only when the file already has dirty entries: the pages that
#   earlier syncs made writable. So a file's first sync is no flush and each later one is,
#   over a page not yet dirty: flushes N - 1 + S - 1 + P - 1, flush_pages 0.
set -u
. "$(dirname "$0")/lib.sh"
N=8
S=3
P=2
K=8

# top, lat -F and snoop of one run of the three workloads; top's object, lat's and snoop's
# records are told apart by their first key.
run_map_sync() {
	"$WORKLOAD" create "$synced" 2m > /dev/null
	"$DAXTRACE" top --json --attach="$family" -- \
		"$DAXTRACE" lat -F --json --attach="$family" -- \
		"$DAXTRACE" snoop --json --attach="$family" -- sh -c "exec > /dev/null
		'$WORKLOAD' mwrite-sync-new '$fresh' $N &&
		'$WORKLOAD' mwrite-sync-new '$spread' $S --stride 2m &&
		'$WORKLOAD' mwrite-sync-new '$huge' $P --stride 2m --huge &&
		'$WORKLOAD' mwrite-sync '$synced' $K" 2>&1
}

# file_counts JSON FIELDS: {fresh: ..., spread: ..., huge: ..., synced: ...} of top's file rows.
file_counts() {
	echo "$1" | jq -c "[.files[] | {(.ino | tostring): $2}] | add |
		{fresh: .[\"$(stat -c %i "$fresh")\"], spread: .[\"$(stat -c %i "$spread")\"],
		huge: .[\"$(stat -c %i "$huge")\"], synced: .[\"$(stat -c %i "$synced")\"]}"
}

test_map_sync() {
	fs=$1
	name=$family/$fs
	fresh=$DAX_MNT/sync-fresh-$family spread=$DAX_MNT/sync-spread-$family
	synced=$DAX_MNT/sync-synced-$family huge=$DAX_MNT/sync-huge-$family
	start=$(date +%s)
	out=$(run_map_sync)
	top=$(echo "$out" | grep '^{"time".*"interval_s"')
	lat=$(echo "$out" | grep '^{"histograms"')
	events=$(echo "$out" | grep '^{"time".*"event"')
	ptes=$((N + S + K)) syncs=$((N + S + P))
	check "$name/sync-total" "$top" \
		'.total | {faults, pte, pmd, write, nopage, fallback, mkwrite, sync, flushes, flush_pages}' \
		"{\"faults\":$((ptes + P)),\"pte\":$ptes,\"pmd\":$P,\"write\":$((ptes + P)),\"nopage\":$K,\"fallback\":0,\"mkwrite\":0,\"sync\":$syncs,\"flushes\":$((N - 1 + S - 1 + P - 1)),\"flush_pages\":0}"
	verdict "$name/sync-files" "$(file_counts "$top" '{faults, pmd, sync}')" "file rows" \
		"{\"fresh\":{\"faults\":$N,\"pmd\":0,\"sync\":$N},\"spread\":{\"faults\":$S,\"pmd\":0,\"sync\":$S},\"huge\":{\"faults\":$P,\"pmd\":$P,\"sync\":$P},\"synced\":{\"faults\":$K,\"pmd\":0,\"sync\":0}}"
	check "$name/sync-process" "$top" \
		'[.processes[] | select(.comm == "dt-workload")] | {rows: length, sync: (map(.sync) | add)}' \
		"{\"rows\":4,\"sync\":$syncs}"
	# The NEEDDSYNC faults as snoop shows them (PTE ones with VM_FAULT_MAJOR: each allocated).
	check_all "$name/snoop-fault-results" "$events" \
		'[.[] | select(.event == "fault") | .result] | group_by(.) | map({(.[0]): length}) | add' \
		"{\"major|needdsync\":$((N + S)),\"needdsync\":$P,\"nopage\":$K}"
	sync_kind=$(echo "$top" | jq -r .attach.sync)
	if [ "$sync_kind" = none ]; then
		# no fentry or kprobe route: sync still counts (above), its time stays empty
		check "$name/sync-untimed" "$top" '.total.sync_ns' 0
		check "$name/lat-sync-untimed" "$lat" '[.histograms[] | select(.kind == "sync")] | length' 0
		check_all "$name/snoop-sync-untimed" "$events" '[.[] | select(.event == "sync")] | length' 0
	else
		verdict "$name/sync-ns" "$(file_counts "$top" '(.sync_ns > 0)')" "file rows" \
			'{"fresh":true,"spread":true,"huge":true,"synced":false}'
		check "$name/lat-sync" "$lat" \
			"[.histograms[] | select(.kind == \"sync\") | {ino, count, timed: (.sum_ns > 0)}] | sort_by(.ino)" \
			"$(printf '[{"ino":%d,"count":%d,"timed":true},{"ino":%d,"count":%d,"timed":true},{"ino":%d,"count":%d,"timed":true}]' \
				"$(stat -c %i "$fresh")" $N "$(stat -c %i "$spread")" $S "$(stat -c %i "$huge")" $P |
				jq -c 'sort_by(.ino)')"
		# one sync record per NEEDDSYNC fault, of its size, writable once done (nopage)
		check_all "$name/snoop-sync" "$events" \
			'[.[] | select(.event == "sync") | {size, rw, result, bytes, timed: (.latency_ns > 0)}] | group_by(.) | map(.[0] + {n: length}) | sort_by(.size)' \
			"[{\"size\":\"pmd\",\"rw\":\"w\",\"result\":\"nopage\",\"bytes\":2097152,\"timed\":true,\"n\":$P},{\"size\":\"pte\",\"rw\":\"w\",\"result\":\"nopage\",\"bytes\":4096,\"timed\":true,\"n\":$((N + S))}]"
		check_all "$name/snoop-sync-pages" "$events" \
			"[.[] | select(.event == \"sync\" and .ino == $(stat -c %i "$spread")) | .pgoff] | sort" \
			'[0,512,1024]'
	fi
	check "$name/snoop-lost" "$(echo "$out" | grep '^{"summary"')" .summary.lost 0
	echo "# $name ($sync_kind): $(($(date +%s) - start)) s" >&2
}

echo "guest kernel $kernel"
# Under TCG each run of three sessions costs 40 to 60 s, so the suite makes two: XFS with auto,
# then ext4 with the function kind auto did not take for sync (auto takes fentry where tp_btf
# cannot be preempted, kprobe where it can: 7.2), so both of sync's routes are timed.
auto_kind=
for family in "$@"; do
	[ "$family" = auto ] || continue
	test_map_sync xfs
	auto_kind=$sync_kind
done
ext4_family=auto
for family in "$@"; do
	case $family in
	fentry | kprobe)
		if [ "$family" = "$auto_kind" ]; then
			skip "$family/map-sync" "auto took $family for sync: covered by auto on XFS"
		else
			ext4_family=$family
		fi
		;;
	esac
done
if remake_dax_fs ext4; then
	family=$ext4_family
	test_map_sync ext4
else
	fail mapsync/mkfs-ext4 "cannot make ext4 on $DAX_DEV"
fi
remake_dax_fs xfs || fail mapsync/mkfs-xfs "cannot make XFS on $DAX_DEV again"
exit 0
