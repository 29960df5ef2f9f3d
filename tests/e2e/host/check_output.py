#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What daxtrace wrote about files and processes with hostile names (tests/e2e/host/hostile.sh).

Each check prints one line for tests/run.sh: "PASS host/NAME" or "FAIL host/NAME: why".

  check_output.py json NAME REPORT DIR N [COMM_HEX...]
      REPORT holds top/cow/snoop --json output. Every line must be strict JSON in strict UTF-8;
      every file under DIR must have rows whose decoded path (path_hex when there, else path;
      when the rows have paths) is its real path, with N events in all (mkwrite for top and snoop, breaks for cow); every
      COMM_HEX (a comm's bytes in hex) must be a process's decoded comm.
  check_output.py text NAME REPORT ROWS ESCAPED...
      REPORT is a text view: no control byte but the newlines, ROWS lines that match the
      ESCAPED strings in all (each a row of its own), each ESCAPED present.
"""
import json
import os
import sys


def result(name, ok, why):
    print(f"PASS host/{name}" if ok else f"FAIL host/{name}: {why}")


def decoded(obj, key):
    """The exact bytes of a name: KEY_hex when the name was not UTF-8."""
    if f"{key}_hex" in obj:
        return bytes.fromhex(obj[f"{key}_hex"])
    return None if obj.get(key) is None else obj[key].encode()


def files_under(top):
    found = {}
    for root, _, names in os.walk(top):
        for name in names:
            path = os.path.join(root, name)
            found[os.lstat(path).st_ino] = path
    return found


def event_count(obj):
    if "event" in obj:  # snoop: one record
        return 1 if obj["event"] == "mkwrite" else 0
    if isinstance(obj.get("breaks"), dict):  # cow
        return obj["breaks"]["count"]
    return obj.get("mkwrite", 0)


def check_json(name, report, top, n, comms_hex):
    objects = []
    try:
        for line in open(report, "rb").read().splitlines():
            objects.append(json.loads(line.decode("utf-8", errors="strict")))
        result(f"{name}/strict-json", True, "")
    except (UnicodeDecodeError, ValueError) as err:
        result(f"{name}/strict-json", False, str(err))
        return
    rows = [o for o in objects if "event" in o]
    rows += [f for o in objects for f in o.get("files", [])]
    for ino, path in sorted(files_under(os.fsencode(top)).items()):
        mine = [r for r in rows if r.get("ino") == ino]
        shown = os.fsdecode(os.path.basename(path))[:32].encode("unicode_escape").decode()
        if any("path" in r for r in rows):  # snoop's records name dev and ino only
            paths = {decoded(r, "path") for r in mine}
            result(f"{name}/path/{shown}", paths == {path}, f"{paths} for {path}")
        count = sum(event_count(r) for r in mine)
        result(f"{name}/count/{shown}", count == n, f"{count} events, not {n}")
    comms = {decoded(o, "comm") for o in rows if "comm" in o}
    comms |= {decoded(p, "comm") for o in objects for p in o.get("processes", [])}
    for comm_hex in comms_hex:
        comm = bytes.fromhex(comm_hex)
        result(f"{name}/comm/{comm_hex}", comm in comms, f"{comm} not in {comms}")


def check_text(name, report, rows, escaped):
    text = open(report, "rb").read()
    controls = sorted({b for b in text if (b < 0x20 and b != 0x0A) or b == 0x7F})
    result(f"{name}/no-control-bytes", not controls, f"bytes {controls}")
    lines = text.split(b"\n")
    matching = [line for line in lines if any(e.encode() in line for e in escaped)]
    result(f"{name}/one-line-per-row", len(matching) == rows,
           f"{len(matching)} lines hold the names, not {rows}")
    for e in escaped:
        result(f"{name}/shown/{e}", e.encode() in text, f"{e!r} not in the text")


def main():
    mode, name, report = sys.argv[1:4]
    if mode == "json":
        check_json(name, report, sys.argv[4], int(sys.argv[5]), sys.argv[6:])
    else:
        check_text(name, report, int(sys.argv[4]), sys.argv[5:])


main()
