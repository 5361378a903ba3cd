"""Reports people would rather look at: an .xlsx workbook and a self-contained HTML page with
inline SVG charts, both drawn from the `run` / `audit` / `funds show` JSON document.

    render_xlsx(doc, *, lang="fr", meur_funds=frozenset()) -> bytes
    render_html(doc, *, lang="fr") -> str

openpyxl is imported only when a workbook is rendered; the HTML needs nothing beyond the stdlib."""
from __future__ import annotations

from typing import Any

__all__ = ["render_html", "render_xlsx"]


def render_xlsx(doc: dict[str, Any], *, lang: str = "fr", meur_funds: frozenset[str] = frozenset()) -> bytes:
    """Return the .xlsx workbook (bytes) of a run/audit/funds-show JSON document."""
    from .xlsx import render_xlsx as _render

    return _render(doc, lang=lang, meur_funds=meur_funds)


def render_html(doc: dict[str, Any], *, lang: str = "fr") -> str:
    """Return one self-contained HTML page (no script, no fetched resource) of the document."""
    from .html import render_html as _render

    return _render(doc, lang=lang)
