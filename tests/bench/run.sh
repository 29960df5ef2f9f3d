#!/bin/sh
# make bench: what daxtrace costs on this host, against no tracing and against bpftrace doing the
# same counting. XFS with reflink on a loop device (page cache; the host has no pmem) and the
# tracepoints daxtrace attaches here. Prints one table and writes it to bench/results.json.
#
# 1. Fault overhead: dt-bench (tools/workload/dt-bench.c) in each mode, ROUNDS interleaved rounds
#    of (A) untraced, (B) under `daxtrace top`, (C) under tests/bench/top.bt (lib.sh). ns per
#    fault: median [min-max] of the runs; overhead = median / untraced median - 1.
# 2. Start-up: from the exec of `daxtrace top -v -n 1 --json` to its attach (the CLOCK_MONOTONIC
#    time it prints), and from the exec of `bpftrace -e` with the same probes to its
#    "Attaching N probes..." line; peak RSS of both. Median [min-max] of STARTUP_RUNS runs. The
#    same for top in each Debian guest kernel, one boot each (tests/bench/startup-guest.sh).
# 3. snoop (tests/bench/snoop.sh): events per second through the ring buffer for a few buffer
#    sizes, losses, and the overhead on the traced processes (D).
# 4. The exporter (tests/bench/exporter.sh): scrape time with about 1,000 series and CPU while
#    idle; its fault overhead is (E) in the runs of 1, beside B and C.
#
# Environment: BENCH_ROUNDS (7), BENCH_STARTUP_RUNS (5), BENCH_MODES ("read write mkwrite cow"),
# BENCH_RUN_SECONDS (1: timed seconds per dt-bench run), BENCH_VM (0: no guest start-up runs),
# BENCH_KERNELS ("bookworm trixie sid"), BENCH_CONFIGS ("A B C E"), BENCH_PARTS ("main
# exporter": main is 1 to 3; "exporter" alone runs 4 and replaces only its part of
# bench/results.json), BUILD (build).
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (BPF, mount)" >&2
	exit 1
fi
# A private mount namespace: bpftrace needs tracefs, which this host does not mount, and neither
# it nor the loop-mounted XFS should outlive the run or be seen by anything else.
if [ -z "${DAXTRACE_BENCH_NS:-}" ]; then
	DAXTRACE_BENCH_NS=1 exec unshare --mount --propagation private "$0" "$@"
fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing

here=$(dirname "$0")
BENCH_CONFIGS=${BENCH_CONFIGS:-A B C E}
PARTS=${BENCH_PARTS:-main exporter}
. "$here/../e2e/host/lib.sh"
. "$here/lib.sh"
. "$here/snoop.sh"
. "$here/exporter.sh"
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-5}
RESULTS=bench/results.json
DAX_DEVT=0

# The tracer, then the file system, whatever ends the run.
cleanup() {
	stop_tracer || true
	restore_bpf_stats || true
	teardown_xfs || true
}
setup_xfs
trap cleanup EXIT
trap 'exit 1' INT TERM
BENCH_DIR=$mnt
work=$workdir

# startup NAME TEXT [--interrupt] -- CMD...: STARTUP_RUNS runs of dt-bench exec-time, appended
# to $work/startup as "name startup_s maxrss_kb".
startup() {
	name=$1
	shift
	for _ in $(seq 1 "$STARTUP_RUNS"); do
		out=$("$DT_BENCH" exec-time "$@")
		echo "$name $(echo "$out" | json_field startup_s) $(echo "$out" | json_field maxrss_kb)" \
			>> "$work/startup"
	done
}

machine_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
machine="nproc $(nproc), $machine_cpu, Linux $(uname -r)"

# The exporter's targets, from exporter_bench's JSON.
exporter_targets() {
	jq -c '[{target: "exporter scrape p99, ms (about 1,000 series)", limit: 5,
		 value: .scrape_ms.p99, noise: null},
		{target: "exporter CPU idle with 15 s scrapes, % of a core", limit: 0.1,
		 value: .idle.cpu_percent, noise: null}]
		| map(. + {verdict: (if .value != null and .value <= .limit then "met"
				     else "missed" end)})' << EOF
$1
EOF
}

case " $PARTS " in
*" main "*) ;;
*)
	echo "bench: the exporter only (BENCH_PARTS=$PARTS), about $((EXPORTER_IDLE_SECONDS + 20)) s" >&2
	exporter=$(exporter_bench)
	xt=$(exporter_targets "$exporter")
	mkdir -p "$(dirname "$RESULTS")"
	[ -s "$RESULTS" ] || echo '{}' > "$RESULTS"
	jq --argjson x "$exporter" --argjson xt "$xt" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		'.exporter = ($x + {date: $date})
		 | .targets = ([.targets[]? | select(.target | startswith("exporter ") | not)] + $xt)' \
		"$RESULTS" > "$work/results.json" && cp "$work/results.json" "$RESULTS"
	echo "daxtrace bench, exporter part, $(date -u +%Y-%m-%dT%H:%M:%SZ), $machine"
	exporter_table "$exporter"
	echo "$xt" | jq -r '.[] | "\(.verdict | ascii_upcase) \(.target): \(.value) (limit \(.limit))"'
	echo "Written to $RESULTS (the exporter part only)"
	exit 0
	;;
esac
echo "bench: $machine; $ROUNDS interleaved rounds of $MODES (about 7 minutes)" >&2

interleave
: > "$work/startup"
startup daxtrace "daxtrace: attached" -- "$DAXTRACE" top -v -n 1 -i 0.1 --json
startup bpftrace --interrupt "Attaching" -- bpftrace -e "$(cat "$BT_SCRIPT")" "$DAX_DEVT"
echo "bench: snoop, $SNOOP_REPEAT rounds of untraced and buffers $SNOOP_BUFFERS_KB KiB" >&2
snoop_bench
# shellcheck disable=SC2046 # split "delivered lost seconds" into $1 $2 $3
set -- $(snoop_drain)
drain=$(jq -n --argjson d "$1" --argjson l "$2" --argjson s "$3" \
	'{delivered: $d, lost: $l, seconds: $s, per_s: ($d / $s | round)}')
exporter=null
case " $PARTS " in
*" exporter "*)
	echo "bench: the exporter's scrapes and idle CPU" >&2
	exporter=$(exporter_bench)
	;;
esac

# start_row NAME: "median [min-max]" of start-up in ms and of peak RSS in MB.
start_row() {
	# shellcheck disable=SC2046 # split two "median min max" into $2..$7
	set -- "$1" $(awk -v n="$1" '$1 == n { print $2 * 1000 }' "$work/startup" | stats) \
		$(awk -v n="$1" '$1 == n { print $3 / 1024 }' "$work/startup" | stats)
	printf '%.1f [%.1f-%.1f]  %.1f [%.1f-%.1f]' "$2" "$3" "$4" "$5" "$6" "$7"
}

# startup_json NAME: {startup_s, maxrss_kb}, each {median, min, max}.
startup_json() {
	# shellcheck disable=SC2046 # split two "median min max" into $1..$6
	set -- $(awk -v n="$1" '$1 == n { print $2 }' "$work/startup" | stats) \
		$(awk -v n="$1" '$1 == n { print $3 }' "$work/startup" | stats)
	jq -n --argjson s "[$1, $2, $3]" --argjson r "[$4, $5, $6]" \
		'{startup_s: {median: $s[0], min: $s[1], max: $s[2]},
		  maxrss_kb: {median: $r[0], min: $r[1], max: $r[2]}}'
}

overhead=$(overhead_json)
snoop=$(snoop_json)
startup_daxtrace=$(startup_json daxtrace)
startup_bpftrace=$(startup_json bpftrace)

# The same start-up on the guest kernels, one boot each (tests/bench/startup-guest.sh): where
# the kernel cannot map its BTF (before v6.16) libbpf copies it, and that shows here.
# BENCH_VM=0 skips them.
startup_guests="[]"
if [ "${BENCH_VM:-1}" != 0 ]; then
	for suite in ${BENCH_KERNELS:-bookworm trixie sid}; do
		echo "bench: start-up in the $suite guest" >&2
		line=$(tools/vm/run.sh --kernel "$suite" --timeout 600 \
			-- tests/bench/startup-guest.sh "$STARTUP_RUNS" | tail -n 1) || line='{"error": "the guest run failed"}'
		startup_guests=$(echo "$startup_guests" |
			jq -c --arg suite "$suite" --argjson run "$line" '. + [{suite: $suite} + $run]')
	done
fi
# Targets of issue 7. The overhead ones are judged on the worst mode among those where the
# probes fire (page-cache reads fire none), B/C where C's overhead is above zero. They are
# unresolved where the untraced runs alone spread more than the 3 % to be resolved.
target_def='def t(name; limit; value; noise): {target: name, limit: limit,
	value: (if value == null then null else (value * 10000 | round) / 10000 end),
	noise: noise, verdict: (if noise != null and noise > 0.03 then "unresolved"
				elif value != null and value <= limit then "met" else "missed" end)};'
targets=$(jq -n --argjson o "$overhead" --argjson d "$startup_daxtrace" --argjson s "$snoop" \
	--argjson r "$drain" \
	"$target_def"'
	[$o[] | select(.probes_fire)] as $fire | ([$fire[].untraced_spread] | max) as $noise |
	[t("daxtrace top overhead, worst mode"; 0.03; [$fire[].overhead_daxtrace_top] | max;
	   $noise),
	 t("daxtrace top overhead / bpftrace overhead, worst mode"; 0.5;
	   [$fire[].daxtrace_over_bpftrace | select(. != null)] | max; $noise),
	 t("start-up to attached, s (median)"; 0.05; $d.startup_s.median; null),
	 t("peak RSS, kB (median)"; 8192; $d.maxrss_kb.median; null),
	 # a floor, not a ceiling: more is better
	 (t("snoop events/s delivered without loss (best buffer)"; 1000000;
	    ([$s[] | select(.buffer_kb != null and (.lost | max) == 0) | .delivered_per_s] | max);
	    null) | .verdict = (if .value != null and .value >= .limit then "met" else "missed" end)),
	 (t("snoop reader alone, records/s (drain of a full buffer)"; 1000000; $r.per_s; null)
	  | .verdict = (if .value >= .limit then "met" else "missed" end))]')
# An overhead target not met: where the time goes (issue 7), from the BPF run time per event,
# which the spread of the runs does not blur. It judges the overhead targets again, as BPF time
# on the fault path per fault (bpftrace's also leaves out the classic tracepoint's own work).
diagnosis=null
if [ "$(echo "$targets" | jq '[.[0:2][] | select(.verdict != "met")] | length')" -gt 0 ]; then
	echo "bench: an overhead target is not met: BPF run time per event (kernel.bpf_stats_enabled)" >&2
	diagnose
	diagnosis=$(diagnosis_json "$overhead")
	targets=$(jq -n --argjson t "$targets" --argjson d "$diagnosis" "$target_def"'
		$t + [t("daxtrace BPF time per fault / untraced fault, worst mode"; 0.03;
			[$d.per_fault[].daxtrace_share] | max; null),
		      t("daxtrace BPF time / bpftrace BPF time per fault, worst mode"; 0.5;
			[$d.per_fault[] | .daxtrace_ns / .bpftrace_ns] | max; null)]')
fi

if [ "$exporter" != null ]; then
	targets=$(jq -n --argjson t "$targets" --argjson xt "$(exporter_targets "$exporter")" \
		'$t + $xt')
fi

mkdir -p "$(dirname "$RESULTS")"
jq -n --argjson exporter "$exporter" --arg machine "$machine" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--argjson rounds "$ROUNDS" --argjson overhead "$overhead" \
	--argjson daxtrace "$startup_daxtrace" --argjson bpftrace "$startup_bpftrace" \
	--argjson guests "$startup_guests" --argjson targets "$targets" --argjson diagnosis "$diagnosis" --argjson snoop "$snoop" \
	--argjson drain "$drain" \
	'{date: $date, machine: $machine, interleaved_rounds: $rounds, overhead: $overhead,
	  snoop: {runs: $snoop, reader_drain: $drain},
	  startup: {daxtrace_top: $daxtrace, bpftrace: $bpftrace, guests: $guests},
	  targets: $targets,
	  bpf_run_time: $diagnosis, exporter: $exporter}' \
	> "$RESULTS"

exporter_section() {
	[ "$exporter" != null ] || return 0
	printf '\ndaxtrace exporter (tests/bench/exporter.sh; its fault overhead is E above)\n'
	exporter_table "$exporter"
}
problems=$(check_runs)
diagnosis_text=
if [ "$diagnosis" != null ]; then
	diagnosis_text=$(printf '\n%s\n%s\n' \
		"Where the time goes: BPF run time (kernel.bpf_stats_enabled=1 for one more run each)" \
		"$(diagnosis_table "$diagnosis")")
fi
cat << EOF

daxtrace bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $machine

Fault microbenchmark (dt-bench), XFS + reflink on a loop device, page cache. ns per fault:
median [min-max] of $ROUNDS interleaved runs; overhead = median / untraced median - 1, and in
parentheses fastest / untraced fastest - 1; A spread = (max - min) / median of the untraced runs.
$(overhead_table)
read: neither tool has a probe that fires on page-cache read faults (fault-around maps the
cached page before ->fault): its overheads are the noise floor of this measurement.
${problems:-Every touch was one fault; B and C counted every fault of dt-bench.}

Start-up (exec to attached; bpftrace: to its "Attaching" line, printed before it attaches)
and peak RSS: median [min-max] of $STARTUP_RUNS runs.
tool                          start-up ms                peak RSS MB
$(printf '%-29s %s' "daxtrace top -v -n 1 --json" "$(start_row daxtrace)")
$(printf '%-29s %s' "bpftrace -e (same probes)" "$(start_row bpftrace)")
$(echo "$startup_guests" | jq -r '.[] | if .error then "guest \(.suite): \(.error)" else
	"\("guest " + .kernel | .[:29] | . + " " * (30 - length))\(.startup_s.median * 1000 | round) [\(
	.startup_s.min * 1000 | round)-\(.startup_s.max * 1000 | round)]              \(
	.maxrss_kb.median / 1024 * 10 | round / 10) [\(.maxrss_kb.min / 1024 * 10 | round / 10)-\(
	.maxrss_kb.max / 1024 * 10 | round / 10)]  BTF \(if .btf_mappable then "mapped" else "copied" end) (\(
	.btf_bytes / 1048576 * 10 | round / 10) MB)" end')

daxtrace snoop: $SNOOP_PROCS dt-bench mkwrite processes (one mkwrite record per fault),
lines to /dev/null; medians of $SNOOP_REPEAT interleaved runs; all kept = delivered + lost is
every event of every run; overhead (D) = ns per fault / untraced - 1.
$(snoop_table "$snoop")
Reader alone: $(echo "$drain" | jq -r '"\(.delivered) records waiting in a 64 MiB buffer (\(.lost) lost) drained in \(.seconds) s: \(.per_s) records/s"')
$(exporter_section)

Targets
$(echo "$targets" | jq -r '.[] | "\(.verdict | ascii_upcase | . + "      " | .[:10]) \(.target): \(.value) (limit \(.limit))\(
	if .verdict == "unresolved" then "; the untraced runs alone spread \(.noise * 1000 | round / 10) %" else "" end)"')
${diagnosis_text}

Written to $RESULTS
EOF
