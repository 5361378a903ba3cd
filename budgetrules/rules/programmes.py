"""Programme authorisations (AP): the pool of APs that R-CARRY-CP-AP carries CP against at the close
of the last year, with a warning for an AP on a line whose CP cannot correspond to an AP."""
from __future__ import annotations

from ..core.records import ProgrammeAuthorisation
from ..model.scenario import ProgrammeAuthorisation as ApEvent
from .context import FundRun


def apply(run: FundRun) -> None:
    fund = run.fund
    for ev in run.each(ApEvent):
        run.programmes.append(ProgrammeAuthorisation(ev.line, ev.year, ev.amount, ev.ref,
                                                     ev.board_decision is not None, ev.source))
        line = fund.by_code[ev.line]
        if line.carry is None or not line.carry.ap:
            run.ledger.find(fund, fund.role("carry.cp_ap"), "warning", ev.year, ev.line, "ap.not_investment_line",
                            {"ref": ev.ref, "line": ev.line}, ev.amount, ev.source)
