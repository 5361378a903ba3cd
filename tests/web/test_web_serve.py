"""`budgetrules serve` as a person starts it: one command, on the loopback address, answering the API
and the pages, stopped by SIGTERM or Ctrl-C. (How fast it is ready is measured by
benchmarks/web_load.py, not asserted here.)"""
from __future__ import annotations

import json
import signal
import urllib.request

from .conftest import start_server, stop_server


def test_serve_starts_answers_and_stops(tmp_path) -> None:
    (tmp_path / "mine.yaml").write_text("name: mine\nfunds: [BNGA]\n", encoding="utf-8")
    proc, base, _ = start_server("--scenarios", str(tmp_path))
    try:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "/api/scenarios") as r:
            assert json.loads(r.read()) == [{"id": "mine.yaml", "folder": tmp_path.name}]
        with urllib.request.urlopen(base + "/virement?fund=BNGA&from=A-I-1&to=A-I-2-INFO&amount=400+k%E2%82%AC"
                                           "&year=2023") as r:
            assert r.status == 200 and "autorisé, avec information sous 15 jours" in r.read().decode()
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        assert proc.wait(timeout=10) == 0
        assert "serving on http://127.0.0.1:" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            stop_server(proc)


def test_serve_refuses_a_missing_folder(tmp_path) -> None:
    from click.testing import CliRunner

    from budgetrules.cli import main

    result = CliRunner().invoke(main, ["serve", "--scenarios", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a folder" in result.stderr
