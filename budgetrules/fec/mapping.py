"""From accounting entries to budget execution: the mapping of accounts to fund lines, and the events.

A YAML file says which accounts (numbers or prefixes) feed which fund line or receipt account;
`apply_mapping` sums the FEC totals (per account and EcritureDate) per fund line and year, and
`events_of` turns them into scenario events: an execution event per fund line and day (dated), a
receipt per account and year, each with the FEC lines it comes from (docs/fec.md)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

from .reader import Cell, FecBooks, FecReport, read_fec
from ..core.money import MAX_AMOUNT, ValueProblem, json_amount, parse_amount
from ..io.yaml import Collector, LineDict, display_path, line_of, load_yaml
from ..core.errors import InputErrors, Problem, unknown_message

TOP_KEYS = ("name", "description", "fund", "expenses", "receipts", "ignore")
EXPENSE_KEYS = ("fund", "line")
RECEIPT_KEYS = ("fund", "account", "forecast", "to_line")
EXPENSE_CLASSES = ("2", "6")
RECEIPT_CLASSES = ("7",)
BUDGET_CLASSES = EXPENSE_CLASSES + RECEIPT_CLASSES


@dataclass(frozen=True)
class Rule:
    """Where the accounts starting with `prefix` go: a fund line (expenses) or a receipt account."""

    prefix: str
    kind: str  # expense | receipt | ignore
    fund: str = ""
    line: str = ""  # expense: the fund line; receipt: the optional to_line
    account: str = ""  # receipt: the account of the fund's reuse table
    forecast: dict[int, Decimal] = field(default_factory=dict)
    source_line: int = 0


@dataclass
class Mapping:
    """A mapping file, read and checked."""

    file: str
    name: str
    rules: list[Rule]  # longest prefix first
    periods: dict[str, tuple[int, int]]  # fund -> (first year, last year)
    reserve_funds: frozenset[str] = frozenset()  # funds whose expenses are drawn on a reserve (fnmo_expense)

    def find(self, account: str) -> Rule | None:
        """The rule of the longest prefix of `account`, or None."""
        for rule in self.rules:
            if account.startswith(rule.prefix):
                return rule
        return None


@dataclass
class Row:
    """One figure of the execution: a fund line, a receipt account or an unmatched account, in a year;
    `days` the same figure per EcritureDate (the execution events are dated)."""

    kind: str  # execution | receipt | unmatched | ignored
    year: int
    fund: str = ""
    line: str = ""
    account: str = ""
    cents: int = 0  # debit − credit for expenses; credit − debit for receipts
    rows: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    forecast: Decimal | None = None
    left_out_cents: int = 0
    left_out_rows: int = 0
    days: dict[dt.date, list] = field(default_factory=dict)  # day -> [cents, {file: first line}]

    @property
    def amount(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)

    @property
    def source(self) -> str:
        return _source(self.sources)


def _source(sources: dict[str, int]) -> str:
    """'file:line' (the first line), one per file, in file name order."""
    return ", ".join(f"{f}:{line}" for f, line in sorted(sources.items(), key=lambda x: x[0]))


def _first(into: dict[str, int], sources: dict[str, int]) -> None:
    for file, line in sources.items():
        if line < into.get(file, line + 1):
            into[file] = line


@dataclass
class Execution:
    """The FEC totals through the mapping, ready to print or to turn into events."""

    rows: list[Row]
    report: FecReport
    mapping: Mapping
    books: FecBooks | None = None  # what the rows were summed from (its left_out cells: the lines left out)

    def of(self, kind: str) -> list[Row]:
        return [r for r in self.rows if r.kind == kind]

    @property
    def fingerprints(self) -> dict[str, str]:
        """file -> the fingerprint of its entries (FileReport.fingerprint)."""
        return {f.file: f.fingerprint for f in self.report.files}


# ------------------------------------------------------------------------------------- the file

def _funds() -> dict[str, Any]:
    from ..io.fundfile import load_funds
    from ..io.paths import bundled_fund_files

    return load_funds(bundled_fund_files())


def load_mapping(path: Path | str, funds: dict[str, Any] | None = None) -> Mapping:
    """Read and check a mapping file; every problem is reported at once (InputErrors, file:line)."""
    shown = display_path(path)
    data = load_yaml(path, shown)
    c = Collector(shown)
    funds = _funds() if funds is None else funds
    if not c.check_keys(data, TOP_KEYS, where="the mapping file"):
        c.raise_if_any()
    default_fund = data.get("fund")
    if default_fund is not None and str(default_fund) not in funds:
        c.add(line_of(data, "fund"), unknown_message("fund", default_fund, funds))
        default_fund = None
    rules: list[Rule] = []
    seen: dict[str, int] = {}

    def prefix_of(key: Any, where: str, line: int) -> str | None:
        if isinstance(key, bool) or not isinstance(key, (str, int)) or not str(key).strip():
            c.add(line, f"'{key}' in {where} is not an account number or prefix: write it in quotes, e.g. \"6063\"")
            return None
        text = str(key).strip()
        if text in seen:
            c.add(line, f"account prefix '{text}' is given twice (first at line {seen[text]})")
            return None
        seen[text] = line
        return text

    def fund_of(spec: Any, line: int) -> str | None:
        fund = spec.get("fund", default_fund) if isinstance(spec, dict) else default_fund
        if fund is None:
            c.add(line, "no fund: give 'fund' here or at the top of the file")
            return None
        if str(fund) not in funds:
            c.add(line_of(spec, "fund") if isinstance(spec, dict) else line, unknown_message("fund", fund, funds))
            return None
        return str(fund)

    def leaf(fund: str, code: Any, line: int, what: str) -> str | None:
        leaves = funds[fund].leaf_codes
        if str(code) not in leaves:
            c.add(line, unknown_message(f"{fund} line", code, leaves) + f" ({what} must be a leaf of {fund})")
            return None
        return str(code)

    expenses = data.get("expenses") or {}
    if not isinstance(expenses, dict):
        c.add(line_of(data, "expenses"), "'expenses' must map account prefixes to fund lines")
        expenses = {}
    for key, spec in expenses.items():
        line = line_of(expenses, key)
        prefix = prefix_of(key, "expenses", line)
        if isinstance(spec, dict):
            c.check_keys(spec, EXPENSE_KEYS, ("line",), where=f"expenses '{key}'")
        elif not isinstance(spec, str):
            c.add(line, f"expenses '{key}': give a line code (e.g. A-I-1) or {{fund: BNASS, line: PA-F-COL}}")
            continue
        fund = fund_of(spec, line)
        code = spec.get("line") if isinstance(spec, dict) else spec
        if prefix is None or fund is None or code is None:
            continue
        if prefix[0] not in EXPENSE_CLASSES:
            c.add(line, f"account prefix '{prefix}' is of class {prefix[0]}: expenses are accounts of class 6 "
                        "(charges) or 2 (investment)")
            continue
        code = leaf(fund, code, line_of(spec, "line") if isinstance(spec, dict) else line, "an expense line")
        if code is not None:
            rules.append(Rule(prefix, "expense", fund, code, source_line=line))

    receipts = data.get("receipts") or {}
    if not isinstance(receipts, dict):
        c.add(line_of(data, "receipts"), "'receipts' must map account prefixes to receipt accounts")
        receipts = {}
    for key, spec in receipts.items():
        line = line_of(receipts, key)
        prefix = prefix_of(key, "receipts", line)
        if spec is None:  # "7084:" alone: the account itself, no forecast
            spec = LineDict()
            spec.line, spec.key_lines = line, {}
        if not c.check_keys(spec, RECEIPT_KEYS, where=f"receipts '{key}'"):
            continue
        fund = fund_of(spec, line)
        if prefix is None or fund is None:
            continue
        if prefix[0] not in RECEIPT_CLASSES:
            c.add(line, f"account prefix '{prefix}' is of class {prefix[0]}: receipts are accounts of class 7")
            continue
        account = str(spec.get("account", prefix))
        table = [a.account for a in funds[fund].receipts.accounts]
        if funds[fund].receipts.mode == "accounts" and account not in table:
            c.add(line_of(spec, "account") if "account" in spec else line,
                  unknown_message(f"{fund} receipt account", account, table)
                  + " (the accounts of the « Tableau de réutilisation des autres recettes »)")
            continue
        to_line = spec.get("to_line")
        if to_line is not None:
            to_line = leaf(fund, to_line, line_of(spec, "to_line"), "to_line")
        forecast: dict[int, Decimal] = {}
        raw = spec.get("forecast") or {}
        if not isinstance(raw, dict):
            c.add(line_of(spec, "forecast"), "'forecast' maps years to amounts, e.g. {2022: \"120 000\"}")
            raw = {}
        for year, amount in raw.items():
            yline = line_of(raw, year)
            if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
                c.add(yline, f"'{year}' is not a year")
                continue
            try:
                forecast[year] = parse_amount(amount)
            except ValueProblem as exc:
                c.add(yline, str(exc))
        rules.append(Rule(prefix, "receipt", fund, to_line or "", account, forecast, line))

    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        c.add(line_of(data, "ignore"), "'ignore' is a list of account prefixes, e.g. [\"28\", \"68\"]")
        ignore = []
    for i, key in enumerate(ignore):
        prefix = prefix_of(key, "ignore", line_of(ignore, i))
        if prefix is not None:
            rules.append(Rule(prefix, "ignore", source_line=line_of(ignore, i)))
    c.raise_if_any()
    rules.sort(key=lambda r: (-len(r.prefix), r.prefix))
    periods = {code: (f.first_year, f.last_year) for code, f in funds.items()}
    reserve_funds = frozenset(code for code, f in funds.items() if f.reserve_fund is not None)
    return Mapping(shown, str(data.get("name", "")), rules, periods, reserve_funds)


# ------------------------------------------------------------------------------------ the totals

def apply_mapping(books: FecBooks, mapping: Mapping, year: int | None = None) -> Execution:
    """The FEC totals per fund line, per receipt account and per unmatched account (classes 2, 6, 7),
    per year of EcritureDate, and per day for the execution."""
    rows: dict[tuple, Row] = {}

    def add(cells: dict, left_out: bool) -> int:
        outside = 0
        for (account, day), cell in cells.items():
            y = day.year
            if year is not None and y != year:
                continue
            rule = mapping.find(account)
            if rule is None and account[:1] not in BUDGET_CLASSES:
                outside += cell.rows
                continue
            if rule is None:
                key: tuple = ("unmatched", y, "", "", account)
            elif rule.kind == "expense":
                key = ("execution", y, rule.fund, rule.line, "")
            elif rule.kind == "receipt":
                key = ("receipt", y, rule.fund, rule.line, rule.account)
            else:
                key = ("ignored", y, "", "", rule.prefix)
            row = rows.get(key)
            if row is None:
                row = rows[key] = Row(key[0], y, key[2], key[3], key[4])
                if rule is not None and rule.kind == "receipt":
                    row.forecast = rule.forecast.get(y)
            sign = -1 if key[0] == "receipt" else 1  # receipts: credit − debit
            if left_out:
                row.left_out_cents += sign * cell.cents
                row.left_out_rows += cell.rows
            else:
                row.cents += sign * cell.cents
                row.rows += cell.rows
                _first(row.sources, cell.sources)
                if key[0] == "execution":
                    entry = row.days.setdefault(day, [0, {}])
                    entry[0] += cell.cents
                    _first(entry[1], cell.sources)
        return outside

    others = add(books.totals, False)
    add(books.left_out, True)
    order = {"execution": 0, "receipt": 1, "unmatched": 2, "ignored": 3}
    result = sorted(rows.values(), key=lambda r: (order[r.kind], r.fund, r.line, r.account, r.year))
    report = books.report
    report.notes = []
    unmatched = [r for r in result if r.kind == "unmatched" and r.rows]
    if unmatched:
        report.notes.append(f"{len({r.account for r in unmatched})} account(s) of classes 2, 6 or 7 match no rule of "
                            f"{mapping.file}: listed under 'unmatched' with their totals, and in no event")
    if others:
        report.notes.append(f"{others} line(s) on accounts of classes 1, 3, 4, 5 and 8 are not budget execution")
    return Execution(result, report, mapping, books)


def dated(days: dict[dt.date, list]) -> list[tuple[dt.date, int, dict[str, int]]]:
    """The execution of one line in one year as dated amounts ≥ 0: (day, cents, sources).

    A day's total may be negative (a credit note, a reversal) while events are amounts ≥ 0. The
    execution counted up to any day is the least the books reach on that day or any later day of
    the year (never less than 0): E(d) = max(0, min over d' ≥ d of C(d')), C the books' running
    total. So a negative day is set against the days before it, the execution counted to a date
    is never more than the books' to that date, and the year adds up to the books' total exactly
    (when it is not negative). An event is dated on each day E rises, with that day's first lines."""
    order = sorted(days)
    running, cumulative = 0, []
    for day in order:
        running += days[day][0]
        cumulative.append(running)
    floor, levels = None, [0] * len(order)
    for i in range(len(order) - 1, -1, -1):
        floor = cumulative[i] if floor is None else min(floor, cumulative[i])
        levels[i] = max(0, floor)
    out, before = [], 0
    for day, level in zip(order, levels):
        if level > before:
            out.append((day, level - before, days[day][1]))
            before = level
    return out


def events_of(execution: Execution) -> list[dict]:
    """Scenario events (docs/scenarios.md): `execution` per fund line and day (its `date`), `receipt`
    per account and year (a receipt has no date: it is compared with its year's forecast).

    Each event has a `source` ("file.fec:LINE", the first line that feeds it, one per file, in file
    name order) and `fec`, the fingerprints of those files in the same order. What cannot be an event
    (a year outside the fund's period, a negative total, a receipt without forecast) is left out with
    a note in the report. A total of 10^15 € or more is an input error naming its FEC lines (the
    engine's amounts stay below it, so that every sum stays exact)."""
    events: list[dict] = []
    notes = execution.report.notes
    prints = execution.fingerprints
    problems: list[Problem] = []
    for row in execution.rows:
        if row.kind not in ("execution", "receipt") or row.cents == 0 and row.kind == "execution":
            continue
        first, last = execution.mapping.periods.get(row.fund, (row.year, row.year))
        what = f"{row.fund} {row.line or row.account} {row.year}"
        if not first <= row.year <= last:
            notes.append(f"{what}: {row.year} is outside the {row.fund} period {first}-{last}: no event")
            continue
        if row.cents < 0:
            notes.append(f"{what}: the total is negative ({json_amount(row.amount)}): no event")
            continue
        too_large = [(name, value) for name, value in (("total", row.amount), ("forecast", row.forecast))
                     if value is not None and abs(value) >= MAX_AMOUNT]
        if too_large:
            name, value = too_large[0]
            kind = "execution" if row.kind == "execution" else "receipts"
            problems += [Problem(file, line, f"the {kind} of {what} read from the books ({name} {json_amount(value)}) "
                                             "is too large: amounts stay below 10^15 € (so that every sum stays "
                                             "exact); is an amount of these lines misread or mistyped?")
                         for file, line in sorted(row.sources.items())]
            continue
        fec = [prints.get(file, "") for file in sorted(row.sources)]
        if row.kind == "execution" and row.fund in execution.mapping.reserve_funds:  # a reserve's expense: no date
            events.append({"kind": "reserve_expense", "year": row.year, "line": row.line,
                           "amount": json_amount(row.amount), "source": row.source, "fec": fec})
            continue
        if row.kind == "execution":
            negative = sum(1 for cents, _ in row.days.values() if cents < 0)
            if negative:
                notes.append(f"{what}: {negative} day(s) with a negative total (credit notes, reversals) set "
                             "against the days before them")
            for day, cents, sources in dated(row.days):
                events.append({"kind": "execution", "year": row.year, "fund": row.fund, "line": row.line,
                               "amount": json_amount(Decimal(cents).scaleb(-2)), "date": day,
                               "source": _source(sources), "fec": [prints.get(f, "") for f in sorted(sources)]})
            continue
        if row.forecast is None:
            notes.append(f"{what}: no forecast for {row.year} in {execution.mapping.file}: no receipt event")
            continue
        event = {"kind": "receipt", "year": row.year, "fund": row.fund, "account": row.account,
                 "realised": json_amount(row.amount), "forecast": json_amount(row.forecast)}
        if row.line:
            event["to_line"] = row.line
        event.update(source=row.source, fec=fec)
        events.append(event)
    if problems:
        raise InputErrors(problems)
    return events


def fec_execution(paths: Sequence[Path | str], mapping_path: Path | str, year: int | None = None,
                  strict: bool = False, *, encoding: str = "auto", max_errors: int = 100,
                  progress: Callable[[int, int], None] | None = None) -> Execution:
    """Read the mapping, then the FEC files, and apply the one to the other."""
    mapping = load_mapping(mapping_path)  # a bad mapping is refused before the long read
    books = read_fec(paths, strict=strict, encoding=encoding, max_errors=max_errors, progress=progress)
    return apply_mapping(books, mapping, year)


def fec_events(paths: Sequence[Path | str], mapping_path: Path | str, year: int | None = None,
               strict: bool = False, **options: Any) -> tuple[list[dict], FecReport]:
    """Scenario events from FEC files and a mapping: ([{"kind": "execution", "year": 2023, "fund": "BNGA",
    "line": "A-I-1", "amount": "4234.56", "date": date(2023, 1, 31), "source": "fec.txt:4",
    "fec": ["6b3309435316"]}, {"kind": "receipt", …}], report).

    Raises InputErrors (file:line messages) for a bad mapping, an unusable file, or with `strict`
    any malformed line, unbalanced entry or conflicting entry; otherwise those lines are left out
    and the report lists them."""
    execution = fec_execution(paths, mapping_path, year, strict, **options)
    return events_of(execution), execution.report


__all__ = ["Cell", "Execution", "InputErrors", "Mapping", "Row", "Rule", "apply_mapping", "dated", "events_of",
           "fec_events", "fec_execution", "load_mapping"]
