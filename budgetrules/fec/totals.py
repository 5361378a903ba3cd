"""The FEC totals through the mapping: the execution per fund line, the receipts per account, and the
accounts the mapping does not know, per year of EcritureDate.

`apply_mapping(books, mapping)` turns the totals of `read_fec` (debit − credit per account and
EcritureDate, integer cents) into `Row`s: `execution` per fund line and year (debit − credit, with its
days: the execution events are dated), `receipt` per receipt account and year (credit − debit),
`unmatched` per account of classes 2, 6 or 7 that no rule maps (listed with its total, in no event),
`ignored` per prefix of `ignore`; the money of the lines left out is kept beside each row
(`left_out_cents`). Amounts are integer cents (`Row.amount`: a Decimal in euros). The result, an
`Execution`, keeps the report of the reading (with notes on what is not budget execution)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .mapfile import BUDGET_CLASSES, Mapping
from .report import FecBooks, FecReport


@dataclass
class Row:
    """One figure of the execution: a fund line, a receipt account or an unmatched account, in a year;
    `days` the same figure per EcritureDate (the execution events are dated)."""

    kind: str  # execution | receipt | unmatched | ignored
    year: int
    fund: str = ""
    line: str = ""
    account: str = ""
    cents: int = 0  # debit − credit for expenses; credit − debit for receipts
    rows: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    forecast: Decimal | None = None
    left_out_cents: int = 0
    left_out_rows: int = 0
    days: dict[dt.date, list] = field(default_factory=dict)  # day -> [cents, {file: first line}]

    @property
    def amount(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)

    @property
    def source(self) -> str:
        return source_text(self.sources)


def source_text(sources: dict[str, int]) -> str:
    """'file:line' (the first line), one per file, in file name order."""
    return ", ".join(f"{f}:{line}" for f, line in sorted(sources.items(), key=lambda x: x[0]))


def _first(into: dict[str, int], sources: dict[str, int]) -> None:
    for file, line in sources.items():
        if line < into.get(file, line + 1):
            into[file] = line


@dataclass
class Execution:
    """The FEC totals through the mapping, ready to print or to turn into events."""

    rows: list[Row]
    report: FecReport
    mapping: Mapping
    books: FecBooks | None = None  # what the rows were summed from (its left_out cells: the lines left out)

    def of(self, kind: str) -> list[Row]:
        return [r for r in self.rows if r.kind == kind]

    @property
    def fingerprints(self) -> dict[str, str]:
        """file -> the fingerprint of its entries (FileReport.fingerprint)."""
        return {f.file: f.fingerprint for f in self.report.files}


def apply_mapping(books: FecBooks, mapping: Mapping, year: int | None = None) -> Execution:
    """The FEC totals per fund line, per receipt account and per unmatched account (classes 2, 6, 7),
    per year of EcritureDate, and per day for the execution."""
    rows: dict[tuple, Row] = {}

    def add(cells: dict, left_out: bool) -> int:
        outside = 0
        for (account, day), cell in cells.items():
            y = day.year
            if year is not None and y != year:
                continue
            rule = mapping.find(account)
            if rule is None and account[:1] not in BUDGET_CLASSES:
                outside += cell.rows
                continue
            if rule is None:
                key: tuple = ("unmatched", y, "", "", account)
            elif rule.kind == "expense":
                key = ("execution", y, rule.fund, rule.line, "")
            elif rule.kind == "receipt":
                key = ("receipt", y, rule.fund, rule.line, rule.account)
            else:
                key = ("ignored", y, "", "", rule.prefix)
            row = rows.get(key)
            if row is None:
                row = rows[key] = Row(key[0], y, key[2], key[3], key[4])
                if rule is not None and rule.kind == "receipt":
                    row.forecast = rule.forecast.get(y)
            sign = -1 if key[0] == "receipt" else 1  # receipts: credit − debit
            if left_out:
                row.left_out_cents += sign * cell.cents
                row.left_out_rows += cell.rows
            else:
                row.cents += sign * cell.cents
                row.rows += cell.rows
                _first(row.sources, cell.sources)
                if key[0] == "execution":
                    entry = row.days.setdefault(day, [0, {}])
                    entry[0] += cell.cents
                    _first(entry[1], cell.sources)
        return outside

    others = add(books.totals, False)
    add(books.left_out, True)
    order = {"execution": 0, "receipt": 1, "unmatched": 2, "ignored": 3}
    result = sorted(rows.values(), key=lambda r: (order[r.kind], r.fund, r.line, r.account, r.year))
    report = books.report
    report.notes = []
    unmatched = [r for r in result if r.kind == "unmatched" and r.rows]
    if unmatched:
        report.notes.append(f"{len({r.account for r in unmatched})} account(s) of classes 2, 6 or 7 match no rule of "
                            f"{mapping.file}: listed under 'unmatched' with their totals, and in no event")
    if others:
        report.notes.append(f"{others} line(s) on accounts of classes 1, 3, 4, 5 and 8 are not budget execution")
    return Execution(result, report, mapping, books)
