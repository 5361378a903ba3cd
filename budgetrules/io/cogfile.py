"""Reading a COG folder: its `cog.yaml` (the convention, its vocabulary and rule catalogue, its
published assumptions and amendments) and its fund files, every problem collected with its
file:line and the nearest valid key (docs/cog.md)."""
from __future__ import annotations

import dataclasses
import os

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import InputErrors, Problem, excerpt, unknown_message
from ..core.money import ValueProblem, parse_amount, parse_rate
from ..model.catalog import MECHANISMS, ROLES
from ..model.cog import AUTHORITY_KEYS, INDEX_FORMULAS, Amendment, Change, Cog, IndexSpec, RuleEntry
from .yaml import BadNumber, Collector, display_path, kind_of, line_of, load_yaml

TOP_KEYS = ("code", "title", "caisse", "parties", "signed_on", "period", "citation", "authorities", "series",
            "indices", "event_aliases", "published_assumptions", "published_sources", "central_scenario", "rules",
            "amendments", "abbreviations")
REQUIRED = ("code", "title", "caisse", "period", "citation", "authorities", "rules")
FORMULA_PARTS = {"corrected_compound": ("forecast", "actual"), "differential": ("retained", "set", "observed"),
                 "fixed_rate": (), "executed_growth": ("growth",)}
ENGINE_EVENTS = ("reserve_resource", "reserve_expense")


class _Reader:
    def __init__(self, data: Any, shown: str, folder: Path):
        self.data = data
        self.c = Collector(shown)
        self.folder = folder

    def text(self, raw: Any, key: str, required: bool = False) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.c.add(line_of(raw, key), f"{key} must be text, got {kind_of(value)}")
            return ""
        return str(value)

    def date(self, raw: Any, key: str) -> dt.date | None:
        return self.c.optional_date(raw, key)

    def read(self) -> Cog | None:
        c, d = self.c, self.data
        if not c.check_keys(d, TOP_KEYS, REQUIRED, "cog.yaml"):
            return None
        period = d.get("period")
        if (not isinstance(period, list) or len(period) != 2 or not all(isinstance(y, int) and not isinstance(y, bool)
                                                                      for y in period)
                or not 1900 <= period[0] <= period[1] <= 2200 or period[1] - period[0] > 20):
            c.add(line_of(d, "period"), "'period' must be [first year, last year], at most 20 years, e.g. [2022, 2024]")
            period = [2000, 2000]
        parties = d.get("parties") or []
        if not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
            c.add(line_of(d, "parties"), "'parties' must list the signatories, e.g. [État, CANSSM]")
            parties = []
        series, labels = self.read_series(d.get("series") or {}, line_of(d, "series"))
        rules = self.read_rules(d.get("rules"), line_of(d, "rules"))
        cog = Cog(code=self.text(d, "code"), title=self.text(d, "title"), caisse=self.text(d, "caisse"),
                  parties=tuple(parties), signed_on=self.date(d, "signed_on"), period=(period[0], period[1]),
                  citation=self.text(d, "citation"), authorities=self.read_authorities(d.get("authorities")),
                  series=series, series_labels=labels,
                  indices=self.read_indices(d.get("indices") or {}, series, line_of(d, "indices"), period),
                  rules=rules, event_aliases=self.read_aliases(d.get("event_aliases") or {}),
                  published=self.read_published(d.get("published_assumptions") or {}, series, period),
                  published_sources={str(k): str(v) for k, v in (d.get("published_sources") or {}).items()},
                  published_lines=self.published_lines(d.get("published_assumptions") or {}),
                  amendments=self.read_amendments(d.get("amendments") or [], line_of(d, "amendments")),
                  folder=self.folder, fund_files=tuple(fund_files(self.folder)), file=c.file,
                  central_scenario=self.text(d, "central_scenario") or None,
                  abbreviations=self.read_abbreviations(d.get("abbreviations")))
        return None if c.problems else cog

    def read_authorities(self, raw: Any) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        if not self.c.check_keys(raw, AUTHORITY_KEYS, AUTHORITY_KEYS, "authorities"):
            return out
        for key in AUTHORITY_KEYS:
            value = raw[key]
            if isinstance(value, str):
                out[key] = {"fr": value}
            elif isinstance(value, dict) and self.c.check_keys(value, ("fr", "en"), ("fr",), f"authorities.{key}"):
                out[key] = {lang: str(text) for lang, text in value.items()}
            elif not isinstance(value, dict):
                self.c.add(line_of(raw, key), f"authorities.{key} must be text or {{fr: …, en: …}}")
        return out

    def read_series(self, raw: Any, line: int) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
        series: dict[str, tuple[str, ...]] = {}
        labels: dict[str, str] = {}
        if not isinstance(raw, dict):
            self.c.add(line, f"'series' must map each series to its parts, got {kind_of(raw)}")
            return series, labels
        for name, spec in raw.items():
            if not self.c.check_keys(spec, ("parts", "label"), ("parts",), f"series {name}"):
                continue
            parts = spec["parts"]
            if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
                self.c.add(line_of(spec, "parts"), f"series {name}: 'parts' must list its parts, e.g. [forecast, actual]")
                continue
            series[str(name)] = tuple(parts)
            labels[str(name)] = str(spec.get("label") or name)
        return series, labels

    def read_indices(self, raw: Any, series: dict[str, tuple[str, ...]], line: int, period: list[int]) -> dict[str, IndexSpec]:
        out: dict[str, IndexSpec] = {}
        if not isinstance(raw, dict):
            self.c.add(line, f"'indices' must map each index to its formula, got {kind_of(raw)}")
            return out
        for name, spec in raw.items():
            where = f"index {name}"
            if not self.c.check_keys(spec, ("formula", "series", "parts", "first_correction", "rates"), ("formula",),
                                     where):
                continue
            formula = spec["formula"]
            if formula not in INDEX_FORMULAS:
                self.c.add(line_of(spec, "formula"), unknown_message("index formula", formula, INDEX_FORMULAS))
                continue
            parts: dict[str, str] = {}
            source = spec.get("series")
            if FORMULA_PARTS[formula]:
                if source not in series:
                    self.c.add(line_of(spec, "series") or line_of(raw, name),
                               f"{where}: " + unknown_message("series", source, series or ["(none declared)"]))
                    continue
                given = spec.get("parts") or {}
                if not isinstance(given, dict):
                    self.c.add(line_of(spec, "parts"), f"{where}: 'parts' must map the formula's terms to the series' parts")
                    continue
                for role in FORMULA_PARTS[formula]:
                    part = given.get(role, role)
                    if part not in series[source]:
                        self.c.add(line_of(given, role) or line_of(spec, "parts") or line_of(raw, name),
                                   f"{where}: {role}: " + unknown_message(f"part of {source}", part, series[source]))
                    parts[role] = str(part)
            rates: dict[int, Decimal] = {}
            if formula == "fixed_rate":
                given_rates = spec.get("rates")
                if not isinstance(given_rates, dict) or not given_rates:
                    self.c.add(line_of(spec, "rates") or line_of(raw, name), f"{where}: a fixed_rate index gives "
                                                                              f"its 'rates' by year, e.g. {{2023: \"2%\"}}")
                else:
                    for year, value in given_rates.items():
                        try:
                            rates[int(year)] = parse_rate(value)
                        except (ValueProblem, ValueError) as exc:
                            self.c.add(line_of(given_rates, year), f"{where}.rates.{year}: {exc}")
            out[str(name)] = IndexSpec(name=str(name), formula=formula, series=str(source) if source else None,
                                       parts=parts, first_correction=bool(spec.get("first_correction", True)),
                                       rates=rates)
        return out

    def read_rules(self, raw: Any, line: int) -> dict[str, RuleEntry]:
        out: dict[str, RuleEntry] = {}
        if not isinstance(raw, dict) or not raw:
            self.c.add(line, "'rules' must map every rule ID the COG uses to its mechanism")
            return out
        for rule, spec in raw.items():
            kl = line_of(raw, rule)
            if not isinstance(rule, str) or not rule.startswith("R-"):
                self.c.add(kl, f"rule ID {excerpt(rule)} must start with 'R-', e.g. R-FUNG-DM")
                continue
            if not self.c.check_keys(spec, ("mechanism", "citation"), ("mechanism",), f"rule {rule}"):
                continue
            mechanism = spec["mechanism"]
            if mechanism not in MECHANISMS:
                self.c.add(line_of(spec, "mechanism"), f"rule {rule}: " + unknown_message("mechanism", mechanism,
                                                                                           MECHANISMS))
                continue
            out[rule] = RuleEntry(rule=rule, mechanism=mechanism, citation=str(spec.get("citation") or ""),
                                  source_line=kl)
        bound = {entry.mechanism for entry in out.values()}
        for mechanism, default in ROLES.items():
            if mechanism not in bound:
                self.c.add(line, f"rules: no rule ID bound to the mechanism '{mechanism}' (the engine emits it for any "
                                 f"fund), e.g. {default}: {{mechanism: {mechanism}}}")
        return out

    def read_abbreviations(self, raw: Any) -> dict[str, str]:
        """How tables abbreviate each verdict (« DG » where the directeur général signs): verdict -> text."""
        from ..model.fund import VERDICTS

        if raw is None or not self.c.check_keys(raw, VERDICTS, (), "abbreviations"):
            return {}
        out = {}
        for verdict, text in raw.items():
            if verdict not in VERDICTS:
                continue  # reported by check_keys
            if not isinstance(text, str) or not text.strip() or len(text) > 16:
                self.c.add(line_of(raw, verdict), f"abbreviations.{verdict}: a short text (at most 16 characters), "
                                                  f"e.g. DG, got {kind_of(text)}")
                continue
            out[str(verdict)] = text.strip()
        return out

    def read_aliases(self, raw: Any) -> dict[str, str]:
        out: dict[str, str] = {}
        if not isinstance(raw, dict):
            self.c.add(getattr(raw, "line", 0), "'event_aliases' must map a public event kind to the engine's")
            return out
        for public, engine in raw.items():
            if engine not in ENGINE_EVENTS:
                self.c.add(line_of(raw, public), unknown_message("event kind of the engine", engine, ENGINE_EVENTS))
                continue
            out[str(public)] = str(engine)
        return out

    def read_published(self, raw: Any, series: dict[str, tuple[str, ...]], period: list[int]) -> dict:
        out: dict[str, dict[str, dict[int, Decimal]]] = {}
        if not self.c.check_keys(raw, tuple(series), (), "published_assumptions"):
            return out
        for name, parts in raw.items():
            if not self.c.check_keys(parts, series[name], (), f"published_assumptions.{name}"):
                continue
            for part, values in parts.items():
                if not isinstance(values, dict):
                    self.c.add(line_of(parts, part), f"published_assumptions.{name}.{part} must map years to rates")
                    continue
                rates: dict[int, Decimal] = {}
                for year, value in values.items():
                    where = f"published_assumptions.{name}.{part}.{year}"
                    if not isinstance(year, int) or not period[0] - 1 <= year <= period[1]:
                        self.c.add(line_of(values, year), f"{where}: a year from {period[0] - 1} to {period[1]}")
                        continue
                    try:
                        rates[year] = parse_rate(value)
                    except ValueProblem as exc:
                        self.c.add(line_of(values, year), f"{where}: {exc}")
                out.setdefault(name, {})[part] = rates
        return out

    def published_lines(self, raw: Any) -> dict[str, int]:
        """The line of every published rate ("inflation.forecast.2023" -> line), for provenance."""
        out: dict[str, int] = {}
        if isinstance(raw, dict):
            for name, parts in raw.items():
                if isinstance(parts, dict):
                    for part, values in parts.items():
                        if isinstance(values, dict):
                            for year in values:
                                out[f"{name}.{part}.{year}"] = line_of(values, year)
        return out

    def read_amendments(self, raw: Any, line: int) -> tuple[Amendment, ...]:
        out: list[Amendment] = []
        if not isinstance(raw, list):
            self.c.add(line, "'amendments' must list the avenants")
            return ()
        for i, item in enumerate(raw):
            where = f"amendment #{i + 1}"
            if not self.c.check_keys(item, ("ref", "effective", "citation", "changes"),
                                     ("ref", "effective", "citation", "changes"), where):
                continue
            effective = self.date(item, "effective")
            changes = []
            listed = item["changes"]
            if not isinstance(listed, list) or not listed:
                self.c.add(line_of(item, "changes"), f"{where}: 'changes' must list what it changes")
                listed = []
            for j, change in enumerate(listed):
                cw = f"{where}, change #{j + 1}"
                if not self.c.check_keys(change, ("fund", "line", "year", "amount", "path", "value"), ("fund",), cw):
                    continue
                amount = None
                if "amount" in change:
                    if "line" not in change or "year" not in change:
                        self.c.add(line_of(change, "amount"), f"{cw}: a table amount names its 'line' and 'year'")
                    try:
                        amount = parse_amount(change["amount"])
                    except ValueProblem as exc:
                        self.c.add(line_of(change, "amount"), f"{cw}: amount: {exc}")
                elif "path" not in change:
                    self.c.add(line_of(listed, j), f"{cw}: give a table 'amount' (with line and year) or a "
                                                   f"parameter 'path' and its 'value'")
                bare = isinstance(change.get("amount"), (int, Decimal)) and not isinstance(change.get("amount"), bool)
                changes.append(Change(fund=str(change["fund"]), line=change.get("line"), year=change.get("year"),
                                      amount=amount, path=change.get("path"), value=change.get("value"),
                                      source_line=line_of(listed, j), in_fund_unit=bare))
            if effective is not None:
                out.append(Amendment(ref=str(item["ref"]), effective=effective, citation=str(item["citation"]),
                                     changes=tuple(changes), source_line=line_of(raw, i)))
        return tuple(out)


def fund_files(folder: Path) -> list[Path]:
    """The fund files of a COG folder: its *.yaml but cog.yaml (subfolders, e.g. mappings/, apart)."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != "cog.yaml")


def load_cog_file(folder: Path | str) -> Cog:
    """Read and check a COG folder's cog.yaml; raise InputErrors with every problem of the file."""
    folder = Path(folder)
    path = folder / "cog.yaml"
    if not folder.is_dir():
        raise InputErrors([Problem(display_path(folder), 0, "COG folder not found (a folder holding cog.yaml and "
                                                            "the fund files)")])
    if not path.is_file():
        raise InputErrors([Problem(display_path(folder), 0, "no cog.yaml in this folder: a COG folder holds "
                                                            "cog.yaml and its fund files (docs/cog.md)")])
    shown = display_path(path)
    reader = _Reader(load_yaml(path, shown), shown, folder)
    cog = reader.read()
    reader.c.raise_if_any()
    assert cog is not None
    return cog


__all__ = ["BadNumber", "fund_files", "load_cog", "load_cog_file"]


_CACHE: dict[tuple, tuple[Cog, dict]] = {}


def _in_fund_units(cog: Cog, funds: dict) -> Cog:
    """The COG with every amendment amount written as a bare number scaled to euros by its fund's
    unit (`amount: 1250` in an avenant of a k€ fund is 1 250 000 €, as in the fund file itself)."""
    if not any(c.in_fund_unit for a in cog.amendments for c in a.changes):
        return cog
    amended = []
    for a in cog.amendments:
        changes = tuple(dataclasses.replace(c, amount=(c.amount * funds[c.fund].unit_factor).quantize(Decimal("0.01")),
                                            in_fund_unit=False)
                        if c.in_fund_unit and c.amount is not None and c.fund in funds else c for c in a.changes)
        amended.append(dataclasses.replace(a, changes=changes))
    return dataclasses.replace(cog, amendments=tuple(amended))


def load_cog(cog: str | Path | None = None) -> tuple[Cog, dict]:
    """A COG and its funds (in the COG's order): a folder, the name of a bundled COG, or None for the
    current one (--cog, BUDGETRULES_COG, the bundled default). Both are immutable: a load is kept
    while its files are unchanged and the working directory is the same (the files' paths, as the
    findings show them, are relative to it)."""
    from .fundfile import load_funds
    from .paths import cog_folder

    folder = cog_folder(cog).resolve()
    files = [folder / "cog.yaml", *fund_files(folder)] if folder.is_dir() else []
    key = (folder, os.getcwd(), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file()))
    found = _CACHE.get(key)
    if found is None:
        from ..rules import amendments

        the_cog = load_cog_file(folder)
        funds = load_funds(list(the_cog.fund_files), cog=the_cog)
        the_cog = _in_fund_units(the_cog, funds)
        funds = {code: dataclasses.replace(fund, cog=the_cog) for code, fund in funds.items()}
        amendments.check(the_cog, funds)
        if len(_CACHE) > 16:
            _CACHE.clear()
        found = _CACHE[key] = (the_cog, funds)
    return found
