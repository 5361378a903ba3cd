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
- Explicit tags are refused, every one (`!!str 5`, `!!float 1`, `!!int x`, `!!map {…}`, `!!python/…`,
  `!anything`): a file says what a value is by how it is written (quoted, it is text), not by a tag.
  fundwrite.dump_fund writes none.
- Anchors and aliases work (an alias is the same object as its anchor, never a copy) and so do merge
  keys (`<<: *defaults`), but all the aliases of a file may add at most MAX_ALIAS_NODES values to
  what is written (an "alias bomb" of nested anchors is refused at the alias that passes the bound);
  nesting is limited to MAX_DEPTH levels.
- Control characters (NUL, escape, …) are refused with their line and column, and so is text that an
  escape in double quotes ("\\x1b[31m", "\\e", "\\r") gives one (collect.control_problem): it would act on
  the terminal or the report that prints it.

The objects are built straight from the parser's events (libyaml's when present), without PyYAML's
node graph: memory is the values themselves, with the key lines of a mapping kept as a small tuple
shared by every mapping of the same keys and layout (benchmarks/scenario_memory.py)."""
from __future__ import annotations

import re
from array import array
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent)

from ..core.errors import InputErrors, Problem, excerpt, nearest, unknown_message  # noqa: F401  (re-exported for readers)
from .yamlobjects import _LAST, _MISSING, LineDict, LineList, _rebuild_dict, _rebuild_list, last_read  # noqa: F401
from .collect import (CONTROL_IN_TEXT, TEXT_CHARACTERS, Collector, control_problem, display_path,  # noqa: F401
                      kind_of, line_of)
from .yamlscalars import MAX_DIGITS, MAX_EXPONENT, BadDate, BadNumber, resolve_plain  # noqa: F401  (re-exported)

MAX_DEPTH = 100
"""The deepest nesting of lists and mappings a file may have (the bundled files use 5)."""
MAX_ALIAS_NODES = 1_000_000
"""The most values (scalars, lists and mappings) that the aliases of one file may add to what is
written: a file's own values are bounded by its size, and this bounds what it may expand to."""
MAX_PROBLEMS = 20
"""Control characters or tags: at most this many lines reported, then a count of the others."""

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available: ten times faster
_Loader = _Parser  # the name tests use to know which parser (and so which syntax messages) is at work
LIBYAML = _Parser is not yaml.SafeLoader


# -- reading ------------------------------------------------------------------------------------

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
    text = utf8_text(raw, shown)
    problems = _forbidden_characters(text, shown)
    if problems:
        raise InputErrors(problems)
    if not LIBYAML:  # pragma: no cover - the pure-Python parser reads text
        return _load(text, shown)
    del text  # libyaml reads the UTF-8 bytes: one copy of the file in memory, not two
    return _load(raw, shown)


def utf8_text(raw: bytes, shown: str, what: str = "the file") -> str:
    """The text of UTF-8 bytes (a byte-order mark dropped); otherwise an input error at the line of the
    first byte that is not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputErrors([Problem(shown, line, f"{what} is not UTF-8 (save it as UTF-8)")]) from None


def load_yaml_text(text: str, shown: str) -> Any:
    """Parse YAML text (see load_yaml and the module's docstring)."""
    problems = _forbidden_characters(text, shown)
    if problems:
        raise InputErrors(problems)
    return _load(text.encode("utf-8") if LIBYAML else text, shown)


# The characters YAML allows in a file (YAML 1.2, 5.1); any other is reported with its line.
_FORBIDDEN = re.compile(f"[^\x0d{TEXT_CHARACTERS}]")


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
        self.counts: dict[str, int] = {}  # problems reported by `limited`, by kind

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
                if event.tag is not None:  # refused; the text stands in for the value meanwhile
                    self.explicit_tag(line, event.tag)
                    value: Any = text
                elif event.implicit[0]:
                    value = plain_cache.get(text, missing)
                    if value is missing:
                        value = resolve_plain(text)
                        if len(text) <= 64 and len(plain_cache) < _CACHED:
                            plain_cache[text] = value
                    merge = text == "<<"
                elif event.style == '"' and CONTROL_IN_TEXT.search(text):  # an escape such as "\x1b[31m"
                    key = frame[2] if frame is not None and frame[1] else None
                    where = "a key: " if key is missing else f"{excerpt(key)}: " if type(key) is str else ""
                    self.limited("texts with control characters", line, where + control_problem(text))
                    value = text
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
                if event.tag is not None:
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
    def explicit_tag(self, line: int, tag: str) -> None:
        self.limited("explicit tags", line, f"explicit YAML tag '{_tag_name(tag)}' is not allowed: write the value "
                                            "without a tag (quote it to make it text)")

    def limited(self, kind: str, line: int, message: str) -> None:
        """A problem of a kind a file may repeat (tags, control characters): the first MAX_PROBLEMS are
        reported, then one line says there are more."""
        count = self.counts[kind] = self.counts.get(kind, 0) + 1
        if count <= MAX_PROBLEMS:
            self.problem(line, message)
        elif count == MAX_PROBLEMS + 1:
            self.problem(line, f"… and more {kind} (not reported)")

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
