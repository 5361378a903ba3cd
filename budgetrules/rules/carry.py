"""Carry-over of unconsumed credits (R-CARRY-*, R-AP-CANCEL, R-RESERVE-LAPSE): at the close of
year N, what each leaf carries into N+1 (or beyond the period for CP under an AP), and the
detailed statement of origins."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..core.ledger import ZERO, Ledger
from ..model.fund import Fund, Line
from ..core.money import fr_amount, round_cents
from ..core.records import CarryStatement
from ..model.scenario import Event


def _eligible(line: Line, authorised: Decimal, available: Decimal) -> Decimal:
    eligible = max(available, ZERO)
    if line.carry is not None and line.carry.cap is not None:
        eligible = min(eligible, max(round_cents(authorised * line.carry.cap), ZERO))
    return eligible


def _kind(line: Line) -> str:
    return {"limitative": "limitatifs", "evaluative": "évaluatifs", "reserve": "de réserve"}.get(line.character or "", "")


def remaining_ap(fund: Fund, ledger: Ledger, line: str, aps: list[dict]) -> tuple[Decimal, str, str]:
    """What remains of the decided APs of a line: AP amounts − CP executed on the line since the
    first AP's year (the scenario does not tie executions to an AP: the line's execution counts)."""
    decided = [ap for ap in aps if ap["line"] == line and ap["decided"] and ap["year"] <= fund.last_year]
    if not decided:
        return ZERO, "", ""
    start = min(ap["year"] for ap in decided)
    total = sum((ap["amount"] for ap in decided), ZERO)
    consumed = sum((ledger.value(fund.code, line, y, "executed") for y in fund.years if y >= start), ZERO)
    refs = ", ".join(ap["ref"] for ap in decided)
    return (max(total - consumed, ZERO), f"AP {refs} : {fr_amount(total)} − CP consommés {fr_amount(consumed)}",
            ", ".join(ap["source"] for ap in decided))


def close_year(fund: Fund, ledger: Ledger, year: int, decisions: dict[tuple[str, int], list[Event]],
               maximum: bool, aps: list[dict]) -> None:
    """Compute carry_out of every leaf for `year` and the carry_in of year+1."""
    last = year == fund.last_year
    fund_src = fund.file
    for line in fund.leaves:
        code = line.code
        policy = line.carry
        if policy is None:
            continue
        authorised, executed, available = ledger.closing(fund.code, code, year)
        eligible = _eligible(line, authorised, available)
        wanted = decisions.get((code, year + 1), [])
        line_src = f"{fund_src}:{line.source_line}"
        pieces: list[tuple[Decimal, str, str]] = []  # amount, rule, source
        rule_used = policy.rule
        if policy.mode == "never":
            for ev in wanted:
                ledger.find(fund, policy.rule, "error", year + 1, code,
                            f"décision de reporter {fr_amount(ev['amount'])} de crédits {_kind(line)} {year} de {code} : "
                            f"ces crédits ne sont jamais reportables ; rien n'est reporté", ev["amount"], ev.source)
        elif last:
            for ev in wanted:
                ledger.find(fund, "R-CARRY-LAST-YEAR", "error", year + 1, code,
                            f"décision de reporter {fr_amount(ev['amount'])} de {code} depuis {year}, dernière année de "
                            f"la COG : non reportable (seuls les CP d'une AP le sont) ; rien n'est reporté",
                            ev["amount"], ev.source)
        elif policy.mode == "automatic":
            if eligible > 0:
                pieces.append((eligible, policy.rule, line_src))
        else:  # on_decision
            asked = sum((ev["amount"] for ev in wanted), ZERO)
            if maximum and eligible > 0:
                pieces.append((eligible, policy.rule, "assumption carry_over: maximum"))
            else:
                room = eligible
                for ev in wanted:
                    part = min(ev["amount"], room)
                    room -= part
                    if part > 0:
                        pieces.append((part, policy.rule, ev.source))
            if wanted and asked > eligible:
                ledger.find(fund, policy.rule, "error", year + 1, code,
                            f"report de {fr_amount(asked)} décidé pour {code} depuis {year}, au-delà du reportable de "
                            f"{fr_amount(eligible)} (autorisé {fr_amount(authorised)} − exécuté "
                            f"{fr_amount(executed)}) : seuls {fr_amount(eligible)} sont reportés",
                            asked - eligible, wanted[0].source)
        if last and policy.ap:
            remaining, why, ap_sources = remaining_ap(fund, ledger, code, aps)
            amount = min(eligible, remaining)
            if amount > 0:
                pieces.append((amount, "R-CARRY-CP-AP", ap_sources))
                rule_used = "R-CARRY-CP-AP"
                note = f"CP d'une AP reportés au-delà de la période ({why})"
                ledger.beyond_period(fund, code, year + 1, "carry_in", amount, "R-CARRY-CP-AP", ap_sources, year)
                ledger.add(fund, code, year, "carry_out", amount, "R-CARRY-CP-AP", ap_sources, note)
        carried = ZERO
        for amount, rule, src in pieces:
            carried += amount
            if rule == "R-CARRY-CP-AP":
                continue
            ledger.add(fund, code, year, "carry_out", amount, rule, src, f"reporté sur {year + 1}")
            ledger.add(fund, code, year + 1, "carry_in", amount, rule, src, f"crédits non consommés {year} de {code}")
            rule_used = rule
        if carried > 0 or wanted:
            # what the rules let this line carry: nothing for a line that never carries, nor from the
            # last year but CP under an AP
            if policy.mode == "never":
                shown = ZERO
            elif last:
                shown = carried
                rule_used = rule_used if carried > 0 else "R-CARRY-LAST-YEAR"
            else:
                shown = eligible
            ledger.statement.append(CarryStatement(fund.code, code, year, year + 1, authorised, executed, shown,
                                                   carried, max(available, ZERO) - carried, rule_used,
                                                   fund.cite(rule_used)))
    if last:
        for ap in aps:
            if not ap["decided"]:
                ledger.find(fund, "R-AP-CANCEL", "info", year, ap["line"],
                            f"AP {ap['ref']} de {fr_amount(ap['amount'])} sur {ap['line']} jamais décidée par le conseil : "
                            f"annulée à la fin de {year}, aucun CP reporté à son titre", ap["amount"], ap["source"])


def decisions_by_target(fund: Fund, ledger: Ledger, events: list[Event]) -> dict[tuple[str, int], list[Event]]:
    """The carry-over decisions by (line, year receiving the credits), with the findings on decisions
    that can carry nothing (into the first year, whose N-1 is before this COG), are misdated, or are
    not needed (a line that carries automatically)."""
    decisions: dict[tuple[str, int], list[Event]] = defaultdict(list)
    for ev in events:
        line = fund.by_code[ev["line"]]
        rule = line.carry.rule if line.carry else "R-CARRY-LIMITATIVE"
        if ev.year == fund.first_year:
            ledger.find(fund, rule, "error", ev.year, ev["line"],
                        f"décision de reporter {fr_amount(ev['amount'])} de crédits {fund.first_year - 1} sur "
                        f"{fund.first_year} : {fund.first_year - 1} précède la COG (aucun montant reportable) ; "
                        f"rien n'est reporté", ev["amount"], ev.source)
            continue
        decisions[(ev["line"], ev.year)].append(ev)
        if ev.year > fund.last_year:
            continue  # judged by R-CARRY-LAST-YEAR when the last year closes
        decided_on = ev.get("decided_on")
        if decided_on is not None and decided_on.year != ev.year:
            ledger.find(fund, rule, "warning", ev.year, ev["line"],
                        f"décision de report datée du {decided_on.isoformat()} : le report des crédits {ev.year - 1} se "
                        f"décide en {ev.year}, avec le budget qui les reçoit", ev["amount"], ev.source)
        if line.carry is not None and line.carry.mode == "automatic":
            ledger.find(fund, rule, "info", ev.year, ev["line"],
                        f"{ev['line']} reporte ses crédits non consommés de plein droit : la décision de "
                        f"{fr_amount(ev['amount'])} n'ajoute rien", ev["amount"], ev.source)
    return decisions
