#!/bin/sh
# Host end-to-end tests of `daxtrace cow` on the page cache (XFS, reflink, loop device): each
# remap kind with its bytes, sharing breaks and their completions in the writeback kworker.
# The DAX counterpart is test_cow in tests/e2e/vm/stream-suite.sh.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
setup_xfs

N=4

cow_json() {
	"$DAXTRACE" cow --json "$@" | grep '^{"time"'
}

# clone, clone range, dedupe of equal ranges and unshare once each; N pwrites to pages of the
# clone one MiB apart, fsync: N + 1 breaks (the unshare copies too), all completed.
test_cow_kinds() {
	a=$mnt/cow-a b=$mnt/cow-b c=$mnt/cow-c
	"$WORKLOAD" create "$a" 8m > /dev/null
	drop_caches
	out=$(cow_json -- sh -c "exec > /dev/null; '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' clonerange '$a' '$c' 1m 64k 0 && '$WORKLOAD' dedupe '$a' '$b' 0 64k &&
		'$WORKLOAD' unshare '$b' 2m 8k &&
		'$WORKLOAD' pwrite '$b' $N --stride 1m --offset 4m && '$WORKLOAD' fsync '$b'")
	check cow/remaps "$(echo "$out" | jq -c .total.remaps)" \
		'{"total":4,"clone":{"count":1,"bytes":8388608},"clone_range":{"count":1,"bytes":65536},"dedupe":{"count":1,"bytes":65536},"unshare":{"count":1,"bytes":8192}}'
	bytes=$((8192 + N * 4096))
	check cow/breaks "$(echo "$out" | jq -c '.total.breaks | {count, bytes, timed}')" \
		"{\"count\":$((N + 1)),\"bytes\":$bytes,\"timed\":0}"
	check cow/completions "$(echo "$out" | jq -c .total.completions)" \
		"{\"count\":$((N + 1)),\"bytes\":$bytes}"
	check cow/files "$(echo "$out" | jq -c '[.files[] | {path, remaps: .remaps.total, breaks: .breaks.count}] | sort_by(.path)')" \
		"[{\"path\":\"$b\",\"remaps\":3,\"breaks\":$((N + 1))},{\"path\":\"$c\",\"remaps\":1,\"breaks\":0}]"
	# one process row per workload run that remapped or broke sharing; the kworkers' completions
	# are in the file rows and the total only
	check cow/processes "$(echo "$out" | jq -c '[.processes[] | .comm] | unique')" '["dt-workload"]'
	# only DAX mounts are named when they cannot reflink: the host's root (ext4) and this
	# page-cache XFS are not (ext4-suite.sh tests a DAX ext4)
	check cow/no-reflink "$(echo "$out" | jq -c .no_reflink)" '[]'
	check cow/process-breaks "$(echo "$out" | jq '[.processes[].breaks.count] | add')" $((N + 1))
}

# Truncating a file whose writes left COW reservations behind (cowextsize preallocation)
# cancels them: counted, with their blocks, on that file.
test_cow_cancel() {
	a=$mnt/cancel-a b=$mnt/cancel-b
	"$WORKLOAD" create "$a" 8m > /dev/null
	"$WORKLOAD" clone "$a" "$b" > /dev/null
	out=$(cow_json -- sh -c "exec > /dev/null; '$WORKLOAD' pwrite '$b' $N --stride 1m &&
		'$WORKLOAD' fsync '$b' && truncate -s 0 '$b'")
	check cow/cancel "$(echo "$out" | jq '.total.cancels.count > 0 and .total.cancels.blocks > 0')" true
	check cow/cancel-file "$(echo "$out" | jq -r '[.files[] | select(.cancels.count > 0) | .path] | .[]')" "$b"
}

test_cow_kinds
test_cow_cancel
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
