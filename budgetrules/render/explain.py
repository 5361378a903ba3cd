"""The provenance of one figure as a text or markdown table: every contribution with its rule,
source and note, the figure they add up to, and the citations of the rules."""
from __future__ import annotations

from ..core.money import format_amount
from ..documents import ExplainDocument
from .messages import text
from .text import people_text


def render_explain(doc: ExplainDocument, fmt: str, lang: str | None) -> str:
    from .texttable import render

    lang = lang or "fr"
    rows = [[c.column, c.line, c.rule, format_amount(c.amount, lang), c.source,
             people_text(text(c.note, c.params, lang), lang) if c.note else ""] for c in doc.contributions]
    rows.append(["=", doc.line, doc.column, format_amount(doc.value, lang), "", ""])
    title = f"{doc.fund} {doc.line} {doc.year} {doc.column} = {format_amount(doc.value, lang)}"
    table = render(rows, ["column", "line", "rule", "amount", "source", "note"], "pipe" if fmt == "md" else "simple",
                   ("left", "left", "left", "right", "left", "left"))
    cites = sorted({(c.rule, c.citation) for c in doc.contributions})
    notes = "\n".join(f"  {rule}: {citation}" for rule, citation in cites)
    head = f"## {title}" if fmt == "md" else title
    return f"{head}\n\n{table}\n\n{notes}\n"
