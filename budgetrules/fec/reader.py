"""Reading FEC files (article A47 A-1 of the LPF): debit − credit per (account, date) in integer cents.

Each file is read in blocks of whole entries; Polars parses and checks each block (`_block.py`) in
worker processes (and in this one), and this module merges the blocks in file order: line numbers,
entries seen twice (within and across files), entries whose lines are apart, the report. No float
anywhere: amounts are parsed to int64 cents, sums are int64 while they cannot overflow, else Int128,
and the totals are Python integers. The rules chosen for each case: docs/fec.md; the measurements
behind the design: benchmarks/FEC.md."""
from __future__ import annotations

import bisect
import datetime
import os
import pickle
import re
import select
import subprocess
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from ..core.errors import InputErrors, Problem, nearest
from ..io.yaml import display_path

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

    from . import _block as fb


def _load() -> None:
    """Polars, numpy and the block worker: imported when a read starts (after the worker processes
    are started, so that their imports and this one run at the same time), not with this module."""
    global np, pl, fb
    import numpy as np  # noqa: F811
    import polars as pl  # noqa: F811

    from . import _block as fb  # noqa: F811


COLUMNS: tuple[str, ...] = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise")
SENS_COLUMNS: tuple[str, ...] = COLUMNS[:11] + ("Montant", "Sens") + COLUMNS[13:]
BLOCK_SIZE = 8 << 20
MAX_RUN = 256 << 20  # one entry longer than this is cut (its parts are then joined as an entry cut apart)
MAX_PENDING_RUNS = 200_000
INLINE_BELOW = 256 << 20  # bytes: below, this process reads blocks too (see read_fec)


# -------------------------------------------------------------------------------------- results

Key = tuple[str, datetime.date]  # (account, EcritureDate)


@dataclass
class Cell:
    """Debit − credit of one account on one day, in cents, with where it comes from."""

    cents: int = 0
    rows: int = 0
    sources: dict[str, int] = field(default_factory=dict)  # file -> first line


@dataclass
class FileReport:
    """What was found in one file."""

    file: str
    encoding: str = "ascii"
    separator: str = "\t"
    variant: str = "Debit/Credit"
    lines: int = 0  # the header included
    rows: int = 0  # lines that are not blank, the header excluded
    blank_lines: int = 0
    left_out_lines: int = 0
    extra_columns: tuple[str, ...] = ()
    line_end: str = "LF"
    fingerprint: str = ""  # of the file's entries (its totals, left out and excluded): see _Reader.fingerprints


@dataclass
class Excluded:
    """An entry that is not execution: closing (classes 6/7 into 12x) or opening (à nouveaux)."""

    kind: str
    journal: str
    num: str
    date: datetime.date
    file: str
    line: int
    lines: int
    cents: int  # the sum of its debits (of its lines on classes 1-8)


@dataclass
class Duplicate:
    key: tuple[str, str, datetime.date]  # JournalCode, EcritureNum, EcritureDate
    kept: tuple[str, int]  # file, first line of the entry counted
    duplicate: tuple[str, int]  # file, first line of the same entry seen again, not counted
    lines: int
    cents: int = 0  # the sum of its debits (its lines on classes 1-8), not counted again


@dataclass
class Conflict:
    key: tuple[str, str, datetime.date]
    first: tuple[str, int]  # counted
    second: tuple[str, int]  # same key, other lines: left out


@dataclass
class FecReport:
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first `max_errors`, in file order
    problem_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # by kind of problem
    left_out_lines: int = 0
    excluded: list[Excluded] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    analytic_lines: int = 0
    analytic_cents: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


@dataclass
class FecBooks:
    totals: dict[Key, Cell]
    left_out: dict[Key, Cell]
    report: FecReport


# --------------------------------------------------------------------------------- the grammar

_AMOUNT = re.compile(r"([+-]?) *([0-9]+)(?:,([0-9]*))?")


def amount_cents(text: str) -> tuple[int, int]:
    """(cents, code) of one FEC amount, the grammar _block applies: blanks around, an optional
    sign, digits (zeros in front allowed), an optional decimal comma with at least one decimal,
    beyond two decimals only zeros; "" is 0. Codes: 0 read, 1 not an amount, 2 significant decimals
    beyond the cent, 3 more than 15 digits before the comma."""
    t = text.strip(" ")
    if t == "":
        return 0, 0
    m = _AMOUNT.fullmatch(t)
    if not m or m.group(3) == "":
        return 0, 1
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    if frac[2:].strip("0"):
        return 0, 2
    frac = frac[:2]
    if int(whole + frac) >= 10 ** (15 + len(frac)):
        return 0, 3
    cents = int(whole) * 100 + int(frac.ljust(2, "0"))
    return (-cents if sign == "-" else cents), 0


def sens_direction(text: str) -> int:
    return {"D": 1, "+1": 1, "1": 1, "C": -1, "-1": -1}.get(text.strip(" ").upper(), 0)


def _cents_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def _describe(value: object) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:12] + "…" + text[-6:]


# ------------------------------------------------------------------------------------ the header

@dataclass
class _Head:
    offset: int
    size: int
    spec: fb.Spec
    encoding: str  # utf-8 (forced), auto-ascii, auto-utf8, iso-8859-15
    utf8_line: int | None
    names: tuple[str, ...]
    line_end: str


def _read_header(path: Path, shown: str, encoding: str, max_errors: int) -> _Head:
    def refuse(line: int, message: str) -> InputErrors:
        return InputErrors([Problem(shown, line, message)])

    try:
        if path.is_dir():
            raise refuse(0, "is a folder, not a FEC file")
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except FileNotFoundError:
        raise refuse(0, "file not found") from None
    except OSError as exc:
        raise refuse(0, f"cannot read the file: {exc.strerror}") from None
    bom = head.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    if not head[start:].strip():
        raise refuse(1, "the file is empty: a FEC starts with a header line of 18 columns "
                        "(JournalCode, JournalLib, …, Idevise)")
    lf, cr = head.find(b"\n", start), head.find(b"\r", start)
    if cr >= 0 and (lf < 0 or cr < lf) and head[cr + 1:cr + 2] != b"\n":
        eol, end, line_end = "\r", cr, "CR"
    elif lf >= 0:
        eol, end, line_end = "\n", lf, "CRLF" if lf > start and head[lf - 1:lf] == b"\r" else "LF"
    elif size > len(head):
        raise refuse(1, "no end of line in the first megabyte: this is not a FEC file")
    else:
        eol, end, line_end = "\n", len(head), "LF"
    first = head[start:end].rstrip(b"\r").decode("latin-1")
    offset = min(end + 1, size)
    sep, names, trailing = _header_columns(first, shown)
    rest = head[offset:]
    if not rest.strip() and size <= len(head):
        raise refuse(1, "the file has a header line but no entries")
    if not trailing:  # a separator after the last field of the lines, and not of the header?
        for line in rest[:rest.find(eol.encode(), 0, 1 << 16)].split(eol.encode())[:1]:
            fields = line.rstrip(b"\r").split(sep.encode())
            trailing = len(fields) == len(names) + 1 and not fields[-1].strip()
    sens = names[11].lower() == "montant"
    spec = fb.Spec(sep=sep, eol=eol, ncols=len(names), trailing=trailing,
                   index=dict(j=0, num=2, date=3, acc=4, aux=6, a1=11, a2=12), sens=sens, latin9=False,
                   max_errors=max_errors)
    # the encoding, from the first megabyte; the blocks check the rest
    utf8_line = None
    if bom or encoding == "utf-8":
        state = "utf-8"
    elif encoding == "iso-8859-15":
        state = "iso-8859-15"
    else:
        sample = rest[:rest.rfind(eol.encode()) + 1] if len(head) < size else rest
        bad, utf8_line = _encoding_lines(sample, eol)
        if bad is not None and utf8_line is not None:
            raise _mixed(shown, 2 + bad[0], bad[1], 2 + utf8_line)
        utf8_line = None if utf8_line is None else 2 + utf8_line
        state = "iso-8859-15" if bad is not None else "auto-utf8" if utf8_line else "auto-ascii"
    spec.latin9 = state == "iso-8859-15"
    return _Head(offset, size, spec, state, utf8_line, names, line_end)


def _header_columns(first: str, shown: str) -> tuple[str, tuple[str, ...], bool]:
    """(separator, column names, trailing separator) or InputErrors."""
    for sep in ("\t", "|"):
        fields = first.split(sep)
        trailing = len(fields) > 18 and fields[-1].strip() == ""
        if trailing:
            fields = fields[:-1]
        if len(fields) >= 18:
            break
    else:
        for other, name in ((";", "';'"), (",", "','")):
            if len(first.split(other)) >= 18:
                raise InputErrors([Problem(shown, 1, f"the fields are separated by {name}: a FEC separates them with "
                                                     "a tab or '|' (article A47 A-1 of the LPF)")])
        count = max(len(first.split("\t")), len(first.split("|")))
        raise InputErrors([Problem(shown, 1, f"the header line has {count} field(s) separated by a tab or '|'; "
                                             f"a FEC header has the 18 columns {', '.join(COLUMNS)}")])
    names = tuple(f.strip() for f in fields)
    expected = SENS_COLUMNS if names[11].lower() == "montant" else COLUMNS
    problems = []
    for i, (got, want) in enumerate(zip(names, expected)):
        if got.lower() != want.lower():
            if got.lower() in {w.lower() for w in expected}:
                msg = f"column {i + 1} is '{got}', expected '{want}': the 18 columns must be in the legal order"
            else:
                near = nearest(got, expected)
                msg = f"unknown column '{got}' in column {i + 1}" + (
                    f" — did you mean '{near}'?" if near else f", expected '{want}'")
            problems.append(Problem(shown, 1, msg))
    for i, extra in enumerate(names[18:], 19):
        if not extra:
            problems.append(Problem(shown, 1, f"column {i} has no name: columns after the 18 legal ones are "
                                              "optional but must be named"))
        elif extra.lower() in {w.lower() for w in COLUMNS + SENS_COLUMNS}:
            problems.append(Problem(shown, 1, f"column {i} '{extra}' repeats a legal column"))
    if problems:
        raise InputErrors(problems)
    return sep, expected + names[18:], trailing


def _encoding_lines(data: bytes, eol: str) -> tuple[tuple[int, int] | None, int | None]:
    """((line, byte) of the first line that is not UTF-8, line of the first non-ASCII UTF-8 line),
    counted from 0 in `data`. Only run on the first megabyte, or on a block that is not UTF-8."""
    bad = utf8 = None
    for n, line in enumerate(data.split(eol.encode())):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            if utf8 is None:
                utf8 = n
        except UnicodeDecodeError as exc:
            if bad is None:
                bad = (n, line[exc.start])
        if bad is not None and utf8 is not None:
            break
    return bad, utf8


def _mixed(shown: str, line: int, byte: int, utf8_line: int | None, forced: str = "") -> InputErrors:
    why = forced or f"while line {utf8_line} is UTF-8: the file mixes two encodings"
    return InputErrors([Problem(shown, line, f"byte 0x{byte:02X} is not UTF-8, {why}; export the file again in one "
                                             "encoding (UTF-8 or ISO-8859-15), or choose one with --encoding")])


# ------------------------------------------------------------------------------------ the blocks

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


def _blocks(path: Path, offset: int, size: int, eol: str, sep: str, block_size: int) -> Iterator[tuple[int, int]]:
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


# ------------------------------------------------------------------------------------ the merge

@dataclass
class _File:
    index: int
    shown: str
    path: Path
    head: _Head
    report: FileReport
    base: int = 1  # lines before the next block (the header is line 1)
    pending: list[pl.DataFrame] = field(default_factory=list)
    pending_runs: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, kind, message
    kept_rows: int = 0
    non_ascii_line: int | None = None
    blocks: list[tuple[int, int, int]] = field(default_factory=list)  # first line, offset, size
    merged: fb.BlockOut | None = None  # entries joined at the end of the file, with their lines
    last_block: bool = False  # the block being merged is the file's last


BUCKETS = 16  # the entries counted are kept by the top 4 bits of their key hash: a bucket at a time at the end


class _Reader:
    def __init__(self, max_errors: int):
        self.max_errors = max_errors
        self.report = FecReport()
        self.cells: list[pl.DataFrame] = []  # (acc, date, cents, rows, first, file): corrections, joined entries
        self.sums = fb.CellSums()  # the cells of the blocks read in this process
        self.bases: list[int] = []  # lines before each block (by block number)
        self.left: list[pl.DataFrame] = []
        self.names: list[str] = []
        self.files: list[_File] = []
        # the entries counted (key hash, lines hash, place), 24 bytes each, spilled to one file per bucket
        # of key hashes: memory stays bounded, and at the end one bucket at a time is searched for keys
        # seen twice
        self.spill = tempfile.TemporaryDirectory(prefix="fec-entries-")
        self.buckets = [open(os.path.join(self.spill.name, f"{b:02d}"), "w+b") for b in range(BUCKETS)]

    def close(self) -> None:
        for fh in self.buckets:
            fh.close()
        self.spill.cleanup()

    # -- problems
    def problem(self, f: _File, line: int, kind: str, message: str) -> None:
        self.report.problem_count += 1
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        if len(f.problems) < self.max_errors:
            f.problems.append((line, kind, message))

    def bad_lines(self, f: _File, out: fb.BlockOut, base: int) -> None:
        self.report.problem_count += out.bad_rows
        for kind, n in out.counts.items():
            self.report.counts[kind] = self.report.counts.get(kind, 0) + n
        f.report.left_out_lines += out.bad_rows
        self.report.left_out_lines += out.bad_rows
        if out.bad is None:
            return
        spec = f.head.spec
        names = ("Montant", "Sens") if spec.sens else ("Debit", "Credit")
        for r in out.bad.iter_rows(named=True):
            if len(f.problems) >= self.max_errors:
                break
            kind = r["kind"]
            line = base + r["line"]
            if kind == fb.K_COLUMNS:
                n = r["fields"]
                msg = f"{n} field(s) instead of {spec.ncols}"
                if n > spec.ncols:
                    msg += (" (is there a '|' inside a label? '|' separates the fields of this file)" if spec.sep == "|"
                            else " (is there a tab inside a label? the tab separates the fields of this file)")
                elif f.last_block and r["line"] == out.lines and _ends_cut(f):
                    msg += " (the last line is cut short: was the file truncated?)"
                else:
                    msg += " (a line cut short? was the file truncated?)"
                f.problems.append((line, "columns", msg))
                continue
            parts = []
            if not r["j"] or not r["num"]:
                parts.append(f"{'JournalCode' if not r['j'] else 'EcritureNum'} is empty")
            if not _date_ok(r["date_text"]):
                parts.append(f"EcritureDate '{_describe(r['date_text'])}' is not a date AAAAMMJJ (1900 to 2100)")
            if not "1" <= r["acc"][:1] <= "9":
                parts.append(f"CompteNum '{_describe(r['acc'])}' has no known class: an account number starts "
                             "with its class, a digit 1 to 9")
            for name, value, code in ((names[0], r["a1"], r["code1"]), (names[1], r["a2"], r["code2"])):
                if code == 1:
                    parts.append(f"{name} '{_describe(value)}' is not an amount (digits with a decimal comma, "
                                 "e.g. 1234,56)")
                elif code == 2:
                    parts.append(f"{name} '{_describe(value)}' has more than two significant decimals: not a "
                                 "whole number of cents")
                elif code == 3:
                    digits = len(str(value).strip(" ").lstrip("+-").strip(" ").split(",")[0])
                    parts.append(f"{name} '{_describe(value)}' has {digits} digits before the decimal comma "
                                 "(at most 15)")
                elif code == 4:
                    parts.append(f"{name} '{_describe(value)}' is not a direction: write D (debit) or C (credit), "
                                 "or +1 / -1")
            f.problems.append((line, fb.KIND_NAMES[kind], "; ".join(parts) or "malformed line"))

    # -- one block, in file order
    def merge(self, f: _File, out: fb.BlockOut, base: int) -> None:
        f.report.lines += out.lines
        f.report.rows += out.rows
        f.report.blank_lines += out.blank
        self.bad_lines(f, out, base)
        if out.pending is not None:
            f.pending.append(out.pending.with_columns(line=pl.col("line") + base))
            f.pending_runs += out.pending["run"].n_unique()
            if f.pending_runs > MAX_PENDING_RUNS:
                first = int(out.pending["line"].min()) + base
                raise InputErrors([Problem(f.shown, first, f"more than {MAX_PENDING_RUNS} entries do not balance "
                                           "on their own lines: this is not a balanced FEC with the lines of each "
                                           "entry together")])
        self.counted(f, out, base)

    def counted(self, f: _File, out: fb.BlockOut, base: int) -> None:
        f.kept_rows += out.kept_rows
        for first, half, j, num, day, debit in out.doubled:
            self.report.duplicates.append(Duplicate((j, num, day), (f.shown, base + first),
                                                    (f.shown, base + first + half), half, debit))
        self.report.analytic_lines += out.analytic[0]
        self.report.analytic_cents += out.analytic[1]
        if out.cells is not None and out.cells.height:
            self.cells.append(out.cells.with_columns(first=pl.col("first") + base, file=pl.lit(f.index, pl.UInt16)))

        for frame in (out.runs, out.excluded):
            if frame is None or not frame.height:
                continue
            ek = frame["ek"].to_numpy()
            place = (np.uint64(f.index) << np.uint64(40)) | (frame["first"].to_numpy().astype(np.uint64) + np.uint64(base))
            fp = frame["fp"].to_numpy()
            bucket = (ek >> np.uint64(60)).astype(np.uint8)
            order = np.argsort(bucket, kind="stable")
            bounds = np.searchsorted(bucket[order], np.arange(BUCKETS + 1))
            rows = np.stack([ek, fp, place], axis=1)[order]
            for b in range(BUCKETS):
                if bounds[b] < bounds[b + 1]:
                    self.buckets[b].write(rows[bounds[b]:bounds[b + 1]].tobytes())
        if out.excluded is not None:
            for r in out.excluded.iter_rows(named=True):
                self.report.excluded.append(Excluded("closing" if r["kind"] == fb.CLOSING else "opening", r["j"],
                                                     r["num"], r["date"], f.shown, base + r["first"], r["n"],
                                                     r["debit"]))

    # -- the end of a file: entries whose lines were not together, or that do not balance
    def finish(self, f: _File) -> None:
        if not f.pending:
            return
        rows = pl.concat(f.pending)
        f.pending = []
        rows = rows.with_columns(run=pl.struct("j", "num").rank("dense").cast(pl.UInt32)).sort("run", "line")
        out = fb.BlockOut()
        fb.judge_runs(rows.select(fb.ROW_COLUMNS + ["run"]), out, runs_given=True, detail=True)
        f.merged = out
        self.counted(f, out, 0)
        if out.pending is not None:
            self.left_out_entries(f, out.pending)

    def left_out_entries(self, f: _File, rows: pl.DataFrame) -> None:
        good = (pl.col("kind") == fb.OK)
        entries = rows.with_columns(good=good, net=pl.when(good & (pl.col("acc") < "9")).then(pl.col("cents"))
                                    .otherwise(0).cast(pl.Int128), gdate=pl.when(good).then(pl.col("date"))).group_by("run").agg(
            j=pl.col("j").first(), num=pl.col("num").first(), first=pl.col("line").min(), n=pl.len(),
            ngood=pl.col("good").sum(), net=pl.col("net").sum(), dmin=pl.col("gdate").min(),
            dmax=pl.col("gdate").max()).sort("first")
        kept = rows.filter(good & (pl.col("acc") < "9"))
        if kept.height:
            self.left.append(fb.cells_of(kept).with_columns(file=pl.lit(f.index, pl.UInt16)))
        n = int(entries["ngood"].sum())
        f.report.left_out_lines += n
        self.report.left_out_lines += n
        for r in entries.iter_rows(named=True):
            if r["ngood"] < r["n"]:
                if r["ngood"]:
                    self.problem(f, r["first"], "entry", f"entry {r['j']} {r['num']} (from line {r['first']}): its "
                                 f"{r['ngood']} well-formed line(s) are left out with its malformed line(s)")
            elif r["dmin"] != r["dmax"]:
                self.problem(f, r["first"], "entry", f"entry {r['j']} {r['num']} (from line {r['first']}) has lines "
                             f"on {r['dmin']:%d/%m/%Y} and on {r['dmax']:%d/%m/%Y}: its {r['n']} line(s) are left out")
            else:
                self.problem(f, r["first"], "unbalanced", f"entry {r['j']} {r['num']} ({r['n']} line(s) from line "
                             f"{r['first']}) does not balance: debit − credit = {_cents_text(r['net'])}")

    # -- entries seen twice: within a file or across files, found once everything is read
    def deduplicate(self) -> None:
        repeats = []  # (place of the later one, place of the first, fp of both)
        for b in range(BUCKETS):
            fh = self.buckets[b]
            fh.flush()
            fh.seek(0)
            a = np.fromfile(fh, np.uint64).reshape(-1, 3)
            fh.close()
            if not len(a):
                continue
            df = pl.DataFrame({"ek": a[:, 0], "fp": a[:, 1], "place": a[:, 2]})
            del a
            dup = df.filter(pl.col("ek").is_duplicated())
            for _, group in dup.sort("place").group_by("ek", maintain_order=True):
                first = group.row(0, named=True)
                for r in group.iter_rows(named=True):
                    if r["place"] != first["place"]:
                        repeats.append((r["place"], first["place"], r["fp"] == first["fp"]))
        if not repeats:
            return
        mask = (1 << 40) - 1
        excluded = {(self.names.index(e.file) << 40) | e.line: e for e in self.report.excluded}
        by_file: dict[int, list] = {}
        for later, first, same in sorted(repeats):
            kept_place = (self.names[first >> 40], first & mask)
            if later in excluded:  # not counted anyway: only reported
                e = excluded.pop(later)
                key = (e.journal, e.num, e.date)
                if same:
                    self.report.duplicates.append(Duplicate(key, kept_place, (e.file, e.line), e.lines, e.cents))
                else:
                    self.report.conflicts.append(Conflict(key, kept_place, (e.file, e.line)))
                    self.problem(self.files[later >> 40], e.line, "conflict",
                                 f"entry {e.journal} {e.num} of {e.date:%d/%m/%Y} ({e.lines} line(s)) has the key of "
                                 f"the entry at {kept_place[0]}:{kept_place[1]} but other lines")
                continue
            by_file.setdefault(later >> 40, []).append((later & mask, kept_place, same))
        self.report.excluded = list(excluded.values())
        for index, items in by_file.items():
            self.take_out(self.files[index], items)

    def take_out(self, f: _File, items: list[tuple[int, tuple[str, int], bool]]) -> None:
        """Take entries found again out of the totals: read their blocks again to find their lines."""
        wanted = {line: (kept, same) for line, kept, same in items}
        sources = []
        starts = [b[0] for b in f.blocks]
        for line in sorted(wanted):
            i = bisect.bisect_right(starts, line) - 1
            if i >= 0 and line < (f.blocks[i + 1][0] if i + 1 < len(f.blocks) else f.base):
                sources.append(i)
        outs = []
        for i in sorted(set(sources)):
            first, offset, size = f.blocks[i]
            out = fb.process(fb._read_block(f.path, offset, size), f.head.spec, detail=True)
            outs.append((out, first - 1))
        if f.merged is not None and f.merged.detail is not None:
            outs.append((f.merged, 0))
        for out, base in outs:
            runs, rows = out.detail
            runs = runs.with_columns(first=pl.col("first") + base).filter(pl.col("first").is_in(list(wanted)))
            for r in runs.iter_rows(named=True):
                kept, same = wanted.pop(r["first"])
                lines = rows.filter(pl.col("run") == r["run"]).with_columns(line=pl.col("line") + base)
                counted = lines.filter(pl.col("acc") < "9")
                minus = fb.cells_of(counted).with_columns(cents=pl.lit(0, pl.Int128) - pl.col("cents"),
                                                          rows=-pl.col("rows").cast(pl.Int64),
                                                          first=pl.lit(None, pl.UInt32), file=pl.lit(f.index, pl.UInt16))
                self.cells.append(minus.with_columns(first=pl.col("first").cast(pl.Int64)))
                an = lines.filter(pl.col("acc") >= "9")
                self.report.analytic_lines -= an.height
                self.report.analytic_cents -= int(an["cents"].cast(pl.Int128).sum() or 0)
                f.kept_rows -= counted.height
                key = (r["j"], r["num"], r["date"])
                if same:
                    debit = int(counted["cents"].cast(pl.Int128).clip(lower_bound=0).sum() or 0)
                    self.report.duplicates.append(Duplicate(key, kept, (f.shown, r["first"]), r["n"], debit))
                    continue
                self.report.conflicts.append(Conflict(key, kept, (f.shown, r["first"])))
                self.left.append(fb.cells_of(counted).with_columns(file=pl.lit(f.index, pl.UInt16)))
                f.report.left_out_lines += r["n"]
                self.report.left_out_lines += r["n"]
                self.problem(f, r["first"], "conflict",
                             f"entry {r['j']} {r['num']} of {r['date']:%d/%m/%Y} ({r['n']} line(s)) has the key of the "
                             f"entry at {kept[0]}:{kept[1]} but other lines: it is left out, the first one is counted")
        if wanted:
            raise RuntimeError(f"internal: entries at lines {sorted(wanted)} of {f.shown} not found again")

    # -- the result
    def add_sums(self, parts: list[pl.DataFrame]) -> None:
        """The cells summed where the blocks were read, their first lines made absolute."""
        parts = [p.with_columns(pl.col("cents").cast(pl.Int128)) for p in parts if p.height]
        if not parts:
            return
        df = pl.concat(parts).group_by("file", "acc", "date").agg(
            pl.col("cents").sum(), pl.col("rows").sum(), pl.col("pos").min())
        pos = df["pos"].to_numpy()
        first = np.asarray(self.bases, np.int64)[(pos >> np.uint64(32)).astype(np.int64)] + (
            pos & np.uint64(0xFFFFFFFF)).astype(np.int64)
        self.cells.append(df.select("acc", "date", "cents", "rows", "file").with_columns(first=pl.Series(first)))

    def fingerprints(self) -> None:
        """Each file's fingerprint: 12 hex digits of the SHA-256 of its debit − credit and lines per (account,
        date), counted and left out, and of its excluded entries, taken before the entries also seen in
        another file are taken out. It depends on the file's entries alone (not on its encoding, separator,
        line ends or order of entries, nor on the other files read with it), so that scenario events made
        from a FEC can name it and `--execution` on the same books be recognised (fec/events.py)."""
        import hashlib

        texts: dict[int, list[str]] = {f.index: [] for f in self.files}
        for name, parts in (("kept", self.cells), ("left", self.left)):
            if parts:
                lines = _sum_cells(parts).filter(pl.col("rows") != 0).select("file", text=pl.concat_str(
                    [pl.lit(name), pl.col("acc"), pl.col("date").dt.strftime("%Y-%m-%d"),
                     pl.col("cents").cast(pl.String), pl.col("rows").cast(pl.String)], separator="\t"))
                for file, part in lines.group_by("file"):
                    texts[int(file[0])] += part["text"].to_list()
        for e in self.report.excluded:
            texts[self.names.index(e.file)].append(f"{e.kind}\t{e.journal}\t{e.num}\t{e.date.isoformat()}\t{e.lines}"
                                                   f"\t{e.cents}")
        for f in self.files:
            digest = hashlib.sha256("\n".join(sorted(texts[f.index])).encode("utf-8")).hexdigest()
            f.report.fingerprint = digest[:12]

    def books(self) -> FecBooks:
        for f in self.files:
            f.problems.sort()
            room = self.max_errors - len(self.report.problems)
            self.report.problems.extend(Problem(f.shown, line, msg) for line, _, msg in f.problems[:max(room, 0)])
        self.report.excluded.sort(key=lambda e: (self.names.index(e.file), e.line))
        return FecBooks(self.collect(self.cells), self.collect(self.left), self.report)

    def collect(self, parts: list[pl.DataFrame]) -> dict[Key, Cell]:
        cells: dict[Key, Cell] = {}
        if not parts:
            return cells
        df = _sum_cells(parts).filter(pl.col("rows") > 0).sort("file")
        names = self.names
        for acc, day, file, cents, rows, first in zip(*(df[c].to_list() for c in df.columns)):
            cell = cells.get((acc, day))
            if cell is None:
                cells[(acc, day)] = Cell(cents, rows, {names[file]: first})
                continue
            cell.cents += cents
            cell.rows += rows
            cell.sources[names[file]] = first
        return cells


def _sum_cells(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Cells of several blocks summed per (account, date, file), in Int128 (exact for any file)."""
    parts = [p.select("acc", "date", pl.col("cents").cast(pl.Int128), pl.col("rows").cast(pl.Int64),
                      pl.col("first").cast(pl.Int64), pl.col("file").cast(pl.UInt16)) for p in parts]
    return pl.concat(parts).group_by("acc", "date", "file").agg(
        pl.col("cents").sum(), pl.col("rows").sum(), pl.col("first").min())


def _date_ok(text: str) -> bool:
    try:
        return len(text) == 8 and 1900 <= datetime.datetime.strptime(text, "%Y%m%d").year <= 2100
    except ValueError:
        return False


# ----------------------------------------------------------------------------------- the reader

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
    pool: _Inline | _Workers = _Inline()
    if workers > 1 and total > 2 * block_size:  # worth starting worker processes (~0.25 s, while this one imports)
        # a large read: `workers` processes, this one merges; a middling one: one fewer, and this
        # process reads a block itself whenever they are busy (one import of Polars less to wait for)
        inline = total < INLINE_BELOW
        pool = _Workers(workers - 1 if inline else workers, inline)
    reader = None
    try:
        _load()
        reader = _Reader(max_errors)
        for i, p in enumerate(files):  # every header is checked before any long read
            shown = display_path(p)
            head = _read_header(p, shown, encoding, max_errors)
            spec = head.spec
            report = FileReport(shown, separator=spec.sep, variant="Montant/Sens" if spec.sens else "Debit/Credit",
                                extra_columns=head.names[18:], line_end=head.line_end)
            reader.files.append(_File(i, shown, p, head, report, non_ascii_line=head.utf8_line))
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
                for offset, size in _blocks(f.path, f.head.offset, f.head.size, spec.eol, spec.sep, block_size):
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


def _finish(reader: _Reader, strict: bool) -> FecBooks:
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


class _Done:
    """The result of a block read in this process."""

    def __init__(self, fn: Callable, request: tuple):
        try:
            self.value, self.error = fn(request), None
        except Exception as exc:  # noqa: BLE001 - raised again by result()
            self.value, self.error = None, exc

    def done(self) -> bool:
        return True

    def result(self) -> fb.BlockOut:
        if self.error is not None:
            raise self.error
        return self.value


class _Inline:
    """Runs each block at once in this process (a small file: no worker processes to start)."""

    local: Callable

    def submit(self, request: tuple) -> _Done:
        return _Done(self.local, request)

    def finish(self) -> list:
        return []

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def reap(self) -> None:
        pass


class _Pending:
    """A block sent to a worker process; its answer is read in the order the blocks were sent."""

    def __init__(self, workers: _Workers, slot: int):
        self.workers, self.slot, self.answer = workers, slot, None

    def done(self) -> bool:
        if self.answer is None and self.workers.first[self.slot] is self:
            pipe = self.workers.procs[self.slot].stdout
            if select.select([pipe], [], [], 0)[0]:
                self.result_or_error()
        return self.answer is not None

    def result_or_error(self) -> None:
        pipe = self.workers.procs[self.slot].stdout
        try:
            self.answer = pickle.loads(_read_exactly(pipe, int.from_bytes(_read_exactly(pipe, 8), "little")))
        except EOFError:
            self.answer = ("error", RuntimeError(
                "a FEC worker process stopped: see its error above (it runs `python -c \"import "
                "budgetrules.fec._block\"`: budgetrules must be importable by the Python that runs it; "
                "read_fec(..., threads=1) reads without worker processes)"))
        self.workers.answered(self.slot)

    def result(self) -> fb.BlockOut:
        while self.answer is None:  # answers of a worker come in order: the ones before this first
            self.workers.first[self.slot].result_or_error()
        status, value = self.answer
        if status == "error":
            raise value
        return value


def _read_exactly(pipe, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = pipe.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Workers:
    """Worker processes (`python -c` running _block.serve) beside this one, each on its own core:
    Polars does not run two calls of one process at once, threads would not help. Plain pipes, no
    multiprocessing: nothing of the caller's __main__ is imported again. A block goes to a worker
    that has fewer than two blocks waiting, else it is read here at once."""

    def __init__(self, n: int, inline: bool = False):
        self.inline = inline
        code = "import budgetrules.fec._block as block; block.serve()"  # the installed package's module
        env = dict(os.environ, POLARS_MAX_THREADS="1")
        self.procs = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env=env, bufsize=0) for _ in range(n)]
        self.queues: list[deque] = [deque() for _ in range(n)]

    @property
    def first(self) -> list:
        return [q[0] if q else None for q in self.queues]

    def answered(self, slot: int) -> None:
        self.queues[slot].popleft()

    local: Callable

    def submit(self, request: tuple) -> _Pending | _Done:
        slot = min(range(len(self.procs)), key=lambda i: len(self.queues[i]))
        if len(self.queues[slot]) >= 2 and self.inline:
            return _Done(self.local, request)
        self.procs[slot].stdin.write(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
        pending = _Pending(self, slot)
        self.queues[slot].append(pending)
        return pending

    def finish(self) -> list[pl.DataFrame]:
        """Close the workers' input: each sends the sums of the cells of its blocks."""
        parts = []
        for slot, proc in enumerate(self.procs):
            while self.queues[slot]:
                self.queues[slot][0].result_or_error()
            proc.stdin.close()
            _, value = pickle.loads(_read_exactly(proc.stdout, int.from_bytes(_read_exactly(proc.stdout, 8), "little")))
            parts.append(value)
        return parts

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            try:
                proc.stdin.close()
            except OSError:
                pass
        if exc[0] is not None:
            for proc in self.procs:
                proc.kill()
            self.reap()
        # else: every answer is read; the processes end on their own while this one finishes (reap())

    def reap(self) -> None:
        for proc in self.procs:
            proc.wait()


def _work(path: str, offset: int, size: int, spec: fb.Spec, file: int, block: int,
          sums: fb.CellSums | None = None) -> fb.BlockOut:
    return fb.process(fb._read_block(path, offset, size), spec, sums=sums, file=file, block=block)


def _take(pending: deque, pool: _Inline | _Workers, reader: _Reader, f: _File) -> int:
    future, offset, size, _, request = pending.popleft()
    base = f.base
    f.blocks.append((base + 1, offset, size))
    reader.bases.append(base)
    try:
        out = future.result()
    except fb.NotUtf8:
        out = _not_utf8(pending, pool, reader, f, request, base)
    if out.non_ascii and f.non_ascii_line is None and not f.head.spec.latin9:
        data = fb._read_block(f.path, offset, size)
        m = re.search(rb"[\x80-\xff]", data)
        f.non_ascii_line = base + 1 + data.count(f.head.spec.eol.encode(), 0, m.start()) if m else base + 1
        if f.head.encoding == "auto-ascii":
            f.head.encoding = "auto-utf8"
    f.last_block = offset + size >= f.head.size
    reader.merge(f, out, base)
    f.base += out.lines
    return size


def _ends_cut(f: _File) -> bool:
    """The file's last byte is not an end of line (its last line may have been cut)."""
    fd = os.open(f.path, os.O_RDONLY)
    try:
        return os.pread(fd, 1, f.head.size - 1) not in (f.head.spec.eol.encode(), b"\n")
    finally:
        os.close(fd)


def _not_utf8(pending: deque, pool: _Inline | _Workers, reader: _Reader, f: _File, request: tuple,
              base: int) -> fb.BlockOut:
    """A block is not UTF-8: refuse the file, or read it (and the blocks after it) as ISO-8859-15."""
    data = fb._read_block(f.path, request[1], request[2])
    bad, utf8 = _encoding_lines(data, f.head.spec.eol)
    assert bad is not None
    line, byte = base + 1 + bad[0], bad[1]
    if f.head.encoding == "utf-8":
        raise _mixed(f.shown, line, byte, None, "the file is read as UTF-8 (it starts with a UTF-8 mark, or "
                                                "--encoding utf-8 was given)")
    if f.non_ascii_line is not None or utf8 is not None:
        raise _mixed(f.shown, line, byte, f.non_ascii_line if f.non_ascii_line is not None else base + 1 + utf8)
    f.head.spec.latin9 = True  # ASCII so far: the file is ISO-8859-15 from the start
    f.head.encoding = "iso-8859-15"
    spec = f.head.spec
    for item in pending:  # blocks sent before the switch: ASCII ones stand, the others are read again
        if item[3] or item[4][0] != str(f.path):
            continue
        try:
            out = item[0].result()
        except fb.NotUtf8:
            item[4] = item[4][:3] + (spec,) + item[4][4:]
            item[0], item[3] = pool.submit(item[4]), True
            continue
        if out.non_ascii:  # valid UTF-8 after bytes that are not: two encodings
            raise _mixed(f.shown, line, byte, None, "while a later block of the file is UTF-8: the file mixes two "
                                                    "encodings")
        item[0], item[3] = _Ready(out), True
    return pool.local(request[:3] + (spec,) + request[4:])


class _Ready:
    def __init__(self, value: fb.BlockOut):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> fb.BlockOut:
        return self.value
