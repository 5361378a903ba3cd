"""Inflation and RMPP actualisation (R-INDEX-*): compounding indices from the scenario's rates,
applied to the COG base of each indexed line; missing data gives R-INDEX-PROVISIONAL findings.

    inflation: r(N) = f(N) + (a(N-1) - f(N-1));  I(base) = 1;  I(N) = I(N-1) * (1 + r(N))
    rmpp:      d(N) = (s(N) - c(N)) + (o(N-1) - s(N-1));  P(N) = P(N-1) * (1 + d(N))
    indexation(N) = round(base(N) * I(N) - base(N))   for N >= first_year
"""
from __future__ import annotations

from decimal import Decimal, localcontext

from ..core.ledger import KNOWN_FROM_THE_START
from ..core.money import EXACT, round_cents
from ..core.records import Word
from ..model.fund import Fund, Indexation
from ..model.scenario import EmployerContributions, Scenario
from .context import FundRun, jan1

ONE = Decimal(1)


Why = tuple[str, dict]  # a message key and its parameters


def index_factors(spec: Indexation, fund: Fund, scenario: Scenario) -> tuple[dict[int, Decimal], dict[int, Why]]:
    """Index per year of the period, and for each year whose figure is provisional, why."""
    with localcontext(EXACT):
        return _index_factors(spec, fund, scenario)


def _index_factors(spec: Indexation, fund: Fund, scenario: Scenario) -> tuple[dict[int, Decimal], dict[int, Why]]:
    a = scenario.assumptions
    factors: dict[int, Decimal] = {}
    notes: dict[int, Why] = {}
    base_year = spec.base_year if spec.base_year is not None else fund.first_year - 1
    forecast = dict(a.inflation_forecast)
    if spec.base_forecast is not None:  # the COG built its base-year figures on this forecast
        forecast[base_year] = spec.base_forecast
    level = ONE
    for year in range(base_year + 1, fund.last_year + 1):
        if spec.kind == "inflation":
            now, prev_actual, prev_forecast = (forecast.get(year), a.inflation_actual.get(year - 1),
                                               forecast.get(year - 1))
            what = ("rate.inflation_forecast", "rate.inflation_actual", "rate.inflation_forecast")
            first_step = False
        else:
            now = None if year not in a.rmpp_set or year not in a.rmpp_cog else a.rmpp_set[year] - a.rmpp_cog[year]
            prev_actual, prev_forecast = a.rmpp_observed.get(year - 1), a.rmpp_set.get(year - 1)
            what = ("rate.rmpp_set_cog", "rate.rmpp_observed", "rate.rmpp_set")
            first_step = year == base_year + 1  # the correction term is 0 for the first year (2022)
        if now is None:
            notes[year] = ("index.no_rate", {"rate": Word(what[0]), "year": year})
            rate = Decimal(0)
        else:
            rate = now
            if not first_step:
                if prev_actual is None or prev_forecast is None:
                    missing = what[1] if prev_actual is None else what[2]
                    notes[year] = ("index.no_correction", {"rate": Word(missing), "year": year - 1})
                else:
                    rate += prev_actual - prev_forecast
        level = level * (ONE + rate)
        factors[year] = level if now is not None else None  # type: ignore[assignment]
    return factors, notes


def apply(run: FundRun) -> None:
    """Write the indexation contributions of every indexed leaf of the fund, for every year (effective
    1 January), and the employer contributions on the fund's RMPP line (R-INDEX-RMPP)."""
    fund, scenario, ledger = run.fund, run.scenario, run.ledger
    cache: dict[Indexation, tuple[dict, dict]] = {}
    rmpp_target = next((ln.code for ln in fund.leaves if ln.index and ln.index.kind == "rmpp"), None)
    for line in fund.leaves:
        spec = line.index
        if spec is None or spec.kind == "none":
            continue
        if spec not in cache:
            cache[spec] = index_factors(spec, fund, scenario)
        factors, notes = cache[spec]
        first = spec.first_year if spec.first_year is not None else fund.first_year
        source = run.source_of(line.code)
        for year in fund.years:
            if year < first:
                continue
            if year in notes:
                key, params = notes[year]
                ledger.find(fund, "R-INDEX-PROVISIONAL", "info", year, line.code, key,
                            dict(params, line=line.code, at=year, rule=spec.rule), source=source)
            factor = factors.get(year)
            base = line.amounts.get(year)
            if factor is None or base is None:
                continue
            with localcontext(EXACT):
                amount = round_cents(base * factor - base)
            if amount:
                ledger.add(fund, line.code, year, "indexation", amount, spec.rule, source, jan1(year), "note.index",
                           {"factor": factor, "base": base}, known=KNOWN_FROM_THE_START)
    for event in run.each(EmployerContributions):
        if rmpp_target is not None and event.year in fund.years:
            ledger.add(fund, rmpp_target, event.year, "indexation", event.amount, "R-INDEX-RMPP", event.source,
                       event.effective, "note.employer_contributions")
