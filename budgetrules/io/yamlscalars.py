"""What a plain (unquoted) YAML scalar is, by YAML 1.2's core schema read exactly (see io/yaml.py's
docstring): None, a bool, an int, an exact Decimal, a date, or text; the forms other YAML readers
take differently are a BadNumber or a BadDate, which the readers report with the reason."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ..core.errors import excerpt

MAX_DIGITS = 100
"""A plain number with more digits than this is a BadNumber (no figure of a budget has 100 digits)."""
MAX_EXPONENT = 100
"""A plain number written with an exponent beyond ±MAX_EXPONENT (1e-1000000) is a BadNumber."""


class BadDate(str):
    """The text of a date that cannot be used: one that does not exist (2023-02-30) or a date with a
    time (2023-05-10 10:00:00); `problem` says why. Readers report it; as text it is what was written."""

    problem: str = ""

    def __repr__(self) -> str:
        return repr(excerpt(str.__str__(self)))


class BadNumber(str):
    """A plain value that other YAML readers take as a number we do not read (0100, 0x10, 1:30,
    .inf…): as text it is what was written; where a number is expected, `problem` is the message
    (`reason` the short form, which repr() adds so that any message quoting it gives the reason)."""

    problem: str = ""
    reason: str = ""

    def __repr__(self) -> str:
        return f"{excerpt(str.__str__(self))!r} [{self.reason}]"


def _bad_number(text: str, reason: str, advice: str) -> BadNumber:
    bad = BadNumber(text)
    bad.reason = reason
    bad.problem = f"'{excerpt(text)}' is {reason} — {advice}"
    return bad


# -- plain scalars ------------------------------------------------------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE]([-+]?[0-9]+))?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_HEX = re.compile(r"[-+]?0x[0-9a-fA-F_]+")
_OCTAL = re.compile(r"[-+]?0o[0-7_]+")
_BINARY = re.compile(r"[-+]?0b[01_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_SPECIAL = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
                       r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?")
_TWO_READINGS = re.compile(r"([-+]?[1-9][0-9]{0,2})\.([0-9]{3})")  # one to three digits, a point, three digits
_DECIMAL_ADVICE = "write numbers in decimal (or quote the text)"


def _sexagesimal(text: str) -> str:
    """The value YAML 1.1 gives `1:30` (90) or `33:43` (2023), for the message."""
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").replace("_", "")
    whole, _, frac = body.partition(".")
    value = 0
    for part in whole.split(":"):
        value = value * 60 + int(part)
    total = Decimal(value) + (Decimal("0." + frac) if frac else 0)
    return f"{sign * total:f}"


def resolve_plain(text: str) -> Any:
    """What a plain (unquoted) scalar is: None, a bool, an int, a Decimal, a date, a BadNumber, a
    BadDate or text (see the module's docstring)."""
    if len(text) > 2 * MAX_DIGITS + 20:  # no number, date or keyword is this long
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    first = text[:1]
    if first.isdigit() or first in "+-.":
        return _resolve_number(text)
    return text


def _resolve_number(text: str) -> Any:
    if _INT.fullmatch(text):
        digits = text.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            return _bad_number(text, f"a number of {len(digits)} digits", "no figure has that many")
        if len(digits) > 1 and digits[0] == "0":
            shown = text[:-len(digits)] + (digits.lstrip("0") or "0")
            if set(digits) <= set("01234567"):
                return _bad_number(text, f"a number with a leading zero (octal {int(text, 8)} in YAML 1.1, "
                                         f"{shown} in YAML 1.2)", f"write {shown}")
            return _bad_number(text, "a number with a leading zero", f"write {shown}")
        return int(text)
    m = _FLOAT.fullmatch(text)
    if m:
        exponent = m.group(1)
        if exponent is not None and (len(exponent.lstrip("+-")) > 3 or abs(int(exponent)) > MAX_EXPONENT):
            return _bad_number(text, f"a number with an exponent beyond ±{MAX_EXPONENT}", "no figure is that large or small")
        mantissa = text if exponent is None else text[:m.start(1) - 1]
        if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS:
            return _bad_number(text, f"a number of more than {MAX_DIGITS} digits", "no figure has that many")
        two = _TWO_READINGS.fullmatch(text)
        if two:  # 400.000: four hundred with three decimals, or four hundred thousand as a French reader means?
            whole, part = two.group(1), two.group(2)
            fraction = part.rstrip("0")
            decimal = whole.lstrip("+") + ("." + fraction if fraction else "")
            return _bad_number(text, f"a number that reads two ways ({whole.lstrip('+')} {part} or {decimal})",
                               f"write {whole.lstrip('+')} {part} in quotes (\"{whole.lstrip('+')} {part}\", a space "
                               f"groups thousands) or {decimal}")
        return Decimal(text)
    if _LEADING_ZERO.fullmatch(text):
        return _bad_number(text, "a number with a leading zero (octal in YAML 1.1)", _DECIMAL_ADVICE)
    if _HEX.fullmatch(text):
        return _bad_number(text, "a hexadecimal number", _DECIMAL_ADVICE)
    if _OCTAL.fullmatch(text):
        return _bad_number(text, "an octal number", _DECIMAL_ADVICE)
    if _BINARY.fullmatch(text):
        return _bad_number(text, "a binary number (YAML 1.1)", _DECIMAL_ADVICE)
    if _SEXAGESIMAL.fullmatch(text):
        return _bad_number(text, f"a base-60 number ({_sexagesimal(text)} in YAML 1.1, text in YAML 1.2)",
                           _DECIMAL_ADVICE)
    if _SPECIAL.fullmatch(text):
        what = "not a number (NaN)" if "n" in text.lower().replace("inf", "") else "infinite"
        return _bad_number(text, what, "write a finite decimal number")
    return _date_of_text(text)


def _date_of_text(text: str) -> Any:
    """"2023-06-01" as a date, a date that does not exist or one with a time as a BadDate, other
    text as it is."""
    if _DATE.fullmatch(text):
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError as exc:
            bad = BadDate(text)
            bad.problem = f"'{text}' is not a valid date ({exc})"
            return bad
    if _DATETIME.fullmatch(text):
        bad = BadDate(text)
        bad.problem = f"'{excerpt(text)}' is a date with a time: write the date alone (YYYY-MM-DD)"
        return bad
    return text


def date_value(value: Any) -> dt.date | BadDate | None:
    """A date field's value as a date: a date; text that spells one, quoted in YAML or from JSON or a
    Python mapping ("2023-06-01"), read as that date; a date that does not exist, a date with a time
    (text or datetime) a BadDate with its reason; None for anything else (not a date)."""
    if isinstance(value, dt.datetime):
        bad = BadDate(value.isoformat())
        bad.problem = f"'{excerpt(value.isoformat())}' is a date with a time: write the date alone (YYYY-MM-DD)"
        return bad
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        shown = _date_of_text(value.strip())
        return shown if isinstance(shown, (dt.date, BadDate)) else None
    return None
