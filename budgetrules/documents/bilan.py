"""The annual bilan de l'exécution budgétaire (R-BILAN: « Le bilan de l'exécution budgétaire »): at the
close of a year, each fund's credits authorised then executed in the COG's form, then the sections
the annex lists — personnel (agents and FTE by status, credits executed by status), IT expenses,
evaluative expenses, real-estate operations, operations on receipts, the reserve fund's statement —
and the participation of the branches. A section whose data the scenario does not give says so.
With the execution read from the books (`--execution`), what was read and what was not counted, and the
R-BOOKS-WHOLE findings: a bilan of partial books never reads as whole."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core.ledger import ZERO
from ..core.records import Finding, ParticipationRow, ReserveStatementRow
from ..engine import Result
from ..model.scenario import AssetSale, Personnel, Receipt
from . import FundTable


@dataclass(frozen=True)
class PersonnelRow:
    """Agents, FTE and credits executed of one status (a `personnel` event)."""

    fund: str
    status: str
    agents: int
    fte: Decimal
    executed: Decimal
    source: str


@dataclass(frozen=True)
class LineFigures:
    """One line of a section: its credits authorised, executed, available (overrun when negative)."""

    fund: str
    line: str
    label: str
    character: str | None
    authorised: Decimal
    executed: Decimal
    available: Decimal


@dataclass(frozen=True)
class SaleRow:
    """A real-estate sale of the year and what its gain becomes (R-RECEIPT-REAL-ESTATE)."""

    fund: str
    label: str
    price: Decimal
    net_book_value: Decimal
    gain: Decimal
    use: str
    buyer: str
    source: str


@dataclass(frozen=True)
class ReceiptRow:
    """An own receipt of the year: realised against forecast, and what was reused the next year."""

    fund: str
    what: str
    realised: Decimal
    forecast: Decimal
    source: str


@dataclass(frozen=True)
class BilanDocument:
    """The bilan of one year. `missing` names the sections whose data the scenario does not give;
    `reserve`, like the reserve of each fund's table in `funds`, is the statement of that year only;
    `books`, with the execution read from the books, is their report (a `documents.BooksReport`: what
    was read, left out, excluded, read twice or not mapped, and its R-BOOKS-WHOLE findings)."""

    scenario: str
    scenario_file: str
    year: int
    cog: tuple[str, str] | None
    funds: list[FundTable]
    personnel: list[PersonnelRow]
    it: list[LineFigures]
    evaluative: list[LineFigures]
    real_estate_lines: list[LineFigures]
    sales: list[SaleRow]
    receipts: list[ReceiptRow]
    reused: list[LineFigures]  # lines whose credits of the year include reused receipts
    reserve: dict[str, ReserveStatementRow]
    participation: list[ParticipationRow]
    rule: str
    citation: str
    missing: list[str] = field(default_factory=list)
    books: Any = None
    participation_rule: str = ""  # the rule ID the COG binds to the branches' participation

    @property
    def findings(self) -> list[Finding]:
        """The R-BOOKS-WHOLE findings of the books read: the only findings of a bilan, which states the
        year and judges nothing else (the legality of the year is `budgetrules audit`'s). Their sources
        are the FEC files as the program was given them, as every source of the bilan (docs/json.md),
        not relative to the scenario's folder as `run` and `audit` show them."""
        if self.books is None:
            return []
        import dataclasses

        from .sources import relative_source, scenario_folder

        base = scenario_folder(self.scenario_file)
        given = {relative_source(f["file"], base): f["file"] for f in self.books["files"]}

        def as_given(source: str) -> str:
            path, sep, line = source.rpartition(":")
            if not (sep and line.isdigit()):
                path, sep, line = source, "", ""
            return given.get(path, path) + sep + line

        return [dataclasses.replace(f, source=as_given(f.source)) for f in getattr(self.books, "findings", ())]

    @property
    def errors(self) -> int:
        """Error findings: the books were not read whole (lines left out, expense accounts on no line),
        so the execution stated is incomplete."""
        return sum(1 for f in self.findings if f.severity == "error")


def _figures(result: Result, fund: str, line: str, year: int) -> LineFigures:
    f = result.funds[fund]
    row = result.row(fund, line, year)
    leaf = f.is_leaf(line)
    return LineFigures(fund, line, f.by_code[line].label, f.by_code[line].character if leaf else None,
                       row["authorised"], row["executed"], row["available"])


def bilan_document(result: Result, year: int, books: Any = None) -> BilanDocument:
    """The bilan of `year` from a run (the year must be one of the period: checked by the caller), with
    the report of the books the execution was read from, if any. A reserve fund's statement is that of
    the year, in `reserve` and in the fund's table alike: the bilan closes one year, and the years after
    it are not closed yet (the years before are in the year's opening reserve)."""
    import dataclasses

    from .build import fund_table

    scenario = result.scenario
    funds = [dataclasses.replace(t, reserve=[r for r in t.reserve if r.year == year])
             for t in (fund_table(result, f, [year]) for f in result.funds.values() if year in f.years)]
    personnel = [PersonnelRow(ev.fund, ev.status, ev.agents, ev.fte, ev.executed, ev.source)
                 for ev in scenario.events if isinstance(ev, Personnel) and ev.year == year]
    it, real_estate, evaluative, reused = [], [], [], []
    for code, f in result.funds.items():
        if year not in f.years:
            continue
        it += [_figures(result, code, line, year) for line in f.bilan_lines.get("it", ())]
        real_estate += [_figures(result, code, line, year) for line in f.bilan_lines.get("real_estate", ())]
        evaluative += [_figures(result, code, line.code, year) for line in f.leaves if line.character == "evaluative"]
        reused += [_figures(result, code, line.code, year) for line in f.leaves
                   if result.row(code, line.code, year)["receipts"] != 0]
    sales = []
    for ev in scenario.events:
        if isinstance(ev, AssetSale) and ev.year == year:
            gain = ZERO if ev.buyer == "social_security" else ev.price - ev.net_book_value
            sales.append(SaleRow(ev.fund, ev.label or "", ev.price, ev.net_book_value, gain, ev.use, ev.buyer,
                                 ev.source))
    receipts = [ReceiptRow(ev.fund, ev.category or ev.account or "", ev.realised, ev.forecast, ev.source)
                for ev in scenario.events if isinstance(ev, Receipt) and ev.year == year]
    reserve = {t.code: row for t in funds for row in t.reserve}
    participation = [p for p in result.ledger.participation if p.year == year]
    some = next(iter(result.funds.values()))
    rule = some.role("bilan")
    missing = [name for name, rows in (("personnel", personnel), ("it", it), ("real_estate", real_estate + sales),
                                       ("receipts", receipts), ("participation", participation)) if not rows]
    if not any(f.reserve_fund is not None for f in result.funds.values()):
        missing.append("reserve")
    return BilanDocument(scenario.name, scenario.file, year,
                         (scenario.cog.code, scenario.cog.title) if scenario.cog is not None else None,
                         funds, personnel, it, evaluative, real_estate, sales, receipts, reused, reserve,
                         participation, rule, some.cite(rule), missing, books, some.role("branch_participation"))
