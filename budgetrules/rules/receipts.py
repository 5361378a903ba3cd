"""Reuse of receipts (R-RECEIPT-*): account receipts above forecast reused in N+1 at the table's
rate, non-cash products in N, real-estate gains as AP+CP in N+1 or a tenth a year for rent.
Credits reused in a later year take effect on 1 January of that year."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..core.money import round_cents
from ..core.records import ProgrammeAuthorisation, Word
from ..model.fund import Fund
from ..model.scenario import AssetSale, NonCashProduct, Receipt
from .context import FundRun, jan1


def apply(run: FundRun) -> None:
    """Receipts (judged together per account or category, year and target line), non-cash products
    and real-estate sales of the fund."""
    grouped: dict[tuple, list[Receipt]] = defaultdict(list)
    for ev in run.each(Receipt):
        grouped[receipt_key(run.fund, ev)].append(ev)
    for group in grouped.values():
        apply_receipt(run.fund, run.ledger, group)
    for ev in run.each(NonCashProduct):
        apply_noncash(run.fund, run.ledger, ev)
    for ev in run.each(AssetSale):
        apply_asset_sale(run.fund, run.ledger, ev, run.programmes)


def reuse_rate(fund: Fund, event: Receipt) -> tuple[Decimal, Word]:
    """The reuse rate of a receipt (category, or account by longest prefix; 0 % if not listed), and
    what it is, as a word of the catalogue."""
    r = fund.receipts
    if event.category is not None:
        return r.categories.get(event.category, Decimal(0)), Word("receipt.category", {"category": event.category})
    account = event.account or ""
    best = None
    for entry in r.accounts:
        if account.startswith(entry.account) and (best is None or len(entry.account) > len(best.account)):
            best = entry
    if best is None:
        return Decimal(0), Word("receipt.account_unlisted", {"account": account})
    return best.reuse, Word("receipt.account", {"account": best.account, "label": best.label})


def _credit(fund: Fund, ledger: Ledger, line: str, year: int, from_year: int, amount: Decimal, rule: str,
            source: str, note: str, params: dict, column: str = "receipts") -> None:
    """Add reused credit to a year of the period (effective 1 January), or report it as beyond the period."""
    if year <= fund.last_year:
        ledger.add(fund, line, year, column, amount, rule, source, jan1(year), note, params)
    else:
        ledger.beyond_period(fund, line, year, column, amount, rule, source, from_year)


def apply_receipt(fund: Fund, ledger: Ledger, events: list[Receipt]) -> None:
    """R-RECEIPT-*-ACCOUNTS / R-RECEIPT-*-NONE / R-RECEIPT-OTHER-NONE for the receipt events of
    one account (or category), year and target line: realised and forecast add up before comparing."""
    r = fund.receipts
    event = events[0]
    realised = sum((ev.realised for ev in events), ZERO)
    forecast = sum((ev.forecast for ev in events), ZERO)
    source = ", ".join(ev.source for ev in events)
    if r.mode == "none":
        what = (Word("receipt.what.category", {"category": event.category}) if event.category else
                Word("receipt.what.account", {"account": event.account}))
        ledger.find(fund, r.rule, "info", event.year, event.to_line, "receipt.not_reused",
                    {"fund": fund.code, "what": what, "realised": realised}, realised, source)
        return
    rate, described = reuse_rate(fund, event)
    excess = realised - forecast
    if excess <= 0:
        ledger.find(fund, r.rule, "info", event.year, None, "receipt.no_excess",
                    {"described": described, "realised": realised, "forecast": forecast}, excess, source)
        return
    if rate == 0:
        ledger.find(fund, fund.role("receipts.other_none"), "info", event.year, None, "receipt.zero_rate",
                    {"described": described, "excess": excess}, excess, source)
        return
    line = event.to_line or r.to_line or ""
    character = fund.by_code[line].character
    if character not in ("limitative", "reserve"):
        ledger.find(fund, r.rule, "error", event.year, line, "receipt.target_not_limitative",
                    {"line": line, "character": Word(f"character_adj.{character}")}, excess, source)
        return
    amount = round_cents(excess * rate)
    _credit(fund, ledger, line, event.year + r.lag_years, event.year, amount, r.rule, source, "note.receipt",
            {"described": described, "realised": realised, "forecast": forecast, "rate": rate})


def receipt_key(fund: Fund, event: Receipt) -> tuple:
    """Receipts of the same account (or category), year and target line are judged together."""
    return (event.year, event.category or "", event.account or "", event.to_line or fund.receipts.to_line or "")


def apply_noncash(fund: Fund, ledger: Ledger, event: NonCashProduct) -> None:
    """R-RECEIPT-NONCASH: a product without cash outflow authorises an equal expense in the same year
    (effective on its date, or 1 January)."""
    if fund.noncash is None:
        ledger.find(fund, fund.role("receipts.other_none"), "info", event.year, event.line, "noncash.no_rule",
                    {"fund": fund.code}, event.amount, event.source)
        return
    cls = event.counterpart_class
    if cls not in fund.noncash.counterpart_classes:
        ledger.find(fund, fund.noncash.rule, "error", event.year, event.line, "noncash.bad_class",
                    {"cls": cls, "allowed": list(fund.noncash.counterpart_classes)}, event.amount, event.source)
        return
    ledger.add(fund, event.line, event.year, "receipts", event.amount, fund.noncash.rule, event.source,
               event.effective, "note.noncash", {"cls": cls}, defaulted=event.defaulted)


def apply_asset_sale(fund: Fund, ledger: Ledger, event: AssetSale, ap_pool: list[ProgrammeAuthorisation]) -> None:
    """R-RECEIPT-REAL-ESTATE: the gain (price − net book value) as AP+CP in N+1, or 1/10 a year to rent."""
    re_ = fund.real_estate
    label = event.label or Word("asset_sale.default_label")
    if re_ is None:
        ledger.find(fund, fund.role("receipts.other_none"), "info", event.year, None, "asset_sale.no_rule",
                    {"fund": fund.code, "label": label}, event.price, event.source)
        return
    price, nbv = event.price, event.net_book_value
    if event.buyer == "social_security":
        if price != nbv:
            ledger.find(fund, re_.rule, "warning", event.year, None, "asset_sale.social_security_price",
                        {"label": label, "nbv": nbv, "price": price}, price - nbv, event.source)
        gain = ZERO
    else:
        gain = price - nbv
    if gain <= 0:
        ledger.find(fund, re_.rule, "info", event.year, None, "asset_sale.no_gain",
                    {"label": label, "price": price, "nbv": nbv}, gain, event.source)
        return
    start = event.year + re_.lag_years
    if event.use == "investment":
        line = event.to_line or re_.investment_line
        _credit(fund, ledger, line, start, event.year, gain, re_.rule, event.source, "note.asset_sale_investment",
                {"label": label, "price": price, "nbv": nbv, "start": start})
        ap_pool.append(ProgrammeAuthorisation(line, start, gain, label, True,
                                              event.source))
        return
    line = event.to_line or re_.rent_line
    tenth = round_cents(gain / re_.rent_years)
    for k in range(re_.rent_years):
        share = tenth if k < re_.rent_years - 1 else gain - tenth * (re_.rent_years - 1)
        _credit(fund, ledger, line, start + k, event.year, share, re_.rule, event.source, "note.asset_sale_rent",
                {"label": label, "part": k + 1, "parts": re_.rent_years, "gain": gain})
