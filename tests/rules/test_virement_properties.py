"""Properties of director's virements (R-FUNG-*), by hypothesis: whatever sequence of virements
without a DM is recorded, (1) no credit moves in a direction the fund forbids (the personnel line
A-I-1 never receives from another group), (2) no applied virement leaves its source below what it
executed, and every verdict agrees with a small model of RULES.md (applied ⇔ allowed direction and
0 < amount ≤ the source's credit still available at that date), (3) no fund-year total changes."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.engine import Result, run
from budgetrules.io.paths import central_scenario
from budgetrules.rules.fungibility import ALLOWED, direction
from budgetrules.model.scenario import event_of
from budgetrules.io.scenariofile import load_scenario

CENTRAL = load_scenario(central_scenario())
FUNDS = CENTRAL.funds
YEARS = (2022, 2023, 2024)
ZERO = Decimal("0.00")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BNGA_LEAVES = [ln.code for ln in FUNDS["BNGA"].leaves]
BNASS_LEAVES = [ln.code for ln in FUNDS["BNASS"].leaves]
BNPPS_LEAVES = [ln.code for ln in FUNDS["BNPPS"].leaves]
LEAVES = {"BNGA": BNGA_LEAVES, "BNASS": BNASS_LEAVES, "BNPPS": BNPPS_LEAVES}

cents = st.integers(min_value=1, max_value=300_000_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def virement(draw, fund: str, years=YEARS):
    source, target = draw(st.lists(st.sampled_from(LEAVES[fund]), min_size=2, max_size=2, unique=True))
    year = draw(st.sampled_from(years))
    day = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
    notified = day + dt.timedelta(days=draw(st.integers(0, 15)))
    # amounts up to 3 M€, weighted towards small ones so that many are within what is available
    amount = draw(st.one_of(cents, st.integers(1, 50_000).map(lambda e: Decimal(e * 10).quantize(Decimal("0.01")))))
    return {"kind": "virement", "year": year, "fund": fund, "from": source, "to": target, "amount": amount,
            "date": day, "notified": notified}


@st.composite
def execution(draw, fund: str):
    f = FUNDS[fund]
    line = draw(st.sampled_from(LEAVES[fund]))
    year = draw(st.sampled_from(YEARS))
    base = f.base(line, year)
    # up to 120 % of the COG amount: some lines start the year overspent (available < 0)
    pct = draw(st.integers(0, 120))
    return {"kind": "execution", "year": year, "fund": fund, "line": line,
            "amount": (base * pct / 100).quantize(Decimal("0.01"))}


def scenario_with(events: list[dict]):
    evs = []
    for i, e in enumerate(events):
        evs.append(event_of(e, source=f"property:{i}", order=i))
    return dataclasses.replace(CENTRAL, events=evs, expectations=[])


def both_runs(executions: list[dict], virements: list[dict]) -> tuple[Result, Result]:
    without = run(scenario_with(executions), source_checks=False)
    with_ = run(scenario_with(executions + virements), source_checks=False)
    return without, with_


def total(result: Result, fund: str, year: int, column: str) -> Decimal:
    return result.total(fund, year)[column]


def check_directions(result: Result, fund: str) -> None:
    """(1) every applied virement without a DM goes in a direction the fund allows."""
    f = FUNDS[fund]
    for v in result.ledger.virements:
        if v.fund != fund:
            continue
        assert not v.with_dm
        verdict = direction(f, v.source_line, v.target_line)[0]
        if v.applied:
            assert verdict in ALLOWED, (v.source_line, v.target_line, verdict)


def check_replay(result: Result, fund: str) -> None:
    """(2) replay the year's virements in the order the engine judged them, from the credit each
    line had before any virement of that year (authorised − executed − in + out)."""
    f = FUNDS[fund]
    for year in YEARS:
        running = {}
        for code in LEAVES[fund]:
            row = result.row(fund, code, year)
            running[code] = row["available"] - row["virements_in"] + row["virements_out"]
        for v in [v for v in result.ledger.virements if v.fund == fund and v.year == year]:
            allowed = direction(f, v.source_line, v.target_line)[0] in ALLOWED
            expected = allowed and ZERO < v.amount <= running[v.source_line]
            assert v.applied == expected, (v.source_line, v.target_line, v.amount, running[v.source_line], v.verdict)
            if v.amount > running[v.source_line]:
                assert v.verdict == "refused" and "R-FUNG-INSUFFICIENT" in v.rules
            if v.applied:
                running[v.source_line] -= v.amount
                running[v.target_line] += v.amount
                assert running[v.source_line] >= ZERO  # never below what it executed
        for code in LEAVES[fund]:  # the replay ends where the engine ends
            assert running[code] == result.row(fund, code, year)["available"]


def check_totals(without: Result, with_: Result, fund: str) -> None:
    """(3) virements net to zero inside a fund-year: the total of each year differs only by what
    the year received from the close of the previous one (a virement can change which line holds
    unconsumed credit, hence what R-CARRY-BNGA-CP / R-CARRY-BNASS-AUTO carry)."""
    for year in YEARS:
        assert total(with_, fund, year, "virements_in") == total(with_, fund, year, "virements_out")
        for res in (without, with_):
            t = res.total(fund, year)
            assert t["authorised"] == sum((t[c] for c in ("base", "indexation", "charge_transfer", "carry_in",
                                                           "receipts", "reserve_in")), ZERO)
        assert (total(with_, fund, year, "authorised") - total(with_, fund, year, "carry_in")
                == total(without, fund, year, "authorised") - total(without, fund, year, "carry_in"))
    assert total(with_, fund, 2022, "authorised") == total(without, fund, 2022, "authorised")


@SETTINGS
@given(st.lists(execution("BNGA"), max_size=12), st.lists(virement("BNGA"), min_size=1, max_size=15))
def test_bnga_director_virements(executions, virements):
    without, with_ = both_runs(executions, virements)
    check_directions(with_, "BNGA")
    # personnel A-I-1 is the only personnel line: nothing may ever flow into it without a DM
    for year in YEARS:
        assert with_.row("BNGA", "A-I-1", year)["virements_in"] == ZERO
        # and no personnel credit reaches investment directly
        for v in with_.ledger.virements:
            if v.applied and v.year == year and v.source_line == "A-I-1":
                assert v.target_line in ("A-I-2-INFO", "A-I-2-HORS")
        # the reserve and the evaluative lines neither give nor receive by director's virement
        for code in BNGA_LEAVES:
            if FUNDS["BNGA"].by_code[code].group is None:
                row = with_.row("BNGA", code, year)
                assert row["virements_in"] == row["virements_out"] == ZERO
    check_replay(with_, "BNGA")
    check_totals(without, with_, "BNGA")
    # no virement creates an overspend: a line whose credit before the year's virements was not
    # overspent ends the year not overspent either
    for year in YEARS:
        for code in BNGA_LEAVES:
            row = with_.row("BNGA", code, year)
            if row["available"] - row["virements_in"] + row["virements_out"] >= 0:
                assert row["available"] >= 0


@SETTINGS
@given(st.lists(execution("BNASS"), max_size=10), st.lists(virement("BNASS"), min_size=1, max_size=12))
def test_bnass_director_virements(executions, virements):
    without, with_ = both_runs(executions, virements)
    check_directions(with_, "BNASS")
    for v in with_.ledger.virements:
        if v.applied:  # only inside *-F-COL or inside *-K-COL, across sections
            kinds = {v.source_line.split("-", 1)[1], v.target_line.split("-", 1)[1]}
            assert kinds in ({"F-COL"}, {"K-COL"}), (v.source_line, v.target_line)
    for year in YEARS:
        for code in ("PA-F-IND", "MAL-F-IND", "ATMP-F-IND"):
            row = with_.row("BNASS", code, year)
            assert row["virements_in"] == row["virements_out"] == ZERO
    check_replay(with_, "BNASS")
    check_totals(without, with_, "BNASS")


@SETTINGS
@given(st.lists(virement("BNPPS"), min_size=1, max_size=8))
def test_bnpps_nothing_moves_without_a_dm(virements):
    without, with_ = both_runs([], virements)
    assert not any(v.applied for v in with_.ledger.virements)
    for year in YEARS:
        for code in BNPPS_LEAVES:
            assert with_.row("BNPPS", code, year) == without.row("BNPPS", code, year)
    errors = [f for f in with_.findings if f.severity == "error"]
    assert len(errors) == len(virements)
    assert {f.rule for f in errors} <= {"R-FUNG-DEFAULT", "R-FUNG-INSUFFICIENT"}


@SETTINGS
@given(st.sampled_from(YEARS), st.data())
def test_virements_of_one_year_leave_that_year_and_the_earlier_ones_unchanged(year, data):
    virements = data.draw(st.lists(virement("BNGA", years=(year,)), min_size=1, max_size=10))
    executions = data.draw(st.lists(execution("BNGA"), max_size=8))
    without, with_ = both_runs(executions, virements)
    for y in YEARS:
        if y <= year:
            assert total(with_, "BNGA", y, "authorised") == total(without, "BNGA", y, "authorised")
            assert total(with_, "BNGA", y, "available") == total(without, "BNGA", y, "available")


def test_a_chain_is_the_only_way_personnel_reaches_investment():
    """Two permitted steps (personnel → fonctionnement, then fonctionnement → investissement) do
    move personnel credit into investment: the engine applies both and warns (R-FUNG-CHAIN)."""
    events = [
        {"kind": "virement", "year": 2023, "fund": "BNGA", "from": "A-I-1", "to": "A-I-2-HORS",
         "amount": Decimal("300000.00"), "date": dt.date(2023, 4, 3), "notified": dt.date(2023, 4, 10)},
        {"kind": "virement", "year": 2023, "fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-3-HORS",
         "amount": Decimal("200000.00"), "date": dt.date(2023, 5, 3), "notified": dt.date(2023, 5, 10)},
    ]
    _, with_ = both_runs([], events)
    assert all(v.applied for v in with_.ledger.virements)
    chains = [f for f in with_.findings if f.rule == "R-FUNG-CHAIN"]
    assert [(f.severity, f.year, f.line, f.amount) for f in chains] == [("warning", 2023, "A-I-1", Decimal("200000.00"))]
