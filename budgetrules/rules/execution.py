"""Execution (column `executed`): the consumption of each line, effective on its date (undated:
1 January, so that the whole year's execution counts against the credit at any date of the year)."""
from __future__ import annotations

from ..model.scenario import Execution
from .context import FundRun


def apply(run: FundRun) -> None:
    fund = run.fund
    for ev in run.each(Execution):
        run.execution_sources[(ev.year, ev.line)].append(ev.source)
        run.ledger.add(fund, ev.line, ev.year, "executed", ev.amount, run.character_rule(ev.line), ev.source,
                       ev.effective, defaulted=ev.defaulted)
