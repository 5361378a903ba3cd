"""`--cog` chooses the COG of one command: a second command run in the same process (CliRunner, the
Python API after it) works on its own COG, not on the one the first was given."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

ENV = "BUDGETRULES_COG"
EXAMPLE = "funds/exemple-2025-2029"


def funds_listed(args: list[str]) -> list[str]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [f["fund"] for f in json.loads(result.stdout)]


@pytest.mark.parametrize("first", [["--cog", EXAMPLE, "funds"], ["funds", "--cog", EXAMPLE]],
                         ids=["before the subcommand", "after it"])
def test_the_cog_of_one_invocation_does_not_leak_into_the_next(first, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert funds_listed(first) == ["FNGA", "FNAS"]  # the illustrative COG's two funds
    assert ENV not in os.environ
    assert funds_listed(["funds"]) == ["BNGA", "BNASS", "BNPPS", "FNMO"]  # the bundled default, CANSSM


def test_the_environment_a_command_was_given_is_left_as_it_was(monkeypatch):
    monkeypatch.setenv(ENV, "canssm-2022-2024")
    assert funds_listed(["--cog", EXAMPLE, "funds"]) == ["FNGA", "FNAS"]
    assert os.environ[ENV] == "canssm-2022-2024"
    monkeypatch.setenv(ENV, "exemple-2025-2029")
    assert funds_listed(["funds"]) == ["FNGA", "FNAS"]  # BUDGETRULES_COG still chooses when --cog is not given


def test_the_cog_is_put_back_after_an_input_error(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV, raising=False)
    result = CliRunner().invoke(main, ["--cog", EXAMPLE, "run", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "file not found" in result.stderr
    assert ENV not in os.environ
