"""The budget year as it unfolds (RULES.md, Dates): verdicts judged at their date, the state of the
credits at any date, the statement of origins, what can still move out of a line, chains.
The scenario cases with their arithmetic are in scenarios/dates/; this file checks what a scenario
file cannot say (the statement's rows, the commands' answers) and the properties of dated state."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.cli import main
from budgetrules.core.errors import InputErrors
from budgetrules.core.records import COLUMNS
from budgetrules.engine import run
from budgetrules.io.scenariofile import load_scenario
from budgetrules.model.scenario import event_of

from engine_strategies import FUNDS, load_spec, scenario_specs

HERE = Path(__file__).parents[1]
DATES = HERE.parent / "scenarios" / "dates"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


def test_the_statement_lists_a_line_whose_credits_lapsed():
    result = run(load_scenario(DATES / "statement-lapsed.yaml"))
    rows = [s for s in result.ledger.statement if s.line == "A-I-2-HORS" and s.from_year == 2022]
    # 7 870 000 authorised − 7 670 000 executed = 200 000 unconsumed, eligible, none decided: all lapse
    assert [(s.authorised, s.executed, s.eligible, s.carried, s.lapsed, s.rule) for s in rows] == [
        (D("7870000.00"), D("7670000.00"), D("200000.00"), D("0.00"), D("200000.00"), "R-CARRY-LIMITATIVE")]
    # an evaluative line with unconsumed credits is listed too, with nothing eligible (R-CARRY-EVALUATIVE-NONE):
    # B-I 2022 830 000 authorised, nothing executed → 830 000 lapse
    b_i = next(s for s in result.ledger.statement if s.line == "B-I" and s.from_year == 2022)
    assert (b_i.eligible, b_i.carried, b_i.lapsed, b_i.rule) == (D("0.00"), D("0.00"), D("830000.00"),
                                                                  "R-CARRY-EVALUATIVE-NONE")


def test_run_for_a_year_prints_the_origins_behind_its_decisions():
    # vote-before-carry: 300 000 of A-I-1 2022 carried into 2023; `run --year 2023` lists the origin
    # row 2022 → 2023 (it supports a decision of 2023) as well as the carries out of 2023
    r = cli("run", str(DATES / "vote-before-carry.yaml"), "--year", "2023", "--format", "json")
    doc = json.loads(r.stdout)
    a_i_1 = [(s["from_year"], s["to_year"], s["carried"]) for s in doc["carry_over_statement"] if s["line"] == "A-I-1"]
    assert (2022, 2023, "300000.00") in a_i_1 and any(s[0] == 2023 for s in a_i_1)


def test_run_as_of_shows_the_credits_on_that_date():
    # virement-before-carry: on 2023-03-01 the carry-over of 2023-03-21 is not there yet:
    # A-I-2-INFO authorised 4 700 000, executed 4 700 000 (undated: from 1 January), available 0;
    # on 2023-03-21 it is: 4 900 000, available 200 000
    def state(day: str) -> dict:
        doc = json.loads(cli("run", str(DATES / "virement-before-carry.yaml"), "--as-of", day, "--format",
                             "json").stdout)
        assert doc["as_of"] == day
        bnga = doc["funds"][0]
        assert bnga["years"] == [2023]
        return next(x for x in bnga["lines"] if x["line"] == "A-I-2-INFO")["years"]["2023"]
    before, after = state("2023-03-01"), state("2023-03-21")
    assert (before["authorised"], before["executed"], before["available"]) == ("4700000.00", "4700000.00", "0.00")
    assert (after["authorised"], after["carry_in"], after["available"]) == ("4900000.00", "200000.00", "200000.00")


def test_a_virement_before_its_dm_is_executory_needs_a_dm_still():
    # the DM voted 2023-06-20 and approved 2023-07-01 gives no basis to a virement of 2023-06-15
    r = cli("virement", "BNGA", "A-I-2-HORS", "A-I-1", "100 000", "--date", "2023-06-15", "--dm", "DM-X",
            "--board-vote", "2023-06-20", "--approval", "2023-07-01", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["verdict"] == "requires_dm" and doc["after"]["A-I-1"] == doc["before"]["A-I-1"]
    assert any("n'est exécutoire qu'à son approbation du 2023-07-01" in reason for reason in doc["reasons"])
    assert "R-FUNG-DM" in [x["rule"] for x in doc["rules"]]


def test_virement_warns_of_the_chain_it_would_complete(tmp_path):
    # recorded: A-I-1 → A-I-2-INFO 400 000 on 2023-03-01 (personnel → fonctionnement, notified);
    # asked: A-I-2-INFO → A-I-3-INFO 300 000 (fonctionnement → investissement): permitted with notice
    # alone, but together they move personnel credit into investment (R-FUNG-CHAIN)
    path = tmp_path / "s.yaml"
    path.write_text("name: chain\nfunds: [BNGA]\nevents:\n"
                    "  - {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: \"400 000\","
                    " date: 2023-03-01, notified: 2023-03-05}\n", encoding="utf-8")
    r = cli("virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "300 000", "--date", "2023-06-01", "--scenario",
            str(path), "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["verdict"] == "permitted_with_notice" and doc["chains_with"] == ["s.yaml:4"]  # relative to the scenario's folder
    table = cli("virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "300 000", "--date", "2023-06-01", "--scenario",
                str(path)).stdout
    assert "R-FUNG-CHAIN" in table and "Attention" in table
    # the same virement without the recorded one: no chain
    alone = json.loads(cli("virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "300 000", "--date", "2023-06-01",
                           "--format", "json").stdout)
    assert "chains_with" not in alone


def test_available_answers_the_officer_in_june():
    # the audit sample on 2023-06-15: A-I-1 2023 authorised 36 670 000 + 139 346 (RMPP) + 300 000 (carry,
    # decided 2023-03-21) − 400 000 (virement of 2023-06-01) = 36 709 346; executed 36 500 000 (undated);
    # available 209 346. Later in 2023 nothing else leaves A-I-1, so 209 346 may move.
    sample = HERE.parent / "scenarios" / "audit" / "sample-2022-2024.yaml"
    r = cli("available", "BNGA", "A-I-1", "--date", "2023-06-15", "--scenario", str(sample), "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert (doc["authorised"], doc["executed"], doc["available"], doc["movable"]) == (
        "36709346.00", "36500000.00", "209346.00", "209346.00")
    targets = {t["to"]: t for t in doc["targets"]}
    assert len(targets) == len(FUNDS["BNGA"].leaves) - 1
    info = targets["A-I-2-INFO"]  # personnel → fonctionnement: the director, notice by 15 + 15 days
    assert (info["verdict"], info["rule"], info["authority"], info["notify_by"], info["largest"]) == (
        "permitted_with_notice", "R-FUNG-BNGA-ASYM", "directeur général", "2023-06-30", "209346.00")
    assert targets["A-I-3-INFO"]["verdict"] == "requires_dm"  # personnel → investment: only by DM
    for fmt in ("table", "md", "csv"):
        assert "A-I-2-INFO" in cli("available", "BNGA", "A-I-1", "--date", "2023-06-15", "--scenario", str(sample),
                                   "--format", fmt).stdout


def test_available_on_a_fund_without_notice_has_no_delay_and_no_one_to_notify():
    # BNPPS: no fungibility groups, every virement by DM (R-FUNG-DEFAULT); no delay, no one notified
    doc = json.loads(cli("available", "BNPPS", "MAL-CANSSM", "--date", "2023-03-31", "--format", "json").stdout)
    assert doc["notice"] is None and doc["notify"] is None
    assert {t["verdict"] for t in doc["targets"]} == {"requires_dm"}
    bnga = json.loads(cli("available", "BNGA", "A-I-1", "--date", "2023-03-31", "--format", "json").stdout)
    assert bnga["notice"] == {"count": 15, "unit": "days"}  # « dans les 15 jours qui suivent le virement »


def test_available_refuses_a_subtotal_and_a_date_outside_the_period():
    r = cli("available", "BNGA", "A-I-2", "--date", "2023-06-15")
    assert r.exit_code == 2 and "A-I-2 is a subtotal" in r.stderr
    r = cli("available", "BNGA", "A-I-1", "--date", "2026-01-01")
    assert r.exit_code == 2 and "outside the period of BNGA" in r.stderr


# -- properties of the dated state ---------------------------------------------------------------------
def _leaf_years(result):
    for code, fund in result.funds.items():
        for leaf in fund.leaves:
            for year in fund.years:
                yield code, leaf.code, year


@SETTINGS
@given(scenario_specs())
def test_the_state_on_31_december_is_the_final_state(spec):
    result = run(load_spec(spec), source_checks=False)
    for code, line, year in _leaf_years(result):
        assert result.ledger.row_at(code, line, year, dt.date(year, 12, 31)) == result.ledger.row(code, line, year)


@SETTINGS
@given(scenario_specs(), st.dates(dt.date(2022, 1, 1), dt.date(2024, 12, 31)))
def test_the_credits_at_a_date_never_count_what_comes_after_it(spec, day):
    result = run(load_spec(spec), source_checks=False)
    for code, line, year in _leaf_years(result):
        if year != day.year:
            continue
        counted = [c for c in result.ledger.contributions if (c.fund, c.line, c.year) == (code, line, year)
                   and c.date <= day]
        at = result.ledger.row_at(code, line, year, day)
        for column in ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                       "virements_in", "virements_out", "executed"):
            assert at[column] == sum((c.amount for c in counted if c.column == column), D("0.00"))


@st.composite
def later_event(draw, day: dt.date):
    """An event of `day`'s year dated after `day`: an execution, a virement or a carry-over decision."""
    year = day.year
    later = draw(st.dates(day + dt.timedelta(days=1), dt.date(year, 12, 31)))
    kind = draw(st.sampled_from(["execution", "virement", "carry_over"]))
    amount = D(draw(st.integers(1, 2_000_000_00))) / 100
    if kind == "execution":
        return event_of({"kind": "execution", "year": year, "fund": "BNGA", "line": "A-I-2-HORS", "amount": amount,
                         "date": later}, source="added")
    if kind == "virement":
        return event_of({"kind": "virement", "year": year, "fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO",
                         "amount": amount, "date": later}, source="added")
    return event_of({"kind": "carry_over", "year": year, "fund": "BNGA", "line": "A-I-1", "amount": amount,
                     "decided_on": later}, source="added")


@SETTINGS
@given(scenario_specs(), st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 30)).filter(lambda d: (d.month, d.day) != (12, 31)),
       st.data())
def test_an_event_dated_after_a_day_never_changes_the_state_on_that_day(spec, day, data):
    scenario = load_spec(spec)
    added = data.draw(later_event(day))
    before = run(scenario, source_checks=False)
    after = run(dataclasses.replace(scenario, events=[*scenario.events, added]), source_checks=False)
    for code, line, year in _leaf_years(before):
        if year == day.year:
            assert after.ledger.row_at(code, line, year, day) == before.ledger.row_at(code, line, year, day), \
                (code, line, year, day, added)


def test_columns_are_the_same_at_any_date():
    assert list(run(load_scenario(DATES / "statement-lapsed.yaml")).ledger.row_at("BNGA", "A-I-1", 2023,
                                                                                   dt.date(2023, 6, 1))) == list(COLUMNS)


def test_a_quoted_iso_date_is_the_date_it_spells(scenario):
    # JSON has no dates and spreadsheets quote them: "2023-06-01" is 1 June 2023, as 2023-06-01 is.
    # A-I-1 → A-I-2-INFO, 10 000 € on 2023-06-01, notice sent 2023-06-05 (due by 2023-06-16): regular.
    quoted = scenario('''
        name: quoted
        funds: [BNGA]
        assumptions: none
        events:
          - {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: "10 000",
             date: "2023-06-01", notified: "2023-06-05"}
    ''')
    row = quoted.row("BNGA", "A-I-2-INFO", 2023)
    assert row["virements_in"] == D("10000.00")
    assert not [f for f in quoted.findings if f.rule == "R-FUNG-NOTICE-LATE"]
    assert quoted.row("BNGA", "A-I-2-INFO", 2023, dt.date(2023, 5, 31))["virements_in"] == 0  # not before its date


@pytest.mark.parametrize("written, message", [
    ('"01/06/2023"', "date: '01/06/2023' is not a date (write YYYY-MM-DD)"),
    ('"2023-02-30"', "date: '2023-02-30' is not a valid date (day is out of range for month)"),
    ('"2023-06-01 10:00:00"', "date: '2023-06-01 10:00:00' is a date with a time: write the date alone"),
])
def test_a_quoted_text_that_is_not_a_date_is_refused_with_its_line(scenario, written, message):
    with pytest.raises(InputErrors) as info:
        scenario(f'''
            name: quoted
            funds: [BNGA]
            events:
              - {{kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: "10 000",
                 date: {written}}}
        ''')
    (problem,) = info.value.problems
    assert problem.line == 5 and problem.message.startswith(message), problem  # the line of `date:`


def test_available_and_virement_write_a_workbook(tmp_path):
    import openpyxl

    # the audit sample on 2023-06-15: 209 346 € may leave A-I-1 (test_available_answers_the_officer_in_june)
    sample = HERE.parent / "scenarios" / "audit" / "sample-2022-2024.yaml"
    r = cli("available", "BNGA", "A-I-1", "--date", "2023-06-15", "--scenario", str(sample), "-o", str(tmp_path / "a.xlsx"))
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    targets = {row[0]: row for row in book["targets"].iter_rows(min_row=2, values_only=True)}
    assert targets["A-I-2-INFO"][2:5] == ("permitted_with_notice", "R-FUNG-BNGA-ASYM", 209346)
    r = cli("virement", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--date", "2023-06-01", "-o", str(tmp_path / "v.xlsx"))
    assert r.exit_code == 0 and "verdict" in openpyxl.load_workbook(tmp_path / "v.xlsx").sheetnames
