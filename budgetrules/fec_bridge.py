"""`run --execution FEC… --mapping M` and `audit --execution …`: the execution and receipt events
read from the books, checked like scenario events and added to the scenario."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Sequence

import click

from .scenario import Scenario, _Reader


def add_fec_events(scenario: Scenario, paths: Sequence[str], mapping: str, strict: bool = False) -> Scenario:
    """The scenario with the FEC's events appended (each keeps its FEC file:line as source).

    What the reader left out (malformed lines, unbalanced entries, unmapped accounts) is said on
    stderr; with `strict` any such line refuses the file (InputErrors, exit 2)."""
    from .fec_mapping import fec_events

    raw, report = fec_events([Path(p) for p in paths], mapping, strict=strict)
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
    return dataclasses.replace(scenario, events=list(scenario.events) + added)
