"""The questions the server answers, as plain functions from request parameters to documents (the
same documents as the command line's, built by `budgetrules.services`). The JSON API and the pages
both call these; neither builds a document itself. Each call reads its scenario afresh and runs its
own engine run. A problem names the request parameter (`fund`, `from`, `amount`…) where the command
line names its argument (`FUND`, `FROM`, `AMOUNT`…), with the same message."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from ..core.errors import InputErrors, Problem
from ..documents import ExplainDocument, MatrixDocument, RunDocument, VirementDocument
from ..model.scenario import Scenario
from .state import Cog, Settings, posted_scenario, scenario_for

# where the command line says… -> the request parameter
PARAMETER = {"FUND": "fund", "--fund": "fund", "FROM": "from", "TO": "to", "AMOUNT": "amount", "--year": "year",
             "YEAR": "year", "LINE": "line", "--date": "date", "--as-of": "as_of", "--column": "column", "--dm": "dm",
             "--board-vote": "board_vote", "--approval": "approval", "explain": "explain"}


# an option in a message's text, with its value's word or example if one follows: "--dm REF", "--year 2022"
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)(?: ([A-Z][A-Z-]*[A-Z]|\d[\d-]*\d))?")


def _parameter(m: re.Match) -> str:
    name = PARAMETER.get(m.group(1))
    if name is None:
        return m.group(0)
    return f"{name}={m.group(2)}" if m.group(2) else name


def as_parameters(exc: InputErrors) -> InputErrors:
    """The problems of `exc` named by request parameter rather than command-line argument, in their
    place and in their text ("a DM needs --dm REF and --board-vote DATE" -> "dm=REF and board_vote=DATE")."""
    return InputErrors(Problem(PARAMETER.get(p.file, p.file), p.line, _OPTION.sub(_parameter, p.message))
                       for p in exc.problems)


class _Collect:
    """Gather the problems of several checks, to report them all at once (as the CLI does)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except InputErrors as exc:
            self.problems += exc.problems
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise as_parameters(InputErrors(self.problems))


def _as_of_and_cog(settings: Settings, cog: str | None, as_of: str | None) -> tuple[dt.date | None, Any]:
    """The `--as-of` date and the COG asked, their problems reported together (a 422)."""
    check = _Collect()
    day = check(_date, as_of, "--as-of")
    c = check(cog_of, settings, cog)
    check.raise_if_any()
    return day, c


def _date(value: str | None, where: str) -> dt.date | None:
    from ..services.checks import date_of

    return date_of(value or None, where)


def _scenario(settings: Settings, cog: Cog, scenario: str | None, body: bytes | None) -> Scenario:
    if body is not None:
        return posted_scenario(settings, cog, body)
    return scenario_for(settings, cog, scenario)


def cog_of(settings: Settings, cog: str | None) -> Cog:
    return settings.cog(cog)


def funds_list(cog: Cog) -> list[dict[str, Any]]:
    """`budgetrules funds --format json` for the COG (the unit as the fund file writes it: €, k€, M€)."""
    from ..model.fund import UNIT_SYMBOL

    return [{"fund": f.code, "label": f.label, "period": f"{f.first_year}-{f.last_year}",
             "unit": UNIT_SYMBOL[f.unit], "leaves": len(f.leaves), "subtotals": len(f.lines) - len(f.leaves),
             "file": f.file} for f in cog.funds.values()]


def show(settings: Settings, *, cog: str | None, fund: str, year: str | None = None) -> RunDocument:
    """`budgetrules funds show FUND [--year Y]`."""
    from ..documents.build import show_document
    from ..services.checks import fund_of, year_of

    try:
        c = cog_of(settings, cog)
        f = fund_of(dict(c.funds), fund)
        years = [year_of(f, year, "--year")] if year not in (None, "") else f.years
    except InputErrors as exc:
        raise as_parameters(exc) from None
    return show_document(f, years)


def matrix(settings: Settings, *, cog: str | None, fund: str) -> MatrixDocument:
    """`budgetrules virement FUND --matrix`."""
    from ..services.run import fund_matrix

    try:
        return fund_matrix(dict(cog_of(settings, cog).funds), fund)
    except InputErrors as exc:
        raise as_parameters(exc) from None


def run(settings: Settings, *, cog: str | None = None, scenario: str | None = None, funds: Iterable[str] = (),
        year: str | None = None, as_of: str | None = None, body: bytes | None = None) -> RunDocument:
    """`budgetrules run [SCENARIO] [--fund F]… [--year Y] [--as-of D]` (or the scenario posted)."""
    from ..services.run import run_report, simulate

    day, c = _as_of_and_cog(settings, cog, as_of)
    try:
        sc = _scenario(settings, c, scenario, body)
        return run_report(simulate(sc, audit_date=day), list(funds) or None, [year] if year not in (None, "") else None,
                          as_of=day)
    except InputErrors as exc:
        raise as_parameters(exc) from None


def audit(settings: Settings, *, cog: str | None = None, scenario: str | None = None, as_of: str | None = None,
          body: bytes | None = None) -> RunDocument:
    """`budgetrules audit SCENARIO [--as-of D]` (or the scenario posted); `as_of` is the audit's date."""
    from ..services.run import audit_report, simulate

    day, c = _as_of_and_cog(settings, cog, as_of)
    try:
        sc = _scenario(settings, c, scenario, body)
        return audit_report(simulate(sc, audit_date=day))
    except InputErrors as exc:
        raise as_parameters(exc) from None


def explain(settings: Settings, *, cog: str | None = None, scenario: str | None = None, fund: str, line: str,
            year: str, column: str = "authorised", as_of: str | None = None,
            body: bytes | None = None) -> ExplainDocument:
    """`budgetrules explain [SCENARIO] FUND LINE YEAR [--column C] [--as-of D]`."""
    from ..engine import run as run_engine
    from ..services.run import explain_figure

    day, c = _as_of_and_cog(settings, cog, as_of)
    try:
        result = run_engine(_scenario(settings, c, scenario, body), source_checks=False)
        return explain_figure(result, fund, line, year, column or "authorised", as_of=day)
    except InputErrors as exc:
        raise as_parameters(exc) from None


def explain_result(result: Any, fund: str, line: str, year: int, column: str = "available") -> ExplainDocument | None:
    """The explanation of a figure of a run already made (the audit page opens each finding onto
    one), or None when the finding names no figure of the period."""
    from ..services.run import explain_figure

    try:
        return explain_figure(result, fund, line, year, column)
    except InputErrors:
        return None


def virement(settings: Settings, *, cog: str | None = None, fund: str, source: str | None, target: str | None,
             amount: str | None, date: str | None = None, year: str | None = None, scenario: str | None = None,
             dm: str | None = None, board_vote: str | None = None, approval: str | None = None) -> VirementDocument:
    """`budgetrules virement FUND FROM TO AMOUNT [--date D] [--year Y] [--scenario S] [--dm REF
    --board-vote D --approval D]`."""
    from ..model.scenario import Dm
    from ..services.run import virement_verdict

    check = _Collect()
    c = check(cog_of, settings, cog)
    dm_value = None
    if dm or board_vote or approval:
        vote = check(_date, board_vote, "--board-vote")
        approved = check(_date, approval, "--approval")
        if not dm or not board_vote:
            check.problems.append(Problem("--dm", 0, "a DM needs --dm REF and --board-vote DATE (and --approval DATE)"))
        elif vote is not None:
            dm_value = Dm(ref=dm, board_vote=vote, approval=approved)
    check.raise_if_any()
    try:
        sc = one_fund(scenario_for(settings, c, scenario), fund)
        return virement_verdict(sc, fund, source or None, target or None, amount or None, year=year or None,
                                date=date or None, dm=dm_value)
    except InputErrors as exc:
        raise as_parameters(exc) from None


def one_fund(scenario: Scenario, fund: Any) -> Scenario:
    """The scenario reduced to one fund and its events, to judge a virement of that fund: the engine
    runs each fund on its own events (a virement never moves credit between funds), so the fund's
    figures, verdicts and chains are the same, for a quarter of the work on the bundled COG. The
    audit date stays the whole scenario's. An unknown fund is left for the verdict to report."""
    import dataclasses

    from ..engine import default_audit_date

    if not isinstance(fund, str) or fund not in scenario.funds or len(scenario.funds) == 1:
        return scenario
    return dataclasses.replace(scenario, funds={fund: scenario.funds[fund]},
                               events=[e for e in scenario.events if e.fund == fund],
                               audit_date=scenario.audit_date or default_audit_date(scenario))


def recorded_virements(settings: Settings, *, cog: str | None, scenario: str | None,
                       sources: list[str]) -> list[dict[str, Any]]:
    """The recorded virements of the scenario whose sources (`file:line`) are given (those a simulated
    virement chains with), described; a source not found is kept alone."""
    from ..model.scenario import Virement

    try:
        sc = scenario_for(settings, cog_of(settings, cog), scenario)
    except InputErrors:
        return [{"source": s} for s in sources]
    found = {e.source: e for e in sc.events if isinstance(e, Virement)}
    out = []
    for s in sources:
        e = found.get(s)
        out.append({"source": s} if e is None else {"source": s, "from": e.from_line, "to": e.to_line,
                                                     "amount": e.amount, "date": e.date})
    return out


def audit_with_explanations(settings: Settings, *, cog: str | None = None, scenario: str | None = None,
                            as_of: str | None = None, body: bytes | None = None,
                            column: str = "available") -> tuple[RunDocument, dict[int, Any]]:
    """The audit document and, for each finding about a line and a year of the period, the explanation
    of that line-year's `column` (by default what is available: every contribution and the execution)."""
    from ..services.run import audit_report, simulate

    day, c = _as_of_and_cog(settings, cog, as_of)
    try:
        result = simulate(_scenario(settings, c, scenario, body), audit_date=day)
    except InputErrors as exc:
        raise as_parameters(exc) from None
    doc = audit_report(result)
    explanations = {}
    for i, f in enumerate(doc.findings):
        if f.fund and f.line and f.year is not None:
            explanations[i] = explain_result(result, f.fund, f.line, f.year, column)
    return doc, explanations


def available(settings: Settings, *, cog: str | None = None, fund: str, line: str | None, date: str | None,
              scenario: str | None = None) -> Any:
    """`budgetrules available FUND LINE --date D [--scenario S]`: what is still available on the line
    at the date, and what could move out of it, to which line, on whose signature."""
    from ..services.run import available_on

    check = _Collect()
    c = check(cog_of, settings, cog)
    check.raise_if_any()
    try:
        return available_on(scenario_for(settings, c, scenario), fund, line or None, date or None)
    except InputErrors as exc:
        raise as_parameters(exc) from None
