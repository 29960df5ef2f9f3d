#!/usr/bin/env python3
"""Entries in each BPF map a process holds: one line per map, "name type entries max_entries".

Usage: map-entries.py PID. The maps are found through the process's fds (/proc/PID/fdinfo has
map_id for a BPF map), and counted with BPF_MAP_GET_NEXT_KEY, which reads keys only:
`bpftool map dump` would format every per-CPU value (616 bytes x CPUs per row) just to be
counted. Maps without keys to walk (arrays, ring buffers) print "-" for entries. A key deleted
(an LRU eviction) while the walk stands on it restarts the walk at the first key: keys are
counted once each (a set), so the count is exact when the map does not change meanwhile and
never larger than the map. Needs root (CAP_SYS_ADMIN for BPF_MAP_GET_FD_BY_ID).
"""
import ctypes
import os
import sys

SYS_BPF = 321  # x86_64
BPF_MAP_GET_NEXT_KEY = 4
BPF_MAP_GET_FD_BY_ID = 14
BPF_OBJ_GET_INFO_BY_FD = 15
HASH_TYPES = {1: "hash", 5: "percpu_hash", 9: "lru_hash", 10: "lru_percpu_hash"}
TYPE_NAMES = {2: "array", 6: "percpu_array", 27: "ringbuf", 4: "perf_event_array",
              3: "prog_array", 7: "stack_trace", 8: "cgroup_array", 12: "array_of_maps",
              13: "hash_of_maps", 29: "task_storage"}

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


class MapInfo(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint32), ("id", ctypes.c_uint32),
                ("key_size", ctypes.c_uint32), ("value_size", ctypes.c_uint32),
                ("max_entries", ctypes.c_uint32), ("map_flags", ctypes.c_uint32),
                ("name", ctypes.c_char * 16), ("pad", ctypes.c_char * 64)]


def bpf(cmd, attr):
    return libc.syscall(SYS_BPF, cmd, ctypes.byref(attr), ctypes.sizeof(attr))


def map_ids(pid):
    ids = set()
    fdinfo = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(fdinfo):
        try:
            with open(f"{fdinfo}/{fd}") as f:
                for line in f:
                    if line.startswith("map_id:"):
                        ids.add(int(line.split()[1]))
        except OSError:
            pass
    return sorted(ids)


def count_keys(fd, key_size, max_entries):
    key = ctypes.create_string_buffer(key_size)
    next_key = ctypes.create_string_buffer(key_size)
    # union bpf_attr for BPF_MAP_GET_NEXT_KEY: map_fd, pad, key pointer (NULL: first), next_key.
    attr = (ctypes.c_uint64 * 4)(fd, 0, ctypes.addressof(next_key), 0)
    seen = set()
    while len(seen) <= max_entries:
        if bpf(BPF_MAP_GET_NEXT_KEY, attr) < 0:
            break
        if next_key.raw in seen:
            break
        seen.add(next_key.raw)
        ctypes.memmove(key, next_key, key_size)
        attr[1] = ctypes.addressof(key)
    return len(seen)


def main():
    for map_id in map_ids(sys.argv[1]):
        attr = (ctypes.c_uint32 * 4)(map_id, 0, 0, 0)
        fd = bpf(BPF_MAP_GET_FD_BY_ID, attr)
        if fd < 0:
            continue
        try:
            info = MapInfo()
            iattr = (ctypes.c_uint32 * 4)(fd, ctypes.sizeof(info), 0, 0)
            ctypes.cast(ctypes.byref(iattr, 8), ctypes.POINTER(ctypes.c_uint64))[0] = \
                ctypes.addressof(info)
            if bpf(BPF_OBJ_GET_INFO_BY_FD, iattr) < 0:
                continue
            name = info.name.decode() or f"id{map_id}"
            if info.type in HASH_TYPES:
                kind = HASH_TYPES[info.type]
                entries = str(count_keys(fd, info.key_size, info.max_entries))
            else:
                kind = TYPE_NAMES.get(info.type, f"type{info.type}")
                entries = "-"
            print(name, kind, entries, info.max_entries)
        finally:
            os.close(fd)


if __name__ == "__main__":
    main()
