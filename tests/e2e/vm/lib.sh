# shellcheck shell=sh # sourced by the *-suite.sh scripts, all #!/bin/sh
# Helpers of the guest suites (sourced): where the binaries are, and one result line per check,
# prefixed with the guest's kernel release, for tests/e2e/vm/run.sh.
BUILD=${BUILD:-build}
DAXTRACE=$BUILD/daxtrace
# shellcheck disable=SC2034 # used by the suites that source this file
WORKLOAD=$BUILD/tools/dt-workload
kernel=$(uname -r)

# daxtrace top's report for the attach family under test ($family); the workload prints JSON too.
# shellcheck disable=SC2154 # family: set by the suite's loop over the attach families
top_json() {
	"$DAXTRACE" top --json --attach="$family" "$@" | grep '^{"time"'
}

# lat's count of each kind ({"pte-read": N, ...}; a kind that never happened has no
# histogram), and top's totals as lat splits them: top counts read and write over both sizes,
# lat splits them by size, so the sums must agree.
# shellcheck disable=SC2034 # used by the suites that source this file
lat_counts='[.histograms[] | {(.kind): .count}] | add'
# shellcheck disable=SC2034
lat_counts_as_top='{"pte-read":0,"pte-write":0,"pmd-read":0,"pmd-write":0,"mkwrite":0,"cow":0,"writeback":0,"fallback-misaligned":0} + ('"$lat_counts"') | {faults: (.["pte-read"] + .["pte-write"] + .["pmd-read"] + .["pmd-write"]), read: (.["pte-read"] + .["pmd-read"]), write: (.["pte-write"] + .["pmd-write"]), pmd: (.["pmd-read"] + .["pmd-write"]), mkwrite, cow, flushes: .writeback, misaligned: .["fallback-misaligned"]}'
# shellcheck disable=SC2034
top_as_lat='.total | {faults, read, write, pmd, mkwrite, cow, flushes, misaligned: .fallback_reasons.misaligned}'

# The kind the plan of $family chose for a probe point: what a point's readers can see depends
# on it (classic tracepoints carry dev and ino, not the dentry), and auto's choice on the
# preemption model (engine/preempt_model.h).
point_kind() {
	"$DAXTRACE" doctor --json --attach="$family" | jq -r ".plan[] | select(.point == \"$1\") | .kind"
}

# A guest of another pmem provider than the NVDIMM (run.sh --pmem-provider, guest.sh's
# DAX_PROVIDER) names its checks vm/RELEASE/PROVIDER/..., apart from the NVDIMM guest's;
# NAME_PREFIX (e.g. ext4/): a suite run again on another file system (ext4-suite.sh) keeps its
# check names apart from the first run's.
where=$kernel
[ "${DAX_PROVIDER:-nvdimm}" = nvdimm ] || where=$kernel/$DAX_PROVIDER
pass() { echo "PASS vm/$where/${NAME_PREFIX:-}$1"; }
fail() { echo "FAIL vm/$where/${NAME_PREFIX:-}$1: $2"; }
skip() { echo "SKIP vm/$where/${NAME_PREFIX:-}$1: $2"; }

# kernel_at_least MAJOR MINOR: what 7.2 does is expected of the sid kernels after it too.
kernel_at_least() {
	major=${kernel%%.*} rest=${kernel#*.}
	minor=${rest%%.*}
	[ "$major" -gt "$1" ] || { [ "$major" -eq "$1" ] && [ "$minor" -ge "$2" ]; }
}

# The file system on $DAX_MNT now (xfs, ext4): suites that run on both expect what it does.
dax_fs() {
	findmnt -n -o FSTYPE "$DAX_MNT"
}

# pmd_tries: PMD attempts per PMD fault that falls back, on $DAX_MNT's file system. ext4's DAX
# vm_operations have no ->map_pages: from v6.7 ("mm: handle read faults under the VMA lock",
# and the same for shared and private write faults) do_read_fault(), do_shared_fault() and do_cow_fault() return VM_FAULT_RETRY
# from vmf_can_call_fault() before ->fault while the fault holds only the VMA lock, and the mm
# takes the whole fault again under mmap_lock, trying the PMD first again: two PMD fallbacks,
# then one PTE fault (measured on 6.12 and 7.2; 6.1 has no per-VMA locks). A PMD fault that
# succeeds, or a PTE fault, is not retried: the retry comes before ->fault. XFS has
# ->map_pages (xfs_filemap_map_pages), and its faults go on under the VMA lock.
pmd_tries() {
	if [ "$(dax_fs)" = ext4 ] && kernel_at_least 6 7; then echo 2; else echo 1; fi
}

# create_pmd_file FILE MB: FILE of MB MiB (a power of two) whose extents are 2 MiB-aligned on
# pmem, so that PMD faults can succeed; 1 if they are not. XFS: guest.sh's 2 MiB extent size
# hint aligns any file. ext4 has no hint, and a file written in 1 MiB chunks lands where the
# allocator's goal is (seen 1 MiB-aligned only); one fallocate of the whole file is one
# power-of-two request, which mballoc serves buddy-aligned (ext4_mb_simple_scan_group), then
# written so that the extent is no longer unwritten.
create_pmd_file() {
	if [ "$(dax_fs)" = xfs ]; then
		"$WORKLOAD" create "$1" "$2m" > /dev/null
		return
	fi
	rm -f "$1"
	xfs_io -f -c "falloc 0 $2m" -c "pwrite -q 0 $2m" -c fsync "$1" &&
		filefrag -v "$1" | awk '$1 ~ /^[0-9]+:$/ { if (($2 + 0) % 512 || ($4 + 0) % 512 ||
			($6 + 0) % 512) bad = 1; n++ } END { exit bad || !n }'
}

# verdict NAME GOT FILTER EXPECTED: PASS when GOT (the FILTER's output) is EXPECTED.
verdict() {
	if [ "$2" = "$4" ]; then
		pass "$1"
	else
		fail "$1" "$3: expected $4, got '$2'"
	fi
}

# check NAME JSON FILTER EXPECTED: the jq FILTER of JSON, compact, must be EXPECTED.
check() {
	verdict "$1" "$(echo "$2" | jq -c "$3")" "$3" "$4"
}

# check_all NAME LINES FILTER EXPECTED: the same over all JSON lines at once (jq --slurp).
check_all() {
	verdict "$1" "$(echo "$2" | jq -cs "$3")" "$3" "$4"
}

# remake_dax_fs xfs|ext4 [MKFS_OPTION...]: a fresh file system of that type on $DAX_DEV, DAX-mounted
# on $DAX_MNT, made as tools/vm/guest.sh makes it (XFS: reflink, 2 MiB stripe unit and extent
# size hint, so that PMD faults can succeed). A suite that needs another file system than the
# boot's calls it, and `remake_dax_fs xfs` at its end gives the next suites guest.sh's XFS back.
remake_dax_fs() {
	fs=$1
	shift
	umount "$DAX_MNT" 2> /dev/null
	case $fs in
	xfs)
		# reflink unless the options say otherwise: mkfs.xfs refuses an option given twice
		case " $* " in *reflink=*) ;; *) set -- -m reflink=1 "$@" ;; esac
		mkfs.xfs -q -f -d su=2m,sw=1 "$@" "$DAX_DEV" &&
			mount -o dax=always "$DAX_DEV" "$DAX_MNT" && xfs_io -c "extsize 2m" "$DAX_MNT"
		;;
	ext4) mkfs.ext4 -q -F "$@" "$DAX_DEV" && mount -o dax "$DAX_DEV" "$DAX_MNT" ;;
	*) return 2 ;;
	esac
}

# remake_dax_fs, tried again for up to 5 s: on 7.2, mkfs once found /dev/pmem0 still busy
# ("Device or resource busy") right after the umount, late in share-suite.sh.
remake_retry() {
	for _ in 1 2 3 4 5; do
		remake_dax_fs "$@" 2> /dev/null && return 0
		sleep 1
	done
	remake_dax_fs "$@"
}

# fresh_xfs NAME: guest.sh's XFS made again, for a suite whose exact counts need PMD-capable
# extents, or a FAIL of NAME/mkfs and exit 0 (the runner's "stopped early" is for crashes). On
# the file system the earlier suites leave, a directory's allocation group can lack a free
# 2 MiB-aligned extent: a file's first 1 MiB pwrite then gets a 1 MiB extent and its PMD
# fault falls back, reason extent (record-suite.sh on 6.1 in CI, 2026-12-05; reproduced after
# those suites in every run of validate from the 21st on, xfs_alloc_near_first len 256, and
# in none of 300 on a fresh file system).
fresh_xfs() {
	remake_retry xfs && return 0
	fail "$1/mkfs" "cannot make guest.sh's XFS on $DAX_DEV"
	exit 0
}
