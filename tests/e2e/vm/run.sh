#!/bin/sh
# The DAX end-to-end suites: boots each Debian kernel with an emulated NVDIMM (tools/vm/run.sh)
# and runs suites.sh inside (top, share, writeback/lat/snoop/cow, mapuse) for the attach
# families. A kernel that cannot be fetched or booted is a failure, never a skip: DAX is only
# ever proven here. `make check VM=0` opts out.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
KERNELS=${KERNELS:-bookworm trixie sid}
FAMILIES=${FAMILIES:-auto fentry kprobe classic raw_tp}

# One kernel: boots it and prints its result lines. A guest that panics or hangs is a FAIL, with
# its console log kept (tools/vm/run.sh names it). (Multi-threaded TCG once oopsed 7.2 while it
# patched kernel text at boot; the guests run single-threaded since, and no boot has failed.)
run_kernel() {
	suite=$1 log=$(mktemp)
	start=$(date +%s)
	# shellcheck disable=SC2086 # FAMILIES is a list: one argument per family
	(cd "$top" && tools/vm/run.sh --kernel "$suite" --timeout 1500 -- \
		tests/e2e/vm/suites.sh $FAMILIES) > "$log" 2>&1
	status=$?
	echo "vm $suite: $(($(date +%s) - start)) s, exit $status"
	# an unreachable archive is run on the newest cached kernel: say so where it shows
	grep '^fetch-kernel:' "$log"
	# INFO: what a check wants kept, e.g. the 6.12 oops of docs/findings.md from dmesg
	grep -E '^(PASS|FAIL|SKIP|INFO) ' "$log"
	if [ $status -ne 0 ] || ! grep -q '^PASS ' "$log"; then
		grep -vE '^(PASS|FAIL|SKIP) ' "$log" | tail -n 20 | sed 's/^/  /'
		echo "FAIL vm/$suite/harness: the guest did not run the suite (exit $status)"
	fi
	rm -f "$log"
}

# The guests run single-threaded (tools/vm/run.sh: thread=single), so the kernels boot side by
# side, one host core each at most; their results print in KERNELS order.
results=$(mktemp -d)
for suite in $KERNELS; do
	run_kernel "$suite" > "$results/$suite" &
done
wait
for suite in $KERNELS; do
	cat "$results/$suite"
done
rm -rf "$results"
# the end: each kernel's failures are FAIL lines above; tests/run.sh fails any other status
exit 0
