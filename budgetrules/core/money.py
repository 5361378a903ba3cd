"""Exact money and rates: parsing user amounts ("37,33 M€", "250 k€") and rates ("1,5 %"),
rounding once half away from zero, and printing in French or neutral style. No float ever."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EXACT = Context(prec=60, rounding=ROUND_HALF_UP)
"""The context of every computation before its single rounding to the cent: 60 digits, so that no
intermediate product (a base times a compounded index) is rounded on the way."""
MAX_AMOUNT = Decimal(10) ** 15  # 17 significant digits with the cents: sums stay far inside Decimal's 28

_UNITS = {"": Decimal(1), "€": Decimal(1), "k€": Decimal(1000), "M€": Decimal(1_000_000)}
_AMOUNT_RE = re.compile(r"^(?P<sign>[-+]?)(?P<num>[0-9][0-9 _\u00a0\u202f.,]*)\s*(?P<unit>k€|M€|€)?$")
_RATE_RE = re.compile(r"^(?P<sign>[-+]?)(?P<num>[0-9]+(?:[.,][0-9]+)?)\s*%$")


class ValueProblem(ValueError):
    """A value that cannot be read; the message is for the user."""


def round_cents(value: Decimal) -> Decimal:
    """Round to the cent, half away from zero (RULES.md, "Money and time")."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=EXACT)


def _normalise_number(text: str) -> str:
    """'1 250 000,50' -> '1250000.50'; refuses ambiguous separators."""
    body = text.replace(" ", "").replace("_", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in body and "." in body:
        raise ValueProblem(f"'{text}' mixes '.' and ',': write one decimal separator and spaces for thousands")
    body = body.replace(",", ".")
    if body.count(".") > 1:
        raise ValueProblem(f"'{text}' has more than one decimal separator")
    if body.endswith(".") or not body:
        raise ValueProblem(f"'{text}' is not a number")
    return body


def _shown(value: object) -> str:
    """A value as the user wrote it: YAML numbers arrive as Decimals, shown without an exponent."""
    return f"{value:f}" if isinstance(value, Decimal) and value.is_finite() else str(value)


def parse_amount(value: object, *, allow_negative: bool = False, unit: Decimal | None = None) -> Decimal:
    """Read an amount in euros exactly and return it as a Decimal with two decimals.

    Accepts ints, Decimals (YAML numbers are read as Decimal by our loader) and strings with
    spaces/underscores as thousands separators, a decimal point or comma and a unit suffix.
    `unit` multiplies a bare number (BNGA files are in M€)."""
    with localcontext(EXACT):
        return _parse_amount(value, allow_negative, unit)


def _parse_amount(value: object, allow_negative: bool, unit: Decimal | None) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"expected an amount, got {value!r}")
    if isinstance(value, float):  # only reachable from callers outside our YAML loader
        raise ValueProblem(f"amount {value!r} is a binary float: write it as a string")
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value) * (unit or 1)
    elif isinstance(value, str):
        text = value.strip()
        m = _AMOUNT_RE.match(text)
        if not m:
            raise ValueProblem(f"'{value}' is not an amount (write e.g. \"1 250 000,00 €\", \"250 k€\" or \"37,33 M€\")")
        try:
            number = Decimal(_normalise_number(m.group("num")))
        except InvalidOperation as exc:  # pragma: no cover - regex already filters
            raise ValueProblem(f"'{value}' is not a number") from exc
        factor = _UNITS[m.group("unit") or ""] if m.group("unit") else (unit or Decimal(1))
        amount = number * factor
        if m.group("sign") == "-":
            amount = -amount
    else:
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__
        raise ValueProblem(f"expected an amount, got {kind} {list(value) if isinstance(value, list) else value!r}")
    if not amount.is_finite():
        raise ValueProblem(f"'{_shown(value)}' is not a finite amount")
    if abs(amount) >= MAX_AMOUNT:
        raise ValueProblem(f"'{_shown(value)}' is too large: amounts stay below 10^15 € (so that every sum stays exact)")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueProblem(f"'{_shown(value)}' has more than two decimals once converted to euros ({amount.normalize():f} €)")
    if amount < 0 and not allow_negative:
        raise ValueProblem(f"'{_shown(value)}' is negative: amounts must be ≥ 0 here")
    return amount.quantize(CENT)


def parse_rate(value: object) -> Decimal:
    """Read a rate written with a percent sign ("1.5%", "1,5 %") and return it as a fraction."""
    if not isinstance(value, str):
        raise ValueProblem(f"rate {_shown(value)} has no percent sign: write \"{_shown(value)}%\" (a bare number is ambiguous)")
    m = _RATE_RE.match(value.strip())
    if not m:
        raise ValueProblem(f"'{value}' is not a rate: write it with a percent sign, e.g. \"1.5%\"")
    rate = Decimal(m.group("num").replace(",", ".")) / 100
    return -rate if m.group("sign") == "-" else rate


def json_amount(value: Decimal) -> str:
    """Language-neutral amount for JSON/CSV: '36670000.00'."""
    return f"{value.quantize(CENT):f}"


def fr_amount(value: Decimal, *, symbol: bool = True) -> str:
    """French style: '1 234 567,89 €' (narrow no-break spaces are avoided for terminals)."""
    q = value.quantize(CENT)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = f"{sign}{' '.join(groups)},{frac}"
    return f"{text} €" if symbol else text


def en_amount(value: Decimal, *, symbol: bool = True) -> str:
    """English style: '€1,234,567.89'."""
    q = value.quantize(CENT)
    text = f"{abs(q):,.2f}"
    sign = "-" if q < 0 else ""
    return f"{sign}€{text}" if symbol else f"{sign}{text}"


def format_amount(value: Decimal, lang: str = "fr", *, symbol: bool = True) -> str:
    """Amount for people in the chosen language."""
    return fr_amount(value, symbol=symbol) if lang == "fr" else en_amount(value, symbol=symbol)


def format_rate(rate: Decimal, lang: str = "fr") -> str:
    """A fraction as a percentage for people ('1,5 %')."""
    pct = (rate * 100).normalize()
    text = f"{pct:f}"
    return f"{text.replace('.', ',')} %" if lang == "fr" else f"{text}%"
