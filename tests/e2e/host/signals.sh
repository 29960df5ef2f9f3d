#!/bin/sh
# SIGINT or SIGTERM in the middle of a run: a final report, exit 0, and no BPF program, map or
# link of that run left in the kernel.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

# The names of the maps in file $1 that identify daxtrace, sorted (program names are cut to 15
# characters, map names are whole).
OUR_MAPS="cow_files file_stats proc_stats total_stats"
held_map_names() {
	sed -n 's/^map://p' "$1" | while read -r id; do
		bpftool map show id "$id" -j 2>/dev/null | jq -r '.name // empty'
	done | grep -xE 'total_stats|proc_stats|file_stats|cow_files' | sort | xargs
}

test_signal() {
	sig=$1
	out=$(mktemp)
	log=$(mktemp)
	held=$(mktemp)
	"$DAXTRACE" top --json -v -i 30 > "$out" 2> "$log" &
	pid=$!
	for _ in $(seq 100); do
		grep -q "^daxtrace: attached" "$log" && break
		sleep 0.1
	done
	held_objects $pid > "$held"
	names=$(held_map_names "$held")
	kill -"$sig" $pid
	wait $pid
	status=$?
	check "signal-$sig" "$names" "$OUR_MAPS" attached
	check "signal-$sig" $status 0 exit-status
	check "signal-$sig" "$(grep -c '^{"time"' "$out")" 1 final-report
	# A leak (a pinned map, a child holding an fd) stays for good; give the kernel 3 s.
	for _ in $(seq 30); do
		[ "$(still_present "$held")" = 0 ] && break
		sleep 0.1
	done
	check "signal-$sig" "$(still_present "$held")" 0 nothing-left
	rm -f "$out" "$log" "$held"
}

test_signal INT
test_signal TERM
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
