"""Command execution: the budget execution read from the books (FEC files) through an account mapping.

Prints the execution per fund, line and year and the receipts per account, or scenario events."""
from __future__ import annotations

import csv
import io
import json
import sys
import time
from decimal import Decimal
from typing import Any

import click

from .options import Choice, cog_option, output_option, resolve_format
from ..io.output import emit

FORMATS = ("table", "json", "csv", "yaml")


class Progress:
    """A one-line progress report on stderr, shown only on a terminal and after the first second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.start < 1.0:
            return
        elapsed = time.monotonic() - self.start
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / elapsed / 1e6
        sys.stderr.write(f"\rreading FEC [{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1):3d} %"
                         f"  {done / 1e6:,.0f}/{total / 1e6:,.0f} MB  {rate:,.0f} MB/s ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()


def _fr(cents: int) -> str:
    from decimal import Decimal

    from ..core.money import fr_amount

    return fr_amount(Decimal(cents).scaleb(-2))


def _neutral(cents: int) -> str:
    from decimal import Decimal

    from ..core.money import json_amount

    return json_amount(Decimal(cents).scaleb(-2))


@click.command("execution")
@cog_option
@click.argument("fec", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--mapping", "-m", "mapping_path", required=True, type=click.Path(),
              help="YAML mapping of account prefixes to fund lines and receipt accounts "
                   "(example: funds/canssm-2022-2024/mappings/canssm-fec.yaml).")
@click.option("--year", type=int, default=None, help="Only this year (of EcritureDate).")
@click.option("--format", "fmt", type=Choice(FORMATS), default=None,
              help="table, json, csv, or yaml: scenario events to paste under `events:` (default: from the "
                   "--output file's extension, else table).")
@output_option
@click.option("--strict", is_flag=True, help="Refuse the files (exit 2) if any line is malformed or any entry "
                                              "does not balance, instead of leaving them out.")
@click.option("--encoding", type=Choice(("auto", "utf-8", "iso-8859-15")), default="auto", show_default=True,
              help="Encoding of the FEC files (auto: UTF-8, or ISO-8859-15 when the file is not UTF-8).")
@click.option("--max-errors", type=click.IntRange(1), default=100, show_default=True,
              help="How many problems to list (all are counted).")
def execution_cmd(fec: tuple[str, ...], mapping_path: str, year: int | None, fmt: str, output: str | None,
                  strict: bool, encoding: str, max_errors: int) -> None:
    """Budget execution from the books: FEC files (article A47 A-1 of the LPF) through a mapping.

    Sums debit − credit to the cent per fund line and year (accounts of classes 6 and 2; the events
    are dated, one per line and day), and credit − debit per receipt account (class 7). Each entry is
    counted once (an entry read twice is reported); closing and opening entries are excluded and
    listed; malformed lines and entries that do not balance are left out and listed, or refused
    with --strict. The same file given twice, or a file of which every line is left out: exit 2.

    \b
    Examples:
      budgetrules execution tests/fec_data/utf8_tab_debit_credit.txt \\
          --mapping funds/canssm-2022-2024/mappings/canssm-fec.yaml
      budgetrules execution tests/fec_data/closing_opening_twice.txt tests/fec_data/legal_grammar_cr.txt \\
          -m funds/canssm-2022-2024/mappings/canssm-fec.yaml --format yaml -o events.yaml
    """
    from ..fec.mapping import events_of, fec_execution

    fmt = resolve_format(fmt, output, FORMATS)
    progress = Progress(sys.stderr.isatty())
    try:
        result = fec_execution(list(fec), mapping_path, year, strict, encoding=encoding, max_errors=max_errors,
                               progress=progress)
    finally:
        progress.close()
    events = events_of(result)
    report = result.report
    if fmt == "json":
        text = json.dumps(_document(result, events), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = _csv(result, events)
    elif fmt == "yaml":
        text = _yaml(result, events)
    else:
        text = _table(result, events)
    emit(text, output)
    if report.left_out_lines:
        click.echo(f"warning: {report.left_out_lines} line(s) left out of the totals "
                   f"({report.problem_count} problem(s), listed in the report); --strict refuses such files",
                   err=True)
    if report.excluded or report.duplicates:
        click.echo(f"note: {len(report.excluded)} closing or opening entr(y/ies) excluded, {len(report.duplicates)} "
                   "entr(y/ies) read twice counted once: listed in the report", err=True)


def _files(report: Any) -> list[dict]:
    return [{"file": f.file, "lines": f.lines, "data_lines": f.rows, "blank_lines": f.blank_lines,
             "left_out_lines": f.left_out_lines, "encoding": f.encoding,
             "separator": "tab" if f.separator == "\t" else f.separator, "variant": f.variant,
             "line_end": f.line_end, "extra_columns": list(f.extra_columns), "fingerprint": f.fingerprint}
            for f in report.files]


def _books(result: Any, events: list[dict]) -> dict:
    """The lists of the books report (fec/events.py): left out, excluded, read twice, in conflict."""
    from ..fec.events import books_report

    return dict(books_report(result, len(events)))


def _event_json(event: dict) -> dict:
    return {k: (v.isoformat() if k == "date" else v) for k, v in event.items()}


def _document(result: Any, events: list[dict]) -> dict:
    report = result.report
    books = _books(result, events)

    def row(r: Any) -> dict:
        doc: dict[str, Any] = {"year": r.year}
        if r.fund:
            doc["fund"] = r.fund
        if r.kind == "execution":
            doc.update(line=r.line, amount=_neutral(r.cents))
        elif r.kind == "receipt":
            doc.update(account=r.account, realised=_neutral(r.cents),
                       forecast=None if r.forecast is None else _neutral(int(r.forecast * 100)))
            if r.line:
                doc["to_line"] = r.line
        else:
            doc.update(account=r.account, amount=_neutral(r.cents))
        doc.update(lines=r.rows, source=r.source)
        if r.left_out_rows:
            doc.update(left_out_lines=r.left_out_rows, left_out_amount=_neutral(r.left_out_cents))
        return doc

    return {"files": _files(report), "mapping": result.mapping.file,
            "execution": [row(r) for r in result.of("execution")],
            "receipts": [row(r) for r in result.of("receipt")],
            "unmatched": [row(r) for r in result.of("unmatched")],
            "ignored": [row(r) for r in result.of("ignored")],
            "left_out": {"lines": report.left_out_lines, "unreadable_lines": books["left_out_unreadable_lines"],
                         "amount": books["left_out_amount"], "problems": report.problem_count,
                         "by_kind": dict(sorted(report.counts.items())),
                         "listed": [{"file": p.file, "line": p.line, "message": p.message} for p in report.problems]},
            "excluded": books["excluded"], "duplicates": books["duplicates"], "conflicts": books["conflicts"],
            "analytic_lines": books["analytic_lines"], "analytic_amount": books["analytic_amount"],
            "notes": report.notes, "events": [_event_json(e) for e in events]}


def _csv(result: Any, events: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "year", "fund", "line", "account", "amount", "forecast", "lines", "source",
                     "left_out_lines", "left_out_amount"])
    for r in result.rows:
        writer.writerow([r.kind, r.year, r.fund, r.line, r.account, _neutral(r.cents),
                         "" if r.forecast is None else _neutral(int(r.forecast * 100)), r.rows, r.source,
                         r.left_out_rows, _neutral(r.left_out_cents)])
    books = _books(result, events)
    for e in books["excluded"]:
        writer.writerow([e["kind"], e["date"][:4], "", "", f"{e['journal']} {e['number']} {e['date']}", e["amount"], "",
                         e["lines"], e["source"], "", ""])
    for d in books["duplicates"]:
        writer.writerow(["duplicate", d["date"][:4], "", "", f"{d['journal']} {d['number']} {d['date']}", d["amount"],
                         "", d["lines"], d["source"], "", f"counted at {d['kept']}"])
    for c in books["conflicts"]:
        writer.writerow(["conflict", c["date"][:4], "", "", f"{c['journal']} {c['number']} {c['date']}", "", "", "",
                         c["source"], "", f"counted at {c['kept']}"])
    if books["analytic_lines"]:
        writer.writerow(["analytic", "", "", "", "", books["analytic_amount"], "", books["analytic_lines"], "", "", ""])
    for p in result.report.problems:
        writer.writerow(["problem", "", "", "", "", "", "", "", f"{p.file}:{p.line}", "", p.message])
    return out.getvalue()


def _yaml(result: Any, events: list[dict]) -> str:
    from ..fec.events import fec_mark

    report = result.report
    files = ", ".join(f"{f.file} ({f.rows} lines, fingerprint {f.fingerprint})" for f in report.files)
    lines = [f"# Execution from the books: {files}; mapping {result.mapping.file}.",
             "# Generated by `budgetrules execution`; each event says in a comment the first FEC line that feeds it",
             "# and the fingerprint of its FEC, so that running these events with --execution on the same books is",
             "# refused (they would be counted twice). Execution events are dated (one per line and day)."]
    if report.left_out_lines:
        lines.append(f"# WARNING: {report.left_out_lines} line(s) were left out ({report.problem_count} problem(s)):")
        lines += [f"#   {p}" for p in report.problems[:20]]
        if report.problem_count > 20:
            lines.append("#   … see `budgetrules execution … --format table` for the others")
    if report.excluded:
        lines.append(f"# {len(report.excluded)} closing or opening entr(y/ies) excluded (not execution): see "
                     "`--format table`")
    if report.duplicates:
        lines.append(f"# {len(report.duplicates)} entr(y/ies) read twice, counted once: see `--format table`")
    lines += [f"# note: {n}" for n in report.notes]
    lines.append("events:")
    for event in events:
        fields = ", ".join(f"{k}: {_scalar(v)}" for k, v in event.items() if k not in ("source", "fec"))
        where = ", ".join(f"{part} {fec_mark(mark)}" for part, mark in zip(event["source"].split(", "), event["fec"]))
        lines.append(f"  - {{{fields}}}  # {where}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.replace(".", "").replace("-", "").isdigit():
        return f'"{text}"'
    return text if text.replace("-", "").isalnum() else json.dumps(text, ensure_ascii=False)


def _receipt_rule(result: Any) -> str:
    """The rule of the receipts listed: each receipt fund's own (its `receipts.rule`), else the rule the
    COG binds to the mechanism receipts.accounts; "" when the COG has none."""
    from ..io.cogfile import load_cog

    cog, funds = load_cog()
    named = {r.fund for r in result.mapping.rules if r.kind == "receipt"}
    rules = sorted({funds[f].receipts.rule for f in named if f in funds and funds[f].receipts.mode == "accounts"})
    if rules:
        return ", ".join(rules)
    try:
        return cog.role("receipts.accounts")
    except KeyError:
        return ""


def _table(result: Any, events: list[dict]) -> str:
    from ..render.texttable import render

    report = result.report
    out = []
    out.append(render([[f["file"], f["data_lines"], f["encoding"], f["separator"], f["variant"], f["line_end"],
                        f["left_out_lines"], f["fingerprint"]] for f in _files(report)],
                      ["FEC file", "lines", "encoding", "separator", "amounts", "line ends", "left out",
                       "fingerprint"]))
    rows = [[r.fund, r.line, r.year, _fr(r.cents), r.rows, r.source] + ([_fr(r.left_out_cents)] if r.left_out_rows else [])
            for r in result.of("execution")]
    out.append("\nExecution per fund line (debit − credit of classes 6 and 2)\n" + (
        render(rows, ["fund", "line", "year", "executed", "lines", "first line", "left out"], "simple",
               ("left", "left", "left", "right", "right", "left", "right"))
        if rows else "(none)"))
    rule = _receipt_rule(result)
    rows = [[r.fund, r.account, r.year, _fr(r.cents), "" if r.forecast is None else _fr(int(r.forecast * 100)),
             "" if r.forecast is None else _fr(max(r.cents - int(r.forecast * 100), 0)), r.rows, r.source]
            for r in result.of("receipt")]
    out.append(f"\nReceipts per account (credit − debit of class 7{', ' + rule if rule else ''})\n" + (
        render(rows, ["fund", "account", "year", "realised", "forecast", "excess", "lines", "first line"],
                 "simple", ("left", "left", "left", "right", "right", "right", "right", "left")) if rows else "(none)"))
    unmatched = result.of("unmatched")
    if unmatched:
        rows = [[r.account, r.year, _fr(r.cents), r.rows, r.source] for r in unmatched]
        out.append("\nAccounts of classes 2, 6 and 7 that match no rule of the mapping (in no event)\n" + render(
            rows, ["account", "year", "debit − credit", "lines", "first line"], "simple",
            ("left", "left", "right", "right", "left")))
    ignored = result.of("ignored")
    if ignored:
        rows = [[r.account, r.year, _fr(r.cents), r.rows] for r in ignored]
        out.append("\nIgnored by the mapping\n" + render(rows, ["prefix", "year", "debit − credit", "lines"],
                                                            "simple"))
    books = _books(result, events)
    if books["excluded"]:
        rows = [[e["kind"], f"{e['journal']} {e['number']}", e["date"], e["source"], e["lines"],
                 _fr(int(Decimal(e["amount"]) * 100))] for e in books["excluded"]]
        out.append("\nEntries that are not execution, not counted (closing: classes 6/7 against 12; opening)\n"
                   + render(rows, ["kind", "entry", "date", "first line", "lines", "debit"], "simple",
                            ("left", "left", "left", "left", "right", "right")))
    if books["duplicates"]:
        rows = [[f"{d['journal']} {d['number']}", d["date"], d["kept"], d["source"], d["lines"],
                 _fr(int(Decimal(d["amount"]) * 100))] for d in books["duplicates"]]
        out.append("\nEntries read twice (same journal, number, date and lines), counted once\n"
                   + render(rows, ["entry", "date", "counted", "read again", "lines", "debit"], "simple",
                            ("left", "left", "left", "left", "right", "right")))
    if books["conflicts"]:
        rows = [[f"{c['journal']} {c['number']}", c["date"], c["kept"], c["source"]] for c in books["conflicts"]]
        out.append("\nSame entry (journal, number, date) with other lines: the second is left out\n"
                   + render(rows, ["entry", "date", "counted", "left out"], "simple"))
    if books["analytic_lines"]:
        out.append(f"\nAnalytic lines (class 9) ignored: {books['analytic_lines']}, debit − credit "
                   f"{_fr(int(Decimal(books['analytic_amount']) * 100))}")
    if report.problem_count:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(report.counts.items()))
        out.append(f"\nLeft out: {report.left_out_lines} line(s); {report.problem_count} problem(s) ({kinds})")
        out += [f"  {p}" for p in report.problems]
        if report.problem_count > len(report.problems):
            out.append(f"  … and {report.problem_count - len(report.problems)} more (--max-errors to list them)")
    for note in report.notes:
        out.append(f"note: {note}")
    return "\n".join(out) + "\n"
