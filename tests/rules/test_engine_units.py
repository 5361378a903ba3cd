"""Small scenarios with figures worked out by hand from RULES.md (the arithmetic is in the
comments; nothing here was copied from the program's output): the R-INDEX-* recurrences,
R-INDEX-PROVISIONAL, rounding half away from zero, money parsing, and a few carry and receipt
rules whose text leaves no room for another reading."""
from __future__ import annotations

import textwrap
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest

from budgetrules.engine import Result, run
from budgetrules.io.fundfile import load_funds
from budgetrules.core.money import CENT, ValueProblem, parse_amount, parse_rate, round_cents
from budgetrules.io.paths import bundled_fund_files, central_scenario
from budgetrules.io.scenariofile import load_scenario

FUNDS = load_funds(bundled_fund_files())
D = Decimal


def scenario(tmp_path: Path, text: str, name: str = "s.yaml") -> Result:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return run(load_scenario(path, funds=FUNDS), source_checks=False)


@pytest.fixture(scope="module")
def central() -> Result:
    return run(load_scenario(central_scenario(), funds=FUNDS), source_checks=False)


def idx(result: Result, fund: str, line: str, year: int) -> Decimal:
    return result.row(fund, line, year)["indexation"]


def provisional(result: Result, fund: str, line: str | None = None) -> set[int]:
    return {f.year for f in result.findings if f.rule == "R-INDEX-PROVISIONAL" and f.fund == fund
            and (line is None or f.line == line)}


# -- R-INDEX-BNASS ------------------------------------------------------------------------------
# Central assumptions: f = {2021: 0,6; 2022: 1,5; 2023: 4,2; 2024: 2,5}, a = {2021: 1,6; 2022: 5,3;
# 2023: 4,8; 2024: 1,8} (percent).
# I(2022) = 1 (the 2022 figures already include 1,5 %): no indexation in 2022.
# r(2023) = f(2023) + a(2022) − f(2022) = 4,2 + 5,3 − 1,5 = 8,0 %   → I(2023) = 1,08
# r(2024) = f(2024) + a(2023) − f(2023) = 2,5 + 4,8 − 4,2 = 3,1 %   → I(2024) = 1,08 × 1,031 = 1,11348
# 2023: PA-F-COL   2 306 100 × 0,08 = 184 488,00
#       MAL-F-COL  2 244 800 × 0,08 = 179 584,00
#       ATMP-F-COL   477 200 × 0,08 =  38 176,00
# 2024: PA-F-COL     810 000 × 0,11348 =  91 918,80
#       MAL-F-COL  2 162 100 × 0,11348 = 216 210 + 29 145,108 = 245 355,108 → 245 355,11
#       ATMP-F-COL   446 200 × 0,11348 =  44 620 +  6 014,776 =  50 634,776 →  50 634,78
BNASS_CENTRAL = {
    ("PA-F-COL", 2023): D("184488.00"), ("MAL-F-COL", 2023): D("179584.00"), ("ATMP-F-COL", 2023): D("38176.00"),
    ("PA-F-COL", 2024): D("91918.80"), ("MAL-F-COL", 2024): D("245355.11"), ("ATMP-F-COL", 2024): D("50634.78"),
}


@pytest.mark.parametrize("line,year", sorted(BNASS_CENTRAL))
def test_bnass_collective_operating_lines_compound_the_corrected_inflation(central, line, year):
    assert idx(central, "BNASS", line, year) == BNASS_CENTRAL[(line, year)]


def test_bnass_2022_investment_and_angdm_lines_are_not_indexed(central):
    for year in (2022, 2023, 2024):
        for line in ("PA-F-IND", "MAL-F-IND", "ATMP-F-IND", "PA-K-COL", "MAL-K-COL"):
            assert idx(central, "BNASS", line, year) == 0, (line, year)
    for line in ("PA-F-COL", "MAL-F-COL", "ATMP-F-COL"):
        assert idx(central, "BNASS", line, 2022) == 0
    assert provisional(central, "BNASS") == set()  # every actual rate needed is given


def test_bnass_indexation_rule_and_source_in_the_provenance(central):
    contributions = central.contributions("BNASS", "PA-F-COL", 2024, "indexation")
    assert [(c.rule, c.amount) for c in contributions] == [("R-INDEX-BNASS", D("91918.80"))]


# -- R-INDEX-BNPPS ------------------------------------------------------------------------------
# I(2021) = 1, recurrence from 2022:
# r(2022) = f(2022) + a(2021) − f(2021) = 1,5 + 1,6 − 0,6 = 2,5 %   → I(2022) = 1,025
# I(2023) = 1,025 × 1,08 = 1,107 ; I(2024) = 1,107 × 1,031 = 1,141317
# MAL-CANSSM  2022: 2 255 500 × 0,025 = 56 387,50
#             2023: 2 200 000 × 0,107 = 235 400,00
#             2024: 2 148 000 × 0,141317 = 214 800 + 88 748,916 = 303 548,916 → 303 548,92
# ATMP-CANSSM 2022: 100 000 × 0,025 = 2 500,00 ; 2023: 10 700,00 ; 2024: 14 131,70
# MAL-EVAL (evaluative): never indexed.
BNPPS_CENTRAL = {
    ("MAL-CANSSM", 2022): D("56387.50"), ("MAL-CANSSM", 2023): D("235400.00"), ("MAL-CANSSM", 2024): D("303548.92"),
    ("ATMP-CANSSM", 2022): D("2500.00"), ("ATMP-CANSSM", 2023): D("10700.00"), ("ATMP-CANSSM", 2024): D("14131.70"),
    ("MAL-EVAL", 2022): D("0"), ("MAL-EVAL", 2023): D("0"), ("MAL-EVAL", 2024): D("0"),
}


@pytest.mark.parametrize("line,year", sorted(BNPPS_CENTRAL))
def test_bnpps_limitative_lines_compound_from_2022(central, line, year):
    assert idx(central, "BNPPS", line, year) == BNPPS_CENTRAL[(line, year)]


def test_bnpps_totals_of_the_central_scenario(central):
    # 2024 total authorised, no events: bases 2 148 000 + 450 000 + 100 000 = 2 698 000
    # + indexation 303 548,92 + 14 131,70 = 317 680,62 → 3 015 680,62
    assert central.total("BNPPS", 2024)["authorised"] == D("3015680.62")


# -- R-INDEX-RMPP -------------------------------------------------------------------------------
# Central: c = 1,5 every year, s = {2022: 1,88; 2023: 1,5; 2024: 1,5}, no observed rate.
# d(2022) = (1,88 − 1,5) + 0 = 0,38 %                → P(2022) = 1,0038
# d(2023) = (1,5 − 1,5) + (o(2022) missing → 0) = 0  → P(2023) = 1,0038, provisional
# d(2024) = 0 likewise                              → P(2024) = 1,0038, provisional
# A-I-1: 2022 37 330 000 × 0,0038 = 141 854,00 ; 2023 36 670 000 × 0,0038 = 139 346,00 ;
#        2024 36 010 000 × 0,0038 = 136 838,00
def test_rmpp_central(central):
    assert [idx(central, "BNGA", "A-I-1", y) for y in (2022, 2023, 2024)] == \
        [D("141854.00"), D("139346.00"), D("136838.00")]
    assert provisional(central, "BNGA", "A-I-1") == {2023, 2024}


def test_bnga_other_lines_stay_in_current_euros(central):
    # R-INDEX-BNGA-NONE: only the personnel line A-I-1 moves
    for leaf in FUNDS["BNGA"].leaves:
        if leaf.code != "A-I-1":
            for y in (2022, 2023, 2024):
                assert idx(central, "BNGA", leaf.code, y) == 0, (leaf.code, y)


RMPP = """\
    name: rmpp
    assumptions:
      rmpp:
        cog:      {2022: "1.0%", 2023: "1.0%", 2024: "1.0%"}
        set:      {SET20212022: "1.0%", 2023: "3.0%", 2024: "2.0%"}
        observed: {OBS20212022: "1.2%", 2023: "2.9%"}
    events:
      - {kind: employer_contributions, year: 2023, fund: BNGA, amount: "50 000"}
      - {kind: employer_contributions, year: 2024, fund: BNGA, amount: "-10 000,00"}
      - {kind: employer_contributions, year: 2024, fund: BNGA, amount: "2 500"}
"""


# d(2022) = (1,0 − 1,0) + 0 (second term 0 for 2022)  = 0      → P(2022) = 1
# d(2023) = (3,0 − 1,0) + (o(2022) − s(2022)) = 2,0 + (1,2 − 1,0) = 2,2 %  → P(2023) = 1,022
# d(2024) = (2,0 − 1,0) + (o(2023) − s(2023)) = 1,0 + (2,9 − 3,0) = 0,9 %  → P(2024) = 1,022 × 1,009 = 1,031198
# A-I-1 2022: 0
#       2023: 36 670 000 × 0,022 = 806 740,00, + employer contributions 50 000 = 856 740,00
#       2024: 36 010 000 × 0,031198 = 1 080 300 + 43 139,98 = 1 123 439,98,
#             + employer contributions −10 000 + 2 500 = 1 115 939,98
@pytest.mark.parametrize("with_2021", [False, True], ids=["no-2021", "2021-given"])
def test_rmpp_second_term_and_employer_contributions(tmp_path, with_2021):
    # with_2021: s(2021) = 5 % and o(2021) = 0 % are given, and must change nothing:
    # « d(N) = (s(N) − c(N)) + (o(N-1) − s(N-1)), with the second term 0 for N = 2022 »
    extra = {"set2021": '2021: "5%", ', "obs2021": '2021: "0%", '} if with_2021 else {"set2021": "", "obs2021": ""}
    result = scenario(tmp_path, RMPP.replace("SET2021", extra["set2021"]).replace("OBS2021", extra["obs2021"]))
    assert [idx(result, "BNGA", "A-I-1", y) for y in (2022, 2023, 2024)] == \
        [D("0.00"), D("856740.00"), D("1115939.98")]
    assert provisional(result, "BNGA") == set()
    rules = {(c.rule, c.amount) for c in result.contributions("BNGA", "A-I-1", 2024, "indexation")}
    assert rules == {("R-INDEX-RMPP", D("1123439.98")), ("R-INDEX-RMPP", D("-10000.00")),
                     ("R-INDEX-RMPP", D("2500.00"))}


# -- R-INDEX-PROVISIONAL ------------------------------------------------------------------------
def test_missing_actual_inflation_is_a_zero_correction_and_provisional(tmp_path):
    # a(2023) missing: r(2024) = f(2024) + 0 = 2,5 %; I(2024) = 1,08 × 1,025 = 1,107 for BNASS
    # PA-F-COL 2024: 810 000 × 0,107 = 86 670,00 ; 2023 unchanged (184 488,00), not provisional.
    # BNPPS: I(2024) = 1,107 × 1,025 = 1,134675 ; MAL-CANSSM 2024: 2 148 000 × 0,134675
    #        = 279 240 + 10 041,90 = 289 281,90
    result = scenario(tmp_path, """\
        name: provisional
        assumptions:
          inflation:
            forecast: {2021: "0.6%", 2022: "1.5%", 2023: "4.2%", 2024: "2.5%"}
            actual:   {2021: "1.6%", 2022: "5.3%"}
        """)
    assert idx(result, "BNASS", "PA-F-COL", 2023) == D("184488.00")
    assert idx(result, "BNASS", "PA-F-COL", 2024) == D("86670.00")
    assert idx(result, "BNPPS", "MAL-CANSSM", 2024) == D("289281.90")
    assert provisional(result, "BNASS", "PA-F-COL") == {2024}
    assert provisional(result, "BNPPS", "MAL-CANSSM") == {2024}
    assert all(f.severity == "info" for f in result.findings if f.rule == "R-INDEX-PROVISIONAL")


def test_missing_forecast_or_set_rate_leaves_the_year_unindexed(tmp_path):
    # f(2024) missing: « the line is not indexed for N, with the same finding »
    # s(2024) missing: A-I-1 not indexed for 2024; 2022: d = 1,88 − 1,5 = 0,38 % → 141 854,00 as central
    result = scenario(tmp_path, """\
        name: missing forecast
        assumptions:
          inflation:
            forecast: {2021: "0.6%", 2022: "1.5%", 2023: "4.2%"}
            actual:   {2021: "1.6%", 2022: "5.3%", 2023: "4.8%"}
          rmpp:
            cog: {2022: "1.5%", 2023: "1.5%", 2024: "1.5%"}
            set: {2022: "1.88%", 2023: "1.5%"}
            observed: {2022: "1.88%", 2023: "1.5%"}
        """)
    assert idx(result, "BNASS", "PA-F-COL", 2023) == D("184488.00")
    assert idx(result, "BNASS", "PA-F-COL", 2024) == 0
    assert idx(result, "BNPPS", "ATMP-CANSSM", 2024) == 0
    assert 2024 in provisional(result, "BNASS", "PA-F-COL")
    assert 2024 in provisional(result, "BNPPS", "ATMP-CANSSM")
    assert idx(result, "BNGA", "A-I-1", 2022) == D("141854.00")
    assert idx(result, "BNGA", "A-I-1", 2024) == 0
    assert provisional(result, "BNGA", "A-I-1") == {2024}


def test_no_assumptions_at_all_indexes_nothing_and_says_so(tmp_path):
    # `assumptions: none` opts out of the COG's published figures (which a scenario inherits otherwise)
    result = scenario(tmp_path, "name: bare\nassumptions: none\n")
    for code, fund in result.funds.items():
        for leaf in fund.leaves:
            for y in fund.years:
                assert idx(result, code, leaf.code, y) == 0
    assert provisional(result, "BNASS", "PA-F-COL") == {2023, 2024}
    assert provisional(result, "BNPPS", "MAL-CANSSM") == {2022, 2023, 2024}
    assert provisional(result, "BNGA", "A-I-1") == {2022, 2023, 2024}


# -- rounding: once, half away from zero (ROUND_HALF_UP) -----------------------------------------
@pytest.mark.parametrize("raw,cents", [("2.675", "2.68"), ("-2.675", "-2.68"), ("0.005", "0.01"), ("-0.005", "-0.01"),
                                       ("1234.565", "1234.57"), ("1.004999", "1.00"), ("0.125", "0.13")])
def test_round_cents_half_away_from_zero(raw, cents):
    assert round_cents(D(raw)) == D(cents)


@pytest.mark.parametrize("rate,expected", [("1.234565%", "1234.57"), ("-1.234565%", "-1234.57")])
def test_indexation_tie_rounds_away_from_zero(tmp_path, rate, expected):
    # BNPPS ATMP-CANSSM 2022: r(2022) = f(2022) + a(2021) − f(2021) = ±1,234565 % + 0 − 0
    # 100 000 × 0,01234565 = 1 234,565: a tie. Half away from zero: 1 234,57 (half-even would give
    # 1 234,56); and −1 234,565 → −1 234,57 (ROUND_FLOOR would agree here but not on the positive tie).
    # MAL-CANSSM: 2 255 500 × 0,01234565 = 22 555 + 4 511 + 676,65 + 102,963575 = 27 845,613575 → 27 845,61
    result = scenario(tmp_path, f"""\
        name: tie
        funds: [BNPPS]
        assumptions:
          inflation:
            forecast: {{2021: "0%", 2022: "{rate}"}}
            actual: {{2021: "0%"}}
        """)
    assert idx(result, "BNPPS", "ATMP-CANSSM", 2022) == D(expected)
    assert D(expected) != (D(expected[:-1] + "65")).quantize(CENT, rounding=ROUND_HALF_EVEN)  # the case matters
    sign = -1 if rate.startswith("-") else 1
    assert idx(result, "BNPPS", "MAL-CANSSM", 2022) == sign * D("27845.61")


def test_rent_shares_are_rounded_once_and_the_last_takes_the_remainder(tmp_path):
    # R-RECEIPT-REAL-ESTATE, use: rent. Sale in 2022: gain = 1 300 000,05 − 300 000,00 = 1 000 000,05
    # one tenth = 100 000,005 → 100 000,01 (half away from zero), for 2023 … 2031; the tenth share
    # (2032) is 1 000 000,05 − 9 × 100 000,01 = 1 000 000,05 − 900 000,09 = 99 999,96.
    # 2023 and 2024 fall in the period (A-I-2-HORS, receipts); 2025-2032 are beyond it:
    # 7 × 100 000,01 + 99 999,96 = 700 000,07 + 99 999,96 = 800 000,03
    result = scenario(tmp_path, """\
        name: rent
        funds: [BNGA]
        events:
          - {kind: asset_sale, year: 2022, fund: BNGA, price: "1 300 000,05", net_book_value: "300 000",
             buyer: other, use: rent}
        """)
    assert result.row("BNGA", "A-I-2-HORS", 2022)["receipts"] == 0
    assert result.row("BNGA", "A-I-2-HORS", 2023)["receipts"] == D("100000.01")
    assert result.row("BNGA", "A-I-2-HORS", 2024)["receipts"] == D("100000.01")
    beyond = sorted((b.year, b.amount) for b in result.ledger.beyond)
    assert [y for y, _ in beyond] == list(range(2025, 2033))
    assert beyond[-1] == (2032, D("99999.96"))
    assert sum(a for _, a in beyond) == D("800000.03")


# -- money parsing (SCENARIOS.md « Values ») ----------------------------------------------------
@pytest.mark.parametrize("text,euros", [
    ("37,33 M€", "37330000.00"),           # 37,33 × 1 000 000
    ("250 k€", "250000.00"),
    ("1 250 000,00 €", "1250000.00"),
    ("1_000", "1000.00"),
    ("1\u00a0250\u00a0000,50", "1250000.50"),  # non-breaking spaces
    ("1\u202f250,5 €", "1250.50"),             # narrow non-breaking space, one decimal
    ("0,005 M€", "5000.00"),                   # three decimals in M€ are whole euros
    ("1,23456 k€", "1234.56"),                 # five decimals in k€ are whole cents
    ("0,0000001 M€", "0.10"),                  # 0,0000001 × 1 000 000 = 0,10 €: the cent rule is on euros
    ("36670000.00", "36670000.00"),
    ("  12 ", "12.00"),
    ("0", "0.00"),
])
def test_parse_amount_accepts(text, euros):
    value = parse_amount(text)
    assert value == D(euros)
    assert value.as_tuple().exponent == -2  # two decimals, always


def test_parse_amount_numbers_are_exact():
    assert parse_amount(1000) == D("1000.00")
    assert parse_amount(D("0.1")) + parse_amount(D("0.2")) == D("0.30")  # what a float would not give
    assert parse_amount(D("87.61"), unit=D(1_000_000)) == D("87610000.00")  # BNGA figures in M€


@pytest.mark.parametrize("value,why", [
    (1.5, "binary float"),
    ("1,234", "more than two decimals"),
    ("1.234", "more than two decimals"),
    (D("0.001"), "more than two decimals"),
    ("0,000000001 M€", "more than two decimals"),  # 0,000000001 × 1 000 000 = 0,001 €
    ("-5", "negative"),
    ("-5 k€", "negative"),
    ("1.000,50", "mixes"),
    ("1.2.3", "more than one decimal separator"),
    ("abc", "not an amount"),
    ("12 $", "not an amount"),
    ("", "not an amount"),
    (True, "expected an amount"),
    (None, "expected an amount"),
])
def test_parse_amount_refuses(value, why):
    with pytest.raises(ValueProblem, match=why):
        parse_amount(value)


def test_negative_amounts_only_where_a_field_allows_them():
    assert parse_amount("-10 000,00", allow_negative=True) == D("-10000.00")
    with pytest.raises(ValueProblem):
        parse_amount("-0,01")


@pytest.mark.parametrize("text,fraction", [("1.5%", "0.015"), ("1,5 %", "0.015"), ("-0.6%", "-0.006"),
                                           ("100%", "1"), ("0%", "0"), ("1.88%", "0.0188"), ("+2%", "0.02")])
def test_parse_rate_accepts(text, fraction):
    assert parse_rate(text) == D(fraction)


@pytest.mark.parametrize("value", ["1.5", D("1.5"), 2, "1.5 pct", "%", "1.5%%", "1.2.3%", 1.5])
def test_parse_rate_refuses_bare_numbers_and_junk(value):
    with pytest.raises(ValueProblem):
        parse_rate(value)


# -- rules whose text leaves no room for another reading -----------------------------------------
def test_carry_decision_above_eligible_carries_only_the_eligible(tmp_path):
    # A-I-2-INFO 2022: authorised 4 700 000, executed 4 600 000 → eligible 100 000.
    # Decision of 150 000 for 2023: error finding, 100 000 carried; 2023 authorised 4 700 000 + 100 000.
    result = scenario(tmp_path, """\
        name: carry
        funds: [BNGA]
        events:
          - {kind: execution, year: 2022, fund: BNGA, line: A-I-2-INFO, amount: "4 600 000"}
          - {kind: carry_over, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "150 000"}
        """)
    assert result.row("BNGA", "A-I-2-INFO", 2022)["carry_out"] == D("100000.00")
    assert result.row("BNGA", "A-I-2-INFO", 2022)["lapsed"] == 0
    assert result.row("BNGA", "A-I-2-INFO", 2023)["authorised"] == D("4800000.00")
    assert any(f.rule == "R-CARRY-LIMITATIVE" and f.severity == "error" and f.amount == D("50000.00")
               for f in result.findings)


def test_carry_decision_above_eligible_is_an_error_in_maximum_mode_too(tmp_path):
    # (an engine bug when this test was written: the maximum branch skipped the check)
    # RULES.md R-CARRY-LIMITATIVE: « A decision above the eligible amount is an error finding and only
    # the eligible amount is carried. » — the sentence has no exception for `carry_over: maximum`.
    # A-I-2-INFO 2022: 4 700 000 − 4 600 000 = 100 000 eligible; decision 200 000 → error, 100 000 carried.
    result = scenario(tmp_path, """\
        name: carry maximum
        funds: [BNGA]
        assumptions: {carry_over: maximum}
        events:
          - {kind: execution, year: 2022, fund: BNGA, line: A-I-2-INFO, amount: "4 600 000"}
          - {kind: carry_over, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "200 000"}
        """)
    assert result.row("BNGA", "A-I-2-INFO", 2023)["carry_in"] == D("100000.00")
    assert any(f.rule == "R-CARRY-LIMITATIVE" and f.severity == "error" for f in result.findings)


def test_cp_under_a_decided_ap_go_beyond_the_period_capped_by_the_ap(tmp_path):
    # R-CARRY-CP-AP. AP-1 of 1 500 000 decided in 2023 on A-I-3-HORS; CP executed on the line:
    # 2023: 500 000, 2024: 200 000 → what remains of the AP: 1 500 000 − 700 000 = 800 000.
    # A-I-3-HORS (automatic carry, R-CARRY-BNGA-CP): 2022 unconsumed 2 210 000 → 2023;
    # 2023 authorised 2 150 000 + 2 210 000 = 4 360 000, executed 500 000 → 3 860 000 → 2024;
    # 2024 authorised 2 100 000 + 3 860 000 = 5 960 000, executed 200 000, available 5 760 000;
    # carried beyond the period = min(5 760 000, 800 000) = 800 000; lapsed 4 960 000.
    result = scenario(tmp_path, """\
        name: cp ap
        funds: [BNGA]
        events:
          - {kind: programme_authorisation, year: 2023, fund: BNGA, line: A-I-3-HORS, amount: "1 500 000",
             ref: AP-1, board_decision: 2023-03-01}
          - {kind: execution, year: 2023, fund: BNGA, line: A-I-3-HORS, amount: "500 000"}
          - {kind: execution, year: 2024, fund: BNGA, line: A-I-3-HORS, amount: "200 000"}
        """)
    row = result.row("BNGA", "A-I-3-HORS", 2024)
    assert row["authorised"] == D("5960000.00")
    assert row["carry_out"] == D("800000.00")
    assert row["lapsed"] == D("4960000.00")
    assert [(b.year, b.column, b.amount, b.rule) for b in result.ledger.beyond] == \
        [(2025, "carry_in", D("800000.00"), "R-CARRY-CP-AP")]


def test_undecided_ap_is_cancelled_and_carries_nothing(tmp_path):
    # R-AP-CANCEL: the same AP without board_decision → nothing of 2024 carried, an info finding.
    result = scenario(tmp_path, """\
        name: ap cancel
        funds: [BNGA]
        events:
          - {kind: programme_authorisation, year: 2023, fund: BNGA, line: A-I-3-HORS, amount: "1 500 000", ref: AP-1}
        """)
    assert result.row("BNGA", "A-I-3-HORS", 2024)["carry_out"] == 0
    assert result.ledger.beyond == []
    assert any(f.rule == "R-AP-CANCEL" for f in result.findings)


def test_a_2024_sale_gain_does_not_carry_2024_cp(tmp_path):
    # (an engine bug when this test was written: remaining_ap counted the AP of 2025)
    # R-RECEIPT-REAL-ESTATE: the gain « increases, in N+1, both the AP and the CP »; « Amounts that fall
    # after the period are reported as beyond the period ». A sale in 2024 thus gives an AP of 2025.
    # R-CARRY-LAST-YEAR: « nothing unconsumed in the last COG year (2024) is carried, except
    # R-CARRY-CP-AP », which carries CP « that correspond to a programme authorisation »: 2024 CP cannot
    # correspond to an AP that only exists from 2025 (and the 2025 CP of that AP is the gain itself:
    # carrying 1 000 000 of 2024 CP on top would fund the same AP twice).
    # Expected: A-I-3-HORS 2024 carry_out 0; beyond the period only the 1 000 000 of receipts (2025).
    result = scenario(tmp_path, """\
        name: sale 2024
        funds: [BNGA]
        events:
          - {kind: asset_sale, year: 2024, fund: BNGA, price: "1 000 000", net_book_value: "0",
             buyer: other, use: investment}
        """)
    assert [(b.year, b.column, b.amount) for b in result.ledger.beyond] == [(2025, "receipts", D("1000000.00"))]
    assert result.row("BNGA", "A-I-3-HORS", 2024)["carry_out"] == 0


def test_receipt_excess_is_reused_in_n_plus_1_and_a_shortfall_reduces_nothing(tmp_path):
    # R-RECEIPT-BNGA-ACCOUNTS: account 7084 (100 %): (120 000 − 100 000) × 100 % = 20 000 on A-I-2-HORS 2023;
    # account 703 (0 %): nothing; shortfall on 7083 (80 000 < 90 000): nothing, no reduction;
    # category formation in 2024 (100 %): 5 000,50 beyond the period (2025).
    result = scenario(tmp_path, """\
        name: receipts
        funds: [BNGA]
        events:
          - {kind: receipt, year: 2022, fund: BNGA, account: "7084", realised: "120 000", forecast: "100 000"}
          - {kind: receipt, year: 2022, fund: BNGA, account: "703", realised: "50 000", forecast: "0"}
          - {kind: receipt, year: 2022, fund: BNGA, account: "7083", realised: "80 000", forecast: "90 000"}
          - {kind: receipt, year: 2024, fund: BNGA, category: formation, realised: "5 000,50", forecast: "0"}
        """)
    assert result.row("BNGA", "A-I-2-HORS", 2022)["receipts"] == 0
    assert result.row("BNGA", "A-I-2-HORS", 2023)["receipts"] == D("20000.00")
    assert result.total("BNGA", 2023)["receipts"] == D("20000.00")
    assert [(b.year, b.amount) for b in result.ledger.beyond] == [(2025, D("5000.50"))]


def test_reserve_use_moves_credit_and_needs_prior_authorisation(tmp_path):
    # II-RESERVE holds 0 (COG) + 60 000 (non-cash product, class 2, 2023). Use of 40 000 on 2023-05-02
    # authorised 2023-04-01: reserve_in −40 000 on II-RESERVE, +40 000 on A-I-2-HORS.
    # A second use of 10 000 without authorisation: error, not applied. A third use of 30 000 (authorised)
    # exceeds what is left (20 000): error, not applied. II-RESERVE then lapses 20 000, carries nothing.
    result = scenario(tmp_path, """\
        name: reserve
        funds: [BNGA]
        events:
          - {kind: noncash_product, year: 2023, fund: BNGA, line: II-RESERVE, amount: "60 000", counterpart_class: 2}
          - {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-2-HORS, amount: "40 000", date: 2023-05-02,
             authorised_on: 2023-04-01}
          - {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-2-HORS, amount: "10 000", date: 2023-06-02}
          - {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-1, amount: "30 000", date: 2023-07-02,
             authorised_on: 2023-07-01}
        """)
    reserve = result.row("BNGA", "II-RESERVE", 2023)
    assert reserve["reserve_in"] == D("-40000.00") and reserve["authorised"] == D("20000.00")
    assert reserve["carry_out"] == 0 and reserve["lapsed"] == D("20000.00")
    assert result.row("BNGA", "A-I-2-HORS", 2023)["reserve_in"] == D("40000.00")
    assert result.row("BNGA", "A-I-1", 2023)["reserve_in"] == 0
    errors = [f for f in result.findings if f.rule == "R-RESERVE-USE" and f.severity == "error"]
    assert len(errors) == 2
    assert result.total("BNGA", 2023)["reserve_in"] == 0  # the move nets to zero in the fund


def test_bnass_reads_its_2022_forecast_from_the_cog_bnpps_from_the_scenario(tmp_path):
    # R-INDEX-BNASS: « the 2022 figures already include a 1,5 % forecast, so f(2022) = 1,5 % »,
    # whatever the scenario says for 2022. With f = {2022: 2,0; 2023: 4,2}, a = {2022: 5,3}:
    # BNASS r(2023) = 4,2 + 5,3 − 1,5 = 8,0 % → PA-F-COL 2023: 2 306 100 × 0,08 = 184 488,00 (as central)
    # BNPPS uses the scenario's f(2022) = 2,0 %: r(2022) = 2,0 + (a(2021), f(2021) missing → 0) = 2,0 %,
    #   r(2023) = 4,2 + 5,3 − 2,0 = 7,5 %; I(2023) = 1,02 × 1,075 = 1,0965
    #   MAL-CANSSM 2023: 2 200 000 × 0,0965 = 212 300,00
    result = scenario(tmp_path, """\
        name: base forecast
        assumptions:
          inflation:
            forecast: {2022: "2%", 2023: "4.2%"}
            actual: {2022: "5.3%"}
        """)
    assert idx(result, "BNASS", "PA-F-COL", 2023) == D("184488.00")
    assert idx(result, "BNPPS", "MAL-CANSSM", 2023) == D("212300.00")
    assert provisional(result, "BNPPS", "MAL-CANSSM") >= {2022}


DATED = """\
    name: dated moves
    funds: [BNGA]
    events:
      - {kind: execution, year: 2023, fund: BNGA, line: A-I-2-HORS, amount: "7 790 000"}
      - {kind: noncash_product, year: 2023, fund: BNGA, line: II-RESERVE, amount: "40 000", counterpart_class: 1}
      - {kind: virement, year: 2023, fund: BNGA, from: A-I-2-HORS, to: A-I-2-INFO, amount: "FIRST", date: 2023-06-01}
      - {kind: virement, year: 2023, fund: BNGA, from: A-I-2-HORS, to: A-I-2-INFO, amount: "SECOND", date: 2023-06-01}
      - {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-2-HORS, amount: "40 000", date: 2023-03-01,
         authorised_on: 2023-02-01}
"""


@pytest.mark.parametrize("first,second,moved", [("30 000", "20 000", "30000.00"), ("20 000", "30 000", "20000.00")])
def test_dated_moves_apply_in_date_order_then_file_order(tmp_path, first, second, moved):
    # SCENARIOS.md « Virements are applied in date order, then file order »; R-FUNG-INSUFFICIENT judges a
    # virement against the source's credit still available at its date.
    # A-I-2-HORS 2023: 7 790 000 authorised, 7 790 000 executed → 0 available until the reserve use of
    # 1 March (listed last in the file) brings 40 000. On 1 June two virements, same date, file order:
    # 30 000 then 20 000 → the first fits (40 000 ≥ 30 000), the second does not (10 000 < 20 000);
    # 20 000 then 30 000 → the first fits, the second does not (20 000 < 30 000).
    result = scenario(tmp_path, DATED.replace('"FIRST"', f'"{first}"').replace('"SECOND"', f'"{second}"'))
    hors, info = result.row("BNGA", "A-I-2-HORS", 2023), result.row("BNGA", "A-I-2-INFO", 2023)
    assert hors["reserve_in"] == D("40000.00")
    assert info["virements_in"] == hors["virements_out"] == D(moved)
    assert hors["available"] == D("40000.00") - D(moved)
    refused = [f for f in result.findings if f.rule == "R-FUNG-INSUFFICIENT"]
    assert len(refused) == 1 and refused[0].severity == "error"


@pytest.mark.parametrize(("text", "expected"), [
    ("400.000", None), ("1.250", None), ("-12.500", None),        # three decimals after 1-3 digits: two readings
    ("400.5", Decimal("400.5")), ("0.125", Decimal("0.125")),     # one reading only
    ("1234.000", Decimal("1234.000")), ("1.2345", Decimal("1.2345")),
])
def test_a_plain_yaml_number_that_reads_two_ways_is_refused(text, expected):
    """Issue 16: `amount: 400.000` (unquoted) would be 400 € to YAML and 400 000 € to a French reader."""
    from budgetrules.io.yamlscalars import BadNumber, resolve_plain

    value = resolve_plain(text)
    if expected is None:
        assert isinstance(value, BadNumber) and "reads two ways" in value.problem
    else:
        assert value == expected and not isinstance(value, BadNumber)


def test_explain_cites_where_each_rate_of_an_index_comes_from(scenario):
    # R-INDEX-BNASS, 2023: r = f(2023) + (a(2022) − f(2022)), where f(2022) is not the scenario's but the
    # 1,5 % the COG built into the 2022 figures (bnass.yaml, `base_forecast`): the scenario below says
    # f(2022) = 2 %, and the note must cite the fund file for the 1,5 % it used, not the scenario's line.
    from budgetrules.documents.build import explain_document
    from budgetrules.render.messages import note_text

    result = scenario('''
        name: cites
        funds: [BNASS]
        assumptions:
          inflation:
            forecast: {2021: "0.6%", 2022: "2.0%", 2023: "4.2%", 2024: "2.5%"}
            actual: {2021: "1.6%", 2022: "5.3%", 2023: "4.8%", 2024: "1.8%"}
    ''', "cites.yaml")
    (item,) = [c for c in explain_document(result, "BNASS", "PA-F-COL", 2023, "indexation").contributions]
    note = note_text(item)
    # 4,2 + (5,3 − 1,5) = 8 %: the base forecast (bnass.yaml:46), a(2022) (line 6) and f(2023) (line 5)
    assert "r(2023) = 4,2 % + (5,3 % − 1,5 %) = 8 %" in note
    sources = note.split("= 8 % (", 1)[1].split(")", 1)[0].split(", ")
    fund_file = [s for s in sources if s.endswith("funds/canssm-2022-2024/bnass.yaml:46")]
    assert len(fund_file) == 1 and "cites.yaml:5" in sources and "cites.yaml:6" in sources and len(sources) == 3
    assert "(indice 1,08 − 1)" in note  # a number in French style
