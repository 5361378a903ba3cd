"""The HTML report's section « Exécution lue dans les écritures (FEC) » (`<section id="ecritures">`): what was
read from the books (render/books.py) — the summary lines, then a table for each section of what was not
counted, amounts right-aligned as in the report's other tables."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from .books import BooksView, Cell, books_view
from .html import _amount_cell
from .labels import words


def books_section(books: dict[str, Any], lang: str) -> str:
    return view_section(books_view(books, lang), "ecritures", words(lang)["books_title"], lang)


def view_section(view: BooksView, section_id: str, title: str, lang: str) -> str:
    """A `<section>` with its heading, the view's summary lines as a list and a table for each section
    (the books, the participation of the branches)."""
    parts = [f'<section id="{escape(section_id)}">', f"<h2>{escape(title)}</h2>",
             "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in view.lines) + "</ul>"]
    for section in view.sections:
        if section.title:
            parts.append(f"<h3>{escape(section.title)}</h3>")
        if section.intro:
            parts.append(f'<p class="note">{escape(section.intro)}</p>')
        head = "".join(f"<th{_num(i >= section.numeric_from)}>{escape(h)}</th>" for i, h in enumerate(section.headers))
        body = "".join("<tr>" + "".join(_cell(c, i >= section.numeric_from, lang) for i, c in enumerate(row)) + "</tr>"
                       for row in section.rows)
        parts.append(f'<div class="scroll"><table class="books"><thead><tr>{head}</tr></thead>'
                     f"<tbody>{body}</tbody></table></div>")
    parts.append("</section>")
    return "\n".join(parts)


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""


def _cell(value: Cell, numeric: bool, lang: str) -> str:
    if isinstance(value, Decimal):
        return _amount_cell(value, lang)
    return f"<td{_num(numeric)}>{escape(str(value))}</td>"
