"""Sources of findings and contributions are paths relative to the scenario's folder, whatever the
working directory (issue 16: a report handed to a board must not name the auditor's machine)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.documents.sources import relative_source

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "dates" / "dm-after-virement.yaml"
BNGA = ROOT / "funds" / "canssm-2022-2024" / "bnga.yaml"


def row_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("cwd", ["root", "elsewhere"])
def test_audit_sources_are_relative_to_the_scenario_folder(cwd, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT if cwd == "root" else tmp_path)
    r = CliRunner().invoke(main, ["audit", str(SCENARIO), "--format", "json"])
    assert r.exit_code == 1, r.output  # the R-FUNG-DM error of the scenario
    sources = {(f["rule"], f["line"]): f["source"] for f in json.loads(r.stdout)["findings"]}
    # the virement is the event at line 10 of the scenario (`- kind: virement`)
    assert sources[("R-FUNG-DM", "A-I-3-HORS")] == f"dm-after-virement.yaml:{row_of(SCENARIO, '- kind: virement')}"
    # A-I's printed subtotal: the row of bnga.yaml, two folders up from scenarios/dates/
    assert sources[("R-SOURCE-TOTALS", "A-I")] == f"../../funds/canssm-2022-2024/bnga.yaml:{row_of(BNGA, '{code: A-I,')}"
    assert not any(s.startswith("/") for s in sources.values())


def test_explain_names_the_assumption_lines_relative_to_the_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    central = ROOT / "scenarios" / "central.yaml"
    r = CliRunner().invoke(main, ["explain", str(central), "BNGA", "A-I-1", "2023", "--format", "json"])
    assert r.exit_code == 0, r.output
    (index,) = [c for c in json.loads(r.stdout)["contributions"] if c["column"] == "indexation"]
    assert index["source"].startswith("../funds/canssm-2022-2024/bnga.yaml:")
    assert "central.yaml:" in index["note"] and str(ROOT) not in index["note"]


@pytest.mark.parametrize(("source", "base", "expected"), [
    ("/a/b/s.yaml:12", "/a/b", "s.yaml:12"),
    ("/a/funds/x.yaml:3", "/a/scenarios/rules", "../../funds/x.yaml:3"),
    ("/a/b/fec.txt", "/a/b", "fec.txt"),
    ("/elsewhere/deep/down/f.yaml:3", "/a/b/c", "/elsewhere/deep/down/f.yaml:3"),  # three steps up: kept
    ("", "/a", ""),
    ("/a/b/s.yaml:12", None, "/a/b/s.yaml:12"),
])
def test_relative_source(source, base, expected):
    assert relative_source(source, Path(base) if base else None) == expected


def test_only_sources_are_rewritten_in_messages(tmp_path, monkeypatch):
    """A virement's `source` parameter is its source line and an institution is a Local: neither is a
    path. The sample audit's messages name A-I-2-HORS and « conseil d'administration », never
    "../../A-I-2-HORS" nor a {'fr': …} mapping; the chain's virements are relative to its folder."""
    monkeypatch.chdir(tmp_path)
    sample = ROOT / "scenarios" / "audit" / "sample-2022-2024.yaml"
    r = CliRunner().invoke(main, ["audit", str(sample), "--format", "json"])
    messages = [f["message"] for f in json.loads(r.stdout)["findings"]]
    assert not any("../" in m or "{'fr'" in m for m in messages), [m for m in messages if "../" in m or "{'fr'" in m]
    assert any("A-I-2-HORS →" in m for m in messages)
    assert any("conseil d'administration" in m for m in messages)
    (chain,) = [m for m in messages if "puis" in m and "sample-2022-2024.yaml:" in m][:1]
    assert str(ROOT) not in chain


@pytest.mark.parametrize("cwd", ["root", "elsewhere"])
def test_every_place_of_a_list_of_sources_is_relative(cwd, tmp_path, monkeypatch):
    """A finding behind several events ("p:330, p:331", rules/reserve.py, receipts.py, ceilings.py,
    carry.py) names each of them relative to the scenario's folder, not only the first."""
    monkeypatch.chdir(ROOT if cwd == "root" else tmp_path)
    sample = "scenarios/audit/sample-2022-2024.yaml" if cwd == "root" else str(ROOT / "scenarios/audit/sample-2022-2024.yaml")
    r = CliRunner().invoke(main, ["audit", sample, "--format", "json"])
    (reserve,) = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "R-FNMO-RESERVE"]
    assert reserve["source"] == "sample-2022-2024.yaml:330, sample-2022-2024.yaml:331"


@pytest.mark.parametrize(("source", "base", "expected"), [
    ("/a/b/s.yaml:12, /a/b/s.yaml:13, /a/funds/f.yaml:3", "/a/b", "s.yaml:12, s.yaml:13, ../funds/f.yaml:3"),
    ("/a/b/s.yaml:12, /elsewhere/deep/down/f.yaml:3", "/a/b/c", "../s.yaml:12, /elsewhere/deep/down/f.yaml:3"),
    ("/a/b/one, two.yaml:4", "/a/b", "one, two.yaml:4"),  # one file with ", " in its name: not a list
    ("assumption carry_over: maximum", "/a/b", "assumption carry_over: maximum"),  # not a file
])
def test_relative_source_of_lists_and_of_what_is_not_a_file(source, base, expected):
    assert relative_source(source, Path(base)) == expected


def test_explain_keeps_the_carry_over_assumption_as_it_is(tmp_path, monkeypatch):
    """The carry-over of the `carry_over: maximum` assumption has no file behind it: its source is
    "assumption carry_over: maximum", not "../../assumption carry_over: maximum"."""
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(main, ["explain", "scenarios/rules/r-carry-limitative-maximum.yaml", "BNGA", "A-I-2-HORS",
                                  "2023", "--column", "carry_in", "--format", "json"])
    assert r.exit_code == 0, r.output
    sources = {c["source"] for c in json.loads(r.stdout)["contributions"]}
    assert "assumption carry_over: maximum" in sources, sources


def test_a_path_is_resolved_once_per_folder(monkeypatch):
    """240 000 events name the same file: it is resolved once, not once per event."""
    import budgetrules.documents.sources as sources

    calls = []
    real = Path.resolve

    def counting(self, *args, **kwargs):
        calls.append(str(self))
        return real(self, *args, **kwargs)

    if hasattr(sources, "_relative_path"):
        sources._relative_path.cache_clear()
    monkeypatch.setattr(Path, "resolve", counting)
    scenario = ROOT / "scenarios" / "audit" / "sample-2022-2024.yaml"
    many = ", ".join(f"{scenario}:{n}" for n in range(1, 5001))
    assert relative_source(many, scenario.parent) == ", ".join(f"sample-2022-2024.yaml:{n}" for n in range(1, 5001))
    assert relative_source(f"{scenario}:7", scenario.parent) == "sample-2022-2024.yaml:7"
    assert len(calls) == 2  # the file and the folder, once


def test_parameters_without_a_source_are_kept_not_copied():
    """30 000 findings walk 270 000 parameters: what holds no source is returned as it is; a source
    deep in a phrase is made relative and only its branch copied."""
    from budgetrules.core.records import Word
    from budgetrules.documents.sources import _in_params

    base = ROOT / "scenarios" / "audit"
    plain = {"line": "A-I-1", "amount": "100.00", "what": Word("credits_of.limitative", {"year": 2023}),
             "steps": [Word("index.step", {"rate": "0.4"})]}
    assert _in_params(plain, base) is plain
    deep = {"line": "A-I-1", "what": Word("chain", {"first_source": f"{base}/sample-2022-2024.yaml:12"}), "other": plain}
    out = _in_params(deep, base)
    assert out["what"].params == {"first_source": "sample-2022-2024.yaml:12"} and out["other"] is plain
    assert deep["what"].params["first_source"] == f"{base}/sample-2022-2024.yaml:12"  # the record is not changed
