"""The books read once and read whole (issue 13), through the commands: dated events, entries counted
once, closing and opening entries excluded, nothing partial passing for whole (R-BOOKS-WHOLE), events
made from a FEC refused when the same books are read again, the same path twice refused.

The files are tests/fec_data/closing_opening_twice.txt and legal_grammar_cr.txt (their README works
out every figure), truncated.txt, and small files written here with the figures in the comments."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.fec.mapping import dated, fec_events
from budgetrules.fec.reader import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "fec_data"
MAPPING = "funds/canssm-2022-2024/mappings/canssm-fec.yaml"
CENTRAL = "scenarios/central.yaml"
YEAR_END = "tests/fec_data/closing_opening_twice.txt"
TRUNCATED = "tests/fec_data/truncated.txt"
GOOD = "tests/fec_data/utf8_tab_debit_credit.txt"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def fec_text(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    """(journal, number, date, account, debit, credit) rows under the legal header, tab-separated."""
    lines = ["\t".join(COLUMNS)]
    for j, num, day, acc, debit, credit in rows:
        lines.append("\t".join([j, "Journal", num, day, acc, "Compte", "", "", "P", day, "Libellé", debit, credit,
                                "", "", day, "", ""]))
    return "\n".join(lines) + "\n"


def executed(doc: dict, fund: str, line: str, year: int) -> str:
    (table,) = [t for t in doc["funds"] if t["fund"] == fund]
    (row,) = [r for r in table["lines"] if r["line"] == line]
    return row["years"][str(year)]["executed"]


# ------------------------------------------------------------------------------- dated execution

def test_a_negative_day_is_set_against_the_days_before_it():
    # the books' running total C: 10/01 100,00; 20/01 70,00 (a credit note of 30,00); 05/02 120,00;
    # 28/02 110,00 (another of 10,00). Counted to a day: the least C reaches from that day on:
    # E(10/01) = min(100, 70, 120, 110) = 70,00; E(20/01) = 70,00; E(05/02) = min(120, 110) = 110,00.
    # Events: 70,00 on 10/01 and 40,00 on 05/02; the year 110,00, the books' total exactly.
    days = {date(2023, 1, 10): [10000, {"f": 2}], date(2023, 1, 20): [-3000, {"f": 4}],
            date(2023, 2, 5): [5000, {"f": 6}], date(2023, 2, 28): [-1000, {"f": 8}]}
    assert dated(days) == [(date(2023, 1, 10), 7000, {"f": 2}), (date(2023, 2, 5), 4000, {"f": 6})]
    # a year whose total is negative makes no event: 50,00 then a credit note of 80,00
    assert dated({date(2023, 3, 1): [5000, {}], date(2023, 3, 2): [-8000, {}]}) == []


def test_execution_events_are_dated_and_a_credit_note_is_set_against_earlier_days(tmp_path):
    path = tmp_path / "avoir.txt"
    path.write_text(fec_text([  # 606100 (A-I-2-HORS): 1 000,00 on 10/01, a credit note of 300,00 on 20/01, 500,00 on 05/02
        ("ACH", "A1", "20230110", "606100", "1000,00", ""), ("ACH", "A1", "20230110", "401000", "", "1000,00"),
        ("ACH", "A2", "20230120", "401000", "300,00", ""), ("ACH", "A2", "20230120", "606100", "", "300,00"),
        ("ACH", "A3", "20230205", "606100", "500,00", ""), ("ACH", "A3", "20230205", "401000", "", "500,00")]),
        encoding="utf-8")
    events, report = fec_events([path], MAPPING)
    # C: 1 000 on 10/01, 700 on 20/01, 1 200 on 05/02 → events 700,00 on 10/01 and 500,00 on 05/02 (1 200,00)
    assert [(e["date"], e["amount"], e["source"].rsplit(":", 1)[1]) for e in events] == [
        (date(2023, 1, 10), "700.00", "2"), (date(2023, 2, 5), "500.00", "6")]
    assert any("1 day(s) with a negative total" in n for n in report.notes)


def test_the_execution_to_a_date_follows_the_entries_dates():
    # OD0001 (A-I-1, 4 234,56) is dated 31/01/2023, ACH0001 (A-I-2-HORS, 1 200,50) 15/01/2023:
    # on 20/01/2023 only the second is executed
    result = cli("run", "--execution", GOOD, "--mapping", MAPPING, "--fund", "BNGA", "--as-of", "2023-01-20",
                 "--format", "json")
    doc = json.loads(result.stdout)
    assert executed(doc, "BNGA", "A-I-1", 2023) == "0.00"
    assert executed(doc, "BNGA", "A-I-2-HORS", 2023) == "1200.50"


# --------------------------------------------------------------- closing, opening, twice, unmapped

def test_a_closing_entry_does_not_zero_the_year_and_each_entry_counts_once():
    # tests/fec_data/README.md: A-I-1 4 234,56 and A-I-2-HORS 1 200,50 (the closing entry CLO0001 excluded,
    # ACH0001 read twice counted once); 638000 (75 000,00) matches no rule: in no event
    result = cli("run", "--execution", YEAR_END, "--mapping", MAPPING, "--fund", "BNGA", "--format", "json")
    assert result.exit_code == 1  # R-BOOKS-WHOLE: an expense account the mapping does not know
    doc = json.loads(result.stdout)
    assert executed(doc, "BNGA", "A-I-1", 2023) == "4234.56"
    assert executed(doc, "BNGA", "A-I-2-HORS", 2023) == "1200.50"
    books = doc["execution_from_books"]
    assert books["unmatched"] == [{"account": "638000", "year": 2023, "amount": "75000.00", "lines": 1,
                                   "source": f"{YEAR_END}:10"}]
    assert [(e["kind"], e["number"], e["source"], e["lines"], e["amount"]) for e in books["excluded"]] == [
        ("opening", "AN0001", f"{YEAR_END}:2", 2, "10000.00"),
        ("closing", "CLO0001", f"{YEAR_END}:15", 5, "80435.06")]  # 3 000 + 1 234,56 + 1 200,50 + 75 000
    assert [(d["number"], d["kept"], d["source"], d["lines"], d["amount"]) for d in books["duplicates"]] == [
        ("ACH0001", f"{YEAR_END}:4", f"{YEAR_END}:12", 3, "1200.50")]
    assert (books["analytic_lines"], books["analytic_amount"]) == (1, "1200.50")  # 906100 of ACH0001, once
    assert books["left_out_lines"] == 0


def test_the_audit_says_how_many_lines_and_how_much_money():
    result = cli("audit", CENTRAL, "--execution", YEAR_END, "--mapping", MAPPING, "--format", "json")
    assert result.exit_code == 1
    found = [(f["severity"], f["key"], f["amount"], f["source"]) for f in json.loads(result.stdout)["findings"]
             if f["rule"] == "R-BOOKS-WHOLE"]
    assert found == [
        ("warning", "books.excluded", "90435.06", f"../{YEAR_END}:2"),  # 10 000,00 + 80 435,06, 7 lines
        ("warning", "books.duplicates", "1200.50", f"../{YEAR_END}:12"),
        ("error", "books.unmatched_expenses", "75000.00", f"../{YEAR_END}:10")]
    text = cli("audit", CENTRAL, "--execution", YEAR_END, "--mapping", MAPPING).stdout
    assert "2 écritures (7 lignes, 90 435,06 € au débit) hors exécution" in " ".join(text.split())
    assert "Aucune irrégularité" not in text


def test_partial_books_never_read_as_regular():
    # truncated.txt: its last line cut (line 10), IMM0001 left out with it: 2 lines, 999,99 € on line 9
    for fmt in ("table", "md"):
        result = cli("audit", CENTRAL, "--execution", TRUNCATED, "--mapping", MAPPING, "--format", fmt)
        assert result.exit_code == 1
        flat = " ".join(result.stdout.split())
        assert "Aucune irrégularité" not in flat and "1 irrégularité(s) relevée(s)" in flat
        assert "truncated.txt:10: 8 field(s) instead of 18" in flat
        if fmt == "md":  # (a text table wraps the message within its column)
            assert "2 lignes du FEC écartées de l'exécution, dont 1 illisible(s) ; 999,99 € au débit" in flat
    result = cli("audit", CENTRAL, "--execution", TRUNCATED, "--mapping", MAPPING, "--format", "json", "--lang", "en")
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "R-BOOKS-WHOLE"]
    assert (finding["severity"], finding["amount"], finding["source"]) == ("error", "999.99", f"../{TRUNCATED}:9")
    assert finding["message"] == (
        "2 FEC lines left out of the execution, 1 of them unreadable; €999.99 on the debit side of the readable "
        "lines left out (2 problems, listed with their line numbers): the execution read from the books is "
        "incomplete")


def test_whole_books_are_regular():
    result = cli("audit", CENTRAL, "--execution", GOOD, "--mapping", MAPPING)
    assert result.exit_code == 0 and "Aucune irrégularité" in result.stdout and "R-BOOKS-WHOLE" not in result.stdout


def books_part(path: Path) -> str:
    """What a report written to `path` shows of the books: the values of its books sheet (a workbook), one
    a line, or its books section (a page)."""
    if path.suffix == ".xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        rows = openpyxl.load_workbook(path)["Écritures (FEC)"].iter_rows(values_only=True)
        return "\n".join(str(value) for row in rows for value in row if value is not None)
    page = path.read_text(encoding="utf-8")
    start = page.index('<section id="ecritures">')
    return page[start:page.index("</section>", start)]


@pytest.mark.parametrize("command", ["run", "audit"])
@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json", "xlsx", "html"])
def test_every_output_lists_what_was_not_counted(command, fmt, tmp_path):
    args = [command, CENTRAL] if command == "audit" else [command]
    args += ["--execution", YEAR_END, "--mapping", MAPPING, "--format", fmt]
    if fmt in ("xlsx", "html"):  # the words in the books' own sheet or section
        path = tmp_path / f"report.{fmt}"
        assert cli(*args, "--output", str(path)).exit_code == 1
        out = books_part(path)
    else:
        out = cli(*args).stdout
    for word in ("638000", "75", "AN0001", "CLO0001", "80", "ACH0001", f"{YEAR_END}:12"):
        assert word in out, (word, out[-3000:])


def test_the_workbook_and_the_page_show_the_books_with_their_amounts(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "audit.xlsx"
    cli("audit", CENTRAL, "--execution", YEAR_END, "--mapping", MAPPING, "-o", str(book), "--lang", "en")
    wb = openpyxl.load_workbook(book)
    names = wb.sheetnames
    assert names.index("Books (FEC)") == names.index("Published tables") + 1  # after the findings
    rows = {row[0].value: row for row in wb["Books (FEC)"].iter_rows() if row[0].value}
    account = rows["638000"]  # the unmatched account: its year, first line, total (a number in euros), lines
    assert [c.value for c in account[:5]] == [
        "638000", 2023, f"{YEAR_END}:10", Decimal("75000.00"), 1] and "€" in account[3].number_format
    closing = rows["closing"]  # CLO0001: 3 000 + 1 234,56 + 1 200,50 + 75 000 on the debit side, 5 lines
    assert (closing[1].value, closing[4].value, Decimal(repr(closing[5].value))) == (
        "CLO CLO0001", 5, Decimal("80435.06"))
    again = rows["ACH ACH0001"]
    assert (again[2].value, again[3].value) == (f"{YEAR_END}:4", f"{YEAR_END}:12")
    # the lines left out, with their line numbers and the summary; the page: its section and a link to it
    book = tmp_path / "run.xlsx"
    page = tmp_path / "run.html"
    for path in (book, page):
        assert cli("run", "--execution", TRUNCATED, "--mapping", MAPPING, "-o", str(path)).exit_code == 1
    sheet = books_part(book)
    assert "2 lignes écartées (999,99 € au débit des lignes lisibles)" in sheet
    assert f"{TRUNCATED}:10\n8 field(s) instead of 18" in sheet
    section = books_part(page)
    assert "<p class=\"note\">2 lignes écartées (999,99 € au débit des lignes lisibles)</p>" in section
    assert f"<tr><td>{TRUNCATED}:10</td><td>8 field(s) instead of 18" in section
    assert '<a href="#ecritures">Exécution lue dans les écritures (FEC)</a>' in page.read_text(encoding="utf-8")
    page = tmp_path / "audit.html"
    cli("audit", CENTRAL, "--execution", YEAR_END, "--mapping", MAPPING, "-o", str(page))
    assert f'<td>{YEAR_END}:10</td><td class="num">75 000,00 €</td><td class="num">1</td>' in books_part(page)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "yaml"])
def test_execution_lists_what_was_not_counted(fmt):
    out = cli("execution", YEAR_END, "-m", MAPPING, "--format", fmt).stdout
    if fmt == "yaml":  # comments say it, the events do not hold it
        assert "2 closing or opening entr(y/ies) excluded" in out and "1 entr(y/ies) read twice" in out
        return
    for word in ("638000", "AN0001", "CLO0001", f"{YEAR_END}:12"):
        assert word in out, (word, out)


def test_the_csv_of_run_has_a_books_table():
    out = cli("run", "--execution", TRUNCATED, "--mapping", MAPPING, "--format", "csv").stdout
    books = out.split("# table: books\n", 1)[1].splitlines()
    assert books[0] == "section,source,account,year,entry,date,kind,lines,amount,message"
    assert "left_out,,,,,,,2,999.99,1 unreadable; 2 problem(s)" in books
    assert any(row.startswith(f"left_out,{TRUNCATED}:10,") for row in books)


def test_the_legal_grammar_reads_to_the_same_figures():
    # legal_grammar_cr.txt: +1200,50, zero padding, a third decimal 0, blanks, a debit of -4234,56, CR line ends,
    # a trailing '|' and a 19th column: the figures of the plain file
    plain = json.loads(cli("run", "--execution", GOOD, "--mapping", MAPPING, "--fund", "BNGA", "--format",
                           "json").stdout)
    legal = json.loads(cli("run", "--execution", "tests/fec_data/legal_grammar_cr.txt", "--mapping", MAPPING,
                           "--fund", "BNGA", "--format", "json").stdout)
    for line in ("A-I-1", "A-I-2-HORS"):
        assert executed(legal, "BNGA", line, 2023) == executed(plain, "BNGA", line, 2023) != "0.00"
    files = legal["execution_from_books"]["files"]
    assert [(f["line_end"], f["extra_columns"], f["left_out_lines"]) for f in files] == [
        ("CR", ["CodeEtablissement"], 0)]


# ------------------------------------------------------------------------------------ input errors

def test_the_same_path_twice_is_an_input_error():
    result = cli("execution", GOOD, "tests/../tests/fec_data/utf8_tab_debit_credit.txt", "-m", MAPPING)
    assert result.exit_code == 2 and "given twice" in result.stderr and result.stdout == ""
    result = cli("run", "--execution", GOOD, "--execution", GOOD, "--mapping", MAPPING)
    assert result.exit_code == 2 and f"{GOOD}: given twice" in result.stderr


def test_a_file_of_which_every_line_is_left_out_is_an_input_error(tmp_path):
    path = tmp_path / "nothing.txt"  # both lines have a date of 7 digits
    path.write_text(fec_text([("J", "1", "2023011", "606100", "1,00", ""), ("J", "1", "2023011", "401000", "", "1,00")]))
    result = cli("run", "--execution", str(path), "--mapping", MAPPING)
    assert result.exit_code == 2
    assert "every one of its 2 line(s) is left out: nothing in this file can be used" in result.stderr


def test_events_made_from_the_books_are_refused_with_the_same_books(tmp_path):
    made = cli("execution", GOOD, "-m", MAPPING, "--format", "yaml").stdout
    scenario = tmp_path / "pasted.yaml"
    scenario.write_text("name: pasted from the books\n" + made, encoding="utf-8")
    first_event = made.splitlines().index("events:") + 3  # the name line, then the events
    # the same file, and the same entries in another dialect (ISO-8859-15, '|', CRLF): the same fingerprint
    for fec in (GOOD, "tests/fec_data/latin9_pipe_debit_credit.txt"):
        result = cli("run", str(scenario), "--execution", fec, "--mapping", MAPPING)
        assert result.exit_code == 2
        assert f"pasted.yaml:{first_event}: 4 event line(s) of this scenario (from this line) were made from the " \
               f"books of {fec}" in result.stderr
        assert "would be counted twice" in result.stderr
    # other books that make one of the same events again (truncated.txt holds OD0001 too): refused as well
    result = cli("run", str(scenario), "--execution", TRUNCATED, "--mapping", MAPPING)
    assert result.exit_code == 2 and "make the same one again" in result.stderr
    # the pasted events alone run: A-I-1 2023 executed 4 234,56, once
    result = cli("run", str(scenario), "--fund", "BNGA", "--format", "json")
    assert executed(json.loads(result.stdout), "BNGA", "A-I-1", 2023) == "4234.56"


def test_the_rule_s_scenario_says_true():
    """scenarios/rules/r-books-whole.yaml: its events, pasted from truncated.txt, are refused with the same books."""
    result = cli("run", "scenarios/rules/r-books-whole.yaml", "--execution", TRUNCATED, "--mapping", MAPPING)
    assert result.exit_code == 2 and "r-books-whole.yaml:20: 3 event line(s)" in result.stderr
