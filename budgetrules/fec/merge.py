"""The blocks of the FEC files merged in file order, into the totals and the report.

`Merger` receives each block's `shapes.BlockOut` in file order (`merge`), with the number of lines
before it (its base), and keeps: the cells of the entries counted (debit − credit, lines and first
line per account, date and file, in integer cents: Int128 in Polars, Python integers in the result),
the cells of the lines left out, the report (files, problems, excluded entries), and every entry
counted or excluded as (key hash, lines hash, place), spilled to temporary files, to find the
entries read twice once everything is read (duplicates.py). At the end of each file it joins the
parts of entries written apart (`finish`); what still does not balance is left out (left_out.py).
Then `fingerprints`, `deduplicate` and `books` (a `report.FecBooks`). The rules: docs/fec.md."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ..core.errors import InputErrors, Problem
from ._block import CellSums
from .duplicates import BUCKETS, Duplicates
from .entries import judge_runs
from .header import Head
from .left_out import LeftOut
from .report import Cell, Duplicate, Excluded, FecBooks, FecReport, FileReport, Key
from .shapes import CLOSING, ROW_COLUMNS, BlockOut

MAX_PENDING_RUNS = 200_000


@dataclass
class FileState:
    """One file being read: its header, its report, the blocks merged so far and what waits for its end."""

    index: int
    shown: str
    path: Path
    head: Head
    report: FileReport
    base: int = 1  # lines before the next block (the header is line 1)
    pending: list[pl.DataFrame] = field(default_factory=list)
    pending_runs: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, kind, message
    kept_rows: int = 0
    non_ascii_line: int | None = None
    blocks: list[tuple[int, int, int]] = field(default_factory=list)  # first line, offset, size
    merged: BlockOut | None = None  # entries joined at the end of the file, with their lines
    last_block: bool = False  # the block being merged is the file's last


class Merger(LeftOut, Duplicates):
    """The state of one read_fec: every file, the cells, the report; closed (its spill files removed) at
    the end."""

    def __init__(self, max_errors: int):
        self.max_errors = max_errors
        self.report = FecReport()
        self.cells: list[pl.DataFrame] = []  # (acc, date, cents, rows, first, file): corrections, joined entries
        self.sums = CellSums()  # the cells of the blocks read in this process
        self.bases: list[int] = []  # lines before each block (by block number)
        self.left: list[pl.DataFrame] = []
        self.names: list[str] = []
        self.files: list[FileState] = []
        # the entries counted (key hash, lines hash, place), 24 bytes each, spilled to one file per bucket
        # of key hashes: memory stays bounded, and at the end one bucket at a time is searched for keys
        # seen twice
        self.spill = tempfile.TemporaryDirectory(prefix="fec-entries-")
        self.buckets = [open(os.path.join(self.spill.name, f"{b:02d}"), "w+b") for b in range(BUCKETS)]

    def close(self) -> None:
        for fh in self.buckets:
            fh.close()
        self.spill.cleanup()

    # -- problems
    def problem(self, f: FileState, line: int, kind: str, message: str) -> None:
        self.report.problem_count += 1
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        if len(f.problems) < self.max_errors:
            f.problems.append((line, kind, message))

    # -- one block, in file order
    def merge(self, f: FileState, out: BlockOut, base: int) -> None:
        f.report.lines += out.lines
        f.report.rows += out.rows
        f.report.blank_lines += out.blank
        self.bad_lines(f, out, base)
        if out.pending is not None:
            f.pending.append(out.pending.with_columns(line=pl.col("line") + base))
            f.pending_runs += out.pending["run"].n_unique()
            if f.pending_runs > MAX_PENDING_RUNS:
                first = int(out.pending["line"].min()) + base
                raise InputErrors([Problem(f.shown, first, f"more than {MAX_PENDING_RUNS} entries do not balance "
                                           "on their own lines: this is not a balanced FEC with the lines of each "
                                           "entry together")])
        self.counted(f, out, base)

    def counted(self, f: FileState, out: BlockOut, base: int) -> None:
        f.kept_rows += out.kept_rows
        for first, half, j, num, day, debit in out.doubled:
            self.report.duplicates.append(Duplicate((j, num, day), (f.shown, base + first),
                                                    (f.shown, base + first + half), half, debit))
        self.report.analytic_lines += out.analytic[0]
        self.report.analytic_cents += out.analytic[1]
        if out.cells is not None and out.cells.height:
            self.cells.append(out.cells.with_columns(first=pl.col("first") + base, file=pl.lit(f.index, pl.UInt16)))

        for frame in (out.runs, out.excluded):
            if frame is None or not frame.height:
                continue
            ek = frame["ek"].to_numpy()
            place = (np.uint64(f.index) << np.uint64(40)) | (frame["first"].to_numpy().astype(np.uint64) + np.uint64(base))
            fp = frame["fp"].to_numpy()
            bucket = (ek >> np.uint64(60)).astype(np.uint8)
            order = np.argsort(bucket, kind="stable")
            bounds = np.searchsorted(bucket[order], np.arange(BUCKETS + 1))
            rows = np.stack([ek, fp, place], axis=1)[order]
            for b in range(BUCKETS):
                if bounds[b] < bounds[b + 1]:
                    self.buckets[b].write(rows[bounds[b]:bounds[b + 1]].tobytes())
        if out.excluded is not None:
            for r in out.excluded.iter_rows(named=True):
                self.report.excluded.append(Excluded("closing" if r["kind"] == CLOSING else "opening", r["j"],
                                                     r["num"], r["date"], f.shown, base + r["first"], r["n"],
                                                     r["debit"]))

    # -- the end of a file: entries whose lines were not together, or that do not balance
    def finish(self, f: FileState) -> None:
        if not f.pending:
            return
        rows = pl.concat(f.pending)
        f.pending = []
        rows = rows.with_columns(run=pl.struct("j", "num").rank("dense").cast(pl.UInt32)).sort("run", "line")
        out = BlockOut()
        judge_runs(rows.select(ROW_COLUMNS + ["run"]), out, runs_given=True, detail=True)
        f.merged = out
        self.counted(f, out, 0)
        if out.pending is not None:
            self.left_out_entries(f, out.pending)

    # -- the result
    def add_sums(self, parts: list[pl.DataFrame]) -> None:
        """The cells summed where the blocks were read, their first lines made absolute."""
        parts = [p.with_columns(pl.col("cents").cast(pl.Int128)) for p in parts if p.height]
        if not parts:
            return
        df = pl.concat(parts).group_by("file", "acc", "date").agg(
            pl.col("cents").sum(), pl.col("rows").sum(), pl.col("pos").min())
        pos = df["pos"].to_numpy()
        first = np.asarray(self.bases, np.int64)[(pos >> np.uint64(32)).astype(np.int64)] + (
            pos & np.uint64(0xFFFFFFFF)).astype(np.int64)
        self.cells.append(df.select("acc", "date", "cents", "rows", "file").with_columns(first=pl.Series(first)))

    def fingerprints(self) -> None:
        """Each file's fingerprint: 12 hex digits of the SHA-256 of its debit − credit and lines per (account,
        date), counted and left out, and of its excluded entries, taken before the entries also seen in
        another file are taken out. It depends on the file's entries alone (not on its encoding, separator,
        line ends or order of entries, nor on the other files read with it), so that scenario events made
        from a FEC can name it and `--execution` on the same books be recognised (fec/events.py)."""
        import hashlib

        texts: dict[int, list[str]] = {f.index: [] for f in self.files}
        for name, parts in (("kept", self.cells), ("left", self.left)):
            if parts:
                lines = sum_cells(parts).filter(pl.col("rows") != 0).select("file", text=pl.concat_str(
                    [pl.lit(name), pl.col("acc"), pl.col("date").dt.strftime("%Y-%m-%d"),
                     pl.col("cents").cast(pl.String), pl.col("rows").cast(pl.String)], separator="\t"))
                for file, part in lines.group_by("file"):
                    texts[int(file[0])] += part["text"].to_list()
        for e in self.report.excluded:
            texts[self.names.index(e.file)].append(f"{e.kind}\t{e.journal}\t{e.num}\t{e.date.isoformat()}\t{e.lines}"
                                                   f"\t{e.cents}")
        for f in self.files:
            digest = hashlib.sha256("\n".join(sorted(texts[f.index])).encode("utf-8")).hexdigest()
            f.report.fingerprint = digest[:12]

    def books(self) -> FecBooks:
        for f in self.files:
            f.problems.sort()
            room = self.max_errors - len(self.report.problems)
            self.report.problems.extend(Problem(f.shown, line, msg) for line, _, msg in f.problems[:max(room, 0)])
        self.report.excluded.sort(key=lambda e: (self.names.index(e.file), e.line))
        return FecBooks(self.collect(self.cells), self.collect(self.left), self.report)

    def collect(self, parts: list[pl.DataFrame]) -> dict[Key, Cell]:
        cells: dict[Key, Cell] = {}
        if not parts:
            return cells
        df = sum_cells(parts).filter(pl.col("rows") > 0).sort("file")
        names = self.names
        for acc, day, file, cents, rows, first in zip(*(df[c].to_list() for c in df.columns)):
            cell = cells.get((acc, day))
            if cell is None:
                cells[(acc, day)] = Cell(cents, rows, {names[file]: first})
                continue
            cell.cents += cents
            cell.rows += rows
            cell.sources[names[file]] = first
        return cells


def sum_cells(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Cells of several blocks summed per (account, date, file), in Int128 (exact for any file)."""
    parts = [p.select("acc", "date", pl.col("cents").cast(pl.Int128), pl.col("rows").cast(pl.Int64),
                      pl.col("first").cast(pl.Int64), pl.col("file").cast(pl.UInt16)) for p in parts]
    return pl.concat(parts).group_by("acc", "date", "file").agg(
        pl.col("cents").sum(), pl.col("rows").sum(), pl.col("first").min())
