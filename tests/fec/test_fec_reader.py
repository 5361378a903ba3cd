"""The FEC reader (budgetrules/fec/reader.py and the modules it reads with; issue 13): the legal grammar, entries
counted once, entries that are not execution, unusable files, blocks and worker processes.

Every file here is made by hand in the test; the expected figures are worked out in the comments.
The rules each test checks are written in docs/fec.md."""
from __future__ import annotations

import random
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.core.errors import InputErrors
from budgetrules.fec import reader as fr
from budgetrules.fec.reader import COLUMNS, SENS_COLUMNS, amount_cents, read_fec

D = date


@pytest.fixture(autouse=True)
def _in_tmp(request, monkeypatch):
    """Files are named as the user typed them: run from the folder of the test's files."""
    if "tmp_path" in request.fixturenames:
        monkeypatch.chdir(request.getfixturevalue("tmp_path"))


def row(j: str, num: str, day: str, acc: str, debit: str = "", credit: str = "", label: str = "x",
        aux: str = "") -> list[str]:
    """One line of a FEC (Debit/Credit); for Montant/Sens pass the amount and the direction."""
    return [j, "Journal", num, day, acc, "Compte", aux, "", "P1", day, label, debit, credit, "", "", day, "", ""]


def fec(rows: list[list[str]], *, sep: str = "\t", sens: bool = False, eol: str = "\n", trailing: bool = False,
        extra: tuple[str, ...] = (), header_trailing: bool | None = None) -> str:
    head = list(SENS_COLUMNS if sens else COLUMNS) + list(extra)
    end = sep if trailing else ""
    head_end = end if header_trailing is None else (sep if header_trailing else "")
    lines = [sep.join(head) + head_end] + [sep.join(r) + end for r in rows]
    return eol.join(lines) + eol


def write(folder: Path, name: str, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def totals(books) -> dict:
    return {k: c.cents for k, c in books.totals.items()}


def left(books) -> dict:
    return {k: c.cents for k, c in books.left_out.items()}


def problems(books) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in books.report.problems]


# The four entries of tests/fec_data (its README), in cents:
#   ACH0001 15/01/2023  606100 debit 1 200,50            401000 credit 1 200,50
#   OD0001  31/01/2023  641100 debit 3 000,00   645100 debit 1 234,56   421000 credit 4 234,56
#   VTE0001 10/03/2023  411000 debit   500,05            708400 credit   500,05
#   IMM0001 31/12/2022  218300 debit   999,99            404000 credit   999,99
FOUR = [
    ("ACH", "ACH0001", "20230115", [("606100", "1200,50", ""), ("401000", "", "1200,50")]),
    ("OD", "OD0001", "20230131", [("641100", "3000,00", ""), ("645100", "1234,56", ""), ("421000", "", "4234,56")]),
    ("VTE", "VTE0001", "20230310", [("411000", "500,05", ""), ("708400", "", "500,05")]),
    ("IMM", "IMM0001", "20221231", [("218300", "999,99", ""), ("404000", "", "999,99")]),
]
EXPECTED = {  # debit − credit per (account, EcritureDate)
    ("606100", D(2023, 1, 15)): 120050, ("401000", D(2023, 1, 15)): -120050,
    ("641100", D(2023, 1, 31)): 300000, ("645100", D(2023, 1, 31)): 123456, ("421000", D(2023, 1, 31)): -423456,
    ("411000", D(2023, 3, 10)): 50005, ("708400", D(2023, 3, 10)): -50005,
    ("218300", D(2022, 12, 31)): 99999, ("404000", D(2022, 12, 31)): -99999,
}


def four_rows(sens: bool = False, label: str = "Écriture n° 1 - Société Générale") -> list[list[str]]:
    rows = []
    for j, num, day, lines in FOUR:
        for acc, debit, credit in lines:
            if sens:
                rows.append(row(j, num, day, acc, debit or credit, "D" if debit else "C", label))
            else:
                rows.append(row(j, num, day, acc, debit, credit, label))
    return rows


# ------------------------------------------------------------------------------ dialects of the format

@pytest.mark.parametrize("sep", ["\t", "|"])
@pytest.mark.parametrize("sens", [False, True])
@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-15"])
def test_every_dialect_reads_the_four_entries_to_the_cent(tmp_path, sep, sens, eol, encoding):
    path = write(tmp_path, "f.txt", fec(four_rows(sens), sep=sep, sens=sens, eol=eol), encoding)
    books = read_fec([path])
    assert totals(books) == EXPECTED
    (f,) = books.report.files
    assert (f.separator, f.variant, f.encoding) == (sep, "Montant/Sens" if sens else "Debit/Credit", encoding)
    assert f.line_end == {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[eol]
    assert (f.lines, f.rows, f.blank_lines, f.left_out_lines) == (10, 9, 0, 0)  # the header and 9 lines
    assert books.report.problem_count == 0 and not books.left_out
    assert books.totals[("641100", D(2023, 1, 31))].sources == {"f.txt": 4}  # line 4: header, 2 lines of ACH0001


def test_a_utf8_mark_blank_lines_and_line_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = fec(four_rows()).split("\n")
    # lines 1 header, 2-3 ACH, then two blank lines (4, 5), OD on 6-8, VTE 9-10, a blank line 11, IMM 12-13
    text = "\n".join(lines[:3] + ["", "   "] + lines[3:8] + [""] + lines[8:])
    path = write(tmp_path, "bom.txt", text.replace("645100\tCompte", "64510\tCompte"), bom=True)
    books = read_fec([path])
    expected = dict(EXPECTED)
    expected[("64510", D(2023, 1, 31))] = expected.pop(("645100", D(2023, 1, 31)))
    assert totals(books) == expected
    f = books.report.files[0]
    assert (f.blank_lines, f.rows, f.lines, f.encoding) == (3, 9, 13, "utf-8")
    assert books.totals[("641100", D(2023, 1, 31))].sources == {"bom.txt": 6}
    assert books.totals[("218300", D(2022, 12, 31))].sources == {"bom.txt": 12}


def test_an_iso_8859_15_file_keeps_its_accents_and_euro_sign(tmp_path):
    # 0xA4 is € in ISO-8859-15 (¤ in Latin-1); an auxiliary account with accents is part of the entry
    rows = [row("VTÉ", "É1", "20230105", "411ÉLÈVE", "10,00", "", "Cotisation 10 €", aux="CLIÉNT"),
            row("VTÉ", "É1", "20230105", "706000", "", "10,00", "Cotisation 10 €")]
    path = write(tmp_path, "latin9.txt", fec(rows), "iso-8859-15")
    assert b"\xa4" in path.read_bytes() and b"\xc9" in path.read_bytes()
    books = read_fec([path])
    assert books.report.files[0].encoding == "iso-8859-15"
    assert totals(books) == {("411ÉLÈVE", D(2023, 1, 5)): 1000, ("706000", D(2023, 1, 5)): -1000}


def test_optional_columns_after_the_18_and_a_trailing_separator(tmp_path):
    rows = [r + ["75001"] for r in four_rows()]  # a 19th column, CodeEtablissement
    path = write(tmp_path, "extra.txt", fec(rows, extra=("CodeEtablissement",), trailing=True))
    books = read_fec([path])
    assert totals(books) == EXPECTED
    assert books.report.files[0].extra_columns == ("CodeEtablissement",)
    # a separator at the end of each line, not of the header
    path = write(tmp_path, "trail.txt", fec(four_rows(), sep="|", trailing=True, header_trailing=False))
    assert totals(read_fec([path])) == EXPECTED


# ----------------------------------------------------------------------------------- the amounts

@pytest.mark.parametrize("text, cents, code", [
    ("1234,56", 123456, 0), ("0,00", 0, 0), ("", 0, 0), ("12", 1200, 0), ("12,5", 1250, 0), ("-0,01", -1, 0),
    ("+5", 500, 0), ("-5", -500, 0), ("0000000000000002500,00", 250000, 0), ("   12,50", 1250, 0),
    ("12,50  ", 1250, 0), ("- 12,50", -1250, 0), ("100,000", 10000, 0), ("7,1000000", 710, 0),
    ("999999999999999,99", 99999999999999999, 0),
    ("1,005", 0, 2), ("0,001", 0, 2),
    ("1.5", 0, 1), ("1 234,00", 0, 1), ("1e5", 0, 1), (",5", 0, 1), ("-", 0, 1), ("1,2,3", 0, 1), ("5,", 0, 1),
    ("+-5", 0, 1), ("1_000", 0, 1), ("١٢", 0, 1), ("1,+5", 0, 1),
    ("1000000000000000,00", 0, 3), ("1234567890123456789012345678901234567890,00", 0, 3),
])
def test_amount_grammar(text, cents, code):
    assert amount_cents(text) == (cents, code)


def test_the_grammar_of_the_issue_in_one_file(tmp_path):
    rows = [  # (worked out: debit − credit of each line)
        row("J", "1", "20230101", "606", "+10,00", "-5,00"),                     # 10,00 + 5,00 = 1 500
        row("J", "1", "20230101", "401", "", "0000000000000000015,00"),         # −1 500
        row("J", "2", "20230102", "606", "   12,50", ""),                        # 1 250
        row("J", "2", "20230102", "401", "", "12,500"),                          # −1 250 (a third decimal 0)
        row("J", "3", "20230103", "606", "1,005", ""),                           # not cents: line 6 left out
        row("J", "3", "20230103", "401", "", "1,01"),                            # its entry with it: line 7
    ]
    path = write(tmp_path, "g.txt", fec(rows))
    books = read_fec([path])
    assert totals(books) == {("606", D(2023, 1, 1)): 1500, ("401", D(2023, 1, 1)): -1500,
                             ("606", D(2023, 1, 2)): 1250, ("401", D(2023, 1, 2)): -1250}
    assert problems(books) == [
        (6, "Debit '1,005' has more than two significant decimals: not a whole number of cents"),
        (6, "entry J 3 (from line 6): its 1 well-formed line(s) are left out with its malformed line(s)")]
    assert left(books) == {("401", D(2023, 1, 3)): -101}
    assert books.report.counts == {"amount": 1, "entry": 1}


@pytest.mark.parametrize("text, direction", [("D", 1), (" d ", 1), ("+1", 1), ("1", 1), (" C", -1), ("c", -1),
                                             ("-1 ", -1), ("", 0), ("X", 0), ("DC", 0), ("+ 1", 0)])
def test_sens_grammar(text, direction):
    assert fr.sens_direction(text) == direction


def test_sens_as_letters_or_signs_with_blanks(tmp_path):
    rows = [row("J", "1", "20230101", "606", "10,00", " D "), row("J", "1", "20230101", "401", "4,00", "-1"),
            row("J", "1", "20230101", "402", "6,00", " c"), row("J", "2", "20230102", "606", "1,00", "+1 "),
            row("J", "2", "20230102", "401", "1,00", " C")]
    path = write(tmp_path, "s.txt", fec(rows, sens=True, sep="|"))
    assert totals(read_fec([path])) == {("606", D(2023, 1, 1)): 1000, ("401", D(2023, 1, 1)): -400,
                                        ("402", D(2023, 1, 1)): -600, ("606", D(2023, 1, 2)): 100,
                                        ("401", D(2023, 1, 2)): -100}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="0123456789,-+ e.", max_size=9))
def test_the_block_reader_applies_the_grammar(text):
    """A two-line entry with `text` as debit and as credit: kept iff amount_cents reads it."""
    cents, code = amount_cents(text)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "f.txt", fec([row("J", "1", "20230102", "606", text, ""),
                                                 row("J", "1", "20230102", "401", "", text)]))
        try:
            books = read_fec([path])
        except InputErrors as refused:  # both lines left out: nothing usable
            assert code and "every one of its 2 line(s) is left out" in str(refused)
            return
    assert not code
    assert totals(books) == {("606", D(2023, 1, 2)): cents, ("401", D(2023, 1, 2)): -cents}


# ------------------------------------------------------------------------------ malformed lines, entries

def test_malformed_lines_are_left_out_and_listed_with_their_entry(tmp_path):
    rows = [
        row("J", "1", "20230101", "606", "10,00"), row("J", "1", "20230101", "401", "", "10,00"),  # 2-3 kept
        row("J", "2", "2023-01-02", "606", "5,00"), row("J", "2", "20230102", "401", "", "5,00"),  # 4-5 bad date
        row("J", "3", "20230103", "X06", "7,00"), row("J", "3", "20230103", "401", "", "7,00"),    # 6-7 no class
        row("J", "4", "20230104", "606", "8,00"), row("J", "4", "20230104", "401", "", "7,00"),    # 8-9 unbalanced
        row("J", "5", "20230105", "606", "1,50"), row("J", "5", "20230105", "401", "", "1,50"),    # 10-11 kept
    ]
    text = fec(rows).split("\n")
    text.insert(6, "J\tshort line")  # line 7: two fields, within entry J 3 (now lines 6-8)
    path = write(tmp_path, "bad.txt", "\n".join(text))
    books = read_fec([path])
    assert totals(books) == {("606", D(2023, 1, 1)): 1000, ("401", D(2023, 1, 1)): -1000,
                             ("606", D(2023, 1, 5)): 150, ("401", D(2023, 1, 5)): -150}
    assert problems(books) == [
        (4, "EcritureDate '2023-01-02' is not a date AAAAMMJJ (1900 to 2100)"),
        (4, "entry J 2 (from line 4): its 1 well-formed line(s) are left out with its malformed line(s)"),
        (6, "CompteNum 'X06' has no known class: an account number starts with its class, a digit 1 to 9"),
        (6, "entry J 3 (from line 6): its 1 well-formed line(s) are left out with its malformed line(s)"),
        (7, "2 field(s) instead of 18 (a line cut short? was the file truncated?)"),
        (9, "entry J 4 (2 line(s) from line 9) does not balance: debit − credit = 1,00"),
    ]
    assert books.report.counts == {"date": 1, "account": 1, "columns": 1, "entry": 2, "unbalanced": 1}
    assert books.report.left_out_lines == 7  # 3 malformed, their 2 good lines, the 2 of J 4
    # what was left out is kept apart: the good halves, and J 4 (8,00 and −7,00)
    assert left(books) == {("401", D(2023, 1, 2)): -500, ("401", D(2023, 1, 3)): -700,
                           ("606", D(2023, 1, 4)): 800, ("401", D(2023, 1, 4)): -700}
    with pytest.raises(InputErrors) as caught:
        read_fec([path], strict=True)
    assert [p.line for p in caught.value.problems] == [4, 4, 6, 6, 7, 9]


def test_a_separator_inside_a_label(tmp_path):
    rows = four_rows()
    rows[3][10] = "Paie | janvier"  # line 5, OD0001: 19 fields with '|' as separator
    books = read_fec([write(tmp_path, "p.txt", fec(rows, sep="|", eol="\r\n"))])
    assert problems(books) == [
        (4, "entry OD OD0001 (from line 4): its 2 well-formed line(s) are left out with its malformed line(s)"),
        (5, "19 field(s) instead of 18 (is there a '|' inside a label? '|' separates the fields of this file)")]
    assert ("641100", D(2023, 1, 31)) not in books.totals and len(books.totals) == 6


def test_an_entry_whose_lines_are_apart_is_joined(tmp_path):
    rows = [row("J", "1", "20230101", "606", "1,00"), row("K", "9", "20230101", "606", "3,00"),
            row("K", "9", "20230101", "401", "", "3,00"), row("J", "1", "20230101", "401", "", "1,00")]
    for block in (64, 1 << 20):
        books = read_fec([write(tmp_path, "apart.txt", fec(rows))], block_size=block)
        assert totals(books) == {("606", D(2023, 1, 1)): 400, ("401", D(2023, 1, 1)): -400}
        assert books.report.problem_count == 0 and not books.report.duplicates


def test_an_entry_on_two_dates_is_left_out(tmp_path):
    rows = [row("J", "1", "20230101", "606", "1,00"), row("J", "1", "20230102", "401", "", "1,00")]
    books = read_fec([write(tmp_path, "d.txt", fec(rows + four_rows()))])
    assert totals(books) == EXPECTED
    assert problems(books) == [(2, "entry J 1 (from line 2) has lines on 01/01/2023 and on 02/01/2023: its 2 "
                                   "line(s) are left out")]


def test_the_problem_list_is_capped_but_every_problem_counted(tmp_path):
    rows = [row("J", str(i), "20231301", "606", "1,00") for i in range(30)] + four_rows()
    path = write(tmp_path, "dates.txt", fec(rows))
    books = read_fec([path], max_errors=5)
    assert len(books.report.problems) == 5 and books.report.counts["date"] == 30
    with pytest.raises(InputErrors) as caught:
        read_fec([path], strict=True, max_errors=5)
    assert caught.value.problems[-1].message == "… and 25 more problem(s) not listed"


# --------------------------------------------------------------------------- duplicates and conflicts

def test_the_same_entry_twice_in_one_file_is_counted_once(tmp_path):
    rows = four_rows() + four_rows()[:2]  # ACH0001 again on lines 11-12
    books = read_fec([write(tmp_path, "twice.txt", fec(rows))])
    assert totals(books) == EXPECTED
    (dup,) = books.report.duplicates
    assert (dup.key, dup.kept, dup.duplicate, dup.lines) == (("ACH", "ACH0001", D(2023, 1, 15)), ("twice.txt", 2),
                                                             ("twice.txt", 11), 2)
    assert books.report.problem_count == 0


def test_an_entry_written_twice_in_a_row_is_counted_once(tmp_path):
    # OD0001 (3 lines, 4-6) written again right after itself (7-9): one run of the same lines twice
    rows = four_rows()
    rows = rows[:5] + rows[2:5] + rows[5:]
    books = read_fec([write(tmp_path, "row.txt", fec(rows))])
    assert totals(books) == EXPECTED
    (dup,) = books.report.duplicates
    assert (dup.key, dup.kept, dup.duplicate, dup.lines) == (("OD", "OD0001", D(2023, 1, 31)), ("row.txt", 4),
                                                             ("row.txt", 7), 3)
    # but the same lines twice within one entry, in another order, are one entry of 6 lines
    rows = four_rows()
    rows = rows[:5] + [rows[3], rows[2], rows[4]] + rows[5:]
    books = read_fec([write(tmp_path, "one.txt", fec(rows))])
    assert books.totals[("641100", D(2023, 1, 31))].cents == 600000 and not books.report.duplicates


def test_the_same_entry_in_two_files_is_counted_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write(tmp_path, "a.txt", fec(four_rows()))
    b = write(tmp_path, "b.txt", fec(four_rows()[5:7] + [row("J", "9", "20230401", "606", "2,00"),
                                                           row("J", "9", "20230401", "401", "", "2,00")],
                                     sep="|", eol="\r\n"), "iso-8859-15")
    books = read_fec([a, b])  # VTE0001 (lines 7-8 of a.txt) is lines 2-3 of b.txt
    expected = dict(EXPECTED)
    expected.update({("606", D(2023, 4, 1)): 200, ("401", D(2023, 4, 1)): -200})
    assert totals(books) == expected
    assert [(d.kept, d.duplicate) for d in books.report.duplicates] == [(("a.txt", 7), ("b.txt", 2))]
    assert books.totals[("411000", D(2023, 3, 10))].sources == {"a.txt": 7}  # not b.txt: not counted there


def test_a_key_with_other_lines_is_a_conflict(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write(tmp_path, "a.txt", fec(four_rows()))
    other = [row("VTE", "VTE0001", "20230310", "411000", "600,00"), row("VTE", "VTE0001", "20230310", "708400", "",
                                                                         "600,00")]
    b = write(tmp_path, "b.txt", fec(other))
    books = read_fec([a, b])
    assert totals(books) == EXPECTED  # the first is counted
    assert left(books) == {("411000", D(2023, 3, 10)): 60000, ("708400", D(2023, 3, 10)): -60000}
    (c,) = books.report.conflicts
    assert (c.key, c.first, c.second) == (("VTE", "VTE0001", D(2023, 3, 10)), ("a.txt", 7), ("b.txt", 2))
    assert problems(books) == [(2, "entry VTE VTE0001 of 10/03/2023 (2 line(s)) has the key of the entry at a.txt:7 "
                                   "but other lines: it is left out, the first one is counted")]
    with pytest.raises(InputErrors, match="b.txt:2: entry VTE VTE0001"):
        read_fec([a, b], strict=True)


def test_the_same_path_twice_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write(tmp_path, "a.txt", fec(four_rows()))
    with pytest.raises(InputErrors, match="given twice"):
        read_fec([a, tmp_path / "." / "a.txt"])


# ------------------------------------------------------------------- entries that are not execution

def test_a_closing_entry_is_excluded_and_execution_stays_the_real_one(tmp_path):
    # the year: 641100 debit 3 000,00 and 706000 credit 5 000,00; on 31/12 the closing entry moves
    # their balances into 120000 (profit 2 000,00): 641100 credit 3 000, 706000 debit 5 000, 120000 credit 2 000
    rows = [row("OD", "1", "20230131", "641100", "3000,00"), row("OD", "1", "20230131", "421000", "", "3000,00"),
            row("VT", "2", "20230215", "411000", "5000,00"), row("VT", "2", "20230215", "706000", "", "5000,00"),
            row("CLO", "3", "20231231", "641100", "", "3000,00"), row("CLO", "3", "20231231", "706000", "5000,00"),
            row("CLO", "3", "20231231", "120000", "", "2000,00")]
    books = read_fec([write(tmp_path, "c.txt", fec(rows))])
    assert totals(books) == {("641100", D(2023, 1, 31)): 300000, ("421000", D(2023, 1, 31)): -300000,
                             ("411000", D(2023, 2, 15)): 500000, ("706000", D(2023, 2, 15)): -500000}
    (e,) = books.report.excluded
    assert (e.kind, e.journal, e.num, e.date, e.file, e.line, e.lines, e.cents) == (
        "closing", "CLO", "3", D(2023, 12, 31), "c.txt", 6, 3, 500000)


def test_opening_entries_are_excluded(tmp_path):
    rows = [  # journal AN, and an entry of 01/01 on classes 1-5 with its class 1 (capital, result)
        row("AN", "1", "20230101", "512000", "800,00"), row("AN", "1", "20230101", "101300", "", "800,00"),
        row("OD", "2", "20230101", "411000", "50,00"), row("OD", "2", "20230101", "110000", "", "50,00"),
        # an investment on 01/01 (no class 1 line): execution, kept
        row("IM", "3", "20230101", "218300", "99,00"), row("IM", "3", "20230101", "404000", "", "99,00"),
    ]
    books = read_fec([write(tmp_path, "o.txt", fec(rows))])
    assert totals(books) == {("218300", D(2023, 1, 1)): 9900, ("404000", D(2023, 1, 1)): -9900}
    assert [(e.kind, e.journal, e.line, e.cents) for e in books.report.excluded] == [
        ("opening", "AN", 2, 80000), ("opening", "OD", 4, 5000)]


def test_analytic_lines_are_ignored_without_dropping_their_entry(tmp_path):
    rows = [row("J", "1", "20230101", "606", "100,00"), row("J", "1", "20230101", "401", "", "100,00"),
            row("J", "1", "20230101", "906", "100,00")]  # class 9: the balance ignores it
    books = read_fec([write(tmp_path, "a.txt", fec(rows))])
    assert totals(books) == {("606", D(2023, 1, 1)): 10000, ("401", D(2023, 1, 1)): -10000}
    assert (books.report.analytic_lines, books.report.analytic_cents) == (1, 10000)
    assert books.report.problem_count == 0


# ------------------------------------------------------------------------------- unusable files

@pytest.mark.parametrize("content, message", [
    (b"", "bad.txt:1: the file is empty"),
    ("\t".join(COLUMNS).encode() + b"\n", "bad.txt:1: the file has a header line but no entries"),
    (";".join(COLUMNS).encode() + b"\n1;2\n", "bad.txt:1: the fields are separated by ';'"),
    ("\t".join(COLUMNS[:17]).encode() + b"\nx\n", "bad.txt:1: the header line has 17 field(s)"),
    ("\t".join(COLUMNS[:3] + ("CompteNum", "EcritureDate") + COLUMNS[5:]).encode() + b"\nx\n",
     "bad.txt:1: column 4 is 'CompteNum', expected 'EcritureDate'"),
    ("\t".join(COLUMNS[:10] + ("EcritureLibelle",) + COLUMNS[11:]).encode() + b"\nx\n",
     "bad.txt:1: unknown column 'EcritureLibelle' in column 11 — did you mean 'EcritureLib'?"),
])
def test_unusable_files_are_refused(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_bytes(content)
    with pytest.raises(InputErrors) as caught:
        read_fec(["bad.txt"])
    assert str(caught.value).startswith(message)


def test_a_missing_file_and_a_file_of_which_nothing_is_usable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputErrors, match="missing.txt: file not found"):
        read_fec(["missing.txt"])
    write(tmp_path, "all_bad.txt", fec([row("J", "1", "2023", "606", "1,00"), row("J", "1", "2023", "401", "", "1,00")]))
    with pytest.raises(InputErrors, match="all_bad.txt: every one of its 2 line.s. is left out"):
        read_fec(["all_bad.txt"])


def test_mixed_encodings_are_refused_even_after_the_first_megabyte(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = fec(four_rows()).encode("utf-8")
    path = tmp_path / "mixed.txt"
    path.write_bytes(text.replace("Société".encode(), "Soci\xe9t\xe9".encode("latin-1"), 1))
    with pytest.raises(InputErrors, match="mixed.txt:2: byte 0xE9 is not UTF-8, while line 3 is UTF-8"):
        read_fec(["mixed.txt"])
    # ASCII for more than a megabyte, then ISO-8859-15: read as ISO-8859-15
    plain = [row("J", str(i), "20230101", "606", "1,00") for i in range(8000)]
    plain += [row("J", str(i), "20230101", "401", "", "1,00") for i in range(8000)]
    body = fec(sorted(plain, key=lambda r: int(r[2])) + four_rows(label="Crédit"))
    path = write(tmp_path, "late.txt", body, "iso-8859-15")
    assert path.stat().st_size > 1 << 20
    books = read_fec(["late.txt"], block_size=1 << 16)
    assert books.report.files[0].encoding == "iso-8859-15"
    assert totals(books)[("606100", D(2023, 1, 15))] == 120050 and totals(books)[("606", D(2023, 1, 1))] == 800000
    # and UTF-8 after a megabyte of ASCII, then ISO-8859-15 later: refused, both lines named
    broken = body.encode("utf-8").replace("Crédit".encode(), "Cr\xe9dit".encode("latin-1"), 1)
    path.write_bytes(broken)
    with pytest.raises(InputErrors, match=r"byte 0xE9 is not UTF-8, while line \d+ is UTF-8"):
        read_fec(["late.txt"], block_size=1 << 16)


# ----------------------------------------------------------------------- blocks and worker processes

def random_entries(rnd: random.Random, count: int) -> list[tuple[str, str, str, list[tuple[str, int]]]]:
    accounts = ["606100", "6063", "641100", "218300", "708400", "7083", "512000", "2183", "411000"]
    out = []
    for i in range(count):
        day = date(2022, 1, 1).toordinal() + rnd.randrange(1000)
        lines = [(rnd.choice(accounts), rnd.randrange(-10 ** 9, 10 ** 11)) for _ in range(rnd.randint(1, 4))]
        out.append((rnd.choice(["ACH", "OD", "VT"]), f"E{i:06d}", date.fromordinal(day).strftime("%Y%m%d"), lines))
    return out


def cents_text(cents: int, rnd: random.Random) -> str:
    sign, cents = ("-" if cents < 0 else ""), abs(cents)
    forms = [f"{cents // 100},{cents % 100:02d}", f"{cents // 100},{cents % 100:02d}0", f"  {cents // 100},{cents % 100:02d}"]
    if cents % 100 == 0:
        forms.append(str(cents // 100))
    return sign + rnd.choice(forms)


def entry_rows(entry, rnd: random.Random, sens: bool) -> list[list[str]]:
    """Each line of the entry on its account, balanced by 401000 credit; the amounts in varied forms."""
    j, num, day, lines = entry
    rows = []
    for acc, cents in lines:
        for account, side in ((acc, cents), ("401000", -cents)):
            if sens:
                rows.append(row(j, num, day, account, cents_text(abs(side), rnd), "D" if side >= 0 else "C",
                                "Écriture n° é"))
            elif side >= 0 or rnd.random() < 0.5:
                rows.append(row(j, num, day, account, cents_text(side, rnd), "", "Écriture n° é"))
            else:
                rows.append(row(j, num, day, account, "", cents_text(-side, rnd), "Écriture n° é"))
    return rows


def expected_of(entries) -> dict:
    expected: dict = {}
    for _, _, day, lines in entries:
        d = date(int(day[:4]), int(day[4:6]), int(day[6:]))
        for acc, cents in lines:
            for account, side in ((acc, cents), ("401000", -cents)):
                expected[(account, d)] = expected.get((account, d), 0) + side
    return expected


def test_many_blocks_and_a_worker_process_give_the_same_books(tmp_path):
    rnd = random.Random(7)
    entries = random_entries(rnd, 1500)
    rows = [entry_rows(e, rnd, False) for e in entries]
    rows.insert(50, [row("J", "bad", "20231301", "606", "1,00")])  # one malformed line between two entries
    rows = [r for e in rows for r in e]
    path = write(tmp_path, "big.txt", fec(rows))
    expected = {k: v for k, v in expected_of(entries).items()}
    results = []
    for block, threads in ((1 << 20, 1), (4096, 1), (4096, 2), (20000, 2)):
        books = read_fec([path], block_size=block, threads=threads)
        assert {k: v for k, v in totals(books).items() if v or k in expected} == {k: v for k, v in expected.items()}
        results.append((totals(books), problems(books), {k: c.sources for k, c in books.totals.items()},
                        books.report.files[0].lines))
    assert all(r == results[0] for r in results)


def test_a_worker_process_reads_every_dialect(tmp_path):
    """CR line ends, '|', Montant/Sens, ISO-8859-15, blank lines: through a worker process too."""
    rnd = random.Random(11)
    entries = random_entries(rnd, 600)
    rows = [r for e in entries for r in entry_rows(e, rnd, True)]
    text = fec(rows, sep="|", sens=True, eol="\r").replace("\r", "\r\r", 5)  # five blank lines early on
    path = write(tmp_path, "cr.txt", text, "iso-8859-15")
    inline = read_fec([path], block_size=1 << 20, threads=1)
    workers = read_fec([path], block_size=3000, threads=2)
    assert totals(inline) == totals(workers) == {k: v for k, v in expected_of(entries).items() if k in totals(inline)}
    assert inline.report.files == workers.report.files and workers.report.files[0].blank_lines == 5
    assert {k: c.sources for k, c in inline.totals.items()} == {k: c.sources for k, c in workers.totals.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10 ** 6), st.integers(1, 4), st.booleans())
def test_totals_do_not_depend_on_how_entries_are_split_into_files_nor_their_order(seed, nfiles, repeat):
    """The differential property: the same entries, split at random into files of random dialects,
    the files in random order, some entries given twice: the same totals, equal to debit − credit."""
    rnd = random.Random(seed)
    entries = random_entries(rnd, rnd.randint(1, 40))
    expected = expected_of(entries)
    with tempfile.TemporaryDirectory() as folder:
        outcomes = []
        for attempt in range(2):
            shuffled = entries[:]
            rnd.shuffle(shuffled)
            parts = [shuffled[i::nfiles] for i in range(nfiles)]
            if repeat and attempt:  # an entry of the first part given again in the last
                parts[-1] = parts[-1] + parts[0][:1]
            paths = []
            for i, part in enumerate(parts):
                if not part:
                    continue
                sens, sep = rnd.random() < 0.5, rnd.choice("\t|")
                rows = [r for e in part for r in entry_rows(e, rnd, sens)]
                text = fec(rows, sep=sep, sens=sens, eol=rnd.choice(["\n", "\r\n", "\r"]))
                paths.append(write(Path(folder), f"{attempt}-{i}.txt", text,
                                   rnd.choice(["utf-8", "iso-8859-15"])))
            rnd.shuffle(paths)
            books = read_fec(paths, block_size=rnd.choice([300, 4096, 1 << 20]))
            assert books.report.problem_count == 0
            got = {k: v for k, v in totals(books).items() if v or k in expected}
            assert got == {k: v for k, v in expected.items() if v or k in got}
            assert len(books.report.duplicates) == (1 if repeat and attempt and nfiles > 1 and parts[0] else 0) \
                or nfiles == 1
            outcomes.append(got)
        assert outcomes[0] == outcomes[1]


def test_progress_ends_at_the_size_of_the_files(tmp_path):
    a = write(tmp_path, "a.txt", fec(four_rows()))
    b = write(tmp_path, "b.txt", fec(four_rows()[:2] + [row("J", "2", "20230101", "606", "1,00"),
                                                        row("J", "2", "20230101", "401", "", "1,00")]))
    calls: list[tuple[int, int]] = []
    read_fec([a, b], block_size=64, progress=lambda done, total: calls.append((done, total)))
    size = a.stat().st_size + b.stat().st_size
    assert len(calls) > 2 and all(total == size for _, total in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and calls[-1][0] == size


def test_the_module_imports_no_polars_until_a_read():
    import subprocess
    import sys

    code = ("import sys, budgetrules.fec.reader; "
            "print('polars' in sys.modules, 'numpy' in sys.modules, 'duckdb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False"]


def test_sums_beyond_int64_stay_exact(tmp_path):
    big = "999999999999999,99"  # the largest amount: 15 digits before the comma, 10^17 − 1 cents
    rows = [row("J", "1", "20230101", "606", big) for _ in range(200)]
    rows += [row("J", "1", "20230101", "401", "", big) for _ in range(200)]
    rows += [row("J", "2", "20230101", "906", big), row("J", "2", "20230101", "606", "1,00"),
             row("J", "2", "20230101", "401", "", "1,00")]  # analytic: 10^17 − 1 more, outside the balance
    books = read_fec([write(tmp_path, "big.txt", fec(rows))])
    n = 200 * 99999999999999999
    assert n > 2 ** 63
    assert totals(books) == {("606", D(2023, 1, 1)): n + 100, ("401", D(2023, 1, 1)): -n - 100}
    assert books.report.analytic_cents == 99999999999999999


def test_a_long_line_and_a_short_line_do_not_hide_each_other(tmp_path):
    """A line with 19 fields and one with 17 make the right count of separators together: each is still
    found (Polars drops the fields beyond those it reads: a guard column shows them), in any block."""
    good = [row("J", "1", "20230101", "606", "1,00"), row("J", "1", "20230101", "401", "", "1,00")]
    long, short = row("K", "2", "20230101", "606", "2,00") + ["extra"], row("K", "2", "20230101", "401", "", "2,00")[:-1]
    for order, lines in (([long] + good, {2: 19}), (good + [long, short], {4: 19, 5: 17}),
                         (good + [short, long], {4: 17, 5: 19})):
        path = write(tmp_path, "ragged.txt", fec(order))
        for block in (40, 1 << 20):
            books = read_fec([path], block_size=block)
            # only J 1 counted: 1,00 on 606 and 401; K 2's lines are malformed, each named with its count
            assert totals(books) == {("606", D(2023, 1, 1)): 100, ("401", D(2023, 1, 1)): -100}
            assert {p.line: int(p.message.split()[0]) for p in books.report.problems} == lines
