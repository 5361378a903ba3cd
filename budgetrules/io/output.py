"""Writing results: atomically to a file (temporary file renamed into place) or to stdout.

`--output FILE` never leaves a half-written FILE nor a stray temporary file:

- the data goes to a temporary file of the target's folder, renamed over the target once complete
  (a crash or `kill -9` leaves the old file, or none, plus at worst the temporary file);
- SIGTERM, SIGINT and SIGHUP during the write remove the temporary file, then end the process as
  the signal would have (the handlers are installed around the write only, in the main thread);
- the temporary name is short (`.br` and 8 random characters), so that a target whose name is
  near the file system's 255-character limit can be written;
- a symbolic link is followed: its target is written and the link stays a link (as `>` does in a
  shell); an existing file keeps its permissions, a new one gets 0666 less the umask."""
from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
_CHUNK = 1 << 20  # written a megabyte at a time, so that a signal is handled within the write


class _Signalled(BaseException):
    """A signal received during a write: the temporary file is removed, then the signal re-raised."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals_interrupt_the_write() -> Iterator[None]:
    """Turn SIGTERM/SIGINT/SIGHUP into _Signalled inside the block; after it, deliver the signal
    again to the handler that was there before (the default one ends the process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def interrupt(signum, frame):  # noqa: ARG001
        raise _Signalled(signum)

    for signum in _SIGNALS:
        old = signal.getsignal(signum)
        if old is None or old == signal.SIG_IGN:  # ignored (nohup) or set outside Python: leave it alone
            continue
        previous[signum] = signal.signal(signum, interrupt)
    try:
        yield
    except _Signalled as exc:
        for signum, old in previous.items():
            signal.signal(signum, old)
        previous.clear()
        signal.raise_signal(exc.signum)  # the previous handler: SIG_DFL ends the process, Python's raises
        raise  # pragma: no cover - a handler that returned: the write is abandoned all the same
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _new_mode(target: Path) -> int:
    """The permissions of the file written: those of the file it replaces, else 0666 less the umask."""
    try:
        st = os.stat(target)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    return stat.S_IMODE(st.st_mode)


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed into place."""
    target = Path(os.path.realpath(path))  # a symlink: write its target, keep the link
    folder = target.parent
    payload = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
    mode = _new_mode(target)
    tmp = None
    with _signals_interrupt_the_write():
        try:
            blocked = set(_SIGNALS) if threading.current_thread() is threading.main_thread() else set()
            if blocked:  # no signal between the creation of the file and knowing its name
                old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
            try:
                fd, tmp = tempfile.mkstemp(prefix=".br", dir=folder)
            finally:
                if blocked:
                    signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
            try:
                for start in range(0, len(payload), _CHUNK):
                    chunk = payload[start:start + _CHUNK]
                    while chunk:
                        chunk = chunk[os.write(fd, chunk):]
                os.fchmod(fd, mode)  # mkstemp makes 0600; a report is an ordinary file
            finally:
                os.close(fd)
            os.replace(tmp, target)
            tmp = None
        except BaseException:
            if tmp is not None and os.path.lexists(tmp):
                os.unlink(tmp)
            raise


def emit(data: str | bytes, output: Path | str | None) -> None:
    """Print to stdout, or write atomically to `output` (a folder that does not exist, or that cannot
    be written, is an input error: exit 2, nothing written)."""
    if output:
        try:
            write_atomic(output, data)
        except OSError as exc:
            from ..core.errors import InputErrors, Problem

            raise InputErrors([Problem(str(output), 0, f"cannot write the file: {exc.strerror or exc}")]) from None
        return
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
