#!/bin/sh
# Host end-to-end tests of names that try to break daxtrace's output: files named with a
# newline, a tab, quotes, a backslash, ESC and a byte that is not UTF-8 (0xff), a long UTF-8 name
# cut by BPF inside a character, a 255-byte name deep down, and processes whose comm holds a
# newline and ESC, or 0xff. The JSON of top, snoop and cow stays strict JSON in strict UTF-8
# (python3) and jq reads it; each decoded path names the real file; the text views keep one
# line per row with no control byte; the exact counts hold (tests/e2e/host/check_output.py).
set -u
here=$(dirname "$0")
. "$here/lib.sh"
setup_xfs

N=4
CHECK="python3 $here/check_output.py"

# printf formats of the names (no spaces: the list is split on them)
NAMES='nl\nname tab\tname quote\042name apos\047name back\\slash esc\033[31mred bad\377byte
cr\rname x\nbad\377\033end'
long=$(printf 'a%.0s' $(seq 46))
deep=$(printf 'd%.0s' $(seq 100))
leaf=$(printf 'L%.0s' $(seq 255))
COMM_NL_ESC=$(printf 'x\ny\033z')
COMM_BAD=$(printf 'bad\377comm')
# the same, as check_output.py and the text views show them
COMM_NL_ESC_HEX=780a791b7a
COMM_BAD_HEX=626164ff636f6d6d
# shellcheck disable=SC1003 # a literal backslash: what the text views print for a newline
COMM_NL_ESC_TEXT='x\ny\ez'
COMM_BAD_TEXT='bad\xffcomm'

# name_of FORMAT: the name a printf format makes, trailing newlines kept
name_of() {
	# shellcheck disable=SC2059 # the format is the point
	name=$(printf "$1x")
	printf '%s' "${name%x}"
}

setup_files() {
	dir=$mnt/hostile
	mkdir "$dir"
	for fmt in $NAMES; do
		"$WORKLOAD" create "$dir/$(name_of "$fmt")" 16m > /dev/null
	done
	"$WORKLOAD" create "$dir/${long}$(printf '\303\251')-utf8-cut-by-bpf" 16m > /dev/null
	mkdir -p "$dir/$deep/$deep/$deep/$deep/$deep"
	"$WORKLOAD" create "$dir/$deep/$deep/$deep/$deep/$deep/$leaf" 16m > /dev/null
	# counted without a line per name: two names hold a newline
	files=$(find "$dir" -type f -printf x | wc -c)
}

# The workload: N page-cache mkwrites in each file, the deep one by a process named with 0xff,
# the others by one named with a newline and ESC.
cat > "$workdir/drive.sh" << 'DRIVE'
exec > /dev/null
find "$1" -type f ! -name 'LLLL*' -exec "$2" --comm "$3" mwrite {} "$5" --stride 1m ';'
find "$1" -type f -name 'LLLL*' -exec "$2" --comm "$4" mwrite {} "$5" --stride 1m ';'
DRIVE
drive() {
	drop_caches
	"$@" -- sh "$workdir/drive.sh" "$dir" "$WORKLOAD" "$COMM_NL_ESC" "$COMM_BAD" $N
}

test_top() {
	drive "$DAXTRACE" top --json | grep '^{"time"' > "$workdir/top.json"
	$CHECK json hostile/top-json "$workdir/top.json" "$dir" $N $COMM_NL_ESC_HEX $COMM_BAD_HEX
	jq -c . "$workdir/top.json" > /dev/null
	check hostile/top-json $? 0 jq
	drive "$DAXTRACE" top -b > "$workdir/top.txt"
	# a process row each run, a file row each file (the table cuts paths to 28 cells)
	$CHECK text hostile/top-text "$workdir/top.txt" $((2 * files)) \
		"$COMM_NL_ESC_TEXT" "$COMM_BAD_TEXT" "$(printf %.28s "$mnt")"
}

test_snoop() {
	drive "$DAXTRACE" snoop --json > "$workdir/snoop.json" 2> /dev/null
	$CHECK json hostile/snoop-json "$workdir/snoop.json" "$dir" $N $COMM_NL_ESC_HEX $COMM_BAD_HEX
	jq -c . "$workdir/snoop.json" > /dev/null
	check hostile/snoop-json $? 0 jq
	drive "$DAXTRACE" snoop > "$workdir/snoop.txt" 2> /dev/null
	$CHECK text hostile/snoop-text "$workdir/snoop.txt" $((N * files)) \
		"$COMM_NL_ESC_TEXT" "$COMM_BAD_TEXT"
}

# N sharing breaks of a clone named with a newline and 0xff, by a process named likewise.
test_cow() {
	src=$mnt/cow-src
	mkdir "$mnt/cow"
	clone=$mnt/cow/$(name_of 'clone\nof\377src')
	"$WORKLOAD" create "$src" 8m > /dev/null
	"$WORKLOAD" clone "$src" "$clone" > /dev/null
	drop_caches
	"$DAXTRACE" cow --json -- sh -c "exec > /dev/null
		\"\$0\" --comm \"\$2\" pwrite \"\$1\" $N --stride 1m && \"\$0\" fsync \"\$1\"" \
		"$WORKLOAD" "$clone" "$COMM_BAD" | grep '^{"time"' > "$workdir/cow.json"
	$CHECK json hostile/cow-json "$workdir/cow.json" "$mnt/cow" $N $COMM_BAD_HEX
	rm "$clone"
	"$WORKLOAD" clone "$src" "$clone" > /dev/null
	drop_caches
	"$DAXTRACE" cow -b -- sh -c "exec > /dev/null
		\"\$0\" --comm \"\$2\" pwrite \"\$1\" $N --stride 1m && \"\$0\" fsync \"\$1\"" \
		"$WORKLOAD" "$clone" "$COMM_BAD" > "$workdir/cow.txt"
	# the process row and the clone's file row
	$CHECK text hostile/cow-text "$workdir/cow.txt" 2 "$COMM_BAD_TEXT" "$(printf %.28s "$mnt")"
}

setup_files
test_top
test_snoop
test_cow
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
