"""The participation of the branches (R-BRANCH-PARTICIPATION: the net expenses the branches finance,
docs/rules.md) as the xlsx and HTML reports of `run` and `audit` show it: one table in the shape of the
books' sections (render/books.py), so that one layout serves both. The input is the document's
`branch_participation` (docs/json.md), amounts as strings, given back as exact Decimals; the text and
markdown reports write the same table through render/text.py."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.records import ParticipationRow
from .books import BooksSection, BooksView
from .labels import words
from .text import participation_words


def participation_view(rows: list[ParticipationRow], lang: str) -> tuple[str, BooksView]:
    """The heading, and the note (the funds' reading of « dépenses nettes ») over one table: fund, year,
    operating and capital executed, receipts, net, forecast, then each branch (— where the COG gives no
    key to split the fund)."""
    w = words(lang)
    title, note = participation_words(rows, lang)
    branches = list(dict.fromkeys(b for r in rows for b in r.by_branch))
    body: list[list[Any]] = [[r.fund, r.year, r.operating, r.capital, r.receipts, r.net, r.authorised]
                             + [r.by_branch[b] if b in r.by_branch else ("—" if r.split == "none" else "")
                                for b in branches] for r in rows]
    headers = [w["fund"], w["year"], w["p_operating"], w["p_capital"], w["p_receipts"], w["p_net"], w["p_forecast"],
               *branches]
    return title, BooksView([note], [BooksSection("", headers, body, 2)])
