"""The multi-table CSV form is the one docs/commands.md (« CSV ») describes: every table of `run`,
`audit`, `virement` and `available` under its `# table: NAME` row, in the documented order, with the
documented columns; the separators and the byte-order mark by --lang."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from csv_tables import csv_tables

from budgetrules.cli import main
from budgetrules.core.records import COLUMNS

REPO = Path(__file__).resolve().parents[2]
MAPPING = "funds/canssm-2022-2024/mappings/canssm-fec.yaml"
COMMANDS = {
    "run": ["run", "scenarios/rules/r-limitative-ceiling.yaml"],
    "run --execution": ["run", "--execution", "tests/fec_data/truncated.txt", "--mapping", MAPPING],
    "audit": ["audit", "scenarios/audit/sample-2022-2024.yaml"],
    "audit --execution": ["audit", "scenarios/central.yaml", "--execution", "tests/fec_data/truncated.txt",
                          "--mapping", MAPPING],
    "virement": ["virement", "BNGA", "A-I-2-INFO", "A-I-3-INFO", "200 000", "--year", "2024", "--scenario",
                 "scenarios/rules/r-fung-chain.yaml"],
    "available": ["available", "BNGA", "A-I-1", "--date", "2023-06-15", "--scenario",
                  "scenarios/audit/sample-2022-2024.yaml"],
}
ORDER = {  # the tables of each command, in the order of its text output
    "run": ["credits", "findings", "carry_over_statement"],
    "run --execution": ["credits", "findings", "carry_over_statement", "books"],
    "audit": ["findings", "carry_over_statement"],
    "audit --execution": ["findings", "carry_over_statement", "books"],
    "virement": ["verdict", "lines"],
    "available": ["line", "targets"],
}


def _section() -> str:
    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    return text.split("\n### CSV\n", 1)[1].split("\n### ", 1)[0]


def _without_parentheses(cell: str) -> str:
    while True:
        shorter = re.sub(r"\([^()]*\)", "", cell)
        if shorter == cell:
            return cell
        cell = shorter


def documented_columns() -> dict[tuple[str, str], list[str]]:
    """{(command, table): columns} from the table of the section « CSV »."""
    out = {}
    for row in re.findall(r"^\| (`[^|]*`) \| `([a-z_]+)` \| (.*) \|$", _section(), re.M):
        commands, table, cell = row
        columns = [c for c in re.findall(r"`([^`]+)`", _without_parentheses(cell)) if not c.startswith("-")]
        if "thirteen columns" in cell:
            columns += list(COLUMNS)
        for command in re.findall(r"`([a-z]+)`", commands):
            out[(command, table)] = columns
    return out


def test_the_section_documents_every_table():
    assert set(documented_columns()) == {(name.split()[0], table) for name, order in ORDER.items() for table in order}


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("lang, delimiter, bom", [(None, ",", False), ("fr", ";", True), ("en", ",", True)])
def test_the_tables_are_those_documented(name, lang, delimiter, bom, monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, [*COMMANDS[name], "--format", "csv"] + (["--lang", lang] if lang else []))
    assert result.exit_code in (0, 1), result.output
    text = result.stdout
    assert text.startswith("\ufeff") == bom and text.count("\ufeff") == (1 if bom else 0)
    found = csv_tables(text.lstrip("\ufeff"), delimiter)
    assert list(found) == ORDER[name]
    documented = documented_columns()
    for table, rows in found.items():
        assert rows[0] == documented[(name.split()[0], table)], (name, table)
        assert all(len(row) == len(rows[0]) for row in rows[1:]), (name, table)
