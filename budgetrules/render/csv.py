"""Documents as CSV: neutral for machines (',' and '.'), or for a spreadsheet with --lang fr (BOM,
';', decimal comma) or --lang en (BOM, ',', '.'). A document of one table is that table; a document
with several (run, audit, virement, available) puts them one after the other, each under a line
`# table: NAME` and its own header row: the multi-table form of docs/commands.md (« CSV »)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from ..core.money import json_amount
from ..core.records import COLUMNS
from ..documents import ExplainDocument, MatrixDocument, RunDocument, VirementDocument
from .messages import finding_text, text


def csv_text(rows: list[list[Any]], lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v, lang) for v in row])
    return ("" if lang == "neutral" else "\ufeff") + buf.getvalue()


def _cell(value: Any, lang: str) -> Any:
    if isinstance(value, Decimal):
        shown = json_amount(value)
        return shown.replace(".", ",") if lang == "fr" else shown
    return "" if value is None else value


def run_rows(doc: RunDocument) -> list[list[Any]]:
    """One row per fund, line and year with every column of RULES.md."""
    rows: list[list[Any]] = [["fund", "line", "label", "character", "parent", "year", *COLUMNS]]
    for t in doc.funds:
        for line in t.lines:
            for y in t.years:
                rows.append([t.code, line.code, line.label, line.character, line.parent, y]
                            + [line.years[y][c] for c in COLUMNS])
    return rows


def findings_rows(doc: RunDocument, lang: str) -> list[list[Any]]:
    """Findings (about_tables flags those on the COG's own tables)."""
    rows: list[list[Any]] = [["severity", "rule", "fund", "year", "line", "message", "amount", "citation", "source",
                              "about_tables"]]
    for about, findings in ((False, doc.findings), (True, doc.table_findings)):
        for f in findings:
            rows.append([f.severity, f.rule, f.fund, f.year, f.line, finding_text(f, "en" if lang == "en" else "fr"),
                         f.amount, f.citation, f.source, "yes" if about else "no"])
    return rows


def statement_rows(doc: RunDocument) -> list[list[Any]]:
    """The detailed statement of origins of unconsumed credits."""
    rows: list[list[Any]] = [["fund", "line", "from_year", "to_year", "authorised", "executed", "eligible", "carried",
                              "lapsed", "rule", "citation"]]
    rows += [[s.fund, s.line, s.from_year, s.to_year, s.authorised, s.executed, s.eligible, s.carried, s.lapsed,
              s.rule, s.citation] for s in doc.statement]
    return rows


def books_rows(books: dict[str, Any]) -> list[list[Any]]:
    """What was read from the books (FEC), one row per item: `section` file, left_out (a problem, with
    its line), unmatched (an account no rule maps, per year), excluded (closing or opening entry),
    duplicate (an entry read twice), conflict, analytic, note (docs/fec.md)."""
    rows: list[list[Any]] = [["section", "source", "account", "year", "entry", "date", "kind", "lines", "amount",
                              "message"]]
    for f in books["files"]:
        rows.append(["file", f["file"], "", "", "", "", f"{f['encoding']} {f['separator']} {f['variant']} "
                     f"{f.get('line_end', '')}".strip(), f["lines"], "",
                     f"{f['left_out_lines']} left out; fingerprint {f.get('fingerprint', '')}"])
    rows.append(["left_out", "", "", "", "", "", "", books["left_out_lines"],
                 Decimal(books.get("left_out_amount", "0.00")),
                 f"{books.get('left_out_unreadable_lines', 0)} unreadable; {books['problem_count']} problem(s)"])
    for p in books["problems"]:
        place, _, message = p.partition(": ")
        rows.append(["left_out", place, "", "", "", "", "", "", "", message])
    if books["problem_count"] > len(books["problems"]):
        rows.append(["left_out", "", "", "", "", "", "", "", "",
                     f"… and {books['problem_count'] - len(books['problems'])} more problem(s)"])
    for u in books.get("unmatched", []):
        rows.append(["unmatched", u["source"], u["account"], u["year"], "", "", "", u["lines"], Decimal(u["amount"]), ""])
    for e in books.get("excluded", []):
        rows.append(["excluded", e["source"], "", "", f"{e['journal']} {e['number']}", e["date"], e["kind"], e["lines"],
                     Decimal(e["amount"]), ""])
    for d in books.get("duplicates", []):
        rows.append(["duplicate", d["source"], "", "", f"{d['journal']} {d['number']}", d["date"], "", d["lines"],
                     Decimal(d["amount"]), f"counted at {d['kept']}"])
    for c in books.get("conflicts", []):
        rows.append(["conflict", c["source"], "", "", f"{c['journal']} {c['number']}", c["date"], "", "", "",
                     f"counted at {c['kept']}"])
    if books.get("analytic_lines"):
        rows.append(["analytic", "", "", "", "", "", "", books["analytic_lines"], Decimal(books["analytic_amount"]), ""])
    for note in books["notes"]:
        rows.append(["note", "", "", "", "", "", "", "", "", note])
    return rows


def run_csv(doc: RunDocument, lang: str) -> str:
    """The credits, the findings, the statement of origins (the text output's order) and, with books
    (`--execution`), what was read from the books, each under its `# table: NAME` line."""
    tables = [("credits", run_rows(doc)), ("findings", findings_rows(doc, lang)),
              ("carry_over_statement", statement_rows(doc))]
    if doc.books is not None:
        tables.append(("books", books_rows(doc.books)))
    return tables_csv(tables, lang)


def findings_csv(doc: RunDocument, lang: str) -> str:
    return csv_text(findings_rows(doc, lang), lang)


def tables_csv(tables: list[tuple[str, list[list[Any]]]], lang: str) -> str:
    """Several tables in one CSV text, each under a line `# table: NAME` and its own header row."""
    body = "".join(csv_text([[f"# table: {name}"]] + rows, lang).lstrip("\ufeff") for name, rows in tables)
    return body if lang == "neutral" else "\ufeff" + body


def audit_csv(doc: RunDocument, lang: str) -> str:
    """The findings, then the statement of origins (and what was read from the books, with `--execution`)."""
    tables = [("findings", findings_rows(doc, lang)), ("carry_over_statement", statement_rows(doc))]
    if doc.books is not None:
        tables.append(("books", books_rows(doc.books)))
    return tables_csv(tables, lang)


def explain_csv(doc: ExplainDocument, lang: str) -> str:
    rows: list[list[Any]] = [["column", "line", "rule", "amount", "date", "source", "citation", "note"]]
    rows += [[c.column, c.line, c.rule, c.amount, c.date.isoformat() if c.date else "", c.source, c.citation,
              text(c.note, c.params, "en" if lang == "en" else "fr") if c.note else ""] for c in doc.contributions]
    return csv_text(rows, lang)


def virement_csv(doc: VirementDocument, lang: str) -> str:
    """The verdict (fund, lines, amount, date, verdict, who signs, notice deadline, rules, the recorded
    virements it chains with), then the two lines before and after, each under `# table: NAME`."""
    language = "en" if lang == "en" else "fr"
    verdict = [["fund", "year", "from", "to", "amount", "date", "verdict", "authority", "notify", "notify_by",
                "rules", "chains_with"],
               [doc.fund, doc.year, doc.source_line, doc.target_line, doc.amount, doc.date.isoformat(), doc.verdict,
                text(doc.authority, {"dm_ref": doc.dm_ref}, language), doc.notify or "",
                doc.notify_by.isoformat() if doc.notify_by else "", " ".join(r for r, _ in doc.rules),
                " ".join(doc.chains)]]
    lines = [["line", "authorised_before", "available_before", "authorised_after", "available_after"]]
    for code in doc.before:
        b, a = doc.before[code], doc.after[code]
        lines.append([code, b["authorised"], b["available"], a["authorised"], a["available"]])
    return tables_csv([("verdict", verdict), ("lines", lines)], lang)


def matrix_csv(doc: MatrixDocument, lang: str) -> str:
    """One row per group-to-group direction."""
    rows: list[list[Any]] = [["fund", "from", "to", "verdict", "rule"]]
    rows += [[doc.fund, a, b, verdict, rule] for (a, b), (verdict, rule) in doc.matrix.items()]
    return csv_text(rows, lang)
