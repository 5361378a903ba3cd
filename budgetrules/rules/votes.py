"""Budget votes (R-VOTE-CONFORMITY, R-VOTE-CALENDAR, R-FNMO-CALENDAR): checks made once the
year's authorised credits (or a reserve fund's statement) are known."""
from __future__ import annotations

import datetime as dt

from ..core.ledger import ZERO, Ledger
from ..model.fund import Fund, parse_month_day
from ..core.money import fr_amount
from ..model.scenario import Event


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
                        f"le budget {budget} {year} vote {fr_amount(voted)} sur {code}, au-delà des crédits autorisés "
                        f"de {fr_amount(authorised)} : non conforme à la COG, approbation non réputée acquise",
                        voted - authorised, event.source)
    if not over:
        ledger.find(fund, "R-VOTE-CONFORMITY", "info", year, None,
                    f"le budget {budget} {year} voté le {event['voted_on']} reste dans les crédits autorisés : "
                    f"conforme à la COG, approbation réputée acquise", None, event.source)
    check_calendar(fund, ledger, event)


def check_reserve_vote(fund: Fund, ledger: Ledger, event: Event) -> None:
    """A reserve fund's budget conforms when its expenses stay within the reserve available (R-FNMO-RESERVE)."""
    year, budget = event.year, event["budget"]
    row = next((r for r in ledger.reserve_statements.get(fund.code, []) if r["year"] == year), None)
    available = row["available"] if row else ZERO
    voted = sum(event["lines"].values(), ZERO)
    if voted > available:
        ledger.find(fund, "R-VOTE-CONFORMITY", "error", year, None,
                    f"le budget {budget} {year} vote {fr_amount(voted)} de dépenses, au-delà de la réserve disponible "
                    f"({fr_amount(available)}) : non conforme à la COG ({fund.reserve_fund.rule})",
                    voted - available, event.source)
    else:
        ledger.find(fund, "R-VOTE-CONFORMITY", "info", year, None,
                    f"le budget {budget} {year} ({fr_amount(voted)}) reste dans la réserve disponible "
                    f"({fr_amount(available)}) : conforme à la COG, approbation réputée acquise", None, event.source)


def check_calendar(fund: Fund, ledger: Ledger, event: Event) -> None:
    """R-VOTE-CALENDAR / R-FNMO-CALENDAR, with the executory date when the fund has one."""
    cal, year, voted = fund.votes, event.year, event["voted_on"]
    budget = event["budget"]
    if budget == "primitif":
        expected_year = year + cal.primitif_year_offset
        ok = voted.year == expected_year
        rule_text = f"voté en {expected_year}"
        if cal.primitif_latest:
            latest = parse_month_day(cal.primitif_latest, expected_year)
            ok = ok and voted <= latest
            rule_text += f", au plus tard le {latest.isoformat()}"
    else:
        expected_year = year + cal.rectificatif_year_offset
        ok = voted.year == expected_year
        rule_text = f"voté en {expected_year}"
        if cal.rectificatif_before:
            before = parse_month_day(cal.rectificatif_before, expected_year)
            ok = ok and voted < before
            rule_text += f", avant le {before.isoformat()}"
    if not ok:
        ledger.find(fund, cal.rule, "error", year, None,
                    f"budget {budget} {year} voté le {voted.isoformat()} : il doit être {rule_text}", None,
                    event.source)
    if cal.executory_days is not None:
        received = event.get("received_on")
        if received is None:
            ledger.find(fund, cal.rule, "warning", year, None,
                        f"budget {budget} {year} : pas de date de réception par les ministères de tutelle, donc pas "
                        f"de date exécutoire (exécutoire {cal.executory_days} jours après réception)", None, event.source)
        else:
            executory = received + dt.timedelta(days=cal.executory_days)
            ledger.find(fund, cal.rule, "info", year, None,
                        f"budget {budget} {year} reçu par les ministères de tutelle le {received.isoformat()} : "
                        f"exécutoire le {executory.isoformat()}", None, event.source)
