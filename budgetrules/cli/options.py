"""Options shared by the commands, as decorators (one definition each), and the small helpers every
command needs: the output format from `--format` or the file name, the scenario, the funds."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

from ..core.errors import InputErrors, Problem, nearest

EXTENSIONS = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json", ".md": "md",
              ".txt": "table", ".yaml": "yaml", ".yml": "yaml"}


class Choice(click.Choice):
    """click.Choice whose error names the nearest valid value ("did you mean 'authorised'?")."""

    def get_invalid_choice_message(self, value, ctx):  # click >= 8.2
        message = super().get_invalid_choice_message(value, ctx)
        near = nearest(str(value), [str(c) for c in self.choices])
        return f"{message} — did you mean {near!r}?" if near else message


def _set_cog(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """--cog DIR: the COG every loader works on while this command runs (the loaders read it as
    BUDGETRULES_COG). The variable is put back as it was when the command's context closes, however
    the command ends, so that the next command of the same process (a test's second CliRunner call,
    the Python API after it) works on its own COG, not on this one."""
    if not value:
        return
    import os

    from ..io.paths import COG_ENV

    before = os.environ.get(COG_ENV)
    os.environ[COG_ENV] = value

    def restore() -> None:
        if before is None:
            os.environ.pop(COG_ENV, None)
        else:
            os.environ[COG_ENV] = before

    ctx.call_on_close(restore)


def cog_option(f: Callable) -> Callable:
    return click.option("--cog", metavar="DIR", default=None, expose_value=False, is_eager=True, callback=_set_cog,
                        envvar="BUDGETRULES_COG",
                        help="The COG: a folder with a cog.yaml and its fund files, or the name of a bundled COG "
                             "(`budgetrules cogs`); default: BUDGETRULES_COG, else the bundled default.")(f)


def output_option(f: Callable) -> Callable:
    return click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
                        help="Write to FILE atomically instead of printing. Without --format, its extension gives "
                             "the format (.txt, .md, .csv, .json, .yaml, .xlsx, .html: those the command writes); "
                             "an extension the command does not write is refused.")(f)


def format_option(*choices: str) -> Callable[[Callable], Callable]:
    """`--format` with the command's choices; default: from the --output extension, else table."""
    def decorate(f: Callable) -> Callable:
        return click.option("--format", "fmt", type=Choice(choices), default=None,
                            help=f"Output format: {', '.join(choices)} (default: from the --output file's "
                                 f"extension, else table).")(f)
    return decorate


def lang_option(f: Callable) -> Callable:
    return click.option("--lang", type=Choice(("fr", "en")), default=None,
                        help="Labels, sentences and number style: fr (default for tables) or en. CSV and JSON "
                             "numbers stay neutral unless --lang is given.")(f)


def execution_options(f: Callable) -> Callable:
    f = click.option("--strict", is_flag=True, help="With --execution: refuse a FEC file with any malformed line, "
                                                    "unbalanced entry or entry in conflict (exit 2) instead of "
                                                    "leaving it out.")(f)
    f = click.option("--mapping", type=click.Path(dir_okay=False), default=None,
                     help="Mapping of accounts to fund lines, for --execution.")(f)
    return click.option("--execution", multiple=True, type=click.Path(dir_okay=False),
                        help="FEC file(s) whose entries give the execution (dated) and receipts (repeatable; each "
                             "entry counted once, closing and opening entries excluded: docs/fec.md).")(f)


def resolve_format(fmt: str | None, output: str | None, choices: tuple[str, ...]) -> str:
    """The format asked, or the one the output file's extension names (table without an extension);
    a contradiction between the two, an extension that names no format the command writes when
    --format is not given, or a binary format without a file, is an input error."""
    suffix = Path(output).suffix.lower() if output else ""
    by_name = EXTENSIONS.get(suffix)
    if fmt is None:
        if suffix and by_name not in choices:
            raise InputErrors([Problem("--output", 0, _unwritten_extension(output or "", suffix, by_name, choices))])
        fmt = by_name or "table"
    elif by_name is not None and by_name != fmt and not (fmt == "table" and by_name in ("table", "md")):
        raise InputErrors([Problem("--format", 0, f"--format {fmt} but --output {output} names a {by_name} file: "
                                                  f"give one, or make them agree")])
    if fmt == "xlsx" and not output:
        raise InputErrors([Problem("--format", 0, "--format xlsx needs --output FILE.xlsx (a workbook is not text)")])
    return fmt


def _unwritten_extension(output: str, suffix: str, by_name: str | None, choices: tuple[str, ...]) -> str:
    """Why `--output FILE` alone cannot choose the format, and what would."""
    ctx = click.get_current_context(silent=True)
    chain = []
    while ctx is not None and ctx.parent is not None:
        chain.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    command = " ".join(["budgetrules", *chain]) if chain else "this command"
    writes = ", ".join(f"{c} ({', '.join(e for e, f in EXTENSIONS.items() if f == c)})" for c in choices)
    if by_name:
        return f"{output}: {command} does not write {by_name}; it writes {writes}: give the file one of these extensions"
    return (f"{output}: {command} does not know the extension {suffix}; it writes {writes}: give the file one of "
            "these extensions, or --format")


def emit_document(doc: Any, fmt: str, lang: str | None, output: str | None, **options: Any) -> None:
    """Render a document and print it or write it atomically to `output`."""
    from ..io.output import emit
    from ..render import render

    emit(render(doc, fmt, lang, **options), output)


def load_scenario_or_central(path: str | None):
    """The scenario file given, or the COG's central scenario (cog.yaml `central_scenario`), else the
    bare COG with its published assumptions."""
    from ..io.cogfile import load_cog
    from ..io.paths import central_scenario
    from ..io.scenariofile import load_scenario, scenario_from_data

    cog, funds = load_cog()
    if path:
        return load_scenario(path, funds=funds)
    central = central_scenario(cog.central_scenario) if cog.central_scenario else None
    if central is not None and central.is_file():
        return load_scenario(central, funds=funds)
    return scenario_from_data({"name": cog.title}, cog.file, funds=funds)
