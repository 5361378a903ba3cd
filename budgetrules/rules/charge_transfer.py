"""Revision of the budgeted credits by law or regulation (« Révision et actualisation »), column
`charge_transfer`: R-CHARGE-TRANSFER, a transfer of a charge out of the fund, cancels the line's
budgeted credits (base + indexation) by its amount (never more than the credit); R-CHARGE-NEW, a
new charge put on the fund, raises them by its amount. Both from their year to the end of the
period, effective on their date in their year and on 1 January in the years after."""
from __future__ import annotations

from ..core.ledger import ZERO
from ..model.scenario import ChargeTransfer, NewCharge
from .context import FundRun, jan1


def _years_of(run: FundRun, ev: ChargeTransfer | NewCharge):
    """(year, the day it takes effect in that year, whether that day is a default) for each year of
    the period from the event's: its own date in its year, 1 January in the years after."""
    for year in run.fund.years:
        if year >= ev.year:
            yield year, (ev.effective if year == ev.year else jan1(year)), ev.defaulted and year == ev.year


def apply(run: FundRun) -> None:
    fund, ledger = run.fund, run.ledger
    rule = fund.role("charge.transfer")
    for ev in run.each(ChargeTransfer):
        for year, day, defaulted in _years_of(run, ev):
            budgeted = ledger.authorised(fund.code, ev.line, year)  # base + indexation − earlier transfers
            amount = min(ev.amount, max(budgeted, ZERO))
            if amount < ev.amount:
                ledger.find(fund, rule, "error", year, ev.line, "charge_transfer.above_credit",
                            {"amount": ev.amount, "line": ev.line, "year": year, "budgeted": budgeted,
                             "cancelled": amount}, ev.amount - amount, ev.source)
            if amount:
                ledger.add(fund, ev.line, year, "charge_transfer", -amount, rule, ev.source, day,
                           "note.charge_transfer", {"from_year": ev.year}, known=ev.effective, defaulted=defaulted)


def apply_new(run: FundRun) -> None:
    """R-CHARGE-NEW: each new charge raises its line's budgeted credits by its amount, from its year."""
    fund, ledger = run.fund, run.ledger
    rule = fund.role("charge.new")
    for ev in run.each(NewCharge):
        for year, day, defaulted in _years_of(run, ev):
            ledger.add(fund, ev.line, year, "charge_transfer", ev.amount, rule, ev.source, day, "note.new_charge",
                       {"from_year": ev.year, "reference": ev.legal_reference}, known=ev.effective,
                       defaulted=defaulted)
