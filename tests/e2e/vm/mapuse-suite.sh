#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh), after the other suites: which kernel
# paths look up a DAX page's owner, from `daxtrace mapuse --json -- CMD`, exact per kernel.
# It re-makes the filesystem on $DAX_DEV (with and without rmapbt) and poisons pages with
# madvise(MADV_HWPOISON): run it last. The one case that oopses 6.12 runs once, at the very end.
set -u
. "$(dirname "$0")/lib.sh"
N=8

mapuse_json() {
	"$DAXTRACE" mapuse --json --attach="$family" -- "$@" 2> /dev/null | tail -n 1
}

# Every site used, with its count, the files behind it and its stack's first callers.
sites='[.sites[] | {site, count, shared, files: [.files[].path], stack: .stacks[0].frames[0:3]}]'

kernel_is() {
	case $kernel in "$1".*) return 0 ;; esac
	return 1
}

# The page-owner lock of memory failure: renamed in v6.7 (lock/unlock page -> folio).
lock_site() {
	kernel_is 6.1 && echo dax_lock_page || echo dax_lock_folio
}

# fsync of a dirty DAX mapping: writeback walks the file's entries and i_mmap
# (dax_writeback_mapping_range), never a page's ->mapping. 0 uses on every kernel.
test_writeback() {
	f=$DAX_MNT/mu-wb-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	"$WORKLOAD" mwrite "$f" $N > /dev/null
	out=$(mapuse_json "$WORKLOAD" fsync "$f")
	check "$family/mapuse-writeback" "$out" '{total, fs_reverse_lookups, sites}' \
		'{"total":0,"fs_reverse_lookups":0,"sites":[]}'
}

# A process that wrote N pages exits: 7.x maps DAX pages as refcounted folios ("fs/dax:
# properly refcount fs dax pages") and zapping each dirty one calls folio_mark_dirty ->
# folio_mapping on it. 6.1 and 6.12 map pfns, and read no ->mapping there.
test_exit_zap() {
	f=$DAX_MNT/mu-zap-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	out=$(mapuse_json "$WORKLOAD" mwrite "$f" $N)
	if kernel_is 6.1 || kernel_is 6.12; then
		want='[]'
	else
		want="[{\"site\":\"folio_mapping\",\"count\":$N,\"shared\":0,\"files\":[\"$f\"],\"stack\":[\"folio_mapping\",\"folio_mark_dirty\",\"__zap_vma_range\"]}]"
	fi
	check "$family/mapuse-exit-zap" "$out" "$sites" "$want"
}

# Truncate and hole punch of a mapped DAX file: one walk of its entries each, through the file.
test_layout() {
	f=$DAX_MNT/mu-layout-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	held=$(mktemp)
	"$WORKLOAD" mread "$f" $N --hold 600 > /dev/null 2> "$held" &
	holder=$!
	for _ in $(seq 300); do
		grep -q holding "$held" && break
		sleep 0.1
	done
	for op in "truncate -s 1m $f" "xfs_io -c 'fpunch 0 64k' $f"; do
		name=$(echo "$op" | cut -d' ' -f1)
		out=$(mapuse_json sh -c "$op")
		check "$family/mapuse-layout-$name" "$out" \
			'{total, fs_reverse_lookups, sites: [.sites[] | {site, kind, count, files: [.files[].path]}]}' \
			"{\"total\":0,\"fs_reverse_lookups\":1,\"sites\":[{\"site\":\"dax_layout_busy_page_range\",\"kind\":\"fs_reverse\",\"count\":1,\"files\":[\"$f\"]}]}"
	done
	kill $holder
	wait $holder 2> /dev/null
	rm -f "$held"
}

# XFS with rmapbt: memory failure asks the filesystem, which finds every owner of the page
# (xfs_dax_failure_fn -> mf_dax_kill_procs once per owner); nothing reads ->mapping.
test_poison_rmapbt() {
	h=$DAX_MNT/mu-h-$family f=$DAX_MNT/mu-f-$family g=$DAX_MNT/mu-g-$family
	"$WORKLOAD" create "$h" 4m > /dev/null
	"$WORKLOAD" create "$f" 4m > /dev/null
	"$WORKLOAD" clone "$f" "$g" > /dev/null
	out=$(mapuse_json "$WORKLOAD" poison "$h")
	check "$family/mapuse-poison-rmapbt" "$out" "{total, fs_reverse_lookups, sites: $sites}" \
		"{\"total\":0,\"fs_reverse_lookups\":1,\"sites\":[{\"site\":\"mf_dax_kill_procs\",\"count\":1,\"shared\":0,\"files\":[\"$h\"],\"stack\":[\"mf_dax_kill_procs\",\"xfs_dax_failure_fn [xfs]\",\"xfs_rmap_query_range_helper [xfs]\"]}]}"
	out=$(mapuse_json "$WORKLOAD" poison-shared "$f" "$g")
	check "$family/mapuse-poison-rmapbt-shared" "$out" \
		'{total, fs_reverse_lookups, sites: [.sites[] | {site, count, files: ([.files[].path] | sort)}]}' \
		"{\"total\":0,\"fs_reverse_lookups\":2,\"sites\":[{\"site\":\"mf_dax_kill_procs\",\"count\":2,\"files\":[\"$f\",\"$g\"]}]}"
	[ "$family" = auto ] || return 0
	# share's model counts the same lookups: the pfn-entries design's reverse lookups.
	"$WORKLOAD" create "$f.2" 4m > /dev/null
	"$WORKLOAD" clone "$f.2" "$g.2" > /dev/null
	out=$("$DAXTRACE" share --model --json --record /tmp/mu-rmap.dts -- \
		"$WORKLOAD" poison-shared "$f.2" "$g.2" 2> /dev/null | tail -n 1)
	check "$family/share-model-rmap-lookups" "$out" '.model.pfn_entries.rmap_lookups' 2
	# and the recorded stream's replay: the two lookups are its mf_dax_kill_procs records
	out=$("$DAXTRACE" model --json /tmp/mu-rmap.dts)
	check "$family/model-rmap-lookups" "$out" \
		'{rmap: .model.pfn_entries.rmap_lookups, lost: .stream.lost_records, mismatches: .stream.mismatches}' \
		'{"rmap":2,"lost":0,"mismatches":0}'
}

# XFS without rmapbt: xfs_dax_notify_failure cannot help (-EOPNOTSUPP) and memory failure
# locks the page's entry through ->mapping and ->index.
test_poison_page_owner() {
	e=$DAX_MNT/mu-e-$family
	"$WORKLOAD" create "$e" 4m > /dev/null
	out=$(mapuse_json "$WORKLOAD" poison "$e")
	check "$family/mapuse-poison" "$out" "{total, shared, fs_reverse_lookups, sites: $sites}" \
		"{\"total\":1,\"shared\":0,\"fs_reverse_lookups\":0,\"sites\":[{\"site\":\"$(lock_site)\",\"count\":1,\"shared\":0,\"files\":[\"$e\"],\"stack\":[\"$(lock_site)\",\"memory_failure\",\"$(kernel_at_least 7 2 && echo madvise_do_behavior || echo do_madvise)\"]}]}"
}

# The same on a page two reflinked files map. 6.1 never marked it shared (a read fault
# replaced ->mapping with the last reader, d), so the lookup finds d alone. 6.12 holds it with
# the shared marker, and dax_lock_folio dereferences the marker: a kernel oops
# (docs/findings.md), the process dies. 7.2 holds it with a NULL ->mapping: the lookup fails
# and madvise returns EBUSY, nobody is signalled. Once per kernel: it may leave 6.12 unwell.
test_poison_shared_page_owner() {
	c=$DAX_MNT/mu-c d=$DAX_MNT/mu-d
	"$WORKLOAD" create "$c" 4m > /dev/null
	"$WORKLOAD" clone "$c" "$d" > /dev/null
	dmesg -C
	out=$("$DAXTRACE" mapuse --json -- "$WORKLOAD" poison-shared "$c" "$d" 2> /dev/null)
	status=$?
	report=$(echo "$out" | grep '^{"time"')
	result=$(echo "$out" | grep '^{"op"')
	if kernel_is 6.1; then
		want="{\"total\":1,\"shared\":0,\"sites\":[{\"site\":\"dax_lock_page\",\"count\":1,\"shared\":0,\"files\":[\"$d\"]}]}"
	else
		want='{"total":1,"shared":1,"sites":[{"site":"dax_lock_folio","count":1,"shared":1,"files":[null]}]}'
	fi
	check auto/mapuse-poison-shared "$report" \
		'{total, shared, sites: [.sites[] | {site, count, shared, files: [.files[].path]}]}' "$want"
	if kernel_is 6.12; then
		if dmesg | grep -q "BUG: kernel NULL pointer dereference, address: 0000000000000001" &&
			dmesg | grep -q "RIP: 0010:dax_lock_folio" && [ $status -eq 137 ]; then
			pass auto/mapuse-poison-shared-oops
			dmesg | grep -A25 "BUG: kernel NULL" | sed 's/^/INFO /'
		else
			fail auto/mapuse-poison-shared-oops "no dax_lock_folio oops (exit $status): $(dmesg | tail -5)"
		fi
	elif kernel_at_least 7 2; then
		check auto/mapuse-poison-shared-result "$result" '{madvise_errno, sigbus}' \
			'{"madvise_errno":16,"sigbus":0}'
	else
		check auto/mapuse-poison-shared-result "$result" '{madvise_errno, sigbus}' \
			'{"madvise_errno":0,"sigbus":1}'
	fi
}

echo "guest kernel $kernel, $(dax_fs) on $DAX_MNT"
for family in "$@"; do
	case $family in auto | fentry | kprobe) ;; *) continue ;; esac
	test_writeback
	test_exit_zap
	test_layout
	# ext4 (ext4-suite.sh) registers no ->notify_failure with its dax device: memory failure
	# finds the owner through ->mapping, as on XFS without rmapbt.
	[ "$(dax_fs)" = ext4 ] && test_poison_page_owner
done
# ext4-suite.sh keeps its file system: what follows is XFS's.
[ "$(dax_fs)" = ext4 ] && exit 0
remake_dax_fs xfs -m rmapbt=1 || fail mapuse/mkfs "cannot make XFS with rmapbt on $DAX_DEV"
for family in "$@"; do
	case $family in auto | fentry | kprobe) test_poison_rmapbt ;; esac
done
remake_dax_fs xfs -m rmapbt=0 || fail mapuse/mkfs "cannot make XFS without rmapbt on $DAX_DEV"
for family in "$@"; do
	case $family in auto | fentry | kprobe) test_poison_page_owner ;; esac
done
test_poison_shared_page_owner
exit 0
