"""Scenario files (SCENARIOS.md): assumptions, events and expectations, parsed exactly and
validated with every problem collected as `file:line: message` and a "did you mean"."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from .cogfile import load_cog
from .fundfile import load_funds
from ..model.fund import Fund
from ..core.money import ValueProblem, parse_amount, parse_rate
from .expectfile import ExpectationReader
from .yaml import BadDate, BadNumber, Collector, LineDict, display_path, kind_of, line_of, load_yaml
from ..core.errors import InputErrors, excerpt, nearest, unknown_message
from ..model.scenario import (EVENT_CLASSES, YAML_NAMES, Assumptions, Dm, Event, ReserveExpense,
                              ReserveResource, Scenario, event_fields)

TOP_KEYS = ("name", "description", "cog", "funds", "audit_date", "assumptions", "events", "expect")

# kind -> (required fields, optional fields), from the event classes; `kind` and `year` are always
# required, and a reserve fund's events may omit `fund` (the scenario's reserve fund).
EVENT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind: event_fields(cls) for kind, cls in EVENT_CLASSES.items()}
FUND_OPTIONAL = tuple(kind for kind, cls in EVENT_CLASSES.items() if cls in (ReserveResource, ReserveExpense))
for _kind in FUND_OPTIONAL:
    _req, _opt = EVENT_FIELDS[_kind]
    EVENT_FIELDS[_kind] = (tuple(k for k in _req if k != "fund"), _opt + ("fund",))
LINE_FIELDS = ("line", "from", "to", "to_line")
DATE_FIELDS = ("date", "notified", "decided_on", "authorised_on", "board_decision", "voted_on", "received_on")
ATTRIBUTE = {yaml: attr for attr, yaml in YAML_NAMES.items()}
AMOUNT_FIELDS = ("amount", "realised", "forecast", "price", "net_book_value", "executed")
ENUMS = {"buyer": ("social_security", "other"), "use": ("investment", "rent"), "budget": ("primitif", "rectificatif")}


def _hashable(value: Any) -> bool:
    """User values used as keys (codes, kinds) must be plain scalars: a list or mapping is a problem, not a crash."""
    return isinstance(value, (str, int, float, Decimal, dt.date)) or value is None


def _years_of(funds: dict[str, Fund]) -> tuple[int, int]:
    return min(f.first_year for f in funds.values()), max(f.last_year for f in funds.values())


class _Reader(ExpectationReader):
    def __init__(self, data: Any, shown: str, base_dir: Path, bundled: dict[str, Fund] | None, cog: Any = None,
                 cogs: Mapping[str, Mapping[str, Fund]] | None = None):
        self.data = data
        self.cogs = cogs
        self.c = Collector(shown)
        self.base_dir = base_dir
        self.bundled = bundled
        self.cog = cog if cog is not None else next((f.cog for f in (bundled or {}).values()), None)
        self.aliases: dict[str, str] = {}

    def unknown_fund(self, code: Any, funds: dict[str, Fund]) -> str:
        """The message for a fund the scenario does not have: a fund of the COG left out of the
        scenario's `funds` is said so, not "did you mean" another one."""
        if _hashable(code) and code in (self.bundled or {}):
            return (f"fund {code} is a fund of the COG but not of this scenario (funds: {', '.join(funds)}): "
                    f"add it to 'funds'")
        return unknown_message("fund", code, funds) + " (funds of this scenario)"

    def src(self, line: int) -> str:
        return f"{self.c.file}:{line}"

    def read(self) -> Scenario | None:
        c, d = self.c, self.data
        if not c.check_keys(d, TOP_KEYS, ("name",), "the scenario"):
            return None
        if "cog" in d:
            self.read_cog(d["cog"], line_of(d, "cog"))
        if self.cog is None:
            self.cog, self.bundled = load_cog()
        self.aliases = dict(self.cog.event_aliases)
        name, description = c.text(d, "name"), c.text(d, "description")
        if d["name"] is None or (isinstance(d["name"], str) and not d["name"].strip()):
            c.add(line_of(d, "name"), "name must be the scenario's title, e.g. name: Hypothèses centrales 2022-2024")
        funds = self.read_funds(d.get("funds"), line_of(d, "funds"))
        if not funds:
            return None
        assumptions = self.read_assumptions(d.get("assumptions"), line_of(d, "assumptions"), funds)
        events = self.read_events(d.get("events") or [], line_of(d, "events"), funds)
        expectations = self.read_expect(d.get("expect") or [], line_of(d, "expect"), funds)
        audit_date = self.read_date(d, "audit_date")
        if c.problems:
            return None
        return Scenario(name=name, description=description, file=c.file,
                        funds=funds, assumptions=assumptions, events=events, expectations=expectations,
                        audit_date=audit_date, cog=self.cog)

    def read_cog(self, raw: Any, line: int) -> None:
        """`cog:` a COG folder (relative to the scenario's folder) or the name of a bundled COG; with
        `cogs` (a server's), only one of those, by id: no file is read for it."""
        from .paths import bundled_cogs

        if self.cogs is not None:
            if _hashable(raw) and raw in self.cogs:
                self.bundled = dict(self.cogs[raw])
                self.cog = next((f.cog for f in self.bundled.values()), None)
            else:
                near = nearest(str(raw), sorted(self.cogs))
                self.c.add(line, f"cog: unknown COG '{excerpt(raw)}'" + (f" — did you mean '{near}'?" if near else "")
                           + f" (the COGs served: {', '.join(sorted(self.cogs))})")
            return
        if not isinstance(raw, str) or not raw.strip():
            self.c.add(line, f"cog must name a COG folder or a bundled COG, got {kind_of(raw)}")
            return
        folder = self.base_dir / raw
        names = {p.name: p for p in bundled_cogs()}
        if not (folder / "cog.yaml").is_file():
            if raw not in names:
                self.c.add(line, unknown_message("COG", raw, names) + " (a folder with a cog.yaml, relative to the "
                                                                     "scenario, or a bundled COG)")
                return
            folder = names[raw]
        try:
            self.cog, self.bundled = load_cog(folder)
        except InputErrors as exc:
            self.c.problems.extend(exc.problems)

    def read_date(self, raw: Any, key: str) -> dt.date | None:
        """An optional date (YYYY-MM-DD) under `key`."""
        return self.c.optional_date(raw, key)

    def read_funds(self, raw: Any, line: int) -> dict[str, Fund]:
        bundled = self.bundled if self.bundled is not None else load_cog(self.cog.folder if self.cog else None)[1]
        if raw is None:
            return dict(bundled)
        if not isinstance(raw, list) or not raw:
            self.c.add(line, "'funds' must be a list of fund codes, e.g. [BNGA, BNASS]")
            return {}
        chosen: dict[str, Fund] = {}
        extra_paths = []
        for i, code in enumerate(raw):
            if isinstance(code, str) and code.endswith((".yaml", ".yml")):
                if not (self.base_dir / code).is_file():
                    self.c.add(line_of(raw, i), f"fund file '{code}' not found (relative to the scenario's folder)")
                    continue
                extra_paths.append(self.base_dir / code)
            elif _hashable(code) and code in bundled:
                chosen[code] = bundled[code]
            else:
                self.c.add(line_of(raw, i), unknown_message("fund", code, bundled))
        if extra_paths:
            try:
                chosen.update(load_funds(extra_paths, cog=self.cog))
            except InputErrors as exc:
                self.c.problems.extend(exc.problems)
        return chosen

    def rate_series(self, raw: Any, where: str, years: range) -> dict[int, Decimal]:
        out: dict[int, Decimal] = {}
        if not isinstance(raw, dict):
            self.c.add(line_of(raw) or 0, f"{where} must map years to rates, e.g. {{2022: \"1.5%\"}}")
            return out
        for year, value in raw.items():
            kl = line_of(raw, year)
            if not isinstance(year, int) or isinstance(year, bool):
                self.c.add(kl, f"{where}: {excerpt(year)!r} is not a year: write a whole number, e.g. {years.start + 1}")
                continue
            if year not in years:
                self.c.add(kl, f"{where}: year {year} is outside {years.start}-{years.stop - 1}")
                continue
            try:
                out[year] = parse_rate(value)
            except ValueProblem as exc:
                self.c.add(kl, f"{where}.{year}: {exc}")
        return out

    def read_assumptions(self, raw: Any, line: int, funds: dict[str, Fund]) -> Assumptions:
        """The series of the COG (cog.yaml `series`): each inherited from the COG's published figures
        unless the scenario gives it (replacing it whole) or says `none` (for one series, or
        `assumptions: none` for all)."""
        cog = self.cog
        a = Assumptions()
        published = cog.published if cog is not None else {}
        given: dict[str, Any] = {}
        if raw == "none":
            given = {name: "none" for name in cog.series} if cog is not None else {}
        elif raw is not None:
            if not self.c.check_keys(raw, (*(cog.series if cog else ()), "carry_over"), (), "assumptions", line):
                return a
            given = {k: v for k, v in raw.items() if k != "carry_over"}
            mode = raw.get("carry_over", "decided")
            if mode not in ("decided", "maximum"):
                self.c.add(line_of(raw, "carry_over"), unknown_message("carry_over mode", mode, ("decided", "maximum")))
            else:
                a.carry_over = mode
        first, last = _years_of(funds)
        years = range(first - 1, last + 1)
        for name, parts in (cog.series.items() if cog else ()):
            block = given.get(name)
            if block == "none":
                a.origins[name] = "none"
                continue
            if block is None:
                if name in published:
                    a.series[name] = {part: dict(rates) for part, rates in published[name].items()}
                    a.origins[name] = "published"
                    for part, rates in published[name].items():
                        for year in rates:
                            a.lines[f"{name}.{part}.{year}"] = f"{cog.file}:{cog.published_lines.get(f'{name}.{part}.{year}', 0)}"
                else:
                    a.origins[name] = "none"
                continue
            if not self.c.check_keys(block, parts, (), f"assumptions.{name}", line_of(raw, name)):
                continue
            a.origins[name] = "scenario"
            a.series[name] = {}
            for part in parts:
                if part in block and block[part] is not None:
                    a.series[name][part] = self.rate_series(block[part], f"{name}.{part}", years)
                    for year in a.series[name][part]:
                        a.lines[f"{name}.{part}.{year}"] = self.src(line_of(block[part], year))
        return a

    def read_events(self, raw: Any, line: int, funds: dict[str, Fund]) -> list[Event]:
        c = self.c
        if not isinstance(raw, list):
            c.add(line, "'events' must be a list")
            return []
        events = []
        for i, item in enumerate(raw):
            iline = line_of(raw, i)
            if not isinstance(item, dict):
                c.add(iline, "an event must be a mapping with 'kind' and 'year'")
                continue
            kind = item.get("kind")
            kind = self.aliases.get(kind, kind) if _hashable(kind) else kind
            if not _hashable(kind) or kind not in EVENT_FIELDS:
                kinds = [*EVENT_FIELDS, *self.aliases]
                c.add(line_of(item, "kind"), unknown_message("event kind", kind, kinds) if kind else "event without 'kind'")
                continue
            required, optional = EVENT_FIELDS[kind]
            n_before = len(c.problems)
            if not c.check_keys(item, ("kind", "year") + required + optional, ("year",) + required, f"{kind} event",
                                iline) or len(c.problems) > n_before:  # an unknown key: not an event of its kind
                continue
            event = self.read_event(kind, item, iline, funds, i)
            if event is not None:
                events.append(event)
        return events

    def read_event(self, kind: str, item: LineDict, iline: int, funds: dict[str, Fund], order: int) -> Event | None:
        c = self.c
        n_before = len(c.problems)
        code = item.get("fund")
        if code is None and kind in FUND_OPTIONAL:  # the reserve fund of the scenario (SCENARIOS.md names none)
            code = next((f.code for f in funds.values() if f.reserve_fund is not None), None)
        fund = funds.get(code) if _hashable(code) else None
        if fund is None:
            c.add(line_of(item, "fund"), self.unknown_fund(code, funds))
            return None
        year = item.get("year")
        last_ok = fund.last_year + (1 if kind == "carry_over" else 0)
        if isinstance(year, BadNumber):
            c.add(line_of(item, "year"), f"year: '{excerpt(year)}' is {year.reason}: write the year as a whole number, "
                                         f"e.g. {fund.first_year + 1}")
            year = None
        elif not isinstance(year, int) or isinstance(year, bool):
            quotes = " (without quotes)" if isinstance(year, str) and year.strip().isdigit() else ""
            c.add(line_of(item, "year"), f"year must be written as a whole number{quotes}, e.g. {fund.first_year + 1}, "
                                         f"got {kind_of(year)}")
            year = None  # no date of the event is judged against a year that is not one
        elif not fund.first_year <= year <= last_ok:
            c.add(line_of(item, "year"), f"year {year} is outside the period of {fund.code} ({fund.first_year}-{fund.last_year})")
            year = None
        data: dict[str, Any] = {}
        for key, value in item.items():
            kl = line_of(item, key)
            if key in ("kind", "year", "fund"):
                continue
            if key in LINE_FIELDS:
                if not _hashable(value) or value not in fund.leaf_codes:
                    if _hashable(value) and value in fund.by_code:
                        c.add(kl, f"{key}: {fund.code} {value} is a subtotal, not a leaf: name one of its lines "
                                  f"({', '.join(fund.leaves_under[value])})")
                    else:
                        c.add(kl, f"{key}: " + unknown_message(f"line of {fund.code}", value, fund.leaf_codes))
                data[key] = str(value)
            elif key in DATE_FIELDS:
                data[key] = c.optional_date(item, key)
            elif key in AMOUNT_FIELDS:
                negative = kind == "employer_contributions"
                try:
                    data[key] = parse_amount(value, allow_negative=negative)
                except ValueProblem as exc:
                    c.add(kl, f"{key}: {exc}")
            elif key in ENUMS:
                if not _hashable(value) or value not in ENUMS[key]:
                    c.add(kl, unknown_message(key, value, ENUMS[key]))
                data[key] = value
            elif key == "category":  # the categories the fund files declare (receipts.categories)
                categories = fund.receipts.categories or {k for f in (self.bundled or funds).values()
                                                          for k in f.receipts.categories}
                if not _hashable(value) or value not in categories:
                    c.add(kl, unknown_message(f"receipt category of {fund.code}", value,
                                              categories or ("(the funds declare none)",)))
                data[key] = value
            elif key == "month":
                if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
                    c.add(kl, f"month must be a month number from 1 to 12, got {kind_of(value)}")
                data[key] = value
            elif key == "counterpart_class":
                if not isinstance(value, int) or isinstance(value, bool):
                    c.add(kl, f"counterpart_class must be an account class number (1 or 2), got {kind_of(value)}")
                data[key] = value
            elif key == "resource":
                resources = fund.reserve_fund.resources if fund.reserve_fund else ()
                if not _hashable(value) or value not in resources:
                    c.add(kl, unknown_message("FNMO resource", value, resources or ("(this fund has none)",)))
                data[key] = value
            elif key == "dm":
                data[key] = self.read_dm(value, kl)
            elif key == "lines":
                data[key] = self.read_vote_lines(value, kl, fund)
            elif key == "account":
                data[key] = str(value)
                if not data[key].isdigit():
                    c.add(kl, f"account must be an account number, e.g. \"7084\", got {kind_of(value)}")
            elif key == "agents":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000_000:
                    c.add(kl, f"agents must be a head count (a whole number ≥ 0), got {kind_of(value)}")
                data[key] = value
            elif key == "fte":
                try:
                    data[key] = parse_amount(value)
                except ValueProblem as exc:
                    c.add(kl, f"fte: {exc} (a number of full-time equivalents, e.g. 12.5)")
            else:  # ref, label, status, legal_reference
                data[key] = c.text(item, key)
        if kind == "receipt" and ("account" in item) == ("category" in item):
            c.add(iline, "a receipt names either an 'account' or a 'category'")
        when = data.get("date")
        if isinstance(when, dt.date) and year is not None and when.year != year:
            c.add(line_of(item, "date"), f"date {when.isoformat()} is not in the event's year {year}")
        if kind == "virement" and item.get("from") == item.get("to"):
            c.add(line_of(item, "to"), "a virement moves credit between two different lines")
        if kind == "employer_contributions" and not any(ln.index and ln.index.kind == "rmpp" for ln in fund.leaves):
            c.add(line_of(item, "fund"), f"{fund.code} has no RMPP-indexed line to receive employer contributions")
        if kind == "execution" and "month" in data and "date" in data:
            c.add(line_of(item, "month"), "an execution gives a 'date' or a 'month', not both")
        if len(c.problems) > n_before:
            return None
        attrs = {ATTRIBUTE.get(k, k) if kind == "virement" else k: v for k, v in data.items()}
        return EVENT_CLASSES[kind](year=year, fund=fund.code, source=self.src(iline), order=order, **attrs)

    def read_dm(self, raw: Any, line: int) -> Dm | None:
        if not isinstance(raw, dict):
            self.c.add(line, "dm must be a mapping {ref, board_vote, approval}")
            return None
        if not self.c.check_keys(raw, ("ref", "board_vote", "approval"), ("ref", "board_vote"), "dm"):
            return None
        out = {"ref": self.c.text(raw, "ref", "dm.")}
        for key in ("board_vote", "approval"):
            if key in raw:
                out[key] = self.c.optional_date(raw, key, "dm.")
        return Dm(ref=out["ref"], board_vote=out["board_vote"], approval=out.get("approval"))

    def read_vote_lines(self, raw: Any, line: int, fund: Fund) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        if not isinstance(raw, dict):
            self.c.add(line, "lines must map line codes to amounts, e.g. {A-I-1: \"36 670 000\"}")
            return out
        for code, value in raw.items():
            kl = line_of(raw, code)
            if not _hashable(code) or code not in fund.by_code:
                self.c.add(kl, unknown_message(f"line of {fund.code}", code, fund.by_code))
                continue
            try:
                out[str(code)] = parse_amount(value)
            except ValueProblem as exc:
                self.c.add(kl, f"{code}: {exc}")
        return out


def load_scenario(path: Path | str, *, funds: dict[str, Fund] | None = None) -> Scenario:
    """Read and validate a scenario file; raise InputErrors listing every problem of the file."""
    shown = display_path(path)
    data = load_yaml(path, shown)
    reader = _Reader(data, shown, Path(path).resolve().parent, funds)
    scenario = reader.read()
    reader.c.raise_if_any()
    assert scenario is not None
    return scenario


def read_events(items: list[dict[str, Any]], funds: dict[str, Fund], shown: str, *, first_order: int = 0) -> list[Event]:
    """Check event mappings made by a program (e.g. from FEC files) as a scenario's events are checked,
    and return them typed. An item's `source` ("file.txt:12") is kept as the event's provenance.
    Raises InputErrors naming `shown` and each problem."""
    reader = _Reader(None, shown, Path("."), funds)
    events = []
    for i, item in enumerate(items):
        item = dict(item)
        source = item.pop("source", None)
        kind = item.get("kind")
        event = reader.read_event(kind, item, 0, funds, first_order + i) if kind in EVENT_CLASSES else None
        if kind not in EVENT_CLASSES:
            reader.c.add(0, unknown_message("event kind", kind, EVENT_CLASSES))
        if event is not None:
            events.append(dataclasses.replace(event, source=source) if source else event)
    reader.c.raise_if_any()
    return events


def scenario_from_data(data: Any, shown: str, *, funds: dict[str, Fund] | None = None,
                       base_dir: Path | None = None, cogs: Mapping[str, Mapping[str, Fund]] | None = None) -> Scenario:
    """A scenario from data already parsed (a mapping of the YAML keys, e.g. built in a notebook or
    posted to the web server), checked as a file is; problems name `shown`. With `cogs` (the funds of
    each COG a server serves, by id), `cog:` may name only one of those, and no COG folder is read."""
    reader = _Reader(data, shown, base_dir or Path("."), funds, cogs=cogs)
    scenario = reader.read()
    reader.c.raise_if_any()
    assert scenario is not None
    return scenario
