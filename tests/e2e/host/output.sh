#!/bin/sh
# Host end-to-end tests of what daxtrace writes (DESIGN.md "Output contract"): a failed write
# to stdout is an error that still tears the session down, a reader that goes away ends it
# quietly.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
setup_xfs

N=8
# said once at start on a machine without DAX, as this host (doctor.sh tests it)
NO_DAX=': warning: no DAX mount or device DAX device: '

# run_attached LOG HELD CMD...: CMD (a daxtrace with -v, its stdout /dev/full) in the background
# until it attached, the BPF objects it holds listed in HELD; leaves its pid in $pid.
run_attached() {
	log=$1 held=$2
	shift 2
	in_background "$log" "$@" > /dev/full
	pid=$!
	wait_attached "$log"
	held_objects $pid > "$held"
}

# test_write_error NAME CMD...: stdout on a full disk: one message on stderr, exit 1, and nothing of the session left.
test_write_error() {
	name=$1
	shift
	run_attached "$workdir/full.err" "$workdir/full.held" "$@"
	wait $pid
	check "$name" $? 1 exit-status
	# -v lines start "daxtrace: ", the error "daxtrace top: "; the host's no-DAX line at start
	check "$name" "$(grep -v '^daxtrace: ' "$workdir/full.err" | grep -v "$NO_DAX" |
		grep -vc '^libbpf: ')" 1 \
		one-message
	check "$name" "$(grep -c 'writing the output: No space left on device$' "$workdir/full.err")" \
		1 message
	released "$workdir/full.held"
	check "$name" $? 0 nothing-left
}

# snoop counts as delivered only what it wrote: none of it, into /dev/full.
test_snoop_delivered_to_full() {
	f=$mnt/full
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	"$DAXTRACE" snoop -- sh -c "exec > /dev/null; '$WORKLOAD' mwrite '$f' $N --stride 1m" \
		> /dev/full 2> "$workdir/snoop.err"
	check write-error/snoop-command $? 1 exit-status
	check write-error/snoop-command "$(grep -c '^daxtrace snoop: 0 events delivered' \
		"$workdir/snoop.err")" 1 none-delivered
}

# "daxtrace ... | head -1": the reader leaves; daxtrace detaches and ends as SIGPIPE ends a
# pipeline's writer (status 141 in the shell), saying nothing.
test_reader_gone() {
	name=$1
	shift
	status=$( ("$@" 2> "$workdir/pipe.err"; echo $? > "$workdir/pipe.status") | head -1 > /dev/null
		cat "$workdir/pipe.status")
	check "$name" "$status" 141 exit-status
	check "$name" "$(grep -v "$NO_DAX" "$workdir/pipe.err" | wc -c)" 0 quiet
}

# A filesystem mounted while top runs: its files get their paths (mountinfo read again), and
# their exact counts.
test_mounted_after_start() {
	late=$workdir/late
	truncate -s 512M "$workdir/late.img"
	mkfs.xfs -q -f "$workdir/late.img"
	mkdir "$late"
	in_background "$workdir/late.err" "$DAXTRACE" top -v -j -i 0.5 > "$workdir/late.json"
	pid=$!
	wait_attached "$workdir/late.err"
	mount -o loop "$workdir/late.img" "$late"
	"$WORKLOAD" create "$late/f" 16m > /dev/null
	drop_caches
	"$WORKLOAD" mwrite "$late/f" $N --stride 1m > /dev/null
	sleep 1.5
	kill -INT $pid
	wait $pid
	rows=$(jq -c --arg dev "$(mountpoint -d "$late")" --argjson ino "$(stat -c %i "$late/f")" \
		'.files[] | select(.dev == $dev and .ino == $ino)' "$workdir/late.json")
	check mounted-after-start "$(echo "$rows" | jq -r .path | sort -u | xargs)" "$late/f" path
	check mounted-after-start "$(echo "$rows" | jq -s 'map(.mkwrite) | add')" $N mkwrite
	umount "$late"
}

"$WORKLOAD" create "$mnt/f" 16m > /dev/null
test_write_error write-error/top-json "$DAXTRACE" top -v -j -i 0.5 -n 100
test_write_error write-error/top-text "$DAXTRACE" top -v -b -i 0.5 -n 100
test_write_error write-error/top-csv "$DAXTRACE" top -v --csv -i 0.5 -n 100
test_write_error write-error/snoop-json "$DAXTRACE" snoop -v -j -- \
	sh -c "exec > /dev/null; '$WORKLOAD' mwrite '$mnt/f' $N --stride 1m"
test_snoop_delivered_to_full
test_mounted_after_start
test_reader_gone reader-gone/snoop timeout 30 "$DAXTRACE" snoop
test_reader_gone reader-gone/top timeout 30 "$DAXTRACE" top -b -i 0.2
test_reader_gone reader-gone/top-csv timeout 30 "$DAXTRACE" top --csv -i 0.2
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
