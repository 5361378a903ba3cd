"""The two streams every rule writes: contributions (money, with provenance) and findings
(verdicts). Plain slotted dataclasses: the engine makes hundreds of thousands of them."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

COLUMNS: tuple[str, ...] = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                            "virements_in", "virements_out", "authorised", "executed", "available",
                            "carry_out", "lapsed")
INPUT_COLUMNS: tuple[str, ...] = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                                  "virements_in", "virements_out", "executed", "carry_out")
"""Columns written by rules; authorised, available and lapsed are derived from them."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One amount added to one column of one line-year, by one rule, from one source."""

    fund: str
    line: str
    year: int
    column: str
    amount: Decimal
    rule: str
    citation: str
    source: str  # "scenario.yaml:12" or "funds/bnga.yaml:52"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A verdict of a rule on the period (or on the published tables, R-SOURCE-TOTALS)."""

    rule: str
    severity: Severity
    fund: str | None
    year: int | None
    line: str | None
    message: str
    citation: str
    amount: Decimal | None = None
    source: str = ""

    @property
    def about_tables(self) -> bool:
        """Findings about the COG's own tables, listed apart and ignored by exit codes."""
        return self.rule == "R-SOURCE-TOTALS"


@dataclass(frozen=True, slots=True)
class BeyondPeriod:
    """An amount that falls after the last COG year (reported, never dropped)."""

    fund: str
    line: str
    year: int
    column: str
    amount: Decimal
    rule: str
    citation: str
    source: str
    from_year: int


@dataclass(frozen=True, slots=True)
class CarryStatement:
    """A row of the état détaillé des crédits non consommés (origin in N-1, per line)."""

    fund: str
    line: str
    from_year: int
    to_year: int
    authorised: Decimal
    executed: Decimal
    eligible: Decimal
    carried: Decimal
    lapsed: Decimal
    rule: str
    citation: str


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
