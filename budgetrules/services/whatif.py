"""The what-if of a budget officer: the scenario run without and with one simulated virement, the
verdict judged after everything the scenario records (the document: `documents.build.virement_document`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..core.records import VirementRecord
from ..engine import Result, run
from ..model.scenario import Dm, Scenario, Virement

SIMULATED = "command line"


@dataclass
class VirementAnswer:
    """The verdict on the simulated virement and the runs before and after it."""

    record: VirementRecord
    before: Result
    after: Result


def simulate_virement(scenario: Scenario, fund: str, source: str, target: str, amount: Decimal, year: int,
                      when: dt.date | None = None, dm: Dm | None = None) -> VirementAnswer:
    """Run the scenario without and with the virement (dated `when`, by default 31 December of
    `year`); the verdict is judged against the source line's credit available at that date."""
    when = when or dt.date(year, 12, 31)
    event = Virement(year=year, fund=fund, from_line=source, to_line=target, amount=amount, date=when, dm=dm,
                     simulated=True, source=SIMULATED, order=10 ** 9)
    before = run(scenario, source_checks=False)
    after = run(scenario, [event], source_checks=False)
    record = next(v for v in after.ledger.virements if v.source == SIMULATED)
    return VirementAnswer(record, before, after)
