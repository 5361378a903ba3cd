"""Every example of every `--help` runs: it names files and folders that exist and options that do, and
it is an answer (exit 0, or 1 when the answer is "no"), never an input error (2) nor a crash (70).
The examples run from the root of the repository, as docs/commands.md's do; the files they write go to
a temporary folder; `serve` runs with uvicorn.run replaced (no server starts)."""
from __future__ import annotations

import glob
import json
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from budgetrules.cli import main

REPO = Path(__file__).resolve().parents[2]


def _commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The command paths: () for `budgetrules`, ("funds", "show") for `budgetrules funds show`…"""
    out = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += _commands(command, path + (name,))
        else:
            out.append(path + (name,))
    return out


def _examples() -> list[tuple[str, str]]:
    """(command, example) for each `budgetrules …` line of the help texts (a line ending with a
    backslash continues on the next)."""
    out = []
    for path in _commands():
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        lines, pending = [], ""
        for raw in result.output.splitlines():
            line = pending + " " + raw.strip() if pending else raw.strip()
            if line.endswith("\\"):
                pending = line[:-1].rstrip()
                continue
            pending = ""
            if line.startswith("budgetrules "):
                lines.append(line)
        out += [(" ".join(("budgetrules",) + path), line) for line in lines]
    return out


EXAMPLES = _examples()


def test_every_command_has_an_example():
    assert {command for command, _ in EXAMPLES} == {" ".join(("budgetrules",) + p) for p in _commands()}


@pytest.mark.parametrize("command, example", EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_help_example_runs(command, example, tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.chdir(REPO)
    args = []
    for word in shlex.split(example, comments=True)[1:]:
        args += sorted(glob.glob(word)) or [word] if any(c in word for c in "*?[") else [word]  # as a shell would
    for i, arg in enumerate(args[:-1]):
        if arg in ("-o", "--output"):
            args[i + 1] = str(tmp_path / Path(args[i + 1]).name)
    for arg in args:  # a word that looks like a file or folder names one that exists
        if "/" in arg and not arg.startswith(str(tmp_path)):
            assert Path(arg).exists(), f"{command}: its example names {arg}, which does not exist"
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), (example, result.output)


def test_a_cog_folders_files_named_by_a_glob_are_checked_once(monkeypatch):
    """`funds check my-cog/*.yaml` names the folder's cog.yaml (the whole folder) and its fund files
    again: each fund file is checked once, not refused as a fund "defined twice"."""
    monkeypatch.chdir(REPO)
    names = sorted(glob.glob("funds/exemple-2025-2029/*.yaml"))
    assert [Path(n).name for n in names] == ["cog.yaml", "fnas.yaml", "fnga.yaml"]
    result = CliRunner().invoke(main, ["funds", "check", *names, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["funds"] == ["FNGA", "FNAS"]
