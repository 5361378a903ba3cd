"""The `expect` list of a scenario file (docs/scenarios.md): line and total expectations with their
amounts, `finding` and `no_finding` filters. An expectation that cannot match anything (an unknown
fund, line, rule or severity, a year no fund covers) is an input error with "did you mean", never a
silent pass. A mixin of the scenario reader (`scenariofile._Reader`)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.errors import excerpt, unknown_message
from ..core.money import ValueProblem, parse_amount
from ..core.records import COLUMNS, SEVERITIES
from ..model.fund import Fund
from ..model.scenario import Expectation
from .yaml import LineDict, line_of


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, Decimal)) or value is None


def _year(value: Any) -> int | None:
    """A year given as a number or as its digits ("2023", as it comes from a spreadsheet)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        return int(value.strip())
    return None


class ExpectationReader:
    """Reads `expect` (mixed into `scenariofile._Reader`, which holds the collector and the COG)."""

    def read_expect(self, raw: Any, line: int, funds: dict[str, Fund]) -> list[Expectation]:
        c = self.c
        out: list[Expectation] = []
        if not isinstance(raw, list):
            c.add(line, "'expect' must be a list")
            return out
        finding_keys = ("rule", "severity", "fund", "year", "line", "amount", "message")
        for i, item in enumerate(raw):
            iline = line_of(raw, i)
            if not isinstance(item, dict):
                c.add(iline, "an expectation must be a mapping")
                continue
            if "finding" in item or "no_finding" in item:
                key = "finding" if "finding" in item else "no_finding"
                if not c.check_keys(item, (key,), (), "expectation"):
                    continue
                body = item[key]
                if not c.check_keys(body, finding_keys, (), key):
                    continue
                values = self.check_finding_filter(body, funds)
                if "amount" in values:
                    try:
                        values["amount"] = parse_amount(values["amount"], allow_negative=True)
                    except ValueProblem as exc:
                        c.add(line_of(body, "amount"), f"amount: {exc}")
                out.append(Expectation(key, values.pop("fund", None), values.pop("line", None),
                                       values.pop("year", None), values, self.src(iline)))
                continue
            if "total" in item:
                if not c.check_keys(item, ("fund", "year", "total"), ("fund", "year", "total"), "total expectation"):
                    continue
                if not c.check_keys(item["total"], COLUMNS, (), "total"):
                    continue
                values = self.expected_amounts(item["total"], item["total"])
                fund = item["fund"]
                if not _hashable(fund) or fund not in funds:
                    c.add(line_of(item, "fund"), self.unknown_fund(fund, funds))
                    continue
                year = self.expected_year(item, funds[fund])
                if year is None:
                    continue
                out.append(Expectation("total", fund, None, year, values, self.src(iline)))
                continue
            if not c.check_keys(item, ("fund", "line", "year") + COLUMNS, ("fund", "line", "year"), "expectation"):
                continue
            fund = funds.get(item["fund"]) if _hashable(item["fund"]) else None
            if fund is None:
                c.add(line_of(item, "fund"), self.unknown_fund(item["fund"], funds))
                continue
            if not _hashable(item["line"]) or item["line"] not in fund.by_code:
                c.add(line_of(item, "line"), unknown_message(f"line of {fund.code}", item["line"], fund.by_code))
                continue
            year = self.expected_year(item, fund)
            if year is None:
                continue
            if not any(k in COLUMNS for k in item):
                c.add(iline, "this expectation names no column (e.g. authorised: \"1 000 €\")")
                continue
            values = self.expected_amounts(item, [k for k in item if k in COLUMNS])
            out.append(Expectation("line", fund.code, str(item["line"]), year, values, self.src(iline)))
        return out

    def check_finding_filter(self, body: LineDict, funds: dict[str, Fund]) -> dict[str, Any]:
        """The fields of a finding/no_finding expectation must be able to match: a misspelt rule, severity,
        fund or line, or a year no fund covers, would make a `no_finding` pass silently. Returns the
        fields with the year as a number ("2023" is read as 2023)."""
        c = self.c
        values = dict(body)
        rule_ids = self.cog.rule_ids if self.cog is not None else frozenset()
        if "rule" in body and (not _hashable(body["rule"]) or body["rule"] not in rule_ids):
            c.add(line_of(body, "rule"), unknown_message("rule ID", body["rule"], rule_ids))
        if "severity" in body and body["severity"] not in SEVERITIES:
            c.add(line_of(body, "severity"), unknown_message("severity", body["severity"], SEVERITIES))
        named = funds
        if "fund" in body:
            if not _hashable(body["fund"]) or body["fund"] not in funds:
                c.add(line_of(body, "fund"), self.unknown_fund(body["fund"], funds))
                named = {}
            else:
                named = {body["fund"]: funds[body["fund"]]}
        if "year" in body:
            year = _year(body["year"])
            # the years a finding may carry: the reference column (R-SOURCE-TOTALS) to the year after the
            # period (a carry-over beyond it)
            years = sorted({y for f in named.values() for y in range((f.reference_year or f.first_year),
                                                                         f.last_year + 2)})
            if year is None:
                c.add(line_of(body, "year"), f"year {excerpt(body['year'])} must be a year, e.g. 2023")
            elif named and year not in years:
                last = max(f.last_year for f in named.values())
                c.add(line_of(body, "year"), f"year {year} is outside the years of {', '.join(named)} "
                                             f"({years[0]}-{last}, and {last + 1} for a carry-over beyond the "
                                             f"period): nothing can match")
            else:
                values["year"] = year
        for key in ("line", "message"):
            if key in body and not isinstance(body[key], str):
                c.add(line_of(body, key), f"{key} {excerpt(body[key])} must be text")
        if isinstance(body.get("line"), str) and named:
            codes = {code for f in named.values() for code in f.by_code} | {
                x.code for f in named.values() for x in f.extra_totals}
            if body["line"] not in codes:
                where = f"line of {next(iter(named))}" if len(named) == 1 else "line of the scenario's funds"
                c.add(line_of(body, "line"), unknown_message(where, body["line"], codes))
        return values

    def expected_amounts(self, mapping: dict, columns: Any) -> dict[str, Decimal]:
        """The expected amounts of `columns` in `mapping` (the file's own mapping, so that each problem
        keeps its line)."""
        values = {}
        for col in columns:
            try:
                values[col] = parse_amount(mapping[col], allow_negative=True)
            except ValueProblem as exc:
                self.c.add(line_of(mapping, col), f"{col}: {exc}")
        return values

    def expected_year(self, item: LineDict, fund: Fund) -> int | None:
        """The year of a line or total expectation, a year of the fund's period ("2023" is read as 2023)."""
        year = _year(item["year"])
        if year is None:
            self.c.add(line_of(item, "year"), f"year {excerpt(item['year'])} must be a year, e.g. 2023")
        elif year not in fund.years:
            self.c.add(line_of(item, "year"), f"year {year} is outside {fund.code}'s period "
                                              f"{fund.first_year}-{fund.last_year}")
            year = None
        return year
