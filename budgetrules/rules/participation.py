"""R-BRANCH-PARTICIPATION: « la participation des branches équivaut aux dépenses nettes aussi bien en
fonctionnement qu'en capital » of the funds that say so (`participation:` of a fund file). Per year:
the executed expenses of the operating and the capital leaves (`nature`), the own receipts realised in
the year, the net expenses by the fund's reading of « dépenses nettes », the same on the authorised
credits (the forecast), and the split between branches: by section (a section's executed expenses; the
receipts, realised by the fund as a whole, are not split), or by the COG's key, or none."""
from __future__ import annotations

from decimal import Decimal

from ..core.ledger import ZERO
from ..core.money import round_cents
from ..core.records import ParticipationRow
from ..model.scenario import Receipt
from .context import FundRun


def apply(run: FundRun) -> None:
    fund, ledger = run.fund, run.ledger
    spec = fund.participation
    if spec is None:
        return
    for year in fund.years:
        operating = capital = authorised = ZERO
        by_section: dict[str, Decimal] = {}
        for line in fund.leaves:
            row = ledger.row(fund.code, line.code, year)
            if line.nature == "capital":
                capital += row["executed"]
            else:
                operating += row["executed"]
            authorised += row["authorised"]
            section = fund.section(line.code)
            by_section[section] = by_section.get(section, ZERO) + row["executed"]
        receipts = sum((ev.realised for ev in run.each(Receipt) if ev.year == year), ZERO)
        less = receipts if spec.net_expenses == "executed_less_receipts" else ZERO
        net = operating + capital - less
        if spec.branches:
            by_branch: dict[str, Decimal] = {}
            for section, branch in spec.branches.items():
                by_branch[branch] = by_branch.get(branch, ZERO) + by_section.get(section, ZERO)
            split = "sections"
        elif spec.key:
            by_branch = {branch: round_cents(net * share) for branch, share in spec.key.items()}
            split = "key"
        else:
            by_branch, split = {}, "none"
        ledger.participation.append(ParticipationRow(fund.code, year, operating, capital, receipts, net,
                                                     authorised - less, by_branch, spec.net_expenses, split,
                                                     spec.rule, fund.cite(spec.rule)))
