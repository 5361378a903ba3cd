"""Reports (issue 7): the workbook read back equals the JSON document cell for cell, the page shows
every figure in French, chromium renders it with its SVG charts, and golden files pin both."""
from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from budgetrules.core.money import en_amount, fr_amount
from budgetrules.core.records import COLUMNS
from budgetrules.render.reports import render_html, render_xlsx

openpyxl = pytest.importorskip("openpyxl")

HERE = Path(__file__).parents[1]
FIXTURE = HERE / "fixtures" / "report_doc.json"
GOLDEN = HERE / "golden" / "reports"
HEADER_ROW = 4
UPDATE = bool(os.environ.get("BUDGETRULES_UPDATE_GOLDEN"))


@pytest.fixture
def doc() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def D(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def cell_decimal(value: Any) -> Decimal | None:
    """A number read back by openpyxl as an exact Decimal (repr of a float is its shortest exact text)."""
    if value is None:
        return None
    assert isinstance(value, (int, float)) and not isinstance(value, bool), f"not a number: {value!r}"
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def table(ws: Any) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """Header and data rows of a sheet (the table starts at row 4 on every sheet)."""
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    return list(rows[0]), [r for r in rows[1:] if any(v is not None for v in r)]


def small_doc(doc: dict[str, Any]) -> dict[str, Any]:
    """BNPPS only, with its findings and the published-table finding: the golden page."""
    small = copy.deepcopy(doc)
    small["scenario"] = "petit-exemple"
    small["funds"] = [f for f in small["funds"] if f["fund"] == "BNPPS"]
    small["findings"] = [f for f in small["findings"] if f["fund"] == "BNPPS" or f["rule"] == "R-SOURCE-TOTALS"]
    small["carry_over_statement"] = []
    small["beyond_period"] = []
    return small


def base_only(doc: dict[str, Any]) -> dict[str, Any]:
    """A `funds show` document: the base column only, no findings, no statements."""
    out = {"funds": copy.deepcopy(doc["funds"])}
    for fund in out["funds"]:
        for line in fund["lines"]:
            line["years"] = {y: {"base": cols["base"]} for y, cols in line["years"].items()}
        fund["totals"] = {y: {"base": cols["base"]} for y, cols in fund["totals"].items()}
    return out


# -- the fixture itself, checked by hand and by rule ------------------------------------------------

def test_fixture_subtotals_checked_by_hand(doc: dict[str, Any]) -> None:
    bnga = {line["line"]: line for line in doc["funds"][0]["lines"]}
    # A-I-2 2022 base: 4 700 000,00 (INFO) + 7 870 000,00 (HORS)
    assert bnga["A-I-2"]["years"]["2022"]["base"] == "12570000.00"
    # A-I 2022 base: 37 330 000 + 12 570 000 + (720 000 + 2 210 000) = 52 830 000
    assert bnga["A-I"]["years"]["2022"]["base"] == "52830000.00"
    # A-I-1 2023 authorised: 36 670 000,00 + 139 546,37 - 400 000,00 (virement out) = 36 409 546,37
    assert bnga["A-I-1"]["years"]["2023"]["authorised"] == "36409546.37"
    # A-I-2-INFO 2024: 4 700 000,00 authorised - 4 712 345,67 executed = -12 345,67 (overspend)
    assert bnga["A-I-2-INFO"]["years"]["2024"]["available"] == "-12345.67"
    # fund total base 2022: 37,33 + 4,70 + 7,87 + 0,72 + 2,21 + 0,83 + 0 + 14,09 + 0,23 = 67,98 M€
    assert doc["funds"][0]["totals"]["2022"]["base"] == "67980000.00"


def test_fixture_is_coherent(doc: dict[str, Any]) -> None:
    """Subtotals are the sums of their children, totals the sums of the leaves, each year balances."""
    for fund in doc["funds"]:
        lines = fund["lines"]
        children: dict[str, list[str]] = {}
        for line in lines:
            if line["parent"]:
                children.setdefault(line["parent"], []).append(line["line"])
        by = {line["line"]: line for line in lines}
        for code, kids in children.items():
            for year, cols in by[code]["years"].items():
                for column in COLUMNS:
                    assert D(cols[column]) == sum(D(by[k]["years"][year][column]) for k in kids), (code, year, column)
        for year, cols in fund["totals"].items():
            leaves = [line for line in lines if line["character"] is not None]
            for column in COLUMNS:
                assert D(cols[column]) == sum(D(leaf["years"][year][column]) for leaf in leaves)
        for line in lines:
            for c in line["years"].values():
                v = {k: D(c[k]) for k in COLUMNS}
                assert v["authorised"] == (v["base"] + v["indexation"] + v["charge_transfer"] + v["carry_in"]
                                           + v["receipts"] + v["reserve_in"] + v["virements_in"] - v["virements_out"])
                assert v["available"] == v["authorised"] - v["executed"]
                if line["character"] is not None:  # on a leaf; a subtotal sums its leaves' max(·, 0)
                    assert v["lapsed"] == max(v["available"], Decimal(0)) - v["carry_out"]


# -- workbook --------------------------------------------------------------------------------------

def test_xlsx_sheets(doc: dict[str, Any]) -> None:
    wb = load(render_xlsx(doc))
    assert wb.sheetnames == ["BNGA", "BNPPS", "Détail", "Constats", "Tableaux publiés", "Reports",
                             "Au-delà de la période"]
    wb_en = load(render_xlsx(doc, lang="en"))
    assert wb_en.sheetnames == ["BNGA", "BNPPS", "Detail", "Findings", "Published tables", "Carry-over",
                                "Beyond the period"]


def test_xlsx_detail_equals_document_cell_for_cell(doc: dict[str, Any]) -> None:
    """Every amount of every line, year and column, and every fund total, to the cent."""
    ws = load(render_xlsx(doc))["Détail"]
    header, rows = table(ws)
    assert header[:6] == ["Fonds", "Code", "Libellé", "Caractère", "Groupe", "Année"]
    assert len(header) == 6 + len(COLUMNS)
    expected_rows = []
    for fund in doc["funds"]:
        for year in fund["years"]:
            for line in fund["lines"]:
                expected_rows.append((fund["fund"], line["line"], line["label"], year, line["years"][str(year)]))
            expected_rows.append((fund["fund"], None, "Total du fonds", year, fund["totals"][str(year)]))
    assert len(rows) == len(expected_rows)
    compared = 0
    for row, (fund, code, label, year, cols) in zip(rows, expected_rows):
        assert (row[0], row[1], row[2], row[5]) == (fund, code, label, year)
        for i, column in enumerate(COLUMNS):
            assert cell_decimal(row[6 + i]) == D(cols[column]), (fund, code, year, column)
            compared += 1
    assert compared == len(expected_rows) * len(COLUMNS)


def test_xlsx_fund_sheets_in_cog_form(doc: dict[str, Any]) -> None:
    """The COG's form, authorised credits then executed and available (issue 16): a block of the three years for
    each, named above its years; every line in the COG's order, then the fund total."""
    wb = load(render_xlsx(doc, meur_funds=frozenset({"BNGA"})))
    blocks = ("authorised", "executed", "available")
    for fund in doc["funds"]:
        ws = wb[fund["fund"]]
        header, rows = table(ws)
        assert header == ["Code", "Libellé"] + [2022, 2023, 2024] * 3 + ["Caractère"]
        assert [ws.cell(HEADER_ROW - 1, j).value for j in (3, 6, 9)] == ["Crédits autorisés", "Exécution", "Disponible"]
        assert len(rows) == len(fund["lines"]) + 1
        for row, line in zip(rows, fund["lines"]):
            assert (row[0], row[1]) == (line["line"], line["label"])
            expected = [D(line["years"][y][c]) for c in blocks for y in ("2022", "2023", "2024")]
            assert [cell_decimal(v) for v in row[2:11]] == expected, line["line"]
        total = rows[-1]
        assert total[1] == "Total du fonds"
        assert [cell_decimal(v) for v in total[2:11]] == [D(fund["totals"][y][c]) for c in blocks
                                                          for y in ("2022", "2023", "2024")]
    # by hand: A-I-2-INFO 2024, 4 700 000,00 authorised, 4 712 345,67 executed: 12 345,67 over, available -12 345,67
    bnga = {r[0]: r for r in table(wb["BNGA"])[1]}
    assert [cell_decimal(v) for v in (bnga["A-I-2-INFO"][4], bnga["A-I-2-INFO"][7], bnga["A-I-2-INFO"][10])] == [
        Decimal("4700000.00"), Decimal("4712345.67"), Decimal("-12345.67")]


def test_xlsx_hierarchy_and_formats(doc: dict[str, Any]) -> None:
    wb = load(render_xlsx(doc, meur_funds=frozenset({"BNGA"})))
    bnga, bnpps = wb["BNGA"], wb["BNPPS"]
    rows = {bnga.cell(r, 1).value: r for r in range(HEADER_ROW + 1, bnga.max_row + 1)}
    # indentation follows the depth: I (0), A (1), A-I (2), A-I-2 (3), A-I-2-INFO (4); two steps a level
    assert [bnga.cell(rows[c], 2).alignment.indent for c in ("I", "A", "A-I", "A-I-2", "A-I-2-INFO")] == [0, 2, 4, 6, 8]
    assert bnga.cell(rows["A-I-2"], 3).font.b and not bnga.cell(rows["A-I-2-INFO"], 3).font.b
    # BNGA in M€: the display divides by a million, the cell keeps the euros
    fmt = bnga.cell(rows["A-I-1"], 3).number_format
    assert ",," in fmt and "M€" in fmt
    assert bnga.cell(rows["A-I-1"], 6).number_format == bnga.cell(rows["A-I-1"], 11).number_format == fmt  # every block
    assert cell_decimal(bnga.cell(rows["A-I-1"], 3).value) == Decimal("37471854.00")
    assert bnpps.cell(HEADER_ROW + 1, 3).number_format == '[$-40C]#,##0.00\\ "€";[Red]\\-#,##0.00\\ "€"'
    en = load(render_xlsx(doc, lang="en"))
    assert en["BNPPS"].cell(HEADER_ROW + 1, 3).number_format.startswith("[$€-1809]")


def test_xlsx_findings_apart_and_statements(doc: dict[str, Any]) -> None:
    wb = load(render_xlsx(doc))
    header, rows = table(wb["Constats"])
    assert header == ["Gravité", "Règle", "Fonds", "Année", "Ligne", "Message", "Citation", "Source", "Montant"]
    others = [f for f in doc["findings"] if f["rule"] != "R-SOURCE-TOTALS"]
    order = {"error": 0, "warning": 1, "info": 2}
    expected = sorted(others, key=lambda f: order[f["severity"]])
    assert [r[1] for r in rows] == [f["rule"] for f in expected]
    assert [r[0] for r in rows] == ["Erreur", "Avertissement", "Information", "Information"]
    for row, f in zip(rows, expected):
        assert (row[2], row[3], row[4], row[6], row[7]) == (f["fund"], f["year"], f["line"], f["citation"],
                                                            f.get("source"))
        assert cell_decimal(row[8]) == D(f["amount"])
    # the sources as the document gives them (relative to the scenario's folder); one finding has none
    assert [r[7] for r in rows] == ["rapport-exemple.yaml:61", "rapport-exemple.yaml:37", "rapport-exemple.yaml:48", None]
    assert "14/03/2023" in rows[1][5] and "29/03/2023" in rows[1][5]  # ISO dates in French
    assert "R-SOURCE-TOTALS" not in [r[1] for r in rows]
    _, source = table(wb["Tableaux publiés"])
    assert [(r[1], r[4], r[7], cell_decimal(r[8])) for r in source] == [
        ("R-SOURCE-TOTALS", "A-I", "../../funds/canssm-2022-2024/bnga.yaml:55", Decimal("10000"))]

    header, rows = table(wb["Reports"])
    assert len(rows) == len(doc["carry_over_statement"])
    for row, s in zip(rows, doc["carry_over_statement"]):
        assert (row[0], row[1], row[3], row[4], row[10]) == (s["fund"], s["line"], s["from_year"], s["to_year"], s["rule"])
        assert [cell_decimal(v) for v in row[5:10]] == [D(s[k]) for k in ("authorised", "executed", "eligible",
                                                                         "carried", "lapsed")]
    assert rows[0][2] == "Charges de fonctionnement hors informatique"
    _, rows = table(wb["Au-delà de la période"])
    assert [(r[1], r[3], r[4], cell_decimal(r[6])) for r in rows] == [
        (b["line"], b["from_year"], b["year"], D(b["amount"])) for b in doc["beyond_period"]]


def test_xlsx_funds_show_document_has_base_only(doc: dict[str, Any]) -> None:
    shown = base_only(doc)
    wb = load(render_xlsx(shown))
    assert wb.sheetnames == ["BNGA", "BNPPS", "Détail"]
    header, rows = table(wb["BNGA"])
    first = shown["funds"][0]["lines"][0]
    assert cell_decimal(rows[0][2]) == D(first["years"]["2022"]["base"])
    header, rows = table(wb["Détail"])
    assert header[6:] == ["Base COG"]


def test_xlsx_audit_document_summary(doc: dict[str, Any]) -> None:
    audit = dict(doc, kind="audit", title="Audit du scénario exemple", summary={"error": 1, "warning": 1, "info": 2})
    ws = load(render_xlsx(audit))["Constats"]
    assert ws.cell(2, 1).value == "1 erreur, 1 avertissement, 2 informations"
    assert "Audit du scénario exemple" in ws.cell(1, 1).value


def test_xlsx_rejects_float_amounts(doc: dict[str, Any]) -> None:
    doc["funds"][0]["lines"][0]["years"]["2022"]["base"] = 53660000.0
    with pytest.raises(TypeError, match="binary float"):
        render_xlsx(doc)


# -- html ------------------------------------------------------------------------------------------

def test_html_contains_every_figure_in_french(doc: dict[str, Any]) -> None:
    page = render_html(doc)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    missing = []
    for fund in doc["funds"]:
        for line in fund["lines"]:
            for year, cols in line["years"].items():
                for column, text in cols.items():
                    if fr_amount(Decimal(text)) not in page:
                        missing.append((fund["fund"], line["line"], year, column, text))
        for year, cols in fund["totals"].items():
            for column, text in cols.items():
                if fr_amount(Decimal(text)) not in page:
                    missing.append((fund["fund"], "total", year, column, text))
    for row in doc["carry_over_statement"]:
        for key in ("authorised", "executed", "eligible", "carried", "lapsed"):
            assert fr_amount(Decimal(row[key])) in page
    for row in doc["beyond_period"]:
        assert fr_amount(Decimal(row["amount"])) in page
    for f in doc["findings"]:
        if f["amount"] is not None:
            assert fr_amount(Decimal(f["amount"])) in page
    assert not missing
    assert "€37,471,854.00" not in page  # no English figure sneaks in


def test_html_is_self_contained(doc: dict[str, Any]) -> None:
    page = render_html(doc)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower() and "@import" not in page and "url(" not in page
    assert not re.search(r"\ssrc=", page)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls == {"http://www.w3.org/2000/svg"}  # a namespace name, never fetched


def test_html_charts_and_sections(doc: dict[str, Any]) -> None:
    page = render_html(doc)
    # per fund: authorised vs executed, one waterfall per year, lapsed credits; BNGA has a line overrun: its chart
    assert page.count("<svg ") == 2 * (1 + 3 + 1) + 1
    assert 'id="ae-BNGA-1"' in page and 'id="overruns-BNGA-2"' in page and 'id="wf-BNGA-2022-3"' in page
    assert 'id="lapsed-BNPPS-' in page and 'id="overruns-BNPPS' not in page
    assert "Construction des crédits autorisés 2023" in page
    assert "Axe tronqué" in page
    # tooltips carry the exact French amounts
    assert "<title>Personnel — 2022 : autorisé 37 471 854,00 €, exécuté 37 101 234,56 €</title>" in page
    # R-SOURCE-TOTALS findings are shown apart, about the published tables
    source_at = page.index('id="tableaux-publies"')
    assert page.count("R-SOURCE-TOTALS</td>") == 1 and page.index("R-SOURCE-TOTALS</td>") > source_at
    assert "1 erreur</span>" in page and "2 informations</span>" in page
    assert "14/03/2023" in page and "2023-03-14" not in page


def _svg(page: str, uid: str) -> str:
    """The SVG whose id is `uid` (or, ending with '-', starts with it)."""
    start = page.index(f'id="{uid}' if uid.endswith("-") else f'id="{uid}"')
    return page[start:page.index("</svg>", start)]


def test_html_line_overrun_visible_though_its_group_is_not(doc: dict[str, Any]) -> None:
    """BNGA 2024, by hand from the fixture: A-I-2-INFO is authorised 4 700 000,00 and executed 4 712 345,67, a
    limitative line 12 345,67 over; its group (fonctionnement = A-I-2-INFO + A-I-2-HORS) is authorised
    12 410 000,00 and executed 12 410 345,67, only 345,67 over, because A-I-2-HORS keeps 12 000,00 available.
    The group chart shows 345,67; the line is marked there (▲) and listed with its amount in its own chart."""
    page = render_html(doc)
    group = _svg(page, "ae-BNGA-1")
    assert "<title>Fonctionnement — 2024 : autorisé 12 410 000,00 €, exécuté 12 410 345,67 €</title>" in group
    assert group.count('class="overrun-mark"') == 2  # the legend's and Fonctionnement 2024's
    assert "<title>Fonctionnement — 2024 : dépassement ligne par ligne : A-I-2-INFO 12 345,67 €</title>" in group
    chart = _svg(page, "overruns-BNGA-2")
    assert ">A-I-2-INFO — 2024</text>" in chart and ">12 345,67 €</text>" in chart
    assert ">exécuté 4 712 345,67 € · autorisé 4 700 000,00 €</text>" in chart
    assert chart.count("<rect ") == 1  # one overrun in the fund: the evaluative B-I 2023 (15 000,00 over) is none
    # BNPPS: MAL-EVAL 2023 is executed 13 765,43 above its credit, but it is evaluative: no overrun
    bnpps = page[page.index('id="fonds-BNPPS"'):page.index('id="constats"')]
    assert "Aucune ligne limitative n'est exécutée au-delà de son crédit autorisé." in html.unescape(bnpps)
    assert 'class="overrun-mark"' not in bnpps


def test_html_fund_table_authorised_then_executed_and_available(doc: dict[str, Any]) -> None:
    page = render_html(doc)
    bnga = page[page.index('id="fonds-BNGA"'):page.index('id="fonds-BNPPS"')]
    assert "<h3>Crédits autorisés, puis exécutés et disponibles, par année</h3>" in bnga
    table = bnga[bnga.index('<table class="cog">'):bnga.index("</table>")]
    heads = re.findall(r'<th colspan="3" class="block">([^<]+)</th>', table)
    assert heads == ["Crédits autorisés", "Exécution", "Disponible"]
    row = re.search(r'<tr><td class="code">A-I-2-INFO</td>.*?</tr>', table).group(0)
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
    # authorised 2022-2024, executed 2022-2024, then available = authorised - executed, by hand
    assert cells == ["4 700 000,00 €", "5 100 000,00 €", "4 700 000,00 €", "4 523 456,78 €", "5 011 234,50 €",
                     "4 712 345,67 €", "176 543,22 €", "88 765,50 €", "-12 345,67 €"]
    assert '<td class="num neg">-12 345,67 €</td>' in row
    # the close of each year, in the same form: carried to N+1 and lapsed credits
    close = bnga[bnga.index("Clôture de chaque exercice"):]
    close = close[close.index("<table"):close.index("</table>")]
    row = re.search(r'<tr><td class="code">A-I-3-HORS</td>.*?</tr>', close).group(0)
    assert re.findall(r'<td class="num[^"]*">([^<]*)</td>', row) == [
        "333 456,79 €", "172 469,14 €", "150 000,00 €", "0,00 €", "0,00 €", "134 814,82 €"]


def test_html_build_up_lists_the_lines_it_moves(doc: dict[str, Any]) -> None:
    """BNGA 2022: only A-I-1 is adjusted (indexation 141 854,00: 37 330 000,00 → 37 471 854,00), so the year's
    build-up lists A-I-1, its subtotals A-I, A and I, and the fund total; every other line keeps its base."""
    page = render_html(doc)
    start = page.index("Construction des crédits autorisés, ligne par ligne — 2022")
    block = page[start:page.index("</details>", start)]
    assert re.findall(r'<td class="code">([^<]+)</td>', block) == ["I", "A", "A-I", "A-I-1"]
    assert "crédits autorisés = base COG" in block
    assert '<td class="num">37 330 000,00 €</td><td class="num">141 854,00 €</td>' in block


def test_html_findings_show_their_source(doc: dict[str, Any]) -> None:
    page = render_html(doc)
    for f in doc["findings"]:
        if f.get("source"):
            assert f'Source : <code>{f["source"]}</code>' in page, f["rule"]
    assert page.count('<span class="src') == 4  # R-INDEX-PROVISIONAL has no source in the document
    assert 'Source: <code>rapport-exemple.yaml:61</code>' in render_html(doc, lang="en")


def test_html_english(doc: dict[str, Any]) -> None:
    page = render_html(doc, lang="en")
    assert '<html lang="en">' in page
    assert en_amount(Decimal("37471854.00")) == "€37,471,854.00"
    assert "€37,471,854.00" in page and "37 471 854,00 €" not in page
    assert "14 Mar 2023" in page
    assert "Authorised credits, then executed and available, per year" in page
    assert ">Overruns of limitative credits, line by line<" in page
    assert "Dépenses de personnel" in page  # COG labels stay as published


def test_html_funds_show_document(doc: dict[str, Any]) -> None:
    page = render_html(base_only(doc))
    assert "<svg" not in page
    assert "Budget de la COG par année" in page
    assert fr_amount(Decimal("53660000.00")) in page and "Exécution" not in page
    assert "<details" not in page  # the base alone: no build-up to show
    assert "Constats" not in page


def test_reports_do_not_import_heavy_libraries_at_import() -> None:
    code = ("import sys, json; import budgetrules.render.reports as r; assert 'openpyxl' not in sys.modules; "
            f"d = json.load(open({str(FIXTURE)!r}, encoding='utf-8')); r.render_html(d); "
            "assert 'openpyxl' not in sys.modules and 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)


def test_no_float_on_the_money_path() -> None:
    """Only the chart scale turns an amount into a float (pixel coordinates)."""
    folder = HERE.parent / "budgetrules" / "render"
    for path in folder.glob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "float(" in line:
                assert path.name == "charts.py" and "self.x1 - self.x0" in line, f"{path.name}:{number}: {line}"


# -- golden files ----------------------------------------------------------------------------------

def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"golden file {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file (BUDGETRULES_UPDATE_GOLDEN=1 rewrites it)"


def workbook_as_csv(data: bytes) -> str:
    """Every sheet's values as CSV, numbers as exact decimals: what a reader of the workbook sees."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for ws in load(data).worksheets:
        writer.writerow([f"## {ws.title}"])
        for row in ws.iter_rows():
            writer.writerow([_csv_value(cell) for cell in row])
    return out.getvalue()


def _csv_value(cell: Any) -> str:
    if cell.value is None:
        return ""
    if "€" in cell.number_format:  # an amount: two decimals, as in the JSON (lossless for an exact cent value)
        return f"{cell_decimal(cell.value).quantize(Decimal('0.01')):f}"
    return str(cell.value)


def test_golden_workbook(doc: dict[str, Any]) -> None:
    _golden("report_doc.fr.xlsx.csv", workbook_as_csv(render_xlsx(doc, meur_funds=frozenset({"BNGA"}))))


def test_golden_page_small(doc: dict[str, Any]) -> None:
    _golden("small.fr.html", render_html(small_doc(doc)))
    _golden("small.en.html", render_html(small_doc(doc), lang="en"))


def test_rendering_is_deterministic(doc: dict[str, Any]) -> None:
    assert render_html(doc) == render_html(doc)
    assert workbook_as_csv(render_xlsx(doc)) == workbook_as_csv(render_xlsx(doc))


# -- a real browser --------------------------------------------------------------------------------

def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


def _chromium_args(tmp_path: Path, name: str) -> list[str]:
    return [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={tmp_path / ('profile-' + name)}"]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_browser_screenshot_and_dom(doc: dict[str, Any], tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(doc), encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run(_chromium_args(tmp_path, "shot") + [f"--screenshot={shot}", "--window-size=1280,2000",
                                                       page.as_uri()],
                   check=True, capture_output=True, timeout=180)
    assert shot.exists() and shot.stat().st_size > 20_000
    assert _png_size(shot) == (1280, 2000)
    dom = subprocess.run(_chromium_args(tmp_path, "dom") + ["--dump-dom", page.as_uri()],
                         check=True, capture_output=True, timeout=180, text=True).stdout
    assert dom.count("<svg ") == 11
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="ae-BNGA-1"' in dom
    assert "<rect " in dom and "Construction des crédits autorisés 2022" in dom
    assert "37 471 854,00 €" in dom


def test_audit_document_without_funds_and_empty_document(doc: dict[str, Any]) -> None:
    """CLI.md's audit shape: findings, statement and summary only. Both renderers show what is there."""
    audit = {"findings": doc["findings"], "carry_over_statement": doc["carry_over_statement"],
             "summary": {"error": 1, "warning": 1, "info": 2}}
    assert load(render_xlsx(audit)).sheetnames == ["Constats", "Tableaux publiés", "Reports"]
    page = render_html(audit)
    assert "<title>Audit de légalité</title>" in page and "<svg" not in page
    assert fr_amount(Decimal(doc["carry_over_statement"][0]["eligible"])) in page
    assert load(render_xlsx({})).sheetnames and "<h1>" in render_html({})


def _fnmo() -> dict[str, Any]:
    zero = {c: "0.00" for c in COLUMNS}
    return {"fund": "FNMO", "label": "Fonds national de modernisation des œuvres", "unit": "EUR", "years": [2022],
            "lines": [{"line": "INV", "label": "Dépenses d'investissement des œuvres ambulatoires",
                       "character": "limitative", "group": None, "parent": None, "years": {"2022": zero}}],
            "totals": {"2022": zero},
            "reserve": [{"year": 2022, "opening": "58371718.99", "resources": "125000.50", "expenses": "0.00",
                         "closing": "58496719.49"}]}


def test_reserve_statement_and_about_tables_flag(doc: dict[str, Any]) -> None:
    """run_document's shape: FNMO carries its reserve statement; table findings carry about_tables."""
    doc["funds"].append(_fnmo())
    doc["findings"].append({"rule": "R-SOURCE-TOTALS-BNASS", "severity": "error", "fund": "BNASS", "year": 2023,
                            "line": "PA", "message": "published 20 750 529,00 €", "citation": "Annexe 3",
                            "amount": "-1169569.00", "about_tables": True})
    wb = load(render_xlsx(doc))
    header, rows = table(wb["FNMO réserve"])
    assert header == ["Année", "Réserve à l'ouverture", "Ressources", "Dépenses", "Réserve à la clôture"]
    assert [cell_decimal(v) for v in rows[0][1:]] == [Decimal("58371718.99"), Decimal("125000.50"), Decimal(0),
                                                      Decimal("58496719.49")]
    _, source = table(wb["Tableaux publiés"])
    assert [r[1] for r in source] == ["R-SOURCE-TOTALS-BNASS", "R-SOURCE-TOTALS"]  # errors first
    page = render_html(doc)
    assert "58 496 719,49 €" in page and "Pas de graphique : tous les montants de ce fonds sont nuls." in page
    assert 'id="ae-FNMO' not in page
    # in the page's body, only in its section (the header's link names the section's rule IDs too)
    assert page.index("R-SOURCE-TOTALS-BNASS", page.index("<main>")) > page.index('id="tableaux-publies"')


def test_libreoffice_opens_the_workbook(doc: dict[str, Any], tmp_path: Path) -> None:
    """Where LibreOffice is installed (it is not a CI requirement), the workbook converts to a PDF page per
    sheet at least, and its text shows the French amounts and the M€ display."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-calc)")
    book = tmp_path / "report.xlsx"
    book.write_bytes(render_xlsx(doc, meur_funds=frozenset({"BNGA"})))
    subprocess.run([office, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                   check=True, capture_output=True, timeout=300)
    pdf = (tmp_path / "report.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= len(load(book.read_bytes()).sheetnames)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], check=True,
                              capture_output=True, text=True, timeout=60).stdout
        assert "53,80 M€" in text  # BNGA I 2022 authorised, 53 801 854,00 € shown in M€
        assert "1 967 800,00 €" in text  # BNPPS MAL 2022, in euros with French separators
        assert "-12 345,67 €" in text  # the overspend of A-I-2-INFO 2024 (Détail sheet)


# -- the sample audit, as the command writes it (issue 16) ------------------------------------------------

SAMPLE = HERE.parent / "scenarios" / "audit" / "sample-2022-2024.yaml"


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from click.testing import CliRunner

    from budgetrules.cli import main

    folder = tmp_path_factory.mktemp("sample")
    out: dict[str, Any] = {}
    for lang in ("fr", "en"):
        for fmt in ("html", "xlsx"):
            path = folder / f"audit.{lang}.{fmt}"
            result = CliRunner().invoke(main, ["audit", str(SAMPLE), "--format", fmt, "--lang", lang, "-o", str(path)])
            assert result.exit_code == 1, result.output  # the sample's error findings
            out[f"{lang}.{fmt}"] = path.read_text(encoding="utf-8") if fmt == "html" else load(path.read_bytes())
    return out


def _visible(page: str) -> str:
    """What a reader of the page sees: its text, the charts' texts and titles; no markup, no stylesheet."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)))


def _cells(wb: Any) -> str:
    return "\n".join([ws.title for ws in wb.worksheets] + [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                                                           for v in row if isinstance(v, str)])


def test_sample_line_overrun_inside_a_group_within_its_credits(sample_outputs: dict[str, Any]) -> None:
    """E1 of the sample: A-I-2-HORS 2022 executes 7 950 000 on 7 870 000 authorised, 80 000 over, while its group
    (A-I-2-INFO 4 700 000 authorised, 4 500 000 executed — E4's arithmetic — plus A-I-2-HORS) is authorised
    12 570 000 and executes 12 450 000, 120 000 under: the group chart alone cannot show it."""
    page = sample_outputs["fr.html"]
    group = _svg(page, "ae-BNGA-1")
    assert "<title>Fonctionnement — 2022 : autorisé 12 570 000,00 €, exécuté 12 450 000,00 €</title>" in group
    assert "<title>Fonctionnement — 2022 : dépassement ligne par ligne : A-I-2-HORS 80 000,00 €</title>" in group
    chart = _svg(page, "overruns-BNGA-2")
    assert ">A-I-2-HORS — 2022</text>" in chart and ">80 000,00 €</text>" in chart
    # E14: BNASS MAL-K-COL 2024, 800 000 + 2 500 000 carried = 3 300 000 authorised, 3 400 000 executed
    chart = _svg(page, "overruns-BNASS-")
    assert ">MAL-K-COL — 2024</text>" in chart and ">100 000,00 €</text>" in chart
    assert ">exécuté 3 400 000,00 € · autorisé 3 300 000,00 €</text>" in chart


def test_sample_labels_in_the_output_s_language(sample_outputs: dict[str, Any]) -> None:
    """No English header in the French workbook and page (« Available », « Expense inv » were), no verdict code
    anywhere; the FNMO's reserve statement in the reader's words, its expenses by line code."""
    english = re.compile(r"\b(Available|Expenses?|Opening|Closing|Resources|Authorised|Executed|Lapsed|Carried|"
                         r"Overspend|Amount|Severity|Findings?)\b|Expense inv|Expense def")
    codes = re.compile(r"\b(permitted_with_notice|requires_dm|permitted|refused)\b")
    for text in (_visible(sample_outputs["fr.html"]), _cells(sample_outputs["fr.xlsx"])):
        assert not english.findall(text)
        assert not codes.findall(text)
    for text in (_visible(sample_outputs["en.html"]), _cells(sample_outputs["en.xlsx"])):
        assert not codes.findall(text)
        assert "décision modificative requise" not in text and "requires a décision modificative" in text
    header, rows = table(sample_outputs["fr.xlsx"]["FNMO réserve"])
    assert header == ["Année", "Réserve à l'ouverture", "Disponible (ouverture + ressources)", "Produits de cessions",
                      "Excédents des œuvres", "Loyers", "Ressources", "Dépenses", "Réserve à la clôture",
                      "Dépenses DEF", "Dépenses INV"]
    # 2022, by hand: 58 371 718,99 at the opening + 2 000 000 of resources (1 200 000 + 500 000 + 300 000)
    row = {header[i]: cell_decimal(v) for i, v in enumerate(rows[1]) if i}
    assert row["Disponible (ouverture + ressources)"] == Decimal("58371718.99") + Decimal(2_000_000)
    assert row["Ressources"] == Decimal(1_200_000) + Decimal(500_000) + Decimal(300_000)
    assert table(sample_outputs["en.xlsx"]["FNMO reserve"])[0][2::8] == ["Available (opening + resources)",
                                                                         "Expenses INV"]
