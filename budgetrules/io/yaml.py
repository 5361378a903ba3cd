"""YAML reading with line numbers and collected input errors: one reading for every file (scenario,
fund, mapping).

Every mapping read here remembers the line of each key, and problems are collected as
`file:line: message` rather than raised one by one. What a plain (unquoted) value is follows YAML 1.2's
core schema, read exactly, with the forms other YAML readers take differently refused with the reason:

- `null`/`~`/nothing is None; `true`/`false` (and `True`, `TRUE`…) are booleans; `yes`, `no`, `on`,
  `off` are text (YAML 1.1 made them booleans).
- Numbers are decimal: `2023` is an int, `37.33`, `1.5e3` are exact `Decimal`s (never a float).
  `1_000` is text (as in YAML 1.2), which the amount readers take as 1000, exactly as the quoted
  "1_000" (underscores and spaces are thousands separators there): never a year.
- `0100` (a leading zero: octal 64 in YAML 1.1), `0x10`, `0o17`, `0b11`, `1:30` and `33:43` (base 60 in
  YAML 1.1: 90 and 2023), `.inf`, `.nan` and numbers of more than MAX_DIGITS digits or with an
  exponent beyond ±MAX_EXPONENT are `BadNumber`s: text for a text field (a label may well read
  "10:30"), and an input error naming the reason wherever a number is read.
- `2023-06-01` is a date; a date that does not exist, or a date with a time, is a `BadDate` that
  the readers report.
- Explicit tags are refused (`!!int x`, `!!bool 2`, `!!timestamp x`, `!!map x`, `!!python/…`,
  `!anything`): a file says what a value is by how it is written, not by a tag. The one exception is
  a core-schema tag that says what the value reads as anyway (`!!float '12'`, `!!str 12`, `!!int 7`,
  `!!map {…}`), as PyYAML's own writer puts them (fundwrite.dump_fund writes whole Decimals so).
- Anchors and aliases work (an alias is the same object as its anchor, never a copy) and so do merge
  keys (`<<: *defaults`), but all the aliases of a file may add at most MAX_ALIAS_NODES values to
  what is written (an "alias bomb" of nested anchors is refused at the alias that passes the bound);
  nesting is limited to MAX_DEPTH levels.
- Control characters (NUL, escape, …) are refused with their line and column.

The objects are built straight from the parser's events (libyaml's when present), without PyYAML's
node graph: memory is the values themselves, with the key lines of a mapping kept as a small tuple
shared by every mapping of the same keys and layout (benchmarks/scenario_memory.py)."""
from __future__ import annotations

import datetime as dt
import os
import re
import threading
from array import array
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent)

from ..core.errors import InputErrors, Problem, excerpt, nearest, unknown_message  # noqa: F401  (re-exported for readers)

MAX_DEPTH = 100
"""The deepest nesting of lists and mappings a file may have (the bundled files use 5)."""
MAX_ALIAS_NODES = 1_000_000
"""The most values (scalars, lists and mappings) that the aliases of one file may add to what is
written: a file's own values are bounded by its size, and this bounds what it may expand to."""
MAX_DIGITS = 100
"""A plain number with more digits than this is a BadNumber (no figure of a budget has 100 digits)."""
MAX_EXPONENT = 100
"""A plain number written with an exponent beyond ±MAX_EXPONENT (1e-1000000) is a BadNumber."""
MAX_PROBLEMS = 20
"""Control characters or tags: at most this many lines reported, then a count of the others."""

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available: ten times faster
_Loader = _Parser  # the name tests use to know which parser (and so which syntax messages) is at work
LIBYAML = _Parser is not yaml.SafeLoader


# -- the objects --------------------------------------------------------------------------------

class LineDict(dict):
    """A mapping that knows its own line (1-based) and the line of each of its keys.

    `key_lines` is None (every key on the mapping's line), a (positions, offsets) pair shared by the
    mappings of the same keys and layout (`positions[key]` indexes `offsets`, added to `line`), or
    a plain {key: line} dict (for mappings built by hand)."""

    __slots__ = ("line", "key_lines", "doc")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines = None
        self.doc = 0  # the document it was read from (see `last_read`)

    def line_of(self, key: Any) -> int:
        kl = self.key_lines
        if kl is None:
            return self.line
        if type(kl) is dict:
            return kl.get(key, self.line)
        i = kl[0].get(key)
        return self.line if i is None else self.line + kl[1][i]

    # A value read from a file remembers where it was read (see `last_read`), so that a problem
    # about a value that has no line of its own (a number where a mapping was expected) names one.
    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            _LAST.read = (default, self.line, self.doc)
            return default
        _LAST.read = (value, self.line_of(key), self.doc)
        return value

    def __getitem__(self, key: Any) -> Any:
        value = dict.__getitem__(self, key)
        _LAST.read = (value, self.line_of(key), self.doc)
        return value

    def __repr__(self) -> str:
        return _REPR.repr(self)

    def __reduce__(self):  # pickle/copy: a plain dict's state plus the lines
        return (_rebuild_dict, (dict(self), self.line, self.key_lines))


class LineList(list):
    """A sequence that knows its line and the line of each item (`item_lines[i]`)."""

    __slots__ = ("line", "item_lines")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.item_lines = array("L")

    def __repr__(self) -> str:
        return _REPR.repr(self)

    def __reduce__(self):
        return (_rebuild_list, (list(self), self.line, list(self.item_lines)))


def _rebuild_dict(items: dict, line: int, key_lines: Any) -> LineDict:
    result = LineDict(items)
    result.line, result.key_lines = line, key_lines
    return result


def _rebuild_list(items: list, line: int, item_lines: list) -> LineList:
    result = LineList(items)
    result.line, result.item_lines = line, array("L", item_lines)
    return result


class _ShortRepr:
    """repr() of values read from a file, short whatever their size (messages quote them)."""

    def repr(self, value: Any, level: int = 3) -> str:
        if isinstance(value, dict):
            if level <= 0:
                return "{…}"
            items = [f"{self.repr(k, 0)}: {self.repr(v, level - 1)}" for k, v in islice(dict.items(value), 4)]
            return "{" + ", ".join(items) + (", …" if len(value) > 4 else "") + "}"
        if isinstance(value, list):
            if level <= 0:
                return "[…]"
            items = [self.repr(v, level - 1) for v in islice(list.__iter__(value), 6)]
            return "[" + ", ".join(items) + (", …" if len(value) > 6 else "") + "]"
        if isinstance(value, str):
            return repr(excerpt(str.__str__(value)))
        return excerpt(repr(value))


_REPR = _ShortRepr()


class BadDate(str):
    """The text of a date that cannot be used: one that does not exist (2023-02-30) or a date with a
    time (2023-05-10 10:00:00); `problem` says why. Readers report it; as text it is what was written."""

    problem: str = ""

    def __repr__(self) -> str:
        return repr(excerpt(str.__str__(self)))


class BadNumber(str):
    """A plain value that other YAML readers take as a number we do not read (0100, 0x10, 1:30,
    .inf…): as text it is what was written; where a number is expected, `problem` is the message
    (`reason` the short form, which repr() adds so that any message quoting it gives the reason)."""

    problem: str = ""
    reason: str = ""

    def __repr__(self) -> str:
        return f"{excerpt(str.__str__(self))!r} [{self.reason}]"


def _bad_number(text: str, reason: str, advice: str) -> BadNumber:
    bad = BadNumber(text)
    bad.reason = reason
    bad.problem = f"'{excerpt(text)}' is {reason} — {advice}"
    return bad


class _Last(threading.local):
    read: tuple = (None, 0, 0)  # value, line, document
    documents: dict  # file as shown -> its last document's number
    roots: dict  # file as shown -> (its document when not a list or mapping, its line)
    count: int = 0

    def __init__(self) -> None:
        self.documents = {}
        self.roots = {}


_LAST = _Last()
_MISSING = object()


def last_read(file: str) -> tuple[Any, int]:
    """The value most recently read (by `get` or `[]`) from a mapping of the last document loaded
    from `file` in this thread, and its line; (None, 0) when the last value read was of another."""
    value, line, doc = _LAST.read
    if doc and _LAST.documents.get(file) == doc:
        return value, line
    return None, 0


# -- plain scalars ------------------------------------------------------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE]([-+]?[0-9]+))?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_HEX = re.compile(r"[-+]?0x[0-9a-fA-F_]+")
_OCTAL = re.compile(r"[-+]?0o[0-7_]+")
_BINARY = re.compile(r"[-+]?0b[01_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_SPECIAL = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
                       r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?")
_DECIMAL_ADVICE = "write numbers in decimal (or quote the text)"


def _sexagesimal(text: str) -> str:
    """The value YAML 1.1 gives `1:30` (90) or `33:43` (2023), for the message."""
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").replace("_", "")
    whole, _, frac = body.partition(".")
    value = 0
    for part in whole.split(":"):
        value = value * 60 + int(part)
    total = Decimal(value) + (Decimal("0." + frac) if frac else 0)
    return f"{sign * total:f}"


def resolve_plain(text: str) -> Any:
    """What a plain (unquoted) scalar is: None, a bool, an int, a Decimal, a date, a BadNumber, a
    BadDate or text (see the module's docstring)."""
    if len(text) > 2 * MAX_DIGITS + 20:  # no number, date or keyword is this long
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    first = text[:1]
    if first.isdigit() or first in "+-.":
        return _resolve_number(text)
    return text


def _resolve_number(text: str) -> Any:
    if _INT.fullmatch(text):
        digits = text.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            return _bad_number(text, f"a number of {len(digits)} digits", "no figure has that many")
        if len(digits) > 1 and digits[0] == "0":
            shown = text[:-len(digits)] + (digits.lstrip("0") or "0")
            if set(digits) <= set("01234567"):
                return _bad_number(text, f"a number with a leading zero (octal {int(text, 8)} in YAML 1.1, "
                                         f"{shown} in YAML 1.2)", f"write {shown}")
            return _bad_number(text, "a number with a leading zero", f"write {shown}")
        return int(text)
    m = _FLOAT.fullmatch(text)
    if m:
        exponent = m.group(1)
        if exponent is not None and (len(exponent.lstrip("+-")) > 3 or abs(int(exponent)) > MAX_EXPONENT):
            return _bad_number(text, f"a number with an exponent beyond ±{MAX_EXPONENT}", "no figure is that large or small")
        mantissa = text if exponent is None else text[:m.start(1) - 1]
        if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS:
            return _bad_number(text, f"a number of more than {MAX_DIGITS} digits", "no figure has that many")
        return Decimal(text)
    if _LEADING_ZERO.fullmatch(text):
        return _bad_number(text, "a number with a leading zero (octal in YAML 1.1)", _DECIMAL_ADVICE)
    if _HEX.fullmatch(text):
        return _bad_number(text, "a hexadecimal number", _DECIMAL_ADVICE)
    if _OCTAL.fullmatch(text):
        return _bad_number(text, "an octal number", _DECIMAL_ADVICE)
    if _BINARY.fullmatch(text):
        return _bad_number(text, "a binary number (YAML 1.1)", _DECIMAL_ADVICE)
    if _SEXAGESIMAL.fullmatch(text):
        return _bad_number(text, f"a base-60 number ({_sexagesimal(text)} in YAML 1.1, text in YAML 1.2)",
                           _DECIMAL_ADVICE)
    if _SPECIAL.fullmatch(text):
        what = "not a number (NaN)" if "n" in text.lower().replace("inf", "") else "infinite"
        return _bad_number(text, what, "write a finite decimal number")
    if _DATE.fullmatch(text):
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError as exc:
            bad = BadDate(text)
            bad.problem = f"'{text}' is not a valid date ({exc})"
            return bad
    if _DATETIME.fullmatch(text):
        bad = BadDate(text)
        bad.problem = f"'{excerpt(text)}' is a date with a time: write the date alone (YYYY-MM-DD)"
        return bad
    return text


# -- reading ------------------------------------------------------------------------------------

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
    except IsADirectoryError:
        raise InputErrors([Problem(shown, 0, "this is a folder, not a file")]) from None
    except OSError as exc:
        raise InputErrors([Problem(shown, 0, f"cannot read the file: {exc.strerror or exc}")]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputErrors([Problem(shown, line, "the file is not UTF-8 (save it as UTF-8)")]) from None
    problems = _forbidden_characters(text, shown)
    if problems:
        raise InputErrors(problems)
    if not LIBYAML:  # pragma: no cover - the pure-Python parser reads text
        return _load(text, shown)
    del text  # libyaml reads the UTF-8 bytes: one copy of the file in memory, not two
    return _load(raw, shown)


def load_yaml_text(text: str, shown: str) -> Any:
    """Parse YAML text (see load_yaml and the module's docstring)."""
    problems = _forbidden_characters(text, shown)
    if problems:
        raise InputErrors(problems)
    return _load(text.encode("utf-8") if LIBYAML else text, shown)


# The characters YAML allows in a file (YAML 1.2, 5.1); any other is reported with its line.
_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _forbidden_characters(text: str, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    lines_seen = 0
    last_line = 0
    for m in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if line == last_line:
            continue
        last_line = line
        lines_seen += 1
        if lines_seen <= MAX_PROBLEMS:
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            problems.append(Problem(shown, line, f"control character U+{ord(m.group()):04X} (column {column}) is not "
                                                 "allowed in a YAML file: remove it (in a double-quoted string, "
                                                 "write it as an escape such as \\t)"))
    if lines_seen > MAX_PROBLEMS:
        problems.append(Problem(shown, last_line, f"… and {lines_seen - MAX_PROBLEMS} more lines with control "
                                                  "characters (the last one here)"))
    return problems


def _load(source: str | bytes, shown: str) -> Any:
    parser = _Parser(source)
    _LAST.count += 1
    builder = _Builder(shown, _LAST.count)
    try:
        data = builder.build(parser.get_event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else builder.line or 1
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.problem and exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            # e.g. an unclosed bracket: say where the construct began, not only where parsing stopped
            message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        raise InputErrors([Problem(shown, line, message)]) from None
    except yaml.reader.ReaderError as exc:  # pragma: no cover - control characters are refused before
        data = source if isinstance(source, bytes) else source.encode("utf-8")
        line = data[: max(exc.position, 0)].count(b"\n") + 1
        raise InputErrors([Problem(shown, line, f"invalid YAML: {exc.reason}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error has a mark
        raise InputErrors([Problem(shown, builder.line or 1, f"invalid YAML: {excerpt(str(exc), 200)}")]) from None
    finally:
        parser.dispose()
    if builder.problems:
        raise InputErrors(builder.problems)
    if len(_LAST.documents) > 1000:  # a long-running process (the web server) reads many files
        _LAST.documents.clear()
        _LAST.roots.clear()
    _LAST.documents[shown] = builder.doc
    if isinstance(data, (LineDict, LineList)):
        _LAST.roots.pop(shown, None)
    else:  # a file that is one value: a reader complaining about it names its line
        _LAST.roots[shown] = (data, builder.root_line)
    _LAST.read = (data, builder.root_line, builder.doc)
    return data


class _Refused(Exception):
    """A limit passed while building (depth, aliases): the problem is in builder.problems."""


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _tag_name(tag: str) -> str:
    return excerpt("!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag)


class _Builder:
    """Line-numbered objects from the parser's events, with an explicit stack (no recursion)."""

    def __init__(self, shown: str, doc: int):
        self.shown = shown
        self.doc = doc
        self.problems: list[Problem] = []
        self.line = 0  # the line of the last event, for errors without a mark
        self.root_line = 1
        self.tag_lines = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message))

    def build(self, get_event) -> Any:
        try:
            return self._build(get_event)
        except _Refused:
            return None

    def _build(self, get_event) -> Any:  # noqa: C901 - one loop over the events, kept flat for speed
        plain_cache: dict[str, Any] = {}
        quoted_cache: dict[str, str] = {}
        layouts: dict[tuple, tuple] = {}
        anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, values it holds, line)
        building: set[str] = set()
        alias_nodes = 0
        doc = self.doc
        # a frame: [object, is_mapping, pending key or _MISSING, key line, anchor, size, line,
        #           key lines (mapping) or item lines (sequence), merges]
        stack: list[list] = []
        frame: list | None = None  # stack[-1]
        root: Any = None
        documents = 0
        Scalar, MappingStart, SequenceStart, MappingEnd, SequenceEnd = (  # noqa: N806 - locals are faster
            ScalarEvent, MappingStartEvent, SequenceStartEvent, MappingEndEvent, SequenceEndEvent)
        missing, new_dict, new_list, new_array = _MISSING, LineDict, LineList, array
        while True:
            event = get_event()
            cls = type(event)
            if cls is Scalar:
                line = event.start_mark.line + 1
                text = event.value
                merge = False
                if event.tag is not None:
                    value: Any = self.tagged(line, event.tag, text)
                elif event.implicit[0]:
                    value = plain_cache.get(text, missing)
                    if value is missing:
                        value = resolve_plain(text)
                        if len(text) <= 64 and len(plain_cache) < _CACHED:
                            plain_cache[text] = value
                    merge = text == "<<"
                elif len(text) <= 64 and len(quoted_cache) < _CACHED:
                    value = quoted_cache.setdefault(text, text)
                else:
                    value = text
                size = 1
                if event.anchor is not None:
                    self.anchor(anchors, event.anchor, value, 1, line)
            elif cls is MappingStart or cls is SequenceStart:
                line = event.start_mark.line + 1
                self.line = line
                if event.tag is not None and event.tag != (_MAP if cls is MappingStart else _SEQ):
                    self.explicit_tag(line, event.tag)
                if len(stack) >= MAX_DEPTH:
                    self.problem(line, f"nesting deeper than {MAX_DEPTH} levels: a file of budget data needs a few")
                    raise _Refused
                if event.anchor is not None:
                    building.add(event.anchor)
                if cls is MappingStart:
                    mapping = new_dict()
                    mapping.doc = doc
                    frame = [mapping, True, missing, 0, event.anchor, 1, line, [], None]
                else:
                    frame = [new_list(), False, None, 0, event.anchor, 1, line, new_array("L"), None]
                stack.append(frame)
                continue
            elif cls is MappingEnd or cls is SequenceEnd:
                done = stack.pop()
                frame = stack[-1] if stack else None
                value, size, line = done[0], done[5], done[6]
                value.line = line
                if done[1]:
                    if done[8]:
                        self.merge(value, done[7], done[8])
                    offsets = tuple(kl - line for kl in done[7])
                    if any(offsets):
                        keys = tuple(value)
                        layout = layouts.get((keys, offsets))
                        if layout is None:
                            layout = layouts[(keys, offsets)] = ({k: i for i, k in enumerate(keys)}, offsets)
                        value.key_lines = layout
                else:
                    value.item_lines = done[7]
                if done[4] is not None:
                    building.discard(done[4])
                    self.anchor(anchors, done[4], value, size, line)
            elif cls is AliasEvent:
                line = event.start_mark.line + 1
                merge = False
                found = anchors.get(event.anchor)
                if found is None:
                    what = "refers to the list or mapping that contains it" if event.anchor in building else \
                        "has no anchor of that name before it"
                    self.problem(line, f"invalid YAML: the alias '*{excerpt(event.anchor)}' {what}")
                    raise _Refused
                value, size = found[0], found[1]
                alias_nodes += size
                if alias_nodes > MAX_ALIAS_NODES:
                    self.problem(line, f"the aliases of this file expand to more than {_thousands(MAX_ALIAS_NODES)} "
                                       f"values (this one, '*{excerpt(event.anchor)}', to {_thousands(size)}): an "
                                       "alias may repeat a block, not multiply the file")
                    raise _Refused
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line = event.start_mark.line + 1
                    self.problem(line, "invalid YAML: a second document starts here: a file holds one document "
                                       "(remove the '---' line and what follows, or the one above)")
                    raise _Refused
                continue
            elif cls is StreamEndEvent:
                return root
            else:  # StreamStartEvent, DocumentEndEvent
                continue
            # attach `value` (its `size` values, first written at `line`) to its parent
            if frame is None:
                root = value
                self.root_line = line
                continue
            frame[5] += size
            if not frame[1]:
                frame[0].append(value)
                frame[7].append(line)
            elif frame[2] is missing:
                frame[3] = line
                frame[2] = value if type(value) is str and not merge else \
                    _MERGE if merge else self.key(value, line)
            else:
                key = frame[2]
                frame[2] = missing
                if key is _SKIP:
                    continue
                if key is _MERGE:
                    frame[8] = (frame[8] or []) + self.merge_sources(value, line)
                    continue
                mapping = frame[0]
                if key in mapping:
                    self.problem(frame[3], f"duplicate key '{excerpt(key)}'")
                    continue
                mapping[key] = value
                frame[7].append(frame[3])

    # -- helpers of build --------------------------------------------------------------------------
    def tagged(self, line: int, tag: str, text: str) -> Any:
        """A scalar with a tag: its text for !!str; for !!int, !!float, !!bool and !!null the plain
        reading of the text when it is of that kind (a BadNumber counts as a number: its reader reports
        it); any other tag, or a text of another kind, is refused."""
        if tag == _STR:
            return text
        kind = _SCALAR_TAGS.get(tag)
        if kind is None:
            self.explicit_tag(line, tag)
            return text
        value = resolve_plain(text)
        if kind(value):
            return Decimal(value) if tag == _FLOAT_TAG and type(value) is int else value
        self.explicit_tag(line, tag, f" ('{excerpt(text)}' does not read as one)")
        return text

    def explicit_tag(self, line: int, tag: str, why: str = "") -> None:
        self.tag_lines += 1
        if self.tag_lines <= MAX_PROBLEMS:
            self.problem(line, f"explicit YAML tag '{_tag_name(tag)}' is not allowed{why}: write the value without "
                               "a tag (quote it to make it text)")
        elif self.tag_lines == MAX_PROBLEMS + 1:
            self.problem(line, "… and more explicit tags (not reported)")

    def anchor(self, anchors: dict, name: str, value: Any, size: int, line: int) -> None:
        if name in anchors:
            self.problem(line, f"invalid YAML: the anchor '&{excerpt(name)}' is defined twice (first at line "
                               f"{anchors[name][2]})")
        anchors[name] = (value, size, line)

    def key(self, key: Any, line: int) -> Any:
        """A mapping key as the readers see it; _SKIP when it cannot be one."""
        if isinstance(key, (LineDict, LineList)):  # "? [a, b]: x" — a key must be a plain value
            self.problem(line, "a key must be a plain word or number, not a list or mapping")
            return _SKIP
        if isinstance(key, Decimal):
            return str(key)
        return key

    def merge_sources(self, value: Any, line: int) -> list:
        """`<<: *base` or `<<: [*a, *b]`: the mappings whose keys are merged (YAML merge keys)."""
        sources = value if isinstance(value, LineList) else [value]
        if not all(isinstance(s, LineDict) for s in sources):
            self.problem(line, "'<<' (merge) takes a mapping or a list of mappings, e.g. <<: *defaults")
            return []
        return list(sources)

    @staticmethod
    def merge(mapping: LineDict, key_lines: list, sources: list) -> None:
        """Merged keys come after the mapping's own, which win; earlier sources win over later ones."""
        for source in sources:
            for key, value in dict.items(source):
                if key not in mapping:
                    mapping[key] = value
                    key_lines.append(source.line_of(key))


_SKIP = object()
_MERGE = object()
_CACHED = 100_000  # distinct short scalars shared per file (keys, codes, years: the repeated ones come early)
_CORE = "tag:yaml.org,2002:"
_STR, _FLOAT_TAG, _MAP, _SEQ = _CORE + "str", _CORE + "float", _CORE + "map", _CORE + "seq"
_SCALAR_TAGS = {
    _CORE + "int": lambda v: (type(v) is int) or (isinstance(v, BadNumber)),
    _FLOAT_TAG: lambda v: type(v) in (int, Decimal) or isinstance(v, BadNumber),
    _CORE + "bool": lambda v: type(v) is bool,
    _CORE + "null": lambda v: v is None,
}


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
    if isinstance(value, (int, Decimal)):
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
