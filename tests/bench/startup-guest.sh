#!/bin/sh
# Start-up and peak RSS of `daxtrace top` on a guest kernel, in one boot of the emulated-NVDIMM
# guest (make bench runs it for each Debian kernel):
#
#   tools/vm/run.sh --kernel bookworm -- tests/bench/startup-guest.sh [RUNS]
#
# Prints one JSON line: the kernel, whether /sys/kernel/btf/vmlinux can be mapped (libbpf 1.7
# maps it where the kernel allows, v6.16+, and copies it elsewhere; the kernel refuses a shared
# mapping, so MAP_PRIVATE as libbpf asks), its size, and the median
# [min, max] of RUNS (default 5) runs of exec-to-attached and of peak RSS. QEMU's TCG CPU is
# slower than hardware, so the times are for comparing kernels with each other, not the host.
set -eu

here=$(dirname "$0")
BUILD=${BUILD:-build}
runs=${1:-5}
. "$here/lib.sh"

btf=/sys/kernel/btf/vmlinux
mappable=$(python3 -c 'import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
try:
    mmap.mmap(fd, os.fstat(fd).st_size, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
    print("true")
except OSError:
    print("false")' "$btf")

samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
for _ in $(seq 1 "$runs"); do
	out=$("$DT_BENCH" exec-time "daxtrace: attached" -- "$BUILD/daxtrace" top -v -n 1 -i 0.1 --json)
	echo "$(echo "$out" | json_field startup_s) $(echo "$out" | json_field maxrss_kb)" >> "$samples"
done
# shellcheck disable=SC2046 # stats prints three numbers, one argument each
set -- $(cut -d ' ' -f 1 "$samples" | stats) $(cut -d ' ' -f 2 "$samples" | stats)
jq -nc --arg kernel "$(uname -r)" --argjson mappable "$mappable" \
	--argjson btf_bytes "$(stat -c %s "$btf")" --argjson runs "$runs" \
	--argjson s "[$1, $2, $3]" --argjson r "[$4, $5, $6]" \
	'{kernel: $kernel, btf_mappable: $mappable, btf_bytes: $btf_bytes, runs: $runs,
	  startup_s: {median: $s[0], min: $s[1], max: $s[2]},
	  maxrss_kb: {median: $r[0], min: $r[1], max: $r[2]}}'
