"""Line-level overruns for the HTML report: a limitative line executed beyond its authorised credit.

The group charts sum a group's lines, so a line overrun inside a group that stays within its credits
(BNGA A-I-2-HORS 2022 in the sample audit: 80 000 € over, while the fonctionnement group is 120 000 €
under) cannot be seen there. `line_overruns` finds every such line and year from the document's own
columns (executed − authorised, exact Decimals), `overruns_chart` lists them one bar each, with the
amount written beside the bar, and `charts.authorised_vs_executed` marks their groups with ▲."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from ..core.money import format_amount
from .charts import VERMILION, ZERO, Scale, _axis, _open, _rect, _text, ticks, unit_for
from .labels import words
from .view import FundView, LineRow

EVALUATIVE = "evaluative"  # indicative credits: exceeding them is no overrun (R-EVALUATIVE-INDICATIVE)


@dataclass(frozen=True)
class Overrun:
    """A leaf whose execution of `year` is above its authorised credit of that year."""

    line: LineRow
    year: str
    authorised: Decimal
    executed: Decimal

    @property
    def amount(self) -> Decimal:
        return self.executed - self.authorised


def line_overruns(fund: FundView) -> list[Overrun]:
    """Every leaf that is not evaluative, executed above its authorised credit, in table order then year."""
    found = []
    for line in fund.leaves():
        if line.character == EVALUATIVE:
            continue
        for year in fund.years:
            authorised, executed = line.amount(year, "authorised"), line.amount(year, "executed")
            if authorised is not None and executed is not None and executed > authorised:
                found.append(Overrun(line, year, authorised, executed))
    return found


def overrun_tip(o: Overrun, lang: str) -> str:
    """'A-I-2-HORS — 2022 : exécuté 7 950 000,00 €, autorisé 7 870 000,00 €, dépassement 80 000,00 €'."""
    return words(lang)["overrun_tip"].format(line=o.line.code, year=o.year, executed=format_amount(o.executed, lang),
                                             authorised=format_amount(o.authorised, lang),
                                             amount=format_amount(o.amount, lang))


def overruns_chart(fund: FundView, overruns: list[Overrun], lang: str, uid: str) -> str:
    """One row per line and year: the line's code and year, a vermilion bar as long as the overrun (a common
    scale from zero), the exact amount after the bar, and the executed and authorised credits at the right."""
    w = words(lang)
    amounts = [o.amount for o in overruns]
    tick_values = ticks(ZERO, max(amounts), 4)
    unit = unit_for(tick_values)
    label_w, width, row_h, top = 210, 1040, 26, 8
    plot_x0, plot_x1 = label_w, 600
    scale = Scale(tick_values[0], tick_values[-1], plot_x0, plot_x1)
    bottom = top + row_h * len(overruns)
    height = int(bottom + 26)
    title = f"{fund.code} — {w['chart_overruns']}"
    parts = [_open(uid, width, height, title, "; ".join(overrun_tip(o, lang) for o in overruns))]
    _axis(parts, scale, tick_values, unit, top - 2, bottom, lang)
    for r, o in enumerate(overruns):
        y = top + r * row_h
        middle = y + row_h / 2 + 4
        tip = overrun_tip(o, lang)
        parts.append(_text(label_w - 10, middle, f"{o.line.code} — {o.year}", anchor="end", size=12, weight="bold",
                           extra=f' data-line="{escape(o.line.code)}"'))
        parts.append(_rect(scale(ZERO), y + 5, scale(o.amount) - scale(ZERO), row_h - 10, VERMILION, tip))
        parts.append(_text(scale(o.amount) + 6, middle, format_amount(o.amount, lang), size=12, weight="bold",
                           fill=VERMILION))
        parts.append(_text(width - 8, middle, _credits_text(o, lang), anchor="end", size=11, fill="#444"))
    parts.append("</svg>")
    return "".join(parts)


def _credits_text(o: Overrun, lang: str) -> str:
    w = words(lang)
    return (f"{w['legend_executed'].lower()} {format_amount(o.executed, lang)} · "
            f"{w['legend_authorised'].lower()} {format_amount(o.authorised, lang)}")
