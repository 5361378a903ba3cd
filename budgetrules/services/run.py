"""What users do with a scenario, as functions that return documents: run it, audit it, explain a
figure, ask the verdict of a virement, read a fund's matrix. The command line, the Python API and
the web call these; none of them prints."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..core.errors import InputErrors, Problem, excerpt
from ..core.records import COLUMNS
from ..documents import AvailableDocument, ExplainDocument, MatrixDocument, RunDocument, VirementDocument
from ..engine import Result, run
from ..model.scenario import Dm, Scenario
from . import checks


def simulate(scenario: Scenario, *, audit_date: dt.date | None = None) -> Result:
    """Run the engine on a scenario; notices are judged at `audit_date` (default: the scenario's, else
    the day after the period or today if earlier)."""
    return run(scenario, audit_date=audit_date)


def run_report(result: Result, funds: list[str] | None = None, years: list[Any] | None = None, *,
               as_of: dt.date | None = None, books: dict | None = None) -> RunDocument:
    """The `run` document of a result, for the funds and years asked (checked: unknown ones are input
    errors naming the nearest), or as the credits stood on `as_of`."""
    from ..documents.build import run_document

    problems: list[Problem] = []
    for code in funds or []:
        try:
            checks.fund_of(result.funds, code, "--fund")
        except InputErrors as exc:
            problems += exc.problems
    wanted = None
    if years:
        wanted = []
        for y in years:
            value = int(y) if isinstance(y, str) and y.strip().isdigit() else y
            if not any(value in f.years for f in result.funds.values()):
                problems.append(Problem("--year", 0, f"year {y} is outside the period of the funds"))
            wanted.append(value)
    if as_of is not None and not any(as_of.year in f.years for f in result.funds.values()):
        problems.append(Problem("--as-of", 0, f"{as_of.isoformat()} is outside the period of the funds"))
    if problems:
        raise InputErrors(problems)
    doc = run_document(result, list(funds) if funds else None, wanted, as_of=as_of)
    return _with_books(doc, books)


def audit_report(result: Result, *, books: dict | None = None) -> RunDocument:
    """The `audit` document: every finding by severity, the statement of origins, the summary (the
    notices judged at the result's audit date)."""
    from ..documents.build import audit_document

    return _with_books(audit_document(result), books)


def _with_books(doc: RunDocument, books: dict | None) -> RunDocument:
    if books is None:
        return doc
    from dataclasses import replace

    return replace(doc, books=books)


def explain_figure(result: Result, fund: Any, line: Any, year: Any, column: str = "authorised", *,
                   as_of: dt.date | None = None) -> ExplainDocument:
    """The contributions behind one figure (checked: fund, line, year of the period, column)."""
    from ..documents.build import explain_document

    f = checks.fund_of(result.funds, fund)
    problems: list[Problem] = []
    code = year_value = None
    try:
        code = checks.line_of(f, line)
    except InputErrors as exc:
        problems += exc.problems
    try:
        year_value = checks.year_of(f, year)
    except InputErrors as exc:
        problems += exc.problems
    if column not in COLUMNS:
        from ..core.errors import unknown_message

        problems.append(Problem("--column", 0, unknown_message("column", column, COLUMNS)))
    if as_of is not None and as_of.year not in f.years:  # not a silent zero (nothing is known before the period)
        problems.append(Problem("--as-of", 0, f"{as_of.isoformat()} is outside the period of {f.code} "
                                              f"({f.first_year}-{f.last_year})"))
    elif as_of is not None and year_value is not None and as_of.year != year_value:
        problems.append(Problem("--as-of", 0, f"{as_of.isoformat()} is not in {year_value}: explain shows a year's "
                                              f"figure as it stood on a date of that year"))
    if problems:
        raise InputErrors(problems)
    assert code is not None and year_value is not None
    return explain_document(result, f.code, code, year_value, column, as_of)


def virement_verdict(scenario: Scenario, fund: Any, source: Any, target: Any, amount: Any, *,
                     year: Any = None, date: Any = None, dm: Dm | None = None) -> VirementDocument:
    """The verdict on a virement on top of the scenario (checked: lines are leaves of the fund, the
    amount is an amount, the year is the date's when only the date is given)."""
    from ..documents.build import virement_document
    from .whatif import simulate_virement

    f = checks.fund_of(scenario.funds, fund)
    problems: list[Problem] = []
    lines: dict[str, str] = {}
    for where, value in (("FROM", source), ("TO", target)):
        if value is None:
            problems.append(Problem(where, 0, "missing argument"))
            continue
        try:
            lines[where] = checks.line_of(f, value, where, leaf=True)
        except InputErrors as exc:
            problems += exc.problems
    if source is not None and source == target:
        problems.append(Problem("TO", 0, "a virement moves credit between two different lines"))
    value: Decimal | None = None
    try:
        value = checks.amount_of(amount) if amount is not None else None
        if amount is None:
            problems.append(Problem("AMOUNT", 0, "missing argument"))
    except InputErrors as exc:
        problems += exc.problems
    day = None
    try:
        day = checks.date_of(date, "--date")
    except InputErrors as exc:
        problems += exc.problems
    the_year = None
    where = "--year"
    if year is None and day is not None:
        year, where = day.year, "--date"  # the year the date implies: a problem with it is the date's
    if year is None and date is None:  # (a date given but not read is reported above, once)
        problems.append(Problem("--year", 0, f"give --year (or --date): the year of the credits moved "
                                             f"({f.first_year}-{f.last_year})"))
    elif year is not None:
        try:
            the_year = checks.year_of(f, year, where)
        except InputErrors as exc:
            problems += exc.problems if where == "--year" or day is None else [
                Problem("--date", 0, f"{day.isoformat()} is outside the period of {f.code} ({f.first_year}-{f.last_year})")]
    if day is not None and the_year is not None and day.year != the_year:
        problems.append(Problem("--date", 0, f"the date {day.isoformat()} is not in {the_year}"))
    if problems:
        raise InputErrors(problems)
    assert value is not None and the_year is not None
    answer = simulate_virement(scenario, f.code, lines["FROM"], lines["TO"], value, the_year, day, dm)
    return virement_document(answer)


def fund_matrix(funds: dict, fund: Any) -> MatrixDocument:
    """The verdict of every group-to-group direction of a fund."""
    from ..documents.build import matrix_document

    return matrix_document(checks.fund_of(funds, fund))


def available_on(scenario: Scenario, fund: Any, line: Any, date: Any) -> AvailableDocument:
    """On `date`, the credit available on a leaf and, for every other leaf, the verdict of a virement to
    it, the largest amount, who signs and the notice deadline (checked: fund, leaf, date in the period).
    The scenario's notices are judged at `date`."""
    from ..documents.build import available_document

    f = checks.fund_of(scenario.funds, fund)
    problems: list[Problem] = []
    code = day = None
    try:
        code = checks.line_of(f, line, "LINE", leaf=True)
    except InputErrors as exc:
        problems += exc.problems
    try:
        day = checks.date_of(date, "--date")
        if day is None:
            problems.append(Problem("--date", 0, "give --date YYYY-MM-DD: the date of the question"))
        elif day.year not in f.years:
            problems.append(Problem("--date", 0, f"{day.isoformat()} is outside the period of {f.code} "
                                                 f"({f.first_year}-{f.last_year})"))
    except InputErrors as exc:
        problems += exc.problems
    if problems:
        raise InputErrors(problems)
    assert code is not None and day is not None
    return available_document(run(scenario, source_checks=False, audit_date=day), f.code, code, day)


def bilan_report(result: Result, year: Any) -> Any:
    """The annual bilan de l'exécution budgétaire of a year of the period (R-BILAN)."""
    from ..documents.bilan import bilan_document

    funds = list(result.funds.values())
    first, last = min(f.first_year for f in funds), max(f.last_year for f in funds)
    value = int(year) if isinstance(year, str) and year.strip().isdigit() else year
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputErrors([Problem("--year", 0, f"'{excerpt(year)}' is not a year: write a year of the "
                                                f"period {first}-{last}, e.g. --year {first}")])
    if not any(value in f.years for f in funds):
        raise InputErrors([Problem("--year", 0, f"year {value} is outside the period {first}-{last}")])
    return bilan_document(result, value)
