#!/bin/sh
# The DAX end-to-end suites: boots each Debian kernel with an emulated NVDIMM (tools/vm/run.sh)
# and runs dax-suite.sh (top) and share-suite.sh (share) inside, once per attach family. A kernel that cannot be fetched or
# booted is a failure, never a skip: DAX is only ever proven here. `make check VM=0` opts out.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
KERNELS=${KERNELS:-bookworm trixie sid}
FAMILIES=${FAMILIES:-auto fentry kprobe classic raw_tp}

# A guest kernel that panics while booting, before the suite printed anything, is booted once
# more: seen twice in about forty boots of 7.2 under TCG (an int3 oops in sched_clock_cpu at
# 2 s, during kernel text patching, before any daxtrace code runs). Its console log is kept and
# named. A second failure, or any failure once the suite has started, is a FAIL as before.
boot_panicked() {
	[ $1 -ne 0 ] && ! grep -qE '^(PASS|FAIL|SKIP) ' "$2" && grep -q 'Kernel panic' "$2"
}

# One kernel: boots it (twice at most, as above) and prints its result lines.
run_kernel() {
	suite=$1 log=$(mktemp)
	start=$(date +%s)
	for attempt in 1 2; do
		(cd "$top" && tools/vm/run.sh --kernel "$suite" --timeout 1500 -- \
			tests/e2e/vm/suites.sh $FAMILIES) > "$log" 2>&1
		status=$?
		[ $attempt = 1 ] && boot_panicked $status "$log" || break
		echo "vm $suite: the kernel panicked while booting; booting again ($(grep -o 'console log: .*' "$log"))"
	done
	echo "vm $suite: $(($(date +%s) - start)) s, exit $status"
	grep -E '^(PASS|FAIL|SKIP) ' "$log"
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
