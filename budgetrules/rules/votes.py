"""Budget votes (R-VOTE-CONFORMITY, R-VOTE-CALENDAR, R-FNMO-CALENDAR) and the FNMO reserve
(R-FNMO-RESERVE): checks made once the year's authorised credits are known."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..ledger import ZERO, Ledger
from ..model import Fund, parse_month_day
from ..money import fr_amount
from ..scenario import Event


def check_vote(fund: Fund, ledger: Ledger, event: Event) -> None:
    """Conformity of a voted budget with the authorised credits, and the date of the vote."""
    year, budget = event.year, event["budget"]
    if fund.reserve_fund is not None:
        check_reserve_vote(fund, ledger, event)
        check_calendar(fund, ledger, event)
        return
    over = []
    for code, voted in event["lines"].items():
        authorised = sum((ledger.authorised(fund.code, leaf, year) for leaf in fund.leaves_under[code]), ZERO)
        if voted > authorised:
            over.append(code)
            ledger.find(fund, "R-VOTE-CONFORMITY", "error", year, code,
                        f"budget {budget} {year} votes {fr_amount(voted)} on {code}, above the authorised "
                        f"{fr_amount(authorised)}: not in conformity with the COG, approval not deemed acquired",
                        voted - authorised, event.source)
    if not over:
        ledger.find(fund, "R-VOTE-CONFORMITY", "info", year, None,
                    f"budget {budget} {year} voted on {event['voted_on']} is within the authorised credits: "
                    f"in conformity with the COG, approval deemed acquired", None, event.source)
    check_calendar(fund, ledger, event)


def check_reserve_vote(fund: Fund, ledger: Ledger, event: Event) -> None:
    """A reserve fund's budget conforms when its expenses stay within the reserve available (R-FNMO-RESERVE)."""
    year, budget = event.year, event["budget"]
    row = next((r for r in ledger.extra.get(fund.code, []) if r["year"] == year), None)
    available = row["available"] if row else ZERO
    voted = sum(event["lines"].values(), ZERO)
    if voted > available:
        ledger.find(fund, "R-VOTE-CONFORMITY", "error", year, None,
                    f"budget {budget} {year} votes {fr_amount(voted)} of expenses, above the reserve available "
                    f"({fr_amount(available)}): not in conformity with the COG ({fund.reserve_fund.rule})",
                    voted - available, event.source)
    else:
        ledger.find(fund, "R-VOTE-CONFORMITY", "info", year, None,
                    f"budget {budget} {year} ({fr_amount(voted)}) is within the reserve available "
                    f"({fr_amount(available)}): in conformity with the COG, approval deemed acquired", None, event.source)


def check_calendar(fund: Fund, ledger: Ledger, event: Event) -> None:
    """R-VOTE-CALENDAR / R-FNMO-CALENDAR, with the executory date when the fund has one."""
    cal, year, voted = fund.votes, event.year, event["voted_on"]
    budget = event["budget"]
    if budget == "primitif":
        expected_year = year + cal.primitif_year_offset
        ok = voted.year == expected_year
        rule_text = f"voted in {expected_year}"
        if cal.primitif_latest:
            latest = parse_month_day(cal.primitif_latest, expected_year)
            ok = ok and voted <= latest
            rule_text += f", on or before {latest.isoformat()}"
    else:
        expected_year = year + cal.rectificatif_year_offset
        ok = voted.year == expected_year
        rule_text = f"voted in {expected_year}"
        if cal.rectificatif_before:
            before = parse_month_day(cal.rectificatif_before, expected_year)
            ok = ok and voted < before
            rule_text += f", before {before.isoformat()}"
    if not ok:
        ledger.find(fund, cal.rule, "error", year, None,
                    f"budget {budget} {year} voted on {voted.isoformat()}: it must be {rule_text}", None, event.source)
    if cal.executory_days is not None:
        received = event.get("received_on")
        if received is None:
            ledger.find(fund, cal.rule, "warning", year, None,
                        f"budget {budget} {year}: no date of receipt by the ministries, so no executory date "
                        f"(executory {cal.executory_days} days after receipt)", None, event.source)
        else:
            executory = received + dt.timedelta(days=cal.executory_days)
            ledger.find(fund, cal.rule, "info", year, None,
                        f"budget {budget} {year} received by the ministries on {received.isoformat()}: executory on "
                        f"{executory.isoformat()}", None, event.source)


def fnmo_reserve(fund: Fund, ledger: Ledger, resources: list[Event], expenses: list[Event]) -> None:
    """R-FNMO-RESERVE: closing(N) = opening(N) + resources(N) − expenses(N); expenses ≤ reserve available."""
    rf = fund.reserve_fund
    assert rf is not None
    rule = rf.rule
    statement = []
    opening = rf.opening
    for year in range(rf.opening_year, fund.last_year + 1):
        res = {k: ZERO for k in rf.resources}
        for ev in resources:
            if ev.year == year:
                res[ev["resource"]] += ev["amount"]
        spent: dict[str, Decimal] = {}
        for ev in expenses:
            if ev.year == year:
                spent[ev["line"]] = spent.get(ev["line"], ZERO) + ev["amount"]
                if year in fund.years:
                    ledger.add(fund, ev["line"], year, "reserve_in", ev["amount"], rule, ev.source,
                               "expense drawn on the FNMO reserve")
                    ledger.add(fund, ev["line"], year, "executed", ev["amount"], rule, ev.source)
        total_res = sum(res.values(), ZERO)
        total_exp = sum(spent.values(), ZERO)
        available = opening + total_res
        if total_exp > 0 and total_exp > available:
            ledger.find(fund, rule, "error", year, None,
                        f"FNMO expenses of {year} ({fr_amount(total_exp)}) exceed the reserve available "
                        f"({fr_amount(opening)} opening + {fr_amount(total_res)} resources = {fr_amount(available)})",
                        total_exp - max(available, ZERO),
                        ", ".join(ev.source for ev in expenses if ev.year == year))
        closing = available - total_exp
        statement.append({"year": year, "opening": opening, "available": available, **{f"resource_{k}": v for k, v in res.items()},
                          "resources": total_res, "expenses": total_exp,
                          **{f"expense_{k}": v for k, v in sorted(spent.items())}, "closing": closing})
        opening = closing
    ledger.extra[fund.code] = statement
