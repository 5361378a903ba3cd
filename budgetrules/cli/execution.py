"""Command execution: the budget execution read from the books (FEC files) through an account mapping.

Prints the execution per fund, line and year and the receipts per account, or scenario events."""
from __future__ import annotations

import csv
import io
import json
import sys
import time
from typing import Any

import click

from .options import Choice, cog_option, output_option
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
@click.option("--format", "fmt", type=Choice(FORMATS), default="table", show_default=True,
              help="table, json, csv, or yaml: scenario events to paste under `events:`.")
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

    Sums debit − credit to the cent per fund line and year (accounts of classes 6 and 2), and
    credit − debit per receipt account (class 7, R-RECEIPT-BNGA-ACCOUNTS). Malformed lines and
    entries that do not balance are left out and listed, or refused with --strict.

    \b
    Examples:
      budgetrules execution FEC2023.txt --mapping funds/canssm-2022-2024/mappings/canssm-fec.yaml
      budgetrules execution FEC2022.txt FEC2023.txt -m map.yaml --format yaml -o events.yaml
    """
    from ..fec.mapping import events_of, fec_execution

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
        text = _csv(result)
    elif fmt == "yaml":
        text = _yaml(result, events)
    else:
        text = _table(result)
    emit(text, output)
    if report.left_out_lines:
        click.echo(f"warning: {report.left_out_lines} line(s) left out of the totals "
                   f"({report.problem_count} problem(s), listed in the report); --strict refuses such files",
                   err=True)


def _files(report: Any) -> list[dict]:
    return [{"file": f.file, "lines": f.lines, "data_lines": f.rows, "blank_lines": f.blank_lines,
             "left_out_lines": f.left_out_lines, "encoding": f.encoding,
             "separator": "tab" if f.separator == "\t" else f.separator, "variant": f.variant}
            for f in report.files]


def _document(result: Any, events: list[dict]) -> dict:
    report = result.report

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
            "left_out": {"lines": report.left_out_lines, "problems": report.problem_count,
                         "by_kind": dict(sorted(report.counts.items())),
                         "listed": [{"file": p.file, "line": p.line, "message": p.message} for p in report.problems]},
            "notes": report.notes, "events": events}


def _csv(result: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "year", "fund", "line", "account", "amount", "forecast", "lines", "source",
                     "left_out_lines", "left_out_amount"])
    for r in result.rows:
        writer.writerow([r.kind, r.year, r.fund, r.line, r.account, _neutral(r.cents),
                         "" if r.forecast is None else _neutral(int(r.forecast * 100)), r.rows, r.source,
                         r.left_out_rows, _neutral(r.left_out_cents)])
    for p in result.report.problems:
        writer.writerow(["problem", "", "", "", "", "", "", "", f"{p.file}:{p.line}", "", p.message])
    return out.getvalue()


def _yaml(result: Any, events: list[dict]) -> str:
    report = result.report
    files = ", ".join(f"{f.file} ({f.rows} lines)" for f in report.files)
    lines = [f"# Execution from the books: {files}; mapping {result.mapping.file}.",
             "# Generated by `budgetrules execution`; each event says in a comment the first FEC line that feeds it."]
    if report.left_out_lines:
        lines.append(f"# WARNING: {report.left_out_lines} line(s) were left out ({report.problem_count} problem(s)):")
        lines += [f"#   {p}" for p in report.problems[:20]]
        if report.problem_count > 20:
            lines.append("#   … see `budgetrules execution … --format table` for the others")
    lines += [f"# note: {n}" for n in report.notes]
    lines.append("events:")
    for event in events:
        fields = ", ".join(f"{k}: {_scalar(v)}" for k, v in event.items() if k != "source")
        lines.append(f"  - {{{fields}}}  # {event['source']}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.replace(".", "").replace("-", "").isdigit():
        return f'"{text}"'
    return text if text.replace("-", "").isalnum() else json.dumps(text, ensure_ascii=False)


def _table(result: Any) -> str:
    from ..render.texttable import render

    report = result.report
    out = []
    out.append(render([[f["file"], f["data_lines"], f["encoding"], f["separator"], f["variant"], f["left_out_lines"]]
                         for f in _files(report)],
                        ["FEC file", "lines", "encoding", "separator", "amounts", "left out"]))
    rows = [[r.fund, r.line, r.year, _fr(r.cents), r.rows, r.source] + ([_fr(r.left_out_cents)] if r.left_out_rows else [])
            for r in result.of("execution")]
    out.append("\nExecution per fund line (debit − credit of classes 6 and 2)\n" + (
        render(rows, ["fund", "line", "year", "executed", "lines", "first line", "left out"], "simple",
               ("left", "left", "left", "right", "right", "left", "right"))
        if rows else "(none)"))
    rows = [[r.fund, r.account, r.year, _fr(r.cents), "" if r.forecast is None else _fr(int(r.forecast * 100)),
             "" if r.forecast is None else _fr(max(r.cents - int(r.forecast * 100), 0)), r.rows, r.source]
            for r in result.of("receipt")]
    out.append("\nReceipts per account (credit − debit of class 7, R-RECEIPT-BNGA-ACCOUNTS)\n" + (
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
    if report.problem_count:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(report.counts.items()))
        out.append(f"\nLeft out: {report.left_out_lines} line(s); {report.problem_count} problem(s) ({kinds})")
        out += [f"  {p}" for p in report.problems]
        if report.problem_count > len(report.problems):
            out.append(f"  … and {report.problem_count - len(report.problems)} more (--max-errors to list them)")
    for note in report.notes:
        out.append(f"note: {note}")
    return "\n".join(out) + "\n"
