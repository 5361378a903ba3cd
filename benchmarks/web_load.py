"""Load on `budgetrules serve`: N concurrent clients asking virement verdicts on the bundled COG for a
while, against the server started in a subprocess on a free loopback port. Prints how fast the
server was ready, the throughput, the latency percentiles and the errors. Measures; asserts nothing.

    python benchmarks/web_load.py                 # 8 clients, 60 s
    python benchmarks/web_load.py --clients 16 --seconds 20

Each client is an asyncio task holding one keep-alive HTTP/1.1 connection (so that the measuring
side costs little of the machine's two cores), asking the next verdict as soon as it has the last
one. Only addresses on this machine are used; the run stops by itself. Results: benchmarks/WEB.md."""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]

# Verdicts a budget officer asks, on the bundled COG (central assumptions): every kind of answer.
QUESTIONS = [
    {"fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO", "amount": "400 k€", "date": "2023-06-01"},
    {"fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-3-INFO", "amount": "150 000", "date": "2022-10-15"},
    {"fund": "BNGA", "from": "A-I-2-HORS", "to": "A-I-1", "amount": "100 000", "year": "2023"},
    {"fund": "BNGA", "from": "A-I-3-HORS", "to": "A-I-3-INFO", "amount": "1,5 M€", "date": "2024-03-01"},
    {"fund": "BNGA", "from": "A-I-1", "to": "A-I-2-INFO", "amount": "500 M€", "date": "2023-06-01"},
    {"fund": "BNASS", "from": "PA-F-COL", "to": "PA-K-COL", "amount": "50 k€", "date": "2023-04-01"},
    {"fund": "BNPPS", "from": "MAL-EVAL", "to": "MAL-CANSSM", "amount": "10 000", "year": "2022"},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, extra: list[str]) -> tuple[subprocess.Popen, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from budgetrules.cli import main; sys.exit(main())",
                             "serve", "--port", str(port), *extra], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:
                if r.status == 200:
                    return proc, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server stopped: {proc.stderr.read()}")
            if time.perf_counter() - t0 > 30:
                proc.terminate()
                raise SystemExit("the server did not answer within 30 s")
            time.sleep(0.02)


async def client(port: int, paths: list[bytes], until: float, latencies: list[float], errors: list[str],
                 offset: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < until:
            request = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if status != 200 or b'"verdict"' not in body:
                errors.append(f"{status}: {body[:200]!r}")
    except (OSError, asyncio.IncompleteReadError) as exc:
        errors.append(f"connection: {exc!r}")
    finally:
        writer.close()


async def load(port: int, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    paths = [(f"GET /api/virement?{urlencode(q)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
              f"Connection: keep-alive\r\n\r\n").encode() for q in QUESTIONS]
    latencies: list[float] = []
    errors: list[str] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(client(port, paths, t0 + seconds, latencies, errors, k) for k in range(clients)))
    return latencies, errors, time.perf_counter() - t0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    args = parser.parse_args()

    port = free_port()
    proc, ready = start(port, [])
    try:
        asyncio.run(load(port, args.clients, args.warmup))
        latencies, errors, elapsed = asyncio.run(load(port, args.clients, args.seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    ms = [x * 1000 for x in latencies]
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"server ready (first /api/health answered) after {ready:.2f} s")
    print(f"{args.clients} clients, {elapsed:.1f} s, {len(ms)} verdicts: {len(ms) / elapsed:.0f} verdicts/s")
    if ms:
        print(f"latency ms: p50 {statistics.median(ms):.1f}, p95 {percentile(ms, 95):.1f}, "
              f"p99 {percentile(ms, 99):.1f}, max {max(ms):.1f}")
    print(f"errors: {len(errors)}")
    for e in errors[:5]:
        print(f"  {e}")


if __name__ == "__main__":
    main()
