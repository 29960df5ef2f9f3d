#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest: `daxtrace record` of daxtrace-workload's validate
# scenario (tools/workload/scenarios.c, docs/daxtrace-workload.1), its exact
# counts computed from the scenario's parameters, its two runs diffed (exit 0 expected),
# `report` over it, and the record kept in $DT_OUT (run.sh --out) for the host to diff
# against another kernel's (tests/e2e/vm/run.sh). Only auto's plan: the families are the
# other suites' subject.
set -u
. "$(dirname "$0")/lib.sh"
P=64 R=2 B=16 # the validate scenario's pages, PMD reads and sharing-breaking writes
fresh_xfs record # as a patch is validated (docs/validating-a-patch.md)
dir=$DAX_MNT/rec
mkdir -p "$dir"
a=/tmp/record-a.json
scenario() {
	"$DAXTRACE" record "$@" -- "$WORKLOAD" validate "$dir" 2> /tmp/record.err
}

if ! scenario -o "$a" --repeat 2; then
	fail record "exit $?: $(tail -n 3 /tmp/record.err)"
	exit 0
fi
rec=$(cat "$a")
check record/format "$rec" '[.format, (.runs | length), [.runs[].exit_status]]' \
	'["daxtrace-record/1",2,[0,0]]'
check record/fingerprint "$rec" \
	'.fingerprint | [.kernel.release == "'"$kernel"'", .dax_mounts[0].fs, .pmem[0].mode, .pmem[0].align]' \
	'[true,"xfs","fsdax",2097152]'
by_key='to_entries | sort_by(.key) | from_entries' # the record keeps the kernel's map order
# Writeback differs by kernel (6.1's FICLONE writes the source back first): the 6.1-7.2 diff
# in tests/e2e/vm/run.sh names it; the rest is the same everywhere.
fields='{faults, pte, pmd, read, write, nopage, mkwrite, cow, cow_bytes, remaps, clones, cow_completions}'
check record/total "$rec" "[.runs[].views.top.total | $fields] | unique" \
	"[{\"faults\":$((4 * P + R + B)),\"pte\":$((4 * P + B)),\"pmd\":$R,\"read\":$((3 * P + R)),\"write\":$((P + B)),\"nopage\":$((4 * P + R + B)),\"mkwrite\":$P,\"cow\":$B,\"cow_bytes\":$((B * 4096)),\"remaps\":1,\"clones\":1,\"cow_completions\":$B}]"
# files by their path below the mount: the same names on every kernel
check record/files "$rec" \
	"[.runs[].views.top.files | map_values({faults, mkwrite, cow}) | $by_key] | unique" \
	"[{\"rec/clone\":{\"faults\":$((P + B)),\"mkwrite\":0,\"cow\":$B},\"rec/pmd\":{\"faults\":$R,\"mkwrite\":0,\"cow\":0},\"rec/pte\":{\"faults\":$((3 * P)),\"mkwrite\":$P,\"cow\":0}}]"
# every PTE fault of the scenario is under dt-workload's MADV_NOHUGEPAGE: no PMD fault tried
check record/lat "$rec" "[.runs[].views.lat | del(.writeback) | map_values(.count) | $by_key] | unique" \
	"[{\"cow\":$B,\"mkwrite\":$P,\"nopmd-nohugepage\":$((4 * P + B)),\"pmd-read\":$R,\"pte-read\":$((3 * P)),\"pte-write\":$((P + B))}]"
check record/pte-reasons "$rec" \
	"[.runs[].views.top.total.pte_reasons | with_entries(select(.value > 0))] | unique" \
	"[{\"nohugepage\":$((4 * P + B))}]"
# share needs kprobes or fentry, which every Debian kernel has. The P pages both files map
# become shared; the writes at 64 KiB strides break those of them in the first P pages.
check record/share "$rec" \
	'[.runs[].views.share.totals | [.became_shared, .became_unshared, .breaks, .shared_updates]] | unique' \
	"[[$P,$P,$((P * 4096 / 65536)),$((2 * P))]]"

# the two runs of the record, each as a record of its own: nothing the kernel makes exact may
# differ between them (diff exit 0); the cow cancels of the clone's removal made this fail
# once in a while until the scenario waited for XFS's inodegc (its final syncfs)
jq '.runs |= [.[0]] | .fingerprint.repeat = 1' "$a" > /tmp/record-run1.json
jq '.runs |= [.[1]] | .fingerprint.repeat = 1' "$a" > /tmp/record-run2.json
"$DAXTRACE" diff /tmp/record-run1.json /tmp/record-run2.json > /tmp/record-diff.out 2>&1
verdict record/diff-runs "$?" \
	"daxtrace diff RUN1 RUN2: $(grep -v '^ *$' /tmp/record-diff.out | tail -n 12)" 0

"$DAXTRACE" report "$a" > /tmp/record-report.out 2>&1
verdict record/report "$(grep -c '^rec/pte ' /tmp/record-report.out)" \
	"report: rec/pte rows (top's, run 1 and 2)" 2

if [ -n "${DT_OUT:-}" ]; then
	if cp "$a" "$DT_OUT/record.json"; then
		pass record/kept
	else
		fail record/kept "cp to $DT_OUT"
	fi
fi
exit 0
