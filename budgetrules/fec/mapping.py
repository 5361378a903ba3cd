"""From accounting entries to budget execution: the mapping of accounts to fund lines, and the events.

A YAML file says which accounts (numbers or prefixes) feed which fund line or receipt account
(mapfile.py: `load_mapping`); `apply_mapping` sums the FEC totals (per account and EcritureDate) per
fund line and year (totals.py), and `events_of` turns them into scenario events: an execution event
per fund line and day (dated), a receipt per account and year, each with the FEC lines it comes from
(scenario_events.py; docs/fec.md). This module is the public entry: `fec_execution` and `fec_events`
read the mapping, then the FEC files (reader.read_fec), and apply the one to the other."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.errors import InputErrors
from .mapfile import Mapping, Rule, load_mapping
from .reader import Cell, FecReport, read_fec
from .scenario_events import dated, events_of
from .totals import Execution, Row, apply_mapping


def fec_execution(paths: Sequence[Path | str], mapping_path: Path | str, year: int | None = None,
                  strict: bool = False, *, encoding: str = "auto", max_errors: int = 100,
                  progress: Callable[[int, int], None] | None = None) -> Execution:
    """Read the mapping, then the FEC files, and apply the one to the other."""
    mapping = load_mapping(mapping_path)  # a bad mapping is refused before the long read
    books = read_fec(paths, strict=strict, encoding=encoding, max_errors=max_errors, progress=progress)
    return apply_mapping(books, mapping, year)


def fec_events(paths: Sequence[Path | str], mapping_path: Path | str, year: int | None = None,
               strict: bool = False, **options: Any) -> tuple[list[dict], FecReport]:
    """Scenario events from FEC files and a mapping: ([{"kind": "execution", "year": 2023, "fund": "BNGA",
    "line": "A-I-1", "amount": "4234.56", "date": date(2023, 1, 31), "source": "fec.txt:4",
    "fec": ["6b3309435316"]}, {"kind": "receipt", …}], report).

    Raises InputErrors (file:line messages) for a bad mapping, an unusable file, or with `strict`
    any malformed line, unbalanced entry or conflicting entry; otherwise those lines are left out
    and the report lists them."""
    execution = fec_execution(paths, mapping_path, year, strict, **options)
    return events_of(execution), execution.report


__all__ = ["Cell", "Execution", "InputErrors", "Mapping", "Row", "Rule", "apply_mapping", "dated", "events_of",
           "fec_events", "fec_execution", "load_mapping"]
