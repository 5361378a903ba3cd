"""Reading accounting entries (FEC, article A47 A-1 of the LPF) at the speed of the disk.

Streams each file in blocks, checks every line, and sums debit − credit per account and year in integer cents."""
from __future__ import annotations

import functools
import os
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .yamlio import InputErrors, Problem, display_path, nearest

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


# Flags of a line, set by the scanner.
F_COLUMNS, F_DATE, F_ACCOUNT, F_KEY, F_AMOUNT1, F_AMOUNT2 = 1, 2, 4, 8, 16, 32


def _scan_block(buf: Any, start: int, end: int, cap: int, sep: int, sens: bool,
                check_utf8: bool) -> Any:  # pragma: no cover
    """Scan buf[start:end] (whole lines) in one pass; compiled by numba (see _kernel), so plain loops.

    `cap` is at least the number of lines. Returns the lines (their flags, year and debit − credit in
    cents), the entries (runs of lines with the same JournalCode and EcritureNum, their sums) and, unless
    an int64 sum could overflow, the sums per (account, year) of the lines of the entries that balance
    inside the block."""
    row_line = np.empty(cap, np.int32)
    row_start = np.empty(cap, np.int32)
    row_end = np.empty(cap, np.int32)
    flags = np.zeros(cap, np.uint16)
    nfields = np.zeros(cap, np.int32)
    code1 = np.zeros(cap, np.uint8)
    code2 = np.zeros(cap, np.uint8)
    year = np.zeros(cap, np.int32)
    net = np.zeros(cap, np.int64)
    acc_s = np.zeros(cap, np.int32)
    acc_e = np.zeros(cap, np.int32)
    key_s = np.zeros((cap, 2), np.int32)
    key_e = np.zeros((cap, 2), np.int32)
    seps = np.zeros(19, np.int64)
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    n = 0
    line = 0
    blank = 0
    bad_utf8 = -1
    multibyte = -1
    nonascii = -1
    i = start
    while i < end:
        ls = i
        nsep = 0
        while i < end:
            c = buf[i]
            if 13 < c < 128 and c != sep:  # most bytes: nothing to do
                i += 1
                continue
            if c == 10:
                break
            if c == sep:
                if nsep < 19:
                    seps[nsep] = i
                nsep += 1
            elif c >= 128:
                if nonascii < 0:
                    nonascii = i
                if check_utf8:
                    need = 1 if 0xC2 <= c <= 0xDF else 2 if 0xE0 <= c <= 0xEF else 3 if 0xF0 <= c <= 0xF4 else 0
                    ok = need > 0
                    for k in range(1, need + 1):
                        if i + k >= end or (buf[i + k] & 0xC0) != 0x80:
                            ok = False
                            break
                    if ok:
                        if multibyte < 0:
                            multibyte = i
                        i += need
                    elif bad_utf8 < 0:
                        bad_utf8 = i
            i += 1
        le = i
        i += 1
        if nsep != 17 or le - ls < 40:  # maybe a blank line: only spaces, tabs and the like
            blank_line = True
            for k in range(ls, le):
                c = buf[k]
                if c != 32 and c != 9 and c != 13 and c != 11 and c != 12:
                    blank_line = False
                    break
            if blank_line:
                blank += 1
                line += 1
                continue
        nf = nsep + 1
        row_line[n] = line
        row_start[n] = ls
        row_end[n] = le - 1 if le > ls and buf[le - 1] == 13 else le
        nfields[n] = nf
        # JournalCode (field 0) and EcritureNum (field 2): the key of the entry
        key_s[n, 0] = ls
        key_e[n, 0] = seps[0] if nf > 1 else le
        key_s[n, 1] = seps[1] + 1 if nf > 2 else ls
        key_e[n, 1] = seps[2] if nf > 3 else (le if nf == 3 else ls)
        flag = 0
        if nf != 18:
            flag = F_COLUMNS
        else:
            if key_e[n, 0] == key_s[n, 0] or key_e[n, 1] == key_s[n, 1]:
                flag |= F_KEY
            # EcritureDate (field 3): AAAAMMJJ
            ds, de = seps[2] + 1, seps[3]
            value = 0
            good = de - ds == 8
            if good:
                for k in range(ds, de):
                    d = buf[k] - 48
                    if d < 0 or d > 9:
                        good = False
                    value = value * 10 + d
            if good:
                y, m, d = value // 10000, value // 100 % 100, value % 100
                dim = 0
                if 1 <= m <= 12:
                    dim = days[m]
                    if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0):
                        dim = 29
                good = 1900 <= y <= 2100 and 1 <= d <= dim
                year[n] = y if good else 0
            if not good:
                flag |= F_DATE
            # CompteNum (field 4): its first character is its class, 1 to 8
            acc_s[n] = seps[3] + 1
            acc_e[n] = seps[4]
            if acc_e[n] == acc_s[n] or buf[acc_s[n]] < 49 or buf[acc_s[n]] > 56:
                flag |= F_ACCOUNT
            # Debit and Credit (fields 11, 12), or Montant and Sens
            cents = 0
            for f in range(2):
                fs, fe = seps[10 + f] + 1, seps[11 + f]
                if f == 1 and sens:
                    c0 = buf[fs] if fe > fs else 0
                    c1 = buf[fs + 1] if fe - fs > 1 else 0
                    if (fe - fs == 1 and (c0 == 68 or c0 == 100 or c0 == 49)) or (fe - fs == 2 and c0 == 43 and c1 == 49):
                        pass
                    elif (fe - fs == 1 and (c0 == 67 or c0 == 99)) or (fe - fs == 2 and c0 == 45 and c1 == 49):
                        cents = -cents
                    else:
                        code2[n] = 4
                        flag |= F_AMOUNT2
                    continue
                value = 0
                whole = 0
                frac = -1
                negative = False
                code = 0
                for k in range(fs, fe):
                    c = buf[k]
                    if 48 <= c <= 57:
                        if frac >= 0:
                            frac += 1
                        else:
                            whole += 1
                        if whole <= MAX_INT_DIGITS and frac <= 2:
                            value = value * 10 + (c - 48)
                    elif c == 44 and frac < 0:
                        frac = 0
                    elif c == 45 and k == fs:
                        negative = True
                    else:
                        code = 1
                if code == 0 and fe > fs:
                    if whole == 0:
                        code = 1
                    elif frac == 0 or frac > 2:
                        code = 2
                    elif whole > MAX_INT_DIGITS:
                        code = 3
                if code:
                    if f == 0:
                        code1[n] = code
                        flag |= F_AMOUNT1
                    else:
                        code2[n] = code
                        flag |= F_AMOUNT2
                    continue
                value *= 100 if frac < 0 else 10 if frac == 1 else 1
                if negative:
                    value = -value
                cents += value if f == 0 else -value
            net[n] = cents if flag == 0 else 0
        flags[n] = flag
        n += 1
        line += 1
    # entries: runs of consecutive lines with the same key
    run_start = np.empty(n + 1, np.int32)
    run_sum = np.zeros(n + 1, np.int64)
    run_bad = np.zeros(n + 1, np.bool_)
    runs = 0
    biggest = 0
    for r in range(n):
        same = r > 0
        if same:
            for k in range(2):
                a0, a1, b0, b1 = key_s[r, k], key_e[r, k], key_s[r - 1, k], key_e[r - 1, k]
                if a1 - a0 != b1 - b0:
                    same = False
                    break
                for j in range(a1 - a0):
                    if buf[a0 + j] != buf[b0 + j]:
                        same = False
                        break
                if not same:
                    break
        if not same:
            run_start[runs] = r
            runs += 1
        if flags[r]:
            run_bad[runs - 1] = True
        biggest = max(biggest, abs(net[r]))
    run_start[runs] = n
    overflow = n > 0 and biggest >= (1 << 62) // n
    # sums per (account, year) of the lines of the entries that balance inside the block
    size = 1024
    slot_row = np.full(size, -1, np.int32)
    slot_hash = np.zeros(size, np.uint64)
    agg_row = np.empty(n + 1, np.int32)
    agg_sum = np.zeros(n + 1, np.int64)
    agg_count = np.zeros(n + 1, np.int32)
    agg_first = np.zeros(n + 1, np.int32)
    agg_hash = np.zeros(n + 1, np.uint64)
    groups = 0
    if not overflow:
        for r in range(runs):
            for j in range(run_start[r], run_start[r + 1]):
                run_sum[r] += net[j]
        for r in range(1, runs - 1):
            if run_sum[r] != 0 or run_bad[r]:
                continue
            for j in range(run_start[r], run_start[r + 1]):
                h = np.uint64(14695981039346656037)
                for k in range(acc_s[j], acc_e[j]):
                    h = (h ^ np.uint64(buf[k])) * np.uint64(1099511628211)
                h = (h ^ np.uint64(year[j])) * np.uint64(1099511628211)
                if 2 * groups >= size:  # grow the table, placing the groups again by their hash
                    size *= 2
                    slot_row = np.full(size, -1, np.int32)
                    slot_hash = np.zeros(size, np.uint64)
                    for g in range(groups):
                        at = np.int64(agg_hash[g] & np.uint64(size - 1))
                        while slot_row[at] >= 0:
                            at = (at + 1) & (size - 1)
                        slot_row[at] = g
                        slot_hash[at] = agg_hash[g]
                at = np.int64(h & np.uint64(size - 1))
                while True:
                    g = slot_row[at]
                    if g < 0:
                        slot_row[at] = groups
                        slot_hash[at] = h
                        agg_row[groups] = j
                        agg_hash[groups] = h
                        agg_sum[groups] = net[j]
                        agg_count[groups] = 1
                        agg_first[groups] = j
                        groups += 1
                        break
                    if slot_hash[at] == h:
                        rep = agg_row[g]
                        equal = year[rep] == year[j] and acc_e[rep] - acc_s[rep] == acc_e[j] - acc_s[j]
                        if equal:
                            for k in range(acc_e[j] - acc_s[j]):
                                if buf[acc_s[rep] + k] != buf[acc_s[j] + k]:
                                    equal = False
                                    break
                        if equal:
                            agg_sum[g] += net[j]
                            agg_count[g] += 1
                            break
                    at = (at + 1) & (size - 1)
    return (n, line, blank, bad_utf8, multibyte, nonascii, overflow,
            row_line[:n], row_start[:n], row_end[:n], flags[:n], nfields[:n], code1[:n], code2[:n], year[:n],
            net[:n], acc_s[:n], acc_e[:n], key_s[:n], key_e[:n],
            run_start[:runs + 1], run_sum[:runs], run_bad[:runs],
            agg_row[:groups], agg_sum[:groups], agg_count[:groups], agg_first[:groups])


@functools.lru_cache(maxsize=None)
def _kernel() -> Callable[..., Any]:
    """_scan_block compiled by numba (nogil: blocks are scanned by parallel threads). The machine code
    is cached on disk (__pycache__), so only the very first run compiles it (some seconds)."""
    import sys

    import numba
    import numpy

    globals()["np"] = numpy  # the name _scan_block uses; this module does not import numpy at import time
    kernel = numba.njit(nogil=True, cache=True)(_scan_block)
    # Loading numba's CPU target the first time imports its numpy registries, which probe for a BLAS by
    # importing scipy.linalg when scipy is installed (0.5 s to 1 s). The scanner needs no BLAS: when
    # scipy's BLAS is not loaded yet, hide it during the first call (numba then uses its own loops for
    # the few BLAS functions, should another part of the process use them), and restore it at once.
    hidden = "scipy.linalg.cython_blas"
    hide = hidden not in sys.modules
    if hide:
        sys.modules[hidden] = None  # type: ignore[assignment]
    try:
        kernel(numpy.zeros(32, numpy.uint8), 8, 8, 1, 9, False, True)
    finally:
        if hide and sys.modules.get(hidden, 0) is None:
            del sys.modules[hidden]
    return kernel


# ------------------------------------------------------------------------------------ one block

def process(buf: bytearray, end: int, ctx: _Context) -> _BlockResult:
    """Check and sum the lines in buf[8:end]; line numbers are counted from 0 in the block."""
    import numpy as np

    res = _BlockResult()
    cut = buf[end - 1] != 10  # the file's last line, without its newline
    data = np.frombuffer(buf, np.uint8)
    (n, nlines, blank, bad_utf8, multibyte, nonascii, overflow, row_line, row_start, row_end, flags, nfields,
     code1, code2, year, net, acc_s, acc_e, key_s, key_e, run_start, run_sum, run_bad, agg_row, agg_sum,
     agg_count, agg_first) = _kernel()(data, 8, end, int(np.count_nonzero(data[8:end] == 10)) + 1, ord(ctx.sep),
                                       ctx.sens, ctx.encoding != "iso-8859-15")
    res.nlines, res.rows, res.blank = nlines, n, blank
    encoding = "iso-8859-15" if ctx.encoding == "iso-8859-15" else "utf-8"
    if bad_utf8 >= 0:
        res.latin_line = buf.count(b"\n", 8, bad_utf8)
        res.latin_byte = buf[bad_utf8]
        encoding = "iso-8859-15"  # kept only if the whole file turns out to be ISO-8859-15
    if multibyte >= 0 and encoding == "utf-8" or bad_utf8 >= 0 and multibyte >= 0:
        res.utf8_line = buf.count(b"\n", 8, multibyte)

    def text(s: int, e: int) -> str:
        return bytes(buf[s:e]).decode(encoding, "replace")

    if n == 0:
        return res
    bad = flags != 0
    res.bad_rows = int(np.count_nonzero(bad))
    if res.bad_rows:
        _row_problems(res, np.flatnonzero(bad), flags, nfields, code1, code2, row_line, row_start, row_end, cut,
                      nlines, text, ctx)
    if overflow:  # sums that int64 could not hold: exact Python integers, line by line
        run_sum = [sum(int(x) for x in net[run_start[r]:run_start[r + 1]]) for r in range(len(run_start) - 1)]
    runs = len(run_start) - 1
    contrib: dict[Key, list[int]] = {}
    if overflow:
        for r in range(1, runs - 1):
            if run_sum[r] == 0 and not run_bad[r]:
                for j in range(run_start[r], run_start[r + 1]):
                    _add_contrib(contrib, (text(acc_s[j], acc_e[j]), int(year[j])), int(net[j]), 1, int(row_line[j]))
        res.agg = [(a, y, c, k, f) for (a, y), (c, k, f) in contrib.items()]
    else:
        res.agg = [(text(acc_s[j], acc_e[j]), int(year[j]), int(c), int(k), int(row_line[f]))
                   for j, c, k, f in zip(agg_row, agg_sum, agg_count, agg_first)]
    inner = np.flatnonzero((np.asarray(run_sum[1:-1]) != 0) | np.asarray(run_bad[1:-1])) + 1
    wanted = [0] + inner.tolist() + ([runs - 1] if runs > 1 else [])
    built = []
    for r in wanted:
        s, e = int(run_start[r]), int(run_start[r + 1])
        contrib = {}
        for j in range(s, e):
            if not flags[j]:
                _add_contrib(contrib, (text(acc_s[j], acc_e[j]), int(year[j])), int(net[j]), 1, int(row_line[j]))
        key = (text(key_s[s, 0], key_e[s, 0]), text(key_s[s, 1], key_e[s, 1]))
        built.append(_Run(key, int(run_sum[r]), bool(run_bad[r]), int(row_line[s]),
                          int(np.count_nonzero(flags[s:e] == 0)), contrib))
    res.head = built[0]
    if runs > 1:
        res.tail = built[-1]
        res.open = built[1:-1]
    return res


def _block_problem(res: _BlockResult, line: int, kind: str, message: str, ctx: _Context) -> None:
    res.problem_count += 1
    res.counts[kind] = res.counts.get(kind, 0) + 1
    if message and len(res.problems) < ctx.max_errors:
        res.problems.append((line, kind, message))


def _row_problems(res: _BlockResult, bad: Any, flags: Any, nfields: Any, code1: Any, code2: Any, row_line: Any,
                  row_start: Any, row_end: Any, cut: bool, nlines: int, text: Callable[[int, int], str],
                  ctx: _Context) -> None:
    names = ("Montant", "Sens") if ctx.sens else ("Debit", "Credit")
    why = {1: "is not an amount (digits with a decimal comma, e.g. 1234,56)",
           2: "needs one or two decimals after its comma",
           4: "is not a direction: write D (debit) or C (credit)"}
    for i in bad:
        flag = int(flags[i])
        kind = ("columns" if flag & F_COLUMNS else "entry" if flag & F_KEY else "date" if flag & F_DATE
                else "account" if flag & F_ACCOUNT else "amount")
        if len(res.problems) >= ctx.max_errors:
            _block_problem(res, int(row_line[i]), kind, "", ctx)
            continue
        fields = text(int(row_start[i]), int(row_end[i])).split(ctx.sep)
        if flag & F_COLUMNS:
            msg = f"{nfields[i]} field(s) instead of 18"
            if cut and row_line[i] == nlines - 1:
                msg += " (the last line is cut short: was the file truncated?)"
            elif nfields[i] > 18:
                msg += (" (is there a '|' inside a label? '|' separates the fields of this file)" if ctx.sep == "|"
                        else " (is there a tab inside a label? the tab separates the fields of this file)")
            _block_problem(res, int(row_line[i]), kind, msg, ctx)
            continue
        parts: list[str] = []
        if flag & F_KEY:
            parts.append(f"{'JournalCode' if not fields[0] else 'EcritureNum'} is empty")
        if flag & F_DATE:
            parts.append(f"EcritureDate '{_describe(fields[3])}' is not a date AAAAMMJJ (1900 to 2100)")
        if flag & F_ACCOUNT:
            parts.append(f"account '{_describe(fields[4])}' has no known class: an account number starts with its "
                         "class, a digit 1 to 8")
        for name, value, code in ((names[0], fields[11], code1[i]), (names[1], fields[12], code2[i])):
            if code == 3:
                digits = len(value.lstrip("-").split(",")[0])
                parts.append(f"{name} '{_describe(value)}' has {digits} digits before the decimal comma "
                             f"(at most {MAX_INT_DIGITS})")
            elif code:
                parts.append(f"{name} '{_describe(value)}' {why[int(code)]}")
        _block_problem(res, int(row_line[i]), kind, "; ".join(parts), ctx)


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
    _kernel()  # load the scanner once, here, before the worker threads use it
    total_bytes = sum(h[4] for h in headers)
    done = 0
    workers = threads or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        for (path, shown), (offset, sep, names, bom, size) in zip(files, headers):
            ctx = _Context(shown, sep, names[11] == "Montant", "utf-8" if bom else encoding, max_errors)
            freport = FileReport(shown, separator=sep, variant="Montant/Sens" if ctx.sens else "Debit/Credit")
            report.files.append(freport)
            merger = _Merger(ctx, freport, report, totals, left_out)
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
