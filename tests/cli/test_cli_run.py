"""The commands run, test and explain as CLI.md describes them: the central scenario by default,
--fund/--year/--detail, the JSON shape (amounts as strings with two decimals), csv and md, the
summary and exit codes of `test`, explain's contributions, --help with an example for every
subcommand, and --output written atomically."""
from __future__ import annotations

import json
import os
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from csv_tables import csv_tables

from budgetrules.io import output as output_module
from budgetrules.cli import main
from budgetrules.core.records import COLUMNS

AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
D = Decimal


def invoke(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=True)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def central_json() -> dict:
    result = invoke(["run", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- run ----------------------------------------------------------------------------------------
def test_run_without_argument_is_the_central_scenario(central_json):
    assert central_json["scenario"] == "Hypothèses centrales 2022-2024"
    assert {f["fund"] for f in central_json["funds"]} == {"BNGA", "BNASS", "BNPPS", "FNMO"}
    result = invoke(["run"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Hypothèses centrales 2022-2024\n")
    for code in ("BNGA", "BNASS", "BNPPS"):
        assert f"\n{code} — " in result.stdout


def _line(doc: dict, fund: str, code: str) -> dict:
    f = next(x for x in doc["funds"] if x["fund"] == fund)
    return next(x for x in f["lines"] if x["line"] == code)


def test_run_json_figures_of_the_central_scenario(central_json):
    # hand-worked in test_engine_units.py: r(2023) = 8,0 %, I(2024) = 1,11348; BNPPS r(2022) = 2,5 %
    pa = _line(central_json, "BNASS", "PA-F-COL")["years"]
    assert pa["2023"]["indexation"] == "184488.00"
    assert pa["2024"]["indexation"] == "91918.80"
    assert pa["2024"]["base"] == "810000.00"
    assert _line(central_json, "BNPPS", "MAL-CANSSM")["years"]["2022"]["indexation"] == "56387.50"
    assert _line(central_json, "BNGA", "A-I-1")["years"]["2022"]["base"] == "37330000.00"


def test_run_json_shape(central_json):
    doc = central_json
    assert {"scenario", "funds", "findings", "carry_over_statement"} <= set(doc)
    for fund in doc["funds"]:
        assert {"fund", "unit", "years", "lines", "totals"} <= set(fund)
        assert fund["unit"] == "EUR"
        assert fund["years"] == [2022, 2023, 2024]
        years = [str(y) for y in fund["years"]]
        by_code = {line["line"]: line for line in fund["lines"]}
        parents = {line["parent"] for line in fund["lines"] if line["parent"]}
        for line in fund["lines"]:
            assert {"line", "label", "character", "group", "parent", "years"} <= set(line)
            assert sorted(line["years"]) == years
            for y in years:
                cell = line["years"][y]
                assert list(cell) == list(COLUMNS)
                for col, value in cell.items():
                    assert isinstance(value, str) and AMOUNT.match(value), (line["line"], y, col, value)
            if line["line"] in parents:  # a subtotal row: character null, amounts = sums of its children
                assert line["character"] is None
                kids = [k for k in fund["lines"] if k["parent"] == line["line"]]
                for y in years:
                    for col in COLUMNS:
                        assert D(line["years"][y][col]) == sum(D(k["years"][y][col]) for k in kids), \
                            (fund["fund"], line["line"], y, col)
            else:
                assert line["character"] in ("limitative", "evaluative", "reserve")
            if line["parent"]:
                assert line["parent"] in by_code
        leaves = [line for line in fund["lines"] if line["line"] not in parents]
        assert sorted(fund["totals"]) == years
        for y in years:
            for col in COLUMNS:
                total = fund["totals"][y][col]
                assert AMOUNT.match(total)
                assert D(total) == sum(D(leaf["years"][y][col]) for leaf in leaves), (fund["fund"], y, col)
    for f in doc["findings"]:
        assert {"rule", "severity", "fund", "year", "line", "message", "citation", "amount"} <= set(f)
        assert f["severity"] in ("error", "warning", "info")
        assert f["amount"] is None or AMOUNT.match(f["amount"])
    for s in doc["carry_over_statement"]:
        assert {"fund", "line", "from_year", "to_year", "authorised", "executed", "eligible", "carried", "lapsed",
                "rule"} <= set(s)
        for k in ("authorised", "executed", "eligible", "carried", "lapsed"):
            assert AMOUNT.match(s[k])


def test_run_fund_and_year_filters():
    result = invoke(["run", "--format", "json", "--fund", "BNPPS", "--year", "2023"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [f["fund"] for f in doc["funds"]] == ["BNPPS"]
    fund = doc["funds"][0]
    assert fund["years"] == [2023]
    assert all(list(line["years"]) == ["2023"] for line in fund["lines"])
    assert list(fund["totals"]) == ["2023"]
    assert all(f["fund"] in ("BNPPS", None) and f["year"] in (2023, None) for f in doc["findings"])
    # repeatable --fund
    result = invoke(["run", "--format", "json", "--fund", "BNPPS", "--fund", "BNASS"])
    assert sorted(f["fund"] for f in json.loads(result.stdout)["funds"]) == ["BNASS", "BNPPS"]


def test_run_bad_filters_are_input_errors():
    result = invoke(["run", "--fund", "BNGX"])
    assert result.exit_code == 2
    assert "did you mean 'BNGA'" in result.stderr
    assert "Traceback" not in result.output
    result = invoke(["run", "--year", "2030"])
    assert result.exit_code == 2


def test_run_detail_prints_every_column():
    result = invoke(["run", "--fund", "BNPPS", "--detail", "--lang", "en"])
    assert result.exit_code == 0, result.output
    # the one catalogue of column names (budgetrules/render/labels.py), the same as in xlsx and html
    for label in ("COG base", "Indexation", "Charge transfer", "Carried in from N-1", "Receipts reused",
                  "National reserve", "Transfers in", "Transfers out", "Authorised credits", "Executed",
                  "Available", "Carried to N+1", "Lapsed credits"):
        assert label in result.stdout, label
    for y in (2022, 2023, 2024):
        assert f"BNPPS {y}" in result.stdout
    plain = invoke(["run", "--fund", "BNPPS", "--lang", "en"])
    assert "Carried to N+1" not in plain.stdout


def test_run_csv():
    result = invoke(["run", "--format", "csv", "--fund", "BNPPS"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# table: credits\nfund,line,")
    tables = csv_tables(result.stdout)
    assert list(tables) == ["credits", "findings", "carry_over_statement"]
    rows = tables["credits"]
    assert rows[0] == ["fund", "line", "label", "character", "parent", "year", *COLUMNS]
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert len(body) == 5 * 3  # MAL, MAL-CANSSM, MAL-EVAL, ATMP, ATMP-CANSSM × 3 years
    row = next(r for r in body if r["line"] == "MAL-CANSSM" and r["year"] == "2022")
    assert row["indexation"] == "56387.50" and row["base"] == "2255500.00"
    assert next(r for r in body if r["line"] == "MAL")["character"] == ""
    assert all(AMOUNT.match(r[c]) for r in body for c in COLUMNS)


@pytest.mark.parametrize("lang, delimiter", [(None, ","), ("fr", ";"), ("en", ",")])
def test_run_csv_carries_the_findings_and_the_statement_of_origins(lang, delimiter):
    """The text output prints the credits, the findings, then the statement of origins: so does the
    CSV, each table under its `# table: NAME` line, as audit's (issue 16, item 5)."""
    scenario = str(Path(__file__).resolve().parents[2] / "scenarios" / "rules" / "r-limitative-ceiling.yaml")
    args = ["run", scenario, "--format", "csv"] + (["--lang", lang] if lang else [])
    result = invoke(args)
    assert result.exit_code == 1, result.output  # the overrun: an error finding
    text = result.stdout
    assert text.startswith("\ufeff") == bool(lang)
    tables = csv_tables(text.lstrip("\ufeff"), delimiter)
    assert list(tables) == ["credits", "findings", "carry_over_statement"]
    findings = tables["findings"]
    assert findings[0] == ["severity", "rule", "fund", "year", "line", "message", "amount", "citation", "source",
                           "about_tables"]
    (ceiling,) = [f for f in findings[1:] if f[1] == "R-LIMITATIVE-CEILING" and f[4] == "III-CGSS"]
    assert ceiling[0] == "error" and ceiling[3] == "2022" and ceiling[8] == "r-limitative-ceiling.yaml:16"
    assert ceiling[6] == ("10000,00" if lang == "fr" else "10000.00") and ceiling[9] == "no"
    statement = tables["carry_over_statement"]
    assert statement[0] == ["fund", "line", "from_year", "to_year", "authorised", "executed", "eligible", "carried",
                            "lapsed", "rule", "citation"]
    json_doc = json.loads(invoke(["run", scenario, "--format", "json"]).stdout)
    assert len(statement) - 1 == len(json_doc["carry_over_statement"]) > 0
    assert len(findings) - 1 == len(json_doc["findings"])


def test_run_md():
    result = invoke(["run", "--format", "md", "--fund", "BNPPS"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# Hypothèses centrales 2022-2024")
    assert "\n## BNPPS — " in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table and all(line.endswith("|") for line in table)
    assert any("MAL-CANSSM" in line and "2 311 887,50" in line for line in table)  # 2 255 500 + 56 387,50


def test_run_exit_codes_follow_findings_and_expectations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # executed 300 000 on III-CGSS (limitative, 230 000 in 2023): an error finding → exit 1
    write(tmp_path, "over.yaml", """\
        name: dépassement
        funds: [BNGA]
        events:
          - {kind: execution, year: 2023, fund: BNGA, line: III-CGSS, amount: "300 000"}
        """)
    result = invoke(["run", "over.yaml"])
    assert result.exit_code == 1
    assert "R-LIMITATIVE-CEILING" in result.stdout
    write(tmp_path, "expect.yaml", """\
        name: attente
        funds: [BNPPS]
        expect:
          - {fund: BNPPS, line: MAL-CANSSM, year: 2022, base: "1 000"}
        """)
    result = invoke(["run", "expect.yaml"])
    assert result.exit_code == 1
    assert "expectation not met: expect.yaml:4:" in result.stderr


# -- test ---------------------------------------------------------------------------------------
PASS = """\
    name: passe
    funds: [BNPPS]
    expect:
      - {fund: BNPPS, line: MAL-CANSSM, year: 2022, base: "2 255 500"}
      - {fund: BNPPS, year: 2022, total: {base: "2 805 500"}}
    """
FAIL = """\
    name: échoue
    funds: [BNPPS]
    expect:
      - {fund: BNPPS, line: MAL-CANSSM, year: 2022, base: "1 000"}
    """
BAD = "name: illisible\nevents: [\n"


def test_test_command_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "pass.yaml", PASS)
    result = invoke(["test", "pass.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["ok    pass.yaml — passe", "1 passed, 0 failed"]


def test_test_command_fail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "fail.yaml", FAIL)
    result = invoke(["test", "fail.yaml"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "FAIL  fail.yaml — échoue"
    assert lines[1].strip().startswith("fail.yaml:4: ")
    assert "expected 1 000,00 €, got 2 255 500,00 €" in lines[1]
    assert lines[-1] == "0 passed, 1 failed"


def test_test_command_unreadable_and_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a-pass.yaml", PASS)
    write(tmp_path, "b-fail.yaml", FAIL)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c-bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    result = invoke(["test", "."])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert "ok    a-pass.yaml — passe" in lines
    assert "FAIL  b-fail.yaml — échoue" in lines
    assert "ERROR sub/c-bad.yaml" in lines
    assert lines[-1] == "1 passed, 1 failed, 1 unreadable"
    assert "Traceback" not in result.output
    # the unreadable one alone
    result = invoke(["test", "sub/c-bad.yaml"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed, 1 unreadable"


def test_test_command_missing_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "nowhere.yaml"])
    assert result.exit_code == 2
    assert "nowhere.yaml: file not found" in result.stderr


# -- explain ------------------------------------------------------------------------------------
def _explain(args: list[str]) -> dict:
    result = invoke(["explain", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_explain_central_indexation():
    central = str(Path(__file__).resolve().parents[2] / "scenarios" / "central.yaml")
    doc = _explain([central, "BNASS", "PA-F-COL", "2024", "--column", "indexation"])
    assert {"fund", "line", "year", "column", "value", "contributions"} <= set(doc)
    assert (doc["fund"], doc["line"], doc["year"], doc["column"]) == ("BNASS", "PA-F-COL", 2024, "indexation")
    assert doc["value"] == "91918.80"  # 810 000 × 0,11348
    assert [(c["rule"], c["amount"]) for c in doc["contributions"]] == [("R-INDEX-BNASS", "91918.80")]
    assert doc["contributions"][0]["citation"]


@pytest.mark.parametrize("column", COLUMNS)
def test_explain_contributions_sum_to_the_value(tmp_path, monkeypatch, column):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        name: explain
        assumptions:
          inflation: {forecast: {2022: "1.5%", 2023: "4.2%"}, actual: {2022: "5.3%"}}
        events:
          - {kind: execution, year: 2022, fund: BNGA, line: A-I-2-INFO, amount: "4 600 000"}
          - {kind: carry_over, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "100 000"}
          - {kind: execution, year: 2023, fund: BNGA, line: A-I-2-HORS, amount: "9 000 000"}
          - {kind: virement, year: 2023, fund: BNGA, from: A-I-2-INFO, to: A-I-2-HORS, amount: "50 000",
             date: 2023-03-01}
          - {kind: receipt, year: 2022, fund: BNGA, account: "7084", realised: "30 000", forecast: "0"}
        """)
    for line in ("A-I-2-INFO", "A-I-2-HORS", "A-I-2", "A-I", "I"):
        doc = _explain(["s.yaml", "BNGA", line, "2023", "--column", column])
        assert all(AMOUNT.match(c["amount"]) for c in doc["contributions"])
        assert sum(D(c["amount"]) for c in doc["contributions"]) == D(doc["value"]), (line, column)


def test_explain_names_the_scenario_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        name: source
        funds: [BNGA]
        events:
          - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: "1 000"}
          - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: "2 000,50"}
        """)
    doc = _explain(["s.yaml", "BNGA", "A-I-1", "2023", "--column", "executed"])
    assert doc["value"] == "3000.50"
    assert sorted((c["source"], c["amount"]) for c in doc["contributions"]) == [("s.yaml:4", "1000.00"),
                                                                                 ("s.yaml:5", "2000.50")]


def test_explain_bad_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", "name: x\nfunds: [BNGA]\n")
    for args in (["s.yaml", "BNGX", "A-I-1", "2023"], ["s.yaml", "BNGA", "A-I-9", "2023"],
                 ["s.yaml", "BNGA", "A-I-1", "2031"]):
        result = invoke(["explain", *args])
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


# -- help -----------------------------------------------------------------------------------------
def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [()] + list(_commands(main)), ids=lambda p: " ".join(p) or "budgetrules")
def test_every_subcommand_has_help_with_an_example(path):
    result = invoke([*path, "--help"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Example" in text, path
    after = text.split("Example", 1)[1]
    assert re.search(r"budgetrules " + re.escape(" ".join(path)), after), (path, after)


# -- --output ------------------------------------------------------------------------------------
def test_output_is_written_whole_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    printed = invoke(["run", "--format", "json"]).stdout
    result = invoke(["run", "--format", "json", "--output", "out.json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file left
    written = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert json.loads(written) == json.loads(printed)
    # a second run replaces the file whole
    (tmp_path / "out.csv").write_text("old content that is much longer than nothing" * 1000, encoding="utf-8")
    invoke(["run", "--format", "csv", "--fund", "BNPPS", "--output", "out.csv"])
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("# table: credits\nfund,line,")
    assert "old content" not in (tmp_path / "out.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["run", "--format", "md"],
                                  ["explain", "CENTRAL", "BNASS", "PA-F-COL", "2023", "--format", "json"]])
def test_output_goes_through_a_temporary_file_renamed_into_place(tmp_path, monkeypatch, args):
    central = str(Path(__file__).resolve().parents[2] / "scenarios" / "central.yaml")
    args = [central if a == "CENTRAL" else a for a in args]
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "report.out"
    target.write_text("previous report\n", encoding="utf-8")
    seen = {}
    real_replace = os.replace

    def failing_replace(src, dst):
        seen["src"], seen["dst"] = Path(src), Path(dst)
        seen["content"] = Path(src).read_text(encoding="utf-8")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(output_module.os, "replace", failing_replace)
    result = invoke([*args, "--output", str(target)])
    monkeypatch.setattr(output_module.os, "replace", real_replace)
    assert result.exit_code != 0
    # the write went to a temporary file in the same folder, complete, renamed onto the target...
    assert seen["dst"] == target and seen["src"].parent == tmp_path and seen["src"] != target
    assert seen["content"].strip()
    # ...and when the rename fails, the previous file is intact and the temporary file is gone
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.out"]
