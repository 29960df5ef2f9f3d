#!/bin/sh
# Usage: tools/designs/model-tables.sh [DOCS]   (DOCS: default docs/designs)
#
# The design model of each workload's capture, one markdown table per workload with a row per
# kernel, side by side: what the kernel's share count paid, and what the proxy, pfn-entries and
# write-protect designs would have (docs/designs.md, "Results"); then those counts priced
# (docs/designs.md, "Priced"): the unit costs and each design's kernel time. Reads
# DOCS/KERNEL/NAME.json (tools/designs/collect.sh); prints to stdout.
set -eu
docs=${1:-docs/designs}

# shellcheck disable=SC2016 # a jq program: its $ are jq's
counts='.report as $r | $r.model as $m |
	def n: if . == null then "n/m" else tostring end;
	"| \($r.kernel) | \($m.kernel.share_count_updates) (\($m.kernel.share_count_updates_in_faults) / \($m.kernel.share_count_updates_elsewhere)), \($m.kernel.share_count_update_pages) | \($m.proxy.objects_peak) (\($m.proxy.objects_peak * $m.proxy.bytes_per_object) B), \($m.proxy.objects_per_page) | \($m.proxy.allocations) / \($m.proxy.frees), \($m.proxy.lookups | n) | \($m.pfn_entries.entries), \($m.pfn_entries.reverse_lookups | n) (\($m.pfn_entries.rmap_lookups | n) + \($m.pfn_entries.owner_lookups | n) + \($m.pfn_entries.shared_unmaps)) | \($m.write_protect.objects_peak), \($m.write_protect.objects_per_page), \($m.write_protect.break_callbacks), \($m.write_protect.sites_to_convert | n) \($m.write_protect.sites // [] | if length > 0 then "(" + join(", ") + ")" else "" end) |"'

# A workload's "priced" (its reverse lookups at the drill's rmap walk), else the replay's own
# (the drill with rmapbt measured its walk).
# shellcheck disable=SC2016 # a jq program: its $ are jq's
priced='(.priced // .model.price) as $p |
	if $p == null then "| \(.kernel) | not priced (no costs in the stream) | | | | |" else
	def unit: if .ns == null then "?" else "\(.ns)" + (if .source == "assumed" then "a" elif .source == "fallback" then "f" elif .source == "given" then "g" else "" end) end;
	def ms: if . == null then "n/p" else (. / 1e4 | round / 100 | tostring) end;
	def vs($k): if .total_ns == null then "n/p" elif $k == null or $k == 0 then (.total_ns | ms) else "\(.total_ns | ms) (\(.total_ns / $k * 100 | round / 100))" end;
	$p.kernel.total_ns as $k |
	"| \(.kernel) | \($p.units.share_update | unit) / \($p.units.alloc | unit) / \($p.units.lookup | unit) / \($p.units.rmap_walk | unit) | \($k | ms) | \($p.proxy | vs($k)) | \($p.pfn_entries | vs($k)) | \($p.write_protect | vs($k)) |" end'

# table TITLE HEADER ALIGN FILTER: one row per kernel's capture of $name
table() {
	printf '\n**%s**\n\n%s\n%s\n' "$1" "$2" "$3"
	for kernel in bookworm trixie sid; do
		f=$docs/$kernel/$name.json
		[ ! -f "$f" ] || jq -r "$4" "$f"
	done
}

for name in vm-farm-scale db-snapshot container-layers memory-failure-rmapbt1 \
	memory-failure-rmapbt0; do
	table "$name" \
		'| kernel | kernel: share-count updates (in faults / elsewhere), struct pages written | proxy: objects peak (bytes), per page | proxy: allocations / frees, lookups | pfn_entries: entries, reverse lookups (memory failure + ->mapping readers + shared unmaps) | write_protect: objects peak, per page, break callbacks, sites to convert |' \
		'|---|---|---|---|---|---|' "$counts"
	table "$name, priced" \
		'| kernel | unit costs, ns: share_update / alloc / lookup / rmap_walk | kernel, ms | proxy, ms (x kernel) | pfn_entries, ms (x kernel) | write_protect, ms (x kernel) |' \
		'|---|---|---:|---:|---:|---:|' "$priced"
done
printf '\n(a: assumed, as the measured unit it stands in for; f: fallback, measured on a stand-in operation; g: given, the rmap walk the drill measured, as --rmap-walk-ns; ?: unknown; n/p: not priced, a term has a count but its unit is unknown)\n'
