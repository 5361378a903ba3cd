"""The typed fund model: a COG fund as frozen dataclasses (lines as a tree, amounts in exact euros,
published subtotals) and the parameters of its rules, each naming its rule ID. The readers
(`budgetrules.io.fundfile`) check every value before building them; the model itself trusts them
(plain dataclasses keep the command line's start fast)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from dataclasses import dataclass, field

Character = Literal["limitative", "evaluative", "reserve"]
Verdict = Literal["permitted", "permitted_with_notice", "requires_dm", "refused"]
CarryMode = Literal["never", "on_decision", "automatic"]
IndexKind = str  # "none" or the name of an index of the COG (cog.yaml `indices`)

VERDICTS: tuple[str, ...] = ("permitted", "permitted_with_notice", "requires_dm", "refused")
UNIT_SYMBOL: dict[str, str] = {"EUR": "€", "KEUR": "k€", "MEUR": "M€"}  # a unit of publication, as printed
CHARACTERS: tuple[str, ...] = ("limitative", "evaluative", "reserve")


@dataclass(frozen=True, kw_only=True)
class CarryPolicy:
    """How unconsumed credits of a line pass to the next year (R-CARRY-*)."""

    mode: CarryMode
    rule: str
    cap: Decimal | None = None  # fraction of the authorised amount (e.g. 0.03); None = no cap
    ap: bool = False  # CP of this line may correspond to an AP (R-CARRY-CP-AP)


@dataclass(frozen=True, kw_only=True)
class Indexation:
    """How the base of a line is actualised (R-INDEX-*)."""

    kind: IndexKind
    rule: str
    base_year: int | None = None  # year whose index is 1
    first_year: int | None = None  # first year that receives an indexation
    base_forecast: Decimal | None = None  # forecast rate already built into the base year's figures
    base_forecast_line: int = field(default=0, compare=False)  # where the fund file gives it (its source in explain)


@dataclass(frozen=True, kw_only=True)
class OfWhich:
    """A 'dont …' row printed under a line (kept as reference, never summed)."""

    label: str
    amounts: dict[int, Decimal]


@dataclass(frozen=True, kw_only=True)
class Line:
    """A row of the COG table: a leaf (with amounts) or a subtotal (with published figures)."""

    code: str
    label: str
    parent: str | None = None
    character: Character | None = None
    group: str | None = None
    amounts: dict[int, Decimal] = field(default_factory=dict)  # leaves: programmed amount per year, in euros
    published: dict[int, Decimal] = field(default_factory=dict)  # subtotals: figure printed in the COG, in euros
    reference: Decimal | None = None  # the reference-year column (Budget initial 2021)
    estimated: tuple[int, ...] = ()
    notes: str = ""
    of_which: tuple[OfWhich, ...] = ()
    carry: CarryPolicy | None = None
    index: Indexation | None = None
    nature: Literal["operating", "capital"] = "operating"  # fonctionnement or capital (R-BRANCH-PARTICIPATION)
    source_line: int = 0


@dataclass(frozen=True, kw_only=True)
class ExtraTotal:
    """A second published table of subtotals over sets of leaves (e.g. TOTAL DES DEPENSES)."""

    code: str
    label: str
    members: tuple[str, ...]
    published: dict[int, Decimal]
    reference: Decimal | None = None
    source_line: int = 0


@dataclass(frozen=True, kw_only=True)
class Erratum:
    """A printed total the fund file acknowledges as an error of the published table (R-SOURCE-TOTALS):
    `printed` (euros) is the figure the COG prints for `line` in `year`; `reading` says which figure
    is right and why (e.g. another table of the annex agrees with the rows)."""

    line: str
    year: int
    printed: Decimal
    reading: str
    source_line: int = 0


@dataclass(frozen=True, kw_only=True)
class GroupRule:
    """Virements inside one fungibility group."""

    name: str
    within: Verdict
    rule: str
    same_section_only: bool = False
    label: dict[str, str] = field(default_factory=dict, compare=False)  # {"fr": …, "en": …}, from the fund file


@dataclass(frozen=True, kw_only=True)
class Direction:
    """Virements from one group to another."""

    source: str
    target: str
    verdict: Verdict
    rule: str


@dataclass(frozen=True, kw_only=True)
class Fungibility:
    """The fund's virement matrix (R-FUNG-*)."""

    default_verdict: Verdict = "requires_dm"
    default_rule: str = "R-FUNG-DEFAULT"
    groups: tuple[GroupRule, ...] = ()
    directions: tuple[Direction, ...] = ()
    notice_days: int | None = None  # a notice within so many days of the virement …
    notice_months: int | None = None  # … or within so many calendar months (the same day, or the month's last)
    notify: str = ""

    @property
    def with_notice(self) -> bool:
        """Some virement of the fund is permitted with notice (so the fund has a notice delay)."""
        return "permitted_with_notice" in ([self.default_verdict] + [g.within for g in self.groups]
                                           + [d.verdict for d in self.directions])

    def notice_deadline(self, day: date) -> date:
        """The last day on which a virement of `day` may be notified."""
        if self.notice_months is not None:
            month = day.month - 1 + self.notice_months
            year, month = day.year + month // 12, month % 12 + 1
            last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
            return date(year, month, min(day.day, last))
        return day + timedelta(days=self.notice_days or 0)

    @property
    def notice_text(self) -> tuple[int, str]:
        """(count, unit) of the notice delay: (15, "days") or (1, "months")."""
        return (self.notice_months, "months") if self.notice_months is not None else (self.notice_days or 0, "days")


@dataclass(frozen=True, kw_only=True)
class ReceiptAccount:
    account: str
    label: str
    reuse: Decimal  # fraction 0..1


@dataclass(frozen=True, kw_only=True)
class Receipts:
    """Reuse of receipts (R-RECEIPT-*)."""

    mode: Literal["accounts", "none"]
    rule: str
    to_line: str | None = None
    lag_years: int = 1
    accounts: tuple[ReceiptAccount, ...] = ()
    categories: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class NonCash:
    rule: str = "R-RECEIPT-NONCASH"
    counterpart_classes: tuple[int, ...] = (1, 2)


@dataclass(frozen=True, kw_only=True)
class RealEstate:
    rule: str = "R-RECEIPT-REAL-ESTATE"
    investment_line: str
    rent_line: str
    rent_years: int = 10
    lag_years: int = 1


@dataclass(frozen=True, kw_only=True)
class GroupCap:
    """A cap on what a set of lines carries over together: a share of their authorised credits or an amount."""

    lines: tuple[str, ...]
    rule: str
    share: Decimal | None = None
    amount: Decimal | None = None
    label: str = ""


@dataclass(frozen=True, kw_only=True)
class CarryAcross:
    """Carry-over across conventions and caps on groups of lines (RULES.md, R-CARRY-*):
    `from_previous`: decisions may carry the previous convention's last-year credits into the first year;
    `to_next`: what the last year carries into the next convention ("none": only CP under an AP;
    "eligible": every amount its policy makes eligible)."""

    from_previous: bool = False
    to_next: Literal["none", "eligible"] = "none"
    group_caps: tuple[GroupCap, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Participation:
    """R-BRANCH-PARTICIPATION: the branches finance the fund's net expenses, operating and capital.
    `net_expenses` is the reading of « dépenses nettes »: "executed_less_receipts" (the year's executed
    expenses less the own receipts realised in it) or "executed" (gross); `branches` maps a section
    (a top-level line) to the branch that finances it; `key` splits the whole fund between branches
    when the COG gives one (shares of 1)."""

    rule: str
    net_expenses: Literal["executed_less_receipts", "executed"] = "executed_less_receipts"
    branches: dict[str, str] = field(default_factory=dict)
    key: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Reserve:
    """The réserve nationale line (R-RESERVE-USE)."""

    line: str
    rule: str = "R-RESERVE-USE"


@dataclass(frozen=True, kw_only=True)
class ReserveFund:
    """A fund that is a reserve (the CANSSM's FNMO): expenses are drawn on it."""

    opening: Decimal
    opening_year: int
    resources: tuple[str, ...]
    rule: str  # its rule ID, from the fund file (the CANSSM names it R-FNMO-RESERVE)
    resource_labels: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)  # kind -> {fr, en}


@dataclass(frozen=True, kw_only=True)
class VoteCalendar:
    """When budgets must be voted (R-VOTE-CALENDAR or R-FNMO-CALENDAR)."""

    rule: str
    primitif_year_offset: int = -1
    primitif_latest: str | None = None  # "MM-DD", inclusive
    rectificatif_year_offset: int = 0
    rectificatif_before: str | None = None  # "MM-DD", exclusive
    executory_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class Fund:
    """One national fund of the COG, with its lines and rule parameters."""

    code: str
    label: str
    order: int = 100  # place of the fund in tables (the COG's order)
    unit: str  # "EUR", "KEUR" or "MEUR": the unit of publication of the COG's table (amounts are in euros)
    unit_factor: Decimal = Decimal(1)  # euros per unit of publication
    published_decimals: int = 0  # decimals printed in the COG's table (R-SOURCE-TOTALS' rounding)
    first_year: int
    last_year: int
    reference_year: int | None = None
    programmed: bool = True
    source: str = ""
    citations: dict[str, str]
    lines: tuple[Line, ...]
    extra_totals: tuple[ExtraTotal, ...] = ()
    errata: tuple[Erratum, ...] = ()  # printed totals acknowledged as errors of the table (R-SOURCE-TOTALS)
    fungibility: Fungibility = field(default_factory=lambda: Fungibility())
    receipts: Receipts
    noncash: NonCash | None = None
    real_estate: RealEstate | None = None
    reserve: Reserve | None = None
    reserve_fund: ReserveFund | None = None
    votes: VoteCalendar
    carry_across: CarryAcross = field(default_factory=lambda: CarryAcross())
    participation: Participation | None = None
    bilan_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)  # bilan section (it, real_estate) -> leaves
    file: str = ""
    cog: Any = field(default=None, compare=False, repr=False)  # the Cog of the folder the fund belongs to

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @cached_property
    def by_code(self) -> dict[str, Line]:
        return {line.code: line for line in self.lines}

    @cached_property
    def children(self) -> dict[str | None, list[str]]:
        result: dict[str | None, list[str]] = {}
        for line in self.lines:
            result.setdefault(line.parent, []).append(line.code)
        return result

    @cached_property
    def leaves(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.code not in self.children)

    @cached_property
    def leaf_codes(self) -> frozenset[str]:
        return frozenset(line.code for line in self.leaves)

    def is_leaf(self, code: str) -> bool:
        return code in self.leaf_codes

    def group_name(self, group: str | None) -> Any:
        """A group as a sentence names it: the fund file's label in each language it gives (a Local), else
        its key; None (no group) is the catalogue's « sans groupe »."""
        from ..core.records import Local, Word

        if group is None:
            return Word("group.none")
        label = self.group_labels.get(group)
        return Local(label) if label else group

    @property
    def group_labels(self) -> dict[str, dict[str, str]]:
        """The fungibility groups the fund file names (`label:`), by group: {"cdc": {"fr": "CDC"}}."""
        return {g.name: g.label for g in self.fungibility.groups if g.label}

    @cached_property
    def leaves_under(self) -> dict[str, tuple[str, ...]]:
        """For each code, the leaves beneath it (a leaf: itself), in table order."""
        result: dict[str, tuple[str, ...]] = {}

        def walk(code: str) -> tuple[str, ...]:
            if code in result:
                return result[code]
            kids = self.children.get(code, [])
            result[code] = (code,) if not kids else tuple(c for k in kids for c in walk(k))
            return result[code]

        for line in self.lines:
            walk(line.code)
        return result

    def depth(self, code: str) -> int:
        d, parent = 0, self.by_code[code].parent
        while parent is not None:
            d, parent = d + 1, self.by_code[parent].parent
        return d

    def section(self, code: str) -> str:
        """The top-level ancestor of a line (its section)."""
        line = self.by_code[code]
        while line.parent is not None:
            line = self.by_code[line.parent]
        return line.code

    def cite(self, rule: str) -> str:
        """The COG paragraph behind a rule ID for this fund (the fund's, else its COG's catalogue)."""
        found = self.citations.get(rule)
        if found is not None:
            return found
        return self.cog.cite(rule) if self.cog is not None else ""

    def authority(self, key: str, **params: str) -> Any:
        """Who signs a verdict, or an institution of the COG (board, ministries), in each language it gives."""
        from ..core.records import Local

        if self.cog is None:
            return Local(fr=key)
        return Local({lang: self.cog.authority(key, lang, **params) for lang in ("fr", "en")})

    def role(self, mechanism: str) -> str:
        """The rule ID of a mechanism the engine applies to every fund (the COG's binding, else the default)."""
        if self.cog is not None:
            return self.cog.role(mechanism)
        from .catalog import OPTIONAL_ROLES, ROLES

        return ROLES.get(mechanism) or OPTIONAL_ROLES[mechanism]

    @property
    def rounding(self) -> Decimal:
        """One unit of the last digit the COG prints for this fund, in euros (R-SOURCE-TOTALS)."""
        return self.unit_factor * Decimal(10) ** -self.published_decimals

    def base(self, code: str, year: int) -> Decimal:
        return self.by_code[code].amounts.get(year, Decimal("0.00"))


def parse_month_day(text: str, year: int) -> date:
    """'06-30' in a given year."""
    month, day = (int(x) for x in text.split("-"))
    return date(year, month, day)
