"""Writing results: atomically to a file (temporary file renamed into place) or to stdout."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
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
