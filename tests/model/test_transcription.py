"""The four fund files against COG 2022-2024 annex 3: every leaf amount, every printed subtotal,
the « dont » rows, the extra totals and the rule parameters, written here as printed in the annex."""
from __future__ import annotations

from decimal import Decimal

import pytest

from budgetrules.io.fundfile import load_fund
from budgetrules.model.fund import Fund
from budgetrules.io.paths import cog_folder as funds_dir

YEARS = (2022, 2023, 2024)


def meur(text: str) -> Decimal:
    """A BNGA figure as printed ("37,33", in M€) in euros."""
    return Decimal(text.replace(",", ".")) * 1_000_000


def eur(text: str) -> Decimal:
    """A BNASS/BNPPS figure as printed ("18 399 300", in €)."""
    return Decimal(text.replace(" ", ""))


def load(name: str) -> Fund:
    return load_fund(funds_dir() / f"{name}.yaml")


# -- BNGA « BNGA de la CANSSM 2022-2024 » (M€): Budget 2022, 2023, 2024 ---------------------------
BNGA_LEAVES = {
    "A-I-1": ("37,33", "36,67", "36,01"),
    "A-I-2-INFO": ("4,70", "4,70", "4,70"),
    "A-I-2-HORS": ("7,87", "7,79", "7,71"),
    "A-I-3-INFO": ("0,72", "0,65", "0,18"),
    "A-I-3-HORS": ("2,21", "2,15", "2,10"),
    "A-II-1": ("11,12", "10,83", "10,54"),
    "A-II-2": ("0,49", "0,49", "0,49"),
    "B-I": ("0,83", "0,83", "0,83"),
    "B-II-1": ("5,29", "4,94", "4,61"),
    "B-II-2": ("12,40", "11,94", "11,51"),
    "B-III-1-INFO": ("0,55", "0,55", "0,55"),
    "B-III-1-HORS": ("3,50", "3,50", "3,50"),
    "B-III-2": ("0,60", "0,60", "0,60"),
    "II-RESERVE": ("0,00", "0,00", "0,00"),
    "II-GA-SIEGE": ("14,09", "14,09", "14,09"),
    "II-GA-REGION": ("12,71", "12,71", "12,71"),
    "II-ANGDM": ("0,54", "0,54", "0,54"),
    "III-CGSS": ("0,23", "0,23", "0,23"),
}
BNGA_SUBTOTALS = {
    "I": ("87,61", "85,63", "83,33"),
    "A": ("64,45", "63,27", "61,73"),
    "A-I": ("52,84", "51,96", "50,70"),
    "A-I-2": ("12,57", "12,49", "12,41"),
    "A-I-3": ("2,93", "2,80", "2,28"),
    "A-II": ("11,61", "11,32", "11,03"),
    "B": ("23,17", "22,36", "21,60"),
    "B-II": ("17,69", "16,88", "16,12"),
    "B-III": ("4,65", "4,65", "4,65"),
    "B-III-1": ("4,05", "4,05", "4,05"),
    "II": ("27,34", "27,34", "27,34"),
    "III": ("0,23", "0,23", "0,23"),
}

# -- BNASS (€): Budget initial 2021, Projet de Budget 2022, 2023, 2024 -----------------------------
BNASS_LEAVES = {
    "PA-F-IND": ("18 399 300", "18 872 815", "17 613 998", "16 444 429"),
    "PA-F-COL": ("934 500", "899 200", "2 306 100", "810 000"),
    "PA-K-COL": ("300 000", "4 000 000", "2 000 000", "200 000"),
    "MAL-F-IND": ("4 286 900", "4 065 764", "3 794 578", "3 542 618"),
    "MAL-F-COL": ("2 392 100", "2 333 300", "2 244 800", "2 162 100"),
    "MAL-K-COL": ("1 600 000", "16 000 000", "7 000 000", "800 000"),
    "ATMP-F-IND": ("14 580", "13 827", "12 905", "12 047"),
    "ATMP-F-COL": ("537 700", "510 300", "477 200", "446 200"),
}
BNASS_SUBTOTALS = {
    "PA-F": ("19 333 800", "19 772 015", "18 750 529", "17 254 429"),  # TOTAL - section de fonctionnement
    "PA-K": ("300 000", "4 000 000", "2 000 000", "200 000"),  # TOTAL - section des opérations en capital
    "PA": ("19 633 800", "23 772 015", "20 750 529", "17 454 429"),  # TOTAL section personnes âgées
    "MAL-F": ("6 679 000", "6 399 064", "6 039 378", "5 704 718"),
    "MAL-K": ("1 600 000", "16 000 000", "7 000 000", "800 000"),
    "MAL": ("8 279 000", "22 399 064", "13 039 378", "6 504 718"),  # TOTAL section maladie
    "ATMP-F": ("552 280", "524 127", "490 105", "458 247"),
}
BNASS_UNPRINTED = ("ATMP",)  # section III has no « TOTAL section » row
BNASS_EXTRA = {  # « TOTAL DES DEPENSES DU BNASS »
    "TOTAL-IND": (("PA-F-IND", "MAL-F-IND", "ATMP-F-IND"), ("22 700 780", "22 952 406", "21 421 481", "19 999 094")),
    "TOTAL-COL-F": (("PA-F-COL", "MAL-F-COL", "ATMP-F-COL"), ("3 864 300", "3 742 800", "5 028 100", "3 418 300")),
    "TOTAL-COL-K": (("PA-K-COL", "MAL-K-COL"), ("1 900 000", "20 000 000", "9 000 000", "1 000 000")),
    "TOTAL": (("PA-F-IND", "PA-F-COL", "PA-K-COL", "MAL-F-IND", "MAL-F-COL", "MAL-K-COL", "ATMP-F-IND", "ATMP-F-COL"),
              ("28 465 080", "46 695 206", "35 449 581", "24 417 394")),
}

# -- BNPPS (€): Budget initial 2021, Projet de budget 2022, 2023, 2024 ----------------------------
BNPPS_LEAVES = {
    "MAL-CANSSM": ("2 314 500", "2 255 500", "2 200 000", "2 148 000"),
    "MAL-EVAL": ("620 000", "450 000", "450 000", "450 000"),
    "ATMP-CANSSM": ("100 000", "100 000", "100 000", "100 000"),
}
BNPPS_SUBTOTALS = {"MAL": ("2 934 500", "2 705 500", "2 650 000", "2 598 000")}  # TOTAL - section maladie
BNPPS_UNPRINTED = ("ATMP",)
BNPPS_EXTRA = {"TOTAL": (("MAL-CANSSM", "MAL-EVAL", "ATMP-CANSSM"), ("3 034 500", "2 805 500", "2 750 000", "2 698 000"))}


def years(figures: tuple[str, ...], conv) -> dict[int, Decimal]:
    return {y: conv(t) for y, t in zip(YEARS, figures[-3:])}


# -- codes and tree (LINES.md) ---------------------------------------------------------------------
def test_bnga_codes_and_tree() -> None:
    fund = load("bnga")
    assert fund.unit == "MEUR" and (fund.first_year, fund.last_year) == (2022, 2024)
    assert set(fund.leaf_codes) == set(BNGA_LEAVES)
    assert {ln.code for ln in fund.lines} - fund.leaf_codes == set(BNGA_SUBTOTALS)
    parents = {"A": "I", "A-I": "A", "A-I-1": "A-I", "A-I-2": "A-I", "A-I-2-INFO": "A-I-2", "A-I-2-HORS": "A-I-2",
               "A-I-3": "A-I", "A-I-3-INFO": "A-I-3", "A-I-3-HORS": "A-I-3", "A-II": "A", "A-II-1": "A-II",
               "A-II-2": "A-II", "B": "I", "B-I": "B", "B-II": "B", "B-II-1": "B-II", "B-II-2": "B-II",
               "B-III": "B", "B-III-1": "B-III", "B-III-1-INFO": "B-III-1", "B-III-1-HORS": "B-III-1",
               "B-III-2": "B-III", "II-RESERVE": "II", "II-GA-SIEGE": "II", "II-GA-REGION": "II",
               "II-ANGDM": "II", "III-CGSS": "III", "I": None, "II": None, "III": None}
    assert {ln.code: ln.parent for ln in fund.lines} == parents


def test_bnass_codes_and_tree() -> None:
    fund = load("bnass")
    assert fund.unit == "EUR" and fund.reference_year == 2021 and (fund.first_year, fund.last_year) == (2022, 2024)
    assert set(fund.leaf_codes) == set(BNASS_LEAVES)
    parents = {"PA": None, "PA-F": "PA", "PA-F-IND": "PA-F", "PA-F-COL": "PA-F", "PA-K": "PA", "PA-K-COL": "PA-K",
               "MAL": None, "MAL-F": "MAL", "MAL-F-IND": "MAL-F", "MAL-F-COL": "MAL-F", "MAL-K": "MAL",
               "MAL-K-COL": "MAL-K", "ATMP": None, "ATMP-F": "ATMP", "ATMP-F-IND": "ATMP-F", "ATMP-F-COL": "ATMP-F"}
    assert {ln.code: ln.parent for ln in fund.lines} == parents


def test_bnpps_codes_and_tree() -> None:
    fund = load("bnpps")
    assert fund.unit == "EUR" and fund.reference_year == 2021
    assert {ln.code: ln.parent for ln in fund.lines} == {"MAL": None, "MAL-CANSSM": "MAL", "MAL-EVAL": "MAL",
                                                          "ATMP": None, "ATMP-CANSSM": "ATMP"}


# -- amounts ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(BNGA_LEAVES))
def test_bnga_leaf_amounts(code: str) -> None:
    line = load("bnga").by_code[code]
    assert line.amounts == years(BNGA_LEAVES[code], meur)
    assert line.reference is None and line.published == {}


@pytest.mark.parametrize("code", sorted(BNGA_SUBTOTALS))
def test_bnga_published_subtotals(code: str) -> None:
    line = load("bnga").by_code[code]
    assert line.published == years(BNGA_SUBTOTALS[code], meur)
    assert line.amounts == {}


def test_bnga_examples_in_euros() -> None:
    fund = load("bnga")
    assert fund.base("A-I-1", 2022) == Decimal("37330000.00")
    assert fund.base("A-I-3-INFO", 2024) == Decimal("180000.00")
    assert fund.by_code["I"].published[2022] == Decimal("87610000.00")
    assert fund.by_code["A-II-1"].estimated == (2024,)  # « 10,54 * » : donnée estimée


@pytest.mark.parametrize(("name", "table"), [("bnass", BNASS_LEAVES), ("bnpps", BNPPS_LEAVES)])
def test_euro_funds_leaf_amounts(name: str, table: dict) -> None:
    fund = load(name)
    for code, figures in table.items():
        line = fund.by_code[code]
        assert line.amounts == years(figures, eur), code
        assert line.reference == eur(figures[0]), code  # Budget initial 2021
        assert line.published == {}, code


@pytest.mark.parametrize(("name", "table", "unprinted"),
                         [("bnass", BNASS_SUBTOTALS, BNASS_UNPRINTED), ("bnpps", BNPPS_SUBTOTALS, BNPPS_UNPRINTED)])
def test_euro_funds_published_subtotals(name: str, table: dict, unprinted: tuple[str, ...]) -> None:
    fund = load(name)
    assert {ln.code for ln in fund.lines} - fund.leaf_codes == set(table) | set(unprinted)
    for code, figures in table.items():
        line = fund.by_code[code]
        assert line.published == years(figures, eur), code
        assert line.reference == eur(figures[0]), code
        assert line.amounts == {}, code
    for code in unprinted:
        assert fund.by_code[code].published == {} and fund.by_code[code].reference is None, code


@pytest.mark.parametrize(("name", "table"), [("bnass", BNASS_EXTRA), ("bnpps", BNPPS_EXTRA)])
def test_extra_totals(name: str, table: dict) -> None:
    fund = load(name)
    assert [e.code for e in fund.extra_totals] == list(table)
    for extra in fund.extra_totals:
        members, figures = table[extra.code]
        assert extra.members == members
        assert extra.published == years(figures, eur)
        assert extra.reference == eur(figures[0])


def test_bnass_of_which_rows() -> None:
    fund = load("bnass")
    pa_ind = fund.by_code["PA-F-IND"].of_which
    assert [(o.label, o.amounts) for o in pa_ind] == [
        ("prestations d'ASS Individualisées", {2021: eur("16 275 600")}),
        ("politique de vacances", {2021: eur("2 123 700")}),
    ]
    mal_ind = fund.by_code["MAL-F-IND"].of_which
    assert [(o.label, o.amounts) for o in mal_ind] == [
        ("prestations d'ASS Individualisées", {2021: eur("1 714 800")}),
        ("22b", {2021: eur("2 572 100")}),
    ]
    (gildas,) = fund.by_code["PA-F-COL"].of_which
    assert "Saint-Gildas" in gildas.label and gildas.amounts == {2023: eur("1 453 000")}
    # the « dont » rows are never summed: the leaf keeps its own figure
    assert fund.base("PA-F-COL", 2023) == eur("2 306 100")


def test_fnmo_has_no_table_and_its_reserve() -> None:
    fund = load("fnmo")
    assert fund.programmed is False and fund.unit == "EUR" and (fund.first_year, fund.last_year) == (2022, 2024)
    assert [ln.code for ln in fund.lines] == ["INV", "DEF"]
    assert all(ln.amounts == {} and ln.published == {} and ln.parent is None for ln in fund.lines)
    assert all(ln.character == "limitative" for ln in fund.lines)
    rf = fund.reserve_fund
    assert rf is not None
    assert rf.opening == Decimal("58371718.99")  # « 58 371 718,99 € » after the last allocation at 31/12/2020
    assert rf.opening_year == 2021 and rf.resources == ("cessions", "excedents", "loyers") and rf.rule == "R-FNMO-RESERVE"


# -- rule parameters (RULES.md) ----------------------------------------------------------------------
def test_bnass_rule_parameters() -> None:
    fund = load("bnass")
    for code in ("PA-F-COL", "MAL-F-COL", "ATMP-F-COL"):
        ln = fund.by_code[code]
        assert (ln.character, ln.group) == ("limitative", "fonctionnement-collectif")
        assert (ln.carry.mode, ln.carry.rule, ln.carry.ap) == ("automatic", "R-CARRY-BNASS-AUTO", False)
        assert (ln.index.kind, ln.index.rule, ln.index.base_year, ln.index.first_year) == ("inflation", "R-INDEX-BNASS", 2022, 2023)
    for code in ("PA-K-COL", "MAL-K-COL"):
        ln = fund.by_code[code]
        assert (ln.character, ln.group) == ("limitative", "investissement-collectif")
        assert (ln.carry.mode, ln.carry.rule, ln.carry.ap) == ("automatic", "R-CARRY-BNASS-AUTO", True)
        assert (ln.index.kind, ln.index.rule) == ("none", "R-INDEX-BNASS")
    for code in ("PA-F-IND", "MAL-F-IND", "ATMP-F-IND"):
        ln = fund.by_code[code]
        assert (ln.character, ln.group) == ("evaluative", "angdm")
        assert (ln.carry.mode, ln.carry.rule) == ("never", "R-CARRY-EVALUATIVE-NONE")
        assert (ln.index.kind, ln.index.rule) == ("none", "R-INDEX-BNASS")
    f = fund.fungibility
    assert (f.default_verdict, f.default_rule) == ("requires_dm", "R-FUNG-BNASS-COL")
    assert {(g.name, g.within, g.rule) for g in f.groups} == {
        ("fonctionnement-collectif", "permitted", "R-FUNG-BNASS-COL"),
        ("investissement-collectif", "permitted", "R-FUNG-BNASS-COL"),
        ("angdm", "requires_dm", "R-FUNG-ANGDM")}
    assert f.directions == ()
    assert (fund.receipts.mode, fund.receipts.rule) == ("none", "R-RECEIPT-BNASS-NONE")
    assert fund.noncash is not None and fund.noncash.counterpart_classes == (1, 2)
    assert fund.real_estate is None and fund.reserve is None and fund.reserve_fund is None
    assert (fund.votes.rule, fund.votes.primitif_year_offset, fund.votes.rectificatif_year_offset) == ("R-VOTE-CALENDAR", -1, 0)


def test_bnpps_rule_parameters() -> None:
    fund = load("bnpps")
    for code in ("MAL-CANSSM", "ATMP-CANSSM"):
        ln = fund.by_code[code]
        assert ln.character == "limitative" and ln.group is None
        assert (ln.carry.mode, ln.carry.rule) == ("on_decision", "R-CARRY-LIMITATIVE")
        assert (ln.index.kind, ln.index.rule, ln.index.base_year, ln.index.first_year) == ("inflation", "R-INDEX-BNPPS", 2021, 2022)
    ln = fund.by_code["MAL-EVAL"]
    assert ln.character == "evaluative"
    assert (ln.carry.mode, ln.carry.rule, ln.index.kind, ln.index.rule) == ("never", "R-CARRY-EVALUATIVE-NONE", "none", "R-INDEX-BNPPS")
    f = fund.fungibility
    assert (f.default_verdict, f.default_rule, f.groups, f.directions) == ("requires_dm", "R-FUNG-DEFAULT", (), ())
    assert (fund.receipts.mode, fund.receipts.rule) == ("none", "R-RECEIPT-OTHER-NONE")
    assert fund.noncash is not None and fund.noncash.counterpart_classes == (1, 2)
    assert (fund.votes.rule, fund.votes.primitif_year_offset, fund.votes.rectificatif_year_offset) == ("R-VOTE-CALENDAR", -1, 0)


def test_fnmo_rule_parameters() -> None:
    fund = load("fnmo")
    for ln in fund.lines:
        assert (ln.carry.mode, ln.carry.rule, ln.index.kind, ln.index.rule) == ("never", "R-FNMO-RESERVE", "none", "R-FNMO-RESERVE")
    assert (fund.fungibility.default_verdict, fund.fungibility.default_rule) == ("requires_dm", "R-FUNG-DEFAULT")
    assert (fund.receipts.mode, fund.receipts.rule) == ("none", "R-RECEIPT-OTHER-NONE")
    v = fund.votes
    assert (v.rule, v.primitif_year_offset, v.primitif_latest, v.rectificatif_year_offset, v.rectificatif_before,
            v.executory_days) == ("R-FNMO-CALENDAR", 0, "06-30", 0, "12-31", 20)


@pytest.mark.parametrize("name", ["bnga", "bnass", "bnpps", "fnmo"])
def test_every_fund_cites_its_rules_in_french(name: str) -> None:
    from budgetrules.model.catalog import COMMON_RULES
    fund = load(name)
    assert set(COMMON_RULES) <= set(fund.citations)
    assert all(text.startswith("Annexe 3") for text in fund.citations.values())
