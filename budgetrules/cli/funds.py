"""Commands funds, funds show FUND, funds check [FILE…]."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import cog_option, Choice, emit_document, format_option, lang_option, output_option, resolve_format


def _bundled():
    """The funds of the current COG (--cog, BUDGETRULES_COG, else the bundled default)."""
    from ..io.cogfile import load_cog

    return load_cog()[1]


@click.command("cogs")
@click.option("--format", "fmt", type=Choice(("table", "json", "csv", "md")), default="table", show_default=True)
def cogs_cmd(fmt):
    """List the bundled COGs: code, title, period, funds, folder (the default first).

    \b
    Example:
      budgetrules cogs
      budgetrules --cog exemple-2025-2029 funds
    """
    from ..io.cogfile import load_cog
    from ..io.output import emit
    from ..io.paths import bundled_cogs
    from ..render.csv import csv_text
    from ..render.json import dumps
    from ..render.texttable import render

    rows = []
    for folder in bundled_cogs():
        cog, funds = load_cog(folder)
        rows.append([cog.code, cog.title, f"{cog.first_year}-{cog.last_year}", ", ".join(funds), folder.name])
    headers = ["cog", "title", "period", "funds", "folder"]
    if fmt == "json":
        emit(dumps([dict(zip(headers, r)) for r in rows]), None)
    elif fmt == "csv":
        emit(csv_text([headers] + rows, "neutral"), None)
    else:
        emit(render(rows, headers, "pipe" if fmt == "md" else "simple"), None)


@click.group("funds", invoke_without_command=True)
@cog_option
@click.option("--format", "fmt", type=Choice(("table", "json", "csv", "md")), default="table", show_default=True)
@click.pass_context
def funds_cmd(ctx, fmt):
    """List the funds of the COG with their period, unit and line count.

    \b
    Examples:
      budgetrules funds
      budgetrules funds show BNGA --year 2023
      budgetrules funds check
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..io.output import emit
    from ..model.fund import UNIT_SYMBOL
    from ..render.csv import csv_text
    from ..render.json import dumps
    from ..render.texttable import render

    funds = _bundled()
    rows = [[f.code, f.label, f"{f.first_year}-{f.last_year}", UNIT_SYMBOL[f.unit], len(f.leaves),
             len(f.lines) - len(f.leaves), f.file] for f in funds.values()]
    headers = ["fund", "label", "period", "unit", "leaves", "subtotals", "file"]
    if fmt == "json":
        emit(dumps([dict(zip(headers, r)) for r in rows]), None)
    elif fmt == "csv":
        emit(csv_text([headers] + rows, "neutral"), None)
    else:
        emit(render(rows, headers, "pipe" if fmt == "md" else "simple",
                    ("left", "left", "left", "left", "right", "right", "left")), None)


@funds_cmd.command("show")
@cog_option
@click.argument("fund")
@click.option("--year", default=None, help="Only this year.")
@format_option("table", "json", "csv", "md", "xlsx", "html")
@click.option("--unit", type=Choice(("publication", "EUR")), default="publication", show_default=True,
              help="Amounts in the COG's unit of publication (M€ for BNGA) or in euros.")
@lang_option
@output_option
def show_cmd(fund, year, fmt, unit, lang, output):
    """The COG table of FUND in the COG's own form: hierarchy, subtotals, years as columns.

    \b
    Example:
      budgetrules funds show BNGA
      budgetrules funds show BNASS --year 2023 --format md
    """
    from ..documents.build import show_document
    from ..services.checks import fund_of, year_of

    formats = ("table", "json", "csv", "md", "xlsx", "html")
    if fmt == "xlsx" and not output:
        output = f"{fund.lower()}.xlsx"
    fmt = resolve_format(fmt, output, formats)
    f = fund_of(_bundled(), fund)
    years = [year_of(f, year, "--year")] if year is not None else f.years
    emit_document(show_document(f, years), fmt, lang, output, unit=unit)


def _fund_paths(files: tuple[str, ...]) -> list[Path]:
    """The fund files named, a COG folder (or its cog.yaml) standing for all its fund files once its
    cog.yaml is valid (InputErrors otherwise, every problem of the file); each file once, where it is
    first named (`funds check my-cog/*.yaml` names the folder's cog.yaml and its fund files again)."""
    from ..core.errors import InputErrors, Problem
    from ..io.cogfile import fund_files, load_cog_file

    paths: list[Path] = []
    for name in files:
        path = Path(name)
        folder = path if path.is_dir() else path.parent if path.name == "cog.yaml" else None
        if folder is None:
            paths.append(path)
        elif not (folder / "cog.yaml").is_file():
            raise InputErrors([Problem(name, 0, "a folder to check is a COG folder: it holds a cog.yaml")])
        else:
            load_cog_file(folder)
            paths.extend(fund_files(folder))
    once: dict[Path, Path] = {}
    for path in paths:
        once.setdefault(path.resolve(), path)
    return list(once.values())


@funds_cmd.command("check")
@cog_option
@click.argument("files", nargs=-1, type=click.Path())
@format_option("table", "json", "csv", "md")
@lang_option
@output_option
def check_cmd(files, fmt, lang, output):
    """Validate fund definitions (the current COG's by default) and compare every published subtotal
    with the sum of its leaves (R-SOURCE-TOTALS): rounding gaps are warnings, real gaps errors, gaps
    the fund file acknowledges in `errata` information. A COG folder (or its cog.yaml) is checked
    whole: cog.yaml, then every fund file of the folder.

    \b
    Example:
      budgetrules funds check
      budgetrules funds check funds/canssm-2022-2024
      budgetrules funds check funds/exemple-2025-2029/*.yaml
    Exit 1 when a real gap (error) is found, 2 when a file cannot be loaded.
    """
    from ..documents.build import funds_check_document, sort_findings
    from ..io.fundfile import load_funds
    from ..io.output import emit
    from ..io.paths import bundled_fund_files
    from ..render.csv import findings_csv
    from ..render.json import dumps, finding_json
    from ..render.text import findings_table
    from ..rules.source_totals import check_source_totals

    fmt = resolve_format(fmt, output, ("table", "json", "csv", "md"))
    paths = _fund_paths(files) if files else bundled_fund_files()
    funds = load_funds(paths)  # each file against the COG of its folder (or the current COG)
    findings = sort_findings(x for f in funds.values() for x in check_source_totals(f))
    errors = sum(1 for x in findings if x.severity == "error")
    errata = sum(1 for x in findings if x.severity == "info")
    if fmt == "json":
        emit(dumps({"funds": list(funds), "findings": [finding_json(x, lang or "fr") for x in findings]}), output)
    elif fmt == "csv":
        emit(findings_csv(funds_check_document(findings), lang or "neutral"), output)
    else:
        lang = lang or "fr"
        rules = ", ".join(dict.fromkeys(f.role("source_totals") for f in funds.values()))
        head = (f"{len(funds)} fund file(s) valid: {', '.join(funds)}. "
                f"{rules}: {errors} error(s), {len(findings) - errors - errata} rounding warning(s), "
                f"{errata} erratum(s) acknowledged.")
        emit(head + "\n\n" + (findings_table(findings, lang, fmt) if findings else "") + "\n", output)
    sys.exit(1 if errors else 0)
