"""A COG as a whole (the "country package" of the engine): who signed it, its period and units,
who signs each verdict and who is told, the assumption series its indices read and their formulas,
its receipt categories, its rule catalogue (every rule ID bound to a mechanism of the engine, with
its citation), its published assumptions and its amendments (avenants). Read from a COG folder's
`cog.yaml` by `budgetrules.io.cogfile`; the folder's fund files hold the tables and parameters."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

INDEX_FORMULAS: tuple[str, ...] = ("corrected_compound", "differential", "fixed_rate", "executed_growth")
"""The index mechanisms of the engine (RULES.md, R-INDEX-*):
- corrected_compound: r(N) = f(N) + (a(N-1) − f(N-1)); I(N) = I(N-1) × (1 + r(N)) (inflation);
- differential: d(N) = (s(N) − c(N)) + (o(N-1) − s(N-1)); P(N) = P(N-1) × (1 + d(N)) (RMPP);
- fixed_rate: I(N) = I(N-1) × (1 + t(N)), t read from the index's own `rates` (no series);
- executed_growth ("rebasage"): the credit of N is the executed amount of N-1 × (1 + g(N))."""

AUTHORITY_KEYS: tuple[str, ...] = ("permitted", "permitted_with_notice", "requires_dm", "refused", "dm_applied",
                                   "board", "ministries")
"""Who signs each verdict, and the institutions the messages name (`dm_applied` may hold {dm_ref})."""


@dataclass(frozen=True, kw_only=True)
class IndexSpec:
    """A named index of the COG: its formula over a named series (and the parts of that series it reads)."""

    name: str
    formula: str
    series: str | None = None
    parts: dict[str, str] = field(default_factory=dict)  # role in the formula -> part of the series
    first_correction: bool = True  # False: no correction term in the first year (RMPP of the CANSSM)
    rates: dict[int, Decimal] = field(default_factory=dict)  # fixed_rate: the rate of each year


@dataclass(frozen=True, kw_only=True)
class RuleEntry:
    """A rule ID of the COG bound to a mechanism of the engine, with its default citation."""

    rule: str
    mechanism: str
    citation: str = ""
    source_line: int = 0


@dataclass(frozen=True, kw_only=True)
class Change:
    """One change of an amendment: a table amount (fund, line, year, amount) or a rule parameter
    (fund, path such as "fungibility.notice_days", value)."""

    fund: str
    line: str | None = None
    year: int | None = None
    amount: Decimal | None = None
    path: str | None = None
    value: Any = None
    source_line: int = 0
    in_fund_unit: bool = False  # the amount was a bare number, in the fund's unit (k€, M€): scaled at load


@dataclass(frozen=True, kw_only=True)
class Amendment:
    """An avenant: its reference, the date from which it applies, its citation and its changes."""

    ref: str
    effective: dt.date
    citation: str
    changes: tuple[Change, ...]
    source_line: int = 0


@dataclass(frozen=True, kw_only=True)
class Cog:
    """A COG folder: the convention and its vocabulary; `fund_files` are its funds' files."""

    code: str
    title: str
    caisse: str
    parties: tuple[str, ...] = ()
    signed_on: dt.date | None = None
    period: tuple[int, int]
    citation: str
    authorities: dict[str, dict[str, str]]  # key -> {"fr": …, "en": …}
    series: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> its parts
    series_labels: dict[str, str] = field(default_factory=dict)
    indices: dict[str, IndexSpec] = field(default_factory=dict)
    rules: dict[str, RuleEntry] = field(default_factory=dict)
    event_aliases: dict[str, str] = field(default_factory=dict)  # a public event kind -> the engine's
    published: dict[str, dict[str, dict[int, Decimal]]] = field(default_factory=dict)  # published assumptions
    published_sources: dict[str, str] = field(default_factory=dict)
    published_lines: dict[str, int] = field(default_factory=dict)  # "inflation.forecast.2023" -> line
    amendments: tuple[Amendment, ...] = ()
    folder: Path = Path(".")
    fund_files: tuple[Path, ...] = ()
    file: str = ""
    central_scenario: str | None = None  # the scenario `run` uses when none is given (a bundled scenario's name)
    abbreviations: dict[str, str] = field(default_factory=dict)  # verdict -> how tables abbreviate it ("DG")

    @property
    def first_year(self) -> int:
        return self.period[0]

    @property
    def last_year(self) -> int:
        return self.period[1]

    def authority(self, key: str, lang: str = "fr", **params: str) -> str:
        """Who signs (or the institution named) in a language; French when no translation is given."""
        texts = self.authorities.get(key) or {}
        text = texts.get(lang) or texts.get("fr") or key
        return text.format(**params) if params else text

    def role(self, mechanism: str) -> str:
        """The rule ID this COG binds to a mechanism the engine applies to every fund."""
        for entry in self.rules.values():
            if entry.mechanism == mechanism:
                return entry.rule
        from .catalog import OPTIONAL_ROLES, ROLES

        return ROLES.get(mechanism) or OPTIONAL_ROLES[mechanism]

    @property
    def rule_ids(self) -> frozenset[str]:
        """Every rule ID this COG's fund files and findings may use."""
        from .catalog import OPTIONAL_ROLES

        return frozenset(self.rules) | frozenset(self.role(m) for m in OPTIONAL_ROLES)

    def cite(self, rule: str) -> str:
        """The citation of a rule in this COG (the catalogue's, else the COG's default)."""
        entry = self.rules.get(rule)
        return entry.citation if entry is not None and entry.citation else self.citation
