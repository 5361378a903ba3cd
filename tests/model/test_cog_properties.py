"""Properties of any COG written as data (hypothesis): random COG folders — a cog.yaml with random
series, indices (the four formulas), a rule catalogue and published assumptions, and one or two fund
files with random units, groups, fungibility directions (no duplicates), carry policies, carry-over
across conventions and group caps — are written to a temporary folder, read through the public
loaders, and run with random scenarios (executions, carry-over decisions, virements with or
without a DM). On every run:

- each fund-year balances: the sum of `authorised` over the leaves is the sum of base, indexation,
  charge_transfer, carry_in, receipts and reserve_in (virements net to zero inside a fund-year);
- every virement verdict agrees with a small model of the fund's groups and directions (docs/funds.md:
  inside a group with its `within` verdict; else the declared direction's verdict; else the
  default), replayed in the order the engine judged them against the credit still available;
- what a group cap covers never carries more than its cap; nothing leaves the last year unless
  the fund carries into the next convention; a fixed-rate index is base × Π(1 + t) − base.

The examples are few and small (the whole file runs in a few seconds); BUDGETRULES_PROPERTY_SCALE
multiplies them, as in test_engine_properties.py."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.core.ledger import ZERO
from budgetrules.core.money import EXACT, fr_amount, round_cents
from budgetrules.engine import Result, run
from budgetrules.io.scenariofile import load_scenario
from budgetrules.model.catalog import ROLES

SCALE = max(1, int(os.environ.get("BUDGETRULES_PROPERTY_SCALE", "1")))
SETTINGS = settings(max_examples=40 * SCALE, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ALLOWED = ("permitted", "permitted_with_notice")
VERDICTS = ("permitted", "permitted_with_notice", "requires_dm", "refused")
INPUTS = ("base", "indexation", "charge_transfer", "carry_in", "receipts", "reserve_in")
GROUP_POOL = ("personnel", "fonctionnement", "immobilier", "informatique", "action")
SERIES_POOL = ("energie", "loyers", "prix", "salaires", "croissance")
PART_POOL = ("prevu", "realise", "cadre", "fixe", "constate", "taux")
FORMULAS = ("corrected_compound", "differential", "fixed_rate", "executed_growth")
ROLE_OF = {"corrected_compound": ("forecast", "actual"), "differential": ("retained", "set", "observed"),
           "fixed_rate": (), "executed_growth": ("growth",)}
_TMP = Path(tempfile.mkdtemp(prefix="budgetrules-cogprops-"))
_COUNTER = [0]


# -- values ----------------------------------------------------------------------------------------
def rate() -> st.SearchStrategy[str]:
    return st.integers(-300, 1200).map(lambda h: f"{Decimal(h) / 100:f}%")


def euros(max_euros: int) -> st.SearchStrategy[Decimal]:
    """Whole cents, or round thousands (budget-sized figures)."""
    return st.one_of(st.integers(0, max_euros * 100).map(lambda c: Decimal(c).scaleb(-2)),
                     st.integers(0, max_euros // 1000).map(lambda k: Decimal(k * 1000).quantize(Decimal("0.01"))))


def amount_text(value: Decimal) -> str:
    return fr_amount(value)  # "1 234,56 €": an explicit unit, whatever the file's


# -- a COG folder ----------------------------------------------------------------------------------
@st.composite
def indices(draw, first: int, last: int) -> tuple[dict, dict, dict]:
    """(series, indices, published assumptions) of the cog.yaml."""
    formulas = draw(st.lists(st.sampled_from(FORMULAS), unique=True, max_size=4))
    names = draw(st.lists(st.sampled_from(SERIES_POOL), unique=True, min_size=len(formulas), max_size=len(formulas)))
    series: dict[str, Any] = {}
    index: dict[str, Any] = {}
    published: dict[str, Any] = {}
    years = list(range(first - 1, last + 1))
    for formula, name in zip(formulas, names):
        spec: dict[str, Any] = {"formula": formula}
        roles = ROLE_OF[formula]
        if roles:
            parts = draw(st.lists(st.sampled_from(PART_POOL), unique=True, min_size=len(roles), max_size=len(roles)))
            series[name] = {"parts": parts, "label": f"série {name} (générée)"}
            spec["series"] = name
            spec["parts"] = dict(zip(roles, parts))
            if formula == "differential":
                spec["first_correction"] = draw(st.booleans())
            if draw(st.booleans()):
                published[name] = {p: draw(st.dictionaries(st.sampled_from(years), rate(), max_size=len(years)))
                                   for p in parts if draw(st.booleans())}
        else:
            spec["rates"] = draw(st.dictionaries(st.sampled_from(list(range(first, last + 1))), rate(), min_size=1,
                                                 max_size=last - first + 1))
        index[f"i-{formula.replace('_', '-')}"] = spec
    return series, index, {k: v for k, v in published.items() if v}


def catalogue(prefix: str) -> dict[str, dict]:
    rules = {rule: {"mechanism": mechanism, "citation": f"exemple généré, {rule}"} for mechanism, rule in ROLES.items()}
    for name, mechanism in (("DEC", "carry.on_decision"), ("AUTO", "carry.automatic"), ("NEVER", "carry.never"),
                            ("IDX", "index"), ("GRP", "fungibility.group"), ("DIR", "fungibility.direction"),
                            ("DEF", "fungibility.default"), ("NONE", "fungibility.none"), ("VOTE", "votes.calendar"),
                            ("CAP", "carry.on_decision")):
        rules[f"{prefix}-{name}"] = {"mechanism": mechanism, "citation": f"exemple généré, {name}"}
    return rules


@st.composite
def fund_data(draw, code: str, first: int, last: int, index_names: list[str], prefix: str) -> dict:
    years = list(range(first, last + 1))
    universe = draw(st.lists(st.sampled_from(GROUP_POOL), unique=True, max_size=4))
    fungible = bool(universe) and draw(st.integers(0, 4)) > 0
    lines: list[dict] = []
    leaves: list[dict] = []
    for s in range(draw(st.integers(1, 2))):
        section = f"S{s + 1}"
        lines.append({"code": section, "label": f"Section {s + 1}"})
        for n in range(draw(st.integers(1, 4))):
            character = draw(st.sampled_from(["limitative", "limitative", "limitative", "evaluative"]))
            leaf: dict[str, Any] = {"code": f"{section}-L{n + 1}", "parent": section, "label": f"Ligne {n + 1}",
                                    "character": character,
                                    "amounts": {y: amount_text(draw(euros(5_000_000))) for y in years}}
            if fungible and draw(st.integers(0, 4)) > 0:
                leaf["group"] = draw(st.sampled_from(universe))
            if character == "evaluative":
                leaf["carry"] = {"mode": "never", "rule": f"{prefix}-NEVER"}
            else:
                mode = draw(st.sampled_from(["on_decision", "on_decision", "automatic", "never"]))
                carry: dict[str, Any] = {"mode": mode, "rule": f"{prefix}-{ {'on_decision': 'DEC', 'automatic': 'AUTO', 'never': 'NEVER'}[mode]}"}
                if mode == "on_decision" and draw(st.booleans()):
                    carry["cap"] = f"{draw(st.integers(0, 20))}%"
                leaf["carry"] = carry
                kind = draw(st.sampled_from(["none", *index_names]))
                if kind == "none":
                    leaf["index"] = {"kind": "none", "rule": f"{prefix}-IDX"}
                else:
                    growth = kind == "i-executed-growth"
                    leaf["index"] = {"kind": kind, "rule": f"{prefix}-IDX", "base_year": first - 1,
                                     "first_year": first + 1 if growth and last > first else first}
            lines.append(leaf)
            leaves.append(leaf)
    data: dict[str, Any] = {"code": code, "label": f"Fonds {code} (généré)", "unit": draw(st.sampled_from(["€", "k€", "M€"])),
                            "period": [first, last], "citations": {}, "lines": lines,
                            "receipts": {"mode": "none", "rule": "R-RECEIPT-OTHER-NONE"},
                            "votes": {"rule": f"{prefix}-VOTE"}}
    if fungible:
        within = draw(st.lists(st.sampled_from(universe), unique=True))
        groups = {g: {"within": draw(st.sampled_from(VERDICTS)), "rule": f"{prefix}-GRP",
                      "same_section_only": draw(st.booleans())} for g in within}
        pairs = [(a, b) for a in universe for b in universe if not (a == b and a in groups)]
        chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
        directions = [{"from": a, "to": b, "verdict": draw(st.sampled_from(VERDICTS)), "rule": f"{prefix}-DIR"}
                      for a, b in chosen]
        named = set(groups) | {x for a, b in chosen for x in (a, b)}
        for g in universe:  # a group a line names must be declared
            if g not in named:
                groups[g] = {"within": draw(st.sampled_from(VERDICTS)), "rule": f"{prefix}-GRP"}
        fung: dict[str, Any] = {"default": {"verdict": draw(st.sampled_from(VERDICTS)), "rule": f"{prefix}-DEF"},
                                "groups": groups, "directions": directions}
        if draw(st.booleans()):
            fung["notice_months"] = draw(st.integers(1, 3))
        else:
            fung["notice_days"] = draw(st.integers(1, 40))
        data["fungibility"] = fung
    caps = []
    leaf_groups = sorted({leaf["group"] for leaf in leaves if "group" in leaf})
    for _ in range(draw(st.integers(0, 2))):
        cap: dict[str, Any] = {"rule": f"{prefix}-CAP"}
        if leaf_groups and draw(st.booleans()):
            cap["group"] = draw(st.sampled_from(leaf_groups))
        else:
            cap["lines"] = draw(st.lists(st.sampled_from([leaf["code"] for leaf in leaves]), unique=True, min_size=1))
        cap["cap"] = (f"{draw(st.integers(0, 10))}%" if draw(st.booleans())
                      else amount_text(draw(euros(300_000))))
        caps.append(cap)
    data["carry_over"] = {"from_previous": draw(st.booleans()), "to_next": draw(st.sampled_from(["none", "eligible"])),
                          "group_caps": caps}
    return data


@st.composite
def cog_folders(draw) -> dict:
    """The data of a COG folder: {"cog": cog.yaml, "funds": [fund files]}."""
    first = draw(st.integers(2001, 2090))
    last = first + draw(st.integers(0, 4))
    series, index, published = draw(indices(first, last))
    prefix = draw(st.sampled_from(["R-X", "R-GEN", "R-AUTRE"]))
    cog: dict[str, Any] = {
        "code": "genere", "title": "COG générée (exemple)", "caisse": "CGEN", "period": [first, last],
        "citation": "COG générée", "authorities": {k: k for k in ("permitted", "permitted_with_notice",
                                                                    "requires_dm", "refused", "dm_applied", "board",
                                                                    "ministries")},
        "series": series, "indices": index, "rules": catalogue(prefix)}
    if published:
        cog["published_assumptions"] = published
    codes = draw(st.sampled_from([["FA"], ["FA", "FB"], ["FX"]]))
    funds = [draw(fund_data(code, first, last, list(index), prefix)) for code in codes]
    return {"cog": cog, "funds": funds}


# -- the model of verdicts -------------------------------------------------------------------------
def model_verdict(fund: dict, source: str, target: str) -> str:
    """docs/funds.md: inside a group, its `within` (unless same_section_only and the sections differ);
    else the declared direction from the source's group to the target's; else the default."""
    fung = fund.get("fungibility")
    if fung is None:
        return "requires_dm"
    by_code = {line["code"]: line for line in fund["lines"]}
    gs, gt = by_code[source].get("group"), by_code[target].get("group")
    if gs is not None and gs == gt and gs in fung["groups"]:
        rule = fung["groups"][gs]
        if not (rule.get("same_section_only") and by_code[source]["parent"] != by_code[target]["parent"]):
            return rule["within"]
    if gs is not None:
        for d in fung["directions"]:
            if d["from"] == gs and d["to"] == gt:
                return d["verdict"]
    return fung["default"]["verdict"]


# -- scenarios -------------------------------------------------------------------------------------
@st.composite
def scenario_specs(draw, folder: dict) -> dict:
    cog = folder["cog"]
    first, last = cog["period"]
    years = list(range(first, last + 1))
    funds = {f["code"]: f for f in folder["funds"]}
    leaves = {code: [ln["code"] for ln in f["lines"] if "character" in ln] for code, f in funds.items()}
    events: list[dict] = []
    for _ in range(draw(st.integers(0, 8))):
        code = draw(st.sampled_from(sorted(funds)))
        events.append({"kind": "execution", "year": draw(st.sampled_from(years)), "fund": code,
                       "line": draw(st.sampled_from(leaves[code])), "amount": amount_text(draw(euros(4_000_000)))})
    for _ in range(draw(st.integers(0, 4))):
        code = draw(st.sampled_from(sorted(funds)))
        events.append({"kind": "carry_over", "year": draw(st.sampled_from(years + [last + 1])), "fund": code,
                       "line": draw(st.sampled_from(leaves[code])), "amount": amount_text(draw(euros(2_000_000)))})
    for _ in range(draw(st.integers(0, 8))):
        code = draw(st.sampled_from(sorted(funds)))
        if len(leaves[code]) < 2:
            continue
        source, target = draw(st.lists(st.sampled_from(leaves[code]), unique=True, min_size=2, max_size=2))
        year = draw(st.sampled_from(years))
        day = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
        ev: dict[str, Any] = {"kind": "virement", "year": year, "fund": code, "from": source, "to": target,
                              "amount": amount_text(max(draw(st.one_of(euros(400_000), euros(3_000_000))), Decimal("0.01"))), "date": day}
        if draw(st.booleans()):
            ev["notified"] = day + dt.timedelta(days=draw(st.integers(0, 60)))
        # a DM only where the fund's rules ask for one (a DM on a `refused` direction: see below)
        if model_verdict(funds[code], source, target) == "requires_dm" and draw(st.booleans()):
            vote = day - dt.timedelta(days=draw(st.integers(0, 60)))
            dm: dict[str, Any] = {"ref": f"DM-{draw(st.integers(1, 9))}", "board_vote": vote}
            if draw(st.integers(0, 3)) > 0:
                dm["approval"] = vote + dt.timedelta(days=draw(st.integers(-5, 70)))
            ev["dm"] = dm
        events.append(ev)
    spec: dict[str, Any] = {"name": "scénario généré", "events": events}
    choice = draw(st.integers(0, 2))
    if choice == 1:
        spec["assumptions"] = "none"
    elif choice == 2:
        given: dict[str, Any] = {"carry_over": draw(st.sampled_from(["decided", "maximum"]))}
        for name, s in cog["series"].items():
            if draw(st.booleans()):
                given[name] = {p: draw(st.dictionaries(st.sampled_from(list(range(first - 1, last + 1))), rate(),
                                                       max_size=last - first + 2)) for p in s["parts"]}
        spec["assumptions"] = given
    return spec


class _Dumper(yaml.SafeDumper):
    pass


def write_folder(folder: dict, spec: dict) -> Path:
    """The COG folder and the scenario as files (the scenario names its COG by a relative folder)."""
    _COUNTER[0] += 1
    root = _TMP / f"case-{_COUNTER[0]}"
    cog_dir = root / "cog"
    cog_dir.mkdir(parents=True)
    dump = lambda data: yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)  # noqa: E731
    (cog_dir / "cog.yaml").write_text(dump(folder["cog"]), encoding="utf-8")
    for fund in folder["funds"]:
        (cog_dir / f"{fund['code'].lower()}.yaml").write_text(dump(fund), encoding="utf-8")
    path = root / "scenario.yaml"
    path.write_text(dump({**spec, "cog": "cog"}), encoding="utf-8")
    return path


# -- the checks ------------------------------------------------------------------------------------
def check_balances(result: Result) -> None:
    for code, fund in result.funds.items():
        for year in fund.years:
            rows = [result.row(code, leaf.code, year) for leaf in fund.leaves]
            authorised = sum((r["authorised"] for r in rows), ZERO)
            assert authorised == sum((r[c] for r in rows for c in INPUTS), ZERO), (code, year)
            assert sum((r["virements_in"] for r in rows), ZERO) == sum((r["virements_out"] for r in rows), ZERO)
            assert result.total(code, year)["authorised"] == authorised


def check_verdicts(result: Result, folder: dict) -> None:
    """Replay each fund-year's virements in the order the engine judged them, from the credit each
    line had before any virement (every other movement here takes effect on 1 January)."""
    data = {f["code"]: f for f in folder["funds"]}
    for code, fund in result.funds.items():
        for year in fund.years:
            running = {}
            for leaf in fund.leaves:
                row = result.row(code, leaf.code, year)
                running[leaf.code] = row["available"] - row["virements_in"] + row["virements_out"]
            for v in (v for v in result.ledger.virements if v.fund == code and v.year == year):
                expected = model_verdict(data[code], v.source_line, v.target_line)
                if v.amount > running[v.source_line]:
                    assert (v.verdict, v.applied) == ("refused", False), (v, running[v.source_line])
                    assert fund.role("fungibility.insufficient") in v.rules
                    continue
                event = next(e for e in result.scenario.events if e.source == v.source)
                dm = getattr(event, "dm", None)
                if expected in ALLOWED:
                    assert (v.verdict, v.applied) == (expected, True), (v.source_line, v.target_line, expected, v)
                elif dm is None:
                    assert (v.verdict, v.applied) == (expected, False), (v.source_line, v.target_line, expected, v)
                else:
                    assert expected == "requires_dm"
                    executory = dm.approval is not None and dm.board_vote <= dm.approval <= v.date
                    assert v.applied == executory, (dm, v)
                    assert v.verdict == ("permitted" if executory else expected)
                if v.applied:
                    running[v.source_line] -= v.amount
                    running[v.target_line] += v.amount
            for leaf in fund.leaves:
                assert running[leaf.code] == result.row(code, leaf.code, year)["available"], (code, leaf.code, year)


def check_carry(result: Result) -> None:
    """Group caps hold; nothing leaves the last year unless the fund carries into the next convention
    (no AP is generated, so no CP under an AP); evaluative credits never carry."""
    for code, fund in result.funds.items():
        for year in fund.years:
            for cap in fund.carry_across.group_caps:
                carried = sum((result.row(code, c, year)["carry_out"] for c in cap.lines), ZERO)
                if cap.share is not None:
                    credits = sum((result.row(code, c, year)["authorised"] for c in cap.lines), ZERO)
                    limit = round_cents(credits * cap.share)
                else:
                    limit = cap.amount
                assert carried <= max(limit, ZERO), (code, year, cap, carried, limit)
        for leaf in fund.leaves:
            last = result.row(code, leaf.code, fund.last_year)
            if fund.carry_across.to_next == "none":
                assert last["carry_out"] == 0, (code, leaf.code)
            if leaf.character == "evaluative":
                assert all(result.row(code, leaf.code, y)["carry_out"] == 0 for y in fund.years)


def check_fixed_rate(result: Result) -> None:
    """A fixed-rate index: indexation(N) = round(base × Π(1 + t(k)) − base), k from the first year
    to N; a year without a rate stops it (provisional), the years after compound with 0."""
    from decimal import localcontext

    cog = result.scenario.cog
    for code, fund in result.funds.items():
        for leaf in fund.leaves:
            spec = leaf.index
            if spec is None or spec.kind == "none" or cog.indices[spec.kind].formula != "fixed_rate":
                continue
            rates = cog.indices[spec.kind].rates
            factor = Decimal(1)
            for year in range(spec.base_year + 1, fund.last_year + 1):
                with localcontext(EXACT):
                    factor *= 1 + rates.get(year, Decimal(0))
                    expected = round_cents(leaf.amounts[year] * factor - leaf.amounts[year]) \
                        if year in rates and year >= spec.first_year else ZERO
                assert result.row(code, leaf.code, year)["indexation"] == expected, (code, leaf.code, year)


@SETTINGS
@given(st.data())
def test_any_cog_balances_and_judges_virements_by_its_rules(data):
    folder = data.draw(cog_folders())
    spec = data.draw(scenario_specs(folder))
    scenario = load_scenario(write_folder(folder, spec))
    assert sorted(scenario.funds) == sorted(f["code"] for f in folder["funds"])
    result = run(scenario, source_checks=False)
    check_balances(result)
    check_verdicts(result, folder)
    check_carry(result)
    check_fixed_rate(result)


def fixed_folder() -> dict:
    """A COG written by hand: personnel may go to immobilier with notice, the reverse needs a DM,
    informatique → immobilier is refused; a fixed rate on personnel; a cap on the two investment lines."""
    return {
        "cog": {"code": "fixe", "title": "COG fixe (exemple)", "caisse": "CFIX", "period": [2041, 2042],
                "citation": "COG fixe", "authorities": {k: k for k in ("permitted", "permitted_with_notice",
                                                                       "requires_dm", "refused", "dm_applied",
                                                                       "board", "ministries")},
                "indices": {"point": {"formula": "fixed_rate", "rates": {2042: "2%"}}},
                "rules": catalogue("R-F")},
        "funds": [{
            "code": "FF", "label": "Fonds fixe", "unit": "k€", "period": [2041, 2042], "citations": {},
            "lines": [{"code": "S", "label": "Section"},
                      {"code": "P", "parent": "S", "label": "Personnel", "character": "limitative", "group": "personnel",
                       "amounts": {2041: 1000, 2042: 1000}, "carry": {"mode": "on_decision", "rule": "R-F-DEC"},
                       "index": {"kind": "point", "rule": "R-F-IDX", "base_year": 2041, "first_year": 2042}},
                      {"code": "I", "parent": "S", "label": "Immobilier", "character": "limitative",
                       "group": "immobilier", "amounts": {2041: 500, 2042: 500},
                       "carry": {"mode": "automatic", "rule": "R-F-AUTO"}},
                      {"code": "N", "parent": "S", "label": "Informatique", "character": "limitative",
                       "group": "informatique", "amounts": {2041: 300, 2042: 300},
                       "carry": {"mode": "automatic", "rule": "R-F-AUTO"}}],
            "fungibility": {"default": {"verdict": "requires_dm", "rule": "R-F-DEF"},
                            "directions": [{"from": "personnel", "to": "immobilier", "verdict": "permitted_with_notice",
                                            "rule": "R-F-DIR"},
                                           {"from": "informatique", "to": "immobilier", "verdict": "refused",
                                            "rule": "R-F-DIR"}],
                            "groups": {"personnel": {"within": "permitted", "rule": "R-F-GRP"}},
                            "notice_months": 1},
            "carry_over": {"to_next": "eligible", "group_caps": [{"lines": ["I", "N"], "cap": "10%", "rule": "R-F-CAP"}]},
            "receipts": {"mode": "none", "rule": "R-RECEIPT-OTHER-NONE"}, "votes": {"rule": "R-F-VOTE"}}]}


def test_the_model_and_the_checks_on_a_fixed_cog():
    """The checks above on a COG written by hand, so that they are seen to bite: personnel may go to
    every other group with notice, the reverse needs a DM, informatique → immobilier is refused."""
    folder = fixed_folder()
    fund = folder["funds"][0]
    assert model_verdict(fund, "P", "I") == "permitted_with_notice"
    assert model_verdict(fund, "I", "P") == "requires_dm"
    assert model_verdict(fund, "N", "I") == "refused"
    assert model_verdict(fund, "I", "N") == "requires_dm"
    spec = {"name": "fixe", "events": [
        {"kind": "virement", "year": 2041, "fund": "FF", "from": "P", "to": "I", "amount": "100 000",
         "date": dt.date(2041, 1, 31), "notified": dt.date(2041, 2, 28)},
        {"kind": "virement", "year": 2041, "fund": "FF", "from": "I", "to": "P", "amount": "50 000",
         "date": dt.date(2041, 3, 1)},
        {"kind": "virement", "year": 2041, "fund": "FF", "from": "N", "to": "I", "amount": "100 000",
         "date": dt.date(2041, 3, 1)}]}
    result = run(load_scenario(write_folder(folder, spec)), source_checks=False)
    check_balances(result)
    check_verdicts(result, folder)
    check_carry(result)
    check_fixed_rate(result)
    # P 2042: 1 000 000 × 2 % = 20 000; I 2041: 500 000 + 100 000 = 600 000, N 300 000: the cap on
    # both lines is 10 % × 900 000 = 90 000 (cut in table order: I carries 90 000, N nothing)
    assert result.row("FF", "P", 2042)["indexation"] == Decimal("20000.00")
    assert result.row("FF", "I", 2041)["carry_out"] == Decimal("90000.00")
    assert result.row("FF", "N", 2041)["carry_out"] == ZERO
    assert [(v.verdict, v.applied) for v in result.ledger.virements] == [
        ("permitted_with_notice", True), ("requires_dm", False), ("refused", False)]


def test_a_refused_direction_stays_refused_with_a_dm():
    spec = {"name": "refusé", "events": [
        {"kind": "virement", "year": 2041, "fund": "FF", "from": "N", "to": "I", "amount": "100 000",
         "date": dt.date(2041, 3, 1), "dm": {"ref": "DM-1", "board_vote": dt.date(2041, 2, 1),
                                             "approval": dt.date(2041, 2, 10)}}]}
    result = run(load_scenario(write_folder(fixed_folder(), spec)), source_checks=False)
    v = result.ledger.virements[0]
    assert (v.verdict, v.applied) == ("refused", False)


def amended_folder() -> dict:
    """A COG whose avenant (1 July 2042) raises the 2042 table amount of a fixed-rate line P
    (1 000 000 → 1 100 000, rate 2 %) and of a rebased line C (1 000 000 → 1 200 000, g = 2 %)."""
    folder = fixed_folder()
    cog, fund = folder["cog"], folder["funds"][0]
    cog["series"] = {"croissance": {"parts": ["g"]}}
    cog["indices"]["rebasage"] = {"formula": "executed_growth", "series": "croissance", "parts": {"growth": "g"}}
    cog["published_assumptions"] = {"croissance": {"g": {2042: "2%"}}}
    cog["amendments"] = [{"ref": "Avenant 1", "effective": dt.date(2042, 7, 1), "citation": "Avenant 1, art. 1",
                          "changes": [{"fund": "FF", "line": "P", "year": 2042, "amount": "1 100 000"},
                                      {"fund": "FF", "line": "C", "year": 2042, "amount": "1 200 000"}]}]
    fund["lines"].append({"code": "C", "parent": "S", "label": "Actions rebasées", "character": "limitative",
                          "amounts": {2041: 1000, 2042: 1000}, "carry": {"mode": "never", "rule": "R-F-NEVER"},
                          "index": {"kind": "rebasage", "rule": "R-F-IDX", "base_year": 2041, "first_year": 2042}})
    return folder


def test_an_amended_base_is_rebased_and_indexed_as_amended_at_each_date():
    """Rebasage: the credit of 2042 is the 2041 execution × 1,02 = 900 000 × 1,02 = 918 000, whatever
    the table says, before the avenant (1 000 000) or after it (1 200 000).
    Fixed rate: before 1 July 2042, 1 000 000 × 2 % = 20 000 on the base then in force; from the
    avenant, 1 100 000 × 2 % = 22 000: authorised 1 020 000 on 30 June, 1 122 000 at the year's end."""
    spec = {"name": "avenant", "events": [{"kind": "execution", "year": 2041, "fund": "FF", "line": "C",
                                           "amount": "900 000"}]}
    result = run(load_scenario(write_folder(amended_folder(), spec)), source_checks=False)
    check_balances(result)
    june, december = dt.date(2042, 6, 30), dt.date(2042, 12, 31)
    assert result.row("FF", "C", 2042)["base"] == Decimal("1200000.00")
    assert result.row("FF", "C", 2042)["authorised"] == Decimal("918000.00")
    assert result.row("FF", "C", 2042, june)["authorised"] == Decimal("918000.00")
    assert result.row("FF", "P", 2042)["indexation"] == Decimal("22000.00")
    assert result.row("FF", "P", 2042, june)["authorised"] == Decimal("1020000.00")
    assert result.row("FF", "P", 2042, december)["authorised"] == Decimal("1122000.00")
    # explain names the avenant behind the change of each indexation
    by_rule = {(c.line, c.rule): (c.amount, c.params.get("ref")) for c in result.contributions("FF", "C", 2042, "indexation")
               + result.contributions("FF", "P", 2042, "indexation")}
    assert by_rule[("C", "R-AMENDMENT")] == (Decimal("-200000.00"), "Avenant 1")
    assert by_rule[("P", "R-AMENDMENT")] == (Decimal("2000.00"), "Avenant 1")


def test_a_group_cap_amount_is_in_the_file_s_unit():
    folder = fixed_folder()
    folder["funds"][0]["carry_over"]["group_caps"] = [{"lines": ["I", "N"], "cap": 90, "rule": "R-F-CAP"}]
    result = run(load_scenario(write_folder(folder, {"name": "plafond"})), source_checks=False)
    assert result.funds["FF"].carry_across.group_caps[0].amount == Decimal("90000.00")
    assert result.row("FF", "I", 2041)["carry_out"] == Decimal("90000.00")


def test_a_bare_avenant_amount_is_in_the_fund_s_unit():
    """The fund FF is in k€: `amount: 1100` in its avenant is 1 100 000 €, as `1000` in its table is
    1 000 000 € (docs/cog.md); the fixed-rate line P then gets 2 % × 1 100 000 = 22 000 from the avenant."""
    folder = amended_folder()
    folder["cog"]["amendments"][0]["changes"][0]["amount"] = 1100
    result = run(load_scenario(write_folder(folder, {"name": "avenant en k€"})), source_checks=False)
    assert result.row("FF", "P", 2042)["base"] == Decimal("1100000.00")
    assert result.row("FF", "P", 2042)["indexation"] == Decimal("22000.00")


def test_explain_cites_the_avenant_s_own_article():
    """A contribution an avenant makes rests on the avenant's article (its `citation`), not on the
    catalogue's general paragraph about avenants."""
    spec = {"name": "avenant", "events": []}
    result = run(load_scenario(write_folder(amended_folder(), spec)), source_checks=False)
    (change,) = [c for c in result.contributions("FF", "P", 2042, "base") if c.rule == "R-AMENDMENT"]
    assert change.citation == "Avenant 1, art. 1"
