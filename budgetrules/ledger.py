"""The engine's state: every contribution and finding written so far, and the running sums of
each (fund, line, year) cell. Rules only ever call `add` and `find`; nothing else makes money."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import Fund
from .records import INPUT_COLUMNS, BeyondPeriod, CarryStatement, Contribution, Finding

ZERO = Decimal("0.00")
COL = {name: i for i, name in enumerate(INPUT_COLUMNS)}
_AUTHORISED_PLUS = tuple(COL[c] for c in ("base", "indexation", "charge_transfer", "carry_in", "receipts",
                                            "reserve_in", "virements_in"))
_VOUT, _EXEC, _COUT = COL["virements_out"], COL["executed"], COL["carry_out"]


@dataclass
class VirementRecord:
    """The verdict on one virement (scenario event or simulated)."""

    fund: str
    year: int
    source_line: str
    target_line: str
    amount: Decimal
    date: object
    verdict: str
    rules: list[str]
    authority: str
    notify_by: object | None
    reasons: list[str]
    applied: bool
    source: str
    order: int
    direction: tuple[str | None, str | None] = (None, None)
    with_dm: bool = False


@dataclass
class Ledger:
    """Contributions, findings and running cell sums of one run."""

    contributions: list[Contribution] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    beyond: list[BeyondPeriod] = field(default_factory=list)
    statement: list[CarryStatement] = field(default_factory=list)
    virements: list[VirementRecord] = field(default_factory=list)
    cells: dict[tuple[str, str, int], list[Decimal]] = field(default_factory=dict)
    extra: dict[str, list[dict]] = field(default_factory=dict)  # e.g. FNMO reserve statement

    def add(self, fund: Fund, line: str, year: int, column: str, amount: Decimal, rule: str, source: str,
            note: str = "") -> None:
        """Record a contribution and add it to its cell."""
        self.contributions.append(Contribution(fund.code, line, year, column, amount, rule, fund.cite(rule), source, note))
        key = (fund.code, line, year)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [ZERO] * len(INPUT_COLUMNS)
        cell[COL[column]] += amount

    def find(self, fund: Fund | None, rule: str, severity: str, year: int | None, line: str | None, message: str,
             amount: Decimal | None = None, source: str = "") -> None:
        """Record a finding."""
        citation = fund.cite(rule) if fund is not None else ""
        self.findings.append(Finding(rule, severity, fund.code if fund else None, year, line, message, citation,
                                     amount, source))

    def beyond_period(self, fund: Fund, line: str, year: int, column: str, amount: Decimal, rule: str, source: str,
                      from_year: int) -> None:
        self.beyond.append(BeyondPeriod(fund.code, line, year, column, amount, rule, fund.cite(rule), source, from_year))

    # -- reading cells ---------------------------------------------------------------------
    def cell(self, fund: str, line: str, year: int) -> list[Decimal]:
        return self.cells.get((fund, line, year)) or [ZERO] * len(INPUT_COLUMNS)

    def value(self, fund: str, line: str, year: int, column: str) -> Decimal:
        return self.cell(fund, line, year)[COL[column]]

    def authorised(self, fund: str, line: str, year: int) -> Decimal:
        c = self.cell(fund, line, year)
        return sum((c[i] for i in _AUTHORISED_PLUS), ZERO) - c[_VOUT]

    def available(self, fund: str, line: str, year: int) -> Decimal:
        """Authorised so far minus executed (the whole year's execution)."""
        return self.authorised(fund, line, year) - self.cell(fund, line, year)[_EXEC]

    def row(self, fund: str, line: str, year: int) -> dict[str, Decimal]:
        """The 13 columns of RULES.md for one line-year."""
        c = self.cell(fund, line, year)
        out = {name: c[i] for name, i in COL.items()}
        authorised = sum((c[i] for i in _AUTHORISED_PLUS), ZERO) - c[_VOUT]
        available = authorised - c[_EXEC]
        lapsed = max(available, ZERO) - c[_COUT]
        return {"base": out["base"], "indexation": out["indexation"], "charge_transfer": out["charge_transfer"],
                "carry_in": out["carry_in"], "receipts": out["receipts"], "reserve_in": out["reserve_in"],
                "virements_in": out["virements_in"], "virements_out": out["virements_out"],
                "authorised": authorised, "executed": out["executed"], "available": available,
                "carry_out": out["carry_out"], "lapsed": lapsed}
