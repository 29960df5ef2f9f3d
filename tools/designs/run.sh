#!/bin/sh
# Usage: tools/designs/run.sh KERNEL   (KERNEL: bookworm, trixie, sid: tools/vm/run.sh --kernel)
#
# Boots KERNEL in a TCG guest with 4 GiB of emulated pmem and runs the design workloads there
# (tools/designs/capture.sh), then writes their captures in docs/designs/KERNEL/: per run NAME,
# NAME.json ({"command", "exit", "wall_s", "stream_bytes", "records", "params", "report": share's
# online JSON, "model": `daxtrace model --json` of the stream, "workload": the drill's own
# lines}) and NAME.txt (the same as text: command lines, times, `daxtrace model`'s report).
# The streams stay in OUT (default /tmp/daxtrace-designs/KERNEL): never committed.
#
# Environment: the workloads' parameters (see each script's header: GOLDEN, CLONES, SIZE,
# FILES, ...) are passed into the guest; WORKLOADS chooses (default all four); TIMEOUT (default
# 3000 s), MEM (default 3G), MAX_PFNS (default 1048576); MODEL, a daxtrace that has the model
# command (default build/daxtrace), replays the streams on the host.
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
docs=docs/designs/$kernel
rm -rf "$out"
mkdir -p "$out" "$docs"

# The guest gets no environment: what the caller set goes on the command line, with env.
set -- env BUILD="$BUILD"
for v in WORKLOADS MAX_PFNS GOLDEN CLONES BOOT_FRACTION PATCH PATCH_STRIDE HUGE SIZE SNAPSHOTS \
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

# The model's replay, when this daxtrace has it (a build before the model command has not).
has_model=0
"$MODEL" model --help > /dev/null 2>&1 && has_model=1
for meta in "$out"/*.meta; do
	name=$(basename "$meta" .meta)
	field() { sed -n "s/^$1: //p" "$meta"; }
	report=$(grep '^{"time"' "$out/$name.out" | tail -n 1) || report=null
	workload=$(grep '^{"op"' "$out/$name.out" | jq -cs .) || workload='[]'
	bytes=$(field stream_bytes)
	model=null text="(no daxtrace model in $MODEL: the online report follows)"
	if [ -e "$out/$name.dts" ] && [ $has_model = 1 ]; then
		model=$("$MODEL" model --json "$out/$name.dts" 2> "$out/$name.model.err") || model=null
		text=$("$MODEL" model "$out/$name.dts" 2>&1) || true
	fi
	jq -n --arg command "$(field command)" --argjson exit "$(field exit)" \
		--argjson wall_s "$(field wall_s)" --argjson stream_bytes "${bytes:-null}" \
		--arg params "$(cat "$out/params")" --arg kernel "$(cat "$out/kernel")" \
		--arg boot "$(cat "$out/boot")" --argjson report "${report:-null}" \
		--argjson model "$model" --argjson workload "$workload" \
		'{kernel: $kernel, boot: $boot, command: $command, params: ($params | split("\n") |
		  map(select(. != ""))), exit: $exit, wall_s: $wall_s, stream_bytes: $stream_bytes,
		  records: ($model.stream.records? // null), report: $report, model: $model,
		  workload: $workload}' > "$docs/$name.json"
	{
		echo "kernel: $(cat "$out/kernel")"
		echo "boot: $(head -n 1 "$out/boot")"
		echo "params: $(tr '\n' ' ' < "$out/params")"
		cat "$meta"
		echo
		echo "$text"
		[ "$report" != null ] || cat "$out/$name.out"
		echo
		echo "stderr:"
		cat "$out/$name.err"
	} > "$docs/$name.txt"
done
echo "captures in $docs, streams in $out" >&2
