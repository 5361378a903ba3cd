"""Documents as text tables (for a terminal) or markdown: the fund tables in the COG's form
(hierarchy, subtotals, years as columns), every column of a line-year, findings, the statement of
origins, amounts beyond the period, the reserve statement, and what was read from the books."""
from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from ..core.money import format_amount
from ..core.records import COLUMNS, SEVERITIES, BeyondPeriod, CarryStatement, Finding
from ..documents import FundTable, RunDocument
from .books import Cell, books_view, listed_row
from .labels import column_label, reserve_label, severity_label, words
from .messages import finding_text, text
from .view import people_text


def amount(value: Decimal | None, lang: str) -> str:
    """An amount in a table cell, without the € sign ('' for none)."""
    return "" if value is None else format_amount(value, lang, symbol=False)


def table(rows: list[list[str]], headers: list[str], fmt: str, numeric_from: int = 2,
          widths: dict[int, int] | None = None) -> str:
    """A text ('simple', long cells wrapped at `widths`) or markdown ('pipe') table."""
    from .texttable import render

    align = ["left"] * numeric_from + ["right"] * (len(headers) - numeric_from)
    if fmt == "md":
        rows = [[str(c).replace("|", "\\|") for c in r] for r in rows]
        return render(rows, headers, "pipe", align)
    return render(rows, headers, "simple", align, widths)


def heading(text: str, fmt: str, level: int = 2) -> str:
    return f"{'#' * level} {text}" if fmt == "md" else f"{text}\n{'=' * len(text) if level <= 2 else '-' * len(text)}"


def indented_label(label: str, depth: int, fmt: str, subtotal: bool = False, width: int = 64) -> str:
    """A COG label indented by its depth (wrapped when long in text tables, bold subtotals in markdown)."""
    if fmt == "md":
        text = "&nbsp;&nbsp;" * depth + label
        return f"**{text}**" if subtotal else text
    indent = "  " * depth
    return textwrap.fill(label, width, initial_indent=indent, subsequent_indent=indent + "  ")


def fund_table(t: FundTable, lang: str, fmt: str, column: str = "authorised") -> str:
    """Lines × years of one column, hierarchy indented, subtotals included, fund total last."""
    w = words(lang)
    rows = [[line.code, indented_label(line.label, line.depth, fmt, subtotal=not line.leaf)]
            + [amount(line.years[y][column], lang) for y in t.years] for line in t.lines]
    rows.append(["", w["total_fund"]] + [amount(t.totals[y][column], lang) for y in t.years])
    return table(rows, [w["code"], w["label"]] + [str(y) for y in t.years], fmt)


def detail_table(t: FundTable, year: int, lang: str, fmt: str) -> str:
    """Every column of RULES.md for each line of one fund-year."""
    w = words(lang)
    rows = [[line.code, line.label[:38]] + [amount(line.years[year][c], lang) for c in COLUMNS] for line in t.lines]
    rows.append(["", "TOTAL"] + [amount(t.totals[year][c], lang) for c in COLUMNS])
    return table(rows, [w["code"], w["label"]] + [column_label(c, lang) for c in COLUMNS], fmt)


def findings_table(findings: list[Finding], lang: str, fmt: str) -> str:
    w = words(lang)
    rows = [[severity_label(f.severity, lang), f.rule, f.fund or "", str(f.year or ""), f.line or "",
             people_text(finding_text(f, lang), lang), amount(f.amount, lang)] for f in findings]
    return table(rows, [w["severity"], w["rule"], w["fund"], w["year"], w["line"], w["message"], w["amount"]], fmt,
                 numeric_from=6, widths={5: 80})


def statement_table(rows: list[CarryStatement], lang: str, fmt: str) -> str:
    w = words(lang)
    body = [[s.fund, s.line, f"{s.from_year} → {s.to_year}"]
            + [amount(v, lang) for v in (s.authorised, s.executed, s.eligible, s.carried, s.lapsed)] + [s.rule]
            for s in rows]
    return table(body, [w["fund"], w["line"], w["year"], w["co_authorised"], w["co_executed"], w["co_eligible"],
                        w["co_carried"], w["co_lapsed"], w["rule"]], fmt, numeric_from=3)


def beyond_table(rows: list[BeyondPeriod], lang: str, fmt: str) -> str:
    w = words(lang)
    body = [[b.fund, b.line, f"{b.from_year} → {b.year}", column_label(b.column, lang), amount(b.amount, lang), b.rule]
            for b in rows]
    return table(body, [w["fund"], w["line"], w["year"], w["column"], w["amount"], w["rule"]], fmt, numeric_from=4)


def participation_words(rows: list, lang: str) -> tuple[str, str]:
    """The heading (with the rule IDs the COG binds) and the note under the table of participation
    (the reading of « dépenses nettes » of each fund: docs/rules.md, R-BRANCH-PARTICIPATION)."""
    w = words(lang)
    rules = ", ".join(dict.fromkeys(r.rule for r in rows))
    readings = list(dict.fromkeys(r.reading for r in rows))
    if len(readings) == 1:
        reading = w[f"reading_{readings[0]}"]
    else:  # funds of one COG may read it differently: each fund with its own
        by_fund = {r.fund: r.reading for r in rows}
        reading = " ; ".join(f"{fund} : {w[f'reading_{r}']}" if lang != "en" else f"{fund}: {w[f'reading_{r}']}"
                             for fund, r in by_fund.items())
    return w["participation_title"].format(rule=rules), w["participation_note"].format(reading=reading)


def participation_table(rows: list, lang: str, fmt: str) -> str:
    """R-BRANCH-PARTICIPATION: per fund and year, executed operating and capital, receipts, net, by branch."""
    w = words(lang)
    branches = list(dict.fromkeys(b for r in rows for b in r.by_branch))
    body = [[r.fund, str(r.year)] + [amount(v, lang) for v in (r.operating, r.capital, r.receipts, r.net, r.authorised)]
            + [amount(r.by_branch[b], lang) if b in r.by_branch else ("—" if r.split == "none" else "")
               for b in branches] for r in rows]
    return table(body, [w["fund"], w["year"], w["p_operating"], w["p_capital"], w["p_receipts"], w["p_net"],
                        w["p_forecast"], *branches], fmt)


def reserve_table(t: FundTable, lang: str, fmt: str) -> str:
    keys = ["opening", "resources", "expenses", "closing"]
    rows = [[str(r.year)] + [amount(getattr(r, k), lang) for k in keys] for r in t.reserve]
    return table(rows, [words(lang)["year"]] + [reserve_label(k, lang) for k in keys], fmt, numeric_from=1)


def assumptions_text(assumptions: dict[str, str], lang: str) -> str:
    """'Hypothèses : inflation — publiées avec la COG (cog.yaml); rmpp — du scénario.': where each
    assumption series came from (the scenario, the COG's published figures, or none)."""
    w = words(lang)
    return w["assumptions"].format(series="; ".join(f"{k} — {w.get('origin_' + v.split(' ')[0], v)}"
                                                    for k, v in assumptions.items()))


def render_run(doc: RunDocument, lang: str, fmt: str, detail: bool = False) -> str:
    """The run document as text or markdown: tables per fund, findings, statement."""
    w = words(lang)
    out = [heading(doc.scenario, fmt, 1)]
    if doc.cog is not None:
        out.append(doc.cog[1] + ("  " if fmt == "md" else ""))
    if doc.assumptions:
        out.append(assumptions_text(doc.assumptions, lang))
    if doc.as_of is not None:
        out.append(people_text(w["as_of"].format(date=doc.as_of.isoformat()), lang))
    for t in doc.funds:
        out.append(heading(f"{t.code} — {t.label} — {w['authorised_table']} (€)", fmt))
        out.append(fund_table(t, lang, fmt))
        if detail:
            for y in t.years:
                out.append(heading(f"{t.code} {y}", fmt, 3))
                out.append(detail_table(t, y, lang, fmt))
        if t.reserve:
            out.append(heading(f"{t.code} — {w['reserve']}", fmt, 3))
            out.append(reserve_table(t, lang, fmt))
    out.append(heading(f"{w['findings']} ({len(doc.findings)})", fmt))
    out.append(findings_table(doc.findings, lang, fmt) if doc.findings else f"({w['none']})")
    out += _after_findings(doc, lang, fmt)
    return "\n\n".join(out) + "\n"


def _after_findings(doc: RunDocument, lang: str, fmt: str) -> list[str]:
    """The statement of origins, the amounts beyond the period, the findings about the published
    tables and what was read from the books."""
    w = words(lang)
    out = []
    if doc.statement:
        out.append(heading(w["statement"], fmt))
        out.append(statement_table(doc.statement, lang, fmt))
    if doc.beyond:
        out.append(heading(w["beyond"], fmt))
        out.append(beyond_table(doc.beyond, lang, fmt))
    if doc.participation:
        title, note = participation_words(doc.participation, lang)
        out.append(heading(title, fmt))
        out.append(participation_table(doc.participation, lang, fmt))
        out.append(note)
    if doc.table_findings:
        out.append(heading(f"{w['tables']} ({len(doc.table_findings)})", fmt))
        out.append(findings_table(doc.table_findings, lang, fmt))
    if doc.books:
        out.append(heading(w["books_title"], fmt))
        out.append(books_text(doc.books, lang, fmt))
    return out


def books_text(books: dict[str, Any], lang: str, fmt: str = "table") -> str:
    """What was read from the FEC files (render/books.py): the summary lines, then each section of what
    was not counted under its heading, as a table or (the lines left out) a list (docs/fec.md)."""
    view = books_view(books, lang)
    out = ["\n".join(f"- {x}" if fmt == "md" else x for x in view.lines)]
    for s in view.sections:
        part = heading(s.title, fmt, 3) + "\n\n" + (s.intro + "\n\n" if s.intro else "")
        if s.listed:
            part += "\n".join(("- " if fmt == "md" else "  ") + listed_row(row) for row in s.rows)
        else:
            part += table([[_cell_text(c, lang) for c in row] for row in s.rows], s.headers, fmt, s.numeric_from)
        out.append(part)
    return "\n\n".join(out)


def _cell_text(cell: Cell, lang: str) -> str:
    return amount(cell, lang) if isinstance(cell, Decimal) else str(cell)


def render_audit(doc: RunDocument, lang: str, fmt: str) -> str:
    """The audit as text or markdown: scope, summary, findings by severity then fund-year (with
    their rule, COG citation and source), then the statement of origins and the rest."""
    w = words(lang)
    out = [heading(doc.title or doc.scenario, fmt, 1)]
    years = sorted({y for t in doc.funds for y in t.years})
    out.append(w["scope"].format(funds=", ".join(t.code for t in doc.funds), first=years[0], last=years[-1],
                                 file=doc.scenario_file)
               + (" " + people_text(w["audit_date"].format(date=doc.audit_date.isoformat()), lang)
                  if doc.audit_date else ""))
    summary = doc.summary
    out.append(heading(w["summary_title"], fmt))
    out.append(table([[severity_label(s, lang).lower(), str(summary[s])] for s in SEVERITIES],
                     [w["severity"], w["count"]], fmt, numeric_from=1))
    out.append(w["irregularities"].format(n=summary["error"]) if summary["error"] else w["no_irregularity"])
    books_warnings = sum(1 for f in getattr(doc.books, "findings", ()) if f.severity == "warning")
    if books_warnings and not summary["error"]:
        out[-1] += " " + text("books.summary_warnings", {"n": books_warnings}, lang)
    for severity in SEVERITIES:
        group = [f for f in doc.findings if f.severity == severity]
        if not group:
            continue
        out.append(heading(f"{w['findings']} — {severity_label(severity, lang).lower()} ({len(group)})", fmt))
        keys = list(dict.fromkeys((f.fund or "", f.year or 0) for f in group))  # already in COG order
        for fund, year in keys:
            sub = [f for f in group if (f.fund or "", f.year or 0) == (fund, year)]
            out.append(heading(f"{fund} {year or ''}".strip() or text("books.scope", {}, lang), fmt, 3))
            rows = [[f.rule, f.line or "", people_text(finding_text(f, lang), lang),
                     amount(f.amount, lang) if f.amount else "", f.citation, f.source or ""] for f in sub]
            out.append(table(rows, [w["rule"], w["line"], w["message"], w["amount"], w["citation"], w["source"]], fmt,
                             numeric_from=6, widths={2: 70, 4: 40}))
    out += _after_findings(doc, lang, fmt)
    return "\n\n".join(out) + "\n"
