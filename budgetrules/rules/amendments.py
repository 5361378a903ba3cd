"""Amendments (avenants) of a COG (cog.yaml `amendments:`): each applies from its date. A changed
table amount adds to the line's base the difference with the amount before it (the amendment's own
rule and citation, so that `explain` names it); a changed rule parameter applies to every verdict
dated on or after it (`fund_at`). The COG "as amended at each date"."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from ..core.errors import InputErrors, Problem
from ..core.money import ValueProblem, parse_rate
from ..model.cog import Amendment, Change, Cog
from ..model.fund import Fund


def table_changes(fund: Fund) -> list[tuple[Amendment, Change]]:
    """The changes of table amounts of a fund, in date order."""
    cog = fund.cog
    if cog is None:
        return []
    return [(a, c) for a in sorted(cog.amendments, key=lambda a: a.effective) for c in a.changes
            if c.fund == fund.code and c.amount is not None]


def fund_at(fund: Fund, day: dt.date) -> Fund:
    """The fund with the parameter changes of the amendments effective on or before `day`."""
    cog = fund.cog
    if cog is None or not cog.amendments:
        return fund
    amended = fund
    for amendment in sorted(cog.amendments, key=lambda a: a.effective):
        if amendment.effective > day:
            break
        for change in amendment.changes:
            if change.fund == fund.code and change.path:
                amended = _set(amended, change.path.split("."), change.value)
    return amended


def _value(old: Any, value: Any) -> Any:
    """A new parameter value in the type of the old one (rates written with %, numbers, text)."""
    if isinstance(old, Decimal) or (isinstance(value, str) and value.strip().endswith("%")):
        return parse_rate(value)
    if isinstance(old, bool):
        if not isinstance(value, bool):
            raise ValueProblem(f"{value!r} must be true or false")
        return value
    if isinstance(old, int) or old is None and isinstance(value, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueProblem(f"{value!r} must be a whole number")
        return value
    return str(value)


def _set(obj: Any, path: list[str], value: Any) -> Any:
    """A copy of `obj` with the attribute at `path` set ("lines.A-1.carry.cap": the line whose code is A-1)."""
    head, rest = path[0], path[1:]
    if head == "lines" and isinstance(obj, Fund):
        code, rest = rest[0], rest[1:]
        lines = tuple(_set(line, rest, value) if line.code == code else line for line in obj.lines)
        if not any(line.code == code for line in obj.lines):
            raise KeyError(f"no line {code}")
        new = dataclasses.replace(obj, lines=lines)
        return new
    if not dataclasses.is_dataclass(obj) or head not in {f.name for f in dataclasses.fields(obj)}:
        raise KeyError(f"no parameter '{head}'")
    current = getattr(obj, head)
    new_value = _set(current, rest, value) if rest else _value(current, value)
    return dataclasses.replace(obj, **{head: new_value})


def check(cog: Cog, funds: dict[str, Fund]) -> None:
    """Every change names a fund, line, year or parameter that exists: else InputErrors at its line."""
    problems = []
    for amendment in cog.amendments:
        for change in amendment.changes:
            where = f"amendment {amendment.ref}"
            fund = funds.get(change.fund)
            if fund is None:
                problems.append(Problem(cog.file, change.source_line, f"{where}: no fund {change.fund} in this COG"))
                continue
            if change.amount is not None:
                if change.line not in fund.leaf_codes:
                    problems.append(Problem(cog.file, change.source_line, f"{where}: {change.line} is not a leaf of "
                                                                          f"{fund.code}"))
                if change.year not in fund.years:
                    problems.append(Problem(cog.file, change.source_line, f"{where}: {change.year} is outside the "
                                                                          f"period of {fund.code}"))
                continue
            try:
                _set(fund, str(change.path).split("."), change.value)
            except (KeyError, IndexError, ValueProblem, TypeError) as exc:
                problems.append(Problem(cog.file, change.source_line, f"{where}: path {change.path}: {exc}"))
    if problems:
        raise InputErrors(problems)
