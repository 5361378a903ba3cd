"""Reuse of receipts (R-RECEIPT-*): account receipts above forecast reused in N+1 at the table's
rate, non-cash products in N, real-estate gains as AP+CP in N+1 or a tenth a year for rent."""
from __future__ import annotations

from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..model.fund import Fund
from ..core.money import fr_amount, round_cents
from ..model.scenario import Event


def reuse_rate(fund: Fund, event: Event) -> tuple[Decimal, str]:
    """The reuse rate of a receipt (category, or account by longest prefix; 0 % if not listed)."""
    r = fund.receipts
    if event.get("category") is not None:
        return r.categories.get(event["category"], Decimal(0)), f"catégorie {event['category']}"
    account = event["account"]
    best = None
    for entry in r.accounts:
        if account.startswith(entry.account) and (best is None or len(entry.account) > len(best.account)):
            best = entry
    if best is None:
        return Decimal(0), f"compte {account} (absent du tableau de réutilisation : 0 %)"
    return best.reuse, f"compte {best.account} « {best.label} »"


def _credit(fund: Fund, ledger: Ledger, line: str, year: int, from_year: int, amount: Decimal, rule: str,
            source: str, note: str, column: str = "receipts") -> None:
    """Add reused credit to a year of the period, or report it as beyond the period."""
    if year <= fund.last_year:
        ledger.add(fund, line, year, column, amount, rule, source, note)
    else:
        ledger.beyond_period(fund, line, year, column, amount, rule, source, from_year)


def apply_receipt(fund: Fund, ledger: Ledger, events: list[Event]) -> None:
    """R-RECEIPT-BNGA-ACCOUNTS / R-RECEIPT-BNASS-NONE / R-RECEIPT-OTHER-NONE for the receipt events of
    one account (or category), year and target line: realised and forecast add up before comparing."""
    r = fund.receipts
    event = events[0]
    realised = sum((ev["realised"] for ev in events), ZERO)
    forecast = sum((ev["forecast"] for ev in events), ZERO)
    source = ", ".join(ev.source for ev in events)
    what = event.get("category") or f"compte {event.get('account')}"
    if r.mode == "none":
        ledger.find(fund, r.rule, "info", event.year, event.get("to_line"),
                    f"recette {fund.code} ({what}) de {fr_amount(realised)} enregistrée : les recettes propres ne "
                    f"majorent jamais les autorisations de dépenses", realised, source)
        return
    rate, described = reuse_rate(fund, event)
    excess = realised - forecast
    if excess <= 0:
        ledger.find(fund, r.rule, "info", event.year, None,
                    f"{described} : réalisé {fr_amount(realised)} ≤ prévision {fr_amount(forecast)} : rien à "
                    f"réutiliser (une moins-value ne réduit jamais les autorisations)", excess, source)
        return
    if rate == 0:
        ledger.find(fund, "R-RECEIPT-OTHER-NONE", "info", event.year, None,
                    f"{described} : l'excédent de {fr_amount(excess)} sur la prévision ne donne lieu à aucune "
                    f"récupération de crédits (0 %)",
                    excess, source)
        return
    line = event.get("to_line") or r.to_line
    if fund.by_code[line].character not in ("limitative", "reserve"):
        ledger.find(fund, r.rule, "error", event.year, line,
                    f"les recettes majorent les autorisations limitatives (ou la réserve) ; {line} est "
                    f"{ {'evaluative': 'évaluative'}.get(fund.by_code[line].character or '', fund.by_code[line].character)} : "
                    f"non appliqué", excess, source)
        return
    amount = round_cents(excess * rate)
    _credit(fund, ledger, line, event.year + r.lag_years, event.year, amount, r.rule, source,
            f"{described}: ({fr_amount(realised)} − {fr_amount(forecast)}) × {rate * 100:.0f} %")


def receipt_key(fund: Fund, event: Event) -> tuple:
    """Receipts of the same account (or category), year and target line are judged together."""
    return (event.year, event.get("category") or "", event.get("account") or "",
            event.get("to_line") or fund.receipts.to_line or "")


def apply_noncash(fund: Fund, ledger: Ledger, event: Event) -> None:
    """R-RECEIPT-NONCASH: a product without cash outflow authorises an equal expense in the same year."""
    if fund.noncash is None:
        ledger.find(fund, "R-RECEIPT-OTHER-NONE", "info", event.year, event["line"],
                    f"{fund.code} n'a pas de règle de produits sans décaissement : rien n'est réutilisé",
                    event["amount"], event.source)
        return
    cls = event["counterpart_class"]
    if cls not in fund.noncash.counterpart_classes:
        allowed = " or ".join(str(c) for c in fund.noncash.counterpart_classes)
        ledger.find(fund, fund.noncash.rule, "error", event.year, event["line"],
                    f"produit sans décaissement dont la contrepartie est en classe {cls} (classe {allowed.replace(' or ', ' ou ')} "
                    f"requise) : non appliqué",
                    event["amount"], event.source)
        return
    ledger.add(fund, event["line"], event.year, "receipts", event["amount"], fund.noncash.rule, event.source,
               f"produit sans décaissement, contrepartie en classe {cls}")


def apply_asset_sale(fund: Fund, ledger: Ledger, event: Event, ap_pool: list[dict]) -> None:
    """R-RECEIPT-REAL-ESTATE: the gain (price − net book value) as AP+CP in N+1, or 1/10 a year to rent."""
    re_ = fund.real_estate
    label = event.get("label") or "cession immobilière"
    if re_ is None:
        ledger.find(fund, "R-RECEIPT-OTHER-NONE", "info", event.year, None,
                    f"{fund.code} ne réutilise pas les plus-values de cessions immobilières ({label})", event["price"],
                    event.source)
        return
    price, nbv = event["price"], event["net_book_value"]
    if event["buyer"] == "social_security":
        if price != nbv:
            ledger.find(fund, re_.rule, "warning", event.year, None,
                        f"{label} : une vente entre organismes de sécurité sociale se fait à la valeur nette comptable "
                        f"({fr_amount(nbv)}), non à {fr_amount(price)} ; aucune plus-value n'est réutilisée",
                        price - nbv, event.source)
        gain = ZERO
    else:
        gain = price - nbv
    if gain <= 0:
        ledger.find(fund, re_.rule, "info", event.year, None,
                    f"{label} : aucune plus-value à réutiliser (prix {fr_amount(price)}, valeur nette comptable "
                    f"{fr_amount(nbv)})",
                    gain, event.source)
        return
    start = event.year + re_.lag_years
    if event["use"] == "investment":
        line = event.get("to_line") or re_.investment_line
        _credit(fund, ledger, line, start, event.year, gain, re_.rule, event.source,
                f"{label} : plus-value {fr_amount(price)} − {fr_amount(nbv)}, CP (et AP) de {start}")
        ap_pool.append({"line": line, "year": start, "amount": gain, "ref": label, "decided": True,
                        "source": event.source})
        return
    line = event.get("to_line") or re_.rent_line
    tenth = round_cents(gain / re_.rent_years)
    for k in range(re_.rent_years):
        share = tenth if k < re_.rent_years - 1 else gain - tenth * (re_.rent_years - 1)
        _credit(fund, ledger, line, start + k, event.year, share, re_.rule, event.source,
                f"{label} : loyers, part {k + 1}/{re_.rent_years} de la plus-value de {fr_amount(gain)}")
