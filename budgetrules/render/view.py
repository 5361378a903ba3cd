"""The `run`/`audit`/`funds show` JSON document read into a shape both renderers walk: amounts
as exact Decimals, lines with their depth, findings sorted by severity and split from R-SOURCE-TOTALS."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.records import COLUMNS, SEVERITIES, ParticipationRow

SOURCE_RULE = "R-SOURCE-TOTALS"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def to_decimal(value: Any) -> Decimal | None:
    """A JSON amount ("36670000.00") as an exact Decimal; None stays None. Never goes through float."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError(f"amount {value!r} is a binary float: the document must carry amounts as strings")
    return Decimal(str(value))


@dataclass(frozen=True)
class LineRow:
    """One row of a fund table: a leaf or a subtotal, with its depth in the hierarchy."""

    code: str
    label: str
    character: str | None
    group: str | None
    parent: str | None
    depth: int
    is_subtotal: bool
    years: dict[str, dict[str, Decimal]]  # "2022" -> column -> amount (only the columns present)

    def amount(self, year: str, column: str) -> Decimal | None:
        return self.years.get(year, {}).get(column)


@dataclass(frozen=True)
class FundView:
    """A fund of the document: its lines in table order, its years and its totals."""

    code: str
    label: str
    unit: str
    years: list[str]
    lines: list[LineRow]
    totals: dict[str, dict[str, Decimal]]
    columns: list[str]  # the columns of RULES.md present somewhere in this fund, in their order
    reserve: list[dict[str, Any]] = field(default_factory=list)  # FNMO: the reserve statement per year
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # group -> {"fr": …, "en": …}
    reserve_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # "resource_cessions" -> {fr, en}

    @property
    def headline(self) -> str:
        """The column the COG-form table shows: authorised credits, or the COG base when only it is there."""
        for column in ("authorised", "base"):
            if column in self.columns:
                return column
        return self.columns[0] if self.columns else "authorised"

    def has(self, column: str) -> bool:
        return column in self.columns

    def label_of(self, code: str) -> str:
        for line in self.lines:
            if line.code == code:
                return line.label
        return ""

    def leaves(self) -> list[LineRow]:
        return [line for line in self.lines if not line.is_subtotal]


@dataclass(frozen=True)
class ReportDoc:
    """Everything a report shows, read from one JSON document."""

    kind: str  # "run", "audit" or "funds"
    title: str | None
    scenario: str | None
    funds: list[FundView]
    findings: list[dict[str, Any]] | None  # sorted by severity; None when the document has none
    source_findings: list[dict[str, Any]]  # R-SOURCE-TOTALS, "about the published tables"
    carry_over: list[dict[str, Any]] | None
    beyond_period: list[dict[str, Any]] | None
    summary: dict[str, int] | None
    cog_title: str = ""  # the COG the document is about (its cog.yaml title)
    books: dict[str, Any] | None = None  # what was read from the books (`execution_from_books`), with --execution
    participation: list[ParticipationRow] = field(default_factory=list)  # `branch_participation`

    def fund(self, code: str) -> FundView | None:
        for fund in self.funds:
            if fund.code == code:
                return fund
        return None

    def line_label(self, fund: str, line: str | None) -> str:
        view = self.fund(fund)
        return view.label_of(line) if view is not None and line else ""


def _years_of(raw: dict[str, Any]) -> list[str]:
    years = [str(y) for y in raw.get("years") or []]
    seen = set(years)
    for line in raw.get("lines") or []:
        for y in (line.get("years") or {}):
            if str(y) not in seen:
                seen.add(str(y))
                years.append(str(y))
    return sorted(years) if not raw.get("years") else years


def _amounts(raw: dict[str, Any] | None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for column, value in (raw or {}).items():
        amount = to_decimal(value)
        if amount is not None:
            out[column] = amount
    return out


def _fund(raw: dict[str, Any]) -> FundView:
    years = _years_of(raw)
    raw_lines = raw.get("lines") or []
    codes = {line["line"] for line in raw_lines}
    parents = {line["line"]: line.get("parent") for line in raw_lines}
    has_children = {p for p in parents.values() if p}

    def depth(code: str) -> int:
        d, seen, parent = 0, {code}, parents.get(code)
        while parent and parent in codes and parent not in seen:
            seen.add(parent)
            d += 1
            parent = parents.get(parent)
        return d

    present: set[str] = set()
    lines = []
    for line in raw_lines:
        years_map = {str(y): _amounts(cols) for y, cols in (line.get("years") or {}).items()}
        for cols in years_map.values():
            present.update(cols)
        code = line["line"]
        lines.append(LineRow(code=code, label=line.get("label") or code, character=line.get("character"),
                             group=line.get("group"), parent=line.get("parent"), depth=depth(code),
                             is_subtotal=code in has_children, years=years_map))
    totals = {str(y): _amounts(cols) for y, cols in (raw.get("totals") or {}).items()}
    if not totals:  # a document without totals: the sum of the leaves, exactly
        totals = {}
        for y in years:
            sums: dict[str, Decimal] = {}
            for line in lines:
                if line.is_subtotal:
                    continue
                for column, amount in line.years.get(y, {}).items():
                    sums[column] = sums.get(column, Decimal("0.00")) + amount
            totals[y] = sums
    for cols in totals.values():
        present.update(cols)
    columns = [c for c in COLUMNS if c in present]
    return FundView(code=raw["fund"], label=raw.get("label") or raw["fund"], unit=raw.get("unit") or "EUR",
                    years=years, lines=lines, totals=totals, columns=columns, reserve=list(raw.get("reserve") or []),
                    group_labels=dict(raw.get("group_labels") or {}),
                    reserve_labels=dict(raw.get("reserve_labels") or {}))


def source_rule(doc: ReportDoc) -> str:
    """The rule IDs of the findings about the published tables (the COG binds R-SOURCE-TOTALS's)."""
    return ", ".join(dict.fromkeys(str(f.get("rule") or "") for f in doc.source_findings))


def about_tables(finding: dict[str, Any]) -> bool:
    """R-SOURCE-TOTALS findings describe the COG's published tables, not the period: shown apart."""
    return bool(finding.get("about_tables")) or finding.get("rule") == SOURCE_RULE


def _severity_key(finding: dict[str, Any]) -> int:
    severity = finding.get("severity")
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def participation_rows(raw: list[dict[str, Any]]) -> list[ParticipationRow]:
    """The JSON document's `branch_participation` as typed rows (amounts exact)."""
    return [ParticipationRow(fund=p["fund"], year=int(p["year"]), operating=Decimal(p["operating"]),
                             capital=Decimal(p["capital"]), receipts=Decimal(p["receipts"]), net=Decimal(p["net"]),
                             authorised=Decimal(p["authorised_net"]),
                             by_branch={b: Decimal(v) for b, v in (p.get("by_branch") or {}).items()},
                             reading=p["reading"], split=p["split"], rule=p["rule"], citation=p.get("citation", ""))
            for p in raw]


def read_doc(doc: dict[str, Any]) -> ReportDoc:
    """Read a `run`, `audit` or `funds show` JSON document (missing parts are simply absent)."""
    findings_raw = doc.get("findings")
    findings = source = None
    if findings_raw is not None:
        ordered = sorted(findings_raw, key=_severity_key)  # stable: the engine's order within a severity
        findings = [f for f in ordered if not about_tables(f)]
        source = [f for f in ordered if about_tables(f)]
    summary = doc.get("summary")
    kind = doc.get("kind") or ("audit" if summary is not None else
                               "run" if findings_raw is not None or doc.get("scenario") else "funds")
    return ReportDoc(kind=kind, title=doc.get("title"), scenario=doc.get("scenario"),
                     funds=[_fund(f) for f in doc.get("funds") or []],
                     findings=findings, source_findings=source or [],
                     carry_over=doc.get("carry_over_statement"), beyond_period=doc.get("beyond_period"),
                     summary=dict(summary) if summary is not None else None,
                     cog_title=str((doc.get("cog") or {}).get("title") or ""), books=doc.get("execution_from_books"),
                     participation=participation_rows(doc.get("branch_participation") or []))


def count_by_severity(doc: ReportDoc) -> dict[str, int]:
    """The audit summary when the document gives one, else counted from its findings (tables apart)."""
    if doc.summary is not None:
        return {s: int(doc.summary.get(s, 0)) for s in SEVERITIES}
    counts = {s: 0 for s in SEVERITIES}
    for finding in doc.findings or []:
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    return counts


def format_date(value: str | date, lang: str = "fr") -> str:
    """'2023-06-15' -> '15/06/2023' (fr) or '15 Jun 2023' (en)."""
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    if lang == "fr":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"


_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def people_text(message: str, lang: str) -> str:
    """A sentence for people: ISO dates become 15/06/2023 in French (JSON keeps ISO)."""
    return _ISO_DATE.sub(r"\3/\2/\1", message) if lang == "fr" else message


def localise_dates(text: str | None, lang: str = "fr") -> str:
    """Rewrite the ISO dates inside a message in the reader's convention."""
    if not text:
        return ""

    def repl(m: re.Match[str]) -> str:
        try:
            return format_date(m.group(0), lang)
        except ValueError:
            return m.group(0)

    return _ISO_DATE.sub(repl, text)


def reserve_columns(rows: list[dict[str, Any]]) -> list[str]:
    """The keys of a reserve statement, in first-seen order, the year first."""
    keys: list[str] = []
    for row in rows:
        for key in row:
            if key not in keys:
                keys.append(key)
    return sorted(keys, key=lambda k: k != "year")
