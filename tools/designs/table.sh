#!/bin/sh
# Usage: tools/designs/table.sh [DIR]   (DIR: docs/designs)
# The table of docs/designs/README.md from the captures DIR/KERNEL/NAME.json: per run, the
# wall seconds, the stream's records and bytes, and the census numbers the script headers
# predict, and whether the stream's offline replay (`daxtrace model`) gave the online report's
# numbers: every census key and model term the replay has, compared with the online one
# ("equal", or the keys that differ; "refused" when the replay refused the stream). Markdown
# on stdout.
set -eu
dir=${1:-docs/designs}
echo "| run | kernel | wall s | share s | records | stream bytes | pfns | owners | shared (peak) | breaks | anomalies | rmap lookups | proxy lookups | replay |"
echo "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
# row: the line of capture $f, named after it (and its directory, if not a kernel's suite)
row() {
	name=$(basename "$f" .json)
	case ${f%/*} in */bookworm | */trixie | */sid) ;; *) name="$(basename "${f%/*}")/$name" ;; esac
	jq -r --arg name "$name" '
		def n: if . == null then "-" else tostring end;
		def census: {pfns, owners, shared_pfns, shared_pfns_peak, breaks, anomalies,
			associations, disassociations, model, costs, price};
		def replay: if .model == null then "refused" else
			(.model | census) as $m | (.report | census) as $r |
			[$m | paths(scalars) | select(. as $p | ($m | getpath($p)) != ($r | getpath($p))) |
			 map(tostring) | join(".")] |
			if length == 0 then "equal" else "differs: " + join(", ") end end;
		if .report == null then
			"| \($name) | \(.kernel) | \(.wall_s) | | | | | | | | | | | |"
		elif .report.pfns == null then
			# mapuse: its ->mapping readers and the filesystem reverse lookups
			.report as $r |
			"| \($name) | \(.kernel) | \(.wall_s) | \($r.elapsed_s | floor) | | | | mapuse: \($r.sites | map("\(.site) \(.count) (shared \(.shared))") | join(", ")) | | | | \($r.fs_reverse_lookups) | | |"
		else
			.report as $r |
			"| \($name) | \(.kernel) | \(.wall_s) | \($r.elapsed_s | floor) | \(.records | n) | \(.stream_bytes | n) | \($r.pfns) | \($r.owners | to_entries | map("\(.key):\(.value)") | join(" ")) | \($r.shared_pfns) (\($r.shared_pfns_peak)) | \($r.breaks) | \($r.anomalies) | \($r.model.pfn_entries.rmap_lookups | n) | \($r.model.proxy.lookups | n) | \(replay) |"
		end' "$f"
}

# oldest kernel first: the Debian suites by age, then any other directory
seen=" "
for d in "$dir"/bookworm "$dir"/trixie "$dir"/sid "$dir"/*; do
	case $seen in *" $d "*) continue ;; esac
	seen="$seen$d "
	for f in "$d"/*.json; do
		[ ! -e "$f" ] || row
	done
done
