"""What reading FEC files gives: the totals and the report (`read_fec` returns a `FecBooks`).

Amounts are integer cents (Python integers: exact whatever their size), debit − credit; a total is
kept per (account, EcritureDate), the `Key`. Files and lines are named as the user gave them
(`file`, the path as shown) and counted from 1, the header being line 1, blank lines included
(physical line numbers). The rules behind each list (what is excluded, read twice, in conflict,
left out): docs/fec.md. The legal format read: article A47 A-1 of the Livre des procédures fiscales."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..core.errors import Problem

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
    fingerprint: str = ""  # of the file's entries (its totals, left out and excluded): see merge.Merger.fingerprints


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
    """An entry read a second time (the same key and the same lines): counted once, where first read."""

    key: tuple[str, str, datetime.date]  # JournalCode, EcritureNum, EcritureDate
    kept: tuple[str, int]  # file, first line of the entry counted
    duplicate: tuple[str, int]  # file, first line of the same entry seen again, not counted
    lines: int
    cents: int = 0  # the sum of its debits (its lines on classes 1-8), not counted again


@dataclass
class Conflict:
    """The key of an entry read before, with other lines: the first is counted, this one left out."""

    key: tuple[str, str, datetime.date]
    first: tuple[str, int]  # counted
    second: tuple[str, int]  # same key, other lines: left out


@dataclass
class FecReport:
    """What was read, and everything that was not counted: the files, the problems (malformed lines,
    entries that do not balance or conflict, each a `Problem` with its file and line), the entries
    excluded and read twice, the analytic lines, and notes (filled by the mapping)."""

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
    """Debit − credit per (account, EcritureDate), counted (`totals`) and left out (`left_out`: the
    money of the lines not counted), with the report."""

    totals: dict[Key, Cell]
    left_out: dict[Key, Cell]
    report: FecReport
