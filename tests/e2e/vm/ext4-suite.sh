#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest: DAX on ext4 (mkfs.ext4 -b 4096, mount -o dax), tested
# as XFS is. It remakes $DAX_DEV as ext4, runs dax-suite.sh's and mapuse-suite.sh's checks
# there (names prefixed ext4/), then what the XFS suites test elsewhere or cannot: fsync's
# writeback per process and file, lat and snoop agreeing with top, and what cow, share and
# doctor say of a DAX mount whose files cannot share extents. Family auto only: ext4 adds no
# probe point (its faults, mkwrites included, and its writeback enter the fs_dax tracepoints
# XFS's do). It gives guest.sh's XFS back at its end.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
N=8

# N pages written through a mapping, then fsync from another process: ext4_sync_file ->
# file_write_and_wait_range -> dax_writeback_mapping_range, one range whose N dirty PTE
# entries are flushed. The flush is the fsync's process's, the writes the writer's; the file
# has both.
test_fsync() {
	f=$DAX_MNT/fsync-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	out=$(top_json -- sh -c "'$WORKLOAD' mwrite '$f' $N > /dev/null &&
		'$WORKLOAD' fsync '$f' > /dev/null")
	check "$family/fsync" "$out" '.total | {write, flushes, flush_pages}' \
		"{\"write\":$N,\"flushes\":1,\"flush_pages\":$N}"
	check "$family/fsync-processes" "$out" \
		'[.processes[] | select(.comm == "dt-workload") | {write, flushes, flush_pages}] | sort_by(.write)' \
		"[{\"write\":0,\"flushes\":1,\"flush_pages\":$N},{\"write\":$N,\"flushes\":0,\"flush_pages\":0}]"
	check "$family/fsync-file" "$out" \
		"[.files[] | select(.ino == $(stat -c %i "$f")) | {write, flushes, flush_pages}]" \
		"[{\"write\":$N,\"flushes\":1,\"flush_pages\":$N}]"
}

# One workload under snoop, under lat, under top: N PTE reads; N reads then N mkwrites; two
# PMD reads of a 2 MiB-aligned file; one misaligned huge read (its PMD fault falls back, tried
# $tries times, see dax-suite.sh, then one PTE read); one fsync of the N dirty pages. The N PTE
# reads and the N reads and mkwrites of the N pages are under MADV_NOHUGEPAGE (dt-workload's
# default): 3N PTE faults with no PMD fault tried (nopmd-nohugepage).
test_lat_snoop() {
	r=$DAX_MNT/ls-r-$family w=$DAX_MNT/ls-w-$family h=$DAX_MNT/ls-h-$family
	for f in "$r" "$w"; do "$WORKLOAD" create "$f" 4m > /dev/null; done
	create_pmd_file "$h" 8 || fail "$family/lat-pmd-extent" "$h: extents not 2 MiB-aligned"
	all=$("$DAXTRACE" top --json --attach="$family" -- \
		"$DAXTRACE" lat --json --attach="$family" -- \
		"$DAXTRACE" snoop --json --attach="$family" -- sh -c "exec > /dev/null
		'$WORKLOAD' mread '$r' $N && '$WORKLOAD' mreadwrite '$w' $N &&
		'$WORKLOAD' mread '$h' 2 --stride 2m --huge &&
		'$WORKLOAD' mread '$h' 1 --stride 2m --offset 4k --huge && '$WORKLOAD' fsync '$w'" 2>&1)
	top=$(echo "$all" | grep '^{"time"' | jq -c 'select(.interval_s != null)')
	lat=$(echo "$all" | grep '^{"histograms"')
	events=$(echo "$all" | grep '^{"time"' | jq -c 'select(.event != null)')
	check "$family/lat-counts" "$lat" "$lat_counts" \
		"{\"pte-read\":$((2 * N + 1)),\"pte-write\":$N,\"pmd-read\":$((2 + tries)),\"mkwrite\":$N,\"writeback\":1,\"fallback-misaligned\":$tries,\"nopmd-nohugepage\":$((3 * N))}"
	check "$family/lat-equals-top" "$top" "$top_as_lat" "$(echo "$lat" | jq -c "$lat_counts_as_top")"
	# snoop: a fault is one record, of type mkwrite, sigbus or cow when it was one of those
	snooped='group_by(.event) | map({(.[0].event): length}) | add'
	check_all "$family/snoop-counts" "$events" "$snooped" \
		"{\"fault\":$((2 * N + 3 + tries)),\"mkwrite\":$N,\"writeback\":1}"
	check "$family/snoop-equals-top" "$top" \
		'.total | {fault: (.faults - .mkwrite - .sigbus - .cow), mkwrite, writeback: .flushes}' \
		"$(echo "$events" | jq -cs "$snooped")"
}

# ext4 cannot share extents: FICLONE fails (EOPNOTSUPP) before any remap, and cow, share and
# doctor name the mount and why, so that cow's and share's zeros are not read as "nothing
# happened". cow leaves the mount's files out of its rows (they never break sharing).
test_no_reflink() {
	a=$DAX_MNT/nr-a-$family b=$DAX_MNT/nr-b-$family
	"$WORKLOAD" create "$a" 1m > /dev/null
	why="\"no_reflink\":[{\"mount_point\":\"$DAX_MNT\",\"fs_type\":\"ext4\",\"reason\":\"fs_without_reflink\"}]"
	err=$(mktemp)
	out=$("$DAXTRACE" cow --json --attach="$family" -- sh -c "exec > /dev/null 2>&1
		'$WORKLOAD' clone '$a' '$b'; '$WORKLOAD' mwrite '$a' $N" 2> "$err" | grep '^{"time"')
	check "$family/cow-no-reflink" "$out" \
		'{no_reflink, remaps: .total.remaps.total, breaks: .total.breaks.count, files: (.files | length)}' \
		"{$why,\"remaps\":0,\"breaks\":0,\"files\":0}"
	verdict "$family/cow-no-reflink-stderr" "$(grep -v '^daxtrace' "$err")" "stderr" \
		"cow: $DAX_MNT (ext4) cannot share extents: the file system has no reflink; no sharing breaks to count there"
	out=$("$DAXTRACE" cow --attach="$family" -- true 2> /dev/null)
	verdict "$family/cow-no-reflink-table" "$(echo "$out" | grep '^no reflink')" "table" \
		"no reflink: $DAX_MNT (ext4): the file system has no reflink"
	out=$("$DAXTRACE" share --json -- "$WORKLOAD" mwrite "$a" $N 2> "$err" | tail -n 1)
	check "$family/share-no-reflink" "$out" '{no_reflink, shared_pfns}' "{$why,\"shared_pfns\":0}"
	verdict "$family/share-no-reflink-stderr" "$(grep -v '^daxtrace' "$err")" "stderr" \
		"share: $DAX_MNT (ext4) cannot share extents: the file system has no reflink; no shared pages to find there"
	rm -f "$err"
	out=$("$DAXTRACE" doctor --json)
	check "$family/doctor-ext4" "$out" '{dax_mounts, no_reflink}' \
		"{\"dax_mounts\":[\"$DAX_MNT\"],$why}"
}

echo "guest kernel $kernel"
case " $* " in
*" auto "*) ;;
*)
	skip ext4 "family auto only, not given"
	exit 0
	;;
esac
family=auto
# every check of this suite, dax-suite's and mapuse-suite's included, is named ext4/...
export NAME_PREFIX=ext4/
if remake_dax_fs ext4 -b 4096; then
	tries=$(pmd_tries)
	"$here/dax-suite.sh" auto || fail dax-suite "stopped early (exit $?)"
	test_fsync
	test_lat_snoop
	test_no_reflink
	# last on ext4: it poisons a page
	"$here/mapuse-suite.sh" auto || fail mapuse-suite "stopped early (exit $?)"
else
	fail mkfs "cannot make a DAX ext4 on $DAX_DEV"
fi
# An XFS made without reflink cannot share extents either: the XFS_IOC_FSGEOMETRY flags say
# so (doctor names it as cow and share do); guest.sh's, made with reflink, is not named.
doctor_no_reflink() {
	"$DAXTRACE" doctor --json | jq -c .no_reflink
}
if remake_dax_fs xfs -m reflink=0; then
	verdict auto/doctor-xfs-no-reflink "$(doctor_no_reflink)" .no_reflink \
		"[{\"mount_point\":\"$DAX_MNT\",\"fs_type\":\"xfs\",\"reason\":\"made_without_reflink\"}]"
else
	fail auto/doctor-xfs-no-reflink "cannot make XFS without reflink on $DAX_DEV"
fi
if remake_dax_fs xfs; then
	verdict auto/doctor-xfs-reflink "$(doctor_no_reflink)" .no_reflink '[]'
else
	fail remake-xfs "cannot give guest.sh's XFS back on $DAX_DEV"
fi
exit 0
