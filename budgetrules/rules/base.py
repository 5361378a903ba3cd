"""The COG table (column `base`): each leaf's programmed amount for the year, effective 1 January,
cited under the rule of its character (R-LIMITATIVE-CEILING, R-EVALUATIVE-INDICATIVE, R-RESERVE-USE)."""
from __future__ import annotations

from ..core.ledger import KNOWN_FROM_THE_START
from .context import FundRun, jan1


def apply(run: FundRun) -> None:
    fund = run.fund
    for line in fund.leaves:
        rule = run.character_rule(line.code)
        source = run.source_of(line.code)
        for year in fund.years:
            amount = line.amounts.get(year)
            if amount:
                run.ledger.add(fund, line.code, year, "base", amount, rule, source, jan1(year), "note.cog_table",
                               known=KNOWN_FROM_THE_START)
