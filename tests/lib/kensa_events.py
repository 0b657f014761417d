# SPDX-License-Identifier: Apache-2.0
"""kensa_events.py — read a kensa record file (`kensa profile --record FILE`) in tests.

An independent reader of the format documented in lib/sensor/sensor.h and docs/sensor.md,
so tests can look at the raw events a live engine delivered (and so the format has a
second implementation that would notice an accidental change).
"""
import struct

MAGIC = b"KSEVREC1"
KINDS = {1: "exec", 2: "fork", 3: "exit", 4: "file", 5: "net", 6: "container", 7: "seen"}
HOW = {1: "exec", 2: "open", 4: "mmap"}


class Reader:
    def __init__(self, data):
        self.d, self.p = data, 0

    def take(self, n):
        if self.p + n > len(self.d):
            raise ValueError("truncated")
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def u16(self):
        return struct.unpack("<H", self.take(2))[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def s(self):
        return self.take(self.u16())

    def cs(self):
        b = self.s()
        return b[:-1].decode("utf-8", "replace") if b else None


def events(path):
    """Yield dicts: {'kind', 'time_ns', 'pid', 'comm', 'cgroup_id', 'mntns', ...}."""
    data = open(path, "rb").read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not a kensa record file")
    pos = 8
    while pos + 8 <= len(data):
        plen, rtype = struct.unpack("<IH", data[pos:pos + 6])
        payload = data[pos + 8:pos + 8 + plen]
        pos += 8 + plen
        if rtype == 3:
            r = Reader(payload)
            n = r.u32()
            names = ["events", "dropped", "drop_ringbuf", "drop_nofile", "drop_track", "drop_decode",
                     "dedup_full", "path_truncated", "dedup_hits", "polls"]
            yield {"kind": "stats", **{names[i]: r.u64() for i in range(min(n, len(names)))}}
            continue
        if rtype != 2:
            continue
        r = Reader(payload)
        e = {"kind": KINDS.get(r.u32(), "?"), "time_ns": r.u64(), "pid": r.u32(), "tid": r.u32(),
             "uid": r.u32(), "euid": r.u32(), "start_ns": r.u64(), "cgroup_id": r.u64(),
             "mntns": r.u32(), "comm": r.take(16).split(b"\0")[0].decode("utf-8", "replace")}
        k = e["kind"]
        if k == "file":
            e.update(how=HOW.get(r.u32()), open_flags=r.u32(), flags=r.u32(), dev=r.u64(), ino=r.u64(),
                     path=r.s())
        elif k == "exec":
            e.update(ppid=r.u32(), dev=r.u64(), ino=r.u64(), filename=r.s(), interp=r.s(), args=r.s())
        elif k == "fork":
            e.update(child_pid=r.u32(), child_start_ns=r.u64())
        elif k == "exit":
            e.update(status=r.u32())
        elif k == "net":
            e.update(op=r.u16(), family=r.u16(), protocol=r.u16(), type=r.u16(), lport=r.u16(),
                     rport=r.u16(), ret=r.u32(), laddr=r.take(16), raddr=r.take(16))
        elif k == "container":
            e.update(host=r.take(1) != b"\0", id=r.cs(), name=r.cs(), runtime=r.cs(),
                     image_id=r.cs(), image_name=r.cs())
        elif k == "seen":
            e.update(how=HOW.get(r.u32()), dev=r.u64(), ino=r.u64(), last_ns=r.u64(), count=r.u64())
        yield e
