"""Reading accounting entries (FEC, article A47 A-1 of the LPF) at the speed of the disk.

Streams each file in blocks, checks every line, and sums debit − credit per account and year in integer cents."""
from __future__ import annotations

import os
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from . import _fecscan
from ..core.errors import InputErrors, Problem, nearest
from ..io.yaml import display_path

COLUMNS: tuple[str, ...] = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise")
SENS_COLUMNS: tuple[str, ...] = COLUMNS[:11] + ("Montant", "Sens") + COLUMNS[13:]
MAX_INT_DIGITS = 15  # before the decimal comma: 999 999 999 999 999,99 € at most, so a line fits in int64 cents
BLOCK_SIZE = 4 << 20
MAX_OPEN_RUNS = 200_000
MAX_LINE = 64 << 20

Key = tuple[str, int]  # (account, year)


@dataclass
class Cell:
    """Debit − credit of one account in one year, in cents, with where it comes from."""

    cents: int = 0
    rows: int = 0
    sources: dict[str, int] = field(default_factory=dict)  # file -> first line

    def add(self, cents: int, rows: int, file: str, line: int) -> None:
        self.cents += cents
        self.rows += rows
        if line < self.sources.get(file, line + 1):
            self.sources[file] = line


@dataclass
class FileReport:
    """What was found in one file."""

    file: str
    encoding: str = "ascii"
    separator: str = "\t"
    variant: str = "Debit/Credit"
    lines: int = 0
    rows: int = 0
    blank_lines: int = 0
    left_out_lines: int = 0


@dataclass
class FecReport:
    """Everything a reader needs to trust the totals: per file counts and each line left out."""

    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first `max_errors`, in file order
    problem_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # by kind of problem
    left_out_lines: int = 0
    notes: list[str] = field(default_factory=list)  # filled by the mapping (unmatched accounts, …)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


@dataclass
class FecBooks:
    """Debit − credit per (account, year) kept, and of the lines left out, with the report."""

    totals: dict[Key, Cell]
    left_out: dict[Key, Cell]
    report: FecReport


def _cents_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


# ----------------------------------------------------------------------------------------- header

def _read_header(path: Path, shown: str) -> tuple[int, str, tuple[str, ...], bool, int]:
    """(offset of the first entry, separator, columns, has BOM, size) or InputErrors."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except FileNotFoundError:
        raise InputErrors([Problem(shown, 0, "file not found")]) from None
    except IsADirectoryError:
        raise InputErrors([Problem(shown, 0, "is a folder, not a FEC file")]) from None
    except OSError as exc:
        raise InputErrors([Problem(shown, 0, f"cannot read the file: {exc.strerror}")]) from None
    bom = head.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    if not head[start:].strip():
        raise InputErrors([Problem(shown, 1, "the file is empty: a FEC starts with a header line of 18 columns "
                                             "(JournalCode, JournalLib, …, Idevise)")])
    end = head.find(b"\n")
    if end < 0 and size > len(head):
        raise InputErrors([Problem(shown, 1, "no end of line in the first megabyte: this is not a FEC file")])
    first = head[start:end if end >= 0 else len(head)].rstrip(b"\r").decode("latin-1")
    offset = end + 1 if end >= 0 else size
    sep, names = _header_columns(first, shown)
    if not head[offset:].strip() and size <= len(head):
        raise InputErrors([Problem(shown, 1, "the file has a header line but no entries")])
    return offset, sep, names, bom, size


def _header_columns(first: str, shown: str) -> tuple[str, tuple[str, ...]]:
    for sep in ("\t", "|"):
        fields = first.split(sep)
        if len(fields) == 18:
            break
    else:
        for other, name in ((";", "';'"), (",", "','")):
            if len(first.split(other)) == 18:
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
    if problems:
        raise InputErrors(problems)
    return sep, expected


# ----------------------------------------------------------------------------------------- blocks

def _blocks(path: Path, offset: int, block_size: int) -> Iterator[tuple[bytearray, int]]:
    """Blocks of whole lines (the last may lack its newline): bytes 8 to `end` of a buffer that has 8 zero
    bytes in front and slack behind, read straight into it."""
    with open(path, "rb", buffering=0) as fh:
        fh.seek(offset)
        rest = b""
        while True:
            buf = bytearray(-(-(8 + len(rest) + block_size + 24) // 8) * 8)  # 8-byte words, slack behind
            buf[8:8 + len(rest)] = rest
            filled = 8 + len(rest)
            view = memoryview(buf)
            while filled < 8 + len(rest) + block_size:
                got = fh.readinto(view[filled:8 + len(rest) + block_size])
                if not got:
                    break
                filled += got
            view.release()
            if filled == 8 + len(rest):  # end of file
                if rest:
                    yield buf, filled
                return
            cut = buf.rfind(b"\n", 8, filled) + 1
            if cut == 0:  # a line longer than the block: read on
                rest = bytes(buf[8:filled])
                if len(rest) > MAX_LINE:
                    raise InputErrors([Problem(display_path(path), 0, f"a line longer than {MAX_LINE >> 20} MB: "
                                                                      "this is not a FEC file")])
                continue
            rest = bytes(buf[cut:filled])
            yield buf, cut


@dataclass
class _Context:
    file: str
    sep: str
    sens: bool
    encoding: str  # auto | utf-8 | iso-8859-15
    max_errors: int


@dataclass
class _Run:
    """Consecutive lines of one entry (JournalCode, EcritureNum): kept only if the whole entry balances."""

    key: tuple[str, str]
    cents: int
    tainted: bool  # holds a malformed line
    first: int
    rows: int  # well-formed lines
    contrib: dict[Key, list[int]]  # (account, year) -> [cents, rows, first line]

    def extend(self, other: _Run) -> _Run:
        for k, (c, r, f) in other.contrib.items():
            _add_contrib(self.contrib, k, c, r, f)
        self.cents += other.cents
        self.tainted |= other.tainted
        self.rows += other.rows
        self.first = min(self.first, other.first)
        return self


def _add_contrib(contrib: dict[Key, list[int]], key: Key, cents: int, rows: int, first: int) -> None:
    cell = contrib.get(key)
    if cell is None:
        contrib[key] = [cents, rows, first]
    else:
        cell[0] += cents
        cell[1] += rows
        cell[2] = min(cell[2], first)


@dataclass
class _BlockResult:
    nlines: int = 0
    rows: int = 0
    blank: int = 0
    agg: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # account, year, cents, rows, first
    head: _Run | None = None
    tail: _Run | None = None  # None when the block is a single run (then head is also the tail)
    open: list[_Run] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, kind, message
    problem_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bad_rows: int = 0
    utf8_line: int | None = None
    latin_line: int | None = None
    latin_byte: int = 0


# ------------------------------------------------------------------------------- the block scanner

_AMOUNT = re.compile(r"(-?)([0-9]*)(?:,([0-9]*))?")


def amount_cents(text: str) -> tuple[int, int]:
    """(cents, code) of one FEC amount, the grammar the scanner applies: an optional '-', digits, and an
    optional decimal comma with one or two decimals; "" is 0. Codes: 0 read, 1 not a number,
    2 not one or two decimals after the comma, 3 more than 15 digits before it."""
    if text == "":
        return 0, 0
    m = _AMOUNT.fullmatch(text)
    if not m:
        return 0, 1
    sign, whole, frac = m.groups()
    if not whole:
        return 0, 1
    if frac is not None and not 1 <= len(frac) <= 2:
        return 0, 2
    if len(whole) > MAX_INT_DIGITS:
        return 0, 3
    cents = int(whole) * 100 + int((frac or "").ljust(2, "0"))
    return (-cents if sign else cents), 0


# Flags of a line, set by the scanner (budgetrules/_fecscan.c).
F_COLUMNS, F_DATE, F_ACCOUNT, F_KEY, F_AMOUNT1, F_AMOUNT2 = 1, 2, 4, 8, 16, 32


# ------------------------------------------------------------------------------------ one block

def process(buf: bytearray, end: int, ctx: _Context) -> _BlockResult:
    """Check and sum the lines in buf[8:end]; line numbers are counted from 0 in the block.

    The byte-level work is done by the C scanner (`_fecscan.scan`, GIL released); this turns what it
    returns (per-block sums, malformed lines, the entries that are cut or do not balance) into objects."""
    res = _BlockResult()
    cut = buf[end - 1] != 10  # the file's last line, without its newline
    (n, nlines, blank, bad_utf8, multibyte, overflow, agg, bad, runs) = _fecscan.scan(
        buf, 8, end, ord(ctx.sep), ctx.sens, ctx.encoding != "iso-8859-15")
    res.nlines, res.rows, res.blank = nlines, n, blank
    encoding = "iso-8859-15" if ctx.encoding == "iso-8859-15" else "utf-8"
    if bad_utf8 >= 0:
        res.latin_line = buf.count(b"\n", 8, bad_utf8)
        res.latin_byte = buf[bad_utf8]
        encoding = "iso-8859-15"  # kept only if the whole file turns out to be ISO-8859-15
    if multibyte >= 0 and encoding == "utf-8" or bad_utf8 >= 0 and multibyte >= 0:
        res.utf8_line = buf.count(b"\n", 8, multibyte)

    def text(s: int, e: int) -> str:
        return buf[s:e].decode(encoding, "replace")

    if n == 0:
        return res
    res.bad_rows = len(bad)
    if bad:
        _row_problems(res, bad, cut, nlines, text, ctx)
    res.agg = [(text(s, e), year, cents, rows, first) for s, e, year, cents, rows, first in agg]
    built = []
    contrib: dict[Key, list[int]] = {}  # overflow: the balanced entries inside the block, in Python integers
    for index, (k0s, k0e, k1s, k1e, first, cents, tainted, good, lines) in enumerate(runs):
        if overflow:
            cents = sum(line[3] for line in lines)
            if 0 < index < len(runs) - 1 and cents == 0 and not tainted:
                for s, e, year, net, line in lines:
                    _add_contrib(contrib, (text(s, e), year), net, 1, line)
                continue
        run = _Run((text(k0s, k0e), text(k1s, k1e)), cents, tainted, first, good, {})
        for s, e, year, net, line in lines:
            _add_contrib(run.contrib, (text(s, e), year), net, 1, line)
        built.append(run)
    if overflow:
        res.agg = [(a, y, c, k, f) for (a, y), (c, k, f) in contrib.items()]
    res.head = built[0]
    if len(built) > 1:
        res.tail = built[-1]
        res.open = built[1:-1]
    return res


def _block_problem(res: _BlockResult, line: int, kind: str, message: str, ctx: _Context) -> None:
    res.problem_count += 1
    res.counts[kind] = res.counts.get(kind, 0) + 1
    if message and len(res.problems) < ctx.max_errors:
        res.problems.append((line, kind, message))


def _row_problems(res: _BlockResult, bad: list[tuple[int, ...]], cut: bool, nlines: int,
                  text: Callable[[int, int], str], ctx: _Context) -> None:
    names = ("Montant", "Sens") if ctx.sens else ("Debit", "Credit")
    why = {1: "is not an amount (digits with a decimal comma, e.g. 1234,56)",
           2: "needs one or two decimals after its comma",
           4: "is not a direction: write D (debit) or C (credit)"}
    for line, start, end, flag, nfields, code1, code2 in bad:
        kind = ("columns" if flag & F_COLUMNS else "entry" if flag & F_KEY else "date" if flag & F_DATE
                else "account" if flag & F_ACCOUNT else "amount")
        if len(res.problems) >= ctx.max_errors:
            _block_problem(res, line, kind, "", ctx)
            continue
        fields = text(start, end).split(ctx.sep)
        if flag & F_COLUMNS:
            msg = f"{nfields} field(s) instead of 18"
            if cut and line == nlines - 1:
                msg += " (the last line is cut short: was the file truncated?)"
            elif nfields > 18:
                msg += (" (is there a '|' inside a label? '|' separates the fields of this file)" if ctx.sep == "|"
                        else " (is there a tab inside a label? the tab separates the fields of this file)")
            _block_problem(res, line, kind, msg, ctx)
            continue
        parts: list[str] = []
        if flag & F_KEY:
            parts.append(f"{'JournalCode' if not fields[0] else 'EcritureNum'} is empty")
        if flag & F_DATE:
            parts.append(f"EcritureDate '{_describe(fields[3])}' is not a date AAAAMMJJ (1900 to 2100)")
        if flag & F_ACCOUNT:
            parts.append(f"account '{_describe(fields[4])}' has no known class: an account number starts with its "
                         "class, a digit 1 to 8")
        for name, value, code in ((names[0], fields[11], code1), (names[1], fields[12], code2)):
            if code == 3:
                digits = len(value.lstrip("-").split(",")[0])
                parts.append(f"{name} '{_describe(value)}' has {digits} digits before the decimal comma "
                             f"(at most {MAX_INT_DIGITS})")
            elif code:
                parts.append(f"{name} '{_describe(value)}' {why[code]}")
        _block_problem(res, line, kind, "; ".join(parts), ctx)


# ------------------------------------------------------------------------------ merging in order

class _Merger:
    """Adds the blocks of one file in order; judges each entry once all its lines are seen."""

    def __init__(self, ctx: _Context, freport: FileReport, report: FecReport, totals: dict[Key, Cell],
                 left_out: dict[Key, Cell]):
        self.ctx, self.freport, self.report, self.totals, self.left_out = ctx, freport, report, totals, left_out
        self.pending: _Run | None = None
        self.carry: dict[tuple[str, str], list[_Run]] = {}
        self.carried = 0
        self.problems: list[tuple[int, str, str]] = []
        self.utf8_line: int | None = None
        self.latin: tuple[int, int] | None = None
        self.base = 2  # the line number of the next block's first line (the header is line 1)

    def merge(self, res: _BlockResult) -> None:
        base = self.base
        self.base += res.nlines
        for run in [res.head, res.tail, *res.open]:
            if run is not None:
                run.first += base
                for cell in run.contrib.values():
                    cell[2] += base
        self.freport.rows += res.rows
        self.freport.blank_lines += res.blank
        self.freport.left_out_lines += res.bad_rows
        self.report.left_out_lines += res.bad_rows
        if res.utf8_line is not None and self.utf8_line is None:
            self.utf8_line = base + res.utf8_line
        if res.latin_line is not None and self.latin is None:
            self.latin = (base + res.latin_line, res.latin_byte)
        for line, kind, message in res.problems:  # blocks come in order: the first ones are enough
            if len(self.problems) < self.ctx.max_errors:
                self.problems.append((base + line, kind, message))
        self.report.problem_count += res.problem_count
        for kind, count in res.counts.items():
            self.report.counts[kind] = self.report.counts.get(kind, 0) + count
        for account, year, cents, rows, first in res.agg:
            self._cell(self.totals, (account, year)).add(cents, rows, self.ctx.file, base + first)
        if res.head is None:
            return
        head = res.head
        if self.pending is not None and self.pending.key == head.key:
            head = self.pending.extend(head)
        elif self.pending is not None:
            self._judge(self.pending)
        self.pending = None
        if res.tail is None:
            self.pending = head
            return
        self._judge(head)
        for run in res.open:
            self._judge(run)
        self.pending = res.tail

    @staticmethod
    def _cell(cells: dict[Key, Cell], key: Key) -> Cell:
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell()
        return cell

    def _judge(self, run: _Run) -> None:
        if run.cents == 0 and not run.tainted:
            self._keep(run, self.totals)
            return
        self.carry.setdefault(run.key, []).append(run)
        self.carried += 1
        if self.carried > MAX_OPEN_RUNS:
            raise InputErrors([Problem(self.ctx.file, run.first, f"more than {MAX_OPEN_RUNS} groups of lines do not "
                                       "balance on their own: this is not a balanced FEC with the lines of each "
                                       "entry together")])

    def _keep(self, run: _Run, cells: dict[Key, Cell]) -> None:
        for key, (cents, rows, first) in run.contrib.items():
            self._cell(cells, key).add(cents, rows, self.ctx.file, first)

    def finish(self) -> None:
        if self.pending is not None:
            self._judge(self.pending)
        self._check_encoding()
        for key, runs in self.carry.items():
            total = sum(r.cents for r in runs)
            tainted = any(r.tainted for r in runs)
            if total == 0 and not tainted:
                for run in runs:
                    self._keep(run, self.totals)
                continue
            rows = sum(r.rows for r in runs)
            first = min(r.first for r in runs)
            for run in runs:
                self._keep(run, self.left_out)
            self.freport.left_out_lines += rows
            self.report.left_out_lines += rows
            if tainted and rows:
                message = (f"entry {key[0]} {key[1]} (from line {first}): its {rows} well-formed line(s) are left "
                           "out with its malformed line(s)")
            elif tainted:
                continue
            else:
                message = (f"entry {key[0]} {key[1]} ({rows} line(s) from line {first}) does not balance: "
                           f"debit − credit = {_cents_text(total)}")
            self.report.problem_count += 1
            kind = "entry" if tainted else "unbalanced"
            self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
            self.problems.append((first, kind, message))
        self.problems.sort()
        room = self.ctx.max_errors - len(self.report.problems)
        self.report.problems.extend(Problem(self.ctx.file, line, msg) for line, _, msg in self.problems[:max(room, 0)])
        self.freport.encoding = ("utf-8" if self.utf8_line is not None
                                 else "iso-8859-15" if self.latin or self.ctx.encoding == "iso-8859-15" else "ascii")

    def _check_encoding(self) -> None:
        if self.latin is None or self.ctx.encoding == "iso-8859-15":
            return
        line, byte = self.latin
        if self.ctx.encoding == "utf-8":
            why = "the file is read as UTF-8 (it starts with a UTF-8 mark, or --encoding utf-8 was given)"
        elif self.utf8_line is not None:
            why = f"while line {self.utf8_line} is UTF-8: the file mixes two encodings"
        else:
            return  # ISO-8859-15 throughout
        raise InputErrors([Problem(self.ctx.file, line, f"byte 0x{byte:02X} is not UTF-8, {why}; export the file "
                                   "again in one encoding (UTF-8 or ISO-8859-15), or choose one with --encoding")])


def read_fec(paths: Sequence[Path | str], *, strict: bool = False, encoding: str = "auto",
             block_size: int = BLOCK_SIZE, threads: int | None = None, max_errors: int = 100,
             progress: Callable[[int, int], None] | None = None) -> FecBooks:
    """Read FEC files; return debit − credit per (account, year) in cents, and the report.

    Malformed lines, and every line of an entry that does not balance or holds a malformed line, are
    left out and listed (the first `max_errors`, then counted); `strict` refuses the files instead
    (InputErrors). A file that cannot be used at all (empty, bad header, mixed encodings) always raises."""
    if encoding not in ("auto", "utf-8", "iso-8859-15"):
        raise ValueError(f"encoding must be auto, utf-8 or iso-8859-15, not {encoding!r}")
    report = FecReport()
    totals: dict[Key, Cell] = {}
    left_out: dict[Key, Cell] = {}
    files = [(Path(p), display_path(p)) for p in paths]
    headers = [_read_header(path, shown) for path, shown in files]  # refuse a bad header before any long read
    total_bytes = sum(h[4] for h in headers)
    done = 0
    workers = threads or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        for (path, shown), (offset, sep, names, bom, size) in zip(files, headers):
            ctx = _Context(shown, sep, names[11] == "Montant", "utf-8" if bom else encoding, max_errors)
            freport = FileReport(shown, separator=sep, variant="Montant/Sens" if ctx.sens else "Debit/Credit")
            report.files.append(freport)
            merger = _Merger(ctx, freport, report, totals, left_out)
            done += offset  # the header line (and mark): read already, counted so that the bar ends at 100 %
            pending: deque = deque()
            for buf, end in _blocks(path, offset, block_size):
                offset += end - 8
                pending.append((pool.submit(process, buf, end, ctx), end - 8))
                while len(pending) > 2 * workers:
                    done += _take(pending, merger)
                    if progress:
                        progress(done, total_bytes)
            while pending:
                done += _take(pending, merger)
                if progress:
                    progress(done, total_bytes)
            merger.finish()
            freport.lines = merger.base - 1
    if strict and report.problem_count:
        problems = list(report.problems)
        if report.problem_count > len(problems):
            last = problems[-1]
            problems.append(Problem(last.file, last.line, f"… and {report.problem_count - len(problems)} more "
                                                          "problem(s) not listed"))
        raise InputErrors(problems)
    return FecBooks(totals, left_out, report)


def _take(pending: deque, merger: _Merger) -> int:
    future, nbytes = pending.popleft()
    merger.merge(future.result())
    return nbytes


def _describe(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:12] + "…" + text[-6:]
