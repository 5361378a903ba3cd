"""The workbook's sheet « Écritures (FEC) » / « Books (FEC) »: what was read from the books (render/books.py)
— the summary lines, then each section of what was not counted under its title, with its own header row;
amounts are exact numbers in the workbook's money format, counts and years numbers."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .books import BooksSection, BooksView, books_view
from .labels import title_of
from .messages import text
from .view import ReportDoc
from .xlsx import HEADER_ROW

AMOUNT_WIDTH = 17.0
TEXT_WIDTH = (10.0, 70.0)  # the narrowest and widest text column; longer text wraps


def books_sheet(book: Any, report: ReportDoc) -> None:
    """The sheet after the findings, written with the workbook's `_Book` (its fonts, fills and formats)."""
    view_sheet(book, report, books_view(report.books or {}, book.lang), text("books.scope", {}, book.lang),
               book.w["books_title"])


def view_sheet(book: Any, report: ReportDoc, view: BooksView, name: str, title: str) -> None:
    """A sheet `name` titled `title`: the view's summary lines, then each section under its title with its
    own header row (the books, the participation of the branches)."""
    ws = book._sheet(name)
    ws.print_title_rows = "1:2"  # the sheet's title on every page: each section has its own header row
    book._titles(ws, title, title_of(report.kind, report.scenario, report.title, book.lang))
    row = HEADER_ROW
    for line in view.lines:
        book._cell(ws, row, 1, line)
        row += 1
    widths = _widths(view.sections)
    top = book.Alignment(vertical="top", wrap_text=True)
    for section in view.sections:
        if section.title:
            row += 1
            book._cell(ws, row, 1, section.title).font = book.bold
        if section.intro:
            row += 1
            book._cell(ws, row, 1, section.intro)
        row += 1
        book._header(ws, section.headers, widths, numeric_from=section.numeric_from + 1, row=row)
        first = row + 1
        for cells in section.rows:
            row += 1
            for col, value in enumerate(cells, start=1):
                if isinstance(value, Decimal):
                    book._amount(ws, row, col, value).alignment = book.Alignment(vertical="top")
                else:
                    book._cell(ws, row, col, value).alignment = top
        book._fit_rows(ws, first, row, dict(enumerate(widths, start=1)))
        row += 1


def _widths(sections: list[BooksSection]) -> list[float]:
    """One width a column, wide enough for its longest header or cell in every section (text at most
    TEXT_WIDTH[1], wrapped beyond)."""
    widths: list[float] = []
    for section in sections:
        for row in [section.headers, *section.rows]:
            for col, value in enumerate(row):
                need = AMOUNT_WIDTH if isinstance(value, Decimal) else min(len(str(value)) + 2.0, TEXT_WIDTH[1])
                if col == len(widths):
                    widths.append(TEXT_WIDTH[0])
                widths[col] = max(widths[col], need)
    return widths
