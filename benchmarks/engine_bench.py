"""Speed of the engine: the central scenario (in process and as a cold `budgetrules run`, against
`python -c "import pandas"` measured side by side in the same run: the anchor of issue 11's target,
at most 0.6× its time), the scenario suite, and generated funds of growing size (up to 10 000 lines ×
10 years, 200 000 events).

The cold start is measured twice: with Python's bytecode cache (what every run after the first one
of a normal install sees; pandas, installed by pip, always has its own), and with
PYTHONDONTWRITEBYTECODE=1 (every module compiled from source on every run, as in a sandbox that sets
it: an editable install then pays about 60 ms more).

Run: python benchmarks/engine_bench.py [--quick]. It prints the figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetrules.engine import run  # noqa: E402
from budgetrules.io.fundfile import load_fund, load_funds
from budgetrules.io.fundwrite import dump_fund  # noqa: E402
from budgetrules.io.paths import bundled_fund_files  # noqa: E402
from budgetrules.model.scenario import Assumptions, Scenario, event_of  # noqa: E402
from budgetrules.io.scenariofile import load_scenario  # noqa: E402

GROUPS = ["personnel", "fonctionnement", "investissement"]


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def generated_fund_text(n_lines: int, n_years: int) -> str:
    """A fund file with n_lines leaves under 10 sections, amounts in euros, the BNGA-like rules."""
    first = 2030
    years = list(range(first, first + n_years))
    rnd = random.Random(n_lines)
    lines = []
    sections = 10
    for s in range(sections):
        lines.append(f"  - {{code: S{s}, label: Section {s}}}")
    for i in range(n_lines):
        group = GROUPS[i % 3]
        amounts = ", ".join(f"{y}: {rnd.randint(10_000, 5_000_000)}" for y in years)
        extra = ""
        if i % 10 == 0:
            extra = ", index: {kind: inflation, rule: R-INDEX-BNGA-NONE, base_year: %d, first_year: %d}" % (first - 1, first)
        if group == "investissement":
            extra += ", carry: {mode: automatic, rule: R-CARRY-BNGA-CP, ap: true}"
        lines.append(f"  - {{code: L{i}, parent: S{i % sections}, label: Ligne {i}, character: "
                     f"{'evaluative' if i % 17 == 0 else 'limitative'}, group: {group}, amounts: {{{amounts}}}{extra}}}")
    bnga = (ROOT / "funds" / "canssm-2022-2024" / "bnga.yaml").read_text(encoding="utf-8")
    head, _, rest = bnga.partition("\nlines:\n")
    _, _, tail = rest.partition("\nfungibility:\n")
    head = head.replace("code: BNGA", "code: GEN").replace("unit: M€", "unit: €").replace(
        "period: [2022, 2024]", f"period: [{first}, {first + n_years - 1}]")
    tail = tail.replace("to_line: A-I-2-HORS", "to_line: L1").replace("investment_line: A-I-3-HORS", "investment_line: L2") \
        .replace("rent_line: A-I-2-HORS", "rent_line: L1").replace("line: II-RESERVE", "line: L5")
    tail = tail.split("\nbilan:\n")[0] + "\n"  # the bilan's BNGA lines do not exist here
    return head + "\nlines:\n" + "\n".join(lines) + "\n\nfungibility:\n" + tail


def generated_events(fund, n_events: int) -> list[Event]:
    rnd = random.Random(n_events)

    def ev(kind, year, fund_code, fields, src, order):
        return event_of({"kind": kind, "year": year, "fund": fund_code, **fields}, source=src, order=order)

    leaves = [ln.code for ln in fund.leaves]
    years = fund.years
    events = []
    for k in range(n_events):
        year = rnd.choice(years)
        line = rnd.choice(leaves)
        roll = rnd.random()
        src = f"generated:{k + 1}"
        if roll < 0.55:
            events.append(ev("execution", year, fund.code, {"line": line, "amount": Decimal(rnd.randint(1, 200_000_00)) / 100},
                                src, k))
        elif roll < 0.70:
            events.append(ev("carry_over", year, fund.code, {"line": line, "amount": Decimal(rnd.randint(1, 50_000_00)) / 100},
                                src, k))
        elif roll < 0.92:
            other = rnd.choice(leaves)
            if other == line:
                continue
            day = dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
            events.append(ev("virement", year, fund.code, {"from": line, "to": other, "amount":
                                Decimal(rnd.randint(1, 10_000_00)) / 100, "date": day,
                                "notified": day + dt.timedelta(days=rnd.randint(0, 20))}, src, k))
        elif roll < 0.97:
            events.append(ev("noncash_product", year, fund.code, {"line": line, "amount": Decimal(rnd.randint(1, 10_000_00)) / 100,
                                "counterpart_class": rnd.choice([1, 2, 6])}, src, k))
        else:
            events.append(ev("charge_transfer", year, fund.code, {"line": line, "amount": Decimal(rnd.randint(1, 1000_00)) / 100},
                                src, k))
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller generated sizes")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {sys.platform}")

    central = ROOT / "scenarios" / "central.yaml"
    sc = load_scenario(central)
    print(f"central scenario, load (4 fund files + scenario): {best(lambda: load_scenario(central)) * 1000:.1f} ms")
    print(f"central scenario, engine run: {best(lambda: run(sc)) * 1000:.1f} ms")
    exe = shutil.which("budgetrules")
    if exe:
        import os

        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        fresh = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        first = subprocess.run([exe, "run"], capture_output=True, text=True, env=cached)  # writes the bytecode cache
        if first.returncode != 0:  # a command that fails at once would time the failure, not the run
            sys.exit(f"`{exe} run` failed (exit {first.returncode}): {first.stderr.strip()[-300:]}\n"
                     f"install the checkout first: python3 -m pip install -e .")

        def timed(cmd: list[str], env: dict) -> float:
            return best(lambda: subprocess.run(cmd, capture_output=True, check=False, env=env), repeat=9)

        pandas = timed([sys.executable, "-c", "import pandas"], cached)
        bare = timed([sys.executable, "-c", "pass"], cached)
        cold = timed([exe, "run"], cached)
        source = timed([exe, "run"], fresh)
        print(f"anchor `python -c 'import pandas'`, best of 9: {pandas:.3f} s (a bare `python -c pass`: {bare:.3f} s)")
        print(f"`budgetrules run` cold start, best of 9: {cold:.3f} s = {cold / pandas:.2f}× the anchor "
              f"(target ≤ 0.60×)")
        print(f"  the same with PYTHONDONTWRITEBYTECODE=1 (compiled from source each run): {source:.3f} s = "
              f"{source / pandas:.2f}× the anchor")
        suite = best(lambda: subprocess.run([exe, "test", str(ROOT / "scenarios")], capture_output=True), repeat=3)
        n = len(list((ROOT / "scenarios").rglob("*.yaml")))
        print(f"`budgetrules test scenarios/` ({n} scenarios), whole command: {suite:.3f} s")
    funds = load_funds(bundled_fund_files())
    files = sorted((ROOT / "scenarios").rglob("*.yaml"))

    def suite_in_process():
        for f in files:
            run(load_scenario(f, funds=funds))
    print(f"scenario suite in process ({len(files)} files): {best(suite_in_process, 3) * 1000:.1f} ms")

    sizes = [(1000, 10, 20_000), (5000, 10, 100_000), (10_000, 10, 200_000)]
    if args.quick:
        sizes = [(500, 5, 5_000), (1000, 5, 10_000), (2000, 5, 20_000)]
    print("\ngenerated funds (lines × years, events): load fund file | engine run | per event")
    tmp = Path(tempfile.mkdtemp())
    try:
        previous = None
        for n_lines, n_years, n_events in sizes:
            path = tmp / f"gen-{n_lines}.yaml"
            path.write_text(generated_fund_text(n_lines, n_years), encoding="utf-8")
            t = time.perf_counter()
            fund = load_fund(path)
            t_load = time.perf_counter() - t
            events = generated_events(fund, n_events)
            scenario = Scenario("generated", "", str(path), {fund.code: fund}, Assumptions(series={"inflation": {
                "forecast": {y: Decimal("0.02") for y in range(fund.first_year - 1, fund.last_year + 1)},
                "actual": {y: Decimal("0.025") for y in range(fund.first_year - 1, fund.last_year + 1)}}},
                origins={"inflation": "scenario"}), events, [], cog=fund.cog)
            t = time.perf_counter()
            result = run(scenario)
            t_run = time.perf_counter() - t
            growth = "" if previous is None else f"   (×{t_run / previous[0]:.2f} time for ×{n_events / previous[1]:.1f} events)"
            print(f"  {n_lines:>6} × {n_years:<2} {n_events:>7} events: {t_load:6.2f} s | {t_run:6.2f} s | "
                  f"{t_run / n_events * 1e6:5.1f} µs  [{len(result.ledger.contributions)} contributions, "
                  f"{len(result.findings)} findings]{growth}")
            previous = (t_run, n_events)
            del result
        # sanity: the round trip of the generated fund
        assert load_fund(path).code == "GEN"
        _ = dump_fund
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
