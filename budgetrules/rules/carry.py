"""Carry-over of unconsumed credits (R-CARRY-*, R-AP-CANCEL, R-RESERVE-LAPSE): at the close of
year N, what each leaf carries into N+1 (or beyond the period for CP under an AP), and the
detailed statement of origins. carry_out takes effect on 31 December of N; carry_in on the date of
the decision that carries it (1 January of N+1 for an automatic carry or an undated decision)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..core.money import round_cents
from ..core.records import CarryStatement, ProgrammeAuthorisation, Word
from ..model.fund import Fund, Line
from ..model.scenario import CarryOver
from .context import FundRun, dec31, jan1


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


def close_year(run: FundRun) -> None:
    """Compute carry_out of every leaf for the fold's year and the carry_in of the next year."""
    fund, ledger, year = run.fund, run.ledger, run.year
    decisions, aps = run.decisions, run.programmes
    maximum = run.scenario.assumptions.carry_over == "maximum"
    last = year == fund.last_year
    for line in fund.leaves:
        code = line.code
        policy = line.carry
        if policy is None:
            continue
        authorised, executed, available = ledger.closing(fund.code, code, year)
        eligible = _eligible(line, authorised, available)
        wanted = decisions.get((code, year + 1), [])
        line_src = run.source_of(code)
        pieces: list[tuple[Decimal, str, str, dt.date, bool]] = []  # amount, rule, source, carry_in date, defaulted
        rule_used = policy.rule
        if policy.mode == "never":
            for ev in wanted:
                ledger.find(fund, policy.rule, "error", year + 1, code, "carry.never",
                            {"amount": ev.amount, "kind": Word(f"credits_of.{line.character}"), "year": year,
                             "line": code}, ev.amount, ev.source)
        elif last:
            for ev in wanted:
                ledger.find(fund, fund.role("carry.last_year"), "error", year + 1, code, "carry.last_year",
                            {"amount": ev.amount, "line": code, "year": year}, ev.amount, ev.source)
        elif policy.mode == "automatic":
            if eligible > 0:
                pieces.append((eligible, policy.rule, line_src, jan1(year + 1), False))
        else:  # on_decision
            asked = sum((ev.amount for ev in wanted), ZERO)
            if maximum and eligible > 0:
                pieces.append((eligible, policy.rule, "assumption carry_over: maximum", jan1(year + 1), True))
            else:
                room = eligible
                for ev in wanted:
                    part = min(ev.amount, room)
                    room -= part
                    if part > 0:
                        pieces.append((part, policy.rule, ev.source, ev.effective, ev.defaulted))
            if wanted and asked > eligible:
                ledger.find(fund, policy.rule, "error", year + 1, code, "carry.above_eligible",
                            {"asked": asked, "line": code, "year": year, "eligible": eligible,
                             "authorised": authorised, "executed": executed}, asked - eligible, wanted[0].source)
        if last and policy.ap:
            remaining, why, ap_sources = remaining_ap(fund, ledger, code, aps)
            amount = min(eligible, remaining)
            if amount > 0:
                pieces.append((amount, fund.role("carry.cp_ap"), ap_sources, jan1(year + 1), False))
                rule_used = fund.role("carry.cp_ap")
                ledger.beyond_period(fund, code, year + 1, "carry_in", amount, fund.role("carry.cp_ap"), ap_sources, year)
                ledger.add(fund, code, year, "carry_out", amount, fund.role("carry.cp_ap"), ap_sources, dec31(year),
                           "note.carry_cp_ap", why)
        carried = ZERO
        for amount, rule, src, day, defaulted in pieces:
            carried += amount
            if rule == fund.role("carry.cp_ap"):
                continue
            ledger.add(fund, code, year, "carry_out", amount, rule, src, dec31(year), "note.carry_out",
                       {"to_year": year + 1})
            ledger.add(fund, code, year + 1, "carry_in", amount, rule, src, day, "note.carry_in",
                       {"year": year, "line": code}, defaulted=defaulted)
            rule_used = rule
        if available > 0 or wanted:
            # the statement lists every leaf with unconsumed credits, whatever became of them (carried,
            # lapsed or split); what the rules let it carry: nothing for a line that never carries,
            # nor from the last year but CP under an AP
            if policy.mode == "never":
                shown = ZERO
            elif last:
                shown = carried
                rule_used = rule_used if carried > 0 else fund.role("carry.last_year")
            else:
                shown = eligible
            ledger.statement.append(CarryStatement(fund.code, code, year, year + 1, authorised, executed, shown,
                                                   carried, max(available, ZERO) - carried, rule_used,
                                                   fund.cite(rule_used)))
    if last:
        for ap in aps:
            if not ap.decided:
                ledger.find(fund, fund.role("carry.ap_cancel"), "info", year, ap.line, "carry.ap_cancel",
                            {"ref": ap.ref, "amount": ap.amount, "line": ap.line, "year": year}, ap.amount, ap.source)


def read_decisions(run: FundRun) -> None:
    """The carry-over decisions by (line, year receiving the credits), with the findings on decisions
    that can carry nothing (into the first year, whose N-1 is before this COG), are misdated, or are
    not needed (a line that carries automatically)."""
    fund, ledger = run.fund, run.ledger
    decisions: dict[tuple[str, int], list[CarryOver]] = defaultdict(list)
    for ev in run.each(CarryOver):
        line = fund.by_code[ev.line]
        rule = line.carry.rule if line.carry else "R-CARRY-LIMITATIVE"
        if ev.year == fund.first_year:
            ledger.find(fund, rule, "error", ev.year, ev.line, "carry.into_first_year",
                        {"amount": ev.amount, "before": fund.first_year - 1, "first": fund.first_year},
                        ev.amount, ev.source)
            continue
        decisions[(ev.line, ev.year)].append(ev)
        if ev.year > fund.last_year:
            continue  # judged by R-CARRY-LAST-YEAR when the last year closes
        decided_on = ev.decided_on
        if decided_on is not None and decided_on.year != ev.year:
            ledger.find(fund, rule, "warning", ev.year, ev.line, "carry.misdated",
                        {"decided_on": decided_on, "before": ev.year - 1, "year": ev.year}, ev.amount, ev.source)
        if line.carry is not None and line.carry.mode == "automatic":
            ledger.find(fund, rule, "info", ev.year, ev.line, "carry.automatic_decision",
                        {"line": ev.line, "amount": ev.amount}, ev.amount, ev.source)
    run.decisions = dict(decisions)
