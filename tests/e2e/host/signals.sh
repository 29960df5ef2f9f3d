#!/bin/sh
# SIGINT or SIGTERM in the middle of a run: a final report, exit 0, and no daxtrace BPF program
# or map left in the kernel.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

# Our maps by name (bpftool shows map names whole; program names are cut to 15 characters).
our_objects() {
	bpftool map list 2>/dev/null | grep -cE ' name (total_stats|proc_stats|file_stats|cow_files|fault_start) '
}

test_signal() {
	sig=$1
	out=$(mktemp)
	log=$(mktemp)
	before=$(our_objects)
	"$DAXTRACE" top --json -v -i 30 > "$out" 2> "$log" &
	pid=$!
	for _ in $(seq 100); do
		grep -q "^daxtrace: attached" "$log" && break
		sleep 0.1
	done
	attached=$(our_objects)
	kill -"$sig" $pid
	wait $pid
	status=$?
	check "signal-$sig" "$((attached - before))" 5 attached
	check "signal-$sig" $status 0 exit-status
	check "signal-$sig" "$(grep -c '^{"time"' "$out")" 1 final-report
	# The kernel frees a map in a worker after its last reference goes: give it 3 s. A leak
	# (a pinned map, a child holding an fd) stays for good.
	for _ in $(seq 30); do
		[ "$(our_objects)" = "$before" ] && break
		sleep 0.1
	done
	check "signal-$sig" "$(our_objects)" "$before" nothing-left
	rm -f "$out" "$log"
}

test_signal INT
test_signal TERM
