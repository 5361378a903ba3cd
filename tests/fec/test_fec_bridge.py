"""`run` and `audit` with `--execution FEC… --mapping M`: the books' entries become execution events."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from budgetrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "fec_data"
FEC = DATA / "utf8_tab_debit_credit.txt"
MAPPING = ROOT / "funds" / "canssm-2022-2024" / "mappings" / "canssm-fec.yaml"


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_run_takes_the_execution_from_the_books() -> None:
    result = _run("run", "--execution", str(FEC), "--mapping", str(MAPPING), "--fund", "BNGA", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    lines = {ln["line"]: ln["years"] for ln in doc["funds"][0]["lines"]}
    # tests/fec_data/README.md: 641100 3 000,00 + 645100 1 234,56 (personnel, 2023) = 4 234,56;
    # 606100 1 200,50 (fonctionnement hors informatique, 2023); 218300 999,99 (capital informatique, 2022)
    assert lines["A-I-1"]["2023"]["executed"] == "4234.56"
    assert lines["A-I-2-HORS"]["2023"]["executed"] == "1200.50"
    assert lines["A-I-3-INFO"]["2022"]["executed"] == "999.99"
    # A-I-3-INFO carries its unconsumed CP automatically (R-CARRY-BNGA-CP): 720 000 − 999,99 into 2023
    assert lines["A-I-3-INFO"]["2023"]["carry_in"] == "719000.01"


def test_execution_needs_a_mapping() -> None:
    result = CliRunner().invoke(main, ["run", "--execution", str(FEC)])
    assert result.exit_code == 2
    assert "--mapping" in result.output


def test_audit_on_the_books_is_regular() -> None:
    result = _run("audit", str(ROOT / "scenarios" / "central.yaml"), "--execution", str(FEC), "--mapping", str(MAPPING),
                  "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["error"] == 0


TRUNCATED = DATA / "truncated.txt"


def test_the_report_says_exactly_what_was_left_out() -> None:
    result = _run("audit", str(ROOT / "scenarios" / "central.yaml"), "--execution", str(TRUNCATED), "--mapping",
                  str(MAPPING), "--format", "json")
    books = json.loads(result.stdout)["execution_from_books"]
    # tests/fec_data/README.md: the last line (10) is cut to 8 fields; its entry IMM0001 starts on line 9
    assert books["left_out_lines"] == 2
    assert [p.split(": ")[0].rsplit(":", 1)[1] for p in books["problems"]] == ["9", "10"]


def test_strict_refuses_a_file_with_a_malformed_line() -> None:
    result = CliRunner().invoke(main, ["run", "--execution", str(TRUNCATED), "--mapping", str(MAPPING), "--strict"])
    assert result.exit_code == 2
    assert "truncated.txt:10:" in result.output
