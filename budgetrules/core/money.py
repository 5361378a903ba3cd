"""Exact money and rates: parsing user amounts ("37,33 M€", "250 k€") and rates ("1,5 %"),
rounding once half away from zero, and printing in French or neutral style. No float ever."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from .errors import excerpt

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EXACT = Context(prec=60, rounding=ROUND_HALF_UP)
"""The context of every computation before its single rounding to the cent: 60 digits, so that no
intermediate product (a base times a compounded index) is rounded on the way."""
MAX_AMOUNT = Decimal(10) ** 15  # 17 significant digits with the cents: sums stay far inside Decimal's 28
"""Every amount is below 10^15 € in absolute value (a bound documented to users)."""
MAX_RATE = Decimal(1)
"""Every rate is within ±100 % (±1 as a fraction): an index, a reuse share or a cap beyond it is a
typing mistake, and a bounded rate keeps every product exact in EXACT's 60 digits."""
MAX_WRITTEN_DIGITS = 30
"""An amount or rate written with more digits than this is refused before any arithmetic (the largest
amount, 999 999 999 999 999,99 €, has 17)."""

_UNITS = {"": Decimal(1), "€": Decimal(1), "k€": Decimal(1000), "M€": Decimal(1_000_000)}
_AMOUNT_RE = re.compile(r"^(?P<sign>[-+]?)(?P<num>[0-9][0-9 _\u00a0\u202f.,]*)\s*(?P<unit>k€|M€|€)?$")
_RATE_RE = re.compile(r"^(?P<sign>[-+]?)(?P<num>[0-9]+(?:[.,][0-9]+)?)\s*%$")


class ValueProblem(ValueError):
    """A value that cannot be read; the message is for the user."""


def round_cents(value: Decimal) -> Decimal:
    """Round to the cent, half away from zero (RULES.md, "Money and time")."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=EXACT)


_GROUPING = " _\u00a0\u202f"
"""What may group the digits of an amount by three: a space, a no-break space (U+00A0), a narrow
no-break space (U+202F) or an underscore."""
_GROUP_RE = re.compile(f"[{_GROUPING}]")
_GROUPS = f"(?:[{_GROUPING}][0-9]{{3}})*"
_GROUPED = "[0-9]{1,3}" + _GROUPS


def _normalise_number(text: str, unit: str = "", written: str = "") -> str:
    """'1 250 000,50' -> '1250000.50'; refuses ambiguous separators, digits not grouped by three and
    numbers of too many digits. `unit` ('k€') and `written` (the whole value) are for the messages."""
    text = text.rstrip(" \u00a0\u202f")  # the space before a unit
    body = _GROUP_RE.sub("", text)
    if "," in body and "." in body:
        raise ValueProblem(f"'{excerpt(text)}' mixes '.' and ',': write one decimal separator and spaces for thousands")
    separator = "," if "," in body else "."
    groups = body.split(separator)
    if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]) and groups[0].isdigit() and 1 <= len(groups[0]) <= 3:
        grouped = " ".join(groups)
        raise ValueProblem(f"'{excerpt(text)}' uses '{separator}' to group thousands: write \"{grouped}\" (spaces "
                           f"for thousands, ',' or '.' for the cents)")
    body = body.replace(",", ".")
    if body.count(".") > 1:
        raise ValueProblem(f"'{excerpt(text)}' has more than one decimal separator")
    if body.endswith(".") or not body:
        raise ValueProblem(f"'{excerpt(text)}' is not a number")
    if len(body.lstrip("0.")) > MAX_WRITTEN_DIGITS or len(body) > 2 * MAX_WRITTEN_DIGITS:
        raise ValueProblem(f"'{excerpt(text)}' has too many digits (at most {MAX_WRITTEN_DIGITS})")
    _check_grouping(text, separator, unit, written or text)
    return body


def _check_grouping(text: str, separator: str, unit: str, written: str) -> None:
    """Spaces (or '_') group the digits before the decimal separator by three, from it: one to three
    digits, then groups of exactly three. '1 2 3', '10 00', '1 000 0' are refused with the number
    regrouped, never read as the digits run together."""
    whole, point, fraction = text.partition(separator)
    if _GROUP_RE.search(fraction):
        raise ValueProblem(f"'{excerpt(written)}' has a space in its decimals: spaces (or '_') group the thousands "
                           f"only — write \"{_regrouped(whole, point, fraction, unit)}\"")
    if _GROUP_RE.search(whole) and not re.fullmatch(_GROUPED, whole):
        raise ValueProblem(f"'{excerpt(written)}' groups its digits wrongly: spaces (or '_') separate thousands, in "
                           f"groups of three counted from the decimal separator — write "
                           f"\"{_regrouped(whole, point, fraction, unit)}\"")


def _regrouped(whole: str, point: str, fraction: str, unit: str) -> str:
    """The digits of `whole` grouped by three with spaces, then the decimals and the unit: '10 00' -> '1 000'."""
    digits = _GROUP_RE.sub("", whole)
    grouped = re.sub(r"(?<=[0-9])(?=(?:[0-9]{3})+$)", " ", digits)
    decimals = _GROUP_RE.sub("", fraction)
    return grouped + (point + decimals if point else "") + (f" {unit}" if unit else "")


def _shown(value: object) -> str:
    """A value as the user wrote it, for a message: YAML numbers arrive as Decimals, shown without an
    exponent when that stays short; at most an excerpt of anything."""
    if isinstance(value, Decimal) and value.is_finite():
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -40 <= exponent and value.adjusted() <= 40:
            return excerpt(f"{value:f}")
        return excerpt(str(value))
    return excerpt(value if isinstance(value, str) else repr(value) if isinstance(value, (list, dict)) else str(value))


def _problem_of(value: object) -> str:
    """The reason a value read from YAML is not a number (a BadNumber or BadDate says it), or ''."""
    problem = getattr(value, "problem", "")
    return problem if isinstance(value, str) and isinstance(problem, str) else ""


def _two_readings(number: str) -> tuple[str, str] | None:
    """'400.000', '1,250' or '1 250,000': one separator followed by three digits after one to three
    digits (grouped by spaces before them or not). Returns the thousands reading and the decimal one as
    they should be written ('400 000', '400')."""
    m = re.fullmatch(f"([1-9][0-9]{{0,2}}{_GROUPS})[.,]([0-9]{{3}})", number.strip())
    if not m:
        return None
    whole = _GROUP_RE.sub(" ", m.group(1))
    fraction = m.group(2).rstrip("0")
    return f"{whole} {m.group(2)}", whole + ("," + fraction if fraction else "")


def parse_amount(value: object, *, allow_negative: bool = False, unit: Decimal | None = None) -> Decimal:
    """Read an amount in euros exactly and return it as a Decimal with two decimals.

    Accepts ints, Decimals (YAML numbers are read as Decimal by our loader) and strings with
    spaces/underscores as thousands separators, a decimal point or comma and a unit suffix.
    `unit` multiplies a bare number (BNGA files are in M€)."""
    with localcontext(EXACT):
        return _parse_amount(value, allow_negative, unit)


def _parse_amount(value: object, allow_negative: bool, unit: Decimal | None) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"expected an amount, got {'nothing' if value is None else f'the boolean {str(value).lower()}'}")
    if isinstance(value, float):  # only reachable from callers outside our YAML loader
        raise ValueProblem(f"amount {value!r} is a binary float: write it as a string")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        if not number.is_finite():
            raise ValueProblem(f"'{_shown(value)}' is not a finite amount")
        if number and number.adjusted() >= 20:  # checked before any arithmetic (1e1000000 would overflow)
            raise ValueProblem(f"'{_shown(value)}' is too large: amounts stay below 10^15 € (so that every sum "
                               "stays exact)")
        if number.as_tuple().exponent < -MAX_WRITTEN_DIGITS and number != number.quantize(CENT):
            raise ValueProblem(f"'{_shown(value)}' has more than two decimals once converted to euros")
        amount = number * (unit or 1)
    elif isinstance(value, str):
        if _problem_of(value):
            raise ValueProblem(_problem_of(value))
        text = value.strip()
        m = _AMOUNT_RE.match(text) if len(text) <= 4 * MAX_WRITTEN_DIGITS else None
        if not m:
            raise ValueProblem(f"'{excerpt(value)}' is not an amount (write e.g. \"1 250 000,00 €\", \"250 k€\" "
                               "or \"37,33 M€\")")
        try:
            number = Decimal(_normalise_number(m.group("num"), m.group("unit") or "", text))
        except InvalidOperation as exc:  # pragma: no cover - regex already filters
            raise ValueProblem(f"'{excerpt(value)}' is not a number") from exc
        factor = _UNITS[m.group("unit") or ""] if m.group("unit") else (unit or Decimal(1))
        amount = number * factor
        readings = _two_readings(m.group("num"))
        if readings:  # "400.000": 400 € with a decimal point, or 400 000 € with a thousands separator?
            thousands, decimal = readings
            suffix = f" {m.group('unit')}" if m.group("unit") else ""
            if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
                raise ValueProblem(f"'{excerpt(text)}' has more than two decimals once converted to euros "
                                   f"({_shown(amount.normalize())} €); for {thousands}{suffix}, write "
                                   f"\"{thousands}{suffix}\" (a space groups thousands)")
            raise ValueProblem(f"'{excerpt(text)}' reads two ways, {thousands}{suffix} or {decimal}{suffix}: write "
                               f"\"{thousands}{suffix}\" (a space groups thousands) or \"{decimal}{suffix}\"")
        if m.group("sign") == "-":
            amount = -amount
    else:
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__
        raise ValueProblem(f"expected an amount, got {kind} {_shown(value)}")
    if not amount.is_finite():
        raise ValueProblem(f"'{_shown(value)}' is not a finite amount")
    if abs(amount) >= MAX_AMOUNT:
        raise ValueProblem(f"'{_shown(value)}' is too large: amounts stay below 10^15 € (so that every sum stays exact)")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueProblem(f"'{_shown(value)}' has more than two decimals once converted to euros "
                           f"({_shown(amount.normalize())} €)")
    if amount < 0 and not allow_negative:
        raise ValueProblem(f"'{_shown(value)}' is negative: amounts must be ≥ 0 here")
    return amount.quantize(CENT)


def parse_rate(value: object) -> Decimal:
    """Read a rate written with a percent sign ("1.5%", "1,5 %") and return it as an exact fraction,
    within ±100 % (MAX_RATE)."""
    if _problem_of(value):
        raise ValueProblem(_problem_of(value))
    if not isinstance(value, str):
        shown = _shown(value)
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            got = "nothing" if value is None else f"the boolean {shown.lower()}" if isinstance(value, bool) else \
                "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else shown
            raise ValueProblem(f"expected a rate with a percent sign, e.g. \"1.5%\", got {got}")
        raise ValueProblem(f"rate {shown} has no percent sign: write \"{shown}%\" (a bare number is ambiguous)")
    m = _RATE_RE.match(value.strip()) if len(value) <= 4 * MAX_WRITTEN_DIGITS else None
    if not m:
        raise ValueProblem(_not_a_rate(value))
    digits = m.group("num").replace(",", ".")
    if len(digits.lstrip("0.")) > MAX_WRITTEN_DIGITS:
        raise ValueProblem(f"'{excerpt(value)}' has too many digits (at most {MAX_WRITTEN_DIGITS})")
    rate = Decimal(digits).scaleb(-2)  # exact: a shift of the exponent, never a rounded division
    rate = -rate if m.group("sign") == "-" else rate
    if abs(rate) > MAX_RATE:
        raise ValueProblem(f"'{excerpt(value)}' is outside -100 % to 100 % (rates are bounded so that every "
                           "figure stays exact)")
    return rate


def _not_a_rate(value: str) -> str:
    """Why text is not a rate: no percent sign, more than one, something after it, or what comes before
    it is not a decimal number (an exponent, hexadecimal, two decimal separators…)."""
    text = value.strip()
    shown = excerpt(value)
    example = 'e.g. "1.5%"'
    if "%" not in text:
        return f"'{shown}' is not a rate: write it with a percent sign, {example}"
    number, _, after = text.partition("%")
    if after.strip(" %\u00a0\u202f") == "" and after.strip():
        return f"'{shown}' has more than one percent sign: write one, {example}"
    if after.strip():
        return f"'{shown}' is not a rate: the percent sign comes after the number and nothing after it, {example}"
    number = number.strip()
    if not number:
        return f"'{shown}' has no number before its percent sign: write one, {example}"
    if re.fullmatch(r"[-+]?[0-9.,]*[0-9][eE][-+]?[0-9]+", number):
        why = "is written with an exponent"
    elif re.fullmatch(r"[-+]?0[xXoObB][0-9a-fA-F_]*", number):
        why = "is not a decimal number"
    else:
        why = "is not a number written with digits and at most one decimal point or comma"
    return f"'{shown}' is not a rate: '{excerpt(number)}' before the percent sign {why} — write the rate in decimal, {example}"


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
