#!/bin/sh
# Runs every suite of `make check` and ends with the one summary line. Each test reports one
# line, "PASS name", "FAIL name: why" or "SKIP name: why"; this script only runs and counts.
set -u
BUILD=${BUILD:-build}
VM=${VM:-1}
here=$(dirname "$0")
results=$(mktemp)
trap 'rm -f "$results"' EXIT

report() { echo "$1" | tee -a "$results"; }

run_unit() {
	for test in "$BUILD"/tests/unit/test_*; do
		[ -x "$test" ] || continue
		name=$(basename "$test")
		# cmocka's TAP output: "ok N - test", "not ok N - test", "not ok N # SKIP test";
		# the reason of a skip is on the "#" lines before it.
		CMOCKA_MESSAGE_OUTPUT=TAP "$test" 2>&1 | while IFS= read -r line; do
			case "$line" in
			*"# SKIP"*) report "SKIP unit/$name/${line##*SKIP }: see the lines above" ;;
			"not ok "*) report "FAIL unit/$name/${line#*- }" ;;
			"ok "*) report "PASS unit/$name/${line#*- }" ;;
			"#"*) echo "    $line" ;;
			esac
		done
	done
}

run_format() {
	if out=$(make -s check-format 2>&1); then
		report "PASS style/clang-format"
	else
		echo "$out" | head -20
		report "FAIL style/clang-format: formatting drift (make format)"
	fi
}

run_script_suite() {
	if [ ! -x "$1" ]; then
		report "FAIL ${1#"$here"/}: not executable, not run"
		return
	fi
	"$1" 2>&1 | while IFS= read -r line; do
		case "$line" in
		PASS* | FAIL* | SKIP*) report "$line" ;;
		*) echo "    $line" ;;
		esac
	done
}

run_unit
run_format
run_script_suite "$here/e2e/host/run.sh"
if [ "$VM" = 0 ]; then
	echo "VM=0: the DAX tests in the emulated-NVDIMM guests did NOT run"
else
	run_script_suite "$here/e2e/vm/run.sh"
fi

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
echo
grep '^FAIL' "$results"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
