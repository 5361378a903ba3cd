"""The rules of RULES.md, one module per family, and the order in which the engine applies them.

`PIPELINE` is RULES.md's "The year, in order" as one list: every step is a function of one typed
context (`FundRun`, one fund of one run) that writes contributions and findings to its ledger.
The steps of `EACH_YEAR` run for every year of the period in turn, after the steps before them;
the engine (`budgetrules.engine`) is only the loop over this list."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import (base, carry, ceilings, charge_transfer, execution, fungibility, index, moves, participation,
               programmes, receipts, reserve, votes)
from .context import FundRun

Step = Callable[[FundRun], None]


@dataclass(frozen=True)
class EachYear:
    """Steps applied to every year of the period in turn (`run.year` is the year)."""

    steps: tuple[Step, ...]


PIPELINE: tuple[Step | EachYear, ...] = (
    base.apply,                      # base: the COG table
    index.apply,                     # indexation (R-INDEX-*)
    charge_transfer.apply,           # charge_transfer: transfers of charges out (R-CHARGE-TRANSFER) …
    charge_transfer.apply_new,       # … and new charges put on the fund (R-CHARGE-NEW)
    programmes.apply,                # the programme authorisations (AP) of R-CARRY-CP-AP
    receipts.apply,                  # receipts (R-RECEIPT-*)
    execution.apply,                 # executed
    reserve.apply_fund_statement,    # a reserve fund's statement (R-FNMO-RESERVE)
    carry.read_decisions,            # the carry-over decisions, by the year that receives them
    EachYear((
        moves.apply,                 # virements_in/out (R-FUNG-*) and reserve_in (R-RESERVE-USE), by date
        fungibility.check_chains,    # R-FUNG-CHAIN
        ceilings.check,              # R-LIMITATIVE-CEILING, R-EVALUATIVE-INDICATIVE
        carry.close_year,            # carry_out, lapsed, and carry_in of the next year (R-CARRY-*)
    )),
    votes.apply,                     # R-VOTE-*, R-FNMO-CALENDAR, once the credits are known
    participation.apply,             # R-BRANCH-PARTICIPATION: the net expenses the branches finance
)

__all__ = ["PIPELINE", "EachYear", "FundRun", "Step"]
