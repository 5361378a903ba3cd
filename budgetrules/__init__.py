"""budgetrules: the budget rules of the COG CANSSM 2022-2024 as an engine.

For analysts in notebooks::

    import budgetrules as br
    sc = br.load_scenario("scenarios/central.yaml")
    sim = br.simulate(sc)
    sim.table          # pandas DataFrame: one row per fund, line and year, one column per RULES.md column
    sim.findings       # DataFrame of findings (rule, severity, fund, year, line, message, citation, amount)
    sim.contributions  # DataFrame of every contribution (the provenance of every figure)

Amounts in the DataFrames are exact `decimal.Decimal` values (object dtype), never floats.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .engine import Result
    from .model.fund import Fund
    from .model.scenario import Scenario

__all__ = ["load_scenario", "load_funds", "simulate", "Simulation"]


def load_scenario(path: str | Path) -> "Scenario":
    """Read and validate a scenario file (raises budgetrules.yamlio.InputErrors with every problem)."""
    from .io.scenariofile import load_scenario as _load

    return _load(path)


def load_funds(paths: list[str | Path] | None = None) -> dict[str, "Fund"]:
    """The bundled funds, or the fund files given."""
    from .io.fundfile import load_funds as _load
    from .io.paths import bundled_fund_files

    return _load([Path(p) for p in paths] if paths else bundled_fund_files())


@dataclass
class Simulation:
    """A run of the engine, with its tables as pandas DataFrames (built on first use)."""

    result: "Result"

    @property
    def table(self) -> "pd.DataFrame":
        """One row per fund, line (leaves and subtotals) and year; one column per RULES.md column."""
        import pandas as pd

        from .core.records import COLUMNS

        rows = []
        for code, fund in self.result.funds.items():
            for line in fund.lines:
                leaf = fund.is_leaf(line.code)
                for year in fund.years:
                    row: dict[str, Any] = {"fund": code, "line": line.code, "label": line.label,
                                           "character": line.character if leaf else None, "leaf": leaf,
                                           "parent": line.parent, "year": year}
                    row.update(self.result.row(code, line.code, year))
                    rows.append(row)
        return pd.DataFrame(rows, columns=["fund", "line", "label", "character", "leaf", "parent", "year", *COLUMNS])

    @property
    def findings(self) -> "pd.DataFrame":
        """Findings about the period, then those about the COG's tables (about_tables=True)."""
        import pandas as pd

        from .render.messages import finding_text

        fields = ("rule", "severity", "fund", "year", "line", "citation", "amount", "source")
        rows = [dict({k: getattr(f, k) for k in fields}, message=finding_text(f), about_tables=False)
                for f in self.result.findings]
        rows += [dict({k: getattr(f, k) for k in fields}, message=finding_text(f), about_tables=True)
                 for f in self.result.table_findings]
        return pd.DataFrame(rows, columns=["rule", "severity", "fund", "year", "line", "message", "citation", "amount",
                                           "source", "about_tables"])

    @property
    def contributions(self) -> "pd.DataFrame":
        """Every contribution: fund, line, year, column, amount, rule, citation, source, note."""
        import pandas as pd

        from .render.messages import note_text

        fields = ["fund", "line", "year", "column", "amount", "rule", "citation", "source", "date"]
        return pd.DataFrame([dict({k: getattr(c, k) for k in fields}, note=note_text(c))
                             for c in self.result.ledger.contributions], columns=[*fields, "note"])

    def explain(self, fund: str, line: str, year: int, column: str = "authorised") -> dict:
        """The contributions behind one figure (they add up to it)."""
        from .services.explain import explain

        return explain(self.result, fund, line, year, column)


def simulate(scenario: "Scenario | str | Path") -> Simulation:
    """Run the engine on a scenario (or a scenario file)."""
    from .engine import run

    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    return Simulation(run(scenario))
