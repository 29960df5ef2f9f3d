#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh): doctor's verdict per command for each
# attach family given, and no no-DAX line where there is DAX (guest.sh's XFS on $DAX_MNT).
# Prints PASS/FAIL/SKIP lines.
set -u
. "$(dirname "$0")/lib.sh"

# verdicts_are NAME EXPECTED: "command verdict missing,points" per command, one line each.
verdicts_are() {
	check "$family/verdicts/$1" "$doctor" \
		'[.verdicts[] | .command + " " + .verdict + " " + (.missing_points | join(","))]' "$2"
}
ALL_WORK='["top works ","lat works ","snoop works ","cow works ","share works ","mapuse works ","exporter works ","record works "]'

for family in "$@"; do
	# before doctor runs: a doctor whose answer nothing checks is 2-4 s of a TCG guest
	if ! kernel_at_least 7 2; then
		skip "$family/verdicts" "their expectations are 7.2's (measured); this kernel's plan differs"
		continue
	fi
	doctor=$("$DAXTRACE" doctor --json --attach="$family")
	case $family in
	# No device DAX driver in this guest (fsdax only): fault.devdax is none, and names nothing.
	auto | kprobe | tracepoint | classic) verdicts_are all "$ALL_WORK" ;;
	# 7.x has only dax_disassociate_entry.isra.0 (probe_points.c): a kprobe reaches the clone,
	# fentry has no BTF FUNC for it. share cannot run without it, the others do not use it.
	fentry)
		verdicts_are all '["top works ","lat works ","snoop works ","cow works ","share cannot_run share.disassoc","mapuse works ","exporter works ","record works_partly share.disassoc"]'
		check fentry/verdicts/share "$doctor" '.verdicts[4] | [.why, .fix]' \
			'["share.disassoc: the --attach family given has no way to it: it cannot run without them","--attach auto"]'
		;;
	*) skip "$family/verdicts" "no expectation measured for $family" ;;
	esac
done

# Honest emptiness: here there is DAX, so no command says otherwise, nor its JSON.
out=$("$DAXTRACE" top --json -- true 2> /tmp/doctor-suite.err)
check no-empty/top-json "$out" '.empty' null
verdict no-empty/top-stderr "$(grep -c 'no DAX mount' /tmp/doctor-suite.err)" count 0
verdict no-empty/dax-mounts "$("$DAXTRACE" doctor | grep '^dax mounts')" line \
	"dax mounts  $DAX_MNT ($(dax_fs))"
exit 0
