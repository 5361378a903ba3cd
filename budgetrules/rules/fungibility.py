"""Credit transfers (R-FUNG-*): the verdict of a virement from the fund's groups and directions,
with the DM, notice and availability checks, and the personnel→investment chain warning."""
from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.ledger import Ledger
from ..core.records import Reason, VirementRecord, Word
from ..model.fund import Fund
from ..model.scenario import Dm, Virement
from .context import FundRun

ALLOWED = ("permitted", "permitted_with_notice")


def direction(fund: Fund, source: str, target: str) -> tuple[str, str, str | None, str | None]:
    """(verdict, rule, source group, target group) of moving credit from `source` to `target`.

    >>> direction(bnga, "A-I-1", "A-I-2-INFO")[:2]
    ('permitted_with_notice', 'R-FUNG-BNGA-ASYM')"""
    f = fund.fungibility
    gs, gt = fund.by_code[source].group, fund.by_code[target].group
    if gs is not None and gs == gt:
        group = next((g for g in f.groups if g.name == gs), None)
        if group is not None and not (group.same_section_only and fund.section(source) != fund.section(target)):
            return group.within, group.rule, gs, gt
    for d in f.directions:
        if d.source == gs and d.target == gt and gs is not None:
            return d.verdict, d.rule, gs, gt
    return f.default_verdict, f.default_rule, gs, gt


def group_matrix(fund: Fund) -> tuple[list[str | None], dict[tuple[str | None, str | None], tuple[str, str]]]:
    """The group names, and the verdict and rule of every group-to-group direction, judged on one
    leaf of each group: {(from, to): (verdict, rule)}. The lines without a group are the group None,
    last (the renderers name it: "sans groupe", "no group")."""
    names: list[str | None] = [g.name for g in fund.fungibility.groups]
    for d in fund.fungibility.directions:
        for n in (d.source, d.target):
            if n not in names:
                names.append(n)
    sample: dict[str | None, str] = {}
    for line in fund.leaves:
        sample.setdefault(line.group, line.code)
    if None in sample:
        names.append(None)
    matrix = {}
    for a in names:
        for b in names:
            if a in sample and b in sample:
                src, dst = sample[a], sample[b]
                if src == dst:  # one line in the group: judge the group rule itself
                    group = next((g for g in fund.fungibility.groups if g.name == a), None)
                    matrix[(a, b)] = (group.within, group.rule) if group else (fund.fungibility.default_verdict,
                                                                               fund.fungibility.default_rule)
                else:
                    verdict, rule, _, _ = direction(fund, src, dst)
                    matrix[(a, b)] = (verdict, rule)
    return names, matrix


@dataclass
class Decision:
    verdict: str
    rules: list[str]
    reasons: list[Reason]
    applied: bool
    notify_by: dt.date | None = None
    with_dm: bool = False
    findings: list[tuple[str, str, str, dict, Decimal | None]] = field(default_factory=list)  # rule, severity, key, params, amount
    groups: tuple[str | None, str | None] = (None, None)


def judge(fund: Fund, source: str, target: str, amount: Decimal, when: dt.date, available: Decimal,
          dm: Dm | None = None, notified: dt.date | None = None, recorded: bool = True,
          audit_date: dt.date = dt.date.max) -> Decision:
    """The verdict on one virement given the source's credit still available at that date. A notice is
    judged at `audit_date`: missing after its deadline is an error (not received), missing before
    it an info (due by the deadline); a notice dated after `audit_date` was not sent yet on that date,
    and is judged as missing; a DM must be executory (approved) on the virement's date."""
    if notified is not None and notified > audit_date:
        notified = None  # the audit knows what had been sent by its date, not what came after
    verdict, rule, gs, gt = direction(fund, source, target)
    groups = {"gfrom": fund.group_name(gs), "gto": fund.group_name(gt), "board": fund.authority("board"),
              "ministries": fund.authority("ministries")}
    what = Word("virement.what", {"source": source, "target": target, "amount": amount, "date": when})
    if amount <= 0:
        return Decision("refused", [fund.role("fungibility.insufficient")], [Reason("virement.reason.zero")], False,
                        findings=[(fund.role("fungibility.insufficient"), "error", "virement.zero", {"what": what}, amount)],
                        groups=(gs, gt))
    if amount > available:
        params = {"what": what, "source": source, "available": available}
        return Decision("refused", [fund.role("fungibility.insufficient"), rule], [Reason("virement.insufficient", params)], False,
                        findings=[(fund.role("fungibility.insufficient"), "error", "virement.insufficient", params,
                                   amount - available)], groups=(gs, gt))
    count, unit = fund.fungibility.notice_text
    shown = Word(f"verdict.{verdict}", {"delay": Word(f"delay.{unit}", {"n": count})})  # the verdict in words
    reasons = [Reason("virement.reason.direction", {"source": source, "target": target, **groups,
                                                     "verdict": shown, "rule": rule})]
    if verdict in ALLOWED:
        decision = Decision(verdict, [rule], reasons, True, groups=(gs, gt))
        if verdict == "permitted_with_notice":
            f = fund.fungibility
            deadline = f.notice_deadline(when)
            decision.notify_by = deadline
            count, unit = f.notice_text
            reasons.append(Reason("virement.reason.notice", {"notify": f.notify, "deadline": deadline,
                                                              "delay": Word(f"delay.{unit}", {"n": count})}))
            if notified is None and recorded and deadline < audit_date:
                decision.findings.append((fund.role("fungibility.notice_late"), "error", "virement.notice_not_received",
                                          {"what": what, "deadline": deadline, "audit_date": audit_date}, amount))
                decision.rules.append(fund.role("fungibility.notice_late"))
            elif notified is None and recorded:
                decision.findings.append((fund.role("fungibility.notice_late"), "info", "virement.notice_due",
                                          {"what": what, "deadline": deadline}, amount))
            elif notified is not None and notified < when:
                decision.findings.append((rule, "warning", "virement.notice_before",
                                          {"what": what, "notified": notified}, amount))
            elif notified is not None and notified > deadline:
                decision.findings.append((fund.role("fungibility.notice_late"), "error", "virement.notice_late",
                                          {"what": what, "notified": notified, "deadline": deadline,
                                           "days": (notified - deadline).days}, amount))
                decision.rules.append(fund.role("fungibility.notice_late"))
        return decision
    if verdict == "refused":  # no one may make it, not even by a DM (docs/rules.md)
        params = {"what": what, **groups}
        return Decision(verdict, [rule], [Reason("virement.refused_direction", params)], False,
                        findings=[(rule, "error", "virement.refused_direction", params, amount)], groups=(gs, gt))
    if dm is None:  # requires a DM
        params = {"what": what, **groups, "verdict": shown}
        return Decision(verdict, [rule], [Reason("virement.needs_dm", params)], False,
                        findings=[(rule, "error", "virement.needs_dm_not_applied", params, amount)], groups=(gs, gt))
    vote, approval = dm.board_vote, dm.approval
    params = {"what": what, "ref": dm.ref, "vote": vote, "approval": approval,
              "ministries": fund.authority("ministries")}
    if approval is None:
        return Decision(verdict, [rule, fund.role("fungibility.dm")], [Reason("virement.dm_not_approved", params)], False,
                        findings=[(fund.role("fungibility.dm"), "warning", "virement.dm_not_approved", params, amount)],
                        groups=(gs, gt), with_dm=True)
    if approval < vote:
        return Decision(verdict, [rule, fund.role("fungibility.dm")], [Reason("virement.dm_incoherent", params)], False,
                        findings=[(fund.role("fungibility.dm"), "error", "virement.dm_incoherent", params, amount)],
                        groups=(gs, gt), with_dm=True)
    if when < approval:  # the DM was not executory on the virement's date: no legal basis then
        return Decision(verdict, [rule, fund.role("fungibility.dm")], [Reason("virement.dm_after", params)], False,
                        findings=[(fund.role("fungibility.dm"), "error", "virement.dm_after", params, amount)],
                        groups=(gs, gt), with_dm=True)
    reasons.append(Reason("virement.reason.dm", dict(params, rule=fund.role("fungibility.dm"))))
    return Decision("permitted", [rule, fund.role("fungibility.dm")], reasons, True, groups=(gs, gt), with_dm=True)


def apply_virement(fund: Fund, ledger: Ledger, event: Virement, audit_date: dt.date = dt.date.max) -> VirementRecord:
    """Judge a virement event against the ledger as it stands, apply it on its date if allowed, record
    the verdict. Its source's credit is the credit authorised on its date minus the execution to that
    date; a simulated virement (the CLI's question, judged after everything recorded) takes at most
    the least credit available from its date to the end of the year, and has no notice to check yet."""
    year, source, target, amount, when = event.year, event.from_line, event.to_line, event.amount, event.date
    dm, origin, order = event.dm, event.source, event.order
    if event.simulated:
        available = ledger.least_available_from(fund.code, source, year, when)
    else:
        available = ledger.available_at(fund.code, source, year, when)
    d = judge(fund, source, target, amount, when, available, dm, event.notified, recorded=not event.simulated,
              audit_date=audit_date)
    for rule, severity, key, params, amt in d.findings:
        ledger.find(fund, rule, severity, year, source, key, params, amt, origin)
    if d.applied:
        rule = fund.role("fungibility.dm") if d.with_dm else d.rules[0]
        ledger.add(fund, source, year, "virements_out", amount, rule, origin, when, "note.virement_out",
                   {"target": target})
        ledger.add(fund, target, year, "virements_in", amount, rule, origin, when, "note.virement_in",
                   {"source": source})
    authority = fund.authority("permitted") if d.applied and not d.with_dm else fund.authority(d.verdict)
    if d.with_dm and d.applied and dm is not None:
        authority = fund.authority("dm_applied", dm_ref=dm.ref)
    record = VirementRecord(fund.code, year, source, target, amount, when, d.verdict, d.rules, authority, d.notify_by,
                            d.reasons, d.applied, origin, order, d.groups, d.with_dm,
                            dm.ref if dm is not None else None)
    ledger.virements.append(record)
    return record


def check_chains(run: FundRun) -> None:
    """R-FUNG-CHAIN: g1 → g2 then g2 → g3 by director's virements where g1 → g3 directly is not allowed."""
    fund, ledger, year = run.fund, run.ledger, run.year
    # Earlier inflows into each group, consumed first-in first-out by later outflows from it, so
    # that each euro of credit is chained once (linear in the number of virements).
    inflows: dict[str, deque[list]] = {}  # group -> [[virement, amount not yet chained], ...]
    for v in ledger.virements:
        if v.fund != fund.code or v.year != year or not v.applied or v.with_dm:
            continue
        g_from, g_to = v.direction
        if g_from is None or g_to is None or g_from == g_to:
            continue
        left = v.amount
        queue = inflows.get(g_from)
        while queue and queue[0][1] <= 0:  # inflows already chained in full
            queue.popleft()
        for entry in queue or ():
            first, room = entry
            if left <= 0:
                break
            if room <= 0 or first.direction[0] == g_to:
                continue
            if direction(fund, first.source_line, v.target_line)[0] in ALLOWED:
                continue
            overlap = min(room, left)
            entry[1] -= overlap
            left -= overlap
            g1 = first.direction[0]
            v.chains.append(first.source)
            ledger.find(fund, fund.role("fungibility.chain"), "warning", year, first.source_line, "virement.chain",
                        {"g1": g1, "g2": g_from, "g3": g_to, "first_from": first.source_line,
                         "first_to": first.target_line, "first_amount": first.amount, "first_source": first.source,
                         "second_from": v.source_line, "second_to": v.target_line, "second_amount": v.amount,
                         "second_source": v.source, "overlap": overlap}, overlap, v.source)
        inflows.setdefault(g_to, deque()).append([v, v.amount])


def chain_partners(fund: Fund, ledger: Ledger, year: int, source: str, target: str) -> list[VirementRecord]:
    """The recorded director's virements of the year that a virement `source` → `target` would chain with
    (R-FUNG-CHAIN): into the source's group from a group g1 that may not send to the target's group."""
    direct = direction(fund, source, target)
    gs, gt = direct[2], direct[3]
    if gs is None or gt is None or gs == gt or direct[0] not in ALLOWED:
        return []
    return [v for v in ledger.virements
            if v.fund == fund.code and v.year == year and v.applied and not v.with_dm and v.direction[1] == gs
            and v.direction[0] not in (None, gs, gt) and direction(fund, v.source_line, target)[0] not in ALLOWED]
