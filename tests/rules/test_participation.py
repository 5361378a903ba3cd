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
