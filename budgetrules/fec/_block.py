"""One block of FEC lines, from its bytes to its sums: the worker of `reader.read_fec`.

A block is whole lines of one file, cut between two entries by the reader (cut.py). `process` parses
and checks its lines (lines.py), judges its entries (entries.py) and sums the kept lines per
(account, date) in integer cents; it returns a `shapes.BlockOut`. Line numbers here count from 1 in
the block; the reader adds the block's base. Nothing here keeps state between blocks but the sums
(`CellSums`), kept where the blocks are read and sent once at the end.

This module is also the program of a worker process: the reader starts
`python -c "import budgetrules.fec._block as block; block.serve()"` (workers.py), which reads
requests on its standard input and answers on its standard output (`serve`)."""
from __future__ import annotations

import polars as pl

from .cut import read_block
from .entries import judge_runs
from .lines import check_lines
from .shapes import BlockOut, Spec


def process(data: bytes, spec: Spec, detail: bool = False, sums: CellSums | None = None, file: int = 0,
            block: int = 0) -> BlockOut:
    """The block `data` (bytes) read with `spec`: its lines checked, its entries judged, the cells of the
    entries counted in `out.cells`, or added to `sums` (then `out.cells` is None) as file `file`, block
    `block`. `detail`: keep the runs and lines counted, to take an entry out again (a duplicate)."""
    out = BlockOut(non_ascii=not data.isascii())
    rows = check_lines(data, spec, out)
    if rows is None:
        return out
    judge_runs(rows, out, detail=detail)
    return _keep_cells(out, sums, file, block)


class CellSums:
    """Debit − credit per (file, account, date) over many blocks, kept where the blocks are read: the
    first line as (block << 32) | line in the block, whose minimum is the first in file order before
    the blocks' first line numbers are known (the reader adds them at the end)."""

    def __init__(self) -> None:
        self.parts: list[pl.DataFrame] = []
        self.bound = 0  # the most a sum can reach: int64 while below 2^62

    def add(self, cells: pl.DataFrame, file: int, block: int, bound: int) -> None:
        self.bound += bound
        self.parts.append(cells.select(
            "acc", "date", file=pl.lit(file, pl.UInt16), cents="cents",
            rows=pl.col("rows").cast(pl.Int64), pos=pl.lit(block << 32, pl.UInt64) + pl.col("first").cast(pl.UInt64)))
        if len(self.parts) >= 4:  # often: fewer rows at once, a lower peak (16: +40 MB a worker)
            self.parts = [self.total()]

    def total(self) -> pl.DataFrame:
        """The sums so far; in int64 while they cannot overflow, else Int128 (the type of the result)."""
        if not self.parts:
            return pl.DataFrame(schema={"acc": pl.String, "date": pl.Date, "file": pl.UInt16, "cents": pl.Int128,
                                        "rows": pl.Int64, "pos": pl.UInt64})
        wide = self.bound >= 1 << 62
        parts = [p.with_columns(pl.col("cents").cast(pl.Int128 if wide else pl.Int64)) for p in self.parts]
        return pl.concat(parts).group_by("acc", "date", "file").agg(
            pl.col("cents").sum().cast(pl.Int128 if wide else pl.Int64), pl.col("rows").sum(), pl.col("pos").min())


def _keep_cells(out: BlockOut, sums: CellSums | None, file: int, block: int) -> BlockOut:
    if sums is not None and out.cells is not None:
        if out.cells.height:
            sums.add(out.cells, file, block, out.bound)
        out.cells = None
    return out


def serve() -> None:
    """The loop of a worker process (workers.Workers): read (path, offset, size, spec, file, block)
    requests pickled on stdin, answer each in order on stdout with ("ok", BlockOut) or ("error",
    exception); the cells of the blocks are summed here and sent once stdin ends, as ("cells",
    DataFrame). Each answer is a pickle preceded by its length (8 bytes, little-endian)."""
    import os
    import pickle
    import sys

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sums = CellSums()

    def send(answer: tuple) -> None:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(len(data).to_bytes(8, "little") + data)
        stdout.flush()

    while True:
        try:
            path, offset, size, spec, file, block = pickle.load(stdin)
        except EOFError:
            send(("cells", sums.total()))
            if os.environ.get("FEC_REPORT_PEAK"):  # for the benchmark: this process's own peak memory
                with open("/proc/self/status") as status:
                    peak = next(line for line in status if line.startswith("VmHWM:")).split()[1]
                print(f"fec worker peak kB: {peak}", file=sys.stderr, flush=True)
            return
        try:
            send(("ok", process(read_block(path, offset, size), spec, sums=sums, file=file, block=block)))
        except Exception as exc:  # noqa: BLE001 - raised again in the reader
            send(("error", exc))
