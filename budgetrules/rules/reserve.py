"""Reserves: use of the réserve nationale (R-RESERVE-USE: prior authorisation, within what it holds,
the board informed) and the statement of a fund that is itself a reserve (R-FNMO-RESERVE)."""
from __future__ import annotations

from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..model.fund import Fund
from ..core.money import fr_amount
from ..model.scenario import Event


def apply_reserve_use(fund: Fund, ledger: Ledger, event: Event) -> None:
    """Apply one `reserve_use` event, or record why it is not applied."""
    amount, target, when = event["amount"], event["to_line"], event["date"]
    if fund.reserve is None:
        ledger.find(fund, "R-RESERVE-USE", "error", event.year, target,
                    f"{fund.code} n'a pas de réserve nationale : utilisation de {fr_amount(amount)} non appliquée", amount, event.source)
        return
    rule, reserve = fund.reserve.rule, fund.reserve.line
    if target == reserve:
        ledger.find(fund, rule, "error", event.year, target,
                    f"utilisation de la réserve nationale de {fr_amount(amount)} pour la réserve elle-même : rien à "
                    f"appliquer",
                    amount, event.source)
        return
    authorised_on = event.get("authorised_on")
    if authorised_on is None or authorised_on > when:
        why = "sans autorisation préalable des ministères de tutelle" if authorised_on is None else \
            f"autorisée le {authorised_on.isoformat()}, après l'utilisation du {when.isoformat()}"
        ledger.find(fund, rule, "error", event.year, target,
                    f"utilisation de la réserve nationale de {fr_amount(amount)} pour {target} le {when.isoformat()} "
                    f"{why} : non appliquée", amount, event.source)
        return
    holds = ledger.available(fund.code, reserve, event.year)
    if amount > holds:
        ledger.find(fund, rule, "error", event.year, target,
                    f"utilisation de la réserve nationale de {fr_amount(amount)} pour {target} le {when.isoformat()} : "
                    f"la réserve ne dispose que de {fr_amount(holds)} : non appliquée", amount - holds, event.source)
        return
    ledger.add(fund, reserve, event.year, "reserve_in", -amount, rule, event.source, f"prélevé pour {target}")
    ledger.add(fund, target, event.year, "reserve_in", amount, rule, event.source, f"prélevé sur {reserve}")
    ledger.find(fund, rule, "info", event.year, target,
                f"réserve nationale : {fr_amount(amount)} utilisés pour {target} le {when.isoformat()} (autorisation "
                f"du {authorised_on.isoformat()}) ; information à faire au conseil d'administration", amount,
                event.source)


def reserve_fund_statement(fund: Fund, ledger: Ledger, resources: list[Event], expenses: list[Event]) -> None:
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
                               "dépense prélevée sur la réserve du fonds")
                    ledger.add(fund, ev["line"], year, "executed", ev["amount"], rule, ev.source)
        total_res = sum(res.values(), ZERO)
        total_exp = sum(spent.values(), ZERO)
        available = opening + total_res
        if total_exp > 0 and total_exp > available:
            ledger.find(fund, rule, "error", year, None,
                        f"dépenses {fund.code} {year} ({fr_amount(total_exp)}) supérieures à la réserve disponible "
                        f"({fr_amount(opening)} à l'ouverture + {fr_amount(total_res)} de ressources = "
                        f"{fr_amount(available)})",
                        total_exp - max(available, ZERO),
                        ", ".join(ev.source for ev in expenses if ev.year == year))
        closing = available - total_exp
        statement.append({"year": year, "opening": opening, "available": available, **{f"resource_{k}": v for k, v in res.items()},
                          "resources": total_res, "expenses": total_exp,
                          **{f"expense_{k}": v for k, v in sorted(spent.items())}, "closing": closing})
        opening = closing
    ledger.reserve_statements[fund.code] = statement
