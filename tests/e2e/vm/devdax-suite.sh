#!/bin/sh
# Runs INSIDE an emulated-NVDIMM guest (tools/vm/run.sh): device DAX faults (/dev/dax0.0), exact,
# in top (total, process and device rows), lat and snoop. namespace0.0 becomes devdax with align
# 4K, then 2M; at the end the fsdax namespace and guest.sh's XFS come back (remake_dax_fs).
#
# The expected counts, from drivers/dax/device.c and mm/memory.c (5.10 to 7.2 alike; measured on
# 6.1, 6.12 and 7.2). dt-workload maps the device MAP_SHARED with MADV_HUGEPAGE at a 1 GiB
# aligned address (--align 1g) inside address space it reserved, so the first fault finds the
# PUD entry empty and __handle_mm_fault tries ->huge_fault at PUD size once; every later fault
# of the mapping finds the PMD table made. Per 2 MiB range the first fault finds the PMD entry
# empty and tries PMD size. dev_dax_huge_fault then compares the fault size with the device's
# align (__dev_dax_p{te,md,ud}_fault): larger falls back (VM_FAULT_FALLBACK), equal maps
# (VM_FAULT_NOPAGE), smaller is VM_FAULT_SIGBUS. Writing every 4 KiB page of M MiB:
# - align 4K: 1 PUD fallback, M*256 PTE faults (NOPAGE) and between M/2 and M/2 * T PMD
#   fallbacks: one per 2 MiB range, and a second where that range's first fault ran under the
#   per-VMA lock (v6.7 "mm: Handle shared faults under the VMA lock"): do_shared_fault returns
#   VM_FAULT_RETRY before ->fault for a VMA without ->map_pages (device DAX has none), and the
#   retry under mmap_lock finds the PMD entry still empty and tries PMD size again (the PUD
#   entry is set by then: one PUD attempt). Whether a fault gets the per-VMA lock is the
#   kernel's opportunistic choice (lock_vma_under_rcu may fail and go to mmap_lock at once):
#   measured 8 of 8 on 6.12 and 4 or 8 on 7.2 in different boots, 4 on 6.1 (no per-VMA lock,
#   T = 1). So the PMD count is asserted per range (snoop: every range 1 to T attempts) and the
#   rest exactly, relative to it;
# - align 2M: 1 PUD fallback, M/2 PMD faults (NOPAGE), no PTE fault.
# A mapping whose length is not a multiple of align is refused by mmap (check_vma: EINVAL, no
# fault); a fault past the device's end fails dax_pgoff_to_phys (VM_FAULT_SIGBUS).
set -u
. "$(dirname "$0")/lib.sh"
M=8 # MiB written
PAGES=$((M * 256))
release=$(uname -r)
major=${release%%.*} minor=${release#*.}
minor=${minor%%[!0-9]*}
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 7 ]; }; then
	T=2
else
	T=1
fi
PMIN=$((M / 2)) PMAX=$((M * T / 2)) # PMD attempts at align 4K
DEV=/dev/dax0.0

fields='{faults, pte, pmd, pud, read, write, nopage, fallback, sigbus}'
one_row="if length == 1 then .[0] | $fields else \"\\(length) rows\" end"

# counts FAULTS PTE PMD PUD READ WRITE NOPAGE FALLBACK SIGBUS: the JSON object of $fields.
counts() {
	printf '{"faults":%s,"pte":%s,"pmd":%s,"pud":%s,"read":%s,"write":%s,"nopage":%s,"fallback":%s,"sigbus":%s}' "$@"
}

# check_rows NAME JSON EXPECTED [FIELDS]: one workload process on the one device: the same counts
# in total, in its process row and in the device row; no file row (the faults are on no file).
check_rows() {
	f=${4:-$fields}
	check "$1" "$2" ".total | $f" "$3"
	check "$1-process" "$2" "[.processes[] | select(.comm == \"dt-workload\")] | $one_row" \
		"$(echo "$2" | jq -c ".total | $fields")"
	check "$1-device" "$2" "[.devices[] | select(.device == \"dax0.0\")] | $one_row" \
		"$(echo "$2" | jq -c ".total | $fields")"
	check "$1-no-file" "$2" ".files | length" 0
}

# The counts of align 4K with the PMD attempts (PMIN to PMAX) taken out of faults, write and
# fallback, which each hold one per attempt.
fields4k="{faults: (.faults - .pmd), pte, pmd: (.pmd >= $PMIN and .pmd <= $PMAX), pud, read, write: (.write - .pmd), nopage, fallback: (.fallback - .pmd), sigbus}"

# devdax ALIGN: namespace0.0 as device DAX of that alignment, /dev/dax0.0 bound to device_dax.
devdax() {
	ndctl create-namespace -f -e namespace0.0 -m devdax -a "$1" > /dev/null &&
		[ "$(cat /sys/bus/dax/devices/dax0.0/align)" = "$2" ]
}

test_align_4k() {
	out=$(top_json -- "$WORKLOAD" --huge --align 1g mwrite $DEV $PAGES)
	check_rows "$family/devdax-4k" "$out" \
		"$(counts $((PAGES + 1)) $PAGES true 1 0 $((PAGES + 1)) $PAGES 1 0)" "$fields4k"
	check "$family/devdax-4k-latency" "$out" '.devices[0].lat_ns.max > 0' true
	# why no PMD fault came first: in each of the M/2 ranges the first PTE fault is the retry
	# of a PMD attempt that fell back (align 4K); every later one finds the page table it made
	check "$family/devdax-4k-pte-reasons" "$out" \
		'[.total, .devices[0]] | map(.pte_reasons | with_entries(select(.value > 0)))' \
		"[{\"page_table\":$((PAGES - M / 2))},{\"page_table\":$((PAGES - M / 2))}]"
}

# lat -F: a device DAX fault's histograms are keyed by the device (ino 0), one per size.
test_lat_4k() {
	out=$("$DAXTRACE" lat --json -F --attach="$family" -- \
		"$WORKLOAD" --huge --align 1g mwrite $DEV $PAGES | grep '^{"histograms"')
	check "$family/devdax-lat" "$out" \
		"[.histograms[] | select(.device == \"dax0.0\") | {(.kind): .count}] | add | .\"pmd-write\" |= (. >= $PMIN and . <= $PMAX)" \
		"{\"pte-write\":$PAGES,\"pmd-write\":true,\"pud-write\":1,\"nopmd-page_table\":$((PAGES - M / 2))}"
}

# snoop: one record per invocation, with the device's name, size and result; the PMD attempts
# all write fallbacks, 1 to T in each of the M/2 ranges.
test_snoop_4k() {
	out=$("$DAXTRACE" snoop --json --attach="$family" -- \
		"$WORKLOAD" --huge --align 1g mwrite $DEV $PAGES | grep '"event"')
	check_all "$family/devdax-snoop" "$out" \
		'[.[] | select(.device == "dax0.0" and .size != "pmd") | "\(.size)-\(.rw)-\(.result)"] | group_by(.) | map({(.[0]): length}) | add' \
		"{\"pte-w-nopage\":$PAGES,\"pud-w-fallback\":1}"
	check_all "$family/devdax-snoop-pmd" "$out" \
		"[.[] | select(.device == \"dax0.0\" and .size == \"pmd\")] | [(map(\"\\(.rw)-\\(.result)\") | unique), (group_by(.address / 2097152 | floor) | [length, (map(length) | (min >= 1 and max <= $T))])]" \
		"[[\"w-fallback\"],[$PMIN,true]]"
}

test_align_2m() {
	out=$(top_json -- "$WORKLOAD" --huge --align 1g mwrite $DEV $PAGES)
	check_rows "$family/devdax-2m" "$out" \
		"$(counts $((M / 2 + 1)) 0 $((M / 2)) 1 0 $((M / 2 + 1)) $((M / 2)) 1 0)"
}

# A 4 KiB mapping of a 2M device: mmap's EINVAL, no fault. Then a read of the first 2 MiB past
# the device's end, in a mapping of its last 2 MiB and that one: 1 PUD fallback, 1 PMD SIGBUS.
test_refused_2m() {
	err=/tmp/devdax-refused.err
	out=$(top_json -- sh -c "'$WORKLOAD' --huge mwrite $DEV 1 2> $err
		'$WORKLOAD' --huge --align 1g past-eof $DEV")
	verdict "$family/devdax-2m-mmap-einval" "$(grep -c 'mmap /dev/dax0.0 .*Invalid argument' $err)" \
		"lines of dt-workload's stderr saying mmap failed with EINVAL" 1
	check_rows "$family/devdax-2m-sigbus" "$out" "$(counts 2 0 1 1 2 0 0 1 1)"
}

# align 1G (run.sh --pmem-size 3G: a 2 GiB device): a write every 2 MiB over the whole device
# is G PUD faults (NOPAGE), one per GiB, and nothing else; a read past its end 1 PUD SIGBUS.
test_align_1g() {
	g=$(($(cat /sys/bus/dax/devices/dax0.0/size) >> 30))
	out=$(top_json -- "$WORKLOAD" --huge --align 1g --stride 2m mwrite $DEV $((g * 512)))
	check_rows "$family/devdax-1g" "$out" "$(counts "$g" 0 0 "$g" 0 "$g" "$g" 0 0)"
	[ "$family" = auto ] || return
	out=$(top_json -- "$WORKLOAD" --huge --align 1g past-eof $DEV)
	check_rows "$family/devdax-1g-sigbus" "$out" "$(counts 1 0 0 1 1 0 0 0 1)"
}

# record keeps the device rows in its top view, named by device, and report shows them again.
test_record_2m() {
	rec=/tmp/devdax-record.json
	if ! "$DAXTRACE" record -o $rec --attach="$family" -- \
		"$WORKLOAD" --huge --align 1g mwrite $DEV $PAGES > /dev/null 2> /tmp/devdax-record.err; then
		fail "$family/devdax-record" "exit $?: $(tail -n 3 /tmp/devdax-record.err)"
		return
	fi
	want=$(counts $((M / 2 + 1)) 0 $((M / 2)) 1 0 $((M / 2 + 1)) $((M / 2)) 1 0)
	check "$family/devdax-record" "$(cat $rec)" ".runs[0].views.top.devices[\"dax0.0\"] | $fields" "$want"
	verdict "$family/devdax-report" "$("$DAXTRACE" report $rec | awk '$1 == "dax0.0" { print $2, $3, $4, $5 }')" \
		"report's DEVICE row: faults pte pmd pud" "$((M / 2 + 1)) 0 $((M / 2)) 1"
}

umount "$DAX_MNT" 2> /dev/null
if ! modprobe -a dax_pmem device_dax; then
	skip devdax "modules dax_pmem/device_dax do not load"
	exit 0
fi
if devdax 4K 4096; then
	for family in "$@"; do
		case $family in
		auto)
			test_align_4k
			test_lat_4k
			test_snoop_4k
			;;
		fentry | kprobe) test_align_4k ;;
		*) skip "$family/devdax" "device DAX has no tracepoint: $family falls back to auto's fentry or kprobe, tested there" ;;
		esac
	done
else
	fail devdax-4k "ndctl create-namespace -m devdax -a 4K failed"
fi
if devdax 2M 2097152; then
	for family in "$@"; do
		case $family in
		auto)
			test_align_2m
			test_refused_2m
			test_record_2m
			;;
		fentry | kprobe) test_align_2m ;;
		esac
	done
else
	fail devdax-2m "ndctl create-namespace -m devdax -a 2M failed"
fi
# 1 GiB pages: the default 1 GiB emulated NVDIMM leaves less than 1 GiB after its metadata
# (1006 MiB), and ndctl refuses; run.sh --pmem-size 3G gives a 2 GiB device.
if devdax 1G 1073741824 2> /dev/null; then
	for family in "$@"; do
		case $family in
		auto | fentry | kprobe) test_align_1g ;;
		esac
	done
else
	skip devdax-1g "align 1G needs a 1 GiB-aligned namespace of 1 GiB or more: this guest's NVDIMM of $(($(cat /sys/bus/nd/devices/region0/size) >> 20)) MiB cannot hold one with its labels and struct pages (tools/vm/run.sh --pmem-size 3G can)"
fi

ndctl create-namespace -f -e namespace0.0 -m fsdax --map=mem > /dev/null ||
	fail devdax-restore "ndctl create-namespace -m fsdax failed"
remake_dax_fs xfs || fail devdax-restore "remake_dax_fs xfs failed"
exit 0
