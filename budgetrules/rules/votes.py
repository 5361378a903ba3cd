"""Budget votes (R-VOTE-CONFORMITY, R-VOTE-CALENDAR, R-FNMO-CALENDAR): checks made once the
year's authorised credits (or a reserve fund's statement) are known."""
from __future__ import annotations

import datetime as dt

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
    row = next((r for r in ledger.reserve_statements.get(fund.code, []) if r["year"] == year), None)
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
