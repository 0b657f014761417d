# SPDX-License-Identifier: Apache-2.0
"""strace_tree.py — the files a containerized workload opened and executed, per strace.

Input: the output of `strace -f -y -s 4096 -qq --decode-pids=pidns -e trace=%file,%process
podman run … IMAGE CMD`, i.e. podman, conmon, runc and the workload all in one trace. The
workload is found by its runtime: runc's init process calls pivot_root() and then execve()s
the container's command; from there, that process and every task it clones (pids translated
into strace's namespace by --decode-pids=pidns) are the workload. Everything before (runc
preparing the container) and beside it (podman, conmon, the cleanup) is left out.

Returns the paths of successful execve() and open()/openat()/openat2()/creat() calls (not
O_PATH, not O_DIRECTORY), made absolute with the directory strace printed for the dirfd (-y).
"""
import os
import re

LINE = re.compile(r"^(\d+)\s+(.*)$")
CALL = re.compile(r"^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(.*)$")
PIDNS = re.compile(r"/\* (\d+) in strace's PID NS \*/")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
DIRFD = re.compile(r"^(AT_FDCWD|\d+)<([^>]*)>")


def unescape(s):
    """strace's C-style escapes (\\n, \\t, \\", \\\\, \\ooo, \\xNN) back to bytes → str."""
    out = bytearray()
    i = 0
    b = s.encode("utf-8", "surrogateescape")
    while i < len(b):
        c = b[i]
        if c != 0x5C or i + 1 >= len(b):
            out.append(c)
            i += 1
            continue
        n = chr(b[i + 1])
        if n in "01234567":
            j = i + 1
            while j < len(b) and j < i + 4 and chr(b[j]) in "01234567":
                j += 1
            out.append(int(b[i + 1:j], 8) & 0xFF)
            i = j
        elif n == "x":
            out.append(int(b[i + 2:i + 4], 16))
            i += 4
        else:
            out.append({"n": 10, "t": 9, "r": 13, "v": 11, "f": 12}.get(n, ord(n)))
            i += 2
    return out.decode("utf-8", "surrogateescape")


def calls(path):
    """(pid, name, args, ret, tail) for each completed call, unfinished/resumed joined."""
    pending = {}
    with open(path, errors="surrogateescape") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            pid, rest = int(m.group(1)), m.group(2)
            if rest.endswith("<unfinished ...>"):
                pending[pid] = rest[:-len("<unfinished ...>")].rstrip()
                continue
            r = re.match(r"^<\.\.\. \w+ resumed>\s?(.*)$", rest)
            if r:
                rest = pending.pop(pid, "") + r.group(1)
            c = CALL.match(rest)
            if c:
                yield pid, c.group(1), c.group(2), c.group(3), c.group(4)


def workload_files(path):
    """(paths, pids, root_exec) of the workload in a strace log."""
    events = list(calls(path))
    children = {}
    pivoted = set()
    root = None
    start = None
    for i, (pid, name, args, ret, tail) in enumerate(events):
        if name in ("clone", "clone3", "fork", "vfork") and ret not in ("?",) and int(ret) > 0:
            m = PIDNS.search(tail)
            children.setdefault(pid, []).append(int(m.group(1)) if m else int(ret))
        elif name == "pivot_root" and ret == "0":
            pivoted.add(pid)
        elif name == "execve" and ret == "0" and pid in pivoted and root is None:
            root, start = pid, i
    if root is None:
        raise ValueError(f"{path}: no execve after pivot_root: not a container run?")
    pids, todo = set(), [root]
    while todo:
        p = todo.pop()
        if p not in pids:
            pids.add(p)
            todo.extend(children.get(p, []))
    files = []
    root_exec = None
    for pid, name, args, ret, tail in events[start:]:
        if pid not in pids or ret == "?" or int(ret) < 0:
            continue
        s = STRING.search(args)
        if not s:
            continue
        p = unescape(s.group(1))
        if name == "execve":
            if root_exec is None:
                root_exec = p
        elif name in ("open", "openat", "openat2", "creat"):
            if "O_PATH" in args or "O_DIRECTORY" in args:
                continue
            if not p.startswith("/"):
                d = DIRFD.match(args) if name in ("openat", "openat2") else None
                base = d.group(2) if d else None
                if not base:
                    continue
                p = os.path.join(base, p)
        else:
            continue
        files.append(os.path.normpath(p))
    return files, pids, root_exec
