"""The provenance of one figure as a text or markdown table: every contribution with its rule,
source and note, the figure they add up to, and the citations of the rules."""
from __future__ import annotations

from typing import Any

from ..core.money import format_amount
from ..documents import ExplainDocument
from .labels import words
from .messages import text
from .text import people_text


def _date(item: Any, lang: str) -> str:
    """The date a contribution takes effect; marked when it is the default of an undated event."""
    if item.date is None:
        return ""
    shown = people_text(item.date.isoformat(), lang)
    return shown + (" " + words(lang)["defaulted"] if item.defaulted else "")


def render_explain(doc: ExplainDocument, fmt: str, lang: str | None) -> str:
    from .texttable import render

    lang = lang or "fr"
    w = words(lang)
    rows = [[c.column, c.line, c.rule, format_amount(c.amount, lang), _date(c, lang), c.source,
             people_text(text(c.note, c.params, lang), lang) if c.note else ""] for c in doc.contributions]
    rows.append(["=", doc.line, doc.column, format_amount(doc.value, lang), "", "", ""])
    title = f"{doc.fund} {doc.line} {doc.year} {doc.column} = {format_amount(doc.value, lang)}"
    if doc.as_of is not None:
        title += " — " + people_text(w["as_of"].format(date=doc.as_of.isoformat()), lang)
    table = render(rows, [w["column"], w["line"], w["rule"], w["amount"], w["date"], w["source"], w["note"]],
                   "pipe" if fmt == "md" else "simple", ("left", "left", "left", "right", "left", "left", "left"))
    cites = sorted({(c.rule, c.citation) for c in doc.contributions})
    notes = "\n".join(f"  {rule}: {citation}" for rule, citation in cites)
    head = f"## {title}" if fmt == "md" else title
    return f"{head}\n\n{table}\n\n{notes}\n"
