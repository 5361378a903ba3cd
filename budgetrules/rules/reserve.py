"""Reserves: use of the réserve nationale (R-RESERVE-USE: prior authorisation, within what it holds,
the board informed) and the statement of a fund that is itself a reserve (R-FNMO-RESERVE)."""
from __future__ import annotations

from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..core.records import ReserveStatementRow
from ..model.fund import Fund
from ..model.scenario import ReserveExpense, ReserveResource, ReserveUse
from .context import FundRun, jan1


def apply_reserve_use(fund: Fund, ledger: Ledger, event: ReserveUse) -> None:
    """Apply one `reserve_use` event on its date, or record why it is not applied."""
    amount, target, when = event.amount, event.to_line, event.date
    params = {"fund": fund.code, "amount": amount, "target": target, "date": when,
              "board": fund.authority("board"), "ministries": fund.authority("ministries")}
    if fund.reserve is None:
        ledger.find(fund, fund.role("reserve.line"), "error", event.year, target, "reserve.none", params, amount, event.source)
        return
    rule, reserve = fund.reserve.rule, fund.reserve.line
    if target == reserve:
        ledger.find(fund, rule, "error", event.year, target, "reserve.to_itself", params, amount, event.source)
        return
    authorised_on = event.authorised_on
    if authorised_on is None or authorised_on > when:
        key = "reserve.unauthorised" if authorised_on is None else "reserve.authorised_late"
        ledger.find(fund, rule, "error", event.year, target, key, dict(params, authorised_on=authorised_on), amount,
                    event.source)
        return
    holds = ledger.available_at(fund.code, reserve, event.year, when)
    if amount > holds:
        ledger.find(fund, rule, "error", event.year, target, "reserve.insufficient", dict(params, holds=holds),
                    amount - holds, event.source)
        return
    ledger.add(fund, reserve, event.year, "reserve_in", -amount, rule, event.source, when, "note.reserve_out",
               {"target": target})
    ledger.add(fund, target, event.year, "reserve_in", amount, rule, event.source, when, "note.reserve_in",
               {"reserve": reserve})
    ledger.find(fund, rule, "info", event.year, target, "reserve.used", dict(params, authorised_on=authorised_on),
                amount, event.source)


def apply_fund_statement(run: FundRun) -> None:
    """R-FNMO-RESERVE for a fund that is a reserve: closing(N) = opening(N) + resources(N) − expenses(N);
    expenses ≤ reserve available. Its expenses are drawn on the reserve: `reserve_in` and `executed`."""
    fund, ledger = run.fund, run.ledger
    rf = fund.reserve_fund
    if rf is None:
        return
    resources, expenses = run.each(ReserveResource), run.each(ReserveExpense)
    rule = rf.rule
    statement = []
    opening = rf.opening
    for year in range(rf.opening_year, fund.last_year + 1):
        res = {k: ZERO for k in rf.resources}
        for ev in resources:
            if ev.year == year:
                res[ev.resource] += ev.amount
        spent: dict[str, Decimal] = {}
        for ev in expenses:
            if ev.year == year:
                spent[ev.line] = spent.get(ev.line, ZERO) + ev.amount
                if year in fund.years:
                    ledger.add(fund, ev.line, year, "reserve_in", ev.amount, rule, ev.source, jan1(year),
                               "note.reserve_fund_expense")
                    ledger.add(fund, ev.line, year, "executed", ev.amount, rule, ev.source, jan1(year))
        total_res = sum(res.values(), ZERO)
        total_exp = sum(spent.values(), ZERO)
        available = opening + total_res
        if total_exp > 0 and total_exp > available:
            ledger.find(fund, rule, "error", year, None, "reserve_fund.over",
                        {"fund": fund.code, "year": year, "expenses": total_exp, "opening": opening,
                         "resources": total_res, "available": available},
                        total_exp - max(available, ZERO), ", ".join(ev.source for ev in expenses if ev.year == year))
        closing = available - total_exp
        statement.append(ReserveStatementRow(year, opening, res, total_res, dict(sorted(spent.items())), total_exp,
                                             closing))
        opening = closing
    ledger.reserve_statements[fund.code] = statement
