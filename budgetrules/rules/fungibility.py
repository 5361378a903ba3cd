"""Credit transfers (R-FUNG-*): the verdict of a virement from the fund's groups and directions,
with the DM, notice and availability checks, and the personnel→investment chain warning."""
from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.ledger import Ledger
from ..core.records import VirementRecord
from ..model.fund import Fund
from ..core.money import fr_amount
from ..model.scenario import Event

AUTHORITY = {
    "permitted": "directeur général",
    "permitted_with_notice": "directeur général",
    "requires_dm": "conseil d'administration (décision modificative) et ministères de tutelle",
    "refused": "aucune",
}
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


def group_matrix(fund: Fund) -> tuple[list[str], dict[tuple[str, str], tuple[str, str]]]:
    """The verdict of every group-to-group direction (lines without a group shown as '(aucun)')."""
    names = [g.name for g in fund.fungibility.groups]
    for d in fund.fungibility.directions:
        for n in (d.source, d.target):
            if n not in names:
                names.append(n)
    sample: dict[str | None, str] = {}
    for line in fund.leaves:
        sample.setdefault(line.group, line.code)
    if None in sample:
        names.append("(aucun)")
        sample["(aucun)"] = sample.pop(None)  # type: ignore[arg-type]
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
    reasons: list[str]
    applied: bool
    notify_by: dt.date | None = None
    with_dm: bool = False
    findings: list[tuple[str, str, str, Decimal | None]] = field(default_factory=list)  # rule, severity, message, amount
    groups: tuple[str | None, str | None] = (None, None)


def judge(fund: Fund, source: str, target: str, amount: Decimal, when: dt.date, available: Decimal,
          dm: dict | None = None, notified: dt.date | None = None, recorded: bool = True) -> Decision:
    """The verdict on one virement given the source's credit still available at that date."""
    verdict, rule, gs, gt = direction(fund, source, target)
    gtext = f"{gs or 'sans groupe'} → {gt or 'sans groupe'}"
    what = f"virement {source} → {target} de {fr_amount(amount)} du {when.isoformat()}"
    if amount <= 0:
        return Decision("refused", ["R-FUNG-INSUFFICIENT"], ["le montant doit être supérieur à zéro"], False,
                        findings=[("R-FUNG-INSUFFICIENT", "error", f"{what} : montant nul, refusé", amount)],
                        groups=(gs, gt))
    if amount > available:
        msg = (f"{what} : {source} n'a que {fr_amount(available)} de disponible à cette date, moins que le montant "
               f"à virer : refusé")
        return Decision("refused", ["R-FUNG-INSUFFICIENT", rule], [msg], False,
                        findings=[("R-FUNG-INSUFFICIENT", "error", msg, amount - available)], groups=(gs, gt))
    reasons = [f"{source} → {target} ({gtext}) : {verdict} ({rule})"]
    if verdict in ALLOWED:
        decision = Decision(verdict, [rule], reasons, True, groups=(gs, gt))
        if verdict == "permitted_with_notice":
            deadline = when + dt.timedelta(days=fund.fungibility.notice_days)
            decision.notify_by = deadline
            reasons.append(f"information du {fund.fungibility.notify} au plus tard le {deadline.isoformat()} "
                           f"({fund.fungibility.notice_days} jours)")
            if notified is None and recorded:
                decision.findings.append((rule, "warning", f"{what} : aucune information enregistrée (due au plus tard "
                                                           f"le {deadline.isoformat()})", amount))
            elif notified is not None and notified < when:
                decision.findings.append((rule, "warning", f"{what} : l'information est datée du "
                                                           f"{notified.isoformat()}, avant le virement qu'elle signale",
                                          amount))
            elif notified is not None and notified > deadline:
                decision.findings.append(("R-FUNG-NOTICE-LATE", "error",
                                          f"{what} : information faite le {notified.isoformat()}, après l'échéance du "
                                          f"{deadline.isoformat()} ({(notified - deadline).days} jours de retard)",
                                          amount))
                decision.rules.append("R-FUNG-NOTICE-LATE")
        return decision
    # requires a DM (or refused outright)
    if dm is None:
        msg = (f"{what} ({gtext}) : {verdict} — seule une décision modificative exceptionnelle votée par le conseil "
               f"d'administration et approuvée par la tutelle le permet")
        return Decision(verdict, [rule], [msg], False, findings=[(rule, "error", msg + " ; non appliqué", amount)],
                        groups=(gs, gt))
    vote, approval = dm.get("board_vote"), dm.get("approval")
    if approval is None:
        msg = (f"{what} : la DM {dm['ref']} votée le {vote} n'est pas encore approuvée par la tutelle : non "
               f"exécutoire, non appliqué")
        return Decision(verdict, [rule, "R-FUNG-DM"], [msg], False, findings=[("R-FUNG-DM", "warning", msg, amount)],
                        groups=(gs, gt), with_dm=True)
    if approval < vote:
        msg = (f"{what} : la DM {dm['ref']} est approuvée le {approval}, avant le vote du conseil du {vote} : "
               f"incohérent, non appliqué")
        return Decision(verdict, [rule, "R-FUNG-DM"], [msg], False, findings=[("R-FUNG-DM", "error", msg, amount)],
                        groups=(gs, gt), with_dm=True)
    reasons.append(f"DM {dm['ref']} votée le {vote}, approuvée le {approval} : autorisé (R-FUNG-DM)")
    return Decision("permitted", [rule, "R-FUNG-DM"], reasons, True, groups=(gs, gt), with_dm=True)


def apply_virement(fund: Fund, ledger: Ledger, event: Event) -> VirementRecord:
    """Judge a virement event against the ledger as it stands, apply it if allowed, record the verdict.
    A simulated virement (the CLI's question) has no notice to check yet."""
    year, source, target, amount, when = event.year, event["from"], event["to"], event["amount"], event["date"]
    dm, origin, order = event.get("dm"), event.source, event.order
    available = ledger.available(fund.code, source, year)
    d = judge(fund, source, target, amount, when, available, dm, event.get("notified"),
              recorded=not event.get("simulated"))
    for rule, severity, message, amt in d.findings:
        ledger.find(fund, rule, severity, year, source, message, amt, origin)
    if d.applied:
        rule = "R-FUNG-DM" if d.with_dm else d.rules[0]
        ledger.add(fund, source, year, "virements_out", amount, rule, origin, f"virement vers {target}")
        ledger.add(fund, target, year, "virements_in", amount, rule, origin, f"virement depuis {source}")
    authority = AUTHORITY["permitted"] if d.applied and not d.with_dm else AUTHORITY[d.verdict]
    if d.with_dm and d.applied:
        authority = f"conseil d'administration (DM {dm['ref']}) et ministères de tutelle"  # type: ignore[index]
    record = VirementRecord(fund.code, year, source, target, amount, when, d.verdict, d.rules, authority, d.notify_by,
                            d.reasons, d.applied, origin, order, d.groups, d.with_dm)
    ledger.virements.append(record)
    return record


def check_chains(fund: Fund, ledger: Ledger, year: int) -> None:
    """R-FUNG-CHAIN: g1 → g2 then g2 → g3 by director's virements where g1 → g3 directly is not allowed."""
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
            ledger.find(fund, "R-FUNG-CHAIN", "warning", year, first.source_line,
                        f"{g1} → {g_from} ({first.source_line} → {first.target_line}, {fr_amount(first.amount)}, "
                        f"{first.source}) puis {g_from} → {g_to} ({v.source_line} → {v.target_line}, "
                        f"{fr_amount(v.amount)}, {v.source}) font passer {fr_amount(overlap)} de crédits {g1} en "
                        f"{g_to}, ce qu'aucun virement direct ne permet", overlap, v.source)
        inflows.setdefault(g_to, deque()).append([v, v.amount])
