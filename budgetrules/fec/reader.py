"""Reading FEC files (article A47 A-1 of the Livre des procédures fiscales): debit − credit per
(account, EcritureDate) in integer cents, and the report of what was not counted.

`read_fec(paths)` is the public entry: it checks every header first (header.py), cuts each file into
blocks of whole entries (cut.py), has each block parsed and checked by Polars (`_block.process`) in
worker processes and in this one (workers.py), and merges the blocks in file order (merge.py): line
numbers, entries whose lines are apart, entries seen twice within and across files (duplicates.py),
what is left out (left_out.py). It returns a `report.FecBooks`. No float anywhere: amounts are parsed
to int64 cents, sums are int64 while they cannot overflow, else Int128, and the totals are Python
integers. Polars and numpy are imported when a read starts, not with this module. The grammar
(grammar.py) and the rules chosen for each case: docs/fec.md; the measurements behind the design:
benchmarks/FEC.md.

Errors: InputErrors (exit 2) for a file that cannot be used at all (the same path twice, missing,
empty, a bad header, mixed encodings, every line left out) and, with `strict`, for any malformed
line, unbalanced entry or conflict; ValueError for an unknown `encoding`."""
from __future__ import annotations

import os
import re
import sys
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..core.errors import InputErrors, Problem
from ..io.yaml import display_path
from .cut import blocks, read_block
from .grammar import COLUMNS, SENS_COLUMNS, amount_cents, sens_direction
from .header import encoding_lines, mixed, read_header
from .report import Cell, Conflict, Duplicate, Excluded, FecBooks, FecReport, FileReport, Key
from .shapes import BlockOut, NotUtf8, Spec
from .workers import Inline, Ready, Workers

if TYPE_CHECKING:
    from . import _block as fb
    from .merge import FileState, Merger


def _load() -> None:
    """Polars, numpy, the block worker and the merge: imported when a read starts (after the worker
    processes are started, so that their imports and this one run at the same time), not with this module."""
    global fb, FileState, Merger
    from . import _block as fb  # noqa: F811
    from .merge import FileState, Merger  # noqa: F811


BLOCK_SIZE = 8 << 20
INLINE_BELOW = 256 << 20  # bytes: below, this process reads blocks too (see read_fec)

__all__ = ["BLOCK_SIZE", "COLUMNS", "SENS_COLUMNS", "Cell", "Conflict", "Duplicate", "Excluded", "FecBooks",
           "FecReport", "FileReport", "Key", "amount_cents", "read_fec", "sens_direction"]


def read_fec(paths: Sequence[Path | str], *, strict: bool = False, encoding: str = "auto", max_errors: int = 100,
             progress: Callable[[int, int], None] | None = None, block_size: int = BLOCK_SIZE,
             threads: int | None = None) -> FecBooks:
    """Read FEC files; return debit − credit per (account, EcritureDate) in cents, and the report.

    Malformed lines, and every line of an entry that does not balance or holds a malformed line, are
    left out and listed (the first `max_errors`, then counted); an entry seen twice is counted once,
    closing and opening entries are excluded, analytic lines (class 9) ignored; `strict` refuses
    malformed lines, unbalanced entries and conflicts (InputErrors). A file that cannot be used at all
    (missing, empty, bad header, mixed encodings, nothing usable) always raises."""
    if encoding not in ("auto", "utf-8", "iso-8859-15"):
        raise ValueError(f"encoding must be auto, utf-8 or iso-8859-15, not {encoding!r}")
    files = [Path(p) for p in paths]
    seen: dict[Path, str] = {}
    twice = []
    for p in files:
        real = p.resolve()
        if real in seen:
            twice.append(Problem(display_path(p), 0, f"given twice (also as {seen[real]}): each file is read once"))
        seen.setdefault(real, display_path(p))
    if twice:
        raise InputErrors(twice)
    workers = threads or min(2, os.cpu_count() or 1)
    total = sum(p.stat().st_size for p in files if p.is_file())
    pool: Inline | Workers = Inline()
    if workers > 1 and total > 2 * block_size:  # worth starting worker processes (~0.25 s, while this one imports)
        # a large read: `workers` processes, this one merges; a middling one: one fewer, and this
        # process reads a block itself whenever they are busy (one import of Polars less to wait for)
        inline = total < INLINE_BELOW
        pool = Workers(workers - 1 if inline else workers, inline)
    reader = None
    try:
        _load()
        reader = Merger(max_errors)
        for i, p in enumerate(files):  # every header is checked before any long read
            shown = display_path(p)
            head = read_header(p, shown, encoding, max_errors)
            spec = head.spec
            report = FileReport(shown, separator=spec.sep, variant="Montant/Sens" if spec.sens else "Debit/Credit",
                                extra_columns=head.names[18:], line_end=head.line_end)
            reader.files.append(FileState(i, shown, p, head, report, non_ascii_line=head.utf8_line))
            reader.names.append(shown)
    except BaseException:
        pool.__exit__(*sys.exc_info())
        if reader is not None:
            reader.close()
        raise
    total = sum(f.head.size for f in reader.files)
    done = block = 0
    pool.local = lambda request: _work(*request, sums=reader.sums)
    try:
        with pool:
            for f in reader.files:
                reader.report.files.append(f.report)
                done += f.head.offset
                pending: deque = deque()
                spec = f.head.spec
                for offset, size in blocks(f.path, f.head.offset, f.head.size, spec.eol, spec.sep, block_size):
                    request = (str(f.path), offset, size, spec, f.index, block)
                    block += 1
                    pending.append([pool.submit(request), offset, size, spec.latin9, request])
                    while pending and (pending[0][0].done() or len(pending) > 2 * workers):
                        done += _take(pending, pool, reader, f)
                        if progress:
                            progress(done, total)
                while pending:
                    done += _take(pending, pool, reader, f)
                    if progress:
                        progress(done, total)
                reader.finish(f)
                f.report.lines += 1  # the header
                f.report.encoding = ("iso-8859-15" if spec.latin9 else
                                     "utf-8" if f.non_ascii_line is not None or f.head.encoding == "utf-8" else "ascii")
            reader.add_sums(pool.finish() + [reader.sums.total()])
        return _finish(reader, strict)
    finally:
        reader.close()
        pool.reap()


def _finish(reader: Merger, strict: bool) -> FecBooks:
    for f in reader.files:  # (before entries seen twice are taken out: a file of duplicates is usable)
        if f.report.rows and f.kept_rows <= 0 and f.report.left_out_lines >= f.report.rows:
            raise InputErrors([Problem(f.shown, 0, f"every one of its {f.report.rows} line(s) is left out: "
                                                   "nothing in this file can be used")])
    reader.fingerprints()
    reader.deduplicate()
    books = reader.books()
    if strict and books.report.problem_count:
        problems = list(books.report.problems)
        if books.report.problem_count > len(problems):
            last = problems[-1]
            problems.append(Problem(last.file, last.line, f"… and {books.report.problem_count - len(problems)} "
                                                          "more problem(s) not listed"))
        raise InputErrors(problems)
    return books


def _work(path: str, offset: int, size: int, spec: Spec, file: int, block: int,
          sums: fb.CellSums | None = None) -> BlockOut:
    return fb.process(read_block(path, offset, size), spec, sums=sums, file=file, block=block)


def _take(pending: deque, pool: Inline | Workers, reader: Merger, f: FileState) -> int:
    future, offset, size, _, request = pending.popleft()
    base = f.base
    f.blocks.append((base + 1, offset, size))
    reader.bases.append(base)
    try:
        out = future.result()
    except NotUtf8:
        out = _not_utf8(pending, pool, reader, f, request, base)
    if out.non_ascii and f.non_ascii_line is None and not f.head.spec.latin9:
        data = read_block(f.path, offset, size)
        m = re.search(rb"[\x80-\xff]", data)
        f.non_ascii_line = base + 1 + data.count(f.head.spec.eol.encode(), 0, m.start()) if m else base + 1
        if f.head.encoding == "auto-ascii":
            f.head.encoding = "auto-utf8"
    f.last_block = offset + size >= f.head.size
    reader.merge(f, out, base)
    f.base += out.lines
    return size


def _not_utf8(pending: deque, pool: Inline | Workers, reader: Merger, f: FileState, request: tuple,
              base: int) -> BlockOut:
    """A block is not UTF-8: refuse the file, or read it (and the blocks after it) as ISO-8859-15."""
    data = read_block(f.path, request[1], request[2])
    bad, utf8 = encoding_lines(data, f.head.spec.eol)
    assert bad is not None
    line, byte = base + 1 + bad[0], bad[1]
    if f.head.encoding == "utf-8":
        raise mixed(f.shown, line, byte, None, "the file is read as UTF-8 (it starts with a UTF-8 mark, or "
                                                "--encoding utf-8 was given)")
    if f.non_ascii_line is not None or utf8 is not None:
        raise mixed(f.shown, line, byte, f.non_ascii_line if f.non_ascii_line is not None else base + 1 + utf8)
    f.head.spec.latin9 = True  # ASCII so far: the file is ISO-8859-15 from the start
    f.head.encoding = "iso-8859-15"
    spec = f.head.spec
    for item in pending:  # blocks sent before the switch: ASCII ones stand, the others are read again
        if item[3] or item[4][0] != str(f.path):
            continue
        try:
            out = item[0].result()
        except NotUtf8:
            item[4] = item[4][:3] + (spec,) + item[4][4:]
            item[0], item[3] = pool.submit(item[4]), True
            continue
        if out.non_ascii:  # valid UTF-8 after bytes that are not: two encodings
            raise mixed(f.shown, line, byte, None, "while a later block of the file is UTF-8: the file mixes two "
                                                    "encodings")
        item[0], item[3] = Ready(out), True
    return pool.local(request[:3] + (spec,) + request[4:])
