"""Where a figure or a finding comes from, as the documents show it: a path relative to the
scenario's folder ("r-fung.yaml:12", "../../funds/canssm-2022-2024/bnga.yaml:56"), so that a report
handed to a board names the files of the folder it was made from, not the auditor's machine.

A source is "path:line", "path" or "" (a default of the engine). A path the scenario's folder cannot
reach in two steps up (a COG installed elsewhere, a FEC on another disk) is kept as the program was
given it; with no scenario file (the bare COG) every source is kept as given. A source that is not
a file ("assumption carry_over: maximum") is kept as it is."""
from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path
from typing import Any, Iterable, TypeVar

from ..core.records import Word

T = TypeVar("T")
MAX_UP = 2  # "../../funds/…" from scenarios/rules/ is the repository's own layout


def relative_source(source: str, base: Path | None) -> str:
    """`source` with its path relative to the folder `base`: "path:line", "path", or several
    "path:line" joined by ", " (the events behind one finding: each path made relative). A path is
    resolved once per folder (`_relative_path` is cached): a finding of 240 000 events names the
    same scenario file 240 000 times."""
    if not source or base is None:
        return source
    cwd = os.getcwd()
    if ", " in source:
        places = _relative_places(source.split(", "), base, cwd)
        if places is not None:
            return places
    return _relative_place(source, base, cwd)


def _relative_places(places: list[str], base: Path, cwd: str) -> str | None:
    """Several "path:line" made relative and joined again by ", "; None when one of them has no line
    (then the ", " is part of one file's name)."""
    out = []
    seen: dict[str, str] = {}  # path → its form in the document (a path is named by thousands of events)
    for place in places:
        path, sep, line = place.rpartition(":")
        if not (sep and path and line.isdigit()):
            return None
        shown = seen.get(path)
        if shown is None:
            rel = None if "://" in path else _relative_path(path, base, cwd)
            shown = seen[path] = path if rel is None else rel
        out.append(f"{shown}:{line}")
    return ", ".join(out)


def _relative_place(source: str, base: Path, cwd: str) -> str:
    """One "path:line" or "path" made relative to `base`; "assumption carry_over: maximum" (not a
    file) and URLs are kept as they are."""
    path, sep, line = source.rpartition(":")
    if not (sep and line.isdigit()):
        path, sep, line = source, "", ""
        if source.startswith("assumption "):
            return source
    if not path or "://" in source:
        return source
    rel = _relative_path(path, base, cwd)
    if rel is None:
        return source
    return rel + (f":{line}" if sep else "")


@functools.lru_cache(maxsize=1024)
def _relative_path(path: str, base: Path, cwd: str) -> str | None:
    """`path` relative to the folder `base` (POSIX form), or None when it is more than MAX_UP folders
    up. `cwd` is part of the key: a relative path or folder resolves from it. Cached: the same few
    files are named by every event (a file moved while a server runs keeps its former name here)."""
    try:
        rel = os.path.relpath(Path(cwd, path).resolve(), Path(cwd, base).resolve())
    except ValueError:  # pragma: no cover - another drive on Windows
        return None
    parts = Path(rel).parts
    if sum(1 for p in parts if p == "..") > MAX_UP:
        return None
    return Path(rel).as_posix()


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
    other value (a Local naming an institution, an amount, a line code) is kept as it is. What holds
    no source is returned as it is, not copied (30 000 findings: 270 000 parameters walked)."""
    kind = type(value)
    if kind is dict:
        out = None
        for key, item in value.items():
            if key in SOURCE_PARAMS and isinstance(item, str):
                new = relative_source(item, base)
            elif key in SOURCE_PARAMS and isinstance(item, (list, tuple)):
                new = [relative_source(x, base) if isinstance(x, str) else x for x in item]
            elif type(item) in _NESTED or isinstance(item, Word):
                new = _in_params(item, base)
                if new is item:
                    continue
            else:
                continue
            if out is None:
                out = dict(value)
            out[key] = new
        return value if out is None else out
    if kind is list or kind is tuple:  # phrases listed (the steps of an index)
        items = [_in_params(v, base) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else kind(items)
    if isinstance(value, Word) and value.params:
        params = _in_params(value.params, base)
        return value if params is value.params else Word(value.key, params)
    return value


_NESTED = (dict, list, tuple)
"""The types of parameters that may hold a source deeper down (with Word)."""


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
