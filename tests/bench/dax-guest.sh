#!/bin/sh
# The fault overhead benchmark on DAX, in one boot of the emulated-NVDIMM guest:
#
#   tools/vm/run.sh --kernel sid --timeout 1800 -- tests/bench/dax-guest.sh
#
# The interleaving of run.sh (lib.sh) on $DAX_MNT (XFS with reflink, -o dax=always, set up by
# tools/vm/guest.sh): DAX PTE faults, dt-bench mapping with MADV_NOHUGEPAGE. QEMU's emulated
# CPU (TCG) distorts absolute times, so only ratios are printed. Not part of make bench.
set -eu

here=$(dirname "$0")
. "$here/lib.sh"
BENCH_DIR=${DAX_MNT:?run this inside the guest: tools/vm/run.sh -- $0}
# The kernel's dev_t of the DAX mount (major << 20 | minor), for top.bt.
DAX_DEVT=$(mountpoint -d "$DAX_MNT" | awk -F: '{ print $1 * 1048576 + $2 }')
work=$(mktemp -d)
cleanup() {
	stop_tracer || true
	restore_bpf_stats || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "bench: DAX on Linux $(uname -r) (QEMU TCG), $ROUNDS interleaved rounds of $MODES" >&2
interleave
diagnose
problems=$(check_runs)
cat << END

daxtrace bench in the emulated-NVDIMM guest, Linux $(uname -r), XFS -o dax=always, DAX PTE
faults; $ROUNDS interleaved runs. Overhead = median ns per fault / untraced median - 1 (in
parentheses: fastest / untraced fastest - 1); A spread = (max - min) / median of the untraced.
$(ratio_table)
${problems:-Every touch was one fault; B and C counted every fault of dt-bench.}

BPF run time (kernel.bpf_stats_enabled=1 for one more run each)
$(diagnosis_table "$(diagnosis_json "$(overhead_json)")")
END
