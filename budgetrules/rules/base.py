"""The COG table (column `base`): each leaf's programmed amount for the year, effective 1 January,
cited under the rule of its character (R-LIMITATIVE-CEILING, R-EVALUATIVE-INDICATIVE, R-RESERVE-USE),
and the amount an amendment (avenant) sets from its date, as the difference it makes."""
from __future__ import annotations

from decimal import Decimal

from ..core.ledger import KNOWN_FROM_THE_START
from ..model.fund import Fund
from .amendments import table_changes
from .context import FundRun, jan1


def amended_bases(fund: Fund) -> dict[tuple[str, int], Decimal]:
    """The base of every (line, year) an amendment changes, as amended last."""
    out: dict[tuple[str, int], Decimal] = {}
    for _, change in table_changes(fund):
        out[(change.line, change.year)] = change.amount  # type: ignore[index,assignment]
    return out


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
    before: dict[tuple[str, int], Decimal] = {}
    for amendment, change in table_changes(fund):
        key = (change.line, change.year)
        old = before.get(key, fund.base(*key))  # type: ignore[arg-type]
        delta = change.amount - old  # type: ignore[operator]
        before[key] = change.amount  # type: ignore[assignment]
        if delta:
            day = max(amendment.effective, jan1(change.year))  # type: ignore[arg-type]
            run.ledger.add(fund, change.line, change.year, "base", delta, fund.role("amendment"),  # type: ignore[arg-type]
                           f"{fund.cog.file}:{change.source_line}", day, "note.amendment",
                           {"ref": amendment.ref, "before": old, "after": change.amount}, known=amendment.effective,
                           citation=amendment.citation or None)  # the avenant's own article
