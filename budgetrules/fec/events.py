"""`run --execution FEC… --mapping M` and `audit --execution …`: the execution and receipt events
read from the books, checked like scenario events and added to the scenario."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Sequence

import click

from ..model.scenario import Scenario
from ..io.scenariofile import _Reader


def add_fec_events(scenario: Scenario, paths: Sequence[str], mapping: str,
                   strict: bool = False) -> tuple[Scenario, dict]:
    """The scenario with the FEC's events appended (each keeps its FEC file:line as source), and
    the reading report for the output document: what was read and exactly what was left out.

    With `strict` any malformed line or unbalanced entry refuses the file (InputErrors, exit 2)."""
    import sys

    from ..cli.execution import _Progress
    from .mapping import fec_events

    progress = _Progress(sys.stderr.isatty())
    try:
        raw, report = fec_events([Path(p) for p in paths], mapping, strict=strict, progress=progress)
    finally:
        progress.close()
    reader = _Reader(None, mapping, Path("."), scenario.funds)
    added = []
    for i, item in enumerate(raw):
        item = dict(item)
        source = item.pop("source", "FEC")
        event = reader.read_event(item["kind"], item, 0, scenario.funds, len(scenario.events) + i)
        if event is not None:
            event.source = source
            added.append(event)
    reader.c.raise_if_any()
    if report.left_out_lines:
        click.echo(f"warning: {report.left_out_lines} FEC line(s) left out ({report.problem_count} problem(s)); "
                   f"`budgetrules execution … --mapping {mapping}` lists them", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    summary = {"files": [{"file": f.file, "encoding": f.encoding, "separator": "tab" if f.separator == "\t" else
                          f.separator, "variant": f.variant, "lines": f.rows, "left_out_lines": f.left_out_lines}
                         for f in report.files],
               "events": len(added), "left_out_lines": report.left_out_lines, "problem_count": report.problem_count,
               "problems": [str(p) for p in report.problems], "problem_counts": dict(report.counts),
               "notes": list(report.notes)}
    return dataclasses.replace(scenario, events=list(scenario.events) + added), summary
