#!/bin/sh
# Usage: tools/designs/collect.sh OUT DOCS
#
# The captures of one guest run of tools/designs/capture.sh, from its files in OUT into DOCS
# (docs/designs/KERNEL): per run NAME, NAME.json ({"kernel", "boot", "command", "params", "exit",
# "wall_s", "stream_bytes", "records", "report": share's (or mapuse's) online JSON, "model":
# `daxtrace model --json` of the stream, "priced": the price of a workload's stream again, its
# reverse lookups at the drill's rmap walk, "priced_with": that command, "workload": the
# drill's own JSON lines}) and NAME.txt
# (the same as text: command lines, times, `daxtrace model`'s report). Runs again on OUT
# without a guest, e.g. once a daxtrace with the model command is built (MODEL, default
# $BUILD/daxtrace).
set -eu
[ $# -eq 2 ] || {
	sed -n '2p' "$0" >&2
	exit 2
}
out=$1 docs=$2
MODEL=${MODEL:-${BUILD:-build}/daxtrace}
mkdir -p "$docs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A report lists every file (10000 in container-layers): the captures keep the ROWS that own
# the most units, and how many there were (files_count), to stay small.
trim='def trim: if type == "object" and (.files | type) == "array" then .files_count = (.files | length) |
	.files |= (sort_by(-.pfns) | .[:'"${ROWS:-20}"']) else . end; '

# The model's replay, when this daxtrace has it (a build before the model command has not).
has_model=0
"$MODEL" model --help > /dev/null 2>&1 && has_model=1
# Only the drill with rmapbt has an rmap walk of its own: the others' pfn_entries reverse
# lookups are priced (NAME.json "priced") at the walk this kernel's drill measured, as
# `daxtrace model --rmap-walk-ns` (docs/designs.md "Priced").
drill=$out/memory-failure-rmapbt1.dts walk=null
if [ -e "$drill" ] && [ $has_model = 1 ]; then
	walk=$("$MODEL" model --json "$drill" | jq '.price.units.rmap_walk.ns // null') || walk=null
fi
for meta in "$out"/*.meta; do
	name=$(basename "$meta" .meta)
	field() { sed -n "s/^$1: //p" "$meta"; }
	bytes=$(field stream_bytes)
	# the reports are too long for command-line arguments: files, read with --slurpfile
	grep '^{"time"' "$out/$name.out" | tail -n 1 > "$tmp/report" || echo null > "$tmp/report"
	grep '^{"op"' "$out/$name.out" > "$tmp/workload" || true
	echo null > "$tmp/model"
	echo null > "$tmp/priced"
	priced_with=null
	text="(no daxtrace model in $MODEL: the online report follows)" online=1
	if [ -e "$out/$name.dts" ] && [ $has_model = 1 ]; then
		"$MODEL" model --json "$out/$name.dts" > "$tmp/model" 2> "$out/$name.model.err" ||
			echo null > "$tmp/model"
		online=0
		case $name in memory-failure-rmapbt1) ;; *)
			if [ "$walk" != null ]; then
				"$MODEL" model --json --rmap-walk-ns "$walk" "$out/$name.dts" 2> /dev/null |
					jq '.price' > "$tmp/priced" || echo null > "$tmp/priced"
				priced_with="\"daxtrace model --json --rmap-walk-ns $walk (memory-failure-rmapbt1's rmap_walk)\""
			fi
			;;
		esac
		text=$("$MODEL" model "$out/$name.dts" 2>&1) ||
			text="$text (the replay refused the stream: the online report follows)" online=1
	fi
	jq -n --arg command "$(field command)" --argjson exit "$(field exit)" \
		--argjson wall_s "$(field wall_s)" --argjson stream_bytes "${bytes:-null}" \
		--arg params "$(cat "$out/params")" --arg kernel "$(cat "$out/kernel")" \
		--arg boot "$(cat "$out/boot")" --slurpfile report "$tmp/report" \
		--slurpfile model "$tmp/model" --slurpfile workload "$tmp/workload" \
		--slurpfile priced "$tmp/priced" --argjson priced_with "$priced_with" \
		"$trim"'{kernel: $kernel, boot: $boot, command: $command, params: ($params | split("\n") |
		  map(select(. != ""))), exit: $exit, wall_s: $wall_s, stream_bytes: $stream_bytes,
		  records: ($model[0].stream.records? // null), report: ($report[0] | trim),
		  model: ($model[0] | trim), priced: $priced[0], priced_with: $priced_with,
		  workload: $workload}' > "$docs/$name.json"
	{
		echo "kernel: $(cat "$out/kernel")"
		echo "boot: $(head -n 1 "$out/boot")"
		echo "params: $(tr '\n' ' ' < "$out/params")"
		cat "$meta"
		echo
		echo "$text"
		if [ $online = 1 ]; then
			jq "${trim}trim" "$tmp/report" "$tmp/workload"
		else
			cat "$tmp/workload"
		fi
		echo
		echo "stderr:"
		cat "$out/$name.err"
	} > "$docs/$name.txt"
done
echo "captures in $docs, streams in $out" >&2
