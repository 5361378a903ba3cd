"""The engine's state: every contribution and finding written so far, and the running sums of
each (fund, line, year) cell, final and at any date. Rules only ever call `add` and `find`;
nothing else makes money."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .records import (INPUT_COLUMNS, BeyondPeriod, CarryStatement, Contribution, Finding, Params,
                      ParticipationRow, ReserveStatementRow, VirementRecord)

if TYPE_CHECKING:  # pragma: no cover
    from ..model.fund import Fund

ZERO = Decimal("0.00")
COL = {name: i for i, name in enumerate(INPUT_COLUMNS)}
_EXEC, _COUT = COL["executed"], COL["carry_out"]
assert INPUT_COLUMNS[:8] == ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                             "virements_in", "virements_out")  # the order _authorised relies on
_EMPTY: list[Decimal] = [ZERO] * len(INPUT_COLUMNS)  # read-only: cells are created by `add`
KNOWN_FROM_THE_START = dt.date.min
"""The `known` date of the COG table and its actualisation: a budget voted before the year knows them."""


@dataclass
class Ledger:
    """Contributions, findings and running cell sums of one run.

    `cells[(fund, line, year)]` holds the final sum of each input column (INPUT_COLUMNS order);
    `dated[(fund, line, year)]` the same contributions as (effective date, column index, amount,
    date known), for the state of a cell at a date: a contribution counts on its effective date,
    and in what a budget voted earlier knew of the year from the date it was known (the COG table
    and its actualisation from the start; a transfer of charge from its date)."""

    contributions: list[Contribution] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    beyond: list[BeyondPeriod] = field(default_factory=list)
    statement: list[CarryStatement] = field(default_factory=list)
    virements: list[VirementRecord] = field(default_factory=list)
    cells: dict[tuple[str, str, int], list[Decimal]] = field(default_factory=dict)
    dated: dict[tuple[str, str, int], list[tuple[dt.date, int, Decimal, dt.date]]] = field(default_factory=dict)
    reserve_statements: dict[str, list[ReserveStatementRow]] = field(default_factory=dict)  # per reserve fund
    participation: list[ParticipationRow] = field(default_factory=list)  # R-BRANCH-PARTICIPATION

    _citations: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def cite(self, fund: Fund, rule: str) -> str:
        """The fund's citation of a rule (cached: the engine asks hundreds of thousands of times)."""
        key = (fund.code, rule)
        found = self._citations.get(key)
        if found is None:
            found = self._citations[key] = fund.cite(rule)
        return found

    def add(self, fund: Fund, line: str, year: int, column: str, amount: Decimal, rule: str, source: str,
            day: dt.date, note: str = "", params: Params | None = None, *, known: dt.date | None = None,
            defaulted: bool = False, citation: str | None = None) -> None:
        """Record a contribution taking effect on `day` (known from `known`, by default the same day;
        `defaulted` when `day` is the default date of an event that gave none) and add it to its cell.
        `citation`: the text it rests on when it is not the rule's own (an avenant's article)."""
        code = fund.code
        self.contributions.append(Contribution(code, line, year, column, amount, rule,
                                               citation or self.cite(fund, rule), source, day, note, params, defaulted))
        key = (code, line, year)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [ZERO] * len(INPUT_COLUMNS)
            self.dated[key] = []
        col = COL[column]
        cell[col] += amount
        self.dated[key].append((day, col, amount, known or day))

    def find(self, fund: Fund | None, rule: str, severity: str, year: int | None, line: str | None, key: str,
             params: Params | None = None, amount: Decimal | None = None, source: str = "") -> None:
        """Record a finding: `key` names its message template, `params` fill it."""
        citation = self.cite(fund, rule) if fund is not None else ""
        self.findings.append(Finding(rule, severity, fund.code if fund else None, year, line, key, params or {},
                                     citation, amount, source))

    def beyond_period(self, fund: Fund, line: str, year: int, column: str, amount: Decimal, rule: str, source: str,
                      from_year: int) -> None:
        self.beyond.append(BeyondPeriod(fund.code, line, year, column, amount, rule, self.cite(fund, rule), source,
                                        from_year))

    # -- reading cells ---------------------------------------------------------------------
    def cell(self, fund: str, line: str, year: int) -> list[Decimal]:
        return self.cells.get((fund, line, year)) or _EMPTY

    def value(self, fund: str, line: str, year: int, column: str) -> Decimal:
        return self.cell(fund, line, year)[COL[column]]

    def authorised(self, fund: str, line: str, year: int) -> Decimal:
        return _authorised(self.cell(fund, line, year))

    def available(self, fund: str, line: str, year: int) -> Decimal:
        """Authorised so far minus executed (the whole year's execution)."""
        c = self.cell(fund, line, year)
        return _authorised(c) - c[_EXEC]

    def closing(self, fund: str, line: str, year: int) -> tuple[Decimal, Decimal, Decimal]:
        """(authorised, executed, available) of a line-year: what the close of the year needs."""
        c = self.cell(fund, line, year)
        authorised = _authorised(c)
        return authorised, c[_EXEC], authorised - c[_EXEC]

    def row(self, fund: str, line: str, year: int) -> dict[str, Decimal]:
        """The 13 columns of RULES.md for one line-year."""
        return _row(self.cell(fund, line, year))

    # -- reading cells at a date -----------------------------------------------------------------
    def cell_at(self, fund: str, line: str, year: int, day: dt.date, *, known: bool = False) -> list[Decimal]:
        """The input columns of a cell counting only contributions effective on or before `day`
        (carry_out is written on 31 December). With `known`, those known on or before `day`
        whatever their effect: what a budget voted on `day` knew of the year."""
        sums = [ZERO] * len(INPUT_COLUMNS)
        for when, col, amount, known_on in self.dated.get((fund, line, year), ()):
            if (known_on if known else when) <= day:
                sums[col] += amount
        return sums

    def least_available_from(self, fund: str, line: str, year: int, day: dt.date) -> Decimal:
        """The least credit available on the line from `day` to the end of the year: what may leave it
        on `day` without taking the funding of anything recorded later (virements, dated execution)."""
        later = sorted({when for when, *_ in self.dated.get((fund, line, year), ()) if when > day})
        return min(self.available_at(fund, line, year, t) for t in [day, *later])

    def row_at(self, fund: str, line: str, year: int, day: dt.date) -> dict[str, Decimal]:
        """The 13 columns of a line-year as they stood on `day` (equal to `row` from 31 December)."""
        return _row(self.cell_at(fund, line, year, day))

    def authorised_at(self, fund: str, line: str, year: int, day: dt.date, *, known: bool = False) -> Decimal:
        return _authorised(self.cell_at(fund, line, year, day, known=known))

    def available_at(self, fund: str, line: str, year: int, day: dt.date) -> Decimal:
        """Authorised on `day` minus the execution to that day (undated execution counts from 1 January)."""
        c = self.cell_at(fund, line, year, day)
        return _authorised(c) - c[_EXEC]


def _authorised(c: list[Decimal]) -> Decimal:
    """base + indexation + charge_transfer + carry_in + receipts + reserve_in + virements_in − virements_out."""
    return c[0] + c[1] + c[2] + c[3] + c[4] + c[5] + c[6] - c[7]


def _row(c: list[Decimal]) -> dict[str, Decimal]:
    authorised = _authorised(c)
    available = authorised - c[_EXEC]
    return {"base": c[0], "indexation": c[1], "charge_transfer": c[2], "carry_in": c[3], "receipts": c[4],
            "reserve_in": c[5], "virements_in": c[6], "virements_out": c[7], "authorised": authorised,
            "executed": c[_EXEC], "available": available, "carry_out": c[_COUT],
            "lapsed": max(available, ZERO) - c[_COUT]}
