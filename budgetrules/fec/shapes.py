"""What the reader and the block workers exchange: how to read the blocks of one file (`Spec`, found
from its header), what one block gives back (`BlockOut`), and the codes both sides use.

A block is whole lines of one FEC file (article A47 A-1 of the Livre des procédures fiscales), cut
between two entries; its line numbers count from 1 in the block (the reader adds the block's base).
`Spec` and `BlockOut` are pickled to and from the worker processes (`_block.serve`). Amounts are
integer cents (int64 in a block while its sums cannot overflow, else Int128). Polars and numpy are
not imported here: the reader loads this module before them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

# kinds of a malformed line, in the order a line is judged (its first problem names it)
OK, K_COLUMNS, K_ENTRY, K_DATE, K_ACCOUNT, K_AMOUNT = 0, 1, 2, 3, 4, 5
KIND_NAMES = {K_COLUMNS: "columns", K_ENTRY: "entry", K_DATE: "date", K_ACCOUNT: "account", K_AMOUNT: "amount"}
# what becomes of a run (consecutive lines of one entry)
NORMAL, CLOSING, OPENING, PENDING = 0, 1, 2, 3

# the columns of the lines of a block, once parsed and checked (lines.py), as entries.judge_runs takes them
ROW_COLUMNS = ["line", "j", "num", "date", "date_text", "acc", "aux", "cents", "kind"]


class NotUtf8(Exception):
    """The block is not valid UTF-8: the reader finds the line and decides (ISO-8859-15, or refused)."""


@dataclass
class Spec:
    """How to read the blocks of one file (found from its header by the reader)."""

    sep: str
    eol: str
    ncols: int  # named columns in the header
    trailing: bool  # the header ends with a separator: each line has one more, empty, field
    index: dict[str, int]  # j, num, date, acc, aux, a1, a2 -> column
    sens: bool  # Montant/Sens rather than Debit/Credit
    latin9: bool  # ISO-8859-15: transcoded to UTF-8 before parsing
    max_errors: int


@dataclass
class BlockOut:
    """What one block gives back: its counts, its malformed lines, the cells of the entries counted, the
    entries excluded or written twice in a row, and the lines of the entries it cannot judge alone."""

    lines: int = 0
    blank: int = 0
    rows: int = 0  # lines that are not blank
    bad_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bad: pl.DataFrame | None = None  # the first max_errors malformed lines, with their fields
    cells: pl.DataFrame | None = None  # acc, date, cents, rows, first: kept lines of NORMAL runs
    runs: pl.DataFrame | None = None  # entries counted: ek (key hash), fp (lines hash), first (line)
    excluded: pl.DataFrame | None = None  # closing and opening entries: ek, fp, first, n, j, num, kind, debit, date
    kept_rows: int = 0
    analytic: tuple[int, int] = (0, 0)  # lines of class 9 in the entries counted, their debit − credit
    detail: tuple[pl.DataFrame, pl.DataFrame] | None = None  # runs and lines counted, when asked
    bound: int = 0  # |largest amount| × lines: the most a sum of this block's cents can reach
    doubled: list[tuple] = field(default_factory=list)  # (first line, lines a copy, j, num, date, debit): twice
    pending: pl.DataFrame | None = None  # lines of runs that do not balance alone or hold a malformed line
    non_ascii: bool = False
