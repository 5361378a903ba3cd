"""R-BRANCH-PARTICIPATION (« Participation des branches maladie, vieillesse et AT-MP »): the net
expenses, operating and capital, of the funds whose file says so, by branch through the sections
where the COG gives them; figures worked out by hand."""
from __future__ import annotations

import json
from decimal import Decimal as D

from click.testing import CliRunner

from budgetrules.cli import main

SCENARIO = """\
    name: participation
    funds: [BNGA, BNASS]
    assumptions: none
    events:
      - {kind: execution, year: 2023, fund: BNASS, line: PA-F-COL, amount: "1 000 000"}
      - {kind: execution, year: 2023, fund: BNASS, line: PA-K-COL, amount: "500 000"}
      - {kind: execution, year: 2023, fund: BNASS, line: MAL-F-IND, amount: "200 000"}
      - {kind: receipt, year: 2023, fund: BNASS, category: formation, realised: "50 000", forecast: 0}
      - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: "30 000 000"}
      - {kind: execution, year: 2023, fund: BNGA, line: A-I-3-HORS, amount: "1 000 000"}
"""


def rows(scenario):
    result = scenario(SCENARIO, "p.yaml")
    return {(p.fund, p.year): p for p in result.ledger.participation}, scenario.path


def test_bnass_by_branch_through_its_sections(scenario):
    found, _ = rows(scenario)
    p = found[("BNASS", 2023)]
    # operating: PA-F-COL 1 000 000 + MAL-F-IND 200 000; capital: PA-K-COL 500 000 (nature: capital)
    # net = 1 200 000 + 500 000 − 50 000 of own receipts realised = 1 650 000
    assert (p.operating, p.capital, p.receipts, p.net) == (D("1200000.00"), D("500000.00"), D("50000.00"),
                                                           D("1650000.00"))
    # by section (receipts, realised by the fund as a whole, are not split): PA → vieillesse 1 500 000,
    # MAL → maladie 200 000, ATMP → AT-MP 0
    assert p.by_branch == {"vieillesse": D("1500000.00"), "maladie": D("200000.00"), "AT-MP": D("0.00")}
    assert p.split == "sections" and p.rule == "R-BRANCH-PARTICIPATION" and "Participation des branches" in p.citation


def test_bnga_has_no_key_between_branches(scenario):
    found, _ = rows(scenario)
    p = found[("BNGA", 2023)]
    # operating A-I-1 30 000 000; capital A-I-3-HORS 1 000 000; no receipt: net 31 000 000; no split
    assert (p.operating, p.capital, p.net, p.by_branch, p.split) == (D("30000000.00"), D("1000000.00"),
                                                                      D("31000000.00"), {}, "none")
    assert ("BNGA", 2022) in found and found[("BNGA", 2022)].net == 0


def test_the_participation_is_in_the_run_and_audit_outputs(scenario):
    _, path = rows(scenario)
    doc = json.loads(CliRunner().invoke(main, ["run", str(path), "--format", "json"]).stdout)
    bnass = next(p for p in doc["branch_participation"] if (p["fund"], p["year"]) == ("BNASS", 2023))
    assert bnass["net"] == "1650000.00" and bnass["by_branch"]["vieillesse"] == "1500000.00"
    text = CliRunner().invoke(main, ["audit", str(path), "--format", "md"]).stdout
    assert "Participation des branches (R-BRANCH-PARTICIPATION)" in text and "1 650 000,00" in text


def test_the_participation_is_in_the_xlsx_and_html_reports(scenario, tmp_path):
    import openpyxl

    _, path = rows(scenario)
    CliRunner().invoke(main, ["audit", str(path), "-o", str(tmp_path / "a.xlsx")])
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Participation"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Participation des branches (R-BRANCH-PARTICIPATION)"
    header = next(i for i, row in enumerate(values) if row[0] == "Fonds")
    assert values[header][7:10] == ("vieillesse", "maladie", "AT-MP")
    bnass = next(row for row in values[header:] if row[:2] == ("BNASS", 2023))
    # the figures of test_bnass_by_branch_through_its_sections, as numbers in the workbook
    assert bnass[2:6] == (1200000, 500000, 50000, 1650000) and bnass[7:10] == (1500000, 200000, 0)
    bnga = next(row for row in values[header:] if row[:2] == ("BNGA", 2023))
    assert bnga[5] == 31000000 and bnga[7:10] == ("—", "—", "—")  # no key between branches: said, not split
    CliRunner().invoke(main, ["audit", str(path), "-o", str(tmp_path / "a.html"), "--lang", "en"])
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    section = page.split('<section id="participation">', 1)[1].split("</section>", 1)[0]
    assert "<h2>Participation of the branches (R-BRANCH-PARTICIPATION)</h2>" in section
    assert "1,650,000.00" in section and '<a href="#participation">' in page
    assert "less the own receipts realised" in section


def test_the_note_says_each_fund_s_reading_of_net_expenses(scenario):
    import dataclasses

    from budgetrules.render.text import participation_words

    found, _ = rows(scenario)
    gross = dataclasses.replace(found[("BNGA", 2023)], reading="executed", rule="R-Z-PARTIC")
    title, note = participation_words([gross], "fr")
    assert title == "Participation des branches (R-Z-PARTIC)"
    assert "les recettes propres non déduites" in note and "moins les recettes" not in note
    _, both = participation_words([gross, found[("BNASS", 2023)]], "en")
    assert "BNGA: executed (operating and capital), own receipts not deducted" in both
    assert "BNASS: executed (operating and capital) less the own receipts realised" in both
