#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What `daxtrace top --csv` and `cow --csv` wrote, against --json's (tests/e2e/host/csv.sh).

Each check prints one line for tests/run.sh: "PASS host/NAME" or "FAIL host/NAME: why".

  check_csv.py same NAME top|cow CSV JSON [IGNORED_COLUMN...]
      CSV (Python's csv module) has one header, the command's columns in order
      (docs/daxtrace-top.8, CSV), every row as many fields as the header, an ISO 8601 time
      and an interval_s; the rows of each kind (process, file, device, total) equal the JSON
      report's (one --json -- CMD report, same workload), column by column through COLUMNS'
      JSON paths, as multisets: pid and the IGNORED columns differ between two runs.
  check_csv.py value CSV KIND COLUMN [MATCH_COLUMN MATCH_VALUE]
      prints COLUMN of the KIND rows (those whose MATCH_COLUMN, decoded, is MATCH_VALUE), one
      a line; names (comm, path, device) decoded from the text views' escapes.
  check_csv.py shape NAME CSV REPORTS
      one header, REPORTS reports (total rows) with nondecreasing times, every row as many
      fields as the header, no control byte but the line ends.
"""
import csv
import json
import os
import re
import sys

IDENTITY = ["time", "interval_s", "row", "pid", "comm", "dev", "ino", "path", "dax"]
TOP_COUNTERS = ["faults", "pte", "pmd", "pud", "read", "write", "nopage", "fallback",
                "sigbus", "mkwrite", "sync", "cow", "cow_bytes", "remaps", "flushes",
                "flush_pages"]
# each CSV column of cow and where its value is in the JSON
COW_PATHS = {
    "remaps": "remaps.total",
    "clones": "remaps.clone.count",
    "clone_bytes": "remaps.clone.bytes",
    "clone_ranges": "remaps.clone_range.count",
    "clone_range_bytes": "remaps.clone_range.bytes",
    "dedupes": "remaps.dedupe.count",
    "dedupe_bytes": "remaps.dedupe.bytes",
    "unshares": "remaps.unshare.count",
    "unshare_bytes": "remaps.unshare.bytes",
    "cow": "breaks.count",
    "cow_break_bytes": "breaks.bytes",
    "cow_completions": "completions.count",
    "cow_bytes": "completions.bytes",
    "cow_cancels": "cancels.count",
    "cow_cancel_blocks": "cancels.blocks",
    "cow_avg_ns": "breaks.avg_ns",
}
PATHS = {
    "top": {**{c: c for c in IDENTITY[3:] + ["device"] + TOP_COUNTERS},
            "avg_ns": "lat_ns.avg", "p50_ns": "lat_ns.p50", "p99_ns": "lat_ns.p99",
            "max_ns": "lat_ns.max"},
    "cow": {**{c: c for c in IDENTITY[3:]}, **COW_PATHS},
}
COLUMNS = {
    "top": IDENTITY + ["device"] + TOP_COUNTERS + ["avg_ns", "p50_ns", "p99_ns", "max_ns"],
    "cow": IDENTITY + list(COW_PATHS),
}
NAMES = {"comm", "path", "device"}
KINDS = {"process": "processes", "file": "files", "device": "devices", "total": None}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def result(name, ok, why):
    print(f"PASS host/{name}" if ok else f"FAIL host/{name}: {why}")


def unescape(text):
    """The bytes of a name the text views escaped (user/output/text_escape.h)."""
    out, i = bytearray(), 0
    simple = {"\\": b"\\", "n": b"\n", "t": b"\t", "r": b"\r", "e": b"\x1b"}
    while i < len(text):
        if text[i] != "\\":
            out += text[i].encode()
            i += 1
        elif text[i + 1] in simple:
            out += simple[text[i + 1]]
            i += 2
        elif text[i + 1] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:  # \uNNNN
            out += chr(int(text[i + 2:i + 6], 16)).encode()
            i += 6
    return bytes(out)


def json_name(obj, key):
    """A name's exact bytes from the JSON: KEY_hex when it was not UTF-8."""
    if f"{key}_hex" in obj:
        return bytes.fromhex(obj[f"{key}_hex"])
    return None if obj.get(key) is None else obj[key].encode()


def read_csv(path):
    with open(path, newline="", encoding="utf-8", errors="strict") as f:
        return list(csv.reader(f))


def csv_cell(column, text):
    """A CSV field as the value it stands for: names decoded, empty as None."""
    if text == "":
        return None
    return unescape(text) if column in NAMES else text


def json_cell(obj, column, path):
    if column in NAMES:
        return json_name(obj, path)
    value = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_same(name, command, csv_path, json_path, ignored):
    try:
        rows = read_csv(csv_path)
    except (UnicodeDecodeError, csv.Error) as err:
        result(f"{name}/parses", False, str(err))
        return
    header, body = rows[0], rows[1:]
    result(f"{name}/header", header == COLUMNS[command], f"{header}")
    result(f"{name}/one-header", all(r[:1] != ["time"] for r in body), "a header repeated")
    widths = sorted({len(r) for r in body})
    result(f"{name}/field-count", widths == [len(header)], f"rows of {widths} fields")
    result(f"{name}/time", all(TIME.match(r[0]) for r in body), "time not ISO 8601 UTC")
    result(f"{name}/interval", all(float(r[1]) > 0 for r in body), "interval_s not > 0")
    report = [json.loads(line) for line in open(json_path) if line.startswith('{"time"')]
    if len(report) != 1:
        result(f"{name}/json", False, f"{len(report)} JSON reports, not 1")
        return
    compared = [c for c in header[3:] if c not in ["pid"] + ignored]
    for kind, key in KINDS.items():
        if kind == "device" and command != "top":
            continue
        objects = [report[0]["total"]] if key is None else report[0][key]
        want = sorted(tuple(repr(json_cell(o, c, PATHS[command][c])) for c in compared)
                      for o in objects)
        got = sorted(tuple(repr(csv_cell(c, r[header.index(c)])) for c in compared)
                     for r in body if r[2] == kind)
        result(f"{name}/{kind}-rows", got == want and (got or kind != "total"),
               f"CSV {got} != JSON {want} (columns {compared})")


def print_values(csv_path, kind, column, match_column=None, match_value=None):
    rows = read_csv(csv_path)
    header = rows[0]
    for r in rows[1:]:
        if r[2] != kind:
            continue
        if match_column:
            cell = r[header.index(match_column)]
            if csv_cell(match_column, cell) != os.fsencode(match_value):
                continue
        print(r[header.index(column)])


def check_shape(name, csv_path, reports):
    raw = open(csv_path, "rb").read()
    controls = sorted({b for b in raw if (b < 0x20 and b != 0x0A) or b == 0x7F})
    result(f"{name}/no-control-bytes", not controls, f"bytes {controls}")
    rows = read_csv(csv_path)
    headers = [r for r in rows if r[:1] == ["time"]]
    result(f"{name}/one-header", len(headers) == 1 and rows[0][:1] == ["time"],
           f"{len(headers)} headers")
    totals = [r for r in rows[1:] if r[2] == "total"]
    result(f"{name}/reports", len(totals) == reports, f"{len(totals)} total rows")
    times = [r[0] for r in totals]
    result(f"{name}/times", times == sorted(times) and all(map(TIME.match, times)), f"{times}")
    widths = sorted({len(r) for r in rows})
    result(f"{name}/field-count", widths == [len(rows[0])], f"rows of {widths} fields")


def main():
    mode = sys.argv[1]
    if mode == "same":
        check_same(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    elif mode == "value":
        print_values(*sys.argv[2:])
    else:
        check_shape(sys.argv[2], sys.argv[3], int(sys.argv[4]))


main()
