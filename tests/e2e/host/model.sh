#!/bin/sh
# Host end-to-end tests of `daxtrace model FILE` (docs/daxtrace-model.8): files that are not a
# whole share stream refused with one line and exit 2, and a valid stream's model exactly.
#
# The stream is the seed tests/fuzz/corpus/share_stream/clone.dts (written by
# tests/fuzz/share_stream_seeds.py, which says what it holds): file A (259:0, ino 131) writes
# N = 4 pages (one owner each), FICLONE to B (ino 132), B reads them (4 units of 2 owners: the
# peak), B writes page 0 (B leaves pfn 0x84000 for a new one, a break 1,496,000 ns after the
# unit became shared), one check where the kernel counts 1 owner of 2 (6.1's layout), one
# mf_dax_kill_procs lookup with rmap measured, one dax_lock_folio of a shared page. So: units
# 4 + 1 = 5, owners {1: 2, 2: 3}, shared 3 (12288 bytes), peak 4; associations 4 + 4 + 1 = 9,
# disassociations 1, became shared 4, unshared 1, shared updates 4 + 1 = 5, all in faults, of
# them B's 4 joins (proxy allocations) and its 1 leave (a free); proxy objects 3 x 64 bytes,
# pfn entries 2 + 6 = 8; reverse lookups 1 (memory failure) + 1 (->mapping reader); 1 site to
# convert, dax_lock_folio.
# The seed priced.dts is the same run, format 1.1, every operation measured, with one timed
# call each of: a shared insert (10000 ns), a shared disassociation in a fault (3000) and
# elsewhere (5000), dax_lock_folio of a shared page (7000), mf_dax_kill_procs (20000), an rmap
# walk (90000, its kill_procs call inside). Unit costs: share_update (3000 + 5000) / 2 = 4000,
# alloc as share_update, lookup 7000, rmap_walk 90000 - 20000 = 70000 (the walk without the
# killing); the shared insert prices nothing.
# The damaged streams are made from it with head -c and dd.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
check_file() { # check_file NAME WANT GOT
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "$(diff "$2" "$3" | tr '\n' '|')"
	fi
}

seed=$here/../../fuzz/corpus/share_stream/clone.dts
pmd_seed=$here/../../fuzz/corpus/share_stream/pmd.dts
priced_seed=$here/../../fuzz/corpus/share_stream/priced.dts
work=$(mktemp -d /tmp/daxtrace-model.XXXXXX)
trap 'rm -rf "$work"' EXIT

# refused NAME FILE MESSAGE [OPTIONS]: exit 2, the one line on stderr, nothing on stdout.
refused() {
	name=$1 file=$2 message=$3
	shift 3
	"$DAXTRACE" model "$@" "$file" > "$work/out" 2> "$work/err"
	check "model/$name" $? 2 status
	check "model/$name" "$(cat "$work/err")" "daxtrace model: $file: $message" message
	check "model/$name" "$(wc -c < "$work/out")" 0 stdout
}

refused missing "$work/missing.dts" "No such file or directory"
refused directory "$work" "a directory, not a share stream file"
refused stdin - "a share stream must be a file (stdin cannot be mapped)"
printf 'not a stream at all\n' > "$work/text"
refused not-a-stream "$work/text" "not a daxtrace share stream"
head -c 100 "$seed" > "$work/short.dts"
refused truncated-short "$work/short.dts" "truncated: 100 bytes, less than a header and a trailer"
# cut inside the records (112-byte header, 48-byte records) and inside the trailer
head -c 1000 "$seed" > "$work/cut.dts"
refused truncated-records "$work/cut.dts" "truncated: no trailer (the recording did not finish)"
head -c $(($(wc -c < "$seed") - 4)) "$seed" > "$work/cut-trailer.dts"
refused truncated-trailer "$work/cut-trailer.dts" \
	"truncated: no trailer (the recording did not finish)"
# one byte of record 0's pfn (offset 112 + 8) changed
cp "$seed" "$work/corrupt.dts"
printf '\377' | dd of="$work/corrupt.dts" bs=1 seek=120 conv=notrunc 2> /dev/null
refused corrupt "$work/corrupt.dts" "corrupt: checksum mismatch"
# major version 2 (offset 8, little-endian)
cp "$seed" "$work/v2.dts"
printf '\002' | dd of="$work/v2.dts" bs=1 seek=8 conv=notrunc 2> /dev/null
refused major-2 "$work/v2.dts" "format 2.0, this daxtrace reads 1.x"
# under --json the refusal is also an {"error": ...} object on stdout
"$DAXTRACE" model --json "$work/cut.dts" > "$work/out" 2> /dev/null
check model/json-refused "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["error"])' \
	< "$work/out" 2>&1)" "$work/cut.dts: truncated: no trailer (the recording did not finish)"
"$DAXTRACE" model -r 0 "$seed" > /dev/null 2>&1
check model/bad-rows $? 2 status
"$DAXTRACE" model "$seed" "$seed" > /dev/null 2>&1
check model/two-files $? 2 status

# The text: the stream line, then share --model's report, whole: its time is the recording's
# (the header's start_unix_s, 1764921600, plus the last record's 1.509 ms), not the replay's.
"$DAXTRACE" model "$seed" > "$work/text.got" 2> "$work/text.err"
check model/text $? 0 status
check model/text "$(cat "$work/text.err")" "" stderr
cat > "$work/text.want" << EOF
stream $seed  format 1.0  records 24  names 2  lost records 0  mismatches 0
2025-12-05T08:00:00Z  0.0 s  kernel 6.12.0-test  since attach  (a PMD entry counts as one pfn)
pfns 5   shared 3 (12288 bytes, peak 4)   owners: 1:2 2:3
associations 9  disassociations 1  became shared 4  unshared 1  breaks 1  index differs 0
anomalies 1  lost 0  evicted 0
  anomaly pfn 0x84001: 2 owners, kernel 1: kernel: v6.0-v6.1 marks a page shared only on a COW write; a read fault's dax_associate_entry() replaced ->mapping instead
 SHARED PFNS          BYTES  FILES SHARING PMEM
           3          12288  /mnt/dax/a <-> /mnt/dax/b
MODEL (docs/designs.md)
  kernel         shared pfns 3 (peak 4), share-count updates 5 (5 in faults, 0 elsewhere)
  proxy          objects 3 (peak 4), index overrides 0, 192 bytes at 64 per object
                 allocations 4, frees 1, lookups 1
  pfn_entries    page-cache entries 8, reverse lookups: memory failure 1, ->mapping readers 1, shared unmaps 0
  write_protect  objects 3 (peak 4), break callbacks 1, sites to convert 1 (1 uses on shared pages)

EOF
check_file model/text/exact "$work/text.want" "$work/text.got"

# The JSON, with another proxy size: every number, and the recording's time.
"$DAXTRACE" model --json --proxy-bytes 100 "$seed" > "$work/json.out" 2> /dev/null
check model/json $? 0 status
python3 - "$work/json.out" > "$work/json.checks" << 'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
want = {
    "time": "2025-12-05T08:00:00Z", "elapsed_s": 0.001509, "kernel": "6.12.0-test", "attach": {}, "since": "attach",
    "pfns": 5, "owners": {"1": 2, "2": 3}, "shared_pfns": 3, "shared_pfns_peak": 4,
    "shared_bytes": 12288, "associations": 9, "disassociations": 1, "became_shared": 4,
    "became_unshared": 1, "breaks": 1,
    "break_age_ns": {"avg": 1496000, "p50": 1496000, "max": 1496000},
    "index_differs": 0, "unlisted_owners": 0, "anomalies": 1, "lost": 0, "evicted": 0,
    "files": [{"dev": "259:0", "ino": 131, "path": "/mnt/dax/a", "pfns": 4, "shared_pfns": 3},
              {"dev": "259:0", "ino": 132, "path": "/mnt/dax/b", "pfns": 4, "shared_pfns": 3}],
    "model": {"kernel": {"shared_pfns": 3, "shared_pfns_peak": 4, "share_count_updates": 5,
                         "share_count_updates_in_faults": 5,
                         "share_count_updates_elsewhere": 0, "share_count_update_pages": 5},
              "proxy": {"objects": 3, "objects_peak": 4, "index_overrides": 0,
                        "bytes_per_object": 100, "bytes": 300, "objects_per_page": 3,
                        "bytes_per_page_proxies": 300, "allocations": 4, "frees": 1,
                        "lookups": 1},
              "pfn_entries": {"entries": 8, "entries_per_page": 8, "rmap_lookups": 1,
                              "owner_lookups": 1, "shared_unmaps": 0, "reverse_lookups": 2},
              "write_protect": {"objects": 3, "objects_peak": 4, "break_callbacks": 1,
                                "allocations": 4, "frees": 1, "objects_per_page": 3, "sites_to_convert": 1,
                                "uses_on_shared": 1, "sites": ["dax_lock_folio"]}},
    "stream": {"format": "1.0", "records": 24, "names": 2, "lost_records": 0,
               "mismatches": 0, "first_mismatch": None, "skipped_records": 0},
}
for key, value in want.items():
    print(key, json.dumps(doc.get(key), sort_keys=True, separators=(",", ":")),
          json.dumps(value, sort_keys=True, separators=(",", ":")))
pair = doc["pairs"][0]
print("pair", f'{pair["a"]["path"]},{pair["b"]["path"]},{pair["shared_bytes"]}',
      "/mnt/dax/a,/mnt/dax/b,12288")
sample = doc["anomaly_samples"][0]
print("sample", f'{sample["pfn"]},{sample["file"]["ino"]},{sample["kernel_count"]}',
      "0x84001,132,1")
EOF
# one line per key of want, the pair and the sample: a JSON python cannot read checks nothing
check model/json "$(wc -l < "$work/json.checks")" 26 checks
while read -r name got want; do
	check "model/json/$name" "$got" "$want"
done < "$work/json.checks"

# The priced model: the model's counts x the unit costs, each with its source. From the clone
# counts above: kernel 5 updates x 4000; proxy 5 allocations and frees x 4000 + 1 lookup x
# 7000; pfn_entries (1 ->mapping reader + 0 shared unmaps) x 70000; write_protect 1 break x
# 4000 + 5 records made and freed (4 became shared, 1 unshared) x 4000 + 1 use x 7000.
price_of() { # price_of [OPTIONS]: the "price" object of the JSON, one line per number
	"$DAXTRACE" model --json "$@" "$priced_seed" 2> /dev/null | python3 -c '
import json, sys
price = json.load(sys.stdin)["price"]
for name, unit in price["units"].items():
    print(f"unit/{name}", unit["ns"], unit["source"], unit["from"], unit["samples"])
for design in ("kernel", "proxy", "pfn_entries", "write_protect"):
    terms = price[design]["terms"]
    print(design, price[design]["total_ns"],
          " ".join("%s=%sx%s=%s" % (t, v["count"], v["unit"], v["ns"])
                   for t, v in terms.items()))'
}
price_of > "$work/price.got"
cat > "$work/price.want" << EOF
unit/share_update 4000 measured disassoc_shared_fault+disassoc_shared_elsewhere 2
unit/alloc 4000 assumed share_update 2
unit/lookup 7000 assumed dax_lock+dax_lock_shared+folio_mapping+folio_mapping_shared 1
unit/rmap_walk 70000 measured rmap_walk-mf_dax_kill_procs 1
kernel 20000 share_count_updates=5xshare_update=20000
proxy 27000 allocations_and_frees=5xalloc=20000 lookups=1xlookup=7000
pfn_entries 70000 owner_lookups_and_shared_unmaps=1xrmap_walk=70000
write_protect 31000 break_callbacks=1xshare_update=4000 records_made_and_freed=5xalloc=20000 uses_on_shared=1xlookup=7000
EOF
check_file model/price/json "$work/price.want" "$work/price.got"
# every flag given: each replaces its unit, and share_update (measured, no flag) stays
price_of --alloc-ns 100 --lookup-ns 10 --rmap-walk-ns 1000 > "$work/price-given.got"
cat > "$work/price-given.want" << EOF
unit/share_update 4000 measured disassoc_shared_fault+disassoc_shared_elsewhere 2
unit/alloc 100 given --alloc-ns None
unit/lookup 10 given --lookup-ns None
unit/rmap_walk 1000 given --rmap-walk-ns None
kernel 20000 share_count_updates=5xshare_update=20000
proxy 510 allocations_and_frees=5xalloc=500 lookups=1xlookup=10
pfn_entries 1000 owner_lookups_and_shared_unmaps=1xrmap_walk=1000
write_protect 4510 break_callbacks=1xshare_update=4000 records_made_and_freed=5xalloc=500 uses_on_shared=1xlookup=10
EOF
check_file model/price/given "$work/price-given.want" "$work/price-given.got"
# --update-ns: the kernel's unit, and alloc's with it (assumed as share_update), flags' no calls
price_of --update-ns 30 > "$work/price-update.got"
cat > "$work/price-update.want" << EOF
unit/share_update 30 given --update-ns None
unit/alloc 30 assumed share_update None
unit/lookup 7000 assumed dax_lock+dax_lock_shared+folio_mapping+folio_mapping_shared 1
unit/rmap_walk 70000 measured rmap_walk-mf_dax_kill_procs 1
kernel 150 share_count_updates=5xshare_update=150
proxy 7150 allocations_and_frees=5xalloc=150 lookups=1xlookup=7000
pfn_entries 70000 owner_lookups_and_shared_unmaps=1xrmap_walk=70000
write_protect 7180 break_callbacks=1xshare_update=30 records_made_and_freed=5xalloc=150 uses_on_shared=1xlookup=7000
EOF
check_file model/price/update-given "$work/price-update.want" "$work/price-update.got"
# a stream of format 1.0 timed nothing: no price at all, and no costs
"$DAXTRACE" model --json "$seed" | python3 -c 'import json, sys; d = json.load(sys.stdin); print("price" in d, "costs" in d)' > "$work/no-price"
check model/price/none "$(cat "$work/no-price")" "False False"
# ... and a price flag for it is said to be unused, once, on stderr
"$DAXTRACE" model --lookup-ns 3 "$seed" > /dev/null 2> "$work/no-price.err"
check model/price/none-flag $? 0 status
check model/price/none-flag "$(cat "$work/no-price.err")" \
	"daxtrace model: warning: $seed: format 1.0 has no timed operations, so no price: --lookup-ns is not used"
# the text: the PRICED block, whole
"$DAXTRACE" model "$priced_seed" 2> /dev/null | sed -n '/^PRICED/,$p' > "$work/price-text.got"
cat > "$work/price-text.want" << EOF
PRICED (count x ns per operation; docs/designs.md "Priced")
  unit costs     share_update 4000 ns, measured: the average of disassoc_shared_fault+disassoc_shared_elsewhere (2 calls); --update-ns N replaces it
                 alloc        4000 ns, assumed: as share_update (2 calls); --alloc-ns N replaces it
                 lookup       7000 ns, assumed: as dax_lock+dax_lock_shared+folio_mapping+folio_mapping_shared (1 calls); --lookup-ns N replaces it
                 rmap_walk    70000 ns, measured: the average of rmap_walk-mf_dax_kill_procs (1 calls); --rmap-walk-ns N replaces it
  kernel         0.020 ms = share_count_updates 5 x share_update
  proxy          0.027 ms = allocations_and_frees 5 x alloc + lookups 1 x lookup  (1.35 x kernel)
  pfn_entries    0.070 ms = owner_lookups_and_shared_unmaps 1 x rmap_walk  (3.50 x kernel)
  write_protect  0.031 ms = break_callbacks 1 x share_update + records_made_and_freed 5 x alloc + uses_on_shared 1 x lookup  (1.55 x kernel)

EOF
check_file model/price/text "$work/price-text.want" "$work/price-text.got"
for bad in "--update-ns 1e3" "--alloc-ns -1" "--lookup-ns 1000000001" "--rmap-walk-ns x"; do
	# shellcheck disable=SC2086 # the option and its value
	"$DAXTRACE" model $bad "$priced_seed" > /dev/null 2> "$work/bad.err"
	check "model/price/bad/${bad%% *}" $? 2 status
	check "model/price/bad/${bad%% *}" "$(head -n 1 "$work/bad.err")" \
		"daxtrace model: bad ${bad%% *} '${bad#* }': expected 0 to 1000000000"
done

# A stream that lost records: modelled all the same, with a warning.
"$DAXTRACE" model "$pmd_seed" > /dev/null 2> "$work/pmd.err"
check model/lost-records $? 0 status
check model/lost-records "$(cat "$work/pmd.err")" "daxtrace model: warning: $pmd_seed: the recording lost 2 records (its ring buffer was full): the census and the model may be short" warning

# A file command needs no privilege: the same model as nobody.
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
	cp "$seed" "$work/nobody.dts"
	chmod 755 "$work"
	chmod 644 "$work/nobody.dts"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$DAXTRACE" model "$work/nobody.dts" \
		> "$work/nobody.out" 2>&1
	check model/unprivileged $? 0 status
	check model/unprivileged "$(sed -n 3p "$work/nobody.out")" "$(sed -n 3p "$work/text.got")"
else
	skip model/unprivileged "needs root and setpriv to drop to nobody"
fi
exit 0
