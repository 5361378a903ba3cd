"""Fixtures shared by the tests: a scenario written inline, run by the engine.

    def test_something(scenario):
        result = scenario('''
            name: cas
            funds: [BNGA]
            assumptions: none
            events:
              - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: "1 000"}
        ''')
        assert result.row("BNGA", "A-I-1", 2023)["executed"] == Decimal("1000.00")

The text is dedented and written to a file of the test's own folder (so that sources read
"scenario.yaml:7"), read as `budgetrules run` reads a scenario (against the COG it names, the
current one by default), and run. `scenario.path` is the file of the last one written."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from budgetrules.engine import Result, run
from budgetrules.io.scenariofile import load_scenario


class ScenarioRunner:
    """`scenario(text, name="scenario.yaml", funds=None, **run_options) -> Result`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path: Path | None = None

    def write(self, text: str, name: str = "scenario.yaml") -> Path:
        self.path = self.folder / name
        self.path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return self.path

    def __call__(self, text: str, name: str = "scenario.yaml", funds: dict | None = None, **options: Any) -> Result:
        return run(load_scenario(self.write(text, name), funds=funds), **options)


@pytest.fixture
def scenario(tmp_path: Path) -> ScenarioRunner:
    """A scenario's YAML text → the engine's Result (see the module's docstring)."""
    return ScenarioRunner(tmp_path)
