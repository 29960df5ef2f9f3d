#!/bin/sh
# shellcheck disable=SC2317 # the test_* functions are called by name, from the table at the end
# Runs INSIDE an emulated-NVDIMM guest: DAX writeback counts (top), latency histograms (lat) and
# the event stream (snoop), exact, for each attach family given as arguments.
set -u
. "$(dirname "$0")/lib.sh"
N=8
fresh_xfs stream # its PMD counts are exact

# Dirty N pages through a mapping, then msync: one writeback range flushing N pages. The same
# with two PMD entries: 1024 pages, as dax_writeback_one reports each entry's size.
test_flush() {
	f=$DAX_MNT/flush-$family
	"$WORKLOAD" create "$f" 8m > /dev/null
	out=$(top_json -- "$WORKLOAD" mwrite "$f" "$N" --msync)
	check "$family/flush-pte" "$out" '.total | {write, flushes, flush_pages}' \
		"{\"write\":$N,\"flushes\":1,\"flush_pages\":$N}"
	g=$DAX_MNT/flush-pmd-$family
	"$WORKLOAD" create "$g" 8m > /dev/null
	out=$(top_json -- "$WORKLOAD" mwrite "$g" 2 --stride 2m --huge --msync)
	check "$family/flush-pmd" "$out" '.total | {pmd, flushes, flush_pages}' \
		'{"pmd":2,"flushes":1,"flush_pages":1024}'
	check "$family/flush-file" "$out" \
		".files | map(select(.ino == $(stat -c %i "$g"))) | .[0] | {flushes, flush_pages}" \
		'{"flushes":1,"flush_pages":1024}'
}

# One workload under lat, itself under top: every kind's histogram holds exactly that kind's
# count in top, and the counts the workload is built to cause.
test_lat() {
	r=$DAX_MNT/lat-r-$family w=$DAX_MNT/lat-w-$family h=$DAX_MNT/lat-h-$family
	a=$DAX_MNT/lat-a-$family b=$DAX_MNT/lat-b-$family m=$DAX_MNT/lat-m-$family
	for f in "$r" "$w" "$h" "$a" "$m"; do "$WORKLOAD" create "$f" 8m > /dev/null; done
	"$WORKLOAD" clone "$a" "$b" > /dev/null
	both=$("$DAXTRACE" top --json --attach="$family" -- \
		"$DAXTRACE" lat --json --attach="$family" -- sh -c "exec > /dev/null
		'$WORKLOAD' mread '$r' $N && '$WORKLOAD' mreadwrite '$w' $N &&
		'$WORKLOAD' mread '$h' 2 --stride 2m --huge &&
		'$WORKLOAD' mwrite '$h' 2 --stride 2m --huge --offset 4m --msync &&
		'$WORKLOAD' mwrite '$b' $((N / 2)) --stride 64k &&
		'$WORKLOAD' mread '$m' 1 --stride 2m --offset 4k --huge" 2>&1)
	lat=$(echo "$both" | grep '^{"histograms"')
	top=$(echo "$both" | grep '^{"time"')
	# the misaligned huge read: a PMD fault that falls back, then a PTE fault; every other PTE
	# fault is under MADV_NOHUGEPAGE (dt-workload's default): no PMD fault tried
	check "$family/lat-counts" "$lat" "$lat_counts" \
		"{\"pte-read\":$((2 * N + 1)),\"pte-write\":$((N + N / 2)),\"pmd-read\":3,\"pmd-write\":2,\"mkwrite\":$N,\"cow\":$((N / 2)),\"writeback\":1,\"fallback-misaligned\":1,\"nopmd-nohugepage\":$((3 * N + N / 2))}"
	check "$family/lat-equals-top" "$top" "$top_as_lat" "$(echo "$lat" | jq -c "$lat_counts_as_top")"
	check "$family/lat-top-pmd" "$top" '.total | {pmd, fallback}' '{"pmd":5,"fallback":1}'
	check "$family/lat-buckets" "$lat" \
		'[.histograms[] | ([.buckets[].count] | add) == .count and .sum_ns > 0] | all' true
	check "$family/lat-lost" "$lat" '.lost' 0
	# -P: one row per process and kind, all of them dt-workload's (its reads are PTE faults
	# under MADV_NOHUGEPAGE: pte-read and nopmd-nohugepage each).
	out=$("$DAXTRACE" lat --json -P --attach="$family" -- "$WORKLOAD" mread "$r" "$N" |
		grep '^{"histograms"')
	check "$family/lat-per-process" "$out" '[.histograms[] | {kind, count, pid: (.pid > 0)}]' \
		"[{\"kind\":\"pte-read\",\"count\":$N,\"pid\":true},{\"kind\":\"nopmd-nohugepage\",\"count\":$N,\"pid\":true}]"
	# -F: the file's dev and inode.
	out=$("$DAXTRACE" lat --json -F --attach="$family" -- "$WORKLOAD" mread "$r" "$N" |
		grep '^{"histograms"')
	check "$family/lat-per-file" "$out" '[.histograms[] | {kind, count, ino}]' \
		"[{\"kind\":\"pte-read\",\"count\":$N,\"ino\":$(stat -c %i "$r")},{\"kind\":\"nopmd-nohugepage\",\"count\":$N,\"ino\":$(stat -c %i "$r")}]"
}

# One NDJSON object per event, of each type the workload causes, with its fields.
test_snoop() {
	f=$DAX_MNT/snoop-$family g=$DAX_MNT/snoop-g-$family e=$DAX_MNT/snoop-e-$family
	a=$DAX_MNT/snoop-a-$family b=$DAX_MNT/snoop-b-$family c=$DAX_MNT/snoop-c-$family
	m=$DAX_MNT/snoop-m-$family
	for x in "$f" "$g" "$a" "$m"; do "$WORKLOAD" create "$x" 8m > /dev/null; done
	"$WORKLOAD" create "$e" 4k > /dev/null
	out=$("$DAXTRACE" snoop --json --attach="$family" -- sh -c "exec > /dev/null
		'$WORKLOAD' mread '$f' $N && '$WORKLOAD' past-eof '$e' &&
		'$WORKLOAD' mwrite '$g' 2 --stride 2m --huge --msync &&
		'$WORKLOAD' clone '$a' '$b' && '$WORKLOAD' clonerange '$a' '$c' 0 64k 0 &&
		'$WORKLOAD' dedupe '$a' '$b' 0 64k && '$WORKLOAD' unshare '$b' 1m 8k &&
		'$WORKLOAD' mwrite '$b' 2 --stride 64k --offset 4m &&
		'$WORKLOAD' mread '$m' 1 --stride 2m --offset 4k --huge" 2> /dev/null)
	events=$(echo "$out" | grep '^{"time"')
	check_all "$family/snoop-types" "$events" '[.[] | .event] | group_by(.) | map({(.[0]): length}) | add' \
		"{\"cow\":3,\"fault\":$((N + 4)),\"remap\":4,\"sigbus\":1,\"writeback\":1}"
	check_all "$family/snoop-pte-reads" "$events" \
		"[.[] | select(.ino == $(stat -c %i "$f")) | {event, size, pgoff, rw, result, timed: (.latency_ns > 0), mapped: (.address > 0)}] | unique" \
		"$(i=0; printf '['; while [ "$i" -lt "$N" ]; do [ "$i" -gt 0 ] && printf ,; printf '{"event":"fault","size":"pte","pgoff":%d,"rw":"r","result":"nopage","timed":true,"mapped":true}' "$i"; i=$((i + 1)); done; printf ']')"
	check_all "$family/snoop-pmd-writes" "$events" \
		'[.[] | select(.size == "pmd" and .rw == "w") | {event, rw, bytes, pgoff}]' \
		'[{"event":"fault","rw":"w","bytes":2097152,"pgoff":0},{"event":"fault","rw":"w","bytes":2097152,"pgoff":512}]'
	# a huge read at file offset 4 KiB: the PMD fault falls back (misaligned), a PTE fault follows
	check_all "$family/snoop-fallback" "$events" \
		'[.[] | select(.ino == '"$(stat -c %i "$m")"') | {size, result, fallback_reason}]' \
		'[{"size":"pmd","result":"fallback","fallback_reason":"misaligned"},{"size":"pte","result":"nopage","fallback_reason":null}]'
	check_all "$family/snoop-writeback" "$events" \
		'[.[] | select(.event == "writeback") | {bytes, pgoff, timed: (.latency_ns > 0)}]' \
		'[{"bytes":4194304,"pgoff":0,"timed":true}]'
	check_all "$family/snoop-sigbus" "$events" \
		'[.[] | select(.event == "sigbus") | {size, result, pgoff}]' \
		'[{"size":"pte","result":"sigbus","pgoff":1}]'
	check_all "$family/snoop-remaps" "$events" \
		'[.[] | select(.event == "remap") | {remap, bytes, pgoff}]' \
		'[{"remap":"clone","bytes":8388608,"pgoff":0},{"remap":"clone_range","bytes":65536,"pgoff":0},{"remap":"dedupe","bytes":65536,"pgoff":0},{"remap":"unshare","bytes":8192,"pgoff":256}]'
	check_all "$family/snoop-cow-faults" "$events" \
		'[.[] | select(.event == "cow" and .size != null) | {rw, size, timed: (.latency_ns > 0)}]' \
		'[{"rw":"w","size":"pte","timed":true},{"rw":"w","size":"pte","timed":true}]'
	# the unshare's break, outside a fault: where it starts and its bytes (tracefs records lack
	# the iterator: classic has the extent's start and no bytes)
	[ "$(point_kind cow.start)" = classic ] || check_all "$family/snoop-cow-unshare" "$events" \
		'[.[] | select(.event == "cow" and .size == null) | {pgoff, bytes, latency_ns}]' \
		'[{"pgoff":256,"bytes":8192,"latency_ns":null}]'
	check "$family/snoop-summary" "$out" 'select(.summary) | .summary | {delivered, lost}' \
		"{\"delivered\":$(echo "$events" | wc -l),\"lost\":0}"
}

# A burst into a ring buffer of one page: what is not delivered is counted lost, exactly.
test_snoop_tiny_buffer() {
	f=$DAX_MNT/snoop-burst-$family
	pages=2048
	"$WORKLOAD" create "$f" 8m > /dev/null
	out=$("$DAXTRACE" snoop --json --buffer-kb 4 --events fault --attach="$family" -- \
		sh -c "exec > /dev/null; '$WORKLOAD' mread '$f' $pages" 2> /dev/null)
	delivered=$(echo "$out" | grep -c '^{"time"')
	check "$family/snoop-burst" "$out" \
		"select(.summary) | .summary | {total: (.delivered + .lost), delivered, per_cpu: ((.lost_per_cpu | add) == .lost)}" \
		"{\"total\":$pages,\"delivered\":$delivered,\"per_cpu\":true}"
}

# The reflink view on DAX: each remap kind once, the unshare's copy and N write faults that break
# sharing (timed), each completed synchronously by the writer.
test_cow() {
	a=$DAX_MNT/cow-a-$family b=$DAX_MNT/cow-b-$family c=$DAX_MNT/cow-c-$family
	"$WORKLOAD" create "$a" 8m > /dev/null
	out=$("$DAXTRACE" cow --json --attach="$family" -- sh -c "exec > /dev/null
		'$WORKLOAD' clone '$a' '$b' && '$WORKLOAD' clonerange '$a' '$c' 1m 64k 0 &&
		'$WORKLOAD' dedupe '$a' '$b' 0 64k && '$WORKLOAD' unshare '$b' 2m 8k &&
		'$WORKLOAD' mwrite '$b' $N --stride 64k --offset 4m" | grep '^{"time"')
	check "$family/cow-remaps" "$out" .total.remaps \
		'{"total":4,"clone":{"count":1,"bytes":8388608},"clone_range":{"count":1,"bytes":65536},"dedupe":{"count":1,"bytes":65536},"unshare":{"count":1,"bytes":8192}}'
	bytes=$((8192 + N * 4096))
	# tracefs records of iomap_iter_srcmap carry the source extent, not the write's range
	[ "$(point_kind cow.start)" = classic ] && break_bytes=0 || break_bytes=$bytes
	check "$family/cow-breaks" "$out" '.total.breaks | {count, bytes, timed, latency: (.avg_ns > 0)}' \
		"{\"count\":$((N + 1)),\"bytes\":$break_bytes,\"timed\":$N,\"latency\":true}"
	check "$family/cow-completions" "$out" .total.completions "{\"count\":$((N + 1)),\"bytes\":$bytes}"
	check "$family/cow-files" "$out" \
		'[.files[] | {ino, remaps: .remaps.total, breaks: .breaks.count}] | sort_by(.remaps)' \
		"[{\"ino\":$(stat -c %i "$c"),\"remaps\":1,\"breaks\":0},{\"ino\":$(stat -c %i "$b"),\"remaps\":3,\"breaks\":$((N + 1))}]"
}

echo "guest kernel $kernel"
# Every family enters the same handlers; each test runs with the readers that differ for it:
# tracefs records (classic), CO-RE reads of raw arguments (raw_tp), the fault's arguments at
# function entry (fentry, kprobe). Writeback has tracepoints only, so fentry and kprobe would
# repeat auto there. Under TCG every run costs seconds: no test runs twice for nothing.
for family in "$@"; do
	case $family in
	auto) tests="test_flush test_snoop_tiny_buffer test_lat test_snoop test_cow" ;;
	classic) tests="test_flush test_lat test_snoop test_cow" ;;
	raw_tp) tests="test_flush" ;;
	fentry) tests="test_lat test_snoop test_cow" ;;
	kprobe) tests="test_snoop" ;;
	*) tests= ;;
	esac
	for t in $tests; do
		$t
	done
done
exit 0
