"""`budgetrules bilan --execution FEC --mapping M`: the bilan says what was not read from the books, in
every format, and a bilan of partial books does not exit 0 as if whole — as `audit`, it exits 1 when
R-BOOKS-WHOLE is an error (lines left out, expense accounts the mapping does not know), the bilan
written all the same. Figures worked out by hand from the FEC files of tests/fec_data/."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

REPO = Path(__file__).resolve().parents[2]
MAPPING = "funds/canssm-2022-2024/mappings/canssm-fec.yaml"
TRUNCATED = "tests/fec_data/truncated.txt"
TWICE = "tests/fec_data/closing_opening_twice.txt"
WHOLE = "tests/fec_data/utf8_tab_debit_credit.txt"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch):
    monkeypatch.chdir(REPO)  # the sources are shown as the program was given them: relative paths


def bilan(fec: str, *extra: str):
    return CliRunner().invoke(main, ["bilan", "--year", "2023", "--execution", fec, "--mapping", MAPPING, *extra])


def executed(data: dict, fund: str, line: str) -> str:
    (table,) = [t for t in data["funds"] if t["fund"] == fund]
    (row,) = [r for r in table["lines"] if r["line"] == line]
    return row["years"]["2023"]["executed"]


def test_lines_left_out_make_the_bilan_partial_exit_1_and_listed():
    # truncated.txt: the entry IMM0001 (line 9, 218300 debit 999,99) is left out with its line 10, cut
    # short: 2 lines, 1 of them unreadable, 999,99 € of debits on the readable one
    result = bilan(TRUNCATED)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Écritures lues en partie : l'exécution de ce bilan est incomplète." in out
    assert "R-BOOKS-WHOLE" in out and "2 lignes du FEC écartées de l'exécution, dont 1 illisible(s)" in out
    assert "Exécution lue dans les écritures (FEC)" in out  # the books section, as run and audit show it
    assert f"{TRUNCATED}:9: entry IMM IMM0001" in out and f"{TRUNCATED}:10: 8 field(s) instead of 18" in out
    # the warning on stderr says the report lists them: it does (above)
    assert "the report lists them with their line numbers" in result.stderr
    assert "the books were not read whole (1 R-BOOKS-WHOLE error(s))" in result.stderr


def test_the_json_of_a_partial_bilan():
    result = bilan(TRUNCATED, "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    (finding,) = data["findings"]
    assert (finding["rule"], finding["severity"], finding["key"], finding["amount"], finding["source"]) == (
        "R-BOOKS-WHOLE", "error", "books.left_out", "999.99", f"{TRUNCATED}:9")
    books = data["execution_from_books"]
    assert (books["left_out_lines"], books["left_out_unreadable_lines"], books["left_out_amount"]) == (2, 1, "999.99")
    # what was read is counted: OD0001 641100 3 000,00 + 645100 1 234,56 on A-I-1 (« 64 »), ACH0001 606100
    # 1 200,50 on A-I-2-HORS (« 60 »); the receipt VTE0001 708400 500,05
    assert executed(data, "BNGA", "A-I-1") == "4234.56"
    assert executed(data, "BNGA", "A-I-2-HORS") == "1200.50"
    assert [(r["what"], r["realised"]) for r in data["receipts"]] == [("7084", "500.05")]


def test_closing_opening_twice_and_an_unmapped_account():
    # AN0001 (opening, lines 2-3, 10 000,00) and CLO0001 (closing, lines 15-19, 3 000,00 + 1 234,56 +
    # 1 200,50 + 75 000,00 = 80 435,06) excluded: 2 entries, 7 lines, 90 435,06 — a warning; ACH0001 read
    # again at line 12 (3 lines, 1 200,50) — a warning; 638000 (line 10, 75 000,00) on no line — an error
    result = bilan(TWICE, "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    found = [(f["severity"], f["key"], f["amount"], f["source"]) for f in data["findings"]]
    assert found == [("warning", "books.excluded", "90435.06", f"{TWICE}:2"),
                     ("warning", "books.duplicates", "1200.50", f"{TWICE}:12"),
                     ("error", "books.unmatched_expenses", "75000.00", f"{TWICE}:10")]
    # ACH0001 counted once, 638000 on no line, the closing entry not taken off the year's execution
    assert executed(data, "BNGA", "A-I-2-HORS") == "1200.50"
    assert executed(data, "BNGA", "A-I-1") == "4234.56"
    text = bilan(TWICE).stdout
    for listed in ("638000", f"{TWICE}:10", "CLO CLO0001", f"{TWICE}:15", "AN AN0001", f"{TWICE}:12"):
        assert listed in text, listed


def test_whole_books_exit_0_and_say_so():
    result = bilan(WHOLE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["findings"] == [] and data["execution_from_books"]["left_out_lines"] == 0
    text = bilan(WHOLE).stdout
    assert "Écritures lues en entier" in text and "Exécution lue dans les écritures (FEC)" in text


def test_without_books_nothing_is_said_of_them():
    result = CliRunner().invoke(main, ["bilan", "--year", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["findings"] == [] and "execution_from_books" not in data
    assert "Écritures" not in CliRunner().invoke(main, ["bilan", "--year", "2023"]).stdout


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx"])
def test_every_format_lists_what_was_left_out(fmt, tmp_path):
    out = tmp_path / f"bilan.{fmt}"
    result = bilan(TRUNCATED, "-o", str(out), "--lang", "en")
    assert result.exit_code == 1, result.output
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(out.read_bytes()))
        written = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)
    else:
        written = out.read_text(encoding="utf-8")
    assert "Books read in part: the execution in this bilan is incomplete." in written
    assert "R-BOOKS-WHOLE" in written
    assert f"{TRUNCATED}:9" in written and f"{TRUNCATED}:10" in written


@pytest.mark.parametrize("year, statement", [
    # scenarios/audit/sample-2022-2024.yaml: opening 58 371 718,99 (nothing in 2021); 2022: + 1 200 000
    # + 500 000 + 300 000 − 12 000 000 − 3 000 000 → 45 371 718,99; 2023: + 800 000 + 400 000 + 300 000
    # − 17 000 000 − 3 000 000 → 26 871 718,99
    (2022, ("58371718.99", "2000000.00", "15000000.00", "45371718.99")),
    (2023, ("45371718.99", "1500000.00", "20000000.00", "26871718.99")),
])
def test_the_reserve_statement_of_a_bilan_is_that_of_its_year(year, statement):
    result = CliRunner().invoke(main, ["bilan", "scenarios/audit/sample-2022-2024.yaml", "--year", str(year),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (fnmo,) = [t for t in data["funds"] if t["fund"] == "FNMO"]
    assert [r["year"] for r in fnmo["reserve"]] == [year]  # not 2021 nor the years not closed yet
    assert fnmo["reserve"] == [data["reserve"]["FNMO"]]
    row = data["reserve"]["FNMO"]
    assert (row["opening"], row["resources"], row["expenses"], row["closing"]) == statement
