"""Where `--output` writes when FILE is not a regular file, and what a failed write gives.

A target that exists and is a device, a FIFO or a socket is written into (opened for writing, as a
shell's `>` does), never replaced by a regular file: `-o /dev/null` as root must not replace
/dev/null. A symbolic link keeps pointing at its target, which is written. A failure while the output
is written (a full disk: /dev/full) is not a bug: exit 74 (EX_IOERR), one line naming the output and
the OS error, on a file as on stdout."""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetrules.cli import main

ROOT = Path(__file__).resolve().parents[2]


def invoke(args: list[str]):
    return CliRunner().invoke(main, args)


def device(path: Path, minor: int) -> Path:
    """A character device of the memory driver (major 1: 3 is null, 7 is full) made at `path`."""
    if os.geteuid() != 0:
        pytest.skip("mknod of a character device needs root")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except OSError as exc:  # a container without CAP_MKNOD, a file system mounted nodev
        pytest.skip(f"cannot make a device here: {exc}")
    return path


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "credits"
    os.mkfifo(fifo)
    os.link(fifo, tmp_path / "same-fifo")  # another name of the FIFO, to unblock the reader if no one writes
    got = {}

    def read() -> None:
        with open(fifo, "rb") as f:  # blocks until the command opens the FIFO for writing
            got["data"] = f.read()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = invoke(["run", "--fund", "BNPPS", "-o", str(fifo)])
    try:
        reader.join(timeout=30)
    finally:
        if reader.is_alive():  # the command never opened the FIFO: let the reader end
            os.close(os.open(tmp_path / "same-fifo", os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=5)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert got["data"].decode("utf-8") == invoke(["run", "--fund", "BNPPS"]).stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["credits", "same-fifo"]  # no temporary file left


def test_a_character_device_is_written_into_not_replaced(tmp_path):
    null = device(tmp_path / "null", 3)
    result = invoke(["run", "-o", str(null)])
    assert result.exit_code == 0, result.output
    st = os.lstat(null)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3), "the device was replaced by a regular file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_symlink_to_a_device_writes_the_device_and_stays_a_link(tmp_path):
    null = device(tmp_path / "null", 3)
    (tmp_path / "out").symlink_to("null")
    result = invoke(["run", "--format", "json", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out").is_symlink() and stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "out"]


def test_a_full_device_given_to_output_is_an_output_error(tmp_path):
    full = device(tmp_path / "full", 7)
    result = invoke(["run", "-o", str(full)])
    assert result.exit_code == 74, result.output  # EX_IOERR
    assert result.stderr == f"error: cannot write to {full}: No space left on device (ENOSPC)\n"
    assert stat.S_ISCHR(os.lstat(full).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_a_socket_is_not_replaced(tmp_path):
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        result = invoke(["run", "-o", str(path)])
    assert result.exit_code == 2, result.output  # a socket cannot be opened (ENXIO), as with `>`
    assert f"error: {path}: cannot write the file: No such device or address" in result.stderr
    assert stat.S_ISSOCK(os.lstat(path).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["sock"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["run"], ["run", "--format", "csv"], ["audit", "scenarios/audit/sample-2022-2024.yaml"],
                                  ["cogs"], ["funds", "show", "BNGA", "--format", "json"]])
def test_a_full_disk_is_an_output_error_not_a_bug(args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "budgetrules", *args], stdout=full, stderr=subprocess.PIPE,
                              cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 74, done.stderr  # EX_IOERR, not 70 (a bug)
    assert done.stderr.decode("utf-8") == "error: cannot write to standard output: No space left on device (ENOSPC)\n"
