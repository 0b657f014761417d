#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""make_go_legacy_elf.py OUT — write a minimal ELF64 executable whose Go build info uses the
pre-1.18 layout (two pointers to Go string headers in the data segment), as Go 1.13–1.17
linkers wrote it. The Go toolchain here (1.19) no longer writes this layout, so the file is
assembled by hand from debug/buildinfo's reader; `go version -m OUT` reads it back, which is
how the test suite checks the file is faithful. It has no section headers, so a reader must
find the build info by scanning for the magic and map addresses through PT_LOAD."""
import struct
import sys

VADDR = 0x400000
MOD = ("path\texample.com/legacy/tool\n"
       "mod\texample.com/legacy/tool\tv0.9.0\th1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
       "dep\tgolang.org/x/text\tv0.3.6\th1:aRYxNxv6iGQlyVaZmk6ZgYEDa+Jg18DxebPSrd6bg1M=\n"
       "dep\tgithub.com/pkg/errors\tv0.9.1\n"
       "=>\tgithub.com/pkg/errors\tv0.9.2-0.20201214064552-5dd12d0cfe7f\th1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n")
START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
END = bytes.fromhex("f932433186182072008242104116d8f2")
vers = b"go1.16.15"
mod = START + MOD.encode() + END

body = bytearray(0x100)
hdr_off, sh_vers, sh_mod, data = 0x100, 0x120, 0x130, 0x140
info = b"\xff Go buildinf:" + bytes([8, 0])
info += struct.pack("<QQ", VADDR + sh_vers, VADDR + sh_mod) + bytes(32 - 14 - 2 - 16)
strs = struct.pack("<QQ", VADDR + data, len(vers)) + struct.pack("<QQ", VADDR + data + len(vers), len(mod))
blob = bytes(body) + info + strs + vers + mod
blob += bytes(-len(blob) % 16)
ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
ehdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, VADDR + 0x1000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
phdr = struct.pack("<IIQQQQQQ", 1, 6, 0, VADDR, VADDR, len(blob), len(blob), 0x1000)
out = bytearray(blob)
out[0:64] = ehdr
out[64:64 + 56] = phdr
with open(sys.argv[1], "wb") as f:
    f.write(out)
