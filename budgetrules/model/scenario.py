"""A scenario as the engine reads it: the funds it runs on, its assumptions, one typed event per
thing that happened, and the results it expects (SCENARIOS.md). Built by `budgetrules.io.scenariofile`.

Every event class names its public `kind`, its fields (the YAML keys, `from`/`to` of a virement
spelt `from_line`/`to_line`), and the date on which it takes effect (`effective`, RULES.md "Dates")."""
from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from typing import Any, ClassVar

from .fund import Fund


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """What every event has: its year, its fund, where it was written (`file:line`) and its place in
    the file (virements of the same date apply in file order)."""

    kind: ClassVar[str] = ""
    year: int
    fund: str
    source: str = ""
    order: int = 0

    @property
    def effective(self) -> dt.date:
        """The date the event takes effect (RULES.md, Dates): by default 1 January of its year."""
        return dt.date(self.year, 1, 1)

    @property
    def defaulted(self) -> bool:
        """True when `effective` is a default, not a date the scenario gave."""
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedEvent(Event):
    """An event with an optional `date`: effective on it, or on 1 January of its year without one."""

    date: dt.date | None = None

    @property
    def effective(self) -> dt.date:
        return self.date or dt.date(self.year, 1, 1)

    @property
    def defaulted(self) -> bool:
        return self.date is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Execution(Event):
    """Consumption of a line in the year. Undated execution counts from 1 January (the prudent
    reading: the whole year's execution counts against the credit available at any date); with a
    `month`, from the first day of that month."""

    kind: ClassVar[str] = "execution"
    line: str
    amount: Decimal
    date: dt.date | None = None
    month: int | None = None

    @property
    def effective(self) -> dt.date:
        if self.date is not None:
            return self.date
        return dt.date(self.year, self.month or 1, 1)

    @property
    def defaulted(self) -> bool:
        return self.date is None and self.month is None


@dataclass(frozen=True, slots=True, kw_only=True)
class CarryOver(Event):
    """A decision carrying unconsumed credits of year − 1 into `year` (effective on `decided_on`,
    or 1 January of `year` when the scenario gives no date)."""

    kind: ClassVar[str] = "carry_over"
    line: str
    amount: Decimal
    decided_on: dt.date | None = None

    @property
    def effective(self) -> dt.date:
        return self.decided_on or dt.date(self.year, 1, 1)

    @property
    def defaulted(self) -> bool:
        return self.decided_on is None


@dataclass(frozen=True, slots=True)
class Dm:
    """A décision modificative: its reference, the board's vote and the ministries' approval."""

    ref: str
    board_vote: dt.date
    approval: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Virement(Event):
    """A credit transfer of `year` from one leaf to another (effective on its date). `simulated`
    marks the command line's question, judged after everything the scenario records."""

    kind: ClassVar[str] = "virement"
    from_line: str
    to_line: str
    amount: Decimal
    date: dt.date
    notified: dt.date | None = None
    dm: Dm | None = None
    simulated: bool = False

    @property
    def effective(self) -> dt.date:
        return self.date

    @property
    def defaulted(self) -> bool:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt(Event):
    """A receipt of `year` by account or category, realised against its forecast; its excess is
    reused from 1 January of the next year."""

    kind: ClassVar[str] = "receipt"
    realised: Decimal
    forecast: Decimal
    account: str | None = None
    category: str | None = None
    to_line: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NonCashProduct(DatedEvent):
    """A product without cash outflow, reused on `line` in the same year (effective on its date, or
    1 January of the year as every undated event of a year)."""

    kind: ClassVar[str] = "noncash_product"
    line: str
    amount: Decimal
    counterpart_class: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetSale(Event):
    """A real-estate sale of `year`; its gain is reused from 1 January of a later year."""

    kind: ClassVar[str] = "asset_sale"
    price: Decimal
    net_book_value: Decimal
    buyer: str
    use: str
    to_line: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveUse(Event):
    """A use of the réserve nationale for `to_line`, on its date, after the ministries' authorisation."""

    kind: ClassVar[str] = "reserve_use"
    to_line: str
    amount: Decimal
    date: dt.date
    authorised_on: dt.date | None = None

    @property
    def effective(self) -> dt.date:
        return self.date

    @property
    def defaulted(self) -> bool:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeTransfer(DatedEvent):
    """A transfer of a charge out of the fund by law or regulation, from its date (or 1 January of
    its year) to the end of the period."""

    kind: ClassVar[str] = "charge_transfer"
    line: str
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class NewCharge(DatedEvent):
    """A new expense put on the fund by law or regulation (`legal_reference`), which raises the line's
    budgeted credits by its amount from its date (or 1 January of its year) to the end of the period."""

    kind: ClassVar[str] = "new_charge"
    line: str
    amount: Decimal
    legal_reference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Personnel(Event):
    """The personnel of a fund in a year, by status, for the bilan (data the engine cannot know):
    agents (head count), FTE (équivalents temps plein) and the credits executed for them."""

    kind: ClassVar[str] = "personnel"
    status: str
    agents: int
    fte: Decimal
    executed: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgrammeAuthorisation(Event):
    """An AP on an investment line, decided by the board on `board_decision` (or never)."""

    kind: ClassVar[str] = "programme_authorisation"
    line: str
    amount: Decimal
    ref: str
    board_decision: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployerContributions(Event):
    """A change of mandatory employer levies, added to the RMPP indexation of the year (may be negative)."""

    kind: ClassVar[str] = "employer_contributions"
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveResource(Event):
    """A resource of a reserve fund (a COG may name the kind otherwise: `event_aliases` of cog.yaml)."""

    kind: ClassVar[str] = "reserve_resource"
    resource: str
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveExpense(Event):
    """An expense of a reserve fund, drawn on its reserve (a COG may name the kind otherwise)."""

    kind: ClassVar[str] = "reserve_expense"
    line: str
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetVote(Event):
    """A budget (primitif or rectificatif) voted by the board on `voted_on`, with its line amounts."""

    kind: ClassVar[str] = "budget_vote"
    budget: str
    voted_on: dt.date
    lines: dict[str, Decimal]
    received_on: dt.date | None = None

    @property
    def effective(self) -> dt.date:
        return self.voted_on

    @property
    def defaulted(self) -> bool:
        return False


EVENT_CLASSES: dict[str, type[Event]] = {cls.kind: cls for cls in (
    Execution, CarryOver, Virement, Receipt, NonCashProduct, AssetSale, ReserveUse, ChargeTransfer, NewCharge,
    Personnel,
    ProgrammeAuthorisation, EmployerContributions, ReserveResource, ReserveExpense, BudgetVote)}
"""Every event kind of SCENARIOS.md and its class."""

YAML_NAMES: dict[str, str] = {"from_line": "from", "to_line": "to"}
"""Fields whose YAML key differs (a virement's `from` and `to`)."""


def event_fields(cls: type[Event]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required YAML keys, optional YAML keys) of an event class, `kind` and `year` apart."""
    required: list[str] = []
    optional: list[str] = []
    for f in fields(cls):
        if f.name in ("year", "source", "order", "simulated"):
            continue
        key = YAML_NAMES.get(f.name, f.name) if cls is Virement else f.name
        optional_field = f.default is not MISSING or f.default_factory is not MISSING
        (optional if optional_field else required).append(key)
    return tuple(required), tuple(optional)


def event_of(mapping: dict[str, Any], *, source: str = "", order: int = 0) -> Event:
    """A typed event from a mapping already holding typed values (`kind`, `year`, `fund` and the
    fields under their YAML names; `dm` as a mapping), for programs and tests that build events
    without a file. It does not validate: scenario files go through `budgetrules.io.scenariofile`."""
    values = dict(mapping)
    cls = EVENT_CLASSES[values.pop("kind")]
    attrs = {({v: k for k, v in YAML_NAMES.items()}.get(key, key) if cls is Virement else key): value
             for key, value in values.items()}
    if isinstance(attrs.get("dm"), dict):
        attrs["dm"] = Dm(**attrs["dm"])
    return cls(source=source, order=order, **attrs)


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
    """Rates of the scenario by series and part (fractions, e.g. 0.015): `series["inflation"]["forecast"]
    [2023]`; where each series came from (`origins`: "scenario", "published" — the COG's published
    figures, inherited — or "none"); the file:line of every rate (`lines`, "inflation.forecast.2023");
    and the carry-over mode."""

    series: dict[str, dict[str, dict[int, Decimal]]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)
    carry_over: str = "decided"

    def rates(self, name: str, part: str) -> dict[int, Decimal]:
        """The rates of one part of a series by year ({} when not given)."""
        return self.series.get(name, {}).get(part, {})


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
    audit_date: dt.date | None = None  # the date notices are judged at (default: the day after the period)
    cog: Any = None  # the Cog the funds belong to
