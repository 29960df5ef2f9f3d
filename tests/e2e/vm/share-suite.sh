#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh): exact owner census numbers from
# `daxtrace share --json -- script` on XFS (reflink, dax=always) on $DAX_MNT, for each attach
# family given as arguments. Every expected number is computed here from N, K and R, from what
# the workload does, never copied from the tool; the kernel's own share count is checked by
# daxtrace itself at every event (anomalies).
set -u
. "$(dirname "$0")/lib.sh"
N=16 # pages of file A
K=4 # every K-th page of the clone B is written (a sharing break)
R=4 # pages of A cloned into C ...
O=64 # ... at this page of C (a different index: the proxy design needs an override)

STREAM=/tmp/share-suite.dts # every run records its census events (share --record)

share_json() {
	"$DAXTRACE" share --json --model --attach="$family" --record "$STREAM" -- "$@"
}

# The run's stream, replayed offline by `daxtrace model`, gives the online report's census and
# model key for key: all but when and how the run was traced (time, attach plan, notes).
REPLAY_SAME='del(.time, .elapsed_s, .attach, .empty, .no_reflink, .stream)'
expect_replay() {
	name=$1 out=$2
	offline=$("$DAXTRACE" model --json "$STREAM" | tail -n 1)
	check "$name-replay" "$offline" "$REPLAY_SAME" "$(echo "$out" | jq -c "$REPLAY_SAME")"
	check "$name-replay-stream" "$offline" '.stream | {lost_records, mismatches}' \
		'{"lost_records":0,"mismatches":0}'
}

# v6.0-v6.1 marks a page shared only on a COW write ("fsdax: set a CoW flag when associate
# reflink mappings"): read faults of a second file replace ->mapping, so the kernel counts 1
# where the census counts 2. daxtrace reports these as anomalies, with that explanation; the
# later kernels must agree with the census exactly.
v61_kernel() {
	case $kernel in 6.0.* | 6.1.*) return 0 ;; esac
	return 1
}

expect_anomalies() {
	name=$1 out=$2 v61=$3
	if v61_kernel; then
		check "$name-anomalies" "$out" '.anomalies' "$v61"
		check "$name-anomaly-explained" "$out" \
			'[.anomaly_samples[] | .explanation | startswith("kernel: v6.0-v6.1")] | all' true
	else
		# the samples are printed with a failure: they name the event that exposed each one
		check "$name-anomalies" "$out" '[.anomalies, .anomaly_samples]' '[0,[]]'
	fi
	check "$name-lost" "$out" '{lost, evicted, unlisted_owners}' \
		'{"lost":0,"evicted":0,"unlisted_owners":0}'
}

# The owner histogram as jq prints it, {"1":a,"2":b,...} without zero buckets.
histogram() {
	printf '{'
	sep=
	n=0
	for c in "${h1:-0}" "${h2:-0}" "${h3:-0}"; do
		n=$((n + 1))
		[ "$c" -gt 0 ] && printf '%s"%d":%d' "$sep" "$n" "$c" && sep=,
	done
	printf '}'
}

# Fill A with N mapped writes, clone it to B, read all of both: N pfns with owners {A, B}.
# (7.2 drops both files' DAX entries at FICLONE, dax_break_layout: A is read again so that the
# census is the same on every kernel.) Then A once more: from 6.2 each of those faults
# disassociates and associates again a pfn of two owners, which changes no owner (6.1 reads
# without either), so N pfns became shared and none unshared.
test_share_clone() {
	a=$DAX_MNT/share-a-$family b=$DAX_MNT/share-b-$family
	"$WORKLOAD" create "$a" 4m > /dev/null
	out=$(share_json sh -c "'$WORKLOAD' mwrite '$a' $N && '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' mread '$a' $N && '$WORKLOAD' mread '$b' $N &&
		'$WORKLOAD' mread '$a' $N" | tail -n 1)
	check "$family/share-clone" "$out" '{pfns, owners, shared_pfns, shared_pfns_peak, shared_bytes, breaks, index_differs}' \
		"{\"pfns\":$N,\"owners\":{\"2\":$N},\"shared_pfns\":$N,\"shared_pfns_peak\":$N,\"shared_bytes\":$((N * 4096)),\"breaks\":0,\"index_differs\":0}"
	check "$family/share-clone-balance" "$out" '.associations - .disassociations' $((2 * N))
	check "$family/share-clone-transitions" "$out" '{became_shared, became_unshared}' \
		"{\"became_shared\":$N,\"became_unshared\":0}"
	check "$family/share-clone-pair" "$out" \
		'[.pairs[] | {a: .a.path, b: .b.path, shared_pfns, shared_bytes}]' \
		"[{\"a\":\"$a\",\"b\":\"$b\",\"shared_pfns\":$N,\"shared_bytes\":$((N * 4096))}]"
	expect_anomalies "$family/share-clone" "$out" $N
	expect_replay "$family/share-clone" "$out"
}

# ... then write every K-th page of B: N/K breaks, each moving B to a new pfn of its own. The
# writer runs under top as well: its cow (breaks initiated) are the census's breaks.
test_share_breaks() {
	a=$DAX_MNT/share-brk-a-$family b=$DAX_MNT/share-brk-b-$family
	top_out=$(mktemp)
	"$WORKLOAD" create "$a" 4m > /dev/null
	out=$(share_json sh -c "'$WORKLOAD' mwrite '$a' $N && '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' mread '$a' $N && '$WORKLOAD' mread '$b' $N &&
		'$DAXTRACE' top --json --attach=$family -- \
			'$WORKLOAD' mwrite '$b' $((N / K)) --stride $((K * 4096)) > '$top_out'" |
		tail -n 1)
	breaks=$((N / K))
	check "$family/share-breaks-top-cow" "$(grep '^{"time"' "$top_out")" .total.cow $breaks
	rm -f "$top_out"
	h1=$((2 * breaks)) h2=$((N - breaks)) h3=0
	check "$family/share-breaks" "$out" '{pfns, owners, shared_pfns, shared_pfns_peak, breaks, index_differs}' \
		"{\"pfns\":$((N + breaks)),\"owners\":$(histogram),\"shared_pfns\":$h2,\"shared_pfns_peak\":$N,\"breaks\":$breaks,\"index_differs\":0}"
	check "$family/share-breaks-transitions" "$out" '{became_shared, became_unshared}' \
		"{\"became_shared\":$N,\"became_unshared\":$breaks}"
	check "$family/share-breaks-age" "$out" '.break_age_ns.max > 0' true
	# 6.1: B's N read associations, then each break's disassociation from a page whose
	# ->mapping names B only.
	expect_anomalies "$family/share-breaks" "$out" $((N + breaks))
	expect_replay "$family/share-breaks" "$out"
}

# ... then clone R pages of A into C at page O, and read them through C: R pfns whose owners
# have different indexes, and a third owner on each.
test_share_clonerange() {
	a=$DAX_MNT/share-cr-a-$family b=$DAX_MNT/share-cr-b-$family c=$DAX_MNT/share-cr-c-$family
	"$WORKLOAD" create "$a" 4m > /dev/null
	"$WORKLOAD" create "$c" 4m > /dev/null
	out=$(share_json sh -c "'$WORKLOAD' mwrite '$a' $N && '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' mread '$a' $N && '$WORKLOAD' mread '$b' $N &&
		'$WORKLOAD' mwrite '$b' $((N / K)) --stride $((K * 4096)) &&
		'$WORKLOAD' clonerange '$a' '$c' 0 $((R * 4096)) $((O * 4096)) &&
		'$WORKLOAD' mread '$a' $N && '$WORKLOAD' mread '$c' $R --offset $((O * 4096))" |
		tail -n 1)
	# Owners of A's page i: A; B unless i was broken (i % K == 0); C if i < R.
	h1=$((N / K)) h2=0 h3=0 shared=0 extra=0 entries=$((N / K)) ab=0 bc=0
	i=0
	while [ $i -lt $N ]; do
		owners=1
		[ $((i % K)) -ne 0 ] && owners=$((owners + 1)) && ab=$((ab + 1))
		[ $i -lt $R ] && owners=$((owners + 1))
		[ $i -lt $R ] && [ $((i % K)) -ne 0 ] && bc=$((bc + 1))
		eval "h$owners=\$((h$owners + 1))"
		[ $owners -ge 2 ] && shared=$((shared + 1)) && extra=$((extra + owners - 1))
		entries=$((entries + owners))
		i=$((i + 1))
	done
	check "$family/share-clonerange" "$out" '{pfns, owners, shared_pfns, index_differs}' \
		"{\"pfns\":$((N + N / K)),\"owners\":$(histogram),\"shared_pfns\":$shared,\"index_differs\":$R}"
	check "$family/share-clonerange-pairs" "$out" \
		'[.pairs[] | ([.a.path, .b.path] | map(split("/") | last) | sort) + [.shared_pfns]] | sort' \
		"[[\"share-cr-a-$family\",\"share-cr-b-$family\",$ab],[\"share-cr-a-$family\",\"share-cr-c-$family\",$R],[\"share-cr-b-$family\",\"share-cr-c-$family\",$bc]]"
	check "$family/share-model" "$out" \
		'.model | {wp: .write_protect | {objects, break_callbacks}, proxy: .proxy | {objects, index_overrides, bytes}, entries: .pfn_entries.entries}' \
		"{\"wp\":{\"objects\":$shared,\"break_callbacks\":$((N / K))},\"proxy\":{\"objects\":$extra,\"index_overrides\":$R,\"bytes\":$((extra * 64))},\"entries\":$entries}"
	# 6.1: B's N and C's R read associations, and the breaks' disassociations, as above.
	expect_anomalies "$family/share-clonerange" "$out" $((N + N / K + R))
	expect_replay "$family/share-clonerange" "$out"
}

# The model's terms from the census counters: clone A to B, read both (B's N associations join
# shared units: N share-count updates in faults, N proxy allocations), then truncate B (its N
# owners leave shared units outside a fault: N updates elsewhere, N proxy frees, N shared
# unmaps for the pfn-entries design; N units become shared and N unshared: N write-protect
# records made and freed). The same on every kernel: 7.2 drops A's entries at
# FICLONE and A's read puts them back, unshared; from 6.2 A's read re-inserts its entries of a
# unit it owns alone, which changes no share count; 6.1 does neither. ->mapping readers:
# none on shared pages (nothing here looks an owner up), so no proxy lookup and no site to
# convert.
test_share_model_terms() {
	a=$DAX_MNT/share-mt-a-$family b=$DAX_MNT/share-mt-b-$family
	"$WORKLOAD" create "$a" 4m > /dev/null
	out=$(share_json sh -c "'$WORKLOAD' mwrite '$a' $N && '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' mread '$a' $N && '$WORKLOAD' mread '$b' $N && truncate -s 0 '$b'" |
		tail -n 1)
	check "$family/share-model-terms-census" "$out" '{pfns, owners, shared_pfns, shared_pfns_peak}' \
		"{\"pfns\":$N,\"owners\":{\"1\":$N},\"shared_pfns\":0,\"shared_pfns_peak\":$N}"
	check "$family/share-model-terms" "$out" \
		'.model | [.kernel | .share_count_updates, .share_count_updates_in_faults, .share_count_updates_elsewhere] + [.proxy | .allocations, .frees, .lookups] + [.pfn_entries.shared_unmaps] + [.write_protect | .allocations, .frees, .sites_to_convert, .uses_on_shared, .sites]' \
		"[$((2 * N)),$N,$N,$N,$N,0,$N,$N,$N,0,0,[]]"
	# priced: the truncate's N shared disassociations measure share_update; the kernel's 2N
	# updates cost something, whatever the jq above computes
	check "$family/share-model-terms-price" "$out" "$price_got" "$(echo "$out" | jq -c "$price_want")"
	check "$family/share-model-terms-price-units" "$out" \
		'[.price.units.share_update.source, .price.kernel.total_ns > 0]' '["measured",true]'
	# 6.1: B's N read associations, and the truncate's N disassociations of pages whose
	# ->mapping names B only
	expect_anomalies "$family/share-model-terms" "$out" $((2 * N))
	# The ->mapping readers: A's N pages, written through a mapping that exits dirty, are each
	# handed to folio_mapping by 7.x's unmap (folio_mark_dirty, docs/findings.md 3), not
	# shared at that moment; 6.x reads no ->mapping here. The pfn-entries design would ask the
	# filesystem for each, and for each of B's N shared unmaps.
	readers=0
	case $kernel in 6.*) ;; *) readers=$N ;; esac
	check "$family/share-model-terms-readers" "$out" \
		'.model | [.pfn_entries | .owner_lookups, .rmap_lookups, .reverse_lookups] + [.proxy.lookups, .write_protect.uses_on_shared]' \
		"[$readers,0,$((readers + N)),0,0]"
	expect_replay "$family/share-model-terms" "$out"
}

# More owners than slots (7): A and 8 clones read (9 owners per unit, 2 counted but not
# listed), then the clones truncated one after the other. Each leave is taken off, the listed
# ones by their slot, the unlisted ones by the unit's count of them: none is unmatched, and A
# alone remains. (The VM farm of tools/designs has 9 owners per unit.)
test_share_many_owners() {
	a=$DAX_MNT/share-many-$family clones=8
	"$WORKLOAD" create "$a" 4m > /dev/null
	script="'$WORKLOAD' mread '$a' $N"
	for i in $(seq $clones); do
		script="$script && '$WORKLOAD' clone '$a' '$a.$i' && '$WORKLOAD' mread '$a.$i' $N"
	done
	# 7.2 drops A's entries at each FICLONE (dax_break_layout): A is read again, so that it
	# owns the units on every kernel
	script="$script && '$WORKLOAD' mread '$a' $N"
	for i in $(seq $clones); do
		script="$script && truncate -s 0 '$a.$i'"
	done
	out=$(share_json sh -c "$script" | tail -n 1)
	# Who has no slot depends on the order of joins: on 6.x A joined first and the last two
	# clones have none; on 7.x A joins last (its entries dropped at FICLONE) and keeps none
	# after the clones leave: counted, not named. Proxy allocations: one per clone joining a
	# unit others own, and from 6.2 to 6.x one more per unit for A's re-read (a re-insertion of
	# a shared unit's entry: a free and an allocation); 7.x's A joins instead, 6.1 does neither.
	joins=$((clones * N)) unlisted=0
	case $kernel in
	6.0.* | 6.1.*) ;;
	6.*) joins=$((joins + N)) ;;
	*) unlisted=$N ;;
	esac
	check "$family/share-many-owners" "$out" \
		'{pfns, owners, shared_pfns_peak, unlisted_owners, unmatched: .missed_events.unmatched_disassociations, lost}' \
		"{\"pfns\":$N,\"owners\":{\"1\":$N},\"shared_pfns_peak\":$N,\"unlisted_owners\":$unlisted,\"unmatched\":0,\"lost\":0}"
	check "$family/share-many-owners-model" "$out" '.model.proxy | {objects_peak, allocations, frees}' \
		"{\"objects_peak\":$((clones * N)),\"allocations\":$joins,\"frees\":$joins}"
	# 6.1: each clone's N read associations, and its truncate's N disassociations (the page
	# names the last reader only)
	anomalies=0
	v61_kernel && anomalies=$((2 * clones * N))
	check "$family/share-many-owners-anomalies" "$out" .anomalies $anomalies
	expect_replay "$family/share-many-owners" "$out"
}

# docs/findings.md 5: after a 4 KiB COW write inside a PMD entry that two files share, 7.2
# (one folio->share per folio, "fs/dax: remove PAGE_MAPPING_DAX_SHARED mapping flag") cannot
# insert the clone's 4 KiB entries of the rest of that folio: dax_associate_entry warns that
# the entry's order is not the folio's (fs/dax.c) and the read fault ends in SIGBUS. 6.1 and
# 6.12 count per page and read the clone back. No daxtrace runs here: the kernel alone.
test_share_pmd_cow_reread() {
	p=$DAX_MNT/share-rr-p q=$DAX_MNT/share-rr-q
	"$WORKLOAD" create "$p" 4m > /dev/null
	"$WORKLOAD" clone "$p" "$q" > /dev/null
	"$WORKLOAD" mread "$p" 2 --stride 2m --huge > /dev/null
	"$WORKLOAD" mread "$q" 2 --stride 2m --huge > /dev/null
	"$WORKLOAD" mwrite "$q" 1 --offset 4096 > /dev/null
	"$WORKLOAD" mread "$q" 1024 > /dev/null 2>&1
	status=$?
	case $kernel in
	7.*) expected=135 ;; # 128 + SIGBUS
	*) expected=0 ;;
	esac
	check "share-pmd-cow-reread" "{\"status\":$status}" .status $expected
	rm -f "$p" "$q"
}

# A census map of M entries keeps M pfns and counts every other association as evicted.
test_share_evictions() {
	f=$DAX_MNT/share-evict-$family
	"$WORKLOAD" create "$f" 4m > /dev/null
	out=$("$DAXTRACE" share --json --attach="$family" --max-pfns 4 -- "$WORKLOAD" mwrite "$f" $N |
		tail -n 1)
	check "$family/share-evictions" "$out" '{pfns, evicted}' "{\"pfns\":4,\"evicted\":$((N - 4))}"
}

# A PMD entry is one census unit of 2 MiB: two reflinked 2 MiB extents read through both files.
test_share_pmd() {
	p=$DAX_MNT/share-pmd-p-$family q=$DAX_MNT/share-pmd-q-$family
	"$WORKLOAD" create "$p" 4m > /dev/null
	out=$(share_json sh -c "'$WORKLOAD' clone '$p' '$q' &&
		'$WORKLOAD' mread '$p' 2 --stride 2m --huge &&
		'$WORKLOAD' mread '$q' 2 --stride 2m --huge" | tail -n 1)
	check "$family/share-pmd" "$out" '{pfns, owners, shared_bytes}' \
		"{\"pfns\":2,\"owners\":{\"2\":2},\"shared_bytes\":$((2 * 2097152))}"
	expect_anomalies "$family/share-pmd" "$out" 2 # 6.1: Q's two read associations
	# the replay counts each PMD share-count update's struct pages as the kernel wrote them:
	# 512 up to 6.14, 1 from 6.15 (model.kernel.share_count_update_pages, compared whole)
	expect_replay "$family/share-pmd" "$out"
}

# struct pages one share-count update of a PMD unit writes: dax_associate_entry() and
# dax_disassociate_entry() loop over the entry's 512 pages up to 6.14 (6.0-6.1 with the COW
# marker or ->mapping, 6.2-6.14 page->share); from 6.15 the entry is one folio, one folio->share.
pmd_update_pages() {
	case $kernel in [2-5].* | 6.[0-9].* | 6.1[0-4].*) echo 512 ;; *) echo 1 ;; esac
}

# pmd_shared_reads NAME: P of PK 2 MiB extents (the guest's XFS has a 2 MiB extent size hint
# and stripe unit: each extent is PMD-aligned), and in $reads the command that clones it to Q,
# FICLONERANGEs its last extent to R at offset 0 (another index: one override), and reads all
# three through PMD faults, once per extent: PK units of 512 pages (PP), the last with owners
# {P, Q, R} and the others {P, Q}.
pmd_shared_reads() {
	p=$DAX_MNT/share-$1-p-$family q=$DAX_MNT/share-$1-q-$family r=$DAX_MNT/share-$1-r-$family
	PK=3 PP=512 per=$(pmd_update_pages)
	"$WORKLOAD" create "$p" $((PK * 2))m > /dev/null
	reads="'$WORKLOAD' clone '$p' '$q' &&
		'$WORKLOAD' clonerange '$p' '$r' $(((PK - 1) * 2))m 2m 0 &&
		'$WORKLOAD' mread '$p' $PK --stride 2m --huge && '$WORKLOAD' mread '$q' $PK --stride 2m --huge &&
		'$WORKLOAD' mread '$r' 1 --huge"
}

# check_pmd_share NAME OUT PMD_UNITS OWNERS1 PAGES OWNER_ENTRY_PAGES UPDATES BREAKS: the census
# and model of the PMD sharing scenario, the others computed from PK and PP: PK - BREAKS units
# shared, {P, Q} in all but the last, {P, Q, R} in the last. Per unit a PMD entry counts once;
# per page, 512 times.
check_pmd_share() {
	name=$1 out=$2 pmd=$3 h1=$4 pages=$5 entry_pages=$6 updates=$7 breaks=$8
	shared=$((PK - breaks)) extra=$((PK + 1 - breaks))
	h2=$((PK - 1 - breaks)) h3=1
	check "$family/$name-census" "$out" \
		'{pfns, owners, pmd_units, shared_pmd_units, pages, shared_pages, extra_owner_pages, owner_entry_pages, index_differs, breaks, became_unshared}' \
		"{\"pfns\":$((PK + breaks)),\"owners\":$(histogram),\"pmd_units\":$pmd,\"shared_pmd_units\":$shared,\"pages\":$pages,\"shared_pages\":$((shared * PP)),\"extra_owner_pages\":$((extra * PP)),\"owner_entry_pages\":$entry_pages,\"index_differs\":1,\"breaks\":$breaks,\"became_unshared\":$breaks}"
	check "$family/$name-model" "$out" \
		'.model | {k: .kernel | {share_count_updates, share_count_update_pages}, p: .proxy | {objects, objects_per_page, bytes, bytes_per_page_proxies, index_overrides}, e: .pfn_entries | {entries, entries_per_page}, w: .write_protect | {objects, objects_per_page, break_callbacks}}' \
		"{\"k\":{\"share_count_updates\":$updates,\"share_count_update_pages\":$((updates * per))},\"p\":{\"objects\":$extra,\"objects_per_page\":$((extra * PP)),\"bytes\":$((extra * 64)),\"bytes_per_page_proxies\":$((extra * PP * 64)),\"index_overrides\":1},\"e\":{\"entries\":$((2 * PK + 1)),\"entries_per_page\":$entry_pages},\"w\":{\"objects\":$shared,\"objects_per_page\":$((shared * PP)),\"break_callbacks\":$breaks}}"
	# 6.1: Q's PK and R's read associations, and a break's disassociation from a page whose
	# ->mapping names Q only
	expect_anomalies "$family/$name" "$out" $((PK + 1 + breaks))
	# the replay needs each unit's order and the kernel's layout (its CHECK records) to give
	# the same per-page figures and share_count_update_pages ($1, $2: expect_anomalies sets
	# name and out)
	expect_replay "$family/$1" "$2"
}

# The shared PMD units read: Q joins PK units as their second owner and R the last as its
# third, PK + 1 share-count updates; owner entries 2 per unit and one more in the last.
test_share_pmd_model() {
	pmd_shared_reads pmdm
	out=$(share_json sh -c "$reads" | tail -n 1)
	check_pmd_share share-pmd-model "$out" $PK 0 $((PK * PP)) $(((2 * PK + 1) * PP)) $((PK + 1)) 0
}

# Then two writes of one byte by Q, each in a unit Q shares with P, under top. Measured on 6.1,
# 6.12 and 7.2 alike:
# - in unit 0, through a 2 MiB-aligned mapping of 2 MiB with MADV_HUGEPAGE: a PMD fault, and
#   the kernel copies the whole 2 MiB (XFS gave the COW a new 2 MiB-aligned 2 MiB extent, as
#   xfs_io bmap shows): Q leaves unit 0 and joins a new PMD unit alone. One byte written costs
#   512 pages of copy;
# - in unit 1, through a 4 KiB mapping of its page 1 (MADV_NOHUGEPAGE): a PTE fault, the kernel
#   copies 4 KiB, and Q's whole PMD entry is disassociated: Q's new page is a 4 KiB unit, and Q
#   owns none of the other 511 pages until it faults on them again.
# Each leaves its unit to P: two breaks, two units unshared. Updates: the reads' PK + 1 and Q's
# two leavings, with 2 owners (joining its copies alone is none). Nothing is read after the
# writes: a 4 KiB entry on the first pfn of a PMD unit would land in that unit's census
# record, which is keyed by pfn.
test_share_pmd_cow() {
	pmd_shared_reads pmdc
	top_out=$(mktemp)
	out=$(share_json sh -c "$reads && '$DAXTRACE' top --json --attach=$family -- sh -c \
		\"'$WORKLOAD' mwrite '$q' 1 --stride 2m --huge &&
		'$WORKLOAD' mwrite '$q' 1 --offset $((PP * 4096 + 4096))\" > '$top_out'" | tail -n 1)
	check "$family/share-pmd-cow-faults" "$(grep '^{"time"' "$top_out")" \
		'.total | {pmd, pte, fallback, cow, cow_bytes}' \
		"{\"pmd\":1,\"pte\":1,\"fallback\":0,\"cow\":2,\"cow_bytes\":$((PP * 4096 + 4096))}"
	rm -f "$top_out"
	check_pmd_share share-pmd-cow "$out" $((PK + 1)) 4 $(((PK + 1) * PP + 1)) \
		$((2 * PK * PP + 1)) $((PK + 3)) 2
}

# --snapshot: two processes keep A and its clone B mapped; the census starts from their pages,
# so that the breaks of a later writer are seen. Without it, the old pfns are unknown.
test_share_snapshot() {
	a=$DAX_MNT/share-snap-a-$family b=$DAX_MNT/share-snap-b-$family
	"$WORKLOAD" create "$a" 4m > /dev/null
	"$WORKLOAD" mwrite "$a" $N > /dev/null
	"$WORKLOAD" clone "$a" "$b" > /dev/null
	held=$(mktemp)
	"$WORKLOAD" mread "$a" $N --hold 600 > /dev/null 2>> "$held" &
	pa=$!
	"$WORKLOAD" mread "$b" $N --hold 600 > /dev/null 2>> "$held" &
	pb=$!
	for _ in $(seq 300); do
		[ "$(grep -c holding "$held")" = 2 ] && break
		sleep 0.1
	done
	breaks=$((N / K))
	out=$("$DAXTRACE" share --json --model --snapshot --attach="$family" --record "$STREAM" -- \
		"$WORKLOAD" mwrite "$b" $breaks --stride $((K * 4096)) | tail -n 1)
	h1=$((2 * breaks)) h2=$((N - breaks)) h3=0
	check "$family/share-snapshot" "$out" '{since, pfns, owners, shared_pfns_peak, breaks}' \
		"{\"since\":\"snapshot\",\"pfns\":$((N + breaks)),\"owners\":$(histogram),\"shared_pfns_peak\":$N,\"breaks\":$breaks}"
	expect_anomalies "$family/share-snapshot" "$out" $breaks
	expect_replay "$family/share-snapshot" "$out"
	out=$("$DAXTRACE" share --json --attach="$family" -- \
		"$WORKLOAD" mwrite "$b" $breaks --stride $((K * 4096)) --offset 4096 | tail -n 1)
	check "$family/share-no-snapshot" "$out" '{since, pfns, breaks}' \
		"{\"since\":\"attach\",\"pfns\":$breaks,\"breaks\":0}"
	kill $pa $pb
	wait $pa $pb 2> /dev/null
	rm -f "$held"
}

# The operations' counts of a share run, {"op": count, ...}, measured ones only.
cost_counts='.costs | with_entries(select(.value.measured)) | map_values(.count)'
# Every op timed at least once took time: durations > 0, total >= count (1 ns at least each).
cost_sane='[.costs[] | select(.measured and .count > 0) | .max_ns > 0 and .p50_ns > 0 and .total_ns >= .count] | all'

# The priced model (docs/designs.md "Priced"), computed here from the same report's costs and
# model, independently of share_price.c: share_update the average of the shared
# disassociations, else of the private ones, else of the shared inserts; alloc as
# share_update; lookup the average of the ->mapping readers; rmap_walk the walks less their
# kill_procs calls (none in these tests: pfn_entries is priced only without reverse lookups);
# a count of 0 costs 0 whatever its unit, a count or unit unknown (null) leaves it unpriced.
price_got='[.price | .kernel, .proxy, .pfn_entries, .write_protect | .total_ns]'
# shellcheck disable=SC2016 # a jq program: its $ are jq's
price_want='def avg(ops): ([ops[] | .count // 0] | add) as $n |
		if $n == 0 then null else ([ops[] | .total_ns // 0] | add) / $n | floor end;
	def plus($a; $b): if $a == null or $b == null then null else $a + $b end;
	def times($n; $u): if $n == 0 then 0 elif $n == null or $u == null then null else $n * $u end;
	def sum(terms): if any(terms[]; . == null) then null else terms | add end;
	.costs as $c | .model as $m |
	(avg([$c.disassoc_shared_fault, $c.disassoc_shared_elsewhere]) //
	 avg([$c.disassoc_private]) // avg([$c.assoc_shared])) as $update |
	avg([$c.dax_lock, $c.dax_lock_shared, $c.folio_mapping, $c.folio_mapping_shared]) as $lookup |
	(if ($c.rmap_walk.count // 0) == 0 then null else
	 ($c.rmap_walk.total_ns - ($c.mf_dax_kill_procs.total_ns // 0)) / $c.rmap_walk.count | floor
	 end) as $walk |
	[times($m.kernel.share_count_updates; $update),
	 sum([times($m.proxy.allocations + $m.proxy.frees; $update), times($m.proxy.lookups; $lookup)]),
	 times(plus($m.pfn_entries.owner_lookups; $m.pfn_entries.shared_unmaps); $walk),
	 sum([times($m.write_protect.break_callbacks; $update),
	      times($m.write_protect.allocations + $m.write_protect.frees; $update),
	      times($m.write_protect.uses_on_shared; $lookup)])]'

# costs_want AP AS RI DF DE DP KP RW DL DLS FM FMS: the JSON of cost_counts, in the op order.
costs_want() {
	printf '{"assoc_private":%d,"assoc_shared":%d,"reinsert":%d,"disassoc_shared_fault":%d,"disassoc_shared_elsewhere":%d,"disassoc_private":%d,"mf_dax_kill_procs":%d,"rmap_walk":%d,"dax_lock":%d,"dax_lock_shared":%d,"folio_mapping":%d,"folio_mapping_shared":%d}' "$@"
}

# Measured costs (docs/designs.md "Measured costs"): the clone workload of test_share_clone,
# the breaks of test_share_breaks, then B truncated. Each timed operation is one the census
# saw, so its count is exact; what each kernel does per fault is fs/dax.c dax_insert_entry's:
# - A's N writes: N joins of 1 owner (assoc_private).
# - FICLONE: 7.2 drops A's N entries (dax_break_layout): N disassoc_private outside a fault.
#   6.1 and 6.12 keep them.
# - A read: 6.12 reinserts each entry of a shared extent (disassociate + associate, 1 owner:
#   N reinsert, N disassoc_private); 7.2 has no entry left, so N assoc_private; 6.1 nothing.
# - B read: N joins of a second owner (assoc_shared), every kernel (the disassociation of B's
#   empty entry has no pfn: not timed).
# - A read again: 6.12 and 7.2 reinsert each (2 owners: N reinsert, N disassoc_shared_fault).
# - B's every K-th page written (b = N/K): a COW fault each, leaving a unit of 2 owners (b
#   disassoc_shared_fault) for a new pfn of its own (b assoc_private).
# - B truncated: its N - b units still shared (disassoc_shared_elsewhere) and b of its own
#   (disassoc_private), outside any fault.
# ->mapping readers: 7.2 zaps each dirty DAX folio at exit through folio_mark_dirty ->
# folio_mapping (mapuse-suite.sh test_exit_zap): A's N writes and B's b. 6.1 and 6.12 none.
test_share_costs() {
	a=$DAX_MNT/share-cost-a-$family b=$DAX_MNT/share-cost-b-$family
	"$WORKLOAD" create "$a" 4m > /dev/null
	out=$(share_json sh -c "'$WORKLOAD' mwrite '$a' $N && '$WORKLOAD' clone '$a' '$b' &&
		'$WORKLOAD' mread '$a' $N && '$WORKLOAD' mread '$b' $N &&
		'$WORKLOAD' mread '$a' $N &&
		'$WORKLOAD' mwrite '$b' $((N / K)) --stride $((K * 4096)) && truncate -s 0 '$b'" |
		tail -n 1)
	brk=$((N / K))
	if v61_kernel; then
		want=$(costs_want $((N + brk)) $N 0 $brk $((N - brk)) $brk 0 0 0 0 0 0)
	elif kernel_at_least 7 0; then
		want=$(costs_want $((2 * N + brk)) $N $N $((N + brk)) $((N - brk)) $((N + brk)) 0 0 0 0 $((N + brk)) 0)
	else
		want=$(costs_want $((N + brk)) $N $((2 * N)) $((N + brk)) $((N - brk)) $((N + brk)) 0 0 0 0 0 0)
	fi
	check "$family/share-costs" "$out" "$cost_counts" "$want"
	check "$family/share-costs-durations" "$out" "$cost_sane" true
	# the census's own counts, split by cost: every association and disassociation timed once
	check "$family/share-costs-census" "$out" \
		'[.costs | (.assoc_private.count + .assoc_shared.count + .reinsert.count), (.disassoc_shared_fault.count + .disassoc_shared_elsewhere.count + .disassoc_private.count)]' \
		"$(echo "$out" | jq -c '[.associations, .disassociations]')"
	check "$family/share-costs-price" "$out" "$price_got" "$(echo "$out" | jq -c "$price_want")"
	# priced at all: share_update measured (b breaks in faults), pfn_entries not (no rmap walk)
	check "$family/share-costs-price-units" "$out" \
		'[.price.units.share_update.source, .price.kernel.total_ns > 0, .price.pfn_entries.total_ns]' \
		'["measured",true,null]'
	expect_replay "$family/share-costs" "$out"
}

# Memory failure (once, before the other tests: after the PMD tests, 7.2 has held /dev/pmem0
# busy for mkfs; the file system is re-made, then guest.sh's given back). With
# rmapbt, XFS's xfs_dax_notify_failure walks the rmap and calls mf_dax_kill_procs once per
# owner: a page of one file, then a page two reflinked files share: 2 walks, 3 owners.
# Without rmapbt it returns -EOPNOTSUPP (not a walk: not timed) and memory failure locks the
# page through ->mapping: dax_lock_page (6.1) or dax_lock_folio, once, on a page never shared
# (a page that was shared oopses 6.12: docs/findings.md).
test_share_costs_poison() {
	h=$DAX_MNT/share-cost-h f=$DAX_MNT/share-cost-f g=$DAX_MNT/share-cost-g
	if remake_retry xfs -m rmapbt=1; then
		"$WORKLOAD" create "$h" 4m > /dev/null
		"$WORKLOAD" create "$f" 4m > /dev/null
		"$WORKLOAD" clone "$f" "$g" > /dev/null
		out=$("$DAXTRACE" share --json -- sh -c "'$WORKLOAD' poison '$h';
			'$WORKLOAD' poison-shared '$f' '$g'" 2> /dev/null | tail -n 1)
		check auto/share-costs-rmapbt "$out" \
			"$cost_counts | {mf_dax_kill_procs, rmap_walk, dax_lock, dax_lock_shared}" \
			'{"mf_dax_kill_procs":3,"rmap_walk":2,"dax_lock":0,"dax_lock_shared":0}'
		check auto/share-costs-rmapbt-durations "$out" "$cost_sane" true
	else
		fail auto/share-costs-rmapbt "cannot make XFS with rmapbt on $DAX_DEV"
	fi
	if remake_retry xfs -m rmapbt=0; then
		"$WORKLOAD" create "$h" 4m > /dev/null
		out=$("$DAXTRACE" share --json -- "$WORKLOAD" poison "$h" 2> /dev/null | tail -n 1)
		check auto/share-costs-page-owner "$out" \
			"$cost_counts | {mf_dax_kill_procs, rmap_walk, dax_lock, dax_lock_shared}" \
			'{"mf_dax_kill_procs":0,"rmap_walk":0,"dax_lock":1,"dax_lock_shared":0}'
		check auto/share-costs-page-owner-durations "$out" "$cost_sane" true
	else
		fail auto/share-costs-page-owner "cannot make XFS without rmapbt on $DAX_DEV"
	fi
	remake_retry xfs || fail auto/share-costs-mkfs "cannot make guest.sh's XFS again"
}

# A forced family that cannot reach a required point is an error with the reason, not zeros.
share_unavailable() {
	out=$("$DAXTRACE" share --json --attach="$family" -- true 2>&1)
	status=$?
	if [ $status -eq 1 ] && echo "$out" | grep -q "share.disassoc"; then
		pass "$family/share-unavailable"
	else
		fail "$family/share-unavailable" "exit $status: $out"
	fi
}

echo "guest kernel $kernel"
# --pmd-cow (pmdcow-suite.sh): only the 4 KiB writes into shared PMD entries. On 7.x they
# leave /dev/pmem0 busy until reboot (the page references of docs/findings.md 5): no suite
# after them can remake the file system, so suites.sh runs them last there.
if [ "${1:-}" = --pmd-cow ]; then
	shift
	case " $* " in *" auto "*)
		family=auto
		test_share_pmd_cow
		test_share_pmd_cow_reread
		;;
	esac
	exit 0
fi
case " $* " in *" auto "*) test_share_costs_poison ;; esac
for family in "$@"; do
	case $family in
	auto | kprobe) ;;
	fentry)
		# 7.x has dax_disassociate_entry only as an .isra clone without BTF: kprobes only.
		if ! grep -qE ' dax_disassociate_entry$' /proc/kallsyms; then
			share_unavailable
			continue
		fi
		;;
	*) continue ;; # no tracepoint reaches the census points
	esac
	test_share_clone
	test_share_breaks
	test_share_clonerange
	test_share_pmd
	[ "$family" = auto ] && test_share_pmd_model
	test_share_snapshot
	test_share_model_terms
	test_share_costs
	[ "$family" = auto ] && test_share_evictions
	[ "$family" = auto ] && test_share_many_owners
done
exit 0
