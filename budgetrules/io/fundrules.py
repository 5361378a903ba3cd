"""The rule parameters of a fund file (docs/funds.md): carry-over, indices, fungibility, receipts,
reserves, votes and carry-over across conventions, each checked against its range and the COG's
vocabulary (its rule catalogue, its indices). Two entries that claim the same case are refused with
both lines (Catala's lesson: a conflict is an error, never a silent pick). A mixin of the fund
reader (`fundfile._Reader`), which holds the collector, the period and the small readers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Callable

from ..core.errors import unknown_message
from ..core.money import ValueProblem, parse_amount
from ..model.fund import (VERDICTS, CarryAcross, CarryPolicy, Direction, Fungibility, GroupCap, GroupRule,
                          Indexation, NonCash, Participation, RealEstate, ReceiptAccount, Receipts, Reserve,
                          ReserveFund, VoteCalendar)
from .yaml import kind_of, line_of

CARRY_KEYS = ("mode", "rule", "cap", "ap")
INDEX_KEYS = ("kind", "rule", "base_year", "first_year", "base_forecast")
FUNGIBILITY_KEYS = ("default", "groups", "directions", "notice_days", "notice_months", "notify")
YEARS_AROUND = 5  # how far before the period a reference, base or opening year may be
MAX_DAYS = 366
LeafRef = Callable[[Any, int, str], "str | None"]


def _key(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, Decimal, bool)) or value is None else repr(value)


class PolicyReader:
    """Readers of the rule parameters; `self` is a `fundfile._Reader`."""

    c: Any
    years: list[int]
    cog: Any

    def carry(self, raw: Any, line: int) -> CarryPolicy | None:
        if raw is None:
            return None
        if not self.c.check_keys(raw, CARRY_KEYS, ("mode", "rule"), "carry", line):
            return None
        mode = raw.get("mode")
        if _key(mode) not in ("never", "on_decision", "automatic"):
            self.c.add(line_of(raw, "mode"), unknown_message("carry mode", mode, ("never", "on_decision", "automatic")))
            mode = "never"
        cap = self.rate(raw["cap"], line_of(raw, "cap"), "carry.cap", share=True) if raw.get("cap") is not None else None
        return CarryPolicy(mode=mode, rule=self.rule(raw.get("rule"), line_of(raw, "rule")), cap=cap,
                           ap=self.boolean(raw, "ap", False, "carry"))

    def index(self, raw: Any, line: int) -> Indexation | None:
        if raw is None:
            return None
        if not self.c.check_keys(raw, INDEX_KEYS, ("kind", "rule"), "index", line):
            return None
        kind = raw.get("kind")
        kinds = ("none", *self.cog.indices)
        if _key(kind) not in kinds:
            self.c.add(line_of(raw, "kind"), unknown_message("index kind", kind, kinds) + " (the indices of "
                                                                                         f"{self.cog.file or 'the COG'})")
            kind = "none"
        if kind != "none":
            for key in ("base_year", "first_year"):
                if key not in raw:
                    self.c.add(raw.line if hasattr(raw, "line") else line, f"index of kind '{kind}' needs an integer '{key}'")
        base_year = first_year = None
        if self.years:
            first, last = self.years[0], self.years[-1]
            base_year = self.period_year(raw, "base_year", None, "index", first - YEARS_AROUND, last - 1,
                                         f"the year whose index is 1: at most {YEARS_AROUND} years before the period "
                                         f"{first}-{last}, and before its last year")
            low = max(first, base_year + 1) if base_year is not None else first
            first_year = self.period_year(raw, "first_year", None, "index", low, last,
                                          "the first year indexed: a year of the period"
                                          + (f" after base_year {base_year}" if base_year is not None else ""))
        return Indexation(kind=kind, rule=self.rule(raw.get("rule"), line_of(raw, "rule")),
                          base_year=base_year, first_year=first_year,
                          base_forecast=self.rate(raw["base_forecast"], line_of(raw, "base_forecast"), "index.base_forecast")
                          if raw.get("base_forecast") is not None else None,
                          base_forecast_line=line_of(raw, "base_forecast") if raw.get("base_forecast") is not None else 0)

    def verdict(self, value: Any, line: int) -> str:
        if _key(value) not in VERDICTS:
            self.c.add(line, unknown_message("verdict", value, VERDICTS))
            return "requires_dm"
        return str(value)

    def local_label(self, raw: Any, where: str, line: int) -> dict[str, str]:
        """A name as people write it (a group's "CDC", a reserve resource's "Produits de cessions"): text, or
        {fr: …, en: …}; none when absent (the label catalogue or the key itself names it)."""
        if raw is None:
            return {}
        if isinstance(raw, str) and raw.strip():
            return {"fr": raw.strip()}
        if isinstance(raw, dict) and raw and set(raw) <= {"fr", "en"} and "fr" in raw \
                and all(isinstance(v, str) and v.strip() for v in raw.values()):
            return {lang: str(v).strip() for lang, v in raw.items()}
        self.c.add(line, f"{where}: 'label' must be text or {{fr: …, en: …}} (fr required), got {kind_of(raw)}")
        return {}

    def read_fungibility(self, raw: Any, line: int) -> Fungibility:
        c = self.c
        fallback = self.default_rule()
        if raw is None:
            return Fungibility(default_rule=self.default_rule())
        if not self.entry(raw, FUNGIBILITY_KEYS, ("default",), "fungibility", line):
            return Fungibility(default_rule=fallback)
        dflt = raw["default"]
        if not isinstance(dflt, dict):
            c.add(line_of(raw, "default"), "fungibility.default must be a mapping, e.g. {verdict: requires_dm, rule: R-FUNG-DEFAULT}")
            dflt = {"verdict": "requires_dm", "rule": fallback}
        elif not self.entry(dflt, ("verdict", "rule"), ("verdict", "rule"), "fungibility.default", line_of(raw, "default")):
            dflt = {"verdict": "requires_dm", "rule": fallback}
        groups = []
        listed_groups = self.mapping(raw, "groups", "fungibility")
        for name, spec in listed_groups.items():
            if self.entry(spec, ("within", "rule", "same_section_only", "label"), ("within", "rule"), f"group {name}",
                          line_of(listed_groups, name)):
                groups.append(GroupRule(name=str(name), within=self.verdict(spec["within"], line_of(spec, "within")),
                                        rule=self.rule(spec["rule"], line_of(spec, "rule")),
                                        same_section_only=self.boolean(spec, "same_section_only", False, f"group {name}"),
                                        label=self.local_label(spec.get("label"), f"group {name}", line_of(spec, "label"))))
        directions = []
        listed = raw.get("directions") or []
        if not isinstance(listed, list):
            self.c.add(line_of(raw, "directions"), "fungibility.directions must be a list of {from, to, verdict, rule}")
            listed = []
        seen: dict[tuple[str, str], int] = {}
        for i, spec in enumerate(listed):
            dline = line_of(listed, i)
            if not self.entry(spec, ("from", "to", "verdict", "rule"), ("from", "to", "verdict", "rule"),
                              f"direction #{i + 1}", dline):
                continue
            pair = (str(spec["from"]), str(spec["to"]))
            if pair in seen:  # two directions claim the same virements: refuse, naming both lines
                c.add(dline, f"direction {pair[0]} → {pair[1]} is given twice (also at line {seen[pair]}): "
                             f"keep one verdict for it")
                continue
            seen[pair] = dline
            if pair[0] == pair[1] and pair[0] in listed_groups:
                c.add(dline, f"direction {pair[0]} → {pair[1]} from a group to itself, while group {pair[0]} has its "
                             f"own 'within' rule (line {line_of(listed_groups, pair[0])}): keep one")
                continue
            directions.append(Direction(source=pair[0], target=pair[1],
                                        verdict=self.verdict(spec["verdict"], line_of(spec, "verdict")),
                                        rule=self.rule(spec["rule"], line_of(spec, "rule"))))
        if "notice_days" in raw and "notice_months" in raw:
            c.add(line_of(raw, "notice_months"), f"fungibility: give the notice delay in 'notice_days' or in "
                                                  f"'notice_months', not both (notice_days at line "
                                                  f"{line_of(raw, 'notice_days')})")
        months = self.integer(raw, "notice_months", None, "fungibility", 1, 12,
                              "calendar months within which a virement is notified")
        days = None if months is not None else self.integer(raw, "notice_days", None, "fungibility", 1, MAX_DAYS,
                                                             "days within which a virement is notified")
        verdicts = [dflt.get("verdict")] + [g.within for g in groups] + [d.verdict for d in directions]
        if "permitted_with_notice" in verdicts and months is None and days is None and not (
                "notice_days" in raw or "notice_months" in raw):  # (a refused value is reported already)
            c.add(line, "fungibility: a virement permitted with notice needs its delay: give 'notice_days' (e.g. 15) "
                        "or 'notice_months' (e.g. 1)")
        return Fungibility(default_verdict=self.verdict(dflt.get("verdict"), line_of(dflt, "verdict")),
                           default_rule=self.rule(dflt.get("rule"), line_of(dflt, "rule")),
                           groups=tuple(groups), directions=tuple(directions), notice_days=days,
                           notice_months=months, notify=str(raw.get("notify") or ""))

    def default_rule(self) -> str:
        """The rule of a fund whose file names no fungibility (the COG's `fungibility.none`)."""
        return self.cog.role("fungibility.none")

    def read_receipts(self, raw: Any, line: int, leaf_ref: LeafRef) -> Receipts:
        c = self.c
        none_rule = self.cog.role("receipts.other_none") if self.cog else "R-RECEIPT-OTHER-NONE"
        if raw is None:
            c.add(line or 1, f"missing key 'receipts' (give at least {{mode: none, rule: {none_rule}}})")
            return Receipts(mode="none", rule=none_rule)
        if not self.entry(raw, ("mode", "rule", "to_line", "lag_years", "accounts", "categories"), ("mode", "rule"),
                          "receipts", line):
            return Receipts(mode="none", rule=none_rule)
        mode = raw["mode"]
        if _key(mode) not in ("accounts", "none"):
            c.add(line_of(raw, "mode"), unknown_message("receipts mode", mode, ("accounts", "none")))
            mode = "none"
        accounts = []
        listed_accounts = self.mapping(raw, "accounts", "receipts")
        for acc, spec in listed_accounts.items():
            if self.entry(spec, ("label", "reuse"), ("label", "reuse"), f"account {acc}", line_of(listed_accounts, acc)):
                accounts.append(ReceiptAccount(account=str(acc), label=str(spec["label"]),
                                               reuse=self.rate(spec["reuse"], line_of(spec, "reuse"),
                                                               f"receipts.accounts.{acc}.reuse", share=True)))
        listed_categories = self.mapping(raw, "categories", "receipts")
        categories = {str(k): self.rate(v, line_of(listed_categories, k), f"receipts.categories.{k}", share=True)
                      for k, v in listed_categories.items()}
        return Receipts(mode=mode, rule=self.rule(raw["rule"], line_of(raw, "rule")),
                        to_line=leaf_ref(raw.get("to_line"), line_of(raw, "to_line"), "receipts"),
                        lag_years=self.integer(raw, "lag_years", 1, "receipts", 0, 10,
                                               "years between a receipt and its reuse"),
                        accounts=tuple(accounts), categories=categories)

    def read_votes(self, raw: Any, line: int) -> VoteCalendar:
        c = self.c
        keys = ("rule", "primitif_year_offset", "primitif_latest", "rectificatif_year_offset",
                "rectificatif_before", "executory_days")
        if not self.entry(raw, keys, ("rule",), "votes", line):
            return VoteCalendar(rule="R-VOTE-CALENDAR")
        days: dict[str, str | None] = {}
        for key in ("primitif_latest", "rectificatif_before"):
            value = days[key] = raw.get(key)
            if value is not None and not month_day(value):
                c.add(line_of(raw, key), f"votes.{key} must be a month and day of every year \"MM-DD\", from \"01-01\" to "
                                         f"\"12-31\" (not \"02-29\"), e.g. \"06-30\"; got {kind_of(value)}")
                days[key] = None
        offset = "the year of the vote, relative to the budget's year"
        return VoteCalendar(rule=self.rule(raw["rule"], line_of(raw, "rule")),
                            primitif_year_offset=self.integer(raw, "primitif_year_offset", -1, "votes", -2, 2, offset),
                            primitif_latest=days["primitif_latest"],
                            rectificatif_year_offset=self.integer(raw, "rectificatif_year_offset", 0, "votes", -2, 2, offset),
                            rectificatif_before=days["rectificatif_before"],
                            executory_days=self.integer(raw, "executory_days", None, "votes", 1, MAX_DAYS,
                                                        "days after the ministries receive the budget"))

    def read_noncash(self, raw: Any, line: int) -> NonCash | None:
        if raw is None or not self.entry(raw, ("rule", "counterpart_classes"), ("rule",), "noncash", line):
            return None
        classes = raw.get("counterpart_classes", [1, 2])
        if (not isinstance(classes, list)
                or not all(isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= 9 for k in classes)):
            self.c.add(line_of(raw, "counterpart_classes"),
                       "noncash.counterpart_classes must list account classes (1 to 9), e.g. [1, 2]")
            classes = [1, 2]
        return NonCash(rule=self.rule(raw["rule"], line_of(raw, "rule")), counterpart_classes=tuple(classes))

    def read_real_estate(self, raw: Any, line: int, leaf_ref: LeafRef) -> RealEstate | None:
        if raw is None or not self.entry(raw, ("rule", "investment_line", "rent_line", "rent_years", "lag_years"),
                                         ("rule", "investment_line", "rent_line"), "real_estate", line):
            return None
        return RealEstate(rule=self.rule(raw["rule"], line_of(raw, "rule")),
                          investment_line=leaf_ref(raw["investment_line"], line_of(raw, "investment_line"),
                                                   "real_estate") or "",
                          rent_line=leaf_ref(raw["rent_line"], line_of(raw, "rent_line"), "real_estate") or "",
                          rent_years=self.integer(raw, "rent_years", 10, "real_estate", 1, 50,
                                                  "the years over which a gain used for rent is spread"),
                          lag_years=self.integer(raw, "lag_years", 1, "real_estate", 0, 10,
                                                 "years between the sale and the first use of its gain"))

    def read_reserve(self, raw: Any, line: int, leaf_ref: LeafRef) -> Reserve | None:
        if raw is None or not self.entry(raw, ("line", "rule"), ("line", "rule"), "reserve", line):
            return None
        return Reserve(line=leaf_ref(raw["line"], line_of(raw, "line"), "reserve") or "",
                       rule=self.rule(raw["rule"], line_of(raw, "rule")))

    def read_reserve_fund(self, raw: Any, line: int) -> ReserveFund | None:
        if raw is None or not self.entry(raw, ("opening", "opening_year", "resources", "rule"),
                                         ("opening", "opening_year", "resources", "rule"), "reserve_fund", line):
            return None
        resources, labels = raw["resources"], {}
        if isinstance(resources, dict):  # each kind with its name in reports: {cessions: Produits de cessions, …}
            labels = {str(kind): label for kind, label in
                      ((kind, self.local_label(text, f"reserve_fund.resources.{kind}", line_of(resources, kind)))
                       for kind, text in resources.items()) if label}
            resources = [str(kind) for kind in resources]
        if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
            self.c.add(line_of(raw, "resources"), "reserve_fund.resources must list resource kinds, e.g. [cessions, "
                                                  "excedents], or name each: {cessions: Produits de cessions, …}")
            resources = []
        first = self.years[0] if self.years else 0
        return ReserveFund(opening=self.amount(raw["opening"], line_of(raw, "opening"), "reserve_fund.opening", scaled=False),
                           opening_year=self.period_year(
                               raw, "opening_year", 0, "reserve_fund", first - YEARS_AROUND, first,
                               f"the year of the opening reserve: at most {YEARS_AROUND} years before the "
                               f"period's first year {first}, and not after it"),
                           resources=tuple(resources), rule=self.rule(raw["rule"], line_of(raw, "rule")),
                           resource_labels=labels)

    def read_carry_across(self, raw: Any, line: int, groups: dict[str, list[str]], leaves: set[str]) -> CarryAcross:
        """`carry_over:` of the fund: across conventions, and caps on groups of lines."""
        if raw is None:
            return CarryAcross()
        if not self.entry(raw, ("from_previous", "to_next", "group_caps"), (), "carry_over", line):
            return CarryAcross()
        to_next = raw.get("to_next", "none")
        if to_next not in ("none", "eligible"):
            self.c.add(line_of(raw, "to_next"), unknown_message("to_next", to_next, ("none", "eligible")))
            to_next = "none"
        caps = []
        for i, spec in enumerate(self.listed(raw, "group_caps", "carry_over")):
            where = f"carry_over.group_caps #{i + 1}"
            sline = line_of(raw["group_caps"], i)
            if not self.entry(spec, ("group", "lines", "cap", "rule", "label"), ("cap", "rule"), where, sline):
                continue
            if ("group" in spec) == ("lines" in spec):
                self.c.add(sline, f"{where}: name a 'group' or the 'lines' it caps (one of them)")
                continue
            if "group" in spec:
                members = groups.get(str(spec["group"]))
                if members is None:
                    self.c.add(line_of(spec, "group"), f"{where}: " + unknown_message("group", spec["group"],
                                                                                     groups or ["(none)"]))
                    continue
            else:
                members = [str(m) for m in spec["lines"]] if isinstance(spec["lines"], list) else []
                for m in members:
                    if m not in leaves:
                        self.c.add(line_of(spec, "lines"), f"{where}: " + unknown_message("leaf line", m, leaves))
            cap = spec["cap"]
            share = amount = None
            if isinstance(cap, str) and cap.strip().endswith("%"):
                share = self.rate(cap, line_of(spec, "cap"), f"{where}.cap", share=True)
            else:
                try:
                    amount = parse_amount(cap, unit=self.factor)  # a bare number is in the file's unit
                except ValueProblem as exc:
                    self.c.add(line_of(spec, "cap"), f"{where}.cap: {exc} (or a share, e.g. \"3%\")")
                    continue
            caps.append(GroupCap(lines=tuple(members), rule=self.rule(spec["rule"], line_of(spec, "rule")),
                                 share=share, amount=amount, label=str(spec.get("group") or spec.get("label") or "")))
        return CarryAcross(from_previous=self.boolean(raw, "from_previous", False, "carry_over"), to_next=to_next,
                           group_caps=tuple(caps))


    def read_participation(self, raw: Any, line: int, sections: list[str]) -> Participation | None:
        """`participation:` (R-BRANCH-PARTICIPATION): the reading of « dépenses nettes », the branch of
        each section, the split key between branches when the COG gives one."""
        if raw is None or not self.entry(raw, ("rule", "net_expenses", "branches", "key"), ("rule",), "participation",
                                         line):
            return None
        reading = raw.get("net_expenses", "executed_less_receipts")
        readings = ("executed_less_receipts", "executed")
        if reading not in readings:
            self.c.add(line_of(raw, "net_expenses"), unknown_message("reading of net expenses", reading, readings))
            reading = readings[0]
        branches = {}
        for section, branch in self.mapping(raw, "branches", "participation").items():
            if str(section) not in sections:
                self.c.add(line_of(raw["branches"], section), "participation.branches: "
                           + unknown_message("section (a top-level line)", section, sections))
                continue
            branches[str(section)] = str(branch)
        key = {}
        for branch, share in self.mapping(raw, "key", "participation").items():
            key[str(branch)] = self.rate(share, line_of(raw["key"], branch), f"participation.key.{branch}", share=True)
        if key and sum(key.values()) != 1:
            self.c.add(line_of(raw, "key"), f"participation.key: the shares add up to {sum(key.values()) * 100:f} %, "
                                            f"not 100 %")
        if key and branches:
            self.c.add(line_of(raw, "key"), "participation: give the branch of each section or a key for the whole "
                                            "fund, not both")
        return Participation(rule=self.rule(raw["rule"], line_of(raw, "rule")), net_expenses=reading,
                             branches=branches, key=key)

    def read_bilan(self, raw: Any, line: int, leaves: set[str]) -> dict[str, tuple[str, ...]]:
        """`bilan:` the leaves of each section of the annual bilan the table does not say (it, real_estate)."""
        out: dict[str, tuple[str, ...]] = {}
        if raw is None or not self.c.check_keys(raw, ("it", "real_estate"), (), "bilan", line):
            return out
        for section, codes in raw.items():
            listed = codes if isinstance(codes, list) else []
            if not isinstance(codes, list):
                self.c.add(line_of(raw, section), f"bilan.{section} must list leaf lines")
            for code in listed:
                if str(code) not in leaves:
                    self.c.add(line_of(raw, section), f"bilan.{section}: " + unknown_message("leaf line", code, leaves))
            out[str(section)] = tuple(str(code) for code in listed)
        return out


def month_day(value: Any) -> bool:
    """"MM-DD" that is a day of every year (so "02-29" is not)."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != "-" or not (value[:2] + value[3:]).isdigit():
        return False
    try:
        dt.date(2023, int(value[:2]), int(value[3:]))
    except ValueError:
        return False
    return True
