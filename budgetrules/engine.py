"""The engine: a fold over the years of each fund that applies the rules of RULES.md in order
and returns every figure as a sum of contributions, with the findings beside them."""
from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .core.ledger import ZERO, Ledger
from .model.fund import Fund
from .core.money import fr_amount
from .core.records import COLUMNS, Finding
from .rules import carry, fungibility as fung, index, receipts, reserve, votes
from .model.scenario import Event, Scenario

CHARACTER_RULE = {"limitative": "R-LIMITATIVE-CEILING", "evaluative": "R-EVALUATIVE-INDICATIVE",
                  "reserve": "R-RESERVE-USE"}


@dataclass
class Result:
    """Everything a run produces: the ledger of contributions and findings, per fund."""

    scenario: Scenario
    ledger: Ledger
    table_findings: list[Finding] = field(default_factory=list)  # R-SOURCE-TOTALS, about the COG's tables

    @property
    def funds(self) -> dict[str, Fund]:
        return self.scenario.funds

    @property
    def reserve_statements(self) -> dict[str, list[dict]]:
        """The reserve statement (opening, resources, expenses, closing) of each reserve fund."""
        return self.ledger.reserve_statements

    @property
    def findings(self) -> list[Finding]:
        """Findings about the period (the COG's own tables apart)."""
        return self.ledger.findings

    def row(self, fund: str, line: str, year: int) -> dict[str, Decimal]:
        """The 13 columns of a leaf, or the sums of its leaves for a subtotal."""
        f = self.funds[fund]
        leaves = f.leaves_under[line]
        if len(leaves) == 1 and leaves[0] == line:
            return self.ledger.row(fund, line, year)
        rows = [self.ledger.row(fund, leaf, year) for leaf in leaves]
        return {col: sum((r[col] for r in rows), ZERO) for col in COLUMNS}

    def total(self, fund: str, year: int) -> dict[str, Decimal]:
        """The fund total of a year: every leaf summed."""
        rows = [self.ledger.row(fund, leaf.code, year) for leaf in self.funds[fund].leaves]
        return {col: sum((r[col] for r in rows), ZERO) for col in COLUMNS}

    def contributions(self, fund: str, line: str, year: int, column: str | None = None):
        """The contributions behind one figure (a subtotal: those of its leaves)."""
        leaves = set(self.funds[fund].leaves_under[line])
        return [c for c in self.ledger.contributions
                if c.fund == fund and c.line in leaves and c.year == year and (column is None or c.column == column)]


def run(scenario: Scenario, extra_events: list[Event] | None = None, *, source_checks: bool = True) -> Result:
    """Simulate the scenario over every fund and year; `extra_events` are added (e.g. a simulated virement)."""
    # The run allocates hundreds of thousands of small acyclic records: the cyclic garbage collector
    # would rescan them again and again (superlinear time) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(scenario, extra_events, source_checks)
    finally:
        if collecting:
            gc.enable()


def _run(scenario: Scenario, extra_events: list[Event] | None, source_checks: bool) -> Result:
    ledger = Ledger()
    result = Result(scenario, ledger)
    events = list(scenario.events) + list(extra_events or [])
    by_fund: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        by_fund[ev.fund].append(ev)
    for code, fund in scenario.funds.items():
        run_fund(fund, scenario, by_fund.get(code, []), ledger)
        if source_checks:
            from .rules.source_totals import check_source_totals
            result.table_findings.extend(check_source_totals(fund))
    return result


def run_fund(fund: Fund, scenario: Scenario, events: list[Event], ledger: Ledger) -> None:
    """Apply every rule to one fund (a reserve fund's statement goes to ledger.reserve_statements)."""
    kinds: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        kinds[ev.kind].append(ev)
    years = fund.years
    # 1. base: the COG table (R-LIMITATIVE-CEILING / R-EVALUATIVE-INDICATIVE name the character of the credit)
    for line in fund.leaves:
        rule = CHARACTER_RULE[line.character or "limitative"]
        src = f"{fund.file}:{line.source_line}"
        for year in years:
            amount = line.amounts.get(year)
            if amount:
                ledger.add(fund, line.code, year, "base", amount, rule, src, "COG table")
    # 2. indexation (R-INDEX-*), with employer contributions (R-INDEX-RMPP)
    index.apply_indexation(fund, scenario, ledger, kinds["employer_contributions"])
    # 3. transfers of charges (R-CHARGE-TRANSFER): cancelled from the year named to the end of the period
    for ev in kinds["charge_transfer"]:
        for year in years:
            if year < ev.year:
                continue
            budgeted = ledger.authorised(fund.code, ev["line"], year)  # base + indexation − earlier transfers
            amount = min(ev["amount"], max(budgeted, ZERO))
            if amount < ev["amount"]:
                ledger.find(fund, "R-CHARGE-TRANSFER", "error", year, ev["line"],
                            f"transfert de charge de {fr_amount(ev['amount'])} sur {ev['line']} en {year} : la ligne n'a "
                            f"que {fr_amount(budgeted)} de crédits budgétés à annuler ; {fr_amount(amount)} annulés",
                            ev["amount"] - amount, ev.source)
            if amount:
                ledger.add(fund, ev["line"], year, "charge_transfer", -amount, "R-CHARGE-TRANSFER", ev.source,
                           f"transfer of charge from {ev.year}")
    # 4. receipts (R-RECEIPT-*) and programme authorisations
    aps: list[dict] = [{"line": ev["line"], "year": ev.year, "amount": ev["amount"], "ref": ev["ref"],
                        "decided": ev.get("board_decision") is not None, "source": ev.source}
                       for ev in kinds["programme_authorisation"]]
    for ev in kinds["programme_authorisation"]:
        line = fund.by_code[ev["line"]]
        if line.carry is None or not line.carry.ap:
            ledger.find(fund, "R-CARRY-CP-AP", "warning", ev.year, ev["line"],
                        f"AP {ev['ref']} inscrite sur {ev['line']}, qui n'est pas une ligne d'investissement en CP : "
                        f"aucun CP n'est reporté à son titre", ev["amount"], ev.source)
    grouped: dict[tuple, list[Event]] = defaultdict(list)
    for ev in kinds["receipt"]:
        grouped[receipts.receipt_key(fund, ev)].append(ev)
    for group in grouped.values():
        receipts.apply_receipt(fund, ledger, group)
    for ev in kinds["noncash_product"]:
        receipts.apply_noncash(fund, ledger, ev)
    for ev in kinds["asset_sale"]:
        receipts.apply_asset_sale(fund, ledger, ev, aps)
    # 5. execution
    execution_sources: dict[tuple[int, str], list[str]] = defaultdict(list)
    for ev in kinds["execution"]:
        execution_sources[(ev.year, ev["line"])].append(ev.source)
        ledger.add(fund, ev["line"], ev.year, "executed", ev["amount"], CHARACTER_RULE[fund.by_code[ev["line"]].character
                                                                                       or "limitative"], ev.source)
    if fund.reserve_fund is not None:
        reserve.reserve_fund_statement(fund, ledger, kinds["fnmo_resource"], kinds["fnmo_expense"])
    decisions = carry.decisions_by_target(fund, ledger, kinds["carry_over"])
    maximum = scenario.assumptions.carry_over == "maximum"
    dated: dict[int, list[Event]] = defaultdict(list)
    for ev in kinds["virement"] + kinds["reserve_use"]:
        dated[ev.year].append(ev)
    # 6. the fold: dated moves of the year, ceilings, then the close of the year (carry-over)
    for year in years:
        # date order, then file order; a simulated virement comes after everything recorded in its year
        for ev in sorted(dated[year], key=lambda e: (bool(e.get("simulated")), e["date"], e.order)):
            if ev.kind == "reserve_use":
                reserve.apply_reserve_use(fund, ledger, ev)
            else:
                fung.apply_virement(fund, ledger, ev)
        fung.check_chains(fund, ledger, year)
        check_ceilings(fund, ledger, year, execution_sources)
        carry.close_year(fund, ledger, year, decisions, maximum, aps)
    # 7. votes, once the authorised credits are known
    for ev in kinds["budget_vote"]:
        votes.check_vote(fund, ledger, ev)


def check_ceilings(fund: Fund, ledger: Ledger, year: int, executions: dict[tuple[int, str], list[str]]) -> None:
    """R-LIMITATIVE-CEILING (error) and R-EVALUATIVE-INDICATIVE (info) on executed > authorised;
    `executions` gives the sources of the execution events of each (year, line)."""
    for line in fund.leaves:
        authorised, executed, _ = ledger.closing(fund.code, line.code, year)
        over = executed - authorised
        if over <= 0:
            continue
        source = ", ".join(executions.get((year, line.code), []))
        if line.character == "evaluative":
            ledger.find(fund, "R-EVALUATIVE-INDICATIVE", "info", year, line.code,
                        f"{line.code} {year} : exécuté {fr_amount(executed)}, {fr_amount(over)} au-delà du montant "
                        f"indicatif de {fr_amount(authorised)} (crédit évaluatif : dépassement permis)", over, source)
        else:
            ledger.find(fund, "R-LIMITATIVE-CEILING", "error", year, line.code,
                        f"{line.code} {year} : l'exécuté de {fr_amount(executed)} dépasse le crédit limitatif autorisé "
                        f"de {fr_amount(authorised)} de {fr_amount(over)}", over, source)
