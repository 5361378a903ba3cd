"""A scenario as the engine reads it: the funds it runs on, its assumptions, its events and its
expectations (SCENARIOS.md). Built by `budgetrules.io.scenariofile`."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .fund import Fund


@dataclass(slots=True)
class Event:
    """One scenario event, with its values read exactly and its place in the file."""

    kind: str
    year: int
    fund: str
    data: dict[str, Any]
    source: str
    order: int

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class Expectation:
    """One `expect` entry: a line/total figure, a finding, or the absence of a finding."""

    kind: str  # "line" | "total" | "finding" | "no_finding"
    fund: str | None
    line: str | None
    year: int | None
    values: dict[str, Any]
    source: str


@dataclass
class Assumptions:
    inflation_forecast: dict[int, Decimal] = field(default_factory=dict)
    inflation_actual: dict[int, Decimal] = field(default_factory=dict)
    rmpp_cog: dict[int, Decimal] = field(default_factory=dict)
    rmpp_set: dict[int, Decimal] = field(default_factory=dict)
    rmpp_observed: dict[int, Decimal] = field(default_factory=dict)
    carry_over: str = "decided"


@dataclass
class Scenario:
    """A parsed scenario with the funds it runs on."""

    name: str
    description: str
    file: str
    funds: dict[str, Fund]
    assumptions: Assumptions
    events: list[Event]
    expectations: list[Expectation]
