"""Hypothesis strategies for whole scenarios: random assumptions (rates written with "%") and
random events of every kind, rendered as a scenario YAML file and read back by load_scenario,
exactly as a user's file would be (SCENARIOS.md)."""
from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from budgetrules.io.fundfile import load_funds
from budgetrules.io.paths import bundled_fund_files
from budgetrules.model.scenario import Scenario
from budgetrules.io.scenariofile import load_scenario

FUNDS = load_funds(bundled_fund_files())
YEARS = (2022, 2023, 2024)
LEAVES = {code: sorted(f.leaf_codes) for code, f in FUNDS.items()}
DATED_KINDS = ("virement", "reserve_use")  # applied in date order, then file order (SCENARIOS.md)
_TMP = Path(tempfile.mkdtemp(prefix="budgetrules-props-"))


# -- values as a user writes them ------------------------------------------------------------------
def _grouped(whole: int, sep: str) -> str:
    text = str(whole)
    groups = []
    while len(text) > 3:
        groups.insert(0, text[-3:])
        text = text[:-3]
    groups.insert(0, text)
    return sep.join(groups)


def amount_text(cents: int, style: int) -> str:
    """An exact amount in one of the spellings SCENARIOS.md allows."""
    whole, frac = divmod(cents, 100)
    if style == 0:
        return f"{whole}.{frac:02d}"
    if style == 1:
        return f"{_grouped(whole, ' ')},{frac:02d} €"
    if style == 2:
        return f"{_grouped(whole, '_')}.{frac:02d}"
    if style == 3:
        return f"{_grouped(whole, chr(0xA0))},{frac:02d}"
    # k€: five decimals are whole cents once in euros; always five, since "1,134 k€" (three) reads two
    # ways (1 134 k€ or 1,134 k€) and is refused
    k = Decimal(cents) / 100000
    return f"{k:.5f} k€".replace(".", ",")


def amounts(max_euros: int):
    """Cents anywhere in [0, max], or whole thousands of euros (figures of a budget's size)."""
    cents = st.one_of(st.integers(0, max_euros * 100), st.integers(0, max_euros // 1000).map(lambda k: k * 100_000))
    return st.builds(amount_text, cents, st.integers(0, 4))


def signed_amounts(max_euros: int):
    return st.integers(-max_euros * 100, max_euros * 100).map(
        lambda c: ("-" if c < 0 else "") + amount_text(abs(c), 0))


@st.composite
def rate_text(draw) -> str:
    hundredths = draw(st.integers(-300, 1200))  # -3,00 % .. 12,00 %
    pct = Decimal(hundredths) / 100
    text = f"{pct:f}"
    return draw(st.sampled_from([f"{text}%", f"{text.replace('.', ',')} %"]))


def dates_in(year: int):
    return st.integers(0, 364).map(lambda d: dt.date(year, 1, 1) + dt.timedelta(days=d))


# -- assumptions -----------------------------------------------------------------------------------
def rate_series(years):
    return st.dictionaries(st.sampled_from(years), rate_text(), max_size=len(years))


@st.composite
def assumptions(draw) -> dict[str, Any]:
    out: dict[str, Any] = {
        "inflation": {"forecast": draw(rate_series((2021, 2022, 2023, 2024))),
                      "actual": draw(rate_series((2021, 2022, 2023, 2024)))},
        "rmpp": {"cog": draw(rate_series((2022, 2023, 2024))),
                 "set": draw(rate_series((2021, 2022, 2023, 2024))),
                 "observed": draw(rate_series((2021, 2022, 2023, 2024)))},
        "carry_over": draw(st.sampled_from(["decided", "maximum"])),
    }
    return out


# -- events ----------------------------------------------------------------------------------------
@st.composite
def execution(draw):
    fund = draw(st.sampled_from(["BNGA", "BNASS", "BNPPS"]))
    year = draw(st.sampled_from(YEARS))
    ev = {"kind": "execution", "year": year, "fund": fund, "line": draw(st.sampled_from(LEAVES[fund])),
          "amount": draw(amounts(4_000_000))}
    choice = draw(st.integers(0, 2))  # undated (counts from 1 January), dated, or by month
    if choice == 1:
        ev["date"] = draw(dates_in(year))
    elif choice == 2:
        ev["month"] = draw(st.integers(1, 12))
    return ev


@st.composite
def carry_over(draw):
    fund = draw(st.sampled_from(["BNGA", "BNASS", "BNPPS"]))
    year = draw(st.sampled_from(YEARS + (2025,)))
    ev = {"kind": "carry_over", "year": year, "fund": fund, "line": draw(st.sampled_from(LEAVES[fund])),
          "amount": draw(amounts(3_000_000))}
    if draw(st.booleans()):
        ev["decided_on"] = draw(dates_in(year))
    return ev


VIREMENT_PAIRS = {
    "BNGA": [("A-I-2-INFO", "A-I-2-HORS"), ("A-I-2-HORS", "A-I-2-INFO"), ("A-I-1", "A-I-2-INFO"),
             ("A-I-1", "A-I-2-HORS"), ("A-I-2-HORS", "A-I-3-HORS"), ("A-I-2-INFO", "A-I-3-INFO"),
             ("A-I-3-INFO", "A-I-3-HORS"), ("A-I-3-HORS", "A-I-3-INFO"), ("A-I-2-HORS", "A-I-1"),
             ("A-I-1", "II-RESERVE"), ("A-I-2-HORS", "II-RESERVE")],
    "BNASS": [("PA-F-COL", "MAL-F-COL"), ("MAL-F-COL", "ATMP-F-COL"), ("PA-K-COL", "MAL-K-COL"),
              ("MAL-K-COL", "PA-K-COL"), ("PA-F-COL", "PA-K-COL")],
    "BNPPS": [("MAL-CANSSM", "ATMP-CANSSM"), ("ATMP-CANSSM", "MAL-EVAL")],
}


@st.composite
def virement(draw):
    fund = draw(st.sampled_from(["BNGA", "BNGA", "BNASS", "BNPPS"]))
    year = draw(st.sampled_from(YEARS))
    if draw(st.booleans()):  # directions the fund's rules name, so that some virements apply
        src, dst = draw(st.sampled_from(VIREMENT_PAIRS[fund]))
    else:
        src = draw(st.sampled_from(LEAVES[fund]))
        dst = draw(st.sampled_from([c for c in LEAVES[fund] if c != src]))
    when = draw(dates_in(year))
    ev = {"kind": "virement", "year": year, "fund": fund, "from": src, "to": dst,
          "amount": draw(amounts(2_000_000)), "date": when}
    if draw(st.booleans()):
        ev["notified"] = when + dt.timedelta(days=draw(st.integers(0, 30)))
    if draw(st.integers(0, 3)) == 0:
        vote = when - dt.timedelta(days=draw(st.integers(0, 60)))
        dm = {"ref": f"DM-{year}-{draw(st.integers(1, 9))}", "board_vote": vote}
        if draw(st.booleans()):
            dm["approval"] = vote + dt.timedelta(days=draw(st.integers(-5, 30)))
        ev["dm"] = dm
    return ev


@st.composite
def receipt(draw):
    fund = draw(st.sampled_from(["BNGA", "BNGA", "BNGA", "BNASS", "BNPPS"]))
    ev = {"kind": "receipt", "year": draw(st.sampled_from(YEARS)), "fund": fund}
    if draw(st.booleans()):
        ev["account"] = draw(st.sampled_from(["7084", "7083", "703", "791", "75528", "7556", "741", "6011"]))
    else:
        ev["category"] = draw(st.sampled_from(["mise_a_disposition_personnel", "services_inter_regimes",
                                               "formation", "indemnites_assurance"]))
    ev["realised"] = draw(amounts(1_500_000))
    ev["forecast"] = draw(amounts(1_500_000))
    if draw(st.integers(0, 3)) == 0:
        ev["to_line"] = draw(st.sampled_from(LEAVES[fund]))
    return ev


@st.composite
def noncash_product(draw):
    fund = draw(st.sampled_from(["BNGA", "BNGA", "BNASS", "BNPPS"]))
    # the réserve nationale is only ever funded by a receipt or a DM: give it a chance
    line = draw(st.sampled_from(LEAVES[fund] + (["II-RESERVE"] * 4 if fund == "BNGA" else [])))
    return {"kind": "noncash_product", "year": draw(st.sampled_from(YEARS)), "fund": fund, "line": line,
            "amount": draw(amounts(800_000)), "counterpart_class": draw(st.sampled_from([1, 2, 2, 6]))}


@st.composite
def asset_sale(draw):
    fund = draw(st.sampled_from(["BNGA", "BNGA", "BNGA", "BNASS"]))
    ev = {"kind": "asset_sale", "year": draw(st.sampled_from(YEARS)), "fund": fund,
          "price": draw(amounts(3_000_000)), "net_book_value": draw(amounts(2_000_000)),
          "buyer": draw(st.sampled_from(["other", "other", "social_security"])),
          "use": draw(st.sampled_from(["investment", "rent"]))}
    if draw(st.integers(0, 3)) == 0:
        ev["to_line"] = draw(st.sampled_from(LEAVES[fund]))
    return ev


@st.composite
def reserve_use(draw):
    year = draw(st.sampled_from(YEARS))
    when = draw(dates_in(year))
    ev = {"kind": "reserve_use", "year": year, "fund": "BNGA",
          "to_line": draw(st.sampled_from(LEAVES["BNGA"])), "amount": draw(amounts(600_000)), "date": when}
    if draw(st.integers(0, 4)) > 0:
        ev["authorised_on"] = when - dt.timedelta(days=draw(st.integers(-5, 60)))
    return ev


@st.composite
def charge_transfer(draw):
    fund = draw(st.sampled_from(["BNGA", "BNASS", "BNPPS"]))
    return {"kind": "charge_transfer", "year": draw(st.sampled_from(YEARS)), "fund": fund,
            "line": draw(st.sampled_from(LEAVES[fund])), "amount": draw(amounts(300_000))}


@st.composite
def programme_authorisation(draw):
    fund = draw(st.sampled_from(["BNGA", "BNGA", "BNASS"]))
    investment = {"BNGA": ["A-I-3-INFO", "A-I-3-HORS"], "BNASS": ["PA-K-COL", "MAL-K-COL"]}[fund]
    year = draw(st.sampled_from(YEARS))
    ev = {"kind": "programme_authorisation", "year": year, "fund": fund,
          "line": draw(st.sampled_from(investment * 4 + LEAVES[fund][:2])),
          "amount": draw(amounts(3_000_000)), "ref": f"AP-{draw(st.integers(1, 99))}"}
    if draw(st.integers(0, 3)) > 0:
        ev["board_decision"] = draw(dates_in(year))
    return ev


@st.composite
def employer_contributions(draw):
    return {"kind": "employer_contributions", "year": draw(st.sampled_from(YEARS)), "fund": "BNGA",
            "amount": draw(signed_amounts(300_000))}


@st.composite
def fnmo(draw):
    year = draw(st.sampled_from(YEARS))
    if draw(st.booleans()):
        return {"kind": "reserve_resource", "year": year, "resource": draw(st.sampled_from(["cessions", "excedents",
                                                                                         "loyers"])),
                "amount": draw(amounts(2_000_000))}
    return {"kind": "reserve_expense", "year": year, "line": draw(st.sampled_from(["INV", "DEF"])),
            "amount": draw(amounts(5_000_000))}


def any_event():
    return st.one_of(execution(), execution(), execution(), carry_over(), carry_over(), virement(), virement(),
                     receipt(), receipt(), noncash_product(), asset_sale(), reserve_use(), reserve_use(),
                     charge_transfer(), programme_authorisation(), employer_contributions(), fnmo())


@st.composite
def scenario_specs(draw, min_events: int = 0, max_events: int = 14) -> dict[str, Any]:
    """A scenario as the dict a user would write in YAML."""
    return {"name": "generated", "assumptions": draw(assumptions()),
            "events": draw(st.lists(any_event(), min_size=min_events, max_size=max_events))}


# -- files -----------------------------------------------------------------------------------------
_counter = [0]


def write_spec(spec: dict[str, Any]) -> Path:
    _counter[0] += 1
    path = _TMP / f"generated-{_counter[0]}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, default_flow_style=None),
                    encoding="utf-8")
    return path


def load_spec(spec: dict[str, Any]) -> Scenario:
    """Write the spec as a YAML file and read it back through the public loader."""
    return load_scenario(write_spec(spec), funds=FUNDS)


def reorder_keeping_dated(events: list[dict], perm: list[int]) -> list[dict]:
    """`events` permuted by `perm`, except that the dated events (virements, reserve uses) keep their
    relative order: they fill, in their original order, the slots the permutation gave to dated events."""
    moved = [events[i] for i in perm]
    dated = iter([e for e in events if e["kind"] in DATED_KINDS])
    return [next(dated) if e["kind"] in DATED_KINDS else e for e in moved]
