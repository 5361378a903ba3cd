"""Where a figure or a finding comes from, as the documents show it: a path relative to the
scenario's folder ("r-fung.yaml:12", "../../funds/canssm-2022-2024/bnga.yaml:56"), so that a report
handed to a board names the files of the folder it was made from, not the auditor's machine.

A source is "path:line", "path" or "" (a default of the engine). A path the scenario's folder cannot
reach in two steps up (a COG installed elsewhere, a FEC on another disk) is kept as the program was
given it; with no scenario file (the bare COG) every source is kept as given."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Iterable, TypeVar

T = TypeVar("T")
MAX_UP = 2  # "../../funds/…" from scenarios/rules/ is the repository's own layout


def relative_source(source: str, base: Path | None) -> str:
    """`source` ("path:line" or "path") with its path relative to the folder `base`."""
    if not source or base is None:
        return source
    path, sep, line = source.rpartition(":")
    if not (sep and line.isdigit()):
        path, sep, line = source, "", ""
    if not path or "://" in source:
        return source
    try:
        rel = os.path.relpath(Path(path).resolve(), base.resolve())
    except ValueError:  # pragma: no cover - another drive on Windows
        return source
    parts = Path(rel).parts
    if sum(1 for p in parts if p == "..") > MAX_UP:
        return source
    return Path(rel).as_posix() + (f":{line}" if sep else "")


def scenario_folder(scenario_file: str | None) -> Path | None:
    """The folder the sources are relative to: the scenario file's (None without a file)."""
    if not scenario_file or scenario_file.startswith("<"):
        return None
    path = Path(scenario_file)
    return path.parent if path.is_file() else None


SOURCE_PARAMS = ("sources", "first_source", "second_source")
"""The message parameters that hold sources ("file:line"): the assumption lines an index step read,
the two virements of a chain. (A `source` parameter is a virement's source line, not a file.)"""


def _in_params(value: Any, base: Path) -> Any:
    """Message parameters with their sources made relative, inside nested phrases (Word) too; every
    other value (a Local naming an institution, an amount, a line code) is kept as it is."""
    from ..core.records import Word

    if isinstance(value, Word):
        return Word(value.key, _in_params(value.params, base)) if value.params else value
    if type(value) is dict:
        out = {}
        for key, item in value.items():
            if key in SOURCE_PARAMS and isinstance(item, str):
                out[key] = relative_source(item, base)
            elif key in SOURCE_PARAMS and isinstance(item, (list, tuple)):
                out[key] = [relative_source(x, base) if isinstance(x, str) else x for x in item]
            else:
                out[key] = _in_params(item, base)
        return out
    if type(value) in (list, tuple):  # phrases listed (the steps of an index)
        return type(value)(_in_params(v, base) for v in value)
    return value


def relative_phrases(phrases: list[Any], base: Path | None) -> list[Any]:
    """Phrases (Words, or text) with the sources in their parameters made relative to `base`."""
    return list(phrases) if base is None else [_in_params(p, base) for p in phrases]


def with_relative_sources(records: Iterable[T], base: Path | None, *fields: str) -> list[T]:
    """The records (frozen dataclasses) with each of `fields` (default: `source`, and the sources in
    `params`) made relative."""
    names = fields or ("source",)
    out: list[Any] = []
    for record in records:
        changes = {}
        for name in names:
            value = getattr(record, name, None)  # a record without a source is kept as it is
            if isinstance(value, str):
                changes[name] = relative_source(value, base)
            elif isinstance(value, list):
                changes[name] = [relative_source(v, base) if isinstance(v, str) else v for v in value]
        if base is not None and getattr(record, "params", None):
            changes["params"] = _in_params(record.params, base)
        out.append(dataclasses.replace(record, **changes) if changes and base is not None else record)
    return out
