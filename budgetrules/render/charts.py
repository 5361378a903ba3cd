"""Hand-written inline SVG charts for the HTML report: authorised vs executed per line group, the
waterfall of a year's authorised credits, the lapsed credits. Amounts stay Decimal; only the pixel
coordinates become floats, at the very last step."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from html import escape

from ..core.money import format_amount
from .view import FundView
from .labels import chart_group, column_label, group_label, words

ZERO = Decimal("0.00")
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#7F7F7F")
LIGHT_BLUE = "#A6CEE3"
YEAR_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, SKY, GREY)
WATERFALL_STEPS = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in",
                   "virements_in", "virements_out")


def _f(x: float) -> str:
    """A pixel coordinate, short and stable."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12, weight: str = "normal",
          fill: str = "#222", extra: str = "") -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}"{extra}>{escape(content)}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str | None = None, extra: str = "") -> str:
    if w < 0:
        x, w = x + w, -w
    body = f"<title>{escape(tip)}</title>" if tip else ""
    return f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(w, 0.0))}" height="{_f(h)}" fill="{fill}"{extra}>{body}</rect>'


def _open(uid: str, width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{uid}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
            f'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">'
            f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>')


# -- scales and ticks (Decimal) ----------------------------------------------------------------------

def nice_step(span: Decimal, count: int = 5) -> Decimal:
    """A step of 1, 2 or 5 × 10^k giving about `count` intervals over `span` (short tick labels)."""
    if span <= 0:
        return Decimal(1)
    raw = span / count
    exponent = raw.adjusted()
    magnitude = Decimal(1).scaleb(exponent)
    for factor in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)):
        if raw <= factor * magnitude:
            return factor * magnitude
    return Decimal(10) * magnitude  # pragma: no cover


def ticks(lo: Decimal, hi: Decimal, count: int = 5) -> list[Decimal]:
    """Round tick values covering [lo, hi] (lo may be negative)."""
    step = nice_step(hi - lo, count)
    first = (lo / step).to_integral_value(rounding="ROUND_FLOOR") * step
    out, value = [], first
    while value <= hi + step / 1000:
        out.append(value)
        value += step
    if out[-1] < hi:
        out.append(out[-1] + step)
    return out


def compact_amount(value: Decimal, unit: Decimal, lang: str) -> str:
    """Tick label: '12,5 M€' / '€12.5M', with only the decimals the value needs."""
    if value == 0:
        return "0"
    suffix_fr = {Decimal(1_000_000): " M€", Decimal(1000): " k€", Decimal(1): " €"}[unit]
    suffix_en = {Decimal(1_000_000): "M", Decimal(1000): "k", Decimal(1): ""}[unit]
    scaled = value / unit
    text = f"{abs(scaled).normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if scaled < 0 else ""
    if lang == "en":
        body = ",".join(groups) + (f".{frac}" if frac else "")
        return f"{sign}€{body}{suffix_en}"
    body = " ".join(groups) + (f",{frac}" if frac else "")
    return f"{sign}{body}{suffix_fr}"


def unit_for(values: list[Decimal]) -> Decimal:
    top = max((abs(v) for v in values), default=ZERO)
    if top >= Decimal(1_000_000):
        return Decimal(1_000_000)
    if top >= Decimal(1000):
        return Decimal(1000)
    return Decimal(1)


@dataclass(frozen=True)
class Scale:
    """Maps an amount to a pixel: the only place a Decimal becomes a float."""

    lo: Decimal
    hi: Decimal
    x0: float
    x1: float

    def __call__(self, value: Decimal) -> float:
        if self.hi == self.lo:
            return self.x0
        return self.x0 + float((value - self.lo) / (self.hi - self.lo)) * (self.x1 - self.x0)


# -- data ----------------------------------------------------------------------------------------------

def group_sums(fund: FundView, column: str) -> dict[str, dict[str, Decimal]]:
    """Sum of `column` over the leaves of each chart group: group -> year -> amount (groups in table order)."""
    sums: dict[str, dict[str, Decimal]] = {}
    for line in fund.leaves():
        group = chart_group(line.character, line.group)
        per_year = sums.setdefault(group, {})
        for year in fund.years:
            amount = line.amount(year, column)
            if amount is not None:
                per_year[year] = per_year.get(year, ZERO) + amount
    return sums


def _axis(parts: list[str], scale: Scale, tick_values: list[Decimal], unit: Decimal, top: float, bottom: float,
          lang: str, label_y: float | None = None) -> None:
    for t in tick_values:
        x = scale(t)
        colour = "#888" if t == 0 else "#ddd"
        parts.append(f'<line x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(bottom)}" stroke="{colour}" '
                     f'stroke-width="1"/>')
        parts.append(_text(x, label_y if label_y is not None else bottom + 14, compact_amount(t, unit, lang),
                           anchor="middle", size=10, fill="#555"))


# -- chart 1: authorised vs executed per line group and year -------------------------------------------

def authorised_vs_executed(fund: FundView, lang: str, uid: str,
                           marks: dict[tuple[str, str], str] | None = None) -> str:
    """Small multiples, one panel per year: per group a light bar (authorised) and a dark bar (executed);
    the part of executed above authorised is drawn in vermilion. `marks`: (group, year) -> the text of the
    line overruns inside that group that year, drawn as a vermilion ▲ after the group's bars (a line may
    exceed its credit while its group does not)."""
    named = partial(group_label, lang=lang, labels=fund.group_labels)  # the fund file's group labels
    w = words(lang)
    marks = marks or {}
    auth = group_sums(fund, "authorised")
    execd = group_sums(fund, "executed")
    groups = list(auth)
    years = fund.years
    values = [v for g in groups for v in list(auth[g].values()) + list(execd.get(g, {}).values())]
    lo = min([ZERO] + values)
    hi = max([ZERO] + values)
    if hi == lo:
        hi = lo + Decimal(1)
    unit = unit_for(values)
    label_w, width, row_h, top = 210, 1040, 30, 64
    panel_gap = 44
    panel_w = (width - label_w - 16 - panel_gap * (len(years) - 1)) / max(len(years), 1)
    height = int(top + row_h * len(groups) + 40)
    tick_values = ticks(lo, hi, 3)
    lo, hi = min(lo, tick_values[0]), max(hi, tick_values[-1])
    title = f"{fund.code} — {w['chart_auth_exec']}"
    desc = "; ".join(
        f"{named(g)} {y}: {w['legend_authorised'].lower()} {format_amount(auth[g].get(y, ZERO), lang)}, "
        f"{w['legend_executed'].lower()} {format_amount(execd.get(g, {}).get(y, ZERO), lang)}"
        for g in groups for y in years)
    desc += "".join(f"; {text}" for text in marks.values())
    parts = [_open(uid, width, height, title, desc)]
    # legend
    lx = label_w
    for colour, text in ((LIGHT_BLUE, w["legend_authorised"]), (BLUE, w["legend_executed"]),
                         (VERMILION, w["legend_overspend"])):
        parts.append(_rect(lx, 8, 14, 10, colour))
        parts.append(_text(lx + 19, 17, text, size=11))
        lx += 30 + 7.2 * len(text)
    if marks:
        parts.append(_triangle(lx + 7, 13))
        parts.append(_text(lx + 19, 17, w["legend_line_overrun"], size=11))
    bottom = top + row_h * len(groups)
    for i, year in enumerate(years):
        x0 = label_w + i * (panel_w + panel_gap)
        scale = Scale(lo, hi, x0, x0 + panel_w)
        parts.append(_text(x0 + panel_w / 2, top - 14, year, anchor="middle", size=13, weight="bold"))
        _axis(parts, scale, tick_values, unit, top - 4, bottom, lang)
        for r, group in enumerate(groups):
            y = top + r * row_h
            a = auth[group].get(year, ZERO)
            e = execd.get(group, {}).get(year)
            tip = (f"{named(group)} — {year} : " if lang == "fr" else f"{named(group)} — {year}: ")
            tip += f"{w['legend_authorised'].lower()} {format_amount(a, lang)}"
            if e is not None:
                tip += f", {w['legend_executed'].lower()} {format_amount(e, lang)}"
            parts.append(_rect(scale(ZERO), y + 4, scale(a) - scale(ZERO), row_h - 10, LIGHT_BLUE, tip))
            if e is not None:
                over = a >= 0 and e > a  # executed above a non-negative authorisation: the excess in vermilion
                parts.append(_rect(scale(ZERO), y + 11, scale(a if over else e) - scale(ZERO), row_h - 24, BLUE, tip))
                if over:
                    parts.append(_rect(scale(a), y + 11, scale(e) - scale(a), row_h - 24, VERMILION, tip))
            if (group, year) in marks:
                end = max(scale(a), scale(e) if e is not None else scale(a), scale(ZERO))
                parts.append(_triangle(end + 8, y + row_h / 2 - 2, marks[(group, year)]))
    for r, group in enumerate(groups):
        parts.append(_text(label_w - 10, top + r * row_h + row_h / 2 + 1, named(group), anchor="end",
                           size=12, extra=' dominant-baseline="middle"'))
    parts.append("</svg>")
    return "".join(parts)


def _triangle(x: float, y: float, tip: str | None = None) -> str:
    """The ▲ that marks a line overrun (centred on x, y)."""
    body = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<path class="overrun-mark" d="M{_f(x - 6)} {_f(y + 5)} L{_f(x)} {_f(y - 6)} L{_f(x + 6)} {_f(y + 5)} Z" '
            f'fill="{VERMILION}">{body}</path>')


# -- chart 2: waterfall of a year's authorised credits ------------------------------------------------

def waterfall(fund: FundView, year: str, lang: str, uid: str) -> str:
    """Horizontal waterfall of the fund's authorised credits of `year`: base, then each adjustment
    (green up, vermilion down), then the authorised total. The axis is truncated when the adjustments
    are small beside the base, and says so."""
    w = words(lang)
    totals = fund.totals.get(year, {})
    steps: list[tuple[str, Decimal]] = []
    for column in WATERFALL_STEPS:
        if column not in totals:
            continue
        amount = totals[column]
        if column == "virements_out":
            amount = -amount
        steps.append((column, amount))
    authorised = totals.get("authorised")
    if not steps or steps[0][0] != "base":
        return ""
    levels = [ZERO]
    running = ZERO
    for _, amount in steps:
        running += amount
        levels.append(running)
    final = authorised if authorised is not None else running
    levels.append(final)
    lo_level, hi_level = min(levels[1:]), max(levels[1:])
    span = hi_level - lo_level
    truncated = lo_level > 0 and 0 < span < lo_level / 2
    if truncated:
        pad = max(span / 4, lo_level / 1000)
        tick_values = ticks(lo_level - pad, hi_level + pad / 2, 2)
        axis_lo = tick_values[0]
    else:
        tick_values = ticks(min(ZERO, lo_level), max(ZERO, hi_level), 2)
        axis_lo = tick_values[0]
    axis_hi = tick_values[-1]
    unit = unit_for(tick_values)
    rows = len(steps) + 1
    # narrow enough for the three years of a fund side by side on a printed A4 landscape page
    label_w, value_w, width, row_h, top = 138, 112, 400, 22, 34
    plot_x0, plot_x1 = label_w, width - value_w - 10
    scale = Scale(axis_lo, axis_hi, plot_x0, plot_x1)
    bottom = top + row_h * rows
    height = int(bottom + (44 if truncated else 26))
    title = f"{fund.code} — {w['chart_waterfall'].format(year=year)}"
    desc = "; ".join(f"{_step_label(c, lang)} {format_amount(a, lang)}" for c, a in steps)
    desc += f"; {w['step_total']} {format_amount(final, lang)}"
    parts = [_open(uid, width, height, title, desc)]
    parts.append(_text(4, 18, title, size=13, weight="bold"))
    _axis(parts, scale, tick_values, unit, top - 2, bottom, lang)
    running = ZERO
    previous_x: float | None = None
    for i, (column, amount) in enumerate(steps + [("_total", final)]):
        y = top + i * row_h
        if column in ("base", "_total"):
            start, end, colour = axis_lo, amount, BLUE
            running = amount if column == "base" else running
        else:
            start, end = running, running + amount
            colour = GREEN if amount > 0 else VERMILION if amount < 0 else GREY
            running = end
        label = w["step_total"] if column == "_total" else _step_label(column, lang)
        sign = "+" if column not in ("base", "_total") and amount > 0 else ""
        value_text = sign + format_amount(amount, lang)
        weight = "bold" if column in ("base", "_total") else "normal"
        parts.append(_text(label_w - 8, y + row_h / 2 + 4, label, anchor="end", size=11, weight=weight))
        x_start, x_end = scale(start), scale(end)
        if x_start == x_end:
            parts.append(f'<line x1="{_f(x_start)}" y1="{_f(y + 4)}" x2="{_f(x_start)}" y2="{_f(y + row_h - 4)}" '
                         f'stroke="{colour}" stroke-width="2"><title>{escape(label)} : {escape(value_text)}</title></line>')
        else:
            parts.append(_rect(x_start, y + 4, x_end - x_start, row_h - 8, colour, f"{label} : {value_text}"
                               if lang == "fr" else f"{label}: {value_text}"))
        if previous_x is not None:
            parts.append(f'<line x1="{_f(previous_x)}" y1="{_f(y - 4)}" x2="{_f(previous_x)}" y2="{_f(y + 4)}" '
                         f'stroke="#555" stroke-width="1" stroke-dasharray="2,2"/>')
        previous_x = scale(running)
        parts.append(_text(width - 8, y + row_h / 2 + 4, value_text, anchor="end", size=11, weight=weight,
                           fill=VERMILION if amount < 0 else "#222" if amount or weight == "bold" else "#999"))
        if truncated and column in ("base", "_total"):  # a break mark on the truncated bars
            bx = plot_x0 + 6
            parts.append(f'<path d="M{_f(bx - 3)} {_f(y + 2)} L{_f(bx + 1)} {_f(y + row_h / 2)} '
                         f'L{_f(bx - 3)} {_f(y + row_h - 2)}" stroke="#fff" stroke-width="3" fill="none"/>')
    if truncated:
        parts.append(_text(4, bottom + 36, w["axis_truncated"].format(value=format_amount(axis_lo, lang)),
                           size=10, fill="#555", extra=' font-style="italic"'))
    parts.append("</svg>")
    return "".join(parts)


def _step_label(column: str, lang: str) -> str:
    w = words(lang)
    if column == "base":
        return w["step_base"]
    if column in ("virements_in", "virements_out"):
        return w[f"step_{column}"]
    return column_label(column, lang)


# -- chart 3: lapsed credits -------------------------------------------------------------------------

def lapsed(fund: FundView, lang: str, uid: str) -> str:
    """Per line group, one bar per year of the credits cancelled at the close of that year."""
    named = partial(group_label, lang=lang, labels=fund.group_labels)  # the fund file's group labels
    w = words(lang)
    sums = group_sums(fund, "lapsed")
    groups = list(sums)
    years = fund.years
    values = [v for g in groups for v in sums[g].values()]
    hi = max([ZERO] + values)
    lo = min([ZERO] + values)
    if hi == lo:
        hi = lo + Decimal(1)
    tick_values = ticks(lo, hi, 5)
    unit = unit_for(tick_values)
    bar_h, gap = 9, 12
    row_h = bar_h * len(years) + gap
    label_w, value_w, width, top = 210, 130, 1040, 44
    scale = Scale(tick_values[0], tick_values[-1], label_w, width - value_w - 10)
    bottom = top + row_h * len(groups)
    height = int(bottom + 28)
    title = f"{fund.code} — {w['chart_lapsed']}"
    desc = "; ".join(f"{named(g)} {y}: {format_amount(sums[g].get(y, ZERO), lang)}"
                     for g in groups for y in years)
    parts = [_open(uid, width, height, title, desc)]
    lx = label_w
    for i, year in enumerate(years):
        parts.append(_rect(lx, 10, 14, 10, YEAR_COLOURS[i % len(YEAR_COLOURS)]))
        parts.append(_text(lx + 19, 19, year, size=11))
        lx += 70
    _axis(parts, scale, tick_values, unit, top - 4, bottom, lang)
    for r, group in enumerate(groups):
        y0 = top + r * row_h
        parts.append(_text(label_w - 10, y0 + (row_h - gap) / 2 + 4, named(group), anchor="end", size=12))
        for i, year in enumerate(years):
            amount = sums[group].get(year)
            if amount is None:
                continue
            y = y0 + i * bar_h
            tip = f"{named(group)} — {year} : {format_amount(amount, lang)}" if lang == "fr" else \
                f"{named(group)} — {year}: {format_amount(amount, lang)}"
            parts.append(_rect(scale(ZERO), y, scale(amount) - scale(ZERO), bar_h - 1,
                               YEAR_COLOURS[i % len(YEAR_COLOURS)], tip))
        total = sum((sums[group].get(y, ZERO) for y in years), ZERO)
        parts.append(_text(width - 8, y0 + (row_h - gap) / 2 + 4, format_amount(total, lang), anchor="end", size=11,
                           fill="#555"))
    if years:
        parts.append(_text(width - 8, top - 14, f"Total {years[0]}–{years[-1]}", anchor="end", size=11,
                           weight="bold", fill="#555"))
    parts.append("</svg>")
    return "".join(parts)


def has_figures(fund: FundView, columns: tuple[str, ...]) -> bool:
    """Whether any leaf or total holds a non-zero amount in one of `columns`: an all-zero chart says nothing."""
    for line in fund.leaves():
        for cols in line.years.values():
            if any(cols.get(c) for c in columns):
                return True
    return any(cols.get(c) for cols in fund.totals.values() for c in columns)
