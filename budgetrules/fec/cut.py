"""A FEC file cut into blocks of whole entries, and a block's bytes read.

The reader parses a file in blocks of about `block_size` bytes (8 MB by default), each sent whole to a
worker process. A block ends at the end of a line, between two entries (the lines of one entry,
consecutive lines with the same JournalCode and EcritureNum, stay in one block), so that each block
judges its entries alone; an entry longer than `MAX_RUN` is cut at a line end, and its parts are
joined at the end of the file like the parts of an entry written apart (merge.Merger.finish). Only
the tail of each block is read to find the cut; `read_block` reads the bytes of one block where it is
parsed (this process or a worker). Offsets and sizes are in bytes."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

MAX_RUN = 256 << 20  # one entry longer than this is cut (its parts are then joined as an entry cut apart)


def _cut(buf: bytes, eol: bytes, sep: bytes, whole: bool) -> int:
    """Where the last entry of `buf` starts (its lines go to the next block); 0 if not found: the
    entry fills `buf`, or (`whole` false: `buf` starts inside a line) it may start before it."""
    pos = buf.rfind(eol) + 1
    key = None
    while pos > 0:
        start = buf.rfind(eol, 0, pos - 1) + 1
        if start == 0 and not whole:
            return 0
        line = buf[start:pos - 1]
        if line.strip(b" \r"):
            f = line.split(sep, 3)
            k = (f[0], f[2] if len(f) > 2 else b"")
            if key is None:
                key = k
            elif k != key:
                return pos
        pos = start
    return 0


def blocks(path: Path, offset: int, size: int, eol: str, sep: str, block_size: int) -> Iterator[tuple[int, int]]:
    """(offset, size) of blocks of whole lines, each ending between two entries (the file's last
    block may lack its end of line). Only the tail of each block is read here, to find the cut."""
    e, s = eol.encode(), sep.encode()
    fd = os.open(path, os.O_RDONLY)
    try:
        pos = offset
        while pos < size:
            end = min(pos + block_size, size)
            while end < size:
                window = 1 << 16
                while True:
                    start = max(pos, end - window)
                    cut = _cut(os.pread(fd, end - start, start), e, s, start == pos)
                    if cut or start == pos:
                        break
                    window *= 4
                if cut:
                    end = start + cut
                    break
                if end - pos > MAX_RUN:  # one entry longer than MAX_RUN: cut at a line end
                    tail = os.pread(fd, min(end - pos, 1 << 20), end - min(end - pos, 1 << 20))
                    end -= len(tail) - (tail.rfind(e) + 1)
                    break
                end = min(end + block_size, size)
            yield pos, end - pos
            pos = end
    finally:
        os.close(fd)


def read_block(path: str, offset: int, size: int) -> bytes:
    """The `size` bytes of the file `path` from byte `offset`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, size, offset)
    finally:
        os.close(fd)
