"""Entries read twice, within a file or across the files of one read: counted once, or in conflict.

An entry is identified by (JournalCode, EcritureNum, EcritureDate) and its lines (docs/fec.md,
"Entries"). Every entry counted or excluded is kept as three 64-bit integers: the hash of its key,
the hash of the multiset of its lines, and its place ((file index << 40) | first line), spilled by
`Merger.counted` to one temporary file per bucket of key hashes (`BUCKETS`, the top 4 bits): memory
stays bounded, and once everything is read each bucket is searched for keys seen twice
(`deduplicate`). The same key with the same lines: the later entry is a `report.Duplicate` (counted
where first read; its blocks are read again to take its lines out of the totals, `take_out`). The
same key with other lines: a `report.Conflict`, the later entry left out and listed as a problem
(refused with `--strict`). Amounts are integer cents."""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from ._block import process
from .cut import read_block
from .entries import cells_of
from .report import Conflict, Duplicate

if TYPE_CHECKING:
    from .merge import FileState
    from .report import FecReport

BUCKETS = 16  # the entries counted are kept by the top 4 bits of their key hash: a bucket at a time at the end


class Duplicates:
    """The methods of merge.Merger that find the entries read twice (a mixin: they use its buckets,
    names, files, report, cells, left and problem())."""

    buckets: list
    names: list[str]
    files: list[FileState]
    report: FecReport
    cells: list[pl.DataFrame]
    left: list[pl.DataFrame]

    # -- entries seen twice: within a file or across files, found once everything is read
    def deduplicate(self) -> None:
        repeats = []  # (place of the later one, place of the first, fp of both)
        for b in range(BUCKETS):
            fh = self.buckets[b]
            fh.flush()
            fh.seek(0)
            a = np.fromfile(fh, np.uint64).reshape(-1, 3)
            fh.close()
            if not len(a):
                continue
            df = pl.DataFrame({"ek": a[:, 0], "fp": a[:, 1], "place": a[:, 2]})
            del a
            dup = df.filter(pl.col("ek").is_duplicated())
            for _, group in dup.sort("place").group_by("ek", maintain_order=True):
                first = group.row(0, named=True)
                for r in group.iter_rows(named=True):
                    if r["place"] != first["place"]:
                        repeats.append((r["place"], first["place"], r["fp"] == first["fp"]))
        if not repeats:
            return
        mask = (1 << 40) - 1
        excluded = {(self.names.index(e.file) << 40) | e.line: e for e in self.report.excluded}
        by_file: dict[int, list] = {}
        for later, first, same in sorted(repeats):
            kept_place = (self.names[first >> 40], first & mask)
            if later in excluded:  # not counted anyway: only reported
                e = excluded.pop(later)
                key = (e.journal, e.num, e.date)
                if same:
                    self.report.duplicates.append(Duplicate(key, kept_place, (e.file, e.line), e.lines, e.cents))
                else:
                    self.report.conflicts.append(Conflict(key, kept_place, (e.file, e.line)))
                    self.problem(self.files[later >> 40], e.line, "conflict",
                                 f"entry {e.journal} {e.num} of {e.date:%d/%m/%Y} ({e.lines} line(s)) has the key of "
                                 f"the entry at {kept_place[0]}:{kept_place[1]} but other lines")
                continue
            by_file.setdefault(later >> 40, []).append((later & mask, kept_place, same))
        self.report.excluded = list(excluded.values())
        for index, items in by_file.items():
            self.take_out(self.files[index], items)

    def take_out(self, f: FileState, items: list[tuple[int, tuple[str, int], bool]]) -> None:
        """Take entries found again out of the totals: read their blocks again to find their lines."""
        wanted = {line: (kept, same) for line, kept, same in items}
        sources = []
        starts = [b[0] for b in f.blocks]
        for line in sorted(wanted):
            i = bisect.bisect_right(starts, line) - 1
            if i >= 0 and line < (f.blocks[i + 1][0] if i + 1 < len(f.blocks) else f.base):
                sources.append(i)
        outs = []
        for i in sorted(set(sources)):
            first, offset, size = f.blocks[i]
            out = process(read_block(f.path, offset, size), f.head.spec, detail=True)
            outs.append((out, first - 1))
        if f.merged is not None and f.merged.detail is not None:
            outs.append((f.merged, 0))
        for out, base in outs:
            runs, rows = out.detail
            runs = runs.with_columns(first=pl.col("first") + base).filter(pl.col("first").is_in(list(wanted)))
            for r in runs.iter_rows(named=True):
                kept, same = wanted.pop(r["first"])
                lines = rows.filter(pl.col("run") == r["run"]).with_columns(line=pl.col("line") + base)
                counted = lines.filter(pl.col("acc") < "9")
                minus = cells_of(counted).with_columns(cents=pl.lit(0, pl.Int128) - pl.col("cents"),
                                                          rows=-pl.col("rows").cast(pl.Int64),
                                                          first=pl.lit(None, pl.UInt32), file=pl.lit(f.index, pl.UInt16))
                self.cells.append(minus.with_columns(first=pl.col("first").cast(pl.Int64)))
                an = lines.filter(pl.col("acc") >= "9")
                self.report.analytic_lines -= an.height
                self.report.analytic_cents -= int(an["cents"].cast(pl.Int128).sum() or 0)
                f.kept_rows -= counted.height
                key = (r["j"], r["num"], r["date"])
                if same:
                    debit = int(counted["cents"].cast(pl.Int128).clip(lower_bound=0).sum() or 0)
                    self.report.duplicates.append(Duplicate(key, kept, (f.shown, r["first"]), r["n"], debit))
                    continue
                self.report.conflicts.append(Conflict(key, kept, (f.shown, r["first"])))
                self.left.append(cells_of(counted).with_columns(file=pl.lit(f.index, pl.UInt16)))
                f.report.left_out_lines += r["n"]
                self.report.left_out_lines += r["n"]
                self.problem(f, r["first"], "conflict",
                             f"entry {r['j']} {r['num']} of {r['date']:%d/%m/%Y} ({r['n']} line(s)) has the key of the "
                             f"entry at {kept[0]}:{kept[1]} but other lines: it is left out, the first one is counted")
        if wanted:
            raise RuntimeError(f"internal: entries at lines {sorted(wanted)} of {f.shown} not found again")
