# shellcheck shell=sh # sourced by run.sh and dax-guest.sh, both #!/bin/sh
# shellcheck disable=SC2154 # work (scratch directory) is set by the caller, after sourcing
# The overhead benchmark shared by run.sh (host: page cache on XFS on a loop device) and
# dax-guest.sh (emulated-NVDIMM guest: DAX). Sourced; the caller sets BENCH_DIR (a directory on
# an XFS with reflink), DAX_DEVT (kernel dev_t of the DAX mount, 0 for none) and work (a scratch
# directory), and cleans up with stop_tracer and restore_bpf_stats on exit.
#
# Each run is one dt-bench invocation: (A) untraced, (B) under `daxtrace top` aggregating in the
# kernel, system-wide, as an operator leaves it running, (C) under tests/bench/top.bt, which
# counts the same things with the same keys, and, where BENCH_CONFIGS has E (run.sh: the host),
# (E) under `daxtrace exporter`, system-wide too, counting per device. The configurations
# alternate within each round.

BUILD=${BUILD:-build}
DAXTRACE=${DAXTRACE:-$BUILD/daxtrace}
DT_BENCH=${DT_BENCH:-$BUILD/tools/dt-bench}
BT_SCRIPT=${BT_SCRIPT:-tests/bench/top.bt}
MODES=${BENCH_MODES:-read write mkwrite cow}
ROUNDS=${BENCH_ROUNDS:-7}
# Timed seconds of fault per run: long enough that timer and scheduling noise are small.
RUN_SECONDS=${BENCH_RUN_SECONDS:-1}
CONFIGS=${BENCH_CONFIGS:-A B C}
EXPORTER_PORT=${BENCH_EXPORTER_PORT:-19798}

tracer_pid=

# stats: numbers on stdin -> "median min max".
stats() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0)
				exit 1
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m, v[1], v[NR]
		}'
}

# json_field NAME: the value of a number field of the one JSON line on stdin.
json_field() {
	sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p"
}

# wait_for FILE TEXT WHAT: until FILE has a line with TEXT, while the tracer lives (60 s).
wait_for() {
	tries=0
	until grep -q "$2" "$1" 2> /dev/null; do
		if ! kill -0 "$tracer_pid" 2> /dev/null || [ $tries -ge 6000 ]; then
			echo "bench: $3 did not attach; its output:" >&2
			cat "$1" >&2
			exit 1
		fi
		tries=$((tries + 1))
		sleep 0.01
	done
}

# The previous tracer's files go first: the shell opens (and truncates) the new ones in the
# background job, and wait_for must never find the last run's "attached" line.
start_daxtrace() {
	rm -f "$work/tracer.out" "$work/tracer.log"
	"$DAXTRACE" top -b -i 3600 -v --json > "$work/tracer.out" 2> "$work/tracer.log" &
	tracer_pid=$!
	# Printed after the last attach, so the workload's first fault is seen.
	wait_for "$work/tracer.log" "daxtrace: attached" "daxtrace top"
}

# bpftrace 0.17 reads vmlinux BTF only: where XFS is a module (the guests), the xfs_ino_t of its
# tracepoints is an unknown type unless a header defines it.
bpftrace_flags() {
	[ -e /sys/kernel/btf/xfs ] || return 0
	echo 'typedef unsigned long long xfs_ino_t;' > "$work/xfs_types.h"
	echo "--include $work/xfs_types.h"
}

# bpftrace prints "Attaching N probes..." before it attaches: wait for N of its tracepoint
# perf events to be in the kernel.
start_bpftrace() {
	rm -f "$work/tracer.out"
	# shellcheck disable=SC2046 # bpftrace_flags prints options to split into words
	bpftrace $(bpftrace_flags) "$BT_SCRIPT" "$DAX_DEVT" > "$work/tracer.out" 2>&1 &
	tracer_pid=$!
	wait_for "$work/tracer.out" "^Attaching" "bpftrace"
	probes=$(sed -n 's/^Attaching \([0-9]*\) probe.*/\1/p' "$work/tracer.out")
	tries=0
	until [ "$(bpftool perf list | grep -c "^pid $tracer_pid ")" -ge "$probes" ]; do
		if [ $tries -ge 6000 ]; then
			echo "bench: bpftrace announced $probes probes but did not attach them" >&2
			exit 1
		fi
		tries=$((tries + 1))
		sleep 0.01
	done
}

start_exporter() {
	rm -f "$work/tracer.out" "$work/tracer.log"
	"$DAXTRACE" exporter --listen "127.0.0.1:$EXPORTER_PORT" 2> "$work/tracer.log" &
	tracer_pid=$!
	wait_for "$work/tracer.log" "msg=listening" "daxtrace exporter"
}

# scrape_exporter: its counters, into tracer.out, before it stops.
scrape_exporter() {
	curl -s -o "$work/tracer.out" "http://127.0.0.1:$EXPORTER_PORT/metrics"
}

stop_tracer() {
	[ -n "$tracer_pid" ] || return 0
	kill -INT "$tracer_pid" 2> /dev/null || true
	wait "$tracer_pid" || true
	tracer_pid=
}

# counted MODE CFG: what the stopped tracer counted for the dt-bench process (the counter the
# mode's faults feed: mkwrite for page-cache writes, faults on DAX, cow for clones), and what
# daxtrace says it lost or evicted (bpftrace does not say).
counted() {
	if [ "$1" = cow ]; then
		counter=cow
	elif [ "$DAX_DEVT" != 0 ] || [ "$1" = read ]; then
		counter=faults
	else
		counter=mkwrite
	fi
	case $2 in
	B) jq -r "([.processes[] | select(.comm == \"dt-bench\") | .$counter] | add // 0),
		.lost + .evicted" "$work/tracer.out" | paste -sd' ' ;;
	C) awk -v m="@${counter}[" 'index($0, m) == 1 && /, dt-bench\]: / { n += $NF }
		END { print n + 0, 0 }' "$work/tracer.out" ;;
	# per device, not per process: the bench file's device, which only dt-bench uses
	E) awk -v m="daxtrace_$([ "$counter" = cow ] && echo cow_breaks || echo "$counter")_total{" \
		-v dev="device=\"$(mountpoint -d "$(stat -c %m "$BENCH_DIR")")\"" '
		index($0, m) == 1 && index($0, dev) { n += $NF }
		/^daxtrace_lost_events_total\{reason="(skipped_run|map_full)"\}/ { lost += $NF }
		END { print n + 0, lost + 0 }' "$work/tracer.out" ;;
	*) echo 0 0 ;;
	esac
}

# run_one ROUND MODE CFG DT_ROUNDS: one dt-bench run, appended to $work/runs as
# "round mode cfg ns_per_fault mean_ns faults kernel_faults counted lost".
run_one() {
	case $3 in
	B) start_daxtrace ;;
	C) start_bpftrace ;;
	E) start_exporter ;;
	esac
	out=$("$DT_BENCH" --rounds "$4" "$2" "$BENCH_DIR/bench-$2")
	[ "$3" != E ] || scrape_exporter
	stop_tracer
	echo "$1 $2 $3 $(echo "$out" | json_field ns_per_fault) \
$(echo "$out" | json_field mean_ns_per_fault) $(echo "$out" | json_field faults) \
$(echo "$out" | json_field kernel_faults) $(counted "$2" "$3")" >> "$work/runs"
}

# calibrate MODE: dt-bench rounds for about RUN_SECONDS of timed faults, from a short run.
calibrate() {
	seconds=$("$DT_BENCH" --rounds 4 "$1" "$BENCH_DIR/bench-$1" | json_field seconds)
	awk -v s="$seconds" -v t="$RUN_SECONDS" 'BEGIN {
		r = int(t / (s / 4) + 0.5)
		print (r < 5 ? 5 : (r > 5000 ? 5000 : r))
	}'
}

# interleave: every mode, ROUNDS rounds of each of CONFIGS, the order rotating each round so
# that no configuration always runs right after bpftrace's teardown.
interleave() {
	: > "$work/runs"
	for mode in $MODES; do
		eval "rounds_$mode=$(calibrate "$mode")"
	done
	for round in $(seq 1 "$ROUNDS"); do
		start=$(date +%s)
		# shellcheck disable=SC2086 # CONFIGS is a list of letters
		set -- $CONFIGS
		for _ in $(seq 1 $(((round - 1) % $#))); do
			first=$1
			shift
			set -- "$@" "$first"
		done
		order="$*"
		for mode in $MODES; do
			for cfg in $order; do
				run_one "$round" "$mode" "$cfg" "$(eval echo "\$rounds_$mode")"
			done
		done
		echo "bench: round $round/$ROUNDS done in $(($(date +%s) - start)) s" >&2
	done
}

# column MODE CFG FIELD: the FIELD-th column of the runs of MODE under CFG, one per line.
column() {
	awk -v m="$1" -v c="$2" -v f="$3" '$2 == m && $3 == c { print $f }' "$work/runs"
}

# overhead MODE CFG [FIELD]: CFG's ns per fault over A's, minus 1; FIELD 1 (the default)
# compares the medians, 2 the fastest runs (interference from other work only adds time).
overhead() {
	a=$(column "$1" A 4 | stats | cut -d' ' -f"${3:-1}")
	x=$(column "$1" "$2" 4 | stats | cut -d' ' -f"${3:-1}")
	awk -v a="$a" -v x="$x" 'BEGIN { printf "%.4f\n", x / a - 1 }'
}

# spread MODE: (max - min) / median of the untraced runs, the noise the overheads are read
# against.
spread() {
	column "$1" A 4 | stats | awk '{ printf "%.4f\n", ($3 - $2) / $1 }'
}

# probes_fire MODE: whether the tracers have a probe on this mode's faults (page-cache read
# faults are served by fault-around, before ->fault and iomap).
probes_fire() {
	[ "$1" != read ] || [ "$DAX_DEVT" != 0 ]
}

# ratio MODE B C: B's overhead over C's, or null where there is nothing to compare (no probe
# fires, or C's overhead is not above zero).
ratio() {
	probes_fire "$1" || {
		echo null
		return
	}
	awk -v b="$2" -v c="$3" 'BEGIN { if (c > 0) printf "%.2f\n", b / c; else print "null" }'
}

overhead_header='ovh B % (min)  ovh C % (min)    B/C  A spread'

# has_config CFG: whether the runs include CFG (E, the exporter, on the host only).
has_config() {
	case " $CONFIGS " in
	*" $1 "*) return 0 ;;
	*) return 1 ;;
	esac
}

# exporter_cells MODE: E's overhead in percent (median, fastest), where the runs have E.
exporter_cells() {
	has_config E || return 0
	awk -v e="$(overhead "$1" E)" -v em="$(overhead "$1" E 2)" 'BEGIN {
		printf "  %+6.1f (%+5.1f)", 100 * e, 100 * em
	}'
}

# overhead_cells MODE: the overheads of one mode in percent, from the medians and (in
# parentheses) the fastest runs, B's over C's, and the spread of the untraced runs.
overhead_cells() {
	b=$(overhead "$1" B)
	c=$(overhead "$1" C)
	awk -v b="$b" -v bm="$(overhead "$1" B 2)" -v c="$c" -v cm="$(overhead "$1" C 2)" \
		-v r="$(ratio "$1" "$b" "$c")" -v s="$(spread "$1")" 'BEGIN {
		printf "%+6.1f (%+5.1f) %+6.1f (%+5.1f) %6s %7.1f%%\n", 100 * b, 100 * bm, 100 * c,
			100 * cm, r, 100 * s
	}'
}

# overhead_table: the fault rows of the report, one per mode.
overhead_table() {
	e_head=
	has_config E && e_head=$(printf '%-21s ' "E daxtrace exporter")
	printf '%-8s %9s  %-21s %-21s %-21s %s%s%s\n' mode faults/run "A untraced ns/fault" \
		"B daxtrace top" "C bpftrace" "$e_head" "$overhead_header" \
		"$(has_config E && echo '  ovh E % (min)')"
	for mode in $MODES; do
		line=$(printf '%-8s %9s ' "$mode" "$(column "$mode" A 6 | head -n 1)")
		for cfg in $CONFIGS; do
			# shellcheck disable=SC2046 # split "median min max" into $1 $2 $3
			set -- $(column "$mode" "$cfg" 4 | stats)
			line="$line $(printf '%-21s' "$(printf '%.0f [%.0f-%.0f]' "$1" "$2" "$3")")"
		done
		echo "$line $(overhead_cells "$mode")$(exporter_cells "$mode")"
	done
}

# ratio_table: the same without absolute times, for the guest, whose emulated CPU distorts them.
ratio_table() {
	printf '%-8s %9s  %s\n' mode faults/run "$overhead_header"
	for mode in $MODES; do
		printf '%-8s %9s  %s\n' "$mode" "$(column "$mode" A 6 | head -n 1)" \
			"$(overhead_cells "$mode")"
	done
}

# overhead_json: the same, with every run, as a JSON array.
overhead_json() {
	for mode in $MODES; do
		b=$(overhead "$mode" B)
		c=$(overhead "$mode" C)
		e=null
		e_min=null
		if has_config E; then
			e=$(overhead "$mode" E)
			e_min=$(overhead "$mode" E 2)
		fi
		fire=false
		probes_fire "$mode" && fire=true
		jq -n --arg mode "$mode" --argjson fire "$fire" --argjson b "$b" --argjson c "$c" \
			--argjson bmin "$(overhead "$mode" B 2)" --argjson cmin "$(overhead "$mode" C 2)" \
			--argjson ratio "$(ratio "$mode" "$b" "$c")" --argjson spread "$(spread "$mode")" \
			--argjson e "$e" --argjson emin "$e_min" \
			--argjson runs "$(awk -v m="$mode" '$2 == m {
				printf "{\"round\":%s,\"config\":\"%s\",\"ns_per_fault\":%s,", $1, $3, $4
				printf "\"mean_ns_per_fault\":%s,\"faults\":%s,", $5, $6
				printf "\"kernel_faults\":%s,\"counted\":%s,\"lost\":%s}\n", $7, $8, $9
			}' "$work/runs" | jq -s .)" '
			def spread(c): [$runs[] | select(.config == c) | .ns_per_fault] | sort
				| {median: (if length % 2 == 1 then .[length / 2 | floor]
					    else (.[length / 2 - 1] + .[length / 2]) / 2 end),
				   min: .[0], max: .[-1]};
			{mode: $mode, probes_fire: $fire, faults_per_run: $runs[0].faults,
			 ns_per_fault: ({untraced: spread("A"), daxtrace_top: spread("B"),
					bpftrace: spread("C")}
					+ if $e == null then {} else {daxtrace_exporter: spread("E")} end),
			 untraced_spread: $spread,
			 overhead_daxtrace_top: $b, overhead_bpftrace: $c,
			 daxtrace_over_bpftrace: $ratio,
			 overhead_of_fastest_runs: ({daxtrace_top: $bmin, bpftrace: $cmin}
				+ if $e == null then {} else {daxtrace_exporter: $emin} end),
			 runs: $runs}
			+ if $e == null then {} else {overhead_daxtrace_exporter: $e} end'
	done | jq -s .
}

# check_runs: every touch one fault, and B and C counted every fault of dt-bench (the timed
# rounds and the warm-up round: faults / rounds * (rounds + 1)); prints what does not hold.
check_runs() {
	awk -v dax="$DAX_DEVT" '
		$6 != $7 { printf "bench: %s run %s/%s: %s touches took %s faults\n", $2, $1, $3, $6, $7 }
		$3 != "A" && !($2 == "read" && dax == 0) && $8 < $6 {
			printf "bench: %s run %s/%s: the tracer counted %s of %s faults (lost %s)\n",
				$2, $1, $3, $8, $6, $9
		}
		$3 != "A" && $2 == "read" && dax == 0 && $8 != 0 {
			printf "bench: %s run %s/%s: the tracer counted %s page-cache read faults\n", $2, $1, $3, $8
		}' "$work/runs"
}

# tracer_progs: the ids of the BPF programs the running tracer holds (its fds' fdinfo).
tracer_progs() {
	for info in /proc/"$tracer_pid"/fdinfo/*; do
		sed -n 's/^prog_id:[[:space:]]*//p' "$info" 2> /dev/null || true
	done | sort -un
}

# bpf_time MODE CFG DT_ROUNDS: a run under CFG with BPF statistics on; appends to
# $work/bpf_time "mode cfg program run_cnt run_time_ns faults" for each program that ran, where
# faults counts the warm-up round too (the tracer saw it).
bpf_time() {
	case $2 in
	B) start_daxtrace ;;
	C) start_bpftrace ;;
	esac
	out=$("$DT_BENCH" --rounds "$3" "$1" "$BENCH_DIR/bench-$1")
	# shellcheck disable=SC2017 # faults is rounds x pages: the division is exact
	faults=$(($(echo "$out" | json_field faults) / $3 * ($3 + 1)))
	for id in $(tracer_progs); do
		bpftool prog show id "$id" --json | jq -r --arg m "$1" --arg c "$2" \
			--argjson f "$faults" \
			'select(.run_cnt > 0) | "\($m) \($c) \(.name) \(.run_cnt) \(.run_time_ns) \($f)"'
	done >> "$work/bpf_time"
	stop_tracer
}

restore_bpf_stats() {
	[ -n "${bpf_stats_saved:-}" ] || return 0
	sysctl -q -w kernel.bpf_stats_enabled="$bpf_stats_saved"
	bpf_stats_saved=
}

# diagnose: where the traced runs' time goes, from the kernel's accounting of BPF program run
# time. kernel.bpf_stats_enabled costs two clock reads per program run, so it is on for these
# runs only (and restore_bpf_stats belongs in the caller's cleanup). Page-cache read faults fire
# no probe: they are left out.
diagnose() {
	bpf_stats_saved=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -q -w kernel.bpf_stats_enabled=1
	: > "$work/bpf_time"
	for mode in $MODES; do
		probes_fire "$mode" || continue
		for cfg in B C; do
			bpf_time "$mode" "$cfg" "$(eval echo "\$rounds_$mode")"
		done
	done
	restore_bpf_stats
}

# diagnosis_json OVERHEAD_JSON: the programs' run times, and per mode the BPF time per fault on
# the fault path of each tool and its share of an untraced fault (the A median). The
# xfs_reflink_* programs run at FICLONE and at writeback completion, outside the timed faults.
diagnosis_json() {
	awk '{ printf "{\"mode\":\"%s\",\"tool\":\"%s\",\"program\":\"%s\",\"run_cnt\":%s,", $1,
		$2 == "B" ? "daxtrace" : "bpftrace", $3, $4
		printf "\"run_time_ns\":%s,\"faults\":%s}\n", $5, $6 }' "$work/bpf_time" |
		jq -s --argjson o "$1" '{programs: .,
			per_fault: [group_by(.mode)[] | .[0].mode as $m
				| ([$o[] | select(.mode == $m)][0].ns_per_fault.untraced.median) as $a
				| (map(select(.program | startswith("xfs_reflink_") | not))
				   | group_by(.tool)
				   | map({key: "\(.[0].tool)_ns",
					  value: ((map(.run_time_ns) | add) / .[0].faults)})
				   | from_entries) as $ns
				| {mode: $m, untraced_ns: $a} + $ns
				  + {daxtrace_share: ($ns.daxtrace_ns / $a),
				     bpftrace_share: ($ns.bpftrace_ns / $a)}]}'
}

# diagnosis_table DIAGNOSIS_JSON: per program, ns per run and runs per dt-bench fault; per mode
# and tool, the BPF time per fault on the fault path.
diagnosis_table() {
	printf '%-8s %-9s %-34s %9s %8s %10s\n' mode tool program runs ns/run runs/fault
	echo "$1" | jq -r '.programs[] |
		[.mode, .tool, .program, .run_cnt, (.run_time_ns / .run_cnt | round),
		 (.run_cnt / .faults * 100 | round / 100)] | @tsv' |
		awk -F'\t' '{ printf "%-8s %-9s %-34s %9d %8d %10.2f\n", $1, $2, $3, $4, $5, $6 }'
	echo "$1" | jq -r '.per_fault[] | "\(.mode): BPF on the fault path per fault: daxtrace \(
		.daxtrace_ns | round) ns = \(.daxtrace_share * 1000 | round / 10) % of an untraced fault, bpftrace \(
		.bpftrace_ns | round) ns = \(.bpftrace_share * 1000 | round / 10) %"'
}
