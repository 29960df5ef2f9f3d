#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh): exact DAX counts from
# `daxtrace top --json -- dt-workload ...` on an XFS (reflink, 2 MiB extents) mounted -o dax on
# $DAX_MNT, for each attach family given as arguments. Prints PASS/FAIL/SKIP lines prefixed
# with the guest's kernel release. ext4-suite.sh runs it again on ext4 (NAME_PREFIX=ext4/),
# where the reflink tests cannot run and a PMD fault that falls back can be tried twice.
set -u
. "$(dirname "$0")/lib.sh"
N=8
PMD_FILE_MB=8
P=$((PMD_FILE_MB / 2)) # 2 MiB extents of the PMD tests' files
fs=$(dax_fs)
tries=$(pmd_tries) # PMD attempts per PMD fault that falls back (lib.sh)

# One object with the counters a test asserts, so a failure shows all of them at once.
fields='{faults, pte, pmd, read, write, nopage, fallback, sigbus, mkwrite, cow, cow_bytes, remaps}'
counts=".total | $fields"

# check_rows NAME JSON FILE EXPECTED: a test with one workload process on one file holds the
# same counts in total, in that process's row and in that file's row (one row each).
check_rows() {
	one_row="if length == 1 then .[0] | $fields else \"\\(length) rows\" end"
	check "$1" "$2" "$counts" "$4"
	check "$1-process" "$2" "[.processes[] | select(.comm == \"dt-workload\")] | $one_row" "$4"
	check "$1-file" "$2" "[.files[] | select(.ino == $(stat -c %i "$3"))] | $one_row" "$4"
}

# 4K reads of N pages (huge pages off): one PTE read fault each, no fault-around on DAX.
test_pte_read() {
	f=$DAX_MNT/pte-read-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	out=$(top_json -- "$WORKLOAD" mread "$f" $N)
	check "$family/pte-read" "$out" "$counts" \
		"{\"faults\":$N,\"pte\":$N,\"pmd\":0,\"read\":$N,\"write\":0,\"nopage\":$N,\"fallback\":0,\"sigbus\":0,\"mkwrite\":0,\"cow\":0,\"cow_bytes\":0,\"remaps\":0}"
	check "$family/pte-read-file" "$out" ".files | map(select(.ino == $(stat -c %i "$f"))) | .[0] | {pte, dax}" \
		"{\"pte\":$N,\"dax\":true}"
	# Classic tracepoints carry dev and ino, not the dentry: no path there.
	[ "$(point_kind fault)" = classic ] && want_path=null || want_path="\"$f\""
	check "$family/pte-read-path" "$out" ".files[0].path" "$want_path"
	check "$family/pte-read-process" "$out" \
		'.processes | map(select(.comm == "dt-workload")) | .[0] | {faults, pte, read}' \
		"{\"faults\":$N,\"pte\":$N,\"read\":$N}"
	check "$family/pte-read-latency" "$out" ".total.lat_ns.max > 0" true
}

# First-touch writes: write faults, and no mkwrite (DAX returns NOPAGE before ->page_mkwrite).
test_pte_first_write() {
	f=$DAX_MNT/pte-write-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	out=$(top_json -- "$WORKLOAD" mwrite "$f" $N)
	check_rows "$family/pte-first-write" "$out" "$f" \
		"{\"faults\":$N,\"pte\":$N,\"pmd\":0,\"read\":0,\"write\":$N,\"nopage\":$N,\"fallback\":0,\"sigbus\":0,\"mkwrite\":0,\"cow\":0,\"cow_bytes\":0,\"remaps\":0}"
}

# Read, then write the same pages: each write is a pfn_mkwrite, which re-runs the DAX fault.
test_read_then_write() {
	f=$DAX_MNT/read-write-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	out=$(top_json -- "$WORKLOAD" mreadwrite "$f" $N)
	check_rows "$family/read-then-write" "$out" "$f" \
		"{\"faults\":$((2 * N)),\"pte\":$((2 * N)),\"pmd\":0,\"read\":$N,\"write\":$N,\"nopage\":$((2 * N)),\"fallback\":0,\"sigbus\":0,\"mkwrite\":$N,\"cow\":0,\"cow_bytes\":0,\"remaps\":0}"
}

# A fresh file of 2 MiB extents, mapped 2 MiB-aligned with huge pages allowed: PMD faults.
# The same range once its entries are PTE-sized: each PMD fault falls back to a PTE fault.
test_pmd() {
	f=$DAX_MNT/pmd-$family
	create_pmd_file "$f" $PMD_FILE_MB || fail "$family/pmd-extent" "$f: extents not 2 MiB-aligned"
	out=$(top_json -- "$WORKLOAD" mread "$f" $P --stride 2m --huge)
	check_rows "$family/pmd" "$out" "$f" \
		"{\"faults\":$P,\"pte\":0,\"pmd\":$P,\"read\":$P,\"write\":0,\"nopage\":$P,\"fallback\":0,\"sigbus\":0,\"mkwrite\":0,\"cow\":0,\"cow_bytes\":0,\"remaps\":0}"
	g=$DAX_MNT/pmd-fallback-$family
	create_pmd_file "$g" $PMD_FILE_MB || fail "$family/pmd-extent" "$g: extents not 2 MiB-aligned"
	"$WORKLOAD" mread "$g" $P --stride 2m > /dev/null
	out=$(top_json -- "$WORKLOAD" mread "$g" $P --stride 2m --huge)
	pmd=$((tries * P))
	check_rows "$family/pmd-fallback" "$out" "$g" \
		"{\"faults\":$((pmd + P)),\"pte\":$P,\"pmd\":$pmd,\"read\":$((pmd + P)),\"write\":0,\"nopage\":$P,\"fallback\":$pmd,\"sigbus\":0,\"mkwrite\":0,\"cow\":0,\"cow_bytes\":0,\"remaps\":0}"
	check "$family/pmd-fallback-reason" "$out" "$reasons" \
		"$(fallbacks entry_conflict "$pmd")"
}

# XFS refuses DAX with reflink before 5.19 (guest.sh then makes it with reflink=0): no clone,
# no COW on 5.10. The other kernels run these checks.
no_reflink() {
	xfs_info "$DAX_MNT" | grep -q 'reflink=0' &&
		skip "$1" "$(uname -r | cut -d. -f1,2): XFS cannot reflink with DAX before 5.19; covered on 6.1, 6.12, 7.2"
}

# XFS a module without module BTF (5.10: CONFIG_DEBUG_INFO_BTF_MODULES came in 5.11): the
# points whose programs read XFS's types have no way in (attach_plan.c), mkwrite.xfs a kprobe.
no_xfs_btf() {
	[ ! -e /sys/kernel/btf/xfs ] && grep -q '^xfs ' /proc/modules &&
		skip "$1" "$(uname -r | cut -d. -f1,2): XFS is a module and has no BTF (module BTF came in 5.11), so $2; covered on 6.1, 6.12, 7.2"
}

reasons='.total.fallback_reasons | with_entries(select(.value > 0))'
fallbacks() { echo "{\"$1\":$2}"; }

# One 2 MiB-aligned huge read or write that must fall back, and why (dax_iomap_pmd_fault).
test_fallback_reasons() {
	f=$DAX_MNT/reasons-$family
	"$WORKLOAD" create "$f" 8m > /dev/null
	short=$DAX_MNT/reasons-short-$family
	"$WORKLOAD" create "$short" 3m > /dev/null
	out=$(top_json -- "$WORKLOAD" mread "$f" 1 --stride 2m --offset 4k --huge)
	check "$family/fallback-misaligned" "$out" "$reasons" "$(fallbacks misaligned "$tries")"
	# vma_too_small is not asserted here: whether the mm tries a PMD fault for a VMA smaller
	# than 2 MiB depends on whether that PMD already has a page table, i.e. on where the
	# other mappings landed (seen to vary between runs on 7.2). The unit test covers it.
	out=$(top_json -- "$WORKLOAD" mread "$short" 1 --stride 2m --offset 2m --huge)
	check "$family/fallback-past-eof" "$out" "$reasons" "$(fallbacks past_eof "$tries")"
	out=$(top_json -- "$WORKLOAD" mwrite "$f" 1 --stride 2m --offset 6m --huge --private)
	check "$family/fallback-private-write" "$out" "$reasons" "$(fallbacks private_write "$tries")"
}

# A page wholly beyond EOF: the DAX fault's result is SIGBUS.
test_sigbus() {
	f=$DAX_MNT/sigbus-$family
	"$WORKLOAD" create "$f" 4k > /dev/null
	out=$(top_json -- "$WORKLOAD" past-eof "$f")
	check_rows "$family/sigbus" "$out" "$f" \
		'{"faults":1,"pte":1,"pmd":0,"read":1,"write":0,"nopage":0,"fallback":0,"sigbus":1,"mkwrite":0,"cow":0,"cow_bytes":0,"remaps":0}'
}

# FICLONE, then read and write M pages of the clone: each write is a pfn_mkwrite that breaks
# sharing (one copy, one xfs_reflink_end_cow of 4096 bytes), synchronously, in the writer.
test_reflink_cow() {
	no_reflink "$family/reflink-cow" && return
	src=$DAX_MNT/cow-src-$family
	clone=$DAX_MNT/cow-clone-$family
	"$WORKLOAD" create "$src" 4m > /dev/null
	out=$(top_json -- sh -c "'$WORKLOAD' clone '$src' '$clone' > /dev/null &&
		'$WORKLOAD' mreadwrite '$clone' $N --stride 64k > /dev/null")
	check "$family/reflink-cow" "$out" ".total | {remaps, mkwrite, cow, cow_bytes}" \
		"{\"remaps\":1,\"mkwrite\":$N,\"cow\":$N,\"cow_bytes\":$((N * 4096))}"
	check "$family/reflink-cow-file" "$out" \
		".files | map(select(.ino == $(stat -c %i "$clone"))) | .[0] | {cow, cow_bytes, dax}" \
		"{\"cow\":$N,\"cow_bytes\":$((N * 4096)),\"dax\":true}"
}

# First-touch writes to a clone: each one breaks sharing, and none is an mkwrite on DAX.
test_reflink_first_write() {
	no_reflink "$family/reflink-first-write" && return
	src=$DAX_MNT/cow1-src-$family
	clone=$DAX_MNT/cow1-clone-$family
	"$WORKLOAD" create "$src" 4m > /dev/null
	"$WORKLOAD" clone "$src" "$clone" > /dev/null
	out=$(top_json -- "$WORKLOAD" mwrite "$clone" $N --stride 64k)
	check "$family/reflink-first-write" "$out" ".total | {faults, write, mkwrite, cow, cow_bytes}" \
		"{\"faults\":$N,\"write\":$N,\"mkwrite\":0,\"cow\":$N,\"cow_bytes\":$((N * 4096))}"
	check "$family/reflink-first-write-process" "$out" \
		'.processes | map(select(.comm == "dt-workload")) | .[0] | {cow, cow_bytes}' \
		"{\"cow\":$N,\"cow_bytes\":$((N * 4096))}"
}

# The attach kinds the plan used, so a forced family is seen to be real: the fault handler's
# and the COW completion's (both have a function route too). auto must be the tracepoint family
# itself on these kernels, so that its numbers are --attach=tracepoint's.
# Where the kernel can preempt tp_btf programs (7.2: lazy), auto takes kprobes, then classic
# tracepoints, which it cannot: then no point of auto's may be preemptible.
test_plan() {
	out=$("$DAXTRACE" doctor --json --attach="$family")
	# debugfs sched/preempt is PREEMPT_DYNAMIC's (5.12); 5.10's model is its config's alone
	model=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' /sys/kernel/debug/sched/preempt 2> /dev/null)
	if [ -e /sys/kernel/debug/sched/preempt ]; then
		check "$family/preemption-model" "$out" .preemption.model "\"$model\""
	else
		skip "$family/preemption-model" "no debugfs sched/preempt to compare with (PREEMPT_DYNAMIC, 5.12)"
	fi
	case $model in full | lazy | rt) preemptible=true ;; *) preemptible=false ;; esac
	case $family/$preemptible in
	auto/true) want='"kprobe"' ;;
	tracepoint/true) want='"classic"' ;;
	auto/false | tracepoint/false) want='"tp_btf"' ;;
	*) want="\"$family\"" ;;
	esac
	check "$family/plan-fault" "$out" '.plan[] | select(.point == "fault") | .kind' "$want"
	no_xfs_btf "$family/plan-cow-end" "cow.end has no way in" ||
		check "$family/plan-cow-end" "$out" '.plan[] | select(.point == "cow.end") | .kind' "$want"
	[ "$family" = auto ] || return 0
	if [ "$preemptible" = true ]; then
		# shellcheck disable=SC2016 # $p is jq's
		check "$family/plan-not-preemptible" "$out" \
			'.preemption.preemptible_kinds as $p | [.plan[] | select(.kind | IN($p[]))] | length' 0
		check "$family/plan-preemptible-kinds" "$out" .preemption.preemptible_kinds \
			'["tp_btf","raw_tp","fentry"]'
		return 0
	fi
	plan='[.plan[] | select(.point | IN("fault", "fault.extent", "mkwrite.xfs", "cow.start",
		"cow.end", "remap", "writeback", "task")) | {point, kind, targets}]'
	no_xfs_btf "$family/plan-is-tracepoint" "auto reaches mkwrite.xfs by kprobe, the tracepoint family not at all" && return 0
	check "$family/plan-is-tracepoint" "$out" "$plan" \
		"$("$DAXTRACE" doctor --json --attach=tracepoint | jq -c "$plan")"
}

echo "guest kernel $kernel, $fs on $DAX_MNT"
for family in "$@"; do
	# The plan does not depend on the file system; ext4 has no reflink (ext4-suite.sh tests
	# what cow and share say about it).
	if [ "$fs" = xfs ]; then
		test_plan
		test_pte_read
		test_reflink_cow
	else
		test_pte_read
	fi
	# raw_tp and classic enter the same tracepoints as tp_btf (auto), with other readers of
	# their arguments: a read, a write and a sharing break are their share of the runs, which
	# cost seconds each under TCG.
	case $family in
	raw_tp | classic) continue ;;
	esac
	test_read_then_write
	test_pmd
	test_pte_first_write
	test_sigbus
	[ "$fs" = xfs ] && test_reflink_first_write
	test_fallback_reasons
done
exit 0
