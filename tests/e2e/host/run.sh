#!/bin/sh
# Host end-to-end tests of `daxtrace top`: exact counts on XFS + reflink on a loop device.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip all "needs root (BPF, mount)"
	exit 0
fi
setup_xfs

N=8

# N first-touch mmap writes, one MiB apart so each page sits in its own folio: the page cache
# calls ->page_mkwrite once per page (do_shared_fault), and nothing else counts.
test_mkwrite() {
	family=$1
	f=$mnt/mkwrite-$family
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$(top_json --attach="$family" -- "$WORKLOAD" mwrite "$f" $N --stride 1m)
	check "mkwrite/$family" "$(echo "$out" | jq .total.mkwrite)" $N total
	check "mkwrite/$family" \
		"$(echo "$out" | jq '[.processes[] | select(.comm == "dt-workload")][0].mkwrite')" \
		$N process
	check "mkwrite/$family" "$(echo "$out" | jq --argjson ino "$(stat -c %i "$f")" \
		'[.files[] | select(.ino == $ino)][0].mkwrite')" $N file
	# Classic tracepoints carry dev and ino only: no dentry, so no path.
	[ "$family" = classic ] && want_path=null || want_path=$f
	check "mkwrite/$family" "$(echo "$out" | jq -r '.files[0].path')" "$want_path" path
	check "mkwrite/$family" "$(echo "$out" | jq .total.faults)" 0 no-dax-faults
	check "mkwrite/$family" "$(echo "$out" | jq -r ".attach[\"mkwrite.xfs\"]")" "$family" \
		attach
}

# FICLONE is one remap; N pwrites and N mmap writes to distinct pages of the clone, then fsync:
# 2N sharing breaks, each completed (xfs_reflink_end_cow, in a kworker) with 4096 bytes.
test_reflink() {
	src=$mnt/reflink-src
	clone=$mnt/reflink-clone
	"$WORKLOAD" create "$src" 32m > /dev/null
	out=$(top_json -- "$WORKLOAD" clone "$src" "$clone")
	check reflink "$(echo "$out" | jq .total.remaps)" 1 clone-remaps
	check reflink "$(echo "$out" | jq --arg p "$clone" \
		'[.files[] | select(.path == $p)][0].remaps')" 1 clone-remaps-file
	drop_caches
	out=$(top_json -- sh -c "'$WORKLOAD' pwrite '$clone' $N --stride 1m > /dev/null &&
		'$WORKLOAD' mwrite '$clone' $N --stride 1m --offset 16m > /dev/null &&
		'$WORKLOAD' fsync '$clone' > /dev/null")
	check reflink "$(echo "$out" | jq .total.cow)" $((2 * N)) cow
	check reflink "$(echo "$out" | jq .total.cow_bytes)" $((2 * N * 4096)) cow-bytes
	check reflink "$(echo "$out" | jq --arg p "$clone" \
		'[.files[] | select(.path == $p)][0].cow_bytes')" $((2 * N * 4096)) cow-bytes-file
	check reflink "$(echo "$out" | jq .total.mkwrite)" $N mkwrite
	check reflink "$(echo "$out" | jq '[.processes[].cow] | add')" $((2 * N)) cow-by-processes
}

# The same work by a process outside the traced tree, at the same time, is not counted.
test_untraced_neighbour() {
	f=$mnt/traced
	other=$mnt/untraced
	"$WORKLOAD" create "$f" 16m > /dev/null
	"$WORKLOAD" create "$other" 16m > /dev/null
	drop_caches
	"$WORKLOAD" spin-mwrite "$other" 8 --stride 1m 4 > /dev/null &
	spinner=$!
	sleep 0.5
	out=$(top_json -- "$WORKLOAD" mwrite "$f" $N --stride 1m)
	wait $spinner
	check untraced-neighbour "$(echo "$out" | jq .total.mkwrite)" $N total
	check untraced-neighbour "$(echo "$out" | jq --arg p "$other" \
		'[.files[] | select(.path == $p)] | length')" 0 no-row
}

# top --json -i 3 -n 1 OPTIONS; once it has attached (-v says so), GATE (a fifo the traced
# process waits on) is opened, so the process starts its work only when it can be seen.
top_once_attached() {
	gate=$1
	shift
	in_background "$workdir/top.err" "$DAXTRACE" top -v --json -i 3 -n 1 "$@" > "$workdir/top.out"
	top=$!
	wait_attached "$workdir/top.err"
	echo go > "$gate"
	wait $top
	cat "$workdir/top.out"
}

# -p: only that process, over an interval; a busy neighbour is not counted.
test_pid_filter() {
	f=$mnt/pid-filter
	other=$mnt/pid-other
	"$WORKLOAD" create "$f" 16m > /dev/null
	"$WORKLOAD" create "$other" 16m > /dev/null
	drop_caches
	gate=$workdir/pid-gate
	mkfifo "$gate"
	sh -c "read go < '$gate'; exec '$WORKLOAD' mwrite '$f' $N --stride 1m > /dev/null" &
	target=$!
	"$WORKLOAD" spin-mwrite "$other" 8 --stride 1m 3 > /dev/null &
	spinner=$!
	out=$(top_once_attached "$gate" -p $target)
	wait $target $spinner
	check pid-filter "$(echo "$out" | jq .total.mkwrite)" $N total
	check pid-filter "$(echo "$out" | jq '[.processes[].pid] | unique | length')" 1 one-process
}

# -d and --dax-only act in the kernel: another device, or DAX only, sees nothing here.
test_dev_and_dax_filters() {
	f=$mnt/dev-filter
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$(top_json -d "$devno" -- "$WORKLOAD" mwrite "$f" $N --stride 1m)
	check dev-filter "$(echo "$out" | jq .total.mkwrite)" $N this-device
	drop_caches
	out=$(top_json -d 1:3 -- "$WORKLOAD" mwrite "$f" $N --stride 1m)
	check dev-filter "$(echo "$out" | jq .total.mkwrite)" 0 other-device
	drop_caches
	out=$(top_json --dax-only -- "$WORKLOAD" mwrite "$f" $N --stride 1m)
	check dax-only "$(echo "$out" | jq .total.mkwrite)" 0 page-cache-excluded
}

# -C: tasks in the cgroup (v2) or below only. A host with cgroup v1 only (ours) gets a cgroup2
# hierarchy of its own, without controllers, for the test.
test_cgroup_filter() {
	if ! cgroup2_root; then
		fail cgroup-filter "no cgroup2 mount on this host, and none could be made"
		return
	fi
	group=$cgroup_root/daxtrace-e2e-$$
	mkdir "$group"
	f=$mnt/cgroup-in
	other=$mnt/cgroup-out
	"$WORKLOAD" create "$f" 16m > /dev/null
	"$WORKLOAD" create "$other" 16m > /dev/null
	drop_caches
	gate=$workdir/cgroup-gate
	mkfifo "$gate"
	sh -c "echo \$\$ > '$group/cgroup.procs'; read go < '$gate'; exec '$WORKLOAD' mwrite '$f' $N \
		--stride 1m > /dev/null" &
	inside=$!
	"$WORKLOAD" spin-mwrite "$other" 8 --stride 1m 3 > /dev/null &
	spinner=$!
	out=$(top_once_attached "$gate" -C "$group")
	wait $inside $spinner
	rmdir "$group"
	check cgroup-filter "$(echo "$out" | jq .total.mkwrite)" $N total
}

# The command's exit status is daxtrace's; a command that cannot run is 127, like a shell.
test_exit_status() {
	"$DAXTRACE" top --json -- sh -c 'exit 7' > /dev/null
	check exit-status $? 7 command-status
	"$DAXTRACE" top --json -- /nonexistent/command > /dev/null 2>&1
	check exit-status $? 127 not-found
}

test_mkwrite tp_btf
test_mkwrite raw_tp
test_mkwrite classic
test_reflink
test_untraced_neighbour
test_pid_filter
test_dev_and_dax_filters
test_cgroup_filter
test_exit_status
# each exits 0 once it has run all its tests
run_suite "$here/stream.sh"
run_suite "$here/cow.sh"
# Not again in the sanitizer lane (SAN_LANE): the CSV code's paths are the unit tests' (which
# that lane runs sanitized), test_csv_writer.c's quoting of every special byte and
# test_counter_csv.c's exact headers and rows of top and cow, with device and latency columns
# and a column list; csv.sh's sessions add only what stream.sh and hostile.sh run there too.
[ -n "${SAN_LANE:-}" ] || run_suite "$here/csv.sh"
run_suite "$here/signals.sh"
run_suite "$here/usage.sh"
# Not in the sanitizer lane either: it compares --help with the man pages (text, not memory);
# the code it runs is option parsing, fuzz_options's (ASan and UBSan) and test_options.c's,
# each command's --help, which usage.sh runs in the lane, and top and cow --json runs.
[ -n "${SAN_LANE:-}" ] || run_suite "$here/manpages.sh"
run_suite "$here/diff.sh"
run_suite "$here/output.sh"
run_suite "$here/screen.sh"
run_suite "$here/hostile.sh"
run_suite "$here/privileges.sh"
# Not again in the sanitizer lane (SAN_LANE): they run no daxtrace code beyond --help, which
# usage.sh runs there: the bash completion script, dt-workload (never the sanitized build) and
# systemd-analyze on the unit file.
[ -n "${SAN_LANE:-}" ] || run_suite "$here/completion.sh"
[ -n "${SAN_LANE:-}" ] || run_suite "$here/workload.sh"
run_suite "$here/record.sh"
run_suite "$here/model.sh"
run_suite "$here/doctor.sh"
[ -n "${SAN_LANE:-}" ] || run_suite "$here/systemd-unit.sh"
run_suite "$here/exporter.sh"
run_suite "$here/exporter-clients.sh"
exit 0
