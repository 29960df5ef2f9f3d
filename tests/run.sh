#!/bin/sh
# Runs every suite of `make check` and ends with the one summary line. Each test reports one
# line, "PASS name", "FAIL name: why" or "SKIP name: why". A failure must not be lost on the
# way, so this script also checks what the suites cannot report themselves (docs/testing.md,
# "The runner's rules"):
# - a unit binary (cmocka, TAP) must print its plan (1..N), exactly N results and exit with
#   cmocka's status, the number of failed tests: an abort, a crash or an exit() mid-way is a
#   FAIL naming the binary;
# - a script suite must print at least one result line and exit 0 once it has run to its end;
# - in the sanitizer lane, any ASan, LeakSanitizer or UBSan report is a FAIL.
# tests/runner/selftest.sh proves these rules on fake suites.
#
# Environment: BUILD (build), VM=0 (skip the guests), SAN=0 (skip the sanitizer lane, built in
# $BUILD/san by `make sanitize`), SUITES (which of "runner unit style fuzz host tools vm san" to run,
# all by default), HOST_SUITE and VM_SUITE (the scripts to run for host and vm; the self-test's fakes).
set -u
BUILD=${BUILD:-build}
VM=${VM:-1}
SAN=${SAN:-1}
SUITES=${SUITES:-runner unit style fuzz host tools vm san}
here=$(dirname "$0")
HOST_SUITE=${HOST_SUITE:-$here/e2e/host/run.sh}
VM_SUITE=${VM_SUITE:-$here/e2e/vm/run.sh}
SAN_BUILD=$BUILD/san
tmp=$(mktemp -d)
results=$tmp/results
: > "$results"
trap 'rm -rf "$tmp"' EXIT

report() { echo "$1" | tee -a "$results"; }

# timed NAME COMMAND...: runs a phase and says how long it took, as an INFO line (no result,
# not counted), so that each make check's log shows where its time goes (docs/testing.md).
timed() {
	phase=$1 phase_start=$(date +%s)
	shift
	"$@"
	echo "INFO phase/$phase $(($(date +%s) - phase_start)) s"
}

wanted() {
	case " $SUITES " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# describe_status STATUS: "exit status 3", or "killed by SIGABRT (exit status 134)".
describe_status() {
	case "$1" in
	'' | *[!0-9]*)
		echo "no exit status"
		return
		;;
	esac
	if [ "$1" -gt 128 ] && sig=$(kill -l $(($1 - 128)) 2> /dev/null); then
		echo "killed by SIG$sig (exit status $1)"
	else
		echo "exit status $1"
	fi
}

# The sanitizer lane's reports: ASAN_OPTIONS and UBSAN_OPTIONS (log_path) write each report to a
# file of its own in $reports, whatever the test did with the process's stderr.
reports=$tmp/sanitizer
mkdir "$reports"

# sanitizer_reports: for each new report, prints it (indented) and one line "WHAT (FILE)" on
# fd 3, and keeps it as $SAN_BUILD/reports/report-N (N counts from 1 in each make check).
sanitizer_reports() {
	for file in "$reports"/*; do
		[ -f "$file" ] || continue
		# With allocator_may_return_null, ASan notes every refused allocation: that is the
		# test's intent (run_sanitized), not a finding. A file with nothing else is no report.
		sed -i '/^==[0-9]*==WARNING: AddressSanitizer failed to allocate 0x[0-9a-f]* bytes$/d' \
			"$file"
		if [ ! -s "$file" ]; then
			rm -f "$file"
			continue
		fi
		kept=$(($(cat "$tmp/kept" 2> /dev/null || echo 0) + 1))
		echo $kept > "$tmp/kept"
		mkdir -p "$SAN_BUILD/reports"
		keep=$SAN_BUILD/reports/report-$kept
		mv "$file" "$keep"
		sed -n '1,40s/^/    /p' "$keep"
		# UBSan's "file:line: runtime error: ...", else the SUMMARY line (ASan, LeakSanitizer)
		what=$(grep -m1 'runtime error:' "$keep" || grep -m1 '^SUMMARY:' "$keep" ||
			head -n 1 "$keep")
		echo "$what ($keep)" >&3
	done
}

# run_unit_binary PREFIX BINARY: one result line per test, and a FAIL line naming the binary
# when its plan, its count or its exit status says that tests went missing.
run_unit_binary() {
	prefix=$1 test=$2
	name=$(basename "$test")
	out=$tmp/unit.out
	CMOCKA_MESSAGE_OUTPUT=TAP "$test" > "$out" 2>&1
	status=$?
	planned=no plan=0 ran=0 failed=0
	# cmocka's TAP output: "1..N" (one plan per group), "ok N - test", "not ok N - test",
	# "not ok N # SKIP test"; the reason of a skip and of a failure are on "#" lines.
	while IFS= read -r line; do
		case "$line" in
		1..*)
			n=${line#1..}
			case "$n" in
			'' | *[!0-9]*) echo "    $line" ;;
			*) planned=yes plan=$((plan + n)) ;;
			esac
			;;
		"not ok "*"# SKIP"*)
			ran=$((ran + 1))
			report "SKIP $prefix/$name/${line##*SKIP }: see the lines above"
			;;
		"not ok "*)
			ran=$((ran + 1)) failed=$((failed + 1))
			report "FAIL $prefix/$name/${line#*- }"
			;;
		"ok "*)
			ran=$((ran + 1))
			report "PASS $prefix/$name/${line#*- }"
			;;
		*) echo "    $line" ;;
		esac
	done < "$out"
	why=
	if [ $planned = no ]; then
		why="no TAP plan line (1..N)"
	elif [ $ran -ne $plan ]; then
		why="$ran tests reported, $plan planned"
	fi
	# cmocka exits with the number of failed tests; those already are FAIL lines.
	if [ $status -gt 128 ] || [ $status -ne $((failed % 256)) ]; then
		what=$(describe_status $status)
		[ $status -gt 128 ] || what="$what, but $failed tests failed"
		why="${why:+$why; }$what"
	fi
	sanitizer_reports 3> "$tmp/found"
	while IFS= read -r found; do
		why="${why:+$why; }sanitizer report: $found"
	done < "$tmp/found"
	[ -z "$why" ] || report "FAIL $prefix/$name: $why"
}

run_unit() {
	prefix=$1 dir=$2
	any=no
	for test in "$dir"/test_*; do
		[ -x "$test" ] || continue
		any=yes
		run_unit_binary "$prefix" "$test"
	done
	[ $any = yes ] || report "FAIL $prefix: no unit test binary in $dir"
}

# run_style NAME TARGET HINT: one make target that checks the tree, one result.
run_style() {
	if out=$(make -s "$2" 2>&1); then
		report "PASS style/$1"
	else
		echo "$out" | head -40
		report "FAIL style/$1: $3"
	fi
}

# run_script_suite SCRIPT [PREFIX]: passes the suite's result lines on (with PREFIX before their
# names), and fails the suite itself when it exits non-zero (it stopped before its end) or
# reports nothing. The exit status goes through a file: a pipeline keeps only the last
# command's. In the sanitizer lane, each report is a FAIL of its own (SUITE/sanitizer: what),
# at the end of the suite; the report, printed above it, has the stack.
run_script_suite() {
	script=$1 prefix=${2:-}
	name=$prefix${script#"$here"/}
	if [ ! -x "$script" ]; then
		report "FAIL $name: not executable, not run"
		return
	fi
	rm -f "$tmp/status" "$tmp/lines"
	{
		"$script" 2>&1
		echo $? > "$tmp/status"
	} | {
		lines=0
		while IFS= read -r line; do
			case "$line" in
			PASS* | FAIL* | SKIP*)
				lines=$((lines + 1))
				report "${line%% *} $prefix${line#* }"
				;;
			# a suite's time: shown as it is, never counted
			"INFO "*) echo "INFO $prefix${line#* }" ;;
			*) echo "    $line" ;;
			esac
		done
		echo $lines > "$tmp/lines"
	}
	sanitizer_reports 3> "$tmp/found"
	while IFS= read -r found; do
		report "FAIL $name/sanitizer: $found"
	done < "$tmp/found"
	status=$(cat "$tmp/status" 2> /dev/null || echo unknown)
	if [ "$status" != 0 ]; then
		report "FAIL $name: stopped before its end ($(describe_status "$status")), its remaining tests did not run"
	elif [ "$(cat "$tmp/lines")" = 0 ]; then
		report "FAIL $name: reported no result"
	fi
}

# The unit tests and the host end-to-end suite again, built with ASan (LeakSanitizer included)
# and UBSan (make sanitize): any report fails, leaks too. An allocation too big to be had returns
# NULL, as glibc's does, instead of stopping ASan: the unit tests ask for one on purpose, to see
# that a failed grow keeps what it had.
run_sanitized() {
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:log_path=$reports/asan"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
	# leaks that are not daxtrace's (glibc's), each with its reason
	LSAN_OPTIONS="suppressions=$(cd "$here" && pwd)/lsan.supp:print_suppressions=0"
	export LSAN_OPTIONS
	rm -rf "$SAN_BUILD/reports"
	run_unit san/unit "$SAN_BUILD/tests/unit"
	if [ -x "$SAN_BUILD/daxtrace" ]; then
		# the workload stays the normal, static one: it is not under test
		DAXTRACE=$SAN_BUILD/daxtrace WORKLOAD=${WORKLOAD:-$BUILD/tools/dt-workload} \
			SAN_LANE=1 run_script_suite "$HOST_SUITE" san/
	else
		report "FAIL san/host: no $SAN_BUILD/daxtrace (make sanitize)"
	fi
	unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
}

# The guests start first and run beside the host phases (VM_ALONGSIDE=1, the default): they are
# CPU-bound (TCG), the host suites mostly wait (workloads, sleeps, timeouts), and one after the
# other the host phases and the sanitizer lane added some 8 minutes to the guests' 17. The guests
# run niced, so that the host suites' timings keep their CPU; they are a second tests/run.sh
# (SUITES=vm) writing to a file, with its own results and sanitizer-report files, whose result
# lines are counted here, after the san lane's, once it ends. VM_ALONGSIDE=0: one after the other.
vm_beside=
if wanted vm && [ "$VM" != 0 ] && [ "${VM_ALONGSIDE:-1}" = 1 ]; then
	VM_ALONGSIDE=0 SUITES=vm nice -n 10 "$0" > "$tmp/vm.out" 2>&1 &
	vm_beside=$!
fi

if wanted runner; then
	timed runner run_script_suite "$here/runner/selftest.sh"
fi
if wanted unit; then
	timed unit run_unit unit "$BUILD/tests/unit"
fi
if wanted style; then
	timed clang-format run_style clang-format check-format "formatting drift (make format)"
	timed shellcheck run_style shellcheck check-shell \
		"shell scripts with findings (make check-shell)"
fi
if wanted fuzz; then
	# each libFuzzer target over its seeds plus 2 s (tests/fuzz/run.sh, make fuzz for longer):
	# the edges reached are the seeds' (docs/testing.md, Fuzzing), a third second added none
	FUZZ_SECONDS=${FUZZ_SECONDS:-2}
	export BUILD FUZZ_SECONDS
	timed fuzz run_script_suite "$here/fuzz/run.sh"
fi
if wanted host; then
	timed host run_script_suite "$HOST_SUITE"
fi
if wanted tools; then
	# the VM harness's scripts, without a boot (no root needed; runs with VM=0 too)
	timed tools run_script_suite "$here/e2e/host/vm-harness.sh"
fi
if wanted vm; then
	if [ "$VM" = 0 ]; then
		echo "VM=0: the DAX tests in the emulated-NVDIMM guests did NOT run"
	elif [ -z "$vm_beside" ]; then
		timed vm run_script_suite "$VM_SUITE"
	fi
fi
if wanted san; then
	if [ "$SAN" = 0 ]; then
		echo "SAN=0: the sanitizer lane (ASan, LeakSanitizer, UBSan) did NOT run"
	else
		timed san run_sanitized
	fi
fi

# The guests' run beside: its lines up to its summary (after an empty line), its results counted
# here. A run that died before its summary still has its result lines, and its missing
# summary is a FAIL.
if [ -n "$vm_beside" ]; then
	wait "$vm_beside"
	while IFS= read -r line; do
		case "$line" in
		'') break ;;
		PASS* | FAIL* | SKIP*) report "$line" ;;
		*) echo "$line" ;;
		esac
	done < "$tmp/vm.out"
	grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$tmp/vm.out" ||
		report "FAIL vm: the guests' run (beside the host phases) ended without its summary"
fi

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
echo
grep '^FAIL' "$results"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
