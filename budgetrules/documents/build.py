"""Building the documents from a run of the engine (or from a fund alone, for `funds show`)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterable

from ..core.ledger import ZERO
from ..core.records import COLUMNS, SEVERITIES, Finding, Local
from ..engine import Result
from ..model.fund import Fund
from ..rules.context import character_rule
from .sources import relative_phrases, relative_source, scenario_folder, with_relative_sources
from . import (AvailableDocument, AvailableTarget, ExplainDocument, ExplainItem, ExtraTotalRow, FundTable, LineRow,
               MatrixDocument, RunDocument, VirementDocument)


def sort_findings(findings: Iterable[Finding], funds: list[str] | None = None) -> list[Finding]:
    """By severity, then fund (in the order given, e.g. the COG's), year, line and rule."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    place = {code: i for i, code in enumerate(funds or [])}
    return sorted(findings, key=lambda f: (order[f.severity], place.get(f.fund or "", len(place)), f.fund or "",
                                           f.year or 0, f.line or "", f.rule))


def fund_table(result: Result, fund: Fund, years: list[int], at: dt.date | None = None) -> FundTable:
    """The 13 columns of every line (leaves and subtotals) of a fund for the years asked, with its
    totals and, for a reserve fund, its reserve statement."""
    lines = []
    for line in fund.lines:
        leaf = fund.is_leaf(line.code)
        lines.append(LineRow(line.code, line.label, line.character if leaf else None, line.group, line.parent,
                             fund.depth(line.code), leaf, {y: result.row(fund.code, line.code, y, at) for y in years}))
    return FundTable(fund.code, fund.label, fund.unit, years, lines,
                     {y: result.total(fund.code, y, at) for y in years},
                     reserve=list(result.reserve_statements.get(fund.code, [])), reference_year=fund.reference_year,
                     programmed=fund.programmed, **_fund_words(fund))


def _fund_words(fund: Fund) -> dict:
    """What a fund table names in the fund's and the COG's own words: its groups, its reserve's
    resources ("resource_cessions": …) and the rule ID of the check of its published tables."""
    rf = fund.reserve_fund
    return {"group_labels": fund.group_labels, "source_rule": fund.role("source_totals"),
            "reserve_labels": {f"resource_{kind}": dict(label) for kind, label in rf.resource_labels.items()}
            if rf else {}}


def run_document(result: Result, funds: list[str] | None = None, years: list[int] | None = None, *,
                 kind: str = "run", as_of: dt.date | None = None) -> RunDocument:
    """The document of `run` (or `audit` with kind="audit"), restricted to the funds and years asked.
    With `as_of`, the tables show the credits as they stood on that date (its year only)."""
    chosen = [f for code, f in result.funds.items() if funds is None or code in funds]
    if as_of is not None:
        years = [as_of.year]
    tables = [fund_table(result, fund, [y for y in fund.years if years is None or y in years], as_of)
              for fund in chosen]
    codes = {f.code for f in chosen}
    last = max((f.last_year for f in chosen), default=0)

    def keep(fund: str | None, year: int | None) -> bool:
        # a finding dated after the period (a decision to carry the last year's credits) belongs
        # to the last year it judges
        in_years = years is None or year is None or year in years or (year > last and last in years)
        return (fund is None or fund in codes) and in_years

    order = list(result.funds)
    scenario = result.scenario
    base = scenario_folder(scenario.file)  # every source relative to the scenario's folder
    return RunDocument(
        kind=kind, scenario=scenario.name, scenario_file=scenario.file, funds=tables,
        findings=with_relative_sources((f for f in sort_findings(result.findings, order) if keep(f.fund, f.year)),
                                       base),
        table_findings=with_relative_sources((f for f in sort_findings(result.table_findings, order)
                                              if keep(f.fund, f.year)), base),
        # the origins in N-1 that support the decisions of N, and the carries out of N
        statement=[s for s in result.ledger.statement if keep(s.fund, s.from_year) or keep(s.fund, s.to_year)],
        beyond=with_relative_sources((b for b in result.ledger.beyond if keep(b.fund, b.from_year)), base),
        as_of=as_of, title=f"Audit — {scenario.name}" if kind == "audit" else None,
        cog=(scenario.cog.code, scenario.cog.title) if scenario.cog is not None else None,
        assumptions=_origins(scenario),
        participation=[p for p in result.ledger.participation if keep(p.fund, p.year) and as_of is None])


def _origins(scenario) -> dict[str, str]:
    """Where each assumption series came from: the scenario, the COG's published figures, or none."""
    cog = scenario.cog
    out = {}
    for name, origin in scenario.assumptions.origins.items():
        out[name] = f"published ({cog.file})" if origin == "published" and cog is not None else origin
    return out


def funds_check_document(findings: list[Finding]) -> RunDocument:
    """The document of `funds check`: the R-SOURCE-TOTALS findings about the COG's tables."""
    return RunDocument(kind="funds", scenario="", table_findings=list(findings))


def audit_document(result: Result) -> RunDocument:
    """The document of `audit`: every finding by severity, the statement of origins, the summary."""
    from dataclasses import replace

    return replace(run_document(result, kind="audit"), audit_date=result.audit_date)


def show_document(fund: Fund, years: list[int]) -> RunDocument:
    """The COG table of a fund (`funds show`): leaves' amounts, subtotals as sums of leaves with the
    printed figure beside them, the reference-year column, the extra published totals."""
    def base(codes: Iterable[str], y: int) -> Decimal:
        return sum((fund.base(code, y) for code in codes), ZERO)

    def reference(codes: Iterable[str]) -> Decimal | None:
        refs = [fund.by_code[c].reference for c in codes]
        if fund.reference_year is None or all(r is None for r in refs):
            return None
        return sum((r for r in refs if r is not None), ZERO)

    lines = []
    for line in fund.lines:
        leaf = fund.is_leaf(line.code)
        under = fund.leaves_under[line.code]
        lines.append(LineRow(line.code, line.label, line.character if leaf else None, line.group, line.parent,
                             fund.depth(line.code), leaf, {y: {"base": base(under, y)} for y in years},
                             published={} if leaf else {y: v for y, v in line.published.items() if y in years},
                             reference=reference(under),
                             reference_published=None if leaf else line.reference, estimated=line.estimated))
    extra = [ExtraTotalRow(t.code, t.label, t.members, {y: {"base": base(t.members, y)} for y in years},
                           {y: v for y, v in t.published.items() if y in years}, reference(t.members))
             for t in fund.extra_totals]
    rf = fund.reserve_fund
    table = FundTable(fund.code, fund.label, fund.unit, years, lines,
                      {y: {"base": base((ln.code for ln in fund.leaves), y)} for y in years}, extra_totals=extra,
                      reference_year=fund.reference_year, programmed=fund.programmed,
                      reserve_opening=rf.opening if rf else None, reserve_rule=rf.rule if rf else None,
                      whole_period=years == fund.years, unit_factor=fund.unit_factor,
                      published_decimals=fund.published_decimals, **_fund_words(fund))
    return RunDocument(kind="funds", scenario=f"COG {fund.code}", funds=[table],
                       cog=(fund.cog.code, fund.cog.title) if fund.cog is not None else None)


AUTHORISED_PARTS = {"base": 1, "indexation": 1, "charge_transfer": 1, "carry_in": 1, "receipts": 1, "reserve_in": 1,
                    "virements_in": 1, "virements_out": -1}
DERIVED = {"authorised": AUTHORISED_PARTS,
           "available": {**AUTHORISED_PARTS, "executed": -1},
           "lapsed": {**AUTHORISED_PARTS, "executed": -1, "carry_out": -1}}


def explain_document(result: Result, fund: str, line: str, year: int, column: str = "authorised",
                     as_of: dt.date | None = None) -> ExplainDocument:
    """The contributions (signed) that add up to one figure; derived columns by their inputs. With
    `as_of`, only the contributions effective on or before that date."""
    value = result.row(fund, line, year, as_of)[column]
    signs = DERIVED.get(column, {column: 1})
    items = []
    for c in result.contributions(fund, line, year):
        sign = signs.get(c.column)
        if sign is None or (as_of is not None and c.date > as_of):
            continue
        items.append(ExplainItem(c.column, c.line, c.rule, c.citation, c.amount * sign, c.source, c.date, c.note,
                                 c.params, c.defaulted))
    total = sum((i.amount for i in items), ZERO)
    if column == "lapsed" and total != value:
        # an overspent line lapses nothing: the overspend is not "negative lapsed credit"
        f = result.funds[fund]
        for leaf in f.leaves_under[line]:
            available = result.row(fund, leaf, year, as_of)["available"]
            if available < 0:
                rule = character_rule(f, leaf)
                items.append(ExplainItem("available", leaf, rule, f.cite(rule), -available, "", None,
                                         "note.overspend"))
    items = with_relative_sources(items, scenario_folder(result.scenario.file))
    return ExplainDocument(fund, line, year, column, value, items, as_of)


def virement_document(answer: object) -> VirementDocument:
    """The document of a simulated virement (`budgetrules.services.whatif.VirementAnswer`)."""
    from ..rules.amendments import fund_at

    base = scenario_folder(answer.after.scenario.file)  # type: ignore[attr-defined]
    (r,) = with_relative_sources([answer.record], base, "chains")  # type: ignore[attr-defined]
    fund = fund_at(answer.after.funds[r.fund], r.date)  # type: ignore[attr-defined]  # as amended on its date

    def two_lines(result: Result) -> dict[str, dict[str, Decimal]]:
        out = {}
        for code in (r.source_line, r.target_line):
            row = result.row(r.fund, code, r.year)
            out[code] = {"authorised": row["authorised"], "available": row["available"]}
        return out

    return VirementDocument(
        r.fund, r.year, r.source_line, r.target_line, r.amount, r.date, r.verdict, r.authority, r.dm_ref,
        r.notify_by, fund.fungibility.notify if r.notify_by else None, *fund.fungibility.notice_text,
        [(rule, fund.cite(rule)) for rule in dict.fromkeys(r.rules)], relative_phrases(r.reasons, base),
        two_lines(answer.before), two_lines(answer.after), list(r.chains),  # type: ignore[attr-defined]
        _origins(answer.after.scenario), fund.role("fungibility.chain"))  # type: ignore[attr-defined]


def matrix_document(fund: Fund) -> MatrixDocument:
    """The fungibility matrix of a fund, group to group."""
    from ..rules.fungibility import group_matrix

    names, matrix = group_matrix(fund)
    return MatrixDocument(fund.code, names, matrix, *fund.fungibility.notice_text, fund.fungibility.notify,
                          _institutions(fund), _abbreviations(fund), fund.group_labels)


def _institutions(fund: Fund) -> dict[str, Local]:
    """Who signs a virement the director may make, the board and the ministries, as the COG names them."""
    return {key: fund.authority(key) for key in ("board", "ministries", "permitted")}


def _abbreviations(fund: Fund) -> dict[str, str]:
    """How the COG abbreviates each verdict in tables (cog.yaml `abbreviations`; none: the renderer's)."""
    return dict(fund.cog.abbreviations) if fund.cog is not None else {}


__all__ = ["audit_document", "explain_document", "fund_table", "matrix_document", "run_document", "show_document",
           "sort_findings", "virement_document", "COLUMNS"]


def available_document(result: Result, fund: str, line: str, day: dt.date) -> AvailableDocument:
    """What is available on a line on a date and, for every other leaf, the verdict of a virement to
    it, the largest amount that could move, who signs and the notice deadline."""
    from ..rules.amendments import fund_at
    from ..rules.fungibility import ALLOWED, chain_partners, direction

    f = fund_at(result.funds[fund], day)  # the notice delay and verdicts as amended on that day
    ledger, year = result.ledger, day.year
    base = scenario_folder(result.scenario.file)  # the chains' sources relative to the scenario's folder
    row = result.row(fund, line, year, day)
    movable = max(ledger.least_available_from(fund, line, year, day), ZERO)
    targets = []
    for leaf in f.leaves:
        if leaf.code == line:
            continue
        verdict, rule, _, _ = direction(f, line, leaf.code)
        notify_by = f.fungibility.notice_deadline(day) if verdict == "permitted_with_notice" else None
        authority = f.authority(verdict)
        largest = movable if verdict != "refused" else ZERO
        chains = [relative_source(v.source, base) for v in chain_partners(f, ledger, year, line, leaf.code)] \
            if verdict in ALLOWED else []
        targets.append(AvailableTarget(leaf.code, leaf.label, leaf.group, verdict, rule, f.cite(rule), authority,
                                       notify_by, largest, chains))
    return AvailableDocument(fund, line, f.by_code[line].label, day, row["authorised"], row["executed"],
                             row["available"], movable, *f.fungibility.notice_text, f.fungibility.notify, targets,
                             _institutions(f), _abbreviations(f), f.group_labels, f.role("fungibility.chain"))
