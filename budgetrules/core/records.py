"""The two streams every rule writes: contributions (money, with provenance) and findings
(verdicts), and the other records of a run (virements judged, programme authorisations, carry-over
statement, amounts beyond the period). Plain slotted dataclasses: the engine makes hundreds of
thousands of them.

Rules write no prose: a finding or a note carries a message key and its parameters (amounts as
Decimal, dates, codes, `Word`s), and `budgetrules.render.messages` writes the sentence in French
or English."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Mapping

Severity = Literal["error", "warning", "info"]
SOURCE_TOTALS = "R-SOURCE-TOTALS"
"""The rule whose findings describe the COG's published tables, not a period."""
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

COLUMNS: tuple[str, ...] = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                            "virements_in", "virements_out", "authorised", "executed", "available",
                            "carry_out", "lapsed")
INPUT_COLUMNS: tuple[str, ...] = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                                  "virements_in", "virements_out", "executed", "carry_out")
"""Columns written by rules; authorised, available and lapsed are derived from them."""


Params = Mapping[str, Any]


class Local(dict):
    """A text in several languages ({"fr": …, "en": …}), e.g. an institution named by the COG's data;
    a message parameter of this type is written in the sentence's language (French when missing)."""

    def text(self, lang: str) -> str:
        return self.get(lang) or self.get("fr") or ""


@dataclass(frozen=True, slots=True)
class Word:
    """A parameter of a message that is itself a phrase of the catalogue (e.g. "credits_of.limitative"),
    with its own parameters, translated with the sentence."""

    key: str
    params: Params | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """One amount added to one column of one line-year, by one rule, from one source, taking effect
    on `date` (RULES.md, Dates). `note` is a message key (with `params`) saying what it is."""

    fund: str
    line: str
    year: int
    column: str
    amount: Decimal
    rule: str
    citation: str
    source: str  # "scenario.yaml:12" or "funds/bnga.yaml:52"
    date: dt.date
    note: str = ""
    params: Params | None = None
    defaulted: bool = False  # the date is the default of an event that gave none (RULES.md, Dates)


@dataclass(frozen=True, slots=True)
class Finding:
    """A verdict of a rule on the period (or on the published tables, R-SOURCE-TOTALS)."""

    rule: str
    severity: Severity
    fund: str | None
    year: int | None
    line: str | None
    key: str  # the message template (budgetrules.render.messages)
    params: Params
    citation: str
    amount: Decimal | None = None
    source: str = ""

    @property
    def about_tables(self) -> bool:
        """Findings about the COG's own tables, listed apart and ignored by exit codes."""
        return self.rule == SOURCE_TOTALS


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


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a verdict: a message key and its parameters."""

    key: str
    params: Params = field(default_factory=dict)


@dataclass
class VirementRecord:
    """The verdict on one virement (scenario event or simulated). `authority`: who signs, in the
    COG's words (a Local); `dm_ref` the DM that allows it, if any."""

    fund: str
    year: int
    source_line: str
    target_line: str
    amount: Decimal
    date: dt.date
    verdict: str
    rules: list[str]
    authority: Any  # Local
    notify_by: dt.date | None
    reasons: list[Reason]
    applied: bool
    source: str
    order: int
    direction: tuple[str | None, str | None] = (None, None)
    with_dm: bool = False
    dm_ref: str | None = None
    chains: list[str] = field(default_factory=list)  # sources of the recorded virements it chains with


@dataclass(frozen=True, slots=True)
class ProgrammeAuthorisation:
    """An AP of a line (a scenario event, or a real-estate gain used for investment)."""

    line: str
    year: int
    amount: Decimal
    ref: str | Word  # the AP's reference, or what a real-estate gain was (a word of the catalogue)
    decided: bool
    source: str


@dataclass(frozen=True, slots=True)
class ReserveStatementRow:
    """One year of a reserve fund's statement (R-FNMO-RESERVE): opening + resources − expenses = closing."""

    year: int
    opening: Decimal
    resources_by_kind: dict[str, Decimal]
    resources: Decimal
    expenses_by_line: dict[str, Decimal]
    expenses: Decimal
    closing: Decimal

    @property
    def available(self) -> Decimal:
        """What the fund may spend in the year: opening + resources."""
        return self.opening + self.resources


@dataclass(frozen=True, slots=True)
class ParticipationRow:
    """R-BRANCH-PARTICIPATION for one fund and year: the executed expenses, operating and capital, the
    own receipts realised, the net expenses the branches finance (by the fund's reading), the same on
    the authorised credits (the forecast), and the split between branches (by section, or by a key;
    `split` "none" when the COG gives no key)."""

    fund: str
    year: int
    operating: Decimal
    capital: Decimal
    receipts: Decimal
    net: Decimal
    authorised: Decimal
    by_branch: dict[str, Decimal]
    reading: str
    split: str
    rule: str
    citation: str
