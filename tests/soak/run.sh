#!/bin/bash
# The long run (`make soak`, issue #12 item 4; not part of make check): `daxtrace top -i 1
# --json` and `daxtrace snoop` (to /dev/null) side by side for SOAK_SECONDS, while a paced
# workload of SOAK_PROCS short processes maps and writes SOAK_FILES distinct files on a loop
# XFS. Every SOAK_SAMPLE seconds: the RSS of both daxtrace processes, the entries of each of
# their BPF maps, top's evictions and losses so far. Writes build/soak/ (samples.tsv, the raw
# outputs) and a summary; docs/performance.md "Long runs" explains the figures.
#
# Exit status 0 only if all of these hold (1 otherwise, 2 when it cannot run):
#  - RSS flat: for each daxtrace process, no sample after the warm-up one exceeds that
#    sample's VmRSS by more than SOAK_RSS_SLACK_KB (1024). The warm-up sample is the first at
#    or after SOAK_WARMUP seconds at which top's proc_stats and file_stats maps are full (95 %),
#    or the first after SOAK_WARMUP if they never fill (top's readings grow with the rows);
#  - no unreported loss: W = the pages the workload wrote through its mappings (the sum of
#    dt-workload's "total_pages"; each is one first-touch write fault, one ->page_mkwrite).
#    top's summed total.mkwrite must be >= W - top's summed "lost", and snoop's delivered +
#    lost must be >= W. A count above W is reported, not failed: the kernel calls
#    ->page_mkwrite again when it retries a fault (tests/e2e/host/stream.sh). Evictions drop
#    per-process and per-file rows, never the totals, so they excuse no missing total;
#  - the workload itself succeeded (every dt-workload exited 0) and both daxtrace processes
#    lived to the end and exited 0.
#
# Knobs: SOAK_SECONDS (3600), SOAK_FILES (100000), SOAK_PROCS (10000), SOAK_PAGES (pages
# written per file, 1), SOAK_SAMPLE (SOAK_SECONDS / 60, at least 10), SOAK_WARMUP
# (SOAK_SECONDS / 12), SOAK_RSS_SLACK_KB (1024), BUILD (build).
set -u

BUILD=${BUILD:-build}
DAXTRACE=${DAXTRACE:-$BUILD/daxtrace}
WORKLOAD=${WORKLOAD:-$BUILD/tools/dt-workload}
SOAK_SECONDS=${SOAK_SECONDS:-3600}
SOAK_FILES=${SOAK_FILES:-100000}
SOAK_PROCS=${SOAK_PROCS:-10000}
SOAK_PAGES=${SOAK_PAGES:-1}
SOAK_SAMPLE=${SOAK_SAMPLE:-$((SOAK_SECONDS / 60 > 10 ? SOAK_SECONDS / 60 : 10))}
SOAK_WARMUP=${SOAK_WARMUP:-$((SOAK_SECONDS / 12))}
SOAK_RSS_SLACK_KB=${SOAK_RSS_SLACK_KB:-1024}
here=$(cd "$(dirname "$0")" && pwd)
out=$BUILD/soak

die() {
	echo "soak: $*" >&2
	exit 2
}

[ "$(id -u)" -eq 0 ] || die "needs root (BPF, mount)"
for tool in jq mkfs.xfs python3 unshare; do
	command -v "$tool" > /dev/null || die "needs $tool"
done
if ! [ -x "$DAXTRACE" ] || ! [ -x "$WORKLOAD" ]; then
	die "build first (make): no $DAXTRACE or $WORKLOAD"
fi
if ! [ "$SOAK_PROCS" -ge 1 ] || ! [ "$SOAK_FILES" -ge "$SOAK_PROCS" ]; then
	die "SOAK_FILES ($SOAK_FILES) must be >= SOAK_PROCS ($SOAK_PROCS) >= 1"
fi

soak_name=soak
# shellcheck source=tests/soak/lib.sh
. "$here/lib.sh"
soak_enter_namespace "$@"
# 100,000 files of one page and their inodes fit in well under 1 GiB; the image is sparse.
soak_mount_xfs 4G

# set_now: now = microseconds of CLOCK_REALTIME, without a fork.
set_now() {
	local t=$EPOCHREALTIME
	now=$((${t%.*} * 1000000 + 10#${t#*.}))
}

# wait_attached FILE PID: daxtrace -v writes "attached" on stderr once its probes are in.
wait_attached() {
	for _ in $(seq 300); do
		grep -q 'attached' "$1" && return 0
		kill -0 "$2" 2> /dev/null || break
		sleep 0.1
	done
	cat "$1" >&2
	die "daxtrace did not attach (stderr above)"
}

# Both count only the soak's device (-d): the machine is shared, others make mkwrites too.
"$DAXTRACE" top -v -i 1 --json -d "$devno" > "$out/top.jsonl" 2> "$out/top.err" &
top_pid=$!
pids="$pids $top_pid"
"$DAXTRACE" snoop -v -d "$devno" > /dev/null 2> "$out/snoop.err" &
snoop_pid=$!
pids="$pids $snoop_pid"
wait_attached "$out/top.err" $top_pid
wait_attached "$out/snoop.err" $snoop_pid

# cpu_seconds PID: user + system CPU time so far (/proc/PID/stat fields 14 and 15, in ticks).
cpu_seconds() {
	local stat
	stat=$(cat "/proc/$1/stat" 2> /dev/null) || return
	# shellcheck disable=SC2086 # the fields after the command name
	set -- ${stat##*) }
	echo $(((${12} + ${13}) / $(getconf CLK_TCK)))
}

# sample T: one line of samples.tsv. top's counters so far come from the complete report
# lines not yet summed (top.jsonl grows by one line a second).
top_lines=0 cum_mkwrite=0 cum_lost=0 cum_evicted=0
sample() {
	local t=$1 lines top_maps top_rss top_hwm snoop_rss snoop_lost done_procs top_cpu snoop_cpu
	lines=$(wc -l < "$out/top.jsonl")
	if [ "$lines" -gt "$top_lines" ]; then
		# shellcheck disable=SC2046 # three numbers
		set -- $(sed -n "$((top_lines + 1)),${lines}p" "$out/top.jsonl" |
			jq -rn '[inputs | select(.total)] |
				"\(map(.total.mkwrite) | add // 0) \(map(.lost) | add // 0) \(map(.evicted) | add // 0)"')
		cum_mkwrite=$((cum_mkwrite + $1)) cum_lost=$((cum_lost + $2))
		cum_evicted=$((cum_evicted + $3))
		top_lines=$lines
	fi
	top_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$top_pid/status" 2> /dev/null)
	top_hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$top_pid/status" 2> /dev/null)
	snoop_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$snoop_pid/status" 2> /dev/null)
	top_cpu=$(cpu_seconds "$top_pid")
	snoop_cpu=$(cpu_seconds "$snoop_pid")
	snoop_lost=$(sed -n 's/^lost \([0-9]*\) events$/\1/p' "$out/snoop.err" |
		awk '{n += $1} END {print n + 0}')
	done_procs=$(wc -l < "$out/workload.jsonl")
	top_maps=$(python3 "$here/map-entries.py" "$top_pid" |
		awk '$3 != "-" {printf "%s%s=%s/%s", sep, $1, $3, $4; sep = ","}')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${top_rss:-gone}" \
		"${snoop_rss:-gone}" "$done_procs" "$((done_procs * SOAK_FILES / SOAK_PROCS))" \
		"$cum_mkwrite" "$cum_lost" "$cum_evicted" "$snoop_lost" "$top_maps" \
		"$(python3 "$here/map-entries.py" "$snoop_pid" |
			awk '$3 != "-" && $3 != 0 {printf "%s%s=%s/%s", sep, $1, $3, $4; sep = ","}')" \
		"$top_cpu" "$snoop_cpu" "${top_hwm:-gone}" >> "$out/samples.tsv"
}

# schedule_sample: next_sample = the first multiple of SOAK_SAMPLE still ahead (a sample that
# took long skips one, the rows never pile up behind).
schedule_sample() {
	set_now
	next_sample=$(((now - start) / 1000000 / SOAK_SAMPLE * SOAK_SAMPLE + SOAK_SAMPLE))
}

printf 't_s\ttop_rss_kb\tsnoop_rss_kb\tprocs_done\tfiles_done\ttop_mkwrite\ttop_lost\ttop_evicted\tsnoop_lost\ttop_maps\tsnoop_maps_nonempty\ttop_cpu_s\tsnoop_cpu_s\ttop_hwm_kb\n' \
	> "$out/samples.tsv"
: > "$out/workload.jsonl"
: > "$out/workload.err"

echo "soak: $SOAK_SECONDS s, $SOAK_PROCS processes, $SOAK_FILES files of $SOAK_PAGES page(s)" \
	"on $devno; top pid $top_pid, snoop pid $snoop_pid; samples every $SOAK_SAMPLE s in" \
	"$out/samples.tsv"

# The workload, paced: process p starts at start + p * SOAK_SECONDS / SOAK_PROCS and writes
# files p*F/P .. (p+1)*F/P - 1, in directories of at most 100 processes' files. The samples are
# taken between processes, at start + k * SOAK_SAMPLE.
set_now
start=$now
next_sample=0
workload_failed=0
for ((p = 0; p < SOAK_PROCS; p++)); do
	set_now
	if [ $((now - start)) -ge $((next_sample * 1000000)) ]; then
		sample "$next_sample"
		schedule_sample
	fi
	due=$((start + p * SOAK_SECONDS * 1000000 / SOAK_PROCS))
	if [ "$due" -gt "$now" ]; then
		wait_us=$((due - now))
		sleep "$((wait_us / 1000000)).$(printf %06d $((wait_us % 1000000)))"
	fi
	first=$((p * SOAK_FILES / SOAK_PROCS))
	count=$(((p + 1) * SOAK_FILES / SOAK_PROCS - first))
	dir=$mnt/d$((p / 100))
	[ -d "$dir" ] || mkdir "$dir"
	if ! "$WORKLOAD" mwrite-files "$dir/f$first-" "$count" "$SOAK_PAGES" \
		>> "$out/workload.jsonl" 2>> "$out/workload.err"; then
		workload_failed=$((workload_failed + 1))
	fi
done
# The last samples, up to SOAK_SECONDS; snoop reads its buffer at least every 100 ms.
while [ "$next_sample" -le "$SOAK_SECONDS" ]; do
	set_now
	if [ $((now - start)) -lt $((next_sample * 1000000)) ]; then
		sleep 0.2
		continue
	fi
	sample "$next_sample"
	schedule_sample
done
sleep 1

# SIGINT: top prints a last report, snoop its summary; both exit 0.
kill -INT "$top_pid" "$snoop_pid"
wait "$top_pid"
top_status=$?
wait "$snoop_pid"
snoop_status=$?
pids=""
set_now
elapsed=$(((now - start) / 1000000))

# --- Summary ------------------------------------------------------------------------------
read -r top_mkwrite top_lost top_evicted top_reports < <(jq -rn '[inputs | select(.total)] |
	"\(map(.total.mkwrite) | add // 0) \(map(.lost) | add // 0) \(map(.evicted) | add // 0) \(length)"' \
	"$out/top.jsonl")
summary=$(sed -n 's/^daxtrace snoop: \([0-9]*\) events delivered, \([0-9]*\) lost in .*/\1 \2/p' \
	"$out/snoop.err")
read -r snoop_delivered snoop_lost <<< "${summary:-? ?}"
read -r workload_procs workload_files workload_pages < <(jq -rn '[inputs] |
	"\(length) \(map(.files) | add // 0) \(map(.total_pages) | add // 0)"' "$out/workload.jsonl")

status=0
bad() {
	echo "FAIL: $*"
	status=1
}

# The warm-up sample: the first at or after SOAK_WARMUP seconds at which top's row maps
# (proc_stats, file_stats) are full (95 % of their rows, counted from the sample's top_maps),
# or the first after SOAK_WARMUP if they never fill. Until they are full, top's readings hold
# more rows each second, and its RSS grows with them by design (bounded by the maps' size).
warm_t=$(awk -F'\t' -v warm="$SOAK_WARMUP" 'NR > 1 && $1 >= warm {
		if (first == "") first = $1
		n = split($10, maps, ",")
		full = 0
		for (i = 1; i <= n; i++)
			if (maps[i] ~ /^(proc|file)_stats=/) {
				split(maps[i], kv, "[=/]")
				if (kv[2] >= 0.95 * kv[3]) full++
			}
		if (full == 2) { print $1; found = 1; exit }
	}
	END { if (!found && first != "") print first }' "$out/samples.tsv")
warm_t=${warm_t:-$SOAK_WARMUP}

# rss_check COLUMN NAME: RSS at the warm-up sample, at the end, and the growth after warm-up.
rss_check() {
	local line floor
	line=$(awk -F'\t' -v col="$1" -v warm="$warm_t" 'NR > 1 && $1 >= warm && $col != "gone" {
			if (!n++) base = $col
			if (min == "" || $col < min) min = $col
			if ($col > max) max = $col
			last = $col
		}
		END { if (n) print base, last, min, max, max - min, max - base }' "$out/samples.tsv")
	# The floor: the lowest sample of the first and of the last half after warm-up. Memory
	# that is kept (a leak) raises it; memory allocated and freed within each report (top
	# reads every row each second) only widens max-min.
	floor=$(awk -F'\t' -v col="$1" -v warm="$warm_t" 'NR > 1 && $1 >= warm && $col != "gone" {
			t[++n] = $1; v[n] = $col
		}
		END {
			for (i = 1; i <= n; i++)
				if (i <= n / 2) { if (a == "" || v[i] < a) a = v[i] }
				else if (b == "" || v[i] < b) b = v[i]
			if (n >= 2) print a, b, b - a
		}' "$out/samples.tsv")
	if [ -z "$line" ]; then
		bad "$2: no RSS sample after the warm-up ($warm_t s)"
		return
	fi
	read -r base last min max spread growth <<< "$line"
	[ -n "$floor" ] && echo "$2 RSS floor kB (lowest sample): first half after warm-up" \
		"${floor% * *}, second half $(echo "$floor" | cut -d' ' -f2) (change ${floor##* })"
	echo "$2 RSS kB: at warm-up (t=${warm_t}s) $base, at the end $last; after warm-up" \
		"min $min max $max (max-min $spread, max-warm-up $growth)"
	[ "$growth" -le "$SOAK_RSS_SLACK_KB" ] ||
		bad "$2 RSS grew by $growth kB after warm-up (limit $SOAK_RSS_SLACK_KB)"
}

echo
echo "soak summary ($elapsed s; samples in $out/samples.tsv)"
echo "workload: $workload_procs processes, $workload_files files, $workload_pages mkwrite pages," \
	"$workload_failed failed"
rss_check 2 top
rss_check 3 snoop
echo "top: mkwrite $top_mkwrite (workload $workload_pages, difference" \
	"$((top_mkwrite - workload_pages))), lost $top_lost, evicted $top_evicted, $top_reports reports"
echo "snoop: delivered $snoop_delivered, lost $snoop_lost (delivered + lost" \
	"$((snoop_delivered + snoop_lost)), workload $workload_pages, top $top_mkwrite)"
echo "maps at the end (top): $(tail -n 1 "$out/samples.tsv" | cut -f10)"

[ "$workload_failed" -eq 0 ] || bad "$workload_failed workload processes failed ($out/workload.err)"
if [ "$workload_procs" -ne "$SOAK_PROCS" ] || [ "$workload_files" -ne "$SOAK_FILES" ]; then
	bad "the workload ran $workload_procs processes and $workload_files files"
fi
[ "$top_status" -eq 0 ] || bad "top exited with status $top_status ($out/top.err)"
[ "$snoop_status" -eq 0 ] || bad "snoop exited with status $snoop_status ($out/snoop.err)"
[ "$top_mkwrite" -ge $((workload_pages - top_lost)) ] ||
	bad "top counted $top_mkwrite of $workload_pages mkwrites and reported only $top_lost lost"
case $snoop_delivered in
'?') bad "no snoop summary in $out/snoop.err" ;;
*) [ $((snoop_delivered + snoop_lost)) -ge "$workload_pages" ] ||
	bad "snoop delivered $snoop_delivered of $workload_pages and reported only $snoop_lost lost" ;;
esac
[ "$status" -eq 0 ] && echo "PASS: RSS flat after warm-up, every mkwrite counted or reported lost"
exit "$status"
