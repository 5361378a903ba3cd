"""The web pages on the second, illustrative COG (funds/exemple-2025-2029), served beside the
CANSSM's: its groups named as its fund file names them (`fungibility.groups.<name>.label`), its
authorities (cog.yaml `authorities`) in the legend of the verdicts, nothing of the CANSSM's wording."""
from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ASKED = {"cog": "exemple-2025-2029", "fund": "FNGA", "line": "L-PERS", "date": "2026-03-31"}


@pytest.fixture(scope="module")
def two_cogs():
    from budgetrules.web.app import create_app
    from budgetrules.web.state import make_settings

    settings = make_settings(cog_folders=[ROOT / "funds/canssm-2022-2024", ROOT / "funds/exemple-2025-2029"])
    return TestClient(create_app(settings))


def answer_of(page: str) -> str:
    """The answer's section, as text (the form above it lists every COG, the CANSSM's included)."""
    section = page.split('<section class="answer" id="available">', 1)[1].split("</section>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", section))


@pytest.mark.parametrize("lang, immobilier, signs", [
    ("fr", "Investissement immobilier", "DG + info = directrice générale de la CNEX, information de : contrôleur "
                                        "budgétaire et ministères de tutelle (exemple illustratif), sous 1 mois"),
    ("en", "Property investment", "DG + info = the CNEX's director general, with notice to contrôleur "
                                  "budgétaire et ministères de tutelle (exemple illustratif) within 1 month"),
])
def test_available_names_the_groups_and_authorities_of_the_cog(two_cogs, lang, immobilier, signs):
    # fnga.yaml: `immobilier: {…, label: {fr: Investissement immobilier, en: Property investment}}`;
    # L-PERS (personnel) → L-INV-IMMO (immobilier) is permitted with notice « dans le mois qui suit »
    # (notice_months: 1) to the fund's `notify`, signed by cog.yaml's `authorities.permitted`.
    page = two_cogs.get("/available", params={**ASKED, "lang": lang})
    assert page.status_code == 200
    text = answer_of(page.text)
    assert immobilier in text and signs in " ".join(text.split())
    assert not re.search(r"CANSSM|BNGA|directeur général|director general;", text)


def test_available_on_the_canssm_names_its_groups_from_its_fund_file(two_cogs):
    # bnga.yaml: `cdc: {…, label: CDC}`, `cgss: {…, label: CGSS}`: the table of targets of A-I-1
    # names the group of A-II-1 (Rémunération CDC) « CDC », not the key capitalised (« Cdc »).
    page = two_cogs.get("/available", params={"cog": "canssm-2022-2024", "fund": "BNGA", "line": "A-I-1",
                                              "date": "2023-06-15"})
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r'<tr data-line="([^"]+)"[^>]*><td><code>[^<]*</code></td><td>[^<]*</td><td>([^<]*)</td>', page.text)}
    assert rows["A-II-1"] == "CDC" and rows["III-CGSS"] == "CGSS" and rows["A-I-2-INFO"] == "Fonctionnement"
