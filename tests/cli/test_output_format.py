"""Without --format, the --output file's extension gives the format, on every command that writes a
file (`bilan`, `execution` as `run`); an extension the command does not write — a known one (`bilan -o
x.csv`: the bilan has no CSV form) or an unknown one (`.pdf`) — is an input error (exit 2) that says
what the command writes, and nothing is written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = str(REPO / "scenarios/audit/sample-2022-2024.yaml")
FEC = str(REPO / "tests/fec_data/utf8_tab_debit_credit.txt")
MAPPING = str(REPO / "funds/canssm-2022-2024/mappings/canssm-fec.yaml")
BILAN = ["bilan", SAMPLE, "--year", "2023"]


def written(args: list[str], out: Path) -> bytes:
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    return out.read_bytes()


@pytest.mark.parametrize("name, starts", [("bilan.md", b"# Bilan de l'ex\xc3\xa9cution budg\xc3\xa9taire 2023"),
                                          ("bilan.html", b"<!DOCTYPE html>"), ("bilan.htm", b"<!DOCTYPE html>"),
                                          ("bilan.xlsx", b"PK"),  # a zip: the workbook
                                          ("bilan.txt", b"Bilan de l'ex"), ("bilan", b"Bilan de l'ex")])
def test_the_bilan_follows_the_extension(name, starts, tmp_path):
    assert written(BILAN, tmp_path / name).startswith(starts)


def test_the_bilan_in_json_by_its_extension(tmp_path):
    data = json.loads(written(BILAN, tmp_path / "bilan.json"))
    assert data["kind"] == "bilan" and data["year"] == 2023


@pytest.mark.parametrize("args, name, says", [
    (BILAN, "bilan.csv", "budgetrules bilan does not write csv; it writes table (.txt), md (.md), json (.json), "
                         "xlsx (.xlsx), html (.html, .htm)"),
    (BILAN, "bilan.pdf", "budgetrules bilan does not know the extension .pdf"),
    (["run"], "credits.yaml", "budgetrules run does not write yaml"),
    (["funds", "show", "BNGA"], "bnga.docx", "budgetrules funds show does not know the extension .docx"),
    (["execution", FEC, "-m", MAPPING], "events.md", "budgetrules execution does not write md"),
])
def test_an_extension_the_command_does_not_write_is_an_input_error(args, name, says, tmp_path):
    out = tmp_path / name
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"error: --output: {out}: {says}" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_extension_is_written_when_format_is_given(tmp_path):
    assert written([*BILAN, "--format", "md"], tmp_path / "bilan.out").startswith(b"# Bilan")


@pytest.mark.parametrize("name, check", [
    ("events.yaml", lambda text: "\nevents:\n" in text),
    ("execution.json", lambda text: json.loads(text)["files"][0]["file"].endswith("utf8_tab_debit_credit.txt")),
    ("execution.csv", lambda text: text.startswith("section,year,fund,line,")),
])
def test_execution_follows_the_extension(name, check, tmp_path):
    assert check(written(["execution", FEC, "-m", MAPPING], tmp_path / name).decode("utf-8"))
