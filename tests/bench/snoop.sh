# shellcheck shell=sh # sourced by run.sh (#!/bin/sh)
# shellcheck disable=SC2154 # work (scratch directory) is set by run.sh
# The ring-buffer path of `daxtrace snoop` (sourced by run.sh): how many events per second it
# delivers, what it loses past that, and what it costs the traced processes.
#
# One run: SNOOP_PROCS dt-bench processes in mkwrite mode (write-protect faults, one mkwrite
# record each: the cheapest event this host's tracepoints give) started together, either
# untraced or under `daxtrace snoop --events mkwrite --buffer-kb KB` with its lines going to
# /dev/null. Every run's events are (rounds + 1) x pages per process (dt-bench's warm-up round
# is seen too); snoop's summary gives delivered and lost, which must add up to that.
#
# Environment: BENCH_SNOOP_BUFFERS_KB ("16 256 4096"), BENCH_SNOOP_ROUNDS (200),
# BENCH_SNOOP_REPEAT (3).

SNOOP_BUFFERS_KB=${BENCH_SNOOP_BUFFERS_KB:-16 256 4096}
SNOOP_ROUNDS=${BENCH_SNOOP_ROUNDS:-200}
SNOOP_REPEAT=${BENCH_SNOOP_REPEAT:-3}
SNOOP_PROCS=$(nproc)
SNOOP_PAGES=1024

# snoop_workload: the dt-bench processes, as one shell command; each prints one JSON line.
snoop_workload() {
	cmd=
	for p in $(seq 1 "$SNOOP_PROCS"); do
		cmd="$cmd '$DT_BENCH' --rounds $SNOOP_ROUNDS --pages $SNOOP_PAGES mkwrite \
'$BENCH_DIR/snoop-$p' > '$work/snoop-bench-$p' &"
	done
	echo "start=\$(date +%s.%N); $cmd wait; end=\$(date +%s.%N);
		echo \"\$end - \$start\" | bc > '$work/snoop-wall'"
}

# snoop_run CFG: one run, untraced (CFG "none") or under snoop with a buffer of CFG KiB;
# appends "cfg events delivered lost wall_s ns_per_fault" to $work/snoop.
snoop_run() {
	rm -f "$work"/snoop-bench-* "$work/snoop-wall"
	if [ "$1" = none ]; then
		sh -c "$(snoop_workload)"
		delivered=0 lost=0
	else
		"$DAXTRACE" snoop --events mkwrite --buffer-kb "$1" -- sh -c "$(snoop_workload)" \
			> /dev/null 2> "$work/snoop.err"
		# shellcheck disable=SC2046 # split "delivered lost" into $2 $3
		set -- "$1" $(sed -n 's/^daxtrace snoop: \([0-9]*\) events delivered, \([0-9]*\) lost in .*/\1 \2/p' \
			"$work/snoop.err")
		delivered=$2 lost=$3
	fi
	ns=$(cat "$work"/snoop-bench-* | json_field ns_per_fault | stats | cut -d' ' -f1)
	echo "$1 $((SNOOP_PROCS * SNOOP_PAGES * (SNOOP_ROUNDS + 1))) $delivered $lost \
$(cat "$work/snoop-wall") $ns" >> "$work/snoop"
}

# snoop_bench: SNOOP_REPEAT rounds of every configuration, interleaved.
snoop_bench() {
	: > "$work/snoop"
	for _ in $(seq 1 "$SNOOP_REPEAT"); do
		for cfg in none $SNOOP_BUFFERS_KB; do
			snoop_run "$cfg"
		done
	done
}

# snoop_json: per configuration, the medians: events/s generated and delivered, losses, and
# the overhead on the workload's ns per fault against the untraced runs.
snoop_json() {
	awk '{ printf "{\"config\":\"%s\",\"events\":%s,\"delivered\":%s,\"lost\":%s,\"wall_s\":%s,\"ns_per_fault\":%s}\n", $1, $2, $3, $4, $5, $6 }' \
		"$work/snoop" | jq -s '
		def median: sort | if length % 2 == 1 then .[length / 2 | floor]
			else (.[length / 2 - 1] + .[length / 2]) / 2 end;
		(map(select(.config == "none")) | map(.ns_per_fault) | median) as $base |
		group_by(.config) | map({
			buffer_kb: (if .[0].config == "none" then null else (.[0].config | tonumber) end),
			runs: length,
			events_per_run: .[0].events,
			generated_per_s: (map(.events / .wall_s) | median | round),
			delivered_per_s: (map(.delivered / .wall_s) | median | round),
			lost: map(.lost),
			accounted: (if .[0].config == "none" then null
				    else all(.delivered + .lost == .events) end),
			ns_per_fault: (map(.ns_per_fault) | median),
			overhead: ((map(.ns_per_fault) | median) / $base - 1 | . * 10000 | round / 10000)})
		| sort_by(.buffer_kb // -1)'
}

# snoop_table: the same for people.
snoop_table() {
	printf '%-12s %12s %14s %14s %-22s %9s %11s %9s\n' configuration events/run generated/s \
		delivered/s "lost per run" "all kept" "ns/fault" overhead
	echo "$1" | jq -r '.[] | [(if .buffer_kb == null then "untraced" else "snoop \(.buffer_kb)K" end),
		.events_per_run, .generated_per_s, .delivered_per_s, (.lost | map(tostring) | join(",")),
		(.accounted // "-"), .ns_per_fault, (.overhead * 1000 | round / 10 | tostring + " %")] | @tsv' |
		awk -F'\t' '{ printf "%-12s %12s %14s %14s %-22s %9s %11s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
}

# snoop_drain: the reader's own speed, which the fault path here is too slow to reach. A
# system-wide snoop with a 64 MiB buffer is stopped (SIGSTOP) while the workload runs, so every
# record waits in the buffer; then it is continued and interrupted at once, and drains them all
# before it exits. Prints "delivered lost seconds" (seconds from SIGCONT to its exit).
snoop_drain() {
	rm -f "$work/drain.err"
	"$DAXTRACE" snoop -v --events mkwrite --buffer-kb 65536 > /dev/null 2> "$work/drain.err" &
	tracer_pid=$!
	wait_for "$work/drain.err" "daxtrace: attached" "daxtrace snoop"
	kill -STOP "$tracer_pid"
	sh -c "$(snoop_workload)"
	start=$(date +%s.%N)
	kill -CONT "$tracer_pid"
	kill -INT "$tracer_pid"
	wait "$tracer_pid" || true
	end=$(date +%s.%N)
	tracer_pid=
	# shellcheck disable=SC2046 # split "delivered lost" into $1 $2
	set -- $(sed -n 's/^daxtrace snoop: \([0-9]*\) events delivered, \([0-9]*\) lost in .*/\1 \2/p' \
		"$work/drain.err")
	echo "$1 $2 $(echo "$end - $start" | bc)"
}
