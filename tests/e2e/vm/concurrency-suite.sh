#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest: counts under concurrency, with auto's plan. On 7.2
# (preemption "full (lazy)") a preempted tp_btf program skipped its next runs on that CPU: six
# readers on two vCPUs lost 15-23 % of their faults through tp_btf and raw_tp. auto takes
# kprobes and classic tracepoints there (engine/preempt_model.h), and every count must be exact.
# Also: several daxtrace commands at once on one workload, and one of them killed.
here=$(dirname "$0")
. "$here/lib.sh"
# FAMILY=tp_btf shows the loss this suite guards against (on 7.2: FAIL readers-10-runs).
family=${FAMILY:-auto}

READERS=6
PAGES=2048 # 8 MiB each, 4 KiB faults (--nohuge)
FAULTS=$((READERS * PAGES))
RUNS=10
# The instances side by side need exact counts, not a loss rate: a quarter of the pages each
# keeps the suite's minutes down under TCG (every fault runs each instance's programs).
SIDE_PAGES=512
SIDE_FAULTS=$((READERS * SIDE_PAGES))

# READERS processes reading PAGES (or $1) pages each of their own file, all at once.
readers() {
	pids=
	for i in $(seq "$READERS"); do
		"$WORKLOAD" --nohuge mread "$DAX_MNT/reader-$i" "${1:-$PAGES}" > /dev/null &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086 # a list of pids
	wait $pids
}

make_files() {
	for i in $(seq "$READERS"); do
		"$WORKLOAD" create "$DAX_MNT/reader-$i" "$((PAGES * 4))k" > /dev/null
	done
}

# RUNS runs of top -- readers: each counts every fault, and loses none.
test_readers_exact() {
	counted=
	for _ in $(seq "$RUNS"); do
		out=$(top_json -- sh -c "$(readers_command)")
		counted="$counted$(echo "$out" | jq -c '[.total.faults, .lost]')"
	done
	verdict "readers-$RUNS-runs" "$counted" "faults and lost of each run" \
		"$(for _ in $(seq "$RUNS"); do printf '[%d,0]' "$FAULTS"; done)"
}

# The readers as one shell command line, for -- sh -c.
readers_command() {
	# shellcheck disable=SC2016 # $(seq) and $i are the inner shell's
	printf 'for i in $(seq %d); do %s --nohuge mread %s/reader-$i %d > /dev/null & done; wait' \
		"$READERS" "$WORKLOAD" "$DAX_MNT" "$PAGES"
}

# The ids of every BPF program, map and link loaded now (bpftool).
bpf_objects() {
	for kind in prog map link; do
		bpftool -j "$kind" show | jq -c "[.[].id] | sort | {$kind: .}"
	done
}

# Waits (up to 30 s under TCG) until a background daxtrace says on stderr (-v) that it is
# attached: "attached N probe points at ...".
wait_attached() {
	for _ in $(seq 300); do
		grep -q '^daxtrace: attached ' "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# start_tracer OUT ERR COMMAND...: daxtrace COMMAND in the background (pid in $tracer), until
# SIGINT; returns once it is attached.
start_tracer() {
	out=$1 err=$2
	shift 2
	"$DAXTRACE" "$@" -v > "$out" 2> "$err" &
	tracer=$!
	wait_attached "$err" || fail "attach-$1" "daxtrace $* did not attach: $(tail -n 3 "$err")"
}

# Two tops at once, then top, lat, snoop and cow at once: every instance counts every fault
# of the one workload; none disturbs another.
test_side_by_side() {
	tmp=$(mktemp -d)
	start_tracer "$tmp/top1" "$tmp/top1.err" top --json -i 1000
	top1=$tracer
	start_tracer "$tmp/top2" "$tmp/top2.err" top --json -i 1000
	top2=$tracer
	readers "$SIDE_PAGES"
	kill -INT "$top1" "$top2"
	wait "$top1" "$top2"
	check "two-tops-1" "$(grep '^{"time"' "$tmp/top1" | tail -n 1)" '[.total.faults, .lost]' \
		"[$SIDE_FAULTS,0]"
	check "two-tops-2" "$(grep '^{"time"' "$tmp/top2" | tail -n 1)" '[.total.faults, .lost]' \
		"[$SIDE_FAULTS,0]"

	start_tracer "$tmp/top" "$tmp/top.err" top --json -i 1000
	top=$tracer
	start_tracer "$tmp/lat" "$tmp/lat.err" lat --json -i 1000
	lat=$tracer
	start_tracer "$tmp/snoop" "$tmp/snoop.err" snoop --json
	snoop=$tracer
	start_tracer "$tmp/cow" "$tmp/cow.err" cow --json -i 1000
	cow=$tracer
	"$WORKLOAD" clone "$DAX_MNT/reader-1" "$DAX_MNT/clone" > /dev/null
	"$WORKLOAD" mwrite "$DAX_MNT/clone" 64 --stride 64k > /dev/null
	readers "$SIDE_PAGES"
	kill -INT "$top" "$lat" "$snoop" "$cow"
	wait "$top" "$lat" "$snoop" "$cow"
	# the 64 writes to the clone are write faults that break sharing, besides the readers'
	check "four-top" "$(grep '^{"time"' "$tmp/top" | tail -n 1)" \
		'.total | {faults, read, write, cow}' \
		"{\"faults\":$((SIDE_FAULTS + 64)),\"read\":$SIDE_FAULTS,\"write\":64,\"cow\":64}"
	# what top says it missed, kept with the results (a CI run under load once counted 26
	# reads fewer in all four tracers, 2026-12-05, not reproduced alone)
	echo "INFO vm/$kernel/four-top-losses: $(grep '^{"time"' "$tmp/top" | tail -n 1 |
		jq -c '{lost, lat_samples_lost, losses: .losses.fault}')"
	check "four-lat" "$(grep '^{"histograms"' "$tmp/lat" | tail -n 1)" \
		'[.histograms[] | {(.kind): .count}] | add | {"pte-read", "pte-write", cow}' \
		"{\"pte-read\":$SIDE_FAULTS,\"pte-write\":64,\"cow\":64}"
	check_all "four-snoop" "$(grep '^{"time"' "$tmp/snoop")" \
		'[.[] | select(.event == "fault" or .event == "cow")] | length' "$((SIDE_FAULTS + 64))"
	check "four-snoop-summary" "$(grep '"summary"' "$tmp/snoop")" '.summary.lost' 0
	check "four-cow" "$(grep '^{"time"' "$tmp/cow" | tail -n 1)" \
		'.total | {remaps: .remaps.clone.count, breaks: .breaks.count}' \
		'{"remaps":1,"breaks":64}'
	rm -rf "$tmp"
}

# SIGKILL of one top leaves the other counting, and nothing of the killed one loaded.
test_sigkill_one() {
	tmp=$(mktemp -d)
	start_tracer "$tmp/kept" "$tmp/kept.err" top --json -i 1000
	kept=$tracer
	before=$(bpf_objects)
	start_tracer "$tmp/killed" "$tmp/killed.err" top --json -i 1000
	kill -KILL "$tracer"
	wait "$tracer" 2> /dev/null
	# the kernel frees a closed program after an RCU grace period: wait for it, a while
	for _ in $(seq 50); do
		[ "$(bpf_objects)" = "$before" ] && break
		sleep 0.2
	done
	verdict "sigkill-leaves-nothing" "$(bpf_objects)" "bpftool prog/map/link ids" "$before"
	readers "$SIDE_PAGES"
	kill -INT "$kept"
	wait "$kept"
	check "sigkill-other-counts" "$(grep '^{"time"' "$tmp/kept" | tail -n 1)" \
		'[.total.faults, .lost]' "[$SIDE_FAULTS,0]"
	rm -rf "$tmp"
}

echo "guest kernel $kernel"
make_files
test_readers_exact
test_side_by_side
test_sigkill_one
exit 0
