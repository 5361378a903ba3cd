"""Benchmark of the FEC reader against plain pandas and DuckDB, on generated files of N million lines.

Not a test. Usage (sizes are a CLI argument; the files go to bench-data/, which git ignores):

    python benchmarks/fec_bench.py                      # 1, 10 and 20 million lines
    python benchmarks/fec_bench.py --rows 200k,1M --repeat 3
    python benchmarks/fec_bench.py --rows 20M --tools ours,duckdb

For each size, every tool runs in its own subprocess (so that its peak memory is its own) on the same file, read once just before so that it is in the page cache: `ours`
(budgetrules.fec.read_fec: exact, every line checked, entries balanced), `pandas` (the read_csv +
groupby a user would write: it sums binary floats), `duckdb` (read_csv + GROUP BY on DECIMAL: the
exact reference). Each sums debit − credit per account and year. The script prints rows/s, peak memory, the ratios, and whether each result is exact to the
cent (ours and DuckDB must agree on every cell). DuckDB is only needed here: `pip install duckdb`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
    """Import the reader and its scanner (a C extension, compiled at install)."""
    sys.path.insert(0, str(ROOT))
    import budgetrules.fec.reader  # noqa: F401


def run_ours(path: str) -> dict[str, int]:
    from budgetrules.fec.reader import read_fec

    books = read_fec([path])
    assert books.report.problem_count == 0, books.report.problems[:5]
    return {f"{a}|{y}": c.cents for (a, y), c in books.totals.items()}


def run_pandas(path: str) -> dict[str, int]:
    import pandas as pd

    df = pd.read_csv(path, sep="\t", decimal=",", dtype={"CompteNum": str})
    df["year"] = df["EcritureDate"] // 10000
    sums = df.groupby(["CompteNum", "year"])[["Debit", "Credit"]].sum()
    net = sums["Debit"] - sums["Credit"]  # binary floats: what a user gets
    return {f"{a}|{y}": v * 100 for (a, y), v in net.items()}  # float cents: rounded and compared below


def start_duckdb() -> None:
    import duckdb  # noqa: F401


def start_pandas() -> None:
    import pandas  # noqa: F401


def run_duckdb(path: str) -> dict[str, int]:
    import duckdb

    rows = duckdb.sql(f"""
        SELECT CompteNum, year(EcritureDate) AS y, sum(Debit) - sum(Credit) AS net
        FROM read_csv('{path}', delim = '\t', header = true, quote = '', decimal_separator = ',',
                      dateformat = '%Y%m%d',
                      types = {{'CompteNum': 'VARCHAR', 'EcritureDate': 'DATE',
                                'Debit': 'DECIMAL(18,2)', 'Credit': 'DECIMAL(18,2)'}})
        GROUP BY ALL""").fetchall()
    return {f"{a}|{y}": int(net * 100) for a, y, net in rows}


def peak_rss() -> int:
    """This process's peak resident memory, in bytes. On Linux, VmHWM of /proc/self/status: the peak of
    this program alone. (ru_maxrss is no good here: Linux carries it across fork and exec, so a worker
    would report the benchmark's own peak, the size of the parent at the fork, when it is larger.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux, bytes on macOS


def worker(tool: str, path: str) -> None:
    started = time.perf_counter()
    {"ours": start_ours, "pandas": start_pandas, "duckdb": start_duckdb}[tool]()
    startup = time.perf_counter() - started
    totals = {"ours": run_ours, "pandas": run_pandas, "duckdb": run_duckdb}[tool](path)
    seconds = time.perf_counter() - started
    peak = peak_rss()
    print(json.dumps({"tool": tool, "seconds": seconds, "startup": startup, "peak_bytes": peak,
                      "cpu": time.process_time(),
                      "totals": totals}))


def warm(path: Path) -> None:
    """Read the file once, so that every tool finds it in the page cache: the parsers are compared, not
    the disk (a 3 GB file read cold from this machine's disk takes some seconds on its own)."""
    with open(path, "rb", buffering=0) as fh:
        while fh.read(16 << 20):
            pass


def measure(tool: str, path: Path) -> dict:
    warm(path)
    proc = subprocess.run([sys.executable, __file__, "--worker", tool, str(path)], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"tool": tool, "error": (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1M,10M,20M", help="sizes in lines, e.g. 200k,1M,10M,20M")
    parser.add_argument("--tools", default="ours,pandas,duckdb")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each tool (interleaved); the fastest counts")
    parser.add_argument("--dir", default=str(ROOT / "bench-data"))
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; best of {args.repeat} run(s)\n")
    print("| lines | MB | tool | seconds | of which start-up | CPU s | lines/s | peak MB | exact to the cent | "
          "time / ours |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---|---:|")
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
        reference = best.get("duckdb", {}).get("totals") or best.get("ours", {}).get("totals")
        for tool in tools:
            r = best[tool]
            row = {"lines": size, "mb": round(path.stat().st_size / 1e6), "tool": tool}
            if "error" in r:
                row["error"] = r["error"]
                print(f"| {size:,} | {row['mb']:,} | {tool} | failed: {r['error'][:60]} | | | | | | |")
                results.append(row)
                continue
            floats = any(isinstance(v, float) for v in r["totals"].values())
            got = {k: round(v) for k, v in r["totals"].items()}
            wrong = sum(1 for k, v in got.items() if reference is None or reference.get(k) != v)
            if reference is not None:
                wrong += len(set(reference) - set(got))
            exact = "yes" if wrong == 0 else f"no: {wrong} of {len(reference or {})} totals differ"
            if floats and reference is not None:  # how far the float sums are from the exact ones
                error = max((abs(v - reference[k]) for k, v in r["totals"].items() if k in reference), default=0.0)
                exact += f" once rounded (float error up to {error:.1e} cent)"
            ratio = r["seconds"] / best["ours"]["seconds"] if "seconds" in best.get("ours", {}) else float("nan")
            row.update(seconds=round(r["seconds"], 2), startup=round(r["startup"], 2), cpu=round(r["cpu"], 2),
                       rows_per_s=round(size / r["seconds"]),
                       peak_mb=round(r["peak_bytes"] / 1e6), exact=exact, vs_ours=round(ratio, 2),
                       all_seconds=[round(a["seconds"], 2) for a in runs[tool] if "seconds" in a])
            results.append(row)
            print(f"| {size:,} | {row['mb']:,} | {tool} | {row['seconds']:.2f} | {row['startup']:.2f} | "
                  f"{row['cpu']:.2f} | {row['rows_per_s']:,} | {row['peak_mb']:,} | {exact} | {ratio:.2f} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
