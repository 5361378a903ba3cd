"""The engine: for each fund, the steps of `budgetrules.rules.PIPELINE` in order (the steps of the
year once for every year of the period), every figure a sum of contributions with the findings
beside them. The rules are in `budgetrules.rules`; this is only the loop and the result."""
from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .core.ledger import ZERO, Ledger
from .core.records import COLUMNS, Contribution, Finding, ReserveStatementRow
from .model.fund import Fund
from .model.scenario import Event, Scenario
from .rules import PIPELINE, EachYear, FundRun


@dataclass
class Result:
    """Everything a run produces: the ledger of contributions and findings, per fund."""

    scenario: Scenario
    ledger: Ledger
    table_findings: list[Finding] = field(default_factory=list)  # R-SOURCE-TOTALS, about the COG's tables
    audit_date: dt.date = dt.date.max  # the date notices were judged at

    @property
    def funds(self) -> dict[str, Fund]:
        return self.scenario.funds

    @property
    def reserve_statements(self) -> dict[str, list[ReserveStatementRow]]:
        """The reserve statement (opening, resources, expenses, closing) of each reserve fund."""
        return self.ledger.reserve_statements

    @property
    def findings(self) -> list[Finding]:
        """Findings about the period (the COG's own tables apart)."""
        return self.ledger.findings

    def row(self, fund: str, line: str, year: int, at: dt.date | None = None) -> dict[str, Decimal]:
        """The 13 columns of a leaf, or the sums of its leaves for a subtotal; `at` a date: as they stood then."""
        f = self.funds[fund]
        read = self.ledger.row if at is None else (lambda fu, li, y: self.ledger.row_at(fu, li, y, at))
        leaves = f.leaves_under[line]
        if len(leaves) == 1 and leaves[0] == line:
            return read(fund, line, year)
        rows = [read(fund, leaf, year) for leaf in leaves]
        return {col: sum((r[col] for r in rows), ZERO) for col in COLUMNS}

    def total(self, fund: str, year: int, at: dt.date | None = None) -> dict[str, Decimal]:
        """The fund total of a year (every leaf summed), final or as it stood on `at`."""
        rows = [self.row(fund, leaf.code, year, at) for leaf in self.funds[fund].leaves]
        return {col: sum((r[col] for r in rows), ZERO) for col in COLUMNS}

    def contributions(self, fund: str, line: str, year: int, column: str | None = None) -> list[Contribution]:
        """The contributions behind one figure (a subtotal: those of its leaves)."""
        leaves = set(self.funds[fund].leaves_under[line])
        return [c for c in self.ledger.contributions
                if c.fund == fund and c.line in leaves and c.year == year and (column is None or c.column == column)]


def default_audit_date(scenario: Scenario, today: dt.date | None = None) -> dt.date:
    """The date an audit judges at when none is given: the day after the period, or today if earlier."""
    last = max((f.last_year for f in scenario.funds.values()), default=dt.date.today().year)
    return min(dt.date(last + 1, 1, 1), today or dt.date.today())


def run(scenario: Scenario, extra_events: list[Event] | None = None, *, source_checks: bool = True,
        audit_date: dt.date | None = None) -> Result:
    """Simulate the scenario over every fund and year; `extra_events` are added (e.g. a simulated
    virement). Notices are judged at `audit_date` (default: the scenario's `audit_date`, else
    `default_audit_date`)."""
    # The run allocates hundreds of thousands of small acyclic records: the cyclic garbage collector
    # would rescan them again and again (superlinear time) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(scenario, extra_events, source_checks,
                    audit_date or scenario.audit_date or default_audit_date(scenario))
    finally:
        if collecting:
            gc.enable()


def _run(scenario: Scenario, extra_events: list[Event] | None, source_checks: bool, audit_date: dt.date) -> Result:
    ledger = Ledger()
    result = Result(scenario, ledger, audit_date=audit_date)
    by_fund: dict[str, list[Event]] = defaultdict(list)
    for ev in [*scenario.events, *(extra_events or [])]:
        by_fund[ev.fund].append(ev)
    for code, fund in scenario.funds.items():
        run_fund(FundRun.of(fund, scenario, ledger, by_fund.get(code, []), audit_date))
        if source_checks:
            from .rules.source_totals import check_source_totals

            result.table_findings.extend(check_source_totals(fund))
    return result


def run_fund(run: FundRun) -> None:
    """The pipeline over one fund."""
    for stage in PIPELINE:
        if isinstance(stage, EachYear):
            for year in run.fund.years:
                run.year = year
                for step in stage.steps:
                    step(run)
        else:
            stage(run)
