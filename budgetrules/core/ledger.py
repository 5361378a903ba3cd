"""The engine's state: every contribution and finding written so far, and the running sums of
each (fund, line, year) cell. Rules only ever call `add` and `find`; nothing else makes money."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model.fund import Fund
from .records import INPUT_COLUMNS, BeyondPeriod, CarryStatement, Contribution, Finding, VirementRecord

ZERO = Decimal("0.00")
COL = {name: i for i, name in enumerate(INPUT_COLUMNS)}
_EXEC, _COUT = COL["executed"], COL["carry_out"]
assert INPUT_COLUMNS[:8] == ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                             "virements_in", "virements_out")  # the order _authorised relies on
_EMPTY: list[Decimal] = [ZERO] * len(INPUT_COLUMNS)  # read-only: cells are created by `add`


@dataclass
class Ledger:
    """Contributions, findings and running cell sums of one run."""

    contributions: list[Contribution] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    beyond: list[BeyondPeriod] = field(default_factory=list)
    statement: list[CarryStatement] = field(default_factory=list)
    virements: list[VirementRecord] = field(default_factory=list)
    cells: dict[tuple[str, str, int], list[Decimal]] = field(default_factory=dict)
    reserve_statements: dict[str, list[dict]] = field(default_factory=dict)  # per reserve fund (FNMO), per year

    _citations: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def cite(self, fund: Fund, rule: str) -> str:
        """The fund's citation of a rule (cached: the engine asks hundreds of thousands of times)."""
        key = (fund.code, rule)
        found = self._citations.get(key)
        if found is None:
            found = self._citations[key] = fund.cite(rule)
        return found

    def add(self, fund: Fund, line: str, year: int, column: str, amount: Decimal, rule: str, source: str,
            note: str = "") -> None:
        """Record a contribution and add it to its cell."""
        code = fund.code
        self.contributions.append(Contribution(code, line, year, column, amount, rule, self.cite(fund, rule), source,
                                               note))
        key = (code, line, year)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [ZERO] * len(INPUT_COLUMNS)
        cell[COL[column]] += amount

    def find(self, fund: Fund | None, rule: str, severity: str, year: int | None, line: str | None, message: str,
             amount: Decimal | None = None, source: str = "") -> None:
        """Record a finding."""
        citation = self.cite(fund, rule) if fund is not None else ""
        self.findings.append(Finding(rule, severity, fund.code if fund else None, year, line, message, citation,
                                     amount, source))

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
        c = self.cell(fund, line, year)
        authorised = _authorised(c)
        available = authorised - c[_EXEC]
        return {"base": c[0], "indexation": c[1], "charge_transfer": c[2], "carry_in": c[3], "receipts": c[4],
                "reserve_in": c[5], "virements_in": c[6], "virements_out": c[7], "authorised": authorised,
                "executed": c[_EXEC], "available": available, "carry_out": c[_COUT],
                "lapsed": max(available, ZERO) - c[_COUT]}


def _authorised(c: list[Decimal]) -> Decimal:
    """base + indexation + charge_transfer + carry_in + receipts + reserve_in + virements_in − virements_out."""
    return c[0] + c[1] + c[2] + c[3] + c[4] + c[5] + c[6] - c[7]
