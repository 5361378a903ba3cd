"""What was read from the books (FEC), as every report shows it: the summary lines (each file, the
analytic lines ignored, the notes) and the sections of what was not counted — the lines left out, with
their line numbers; the accounts no rule of the mapping knows, with their totals; the entries excluded
(closing, opening), read twice, or in conflict (docs/fec.md). The text, markdown, xlsx and HTML
renderers each lay out the same `BooksView`; the input is the `execution_from_books` dict of the JSON
document (docs/json.md), amounts as strings, given back as exact Decimals."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .labels import words
from .messages import text
from .view import people_text

Cell = Decimal | int | str  # an amount in euros, a count or a year, or text


@dataclass(frozen=True)
class BooksSection:
    """One table of what was not counted. `numeric_from`: the index of the first column aligned right (the
    columns from it on hold amounts and counts). `listed`: the rows are (place, sentence) pairs that text
    and markdown write as a list, `place: sentence` one a line."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]
    numeric_from: int
    intro: str = ""
    listed: bool = False


@dataclass(frozen=True)
class BooksView:
    """The summary lines (a line about the file above it starts with two spaces) and the sections."""

    lines: list[str]
    sections: list[BooksSection]


def books_view(books: dict[str, Any], lang: str) -> BooksView:
    """The books dict (`execution_from_books`) as summary lines and sections, in French or English."""
    def t(key: str, **params: Any) -> str:
        return text(key, params, lang)

    lines = []
    for f in books["files"]:
        lines.append(t("books.file", file=f["file"], lines=f["lines"], encoding=f["encoding"],
                       separator=f["separator"], variant=f["variant"], line_end=f.get("line_end", "LF"),
                       left_out=f["left_out_lines"], fingerprint=f.get("fingerprint", "")))
        if f.get("extra_columns"):
            lines.append("  " + t("books.extra_columns", columns=", ".join(f["extra_columns"])))
    if books.get("analytic_lines"):
        lines.append(t("books.analytic", lines=books["analytic_lines"], amount=Decimal(books["analytic_amount"])))
    lines += list(books["notes"])

    entry, date, kept, first, count, debit = (t("books.col.entry"), t("books.col.date"), t("books.col.kept"),
                                              t("books.col.first_line"), t("books.col.lines"), t("books.col.debit"))
    sections = []
    if books["left_out_lines"] or books["problems"]:
        sections.append(BooksSection(
            t("books.left_out_title"), [t("books.col.line"), t("books.col.problem")], _problems(books, lang), 2,
            intro=t("books.left_out_summary", lines=books["left_out_lines"],
                    amount=Decimal(books.get("left_out_amount", "0.00"))), listed=True))
    if books.get("unmatched"):
        sections.append(BooksSection(
            t("books.unmatched_title"),
            [t("books.col.account"), words(lang)["year"], first, t("books.col.debit_minus_credit"), count],
            [[u["account"], u["year"], u["source"], Decimal(u["amount"]), u["lines"]] for u in books["unmatched"]], 3))
    if books.get("excluded"):
        sections.append(BooksSection(
            t("books.excluded_title"), [t("books.col.kind"), entry, date, first, count, debit],
            [[t(f"books.kind.{e['kind']}"), _entry(e), people_text(e["date"], lang), e["source"], e["lines"],
              Decimal(e["amount"])] for e in books["excluded"]], 4))
    if books.get("duplicates"):
        sections.append(BooksSection(
            t("books.duplicates_title"), [entry, date, kept, t("books.col.again"), count, debit],
            [[_entry(d), people_text(d["date"], lang), d["kept"], d["source"], d["lines"], Decimal(d["amount"])]
             for d in books["duplicates"]], 4))
    if books.get("conflicts"):
        sections.append(BooksSection(
            t("books.conflicts_title"), [entry, date, kept, t("books.col.left_out")],
            [[_entry(c), people_text(c["date"], lang), c["kept"], c["source"]] for c in books["conflicts"]], 4))
    return BooksView(lines, sections)


def _entry(item: dict[str, Any]) -> str:
    return f"{item['journal']} {item['number']}"


def _problems(books: dict[str, Any], lang: str) -> list[list[Cell]]:
    """Each problem listed as (its place `file:line`, the sentence), dates written for people; then how many
    more were counted than listed."""
    rows: list[list[Cell]] = []
    for problem in books["problems"]:
        place, sep, sentence = people_text(problem, lang).partition(": ")
        rows.append([place, sentence] if sep else ["", place])
    if books["problem_count"] > len(books["problems"]):
        rows.append(["", text("books.more", {"n": books["problem_count"] - len(books["problems"])}, lang)])
    return rows


def listed_row(row: list[Cell]) -> str:
    """A row of a listed section as one line of text: `place: sentence`."""
    return ": ".join(str(cell) for cell in row if cell != "")
