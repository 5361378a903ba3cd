"""R-FUNG-*: every group-to-group direction of the BNGA, BNASS, BNPPS (and FNMO) virement matrices,
checked line to line with `direction(fund, from, to)` against the sentences of annex 3
(« Les virements de crédits » of the BNGA and of the BNASS).

Each case names real line codes of LINES.md; the comment above each block quotes the COG
sentence the verdict comes from."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from budgetrules.io.fundfile import load_funds
from budgetrules.io.paths import bundled_fund_files
from budgetrules.model.scenario import Dm
from budgetrules.rules.fungibility import direction, group_matrix, judge

FUNDS = load_funds(bundled_fund_files())

P, PN, DM = "permitted", "permitted_with_notice", "requires_dm"

CASES: list[tuple[str, str, str, str, str]] = [
    # ---------------------------------------------------------------------------------------
    # BNGA « Les virements de crédits »:
    # « Il existe un principe de fongibilité asymétrique à l'intérieur des groupes de dépenses
    #   suivants: 1. Les charges de personnel, 2. Les autres charges de fonctionnement,
    #   3. Les dépenses d'investissements. À l'intérieur de ces groupes de dépenses, les virements
    #   de crédits sont effectués par le directeur général. »   → R-FUNG-BNGA-WITHIN
    ("BNGA", "A-I-2-INFO", "A-I-2-HORS", P, "R-FUNG-BNGA-WITHIN"),
    ("BNGA", "A-I-2-HORS", "A-I-2-INFO", P, "R-FUNG-BNGA-WITHIN"),
    ("BNGA", "A-I-3-INFO", "A-I-3-HORS", P, "R-FUNG-BNGA-WITHIN"),
    ("BNGA", "A-I-3-HORS", "A-I-3-INFO", P, "R-FUNG-BNGA-WITHIN"),
    # (personnel → personnel: A-I-1 is the only personnel line; see test_bnga_group_matrix.)
    # « Les virements de crédits des charges de personnel vers les autres charges de
    #   fonctionnement et des autres charges de fonctionnement vers les dépenses
    #   d'investissements sont effectués par le directeur général. Ils font l'objet d'une
    #   information du contrôleur général économique et financier et des ministères de tutelle
    #   dans les 15 jours qui suivent le virement. »   → R-FUNG-BNGA-ASYM
    ("BNGA", "A-I-1", "A-I-2-INFO", PN, "R-FUNG-BNGA-ASYM"),
    ("BNGA", "A-I-1", "A-I-2-HORS", PN, "R-FUNG-BNGA-ASYM"),
    ("BNGA", "A-I-2-INFO", "A-I-3-INFO", PN, "R-FUNG-BNGA-ASYM"),
    ("BNGA", "A-I-2-INFO", "A-I-3-HORS", PN, "R-FUNG-BNGA-ASYM"),
    ("BNGA", "A-I-2-HORS", "A-I-3-INFO", PN, "R-FUNG-BNGA-ASYM"),
    ("BNGA", "A-I-2-HORS", "A-I-3-HORS", PN, "R-FUNG-BNGA-ASYM"),
    # « Tout autre virement est interdit. Il peut être dérogé à cette règle qu'exceptionnellement
    #   par une décision modificative soumise au vote du conseil d'administration et approuvée
    #   par la tutelle. »   → R-FUNG-BNGA-OTHER
    # ... the reverse directions (fonctionnement → personnel, investissement → fonctionnement,
    # investissement → personnel):
    ("BNGA", "A-I-2-INFO", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-2-HORS", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-INFO", "A-I-2-INFO", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-INFO", "A-I-2-HORS", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-HORS", "A-I-2-INFO", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-HORS", "A-I-2-HORS", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-INFO", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-HORS", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    # ... personnel → investissement directly (the text names only the two steps):
    ("BNGA", "A-I-1", "A-I-3-INFO", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-1", "A-I-3-HORS", DM, "R-FUNG-BNGA-OTHER"),
    # ... the CDC lines (« 4. Les dépenses de gestion de la Caisse Des dépôts et Consignations »,
    # not one of the three groups), between themselves and with the groups:
    ("BNGA", "A-II-1", "A-II-2", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-II-2", "A-II-1", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-II-1", "A-I-2-HORS", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-2-HORS", "A-II-1", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-1", "A-II-2", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-II-2", "A-I-3-HORS", DM, "R-FUNG-BNGA-OTHER"),
    # ... the CGSS line (« 5. Les dépenses relatives à la 3e section (CGSS) »):
    ("BNGA", "III-CGSS", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-2-INFO", "III-CGSS", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "III-CGSS", "A-II-1", DM, "R-FUNG-BNGA-OTHER"),
    # ... the evaluative lines (« Les dépenses à caractère évaluatif »), to, from and between them:
    ("BNGA", "B-I", "A-I-2-HORS", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-2-HORS", "B-I", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-1", "B-II-2", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "B-II-1", "B-II-2", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "B-III-1-INFO", "A-I-2-INFO", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "B-III-1-HORS", "B-III-2", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-3-INFO", "B-III-1-INFO", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "II-GA-SIEGE", "II-GA-REGION", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "II-ANGDM", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    # ... the réserve nationale (« Son utilisation est conditionnée par l'autorisation préalable
    # des ministères de tutelle »: never by a director's virement):
    ("BNGA", "II-RESERVE", "A-I-2-HORS", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "A-I-2-HORS", "II-RESERVE", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "II-GA-SIEGE", "II-RESERVE", DM, "R-FUNG-BNGA-OTHER"),
    ("BNGA", "II-RESERVE", "A-I-1", DM, "R-FUNG-BNGA-OTHER"),
    # ---------------------------------------------------------------------------------------
    # BNASS, « Règles spécifiques aux crédits à caractère collectif de la CANSSM — Les virements
    # de crédits »: « Il existe un principe de fongibilité des dépenses tant de fonctionnement
    # que d'investissements à caractère collectif de la CANSSM. À l'intérieur de ces deux
    # groupes de dépenses, les virements de crédits sont effectués par le directeur général. »
    # → R-FUNG-BNASS-COL (Reading: the groups span the three sections).
    ("BNASS", "PA-F-COL", "MAL-F-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "PA-F-COL", "ATMP-F-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-F-COL", "PA-F-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-F-COL", "ATMP-F-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "ATMP-F-COL", "PA-F-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "ATMP-F-COL", "MAL-F-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "PA-K-COL", "MAL-K-COL", P, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-K-COL", "PA-K-COL", P, "R-FUNG-BNASS-COL"),
    # « Tout autre virement fait l'objet d'une décision modificative soumise au vote du conseil
    #   d'administration et à l'approbation des ministères de tutelle. »
    # ... collective operating ↔ collective investment, in the same section and across:
    ("BNASS", "PA-F-COL", "PA-K-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "PA-K-COL", "PA-F-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-F-COL", "MAL-K-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-K-COL", "MAL-F-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "ATMP-F-COL", "PA-K-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-K-COL", "ATMP-F-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "PA-F-COL", "MAL-K-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "PA-K-COL", "MAL-F-COL", DM, "R-FUNG-BNASS-COL"),
    # ... the ANGDM individual (evaluative) lines and the collective lines:
    ("BNASS", "PA-F-COL", "PA-F-IND", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "PA-F-IND", "PA-F-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "MAL-F-IND", "MAL-K-COL", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "ATMP-F-COL", "ATMP-F-IND", DM, "R-FUNG-BNASS-COL"),
    ("BNASS", "ATMP-F-IND", "PA-K-COL", DM, "R-FUNG-BNASS-COL"),
    # « Règles spécifiques aux crédits à caractère individuel de l'ANGDM — Les virements de
    #   crédits »: « Il existe pour chaque section de dépenses, une seule ligne relative aux
    #   dépenses d'action sanitaire et sociale individuelles de fonctionnement de l'ANGDM. Chaque
    #   ligne de dépenses dans le cadre d'un principe de fongibilité couvre [ses sous-postes] »:
    #   fungible inside the line, nothing between lines → R-FUNG-ANGDM, a DM.
    ("BNASS", "PA-F-IND", "MAL-F-IND", DM, "R-FUNG-ANGDM"),
    ("BNASS", "MAL-F-IND", "PA-F-IND", DM, "R-FUNG-ANGDM"),
    ("BNASS", "PA-F-IND", "ATMP-F-IND", DM, "R-FUNG-ANGDM"),
    ("BNASS", "ATMP-F-IND", "PA-F-IND", DM, "R-FUNG-ANGDM"),
    ("BNASS", "MAL-F-IND", "ATMP-F-IND", DM, "R-FUNG-ANGDM"),
    ("BNASS", "ATMP-F-IND", "MAL-F-IND", DM, "R-FUNG-ANGDM"),
    # ---------------------------------------------------------------------------------------
    # BNPPS: « Règles budgétaires du budget national de prévention et de promotion de la santé »
    # name no fungibility (« Toutes les dépenses revêtent un caractère limitatif exception faite
    # des dépenses facturées par l'Assurance maladie »): every virement → R-FUNG-DEFAULT, a DM.
    ("BNPPS", "MAL-CANSSM", "ATMP-CANSSM", DM, "R-FUNG-DEFAULT"),
    ("BNPPS", "ATMP-CANSSM", "MAL-CANSSM", DM, "R-FUNG-DEFAULT"),
    ("BNPPS", "MAL-CANSSM", "MAL-EVAL", DM, "R-FUNG-DEFAULT"),
    ("BNPPS", "MAL-EVAL", "MAL-CANSSM", DM, "R-FUNG-DEFAULT"),
    ("BNPPS", "MAL-EVAL", "ATMP-CANSSM", DM, "R-FUNG-DEFAULT"),
    ("BNPPS", "ATMP-CANSSM", "MAL-EVAL", DM, "R-FUNG-DEFAULT"),
    # FNMO: « Règles budgétaires du Fonds national de modernisation des œuvres » name no
    # fungibility either (its expenses are set annually against the reserve) → R-FUNG-DEFAULT.
    ("FNMO", "INV", "DEF", DM, "R-FUNG-DEFAULT"),
    ("FNMO", "DEF", "INV", DM, "R-FUNG-DEFAULT"),
]


@pytest.mark.parametrize("fund,source,target,verdict,rule", CASES,
                         ids=[f"{c[0]}:{c[1]}->{c[2]}" for c in CASES])
def test_direction(fund, source, target, verdict, rule):
    got = direction(FUNDS[fund], source, target)
    assert got[:2] == (verdict, rule)


def test_cases_are_real_leaves():
    for fund, source, target, _, _ in CASES:
        assert FUNDS[fund].is_leaf(source), (fund, source)
        assert FUNDS[fund].is_leaf(target), (fund, target)


# -- every ordered pair of leaves, by the groups of LINES.md --------------------------------------
BNGA_GROUPS = {"A-I-1": "personnel", "A-I-2-INFO": "fonctionnement", "A-I-2-HORS": "fonctionnement",
               "A-I-3-INFO": "investissement", "A-I-3-HORS": "investissement", "A-II-1": "cdc",
               "A-II-2": "cdc", "III-CGSS": "cgss"}  # every other leaf: evaluative or the reserve, no group


def expected_bnga(source: str, target: str) -> tuple[str, str]:
    gs, gt = BNGA_GROUPS.get(source), BNGA_GROUPS.get(target)
    three = ("personnel", "fonctionnement", "investissement")
    if gs == gt and gs in three:
        return P, "R-FUNG-BNGA-WITHIN"
    if (gs, gt) in (("personnel", "fonctionnement"), ("fonctionnement", "investissement")):
        return PN, "R-FUNG-BNGA-ASYM"
    return DM, "R-FUNG-BNGA-OTHER"


def expected_bnass(source: str, target: str) -> tuple[str, str]:
    kind = lambda code: code.split("-", 1)[1]  # noqa: E731  F-COL, K-COL or F-IND
    ks, kt = kind(source), kind(target)
    if ks == kt and ks in ("F-COL", "K-COL"):
        return P, "R-FUNG-BNASS-COL"
    if ks == kt == "F-IND":
        return DM, "R-FUNG-ANGDM"
    return DM, "R-FUNG-BNASS-COL"


EXPECTED = {"BNGA": expected_bnga, "BNASS": expected_bnass,
            "BNPPS": lambda s, t: (DM, "R-FUNG-DEFAULT"), "FNMO": lambda s, t: (DM, "R-FUNG-DEFAULT")}


@pytest.mark.parametrize("fund", ["BNGA", "BNASS", "BNPPS", "FNMO"])
def test_every_ordered_pair_of_leaves(fund):
    f = FUNDS[fund]
    codes = [ln.code for ln in f.leaves]
    wrong = []
    for s, t in itertools.permutations(codes, 2):
        got = direction(f, s, t)[:2]
        if got != EXPECTED[fund](s, t):
            wrong.append((s, t, got, EXPECTED[fund](s, t)))
    assert not wrong


def test_hand_cases_agree_with_the_pair_rules():
    for fund, s, t, verdict, rule in CASES:
        assert EXPECTED[fund](s, t) == (verdict, rule)


# -- the printed matrices (`virement --matrix`) -----------------------------------------------------
def test_bnga_group_matrix():
    names, matrix = group_matrix(FUNDS["BNGA"])
    assert names == ["personnel", "fonctionnement", "investissement", "cdc", "cgss", None]
    for a in names:
        for b in names:
            if a == b and a in ("personnel", "fonctionnement", "investissement"):
                want = (P, "R-FUNG-BNGA-WITHIN")
            elif (a, b) in (("personnel", "fonctionnement"), ("fonctionnement", "investissement")):
                want = (PN, "R-FUNG-BNGA-ASYM")
            else:
                want = (DM, "R-FUNG-BNGA-OTHER")
            assert matrix[(a, b)] == want, (a, b)


def test_bnass_group_matrix():
    names, matrix = group_matrix(FUNDS["BNASS"])
    assert names == ["fonctionnement-collectif", "investissement-collectif", "angdm"]
    assert matrix == {
        ("fonctionnement-collectif", "fonctionnement-collectif"): (P, "R-FUNG-BNASS-COL"),
        ("fonctionnement-collectif", "investissement-collectif"): (DM, "R-FUNG-BNASS-COL"),
        ("fonctionnement-collectif", "angdm"): (DM, "R-FUNG-BNASS-COL"),
        ("investissement-collectif", "fonctionnement-collectif"): (DM, "R-FUNG-BNASS-COL"),
        ("investissement-collectif", "investissement-collectif"): (P, "R-FUNG-BNASS-COL"),
        ("investissement-collectif", "angdm"): (DM, "R-FUNG-BNASS-COL"),
        ("angdm", "fonctionnement-collectif"): (DM, "R-FUNG-BNASS-COL"),
        ("angdm", "investissement-collectif"): (DM, "R-FUNG-BNASS-COL"),
        ("angdm", "angdm"): (DM, "R-FUNG-ANGDM"),
    }


@pytest.mark.parametrize("fund", ["BNPPS", "FNMO"])
def test_default_group_matrix(fund):
    names, matrix = group_matrix(FUNDS[fund])
    assert names == [None]
    assert matrix == {(None, None): (DM, "R-FUNG-DEFAULT")}


@pytest.mark.parametrize("lang, none", [("fr", "(sans groupe)"), ("en", "(no group)")])
def test_the_lines_without_a_group_are_named_in_the_reader_s_language(lang, none):
    from budgetrules.documents.build import matrix_document
    from budgetrules.render.virement import render_matrix

    text = render_matrix(matrix_document(FUNDS["BNPPS"]), "table", lang)
    header, rule, row = text.splitlines()[:3]
    assert header.split("    ")[-1].strip() == none and row.startswith(none) and "aucun" not in text
    assert "DM (R-FUNG-DEFAULT)" in row


# -- the verdict on one virement (judge) ------------------------------------------------------------
def test_notice_deadline_is_fifteen_days_after_the_virement():
    # « dans les 15 jours qui suivent le virement »
    d = judge(FUNDS["BNGA"], "A-I-1", "A-I-2-INFO", Decimal("400000.00"), dt.date(2023, 6, 1),
              Decimal("36809346.00"), recorded=False)
    assert (d.verdict, d.notify_by, d.applied) == (PN, dt.date(2023, 6, 16), True)


def test_within_group_has_no_notice():
    d = judge(FUNDS["BNGA"], "A-I-3-INFO", "A-I-3-HORS", Decimal("1.00"), dt.date(2023, 6, 1), Decimal("1.00"))
    assert (d.verdict, d.notify_by, d.findings) == (P, None, [])


@pytest.mark.parametrize("fund,source,target", [("BNGA", "A-I-2-HORS", "A-I-1"), ("BNASS", "MAL-F-COL", "MAL-K-COL"),
                                                ("BNPPS", "MAL-CANSSM", "ATMP-CANSSM")])
def test_a_coherent_dm_permits_any_direction(fund, source, target):
    dm = Dm(ref="DM-1", board_vote=dt.date(2023, 5, 10), approval=dt.date(2023, 6, 2))
    d = judge(FUNDS[fund], source, target, Decimal("10.00"), dt.date(2023, 6, 15), Decimal("10.00"), dm=dm)
    assert (d.verdict, d.applied, d.with_dm) == (P, True, True)
    assert "R-FUNG-DM" in d.rules


def test_more_than_available_is_refused_whatever_the_direction():
    d = judge(FUNDS["BNGA"], "A-I-2-INFO", "A-I-2-HORS", Decimal("10.01"), dt.date(2023, 6, 1), Decimal("10.00"))
    assert (d.verdict, d.applied, d.rules[0]) == ("refused", False, "R-FUNG-INSUFFICIENT")
    assert d.findings[0][-1] == Decimal("0.01")
