"""Properties of the engine that RULES.md states for every scenario, checked on generated ones:
random execution, carry-over decisions, charge transfers, receipts, non-cash products, asset
sales, reserve uses, virements (random dates), APs, employer contributions, FNMO movements and
random inflation/RMPP assumptions, written as a YAML file and read back by load_scenario."""
from __future__ import annotations

import os
from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.engine import Result, run
from budgetrules.documents.build import explain_document as explain
from budgetrules.core.ledger import ZERO
from budgetrules.core.records import COLUMNS

from engine_strategies import FUNDS, load_spec, reorder_keeping_dated, scenario_specs

# BUDGETRULES_PROPERTY_SCALE=20 multiplies every example count (a long bug hunt); the default keeps
# the file at a few seconds of CPU.
SCALE = max(1, int(os.environ.get("BUDGETRULES_PROPERTY_SCALE", "1")))
SETTINGS = settings(max_examples=30 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])
NON_INDEX_INPUTS = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in")


def simulate(spec) -> Result:
    return run(load_spec(spec), source_checks=False)


def leaf_years(result: Result):
    for code, fund in result.funds.items():
        for leaf in fund.leaves:
            for year in fund.years:
                yield code, fund, leaf, year


def all_rows(result: Result) -> dict:
    return {(code, line.code, year): result.row(code, line.code, year)
            for code, fund in result.funds.items() for line in fund.lines for year in fund.years}


# (a) « A fund-year always balances: the sum of authorised over its leaves equals the sum of base,
# indexation, charge_transfer, carry_in, receipts and reserve_in (virements net to zero inside a
# fund and year). »
def check_every_fund_year_balances(result: Result) -> None:
    for code, fund in result.funds.items():
        for year in fund.years:
            rows = [result.row(code, leaf.code, year) for leaf in fund.leaves]
            authorised = sum((r["authorised"] for r in rows), ZERO)
            inputs = sum((r[c] for r in rows for c in NON_INDEX_INPUTS), ZERO)
            assert authorised == inputs, (code, year)
            assert sum((r["virements_in"] for r in rows), ZERO) == sum((r["virements_out"] for r in rows), ZERO)
            total = result.total(code, year)
            assert total["authorised"] == authorised
            # each section (top-level row) is the sum of its leaves, and the sections make the fund
            tops = [line.code for line in fund.lines if line.parent is None]
            for col in COLUMNS:
                assert sum((result.row(code, t, year)[col] for t in tops), ZERO) == total[col], (code, year, col)


# (b) R-CARRY-EVALUATIVE-NONE « evaluative credits are never carried over »; R-RESERVE-LAPSE
# « II-RESERVE never carries over ».
def check_evaluative_and_reserve_lines_never_carry(result: Result) -> None:
    for code, fund, leaf, year in leaf_years(result):
        if leaf.character in ("evaluative", "reserve"):
            row = result.row(code, leaf.code, year)
            assert row["carry_out"] == 0, (code, leaf.code, year)
            assert row["carry_in"] == 0, (code, leaf.code, year)
    for b in result.ledger.beyond:  # what goes beyond the period as carried credit is CP of an investment line
        if b.column == "carry_in":
            assert FUNDS[b.fund].by_code[b.line].carry.ap, b


# (c) R-CARRY-LAST-YEAR « nothing unconsumed in the last COG year (2024) is carried, except
# R-CARRY-CP-AP »; from 2024 CP under an AP « go beyond the period (reported in carry_out with the
# target year 2025) ».
def check_nothing_of_the_last_year_is_carried_except_cp_under_ap(result: Result) -> None:
    for c in result.ledger.contributions:
        fund = FUNDS[c.fund]
        assert fund.first_year <= c.year <= fund.last_year, c  # nothing written after the period
        if c.column == "carry_out" and c.year == fund.last_year:
            assert c.rule == "R-CARRY-CP-AP", c
            assert fund.by_code[c.line].carry.ap, c
    cp_ap_out = Counter()
    for c in result.ledger.contributions:
        if c.column == "carry_out" and c.year == FUNDS[c.fund].last_year:
            cp_ap_out[(c.fund, c.line)] += c.amount
    beyond_carry = Counter()
    for b in result.ledger.beyond:
        if b.column == "carry_in":
            assert b.rule == "R-CARRY-CP-AP" and b.from_year == FUNDS[b.fund].last_year and b.year == b.from_year + 1
            beyond_carry[(b.fund, b.line)] += b.amount
    assert cp_ap_out == beyond_carry


# (d) « carry_in, receipts and reserve_in are non-permanent: they are never indexed and never enter
# the base of a later year »; indexation(N) = round(base(N) × I(N) − base(N)) depends only on the
# base and the assumptions (plus the employer_contributions of N, R-INDEX-RMPP).
@SETTINGS
@given(scenario_specs())
def test_indexation_ignores_non_permanent_credits(spec):
    bare = dict(spec, events=[e for e in spec["events"] if e["kind"] == "employer_contributions"])
    with_events, without = simulate(spec), simulate(bare)
    for code, fund, leaf, year in leaf_years(with_events):
        a, b = with_events.row(code, leaf.code, year), without.row(code, leaf.code, year)
        assert a["indexation"] == b["indexation"], (code, leaf.code, year)
        assert a["base"] == b["base"] == fund.base(leaf.code, year), (code, leaf.code, year)


# (e) explain: « the contributions add up to the value » (CLI.md), for every column and every row,
# subtotals and derived columns (authorised, available, lapsed) included.
@settings(SETTINGS, max_examples=20 * SCALE)
@given(scenario_specs())
def test_explain_contributions_add_up_to_every_figure(spec):
    result = simulate(spec)
    for code, fund in result.funds.items():
        for line in fund.lines:
            for year in fund.years:
                row = result.row(code, line.code, year)
                for column in COLUMNS:
                    doc = explain(result, code, line.code, year, column)
                    assert doc.value == row[column]
                    total = sum((c.amount for c in doc.contributions), ZERO)
                    assert total == row[column], (code, line.code, year, column, total, row[column])


# (f) The result does not depend on the order of the events in the file, except that virements
# (and reserve uses) are applied in date order, then file order: those keep their relative order.
@SETTINGS
@given(scenario_specs(), st.data())
def test_result_does_not_depend_on_event_order(spec, data):
    events = spec["events"]
    perm = data.draw(st.permutations(range(len(events))), label="permutation")
    shuffled = dict(spec, events=reorder_keeping_dated(events, perm))
    a, b = simulate(spec), simulate(shuffled)
    assert all_rows(a) == all_rows(b)

    def verdicts(result):
        return Counter((f.rule, f.severity, f.fund, f.year, f.line, f.amount) for f in result.findings)

    assert verdicts(a) == verdicts(b)


# (g) « Amounts are exact decimal euros, rounded to the cent »: no amount has more than two decimals.
def check_no_amount_has_more_than_two_decimals(result: Result) -> None:
    for c in result.ledger.contributions:
        assert c.amount.as_tuple().exponent >= -2, c
    for b in result.ledger.beyond:
        assert b.amount.as_tuple().exponent >= -2, b
    for key, row in all_rows(result).items():
        for col, value in row.items():
            assert isinstance(value, Decimal) and value.as_tuple().exponent >= -2, (key, col, value)
    for f in result.findings:
        if f.amount is not None:
            assert f.amount.as_tuple().exponent >= -2, f


# (h) lapsed = max(available, 0) − carry_out ≥ 0: a line never carries more than it has left.
def check_lapsed_is_never_negative(result: Result) -> None:
    for code, fund, leaf, year in leaf_years(result):
        row = result.row(code, leaf.code, year)
        assert row["lapsed"] >= 0, (code, leaf.code, year, row)
        assert row["carry_out"] <= max(row["available"], ZERO), (code, leaf.code, year, row)
        assert row["carry_out"] >= 0 and row["virements_in"] >= 0 and row["virements_out"] >= 0
        assert row["charge_transfer"] <= 0
        assert row["authorised"] == sum((row[c] for c in NON_INDEX_INPUTS), ZERO) + row["virements_in"] \
            - row["virements_out"]
        assert row["available"] == row["authorised"] - row["executed"]
    # carried out of N is carried into N+1 (inside the period), line by line
    for code, fund, leaf, year in leaf_years(result):
        if year < fund.last_year:
            assert result.row(code, leaf.code, year)["carry_out"] == result.row(code, leaf.code, year + 1)["carry_in"]


# The statement of origins (RULES.md « Every carry-over is listed in the detailed statement »)
# agrees with the table: carried = carry_out of the origin year, lapsed = max(available, 0) − carried.
def check_statement_of_origins_matches_the_table(result: Result) -> None:
    carried = Counter()
    for s in result.ledger.statement:
        row = result.row(s.fund, s.line, s.from_year)
        assert s.authorised == row["authorised"] and s.executed == row["executed"]
        assert s.carried <= s.eligible
        assert s.lapsed == max(row["available"], ZERO) - s.carried
        carried[(s.fund, s.line, s.from_year)] += s.carried
    for code, fund, leaf, year in leaf_years(result):
        out = result.row(code, leaf.code, year)["carry_out"]
        assert carried[(code, leaf.code, year)] == out, (code, leaf.code, year)


# (a), (b), (c), (g), (h) and the statement of origins are properties of a single run: one
# generated scenario is checked against all of them (each checker names its RULES.md sentence).
@settings(SETTINGS, max_examples=60 * SCALE)
@given(scenario_specs())
def test_invariants_of_every_run(spec):
    result = simulate(spec)
    check_every_fund_year_balances(result)
    check_evaluative_and_reserve_lines_never_carry(result)
    check_nothing_of_the_last_year_is_carried_except_cp_under_ap(result)
    check_no_amount_has_more_than_two_decimals(result)
    check_lapsed_is_never_negative(result)
    check_statement_of_origins_matches_the_table(result)


import datetime as _dt  # noqa: E402

RICH = {
    "name": "every movement at least once",
    "assumptions": {"inflation": {"forecast": {2021: "0.6%", 2022: "1.5%", 2023: "4.2%", 2024: "2.5%"},
                                  "actual": {2021: "1.6%", 2022: "5.3%", 2023: "4.8%"}},
                    "rmpp": {"cog": {2022: "1%", 2023: "1%", 2024: "1%"}, "set": {2022: "1%", 2023: "3%", 2024: "2%"},
                             "observed": {2022: "1.2%"}}},
    "events": [
        {"kind": "execution", "year": 2022, "fund": "BNGA", "line": "A-I-2-INFO", "amount": "4 500 000"},
        {"kind": "carry_over", "year": 2023, "fund": "BNGA", "line": "A-I-2-INFO", "amount": "150 000"},
        {"kind": "carry_over", "year": 2023, "fund": "BNGA", "line": "B-I", "amount": "10 000"},
        {"kind": "carry_over", "year": 2025, "fund": "BNGA", "line": "A-I-2-HORS", "amount": "10 000"},
        {"kind": "programme_authorisation", "year": 2023, "fund": "BNGA", "line": "A-I-3-HORS", "amount": "3 M€",
         "ref": "AP-1", "board_decision": _dt.date(2023, 2, 1)},
        {"kind": "execution", "year": 2024, "fund": "BNGA", "line": "A-I-3-HORS", "amount": "1 000 000"},
        {"kind": "receipt", "year": 2022, "fund": "BNGA", "account": "7084", "realised": "120 000",
         "forecast": "100 000"},
        {"kind": "noncash_product", "year": 2023, "fund": "BNGA", "line": "II-RESERVE", "amount": "50 000",
         "counterpart_class": 1},
        {"kind": "reserve_use", "year": 2023, "fund": "BNGA", "to_line": "A-I-2-HORS", "amount": "30 000",
         "date": _dt.date(2023, 5, 2), "authorised_on": _dt.date(2023, 4, 1)},
        {"kind": "virement", "year": 2023, "fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-2-INFO",
         "amount": "20 000", "date": _dt.date(2023, 6, 1)},
        {"kind": "asset_sale", "year": 2022, "fund": "BNGA", "price": "500 000", "net_book_value": "300 000",
         "buyer": "other", "use": "rent"},
        {"kind": "charge_transfer", "year": 2023, "fund": "BNPPS", "line": "MAL-CANSSM", "amount": "10 000"},
        {"kind": "employer_contributions", "year": 2024, "fund": "BNGA", "amount": "-5 000"},
        {"kind": "execution", "year": 2023, "fund": "BNASS", "line": "PA-F-COL", "amount": "4 000 000"},
        {"kind": "fnmo_expense", "year": 2022, "line": "INV", "amount": "1 000 000"},
    ],
}


def test_the_checkers_on_a_scenario_with_every_movement():
    """The properties are not vacuous: on a fixed scenario with a discretionary carry-over, CP
    carried beyond the period, a reused receipt, a reserve use funded by a non-cash product, a
    virement, rent from a sale and an overspend, every checker holds and each movement is there."""
    result = simulate(RICH)
    for check in (check_every_fund_year_balances, check_evaluative_and_reserve_lines_never_carry,
                  check_nothing_of_the_last_year_is_carried_except_cp_under_ap, check_no_amount_has_more_than_two_decimals,
                  check_lapsed_is_never_negative, check_statement_of_origins_matches_the_table):
        check(result)
    rules = {(c.column, c.rule) for c in result.ledger.contributions}
    for wanted in [("carry_in", "R-CARRY-LIMITATIVE"), ("carry_out", "R-CARRY-CP-AP"), ("reserve_in", "R-RESERVE-USE"),
                   ("receipts", "R-RECEIPT-BNGA-ACCOUNTS"), ("receipts", "R-RECEIPT-NONCASH"),
                   ("receipts", "R-RECEIPT-REAL-ESTATE"), ("virements_in", "R-FUNG-BNGA-WITHIN"),
                   ("charge_transfer", "R-CHARGE-TRANSFER"), ("carry_in", "R-CARRY-BNASS-AUTO")]:
        assert wanted in rules, wanted
    assert any(f.rule == "R-LIMITATIVE-CEILING" and f.severity == "error" for f in result.findings)
    assert any(f.rule == "R-CARRY-LAST-YEAR" for f in result.findings)
    assert any(f.rule == "R-CARRY-EVALUATIVE-NONE" for f in result.findings)
