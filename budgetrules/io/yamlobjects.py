"""The objects a YAML file is read into: mappings and lists that know their lines (LineDict,
LineList), short reprs for messages, and the value last read from a file (for the messages of a
reader that fails on it)."""
from __future__ import annotations

import threading
from array import array
from itertools import islice
from typing import Any

from ..core.errors import excerpt

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
