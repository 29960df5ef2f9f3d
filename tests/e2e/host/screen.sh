#!/bin/sh
# Host end-to-end tests of the interactive top (ncurses), driven through tmux as a person would
# use it: the screen fits 80, 100 and 200 columns without wrapping, shows the page-cache
# workload's exact counts with paths shortened from the left, answers keys and resizes, and gives
# the terminal back as it found it (no alternate screen, cursor visible).
set -u
here=$(dirname "$0")
. "$here/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip screen "needs root (BPF, mount)"
	exit 0
fi
setup_xfs
# One tmux server per screen: a new one never meets the previous one still exiting.
screens=0
sock=$workdir/tmux.0
trap 'tmux -S "$sock" kill-server 2> /dev/null; teardown_xfs' EXIT

# N pages of file a and M of file b written through mmap, one MiB apart: N and M mkwrite (see
# run.sh's test_mkwrite). b is made first: with the sort on faults (all 0) the rows are in inode
# order, b's first; sorted on mkwrite, a's (N > M) comes first.
N=8 M=3
dir=$mnt/pgdata/base/16384
mkdir -p "$dir"
b=$dir/1259 a=$dir/2619
"$WORKLOAD" create "$b" 16m > /dev/null
"$WORKLOAD" create "$a" 16m > /dev/null

tm() { tmux -S "$sock" "$@"; }

# expect NAME WHY CMD...: PASS when CMD succeeds, else FAIL saying WHY.
expect() {
	name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# screen_has LINES PATTERN: the screen's first LINES lines, joined, match PATTERN (grep).
# shellcheck disable=SC2317 # called through expect
screen_has() { screen_text | head -"$1" | tr '\n' ' ' | grep -q -- "$2"; }

# start_screen WIDTH TOP-ARGS...: top on its own terminal of WIDTH x 30, then the shell's
# "EXIT=status" once it has ended; waits for its first screen.
start_screen() {
	width=$1
	shift
	tm kill-server 2> /dev/null
	screens=$((screens + 1))
	sock=$workdir/tmux.$screens
	# shellcheck disable=SC2145 # the arguments are words of the pane's command line
	tm new-session -d -s top -x "$width" -y 30 \
		"env TERM=screen LANG=C.UTF-8 $* ; echo EXIT=\$?; sleep 600"
	wait_screen "h help"
}

screen_text() { tm capture-pane -p -J -t top 2> /dev/null; }

# wait_screen PATTERN: until the screen shows PATTERN (a grep -E regex), 10 s at most.
wait_screen() {
	for _ in $(seq 100); do
		screen_text | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# cell TABLE ROW COLUMN: the value in the screen's table whose header starts with TABLE, in the
# row whose name (first word) ends with ROW, under the header word COLUMN.
cell() {
	screen_text | awk -v table="$1" -v row="$2" -v col="$3" '
		index($0, table) == 1 { in_table = 1; split($0, head); next }
		in_table && NF == 0 { in_table = 0 }
		in_table {
			name = $1
			if (table == "PID COMM" && $1 != "TOTAL") name = $2
			if (substr(name, length(name) - length(row) + 1) != row) next
			off = table == "PID COMM" && $1 == "TOTAL" ? 1 : 0
			for (i = 1; i <= length(head); i++) if (head[i] == col) print $(i - off)
			exit
		}'
}

# The names of a table's rows, in order, one per line.
row_names() {
	screen_text | awk -v table="$1" '
		index($0, table) == 1 { in_table = 1; next }
		in_table && NF == 0 { exit }
		in_table { print $1 }'
}

# The file names (the paths' last parts) of the FILE table's rows, in order, on one line.
file_order() { row_names FILE | sed 's|.*/||' | tr '\n' ' '; }

# wait_cell TABLE ROW COLUMN VALUE: until that cell shows VALUE, 10 s at most.
wait_cell() {
	for _ in $(seq 100); do
		[ "$(cell "$1" "$2" "$3")" = "$4" ] && return 0
		sleep 0.1
	done
	return 1
}

widest_line() {
	screen_text | python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))'
}

# The workload, after the screen counts since start (a): the rows stay for the checks.
run_workload() {
	tm send-keys -t top a
	wait_screen "since start" || fail "screen/$1/since-start" "no 'since start' in the header"
	drop_caches
	"$WORKLOAD" mwrite "$a" $N --stride 1m > /dev/null
	"$WORKLOAD" mwrite "$b" $M --stride 1m > /dev/null
	wait_cell "PID COMM" TOTAL mkwrite $((N + M)) ||
		fail "screen/$1/total" "the total never reached $((N + M)) mkwrite"
}

# At each width: fits, the header, exact counts in the file, process and total rows, and the
# path shortened from the left where the width needs it.
test_widths() {
	for width in 80 100 200; do
		start_screen "$width" "$DAXTRACE" top -d "$devno" -i 0.3
		run_workload "$width"
		t=screen/$width
		widest=$(widest_line)
		expect "$t/fits" "a line of $widest cells in $width columns" [ "$widest" -le "$width" ]
		# the header's fields take a second line where the first has no room
		expect "$t/header" "$(screen_text | head -2)" \
			screen_has 2 "^daxtop - .*probes [0-9]*/[0-9]*"
		check "$t" "$(screen_text | grep -o 'lost [0-9]*' | head -1)" "lost 0" lost
		check "$t" "$(cell FILE /16384/2619 mkwrite)" $N file-a
		check "$t" "$(cell FILE /16384/1259 mkwrite)" $M file-b
		check "$t" "$(cell "PID COMM" TOTAL mkwrite)" $((N + M)) total
		check "$t" "$(cell "PID COMM" dt-workload mkwrite)" $N process
		name=$(row_names FILE | grep '/2619$')
		# at 80 columns: the end of the path from a '/', behind an ellipsis
		case $width in
		80) case $name in
			…/*/16384/2619) expect "$t/shortened-path" "$name is not the end of $a" \
				[ "${a%"${name#…}"}" != "$a" ] ;;
			*) fail "$t/shortened-path" "$name is not …/.../16384/2619" ;;
			esac ;;
		200) check "$t" "$name" "$a" whole-path ;;
		esac
		tm send-keys -t top q
		expect "$t/quit" "no EXIT=0 after q" wait_screen "^EXIT=0"
		check "$t" "$(tm display -p -t top '#{alternate_on} #{cursor_flag}')" "0 1" \
			terminal-restored
	done
}

# s opens the sort list; the rows follow the key; < takes the column left of it.
test_sort() {
	start_screen 100 "$DAXTRACE" top -d "$devno" -i 0.3
	run_workload sort
	[ "$(stat -c %i "$b")" -lt "$(stat -c %i "$a")" ] && first=1259 || first=2619
	[ "$first" = 1259 ] && order="1259 2619 " || order="2619 1259 "
	check screen/sort "$(file_order)" "$order" inode-order-on-faults
	tm send-keys -t top s
	wait_screen "^Sort by" || fail screen/sort/list "s opened no list"
	# mkwrite is top's 10th column: 9 down from faults
	for _ in $(seq 9); do tm send-keys -t top Down; done
	tm send-keys -t top Enter
	expect screen/sort/status "$(screen_text | tail -1)" wait_screen "sort mkwrite"
	check screen/sort "$(file_order)" "2619 1259 " by-mkwrite
	left=$(screen_text | awk '/^FILE/ { for (i = 2; i <= NF; i++) if ($i == "mkwrite") print $(i - 1) }')
	tm send-keys -t top '<'
	expect screen/sort/left "expected sort $left: $(screen_text | tail -1)" \
		wait_screen "sort $left "
	tm send-keys -t top q
	wait_screen "^EXIT=0" || fail screen/sort/quit "no EXIT=0 after q"
}

# SIGWINCH: the screen redraws for the new width, with the columns it now has room for.
test_resize() {
	start_screen 80 "$DAXTRACE" top -d "$devno" -i 0.3
	screen_text | grep -q flush_pages && fail screen/resize/narrow "flush_pages in 80 columns"
	tm resize-window -t top -x 200 -y 30
	expect screen/resize/redrawn "no flush_pages column after the resize to 200" \
		wait_screen "flush_pages +avg_us"
	widest=$(widest_line)
	expect screen/resize/fits "widest line $widest after the resize to 200" \
		[ "$widest" -gt 80 -a "$widest" -le 200 ]
	tm send-keys -t top q
	wait_screen "^EXIT=0" || fail screen/resize/quit "no EXIT=0 after q"
}

# A sharing break (cow) is coloured with --color always; NO_COLOR turns auto's colour off.
# Each mode writes a clone of its own: the first mode's breaks leave delalloc COW reservations
# that a writeback (the 30 s dirty expiry, any sync) remaps, after which a second write to the
# same pages breaks no sharing.
test_color() {
	for mode in always no_color; do
		c=$mnt/clone-$mode
		"$WORKLOAD" clone "$a" "$c" > /dev/null
		if [ $mode = always ]; then
			start_screen 100 "$DAXTRACE" top -d "$devno" -i 0.3 --color always
		else
			start_screen 100 NO_COLOR=1 "$DAXTRACE" top -d "$devno" -i 0.3
		fi
		tm send-keys -t top a
		wait_screen "since start"
		"$WORKLOAD" mwrite "$c" $M --stride 1m > /dev/null
		expect "screen/color/$mode/cow" "no cow $M in the total" wait_cell "PID COMM" TOTAL cow $M
		red=$(tm capture-pane -p -e -t top | grep 'TOTAL' | grep -c '\[[0-9;]*31m')
		[ $mode = always ] && want=1 || want=0
		check "screen/color/$mode" "$red" "$want" red-total
		tm send-keys -t top q
		wait_screen "^EXIT=0"
	done
}

# cow's screen: its own columns, fitted to 80, with the clone's sharing breaks.
test_cow() {
	c=$mnt/cow-clone
	"$WORKLOAD" clone "$a" "$c" > /dev/null
	start_screen 80 "$DAXTRACE" cow -d "$devno" -i 0.3
	tm send-keys -t top a
	wait_screen "since start"
	"$WORKLOAD" mwrite "$c" $M --stride 1m > /dev/null
	expect screen/cow/breaks "no cow $M in cow's total" wait_cell "PID COMM" TOTAL cow $M
	check screen/cow "$(cell FILE /cow-clone cow)" $M file
	widest=$(widest_line)
	expect screen/cow/fits "a line of $widest cells" [ "$widest" -le 80 ]
	expect screen/cow/title "$(screen_text | head -1)" screen_has 1 "^daxtrace cow - "
	tm send-keys -t top q
	expect screen/cow/quit "no EXIT=0 after q" wait_screen "^EXIT=0"
}

# The CPU time (clock ticks) process $1 has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Paused, the screen waits as it does running (it once spun, its deadline never moving); a
# terminal that goes away (the tmux server killed: a hangup) ends it within seconds.
test_pause_and_hangup() {
	start_screen 100 "$DAXTRACE" top -d "$devno" -i 0.2
	pid=$(pgrep -P "$(tm display -p -t top '#{pane_pid}')" -x daxtrace)
	tm send-keys -t top Space
	expect screen/pause/shown "no PAUSED in the header" wait_screen PAUSED
	before=$(cpu_ticks "$pid")
	sleep 2
	used=$(($(cpu_ticks "$pid") - before))
	expect screen/pause/idle "$used clock ticks of CPU in 2 s paused" [ "$used" -lt 50 ]
	tm kill-server
	for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2> /dev/null; then
		fail screen/hangup "still running 5 s after its terminal went away"
		kill -9 "$pid"
	else
		pass screen/hangup
	fi
}

# --columns chooses and orders the columns, in the batch table too; a bad name is exit 2.
test_columns_option() {
	out=$("$DAXTRACE" top -b -n 1 -i 0.1 --columns mkwrite,faults -d "$devno" | sed -n 3p)
	check screen/columns-batch "$(echo "$out" | tr -s ' ')" "PID COMM mkwrite faults"
	"$DAXTRACE" top --columns faults,speed 2> "$workdir/columns.err"
	check screen/columns-bad $? 2 status
	expect screen/columns-bad/message "$(cat "$workdir/columns.err")" \
		grep -q "bad column 'speed' in --columns" "$workdir/columns.err"
}

test_widths
test_sort
test_resize
test_color
test_cow
test_pause_and_hangup
test_columns_option
exit 0
