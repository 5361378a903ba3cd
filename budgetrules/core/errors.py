"""The error model of every input: a `Problem` names file, line and message; `InputErrors` carries
all the problems of one or more files (exit code 2); `nearest`/`unknown_message` give "did you mean".

A message quotes at most a short excerpt of a bad value (`excerpt`: EXCERPT characters, then "…"):
a 1 MB value gives a one-line message, not a 1 MB one."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable

EXCERPT = 40
"""The most characters of a user's value that a message quotes."""
MESSAGE_MAX = 600
"""A message longer than this has its long words and quoted values shortened to an excerpt."""

_LONG_QUOTED = re.compile(r"'[^'\n]{%d,}'|\"[^\"\n]{%d,}\"" % (EXCERPT + 2, EXCERPT + 2))
_LONG_WORD = re.compile(r"\S{%d,}" % (2 * EXCERPT + 2))


def excerpt(text: object, limit: int = EXCERPT) -> str:
    """`text` as a message may quote it: its first `limit` characters, then "…" when it is longer;
    line breaks and other control characters shown as escapes so that a message stays one line."""
    text = text if isinstance(text, str) else str(text)
    cut = text[:limit + 1]
    if any(_acts(ch) for ch in cut):  # C0 and C1 controls, DEL, bidirectional overrides: escaped, the rest kept
        cut = "".join(ch.encode("unicode_escape").decode("ascii") if _acts(ch) else ch for ch in cut)
    return cut[:limit] + "…" if len(cut) > limit or len(text) > limit else cut


def _acts(ch: str) -> bool:
    """A character that would act on a terminal or reorder the text around it rather than show."""
    return ch < " " or "\x7f" <= ch <= "\x9f" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"


def _shorten(message: str) -> str:
    """The safety net of messages built elsewhere with a whole value in them (`{value!r}`)."""
    if len(message) <= MESSAGE_MAX:
        return message
    message = _LONG_QUOTED.sub(lambda m: m.group()[0] + excerpt(m.group()[1:-1]) + m.group()[-1], message)
    message = _LONG_WORD.sub(lambda m: excerpt(m.group(), 2 * EXCERPT), message)
    return message if len(message) <= MESSAGE_MAX else message[:MESSAGE_MAX] + "…"


@dataclass(frozen=True)
class Problem:
    """One input error: where it is and what is wrong (a message over MESSAGE_MAX characters has the
    values it quotes cut to an excerpt)."""

    file: str
    line: int
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_MAX:
            object.__setattr__(self, "message", _shorten(self.message))

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}: {self.message}"


class InputErrors(Exception):
    """All the problems of one or more input files (exit code 2)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The closest valid word, for "did you mean" messages (none for a word far longer than any)."""
    candidates = [str(c) for c in candidates]
    if len(str(word)) > 2 * max((len(c) for c in candidates), default=0) + 8:
        return None
    found = difflib.get_close_matches(str(word), candidates, n=1, cutoff=0.5)
    if found:
        return found[0]
    low = {c.lower(): c for c in candidates}
    return low.get(str(word).lower())


def unknown_message(kind: str, word: object, candidates: Iterable[str]) -> str:
    """"unknown key 'ammount' — did you mean 'amount'?" (or the list of valid words)."""
    candidates = sorted(str(c) for c in candidates)
    near = nearest(str(word), candidates)
    if near:
        return f"unknown {kind} '{excerpt(word)}' — did you mean '{near}'?"
    shown = ", ".join(candidates[:12]) + (", …" if len(candidates) > 12 else "")
    return f"unknown {kind} '{excerpt(word)}' (valid: {shown})"
