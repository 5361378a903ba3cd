"""What can still move out of a line on a date, for a budget officer (text, markdown or CSV)."""
from __future__ import annotations

from typing import Any

from ..core.money import format_amount
from ..documents import AvailableDocument
from .csv import csv_text, tables_csv
from .labels import group_label, words
from .messages import text
from .text import people_text, table
from .virement import short, verdict_legend, verdict_text


def render_available(doc: AvailableDocument, fmt: str, lang: str) -> str:
    w = words(lang)
    day = people_text(doc.date.isoformat(), lang)
    head = w["available_title"].format(fund=doc.fund, line=doc.line, label=doc.label, date=day)
    summary = w["available_summary"].format(authorised=format_amount(doc.authorised, lang),
                                            executed=format_amount(doc.executed, lang),
                                            available=format_amount(doc.available, lang),
                                            movable=format_amount(doc.movable, lang))
    rows = []
    for t in doc.targets:
        verdict = verdict_text(t.verdict, doc.notice_days, doc.notice_unit, lang)
        group = group_label(t.group, lang, doc.group_labels) if t.group else f"({text('group.none', {}, lang)})"
        rows.append([t.line, group, f"{short(doc, t.verdict)} — {verdict}", t.rule, text(t.authority, {}, lang),
                     people_text(t.notify_by.isoformat(), lang) if t.notify_by else "", ", ".join(t.chains),
                     format_amount(t.largest, lang, symbol=False)])
    body = table(rows, [w["to_line"], w["group"], w["verdict"], w["rule"], w["signs"], w["notify_by"],
                        w["chains_with"].format(rule=doc.chain_rule), w["largest"]], fmt, numeric_from=7)
    title = f"## {head}" if fmt == "md" else f"{head}\n{'=' * len(head)}"
    notes = [verdict_legend(doc, {t.verdict for t in doc.targets}, lang)]
    return "\n\n".join([title, summary, body] + notes) + "\n"


def available_csv(doc: AvailableDocument, lang: str) -> str:
    language = "en" if lang == "en" else "fr"
    line: list[list[Any]] = [["fund", "line", "date", "authorised", "executed", "available", "movable"],
                             [doc.fund, doc.line, doc.date.isoformat(), doc.authorised, doc.executed, doc.available,
                              doc.movable]]
    targets: list[list[Any]] = [["to", "group", "verdict", "rule", "largest", "authority", "notify_by", "chains_with"]]
    targets += [[t.line, t.group, t.verdict, t.rule, t.largest, text(t.authority, {}, language),
                 t.notify_by.isoformat() if t.notify_by else "", " ".join(t.chains)] for t in doc.targets]
    return tables_csv([("line", line), ("targets", targets)], lang)


__all__ = ["available_csv", "csv_text", "render_available"]
