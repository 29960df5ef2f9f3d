#!/bin/bash
# The exporter's long run (`make soak-exporter`; not part of make check): `daxtrace exporter -d`
# on a loop XFS for SOAK_EXPORTER_SECONDS while a scraper GETs /metrics every second and a paced
# workload of SOAK_EXPORTER_PROCS processes maps and writes SOAK_EXPORTER_FILES distinct files
# (one page each: one ->page_mkwrite each). Writes build/soak-exporter/ (samples.tsv: RSS every
# 10 s; scrapes.tsv: time and series of every scrape) and a summary; docs/performance.md
# "Exporter" has the figures.
#
# Exit status 0 only if all of these hold (1 otherwise, 2 when it cannot run):
#  - RSS flat: no sample after SOAK_EXPORTER_WARMUP seconds (60) exceeds the sample at that
#    time by more than SOAK_RSS_SLACK_KB (1024). The exporter's rows are per device, not per
#    file or process, so nothing it holds grows with the files;
#  - series bounded: the last scrape has as many series (lines not starting with #) as the
#    first scrape after the warm-up;
#  - exact: the last scrape's daxtrace_mkwrite_total of the device equals the pages the
#    workload wrote (the sum of dt-workload's "total_pages"), and daxtrace_lost_events_total
#    is 0 for the counting reasons (skipped_run, map_full). Above it only if `daxtrace top -d`,
#    running alongside with its own maps, counted the same: the kernel calls ->page_mkwrite
#    again when it retries a fault (on a loaded machine), and that is an event, not a double
#    count (tests/soak/run.sh has the same rule);
#  - every scrape answered 200, the workload succeeded, the exporter lived to the end and
#    exited 0 on SIGTERM.
#
# Knobs: SOAK_EXPORTER_SECONDS (600), SOAK_EXPORTER_FILES (20000), SOAK_EXPORTER_PROCS (200),
# SOAK_EXPORTER_WARMUP (60), SOAK_EXPORTER_PORT (19796), SOAK_RSS_SLACK_KB (1024), BUILD.
set -u

BUILD=${BUILD:-build}
DAXTRACE=${DAXTRACE:-$BUILD/daxtrace}
WORKLOAD=${WORKLOAD:-$BUILD/tools/dt-workload}
SECONDS_TOTAL=${SOAK_EXPORTER_SECONDS:-600}
FILES=${SOAK_EXPORTER_FILES:-20000}
PROCS=${SOAK_EXPORTER_PROCS:-200}
WARMUP=${SOAK_EXPORTER_WARMUP:-60}
PORT=${SOAK_EXPORTER_PORT:-19796}
SLACK_KB=${SOAK_RSS_SLACK_KB:-1024}
out=$BUILD/soak-exporter

die() {
	echo "soak-exporter: $*" >&2
	exit 2
}

[ "$(id -u)" -eq 0 ] || die "needs root (BPF, mount)"
for tool in curl jq mkfs.xfs unshare; do
	command -v "$tool" > /dev/null || die "needs $tool"
done
if ! [ -x "$DAXTRACE" ] || ! [ -x "$WORKLOAD" ]; then
	die "build first (make): no $DAXTRACE or $WORKLOAD"
fi
if ! [ "$PROCS" -ge 1 ] || ! [ "$FILES" -ge "$PROCS" ] || ! [ "$SECONDS_TOTAL" -gt "$WARMUP" ]; then
	die "need SOAK_EXPORTER_FILES >= SOAK_EXPORTER_PROCS >= 1 and SECONDS > WARMUP"
fi

soak_name=soak-exporter
# shellcheck source=tests/soak/lib.sh
. "$(dirname "$0")/lib.sh"
soak_enter_namespace "$@"
soak_mount_xfs 2G
url=http://127.0.0.1:$PORT/metrics

# The cross-check: top counts the same device with its own rows, a report a minute.
"$DAXTRACE" top -v -i 60 --json -d "$devno" > "$out/top.jsonl" 2> "$out/top.err" &
top_pid=$!
pids="$pids $top_pid"
for _ in $(seq 300); do
	grep -q 'attached' "$out/top.err" && break
	sleep 0.1
done
grep -q 'attached' "$out/top.err" || die "top did not attach: $(tail -n 3 "$out/top.err")"

"$DAXTRACE" exporter --listen "127.0.0.1:$PORT" -d "$devno" 2> "$out/exporter.err" &
exporter_pid=$!
pids="$pids $exporter_pid"
for _ in $(seq 300); do
	grep -q 'msg=listening' "$out/exporter.err" 2> /dev/null && break
	kill -0 "$exporter_pid" 2> /dev/null || break
	sleep 0.1
done
grep -q 'msg=listening' "$out/exporter.err" || {
	cat "$out/exporter.err" >&2
	die "the exporter did not start listening (its log above)"
}

set_now() {
	local t=$EPOCHREALTIME
	now=$((${t%.*} * 1000000 + 10#${t#*.}))
}
set_now
start=$now

# The scraper: one GET a second, on the second; "t_s http_code seconds series" per scrape.
scraper() {
	local k=0 line
	while :; do
		set_now
		due=$((start + k * 1000000))
		if [ "$due" -gt "$now" ]; then
			sleep "$(((due - now) / 1000000)).$(printf %06d $(((due - now) % 1000000)))"
		fi
		line=$(curl -s -o "$workdir/scrape" -w '%{http_code} %{time_total}' --max-time 5 "$url")
		echo "$k $line $(grep -vc '^#' "$workdir/scrape")" >> "$out/scrapes.tsv"
		k=$((k + 1))
	done
}
: > "$out/scrapes.tsv"
scraper &
scraper_pid=$!
pids="$pids $scraper_pid"

# The sampler: VmRSS and CPU ticks every 10 s.
sampler() {
	local k=0 rss stat
	while :; do
		set_now
		due=$((start + k * 10000000))
		if [ "$due" -gt "$now" ]; then
			sleep "$(((due - now) / 1000000)).$(printf %06d $(((due - now) % 1000000)))"
		fi
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$exporter_pid/status" 2> /dev/null)
		stat=$(cat "/proc/$exporter_pid/stat" 2> /dev/null)
		# shellcheck disable=SC2086 # the fields after the command name
		set -- ${stat##*) }
		printf '%s\t%s\t%s\n' "$((k * 10))" "${rss:-gone}" "$((${12:-0} + ${13:-0}))" \
			>> "$out/samples.tsv"
		k=$((k + 1))
	done
}
printf 't_s\trss_kb\tcpu_ticks\n' > "$out/samples.tsv"
sampler &
sampler_pid=$!
pids="$pids $sampler_pid"

echo "soak-exporter: $SECONDS_TOTAL s, $PROCS processes, $FILES files on $devno;" \
	"exporter pid $exporter_pid on 127.0.0.1:$PORT; $out"

# The workload, paced over the first 90 % of the run, so the last scrapes see it finished.
: > "$out/workload.jsonl"
workload_failed=0
span=$((SECONDS_TOTAL * 9 / 10))
for ((p = 0; p < PROCS; p++)); do
	set_now
	due=$((start + p * span * 1000000 / PROCS))
	if [ "$due" -gt "$now" ]; then
		sleep "$(((due - now) / 1000000)).$(printf %06d $(((due - now) % 1000000)))"
	fi
	first=$((p * FILES / PROCS))
	count=$(((p + 1) * FILES / PROCS - first))
	dir=$mnt/d$((p / 20))
	[ -d "$dir" ] || mkdir "$dir"
	"$WORKLOAD" mwrite-files "$dir/f$first-" "$count" 1 >> "$out/workload.jsonl" \
		2>> "$out/workload.err" || workload_failed=$((workload_failed + 1))
done
set_now
[ $((now - start)) -lt $((SECONDS_TOTAL * 1000000)) ] &&
	sleep $((SECONDS_TOTAL - (now - start) / 1000000))
sleep 1
kill "$scraper_pid" "$sampler_pid" 2> /dev/null
wait "$scraper_pid" "$sampler_pid" 2> /dev/null
curl -s -o "$out/last.prom" "$url"
alive=0
kill -0 "$exporter_pid" 2> /dev/null && alive=1
kill -TERM "$exporter_pid" 2> /dev/null
wait "$exporter_pid"
exporter_status=$?
kill -INT "$top_pid" 2> /dev/null
wait "$top_pid"
pids=""

# --- Summary ------------------------------------------------------------------------------
status=0
bad() {
	echo "FAIL: $*"
	status=1
}
metric() {
	awk -v m="$1" '$1 == m { print $2; found = 1 } END { if (!found) print "none" }' \
		"$out/last.prom"
}
read -r workload_procs workload_files workload_pages < <(jq -rn '[inputs] |
	"\(length) \(map(.files) | add // 0) \(map(.total_pages) | add // 0)"' "$out/workload.jsonl")
mkwrite=$(metric "daxtrace_mkwrite_total{device=\"$devno\"}")
top_mkwrite=$(jq -rn '[inputs | select(.total) | .total.mkwrite] | add // 0' "$out/top.jsonl")
lost_run=$(metric 'daxtrace_lost_events_total{reason="skipped_run"}')
lost_full=$(metric 'daxtrace_lost_events_total{reason="map_full"}')
rss_warm=$(awk -F'\t' -v w="$WARMUP" 'NR > 1 && $1 >= w && $2 != "gone" { print $2; exit }' \
	"$out/samples.tsv")
rss_line=$(awk -F'\t' -v w="$WARMUP" 'NR > 1 && $1 >= w && $2 != "gone" {
		if ($2 > max) max = $2
		last = $2
	} END { print max + 0, last + 0 }' "$out/samples.tsv")
read -r rss_max rss_last <<< "$rss_line"
cpu_ticks=$(tail -n 1 "$out/samples.tsv" | cut -f3)
series_warm=$(awk -v w="$WARMUP" '$1 >= w { print $4; exit }' "$out/scrapes.tsv")
series_last=$(tail -n 1 "$out/scrapes.tsv" | cut -d' ' -f4)
scrapes=$(wc -l < "$out/scrapes.tsv")
not_ok=$(awk '$2 != 200' "$out/scrapes.tsv" | wc -l)
# p50 and p99 of the scrape times, ms (nearest rank)
read -r p50 p99 pmax < <(awk '$2 == 200 { print $3 * 1000 }' "$out/scrapes.tsv" | sort -g |
	awk '{ v[NR] = $1 } END {
		r50 = int(NR * 0.50 + 0.999); r99 = int(NR * 0.99 + 0.999)
		printf "%.2f %.2f %.2f\n", v[r50], v[r99], v[NR] }')

echo
echo "soak-exporter summary ($SECONDS_TOTAL s; $out)"
echo "workload: $workload_procs processes, $workload_files files, $workload_pages mkwrite pages," \
	"$workload_failed failed"
echo "exporter RSS kB: at ${WARMUP} s ${rss_warm:-none}, at the end $rss_last, max after" \
	"warm-up $rss_max (growth $((rss_max - ${rss_warm:-0}))); CPU $cpu_ticks ticks" \
	"($(getconf CLK_TCK)/s)"
echo "series: at ${WARMUP} s ${series_warm:-none}, at the end ${series_last:-none}"
echo "scrapes: $scrapes, not 200: $not_ok; time ms p50 $p50, p99 $p99, max $pmax"
echo "mkwrite_total $mkwrite (workload $workload_pages, top alongside $top_mkwrite); lost" \
	"skipped_run $lost_run, map_full $lost_full"

[ "$workload_failed" -eq 0 ] || bad "$workload_failed workload processes failed"
[ "$workload_files" -eq "$FILES" ] || bad "the workload wrote $workload_files of $FILES files"
[ "$alive" -eq 1 ] || bad "the exporter died ($out/exporter.err)"
[ "$exporter_status" -eq 0 ] || bad "the exporter exited with $exporter_status on SIGTERM"
if [ -z "$rss_warm" ] || [ $((rss_max - rss_warm)) -gt "$SLACK_KB" ]; then
	bad "RSS grew from ${rss_warm:-none} to $rss_max kB after warm-up (limit $SLACK_KB)"
fi
if [ -z "$series_warm" ] || [ "$series_warm" != "$series_last" ]; then
	bad "series went from ${series_warm:-none} to ${series_last:-none}"
fi
[ "$not_ok" -eq 0 ] || bad "$not_ok scrapes did not answer 200 ($out/scrapes.tsv)"
if [ "$mkwrite" = none ] || [ "$mkwrite" -lt "$workload_pages" ] ||
	{ [ "$mkwrite" -gt "$workload_pages" ] && [ "$mkwrite" != "$top_mkwrite" ]; }; then
	bad "daxtrace_mkwrite_total is $mkwrite, the workload wrote $workload_pages pages" \
		"(top alongside: $top_mkwrite)"
elif [ "$mkwrite" -gt "$workload_pages" ]; then
	echo "note: $((mkwrite - workload_pages)) more mkwrites than pages written, counted by top" \
		"too: the kernel retried faults"
fi
if [ "$lost_run" != 0 ] || [ "$lost_full" != 0 ]; then
	bad "lost events: skipped_run $lost_run, map_full $lost_full"
fi
[ "$status" -eq 0 ] && echo "PASS: RSS flat, series bounded, every mkwrite counted once"
exit "$status"
