"""Carry-over of unconsumed credits (R-CARRY-*, R-AP-CANCEL, R-RESERVE-LAPSE): at the close of
year N, what each leaf carries into N+1 (or beyond the period), capped line by line and group by
group, and the detailed statement of origins. carry_out takes effect on 31 December of N; carry_in
on the date of the decision that carries it (1 January of N+1 for an automatic carry or an undated
decision). Across conventions (the fund's `carry_over:`): decisions may carry the previous
convention's credits into the first year, and the last year may carry into the next convention."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..core.money import round_cents
from ..core.records import CarryStatement, ProgrammeAuthorisation, Word
from ..model.fund import Fund, Line
from ..model.scenario import CarryOver
from .amendments import fund_at
from .context import FundRun, dec31, jan1


@dataclass
class Piece:
    """An amount a line carries: its rule, its source, the date its carry_in takes effect."""

    amount: Decimal
    rule: str
    source: str
    day: dt.date
    defaulted: bool = False
    decided: bool = False  # asked by a decision (a cap that cuts it is an error)
    beyond: bool = False  # into the next convention (reported beyond the period)


@dataclass
class LineClose:
    """What the close of a year found for one leaf."""

    line: Line
    authorised: Decimal
    executed: Decimal
    available: Decimal
    eligible: Decimal
    wanted: list[CarryOver]
    pieces: list[Piece]
    rule: str


def _eligible(line: Line, authorised: Decimal, available: Decimal) -> Decimal:
    eligible = max(available, ZERO)
    if line.carry is not None and line.carry.cap is not None:
        eligible = min(eligible, max(round_cents(authorised * line.carry.cap), ZERO))
    return eligible


def remaining_ap(fund: Fund, ledger: Ledger, line: str, aps: list[ProgrammeAuthorisation]) -> tuple[Decimal, dict, str]:
    """What remains of the decided APs of a line: AP amounts − CP executed on the line since the
    first AP's year (the scenario does not tie executions to an AP: the line's execution counts).
    Returns (remaining, the parameters of the note that explains it, the APs' sources)."""
    decided = [ap for ap in aps if ap.line == line and ap.decided and ap.year <= fund.last_year]
    if not decided:
        return ZERO, {}, ""
    start = min(ap.year for ap in decided)
    total = sum((ap.amount for ap in decided), ZERO)
    consumed = sum((ledger.value(fund.code, line, y, "executed") for y in fund.years if y >= start), ZERO)
    return (max(total - consumed, ZERO), {"refs": [ap.ref for ap in decided], "total": total, "consumed": consumed},
            ", ".join(ap.source for ap in decided))


def _pieces(run: FundRun, line: Line, fund: Fund) -> LineClose | None:
    """What one leaf may carry out of the fold's year under its own policy (before the group caps);
    `fund` is the fund as amended on 31 December of the year."""
    ledger, year = run.ledger, run.year
    policy = line.carry
    if policy is None:
        return None
    code = line.code
    authorised, executed, available = ledger.closing(fund.code, code, year)
    eligible = _eligible(line, authorised, available)
    wanted = run.decisions.get((code, year + 1), [])
    last = year == fund.last_year
    to_next = last and fund.carry_across.to_next == "eligible"
    maximum = run.scenario.assumptions.carry_over == "maximum"
    close = LineClose(line, authorised, executed, available, eligible, wanted, [], policy.rule)
    if policy.mode == "never":
        for ev in wanted:
            ledger.find(fund, policy.rule, "error", year + 1, code, "carry.never",
                        {"amount": ev.amount, "kind": Word(f"credits_of.{line.character}"), "year": year,
                         "line": code}, ev.amount, ev.source)
    elif last and not to_next:
        for ev in wanted:
            ledger.find(fund, fund.role("carry.last_year"), "error", year + 1, code, "carry.last_year",
                        {"amount": ev.amount, "line": code, "year": year}, ev.amount, ev.source)
    elif policy.mode == "automatic":
        if eligible > 0:
            close.pieces.append(Piece(eligible, policy.rule, run.source_of(code), jan1(year + 1), beyond=last))
    else:  # on_decision
        asked = sum((ev.amount for ev in wanted), ZERO)
        if maximum and eligible > 0:
            close.pieces.append(Piece(eligible, policy.rule, "assumption carry_over: maximum", jan1(year + 1), True,
                                      beyond=last))
        else:
            room = eligible
            for ev in wanted:
                part = min(ev.amount, room)
                room -= part
                if part > 0:
                    close.pieces.append(Piece(part, policy.rule, ev.source, ev.effective, ev.defaulted, True,
                                              beyond=last))
        if wanted and asked > eligible:
            ledger.find(fund, policy.rule, "error", year + 1, code, "carry.above_eligible",
                        {"asked": asked, "line": code, "year": year, "eligible": eligible,
                         "authorised": authorised, "executed": executed}, asked - eligible, wanted[0].source)
    if last and policy.ap and not to_next:
        remaining, why, ap_sources = remaining_ap(fund, ledger, code, run.programmes)
        amount = min(eligible, remaining)
        if amount > 0:
            rule = fund.role("carry.cp_ap")
            close.pieces.append(Piece(amount, rule, ap_sources, jan1(year + 1), beyond=True))
            close.rule = rule
            ledger.add(fund, code, year, "carry_out", amount, rule, ap_sources, dec31(year), "note.carry_cp_ap", why)
    return close


def _apply_group_caps(run: FundRun, fund: Fund, closes: dict[str, LineClose]) -> None:
    """Caps on what a group of lines carries together (a share of their credits, or an amount): the
    pieces are cut in the table's order until the group is within its cap."""
    ledger, year = run.ledger, run.year
    for cap in fund.carry_across.group_caps:
        members = [closes[c] for c in cap.lines if c in closes]
        carried = sum((p.amount for m in members for p in m.pieces if p.rule != fund.role("carry.cp_ap")), ZERO)
        credits = sum((m.authorised for m in members), ZERO)
        limit = round_cents(credits * cap.share) if cap.share is not None else (cap.amount or ZERO)
        if carried <= limit:
            continue
        room, cut_decided = limit, False
        for m in members:
            kept = []
            for p in m.pieces:
                if p.rule == fund.role("carry.cp_ap"):
                    kept.append(p)
                    continue
                part = min(p.amount, max(room, ZERO))
                room -= part
                cut_decided |= p.decided and part < p.amount
                if part > 0:
                    kept.append(Piece(part, cap.rule, p.source, p.day, p.defaulted, p.decided, p.beyond))
            m.pieces = kept
        ledger.find(fund, cap.rule, "error" if cut_decided else "info", year + 1, None, "carry.group_cap",
                    {"group": cap.label or ", ".join(cap.lines), "year": year, "asked": carried, "limit": limit,
                     "credits": credits, "share": cap.share}, carried - limit)


def close_year(run: FundRun) -> None:
    """Compute carry_out of every leaf for the fold's year and the carry_in of the next year (or the
    amount carried beyond the period), then the rows of the statement of origins."""
    ledger, year = run.ledger, run.year
    fund = fund_at(run.fund, dec31(year))  # the COG as amended when the year closes
    last = year == fund.last_year
    closes = {c.line.code: c for c in (_pieces(run, line, fund) for line in fund.leaves) if c is not None}
    _apply_group_caps(run, fund, closes)
    for code, close in closes.items():
        carried = ZERO
        for p in close.pieces:
            carried += p.amount
            if p.rule == fund.role("carry.cp_ap"):
                ledger.beyond_period(fund, code, year + 1, "carry_in", p.amount, p.rule, p.source, year)
                continue
            ledger.add(fund, code, year, "carry_out", p.amount, p.rule, p.source, dec31(year), "note.carry_out",
                       {"to_year": year + 1})
            if p.beyond:  # into the next convention: reported, never dropped
                ledger.beyond_period(fund, code, year + 1, "carry_in", p.amount, p.rule, p.source, year)
            else:
                ledger.add(fund, code, year + 1, "carry_in", p.amount, p.rule, p.source, p.day, "note.carry_in",
                           {"year": year, "line": code}, defaulted=p.defaulted)
            close.rule = p.rule
        _statement(run, close, carried, last)
    if last:
        for ap in run.programmes:
            if not ap.decided:
                ledger.find(fund, fund.role("carry.ap_cancel"), "info", year, ap.line, "carry.ap_cancel",
                            {"ref": ap.ref, "amount": ap.amount, "line": ap.line, "year": year}, ap.amount, ap.source)


def _statement(run: FundRun, close: LineClose, carried: Decimal, last: bool) -> None:
    """The statement lists every leaf with unconsumed credits, whatever became of them (carried,
    lapsed or split); what the rules let it carry: nothing for a line that never carries, nor from
    the last year but what may leave the convention."""
    fund, year = run.fund, run.year
    if not (close.available > 0 or close.wanted):
        return
    policy = close.line.carry
    rule = close.rule
    if policy is not None and policy.mode == "never":
        shown = ZERO
    elif last and fund.carry_across.to_next != "eligible":
        shown = carried
        rule = rule if carried > 0 else fund.role("carry.last_year")
    else:
        shown = close.eligible
    run.ledger.statement.append(CarryStatement(fund.code, close.line.code, year, year + 1, close.authorised,
                                               close.executed, shown, carried,
                                               max(close.available, ZERO) - carried, rule, fund.cite(rule)))


def read_decisions(run: FundRun) -> None:
    """The carry-over decisions by (line, year receiving the credits), with the findings on decisions
    that can carry nothing (into the first year, whose N-1 belongs to the previous convention, unless
    the fund carries across conventions), are misdated, or are not needed (an automatic line)."""
    fund, ledger = run.fund, run.ledger
    decisions: dict[tuple[str, int], list[CarryOver]] = defaultdict(list)
    for ev in run.each(CarryOver):
        line = fund.by_code[ev.line]
        rule = line.carry.rule if line.carry else fund.role("carry.last_year")
        if ev.year == fund.first_year:
            _from_previous(run, ev, line, rule)
            continue
        decisions[(ev.line, ev.year)].append(ev)
        if ev.year > fund.last_year:
            continue  # judged when the last year closes
        decided_on = ev.decided_on
        if decided_on is not None and decided_on.year != ev.year:
            ledger.find(fund, rule, "warning", ev.year, ev.line, "carry.misdated",
                        {"decided_on": decided_on, "before": ev.year - 1, "year": ev.year}, ev.amount, ev.source)
        if line.carry is not None and line.carry.mode == "automatic":
            ledger.find(fund, rule, "info", ev.year, ev.line, "carry.automatic_decision",
                        {"line": ev.line, "amount": ev.amount}, ev.amount, ev.source)
    run.decisions = dict(decisions)


def _from_previous(run: FundRun, ev: CarryOver, line: Line, rule: str) -> None:
    """A decision carrying credits into the first year: from the previous convention when the fund
    allows it (its figures are not in this COG: carried as decided, said so), else nothing."""
    fund, ledger = run.fund, run.ledger
    params = {"amount": ev.amount, "before": fund.first_year - 1, "first": fund.first_year}
    if not fund.carry_across.from_previous or line.carry is None or line.carry.mode == "never":
        ledger.find(fund, rule, "error", ev.year, ev.line, "carry.into_first_year", params, ev.amount, ev.source)
        return
    ledger.add(fund, ev.line, ev.year, "carry_in", ev.amount, rule, ev.source, ev.effective, "note.carry_previous",
               {"year": fund.first_year - 1, "line": ev.line}, defaulted=ev.defaulted)
    ledger.find(fund, rule, "info", ev.year, ev.line, "carry.from_previous", dict(params, line=ev.line), ev.amount,
                ev.source)
