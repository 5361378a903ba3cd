"""Time and peak memory of reading a large valid scenario (issue 14, « Memory proportional to need »).

It generates a scenario of about SIZE MB made of `execution` events (block style, one key a line,
amounts quoted and unquoted, a comment now and then), then, in a fresh subprocess for each phase,
reads it and prints the wall time and the peak resident memory (VmHWM of /proc/self/status):

  - baseline: the interpreter with budgetrules and the bundled funds loaded, nothing read;
  - yaml:     budgetrules.io.yaml.load_yaml alone (the line-numbered objects);
  - scenario: budgetrules.io.scenariofile.load_scenario (YAML + checks + typed events);
  - with --run: `budgetrules run FILE --format table|json -o …` end to end (the command, as a user
    types it: load, engine, the document with its sources, the rendering, the write).

Run: python benchmarks/scenario_memory.py [--size 20] [--style block|flow] [--kind execution|virement]
[--run] [--keep FILE].
--keep writes the scenario to FILE and keeps it (for cProfile: `python3 -m cProfile -s cumtime -m
budgetrules run FILE -o /tmp/x.txt`). It asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LEAVES = {"BNGA": ["A-I-1", "A-I-2-INFO", "A-I-2-HORS", "A-I-3-INFO", "A-I-3-HORS"],
          "BNASS": ["PA-F-COL"]}

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
phase, path = sys.argv[2], sys.argv[3]

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
from budgetrules.io.fundfile import load_funds
from budgetrules.io.paths import bundled_fund_files
from budgetrules.io.yaml import load_yaml
from budgetrules.io.scenariofile import load_scenario
funds = load_funds(bundled_fund_files())
start = time.perf_counter()
if phase == "yaml":
    data = load_yaml(path)
    n = len(data["events"])
elif phase == "scenario":
    n = len(load_scenario(path, funds=funds).events)
else:
    n = 0
print(json.dumps({"seconds": time.perf_counter() - start, "hwm": hwm(), "events": n}))
"""


def generate(path: Path, size_mb: float, style: str, kind: str = "execution") -> int:
    """Write a valid scenario of about size_mb megabytes; return the number of events. `kind`
    "virement": dated virements of 100 € A-I-1 → A-I-2-INFO of the BNGA, each one a finding (its
    notice is missing: R-FUNG-NOTICE-LATE), for the documents' cost per finding."""
    rnd = random.Random(14)
    target = int(size_mb * 1_000_000)
    head = "name: large scenario for the memory benchmark\nfunds: [BNGA, BNASS]\nevents:\n"
    parts, size, n = [head], len(head), 0
    while kind == "virement" and size < target:
        year = rnd.choice((2022, 2023, 2024))
        day = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        text = (f"  - {{kind: virement, year: {year}, date: {day}, fund: BNGA, from: A-I-1, to: A-I-2-INFO, amount: 100}}\n"
                if style == "flow" else
                f"  - kind: virement\n    year: {year}\n    date: {day}\n    fund: BNGA\n    from: A-I-1\n"
                f"    to: A-I-2-INFO\n    amount: 100\n")
        parts.append(text)
        size += len(text)
        n += 1
    while kind == "execution" and size < target:
        fund = rnd.choice(sorted(LEAVES))
        line = rnd.choice(LEAVES[fund])
        year = rnd.choice((2022, 2023, 2024))
        cents = rnd.randint(0, 99)
        amount = rnd.choice((f"{rnd.randint(1, 999)}", f"\"{rnd.randint(1, 999)} {rnd.randint(0, 999):03d},{cents:02d}\"",
                             f"{rnd.randint(1, 99_999)}.{cents:02d}"))
        if style == "flow":
            text = f"  - {{kind: execution, year: {year}, fund: {fund}, line: {line}, amount: {amount}}}\n"
        else:
            text = (f"  - kind: execution\n    year: {year}\n    fund: {fund}\n    line: {line}\n"
                    f"    amount: {amount}\n")
        if n % 1000 == 0:
            text = f"  # batch {n // 1000}\n" + text
        parts.append(text)
        size += len(text)
        n += 1
    path.write_text("".join(parts), encoding="utf-8")
    return n


def measure(phase: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), phase, str(path)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_run(path: Path, fmt: str, out: Path) -> dict:
    """`budgetrules run path --format fmt -o out` in a child process: wall time and peak memory (the
    child's ru_maxrss, from wait4)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "budgetrules", "run", str(path), "--format", fmt, "-o", str(out)],
                             cwd=path.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):  # 1: the generated execution overruns the ceilings (error findings)
        raise SystemExit(f"budgetrules run exited {child.returncode}: {child.stderr.read().decode()}")
    return {"seconds": seconds, "hwm": usage.ru_maxrss * 1024, "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=20, help="size of the scenario in MB (default 20)")
    parser.add_argument("--style", choices=("block", "flow"), default="block")
    parser.add_argument("--kind", choices=("execution", "virement"), default="execution",
                        help="the events: execution (default) or dated virements, one finding each")
    parser.add_argument("--run", action="store_true", help="also time `budgetrules run` end to end (table, json)")
    parser.add_argument("--keep", metavar="FILE", help="write the scenario to FILE and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep).resolve() if args.keep else Path(tmp) / "large.yaml"
        n = generate(path, args.size, args.style, args.kind)
        size = path.stat().st_size
        print(f"scenario: {size / 1e6:.1f} MB, {n} {args.kind} events ({args.style} style)")
        base = measure("baseline", path)
        print(f"baseline (funds loaded, nothing read): peak {base['hwm'] / 1e6:.0f} MB")
        for phase in ("yaml", "scenario"):
            m = measure(phase, path)
            extra = m["hwm"] - base["hwm"]
            print(f"{phase:9}: {m['seconds']:6.2f} s, peak {m['hwm'] / 1e6:6.0f} MB "
                  f"({m['hwm'] / size:4.1f}× the file; {extra / 1e6:.0f} MB above the baseline, "
                  f"{extra / size:.1f}× the file), {m['events']} events")
        if args.run:
            for fmt in ("table", "json"):
                m = measure_run(path, fmt, Path(tmp) / f"out.{fmt}")
                print(f"run {fmt:5}: {m['seconds']:6.2f} s, peak {m['hwm'] / 1e6:6.0f} MB, "
                      f"output {m['bytes'] / 1e6:.1f} MB (`budgetrules run {path.name} --format {fmt} -o …`)")


if __name__ == "__main__":
    main()
