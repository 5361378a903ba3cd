"""`run --execution FEC… --mapping M` and `audit --execution …`: the execution and receipt events
read from the books, checked like scenario events and added to the scenario, with the report of
what was read (the documents' `books`) and the R-BOOKS-WHOLE findings when the books were not read
whole: lines left out, entries excluded or read twice, accounts the mapping does not know.

Events pasted from `budgetrules execution … --format yaml` name in a comment the fingerprint of the
FEC they come from; a scenario that holds such events, run with `--execution` on the same books,
is refused: the entries would be counted twice."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.errors import InputErrors, Problem
from ..core.money import json_amount
from ..io.scenariofile import read_events
from ..model.scenario import Scenario

MARK = re.compile(r"\(fec ([0-9a-f]{12})\)")
"""How a generated event names the fingerprint of its FEC file, in its YAML comment: `(fec 6b3309435316)`."""


def fec_mark(fingerprint: str) -> str:
    return f"(fec {fingerprint})"


def add_fec_events(scenario: Scenario, paths: Sequence[str | Path], mapping: str | Path, strict: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> tuple[Scenario, Any]:
    """The scenario with the FEC's events appended (each keeps its FEC file:line as source), and
    the reading report for the output document (a `documents.BooksReport`: what was read, exactly
    what was left out, excluded, read twice or not mapped, and the R-BOOKS-WHOLE findings).

    Input errors (exit 2): the same file given twice, a file that cannot be used or of which every
    line is left out, a total of 10^15 € or more, a scenario holding events made from the same books;
    with `strict`, any malformed line, unbalanced or conflicting entry.
    `progress(done_bytes, total_bytes)` is called while the files are read."""
    from .mapping import events_of, fec_execution

    execution = fec_execution([Path(p) for p in paths], mapping, strict=strict, progress=progress)
    raw = events_of(execution)
    _refuse_events_of_the_same_books(scenario, execution, raw)
    items = [{k: v for k, v in event.items() if k != "fec"} for event in raw]
    added = read_events(items, scenario.funds, str(mapping), first_order=len(scenario.events))
    report = books_report(execution, len(added), scenario)
    return dataclasses.replace(scenario, events=list(scenario.events) + added), report


def _refuse_events_of_the_same_books(scenario: Scenario, execution: Any, raw: list[dict]) -> None:
    """InputErrors when the scenario file holds events made from the books read now (they would be
    counted twice): events whose comment names the fingerprint of a FEC read now (one problem per
    FEC, at the first such line, with how many there are); and events made from another FEC that
    the FEC read now would make again, the same kind, line or account, day (or year) and amount (a
    re-export holding the same entries)."""
    ours = {f.fingerprint: f.file for f in execution.report.files if f.fingerprint}
    path = Path(scenario.file) if scenario.file else None
    if not ours or path is None or not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    same: dict[str, list[int]] = {}
    marked: set[int] = set()
    for number, line in enumerate(text.splitlines(), 1):
        marks = MARK.findall(line.partition("#")[2])
        if marks:
            marked.add(number)
        for mark in marks:
            if mark in ours:
                same.setdefault(mark, []).append(number)
    problems = []
    for mark, numbers in same.items():
        fec = ours[mark]
        problems.append(Problem(scenario.file, numbers[0], (
            f"{len(numbers)} event line(s) of this scenario (from this line) were made from the books of {fec} "
            f"{fec_mark(mark)} by `budgetrules execution`, and --execution {fec} reads the same books again: its "
            "entries would be counted twice. Remove those events from the scenario, or run it without "
            f"--execution {fec}")))
    if not problems and marked:
        made = {_event_key(e): e for e in raw}
        for event in scenario.events:
            file, _, number = event.source.rpartition(":")
            if not number.isdigit() or int(number) not in marked or Path(file).resolve() != path.resolve():
                continue
            twin = made.get(_event_key(event))
            if twin is not None:
                problems.append(Problem(scenario.file, int(number), (
                    f"this {event.kind} event was made from the books of another FEC (its comment names its "
                    f"fingerprint), and the books read by --execution make the same one again ({twin['source']}: "
                    "same line, day and amount): the same entries would be counted twice. Remove the events made "
                    "from those books, or run without --execution")))
                break
    if problems:
        raise InputErrors(problems)


def _event_key(event: Any) -> tuple:
    """What makes an event made from the books the same as another: its kind, line or account, day (or
    year) and amount."""
    get = (lambda k: event.get(k)) if isinstance(event, dict) else (lambda k: getattr(event, k, None))
    amount = get("amount") if get("amount") is not None else get("realised")
    return (get("kind"), get("line") or get("account"), get("date") or get("year"),
            Decimal(str(amount)) if amount is not None else None)


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def books_report(execution: Any, events: int, scenario: Scenario | None = None) -> Any:
    """The books report of documents (`execution_from_books` in JSON, docs/json.md) with its findings."""
    from ..documents import BooksReport

    report = execution.report
    books = execution.books
    left_cells = list(books.left_out.values()) if books is not None else []
    readable = sum(c.rows for c in left_cells)
    left_debit = sum(c.cents for c in left_cells if c.cents > 0)
    unmatched = [r for r in execution.of("unmatched") if r.rows]
    data: dict[str, Any] = {
        "files": [{"file": f.file, "encoding": f.encoding, "separator": "tab" if f.separator == "\t" else f.separator,
                   "variant": f.variant, "lines": f.rows, "left_out_lines": f.left_out_lines, "line_end": f.line_end,
                   "extra_columns": list(f.extra_columns), "fingerprint": f.fingerprint} for f in report.files],
        "mapping": execution.mapping.file,
        "events": events,
        "left_out_lines": report.left_out_lines,
        "left_out_unreadable_lines": report.left_out_lines - readable,
        "left_out_amount": json_amount(_euros(left_debit)),
        "problem_count": report.problem_count,
        "problems": [str(p) for p in report.problems],
        "problem_counts": dict(report.counts),
        "unmatched": [{"account": r.account, "year": r.year, "amount": json_amount(r.amount), "lines": r.rows,
                       "source": r.source} for r in unmatched],
        "excluded": [{"kind": e.kind, "journal": e.journal, "number": e.num, "date": e.date.isoformat(),
                      "source": f"{e.file}:{e.line}", "lines": e.lines, "amount": json_amount(_euros(e.cents))}
                     for e in report.excluded],
        "duplicates": [{"journal": d.key[0], "number": d.key[1], "date": d.key[2].isoformat(),
                        "kept": f"{d.kept[0]}:{d.kept[1]}", "source": f"{d.duplicate[0]}:{d.duplicate[1]}",
                        "lines": d.lines, "amount": json_amount(_euros(d.cents))} for d in report.duplicates],
        "conflicts": [{"journal": c.key[0], "number": c.key[1], "date": c.key[2].isoformat(),
                       "kept": f"{c.first[0]}:{c.first[1]}", "source": f"{c.second[0]}:{c.second[1]}"}
                      for c in report.conflicts],
        "analytic_lines": report.analytic_lines,
        "analytic_amount": json_amount(_euros(report.analytic_cents)),
        "notes": list(report.notes),
    }
    first = f"{report.problems[0].file}:{report.problems[0].line}" if report.problems else ""
    findings = books_findings(data, unmatched, scenario, first) if scenario is not None else []
    return BooksReport(data, findings)


def books_findings(data: dict[str, Any], unmatched: list, scenario: Scenario, first_left_out: str = "") -> list:
    """R-BOOKS-WHOLE: an error when lines were left out, or when accounts of classes 6 and 2 match no
    rule of the mapping (the execution read is incomplete either way); a warning when entries were
    excluded (closing, opening) or read twice (the execution is whole once they are set aside), or
    when accounts of class 7 match no rule. Each says how many lines and how much money."""
    from ..core.records import Finding

    fund = next(iter(scenario.funds.values()), None)
    if fund is None:
        return []
    rule = fund.role("books.partial")
    citation = fund.cite(rule)

    from ..documents.sources import relative_source, scenario_folder

    base = scenario_folder(scenario.file)

    def finding(severity: str, key: str, params: dict[str, Any], amount: Decimal, source: str) -> Finding:
        # the source as every finding of a document shows it: relative to the scenario's folder
        return Finding(rule, severity, None, None, None, key, params, citation, amount,  # type: ignore[arg-type]
                       relative_source(source.split(", ")[0], base))

    out = []
    if data["left_out_lines"]:
        amount = Decimal(data["left_out_amount"])
        out.append(finding("error", "books.left_out", {
            "lines": data["left_out_lines"], "unreadable": data["left_out_unreadable_lines"], "amount": amount,
            "problems": data["problem_count"]}, amount, first_left_out))
    if data["excluded"]:
        excluded = data["excluded"]
        amount = sum((Decimal(e["amount"]) for e in excluded), Decimal("0.00"))
        out.append(finding("warning", "books.excluded", {
            "entries": len(excluded), "lines": sum(e["lines"] for e in excluded), "amount": amount,
            "closing": sum(1 for e in excluded if e["kind"] == "closing"),
            "opening": sum(1 for e in excluded if e["kind"] == "opening")}, amount, excluded[0]["source"]))
    if data["duplicates"]:
        twice = data["duplicates"]
        amount = sum((Decimal(d["amount"]) for d in twice), Decimal("0.00"))
        out.append(finding("warning", "books.duplicates", {
            "entries": len(twice), "lines": sum(d["lines"] for d in twice), "amount": amount}, amount,
            twice[0]["source"]))
    for side, key, severity, sign in (("26", "books.unmatched_expenses", "error", 1),
                                      ("7", "books.unmatched_receipts", "warning", -1)):
        rows = [r for r in unmatched if r.account[:1] in side]
        if rows:
            amount = sign * sum((r.amount for r in rows), Decimal("0.00"))
            out.append(finding(severity, key, {
                "accounts": len({r.account for r in rows}), "lines": sum(r.rows for r in rows), "amount": amount,
                "mapping": data["mapping"]}, amount, rows[0].source))
    return out
