"""Reading values out of what io/yaml.py loaded: the line of a key (`line_of`), what a value is
in words (`kind_of`), the path as the user sees it, and the Collector that gathers every problem of
a file as `file:line: message` before one InputErrors is raised."""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..core.errors import EXCERPT, InputErrors, Problem, excerpt, unknown_message
from .yamlobjects import _LAST, LineDict, LineList, last_read
from .yamlscalars import BadDate, BadNumber, date_value

# Printable text: no C0 or C1 control, no DEL, no bidirectional embedding, override or isolate (U+202A-U+202E,
# U+2066-U+2069: they reorder what a reader sees of the text around them, « Trojan Source »)
TEXT_CHARACTERS = "\x09\x0a\x20-\x7e\x85\xa0-\u2029\u202f-\u2065\u206a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
"""The characters a value may hold, for a regular expression's class: YAML's printable characters
(YAML 1.2, 5.1), without the carriage return (a line break in a file, but in a value only an escape,
"\\r", that would move a terminal's cursor back over what was printed)."""
CONTROL_IN_TEXT = re.compile(f"[^{TEXT_CHARACTERS}]")


def control_problem(text: str) -> str:
    """The message for text holding a control character (an escape such as "\\x1b" in double quotes,
    or text from JSON or Python), or '' when it holds none."""
    m = CONTROL_IN_TEXT.search(text)
    if not m:
        return ""
    shown = _UNPRINTABLE.sub(lambda c: c.group().encode("unicode_escape").decode("ascii"), text[:EXCERPT + 1])
    return (f"'{excerpt(shown)}' holds the control character U+{ord(m.group()):04X}: remove it (text may not hold "
            "control characters: they would act on the terminal or the report that shows it)")


_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f]|[^{TEXT_CHARACTERS}]")  # escaped in messages, which stay one line


def display_path(path: Path | str) -> str:
    """The path as the user should see it: relative to the working directory when possible."""
    p = Path(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(p)
    return str(p.resolve()) if rel.startswith("..") else rel


# -- reading values -----------------------------------------------------------------------------

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
    if isinstance(value, Decimal):  # as YAML writes it: 1e9, not Python's 1E+9
        return f"the number {excerpt(str(value).replace('E+', 'e').replace('E', 'e'))}"
    if isinstance(value, int):
        return f"the number {excerpt(value)}"
    if isinstance(value, BadNumber):
        return f"{value!r}"
    return f"the text {excerpt(str(value))!r}"


@dataclass
class Collector:
    """Collects problems of one file; `check_keys` refuses unknown keys with a suggestion.

    A problem always has a line: given, or else the line of the value last read from the file
    (`last_read`), which is the value complained about when a reader reads a value and checks it
    (for `check_keys`, only if it is that very value) — and only a value read since the Collector
    was made, so that a reader of data that did not come from the file gets no borrowed line."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    _since: tuple = field(default_factory=lambda: _LAST.read, repr=False, compare=False)

    def _last_read(self) -> tuple[Any, int]:
        return (None, 0) if _LAST.read is self._since else last_read(self.file)

    def optional_date(self, raw: Any, key: str, prefix: str = "") -> "dt.date | None":
        """The date (YYYY-MM-DD, or that text quoted) under `key` of the mapping `raw`, None when absent;
        a value that is not a date (or a date that does not exist, or one with a time) is reported with
        its line, its key written `prefix` + key ("dm.approval")."""
        value = raw.get(key)
        if value is None:
            return None
        day = date_value(value)
        if isinstance(day, BadDate):
            self.add(line_of(raw, key), f"{prefix}{key}: {day.problem}")
        elif day is None:
            self.add(line_of(raw, key), f"{prefix}{key}: {excerpt(value)!r} is not a date (write YYYY-MM-DD)")
        else:
            return day
        return None

    def text(self, raw: Any, key: str, where: str = "") -> str:
        """The text under `key` of the mapping `raw` (a name, a label, a reference), '' when absent: text, or
        a number or a date as written; a list, a mapping or a boolean is refused, and so is a control
        character, each with its line and the key written `where` + key ("line S-1: label")."""
        value = raw.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, dt.date)):
            self.add(line_of(raw, key), f"{where}{key} must be text, got {kind_of(value)}")
            return ""
        text = value if isinstance(value, str) else str(value)
        problem = control_problem(text)
        if problem:
            self.add(line_of(raw, key), f"{where}{key}: {problem}")
        return text

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line or self._last_read()[1], message))

    def check_keys(self, mapping: Any, allowed: Iterable[str], required: Iterable[str] = (),
                   where: str = "", line: int = 0) -> bool:
        """Report unknown and missing keys; return False if `mapping` is not a mapping or lacks a
        required key. `line`: where the value was written, when it may be a scalar (that has no line)."""
        if not isinstance(mapping, dict):
            if not line:
                line = getattr(mapping, "line", 0)
            if not line:
                last, last_line = self._last_read()
                line = last_line if last is mapping else 0
            if not line:
                root, root_line = _LAST.roots.get(self.file, (None, 0))
                line = root_line if root is mapping else 0
            self.add(line, f"{where or 'this entry'} must be a mapping of keys, got {kind_of(mapping)}")
            return False
        allowed = list(allowed)
        for key in mapping:
            if key not in allowed:
                self.add(mapping.line_of(key) if isinstance(mapping, LineDict) else line,
                         unknown_message("key", key, allowed) + (f" in {where}" if where else ""))
        complete = True
        for key in required:
            if key not in mapping:
                self.add(mapping.line if isinstance(mapping, LineDict) else line,
                         f"missing key '{key}'" + (f" in {where}" if where else ""))
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
