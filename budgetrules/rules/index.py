"""Inflation and RMPP actualisation (R-INDEX-*): compounding indices from the scenario's rates,
applied to the COG base of each indexed line; missing data gives R-INDEX-PROVISIONAL findings.

    inflation: r(N) = f(N) + (a(N-1) - f(N-1));  I(base) = 1;  I(N) = I(N-1) * (1 + r(N))
    rmpp:      d(N) = (s(N) - c(N)) + (o(N-1) - s(N-1));  P(N) = P(N-1) * (1 + d(N))
    indexation(N) = round(base(N) * I(N) - base(N))   for N >= first_year
"""
from __future__ import annotations

from decimal import Decimal, localcontext

from ..core.ledger import Ledger
from ..model.fund import Fund, Indexation
from ..core.money import EXACT, round_cents
from ..model.scenario import Event, Scenario

ONE = Decimal(1)


def index_factors(spec: Indexation, fund: Fund, scenario: Scenario) -> tuple[dict[int, Decimal], dict[int, str]]:
    """Index per year of the period, and for each year whose figure is provisional, why."""
    with localcontext(EXACT):
        return _index_factors(spec, fund, scenario)


def _index_factors(spec: Indexation, fund: Fund, scenario: Scenario) -> tuple[dict[int, Decimal], dict[int, str]]:
    a = scenario.assumptions
    factors: dict[int, Decimal] = {}
    notes: dict[int, str] = {}
    base_year = spec.base_year if spec.base_year is not None else fund.first_year - 1
    forecast = dict(a.inflation_forecast)
    if spec.base_forecast is not None:  # the COG built its base-year figures on this forecast
        forecast[base_year] = spec.base_forecast
    level = ONE
    for year in range(base_year + 1, fund.last_year + 1):
        if spec.kind == "inflation":
            now, prev_actual, prev_forecast = (forecast.get(year), a.inflation_actual.get(year - 1),
                                               forecast.get(year - 1))
            what = ("d'inflation prévisionnelle", "d'inflation constatée", "d'inflation prévisionnelle")
            first_step = False
        else:
            now = None if year not in a.rmpp_set or year not in a.rmpp_cog else a.rmpp_set[year] - a.rmpp_cog[year]
            prev_actual, prev_forecast = a.rmpp_observed.get(year - 1), a.rmpp_set.get(year - 1)
            what = ("de RMPP arrêté/retenu", "de RMPP constaté", "de RMPP arrêté")
            first_step = year == base_year + 1  # the correction term is 0 for the first year (2022)
        if now is None:
            notes[year] = f"pas de taux {what[0]} pour {year} : pas d'actualisation en {year}"
            rate = Decimal(0)
        else:
            rate = now
            if not first_step:
                if prev_actual is None or prev_forecast is None:
                    missing = what[1] if prev_actual is None else what[2]
                    notes[year] = (f"pas de taux {missing} pour {year - 1} : correction prise à 0, montant "
                                   f"provisoire")
                else:
                    rate += prev_actual - prev_forecast
        level = level * (ONE + rate)
        factors[year] = level if now is not None else None  # type: ignore[assignment]
    return factors, notes


def apply_indexation(fund: Fund, scenario: Scenario, ledger: Ledger, employer: list[Event]) -> None:
    """Write the indexation contributions of every indexed leaf of `fund`, for every year."""
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
        source = f"{fund.file}:{line.source_line}"
        for year in fund.years:
            if year < first:
                continue
            if year in notes:
                ledger.find(fund, "R-INDEX-PROVISIONAL", "info", year, line.code,
                            f"{line.code} {year} : {notes[year]} ({spec.rule})", source=source)
            factor = factors.get(year)
            base = line.amounts.get(year)
            if factor is None or base is None:
                continue
            with localcontext(EXACT):
                amount = round_cents(base * factor - base)
            if amount:
                ledger.add(fund, line.code, year, "indexation", amount, spec.rule, source,
                           note=f"indice {factor.normalize():f} × base {base:f}")
    for event in employer:
        if rmpp_target is not None and event.year in fund.years:
            ledger.add(fund, rmpp_target, event.year, "indexation", event["amount"], "R-INDEX-RMPP", event.source,
                       note="prélèvements obligatoires de l'employeur")
