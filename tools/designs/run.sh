#!/bin/sh
# Usage: tools/designs/run.sh KERNEL   (KERNEL: bookworm, trixie, sid: tools/vm/run.sh --kernel)
#
# Boots KERNEL in a TCG guest with 4 GiB of emulated pmem and runs the design workloads there
# (tools/designs/capture.sh), then writes their captures in docs/designs/KERNEL/
# (tools/designs/collect.sh). The streams stay in OUT (default /tmp/daxtrace-designs/KERNEL):
# never committed.
#
# Environment: the workloads' parameters (see each script's header: GOLDEN, CLONES, SIZE,
# FILES, ...) are passed into the guest; WORKLOADS chooses (default all four); TIMEOUT (default
# 3000 s), MEM (default 3G), MAX_PFNS (default 1048576), BUFFER_KB (--record's ring buffer,
# default 65536), DOCS (default docs/designs/KERNEL);
# MODEL, a daxtrace that has the model command (default build/daxtrace), replays the streams
# on the host.
set -eu
[ $# -eq 1 ] || {
	sed -n '2p' "$0" >&2
	exit 2
}
kernel=$1
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
MODEL=${MODEL:-$BUILD/daxtrace}
out=${OUT:-/tmp/daxtrace-designs/$kernel}
docs=${DOCS:-docs/designs/$kernel}
rm -rf "$out"
mkdir -p "$out" "$docs"

# The guest gets no environment: what the caller set goes on the command line, with env.
set -- env BUILD="$BUILD"
for v in WORKLOADS MAX_PFNS BUFFER_KB GOLDEN CLONES BOOT_FRACTION PATCH PATCH_STRIDE HUGE SIZE SNAPSHOTS \
	INTERVAL WRITES SEED FILES FILE_SIZE LAYERS REWRITE_EVERY; do
	eval "isset=\${$v+y}"
	[ -z "$isset" ] || eval "set -- \"\$@\" $v=\"\$$v\""
done
boot="nice -n 10 tools/vm/run.sh --kernel $kernel --pmem-size 4G --mem ${MEM:-3G} --timeout ${TIMEOUT:-3000} --out $out"
echo "$boot -- $* $here/capture.sh" > "$out/boot"
start=$(date +%s)
# shellcheck disable=SC2086 # $boot: words
$boot -- "$@" tools/designs/capture.sh
echo "guest: $(($(date +%s) - start)) s" >> "$out/boot"

BUILD=$BUILD MODEL=$MODEL "$here/collect.sh" "$out" "$docs"
