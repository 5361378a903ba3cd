"""Reports people would rather look at: an .xlsx workbook and a self-contained HTML page with
inline SVG charts, both drawn from the `run` / `audit` / `funds show` JSON document.

    render_xlsx(doc, *, lang="fr", meur_funds=frozenset()) -> bytes
    render_html(doc, *, lang="fr") -> str

openpyxl is imported only when a workbook is rendered; the HTML needs nothing beyond the stdlib."""
from __future__ import annotations

from typing import Any

__all__ = ["render_html", "render_xlsx"]


def _as_json(doc: Any, lang: str) -> dict[str, Any]:
    """The reports read the document through its JSON form (the same reader serves JSON files)."""
    if isinstance(doc, dict):
        return doc
    from .json import to_json

    return to_json(doc, lang)


def render_xlsx(doc: Any, *, lang: str = "fr", meur_funds: frozenset[str] | None = None) -> bytes:
    """Return the .xlsx workbook (bytes) of a run/audit/funds-show document (a RunDocument or its JSON).
    Funds published in M€ are shown in M€ (`meur_funds`, by default those the document says)."""
    from .xlsx import render_xlsx as _render

    if meur_funds is None:
        meur_funds = frozenset(t.code for t in getattr(doc, "funds", []) if getattr(t, "publication_unit", "") == "MEUR")
    return _render(_as_json(doc, lang), lang=lang, meur_funds=meur_funds)


def render_html(doc: Any, *, lang: str = "fr") -> str:
    """Return one self-contained HTML page (no script, no fetched resource) of the document."""
    from .html import render_html as _render

    return _render(_as_json(doc, lang), lang=lang)
