"""Properties of fund files (hypothesis): random valid fund trees built as data, written as YAML and
loaded; subtotals are sums of leaves however the tree is walked; load ∘ dump is the identity."""
from __future__ import annotations

import dataclasses

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.model.catalog import RULE_IDS
from budgetrules.io.fundfile import load_fund
from budgetrules.io.fundwrite import _represent_decimal, dump_fund
from budgetrules.model.fund import Fund
from budgetrules.core.money import fr_amount
from budgetrules.io.paths import cog_folder as funds_dir

TEXT = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
"""The characters of a label or a note: no control character (refused, with its line)."""
GROUPS = ("g-personnel", "g-fonctionnement", "g-investissement")
CARRY_RULES = {"never": "R-CARRY-EVALUATIVE-NONE", "on_decision": "R-CARRY-LIMITATIVE", "automatic": "R-CARRY-BNASS-AUTO"}


class _Writer(yaml.SafeDumper):
    """Writes Decimals as YAML numbers (never through a binary float), without a tag, as dump_fund does."""


_Writer.add_representer(Decimal, _represent_decimal)


def to_text(data: dict) -> str:
    return yaml.dump(data, Dumper=_Writer, allow_unicode=True, sort_keys=False)


def load_text(text: str) -> Fund:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fund.yaml"
        path.write_text(text, encoding="utf-8")
        return load_fund(path, shown="fund.yaml")


def comparable(fund: Fund) -> dict:
    """The model without what depends on where and how the file was written."""
    data = dataclasses.asdict(fund)
    del data["file"]
    for row in data["lines"] + data["extra_totals"] + data["errata"]:
        del row["source_line"]
    for row in data["lines"]:
        if row.get("index"):
            del row["index"]["base_forecast_line"]
    return data


# -- strategies ------------------------------------------------------------------------------------
@st.composite
def amount_text(draw: st.DrawFn, unit: str) -> Any:
    """An amount in euros with whole cents, written as the file would: a number in the file's unit,
    or text with an explicit unit."""
    cents = draw(st.integers(min_value=0, max_value=10**11))
    euros = Decimal(cents) / 100
    if draw(st.booleans()):
        return fr_amount(euros)  # "1 234,56 €": the explicit unit wins over the file's
    return euros / 1_000_000 if unit == "M€" else euros


@st.composite
def fund_data(draw: st.DrawFn) -> dict:
    unit = draw(st.sampled_from(("€", "M€")))
    first = draw(st.integers(min_value=2018, max_value=2026))
    last = first + draw(st.integers(min_value=0, max_value=3))
    years = list(range(first, last + 1))
    reference = first - 1 if draw(st.booleans()) else None
    programmed = draw(st.integers(0, 9)) > 0
    columns = years + ([reference] if reference else [])

    def amounts() -> dict:
        keys = years + ([reference] if reference and draw(st.booleans()) else [])
        return {y: draw(amount_text(unit)) for y in keys}

    lines: list[dict] = []
    leaves: list[str] = []

    def node(code: str, parent: str | None, depth: int) -> None:
        item: dict = {"code": code, "label": draw(st.text(TEXT, min_size=1, max_size=12).filter(str.strip))}
        if parent is not None:
            item["parent"] = parent
        n_children = draw(st.integers(min_value=0, max_value=3)) if depth < 3 else 0
        if parent is None and n_children == 0:
            n_children = 1  # sections are subtotals
        lines.append(item)
        if n_children:
            printed = draw(st.lists(st.sampled_from(columns), unique=True, max_size=len(columns)))
            if printed and programmed:
                item["published"] = {y: draw(amount_text(unit)) for y in sorted(printed)}
            for i in range(1, n_children + 1):
                node(f"{code}-{i}", code, depth + 1)
            return
        leaves.append(code)
        item["character"] = draw(st.sampled_from(("limitative", "evaluative", "reserve")))
        if draw(st.booleans()):
            item["group"] = draw(st.sampled_from(GROUPS))
        if programmed:
            item["amounts"] = amounts()
            if draw(st.integers(0, 4)) == 0:
                item["estimated"] = [years[-1]]
            if draw(st.integers(0, 4)) == 0:
                item["of_which"] = [{"label": "dont", "amounts": {years[0]: draw(amount_text(unit))}}]
        if draw(st.booleans()):
            mode = draw(st.sampled_from(sorted(CARRY_RULES)))
            carry: dict = {"mode": mode, "rule": CARRY_RULES[mode]}
            if draw(st.booleans()):
                carry["cap"] = draw(st.sampled_from(("3%", "1.5%", "100%")))
            if draw(st.booleans()):
                carry["ap"] = True
            item["carry"] = carry
        if draw(st.booleans()):
            item["index"] = {"kind": "inflation", "rule": "R-INDEX-BNPPS", "base_year": first - 1, "first_year": first}
        if draw(st.integers(0, 3)) == 0:
            item["notes"] = draw(st.text(TEXT, min_size=1, max_size=20).filter(str.strip))

    for s in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
        node(f"S{s}", None, 0)

    data: dict = {"code": draw(st.from_regex(r"[A-Z]{2,6}", fullmatch=True)), "label": "Fonds", "unit": unit,
                  "period": [first, last]}
    if reference:
        data["reference_year"] = reference
    if not programmed:
        data["programmed"] = False
    data["citations"] = {rule: f"texte de {rule}" for rule in sorted(RULE_IDS)}
    data["defaults"] = {
        "limitative": {"carry": {"mode": "on_decision", "rule": "R-CARRY-LIMITATIVE"},
                       "index": {"kind": "none", "rule": "R-INDEX-BNGA-NONE"}},
        "evaluative": {"carry": {"mode": "never", "rule": "R-CARRY-EVALUATIVE-NONE"},
                       "index": {"kind": "none", "rule": "R-INDEX-BNGA-NONE"}},
        "reserve": {"carry": {"mode": "never", "rule": "R-RESERVE-LAPSE"}},
    }
    data["lines"] = lines
    if programmed and draw(st.booleans()):
        members = draw(st.lists(st.sampled_from(leaves), unique=True, min_size=1))
        data["extra_totals"] = [{"code": "TOTAL", "label": "Total", "members": members,
                                 "published": {y: draw(amount_text(unit)) for y in columns}}]
    data["fungibility"] = {
        "default": {"verdict": draw(st.sampled_from(("requires_dm", "refused"))), "rule": "R-FUNG-DEFAULT"},
        "groups": {g: {"within": draw(st.sampled_from(("permitted", "requires_dm"))), "rule": "R-FUNG-BNGA-WITHIN",
                       **({"same_section_only": True} if draw(st.booleans()) else {})} for g in GROUPS},
        "directions": [{"from": GROUPS[0], "to": GROUPS[1], "verdict": "permitted_with_notice", "rule": "R-FUNG-BNGA-ASYM"}]
        if draw(st.booleans()) else [],
    }
    if data["fungibility"]["directions"]:  # a verdict with notice needs its delay (docs/funds.md)
        data["fungibility"].update(draw(st.sampled_from(({"notice_days": 15}, {"notice_months": 1}))))
    if draw(st.booleans()):
        data["receipts"] = {"mode": "accounts", "rule": "R-RECEIPT-BNGA-ACCOUNTS", "to_line": draw(st.sampled_from(leaves)),
                            "accounts": {"7083": {"label": "Locations diverses", "reuse": "100%"},
                                         "703": {"label": "Ventes", "reuse": "0%"}},
                            "categories": {"formation": "100%"}}
    else:
        data["receipts"] = {"mode": "none", "rule": "R-RECEIPT-OTHER-NONE"}
    if draw(st.booleans()):
        data["noncash"] = {"rule": "R-RECEIPT-NONCASH", "counterpart_classes": [1, 2]}
    if draw(st.booleans()):
        data["real_estate"] = {"rule": "R-RECEIPT-REAL-ESTATE", "investment_line": draw(st.sampled_from(leaves)),
                               "rent_line": draw(st.sampled_from(leaves)), "rent_years": 10, "lag_years": 1}
    if draw(st.booleans()):
        data["reserve"] = {"line": draw(st.sampled_from(leaves)), "rule": "R-RESERVE-USE"}
    if draw(st.booleans()):
        data["reserve_fund"] = {"opening": fr_amount(Decimal(draw(st.integers(0, 10**10))) / 100), "opening_year": first - 1,
                                "resources": ["cessions", "loyers"], "rule": "R-FNMO-RESERVE"}
    if draw(st.booleans()):
        data["votes"] = {"rule": "R-FNMO-CALENDAR", "primitif_year_offset": 0, "primitif_latest": "06-30",
                         "rectificatif_before": "12-31", "executory_days": 20}
    else:
        data["votes"] = {"rule": "R-VOTE-CALENDAR"}
    return data


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- properties ------------------------------------------------------------------------------------
def recursive_sum(fund: Fund, code: str, year: int) -> Decimal:
    kids = fund.children.get(code, [])
    if not kids:
        return fund.base(code, year)
    return sum((recursive_sum(fund, k, year) for k in kids), Decimal("0.00"))


@SETTINGS
@given(fund_data())
def test_subtotal_is_the_sum_of_its_leaves_however_walked(data: dict) -> None:
    fund = load_text(to_text(data))
    for line in fund.lines:
        leaves = fund.leaves_under[line.code]
        assert all(fund.is_leaf(c) for c in leaves)
        assert len(set(leaves)) == len(leaves)
        for year in fund.years:
            assert sum((fund.base(c, year) for c in leaves), Decimal("0.00")) == recursive_sum(fund, line.code, year)
    # every leaf lies under exactly one section
    sections = [ln.code for ln in fund.lines if ln.parent is None]
    assert sorted(c for s in sections for c in fund.leaves_under[s]) == sorted(fund.leaf_codes)


@SETTINGS
@given(fund_data())
def test_load_dump_load_is_the_identity(data: dict) -> None:
    first = load_text(to_text(data))
    text = dump_fund(first)
    second = load_text(text)
    assert comparable(second) == comparable(first)
    assert dump_fund(second) == text  # dump(load(dump(x))) == dump(x)


@SETTINGS
@given(fund_data())
def test_amounts_are_whole_cents_in_euros(data: dict) -> None:
    fund = load_text(to_text(data))
    for line in fund.lines:
        for value in [*line.amounts.values(), *line.published.values()]:
            assert value == value.quantize(Decimal("0.01")) and value >= 0


@pytest.mark.parametrize("name", ["bnga", "bnass", "bnpps", "fnmo"])
def test_bundled_funds_round_trip(name: str) -> None:
    original = load_fund(funds_dir() / f"{name}.yaml")
    text = dump_fund(original)
    assert "!!" not in text  # no tag: a file with one is refused
    again = load_text(text)
    assert comparable(again) == comparable(original)
    assert dump_fund(again) == text
