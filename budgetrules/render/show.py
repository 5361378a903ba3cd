"""A fund's COG table (`funds show`) as text, markdown or CSV, in the COG's unit of publication
(M€ for a fund published in M€) or in euros: hierarchy, the character of each leaf (L/E/R), the
reference-year column, subtotals recomputed from their leaves and marked † where the COG prints
another figure, estimated figures marked *."""
from __future__ import annotations

from decimal import Decimal

from ..core.money import format_amount
from ..documents import RunDocument
from ..model.fund import UNIT_SYMBOL
from .csv import csv_text
from .labels import words
from .text import indented_label


_CHARACTER = {"limitative": "L", "evaluative": "E", "reserve": "R", None: ""}


def show_csv(doc: RunDocument, lang: str) -> str:
    t = doc.funds[0]
    show_ref = t.reference_year is not None and t.whole_period
    rows: list[list] = [["line", "label", "character", "parent"] + ([str(t.reference_year)] if show_ref else [])
                        + [str(y) for y in t.years]]
    for line in t.lines:
        rows.append([line.code, line.label, line.character, line.parent] + ([line.reference] if show_ref else [])
                    + [line.years[y]["base"] for y in t.years])
    return csv_text(rows, lang)


def render_show(doc: RunDocument, fmt: str, lang: str, in_publication_unit: bool = True) -> str:
    from .texttable import render

    t = doc.funds[0]
    scaled = t.unit_factor != 1 and in_publication_unit
    show_ref = t.reference_year is not None and t.whole_period

    def money(value: Decimal | None) -> str:
        if value is None:
            return ""
        if scaled:
            shown = format_amount(value / t.unit_factor, lang, symbol=False)
            return shown if t.published_decimals else shown.rsplit("," if lang == "fr" else ".", 1)[0] \
                if value % t.unit_factor == 0 else shown
        shown = format_amount(value, lang, symbol=False)
        return shown.rsplit("," if lang == "fr" else ".", 1)[0] if value == value.to_integral_value() else shown

    def differs(published: dict[int, Decimal], computed: Decimal, y: int) -> bool:
        return y in published and published[y] != computed

    rows = []
    for line in t.lines:
        label = indented_label(line.label, line.depth, fmt, subtotal=not line.leaf)
        cells = [money(line.years[y]["base"]) + (" *" if y in line.estimated else "")
                 + (" †" if differs(line.published, line.years[y]["base"], y) else "") for y in t.years]
        rows.append([line.code, label, _CHARACTER[line.character]] + ([money(line.reference)] if show_ref else [])
                    + cells)
    if not t.programmed:
        rows = [r[:3] + [""] * (len(r) - 3) for r in rows]
    for total in t.extra_totals:
        rows.append(["", total.label if fmt != "md" else f"**{total.label}**", ""]
                    + ([money(total.reference)] if show_ref else [])
                    + [money(total.years[y]["base"]) + (" †" if differs(total.published, total.years[y]["base"], y)
                                                        else "") for y in t.years])
    w = words(lang)
    headers = [w["code"], w["show_label"], ""] + ([w["show_reference"].format(year=t.reference_year)] if show_ref
                                                  else []) + [w["show_year"].format(year=y) for y in t.years]
    table = render(rows, headers, "pipe" if fmt == "md" else "simple",
                   ["left", "left", "left"] + ["right"] * (len(headers) - 3))
    title = f"{t.code} — {t.label} ({UNIT_SYMBOL[t.publication_unit] if scaled else '€'})"
    notes = []
    if any(line.estimated for line in t.lines):
        notes.append(w["show_estimated"])
    gaps = [(line.code, y, line.published[y]) for line in t.lines for y in t.years
            if differs(line.published, line.years[y]["base"], y)]
    gaps += [(total.code, y, total.published[y]) for total in t.extra_totals for y in t.years
             if differs(total.published, total.years[y]["base"], y)]
    if gaps:
        colon = " : " if lang == "fr" else ": "
        notes.append(w["show_recomputed"].format(gaps="; ".join(f"{code} {y}{colon}{money(p)}" for code, y, p in gaps),
                                                 rule=t.source_rule))
    if not t.programmed and t.reserve_opening is not None:
        notes.append(w["show_no_table"].format(opening=format_amount(t.reserve_opening, lang), rule=t.reserve_rule))
    head = f"## {title}" if fmt == "md" else f"{title}\n{'=' * len(title)}"
    return "\n\n".join([head, table] + notes) + "\n"
