#!/bin/sh
# The runner's self-test: tests/run.sh over fake suites (tests/runner/fake/) whose failures are
# of the kinds a runner can lose: an abort, a plan that does not match the results, an exit
# status that is not cmocka's, a missing plan, sub-suites that stop early, a suite that exits
# non-zero after its PASS lines, a suite with no result at all, and sanitizer reports. Each case
# must give exactly the lines of tests/runner/expected, and the summary must count them.
set -u
tests=$(cd "$(dirname "$0")/.." && pwd)
fakes=$tests/runner/fake
expected=$tests/runner/expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS runner/$1"; }
fail() { echo "FAIL runner/$1: $2"; }

# A build directory as make check leaves it, with fakes for binaries.
fake=$work/build
mkdir -p "$fake/tests/unit" "$fake/san/tests/unit"
cp "$fakes"/unit/test_* "$fake/tests/unit/"
cp "$fakes"/san-unit/test_* "$fake/san/tests/unit/"
cp "$fakes/daxtrace" "$fake/san/daxtrace"

# the fake aborts leave no core behind (dash and bash have -c)
# shellcheck disable=SC3045
ulimit -c 0
env -u DAXTRACE -u WORKLOAD BUILD="$fake" VM=1 SAN=1 SUITES="unit host vm san" \
	HOST_SUITE="$fakes/host-suite.sh" VM_SUITE="$fakes/vm-suite.sh" \
	"$tests/run.sh" > "$work/out" 2>&1
status=$?
sed -i "s|$fake|BUILD|g" "$work/out"

# The result lines as they stream, then (after an empty line) the FAIL lines again and the
# summary.
awk '/^$/ { exit } /^(PASS|FAIL|SKIP) /' "$work/out" > "$work/results"
tail -n 1 "$work/out" > "$work/summary"
awk 'done && /^FAIL / { print } /^$/ { done = 1 }' "$work/out" > "$work/fail-summary"

# compare CASE PATTERN: the lines holding PATTERN, the same as expected, in the same order.
compare() {
	grep -F -- "$2" "$expected" > "$work/want"
	grep -F -- "$2" "$work/results" > "$work/got"
	if [ ! -s "$work/want" ]; then
		fail "$1" "no line of $expected holds '$2'"
	elif cmp -s "$work/want" "$work/got"; then
		pass "$1"
	else
		fail "$1" "expected [$(paste -sd'|' "$work/want")], got [$(paste -sd'|' "$work/got")]"
	fi
}

compare unit-all-ran /test_good
compare unit-failed-test /test_failed
compare unit-abort /test_abort
compare unit-more-results-than-plan /test_short_plan
compare unit-fewer-results-than-plan /test_short_count
compare unit-exit-status /test_exit3
compare unit-no-plan /test_no_plan
compare san-unit-clean /test_clean
compare san-unit-leak /test_leak
compare host-sub-suite-ends /sub-ok
compare host-sub-suite-exits-early /sub-early
compare host-sub-suite-shell-error /sub-unset
compare suite-exits-non-zero " runner/fake/host-suite.sh:"
compare suite-reports-nothing "vm-suite.sh"
compare san-host-reports /sanitizer:
if cmp -s "$expected" "$work/results"; then
	pass all-lines
else
	fail all-lines "unexpected lines: $(diff "$expected" "$work/results" | grep '^[<>]' | paste -sd'|')"
fi
want_summary="$(grep -c '^PASS' "$expected") passed, $(grep -c '^FAIL' "$expected") failed, $(grep -c '^SKIP' "$expected") skipped"
if [ "$(cat "$work/summary")" = "$want_summary" ]; then
	pass summary
else
	fail summary "expected '$want_summary', got '$(cat "$work/summary")'"
fi
if grep '^FAIL' "$work/results" | cmp -s - "$work/fail-summary"; then
	pass fail-lines-repeated
else
	fail fail-lines-repeated "the FAIL lines before the summary are not the ones above"
fi
if [ $status -eq 1 ]; then
	pass exit-status
else
	fail exit-status "tests/run.sh exited $status with failures, expected 1"
fi
exit 0
