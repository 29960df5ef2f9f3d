#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh): why a DAX PTE fault had no PMD fault
# tried first (top's pte_reasons, lat's nopmd-* kinds, snoop's pte_reason), on guest.sh's XFS
# (2 MiB extents) for each attach family given. Prints PASS/FAIL/SKIP lines.
#
# The kernel (mm/memory.c __handle_mm_fault, v6.1 to 7.2) calls ->huge_fault(PMD) only when
# the PMD is none and THP is allowed for the VMA (hugepage_vma_check v6.1,
# thp_vma_allowable_order v6.8 on: VM_NOHUGEPAGE, MMF_DISABLE_THP, THP off by the hardware).
# For DAX it skips the VMA's size and alignment ("Huge fault does the check in fault
# handlers"): those go to dax_iomap_pmd_fault, which falls back with today's reasons, and its
# PTE retry (same call) had a PMD tried. Every later PTE fault in that 2 MiB finds the page
# table the first one made. dt-workload keeps each mapping's last 2 MiB to itself (PROT_NONE),
# so no other mapping's page table decides this.
set -u
. "$(dirname "$0")/lib.sh"
N=8

row='{pte, pmd, fallback, fallback_reasons: (.fallback_reasons | with_entries(select(.value > 0))), pte_reasons: (.pte_reasons | with_entries(select(.value > 0)))}'

# want PTE PMD FALLBACK FALLBACK_REASONS PTE_REASONS: the object $row makes of a file's row
want() {
	echo "{\"pte\":$1,\"pmd\":$2,\"fallback\":$3,\"fallback_reasons\":$4,\"pte_reasons\":$5}"
}

# check_file NAME FILE EXPECTED: FILE's row in the last top run ($out)
check_file() {
	check "$family/$1" "$out" ".files | map(select(.ino == $(stat -c %i "$2"))) | .[0] | $row" "$3"
}

# A file whose pages 0, S, 2S, ... (N of them) already have PTE-sized DAX entries: an
# untraced pass with MADV_NOHUGEPAGE.
pte_entries() {
	"$WORKLOAD" create "$1" 4m > /dev/null
	"$WORKLOAD" mread "$1" "$2" --stride "$3" > /dev/null
}

# Each case a file of its own, all in one top run (a run costs seconds under TCG).
test_reasons() {
	nohuge=$DAX_MNT/nopmd-nohuge-$family prctl=$DAX_MNT/nopmd-prctl-$family
	table=$DAX_MNT/nopmd-table-$family small=$DAX_MNT/nopmd-small-$family
	misaligned=$DAX_MNT/nopmd-misaligned-$family short=$DAX_MNT/nopmd-short-$family
	for f in "$nohuge" "$prctl" "$small" "$misaligned"; do "$WORKLOAD" create "$f" 4m > /dev/null; done
	"$WORKLOAD" create "$short" 1536k > /dev/null
	pte_entries "$table" $N 256k
	out=$(top_json -- sh -c "exec > /dev/null
		'$WORKLOAD' mread '$nohuge' $N && '$WORKLOAD' mread '$prctl' $N --noadvice --nothp &&
		'$WORKLOAD' mreadwrite '$table' $N --stride 256k --noadvice &&
		'$WORKLOAD' mread '$small' 4 --noadvice &&
		'$WORKLOAD' mread '$misaligned' 4 --noadvice --offset 4k &&
		'$WORKLOAD' mread '$short' 2 --stride 1m --noadvice")
	[ "$(point_kind fault)" = classic ] && classic=true || classic=false
	# MADV_NOHUGEPAGE (dt-workload's default): N reads in one 2 MiB range, no PMD fault at
	# all. VM_NOHUGEPAGE is named before the page table the first read leaves (lasting cause
	# first).
	check_file nohugepage "$nohuge" "$(want $N 0 0 '{}' "{\"nohugepage\":$N}")"
	# prctl(PR_SET_THP_DISABLE), no madvise: MMF_DISABLE_THP (v6.18: _COMPLETELY, same bit).
	check_file thp-disabled "$prctl" "$(want $N 0 0 '{}' "{\"thp_disabled\":$N}")"
	# N pages 256 KiB apart, one 2 MiB mapping, no madvise: the first read tries a PMD fault,
	# which falls back (entry_conflict) to a PTE fault that had it tried; the N - 1 other reads
	# and the N write-protect faults (pfn_mkwrite: PTEs present) find the page table: 2N - 1.
	# Classic tracepoints have no vmf, so no page table to look at: unknown.
	$classic && why=unknown || why=page_table
	check_file page-table "$table" \
		"$(want $((2 * N)) 1 1 '{"entry_conflict":1}' "{\"$why\":$((2 * N - 1))}")"
	# A VMA of 4 pages (< 2 MiB), a misaligned one (file offset 4 KiB at a 2 MiB-aligned
	# address), a 1.5 MiB file under a 2 MiB mapping (2 pages 1 MiB apart; (pgoff | 511) = 511
	# >= its 384 pages): the mm tries the PMD fault all the same, dax_iomap_pmd_fault falls back
	# (vma_too_small, misaligned, past_eof), and the range's other faults find its table.
	$classic && return 0
	check_file vma-too-small "$small" "$(want 4 1 1 '{"vma_too_small":1}' '{"page_table":3}')"
	check_file misaligned "$misaligned" "$(want 4 1 1 '{"misaligned":1}' '{"page_table":3}')"
	check_file past-eof "$short" "$(want 2 1 1 '{"past_eof":1}' '{"page_table":1}')"
	check "$family/total" "$out" '.total.pte_reasons | with_entries(select(.value > 0))' \
		"{\"nohugepage\":$N,\"thp_disabled\":$N,\"page_table\":$((2 * N - 1 + 3 + 3 + 1))}"
}

# top's table: the reasons' line under TOTAL, as in its man page.
test_table_line() {
	f=$DAX_MNT/nopmd-text-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	got=$("$DAXTRACE" top --attach="$family" -- "$WORKLOAD" mread "$f" $N 2> /dev/null |
		grep '^PTE faults')
	verdict "$family/table-line" "$got" "grep '^PTE faults'" \
		"PTE faults without a PMD try: nohugepage $N"
}

# The page-table case under lat and snoop: one histogram per reason, one key per record.
test_lat_snoop() {
	f=$DAX_MNT/nopmd-lat-$family
	pte_entries "$f" $N 256k
	out=$("$DAXTRACE" lat --json --attach="$family" -- \
		"$WORKLOAD" mreadwrite "$f" $N --stride 256k --noadvice | grep '^{"histograms"')
	check "$family/lat-nopmd" "$out" '[.histograms[] | {(.kind): .count}] | add' \
		"{\"pte-read\":$N,\"pte-write\":$N,\"pmd-read\":1,\"mkwrite\":$N,\"fallback-entry_conflict\":1,\"nopmd-page_table\":$((2 * N - 1))}"
	f=$DAX_MNT/nopmd-snoop-$family
	pte_entries "$f" 2 1m
	out=$("$DAXTRACE" snoop --json --attach="$family" -- \
		"$WORKLOAD" mreadwrite "$f" 2 --stride 1m --noadvice | grep '^{"time"')
	check_all "$family/snoop-pte-reason" "$out" \
		"[.[] | select(.ino == $(stat -c %i "$f")) | {size, rw, fallback_reason, pte_reason}]" \
		'[{"size":"pmd","rw":"r","fallback_reason":"entry_conflict","pte_reason":null},{"size":"pte","rw":"r","fallback_reason":null,"pte_reason":null},{"size":"pte","rw":"r","fallback_reason":null,"pte_reason":"page_table"},{"size":"pte","rw":"w","fallback_reason":null,"pte_reason":"page_table"},{"size":"pte","rw":"w","fallback_reason":null,"pte_reason":"page_table"}]'
}

echo "guest kernel $kernel"
for family in "$@"; do
	case $family in
	auto)
		test_reasons
		test_lat_snoop
		test_table_line
		;;
	# the dax_iomap_fault route (vmf from its argument) and the vmf-less classic tracepoint
	fentry | classic) test_reasons ;;
	esac
done
exit 0
