"""A fuzzing campaign over the YAML inputs (issue 14), outside the test suite.

Mutations of the bundled scenarios (`scenarios/**.yaml`), fund files and FEC mapping (`canssm-fec.yaml`,
under `funds/`) — the same mutations as tests/io/test_hardening_fuzz.py — are read in
process through the library (scenarios and funds also run through the engine) and a sample of them
through the command line (`budgetrules run`, `funds check`, `execution` with click's CliRunner). Each
input ends in one outcome:

  clean                     loaded (and run) without a problem, or a CLI exit 0 or 1
  input error with line     InputErrors whose every problem names a file and a line > 0 (CLI: exit 2,
                            every message `file:line: …`)
  input error without line  InputErrors with a problem of line 0 (CLI: exit 2, a message without line)
  traceback                 any other exception (CLI: exit 70, or an exception out of click)
  hang                      more than 5 s

Run: python benchmarks/fuzz_campaign.py [--inputs 10000] [--cli 1000] [--seed 14] [--keep DIR]. It
prints the counts per outcome and, for each problem outcome, the first inputs with their detail
(`--keep DIR` saves every non-clean, non-line input there to replay). It asserts nothing.
"""
from __future__ import annotations

import argparse
import collections
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "io"))  # the mutations of tests/io/test_hardening_fuzz.py

from test_hardening_fuzz import (BUDGET, FUND_FILES, MAPPING, SCENARIOS, mutate, outcome,  # noqa: E402
                                 scenarios_using, time_limit, Hang)

FEC = ROOT / "tests" / "fec_data" / "utf8_tab_debit_credit.txt"
OUTCOMES = ("clean", "input error with line", "input error without line", "traceback", "hang")
_LINE = re.compile(r"^error: [^:]+:\d+: ")


def pick_source(rnd: random.Random) -> tuple[str, Path, Path | None]:
    kind = rnd.choices(("scenario", "fund", "mapping"), weights=(5, 4, 1))[0]
    if kind == "scenario":
        return kind, rnd.choice(SCENARIOS), None
    if kind == "fund":
        source = rnd.choice(FUND_FILES)
        code = re.search(r"^code:\s*(\S+)", source.read_text(encoding="utf-8"), re.M).group(1)
        return kind, source, rnd.choice(scenarios_using(code))
    return kind, MAPPING, None


def cli_outcome(kind: str, path: Path) -> tuple[str, str]:
    from click.testing import CliRunner

    from budgetrules.cli import main

    args = {"scenario": ["run", str(path)], "fund": ["funds", "check", str(path)],
            "mapping": ["execution", str(FEC), "--mapping", str(path)]}[kind]
    try:
        with time_limit(BUDGET):
            result = CliRunner().invoke(main, args, catch_exceptions=True)
    except Hang:
        return "hang", ""
    if result.exit_code in (0, 1) and not isinstance(result.exception, Exception) or \
            result.exit_code in (0, 1) and isinstance(result.exception, SystemExit):
        return "clean", ""
    if result.exit_code == 2:
        messages = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
        if messages and all(_LINE.match(line) for line in messages):
            return "input error with line", messages[0]
        return "input error without line", (messages or [result.stderr])[0][:300]
    detail = result.stderr.strip().splitlines()[-1:] or [repr(result.exception)]
    return "traceback", f"exit {result.exit_code}: {detail[0][:300]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs read in process (default 10 000)")
    parser.add_argument("--cli", type=int, default=1_000, help="of which also run through the CLI (default 1 000)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", type=Path, default=None, help="save the inputs of problem outcomes here")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    counts = {"library": collections.Counter(), "cli": collections.Counter()}
    kinds = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    slowest = (0.0, "")
    start = time.perf_counter()
    cli_every = max(1, args.inputs // max(args.cli, 1)) if args.cli else 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.inputs):
            kind, source, scenario = pick_source(rnd)
            text = mutate(source.read_text(encoding="utf-8"), rnd.randrange)
            path = Path(tmp) / source.name
            path.write_text(text, encoding="utf-8")
            kinds[kind] += 1
            t = time.perf_counter()
            result, detail = outcome(kind, path, scenario)
            spent = time.perf_counter() - t
            if spent > slowest[0]:
                slowest = (spent, f"{kind} from {source.name}")
            counts["library"][result] += 1
            runs = [("library", result, detail)]
            if cli_every and n % cli_every == 0:
                cresult, cdetail = cli_outcome(kind, path)
                counts["cli"][cresult] += 1
                runs.append(("cli", cresult, cdetail))
            for where, res, det in runs:
                if res in ("clean", "input error with line"):
                    continue
                if len(examples[res]) < 8:
                    examples[res].append(f"[{where}] {kind} from {source.relative_to(ROOT)}: {det}")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{n:05d}-{where}-{res.replace(' ', '_')}-{source.name}").write_text(text, encoding="utf-8")
    elapsed = time.perf_counter() - start
    print(f"{args.inputs} inputs ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), seed {args.seed}, "
          f"{elapsed:.0f} s; slowest input {slowest[0]:.2f} s ({slowest[1]})")
    for where in ("library", "cli"):
        total = sum(counts[where].values())
        print(f"\n{where} ({total} inputs):")
        for name in OUTCOMES:
            print(f"  {name:26} {counts[where][name]:6}")
    for name in OUTCOMES[2:]:
        if examples[name]:
            print(f"\nfirst '{name}' inputs:")
            for line in examples[name]:
                print("  " + line)


if __name__ == "__main__":
    main()
