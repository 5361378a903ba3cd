"""Actualisation (R-INDEX-*): the indices a COG declares (cog.yaml `indices`), each a formula over a
named series of the scenario's assumptions, applied to the COG base of each indexed line (effective
1 January, known from the start); missing data gives R-INDEX-PROVISIONAL findings.

    corrected_compound: r(N) = f(N) + (a(N-1) − f(N-1));  I(base) = 1;  I(N) = I(N-1) × (1 + r(N))
    differential:       d(N) = (s(N) − c(N)) + (o(N-1) − s(N-1));  P(N) = P(N-1) × (1 + d(N))
    fixed_rate:         I(N) = I(N-1) × (1 + t(N)), t(N) given by the index itself
    indexation(N) = round(base(N) × I(N) − base(N))   for N ≥ first_year
    executed_growth:    credit(N) = executed(N-1) × (1 + g(N)); indexation(N) = round(credit(N)) − base(N)

An avenant that changes a table amount (rules/amendments.py) changes the base from its date: the
indexation follows it from that date, under the avenant's rule (a compounded index applies to the
base in force; a rebased credit stays the credit, whatever the table says).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from ..core.ledger import KNOWN_FROM_THE_START, ZERO
from ..core.money import EXACT, round_cents
from ..core.records import Word
from ..model.cog import Amendment, IndexSpec
from ..model.fund import Fund, Indexation
from ..model.scenario import Assumptions, EmployerContributions, Execution
from .amendments import table_changes
from .context import FundRun, jan1

ONE = Decimal(1)
Why = tuple[str, dict]  # a message key and its parameters


@dataclass
class Index:
    """The index of each year, the rate of each step, what each step read (for explain), and the
    years whose figure is provisional, with why."""

    factors: dict[int, Decimal | None] = field(default_factory=dict)
    steps: dict[int, Word] = field(default_factory=dict)
    notes: dict[int, Why] = field(default_factory=dict)


def _word(series: str, part: str) -> Word:
    return Word(f"rate.{series}.{part}", {"series": series, "part": part})


def index_factors(spec: Indexation, index: IndexSpec, fund: Fund, a: Assumptions) -> Index:
    """The compounded index of a line's spec over the period (corrected_compound, differential, fixed_rate)."""
    with localcontext(EXACT):
        return _factors(spec, index, fund, a)


def _factors(spec: Indexation, index: IndexSpec, fund: Fund, a: Assumptions) -> Index:
    out = Index()
    base_year = spec.base_year if spec.base_year is not None else fund.first_year - 1
    series, parts = index.series or "", index.parts
    level = ONE
    for year in range(base_year + 1, fund.last_year + 1):
        correction_applies = index.first_correction or year != base_year + 1
        terms: dict = {"year": year}
        if index.formula == "corrected_compound":
            forecast = dict(a.rates(series, parts["forecast"]))
            if spec.base_forecast is not None:  # the COG built its base-year figures on this forecast
                forecast[base_year] = spec.base_forecast
            now, prev_actual, prev_forecast = forecast.get(year), a.rates(series, parts["actual"]).get(year - 1), \
                forecast.get(year - 1)
            what = (_word(series, parts["forecast"]), _word(series, parts["actual"]), _word(series, parts["forecast"]))
            terms.update(now=now, prev_actual=prev_actual, prev_forecast=prev_forecast)
        elif index.formula == "differential":
            s, c = a.rates(series, parts["set"]), a.rates(series, parts["retained"])
            now = s[year] - c[year] if year in s and year in c else None
            prev_actual, prev_forecast = a.rates(series, parts["observed"]).get(year - 1), s.get(year - 1)
            what = (Word(f"rate.{series}.{parts['set']}_{parts['retained']}", {"series": series,
                                                                               "part": f"{parts['set']} − {parts['retained']}"}),
                    _word(series, parts["observed"]), _word(series, parts["set"]))
            terms.update(now=now, set=s.get(year), retained=c.get(year), prev_actual=prev_actual,
                         prev_forecast=prev_forecast)
        else:  # fixed_rate
            now, prev_actual, prev_forecast = index.rates.get(year), None, None
            what = (Word("rate.fixed", {"series": index.name, "part": ""}),) * 3
            correction_applies = False
            terms.update(now=now)
        if now is None:
            out.notes[year] = ("index.no_rate", {"rate": what[0], "year": year})
            rate = Decimal(0)
        else:
            rate = now
            if correction_applies:
                if prev_actual is None or prev_forecast is None:
                    missing = what[1] if prev_actual is None else what[2]
                    out.notes[year] = ("index.no_correction", {"rate": missing, "year": year - 1})
                else:
                    rate += prev_actual - prev_forecast
        terms["rate"] = rate
        given = {} if index.formula != "corrected_compound" or spec.base_forecast is None else \
            {f"{series}.{parts['forecast']}.{base_year}": f"{fund.file}:{spec.base_forecast_line}"}  # the fund file's
        terms["sources"] = sorted({given.get(key) or a.lines[key] for key in _keys(index, series, parts, year)
                                   if key in given or key in a.lines})
        out.steps[year] = Word(f"index.step.{index.formula}" + ("" if correction_applies and now is not None
                                                                 else ".nocorr"), terms)
        level = level * (ONE + rate)
        out.factors[year] = level if now is not None else None
    return out


def _keys(index: IndexSpec, series: str, parts: dict[str, str], year: int) -> list[str]:
    """The assumption keys a step reads ("inflation.forecast.2023"), for its sources."""
    if index.formula == "corrected_compound":
        return [f"{series}.{parts['forecast']}.{year}", f"{series}.{parts['actual']}.{year - 1}",
                f"{series}.{parts['forecast']}.{year - 1}"]
    if index.formula == "differential":
        return [f"{series}.{parts['set']}.{year}", f"{series}.{parts['retained']}.{year}",
                f"{series}.{parts['observed']}.{year - 1}", f"{series}.{parts['set']}.{year - 1}"]
    return []


def apply(run: FundRun) -> None:
    """Write the indexation contributions of every indexed leaf of the fund, for every year (effective
    1 January, known from the start), and the employer contributions on the fund's line of a
    differential index (the rule of that line)."""
    fund, ledger = run.fund, run.ledger
    a = run.scenario.assumptions
    indices = fund.cog.indices if fund.cog is not None else {}
    cache: dict[Indexation, Index] = {}
    for line in fund.leaves:
        spec = line.index
        if spec is None or spec.kind == "none" or spec.kind not in indices:
            continue
        index = indices[spec.kind]
        if index.formula == "executed_growth":
            _executed_growth(run, line.code, spec, index)
            continue
        if spec not in cache:
            cache[spec] = index_factors(spec, index, fund, a)
        found = cache[spec]
        first = spec.first_year if spec.first_year is not None else fund.first_year
        source = run.source_of(line.code)
        for year in fund.years:
            if year < first:
                continue
            if year in found.notes:
                key, params = found.notes[year]
                ledger.find(fund, fund.role("index.provisional"), "info", year, line.code, key,
                            dict(params, line=line.code, at=year, rule=spec.rule), source=source)
            factor = found.factors.get(year)
            if factor is None or line.amounts.get(year) is None:
                continue
            steps = [found.steps[y] for y in sorted(found.steps) if y <= year]
            before = ZERO
            for day, base, amendment in base_history(fund, line.code, year):
                with localcontext(EXACT):
                    amount = round_cents(base * factor - base)
                if amendment is None and amount:
                    ledger.add(fund, line.code, year, "indexation", amount, spec.rule, source, day, "note.index",
                               {"factor": factor, "base": base, "amount": amount, "steps": steps},
                               known=KNOWN_FROM_THE_START)
                elif amendment is not None and amount != before:
                    _amended(run, line.code, year, day, amount - before, amendment, before, amount)
                before = amount
    target = next((ln for ln in fund.leaves if ln.index and ln.index.kind in indices
                   and indices[ln.index.kind].formula == "differential"), None)
    for event in run.each(EmployerContributions):
        if target is not None and event.year in fund.years:
            ledger.add(fund, target.code, event.year, "indexation", event.amount, target.index.rule, event.source,
                       event.effective, "note.employer_contributions")


def _executed_growth(run: FundRun, code: str, spec: Indexation, index: IndexSpec) -> None:
    """Rebasing: from the year after `first_year`'s predecessor, the credit of N is the executed amount
    of N-1 grown by g(N) (a part of a series); without the execution of N-1, the base stands."""
    fund, ledger, a = run.fund, run.ledger, run.scenario.assumptions
    line = fund.by_code[code]
    first = spec.first_year if spec.first_year is not None else fund.first_year + 1
    growth = a.rates(index.series or "", index.parts.get("growth", "growth"))
    executed: dict[int, Decimal] = {}
    for ev in run.each(Execution):
        if ev.line == code:
            executed[ev.year] = executed.get(ev.year, ZERO) + ev.amount
    source = run.source_of(code)
    for year in fund.years:
        if year < first:
            continue
        base = line.amounts.get(year, ZERO)
        g = growth.get(year)
        if g is None or (year - 1) not in executed:
            why = (("index.no_rate", {"rate": _word(index.series or "", index.parts.get("growth", "growth")),
                                      "year": year}) if g is None else
                   ("index.no_execution", {"year": year - 1}))
            ledger.find(fund, fund.role("index.provisional"), "info", year, code, why[0],
                        dict(why[1], line=code, at=year, rule=spec.rule), source=source)
            continue
        with localcontext(EXACT):
            credit = round_cents(executed[year - 1] * (ONE + g))
        amount = credit - base
        if amount:
            ledger.add(fund, code, year, "indexation", amount, spec.rule, source, jan1(year), "note.rebasing",
                       {"executed": executed[year - 1], "prev": year - 1, "growth": g, "credit": credit, "base": base},
                       known=jan1(year))
        # an avenant that changes the table amount changes the base, never the rebased credit: the
        # indexation takes back the difference from the avenant's date
        for day, amended_base, amendment in base_history(fund, code, year)[1:]:
            after = credit - amended_base
            if after != amount:
                _amended(run, code, year, day, after - amount, amendment, amount, after)
            amount = after


def base_history(fund: Fund, code: str, year: int) -> list[tuple[dt.date, Decimal, tuple[Amendment, int] | None]]:
    """The base of a leaf-year from each date it changes: the COG table's from 1 January, then the
    amount of each avenant that changes it, from its date (rules/base.py writes the same changes in
    the column `base`). The COG "as amended at each date": an indexation follows its base."""
    history: list[tuple[dt.date, Decimal, tuple[Amendment, int] | None]] = [
        (jan1(year), fund.by_code[code].amounts.get(year, ZERO), None)]
    for amendment, change in table_changes(fund):
        if change.line == code and change.year == year and change.amount is not None:
            history.append((max(amendment.effective, jan1(year)), change.amount, (amendment, change.source_line)))
    return history


def _amended(run: FundRun, code: str, year: int, day: dt.date, delta: Decimal, by: tuple[Amendment, int],
             before: Decimal, after: Decimal) -> None:
    """The change an avenant makes to a line's indexation (its base changed), under the avenant's rule
    and from its date, so that `explain` names it and the state at an earlier date keeps the former."""
    fund, (amendment, line) = run.fund, by
    run.ledger.add(fund, code, year, "indexation", delta, fund.role("amendment"), f"{fund.cog.file}:{line}", day,
                   "note.amendment", {"ref": amendment.ref, "before": before, "after": after}, known=amendment.effective,
                   citation=amendment.citation or None)  # the avenant's own article
