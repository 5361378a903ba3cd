"""Benchmark of the FEC reader (budgetrules.fec.read_fec) against plain pandas and raw DuckDB, on the
same files in one run. Not a test: it prints figures and asserts nothing (docs and figures:
benchmarks/FEC.md).

    python benchmarks/fec_bench.py                          # 1M and 10M lines, best of 1
    python benchmarks/fec_bench.py --rows 1M --repeat 5
    python benchmarks/fec_bench.py --rows 10M --tools ours,duckdb --repeat 3
    python benchmarks/fec_bench.py --dir /elsewhere/bench-data   # reuse files generated before

The files are generated once in bench-data/ (git-ignored; 155 bytes a line: 1.6 GB at 10M lines):
balanced entries of two lines, French labels with accents, tab, decimal comma, 2022-2024, always
the same seed. Every tool runs in its own subprocess, timed from the start of its imports to its
result, on the same file, read once just before so that it is in the page cache. Each sums
debit − credit per (account, EcritureDate):

- ours:   budgetrules.fec.reader.read_fec: every line checked, entries balanced and counted once,
          closing and opening entries excluded, line numbers kept; Polars parses, integer cents.
- pandas: the read_csv(sep="\\t", decimal=",") + groupby a user would write (binary floats).
- duckdb: raw read_csv(types Debit/Credit DECIMAL(18,2)) GROUP BY: exact, no checks (the reference).
- pandas_year (not by default): pandas per (account, year), as the previous benchmark grouped.

Printed: seconds (best, and every run), start-up (imports), CPU seconds (with those of ours' worker
processes), peak memory (VmHWM of the subprocess, plus the VmHWM of each of ours' worker processes:
an upper bound of their peak together), exact to the cent against DuckDB's DECIMAL sums, the share
of the CPU other processes used just before the run (the machine may be shared: --quiet waits), and
the ratios of issue 13's targets: pandas / ours (≥ 2) and ours / duckdb (≤ 1.25).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
          "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n")
EXPENSES = ["641100", "645100", "606300", "606400", "615600", "622600", "625100", "613200", "681100", "658000"]
INVESTMENT = ["218300", "218400", "213100", "205000"]
RECEIPTS = ["708400", "708300", "741000", "758800", "791000", "706000"]


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    elif text.endswith("k"):
        factor, text = 1_000, text[:-1]
    return int(float(text) * factor) if "." in text else int(text) * factor


def generate(path: Path, rows: int, seed: int = 20240101) -> None:
    """A plausible FEC: balanced entries of 2 lines, French labels with accents, 2022-2024."""
    rnd = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    started = time.perf_counter()
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        written = number = 0
        buf: list[str] = []
        while written < rows:
            number += 1
            date = f"{2022 + rnd.randrange(3)}{1 + rnd.randrange(12):02d}{1 + rnd.randrange(28):02d}"
            cents = rnd.randrange(1, 10_000_000)
            amount = f"{cents // 100},{cents % 100:02d}"
            kind = rnd.random()
            if kind < 0.6:
                pair = (("ACH", "Achats", rnd.choice(EXPENSES), "Charges de fonctionnement", "", ""),
                        ("ACH", "Achats", "401000", "Fournisseurs", "F0042", "Société Générale d'Équipement"))
            elif kind < 0.7:
                pair = (("IMM", "Immobilisations", rnd.choice(INVESTMENT), "Matériel informatique", "", ""),
                        ("IMM", "Immobilisations", "404000", "Fournisseurs d'immobilisations", "F0101", "Caisse des dépôts"))
            elif kind < 0.8:
                pair = (("VTE", "Ventes", "411000", "Clients", "C007", "Régime général"),
                        ("VTE", "Ventes", rnd.choice(RECEIPTS), "Produits", "", ""))
            else:
                pair = (("BQ", "Banque", "401000", "Fournisseurs", "F0042", "Société Générale d'Équipement"),
                        ("BQ", "Banque", "512000", "Banque", "", ""))
            entry = f"{pair[0][0]}{number:09d}"
            for (journal, jlabel, account, alabel, aux, auxlabel), (debit, credit) in zip(
                    pair, ((amount, "0,00"), ("0,00", amount))):
                buf.append(f"{journal}\t{jlabel}\t{entry}\t{date}\t{account}\t{alabel}\t{aux}\t{auxlabel}\tP{number}\t"
                           f"{date}\tÉcriture n° {number} – libellé\t{debit}\t{credit}\t\t\t{date}\t\t\n")
            written += 2
            if len(buf) >= 200_000:
                fh.write("".join(buf))
                buf = []
        fh.write("".join(buf))
    tmp.replace(path)
    print(f"  generated {path} ({rows:,} lines, {path.stat().st_size / 1e6:,.0f} MB) "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)


# ------------------------------------------------------------------------------ the three readers

def start_ours() -> None:
    import budgetrules.fec.reader  # noqa: F401  (polars and numpy are imported by read_fec, beside its workers)


def run_ours(path: str) -> dict[str, int]:
    from budgetrules.fec.reader import read_fec

    books = read_fec([path])
    assert books.report.problem_count == 0, books.report.problems[:5]
    return {f"{a}|{d:%Y%m%d}": c.cents for (a, d), c in books.totals.items()}


def start_pandas() -> None:
    import pandas  # noqa: F401


def run_pandas(path: str) -> dict[str, float]:
    import pandas as pd

    df = pd.read_csv(path, sep="\t", decimal=",", dtype={"CompteNum": str, "EcritureDate": str})
    sums = df.groupby(["CompteNum", "EcritureDate"])[["Debit", "Credit"]].sum()
    net = sums["Debit"] - sums["Credit"]  # binary floats: what a user gets
    return {f"{a}|{d}": v * 100 for (a, d), v in net.items()}


def run_pandas_year(path: str) -> dict[str, float]:
    """For reference only: the old benchmark's pandas, per (account, year) (fewer, cheaper groups)."""
    import pandas as pd

    df = pd.read_csv(path, sep="\t", decimal=",", dtype={"CompteNum": str})
    df["year"] = df["EcritureDate"] // 10000
    sums = df.groupby(["CompteNum", "year"])[["Debit", "Credit"]].sum()
    net = sums["Debit"] - sums["Credit"]
    return {f"{a}|{y}": v * 100 for (a, y), v in net.items()}


def start_duckdb() -> None:
    import duckdb  # noqa: F401


def run_duckdb(path: str) -> dict[str, int]:
    import duckdb

    rows = duckdb.sql(f"""
        SELECT CompteNum, EcritureDate, sum(Debit) - sum(Credit) AS net
        FROM read_csv('{path}', delim = '\t', header = true, quote = '', decimal_separator = ',',
                      types = {{'CompteNum': 'VARCHAR', 'EcritureDate': 'VARCHAR',
                                'Debit': 'DECIMAL(18,2)', 'Credit': 'DECIMAL(18,2)'}})
        GROUP BY ALL""").fetchall()
    return {f"{a}|{d}": int(net * 100) for a, d, net in rows}


def peak_rss() -> int:
    """VmHWM of /proc/self/status: the peak of this process alone (ru_maxrss is carried across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def worker(tool: str, path: str) -> None:
    import resource

    started = time.perf_counter()
    {"ours": start_ours, "pandas": start_pandas, "pandas_year": start_pandas, "duckdb": start_duckdb}[tool]()
    startup = time.perf_counter() - started
    totals = {"ours": run_ours, "pandas": run_pandas, "pandas_year": run_pandas_year, "duckdb": run_duckdb}[tool](path)
    seconds = time.perf_counter() - started
    # ours starts worker processes: their CPU time is added here; each prints its own peak (VmHWM) on
    # stderr when it ends (FEC_REPORT_PEAK), added by measure() to this one's
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"tool": tool, "seconds": seconds, "startup": startup,
                      "peak_bytes": peak_rss(),
                      "cpu": time.process_time() + children.ru_utime + children.ru_stime, "totals": totals}))


def warm(path: Path) -> None:
    with open(path, "rb", buffering=0) as fh:
        while fh.read(16 << 20):
            pass


def busy_fraction(seconds: float = 1.0) -> float:
    """Share of the machine's CPU time used by other processes over `seconds` (from /proc/stat)."""
    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait
    t0, i0 = sample()
    time.sleep(seconds)
    t1, i1 = sample()
    return 1 - (i1 - i0) / max(t1 - t0, 1)


def wait_quiet(limit: float, patience: float) -> float:
    """Wait (up to `patience` seconds) until the machine is at most `limit` busy; the busy share seen."""
    deadline = time.monotonic() + patience
    while True:
        busy = busy_fraction()
        if busy <= limit or time.monotonic() > deadline:
            return busy


QUIET = {"limit": 1.0, "patience": 0.0}


def measure(tool: str, path: Path) -> dict:
    warm(path)
    busy = wait_quiet(QUIET["limit"], QUIET["patience"])
    env = dict(os.environ, FEC_REPORT_PEAK="1")
    proc = subprocess.run([sys.executable, __file__, "--worker", tool, str(path)], capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        return {"tool": tool, "error": (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["busy_before"] = busy
    workers = [int(line.split()[-1]) * 1024 for line in proc.stderr.splitlines() if line.startswith("fec worker peak")]
    result["peak_bytes"] += sum(workers)  # the processes run at the same time: the sum bounds the peak
    result["workers"] = len(workers)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1M,10M")
    parser.add_argument("--tools", default="ours,pandas,duckdb")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each tool (interleaved); the fastest counts")
    parser.add_argument("--dir", default=str(ROOT / "bench-data"), help="where the generated files are (or go)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--quiet", type=float, default=1.0, metavar="SHARE",
                        help="before each run wait until other processes use at most this share of the CPU "
                             "(e.g. 0.1; the machine may be shared), for at most --patience seconds")
    parser.add_argument("--patience", type=float, default=120.0)
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    QUIET.update(limit=args.quiet, patience=args.patience)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    import polars
    try:
        import duckdb
        versions = f"polars {polars.__version__}, duckdb {duckdb.__version__}"
    except ImportError:
        versions = f"polars {polars.__version__}"
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; {versions}; "
          f"best of {args.repeat} run(s)\n")
    print("| lines | MB | tool | seconds (best) | all runs | start-up | CPU s | peak MB | exact to the cent | "
          "machine busy before |")
    print("|---:|---:|---|---:|---|---:|---:|---:|---|---:|")
    results = []
    for size in [parse_size(s) for s in args.rows.split(",")]:
        path = folder / f"fec-{size}.txt"
        if not path.exists():
            generate(path, size)
        runs: dict[str, list[dict]] = {t: [] for t in tools}
        for _ in range(args.repeat):
            for tool in tools:
                runs[tool].append(measure(tool, path))
        best = {}
        for tool, attempts in runs.items():
            ok = [a for a in attempts if "error" not in a]
            best[tool] = min(ok, key=lambda a: a["seconds"]) if ok else attempts[0]
        reference = best.get("duckdb", {}).get("totals")
        for tool in tools:
            r = best[tool]
            mb = round(path.stat().st_size / 1e6)
            if "error" in r:
                print(f"| {size:,} | {mb:,} | {tool} | failed: {r['error'][:80]} | | | | | | |")
                continue
            floats = any(isinstance(v, float) for v in r["totals"].values())
            got = {k: round(v) for k, v in r["totals"].items()}
            if reference is None or tool == "pandas_year":
                exact = "no reference" if tool != "pandas_year" else "(per year: not compared)"
            else:
                wrong = sum(1 for k, v in got.items() if reference.get(k) != v) + len(set(reference) - set(got))
                exact = "yes" if wrong == 0 else f"no: {wrong} of {len(reference)} totals differ"
                if floats:
                    error = max((abs(v - reference[k]) for k, v in r["totals"].items() if k in reference), default=0)
                    exact += f" once rounded (float error up to {error:.1e} cent)"
            row = {"lines": size, "mb": mb, "tool": tool, "seconds": round(r["seconds"], 3),
                   "all": [round(a["seconds"], 2) for a in runs[tool] if "seconds" in a],
                   "startup": round(r["startup"], 2), "cpu": round(r["cpu"], 2),
                   "peak_mb": round(r["peak_bytes"] / 1e6), "exact": exact,
                   "busy_before": round(r.get("busy_before", 0), 2)}
            results.append(row)
            print(f"| {size:,} | {mb:,} | {tool} | {row['seconds']:.2f} | {', '.join(f'{s:.2f}' for s in row['all'])} | "
                  f"{row['startup']:.2f} | {row['cpu']:.2f} | {row['peak_mb']:,} | {exact} | "
                  f"{row['busy_before']:.0%} |", flush=True)
        if "ours" in best and "seconds" in best["ours"]:
            ours = best["ours"]["seconds"]
            line = [f"{size:,} lines:"]
            if "seconds" in best.get("pandas", {}):
                line.append(f"pandas / ours = {best['pandas']['seconds'] / ours:.2f} (target ≥ 2)")
            if "seconds" in best.get("duckdb", {}):
                line.append(f"ours / duckdb = {ours / best['duckdb']['seconds']:.2f} (target ≤ 1.25)")
            print("\n" + "; ".join(line) + "\n", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
