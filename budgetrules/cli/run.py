"""Commands run, test, explain, virement and audit."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import Choice, CliError, FORMATS, main, output_option
from ..core.money import ValueProblem, parse_amount
from ..core.records import COLUMNS
from ..io.output import emit
from ..core.errors import InputErrors, Problem, unknown_message

REPORT_FORMATS = FORMATS + ("xlsx", "html")


def lang_opt(f):
    return click.option("--lang", type=Choice(("fr", "en")), default=None,
                        help="Labels and number style: fr (default for tables) or en. CSV and JSON stay neutral "
                             "unless --lang is given.")(f)


def _scenario(path: str | None):
    from ..io.paths import central_scenario
    from ..io.scenariofile import load_scenario

    return load_scenario(path or central_scenario())


def _render(doc: dict, result, fmt: str, lang: str | None, detail: bool, output: str | None, kind: str = "run") -> None:
    from ..render import text as report

    if fmt == "json":
        emit(report.to_json(doc), output)
    elif fmt == "csv":
        emit(report.run_csv(doc, lang or "neutral") if kind == "run" else
             report.findings_csv(doc, lang or "neutral"), output)
    elif fmt in ("xlsx", "html"):
        from ..render.reports import render_html, render_xlsx

        if fmt == "xlsx":
            if not output:
                raise CliError("--format xlsx needs --output FILE.xlsx")
            # the workbook shows a fund published in M€ (BNGA) in M€; the cells keep exact euros
            meur = frozenset(code for code, f in result.funds.items() if f.unit == "MEUR")
            emit(render_xlsx(doc, lang=lang or "fr", meur_funds=meur), output)
        else:
            emit(render_html(doc, lang=lang or "fr"), output)
    elif kind == "audit":
        emit(report.render_audit(doc, result, lang or "fr", fmt), output)
    else:
        emit(report.render_run(doc, result, lang or "fr", fmt, detail), output)


def _check_filters(result, funds: tuple[str, ...], year: int | None) -> None:
    problems = []
    for code in funds:
        if code not in result.funds:
            problems.append(Problem("--fund", 0, unknown_message("fund", code, result.funds)))
    if year is not None and not any(year in f.years for f in result.funds.values()):
        problems.append(Problem("--year", 0, f"year {year} is outside the period of the funds"))
    if problems:
        raise InputErrors(problems)


def _with_execution(scenario, execution: tuple[str, ...], mapping: str | None, strict: bool):
    """Add the execution and receipt events read from FEC files to the scenario; with the reading
    report (files, what was left out) for the output document, or None without --execution."""
    if not execution:
        return scenario, None
    if not mapping:
        raise CliError("--execution needs --mapping M (the account → line mapping)")
    from ..fec.events import add_fec_events
    from .execution import Progress

    progress = Progress(sys.stderr.isatty())
    try:
        scenario, books = add_fec_events(scenario, execution, mapping, strict, progress=progress)
    finally:
        progress.close()
    if books["left_out_lines"]:
        click.echo(f"warning: {books['left_out_lines']} FEC line(s) left out ({books['problem_count']} problem(s)); "
                   f"`budgetrules execution … --mapping {mapping}` lists them", err=True)
    for note in books["notes"]:
        click.echo(f"note: {note}", err=True)
    return scenario, books


def execution_options(f):
    f = click.option("--strict", is_flag=True, help="With --execution: refuse a FEC file with any malformed line "
                                                    "or unbalanced entry (exit 2) instead of leaving it out.")(f)
    f = click.option("--mapping", type=click.Path(dir_okay=False), default=None,
                     help="Mapping of accounts to fund lines, for --execution.")(f)
    return click.option("--execution", multiple=True, type=click.Path(dir_okay=False),
                        help="FEC file(s) whose entries give the execution and receipts (repeatable).")(f)


@main.command("run")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--fund", "funds", multiple=True, help="Only this fund (repeatable).")
@click.option("--year", type=int, default=None, help="Only this year.")
@click.option("--detail", is_flag=True, help="Every column of RULES.md for each line and year.")
@click.option("--format", "fmt", type=Choice(REPORT_FORMATS), default="table", show_default=True)
@output_option
@lang_opt
@execution_options
def run_cmd(scenario, funds, year, detail, fmt, output, lang, execution, mapping, strict):
    """Simulate a scenario: authorised credits per fund (lines × years, in the COG's form), then the findings.

    \b
    With no SCENARIO, runs the bundled central scenario (scenarios/central.yaml).
    Example:
      budgetrules run scenarios/central.yaml --fund BNGA --detail --year 2023
    Exit 1 when an expectation of the scenario is not met or an error finding exists.
    """
    from ..engine import run
    from ..services.expect import check
    from ..render.text import run_document

    sc, books = _with_execution(_scenario(scenario), execution, mapping, strict)
    result = run(sc)
    _check_filters(result, funds, year)
    doc = run_document(result, list(funds) or None, [year] if year else None)
    if books is not None:
        doc["execution_from_books"] = books
    _render(doc, result, fmt, lang, detail, output)
    failures = check(result)
    for failure in failures:
        click.echo(f"expectation not met: {failure}", err=True)
    # the answer is about what was asked (--fund/--year) and shown; the COG's own tables do not count
    errors = [f for f in doc["findings"] if f["severity"] == "error" and not f.get("about_tables")]
    sys.exit(1 if failures or errors else 0)


@main.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False))
@click.option("--format", "fmt", type=Choice(("table", "json")), default="table", show_default=True)
@output_option
def test_cmd(paths, fmt, output):
    """Run scenario files (or every *.yaml under a folder) and check their `expect` entries.

    \b
    Example:
      budgetrules test scenarios/
    Prints one line per scenario, then "N passed, M failed"; exit 1 on a failure, 2 if a file is unreadable.
    """
    from ..services.expect import run_file
    from ..io.fundfile import load_funds
    from ..io.paths import bundled_fund_files
    from ..render.text import to_json

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
    funds = load_funds(bundled_fund_files())
    records = []
    for path in files:
        try:
            result, failures = run_file(path, funds=funds)
        except InputErrors as exc:
            records.append({"file": str(path), "name": None, "status": "unreadable",
                            "problems": [str(p) for p in exc.problems]})
            continue
        records.append({"file": str(path), "name": result.scenario.name, "status": "failed" if failures else "passed",
                        "failures": [str(f) for f in failures]})
    count = {k: sum(1 for r in records if r["status"] == k) for k in ("passed", "failed", "unreadable")}
    if fmt == "json":
        emit(to_json({"scenarios": records, **count}), output)
    else:
        lines = []
        for r in records:
            mark = {"passed": "ok   ", "failed": "FAIL ", "unreadable": "ERROR"}[r["status"]]
            lines.append(f"{mark} {r['file']}" + (f" — {r['name']}" if r["name"] else ""))
            lines += [f"    {x}" for x in r.get("failures", []) + r.get("problems", [])]
        summary = f"{count['passed']} passed, {count['failed']} failed"
        if count["unreadable"]:
            summary += f", {count['unreadable']} unreadable"
        emit("\n".join(lines + [summary]), output)
    sys.exit(2 if count["unreadable"] else 1 if count["failed"] else 0)


@main.command("explain")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("fund")
@click.argument("line")
@click.argument("year", type=int)
@click.option("--column", default="authorised", show_default=True, type=Choice(COLUMNS))
@click.option("--format", "fmt", type=Choice(FORMATS), default="table", show_default=True)
@output_option
@lang_opt
def explain_cmd(scenario, fund, line, year, column, fmt, output, lang):
    """The provenance of one figure: every contribution, its rule, citation and source (file:line).

    \b
    Example:
      budgetrules explain scenarios/central.yaml BNASS PA-F-COL 2023
    The contributions add up to the figure.
    """
    from ..engine import run
    from ..services.explain import explain, render_explain

    sc = _scenario(scenario)
    problems = []
    if fund not in sc.funds:
        raise InputErrors([Problem("FUND", 0, unknown_message("fund", fund, sc.funds))])
    f = sc.funds[fund]
    if line not in f.by_code:
        problems.append(Problem("LINE", 0, unknown_message(f"line of {fund}", line, f.by_code)))
    if year not in f.years:
        problems.append(Problem("YEAR", 0, f"year {year} is outside {f.first_year}-{f.last_year}"))
    if problems:
        raise InputErrors(problems)
    doc = explain(run(sc, source_checks=False), fund, line, year, column)
    emit(render_explain(doc, fmt, lang), output)


def _parse_date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputErrors([Problem(what, 0, f"{value!r} is not a date (write YYYY-MM-DD)")]) from None


@main.command("virement")
@click.argument("fund")
@click.argument("source", metavar="FROM", required=False)
@click.argument("target", metavar="TO", required=False)
@click.argument("amount", required=False)
@click.option("--year", type=int, help="Year of the credits moved.")
@click.option("--date", "when", help="Date of the virement (YYYY-MM-DD; default 31 December of the year).")
@click.option("--scenario", type=click.Path(dir_okay=False), help="Apply on top of this scenario (default: the bare COG "
                                                                  "with the central assumptions).")
@click.option("--dm", "dm_ref", help="Reference of a décision modificative.")
@click.option("--board-vote", help="Date the board voted the DM.")
@click.option("--approval", help="Date the ministries approved the DM.")
@click.option("--matrix", is_flag=True, help="Print the verdict of every group-to-group direction of FUND.")
@click.option("--format", "fmt", type=Choice(FORMATS), default="table", show_default=True)
@output_option
@lang_opt
def virement_cmd(fund, source, target, amount, year, when, scenario, dm_ref, board_vote, approval, matrix, fmt,
                 output, lang):
    """Simulate a credit transfer: verdict, who signs, notice deadline, rules, the two lines before and after.

    \b
    Examples:
      budgetrules virement BNGA A-I-1 A-I-2-INFO "400 k€" --year 2023 --date 2023-06-01
      budgetrules virement BNGA A-I-2-HORS A-I-1 "100 000" --year 2023 --dm DM-2023-02 \\
          --board-vote 2023-05-10 --approval 2023-06-02
      budgetrules virement BNGA --matrix
    Exit 0 when the director general may make it, 1 when it needs a DM or is refused, 2 on bad input.
    """
    from ..render.virement import render_answer, render_matrix
    from ..model.scenario import Dm
    from ..services.whatif import simulate_virement

    sc = _scenario(scenario)
    if fund not in sc.funds:
        raise InputErrors([Problem("FUND", 0, unknown_message("fund", fund, sc.funds))])
    f = sc.funds[fund]
    if matrix:
        emit(render_matrix(f, fmt, lang), output)
        return
    problems = []
    for name, value in (("FROM", source), ("TO", target)):
        if value is None:
            problems.append(Problem(name, 0, "missing argument (or use --matrix)"))
        elif value not in f.leaf_codes:
            problems.append(Problem(name, 0, f"{fund} {value} is a subtotal, not a leaf: name one of its lines "
                                             f"({', '.join(f.leaves_under[value])})" if value in f.by_code else
                                    unknown_message(f"line of {fund}", value, f.leaf_codes)))
    if source is not None and source == target:
        problems.append(Problem("TO", 0, "a virement moves credit between two different lines"))
    value = None
    if amount is None:
        problems.append(Problem("AMOUNT", 0, "missing argument"))
    else:
        try:
            value = parse_amount(amount)
        except ValueProblem as exc:
            problems.append(Problem("AMOUNT", 0, str(exc)))
    if year is None:
        problems.append(Problem("--year", 0, f"missing option (a year of {f.first_year}-{f.last_year})"))
    elif year not in f.years:
        problems.append(Problem("--year", 0, f"year {year} is outside {f.first_year}-{f.last_year}"))
    day = _parse_date(when, "--date")
    if day is not None and year is not None and day.year != year:
        problems.append(Problem("--date", 0, f"the date {day.isoformat()} is not in {year}"))
    dm = None
    if dm_ref or board_vote or approval:
        if not dm_ref or not board_vote:
            problems.append(Problem("--dm", 0, "a DM needs --dm REF and --board-vote DATE (and --approval DATE)"))
        vote = _parse_date(board_vote, "--board-vote")
        if dm_ref and vote:
            dm = Dm(ref=dm_ref, board_vote=vote, approval=_parse_date(approval, "--approval"))
    if problems:
        raise InputErrors(problems)
    answer = simulate_virement(sc, fund, source, target, value, year, day, dm)
    emit(render_answer(answer, fmt, lang), output)
    sys.exit(0 if answer.allowed_for_director else 1)


@main.command("audit")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=Choice(REPORT_FORMATS), default="table", show_default=True)
@output_option
@lang_opt
@execution_options
def audit_cmd(scenario, fmt, output, lang, execution, mapping, strict):
    """Check the legality of everything a scenario records: findings by severity, fund and year, the
    detailed statement of carry-over origins, and a summary.

    \b
    Example:
      budgetrules audit scenarios/audit/sample-2022-2024.yaml --format md --output audit.md
    Exit 1 when an error finding about the period exists (findings about the COG's own tables do not count).
    """
    from ..engine import run
    from ..render.text import audit_document

    sc, books = _with_execution(_scenario(scenario), execution, mapping, strict)
    result = run(sc)
    doc = audit_document(result)
    if books is not None:
        doc["execution_from_books"] = books
    _render(doc, result, fmt, lang, False, output, kind="audit")
    sys.exit(1 if doc["summary"]["error"] else 0)
