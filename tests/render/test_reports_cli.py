"""The reports of the real commands: the workbook of `audit --format xlsx` on the sample audit read
back equals `audit --format json`, cell for cell, and the HTML page carries its figures."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.core.money import fr_amount
from budgetrules.core.records import COLUMNS

openpyxl = pytest.importorskip("openpyxl")
SAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "audit" / "sample-2022-2024.yaml"


def _number(value) -> Decimal:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def test_audit_workbook_equals_the_json(tmp_path: Path) -> None:
    runner = CliRunner()
    doc = json.loads(runner.invoke(main, ["audit", str(SAMPLE), "--format", "json"]).stdout)
    out = tmp_path / "audit.xlsx"
    assert runner.invoke(main, ["audit", str(SAMPLE), "--format", "xlsx", "--output", str(out)]).exit_code == 1
    ws = openpyxl.load_workbook(out)["Détail"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if any(v is not None for v in r)]
    by_key = {(r[0], r[1], r[5]): r for r in rows if r[1] is not None}
    compared = 0
    for fund in doc["funds"]:
        for line in fund["lines"]:
            for year in fund["years"]:
                row = by_key[(fund["fund"], line["line"], year)]
                for i, column in enumerate(COLUMNS):
                    assert _number(row[6 + i]) == Decimal(line["years"][str(year)][column]), (line["line"], year, column)
                    compared += 1
    assert compared == sum(len(f["lines"]) * len(f["years"]) for f in doc["funds"]) * len(COLUMNS)


def test_audit_html_carries_the_authorised_credits(tmp_path: Path) -> None:
    runner = CliRunner()
    doc = json.loads(runner.invoke(main, ["audit", str(SAMPLE), "--format", "json"]).stdout)
    page = runner.invoke(main, ["audit", str(SAMPLE), "--format", "html"]).stdout
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    for fund in doc["funds"]:
        for line in fund["lines"]:
            for year in fund["years"]:
                assert fr_amount(Decimal(line["years"][str(year)]["authorised"])) in page, (line["line"], year)
