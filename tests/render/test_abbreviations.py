"""How tables abbreviate verdicts (cog.yaml `abbreviations`, docs/cog.md): the COG's own words, a
neutral mark when it gives none, and a mistake in them an input error with its line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

ROOT = Path(__file__).resolve().parents[2]
LINE = 'abbreviations: {permitted: DG, permitted_with_notice: DG + info, requires_dm: DM, refused: "—"}\n'


def cog_with(tmp_path: Path, abbreviations: str) -> Path:
    folder = tmp_path / "exemple"
    shutil.copytree(ROOT / "funds" / "exemple-2025-2029", folder)
    cog = folder / "cog.yaml"
    text = cog.read_text(encoding="utf-8")
    assert LINE in text
    # without its central scenario (which names the bundled COG, `cog: exemple-2025-2029`): the bare COG
    text = text.replace("central_scenario: exemple-2025-2029/central.yaml\n", "")
    cog.write_text(text.replace(LINE, abbreviations), encoding="utf-8")
    return folder


def matrix(folder: Path, *more: str):
    return CliRunner().invoke(main, ["virement", "FNGA", "--matrix", "--cog", str(folder), *more])


def test_the_bundled_cog_abbreviates_as_it_says(tmp_path):
    out = matrix(ROOT / "funds" / "exemple-2025-2029").stdout
    # personnel → fonctionnement: « dans le mois qui suit », signed by the directrice générale
    assert "DG + info (R-FUNG-FNGA-ASYM)" in out
    assert "DG + info = directrice générale de la CNEX, information de : " in out.splitlines()[-1]


def test_without_abbreviations_the_marks_are_neutral(tmp_path):
    out = matrix(cog_with(tmp_path, "")).stdout
    assert "✓ + info (R-FUNG-FNGA-ASYM)" in out and "DG" not in out
    legend = out.splitlines()[-1]
    assert legend.startswith("✓ = directrice générale de la CNEX ; ✓ + info = directrice générale de la CNEX")
    assert "DM = décision modificative votée par le conseil d'administration de la CNEX et approuvée par les " \
           "ministères de tutelle" in legend


def test_a_cog_s_own_abbreviation(tmp_path):
    out = matrix(cog_with(tmp_path, "abbreviations: {permitted_with_notice: PDD + info}\n"), "--lang", "en").stdout
    assert "PDD + info (R-FUNG-FNGA-ASYM)" in out and "✓ (R-FUNG-FNGA-INTERNE)" in out


@pytest.mark.parametrize("line, message", [
    ("abbreviations: {permited: DG}\n", "unknown key 'permited' — did you mean 'permitted'?"),
    ("abbreviations: {permitted: [DG]}\n", "abbreviations.permitted: a short text (at most 16 characters)"),
])
def test_a_mistake_is_an_input_error_with_its_line(tmp_path, line, message):
    result = matrix(cog_with(tmp_path, line))
    assert result.exit_code == 2 and message in result.stderr and "cog.yaml:34" in result.stderr, result.stderr
