"""Checking a scenario's `expect` entries against a run, with readable failures
("scenarios/x.yaml:12: BNGA A-I-1 2023 authorised: expected 1 000,00 €, got 900,00 €")."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..engine import Result, run
from ..core.money import fr_amount
from ..core.records import Finding
from ..render.messages import finding_text
from ..model.scenario import Expectation
from ..io.scenariofile import load_scenario


@dataclass
class Failure:
    source: str
    scenario: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: scenario '{self.scenario}': {self.message}"


def _matches(f: Finding, e: Expectation) -> bool:
    if e.fund is not None and f.fund != e.fund:
        return False
    if e.line is not None and f.line != e.line:
        return False
    if e.year is not None and f.year != e.year:
        return False
    for key, value in e.values.items():
        got = getattr(f, key, None)
        if key == "message":
            if str(value) not in finding_text(f):
                return False
        elif isinstance(value, Decimal):
            if got is None or got != value:
                return False
        elif got != value:
            return False
    return True


def _describe(e: Expectation) -> str:
    parts = [f"{k}={v}" for k, v in (("fund", e.fund), ("year", e.year), ("line", e.line)) if v is not None]
    parts += [f"{k}={v}" for k, v in e.values.items()]
    return ", ".join(parts)


def check(result: Result) -> list[Failure]:
    """Every expectation of the scenario that the run does not meet."""
    s = result.scenario
    failures: list[Failure] = []
    all_findings = result.findings + result.table_findings
    for e in s.expectations:
        if e.kind in ("line", "total"):
            row = result.row(e.fund, e.line, e.year) if e.kind == "line" else result.total(e.fund, e.year)
            where = f"{e.fund} {e.line} {e.year}" if e.kind == "line" else f"{e.fund} total {e.year}"
            for col, want in e.values.items():
                if row[col] != want:
                    failures.append(Failure(e.source, s.name, f"{where} {col}: expected {fr_amount(want)}, "
                                                              f"got {fr_amount(row[col])}"))
        elif e.kind == "finding":
            if not any(_matches(f, e) for f in all_findings):
                near = [f for f in all_findings if f.rule == e.values.get("rule")]
                hint = "; findings of that rule: " + " | ".join(
                    f"{f.severity} {f.fund} {f.year} {f.line}: {finding_text(f)}" for f in near[:3]) if near else \
                    "; no finding of that rule at all"
                failures.append(Failure(e.source, s.name, f"expected a finding ({_describe(e)}), none matches{hint}"))
        else:  # findings about the COG's own tables count only when the expectation names their rule
            pool = all_findings if e.values.get("rule") == "R-SOURCE-TOTALS" else result.findings
            bad = [f for f in pool if _matches(f, e)]
            if bad:
                failures.append(Failure(e.source, s.name, f"expected no finding ({_describe(e)}), got {len(bad)}: "
                                        + " | ".join(f"{f.rule} {f.severity} {f.fund} {f.year} {f.line}: {finding_text(f)}"
                                                     for f in bad[:3])))
    return failures


def run_file(path: Path | str, funds=None) -> tuple[Result, list[Failure]]:
    """Load, run and check one scenario file."""
    scenario = load_scenario(path, funds=funds)
    result = run(scenario)
    return result, check(result)
