"""`run --execution FEC… --mapping M` and `audit --execution …`: the execution and receipt events
read from the books, checked like scenario events and added to the scenario."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Sequence

from ..io.scenariofile import read_events
from ..model.scenario import Scenario


def add_fec_events(scenario: Scenario, paths: Sequence[str | Path], mapping: str | Path, strict: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> tuple[Scenario, dict]:
    """The scenario with the FEC's events appended (each keeps its FEC file:line as source), and
    the reading report for the output document: what was read and exactly what was left out.

    With `strict` any malformed line or unbalanced entry refuses the file (InputErrors, exit 2).
    `progress(done_bytes, total_bytes)` is called while the files are read."""
    from .mapping import fec_events

    raw, report = fec_events([Path(p) for p in paths], mapping, strict=strict, progress=progress)
    added = read_events(raw, scenario.funds, str(mapping), first_order=len(scenario.events))
    summary = {"files": [{"file": f.file, "encoding": f.encoding, "separator": "tab" if f.separator == "\t" else
                          f.separator, "variant": f.variant, "lines": f.rows, "left_out_lines": f.left_out_lines}
                         for f in report.files],
               "events": len(added), "left_out_lines": report.left_out_lines, "problem_count": report.problem_count,
               "problems": [str(p) for p in report.problems], "problem_counts": dict(report.counts),
               "notes": list(report.notes)}
    return dataclasses.replace(scenario, events=list(scenario.events) + added), summary
