"""Fuzzing the YAML inputs (issue 14): mutations of the bundled scenarios, fund files and FEC mapping
give, every one, either a clean result (loaded, and for scenarios and funds run through the engine)
or the project's own InputErrors whose every problem names the file and a line > 0 — within
BUDGET seconds (a SIGALRM ends a hang). Never another exception, never a hang.

The mutations are structure-aware: a value of a `key: value` line or of a flow mapping replaced by a
nasty YAML value (numbers other readers read otherwise, explicit tags, absurd years, rates and
amounts, dates with a time, deep nesting, an alias bomb, control characters, huge texts), a key
renamed, a line deleted or duplicated, a character inserted. `benchmarks/fuzz_campaign.py` runs the
same mutations 10 000+ times and counts the outcomes; this test keeps a small sample in the suite.
"""
from __future__ import annotations

import random
import re
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.core.errors import InputErrors

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml"))
FUND_FILES = sorted(p for p in (ROOT / "funds").rglob("*.yaml")  # the fund files, wherever the layout puts them
                    if re.search(r"^citations:", p.read_text(encoding="utf-8"), re.M))
MAPPING = sorted((ROOT / "funds").rglob("mappings/canssm-fec.yaml"))[0]
BUDGET = 5  # seconds an input may take, loading and running included

_BOMB = "".join(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9) if i else ', '.join(['x'] * 9)}]\n" for i in range(9))
NASTY: tuple[str, ...] = (
    # numbers that YAML 1.1 reads otherwise, and non-numbers
    "0100", "0x10", "0o17", "0b11", "1:30", "33:43", "190:20:30", "1_000", "1 000", "'1 000'", "-0", "+5", "007",
    ".inf", "-.inf", ".nan", ".NaN", "1e3", "1.5e3", "1e28", "1.0e+1000000", "1.0e-1000000", "'1.0e-1000000'",
    "1e999999", "9" * 200, "99999999999999999999", "0.001", "-0.01", "1,5", "'1.000,50'", "2022.5", "'2023'",
    # rates
    "'1e28%'", "'1e13%'", "'10000000000000%'", "'150%'", "'-100%'", "'-150%'", "'1,5 %'", "'0.000000000000001%'",
    "'%'", "'nan%'",
    # years, days, counts
    "-1", "0", "-5", "1", "20", "366", "367", "100000000", "-1000000000", "2100", "1900", "1899", "20230",
    "[2022, 100000000]", "[2022]", "[2024, 2022]", "[-1000000000, 2024]", "[2022, 2024, 2026]", "[1900, 2200]",
    "'13-45'", "'02-29'", "'00-10'", "'6-30'", "'12-31'",
    # dates
    "2023-05-10 10:00:00", "2023-05-10T10:00:00Z", "2023-02-30", "2023-13-01", "1900-01-01", "9999-12-31",
    # explicit tags
    "!!bool 2", "!!int x", "!!timestamp x", "!!map x", "!!seq x", "!!float '12'", "!!str 12", "!!set {a}",
    "!!python/object/apply:os.system ['true']", "!foo bar", "! x", "!!binary aGVsbG8=",
    # kinds
    "~", "''", "yes", "no", "true", "[]", "{}", "[1, 2]", "{a: 1}", "[[[]]]", "{kind: execution}",
    "&a x", "*undefined", "'x\\ty'", "\"\\0\"", "\"\\e[31m\"",
    "[" * 300 + "]" * 300, "[" * 999 + "]" * 999, "[" * 1200 + "]" * 1200, "{a: " * 150 + "1" + "}" * 150,
    "'" + "x" * 100_000 + "'", "x" * 5000,
)
KEYS = ("amount", "year", "fund", "line", "kind", "ammount", "rent_years", "lag_years", "notice_days", "<<", "?",
        "2022", "0x10", "[a]", "period", "opening_year", "base_year")
RAW = ("\x00", "\x1b", "\x07", "\t", "\ufeff", "\u2028", ":", "- ", "{", "[", "&", "*", "!", "|", ">", "'", '"', "#",
       "\\", "%", "@", "`")
PARAMETERS = ("period", "reference_year", "base_year", "first_year", "opening_year", "opening", "rent_years",
              "lag_years", "notice_days", "executory_days", "primitif_latest", "rectificatif_before",
              "primitif_year_offset", "rectificatif_year_offset", "cap", "reuse", "base_forecast", "amount", "year",
              "date", "board_vote", "forecast", "realised", "price", "net_book_value", "assumptions", "expect",
              "events", "funds", "lines", "votes", "receipts", "fungibility", "expenses", "finding", "total", "dm")
_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([^\s#:{}\[\],][^:#{}\[\],]*?):(\s+)(\S.*)$")
_FLOW_PAIR = re.compile(r"([{,]\s*)([\w-]+):\s*([^,{}\[\]]+|\[[^\]]*\]|\{[^}]*\})")


def _values(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, kind) of the places a value can be replaced."""
    spots = []
    for i, text in enumerate(lines):
        if text.lstrip().startswith("#"):
            continue
        if _FLOW_PAIR.search(text):
            spots.append((i, "flow"))
        elif _KEY_VALUE.match(text):
            spots.append((i, "block"))
    return spots


def mutate(text: str, choose: Callable[[int], int]) -> str:
    """One structure-aware mutation of `text`; `choose(n)` picks an index below n (random or hypothesis)."""
    lines = text.split("\n")
    spots = _values(lines) or [(0, "block")]
    nasty = NASTY[choose(len(NASTY))]
    how = choose(12)
    i, kind = spots[choose(len(spots))]
    if how >= 10:  # a parameter: one of the values the rules read
        targets = [(j, k) for j, k in spots if any(re.search(rf"(^|[{{,\s]){p}:", lines[j]) for p in PARAMETERS)]
        if targets:
            i, kind = targets[choose(len(targets))]
            if kind == "flow":
                pairs = [m for m in _FLOW_PAIR.finditer(lines[i]) if m.group(2) in PARAMETERS] or \
                    list(_FLOW_PAIR.finditer(lines[i]))
                m = pairs[choose(len(pairs))]
                lines[i] = lines[i][:m.start(3)] + nasty + lines[i][m.end(3):]
                return "\n".join(lines)
        how = 0
    if how <= 4:  # replace a value by a nasty one
        if kind == "flow":
            pairs = list(_FLOW_PAIR.finditer(lines[i]))
            m = pairs[choose(len(pairs))]
            lines[i] = lines[i][:m.start(3)] + nasty + lines[i][m.end(3):]
        else:
            m = _KEY_VALUE.match(lines[i])
            if m:
                comment = ""
                lines[i] = f"{m.group(1)}{m.group(2)}:{m.group(3)}{nasty}{comment}"
    elif how == 5:  # rename a key
        key = KEYS[choose(len(KEYS))]
        m = _KEY_VALUE.match(lines[i])
        if kind == "block" and m:
            lines[i] = f"{m.group(1)}{key}:{m.group(3)}{m.group(4)}"
        else:
            pairs = list(_FLOW_PAIR.finditer(lines[i]))
            if pairs:
                p = pairs[choose(len(pairs))]
                lines[i] = lines[i][:p.start(2)] + key + lines[i][p.end(2):]
    elif how == 6:  # delete or duplicate a line
        j = choose(len(lines))
        if choose(2):
            del lines[j]
        else:
            lines.insert(j, lines[j])
    elif how == 7:  # a raw character somewhere
        j = choose(len(lines))
        pos = choose(len(lines[j]) + 1)
        lines[j] = lines[j][:pos] + RAW[choose(len(RAW))] + lines[j][pos:]
    elif how == 8:  # an alias bomb (anchors first, a value replaced by the last alias), or deep nesting
        m = _KEY_VALUE.match(lines[i]) if kind == "block" else None
        if choose(2):
            if m:
                lines[i] = f"{m.group(1)}{m.group(2)}:{m.group(3)}*b8"
            lines.insert(0, _BOMB.rstrip("\n") if m else _BOMB + "bomb: *b8")
        elif m:
            depth = 150 + choose(300)
            indent = " " * (len(m.group(1)) + 2)
            lines[i] = f"{m.group(1)}{m.group(2)}:\n" + "\n".join(indent + "  " * d + "a:" for d in range(depth)) + " 1"
        else:
            lines.insert(0, "\n".join("  " * d + "a:" for d in range(150 + choose(300))) + " 1")
    else:  # a whole block value replaced by a list or a mapping of nasty values
        m = _KEY_VALUE.match(lines[i]) if kind == "block" else None
        if m:
            indent = " " * (len(m.group(1)) + 2)
            item = "- " if choose(2) else "k: "
            lines[i] = f"{m.group(1)}{m.group(2)}:\n" + "\n".join(indent + item + NASTY[choose(len(NASTY))]
                                                                   for _ in range(1 + choose(3)))
    return "\n".join(lines)


# -- running one input ----------------------------------------------------------------------------------------
class Hang(Exception):
    """The input took more than BUDGET seconds."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum, frame):  # noqa: ARG001
        raise Hang(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_FUNDS: dict[str, Any] = {}


def bundled_funds() -> dict[str, Any]:
    if not _FUNDS:
        from budgetrules.io.fundfile import load_funds

        _FUNDS.update(load_funds(FUND_FILES))
    return _FUNDS


def scenarios_using(code: str) -> list[Path]:
    """Bundled scenarios that run the fund `code` (every scenario that names no funds runs them all)."""
    found = []
    for path in SCENARIOS:
        head = path.read_text(encoding="utf-8")
        m = re.search(r"^funds:\s*\[([^\]]*)\]", head, re.M)
        if m is None or code in [c.strip() for c in m.group(1).split(",")]:
            found.append(path)
    return found


def run_input(kind: str, path: Path, scenario: Path | None = None) -> str:
    """Load (and for a scenario or a fund, run) the file at `path`; return "clean" or raise InputErrors."""
    from budgetrules.engine import run
    from budgetrules.io.fundfile import load_fund
    from budgetrules.io.scenariofile import load_scenario

    if kind == "scenario":
        run(load_scenario(path, funds=bundled_funds()))
    elif kind == "fund":
        fund = load_fund(path)
        if scenario is not None:
            funds = {code: (fund if code == fund.code else f) for code, f in bundled_funds().items()}
            funds.setdefault(fund.code, fund)
            run(load_scenario(scenario, funds=funds))
    else:
        from budgetrules.fec.mapping import load_mapping

        load_mapping(path, bundled_funds())
    return "clean"


def outcome(kind: str, path: Path, scenario: Path | None = None) -> tuple[str, str]:
    """(outcome, detail): clean, input error with line, input error without line, traceback, hang."""
    try:
        with time_limit(BUDGET):
            run_input(kind, path, scenario)
    except InputErrors as exc:
        bad = [p for p in exc.problems if p.line <= 0 or not p.file]
        if not exc.problems or bad:
            return "input error without line", str(bad[0] if bad else exc)
        return "input error with line", str(exc.problems[0])
    except Hang:
        return "hang", ""
    except Exception as exc:  # noqa: BLE001 - what the fuzzing looks for
        import traceback

        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "budgetrules" in f.filename]
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        return "traceback", f"{type(exc).__name__} at {where}: {str(exc)[:200]}"
    return "clean", ""


# -- the property -------------------------------------------------------------------------------------------
def _check(tmp_path: Path, kind: str, source: Path, data, scenario: Path | None = None) -> None:
    text = mutate(source.read_text(encoding="utf-8"), lambda n: data.draw(st.integers(0, n - 1)) if n > 1 else 0)
    target = tmp_path / source.name
    target.write_text(text, encoding="utf-8")
    result, detail = outcome(kind, target, scenario)
    assert result in ("clean", "input error with line"), (result, detail)
    if result == "input error with line":  # the message names the file it is about: the mutated one, or the
        # scenario run on a mutated fund (a line code changed in the fund is unknown in the scenario)
        assert source.name in detail or (scenario is not None and scenario.name in detail), detail


FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@FUZZ
@given(source=st.sampled_from(SCENARIOS), data=st.data())
def test_mutated_scenarios_run_or_are_refused_with_a_line(tmp_path: Path, source: Path, data) -> None:
    _check(tmp_path, "scenario", source, data)


@FUZZ
@given(source=st.sampled_from(FUND_FILES), data=st.data())
def test_mutated_fund_files_run_or_are_refused_with_a_line(tmp_path: Path, source: Path, data) -> None:
    code = re.search(r"^code:\s*(\S+)", source.read_text(encoding="utf-8"), re.M).group(1)
    scenario = data.draw(st.sampled_from(scenarios_using(code)))
    _check(tmp_path, "fund", source, data, scenario)


@FUZZ
@given(data=st.data())
def test_mutated_mappings_load_or_are_refused_with_a_line(tmp_path: Path, data) -> None:
    _check(tmp_path, "mapping", MAPPING, data)


def test_the_mutations_reach_every_kind_of_change() -> None:
    """The mutator is not a no-op: over a few seeds it changes the text in each of its ten ways."""
    text = (ROOT / "scenarios" / "central.yaml").read_text(encoding="utf-8")
    changed = 0
    for seed in range(50):
        rnd = random.Random(seed)
        changed += mutate(text, lambda n: rnd.randrange(n)) != text
    assert changed >= 45


@pytest.mark.parametrize("kind,source", [("scenario", SCENARIOS[0]), ("fund", FUND_FILES[0]), ("mapping", MAPPING)])
def test_the_bundled_files_themselves_are_clean(kind: str, source: Path) -> None:
    assert outcome(kind, source) == ("clean", "")
