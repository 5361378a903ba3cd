"""Issue 14, kind by kind: the smallest input of each kind of failure the fuzzing campaign found,
with the exact messages it now gives (tests/golden/hardening/NAME.yaml → NAME.txt, through the
command that reads that kind of file: `run`, `funds check`, `execution --mapping`), and the
property that a figure never depends on how a number is written when it is accepted.

The kinds (issue 14): 1 YAML 1.1 numbers, 2 fund settings that made money vanish, 3 absurd rates and
amounts, 4 the alias bomb, 5 unbounded year ranges, 6 explicit tags, 7 deep nesting, 8 a date with a
time, 9 out-of-range settings that crashed the engine, 10 errors without a line, 11 messages that
repeated a whole value, 12 the wrong file blamed, 13 crashes that looked like refusals, 14 around
--output, 15 memory."""
from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetrules.cli import INTERNAL_ERROR, main
from budgetrules.core.errors import InputErrors, Problem, excerpt
from budgetrules.core.money import ValueProblem, parse_amount, parse_rate
from budgetrules.io import yaml as yamlio
from budgetrules.io.fundfile import load_fund
from budgetrules.io.output import write_atomic
from budgetrules.io.scenariofile import load_scenario
from budgetrules.io.yaml import BadDate, BadNumber, LineDict, LineList, load_yaml_text, resolve_plain

from test_hardening_fuzz import MAPPING, time_limit

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parents[1] / "golden" / "hardening"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))
FEC = ROOT / "tests" / "fec_data" / "utf8_tab_debit_credit.txt"
MARK = re.compile(r"#\s*ERR\b")


def command(name: str) -> list[str]:
    if name.startswith("scenario_"):
        return ["run", f"{name}.yaml"]
    if name.startswith("fund_"):
        return ["funds", "check", f"{name}.yaml"]
    return ["execution", str(FEC), "--mapping", f"{name}.yaml"]


def refused(args: list[str]):
    with time_limit(5):  # a hang guard, not a timing: each of these is refused in milliseconds
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and result.stdout == ""
    return result


def test_every_kind_has_its_golden_case() -> None:
    assert {"scenario_yaml11_numbers", "fund_money_vanishes", "scenario_absurd_rates", "scenario_alias_bomb",
            "fund_unbounded_period", "fund_unbounded_years", "scenario_tags", "fund_tags", "mapping_tags",
            "scenario_datetime", "fund_engine_crashes", "scenario_scalar_sections", "mapping_scalar",
            "scenario_rent_gain"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_golden_messages(name: str, monkeypatch) -> None:
    monkeypatch.chdir(GOLDEN)
    result = refused(command(name))
    assert result.stderr.splitlines() == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", [n for n in CASES if n != "scenario_rent_gain"])
def test_golden_messages_point_at_the_marked_lines(name: str, monkeypatch) -> None:
    """Each input marks with `# ERR` the lines its messages name, and no other."""
    monkeypatch.chdir(GOLDEN)
    lines = (GOLDEN / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    marked = {i for i, text in enumerate(lines, start=1) if MARK.search(text) and not text.lstrip().startswith("#")}
    named = {int(m.group(1)) for m in re.finditer(rf"^error: {name}\.yaml:(\d+): ", refused(command(name)).stderr, re.M)}
    assert named == marked


def test_the_base_fund_of_the_cases_is_valid(monkeypatch) -> None:
    monkeypatch.chdir(GOLDEN)
    fund = load_fund("fund_ok.yaml")
    assert (fund.real_estate.rent_years, fund.receipts.lag_years, fund.reserve_fund.opening_year) == (10, 1, 2021)
    result = CliRunner().invoke(main, ["funds", "check", "fund_ok.yaml"])
    assert result.exit_code == 0, result.output


# -- 1. numbers as YAML 1.2's core schema reads them -----------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("2023", 2023), ("-5", -5), ("0", 0), ("-0", 0), ("37.33", Decimal("37.33")), ("1.5e3", Decimal("1500")),
    ("1e3", Decimal("1000")), (".5", Decimal("0.5")), ("true", True), ("False", False), ("~", None), ("null", None),
    ("", None), ("yes", "yes"), ("off", "off"), ("1_000", "1_000"), ("2023-06-01", dt.date(2023, 6, 1)),
    ("A-I-1", "A-I-1"), ("10 k€", "10 k€"),
])
def test_plain_values_read_as_the_core_schema_reads_them(text: str, expected) -> None:
    value = resolve_plain(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text,problem", [
    ("0100", "'0100' is a number with a leading zero (octal 64 in YAML 1.1, 100 in YAML 1.2) — write 100"),
    ("09", "'09' is a number with a leading zero — write 9"),
    ("0x10", "'0x10' is a hexadecimal number — write numbers in decimal (or quote the text)"),
    ("0o17", "'0o17' is an octal number — write numbers in decimal (or quote the text)"),
    ("0b11", "'0b11' is a binary number (YAML 1.1) — write numbers in decimal (or quote the text)"),
    ("1:30", "'1:30' is a base-60 number (90 in YAML 1.1, text in YAML 1.2) — write numbers in decimal (or quote "
             "the text)"),
    ("33:43", "'33:43' is a base-60 number (2023 in YAML 1.1, text in YAML 1.2) — write numbers in decimal (or "
              "quote the text)"),
    (".inf", "'.inf' is infinite — write a finite decimal number"),
    ("-.inf", "'-.inf' is infinite — write a finite decimal number"),
    (".nan", "'.nan' is not a number (NaN) — write a finite decimal number"),
    ("1.0e+1000000", "'1.0e+1000000' is a number with an exponent beyond ±100 — no figure is that large or small"),
    ("9" * 101, f"'{'9' * 40}…' is a number of 101 digits — no figure has that many"),
])
def test_numbers_other_readers_read_otherwise_are_bad_numbers_with_the_reason(text: str, problem: str) -> None:
    value = resolve_plain(text)
    assert isinstance(value, BadNumber) and value == text  # as text, what was written
    assert value.problem == problem
    with pytest.raises(ValueProblem, match=re.escape(problem)):
        parse_amount(value)


def test_quoted_values_are_text_whatever_they_look_like() -> None:
    data = load_yaml_text('a: "0100"\nb: \'0x10\'\nc: "2023-06-01"\nd: |\n  12\n', "t.yaml")
    assert dict(data) == {"a": "0100", "b": "0x10", "c": "2023-06-01", "d": "12\n"}
    assert all(type(v) is str for v in data.values())


amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)


def _writings(amount: Decimal) -> list[str]:
    """The ways a scenario may write `amount` in euros, quoted or not, with or without separators."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = re.sub(r"(?<=\d)(?=(\d{3})+$)", " ", whole)
    under = groups.replace(" ", "_")
    forms = [f"{amount:f}", f'"{amount:f}"', f'"{groups},{cents}"', f'"{groups},{cents} €"', f"{under}.{cents}",
             f'"{under}.{cents}"', f"'{groups}.{cents}'", f"{whole}.{cents}0", f"{amount:E}".lower()]
    if cents == "00":
        forms += [whole, f'"{whole}"', under]
    return forms


@settings(max_examples=60, deadline=None)
@given(amount=amounts)
def test_a_figure_never_depends_on_how_the_number_is_written(amount: Decimal) -> None:
    """Every accepted writing of an amount gives the same euros; the plain (unquoted) ones are read by
    the loader, the quoted ones by the amount reader, and both agree."""
    forms = _writings(amount)
    text = "\n".join(f"k{i}: {form}" for i, form in enumerate(forms))
    data = load_yaml_text(text, "t.yaml")
    read = {}
    for i, form in enumerate(forms):
        try:
            read[form] = parse_amount(data[f"k{i}"])
        except ValueProblem:
            continue
    assert set(read.values()) == {amount.quantize(Decimal("0.01"))}, read
    assert f"{amount:f}" in read and f'"{amount:f}"' in read  # the plain and the quoted decimal are accepted


@settings(max_examples=15, deadline=None)
@given(amount=amounts.filter(lambda a: a > 0), quoted=st.booleans(), grouped=st.booleans())
def test_the_engine_gives_the_same_figure_however_the_amount_is_written(tmp_path_factory, amount, quoted, grouped):
    from budgetrules.engine import run

    whole, cents = f"{amount:.2f}".split(".")
    written = (re.sub(r"(?<=\d)(?=(\d{3})+$)", " " if quoted else "_", whole) if grouped else whole) + "." + cents
    written = f'"{written}"' if quoted else written
    results = []
    for form in (written, f'"{amount:f}"'):
        path = tmp_path_factory.mktemp("s") / "s.yaml"
        path.write_text(f"name: x\nfunds: [BNGA]\nevents:\n  - {{kind: execution, year: 2023, fund: BNGA, "
                        f"line: A-I-1, amount: {form}}}\n", encoding="utf-8")
        results.append(run(load_scenario(path)).row("BNGA", "A-I-1", 2023)["executed"])
    assert results[0] == results[1] == amount.quantize(Decimal("0.01"))


# -- 2, 5, 9. every fund parameter has its range ---------------------------------------------------------
BASE = (GOLDEN / "fund_ok.yaml").read_text(encoding="utf-8")
RANGES = [  # (the line of fund_ok.yaml, how to write a value in it, low, high, the message's start)
    ("  rent_years: 10", "  rent_years: {}", 1, 50, "real_estate.rent_years must be a whole number from 1 to 50"),
    ("  rent_years: 10\n  lag_years: 1", "  rent_years: 10\n  lag_years: {}", 0, 10,
     "real_estate.lag_years must be a whole number from 0 to 10"),
    ("  lag_years: 1\n  accounts", "  lag_years: {}\n  accounts", 0, 10,
     "receipts.lag_years must be a whole number from 0 to 10"),
    ("  notice_days: 15", "  notice_days: {}", 1, 366, "fungibility.notice_days must be a whole number from 1 to 366"),
    ("  executory_days: 20", "  executory_days: {}", 1, 366, "votes.executory_days must be a whole number from 1 to 366"),
    ("  primitif_year_offset: -1", "  primitif_year_offset: {}", -2, 2,
     "votes.primitif_year_offset must be a whole number from -2 to 2"),
    ("  rectificatif_year_offset: 0", "  rectificatif_year_offset: {}", -2, 2,
     "votes.rectificatif_year_offset must be a whole number from -2 to 2"),
    ("  opening_year: 2021", "  opening_year: {}", 2017, 2022, "reserve_fund.opening_year must be a year from 2017 to 2022"),
    ("reference_year: 2021", "reference_year: {}", 2017, 2021, "'reference_year' must be a year from 2017 to 2021"),
    ("base_year: 2021, first_year: 2022}", "base_year: {}, first_year: 2024}", 2017, 2023,
     "index.base_year must be a year from 2017 to 2023"),
    ("base_year: 2021, first_year: 2022}", "base_year: 2021, first_year: {}}", 2022, 2024,
     "index.first_year must be a year from 2022 to 2024"),
]


def _fund_with(tmp_path: Path, old: str, new: str) -> Path:
    assert BASE.count(old) == 1, old
    text = BASE.replace(old, new)
    year = new.split(": ")[1]
    if old.startswith("reference_year") and 2017 <= int(year) <= 2021:  # the amounts of the reference year name it
        text = text.replace("{2021: ", "{" + year + ": ")
    path = tmp_path / "fund.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(old: str) -> int:
    return BASE[:BASE.index(old)].count("\n") + 1


@pytest.mark.parametrize("old,template,low,high,message", RANGES, ids=[r[1].split(":")[0].strip() for r in RANGES])
def test_every_parameter_is_refused_just_outside_its_range_and_accepted_at_its_ends(tmp_path, old, template, low,
                                                                                   high, message) -> None:
    for value in (low, high):
        load_fund(_fund_with(tmp_path, old, template.replace("{}", str(value))))
    for value in (low - 1, high + 1, 10 ** 9, -10 ** 9):
        path = _fund_with(tmp_path, old, template.replace("{}", str(value)))
        with pytest.raises(InputErrors) as info:
            load_fund(path, shown="fund.yaml")
        (problem,) = info.value.problems
        assert problem.message.startswith(message) and problem.message.endswith(f", got {value}")
        assert problem.line == _line_of(old) + template[:template.index("{}")].count("\n")


@pytest.mark.parametrize("period,message", [
    ("[2022, 100000000]", "period: 100000000 is not a year from 1900 to 2200"),
    ("[-1000000000, 2024]", "period: -1000000000 is not a year from 1900 to 2200"),
    ("[2000, 2020]", "period: 2000-2020 is 21 years long: a period has at most 20 years"),
    ("[2024, 2022]", "period: the first year 2024 comes after the last 2022"),
    ("[2022]", "'period' must be [first year, last year], e.g. [2022, 2024], got a list"),
    ("[2022, 0x7E8]", "period: '0x7E8' is a hexadecimal number — write numbers in decimal (or quote the text)"),
])
def test_the_period_is_bounded(tmp_path, period: str, message: str) -> None:
    with pytest.raises(InputErrors) as info:
        load_fund(_fund_with(tmp_path, "period: [2022, 2024]", f"period: {period}"), shown="fund.yaml")
    assert [str(p) for p in info.value.problems] == [f"fund.yaml:{_line_of('period:')}: {message}"]


@pytest.mark.parametrize("day", ['"13-45"', '"02-29"', '"00-10"', '"6-30"', "0630", '"06/30"'])
def test_month_days_are_days_of_every_year(tmp_path, day: str) -> None:
    with pytest.raises(InputErrors) as info:
        load_fund(_fund_with(tmp_path, 'primitif_latest: "06-30"', f"primitif_latest: {day}"), shown="fund.yaml")
    assert info.value.problems[0].message.startswith('votes.primitif_latest must be a month and day of every year')


@pytest.mark.parametrize("old,new,message", [
    ('reuse: "100%"', 'reuse: "101%"', "receipts.accounts.7084.reuse: '101%' is outside -100 % to 100 %"),
    ('reuse: "100%"', 'reuse: "-1%"', "receipts.accounts.7084.reuse: '-1%' is negative: a share is from 0 % to 100 %"),
    ('cap: "3%"', 'cap: "-3%"', "carry.cap: '-3%' is negative: a share is from 0 % to 100 %"),
    ('opening: "1 000 000"', 'opening: "1 000 000 000 000 000"',
     "reserve_fund.opening: '1 000 000 000 000 000' is too large"),
    ("order", "order", ""),
])
def test_rates_and_amounts_of_a_fund_are_bounded(tmp_path, old: str, new: str, message: str) -> None:
    if old == "order":
        old, new, message = "unit: €", "unit: €\norder: 1001", "'order' must be a whole number from 0 to 1000"
    with pytest.raises(InputErrors) as info:
        load_fund(_fund_with(tmp_path, old, new))
    assert info.value.problems[0].message.startswith(message)


def test_money_no_longer_vanishes_the_sale_of_the_issue_is_refused(monkeypatch) -> None:
    """Kind 2 through the engine's front door: the scenario of a 400 000 € gain with rent_years -1."""
    monkeypatch.chdir(GOLDEN)
    with pytest.raises(InputErrors) as info:
        load_scenario("scenario_rent_gain.yaml")
    assert {p.file for p in info.value.problems} == {"fund_money_vanishes.yaml"}


def test_a_gain_for_rent_is_spread_whole_over_rent_years(tmp_path) -> None:
    """The regular twin of kind 2: with rent_years 4 the 400 000 € gain is four shares of 100 000 €
    from the year after the sale (2023, 2024 in the period, 2025 and 2026 beyond it): nothing lost."""
    from budgetrules.engine import run

    fund = _fund_with(tmp_path, "  rent_years: 10", "  rent_years: 4")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: x\nfunds: [{fund.name}]\nevents:\n  - {{kind: asset_sale, year: 2022, fund: TST, "
                        "price: \"900 000\", net_book_value: \"500 000\", buyer: other, use: rent}\n", encoding="utf-8")
    result = run(load_scenario(scenario))
    in_period = sum((c.amount for c in result.ledger.contributions if c.fund == "TST" and c.line == "S-1"
                     and c.rule == "R-RECEIPT-REAL-ESTATE"), Decimal(0))
    assert in_period == Decimal("200000.00")  # 2023 and 2024
    beyond = sorted((b.year, b.amount) for b in result.ledger.beyond if b.fund == "TST")
    assert beyond == [(2025, Decimal("100000.00")), (2026, Decimal("100000.00"))]


# -- 3. absurd rates and amounts ---------------------------------------------------------------------
@pytest.mark.parametrize("value,message", [
    ("1e28%", "'1e28%' is not a rate: '1e28' before the percent sign is written with an exponent — write the rate "
              "in decimal, e.g. \"1.5%\""),
    ("1" + "0" * 28 + "%", "'1" + "0" * 28 + "%' is outside -100 % to 100 % (rates are bounded so that every figure "
                                            "stays exact)"),
    ("1" + "0" * 13 + "%", "'1" + "0" * 13 + "%' is outside -100 % to 100 % (rates are bounded so that every figure "
                                            "stays exact)"),
    ("1." + "0" * 30 + "1%", "'1." + "0" * 30 + "1%' has too many digits (at most 30)"),
])
def test_absurd_rates_are_refused(value: str, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_rate(value)
    assert str(info.value) == message


def test_rates_at_the_bound_are_exact() -> None:
    assert parse_rate("100%") == 1 and parse_rate("-100%") == -1
    assert parse_rate("0." + "0" * 40 + "1%") == Decimal("1E-43")  # many zeros, few digits: exact
    assert parse_rate("1.123456789012345678901234567%") == Decimal("0.01123456789012345678901234567")  # not rounded


@pytest.mark.parametrize("value,message", [
    (Decimal("1.0e+1000000"), "'1.0E+1000000' is too large: amounts stay below 10^15 € (so that every sum stays exact)"),
    (Decimal("1.0e-1000000"), "'1.0E-1000000' has more than two decimals once converted to euros"),
    ("9" * 1_000_000, f"'{'9' * 40}…' is not an amount (write e.g. \"1 250 000,00 €\", \"250 k€\" or \"37,33 M€\")"),
    (10 ** 15, "'1000000000000000' is too large: amounts stay below 10^15 € (so that every sum stays exact)"),
])
def test_absurd_amounts_are_refused_before_any_arithmetic(value, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_amount(value)
    assert str(info.value) == message


# -- 4, 7. what a file may expand to, and how deep ------------------------------------------------------
def test_aliases_within_the_bound_are_the_same_objects_and_merge_keys_work() -> None:
    data = load_yaml_text(textwrap.dedent("""\
        base: &base {kind: execution, year: 2023, fund: BNGA}
        events:
          - <<: *base
            line: A-I-1
            year: 2024
          - *base
        """), "t.yaml")
    first, second = data["events"]
    assert dict(first) == {"line": "A-I-1", "year": 2024, "kind": "execution", "fund": "BNGA"}
    assert first.line_of("year") == 5 and first.line_of("fund") == 1  # a merged key keeps its own line
    assert second is data["base"]


@pytest.mark.parametrize("depth", [101, 300, 999, 1500])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_is_bounded_and_never_a_recursion_error(depth: int, style: str) -> None:
    text = ("a: " + "[" * depth + "]" * depth) if style == "flow" else \
        "\n".join("  " * d + "a:" for d in range(depth + 1)) + " 1"
    with time_limit(5), pytest.raises(InputErrors) as info:
        load_yaml_text(text, "t.yaml")
    (problem,) = info.value.problems
    assert str(problem) == f"t.yaml:{1 if style == 'flow' else 101}: nesting deeper than 100 levels: a file of " \
                           "budget data needs a few"


def test_nesting_of_a_hundred_levels_is_fine() -> None:
    data = load_yaml_text("[" * 100 + "]" * 100, "t.yaml")
    for _ in range(99):
        data = data[0]
    assert data == []


# -- 6. every explicit tag is refused, even one that says what the value reads as anyway -----------------
@pytest.mark.parametrize("text", ["!!str 5", "!!float 1", "!!float '12'", "!!int 7", "!!null ''", "!!bool true",
                                  "!!map {x: 1}", "!!seq [1]", "!!str 2023-06-01", "!custom x"])
def test_every_explicit_tag_is_refused_with_its_line(text: str) -> None:
    with pytest.raises(InputErrors) as info:
        load_yaml_text(f"name: x\nvalue: {text}\n", "t.yaml")
    tag = text.split()[0]
    assert [str(p) for p in info.value.problems] == [
        f"t.yaml:2: explicit YAML tag '{tag}' is not allowed: write the value without a tag (quote it to make it text)"]


# -- 8. dates are dates ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["2023-05-10 10:00:00", "2023-05-10T10:00:00Z", "2023-5-1 1:00:00.5 +02:00"])
def test_a_date_with_a_time_is_a_bad_date(text: str) -> None:
    value = resolve_plain(text)
    assert isinstance(value, BadDate) and value == text
    assert value.problem == f"'{text}' is a date with a time: write the date alone (YYYY-MM-DD)"


# -- 10. every error has a line ----------------------------------------------------------------------------
def test_control_characters_are_reported_with_their_line_and_column() -> None:
    with pytest.raises(InputErrors) as info:
        load_yaml_text("name: x\nlabel: a\x00b\nother: \x1b[31m\n", "t.yaml")
    assert [str(p) for p in info.value.problems] == [
        "t.yaml:2: control character U+0000 (column 9) is not allowed in a YAML file: remove it (in a double-quoted "
        "string, write it as an escape such as \\t)",
        "t.yaml:3: control character U+001B (column 8) is not allowed in a YAML file: remove it (in a double-quoted "
        "string, write it as an escape such as \\t)"]


def test_many_control_characters_give_twenty_lines_and_a_count(tmp_path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"name: x\n" + b"a\x00\n" * 25)
    with pytest.raises(InputErrors) as info:
        load_scenario(path)
    problems = info.value.problems
    assert len(problems) == 21 and all(p.line > 0 for p in problems)
    assert problems[-1].message == "… and 5 more lines with control characters (the last one here)"
    assert problems[-1].line == 26


def test_an_escaped_control_character_in_a_quoted_string_is_fine() -> None:
    assert load_yaml_text('a: "x\\ty"\n', "t.yaml")["a"] == "x\ty"


# -- 11. messages quote an excerpt ------------------------------------------------------------------------
def test_a_tiny_exponent_gives_a_short_message(tmp_path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nevents:\n  - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, "
                    "amount: 1.0e-1000000}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_scenario(path)
    assert [p.message for p in info.value.problems] == [
        "amount: '1.0e-1000000' is a number with an exponent beyond ±100 — no figure is that large or small"]


@pytest.mark.parametrize("field", ["amount", "line", "fund", "kind", "year", "key"])
def test_a_megabyte_value_gives_a_one_line_message(tmp_path, field: str) -> None:
    path = tmp_path / "s.yaml"
    big = "x" * 1_000_000
    fields = {"kind": "execution", "year": "2023", "fund": "BNGA", "line": "A-I-1", "amount": "1"}
    if field != "key":
        fields[field] = big
    top = f"? {big}\n: 1\n" if field == "key" else ""  # a long key is written as an explicit key
    path.write_text(top + "name: x\nevents:\n  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}\n",
                    encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_scenario(path)
    assert all(len(str(p)) < 400 and "\n" not in str(p) for p in info.value.problems)
    assert any("x" * 40 + "…" in p.message for p in info.value.problems)


def test_problems_shorten_what_other_code_quotes_whole() -> None:
    problem = Problem("f.yaml", 3, f"value {'y' * 100_000!r} is wrong")
    assert problem.message == f"value '{'y' * 40}…' is wrong"
    assert excerpt("a\nb") == "a\\nb"


# -- 12. the wrong file blamed: FEC totals above the bound name the FEC's lines (fec/mapping.py events_of) -----
def test_fec_totals_above_the_bound_blame_the_fec_lines(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    head = FEC.read_text(encoding="utf-8").splitlines()[0]
    rows = [f"OD\tOD\tOD{i}\t20230131\t{acc}\tx\t\t\tP\t20230131\tPaie\t{d}\t{c}\t\t\t20230131\t\t"
            for i in range(3) for acc, d, c in (("641100", "900000000000000,00", "0,00"),
                                                ("421000", "0,00", "900000000000000,00"))]
    Path("big.txt").write_text("\n".join([head] + rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(ROOT / "scenarios" / "central.yaml"), "--execution", "big.txt",
                                       "--mapping", str(MAPPING)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: big.txt:")


# -- 13. crashes are not answers -----------------------------------------------------------------------------
@pytest.fixture
def crashing_command():
    @main.command("crash-for-test", hidden=True)
    def crash() -> None:
        raise ZeroDivisionError("division by zero")

    yield
    main.commands.pop("crash-for-test")


def test_a_crash_exits_with_a_code_of_its_own_and_one_line(crashing_command) -> None:
    result = CliRunner().invoke(main, ["crash-for-test"])
    assert result.exit_code == INTERNAL_ERROR == 70
    assert result.stderr.splitlines() == [
        "internal error (ZeroDivisionError: division by zero) — a bug of budgetrules, not a problem of the input; "
        "run `budgetrules --debug crash-for-test …` to see the traceback."]


def test_debug_shows_the_traceback_and_keeps_the_code(crashing_command) -> None:
    result = CliRunner().invoke(main, ["--debug", "crash-for-test"])
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.stderr and "ZeroDivisionError" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("the traceback is above.")


def test_input_errors_keep_exit_code_2_under_debug(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--debug", "run", "nowhere.yaml"])
    assert result.exit_code == 2 and "error: nowhere.yaml: file not found" in result.stderr


# -- 14. --output --------------------------------------------------------------------------------------
CHILD = textwrap.dedent("""\
    import os, sys, time
    import budgetrules.io.output as out
    write = os.write
    def slow(fd, data):  # a slow disk: the signal comes in the middle of the write
        time.sleep(0.002)
        return write(fd, data[:4096])
    out.os.write = slow
    print("ready", flush=True)
    out.write_atomic(sys.argv[1], b"x" * (20 << 20))
    """)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_write_leaves_no_temporary_file(tmp_path, signum) -> None:
    target = tmp_path / "report.json"
    target.write_text("the previous report", encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=ROOT)
    assert child.stdout.readline() == b"ready\n"
    with time_limit(20):
        while not any(p.name.startswith(".br") for p in tmp_path.iterdir()):
            time.sleep(0.01)
    child.send_signal(signum)
    child.wait(timeout=20)
    assert child.returncode == -signum  # ended by the signal, as without our handlers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    assert target.read_text(encoding="utf-8") == "the previous report"


def test_a_name_near_the_limit_can_be_written(tmp_path) -> None:
    name = "r" * 250 + ".json"  # 255 characters, the file system's limit
    write_atomic(tmp_path / name, "{}")
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_symlink_target_is_written_and_the_link_kept(tmp_path) -> None:
    (tmp_path / "real.json").write_text("old", encoding="utf-8")
    os.chmod(tmp_path / "real.json", 0o640)
    (tmp_path / "link.json").symlink_to("real.json")
    result = CliRunner().invoke(main, ["funds", "show", "FNMO", "--format", "json", "--output", str(tmp_path / "link.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real.json").read_text(encoding="utf-8").lstrip().startswith(("[", "{"))
    assert (tmp_path / "real.json").stat().st_mode & 0o777 == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


# -- 15. memory: the objects are the values, the key lines shared -----------------------------------------------
def test_mappings_of_the_same_layout_share_their_key_lines() -> None:
    events = "".join(f"  - kind: execution\n    year: 2023\n    amount: {i}\n" for i in range(1000))
    data = load_yaml_text("events:\n" + events, "t.yaml")["events"]
    assert isinstance(data, LineList) and len(data.item_lines) == 1000 and data.item_lines.itemsize <= 8
    assert all(isinstance(e, LineDict) and not hasattr(e, "__dict__") for e in data)
    assert len({id(e.key_lines) for e in data}) == 1  # one layout for the thousand mappings
    assert [data[999].line_of(k) for k in ("kind", "year", "amount")] == [2999, 3000, 3001]  # 2 + 3 × 999
    flow = load_yaml_text("- {a: 1, b: 2}\n- {a: 3, b: 4}\n", "t.yaml")
    assert flow[0].key_lines is None and flow[1].line_of("b") == 2


def test_the_loader_keeps_no_node_graph() -> None:
    """The loader builds from events: PyYAML's composer and constructor are not used."""
    assert not hasattr(yamlio, "_construct_mapping")
    assert yamlio._Builder.build.__qualname__ == "_Builder.build"
