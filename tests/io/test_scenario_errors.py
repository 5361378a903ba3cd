"""Bad scenario files through the command line (CLI.md « Exit codes », SCENARIOS.md « Anything it
does not name is refused with a clear message (file:line, the key, and the nearest valid key) »):
exit code 2, the messages of tests/golden/scenario_errors/NAME.txt exactly, no traceback, and
nothing written. The runner works inside the golden folder so that the paths shown are stable."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main
from budgetrules.io.scenariofile import load_scenario
from budgetrules.core.errors import InputErrors

GOLDEN = Path(__file__).parents[1] / "golden" / "scenario_errors"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def invoke(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=True)


def assert_refused(result) -> None:
    """Exit 2 with a message, never a traceback (CLI.md)."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_every_golden_case_has_its_file():
    assert len(CASES) >= 12
    for name in CASES:
        assert (GOLDEN / f"{name}.yaml").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_bad_scenario_gives_the_golden_messages(name, monkeypatch):
    monkeypatch.chdir(GOLDEN)
    result = invoke(["run", f"{name}.yaml"])
    assert_refused(result)
    expected = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert result.stderr.splitlines() == expected


@pytest.mark.parametrize("name", CASES)
def test_bad_scenario_writes_no_output_file(name, monkeypatch, tmp_path):
    monkeypatch.chdir(GOLDEN)
    before = sorted(p.name for p in GOLDEN.iterdir())
    out = tmp_path / "out.txt"
    result = invoke(["run", f"{name}.yaml", "--output", str(out)])
    assert_refused(result)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either
    assert sorted(p.name for p in GOLDEN.iterdir()) == before


@pytest.mark.parametrize("name", CASES)
def test_library_reports_the_same_problems(name, monkeypatch):
    """load_scenario raises InputErrors listing every problem (the CLI only prints them)."""
    monkeypatch.chdir(GOLDEN)
    with pytest.raises(InputErrors) as info:
        load_scenario(f"{name}.yaml")
    expected = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert [f"error: {p}" for p in info.value.problems] == expected[:-1]
    n = len(info.value.problems)
    assert expected[-1] == f"{n} error{'s' if n > 1 else ''}: nothing was written."


def test_several_errors_are_all_reported_at_once_in_line_order(monkeypatch):
    monkeypatch.chdir(GOLDEN)
    result = invoke(["run", "several_errors.yaml"])
    lines = result.stderr.splitlines()
    assert lines[-1] == "13 errors: nothing was written."
    numbers = [int(line.split(":")[2]) for line in lines[:-1]]
    assert numbers == sorted(numbers)
    assert {3, 6, 7, 9, 10, 11, 12, 14, 15, 17} == set(numbers)


def test_did_you_mean_names_the_nearest_key(monkeypatch):
    monkeypatch.chdir(GOLDEN)
    result = invoke(["run", "misspelled_field.yaml"])
    assert "unknown key 'ammount' — did you mean 'amount'?" in result.stderr
    result = invoke(["run", "unknown_top_key.yaml"])
    assert "unknown key 'descripton' — did you mean 'description'?" in result.stderr


def test_missing_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = invoke(["run", "nowhere.yaml", "--output", "out.txt"])
    assert_refused(result)
    assert result.stderr.splitlines() == ["error: nowhere.yaml: file not found", "1 error: nothing was written."]
    assert list(tmp_path.iterdir()) == []


def test_a_carry_over_may_name_2025_but_nothing_else_may(monkeypatch):
    """SCENARIOS.md: « A carry_over event may name 2025: it is accepted as input and judged by
    R-CARRY-LAST-YEAR »: line 6 of year_out_of_period.yaml is not in the messages."""
    monkeypatch.chdir(GOLDEN)
    result = invoke(["run", "year_out_of_period.yaml"])
    assert not any(line.startswith("error: year_out_of_period.yaml:6:") for line in result.stderr.splitlines())


def test_impossible_date_is_a_message_not_a_traceback(monkeypatch):
    # CLI.md: « Never a Python traceback for a user's mistake (bad YAML, unknown code, bad amount…) »
    # and exit code 2 « the input could not be used: the message names the file, line and key ».
    monkeypatch.chdir(GOLDEN)
    result = invoke(["run", "impossible_date.yaml"])
    assert_refused(result)
    assert result.stderr.startswith("error: impossible_date.yaml:10:")
    assert "date" in result.stderr.splitlines()[0]
