"""budgetrules: the budget rules of a COG's budget annex as an engine (first the CANSSM's 2022-2024).

For analysts in notebooks::

    import budgetrules as br
    sim = br.simulate("scenarios/central.yaml")     # a path, a Scenario, or a mapping of the YAML keys
    sim.table          # DataFrame: one row per fund, line and year, one column per column of the year
    sim.findings       # DataFrame of findings (rule, severity, fund, year, line, message, citation, amount, …)
    sim.contributions  # DataFrame of every contribution (the provenance of every figure, with its date)
    sim.statement      # DataFrame: the detailed statement of origins of unconsumed credits
    sim.as_of("2023-06-30")                          # DataFrame: the credits as they stood on a date
    sim.explain("BNASS", "PA-F-COL", 2023)           # the contributions that add up to one figure

    br.audit("scenarios/audit/sample-2022-2024.yaml")               # the audit document
    br.simulate_virement("scenarios/central.yaml", "BNGA", "A-I-1", "A-I-2-INFO", "400 k€", date="2023-06-01")
    br.read_fec(["FEC2023.txt"], "funds/canssm-2022-2024/mappings/canssm-fec.yaml")  # scenario events from the books

Amounts are exact `decimal.Decimal` euros (object dtype in DataFrames), never floats; a missing value
is None. Every bad input raises `budgetrules.InputErrors`, whose `.problems` name the file (or the
argument), the line and the nearest valid value."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.errors import InputErrors, Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .documents import ExplainDocument, RunDocument, VirementDocument
    from .engine import Result
    from .model.fund import Fund
    from .model.scenario import Scenario



def __getattr__(name: str) -> Any:
    """`budgetrules.__version__`, read from the installed metadata on first use (importlib.metadata
    costs tens of milliseconds: not on every command's start)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("budgetrules")
        except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
            return "0+unknown"
    raise AttributeError(f"module 'budgetrules' has no attribute {name!r}")

__all__ = ["InputErrors", "Problem", "Simulation", "__version__", "audit", "explain", "load_funds", "load_scenario",
           "read_fec", "simulate", "simulate_virement"]


def load_scenario(path: str | Path, *, funds: dict[str, Fund] | None = None) -> Scenario:
    """Read and validate a scenario file (on the bundled funds, or on `funds`); raises InputErrors
    listing every problem of the file."""
    from .io.scenariofile import load_scenario as _load

    return _load(path, funds=funds)


def load_funds(paths: list[str | Path] | None = None) -> dict[str, Fund]:
    """The bundled funds, or the fund files given (in the COG's order); raises InputErrors."""
    from .io.fundfile import load_funds as _load
    from .io.paths import bundled_fund_files

    return _load([Path(p) for p in paths] if paths else bundled_fund_files())


def _scenario(scenario: Scenario | str | Path | dict[str, Any]) -> Scenario:
    from .model.scenario import Scenario as _Scenario

    if isinstance(scenario, _Scenario):
        return scenario
    if isinstance(scenario, dict):
        from .io.scenariofile import scenario_from_data

        return scenario_from_data(scenario, "<mapping>")
    if isinstance(scenario, (str, Path)):
        return load_scenario(scenario)
    raise InputErrors([Problem("scenario", 0, f"expected a scenario, a path or a mapping, got "
                                              f"{type(scenario).__name__}")])


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame whose missing values are None in every column (pandas would make some NaN, a float,
    in a column of text or of Decimals): columns without a missing value keep their inferred dtype."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for name in columns:
        if frame[name].isna().any():
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


@dataclass
class Simulation:
    """A run of the engine, with its tables as pandas DataFrames (built on first use)."""

    result: Result

    @property
    def scenario(self) -> Scenario:
        return self.result.scenario

    def _rows(self, at: dt.date | None) -> list[dict[str, Any]]:
        rows = []
        for code, fund in self.result.funds.items():
            years = [at.year] if at is not None else fund.years
            for line in fund.lines:
                leaf = fund.is_leaf(line.code)
                for year in years:
                    if year not in fund.years:
                        continue
                    row: dict[str, Any] = {"fund": code, "line": line.code, "label": line.label,
                                           "character": line.character if leaf else None, "leaf": leaf,
                                           "parent": line.parent, "year": year}
                    row.update(self.result.row(code, line.code, year, at))
                    rows.append(row)
        return rows

    @property
    def table(self) -> pd.DataFrame:
        """One row per fund, line (leaves and subtotals) and year; one column per column of the year."""
        from .core.records import COLUMNS

        return _frame(self._rows(None), ["fund", "line", "label", "character", "leaf", "parent", "year", *COLUMNS])

    def as_of(self, day: dt.date | str) -> pd.DataFrame:
        """The credits as they stood on `day` (its year): authorised at that date, execution to that
        date, available; on 31 December, the year's final figures."""
        from .core.records import COLUMNS
        from .services.checks import date_of

        at = date_of(day, "day")
        assert at is not None
        if not any(at.year in f.years for f in self.result.funds.values()):
            raise InputErrors([Problem("day", 0, f"{at.isoformat()} is outside the period of the funds")])
        return _frame(self._rows(at), ["fund", "line", "label", "character", "leaf", "parent", "year", *COLUMNS])

    @property
    def findings(self) -> pd.DataFrame:
        """Findings about the period, then those about the COG's tables (about_tables=True); `message`
        in French, `key` the message's key in the catalogue."""
        from .render.messages import finding_text

        fields = ("rule", "severity", "fund", "year", "line", "citation", "amount", "source", "key")
        rows = [dict({k: getattr(f, k) for k in fields}, message=finding_text(f), about_tables=about)
                for about, group in ((False, self.result.findings), (True, self.result.table_findings))
                for f in group]
        return _frame(rows, ["rule", "severity", "fund", "year", "line", "message", "citation", "amount", "source", "key",
                             "about_tables"])

    @property
    def contributions(self) -> pd.DataFrame:
        """Every contribution: fund, line, year, column, amount, rule, citation, source, date, note."""
        from .render.messages import note_text

        fields = ["fund", "line", "year", "column", "amount", "rule", "citation", "source", "date"]
        return _frame([dict({k: getattr(c, k) for k in fields}, note=note_text(c))
                       for c in self.result.ledger.contributions], [*fields, "note"])

    @property
    def statement(self) -> pd.DataFrame:
        """The detailed statement of origins: one row per leaf with unconsumed credits in a year."""
        fields = ["fund", "line", "from_year", "to_year", "authorised", "executed", "eligible", "carried", "lapsed",
                  "rule", "citation"]
        return _frame([{k: getattr(s, k) for k in fields} for s in self.result.ledger.statement], fields)

    def explain(self, fund: str, line: str, year: int | str, column: str = "authorised",
                as_of: dt.date | str | None = None) -> dict[str, Any]:
        """The contributions behind one figure (they add up to it), as the `explain` JSON document.
        Raises InputErrors for an unknown fund, line or column, or a year outside the period."""
        from .render.json import to_json
        from .services.checks import date_of
        from .services.run import explain_figure

        return to_json(explain_figure(self.result, fund, line, year, column, as_of=date_of(as_of, "as_of")))

    def document(self) -> RunDocument:
        """The `run` document (typed; `budgetrules.render.render(doc, "md")` prints it)."""
        from .services.run import run_report

        return run_report(self.result)


def simulate(scenario: Scenario | str | Path | dict[str, Any]) -> Simulation:
    """Run the engine on a scenario (a Scenario, a scenario file, or a mapping of its YAML keys)."""
    from .engine import run

    return Simulation(run(_scenario(scenario)))


def audit(scenario: Scenario | str | Path | dict[str, Any]) -> RunDocument:
    """The audit document of a scenario: findings by severity, statement of origins, summary."""
    from .engine import run
    from .services.run import audit_report

    return audit_report(run(_scenario(scenario)))


def simulate_virement(scenario: Scenario | str | Path | dict[str, Any], fund: str, source: str, target: str,
                      amount: Any, *, year: int | str | None = None, date: dt.date | str | None = None,
                      dm: dict[str, Any] | None = None) -> VirementDocument:
    """The verdict on a virement of `amount` ("400 k€", a Decimal…) from `source` to `target` on top of
    the scenario: who signs, who is told by when, the lines before and after. `dm`: {ref, board_vote,
    approval}. Raises InputErrors for unknown lines, a bad amount or a date outside the period."""
    from .model.scenario import Dm
    from .services.checks import date_of
    from .services.run import virement_verdict

    return virement_verdict(_scenario(scenario), fund, source, target, amount, year=year, date=date,
                            dm=None if dm is None else _dm(dm))


def _dm(dm: Any) -> Any:
    """A décision modificative given as {ref, board_vote, approval} (approval optional): every problem
    (a key missing, unknown or misspelt, a date that is not one) an InputErrors, all at once."""
    from .core.errors import unknown_message
    from .model.scenario import Dm
    from .services.checks import date_of

    keys = ("ref", "board_vote", "approval")
    if not isinstance(dm, dict):
        raise InputErrors([Problem("dm", 0, f"expected a mapping {{ref, board_vote, approval}}, got {type(dm).__name__}")])
    problems = [Problem("dm", 0, unknown_message("key", key, keys)) for key in dm if key not in keys]
    problems += [Problem("dm", 0, f"missing key '{key}': a DM has a reference and the date the board voted it")
                 for key in ("ref", "board_vote") if key not in dm]
    days = {}
    for key in ("board_vote", "approval"):
        try:
            days[key] = date_of(dm.get(key), f"dm.{key}")
        except InputErrors as exc:
            problems += exc.problems
    if problems:
        raise InputErrors(problems)
    return Dm(ref=str(dm["ref"]), board_vote=days["board_vote"], approval=days["approval"])  # type: ignore[arg-type]


def explain(scenario: Scenario | str | Path | dict[str, Any], fund: str, line: str, year: int | str,
            column: str = "authorised", as_of: dt.date | str | None = None) -> ExplainDocument:
    """The provenance of one figure of a scenario's run (typed document; its contributions add up)."""
    from .engine import run
    from .services.checks import date_of
    from .services.run import explain_figure

    return explain_figure(run(_scenario(scenario), source_checks=False), fund, line, year, column,
                          as_of=date_of(as_of, "as_of"))


def read_fec(paths: list[str | Path], mapping: str | Path, *, year: int | None = None,
             strict: bool = False) -> tuple[list[dict[str, Any]], Any]:
    """Scenario events read from FEC files through an account mapping — `execution` per fund line and
    day (with its `date`), `receipt` per account and year, each with its `source` (the first FEC line
    of each file) and `fec` (those files' fingerprints) — and the report of what was read, left out,
    excluded (closing, opening entries) and read twice (docs/fec.md). Raises InputErrors for a bad
    mapping, an unusable file, the same file twice, or with `strict` any malformed line."""
    from .fec.mapping import fec_events

    return fec_events([Path(p) for p in paths], mapping, year, strict)
