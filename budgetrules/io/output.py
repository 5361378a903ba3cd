"""Writing results: atomically to a file (temporary file renamed into place) or to stdout.

`--output FILE` never leaves a half-written FILE nor a stray temporary file:

- the data goes to a temporary file of the target's folder, renamed over the target once complete
  (a crash or `kill -9` leaves the old file, or none, plus at worst the temporary file);
- SIGTERM, SIGINT and SIGHUP during the write remove the temporary file, then end the process as
  the signal would have (the handlers are installed around the write only, in the main thread);
- the temporary name is short (`.br` and 8 random characters), so that a target whose name is
  near the file system's 255-character limit can be written;
- a symbolic link is followed: its target is written and the link stays a link (as `>` does in a
  shell); an existing file keeps its permissions, a new one gets 0666 less the umask;
- a target that exists and is not a regular file (a character or block device such as /dev/null, a
  FIFO, a socket) is opened and written into, as `>` does, never replaced by a regular file (a socket
  cannot be opened: an error, and it is left as it was);
- a failure while the data is written (a full disk, an I/O error, the reader of a FIFO gone) is an
  `OutputError`, on a file as on stdout: the CLI exits 74 (EX_IOERR), it is not a bug; a target that
  cannot be opened or created (no such folder, no permission) stays a plain OSError."""
from __future__ import annotations

import errno
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


class OutputError(OSError):
    """The output could not be written whole: an OSError while writing the data (ENOSPC, EIO, EPIPE…)
    to `output` (a file name, or "standard output"). Not a bug of ours, nor a problem of the input."""

    def __init__(self, output: str, error: OSError):
        super().__init__(error.errno, error.strerror or str(error))
        self.output = output
        self.error = error

    def __str__(self) -> str:
        name = errno.errorcode.get(self.error.errno or 0)
        return f"cannot write to {self.output}: {self.error.strerror or self.error}" + (f" ({name})" if name else "")


def _write_all(fd: int, payload: memoryview, output: str) -> None:
    """Write every byte of `payload` to `fd`, a megabyte at a time; an OSError is an OutputError."""
    try:
        for start in range(0, len(payload), _CHUNK):
            chunk = payload[start:start + _CHUNK]
            while chunk:
                chunk = chunk[os.write(fd, chunk):]
    except OSError as exc:
        raise OutputError(output, exc) from exc


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


def _not_a_regular_file(target: Path) -> bool:
    """True when `target` exists and is a device, a FIFO or a socket (neither a file nor a folder)."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_into(target: Path, payload: memoryview, output: str) -> None:
    """Open `target` (a device, a FIFO: it blocks until a reader opens the FIFO) and write into it."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    try:
        _write_all(fd, payload, output)
    finally:
        os.close(fd)


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed into place; a
    device or a FIFO is written into instead (see the module's docstring)."""
    target = Path(os.path.realpath(path))  # a symlink: write its target, keep the link
    folder = target.parent
    payload = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
    if _not_a_regular_file(target):
        with _signals_interrupt_the_write():
            _write_into(target, payload, str(path))
        return
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
                _write_all(fd, payload, str(path))
                os.fchmod(fd, mode)  # mkstemp makes 0600; a report is an ordinary file
            finally:
                try:
                    os.close(fd)
                except OSError as exc:  # a network file system may report the failed write only here
                    raise OutputError(str(path), exc) from exc
            os.replace(tmp, target)
            tmp = None
        except BaseException:
            if tmp is not None and os.path.lexists(tmp):
                os.unlink(tmp)
            raise


STDOUT = "standard output"
"""How an OutputError names stdout."""


def emit(data: str | bytes, output: Path | str | None) -> None:
    """Print to stdout, or write atomically to `output` (a folder that does not exist, or that cannot
    be written, is an input error: exit 2, nothing written). A failure while writing the data, to the
    file or to stdout (a full disk: `> /dev/full`), is an OutputError (exit 74); a closed pipe on
    stdout stays a BrokenPipeError (`budgetrules run | head`)."""
    if output:
        try:
            write_atomic(output, data)
        except OutputError:
            raise
        except OSError as exc:
            from ..core.errors import InputErrors, Problem

            raise InputErrors([Problem(str(output), 0, f"cannot write the file: {exc.strerror or exc}")]) from None
        return
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data if data.endswith("\n") else data + "\n")
        sys.stdout.flush()  # a full disk is found here, not at the interpreter's exit
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(STDOUT, exc) from exc
