"""The dated moves of credit of the fold's year — virements (R-FUNG-*) and uses of the réserve
nationale (R-RESERVE-USE) — applied in date order, then file order; a simulated virement (the
command line's question) after everything the scenario records in its year."""
from __future__ import annotations

from ..model.scenario import ReserveUse, Virement
from .amendments import fund_at
from .context import FundRun
from .fungibility import apply_virement
from .reserve import apply_reserve_use


def apply(run: FundRun) -> None:
    moves = [ev for ev in (*run.each(Virement), *run.each(ReserveUse)) if ev.year == run.year]
    for ev in sorted(moves, key=lambda e: (isinstance(e, Virement) and e.simulated, e.date, e.order)):
        if isinstance(ev, ReserveUse):
            apply_reserve_use(run.fund, run.ledger, ev)
        else:
            apply_virement(fund_at(run.fund, ev.date), run.ledger, ev, run.audit_date)
