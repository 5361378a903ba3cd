"""The typed context every step of the pipeline works on: one fund of one run."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from ..core.ledger import Ledger
from ..core.records import ProgrammeAuthorisation
from ..model.fund import Fund
from ..model.scenario import CarryOver, Event, Scenario

E = TypeVar("E", bound=Event)

CHARACTER_ROLE = {"limitative": "character.limitative", "evaluative": "character.evaluative",
                  "reserve": "reserve.line"}
"""The mechanism that names the character of a line's credit (its base and its execution cite its rule)."""


def character_rule(fund: Fund, line: str) -> str:
    """The rule of a line's character: its limitative or evaluative rule, or its reserve's."""
    character = fund.by_code[line].character or "limitative"
    if character == "reserve" and fund.reserve is not None:
        return fund.reserve.rule
    return fund.role(CHARACTER_ROLE[character])


@dataclass
class FundRun:
    """One fund of one run: its events by kind, the ledger every step writes to, and what steps
    hand to later steps (the AP pool, the carry-over decisions, the sources of each execution).
    `year` is the year the fold is at, for the steps applied each year."""

    fund: Fund
    scenario: Scenario
    ledger: Ledger
    events: dict[type[Event], list[Event]] = field(default_factory=lambda: defaultdict(list))
    programmes: list[ProgrammeAuthorisation] = field(default_factory=list)
    decisions: dict[tuple[str, int], list[CarryOver]] = field(default_factory=dict)
    execution_sources: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    year: int = 0
    audit_date: dt.date = dt.date.max  # the date notices are judged at (RULES.md, Dates)

    @classmethod
    def of(cls, fund: Fund, scenario: Scenario, ledger: Ledger, events: list[Event],
           audit_date: dt.date = dt.date.max) -> FundRun:
        run = cls(fund, scenario, ledger, audit_date=audit_date)
        for ev in events:
            run.events[type(ev)].append(ev)
        return run

    def each(self, kind: type[E]) -> list[E]:
        """The events of one kind, in file order."""
        return self.events.get(kind, [])  # type: ignore[return-value]

    def character_rule(self, line: str) -> str:
        return character_rule(self.fund, line)

    def source_of(self, line: str) -> str:
        """The fund file line where a table line is defined."""
        return f"{self.fund.file}:{self.fund.by_code[line].source_line}"


def jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def dec31(year: int) -> dt.date:
    return dt.date(year, 12, 31)
