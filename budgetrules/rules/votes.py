"""Budget votes (R-VOTE-CONFORMITY, R-VOTE-CALENDAR, R-FNMO-CALENDAR): checks made once the
year's authorised credits (or a reserve fund's statement) are known."""
from __future__ import annotations

import datetime as dt

from ..core.ledger import ZERO
from ..core.records import Word
from ..model.fund import parse_month_day
from ..model.scenario import BudgetVote
from .context import FundRun


def apply(run: FundRun) -> None:
    for ev in run.each(BudgetVote):
        check_vote(run, ev)


def check_vote(run: FundRun, event: BudgetVote) -> None:
    """Conformity of a voted budget with the authorised credits, and the date of the vote."""
    fund, ledger = run.fund, run.ledger
    year = event.year
    budget = Word(f"budget.{event.budget}")
    if fund.reserve_fund is not None:
        check_reserve_vote(run, event)
        check_calendar(run, event)
        return
    over = []
    for code, voted in event.lines.items():
        # the credits as they stood on the vote date (RULES.md, R-VOTE-CONFORMITY): what was known then
        authorised = sum((ledger.authorised_at(fund.code, leaf, year, event.voted_on, known=True)
                          for leaf in fund.leaves_under[code]), ZERO)
        if voted > authorised:
            over.append(code)
            ledger.find(fund, fund.role("votes.conformity"), "error", year, code, "vote.over",
                        {"budget": budget, "year": year, "voted": voted, "line": code, "authorised": authorised,
                         "voted_on": event.voted_on},
                        voted - authorised, event.source)
    if not over:
        ledger.find(fund, fund.role("votes.conformity"), "info", year, None, "vote.conform",
                    {"budget": budget, "year": year, "voted_on": event.voted_on}, None, event.source)
    check_calendar(run, event)


def check_reserve_vote(run: FundRun, event: BudgetVote) -> None:
    """A reserve fund's budget conforms when its expenses stay within the reserve available (R-FNMO-RESERVE)."""
    fund, ledger = run.fund, run.ledger
    year = event.year
    row = next((r for r in ledger.reserve_statements.get(fund.code, []) if r.year == year), None)
    available = row.available if row else ZERO
    voted = sum(event.lines.values(), ZERO)
    params = {"budget": Word(f"budget.{event.budget}"), "year": year, "voted": voted, "available": available,
              "rule": fund.reserve_fund.rule if fund.reserve_fund else ""}
    if voted > available:
        ledger.find(fund, fund.role("votes.conformity"), "error", year, None, "vote.reserve_over", params, voted - available,
                    event.source)
    else:
        ledger.find(fund, fund.role("votes.conformity"), "info", year, None, "vote.reserve_conform", params, None,
                    event.source)


def check_calendar(run: FundRun, event: BudgetVote) -> None:
    """R-VOTE-CALENDAR / R-FNMO-CALENDAR, with the executory date when the fund has one."""
    fund, ledger = run.fund, run.ledger
    cal, year, voted = fund.votes, event.year, event.voted_on
    budget = Word(f"budget.{event.budget}")
    if event.budget == "primitif":
        expected_year = year + cal.primitif_year_offset
        ok = voted.year == expected_year
        when = Word("vote.when", {"year": expected_year})
        if cal.primitif_latest:
            latest = parse_month_day(cal.primitif_latest, expected_year)
            ok = ok and voted <= latest
            when = Word("vote.when_latest", {"year": expected_year, "latest": latest})
    else:
        expected_year = year + cal.rectificatif_year_offset
        ok = voted.year == expected_year
        when = Word("vote.when", {"year": expected_year})
        if cal.rectificatif_before:
            before = parse_month_day(cal.rectificatif_before, expected_year)
            ok = ok and voted < before
            when = Word("vote.when_before", {"year": expected_year, "before": before})
    if not ok:
        ledger.find(fund, cal.rule, "error", year, None, "vote.calendar",
                    {"budget": budget, "year": year, "voted_on": voted, "when": when}, None, event.source)
    if cal.executory_days is not None:
        received = event.received_on
        if received is None:
            ledger.find(fund, cal.rule, "warning", year, None, "vote.no_receipt",
                        {"budget": budget, "year": year, "days": cal.executory_days,
                         "ministries": fund.authority("ministries")}, None, event.source)
        else:
            executory = received + dt.timedelta(days=cal.executory_days)
            ledger.find(fund, cal.rule, "info", year, None, "vote.executory",
                        {"budget": budget, "year": year, "received_on": received, "executory": executory,
                         "ministries": fund.authority("ministries")}, None,
                        event.source)
