"""Where the blocks are read: in this process (`Inline`), or in worker processes beside it (`Workers`).

Both take a request, (path, offset, size, spec, file, block), and give back something with `done()`
and `result()` (a `shapes.BlockOut`, or the exception the block raised): `Done` for a block read here
at once, `Pending` for a block sent to a worker, `Ready` for a result known already. A worker is
`python -c "import budgetrules.fec._block as block; block.serve()"` (the installed package's module):
requests are pickled to its standard input, each answer comes back on its standard output as a
pickle preceded by its length (8 bytes, little-endian), in the order the requests were sent; when
its input is closed it sends the sums of the cells of all its blocks (`_block.CellSums`). A worker
that stops raises RuntimeError when its answer is wanted. Nothing here imports Polars: the workers
are started before this process imports it."""
from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
from collections import deque
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import polars as pl

    from .shapes import BlockOut


class Done:
    """The result of a block read in this process."""

    def __init__(self, fn: Callable, request: tuple):
        try:
            self.value, self.error = fn(request), None
        except Exception as exc:  # noqa: BLE001 - raised again by result()
            self.value, self.error = None, exc

    def done(self) -> bool:
        return True

    def result(self) -> BlockOut:
        if self.error is not None:
            raise self.error
        return self.value


class Inline:
    """Runs each block at once in this process (a small file: no worker processes to start)."""

    local: Callable

    def submit(self, request: tuple) -> Done:
        return Done(self.local, request)

    def finish(self) -> list:
        return []

    def __enter__(self) -> Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def reap(self) -> None:
        pass


class Pending:
    """A block sent to a worker process; its answer is read in the order the blocks were sent."""

    def __init__(self, workers: Workers, slot: int):
        self.workers, self.slot, self.answer = workers, slot, None

    def done(self) -> bool:
        if self.answer is None and self.workers.first[self.slot] is self:
            pipe = self.workers.procs[self.slot].stdout
            if select.select([pipe], [], [], 0)[0]:
                self.result_or_error()
        return self.answer is not None

    def result_or_error(self) -> None:
        pipe = self.workers.procs[self.slot].stdout
        try:
            self.answer = pickle.loads(read_exactly(pipe, int.from_bytes(read_exactly(pipe, 8), "little")))
        except EOFError:
            self.answer = ("error", RuntimeError(
                "a FEC worker process stopped: see its error above (it runs `python -c \"import "
                "budgetrules.fec._block\"`: budgetrules must be importable by the Python that runs it; "
                "read_fec(..., threads=1) reads without worker processes)"))
        self.workers.answered(self.slot)

    def result(self) -> BlockOut:
        while self.answer is None:  # answers of a worker come in order: the ones before this first
            self.workers.first[self.slot].result_or_error()
        status, value = self.answer
        if status == "error":
            raise value
        return value


def read_exactly(pipe, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = pipe.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Workers:
    """Worker processes (`python -c` running _block.serve) beside this one, each on its own core:
    Polars does not run two calls of one process at once, threads would not help. Plain pipes, no
    multiprocessing: nothing of the caller's __main__ is imported again. A block goes to a worker
    that has fewer than two blocks waiting, else it is read here at once."""

    def __init__(self, n: int, inline: bool = False):
        self.inline = inline
        code = "import budgetrules.fec._block as block; block.serve()"  # the installed package's module
        env = dict(os.environ, POLARS_MAX_THREADS="1")
        self.procs = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env=env, bufsize=0) for _ in range(n)]
        self.queues: list[deque] = [deque() for _ in range(n)]

    @property
    def first(self) -> list:
        return [q[0] if q else None for q in self.queues]

    def answered(self, slot: int) -> None:
        self.queues[slot].popleft()

    local: Callable

    def submit(self, request: tuple) -> Pending | Done:
        slot = min(range(len(self.procs)), key=lambda i: len(self.queues[i]))
        if len(self.queues[slot]) >= 2 and self.inline:
            return Done(self.local, request)
        self.procs[slot].stdin.write(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
        pending = Pending(self, slot)
        self.queues[slot].append(pending)
        return pending

    def finish(self) -> list[pl.DataFrame]:
        """Close the workers' input: each sends the sums of the cells of its blocks."""
        parts = []
        for slot, proc in enumerate(self.procs):
            while self.queues[slot]:
                self.queues[slot][0].result_or_error()
            proc.stdin.close()
            _, value = pickle.loads(read_exactly(proc.stdout, int.from_bytes(read_exactly(proc.stdout, 8), "little")))
            parts.append(value)
        return parts

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            try:
                proc.stdin.close()
            except OSError:
                pass
        if exc[0] is not None:
            for proc in self.procs:
                proc.kill()
            self.reap()
        # else: every answer is read; the processes end on their own while this one finishes (reap())

    def reap(self) -> None:
        for proc in self.procs:
            proc.wait()


class Ready:
    """A block's result already known (read again after the file turned out to be ISO-8859-15)."""

    def __init__(self, value: BlockOut):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> BlockOut:
        return self.value
