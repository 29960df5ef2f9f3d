#!/bin/sh
# Host end-to-end tests of `daxtrace snoop` and `daxtrace lat` on the page cache (XFS, reflink,
# loop device): the events the host kernel can show (mkwrite, cow, remap), and loss accounting.
# DAX faults and writeback are only in the guests (tests/e2e/vm/stream-suite.sh).
set -u
here=$(dirname "$0")
. "$here/lib.sh"
setup_xfs

N=8

# Each remap kind once, told apart by its ioctl, and N page-cache mkwrites.
test_snoop_events() {
	a=$mnt/snoop-a b=$mnt/snoop-b c=$mnt/snoop-c f=$mnt/snoop-f
	"$WORKLOAD" create "$a" 4m > /dev/null
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$("$DAXTRACE" snoop --json -- sh -c "exec > /dev/null; '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' clonerange '$a' '$c' 1m 64k 0 && '$WORKLOAD' dedupe '$a' '$b' 0 64k &&
		'$WORKLOAD' unshare '$b' 2m 8k && '$WORKLOAD' mwrite '$f' $N --stride 1m" 2> /dev/null)
	events=$(echo "$out" | grep '^{"time"')
	check snoop/remaps "$(echo "$events" | jq -cs '[.[] | select(.event == "remap") | [.remap, .bytes, .pgoff]]')" \
		'[["clone",4194304,0],["clone_range",65536,0],["dedupe",65536,0],["unshare",8192,512]]'
	check snoop/remap-files "$(echo "$events" | jq -cs '[.[] | select(.event == "remap") | .ino]')" \
		"[$(stat -c %i "$b"),$(stat -c %i "$c"),$(stat -c %i "$b"),$(stat -c %i "$b")]"
	check snoop/mkwrite "$(echo "$events" | jq -s --argjson ino "$(stat -c %i "$f")" \
		'[.[] | select(.event == "mkwrite" and .ino == $ino and .rw == "w")] | length')" $N
	check snoop/unshare-cow "$(echo "$events" | jq -cs '[.[] | select(.event == "cow") | [.ino, .pgoff, .bytes]]')" \
		"[[$(stat -c %i "$b"),512,8192]]"
	check snoop/summary "$(echo "$out" | jq -c 'select(.summary) | .summary | [.delivered, .lost]')" \
		"[$(echo "$events" | wc -l),0]"
}

# --events keeps the others out, in the kernel.
test_snoop_filter() {
	f=$mnt/snoop-filter
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$("$DAXTRACE" snoop --json --events remap,cow -- sh -c "exec > /dev/null
		'$WORKLOAD' mwrite '$f' $N --stride 1m && '$WORKLOAD' clone '$f' '$f.clone'" 2> /dev/null |
		grep '^{"time"')
	check snoop/events-filter "$(echo "$out" | jq -cs '[.[] | .event]')" '["remap"]'
}

# A burst into a one-page ring buffer: delivered + lost is every mkwrite the kernel made, losses
# are counted per CPU, and stderr says "lost N events" as they happen. The kernel's count comes
# from a top around the same run: a write fault that the kernel retries (a folio locked by
# reclaim or migration) calls ->page_mkwrite again, so it is at least one per page, not always
# exactly one (seen once in the sanitizer lane: 4097 for 4096 pages).
test_snoop_tiny_buffer() {
	f=$mnt/snoop-burst
	pages=4096
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$("$DAXTRACE" top --json -- "$DAXTRACE" snoop --json --buffer-kb 4 --events mkwrite -- \
		sh -c "exec > /dev/null; '$WORKLOAD' mreadwrite '$f' $pages" 2> "$workdir/snoop.err")
	summary=$(echo "$out" | jq -c 'select(.summary) | .summary')
	delivered=$(echo "$out" | jq -c 'select(.event)' | grep -c .)
	kernel=$(echo "$out" | jq 'select(.total) | .total.mkwrite')
	if [ "${kernel:-0}" -ge "$pages" ] 2> /dev/null; then
		pass snoop/burst/kernel-count
	else
		fail snoop/burst/kernel-count "the kernel made '$kernel' mkwrites for $pages pages"
	fi
	check snoop/burst "$(echo "$summary" | jq '.delivered + .lost')" "$kernel" total
	check snoop/burst "$(echo "$summary" | jq .delivered)" "$delivered" delivered-lines
	check snoop/burst "$(echo "$summary" | jq '(.lost_per_cpu | add) == .lost')" true per-cpu
	reported=$(sed -n 's/^lost \([0-9]*\) events$/\1/p' "$workdir/snoop.err" | paste -sd+ | bc)
	check snoop/burst "${reported:-0}" "$(echo "$summary" | jq .lost)" stderr
}

# The text form: a header and one line per event; the summary on stderr.
test_snoop_text() {
	f=$mnt/snoop-text
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$("$DAXTRACE" snoop -- "$WORKLOAD" mwrite "$f" 2 --stride 1m 2> "$workdir/text.err")
	check snoop/text "$(echo "$out" | grep -c ' mkwrite ')" 2 lines
	check snoop/text "$(echo "$out" | grep '^TIME' | awk '{print $1, $4, $12}')" "TIME(s) EVENT LAT(us)" header
	check snoop/text "$(grep -c '^daxtrace snoop: 2 events delivered, 0 lost in' "$workdir/text.err")" 1 summary
}

# The page cache has no fault-exit point: lat has nothing to time on this host, and says so
# with empty histograms rather than failing, and that this host has no DAX (doctor.sh).
test_lat_empty() {
	out=$("$DAXTRACE" lat --json -- true 2> /dev/null)
	check lat/host-empty "$(echo "$out" | jq -c '.empty = .empty.reason')" \
		'{"histograms":[],"lost":0,"empty":"no_dax"}'
}

test_snoop_events
test_snoop_filter
test_snoop_tiny_buffer
test_snoop_text
test_lat_empty
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
