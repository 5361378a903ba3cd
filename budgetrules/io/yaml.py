"""YAML reading with line numbers and collected input errors.

Every mapping read here remembers the line of each key, numbers are read exactly (Decimal,
never float), and problems are collected as `file:line: message` rather than raised one by one."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..core.errors import InputErrors, Problem, nearest, unknown_message  # noqa: F401  (re-exported for readers)


class LineDict(dict):
    """A mapping that knows the line of each of its keys (1-based) and its own line."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its line and the line of each item."""

    line: int = 0
    item_lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: 10x faster
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (Decimal,)):
            key = str(key)
        if isinstance(key, (list, dict)):  # "? [a, b]: x" — a key must be a plain value
            loader.duplicates.append((key_node.start_mark.line + 1, None))
            continue
        if key in result:
            loader.duplicates.append((key_node.start_mark.line + 1, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(node.value).replace("_", "")
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    text = special.get(text.lower(), text)
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal("NaN")


class BadDate(str):
    """The text of a date that does not exist (2023-02-30); `problem` says why. Readers report it."""

    problem: str = ""


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date that does not exist is an input problem for the reader to report, not a crash."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        bad = BadDate(node.value)
        bad.problem = f"'{node.value}' is not a valid date ({exc})"
        return bad


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def display_path(path: Path | str) -> str:
    """The path as the user should see it: relative to the working directory when possible."""
    p = Path(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(p)
    return str(p.resolve()) if rel.startswith("..") else rel


def load_yaml(path: Path | str, shown: str | None = None) -> Any:
    """Read a YAML file with line numbers; raise InputErrors for unreadable or malformed files."""
    shown = shown or display_path(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputErrors([Problem(shown, 0, "file not found")]) from None
    except OSError as exc:
        raise InputErrors([Problem(shown, 0, f"cannot read the file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputErrors([Problem(shown, line, "the file is not UTF-8 (save it as UTF-8)")]) from None
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, shown: str) -> Any:
    """Parse YAML text (see load_yaml)."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.problem and exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            # e.g. an unclosed bracket: say where the construct began, not only where parsing stopped
            message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        raise InputErrors([Problem(shown, line, message)]) from None
    except yaml.YAMLError as exc:
        raise InputErrors([Problem(shown, 0, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise InputErrors(Problem(shown, line, f"duplicate key '{key}'" if key is not None else
                                  "a key must be a plain word or number, not a list or mapping")
                          for line, key in loader.duplicates)
    return data


def kind_of(value: object) -> str:
    """What a YAML value is, in the user's words ('a list', 'text'), for error messages."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    return f"the text {str(value)!r}"


@dataclass
class Collector:
    """Collects problems of one file; `check_keys` refuses unknown keys with a suggestion."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def check_keys(self, mapping: Any, allowed: Iterable[str], required: Iterable[str] = (),
                   where: str = "") -> bool:
        """Report unknown and missing keys; return False if `mapping` is not a mapping or lacks a required key."""
        if not isinstance(mapping, dict):
            line = getattr(mapping, "line", 0)
            self.add(line, f"{where or 'this entry'} must be a mapping of keys, got {kind_of(mapping)}")
            return False
        allowed = list(allowed)
        for key in mapping:
            if key not in allowed:
                self.add(mapping.line_of(key) if isinstance(mapping, LineDict) else 0,
                         unknown_message("key", key, allowed) + (f" in {where}" if where else ""))
        complete = True
        for key in required:
            if key not in mapping:
                line = mapping.line if isinstance(mapping, LineDict) else 0
                self.add(line, f"missing key '{key}'" + (f" in {where}" if where else ""))
                complete = False
        return complete

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputErrors(self.problems)


def line_of(container: Any, key: Any = None) -> int:
    """Best-known line of a key of a LineDict, an item of a LineList, or the container."""
    if isinstance(container, LineDict):
        return container.line_of(key) if key is not None else container.line
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return 0
