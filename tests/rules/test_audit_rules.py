"""One test per audit rule: each fires on the irregular case and stays silent on its regular twin
(figures by hand, under the central assumptions of scenarios/central.yaml); then, by hypothesis,
a scenario built only from legal decisions yields no error finding, and adding one illegal decision
yields exactly the finding for it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.engine import Result, run
from budgetrules.io.paths import central_scenario
from budgetrules.model.scenario import event_of
from budgetrules.io.scenariofile import load_scenario
from budgetrules.render.messages import finding_text

CENTRAL = load_scenario(central_scenario())
FUNDS = CENTRAL.funds
D = Decimal

ASSUMPTIONS = """\
assumptions:
  inflation:
    forecast: {2021: "0.6%", 2022: "1.5%", 2023: "4.2%", 2024: "2.5%"}
    actual:   {2021: "1.6%", 2022: "5.3%", 2023: "4.8%", 2024: "1.8%"}
  rmpp:
    cog: {2022: "1.5%", 2023: "1.5%", 2024: "1.5%"}
    set: {2022: "1.88%", 2023: "1.5%", 2024: "1.5%"}
"""


def audit(tmp_path, events: str, extra: str = "") -> Result:
    """Run a scenario made of the central assumptions and `events` (YAML list items)."""
    path = tmp_path / "case.yaml"
    path.write_text("name: cas\n" + extra + ASSUMPTIONS + "events:\n" + textwrap.indent(textwrap.dedent(events), "  "),
                    encoding="utf-8")
    return run(load_scenario(path, funds=FUNDS), source_checks=False)


def found(result: Result, rule: str, severity: str | None = None) -> set[tuple]:
    return {(f.severity, f.fund, f.year, f.line, f.amount) for f in result.findings
            if f.rule == rule and (severity is None or f.severity == severity)}


def errors(result: Result) -> set[tuple]:
    return {(f.rule, f.fund, f.year, f.line, f.amount) for f in result.findings if f.severity == "error"}


# == R-LIMITATIVE-CEILING =======================================================================
# authorised 2022 (central): A-I-2-HORS 7 870 000; A-I-1 37 330 000 × 1,0038 = 37 471 854;
# PA-K-COL 4 000 000; BNPPS MAL-CANSSM 2 255 500 × 1,025 = 2 311 887,50; III-CGSS 230 000.
@pytest.mark.parametrize("fund,line,authorised", [("BNGA", "A-I-2-HORS", "7870000.00"), ("BNGA", "A-I-1", "37471854.00"),
                                                  ("BNGA", "III-CGSS", "230000.00"), ("BNASS", "PA-K-COL", "4000000.00"),
                                                  ("BNPPS", "MAL-CANSSM", "2311887.50")])
def test_limitative_ceiling(tmp_path, fund, line, authorised):
    over = audit(tmp_path, f'- {{kind: execution, year: 2022, fund: {fund}, line: {line}, amount: "{D(authorised) + D("0.01")}"}}\n')
    assert found(over, "R-LIMITATIVE-CEILING") == {("error", fund, 2022, line, D("0.01"))}
    exact = audit(tmp_path, f'- {{kind: execution, year: 2022, fund: {fund}, line: {line}, amount: "{authorised}"}}\n')
    assert found(exact, "R-LIMITATIVE-CEILING") == set() and errors(exact) == set()


def test_limitative_ceiling_counts_the_virements(tmp_path):
    # A-I-2-INFO 2023: 4 700 000 + 400 000 received = 5 100 000 may be executed
    events = """\
    - {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: "400 000", date: 2023-06-01, notified: 2023-06-05}
    - {kind: execution, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "%s"}
    """
    assert errors(audit(tmp_path, events % "5 100 000")) == set()
    assert found(audit(tmp_path, events % "5 100 000,01"), "R-LIMITATIVE-CEILING") == {
        ("error", "BNGA", 2023, "A-I-2-INFO", D("0.01"))}


# == R-EVALUATIVE-INDICATIVE (info, never an error) ================================================
@pytest.mark.parametrize("fund,line,authorised", [("BNGA", "B-I", "830000.00"), ("BNGA", "II-GA-SIEGE", "14090000.00"),
                                                  ("BNASS", "PA-F-IND", "18872815.00"), ("BNPPS", "MAL-EVAL", "450000.00")])
def test_evaluative_indicative(tmp_path, fund, line, authorised):
    over = audit(tmp_path, f'- {{kind: execution, year: 2022, fund: {fund}, line: {line}, amount: "{D(authorised) + 1000}"}}\n')
    assert found(over, "R-EVALUATIVE-INDICATIVE") == {("info", fund, 2022, line, D("1000.00"))}
    assert errors(over) == set()
    exact = audit(tmp_path, f'- {{kind: execution, year: 2022, fund: {fund}, line: {line}, amount: "{authorised}"}}\n')
    assert found(exact, "R-EVALUATIVE-INDICATIVE") == set()


# == R-CARRY-EVALUATIVE-NONE =====================================================================
@pytest.mark.parametrize("fund,line", [("BNGA", "B-II-1"), ("BNGA", "II-GA-REGION"), ("BNASS", "MAL-F-IND"),
                                       ("BNPPS", "MAL-EVAL")])
def test_carry_evaluative_none(tmp_path, fund, line):
    r = audit(tmp_path, f'- {{kind: carry_over, year: 2023, fund: {fund}, line: {line}, amount: "1 000"}}\n')
    assert found(r, "R-CARRY-EVALUATIVE-NONE") == {("error", fund, 2023, line, D("1000.00"))}
    assert r.row(fund, line, 2023)["carry_in"] == 0


def test_carry_evaluative_none_twin_limitative_line(tmp_path):
    r = audit(tmp_path, '- {kind: carry_over, year: 2023, fund: BNGA, line: A-I-2-HORS, amount: "1 000"}\n')
    assert errors(r) == set()
    assert r.row("BNGA", "A-I-2-HORS", 2023)["carry_in"] == D("1000.00")


def test_reserve_never_carries(tmp_path):
    r = audit(tmp_path, '- {kind: carry_over, year: 2023, fund: BNGA, line: II-RESERVE, amount: "1"}\n')
    assert {x[0] for x in errors(r)} == {"R-RESERVE-LAPSE"}
    assert r.row("BNGA", "II-RESERVE", 2023)["carry_in"] == 0


# == R-CARRY-LIMITATIVE (above the eligible amount) =================================================
CARRY = """\
- {kind: execution, year: 2022, fund: BNGA, line: A-I-2-INFO, amount: "4 500 000"}
- {kind: carry_over, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "%s"}
"""


def test_carry_limitative_above_eligible(tmp_path):
    # eligible = 4 700 000 − 4 500 000 = 200 000
    r = audit(tmp_path, CARRY % "200 000,01")
    assert found(r, "R-CARRY-LIMITATIVE") == {("error", "BNGA", 2023, "A-I-2-INFO", D("0.01"))}
    assert r.row("BNGA", "A-I-2-INFO", 2023)["carry_in"] == D("200000.00")  # only the eligible amount


def test_carry_limitative_within_eligible(tmp_path):
    r = audit(tmp_path, CARRY % "200 000")
    assert errors(r) == set()
    assert r.row("BNGA", "A-I-2-INFO", 2023)["carry_in"] == D("200000.00")
    assert r.row("BNGA", "A-I-2-INFO", 2022)["lapsed"] == 0


def test_carry_limitative_decisions_add_up(tmp_path):
    events = CARRY % "150 000" + '- {kind: carry_over, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "60 000"}\n'
    r = audit(tmp_path, events)
    assert found(r, "R-CARRY-LIMITATIVE") == {("error", "BNGA", 2023, "A-I-2-INFO", D("10000.00"))}
    assert r.row("BNGA", "A-I-2-INFO", 2023)["carry_in"] == D("200000.00")


def test_carry_limitative_from_an_overspent_line(tmp_path):
    events = ('- {kind: execution, year: 2022, fund: BNPPS, line: ATMP-CANSSM, amount: "102 500,01"}\n'
              '- {kind: carry_over, year: 2023, fund: BNPPS, line: ATMP-CANSSM, amount: "1"}\n')
    assert errors(audit(tmp_path, events)) == {("R-LIMITATIVE-CEILING", "BNPPS", 2022, "ATMP-CANSSM", D("0.01")),
                                               ("R-CARRY-LIMITATIVE", "BNPPS", 2023, "ATMP-CANSSM", D("1.00"))}


# == R-CARRY-LAST-YEAR ==========================================================================
@pytest.mark.parametrize("fund,line", [("BNGA", "A-I-1"), ("BNGA", "A-I-2-HORS"), ("BNPPS", "MAL-CANSSM"),
                                       ("BNASS", "PA-F-COL")])
def test_carry_last_year(tmp_path, fund, line):
    r = audit(tmp_path, f'- {{kind: carry_over, year: 2025, fund: {fund}, line: {line}, amount: "1 000"}}\n')
    assert found(r, "R-CARRY-LAST-YEAR") == {("error", fund, 2025, line, D("1000.00"))}
    assert r.row(fund, line, 2024)["carry_out"] == 0


def test_carry_into_the_last_year_is_regular(tmp_path):
    r = audit(tmp_path, '- {kind: carry_over, year: 2024, fund: BNGA, line: A-I-2-HORS, amount: "1 000"}\n')
    assert errors(r) == set() and found(r, "R-CARRY-LAST-YEAR") == set()
    assert r.row("BNGA", "A-I-2-HORS", 2024)["carry_in"] == D("1000.00")


# == R-CARRY-CP-AP / R-AP-CANCEL ==================================================================
# A-I-3-HORS, nothing executed in 2022: 2 210 000 carried into 2023 (R-CARRY-BNGA-CP);
# 2023: 2 150 000 + 2 210 000 = 4 360 000, 300 000 executed, 4 060 000 carried;
# 2024: 2 100 000 + 4 060 000 = 6 160 000, 200 000 executed, 5 960 000 unconsumed.
# AP of 1 000 000 decided in 2023: remains 1 000 000 − 300 000 − 200 000 = 500 000 → carried beyond.
AP = """\
- {kind: execution, year: 2023, fund: BNGA, line: A-I-3-HORS, amount: "300 000"}
- {kind: execution, year: 2024, fund: BNGA, line: A-I-3-HORS, amount: "200 000"}
- {kind: programme_authorisation, year: 2023, fund: BNGA, line: A-I-3-HORS, amount: "1 000 000", ref: AP-1%s}
"""


def test_carry_cp_ap_decided(tmp_path):
    r = audit(tmp_path, AP % ", board_decision: 2023-02-14")
    assert errors(r) == set() and found(r, "R-AP-CANCEL") == set()
    assert r.row("BNGA", "A-I-3-HORS", 2024)["carry_out"] == D("500000.00")
    assert r.row("BNGA", "A-I-3-HORS", 2024)["lapsed"] == D("5460000.00")
    assert [(b.line, b.year, b.column, b.amount, b.rule) for b in r.ledger.beyond] == [
        ("A-I-3-HORS", 2025, "carry_in", D("500000.00"), "R-CARRY-CP-AP")]


def test_ap_not_decided_is_cancelled(tmp_path):
    r = audit(tmp_path, AP % "")
    assert found(r, "R-AP-CANCEL") == {("info", "BNGA", 2024, "A-I-3-HORS", D("1000000.00"))}
    assert r.row("BNGA", "A-I-3-HORS", 2024)["carry_out"] == 0
    assert r.ledger.beyond == []


def test_carry_cp_ap_capped_by_what_is_unconsumed(tmp_path):
    # a 10 M€ AP: remains 9 500 000, but only 5 960 000 CP are unconsumed in 2024
    r = audit(tmp_path, (AP % ", board_decision: 2023-02-14").replace('"1 000 000"', '"10 000 000"'))
    assert r.row("BNGA", "A-I-3-HORS", 2024)["carry_out"] == D("5960000.00")


# == R-RECEIPT-NONCASH ===========================================================================
@pytest.mark.parametrize("cls", [1, 2])
def test_noncash_class_1_or_2(tmp_path, cls):
    r = audit(tmp_path, f'- {{kind: noncash_product, year: 2023, fund: BNGA, line: A-I-2-HORS, amount: "40 000", '
                        f'counterpart_class: {cls}}}\n')
    assert errors(r) == set()
    assert r.row("BNGA", "A-I-2-HORS", 2023)["receipts"] == D("40000.00")


@pytest.mark.parametrize("cls", [3, 4, 6, 7])
def test_noncash_wrong_class(tmp_path, cls):
    r = audit(tmp_path, f'- {{kind: noncash_product, year: 2023, fund: BNGA, line: A-I-2-HORS, amount: "40 000", '
                        f'counterpart_class: {cls}}}\n')
    assert errors(r) == {("R-RECEIPT-NONCASH", "BNGA", 2023, "A-I-2-HORS", D("40000.00"))}
    assert r.row("BNGA", "A-I-2-HORS", 2023)["receipts"] == 0


# == R-RESERVE-USE ===============================================================================
FUND_RESERVE = ('- {kind: virement, year: 2023, fund: BNGA, from: II-GA-SIEGE, to: II-RESERVE, amount: "250 000", '
                'date: 2023-03-15, dm: {ref: DM-1, board_vote: 2023-03-01, approval: 2023-03-12}}\n')


def test_reserve_use_authorised_and_funded(tmp_path):
    r = audit(tmp_path, FUND_RESERVE + '- {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-2-INFO, '
                                       'amount: "250 000", date: 2023-09-10, authorised_on: 2023-09-10}\n')
    assert errors(r) == set()
    assert found(r, "R-RESERVE-USE") == {("info", "BNGA", 2023, "A-I-2-INFO", D("250000.00"))}  # the board is informed
    assert r.row("BNGA", "A-I-2-INFO", 2023)["reserve_in"] == D("250000.00")
    assert r.row("BNGA", "II-RESERVE", 2023)["reserve_in"] == D("-250000.00")
    assert r.row("BNGA", "II-RESERVE", 2023)["authorised"] == 0


@pytest.mark.parametrize("authorisation", ["", ", authorised_on: 2023-09-11"], ids=["none", "after-the-use"])
def test_reserve_use_without_prior_authorisation(tmp_path, authorisation):
    r = audit(tmp_path, FUND_RESERVE + '- {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-2-INFO, '
                                       f'amount: "100 000", date: 2023-09-10{authorisation}}}\n')
    assert errors(r) == {("R-RESERVE-USE", "BNGA", 2023, "A-I-2-INFO", D("100000.00"))}
    assert r.row("BNGA", "A-I-2-INFO", 2023)["reserve_in"] == 0


def test_reserve_use_above_holdings(tmp_path):
    r = audit(tmp_path, FUND_RESERVE + '- {kind: reserve_use, year: 2023, fund: BNGA, to_line: A-I-2-INFO, '
                                       'amount: "250 000,01", date: 2023-09-10, authorised_on: 2023-09-01}\n')
    assert errors(r) == {("R-RESERVE-USE", "BNGA", 2023, "A-I-2-INFO", D("0.01"))}
    assert r.row("BNGA", "A-I-2-INFO", 2023)["reserve_in"] == 0


def test_reserve_use_of_the_bare_cog_reserve(tmp_path):
    # the COG programmes 0,00 € a year: without a DM or a receipt there is nothing to use
    r = audit(tmp_path, '- {kind: reserve_use, year: 2022, fund: BNGA, to_line: A-I-2-HORS, amount: "1", '
                        'date: 2022-05-02, authorised_on: 2022-05-01}\n')
    assert errors(r) == {("R-RESERVE-USE", "BNGA", 2022, "A-I-2-HORS", D("1.00"))}


def test_reserve_lapses_at_the_end_of_the_year(tmp_path):
    r = audit(tmp_path, FUND_RESERVE)
    assert r.row("BNGA", "II-RESERVE", 2023)["lapsed"] == D("250000.00")
    assert r.row("BNGA", "II-RESERVE", 2024)["carry_in"] == 0


# == R-FUNG-* ====================================================================================
@pytest.mark.parametrize("fund,source,target,rule", [("BNGA", "A-I-2-HORS", "A-I-1", "R-FUNG-BNGA-OTHER"),
                                                     ("BNGA", "A-I-1", "A-I-3-INFO", "R-FUNG-BNGA-OTHER"),
                                                     ("BNGA", "A-II-1", "A-II-2", "R-FUNG-BNGA-OTHER"),
                                                     ("BNASS", "PA-F-COL", "PA-K-COL", "R-FUNG-BNASS-COL"),
                                                     ("BNASS", "PA-F-IND", "MAL-F-IND", "R-FUNG-ANGDM"),
                                                     ("BNPPS", "MAL-CANSSM", "ATMP-CANSSM", "R-FUNG-DEFAULT")])
def test_virement_needing_a_dm(tmp_path, fund, source, target, rule):
    base = f'- {{kind: virement, year: 2023, fund: {fund}, from: {source}, to: {target}, amount: "10 000", date: 2023-05-02'
    missing = audit(tmp_path, base + "}\n")
    assert errors(missing) == {(rule, fund, 2023, source, D("10000.00"))}
    assert missing.row(fund, target, 2023)["virements_in"] == 0
    with_dm = audit(tmp_path, base + ", dm: {ref: DM-1, board_vote: 2023-04-20, approval: 2023-04-28}}\n")
    assert errors(with_dm) == set()
    assert with_dm.row(fund, target, 2023)["virements_in"] == D("10000.00")
    assert with_dm.row(fund, source, 2023)["virements_out"] == D("10000.00")


def test_dm_approved_before_the_vote(tmp_path):
    r = audit(tmp_path, '- {kind: virement, year: 2023, fund: BNGA, from: A-I-2-HORS, to: A-I-1, amount: "10 000", '
                        'date: 2023-05-02, dm: {ref: DM-1, board_vote: 2023-04-20, approval: 2023-04-19}}\n')
    assert errors(r) == {("R-FUNG-DM", "BNGA", 2023, "A-I-2-HORS", D("10000.00"))}
    assert r.row("BNGA", "A-I-1", 2023)["virements_in"] == 0


def test_dm_not_yet_approved(tmp_path):
    r = audit(tmp_path, '- {kind: virement, year: 2023, fund: BNGA, from: A-I-2-HORS, to: A-I-1, amount: "10 000", '
                        'date: 2023-05-02, dm: {ref: DM-1, board_vote: 2023-04-20}}\n')
    assert errors(r) == set()
    assert found(r, "R-FUNG-DM") == {("warning", "BNGA", 2023, "A-I-2-HORS", D("10000.00"))}
    assert r.row("BNGA", "A-I-1", 2023)["virements_in"] == 0


NOTICE = ('- {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: "400 000", '
          'date: 2023-06-01%s}\n')


def test_notice_late(tmp_path):
    r = audit(tmp_path, NOTICE % ", notified: 2023-06-17")  # deadline 2023-06-16
    assert errors(r) == {("R-FUNG-NOTICE-LATE", "BNGA", 2023, "A-I-1", D("400000.00"))}
    assert r.row("BNGA", "A-I-2-INFO", 2023)["virements_in"] == D("400000.00")  # made, though notified late


def test_notice_on_the_fifteenth_day(tmp_path):
    r = audit(tmp_path, NOTICE % ", notified: 2023-06-16")
    assert errors(r) == set()
    assert found(r, "R-FUNG-BNGA-ASYM") == set() and found(r, "R-FUNG-NOTICE-LATE") == set()


def test_notice_missing_after_its_deadline_is_an_error(tmp_path):
    # RULES.md, Dates: a notice is judged at the audit's date (default 2025-01-01, the day after the
    # period): due 2023-06-16 and never received → R-FUNG-NOTICE-LATE error; the virement stands
    r = audit(tmp_path, NOTICE % "")
    assert errors(r) == {("R-FUNG-NOTICE-LATE", "BNGA", 2023, "A-I-1", D("400000.00"))}
    assert found(r, "R-FUNG-BNGA-ASYM") == set()
    assert r.row("BNGA", "A-I-2-INFO", 2023)["virements_in"] == D("400000.00")


@pytest.mark.parametrize("audit_date, severity, key", [
    ("2023-06-10", "info", "virement.notice_due"),            # sent on the 17th: not yet, and still due by the 16th
    ("2023-06-16", "info", "virement.notice_due"),            # the last day of the delay
    ("2023-06-17", "error", "virement.notice_not_received"),  # the day it was sent: the audit saw it was late …
    ("2023-06-18", "error", "virement.notice_late"),          # … and from the next day, sent one day late
])
def test_a_notice_sent_after_the_audit_s_date_is_not_known_at_it(tmp_path, audit_date, severity, key):
    # virement of 2023-06-01, notice due by 2023-06-16 (« dans les 15 jours qui suivent le virement »),
    # sent on 2023-06-18 per the scenario; an audit judges what had been sent by its date (RULES.md, Dates)
    path = tmp_path / "case.yaml"
    path.write_text("name: cas\n" + ASSUMPTIONS + "events:\n  " + NOTICE % ", notified: 2023-06-18", encoding="utf-8")
    r = run(load_scenario(path, funds=FUNDS), source_checks=False, audit_date=dt.date.fromisoformat(audit_date))
    (finding,) = [f for f in r.findings if f.rule == "R-FUNG-NOTICE-LATE"]
    assert (finding.severity, finding.key) == (severity, key)


def test_no_notice_needed_within_a_group(tmp_path):
    r = audit(tmp_path, '- {kind: virement, year: 2023, fund: BNGA, from: A-I-2-INFO, to: A-I-2-HORS, '
                        'amount: "400 000", date: 2023-06-01}\n')
    assert errors(r) == set() and {f.severity for f in r.findings} <= {"info"}


CHAIN = """\
- {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-2-HORS, amount: "400 000", date: 2023-06-01, notified: 2023-06-02}
- {kind: virement, year: %s, fund: BNGA, from: A-I-2-HORS, to: A-I-3-HORS, amount: "250 000", date: %s-09-05, notified: %s-09-06}
"""


def test_chain_personnel_to_investment_is_a_warning(tmp_path):
    r = audit(tmp_path, CHAIN % (2023, 2023, 2023))
    assert errors(r) == set()
    assert found(r, "R-FUNG-CHAIN") == {("warning", "BNGA", 2023, "A-I-1", D("250000.00"))}  # min(400 000, 250 000)


def test_no_chain_across_years(tmp_path):
    r = audit(tmp_path, CHAIN % (2024, 2024, 2024))
    assert found(r, "R-FUNG-CHAIN") == set()


def test_no_chain_through_a_dm(tmp_path):
    events = ('- {kind: virement, year: 2023, fund: BNGA, from: A-I-1, to: A-I-3-HORS, amount: "400 000", '
              'date: 2023-06-01, dm: {ref: DM-1, board_vote: 2023-05-20, approval: 2023-05-30}}\n')
    r = audit(tmp_path, events)
    assert found(r, "R-FUNG-CHAIN") == set() and errors(r) == set()


def test_virement_above_available_is_refused(tmp_path):
    # A-I-2-INFO 2023: 4 700 000 − 4 600 000 executed = 100 000 available
    events = ('- {kind: execution, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "4 600 000"}\n'
              '- {kind: virement, year: 2023, fund: BNGA, from: A-I-2-INFO, to: A-I-2-HORS, amount: "%s", date: 2023-05-02}\n')
    assert errors(audit(tmp_path, events % "100 000,01")) == {
        ("R-FUNG-INSUFFICIENT", "BNGA", 2023, "A-I-2-INFO", D("0.01"))}
    assert errors(audit(tmp_path, events % "100 000")) == set()


# == R-VOTE-CONFORMITY ===========================================================================
VOTE = ('- {kind: budget_vote, year: 2023, fund: %s, budget: rectificatif, voted_on: 2023-06-27, '
        'lines: {%s: "%s"}}\n')


@pytest.mark.parametrize("fund,line,authorised", [
    ("BNGA", "A-I-1", "36809346.00"),        # 36 670 000 × 1,0038
    ("BNGA", "A-I-2", "12490000.00"),        # subtotal: 4 700 000 + 7 790 000
    ("BNASS", "PA-F-COL", "3389788.00"),     # 2 306 100 + 184 488 + 899 200 carried
    ("BNPPS", "ATMP-CANSSM", "110700.00"),   # 100 000 × 1,107
])
def test_vote_conformity(tmp_path, fund, line, authorised):
    above = audit(tmp_path, VOTE % (fund, line, D(authorised) + D("0.01")))
    assert errors(above) == {("R-VOTE-CONFORMITY", fund, 2023, line, D("0.01"))}
    within = audit(tmp_path, VOTE % (fund, line, authorised))
    assert errors(within) == set()
    assert found(within, "R-VOTE-CONFORMITY") == {("info", fund, 2023, None, None)}  # approval deemed acquired


# == R-VOTE-CALENDAR =============================================================================
@pytest.mark.parametrize("budget,voted_on,ok", [
    ("primitif", "2022-12-30", True), ("primitif", "2022-01-03", True), ("primitif", "2023-01-02", False),
    ("primitif", "2021-12-15", False), ("rectificatif", "2023-01-02", True), ("rectificatif", "2023-12-31", True),
    ("rectificatif", "2022-12-20", False), ("rectificatif", "2024-01-05", False)])
def test_vote_calendar(tmp_path, budget, voted_on, ok):
    r = audit(tmp_path, f'- {{kind: budget_vote, year: 2023, fund: BNGA, budget: {budget}, voted_on: {voted_on}, '
                        'lines: {A-I-1: "36 000 000"}}\n')
    assert errors(r) == (set() if ok else {("R-VOTE-CALENDAR", "BNGA", 2023, None, None)})


# == R-FNMO-CALENDAR =============================================================================
@pytest.mark.parametrize("budget,voted_on,ok", [
    ("primitif", "2023-06-30", True), ("primitif", "2023-01-10", True), ("primitif", "2023-07-01", False),
    ("primitif", "2022-12-15", False), ("rectificatif", "2023-12-30", True), ("rectificatif", "2023-12-31", False),
    ("rectificatif", "2024-01-10", False)])
def test_fnmo_calendar(tmp_path, budget, voted_on, ok):
    r = audit(tmp_path, f'- {{kind: budget_vote, year: 2023, fund: FNMO, budget: {budget}, voted_on: {voted_on}, '
                        'received_on: 2024-01-12, lines: {}}\n')
    assert errors(r) == (set() if ok else {("R-FNMO-CALENDAR", "FNMO", 2023, None, None)})


def test_fnmo_executory_date(tmp_path):
    r = audit(tmp_path, '- {kind: budget_vote, year: 2023, fund: FNMO, budget: primitif, voted_on: 2023-06-15, '
                        'received_on: 2023-06-19, lines: {}}\n')
    infos = [finding_text(f) for f in r.findings if f.rule == "R-FNMO-CALENDAR"]
    assert len(infos) == 1 and "exécutoire le 2023-07-09" in infos[0]  # 20 days after receipt
    missing = audit(tmp_path, '- {kind: budget_vote, year: 2023, fund: FNMO, budget: primitif, voted_on: 2023-06-15, '
                              'lines: {}}\n')
    assert found(missing, "R-FNMO-CALENDAR") == {("warning", "FNMO", 2023, None, None)}


# == R-FNMO-RESERVE ==============================================================================
# opening 58 371 718,99 (31/12/2020); nothing in 2021; 2022 resources 1 000 000.
FNMO = """\
- {kind: fnmo_resource, year: 2022, resource: cessions, amount: "1 000 000"}
- {kind: fnmo_expense, year: 2022, line: INV, amount: "50 000 000"}
- {kind: fnmo_expense, year: 2022, line: DEF, amount: "%s"}
"""


def test_fnmo_expenses_within_the_reserve(tmp_path):
    r = audit(tmp_path, FNMO % "9 371 718,99")  # 59 371 718,99 exactly
    assert errors(r) == set()
    assert r.reserve_statements["FNMO"][1].closing == 0


def test_fnmo_expenses_above_the_reserve(tmp_path):
    r = audit(tmp_path, FNMO % "9 371 719,00")
    assert ("R-FNMO-RESERVE", "FNMO", 2022, None, D("0.01")) in errors(r)
    assert r.reserve_statements["FNMO"][1].closing == D("-0.01")


def test_fnmo_expenses_above_the_reserve_in_the_last_year(tmp_path):
    r = audit(tmp_path, (FNMO % "9 371 719,00").replace("year: 2022", "year: 2024"))
    assert errors(r) == {("R-FNMO-RESERVE", "FNMO", 2024, None, D("0.01"))}


def test_fnmo_overdraft_is_reported_once(tmp_path):
    r = audit(tmp_path, FNMO % "9 371 719,00")
    assert errors(r) == {("R-FNMO-RESERVE", "FNMO", 2022, None, D("0.01"))}


# == hypothesis: legal decisions only, then one illegal decision ======================================
YEARS = (2022, 2023, 2024)
BNGA_LIMITATIVE = ("A-I-1", "A-I-2-INFO", "A-I-2-HORS", "A-I-3-INFO", "A-I-3-HORS", "A-II-1", "A-II-2", "III-CGSS")
BNGA_ALLOWED = [("A-I-1", "A-I-2-INFO"), ("A-I-1", "A-I-2-HORS"), ("A-I-2-INFO", "A-I-2-HORS"),
                ("A-I-2-HORS", "A-I-2-INFO"), ("A-I-2-INFO", "A-I-3-INFO"), ("A-I-2-HORS", "A-I-3-HORS"),
                ("A-I-3-INFO", "A-I-3-HORS"), ("A-I-3-HORS", "A-I-3-INFO")]
BNASS_ALLOWED = [(a, b) for a in ("PA-F-COL", "MAL-F-COL", "ATMP-F-COL")
                 for b in ("PA-F-COL", "MAL-F-COL", "ATMP-F-COL") if a != b]
# lines the legal generator leaves alone, so that an illegal decision on them has no knock-on effect
UNTOUCHED = {("BNGA", "III-CGSS"), ("BNASS", "PA-K-COL"), ("BNASS", "MAL-K-COL")}
CARRY_LINES = [("BNGA", c) for c in ("A-I-1", "A-I-2-INFO", "A-I-2-HORS", "A-II-1", "A-II-2")] + \
              [("BNPPS", "MAL-CANSSM"), ("BNPPS", "ATMP-CANSSM")]


def base(fund: str, line: str, year: int) -> Decimal:
    return FUNDS[fund].base(line, year)


def share(amount: Decimal, pct: int) -> Decimal:
    return (amount * pct / 100).quantize(Decimal("0.01"))


def a_day(draw, year: int, last: int = 364) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, last)))


@st.composite
def legal_execution(draw):
    fund = draw(st.sampled_from(["BNGA", "BNASS", "BNPPS"]))
    line = draw(st.sampled_from([ln for ln in FUNDS[fund].leaves]))
    year = draw(st.sampled_from(YEARS))
    # limitative: at most half of the COG amount; evaluative: anything up to 150 % (an info)
    # (II-GA-SIEGE funds the reserve by DM in legal_reserve: it keeps half of its credit too)
    pct = draw(st.integers(0, 50 if line.character == "limitative" or line.code == "II-GA-SIEGE" else 150))
    return {"kind": "execution", "year": year, "fund": fund, "line": line.code,
            "amount": share(base(fund, line.code, year), pct)}


@st.composite
def legal_virement(draw):
    fund = draw(st.sampled_from(["BNGA", "BNASS"]))
    source, target = draw(st.sampled_from(BNGA_ALLOWED if fund == "BNGA" else BNASS_ALLOWED))
    year = draw(st.sampled_from(YEARS))
    day = a_day(draw, year)
    return {"kind": "virement", "year": year, "fund": fund, "from": source, "to": target,
            "amount": max(share(base(fund, source, year), draw(st.integers(0, 5))), Decimal("0.01")),
            "date": day, "notified": day + dt.timedelta(days=draw(st.integers(0, 15)))}


@st.composite
def legal_carry(draw):
    fund, line = draw(st.sampled_from(CARRY_LINES))
    year = draw(st.sampled_from((2023, 2024)))
    return {"kind": "carry_over", "year": year, "fund": fund, "line": line,
            "amount": max(share(base(fund, line, year - 1), draw(st.integers(0, 4))), Decimal("0.01"))}


@st.composite
def legal_vote(draw):
    fund = draw(st.sampled_from(["BNGA", "BNASS", "BNPPS"]))
    year = draw(st.sampled_from(YEARS))
    budget = draw(st.sampled_from(["primitif", "rectificatif"]))
    voted = a_day(draw, year - 1 if budget == "primitif" else year)
    codes = draw(st.lists(st.sampled_from([ln.code for ln in FUNDS[fund].leaves if ln.character == "limitative"
                                           and (fund, ln.code) not in UNTOUCHED]), max_size=3, unique=True))
    return {"kind": "budget_vote", "year": year, "fund": fund, "budget": budget, "voted_on": voted,
            "lines": {c: share(base(fund, c, year), draw(st.integers(0, 50))) for c in codes}}


@st.composite
def legal_noncash(draw):
    year = draw(st.sampled_from(YEARS))
    return {"kind": "noncash_product", "year": year, "fund": "BNGA", "line": draw(st.sampled_from(BNGA_LIMITATIVE[:3])),
            "amount": Decimal(draw(st.integers(1, 100_000))).quantize(Decimal("0.01")),
            "counterpart_class": draw(st.sampled_from([1, 2]))}


@st.composite
def legal_reserve(draw):
    """A DM funds the reserve, then an authorised use draws at most what it holds."""
    year = draw(st.sampled_from(YEARS))
    funded = Decimal(draw(st.integers(1, 500_000))).quantize(Decimal("0.01"))
    d1 = a_day(draw, year, 300)
    d2 = d1 + dt.timedelta(days=draw(st.integers(1, 60)))
    return [{"kind": "virement", "year": year, "fund": "BNGA", "from": "II-GA-SIEGE", "to": "II-RESERVE",
             "amount": funded, "date": d1, "dm": {"ref": "DM-R", "board_vote": d1 - dt.timedelta(days=10),
                                                  "approval": d1 - dt.timedelta(days=2)}},
            {"kind": "reserve_use", "year": year, "fund": "BNGA", "to_line": draw(st.sampled_from(BNGA_LIMITATIVE[:3])),
             "amount": share(funded, draw(st.integers(1, 100))) or Decimal("0.01"), "date": d2,
             "authorised_on": d2 - dt.timedelta(days=draw(st.integers(0, 30)))}]


@st.composite
def legal_fnmo(draw):
    events = []
    for year in YEARS:
        for resource in ("cessions", "excedents", "loyers"):
            events.append({"kind": "reserve_resource", "year": year, "fund": "FNMO", "resource": resource,
                           "amount": Decimal(draw(st.integers(0, 1_000_000))).quantize(Decimal("0.01"))})
        for line in ("INV", "DEF"):  # ≤ 2 × 9,5 M€ a year: 57 M€ over the period < 58 371 718,99 opening
            events.append({"kind": "reserve_expense", "year": year, "fund": "FNMO", "line": line,
                           "amount": Decimal(draw(st.integers(0, 9_500_000))).quantize(Decimal("0.01"))})
        if draw(st.booleans()):
            voted = a_day(draw, year, 180)  # on or before 30 June
            events.append({"kind": "budget_vote", "year": year, "fund": "FNMO", "budget": "primitif", "voted_on": voted,
                           "received_on": voted + dt.timedelta(days=3), "lines": {}})
    return events


@st.composite
def legal_scenario(draw) -> list[dict]:
    # one execution event per line-year (several would add up beyond the half of the COG amount)
    events = draw(st.lists(legal_execution(), max_size=15, unique_by=lambda e: (e["fund"], e["line"], e["year"])))
    events += draw(st.lists(legal_virement(), max_size=6))
    events += draw(st.lists(legal_carry(), max_size=4))
    events += draw(st.lists(legal_vote(), max_size=4))
    events += draw(st.lists(legal_noncash(), max_size=2))
    if draw(st.booleans()):
        events += draw(legal_reserve())
    if draw(st.booleans()):
        events += draw(legal_fnmo())
    return draw(st.permutations(events))


@st.composite
def illegal_decision(draw) -> tuple[dict, tuple]:
    """One illegal decision and the (rule, fund, year, line) of the only error it must produce."""
    year = draw(st.sampled_from(YEARS))
    day = a_day(draw, year, 340)
    kind = draw(st.sampled_from(["overspend", "overspend-bnass", "carry-evaluative", "carry-last-year", "carry-above",
                                 "virement-dm", "notice-late", "noncash", "reserve-no-auth", "reserve-empty",
                                 "vote-above", "vote-calendar", "fnmo-calendar", "fnmo-reserve", "bnass-col",
                                 "bnpps-default", "dm-incoherent", "insufficient"]))
    if kind == "overspend":
        return ({"kind": "execution", "year": year, "fund": "BNGA", "line": "III-CGSS", "amount": D("1000000.00")},
                ("R-LIMITATIVE-CEILING", "BNGA", year, "III-CGSS"))
    if kind == "overspend-bnass":
        line = draw(st.sampled_from(["PA-K-COL", "MAL-K-COL"]))
        return ({"kind": "execution", "year": year, "fund": "BNASS", "line": line, "amount": D("99000000.00")},
                ("R-LIMITATIVE-CEILING", "BNASS", year, line))
    if kind == "carry-evaluative":
        y = draw(st.sampled_from((2023, 2024)))
        line = draw(st.sampled_from(["B-I", "B-II-1", "II-GA-REGION"]))
        return ({"kind": "carry_over", "year": y, "fund": "BNGA", "line": line, "amount": D("1000.00")},
                ("R-CARRY-EVALUATIVE-NONE", "BNGA", y, line))
    if kind == "carry-last-year":
        fund, line = draw(st.sampled_from(CARRY_LINES))
        return ({"kind": "carry_over", "year": 2025, "fund": fund, "line": line, "amount": D("1000.00")},
                ("R-CARRY-LAST-YEAR", fund, 2025, line))
    if kind == "carry-above":
        y = draw(st.sampled_from((2023, 2024)))
        return ({"kind": "carry_over", "year": y, "fund": "BNGA", "line": "III-CGSS", "amount": D("500000.00")},
                ("R-CARRY-LIMITATIVE", "BNGA", y, "III-CGSS"))
    if kind == "virement-dm":
        return ({"kind": "virement", "year": year, "fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-1",
                 "amount": D("1000.00"), "date": day}, ("R-FUNG-BNGA-OTHER", "BNGA", year, "A-I-2-HORS"))
    if kind == "notice-late":
        late = day + dt.timedelta(days=draw(st.integers(16, 90)))
        return ({"kind": "virement", "year": year, "fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO",
                 "amount": D("1000.00"), "date": day, "notified": late}, ("R-FUNG-NOTICE-LATE", "BNGA", year, "A-I-1"))
    if kind == "noncash":
        return ({"kind": "noncash_product", "year": year, "fund": "BNGA", "line": "A-I-2-HORS", "amount": D("500.00"),
                 "counterpart_class": draw(st.sampled_from([3, 4, 5, 6, 7]))},
                ("R-RECEIPT-NONCASH", "BNGA", year, "A-I-2-HORS"))
    if kind == "reserve-no-auth":
        return ({"kind": "reserve_use", "year": year, "fund": "BNGA", "to_line": "A-I-2-INFO", "amount": D("10.00"),
                 "date": day}, ("R-RESERVE-USE", "BNGA", year, "A-I-2-INFO"))
    if kind == "reserve-empty":
        return ({"kind": "reserve_use", "year": year, "fund": "BNGA", "to_line": "A-I-2-INFO",
                 "amount": D("10000000.00"), "date": day, "authorised_on": day},
                ("R-RESERVE-USE", "BNGA", year, "A-I-2-INFO"))
    if kind == "vote-above":
        return ({"kind": "budget_vote", "year": year, "fund": "BNGA", "budget": "rectificatif", "voted_on": day,
                 "lines": {"III-CGSS": D("5000000.00")}}, ("R-VOTE-CONFORMITY", "BNGA", year, "III-CGSS"))
    if kind == "vote-calendar":
        return ({"kind": "budget_vote", "year": year, "fund": draw(st.sampled_from(["BNGA", "BNASS", "BNPPS"])),
                 "budget": "primitif", "voted_on": day, "lines": {}}, ("R-VOTE-CALENDAR", None, year, None))
    if kind == "fnmo-calendar":
        late = dt.date(year, 7, 1) + dt.timedelta(days=draw(st.integers(0, 150)))
        return ({"kind": "budget_vote", "year": year, "fund": "FNMO", "budget": "primitif", "voted_on": late,
                 "received_on": late + dt.timedelta(days=3), "lines": {}}, ("R-FNMO-CALENDAR", "FNMO", year, None))
    if kind == "fnmo-reserve":
        return ({"kind": "reserve_expense", "year": 2024, "fund": "FNMO", "line": "DEF", "amount": D("200000000.00")},
                ("R-FNMO-RESERVE", "FNMO", 2024, None))
    if kind == "bnass-col":
        return ({"kind": "virement", "year": year, "fund": "BNASS", "from": "PA-F-COL", "to": "MAL-K-COL",
                 "amount": D("100.00"), "date": day}, ("R-FUNG-BNASS-COL", "BNASS", year, "PA-F-COL"))
    if kind == "bnpps-default":
        return ({"kind": "virement", "year": year, "fund": "BNPPS", "from": "MAL-CANSSM", "to": "ATMP-CANSSM",
                 "amount": D("100.00"), "date": day}, ("R-FUNG-DEFAULT", "BNPPS", year, "MAL-CANSSM"))
    if kind == "dm-incoherent":
        return ({"kind": "virement", "year": year, "fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-1",
                 "amount": D("100.00"), "date": day,
                 "dm": {"ref": "DM-X", "board_vote": day, "approval": day - dt.timedelta(days=1)}},
                ("R-FUNG-DM", "BNGA", year, "A-I-2-HORS"))
    return ({"kind": "virement", "year": year, "fund": "BNGA", "from": "A-I-2-INFO", "to": "A-I-2-HORS",
             "amount": D("100000000.00"), "date": day}, ("R-FUNG-INSUFFICIENT", "BNGA", year, "A-I-2-INFO"))


def run_events(events: list[dict]) -> Result:
    evs = []
    for i, e in enumerate(events):
        evs.append(event_of(e, source=f"hypothesis:{i}", order=i))
    return run(dataclasses.replace(CENTRAL, events=evs, expectations=[]), source_checks=False)


def error_keys(result: Result) -> list[tuple]:
    return sorted((f.rule, f.fund, f.year, f.line) for f in result.findings if f.severity == "error")


HYP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@HYP
@given(legal_scenario())
def test_legal_decisions_give_no_error(events):
    assert error_keys(run_events(events)) == []


@HYP
@given(legal_scenario(), illegal_decision(), st.data())
def test_one_illegal_decision_gives_exactly_its_finding(events, illegal, data):
    event, (rule, fund, year, line) = illegal
    at = data.draw(st.integers(0, len(events)))
    got = error_keys(run_events(events[:at] + [event] + events[at:]))
    assert got == [(rule, fund or event["fund"], year, line)]
