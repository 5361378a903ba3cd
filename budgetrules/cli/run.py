"""Commands run, audit, explain and test: a scenario's credits, its legality, the provenance of a
figure, and its expectations."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.errors import InputErrors, Problem
from ..core.records import COLUMNS
from .options import (cog_option, Choice, emit_document, execution_options, format_option, lang_option,
                      load_scenario_or_central, output_option, resolve_format)

REPORT_FORMATS = ("table", "json", "csv", "md", "xlsx", "html")


def _as_of_option(f):
    return click.option("--as-of", "as_of", default=None, metavar="DATE",
                        help="The state of the credits on this date (YYYY-MM-DD): authorised at that date, "
                             "execution to that date, available.")(f)


def _with_execution(scenario, execution: tuple[str, ...], mapping: str | None, strict: bool):
    """Add the execution and receipt events read from FEC files to the scenario; with the reading
    report (files, what was left out) for the output document, or None without --execution."""
    if not execution:
        return scenario, None
    if not mapping:
        raise InputErrors([Problem("--mapping", 0, "--execution needs --mapping M (the account → line mapping)")])
    from ..fec.events import add_fec_events
    from .execution import Progress

    progress = Progress(sys.stderr.isatty())
    try:
        scenario, books = add_fec_events(scenario, execution, mapping, strict, progress=progress)
    finally:
        progress.close()
    if books["left_out_lines"]:
        click.echo(f"warning: {books['left_out_lines']} FEC line(s) left out ({books['problem_count']} problem(s)): "
                   "the execution is incomplete (R-BOOKS-WHOLE); the report lists them with their line numbers, "
                   "--strict refuses such files", err=True)
    for note in books["notes"]:
        click.echo(f"note: {note}", err=True)
    return scenario, books


@click.command("run")
@cog_option
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--fund", "funds", multiple=True, help="Only this fund (repeatable).")
@click.option("--year", default=None, help="Only this year.")
@click.option("--detail", is_flag=True, help="Every column of the year (base … lapsed) for each line and year.")
@_as_of_option
@format_option(*REPORT_FORMATS)
@output_option
@lang_option
@execution_options
def run_cmd(scenario, funds, year, detail, as_of, fmt, output, lang, execution, mapping, strict):
    """Simulate a scenario: authorised credits per fund (lines × years, in the COG's form), then the findings.

    \b
    With no SCENARIO, runs the bundled central scenario (scenarios/central.yaml).
    Example:
      budgetrules run scenarios/central.yaml --fund BNGA --detail --year 2023
      budgetrules run scenarios/central.yaml --as-of 2023-06-30 -o state.xlsx
    Exit 1 when an expectation of the scenario is not met or an error finding exists.
    """
    from ..services.checks import date_of
    from ..services.expect import check
    from ..services.run import run_report, simulate

    fmt = resolve_format(fmt, output, REPORT_FORMATS)
    sc, books = _with_execution(load_scenario_or_central(scenario), execution, mapping, strict)
    day = date_of(as_of, "--as-of")
    result = simulate(sc, audit_date=day)
    doc = run_report(result, list(funds) or None, [year] if year else None, as_of=day, books=books)
    emit_document(doc, fmt, lang, output, detail=detail)
    failures = check(result)
    for failure in failures:
        click.echo(f"expectation not met: {failure}", err=True)
    # the answer is about what was asked (--fund/--year) and shown; the COG's own tables do not count
    sys.exit(1 if failures or doc.errors else 0)


@click.command("audit")
@cog_option
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="The audit's date (YYYY-MM-DD): a notice missing after its deadline is an error, one still "
                   "due an info (default: the scenario's audit_date, else the day after the period or today).")
@format_option(*REPORT_FORMATS)
@output_option
@lang_option
@execution_options
def audit_cmd(scenario, as_of, fmt, output, lang, execution, mapping, strict):
    """Check the legality of everything a scenario records: findings by severity, fund and year, the
    detailed statement of carry-over origins, and a summary.

    \b
    Example:
      budgetrules audit scenarios/audit/sample-2022-2024.yaml --format md --output audit.md
    Exit 1 when an error finding about the period exists (findings about the COG's own tables do not count).
    """
    from ..services.checks import date_of
    from ..services.run import audit_report, simulate

    fmt = resolve_format(fmt, output, REPORT_FORMATS)
    sc, books = _with_execution(load_scenario_or_central(scenario), execution, mapping, strict)
    doc = audit_report(simulate(sc, audit_date=date_of(as_of, "--as-of")), books=books)
    emit_document(doc, fmt, lang, output)
    sys.exit(1 if doc.errors else 0)


@click.command("explain")
@cog_option
@click.argument("args", nargs=-1, metavar="[SCENARIO] FUND LINE YEAR")
@click.option("--column", default="authorised", show_default=True, type=Choice(COLUMNS))
@_as_of_option
@format_option("table", "json", "csv", "md")
@output_option
@lang_option
def explain_cmd(args, column, as_of, fmt, output, lang):
    """The provenance of one figure: every contribution, its rule, citation, date and source (file:line).

    \b
    Without SCENARIO, the bundled central scenario.
    Example:
      budgetrules explain scenarios/central.yaml BNASS PA-F-COL 2023
      budgetrules explain BNGA A-I-1 2023 --column indexation
    The contributions add up to the figure.
    """
    from ..engine import run
    from ..services.checks import date_of
    from ..services.run import explain_figure

    if len(args) not in (3, 4):
        raise InputErrors([Problem("explain", 0, f"expected [SCENARIO] FUND LINE YEAR, got {len(args)} argument(s)")])
    scenario, (fund, line, year) = (args[0] if len(args) == 4 else None), args[-3:]
    fmt = resolve_format(fmt, output, ("table", "json", "csv", "md"))
    result = run(load_scenario_or_central(scenario), source_checks=False)
    doc = explain_figure(result, fund, line, year, column, as_of=date_of(as_of, "--as-of"))
    emit_document(doc, fmt, lang, output)


@click.command("test")
@cog_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False))
@format_option("table", "json")
@output_option
def test_cmd(paths, fmt, output):
    """Run scenario files (or every *.yaml under a folder) and check their `expect` entries.

    \b
    Example:
      budgetrules test scenarios/
    Prints one line per scenario, then "N passed, M failed"; exit 1 on a failure, 2 if a file is unreadable.
    A scenario without expectations is listed as such, with its count of error findings.
    """
    from ..io.cogfile import load_cog
    from ..io.output import emit
    from ..render.json import dumps
    from ..services.expect import run_file

    fmt = resolve_format(fmt, output, ("table", "json"))
    files: list[Path] = []
    missing = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += sorted(x for x in path.rglob("*.yaml"))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Problem(p, 0, "file not found"))
    if missing:
        raise InputErrors(missing)
    funds = load_cog()[1]
    records = []
    for path in files:
        try:
            result, failures = run_file(path, funds=funds)
        except InputErrors as exc:
            records.append({"file": str(path), "name": None, "status": "unreadable",
                            "problems": [str(p) for p in exc.problems]})
            continue
        errors = sum(1 for f in result.findings if f.severity == "error")
        status = "failed" if failures else "passed" if result.scenario.expectations else "no_expectations"
        records.append({"file": str(path), "name": result.scenario.name, "status": status,
                        "failures": [str(f) for f in failures], "error_findings": errors})
    count = {k: sum(1 for r in records if r["status"] == k) for k in ("passed", "failed", "no_expectations",
                                                                     "unreadable")}
    if fmt == "json":
        emit(dumps({"scenarios": records, **count}), output)
    else:
        lines = []
        for r in records:
            mark = {"passed": "ok   ", "failed": "FAIL ", "unreadable": "ERROR", "no_expectations": "none "}[r["status"]]
            lines.append(f"{mark} {r['file']}" + (f" — {r['name']}" if r["name"] else ""))
            if r["status"] == "no_expectations":
                lines.append(f"    no expectations ({r['error_findings']} error finding(s))")
            lines += [f"    {x}" for x in r.get("failures", []) + r.get("problems", [])]
        summary = f"{count['passed']} passed, {count['failed']} failed"
        if count["no_expectations"]:
            summary += f", {count['no_expectations']} without expectations"
        if count["unreadable"]:
            summary += f", {count['unreadable']} unreadable"
        emit("\n".join(lines + [summary]), output)
    sys.exit(2 if count["unreadable"] else 1 if count["failed"] else 0)


@click.command("bilan")
@cog_option
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--year", required=True, help="The year closed.")
@format_option("table", "md", "json", "xlsx", "html")
@output_option
@lang_option
@execution_options
def bilan_cmd(scenario, year, fmt, output, lang, execution, mapping, strict):
    """The annual bilan de l'exécution budgétaire for the board: each fund's credits authorised then
    executed in the COG's form, personnel, IT, evaluative expenses, real estate, receipts, the reserve
    fund and the participation of the branches (R-BILAN); a section without data says so.

    With --execution, the bilan says whether the books were read whole, with the R-BOOKS-WHOLE findings,
    and lists what was not counted.

    \b
    Example:
      budgetrules bilan scenarios/audit/sample-2022-2024.yaml --year 2023 -o bilan-2023.html
    Exit 1 when the books given with --execution were not read whole (lines left out, expense accounts
    the mapping does not know): the bilan is written, its execution incomplete.
    """
    from dataclasses import replace

    from ..services.run import bilan_report, simulate

    fmt = resolve_format(fmt, output, ("table", "md", "json", "xlsx", "html"))
    sc, books = _with_execution(load_scenario_or_central(scenario), execution, mapping, strict)
    doc = replace(bilan_report(simulate(sc), year), books=books)
    emit_document(doc, fmt, lang, output)
    if doc.errors:
        click.echo(f"warning: the books were not read whole ({doc.errors} R-BOOKS-WHOLE error(s)): the bilan is "
                   "written, its execution incomplete; it says what was not counted (exit 1)", err=True)
    sys.exit(1 if doc.errors else 0)
