"""Presentation: documents rendered as text, markdown, CSV, JSON, xlsx and HTML, with one catalogue
of words (`labels.py`) and one of sentences (`messages.py`) in French and English. Renderers take a
document (`budgetrules.documents`), never the engine's state.

    render(doc, "md", "fr") -> str        render(doc, "xlsx", "fr") -> bytes
"""
from __future__ import annotations

from typing import Any

FORMATS = ("table", "md", "csv", "json", "xlsx", "html")


def render(doc: Any, fmt: str, lang: str | None = None, *, detail: bool = False, unit: str = "publication") -> str | bytes:
    """The document in one format. `lang` None: French for people (table, md, xlsx, html), neutral
    for machines (csv, json: French messages, neutral numbers). `detail` (run): every column of
    each line-year; `unit` (funds show): "publication" (M€ for a fund published in M€) or "EUR"."""
    from ..documents import AvailableDocument, ExplainDocument, MatrixDocument, RunDocument, VirementDocument

    people = lang or "fr"
    from ..documents.bilan import BilanDocument

    if isinstance(doc, BilanDocument):
        from . import bilan

        if fmt == "json":
            from .json import dumps

            return dumps(bilan.render_json(doc, people))
        if fmt == "html":
            return bilan.render_html(doc, people)
        if fmt == "xlsx":
            return bilan.render_xlsx(doc, people)
        return bilan.render_text(doc, people, "md" if fmt == "md" else "table")
    if fmt == "json":
        from .json import render as json_render

        return json_render(doc, people)
    if fmt == "xlsx" and not isinstance(doc, RunDocument):
        from .tables_xlsx import tables_workbook

        return tables_workbook(render(doc, "csv", "neutral"), people)
    if fmt in ("xlsx", "html"):
        from .reports import render_html, render_xlsx

        if fmt == "html":
            return render_html(doc, lang=people)
        meur = None if unit == "publication" else frozenset()
        return render_xlsx(doc, lang=people, meur_funds=meur)
    if fmt == "csv":
        from . import csv

        neutral = lang or "neutral"
        if isinstance(doc, RunDocument):
            return {"run": csv.run_csv, "audit": csv.audit_csv}.get(doc.kind, _show_csv)(doc, neutral)
        if isinstance(doc, ExplainDocument):
            return csv.explain_csv(doc, neutral)
        if isinstance(doc, VirementDocument):
            return csv.virement_csv(doc, neutral)
        if isinstance(doc, MatrixDocument):
            return csv.matrix_csv(doc, neutral)
        if isinstance(doc, AvailableDocument):
            from .available import available_csv

            return available_csv(doc, neutral)
    if isinstance(doc, AvailableDocument):
        from .available import render_available

        return render_available(doc, fmt, people)
    if isinstance(doc, RunDocument):
        if doc.kind == "audit":
            from .text import render_audit

            return render_audit(doc, people, fmt)
        if doc.kind == "funds":
            from .show import render_show

            return render_show(doc, fmt, people, unit == "publication")
        from .text import render_run

        return render_run(doc, people, fmt, detail)
    if isinstance(doc, ExplainDocument):
        from .explain import render_explain

        return render_explain(doc, fmt, people)
    if isinstance(doc, VirementDocument):
        from .virement import render_answer

        return render_answer(doc, fmt, people)
    if isinstance(doc, MatrixDocument):
        from .virement import render_matrix

        return render_matrix(doc, fmt, people)
    raise ValueError(f"{type(doc).__name__} has no {fmt} form")


def _show_csv(doc: Any, lang: str) -> str:
    from .show import show_csv

    return show_csv(doc, lang)
