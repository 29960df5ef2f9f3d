#!/bin/sh
# SIGINT, SIGTERM or SIGHUP in the middle of a run, or the end of the -p process: a final
# report, exit 0, and no BPF program, map or link of that run left in the kernel. SIGKILL: the
# -- CMD command dies with daxtrace, and nothing is left either.
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

# start_attached OUT LOG HELD COMMAND ARGS...: runs daxtrace COMMAND -v ARGS in the background
# ($pid), waits
# until it has attached and lists the BPF objects it holds in HELD, their map names in $names.
# SIGHUP is reset to its default for daxtrace, whatever this shell inherited (a run under
# nohup ignores it, and daxtrace keeps an inherited ignore: session_wait.c); SIGHUP=ignore
# starts it as nohup would.
start_attached() {
	out=$1 log=$2 held=$3 command=$4
	shift 4
	in_background "$log" env --"${SIGHUP:-default}"-signal=HUP "$DAXTRACE" "$command" -v "$@" > "$out"
	pid=$!
	wait_attached "$log"
	held_objects $pid > "$held"
	names=$(held_map_names "$held")
}

# check_detached NAME HELD: a leak (a pinned map, a child holding an fd) stays for good; give
# the kernel 3 s to free the rest.
check_detached() {
	for _ in $(seq 30); do
		[ "$(still_present "$2")" = 0 ] && break
		sleep 0.1
	done
	check "$1" "$(still_present "$2")" 0 nothing-left
}

# SIGHUP ends a run as SIGTERM does: a last report and exit 0 (docs/daxtrace.8, SIGNALS).
test_signal() {
	sig=$1
	out=$(mktemp)
	log=$(mktemp)
	held=$(mktemp)
	start_attached "$out" "$log" "$held" top --json -i 30
	kill -"$sig" $pid
	wait $pid
	status=$?
	check "signal-$sig" "$names" "$OUR_MAPS" attached
	check "signal-$sig" $status 0 exit-status
	check "signal-$sig" "$(grep -c '^{"time"' "$out")" 1 final-report
	check_detached "signal-$sig" "$held"
	rm -f "$out" "$log" "$held"
}

# Under nohup (SIGHUP ignored when it starts) a hangup does not end daxtrace: it keeps running
# until SIGTERM, which ends it as always.
test_hup_ignored() {
	out=$(mktemp)
	log=$(mktemp)
	held=$(mktemp)
	SIGHUP=ignore start_attached "$out" "$log" "$held" top --json -i 30
	kill -HUP $pid
	sleep 0.5
	kill -0 $pid 2> /dev/null && alive=yes || alive=no
	check signal-HUP-ignored "$alive" yes still-running
	kill -TERM $pid
	wait $pid
	check signal-HUP-ignored $? 0 exit-status
	check signal-HUP-ignored "$(grep -c '^{"time"' "$out")" 1 final-report
	check_detached signal-HUP-ignored "$held"
	rm -f "$out" "$log" "$held"
}

# -p of a process that exits: daxtrace ends by itself within a second (pidfd), with its last
# report (snoop: its summary) and status 0, long before top's 30 s interval.
test_pid_exits() {
	cmd=$1
	want=$2
	shift 2
	out=$(mktemp)
	log=$(mktemp)
	held=$(mktemp)
	sleep 100 &
	target=$!
	start_attached "$out" "$log" "$held" "$cmd" --json -p $target "$@"
	kill -KILL $target
	wait $target 2> /dev/null
	for _ in $(seq 10); do
		kill -0 $pid 2> /dev/null || break
		sleep 0.1
	done
	kill -0 $pid 2> /dev/null && ended=no || ended=yes
	check "pid-exits/$cmd" "$ended" yes within-1s
	kill $pid 2> /dev/null
	wait $pid
	check "pid-exits/$cmd" $? 0 exit-status
	check "pid-exits/$cmd" "$(grep -c "$want" "$out")" 1 final-report
	check_detached "pid-exits/$cmd" "$held"
	rm -f "$out" "$log" "$held"
}

# Gone or a zombie (that no one reaps once its parent died).
process_gone() {
	state=$(sed 's/.*) //' /proc/"$1"/stat 2> /dev/null | cut -d' ' -f1)
	[ -z "$state" ] || [ "$state" = Z ]
}

# daxtrace killed with SIGKILL cannot stop its command: the command dies with it
# (PR_SET_PDEATHSIG), within a second.
test_sigkill_takes_command() {
	out=$(mktemp)
	log=$(mktemp)
	held=$(mktemp)
	start_attached "$out" "$log" "$held" top --json -- sleep 100
	# released right after the attach message: give it the time to exec
	for _ in $(seq 20); do
		child=$(pgrep -P $pid -x sleep) && break
		sleep 0.05
	done
	check sigkill-command "${child:+found}" found command-running
	kill -KILL $pid
	wait $pid 2> /dev/null
	for _ in $(seq 10); do
		process_gone "$child" && break
		sleep 0.1
	done
	process_gone "$child" && gone=yes || gone=no
	check sigkill-command "$gone" yes command-gone-within-1s
	check_detached sigkill-command "$held"
	rm -f "$out" "$log" "$held"
}

test_signal INT
test_signal TERM
test_signal HUP
test_hup_ignored
test_pid_exits top '^{"time"' -i 30
test_pid_exits snoop '^{"summary"'
test_sigkill_takes_command
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
