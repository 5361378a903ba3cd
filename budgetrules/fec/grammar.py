"""The grammar of a FEC (article A47 A-1 of the Livre des procédures fiscales): its 18 columns, and
the legal forms of an amount and of a direction (`Sens`).

An amount, in cents: blanks around; a sign `+` or `-` in first position; digits, zeros in front
allowed; a decimal comma followed by at least one decimal; decimals beyond the second only when they
are zeros (`100,000` = 100,00); at most 15 digits before the comma; blank = 0. Refused: `1.5`,
`1 234,00`, `1e5`, `,5`, `5,`, more than two significant decimals (`1,005`: not a whole number of
cents), 16 digits or more before the comma. A direction: `D` or `C` (any case), `+1`, `1` or `-1`.

The grammar is written twice, once in Python (`amount_cents`, `sens_direction`: the reference, and
the messages) and once as Polars expressions (`amount_stages`, `AMOUNT_SHAPE`, `PLAIN_AMOUNT`: what
`lines.py` applies to a whole block); the tests hold the two to the same answers. No float anywhere:
an amount is an integer number of cents. Polars is imported by `amount_stages` only, so that this
module loads without it."""
from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

COLUMNS: tuple[str, ...] = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise")
SENS_COLUMNS: tuple[str, ...] = COLUMNS[:11] + ("Montant", "Sens") + COLUMNS[13:]


# ------------------------------------------------------------------------------- in Python

_AMOUNT = re.compile(r"([+-]?) *([0-9]+)(?:,([0-9]*))?")


def amount_cents(text: str) -> tuple[int, int]:
    """(cents, code) of one FEC amount, the grammar `amount_stages` applies: blanks around, an optional
    sign, digits (zeros in front allowed), an optional decimal comma with at least one decimal,
    beyond two decimals only zeros; "" is 0. Codes: 0 read, 1 not an amount, 2 significant decimals
    beyond the cent, 3 more than 15 digits before the comma."""
    t = text.strip(" ")
    if t == "":
        return 0, 0
    m = _AMOUNT.fullmatch(t)
    if not m or m.group(3) == "":
        return 0, 1
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    if frac[2:].strip("0"):
        return 0, 2
    frac = frac[:2]
    if int(whole + frac) >= 10 ** (15 + len(frac)):
        return 0, 3
    cents = int(whole) * 100 + int(frac.ljust(2, "0"))
    return (-cents if sign == "-" else cents), 0


def sens_direction(text: str) -> int:
    """1 for a debit, -1 for a credit, 0 for what is not a direction."""
    return {"D": 1, "+1": 1, "1": 1, "C": -1, "-1": -1}.get(text.strip(" ").upper(), 0)


def cents_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def describe(value: object) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:12] + "…" + text[-6:]


def date_ok(text: str) -> bool:
    try:
        return len(text) == 8 and 1900 <= datetime.datetime.strptime(text, "%Y%m%d").year <= 2100
    except ValueError:
        return False


# ------------------------------------------------------------------------------- in Polars

AMOUNT_SHAPE = r"^ *[+-]? *[0-9]+(,[0-9]*)? *$"  # the shape; the decimals are checked apart
PLAIN_AMOUNT = r"^(-?[0-9]{1,15},[0-9][0-9])?$"  # at most 15 digits before the comma: no overflow, no check


def amount_stages(p: str) -> list[dict[str, pl.Expr]]:
    """Stages of columns giving `{p}cents` and `{p}code` from the stripped text `{p}t` of an amount:
    code 0 read, 1 not an amount, 2 significant decimals beyond the cent, 3 more than 15 digits before
    the comma. The grammar (amount_cents is the same in Python): blanks, an optional sign,
    digits (zeros in front allowed), an optional decimal comma with at least one decimal; beyond two
    decimals only zeros; "" is 0. (Named stages: Polars would compute a shared sub-expression again.)"""
    import polars as pl  # noqa: F811

    col = lambda name: pl.col(p + name)  # noqa: E731
    return [
        {p + "shape": col("t").str.contains(AMOUNT_SHAPE), p + "body": col("t").str.replace_all(" ", "", literal=True)},
        {p + "comma": col("body").str.find(",", literal=True)},
        {p + "dec": (col("body").str.len_bytes() - col("comma") - 1).fill_null(0),
         p + "extra": (col("body").str.slice(col("comma") + 3).str.strip_chars("0") == "").fill_null(True)},
        {p + "digits": pl.when(col("dec") > 2).then(col("body").str.slice(0, col("comma") + 3))
         .otherwise(col("body")).str.replace(",", "", literal=True).cast(pl.Int64, strict=False)},
        {p + "code": pl.when(col("t") == "").then(0)
         .when(~col("shape") | col("comma").is_not_null() & (col("dec") == 0)).then(1)
         .when((col("dec") > 2) & ~col("extra")).then(2)
         .when(col("digits").is_null() | (col("digits").abs() >= pl.when(col("dec") == 0).then(10 ** 15)
                                            .when(col("dec") == 1).then(10 ** 16).otherwise(10 ** 17))).then(3)
         .otherwise(0).cast(pl.UInt8)},
        {p + "cents": pl.when(col("code") != 0).then(0).when(col("dec") == 0).then(col("digits") * 100)
         .when(col("dec") == 1).then(col("digits") * 10).otherwise(col("digits")).fill_null(0)},
    ]
