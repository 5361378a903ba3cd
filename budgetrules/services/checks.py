"""Checking what a user asks for (a fund, a line, a year, a date, an amount) the same way for the
command line, the Python API and the web: each problem is an `InputErrors` naming where it was
given ("FUND", "--year", a form field) with the nearest valid value."""
from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from typing import Any

from ..core.errors import InputErrors, Problem, excerpt, unknown_message
from ..core.money import ValueProblem, parse_amount
from ..model.fund import Fund


def fund_of(funds: dict[str, Fund], code: Any, where: str = "FUND") -> Fund:
    """The fund named `code` among `funds` (those of the scenario); a fund of the COG that the
    scenario leaves out is named as such rather than "did you mean" another."""
    if isinstance(code, str) and code in funds:
        return funds[code]
    from ..io.paths import bundled_fund_files

    bundled = {p.stem.upper() for p in bundled_fund_files()}
    if isinstance(code, str) and code.upper() in bundled and code.upper() not in funds:
        raise InputErrors([Problem(where, 0, f"fund {code} is not among the funds of this scenario "
                                             f"({', '.join(funds)}): add it to the scenario's 'funds'")])
    raise InputErrors([Problem(where, 0, unknown_message("fund", code, funds))])


def line_of(fund: Fund, code: Any, where: str = "LINE", *, leaf: bool = False) -> str:
    """A line code of the fund (with `leaf`, a leaf: a subtotal is named with its leaves)."""
    if isinstance(code, str) and code in fund.by_code:
        if leaf and not fund.is_leaf(code):
            raise InputErrors([Problem(where, 0, f"{fund.code} {code} is a subtotal, not a leaf: name one of its "
                                                 f"lines ({', '.join(fund.leaves_under[code])})")])
        return code
    raise InputErrors([Problem(where, 0, unknown_message(f"line of {fund.code}", code,
                                                         fund.leaf_codes if leaf else fund.by_code))])


def year_of(fund: Fund, year: Any, where: str = "YEAR") -> int:
    """A year of the fund's period, given as a whole number or its digits ("2023")."""
    value = year
    if isinstance(year, str) and year.strip().isdigit():
        value = int(year.strip())
    elif not isinstance(year, (bool, int)) and hasattr(year, "__index__"):
        value = operator.index(year)  # a whole number of another type: numpy's int64 from a DataFrame
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputErrors([Problem(where, 0, f"year {year!r} must be a year, e.g. {fund.first_year}")])
    if value not in fund.years:
        raise InputErrors([Problem(where, 0, f"year {value} is outside the period of {fund.code} "
                                             f"({fund.first_year}-{fund.last_year})")])
    return value


def date_of(value: Any, where: str) -> dt.date | None:
    """A date given as a date or ISO text (None stays None), read as a scenario file's dates are
    (io.yamlscalars.date_value: a date that does not exist or one with a time refused with the reason)."""
    from ..io.yamlscalars import BadDate, date_value

    if value is None:
        return None
    day = date_value(value)
    if day is None or isinstance(day, BadDate):
        why = f": {day.problem.split(' is ', 1)[-1]}" if isinstance(day, BadDate) else ""  # the reason, not the value again
        raise InputErrors([Problem(where, 0, f"{excerpt(value)!r} is not a date (write YYYY-MM-DD){why}")])
    return day


def amount_of(value: Any, where: str = "AMOUNT") -> Decimal:
    """A positive amount as people type it ("400 k€", "1 250 000,00 €")."""
    try:
        return parse_amount(value)
    except ValueProblem as exc:
        raise InputErrors([Problem(where, 0, str(exc))]) from None
