"""Fund-file errors: every problem of a bad file collected in one InputErrors, each printed
`file:line: message`, against golden files (tests/golden/fundfile/NAME.yaml → NAME.txt)."""
# The YAML syntax messages come from the parser: libyaml's (NAME.txt) or, where PyYAML runs
# without libyaml, the pure-Python parser's (NAME.pyyaml.txt, when they differ).
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from budgetrules.io.fundfile import load_fund
from budgetrules.core.money import ValueProblem, parse_amount
from budgetrules.io import yaml as yamlio
from budgetrules.core.errors import InputErrors

GOLDEN = Path(__file__).parents[1] / "golden" / "fundfile"
CASES = sorted(p.stem for p in GOLDEN.glob("*.yaml"))
MARK = re.compile(r"#\s*ERR\b")
LIBYAML = issubclass(yamlio._Loader, getattr(yaml, "CSafeLoader", ()))


def golden_text(name: str) -> list[str]:
    pure = GOLDEN / f"{name}.pyyaml.txt"
    path = pure if not LIBYAML and pure.is_file() else GOLDEN / f"{name}.txt"
    return path.read_text(encoding="utf-8").splitlines()


def problems_of(name: str) -> InputErrors:
    with pytest.raises(InputErrors) as info:
        load_fund(GOLDEN / f"{name}.yaml", shown=f"{name}.yaml")
    return info.value


def test_there_are_golden_cases() -> None:
    assert {"every_mistake", "invalid_yaml", "duplicate_key", "tab_indent", "missing_keys"} <= set(CASES)
    for name in CASES:
        assert (GOLDEN / f"{name}.txt").is_file(), f"{name}.yaml has no expected messages"


@pytest.mark.parametrize("name", CASES)
def test_fundfile_messages_match_golden(name: str) -> None:
    assert [str(p) for p in problems_of(name).problems] == golden_text(name)


@pytest.mark.parametrize("name", CASES)
def test_fundfile_messages_point_at_the_marked_lines(name: str) -> None:
    """Each input marks with `# ERR` the lines its messages must name, and no other line."""
    text = (GOLDEN / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    marked = {i for i, line in enumerate(text, start=1) if MARK.search(line) and not line.lstrip().startswith("#")}
    assert {p.line for p in problems_of(name).problems} == marked


def test_every_mistake_is_collected_in_one_error() -> None:
    errors = problems_of("every_mistake")
    messages = [p.message for p in errors.problems]
    assert all(p.file == "every_mistake.yaml" for p in errors.problems)
    wanted = {
        "unknown key with suggestion": "unknown key 'sources' — did you mean 'source'?",
        "leaf without an amount for a year": "line S-2 has no amount for 2024",
        "duplicate code": "duplicate line code 'S-1'",
        "parent that does not exist": "unknown parent 'SS'",
        "unknown character": "unknown character 'limitatif' — did you mean 'limitative'?",
        "unknown group": "unknown group 'personel' — did you mean 'personnel'?",
        "negative amount": "is negative",
        "more than two decimals": "'0.000000001' has more than two decimals once converted to euros (0.001 €)",
        "unknown rule ID": "unknown rule ID 'R-CARRY-LIMITATIF' — did you mean 'R-CARRY-LIMITATIVE'?",
    }
    for what, fragment in wanted.items():
        assert any(fragment in m for m in messages), what
    assert str(errors).splitlines() == [str(p) for p in errors.problems]  # file:line: message, one a line


def test_invalid_yaml_names_its_line() -> None:
    (problem,) = problems_of("invalid_yaml").problems
    assert problem.line == 5 and problem.message.startswith("invalid YAML") and "line 4" in problem.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputErrors) as info:
        load_fund(tmp_path / "nowhere.yaml", shown="nowhere.yaml")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.message) == ("nowhere.yaml", 0, "file not found")


# -- amounts after conversion ------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "euros"), [
    (Decimal("1.234"), Decimal("1234000.00")),        # 1,234 M€ = 1 234 000,00 €
    (Decimal("37.33"), Decimal("37330000.00")),
    (Decimal("0.0000001"), Decimal("0.10")),          # 0,0000001 M€ = 0,10 €: ten cents, a whole number of cents
    (Decimal("0.00000001"), Decimal("0.01")),         # one cent
    ("250 k€", Decimal("250000.00")),                 # an explicit unit overrides the file's
    ("58 371 718,99 €", Decimal("58371718.99")),
])
def test_amounts_in_a_meur_file_are_exact_euros(value: object, euros: Decimal) -> None:
    assert parse_amount(value, unit=Decimal(1_000_000)) == euros


@pytest.mark.parametrize("value", [Decimal("0.000000001"), Decimal("1.2345678901"), "0,001 €"])
def test_amounts_below_the_cent_are_refused(value: object) -> None:
    with pytest.raises(ValueProblem, match="more than two decimals"):
        parse_amount(value, unit=Decimal(1_000_000))


def test_the_readme_example_is_a_valid_fund_file(tmp_path: Path) -> None:
    """funds/README.md shows another COG as a new file: it must load as it stands."""
    readme = (Path(__file__).parents[2] / "funds" / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    path = tmp_path / "bnx.yaml"
    path.write_text(block, encoding="utf-8")
    fund = load_fund(path)
    assert {g.name for g in fund.fungibility.groups} == {"personnel", "fonctionnement", "invest-immobilier",
                                                        "invest-informatique"}
    (direction,) = fund.fungibility.directions
    assert (direction.source, direction.target, direction.verdict) == ("invest-immobilier", "invest-informatique", "permitted")
    assert all(ln.carry.cap == Decimal("0.03") for ln in fund.leaves)
    assert fund.base("G-SI", 2025) == Decimal("50000.00")
