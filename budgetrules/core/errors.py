"""The error model of every input: a `Problem` names file, line and message; `InputErrors` carries
all the problems of one or more files (exit code 2); `nearest`/`unknown_message` give "did you mean"."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One input error: where it is and what is wrong."""

    file: str
    line: int
    message: str

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
    """The closest valid word, for "did you mean" messages."""
    candidates = [str(c) for c in candidates]
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
        return f"unknown {kind} '{word}' — did you mean '{near}'?"
    shown = ", ".join(candidates[:12]) + (", …" if len(candidates) > 12 else "")
    return f"unknown {kind} '{word}' (valid: {shown})"
