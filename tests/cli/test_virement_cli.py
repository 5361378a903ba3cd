"""`budgetrules virement`: a budget officer's questions, with golden outputs (tests/golden/virement/),
figures worked out by hand, exit codes 0/1/2 and the messages for bad input.

With no --scenario the command runs on the central scenario (scenarios/central.yaml: the bare COG
with the public inflation and RMPP figures, no events). The figures used below, by hand:

  BNGA A-I-1 (RMPP, R-INDEX-RMPP): c = 1,5 % each year, s(2022) = 1,88 %, s(2023) = s(2024) = 1,5 %,
    no observed rate (correction 0): d(2022) = 0,38 %, d(2023) = d(2024) = 0, P = 1,0038 each year.
    2022: 37 330 000 + 141 854 = 37 471 854,00
    2023: 36 670 000 + 36 670 000 × 0,0038 = 36 670 000 + 139 346 = 36 809 346,00
  BNGA A-I-2-INFO 2023: 4 700 000,00 (not indexed); A-I-2-HORS 2023: 7 790 000,00
  BNGA A-I-3-INFO 2022: 720 000,00; A-I-3-HORS 2022: 2 210 000,00
  BNASS 2023 (I(2023) = 1 + 4,2 % + (5,3 % − 1,5 %) = 1,08; nothing executed in 2022, so the whole
    2022 line is carried automatically, R-CARRY-BNASS-AUTO):
    PA-F-COL  2 306 100 + 184 488 + 899 200   = 3 389 788,00
    MAL-F-COL 2 244 800 + 179 584 + 2 333 300 = 4 757 684,00
  BNPPS MAL-CANSSM 2022: 2 255 500 × 1,025 = 2 311 887,50 (r(2022) = 1,5 + 1,6 − 0,6 = 2,5 %)

Set BUDGETRULES_UPDATE_GOLDEN=1 to rewrite the golden files (then read the diff)."""
from __future__ import annotations

import json
from decimal import Decimal
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

GOLDEN = Path(__file__).parents[1] / "golden" / "virement"
EXECUTED = str(GOLDEN / "executed-2023.yaml")
UPDATE = os.environ.get("BUDGETRULES_UPDATE_GOLDEN") == "1"


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def golden_text(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with BUDGETRULES_UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8")


def golden_json(name: str, text: str) -> dict:
    doc = json.loads(text)
    path = GOLDEN / name
    if UPDATE:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with BUDGETRULES_UPDATE_GOLDEN=1 and read it"
    assert doc == json.loads(path.read_text(encoding="utf-8"))
    return doc


Q1 = ("virement", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2023", "--date", "2023-06-01")


# -- 1. personnel → informatique, 400 k€ on 2023-06-01 ---------------------------------------------
def test_personnel_to_it_json():
    r = cli(*Q1, "--format", "json")
    assert r.exit_code == 0
    doc = golden_json("q1-personnel-to-it.json", r.stdout)
    assert doc["verdict"] == "permitted_with_notice"
    assert doc["authority"] == "directeur général"
    assert doc["notify_by"] == "2023-06-16"  # 2023-06-01 + 15 days
    assert [x["rule"] for x in doc["rules"]] == ["R-FUNG-BNGA-ASYM"]
    assert doc["before"] == {"A-I-1": {"authorised": "36809346.00", "available": "36809346.00"},
                             "A-I-2-INFO": {"authorised": "4700000.00", "available": "4700000.00"}}
    assert doc["after"] == {"A-I-1": {"authorised": "36409346.00", "available": "36409346.00"},
                            "A-I-2-INFO": {"authorised": "5100000.00", "available": "5100000.00"}}


def test_personnel_to_it_table():
    r = cli(*Q1)
    assert r.exit_code == 0
    golden_text("q1-personnel-to-it.txt", r.stdout)
    # the verdict in words (issue 16: no code such as permitted_with_notice in a French output)
    assert "Verdict : autorisé, avec information sous 15 jours" in r.stdout and "permitted" not in r.stdout
    assert "16/06/2023" in r.stdout
    assert "36 809 346,00 €" in r.stdout and "36 409 346,00 €" in r.stdout
    assert "5 100 000,00 €" in r.stdout


def test_personnel_to_it_table_in_english():
    r = cli(*Q1, "--lang", "en")
    assert r.exit_code == 0
    golden_text("q1-personnel-to-it.en.txt", r.stdout)
    assert "€36,809,346.00" in r.stdout and "2023-06-16" in r.stdout


@pytest.mark.parametrize("amount", ["400 k€", "400 000", "0,4 M€", "400000", "400 000,00 €", "400_000", "0.4 M€",
                                    "400\u00a0000"])
def test_amount_forms_are_equal(amount):
    r = cli("virement", "BNGA", "A-I-1", "A-I-2-INFO", amount, "--year", "2023", "--date", "2023-06-01",
            "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["amount"] == "400000.00"
    assert doc["after"]["A-I-2-INFO"]["authorised"] == "5100000.00"


# -- 2. above what is available: refused --------------------------------------------------------
def test_above_available_on_the_bare_cog_is_refused():
    # A-I-2-INFO 2023 holds 4 700 000,00: 5 M€ is 300 000,00 too much.
    r = cli("virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "5 M€", "--year", "2023", "--date", "2023-09-05",
            "--format", "json")
    assert r.exit_code == 1
    doc = golden_json("q2-above-available.json", r.stdout)
    assert doc["verdict"] == "refused"
    assert doc["rules"][0]["rule"] == "R-FUNG-INSUFFICIENT"
    assert doc["notify_by"] is None
    assert doc["after"] == doc["before"]
    assert "4 700 000,00 €" in doc["reasons"][0]


def test_above_available_on_top_of_a_scenario_is_refused():
    # 36 809 346 − 500 000 (virement of 2023-03-01) − 36 000 000 executed = 309 346,00 < 400 000.
    r = cli(*Q1, "--scenario", EXECUTED, "--format", "json")
    assert r.exit_code == 1
    doc = golden_json("q2-above-available-scenario.json", r.stdout)
    assert doc["verdict"] == "refused"
    assert [x["rule"] for x in doc["rules"]] == ["R-FUNG-INSUFFICIENT", "R-FUNG-BNGA-ASYM"]
    assert doc["before"]["A-I-1"] == {"authorised": "36309346.00", "available": "309346.00"}
    assert doc["after"] == doc["before"]


@pytest.mark.parametrize("amount,code,verdict", [("309 346", 0, "permitted_with_notice"),
                                                 ("309 346,01", 1, "refused")])
def test_exactly_what_is_available(amount, code, verdict):
    r = cli("virement", "BNGA", "A-I-1", "A-I-2-INFO", amount, "--year", "2023", "--date", "2023-06-01",
            "--scenario", EXECUTED, "--format", "json")
    assert (r.exit_code, json.loads(r.stdout)["verdict"]) == (code, verdict)


# -- 3. a reverse direction: requires a DM -----------------------------------------------------------
REVERSE = ("virement", "BNGA", "A-I-2-HORS", "A-I-1", "100 000", "--year", "2023")


def test_reverse_direction_requires_a_dm():
    r = cli(*REVERSE, "--date", "2023-06-15", "--format", "json")
    assert r.exit_code == 1
    doc = golden_json("q3-reverse.json", r.stdout)
    assert doc["verdict"] == "requires_dm"
    assert doc["authority"] == "conseil d'administration (décision modificative) et ministères de tutelle"
    assert [x["rule"] for x in doc["rules"]] == ["R-FUNG-BNGA-OTHER"]
    assert doc["after"] == doc["before"] == {"A-I-2-HORS": {"authorised": "7790000.00", "available": "7790000.00"},
                                              "A-I-1": {"authorised": "36809346.00", "available": "36809346.00"}}


def test_reverse_direction_table():
    r = cli(*REVERSE, "--date", "2023-06-15")
    assert r.exit_code == 1
    golden_text("q3-reverse.txt", r.stdout)
    assert "décision modificative requise" in r.stdout


# -- 4. the same with a coherent DM: permitted ---------------------------------------------------
DM = ("--dm", "DM-2023-02", "--board-vote", "2023-05-10", "--approval", "2023-06-02")


def test_reverse_direction_with_a_coherent_dm_is_permitted():
    r = cli(*REVERSE, *DM, "--format", "json")
    assert r.exit_code == 0
    doc = golden_json("q4-reverse-with-dm.json", r.stdout)
    assert doc["verdict"] == "permitted"
    assert doc["date"] == "2023-12-31"  # no --date: 31 December of the year
    assert doc["authority"] == "conseil d'administration (DM DM-2023-02) et ministères de tutelle"
    assert [x["rule"] for x in doc["rules"]] == ["R-FUNG-BNGA-OTHER", "R-FUNG-DM"]
    assert doc["after"] == {"A-I-2-HORS": {"authorised": "7690000.00", "available": "7690000.00"},
                            "A-I-1": {"authorised": "36909346.00", "available": "36909346.00"}}


def test_reverse_direction_with_a_coherent_dm_table():
    r = cli(*REVERSE, *DM)
    assert r.exit_code == 0
    golden_text("q4-reverse-with-dm.txt", r.stdout)


def test_dm_approved_before_the_board_vote_is_not_applied():
    r = cli(*REVERSE, "--dm", "DM-2023-02", "--board-vote", "2023-05-10", "--approval", "2023-05-01", "--format", "json")
    assert r.exit_code == 1
    doc = golden_json("q5-dm-incoherent.json", r.stdout)
    assert doc["verdict"] == "requires_dm"
    assert [x["rule"] for x in doc["rules"]] == ["R-FUNG-BNGA-OTHER", "R-FUNG-DM"]
    assert doc["after"] == doc["before"]
    assert "avant le vote du conseil" in doc["reasons"][0]


def test_dm_without_approval_is_not_applied():
    r = cli(*REVERSE, "--dm", "DM-2023-02", "--board-vote", "2023-05-10", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["verdict"] == "requires_dm"
    assert doc["after"] == doc["before"]
    assert "pas encore approuvée" in doc["reasons"][0]


def test_dm_approved_on_the_day_of_the_vote_is_coherent():
    r = cli(*REVERSE, "--dm", "DM-X", "--board-vote", "2023-05-10", "--approval", "2023-05-10", "--format", "json")
    assert (r.exit_code, json.loads(r.stdout)["verdict"]) == (0, "permitted")


# -- other funds ---------------------------------------------------------------------------------------
def test_within_investment_group_is_permitted_without_notice():
    r = cli("virement", "BNGA", "A-I-3-INFO", "A-I-3-HORS", "100 000", "--year", "2022", "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert (doc["verdict"], doc["notify_by"], doc["rules"][0]["rule"]) == ("permitted", None, "R-FUNG-BNGA-WITHIN")
    assert doc["after"] == {"A-I-3-INFO": {"authorised": "620000.00", "available": "620000.00"},
                            "A-I-3-HORS": {"authorised": "2310000.00", "available": "2310000.00"}}


def test_bnass_collective_operating_across_sections():
    r = cli("virement", "BNASS", "PA-F-COL", "MAL-F-COL", "250 000", "--year", "2023", "--date", "2023-04-03",
            "--format", "json")
    assert r.exit_code == 0
    doc = golden_json("q6-bnass-col.json", r.stdout)
    assert (doc["verdict"], doc["rules"][0]["rule"]) == ("permitted", "R-FUNG-BNASS-COL")
    assert doc["before"] == {"PA-F-COL": {"authorised": "3389788.00", "available": "3389788.00"},
                             "MAL-F-COL": {"authorised": "4757684.00", "available": "4757684.00"}}
    assert doc["after"] == {"PA-F-COL": {"authorised": "3139788.00", "available": "3139788.00"},
                            "MAL-F-COL": {"authorised": "5007684.00", "available": "5007684.00"}}


def test_bnass_operating_to_investment_requires_a_dm():
    r = cli("virement", "BNASS", "MAL-F-COL", "MAL-K-COL", "100 000", "--year", "2023", "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["verdict"] == "requires_dm"


def test_bnpps_every_virement_requires_a_dm():
    r = cli("virement", "BNPPS", "MAL-CANSSM", "ATMP-CANSSM", "10 000", "--year", "2022", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert (doc["verdict"], doc["rules"][0]["rule"]) == ("requires_dm", "R-FUNG-DEFAULT")
    assert doc["before"]["MAL-CANSSM"]["authorised"] == "2311887.50"


def test_zero_is_refused_not_bad_input():
    # RULES.md: a virement needs amount > 0, otherwise it is refused.
    r = cli("virement", "BNGA", "A-I-1", "A-I-2-INFO", "0", "--year", "2023", "--format", "json")
    assert (r.exit_code, json.loads(r.stdout)["verdict"]) == (1, "refused")


def test_output_file_is_written(tmp_path):
    out = tmp_path / "answer.json"
    r = cli(*Q1, "--format", "json", "--output", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"] == "permitted_with_notice"


# -- --matrix ------------------------------------------------------------------------------------------
def test_matrix_bnga_table():
    r = cli("virement", "BNGA", "--matrix")
    assert r.exit_code == 0
    golden_text("matrix-bnga.txt", r.stdout)
    assert "DG + info (R-FUNG-BNGA-ASYM)" in r.stdout


@pytest.mark.parametrize("fund", ["BNGA", "BNASS", "BNPPS", "FNMO"])
def test_matrix_json(fund):
    r = cli("virement", fund, "--matrix", "--format", "json")
    assert r.exit_code == 0
    doc = golden_json(f"matrix-{fund.lower()}.json", r.stdout)
    assert doc["fund"] == fund
    cells = {(c["from"], c["to"]): c["verdict"] for c in doc["matrix"]}
    assert len(cells) == len(doc["groups"]) ** 2
    if fund == "BNGA":
        assert cells[("personnel", "fonctionnement")] == "permitted_with_notice"
        assert cells[("personnel", "investissement")] == "requires_dm"
        assert cells[("fonctionnement", "personnel")] == "requires_dm"
    if fund in ("BNPPS", "FNMO"):
        assert set(cells.values()) == {"requires_dm"}


# -- bad input: exit 2, a message naming the argument, nothing on stdout -----------------------------
@pytest.mark.parametrize("args,message", [
    (("BNGA", "A-I-2-INF", "A-I-1", "100", "--year", "2023"),
     "error: FROM: unknown line of BNGA 'A-I-2-INF' — did you mean 'A-I-2-INFO'?"),
    (("BNGA", "A-I-1", "A-I-2-HROS", "100", "--year", "2023"),
     "error: TO: unknown line of BNGA 'A-I-2-HROS' — did you mean 'A-I-2-HORS'?"),
    (("BNGA", "A-I-2", "A-I-1", "100", "--year", "2023"), "is a subtotal, not a leaf: name one of its lines (A-I-2-INFO, A-I-2-HORS)"),
    (("BNGX", "A-I-1", "A-I-2-INFO", "100", "--year", "2023"), "error: FUND: unknown fund 'BNGX' — did you mean 'BNGA'?"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "quatre cents", "--year", "2023"), "error: AMOUNT: 'quatre cents' is not an amount"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400,001", "--year", "2023"), "error: AMOUNT: '400,001' has more than two decimals"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "1.000,50", "--year", "2023"), "error: AMOUNT: '1.000,50' mixes '.' and ','"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2025"), "error: --year: year 2025 is outside the period of BNGA (2022-2024)"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2021"), "error: --year: year 2021 is outside the period of BNGA (2022-2024)"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€"), "error: --year: give --year (or --date): the year of the credits moved"),
    # the year the date implies: the problem is the date's, the option the user gave
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--date", "2025-06-01"),
     "error: --date: 2025-06-01 is outside the period of BNGA (2022-2024)"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2023", "--date", "2024-01-05"),
     "error: --date: the date 2024-01-05 is not in 2023"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2023", "--date", "01/06/2023"),
     "error: --date: '01/06/2023' is not a date (write YYYY-MM-DD)"),
    (("BNGA", "A-I-1", "A-I-1", "400 k€", "--year", "2023"), "a virement moves credit between two different lines"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2023", "--approval", "2023-06-01"), "error: --dm:"),
    (("BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2023", "--scenario", "no/such/file.yaml"), "no/such/file.yaml"),
])
def test_bad_input_exit_2(args, message):
    r = cli("virement", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert message in r.stderr
    assert "nothing was written" in r.stderr


def test_every_bad_argument_is_reported_at_once():
    r = cli("virement", "BNGA", "A-I-l", "A-I-2-INF", "abc", "--year", "2026")
    assert r.exit_code == 2
    assert r.stderr.count("error:") == 4
    assert "4 errors: nothing was written." in r.stderr


def test_help_has_an_example():
    r = cli("virement", "--help")
    assert r.exit_code == 0
    assert 'budgetrules virement BNGA A-I-1 A-I-2-INFO "400 k€" --year 2023' in r.stdout


def test_csv_in_french_for_a_spreadsheet():
    r = cli(*Q1, "--format", "csv", "--lang", "fr")
    assert r.exit_code == 0
    assert r.stdout.startswith("\ufeff")
    assert "A-I-1;36809346,00;" in r.stdout


def test_csv_names_the_virements_it_chains_with():
    """R-FUNG-CHAIN: the CSV's verdict has the recorded virements the virement chains with, as the
    JSON's chains_with and as available's CSV, relative to the scenario's folder."""
    chain = str(Path(__file__).resolve().parents[2] / "scenarios" / "rules" / "r-fung-chain.yaml")
    args = ("virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "200 000", "--year", "2024", "--scenario", chain)
    expected = json.loads(cli(*args, "--format", "json").stdout)["chains_with"]
    assert expected == ["r-fung-chain.yaml:18"]
    lines = cli(*args, "--format", "csv").stdout.splitlines()
    header, row = lines[1].split(","), lines[2].split(",")
    assert header[-1] == "chains_with" and row[-1] == " ".join(expected)


def test_csv_neutral_by_default():
    r = cli(*Q1, "--format", "csv")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    # two tables: the verdict (who signs, notice deadline, rules), then the two lines before and after
    assert lines[:3] == ["# table: verdict",
                         "fund,year,from,to,amount,date,verdict,authority,notify,notify_by,rules,chains_with",
                         "BNGA,2023,A-I-1,A-I-2-INFO,400000.00,2023-06-01,permitted_with_notice,directeur général,"
                         "contrôleur général économique et financier et ministères de tutelle,2023-06-16,"
                         "R-FUNG-BNGA-ASYM,"]
    assert lines[3] == "# table: lines"
    assert lines[4] == "line,authorised_before,available_before,authorised_after,available_after"
    assert lines[5] == "A-I-1,36809346.00,36809346.00,36409346.00,36409346.00"
    assert lines[6] == "A-I-2-INFO,4700000.00,4700000.00,5100000.00,5100000.00"


def test_simulated_virement_does_not_undo_a_recorded_one():
    r = cli("virement", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--year", "2023", "--date", "2023-02-01",
            "--scenario", EXECUTED, "--format", "json")
    doc = json.loads(r.stdout)
    before = Decimal(doc["before"]["A-I-1"]["authorised"])
    after = Decimal(doc["after"]["A-I-1"]["authorised"])
    moved = Decimal("400000.00") if doc["verdict"] in ("permitted", "permitted_with_notice") else Decimal(0)
    assert after == before - moved
    assert doc["verdict"] == "refused"  # 36 809 346 − 500 000 − 36 000 000 = 309 346 < 400 000


@pytest.mark.parametrize(("assumptions", "said"), [
    ("", "inflation — publiées avec la COG (cog.yaml); rmpp — publiées avec la COG (cog.yaml)"),
    ("assumptions: none\n", "inflation — aucune (pas d'actualisation); rmpp — aucune (pas d'actualisation)"),
])
def test_the_verdict_says_where_the_assumptions_came_from(tmp_path, assumptions, said):
    """Issue 16: a scenario without `assumptions` inherits the COG's published series; the virement's
    answer says which series came from where (it shows the credits they actualise)."""
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nfunds: [BNGA]\n" + assumptions, encoding="utf-8")
    r = cli("virement", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", "--date", "2023-06-01", "--scenario", str(path))
    assert r.exit_code == 0
    assert f"Hypothèses : {said}." in r.stdout
