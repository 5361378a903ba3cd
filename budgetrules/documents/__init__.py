"""The documents of budgetrules: typed, language-neutral answers built once from a run (or a fund),
and rendered by `budgetrules.render` as text, markdown, CSV, JSON, xlsx or HTML.

Amounts are exact Decimal euros; findings, notes and reasons are message keys with parameters
(the renderer writes the sentence in the reader's language). Builders: `budgetrules.documents.build`.

| document | command |
|---|---|
| `RunDocument` (kind "run", "audit" or "funds") | `run`, `audit`, `funds show` |
| `ExplainDocument` | `explain` |
| `VirementDocument` | `virement` |
| `MatrixDocument` | `virement --matrix` |
| `AvailableDocument` | `available` |
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core.records import (SEVERITIES, BeyondPeriod, CarryStatement, Finding, Local, Params, ParticipationRow,
                            Reason, ReserveStatementRow)


@dataclass(frozen=True)
class LineRow:
    """A row of a fund table: a leaf or a subtotal (sums of its leaves), with its depth in the tree.
    `years[year][column]`; `published[year]` the figure the COG prints for a subtotal."""

    code: str
    label: str
    character: str | None  # None for a subtotal
    group: str | None
    parent: str | None
    depth: int
    leaf: bool
    years: dict[int, dict[str, Decimal]]
    published: dict[int, Decimal] = field(default_factory=dict)
    reference: Decimal | None = None  # the reference-year column (Budget initial N-1), summed for a subtotal
    reference_published: Decimal | None = None
    estimated: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExtraTotalRow:
    """A second published table of totals over sets of leaves (e.g. TOTAL DES DEPENSES DU BNASS)."""

    code: str
    label: str
    members: tuple[str, ...]
    years: dict[int, dict[str, Decimal]]
    published: dict[int, Decimal]
    reference: Decimal | None = None


@dataclass(frozen=True)
class FundTable:
    """One fund in the COG's form: its lines in table order, its years, its totals (leaves summed).
    `publication_unit` is the unit of the COG's table ("EUR", "KEUR" or "MEUR", `unit_factor` euros
    each, `published_decimals` printed); amounts stay in euros."""

    code: str
    label: str
    publication_unit: str
    years: list[int]
    lines: list[LineRow]
    totals: dict[int, dict[str, Decimal]]
    reserve: list[ReserveStatementRow] = field(default_factory=list)
    extra_totals: list[ExtraTotalRow] = field(default_factory=list)
    reference_year: int | None = None
    programmed: bool = True
    reserve_opening: Decimal | None = None
    reserve_rule: str | None = None
    whole_period: bool = True  # False when the document was asked for some years only
    unit_factor: Decimal = Decimal(1)
    published_decimals: int = 0
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # fund file's group labels
    source_rule: str = ""  # the rule ID the COG binds to the check of the published tables (R-SOURCE-TOTALS)
    reserve_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # "resource_cessions" -> {fr, en}


class BooksReport(dict):
    """What was read from the books (FEC) for `--execution`: a dict of JSON values (the JSON's
    `execution_from_books`, docs/json.md), and `findings`, the R-BOOKS-WHOLE findings (lines left out,
    entries excluded or read twice, accounts no rule maps) that a document carrying it adds to its
    own, so that no output of partial books reads as whole (budgetrules/fec/events.py builds it)."""

    def __init__(self, data: dict[str, Any] | None = None, findings: list[Finding] | None = None):
        super().__init__(data or {})
        self.findings: list[Finding] = list(findings or [])


@dataclass(frozen=True)
class RunDocument:
    """The answer of `run` (kind "run"), `audit` (kind "audit") or `funds show` (kind "funds"):
    the fund tables, the findings about the period and, apart, those about the COG's published
    tables, the detailed statement of carry-over origins, the amounts beyond the period, and what
    was read from the books (FEC) when execution came from them."""

    kind: str
    scenario: str
    scenario_file: str = ""
    funds: list[FundTable] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    table_findings: list[Finding] = field(default_factory=list)
    statement: list[CarryStatement] = field(default_factory=list)
    beyond: list[BeyondPeriod] = field(default_factory=list)
    books: dict[str, Any] | None = None
    as_of: dt.date | None = None
    title: str | None = None
    audit_date: dt.date | None = None  # the date the notices were judged at (audit)
    cog: tuple[str, str] | None = None  # (code, title) of the COG
    participation: list[ParticipationRow] = field(default_factory=list)  # R-BRANCH-PARTICIPATION
    assumptions: dict[str, str] = field(default_factory=dict)  # series -> where it came from

    def __post_init__(self) -> None:
        """A document given books (BooksReport) carries their findings after its own, once."""
        extra = [f for f in getattr(self.books, "findings", ()) if f not in self.findings]
        if extra:
            object.__setattr__(self, "findings", [*self.findings, *extra])

    @property
    def summary(self) -> dict[str, int]:
        """Findings about the period, counted by severity."""
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    @property
    def summary_about_tables(self) -> dict[str, int]:
        return {s: sum(1 for f in self.table_findings if f.severity == s) for s in SEVERITIES}

    @property
    def errors(self) -> int:
        """Error findings about the period (what makes the answer "no")."""
        return self.summary["error"]


@dataclass(frozen=True)
class ExplainItem:
    """One contribution behind a figure, signed as it adds up to it."""

    column: str
    line: str
    rule: str
    citation: str
    amount: Decimal
    source: str
    date: dt.date | None
    note: str  # a message key ("" for none)
    params: Params | None = None
    defaulted: bool = False  # the date is the default of an event that gave none


@dataclass(frozen=True)
class ExplainDocument:
    """The provenance of one figure: contributions whose amounts add up to `value`."""

    fund: str
    line: str
    year: int
    column: str
    value: Decimal
    contributions: list[ExplainItem]
    as_of: dt.date | None = None


@dataclass(frozen=True)
class VirementDocument:
    """The verdict on one virement: who signs (`authority`, in the COG's words), who is told by when,
    the rules and reasons, the two lines before and after, and the recorded virements it chains with."""

    fund: str
    year: int
    source_line: str
    target_line: str
    amount: Decimal
    date: dt.date
    verdict: str
    authority: Local  # who signs, in the COG's words
    dm_ref: str | None
    notify_by: dt.date | None
    notify: str | None
    notice_days: int  # the notice delay: so many …
    notice_unit: str  # … "days" or "months"
    rules: list[tuple[str, str]]  # (rule, citation)
    reasons: list[Reason]
    before: dict[str, dict[str, Decimal]]
    after: dict[str, dict[str, Decimal]]
    chains: list[str] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)  # series -> where it came from (run document's)
    chain_rule: str = ""  # the rule ID the COG binds to a chain of virements (R-FUNG-CHAIN)

    @property
    def allowed_for_director(self) -> bool:
        """Exit code 0: the director general may make it (or a coherent DM allows it)."""
        return self.verdict in ("permitted", "permitted_with_notice")


@dataclass(frozen=True)
class MatrixDocument:
    """The verdict of every group-to-group direction of a fund (rows: from, columns: to)."""

    fund: str
    groups: list[str | None]  # None: the lines without a group
    matrix: dict[tuple[str | None, str | None], tuple[str, str]]  # (from, to) -> (verdict, rule)
    notice_days: int
    notice_unit: str
    notify: str
    institutions: dict[str, Local] = field(default_factory=dict)  # permitted, board, ministries (cog.yaml)
    abbreviations: dict[str, str] = field(default_factory=dict)  # verdict -> "DG" (cog.yaml `abbreviations`)
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # fund file's group labels


@dataclass(frozen=True)
class AvailableTarget:
    """What could move from the line to one other leaf on the date: the verdict and its rule, who signs
    (a message key), the notice deadline, the largest amount, and the recorded virements it would
    chain with (R-FUNG-CHAIN)."""

    line: str
    label: str
    group: str | None
    verdict: str
    rule: str
    citation: str
    authority: Local
    notify_by: dt.date | None
    largest: Decimal
    chains: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AvailableDocument:
    """A budget officer's question: on `date`, how much is available on `line`, how much may leave it
    (the least available from the date to the end of the year), and to which lines, on whose signature."""

    fund: str
    line: str
    label: str
    date: dt.date
    authorised: Decimal
    executed: Decimal
    available: Decimal
    movable: Decimal
    notice_days: int
    notice_unit: str
    notify: str
    targets: list[AvailableTarget]
    institutions: dict[str, Local] = field(default_factory=dict)  # permitted, board, ministries (cog.yaml)
    abbreviations: dict[str, str] = field(default_factory=dict)  # verdict -> "DG" (cog.yaml `abbreviations`)
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # fund file's group labels
    chain_rule: str = ""  # the rule ID the COG binds to a chain of virements (R-FUNG-CHAIN)
