#!/bin/sh
# Host end-to-end tests of `daxtrace top --csv` and `cow --csv` on the page cache (XFS, reflink,
# loop device): the CSV parses (Python's csv module) and its values equal --json's for the same
# workload, with the exact counts the workload makes; interval mode writes one header and a
# report's rows per interval; a hostile file name and comm keep their rows' field count; --csv
# and --json exclude each other.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

CHECK="python3 $here/check_csv.py"
N=8

"$DAXTRACE" top --csv --json > /dev/null 2> "${TMPDIR:-/tmp}/csv-usage.$$"
check csv/with-json $? 2 exit-status
check csv/with-json "$(grep -c 'exclude each other' "${TMPDIR:-/tmp}/csv-usage.$$")" 1 message
"$DAXTRACE" cow -j --csv > /dev/null 2>&1
check csv/cow-with-json $? 2 exit-status
rm -f "${TMPDIR:-/tmp}/csv-usage.$$"

if [ "$(id -u)" -ne 0 ]; then
	skip csv "needs root (BPF, mount)"
	exit 0
fi
setup_xfs

# csv_value FILE KIND COLUMN [MATCH_COLUMN MATCH_VALUE]: COLUMN of the KIND rows, one a line.
csv_value() {
	$CHECK value "$@"
}

# check_values NAME FILE KIND MATCH_COLUMN MATCH_VALUE COLUMN=VALUE...: the one matching row's.
check_values() {
	name=$1 file=$2 kind=$3 match_column=$4 match_value=$5
	shift 5
	for pair in "$@"; do
		if [ -n "$match_column" ]; then
			got=$(csv_value "$file" "$kind" "${pair%%=*}" "$match_column" "$match_value")
		else
			got=$(csv_value "$file" "$kind" "${pair%%=*}")
		fi
		check "$name" "$got" "${pair#*=}" "${pair%%=*}"
	done
}

# N first-touch mmap writes one MiB apart on the page cache: N ->page_mkwrite calls (see
# test_mkwrite in run.sh), nothing else counted; the same run under --csv and --json.
test_top_same_as_json() {
	f=$mnt/top-f
	"$WORKLOAD" create "$f" 16m > /dev/null
	for format in csv json; do
		drop_caches
		"$DAXTRACE" top --$format -- sh -c "exec > /dev/null; '$WORKLOAD' mwrite '$f' $N \
			--stride 1m" > "$workdir/top.$format"
	done
	$CHECK same csv/top top "$workdir/top.csv" "$workdir/top.json"
	check_values csv/top/total "$workdir/top.csv" total "" "" mkwrite=$N faults=0 cow=0
	check_values csv/top/process "$workdir/top.csv" process comm dt-workload mkwrite=$N faults=0
	check_values csv/top/file "$workdir/top.csv" file path "$f" mkwrite=$N \
		ino="$(stat -c %i "$f")" dev="$devno" dax=false
}

# --columns picks the CSV's columns too, latencies by their JSON unit (p99_us is p99_ns here).
test_columns() {
	f=$mnt/columns-f
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	"$DAXTRACE" top --csv --columns mkwrite,faults,p99_us -- sh -c "exec > /dev/null
		'$WORKLOAD' mwrite '$f' $N --stride 1m" > "$workdir/columns.csv"
	check csv/columns "$(head -1 "$workdir/columns.csv")" \
		time,interval_s,row,pid,comm,dev,ino,path,dax,device,mkwrite,faults,p99_ns header
	check_values csv/columns/file "$workdir/columns.csv" file path "$f" mkwrite=$N faults=0 \
		p99_ns=0
}

# cow.sh's test_cow_kinds: clone, clone range, dedupe and unshare once each, W pwrites one MiB
# apart to the 8 MiB clone from 4 MiB on and fsync: W + 1 breaks (the unshare copies too) of
# 8192 + W * 4096 bytes, all completed. W is 4: a write past 8 MiB would extend the clone, and
# break no sharing. The clones are made again for the second run: their inode numbers may change.
test_cow_same_as_json() {
	a=$mnt/cow-a b=$mnt/cow-b c=$mnt/cow-c W=4
	"$WORKLOAD" create "$a" 8m > /dev/null
	for format in csv json; do
		rm -f "$b" "$c"
		drop_caches
		"$DAXTRACE" cow --$format -- sh -c "exec > /dev/null; '$WORKLOAD' clone '$a' '$b' &&
			'$WORKLOAD' clonerange '$a' '$c' 1m 64k 0 &&
			'$WORKLOAD' dedupe '$a' '$b' 0 64k && '$WORKLOAD' unshare '$b' 2m 8k &&
			'$WORKLOAD' pwrite '$b' $W --stride 1m --offset 4m &&
			'$WORKLOAD' fsync '$b'" > "$workdir/cow.$format"
	done
	$CHECK same csv/cow cow "$workdir/cow.csv" "$workdir/cow.json" ino
	bytes=$((8192 + W * 4096))
	check_values csv/cow/total "$workdir/cow.csv" total "" "" remaps=4 clones=1 \
		clone_bytes=8388608 clone_ranges=1 clone_range_bytes=65536 dedupes=1 \
		dedupe_bytes=65536 unshares=1 unshare_bytes=8192 cow=$((W + 1)) \
		cow_break_bytes=$bytes cow_completions=$((W + 1)) cow_bytes=$bytes cow_cancels=0 \
		cow_avg_ns=0
	check_values csv/cow/file-b "$workdir/cow.csv" file path "$b" remaps=3 cow=$((W + 1))
	check_values csv/cow/file-c "$workdir/cow.csv" file path "$c" remaps=1 cow=0
}

# -i 0.2 -n 3: one header, then three reports' rows (each with its total row).
test_intervals() {
	"$DAXTRACE" top --csv -i 0.2 -n 3 > "$workdir/intervals.csv"
	check csv/intervals $? 0 exit-status
	$CHECK shape csv/intervals "$workdir/intervals.csv" 3
	check csv/intervals "$(csv_value "$workdir/intervals.csv" total interval_s |
		awk '$1 >= 0.15 && $1 < 2 { n++ } END { print n + 0 }')" 3 interval-s
}

# A file named with a comma, quotes, a newline, ESC and 0xff, written by a process whose comm
# holds the same: their rows keep the header's field count and no control byte, and the names
# decode (text_escape.h) to their exact bytes.
test_hostile_names() {
	f=$mnt/$(printf 'a,b"c\nd\033e\377f"')
	comm=$(printf 'x,"y\n\033\377')
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	"$DAXTRACE" top --csv -- sh -c "exec > /dev/null; \"\$0\" --comm \"\$1\" mwrite \"\$2\" $N \
		--stride 1m" "$WORKLOAD" "$comm" "$f" > "$workdir/hostile.csv"
	$CHECK shape csv/hostile "$workdir/hostile.csv" 1
	check_values csv/hostile/file "$workdir/hostile.csv" file path "$f" mkwrite=$N
	check_values csv/hostile/process "$workdir/hostile.csv" process comm "$comm" mkwrite=$N
}

test_top_same_as_json
test_columns
test_cow_same_as_json
test_intervals
test_hostile_names
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
