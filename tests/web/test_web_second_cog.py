"""The web pages on the second, illustrative COG (funds/exemple-2025-2029), served beside the
CANSSM's: its groups named as its fund file names them (`fungibility.groups.<name>.label`), its
authorities (cog.yaml `authorities`) in the legend of the verdicts, nothing of the CANSSM's wording."""
from __future__ import annotations

import html
import json
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


def test_a_scenario_names_a_served_cog_by_its_id(tmp_path):
    # a COG served from a folder of its own (here a copy of the example, renamed) is named by the id it
    # is served under, and its funds are the served folder's, not a bundled COG's of the same name
    import shutil

    from budgetrules.web.app import create_app
    from budgetrules.web.state import make_settings

    copy = tmp_path / "autre"
    shutil.copytree(ROOT / "funds/exemple-2025-2029", copy)
    cog_yaml = copy / "cog.yaml"
    cog_yaml.write_text(cog_yaml.read_text(encoding="utf-8").replace("code: exemple-2025-2029", "code: autre-2025-2029"),
                        encoding="utf-8")
    fnga = copy / "fnga.yaml"
    fnga.write_text(fnga.read_text(encoding="utf-8").replace("(exemple illustratif)", "(copie)", 1), encoding="utf-8")
    client = TestClient(create_app(make_settings(cog_folders=[ROOT / "funds/canssm-2022-2024", copy])))
    answer = client.post("/api/run", content=b"name: x\ncog: autre-2025-2029\nfunds: [FNGA]\n")
    assert answer.status_code == 200, answer.text
    assert [(f["fund"], f["label"]) for f in answer.json()["funds"]] == [
        ("FNGA", "Fonds national de gestion administrative (copie)")]
    bundled = client.post("/api/run", content=b"name: x\ncog: exemple-2025-2029\n")
    assert bundled.status_code == 422
    assert bundled.json()["errors"][0]["message"] == (
        "cog: unknown COG 'exemple-2025-2029' — did you mean 'autre-2025-2029'? "
        "(the COGs served: autre-2025-2029, canssm-2022-2024)")


def test_the_funds_of_a_cog_are_the_cli_document(two_cogs):
    # fnga.yaml is in k€ (`unit: k€`), fnas.yaml in €: the list says so, as `budgetrules funds --format json`
    from click.testing import CliRunner

    from budgetrules.cli import main

    answer = two_cogs.get("/api/funds", params={"cog": "exemple-2025-2029"})
    assert {f["fund"]: f["unit"] for f in answer.json()} == {"FNGA": "k€", "FNAS": "€"}
    cli = CliRunner().invoke(main, ["funds", "--cog", str(ROOT / "funds/exemple-2025-2029"), "--format", "json"],
                             catch_exceptions=False)
    assert answer.json() == json.loads(cli.stdout)
