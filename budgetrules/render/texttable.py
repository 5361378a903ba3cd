"""Plain-text and markdown tables, small and fast to import (the cold start of `budgetrules run`
is part of the product): 'simple' (aligned columns under a dashed rule) and 'pipe' (markdown)."""
from __future__ import annotations

import re
import textwrap
from typing import Sequence

# an amount "7 870 000,00 €" is one word for the wrapping: its spaces are held together while wrapping
_AMOUNT_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)|(?<=\d) (?=€)")
_HOLD = "\u00a0"


def _lines(cell: object, width: int | None) -> list[str]:
    text = "" if cell is None else str(cell)
    if width is None or len(text) <= width:
        return text.split("\n")
    out: list[str] = []
    for part in text.split("\n"):
        held = _AMOUNT_SPACE.sub(_HOLD, part)
        out += [piece.replace(_HOLD, " ") for piece in textwrap.wrap(held, width)] or [""]
    return out


def render(rows: Sequence[Sequence[object]], headers: Sequence[str], fmt: str = "simple",
           align: Sequence[str] | None = None, widths: dict[int, int] | None = None) -> str:
    """A table of `rows` under `headers`; `align` per column ('left'/'right'); `widths` wraps long
    cells of a column (text tables only). Leading spaces of cells are kept (the COG's indentation).
    Columns are at least two characters wider than their header, as tabulate lays them out."""
    n = len(headers)
    align = list(align or ["left"] * n)
    rows = [list(row) + [""] * (n - len(row)) for row in rows]  # a short row leaves its last cells empty
    if fmt == "pipe":
        cells = [[str("" if c is None else c).replace("\n", " ") for c in row] for row in rows]
        w = [max([len(headers[i]) + 2] + [len(r[i]) for r in cells] + [3]) for i in range(n)]
        def fmt_row(r: Sequence[str]) -> str:
            return "| " + " | ".join(r[i].rjust(w[i]) if align[i] == "right" else r[i].ljust(w[i])
                                     for i in range(n)) + " |"
        rule = "|" + "|".join((("-" * (w[i] + 1)) + ":" if align[i] == "right" else ":" + "-" * (w[i] + 1))
                              for i in range(n)) + "|"
        return "\n".join([fmt_row(list(headers)), rule] + [fmt_row(r) for r in cells])
    widths = widths or {}
    wrapped = [[_lines(row[i], widths.get(i)) for i in range(n)] for row in rows]
    w = [max([len(headers[i]) + 2] + [len(x) for r in wrapped for x in r[i]]) for i in range(n)]
    out = ["  ".join(headers[i].rjust(w[i]) if align[i] == "right" else headers[i].ljust(w[i]) for i in range(n)),
           "  ".join("-" * w[i] for i in range(n))]
    for r in wrapped:
        height = max(len(c) for c in r)
        for k in range(height):
            parts = []
            for i in range(n):
                text = r[i][k] if k < len(r[i]) else ""
                parts.append(text.rjust(w[i]) if align[i] == "right" else text.ljust(w[i]))
            out.append("  ".join(parts).rstrip())
    return "\n".join(line.rstrip() for line in out)
