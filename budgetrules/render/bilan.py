"""The annual bilan (R-BILAN) as markdown/text, JSON, a printable HTML page and an xlsx workbook: the
funds in the COG's form with authorised, executed, available, carried and lapsed, then the sections
the annex lists, each saying so when the scenario gives no data for it. With the execution read from
the books, a sentence under the title says whether they were read whole, with the R-BOOKS-WHOLE findings,
and the books section (as `run` and `audit` show it, from render/books.py: what was read, every line left
out with its line number, the accounts not mapped, the entries excluded or read twice) closes the
document."""
from __future__ import annotations

import io
from decimal import Decimal
from html import escape
from typing import Any

from ..core.money import format_amount, json_amount
from ..core.records import COLUMNS
from ..documents.bilan import BilanDocument, LineFigures
from .json import finding_json, participation_json, reserve_json
from .labels import column_label, reserve_label, words
from .messages import text
from .text import (amount, books_text, findings_table, heading, indented_label, participation_table, participation_words,
                   table)

FUND_COLUMNS = ("authorised", "executed", "available", "carry_out", "lapsed")
SECTIONS = ("personnel", "it", "evaluative", "real_estate", "receipts", "reserve", "participation")

BOOKS_LEAD = {  # the sentence under the title of a bilan whose execution was read from the books
    "partial": {"fr": "Écritures lues en partie : l'exécution de ce bilan est incomplète. Ce qui n'a pas été compté "
                      "est dit ci-dessous (R-BOOKS-WHOLE) et listé à la fin, ligne par ligne (« {title} »).",
                "en": "Books read in part: the execution in this bilan is incomplete. What was not counted is said "
                      "below (R-BOOKS-WHOLE) and listed at the end, line by line (“{title}”)."},
    "set_aside": {"fr": "Écritures lues en entier ; des écritures ont été mises à part (R-BOOKS-WHOLE, ci-dessous), "
                        "listées à la fin (« {title} »).",
                  "en": "Books read whole; some entries were set aside (R-BOOKS-WHOLE, below), listed at the end "
                        "(“{title}”)."},
    "whole": {"fr": "Écritures lues en entier (« {title} », à la fin).",
              "en": "Books read whole (“{title}”, at the end)."},
}


def books_lead(doc: BilanDocument, lang: str) -> str:
    """Whether the execution was read from whole books ('' without --execution)."""
    if doc.books is None:
        return ""
    kind = "partial" if doc.errors else "set_aside" if doc.findings else "whole"
    return BOOKS_LEAD[kind][lang].format(title=words(lang)["books_title"])


def _books_findings(doc: BilanDocument, lang: str, fmt: str) -> tuple[str, str] | None:
    """(heading, body) of the R-BOOKS-WHOLE findings under the title, or None without them."""
    if not doc.findings:
        return None
    return (f"{words(lang)['findings']} — {text('books.scope', {}, lang)}",
            findings_table(doc.findings, lang, fmt))


def _fund_rows(doc: BilanDocument, lang: str, fmt: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, headers, rows) of each fund's table in the COG's form for the year."""
    w, y = words(lang), doc.year
    out = []
    for t in doc.funds:
        rows = [[line.code, indented_label(line.label, line.depth, fmt, subtotal=not line.leaf)]
                + [amount(line.years[y][c], lang) for c in FUND_COLUMNS] for line in t.lines]
        rows.append(["", w["total_fund"]] + [amount(t.totals[y][c], lang) for c in FUND_COLUMNS])
        out.append((f"{t.code} — {t.label}", [w["code"], w["label"]] + [column_label(c, lang) for c in FUND_COLUMNS],
                    rows))
    return out


def _lines_table(rows: list[LineFigures], lang: str, fmt: str) -> str:
    w = words(lang)
    body = [[r.fund, r.line, r.label[:50], amount(r.authorised, lang), amount(r.executed, lang),
             amount(r.available, lang)] for r in rows]
    return table(body, [w["fund"], w["line"], w["label"], column_label("authorised", lang),
                        column_label("executed", lang), column_label("available", lang)], fmt, numeric_from=3)


def _sections(doc: BilanDocument, lang: str, fmt: str) -> list[tuple[str, str]]:
    """(heading, body) of each section after the fund tables."""
    w = words(lang)
    missing = lambda key: w["bilan_missing_" + key]  # noqa: E731
    out = []
    body = table([[p.fund, p.status, str(p.agents), f"{p.fte:f}".replace(".", "," if lang == "fr" else "."),
                   amount(p.executed, lang), p.source] for p in doc.personnel],
                 [w["fund"], w["bilan_status"], w["bilan_agents"], w["bilan_fte"], column_label("executed", lang),
                  w["source"]], fmt, numeric_from=2) if doc.personnel else missing("personnel")
    out.append((w["bilan_personnel"], body))
    out.append((w["bilan_it"], _lines_table(doc.it, lang, fmt) if doc.it else missing("it")))
    out.append((w["bilan_evaluative"], _lines_table(doc.evaluative, lang, fmt) if doc.evaluative else
                missing("evaluative")))
    parts = []
    if doc.real_estate_lines:
        parts.append(_lines_table(doc.real_estate_lines, lang, fmt))
    if doc.sales:
        parts.append(table([[s.fund, s.label, amount(s.price, lang), amount(s.net_book_value, lang),
                             amount(s.gain, lang), s.use, s.source] for s in doc.sales],
                           [w["fund"], w["label"], w["bilan_price"], w["bilan_nbv"], w["bilan_gain"], w["bilan_use"],
                            w["source"]], fmt, numeric_from=2))
    out.append((w["bilan_real_estate"], "\n\n".join(parts) if parts else missing("real_estate")))
    parts = []
    if doc.receipts:
        parts.append(table([[r.fund, r.what, amount(r.realised, lang), amount(r.forecast, lang), r.source]
                            for r in doc.receipts],
                           [w["fund"], w["bilan_receipt"], w["bilan_realised"], w["bilan_forecast"], w["source"]], fmt,
                           numeric_from=2))
    if doc.reused:
        parts.append(w["bilan_reused"] + "\n\n" + _lines_table(doc.reused, lang, fmt))
    out.append((w["bilan_receipts"], "\n\n".join(parts) if parts else missing("receipts")))
    if doc.reserve:
        keys = ["opening", "resources", "expenses", "closing"]
        body = table([[code, str(r.year)] + [amount(getattr(r, k), lang) for k in keys]
                      for code, r in doc.reserve.items()],
                     [w["fund"], w["year"]] + [reserve_label(k, lang) for k in keys], fmt)
    else:
        body = missing("reserve")
    out.append((w["bilan_reserve"], body))
    if doc.participation:
        title, note = participation_words(doc.participation, lang)
        out.append((title, participation_table(doc.participation, lang, fmt) + "\n\n" + note))
    else:
        out.append((w["participation_title"].format(rule=doc.participation_rule), missing("participation")))
    return out


def render_text(doc: BilanDocument, lang: str, fmt: str) -> str:
    w = words(lang)
    out = [heading(w["bilan_title"].format(year=doc.year, name=doc.scenario), fmt, 1)]
    if doc.cog is not None:
        out.append(doc.cog[1])
    out.append(w["bilan_intro"].format(rule=doc.rule, citation=doc.citation, file=doc.scenario_file, year=doc.year))
    if doc.books is not None:
        out.append(books_lead(doc, lang))
    found = _books_findings(doc, lang, fmt)
    if found:
        out += [heading(found[0], fmt), found[1]]
    for title, headers, rows in _fund_rows(doc, lang, fmt):
        out.append(heading(title, fmt))
        out.append(table(rows, headers, fmt))
    for title, body in _sections(doc, lang, fmt):
        out.append(heading(title, fmt))
        out.append(body)
    if doc.books is not None:
        out += [heading(w["books_title"], fmt), books_text(doc.books, lang, fmt)]
    return "\n\n".join(out) + "\n"


def render_json(doc: BilanDocument, lang: str = "fr") -> dict[str, Any]:
    from .json import fund_json

    def lines(rows: list[LineFigures]) -> list[dict]:
        return [{"fund": r.fund, "line": r.line, "label": r.label, "character": r.character,
                 "authorised": json_amount(r.authorised), "executed": json_amount(r.executed),
                 "available": json_amount(r.available)} for r in rows]

    return {"kind": "bilan", "scenario": doc.scenario, "year": doc.year, "rule": doc.rule, "citation": doc.citation,
            "cog": {"code": doc.cog[0], "title": doc.cog[1]} if doc.cog else None,
            "funds": [fund_json(t, "run") for t in doc.funds],
            "personnel": [{"fund": p.fund, "status": p.status, "agents": p.agents, "fte": f"{p.fte:f}",
                           "executed": json_amount(p.executed), "source": p.source} for p in doc.personnel],
            "it": lines(doc.it), "evaluative": lines(doc.evaluative), "real_estate_lines": lines(doc.real_estate_lines),
            "sales": [{"fund": s.fund, "label": s.label, "price": json_amount(s.price),
                       "net_book_value": json_amount(s.net_book_value), "gain": json_amount(s.gain), "use": s.use,
                       "buyer": s.buyer, "source": s.source} for s in doc.sales],
            "receipts": [{"fund": r.fund, "what": r.what, "realised": json_amount(r.realised),
                          "forecast": json_amount(r.forecast), "source": r.source} for r in doc.receipts],
            "reused": lines(doc.reused),
            "reserve": {code: reserve_json(row) for code, row in doc.reserve.items()},
            "branch_participation": [participation_json(p) for p in doc.participation],
            "missing": doc.missing,
            "findings": [finding_json(f, lang) for f in doc.findings],
            **({"execution_from_books": dict(doc.books)} if doc.books is not None else {})}


PRINT_CSS = """
body { font: 13px/1.45 system-ui, sans-serif; color: #1b1f24; margin: 24px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { border-bottom: 1px solid #dde; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.sub td { font-weight: 600; background: #f4f6f9; } .missing { color: #8a5a00; font-style: italic; }
.neg { color: #b00020; } p.sub { color: #555; } p.books-partial { color: #b00020; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; } p.note { color: #555; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; font-size: 10.5px; } h2 { break-after: avoid; } tr { break-inside: avoid; }
  table { page-break-inside: auto; } }
"""


def _html_table(headers: list[str], rows: list[list[Any]], numeric_from: int, sub_rows: frozenset[int] | set[int] = frozenset()) -> str:
    head = "".join(f'<th{" class=n" if i >= numeric_from else ""}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = []
    for k, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            text = escape(str(cell))
            cls = "n" + (" neg" if str(cell).startswith("-") else "") if i >= numeric_from else ""
            cells.append(f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>")
        body.append(f'<tr{" class=sub" if k in sub_rows else ""}>{"".join(cells)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(doc: BilanDocument, lang: str = "fr") -> str:
    """One self-contained page, printable on A4 (no script, no fetched resource)."""
    w = words(lang)
    title = w["bilan_title"].format(year=doc.year, name=doc.scenario)
    parts = [f"<h1>{escape(title)}</h1>"]
    if doc.cog is not None:
        parts.append(f'<p class="sub">{escape(doc.cog[1])}</p>')
    parts.append(f"<p>{escape(w['bilan_intro'].format(rule=doc.rule, citation=doc.citation, file=doc.scenario_file, year=doc.year))}</p>")
    if doc.books is not None:
        parts.append(f'<p class="{"books-partial" if doc.errors else "books"}">{escape(books_lead(doc, lang))}</p>')
    found = _books_findings(doc, lang, "md")
    if found:
        parts.append(f"<h2>{escape(found[0])}</h2>" + _md_to_html(found[1]))
    for t, (fund_title, headers, rows) in zip(doc.funds, _fund_rows(doc, lang, "md")):
        subtotals = {k for k, line in enumerate(t.lines) if not line.leaf} | {len(t.lines)}
        clean = [[r[0], r[1].replace("&nbsp;", "\u00a0").replace("**", "")] + r[2:] for r in rows]
        parts.append(f"<h2>{escape(fund_title)}</h2>" + _html_table(headers, clean, 2, subtotals))
    for section_title, body in _sections(doc, lang, "md"):
        parts.append(f"<h2>{escape(section_title)}</h2>" + _md_to_html(body))
    if doc.books is not None:
        from .books_html import books_section

        parts.append(books_section(doc.books, lang))
    return ("<!DOCTYPE html>\n" f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")


def _md_to_html(body: str) -> str:
    """A section's markdown (pipe tables and paragraphs) as HTML."""
    out, rows = [], []

    def flush() -> None:
        if rows:
            header, data = rows[0], [r for r in rows[2:]]
            numeric_from = next((i for i, h in enumerate(header) if i > 1 and data and all(
                any(ch.isdigit() for ch in r[i]) or not r[i].strip() for r in data)), len(header))
            out.append(_html_table(header, data, numeric_from))
            rows.clear()

    for raw in body.splitlines():
        if raw.startswith("|"):
            rows.append([c.strip().replace("\\|", "|") for c in raw.strip("|").split("|")])
            continue
        flush()
        if raw.strip():
            cls = ' class="missing"' if raw.startswith(("Pas de", "No ")) else ""
            out.append(f"<p{cls}>{escape(raw)}</p>")
    flush()
    return "".join(out)


def render_xlsx(doc: BilanDocument, lang: str = "fr") -> bytes:
    """A workbook: one sheet per fund in the COG's form, one per section (exact euros in the cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    w = words(lang)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)

    def sheet(name: str, title: str, headers: list[str], rows: list[list[Any]]) -> None:
        ws = wb.create_sheet(name[:31])
        ws.append([title])
        ws["A1"].font = bold
        ws.append([])
        ws.append(headers)
        for cell in ws[3]:
            cell.font = bold
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
        for i, _ in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(3, i).column_letter].width = 16 if i > 2 else 28

    y = doc.year
    for t in doc.funds:
        rows = [[line.code, "  " * line.depth + line.label] + [line.years[y][c] for c in FUND_COLUMNS]
                for line in t.lines]
        rows.append(["", w["total_fund"]] + [t.totals[y][c] for c in FUND_COLUMNS])
        sheet(t.code, f"{t.code} — {t.label} — {y}", [w["code"], w["label"]]
              + [column_label(c, lang) for c in FUND_COLUMNS], rows)
    data = render_json(doc, lang)
    for key in ("personnel", "it", "evaluative", "real_estate_lines", "sales", "receipts", "reused",
                "branch_participation"):
        items = data[key]
        if not items:
            continue
        headers = [k for k in items[0] if k not in ("by_branch",)]
        rows = [[_cell(item[k]) for k in headers] for item in items]
        sheet(w.get("bilan_sheet_" + key, key), w.get("bilan_sheet_" + key, key), headers, rows)
    if doc.findings:
        found = data["findings"]
        headers = ["rule", "severity", "message", "amount", "source"]
        sheet(f"{w['findings']} (FEC)", books_lead(doc, lang), headers,
              [[_cell(item[k]) for k in headers] for item in found])
    if doc.books is not None:
        from .csv import books_rows

        head, *rows = books_rows(doc.books)
        sheet(text("books.scope", {}, lang), w["books_title"], head, rows)
    notes = ([[books_lead(doc, lang)]] if doc.books is not None else []) + [[w["bilan_missing_" + key]]
                                                                          for key in doc.missing]
    sheet(w["bilan_sheet_notes"], w["bilan_intro"].format(rule=doc.rule, citation=doc.citation,
                                                          file=doc.scenario_file, year=y), [""], notes)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A JSON value back as a cell: amounts as exact Decimals."""
    if isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit() and "." in value:
        return Decimal(value)
    return value


__all__ = ["COLUMNS", "SECTIONS", "format_amount", "render_html", "render_json", "render_text", "render_xlsx"]
