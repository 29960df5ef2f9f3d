#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the seed share streams of fuzz_share_stream (tests/fuzz/corpus/share_stream/), each a
whole stream with a correct CRC-32, laid out as docs/daxtrace-share-stream.5 says (written from
the page, not from the C structs, so that the two are checked against each other).

  clone.dts   A's 4 pages cloned to B; B writes page 0 (a break); one owner lookup by the
              filesystem (rmap measured), one through ->mapping of a shared page
              (dax_lock_folio); one 6.1-style anomaly. tests/e2e/host/model.sh
              checks `daxtrace model` on it exactly.
  pmd.dts     a PMD unit found by --snapshot in two files, a third joins and leaves; uses at
              every mapuse site, one dropped; evicted, unmatched, no-context counts.
  minor.dts   format 1.1: longer header and records, a record type 1.0 does not know (skipped).
  priced.dts  format 1.1: clone.dts with every operation measured and timed calls of known
              durations, so that tests/e2e/host/model.sh checks the priced model exactly.

Usage: share_stream_seeds.py DIR
"""
import os
import struct
import sys
import zlib

HEADER = struct.Struct("<8sHHHHIIQQ72s")  # 112 bytes
RECORD = struct.Struct("<QQQQIIIBBBB")  # 48 bytes
NAME = struct.Struct("<QII")  # 16 bytes, then the path padded to 8
TRAILER = struct.Struct("<8sQQQQ")  # 40 bytes, then crc32 and pad

ASSOCIATE, DISASSOCIATE, REINSERT, BREAK, CHECK, EVICTED, UNMATCHED, NO_CONTEXT, SNAPSHOT, \
    OWNER_USE, COST = range(1, 12)
# enum dt_cost_op (include/daxtrace_share.h)
COST_ASSOC_PRIVATE, COST_ASSOC_SHARED, COST_REINSERT, COST_DISASSOC_SHARED_FAULT, \
    COST_DISASSOC_SHARED_ELSEWHERE, COST_DISASSOC_PRIVATE, COST_MF_DAX_KILL_PROCS, COST_RMAP_WALK, \
    COST_DAX_LOCK, COST_DAX_LOCK_SHARED, COST_FOLIO_MAPPING, COST_FOLIO_MAPPING_SHARED = range(12)
ALL_COSTS = (1 << 12) - 1
RMAP_MEASURED, USES_MEASURED, SINCE_SNAPSHOT = 1, 2, 4
DEV = 259 << 20  # the kernel's dev_t of 259:0
START_NS = 1_000_000_000


def record(type_, time_ns, pfn, ino, index, owners=0, kernel_count=0, order=0, detail=0,
           flags=0, dev=DEV):
    return dict(type=type_, time_ns=time_ns, pfn=pfn, ino=ino, index=index, dev=dev,
                owners=owners, kernel_count=kernel_count, order=order, detail=detail,
                flags=flags)


def stream(records, names, flags=0, minor=0, header_bytes=112, record_bytes=48, lost=0,
           missed=0, release="6.12.0-test", costs_measured=0):
    out = bytearray(HEADER.pack(b"DAXSHSTR", 1, minor, header_bytes, record_bytes, flags,
                                costs_measured,
                                START_NS, 1_764_921_600, release.encode()))
    out += bytes(header_bytes - HEADER.size)
    for r in records:
        out += RECORD.pack(r["time_ns"], r["pfn"], r["ino"], r["index"], r["dev"], r["owners"],
                           r["kernel_count"], r["type"], r["order"], r["detail"], r["flags"])
        out += bytes(record_bytes - RECORD.size)
    for dev, ino, path in names:
        path = path.encode()
        out += NAME.pack(ino, dev, len(path)) + path + bytes(-len(path) % 8)
    out += TRAILER.pack(b"DAXSHEND", len(records), len(names), lost, missed)
    return bytes(out) + struct.pack("<II", zlib.crc32(out), 0)


def clone_records():
    a, b, n = 131, 132, 4
    t = START_NS
    rs = []
    for i in range(n):
        t += 1000
        rs.append(record(ASSOCIATE, t, 0x84000 + i, a, i, owners=1, flags=1))
        rs.append(record(CHECK, t, 0x84000 + i, a, 0, owners=1, kernel_count=1, detail=1,
                         flags=0x20))
    for i in range(n):
        t += 1000
        rs.append(record(ASSOCIATE, t, 0x84000 + i, b, i, owners=2, flags=1))
        rs.append(record(CHECK, t, 0x84000 + i, b, 0, owners=2, kernel_count=2, detail=2,
                         flags=0x20))
    # B writes page 0: the held disassociation's check, B leaves, joins a new pfn, a break
    t += 1_500_000
    rs.append(record(CHECK, t, 0x84000, b, 0, owners=2, kernel_count=2, detail=2, flags=0x21))
    rs.append(record(DISASSOCIATE, t, 0x84000, b, 0, owners=1, flags=1))
    rs.append(record(ASSOCIATE, t, 0x85000, b, 0, owners=1, flags=1))
    rs.append(record(CHECK, t, 0x85000, b, 0, owners=1, kernel_count=1, detail=1, flags=0x20))
    rs.append(record(BREAK, t, 0x84000, b, 1_496_000, owners=1))
    # a census count the kernel does not share (6.1: ->mapping replaced, layout 1)
    rs.append(record(CHECK, t, 0x84001, b, 0, owners=2, kernel_count=1, detail=1, flags=0x10))
    t += 1000
    rs.append(record(OWNER_USE, t, 0x84002, a, 2, detail=4, flags=1))
    # memory failure locks a shared page through ->mapping (dax_lock_folio)
    rs.append(record(OWNER_USE, t, 0x84001, 0, 0, detail=1, flags=1))
    return rs, [(DEV, a, "/mnt/dax/a"), (DEV, b, "/mnt/dax/b")]


def clone():
    rs, names = clone_records()
    return stream(rs, names, flags=RMAP_MEASURED | USES_MEASURED)


def priced():
    """Durations (ns, the duration in the index field): the two shared disassociations average
    4000 (the share_update unit), the one ->mapping read 7000 (lookup), the one rmap walk
    90000 with its kill_procs call of 20000 inside (rmap_walk 70000); the shared insert's
    10000 prices nothing."""
    rs, names = clone_records()
    t = rs[-1]["time_ns"] + 1000
    for op, ns in ((COST_ASSOC_SHARED, 10000), (COST_DISASSOC_SHARED_FAULT, 3000),
                   (COST_DISASSOC_SHARED_ELSEWHERE, 5000), (COST_DAX_LOCK_SHARED, 7000),
                   (COST_MF_DAX_KILL_PROCS, 20000), (COST_RMAP_WALK, 90000)):
        rs.append(record(COST, t, 0, 0, ns, detail=op))
    return stream(rs, names, flags=RMAP_MEASURED | USES_MEASURED, minor=1,
                  costs_measured=ALL_COSTS)


def pmd():
    c, d, e = 141, 142, 143
    t = START_NS
    rs = [record(SNAPSHOT, t, 0x90000, c, 0, owners=1, order=9),
          record(SNAPSHOT, t, 0x90000, d, 0, owners=2, order=9)]
    t += 5000
    rs.append(record(ASSOCIATE, t, 0x90000, e, 512, owners=3, order=9))
    rs.append(record(REINSERT, t, 0x90000, c, 0, owners=3, order=9))
    rs.append(record(DISASSOCIATE, t, 0x90000, e, 512, owners=2, order=9))
    for site in range(6):
        rs.append(record(OWNER_USE, t + site, 0x90000 + site, c, site, detail=site,
                         flags=1 if site % 2 else 0))
    rs.append(record(OWNER_USE, t + 9, 0x90000, c, 0, detail=2, flags=2))
    rs.append(record(EVICTED, t + 10, 0x91000, d, 0))
    rs.append(record(UNMATCHED, t + 11, 0x90000, e, 0, order=9))
    rs.append(record(NO_CONTEXT, t + 12, 0x90000, 0, 0, order=9))
    return stream(rs, [(DEV, c, "/mnt/dax/pmd/c"), (DEV, d, "/mnt/dax/pmd/d"), (DEV, e, "")],
                  flags=RMAP_MEASURED | USES_MEASURED | SINCE_SNAPSHOT, lost=2, missed=1)


def minor():
    t = START_NS
    rs = [record(ASSOCIATE, t, 0x1000, 11, 0, owners=1),
          record(42, t + 1, 0x1000, 11, 0),
          record(ASSOCIATE, t + 2, 0x1000, 12, 0, owners=2)]
    return stream(rs, [(DEV, 11, "/x")], minor=1, header_bytes=128, record_bytes=56)


def main():
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, make in (("clone.dts", clone), ("pmd.dts", pmd), ("minor.dts", minor),
                       ("priced.dts", priced)):
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(make())


if __name__ == "__main__":
    main()
