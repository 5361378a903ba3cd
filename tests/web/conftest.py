"""Fixtures of the web tests: the application on the bundled COG and scenarios (in-process, through
Starlette's test client), and a real server on a free loopback port for the browser tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
# Starlette's test client drives httpx and, in recent versions, suggests httpx2 instead: not needed here.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def settings():
    from budgetrules.web.state import make_settings

    return make_settings()


@pytest.fixture(scope="session")
def app(settings):
    from budgetrules.web.app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
def client(app):
    return TestClient(app, raise_server_exceptions=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*args: str, port: int | None = None, timeout: float = 20.0) -> tuple[subprocess.Popen, str, float]:
    """`budgetrules serve` in a subprocess on a free loopback port; returns it, its base URL and the
    seconds it took to answer /api/health."""
    port = port or free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from budgetrules.cli import main; sys.exit(main())", "serve", "--port", str(port), *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=1) as r:
                if r.status == 200:
                    return proc, base, time.perf_counter() - start
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {proc.stderr.read()}")
        if time.perf_counter() - start > timeout:
            proc.terminate()
            raise RuntimeError("the server did not answer in time")
        time.sleep(0.05)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def live_server():
    proc, base, _ = start_server()
    yield base
    stop_server(proc)
