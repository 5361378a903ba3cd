"""From the execution read in the books to scenario events (docs/scenarios.md, docs/fec.md "From totals
to events").

`events_of(execution)` gives one `execution` event per fund line and day (dated with the
EcritureDate, amounts ≥ 0: `dated` sets a day below zero against the days before it, the year exact),
one `receipt` per account and year (with its forecast), one `reserve_expense` per line and year for a
reserve fund; each names its FEC lines (`source`, file:line) and the fingerprints of their files
(`fec`). Amounts are JSON strings of euros to the cent ("4234.56"), from integer cents. What cannot be
an event (a year outside the fund's period, a negative total, a receipt without forecast) gets a note
in the report; a total of 10^15 € or more is an input error (InputErrors) naming its FEC lines."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..core.errors import InputErrors, Problem
from ..core.money import MAX_AMOUNT, json_amount
from .totals import Execution, source_text


def dated(days: dict[dt.date, list]) -> list[tuple[dt.date, int, dict[str, int]]]:
    """The execution of one line in one year as dated amounts ≥ 0: (day, cents, sources).

    A day's total may be negative (a credit note, a reversal) while events are amounts ≥ 0. The
    execution counted up to any day is the least the books reach on that day or any later day of
    the year (never less than 0): E(d) = max(0, min over d' ≥ d of C(d')), C the books' running
    total. So a negative day is set against the days before it, the execution counted to a date
    is never more than the books' to that date, and the year adds up to the books' total exactly
    (when it is not negative). An event is dated on each day E rises, with that day's first lines."""
    order = sorted(days)
    running, cumulative = 0, []
    for day in order:
        running += days[day][0]
        cumulative.append(running)
    floor, levels = None, [0] * len(order)
    for i in range(len(order) - 1, -1, -1):
        floor = cumulative[i] if floor is None else min(floor, cumulative[i])
        levels[i] = max(0, floor)
    out, before = [], 0
    for day, level in zip(order, levels):
        if level > before:
            out.append((day, level - before, days[day][1]))
            before = level
    return out


def events_of(execution: Execution) -> list[dict]:
    """Scenario events (docs/scenarios.md): `execution` per fund line and day (its `date`), `receipt`
    per account and year (a receipt has no date: it is compared with its year's forecast).

    Each event has a `source` ("file.fec:LINE", the first line that feeds it, one per file, in file
    name order) and `fec`, the fingerprints of those files in the same order. What cannot be an event
    (a year outside the fund's period, a negative total, a receipt without forecast) is left out with
    a note in the report. A total of 10^15 € or more is an input error naming its FEC lines (the
    engine's amounts stay below it, so that every sum stays exact)."""
    events: list[dict] = []
    notes = execution.report.notes
    prints = execution.fingerprints
    problems: list[Problem] = []
    for row in execution.rows:
        if row.kind not in ("execution", "receipt") or row.cents == 0 and row.kind == "execution":
            continue
        first, last = execution.mapping.periods.get(row.fund, (row.year, row.year))
        what = f"{row.fund} {row.line or row.account} {row.year}"
        if not first <= row.year <= last:
            notes.append(f"{what}: {row.year} is outside the {row.fund} period {first}-{last}: no event")
            continue
        if row.cents < 0:
            notes.append(f"{what}: the total is negative ({json_amount(row.amount)}): no event")
            continue
        too_large = [(name, value) for name, value in (("total", row.amount), ("forecast", row.forecast))
                     if value is not None and abs(value) >= MAX_AMOUNT]
        if too_large:
            name, value = too_large[0]
            kind = "execution" if row.kind == "execution" else "receipts"
            problems += [Problem(file, line, f"the {kind} of {what} read from the books ({name} {json_amount(value)}) "
                                             "is too large: amounts stay below 10^15 € (so that every sum stays "
                                             "exact); is an amount of these lines misread or mistyped?")
                         for file, line in sorted(row.sources.items())]
            continue
        fec = [prints.get(file, "") for file in sorted(row.sources)]
        if row.kind == "execution" and row.fund in execution.mapping.reserve_funds:  # a reserve's expense: no date
            events.append({"kind": "reserve_expense", "year": row.year, "line": row.line,
                           "amount": json_amount(row.amount), "source": row.source, "fec": fec})
            continue
        if row.kind == "execution":
            negative = sum(1 for cents, _ in row.days.values() if cents < 0)
            if negative:
                notes.append(f"{what}: {negative} day(s) with a negative total (credit notes, reversals) set "
                             "against the days before them")
            for day, cents, sources in dated(row.days):
                events.append({"kind": "execution", "year": row.year, "fund": row.fund, "line": row.line,
                               "amount": json_amount(Decimal(cents).scaleb(-2)), "date": day,
                               "source": source_text(sources), "fec": [prints.get(f, "") for f in sorted(sources)]})
            continue
        if row.forecast is None:
            notes.append(f"{what}: no forecast for {row.year} in {execution.mapping.file}: no receipt event")
            continue
        event = {"kind": "receipt", "year": row.year, "fund": row.fund, "account": row.account,
                 "realised": json_amount(row.amount), "forecast": json_amount(row.forecast)}
        if row.line:
            event["to_line"] = row.line
        event.update(source=row.source, fec=fec)
        events.append(event)
    if problems:
        raise InputErrors(problems)
    return events
