#!/bin/sh
# Host end-to-end tests of `daxtrace record`, `report` and `diff` (issue #14; the record format is
# daxtrace-record/1) on the page cache: XFS with reflink on a loop device, as cow.sh.
#
# The recorded workload is one command line, `sh $workdir/ab.sh`, whatever it does: diff refuses
# (125) two records of different commands, so the "more writes" side (EXTRA=E in the environment)
# must run the same command. Per run, from cold caches:
#   data: created, then N first-touch mmap writes one MiB apart   -> mkwrite N
#   src:  created, cloned to clone (FICLONE)                       -> remaps 1, clones 1 on clone
#   clone: M pwrites one MiB apart, fsync                           -> cow M, cow_bytes M x 4096,
#                                                                     cow_completions M
# The directory has cowextsize 4k, so that a COW reserves exactly the block it writes: nothing
# is left in the COW fork for the next run's O_TRUNC (or a delayed inode inactivation) to cancel,
# and every run counts the same.
#
# A missing command is a FAIL of each case that needs it, never a skip.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
WORKLOAD=$(realpath "$WORKLOAD")
setup_xfs

N=4
M=4
E=4
d=$mnt/rec
mkdir "$d"
xfs_io -c "cowextsize 4k" "$d"

cat > "$workdir/ab.sh" <<- EOF
	#!/bin/sh
	set -eu
	exec > /dev/null
	extra=\${EXTRA:-0}
	'$WORKLOAD' create '$d/data' 16m
	'$WORKLOAD' create '$d/src' 16m
	'$WORKLOAD' clone '$d/src' '$d/clone'
	sync
	echo 3 > /proc/sys/vm/drop_caches
	'$WORKLOAD' mwrite '$d/data' \$(($N + extra)) --stride 1m
	'$WORKLOAD' pwrite '$d/clone' \$(($M + extra)) --stride 1m
	'$WORKLOAD' fsync '$d/clone'
EOF
# no remap at all: the point remap.call (tracefs's syscalls:*_ioctl) changes none of its counts
cat > "$workdir/plain.sh" <<- EOF
	#!/bin/sh
	set -eu
	exec > /dev/null
	'$WORKLOAD' create '$d/plain' 16m
	sync
	echo 3 > /proc/sys/vm/drop_caches
	'$WORKLOAD' mwrite '$d/plain' $N --stride 1m
EOF
# run from $workdir, where the records go: the binaries by absolute path
DAXTRACE=$(realpath "$DAXTRACE")
cd "$workdir" || exit 1

# need CASE COMMAND...: 0 if daxtrace --help lists every COMMAND, else a FAIL line for CASE.
need() {
	case=$1
	shift
	for command in "$@"; do
		if ! "$DAXTRACE" --help 2> /dev/null | grep -q "^  $command "; then
			fail "record/$case" "daxtrace has no '$command' command ('$DAXTRACE --help' lists none)"
			return 1
		fi
	done
}

# record OUT [OPTIONS] -- CMD...: daxtrace record -o OUT, its stderr in OUT.err; its exit status.
record() {
	out=$1
	shift
	rm -f "$out"
	"$DAXTRACE" record -o "$out" "$@" 2> "$out.err"
}

# diff_status A B [OPTIONS]: daxtrace diff's exit status; stdout in diff.out, stderr in diff.err.
diff_status() {
	"$DAXTRACE" diff "$@" > diff.out 2> diff.err
	echo $?
}

# names FILE METRIC...: "yes" if FILE (diff's stderr) names every METRIC (a whole name, not a
# prefix of a longer one: top.total.cow is not top.total.cow_bytes), else the first one missing.
names() {
	file=$1
	shift
	for metric in "$@"; do
		if ! awk -v m="$metric" '{
			s = $0
			while ((i = index(s, m)) > 0) {
				c = substr(s, i + length(m), 1)
				if (c !~ /[A-Za-z0-9_]/) { found = 1; exit }
				s = substr(s, i + 1)
			}
		} END { exit !found }' "$file"; then
			echo "missing $metric in: $(head -c 300 "$file" | tr '\n' '|')"
			return
		fi
	done
	echo yes
}

# file_row RECORD RUN PATH FIELDS: the file row's FIELDS (a jq object) in run RUN (0-based).
file_row() {
	jq -c --arg p "$3" ".runs[$2].views.top.files[\$p] | $4" "$1"
}

# (e) and (f): three runs, each with the counts the parameters imply, under mount-relative paths.
test_record_runs() {
	need runs record || return
	record A.json --repeat 3 -- sh "$workdir/ab.sh"
	check record/runs $? 0 exit-status
	check record/runs "$(jq -r .format A.json)" daxtrace-record/1 format
	check record/runs "$(jq -c .fingerprint.command A.json)" "[\"sh\",\"$workdir/ab.sh\"]" command
	check record/runs "$(jq .fingerprint.repeat A.json)" 3 fingerprint-repeat
	check record/runs "$(jq '.runs | length' A.json)" 3 length
	check record/runs "$(jq -c '[.runs[].run]' A.json)" '[1,2,3]' numbered
	check record/runs "$(jq -c '[.runs[].exit_status]' A.json)" '[0,0,0]' exit-status-each
	check record/runs "$(jq '[.runs[].wall_s | select(type == "number" and . > 0)] | length' \
		A.json)" 3 wall-s-each
	check record/runs "$(jq -c '[.runs[] | .lost, .evicted] | add' A.json)" 0 lost-evicted
	check record/runs "$(jq -c '.fingerprint.attach["mkwrite.xfs"]' A.json)" '"tp_btf"' attach
	for run in 0 1 2; do
		check record/values "$(file_row A.json $run rec/data '{faults, mkwrite, cow}')" \
			"{\"faults\":0,\"mkwrite\":$N,\"cow\":0}" "run$((run + 1))/data"
		check record/values "$(file_row A.json $run rec/clone \
			'{faults, mkwrite, cow, cow_bytes, cow_completions, remaps, clones, clone_bytes}')" \
			"{\"faults\":0,\"mkwrite\":0,\"cow\":$M,\"cow_bytes\":$((M * 4096)),\"cow_completions\":$M,\"remaps\":1,\"clones\":1,\"clone_bytes\":16777216}" \
			"run$((run + 1))/clone"
		check record/values "$(jq -c ".runs[$run].views.top.total | {faults, mkwrite, cow, remaps}" \
			A.json)" "{\"faults\":0,\"mkwrite\":$N,\"cow\":$M,\"remaps\":1}" \
			"run$((run + 1))/total"
	done
	# only mount-relative paths: no row names the mount point
	check record/values "$(jq --arg m "$mnt" '[.runs[].views.top.files | keys[] |
		select(startswith("/") or contains($m))] | length' A.json)" 0 relative-paths
	# the command's own status, as top -- CMD reports it
	record status.json -- sh -c 'exit 7'
	check record/values "$(jq '.runs[0].exit_status' status.json)" 7 exit-status-7
}

# (a) the same workload recorded twice: nothing crossed a threshold.
test_diff_same() {
	need diff-same record diff || return
	record A2.json --repeat 3 -- sh "$workdir/ab.sh"
	check record/diff-same "$(diff_status A.json A2.json)" 0 twice
	check record/diff-same "$(diff_status A.json A.json)" 0 itself
}

# (b) more writes, same command: EXTRA=E more mkwrite on data, E more COW breaks on clone.
test_diff_regression() {
	need diff-regression record diff || return
	EXTRA=$E record B.json --repeat 3 -- sh "$workdir/ab.sh"
	check record/diff-regression "$(file_row B.json 0 rec/data .mkwrite) $(file_row B.json 0 \
		rec/clone .cow)" "$((N + E)) $((M + E))" recorded
	check record/diff-regression "$(diff_status A.json B.json)" 1 exit-status
	check record/diff-regression "$(names diff.err top.total.mkwrite top.total.cow \
		'top.files.rec/data.mkwrite' 'top.files.rec/clone.cow')" yes stderr-names
	check record/diff-regression "$(names diff.err 'top.files."rec/data".cow' | cut -c 1-7)" \
		missing unchanged-not-named
}

# (c) a point attached on one side only: --attach tp_btf leaves remap.call out on this host
# (tracefs's syscalls:*_ioctl is a classic tracepoint; auto takes it). 125 either way round,
# naming the point; --allow-missing compares, and a workload without remaps differs in nothing.
test_diff_missing_point() {
	need missing-point record diff || return
	record P-tp_btf.json --attach tp_btf -- sh "$workdir/plain.sh"
	record P-auto.json -- sh "$workdir/plain.sh"
	check record/missing-point "$(jq -r '.fingerprint.attach["remap.call"]' P-tp_btf.json) $(jq \
		-r '.fingerprint.attach["remap.call"]' P-auto.json)" "none classic" attach
	check record/missing-point "$(diff_status P-tp_btf.json P-auto.json)" 125 exit-status
	check record/missing-point "$(grep -q remap.call diff.err && echo yes)" yes stderr-names-point
	check record/missing-point "$(diff_status P-auto.json P-tp_btf.json)" 125 reversed
	check record/missing-point "$(diff_status --allow-missing P-tp_btf.json P-auto.json)" 0 \
		allow-missing
	check record/different-command "$(diff_status A.json P-auto.json)" 125 exit-status
}

# (d) --format ktap: "KTAP version 1", the plan 1..N, then exactly N top-level results
# "ok K NAME" / "not ok K NAME" numbered 1..N (indented lines are subtests: not counted).
ktap_problems() {
	awk '
		NR == 1 { if ($0 != "KTAP version 1") { print "first line: " $0; bad = 1 }; next }
		/^1\.\.[0-9]+$/ && !plan { plan = substr($0, 4) + 0; next }
		/^(not )?ok [0-9]+ [^ ]/ {
			n++
			number = ($1 == "not") ? $3 : $2
			if (number != n) { print "result " n " numbered " number; bad = 1 }
			if (!plan) { print "a result before the plan"; bad = 1 }
			next
		}
		/^(not )?ok/ { print "bad result line: " $0; bad = 1 }
		END {
			if (!plan) { print "no plan line"; bad = 1 }
			else if (plan < 1) { print "plan 1..0"; bad = 1 }
			else if (n != plan) { print n " results, plan 1.." plan; bad = 1 }
			if (!bad) print "ok"
		}' "$1"
}

test_diff_ktap() {
	need ktap record diff || return
	check record/ktap "$(diff_status --format ktap A.json A2.json)" 0 same-exit-status
	check record/ktap "$(ktap_problems diff.out)" ok same-parses
	check record/ktap "$(grep -c '^not ok ' diff.out)" 0 same-all-ok
	check record/ktap "$(diff_status --format ktap A.json B.json)" 1 regression-exit-status
	check record/ktap "$(ktap_problems diff.out)" ok regression-parses
	check record/ktap "$(grep -E '^not ok [0-9]+ .*mkwrite' diff.out > /dev/null && echo yes)" yes \
		regression-not-ok-mkwrite
}

# (g) report prints top's table: the TOTAL row and the two file rows, counters column for
# column, against `daxtrace top -b` of the same workload; then cow's (and lat's) screens;
# report --json parses.
# table_rows FILE: TOTAL and the rec/ file rows of report's top screen, name and counters.
table_rows() {
	sed -n '/^daxtop - /,/^daxtrace cow - /p' "$1" |
		awk '$1 == "TOTAL" || $1 ~ /^rec\/(data|clone)$/ {
			NF = 17; print }' | sort
}

# json_rows FILE: the same from `top --json`, whose paths are whole (the table cuts a long one
# to 28 columns) and whose columns are the table's, in order.
json_rows() {
	jq -r '[.total + {path: "TOTAL"}, (.files[] | select(.path | test("/rec/(data|clone)$")))][] |
		[(.path | sub(".*/rec/"; "rec/")), .faults, .pte, .pmd, .pud, .read, .write, .nopage,
		.fallback, .sigbus, .mkwrite, .sync, .cow, .cow_bytes, .remaps, .flushes, .flush_pages] |
		join(" ")' "$1" | sort
}

test_report() {
	need report record report || return
	record one.json -- sh "$workdir/ab.sh"
	"$DAXTRACE" report one.json > report.out 2> report.err
	check record/report $? 0 exit-status
	"$DAXTRACE" top --json -- sh "$workdir/ab.sh" > top.json 2> /dev/null
	check record/report "$(table_rows report.out)" "$(json_rows top.json)" top-rows
	check record/report "$(table_rows report.out | wc -l)" 3 three-rows
	check record/report "$(grep -c '^FILE ' report.out)" 2 file-headers # top's and cow's
	check record/report "$(grep -c '^daxtrace cow - ' report.out)" 1 cow-screen
	"$DAXTRACE" report --json one.json > report.json 2> report.err
	check record/report $? 0 json-exit-status
	check record/report "$(jq -s length report.json > /dev/null 2>&1 && echo parses)" parses json
}

# (h) bad input: exit 2 and one line on stderr.
bad_diff() {
	what=$1
	shift
	check "record/bad-input/$what" "$(diff_status "$@")" 2 exit-status
	check "record/bad-input/$what" "$(wc -l < diff.err)" 1 one-line
}

test_bad_input() {
	need bad-input record diff || return
	bad_diff missing-file A.json "$workdir/no-such-record.json"
	head -c "$(($(wc -c < A.json) / 2))" A.json > truncated.json
	bad_diff truncated A.json truncated.json
	echo '{"format":"something-else/1","runs":[]}' > other.json
	bad_diff other-format A.json other.json
	"$DAXTRACE" top --json -- true 2> /dev/null | grep '^{"time"' > top.json
	bad_diff top-json top.json A.json
	printf '[1, 2, 3]\n' > array.json
	bad_diff array A.json array.json
	: > empty.json
	bad_diff empty empty.json A.json
	# usage errors: exit 2 and a message (perhaps with the usage text)
	check record/bad-input/one-file "$(diff_status A.json)" 2 exit-status
	check record/bad-input/one-file "$(test -s diff.err && echo message)" message
	"$DAXTRACE" record -- true > /dev/null 2> record.err
	check record/bad-input/record-no-output $? 2 exit-status
	check record/bad-input/record-no-output "$(test -s record.err && echo message)" message
	"$DAXTRACE" report "$workdir/no-such-record.json" > /dev/null 2> report.err
	check record/bad-input/report-missing-file $? 2 exit-status
	# records the loader takes whose members report reads are missing or of another type
	# (no kernel release once crashed report's heading): shown, exit 0, text and JSON
	odd_report minimal '{"format":"daxtrace-record/1","fingerprint":{},"runs":[{"views":{"top":{},"lat":{},"share":{},"mapuse":{}}}]}'
	odd_report types '{"format":"daxtrace-record/1","fingerprint":{"kernel":{"release":5},"attach":{"fault":"bogus"}},"runs":[{"exit_status":"x","views":{"top":{"total":[],"files":{"a":{"lat":{"slots":[1,"x",{}]}},"b":7}},"lat":{"nosuch":{},"cow":[]},"share":{"files":{"a":1},"pairs":{"nobar":{},"x | y":2},"owners_hist":"x"},"mapuse":{"sites":{"folio_mapping":{"files":{"(no file)":1,"f":"x"},"stacks":[{"frames":[null,1]},7]}}}}}]}'
}

# odd_report NAME RECORD: report and report --json of RECORD exit 0.
odd_report() {
	printf '%s\n' "$2" > "odd-$1.json"
	"$DAXTRACE" report "odd-$1.json" > /dev/null 2> report.err
	check "record/odd-record/$1" $? 0 text
	"$DAXTRACE" report --json "odd-$1.json" 2> report.err | jq -s length > /dev/null 2>&1
	check "record/odd-record/$1" $? 0 json
}

test_record_runs
test_diff_same
test_diff_regression
test_diff_missing_point
test_diff_ktap
test_report
test_bad_input
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
