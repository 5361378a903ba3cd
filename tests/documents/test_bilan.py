"""The annual bilan de l'exécution budgétaire (R-BILAN): each fund in the COG's form with authorised,
executed, available, carried and lapsed, then the sections the annex lists; figures by hand."""
from __future__ import annotations

import io
import json
from decimal import Decimal as D

from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.services.run import bilan_report

SCENARIO = """\
    name: bilan
    funds: [BNGA]
    assumptions: none
    events:
      - {kind: personnel, year: 2023, fund: BNGA, status: titulaires, agents: 310, fte: "295.5", executed: "24 000 000"}
      - {kind: personnel, year: 2023, fund: BNGA, status: contractuels, agents: 40, fte: "36", executed: "2 500 000"}
      - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: "26 500 000"}
      - {kind: execution, year: 2023, fund: BNGA, line: A-I-2-INFO, amount: "4 000 000"}
      - {kind: execution, year: 2023, fund: BNGA, line: A-I-3-INFO, amount: "600 000"}
      - {kind: execution, year: 2023, fund: BNGA, line: B-III-1-INFO, amount: "500 000"}
      - {kind: asset_sale, year: 2023, fund: BNGA, price: "1 000 000", net_book_value: "600 000", buyer: other,
         use: investment, label: Immeuble de Lens}
      - {kind: receipt, year: 2022, fund: BNGA, account: "7084", realised: "300 000", forecast: "200 000"}
      - {kind: receipt, year: 2023, fund: BNGA, account: "7084", realised: "150 000", forecast: "100 000"}
"""


def bilan(scenario):
    return bilan_report(scenario(SCENARIO, "bilan.yaml"), "2023"), scenario.path


def test_sections_of_the_bilan(scenario):
    doc, _ = bilan(scenario)
    assert [(p.status, p.agents, p.fte, p.executed) for p in doc.personnel] == [
        ("titulaires", 310, D("295.50"), D("24000000.00")), ("contractuels", 40, D("36.00"), D("2500000.00"))]
    it = {r.line: (r.authorised, r.executed, r.available) for r in doc.it}
    # A-I-3-INFO 2023: 650 000 + 720 000 carried automatically from 2022 (R-CARRY-BNGA-CP, nothing executed)
    assert it == {"A-I-2-INFO": (D("4700000.00"), D("4000000.00"), D("700000.00")),
                  "A-I-3-INFO": (D("1370000.00"), D("600000.00"), D("770000.00")),
                  "B-III-1-INFO": (D("550000.00"), D("500000.00"), D("50000.00"))}
    assert [(s.label, s.gain, s.use) for s in doc.sales] == [("Immeuble de Lens", D("400000.00"), "investment")]
    assert [(r.what, r.realised, r.forecast) for r in doc.receipts] == [("7084", D("150000.00"), D("100000.00"))]
    # the excess of 2022 (300 000 − 200 000) × 100 % is reused in 2023 on A-I-2-HORS
    assert [(r.line, r.authorised) for r in doc.reused] == [("A-I-2-HORS", D("7890000.00"))]
    (p,) = doc.participation
    # operating: A-I-1 26 500 000 + A-I-2-INFO 4 000 000 + B-III-1-INFO 500 000; capital: A-I-3-INFO 600 000;
    # net: 31 600 000 − 150 000 of receipts realised in 2023 = 31 450 000
    assert (p.operating, p.capital, p.net) == (D("31000000.00"), D("600000.00"), D("31450000.00"))
    assert doc.missing == ["reserve"] and doc.rule == "R-BILAN"


def test_fund_table_in_the_cog_form_with_carried_and_lapsed(scenario):
    doc, _ = bilan(scenario)
    (bnga,) = doc.funds
    hors = next(line for line in bnga.lines if line.code == "A-I-2-HORS").years[2023]
    # 7 790 000 + 100 000 reused, nothing executed, no decision to carry: all lapses
    assert (hors["authorised"], hors["executed"], hors["carry_out"], hors["lapsed"]) == (
        D("7890000.00"), D("0.00"), D("0.00"), D("7890000.00"))


def test_every_format(scenario, tmp_path):
    _, path = bilan(scenario)
    runner = CliRunner()
    md = runner.invoke(main, ["bilan", str(path), "--year", "2023", "--format", "md"])
    assert md.exit_code == 0, md.output
    assert "# Bilan de l'exécution budgétaire 2023" in md.stdout and "| titulaires" in md.stdout
    assert "Pas de fonds de réserve dans cette COG." in md.stdout
    data = json.loads(runner.invoke(main, ["bilan", str(path), "--year", "2023", "--format", "json"]).stdout)
    assert data["kind"] == "bilan" and data["missing"] == ["reserve"]
    assert data["branch_participation"][0]["net"] == "31450000.00"
    html = runner.invoke(main, ["bilan", str(path), "--year", "2023", "--format", "html", "--lang", "en"]).stdout
    assert "<title>Budget execution report 2023" in html and "@page { size: A4" in html
    out = tmp_path / "bilan.xlsx"
    assert runner.invoke(main, ["bilan", str(path), "--year", "2023", "-o", str(out)]).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert "BNGA" in book.sheetnames and "Personnel" in book.sheetnames
    cells = [c.value for row in book["BNGA"].iter_rows() for c in row]
    assert D("7890000.00") in cells  # exact euros in the cells


def test_a_year_outside_the_period_is_an_input_error(scenario):
    _, path = bilan(scenario)
    r = CliRunner().invoke(main, ["bilan", str(path), "--year", "2026"])
    assert r.exit_code == 2 and "outside the period 2022-2024" in r.stderr
