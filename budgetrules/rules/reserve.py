"""Use of the réserve nationale (R-RESERVE-USE): prior authorisation, within what it holds,
moving credit from the reserve line to the target line; the board is informed."""
from __future__ import annotations

from ..ledger import Ledger
from ..model import Fund
from ..money import fr_amount
from ..scenario import Event


def apply_reserve_use(fund: Fund, ledger: Ledger, event: Event) -> None:
    """Apply one `reserve_use` event, or record why it is not applied."""
    amount, target, when = event["amount"], event["to_line"], event["date"]
    if fund.reserve is None:
        ledger.find(fund, "R-RESERVE-USE", "error", event.year, target,
                    f"{fund.code} has no réserve nationale: use of {fr_amount(amount)} not applied", amount, event.source)
        return
    rule, reserve = fund.reserve.rule, fund.reserve.line
    if target == reserve:
        ledger.find(fund, rule, "error", event.year, target,
                    f"use of the réserve nationale of {fr_amount(amount)} for the reserve itself: nothing to apply",
                    amount, event.source)
        return
    authorised_on = event.get("authorised_on")
    if authorised_on is None or authorised_on > when:
        why = "without the ministries' prior authorisation" if authorised_on is None else \
            f"authorised on {authorised_on.isoformat()}, after the use on {when.isoformat()}"
        ledger.find(fund, rule, "error", event.year, target,
                    f"use of the réserve nationale of {fr_amount(amount)} for {target} on {when.isoformat()} "
                    f"{why}: not applied", amount, event.source)
        return
    holds = ledger.available(fund.code, reserve, event.year)
    if amount > holds:
        ledger.find(fund, rule, "error", event.year, target,
                    f"use of the réserve nationale of {fr_amount(amount)} for {target} on {when.isoformat()}: the "
                    f"reserve holds only {fr_amount(holds)}: not applied", amount - holds, event.source)
        return
    ledger.add(fund, reserve, event.year, "reserve_in", -amount, rule, event.source, f"drawn for {target}")
    ledger.add(fund, target, event.year, "reserve_in", amount, rule, event.source, f"drawn from {reserve}")
    ledger.find(fund, rule, "info", event.year, target,
                f"réserve nationale: {fr_amount(amount)} used for {target} on {when.isoformat()} (authorised on "
                f"{authorised_on.isoformat()}); the board is to be informed", amount, event.source)
