"""Inputs read as meant (issue 16) and the YAML layer hardened (issue 14), from a tester's tries:
amounts whose digits are not grouped by three, rates whose message did not say what was wrong,
years shown as Python wrote them. The messages of whole files are golden
(tests/golden/scenario_errors/amount_grouping, …); here, the readers one value at a time."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetrules.core.money import ValueProblem, parse_amount, parse_rate

GROUPING = "groups its digits wrongly: spaces (or '_') separate thousands, in groups of three counted from the " \
           "decimal separator — write "


# -- amounts: spaces group the digits by three, from the decimal separator ------------------------------
@pytest.mark.parametrize("text,euros", [
    ("400 000", "400000"), ("1 250 000,50", "1250000.50"), ("1 250 000.50 €", "1250000.50"), ("250 k€", "250000"),
    ("37,33 M€", "37330000"), ("1_250_000", "1250000"), ("1\u00a0250\u00a0000,50", "1250000.50"),
    ("1\u202f250,5 €", "1250.50"), ("12 345 678", "12345678"), ("999", "999"), ("1250000", "1250000"),
    ("1 000\u00a0€", "1000"), ("  12 ", "12"), ("0 500", "500"),
])
def test_amounts_grouped_by_three_are_read(text: str, euros: str) -> None:
    assert parse_amount(text) == Decimal(euros).quantize(Decimal("0.01"))


@pytest.mark.parametrize("text,suggestion", [
    ("1 2 3", '"123"'), ("10 00", '"1 000"'), ("1 000 0", '"10 000"'), ("12_3", '"123"'), ("1000 000", '"1 000 000"'),
    ("1  000", '"1 000"'), ("1 ,5", '"1,5"'), ("10 00 k€", '"1 000 k€"'), ("1 000 0,5 k€", '"10 000,5 k€"'),
    ("1_000_ €", '"1 000 €"'), ("1\u00a023", '"123"'),
])
def test_amounts_not_grouped_by_three_are_refused_with_the_digits_regrouped(text: str, suggestion: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_amount(text)
    assert str(info.value) == f"'{text.strip()}' {GROUPING}{suggestion}"


def test_a_space_in_the_decimals_is_refused() -> None:
    with pytest.raises(ValueProblem) as info:
        parse_amount("1 250,5 0")
    assert str(info.value) == "'1 250,5 0' has a space in its decimals: spaces (or '_') group the thousands only — " \
                              "write \"1 250,50\""


@pytest.mark.parametrize("text,message", [
    ("1 250,000", "'1 250,000' reads two ways, 1 250 000 or 1 250: write \"1 250 000\" (a space groups thousands) "
                  "or \"1 250\""),
    ("1 234,567", "'1 234,567' has more than two decimals once converted to euros (1234.567 €); for 1 234 567, write "
                  "\"1 234 567\" (a space groups thousands)"),
])
def test_three_decimals_after_grouped_thousands_read_two_ways(text: str, message: str) -> None:
    """docs/scenarios.md: a separator followed by exactly three digits after one to three digits could be
    thousands or decimals — after « 1 250 » as after « 400 »."""
    with pytest.raises(ValueProblem) as info:
        parse_amount(text)
    assert str(info.value) == message


# -- rates: the message says what is wrong -----------------------------------------------------------------
@pytest.mark.parametrize("text,message", [
    ("1e13%", "'1e13%' is not a rate: '1e13' before the percent sign is written with an exponent — write the rate "
              "in decimal, e.g. \"1.5%\""),
    ("0x10%", "'0x10%' is not a rate: '0x10' before the percent sign is not a decimal number — write the rate in "
              "decimal, e.g. \"1.5%\""),
    ("1.5 %%", "'1.5 %%' has more than one percent sign: write one, e.g. \"1.5%\""),
    ("1.2.3%", "'1.2.3%' is not a rate: '1.2.3' before the percent sign is not a number written with digits and at "
               "most one decimal point or comma — write the rate in decimal, e.g. \"1.5%\""),
    ("%", "'%' has no number before its percent sign: write one, e.g. \"1.5%\""),
    ("%1.5", "'%1.5' is not a rate: the percent sign comes after the number and nothing after it, e.g. \"1.5%\""),
    ("1.5 pct", "'1.5 pct' is not a rate: write it with a percent sign, e.g. \"1.5%\""),
    (True, "expected a rate with a percent sign, e.g. \"1.5%\", got the boolean true"),
    ([1], "expected a rate with a percent sign, e.g. \"1.5%\", got a list"),
    (Decimal("1.5"), "rate 1.5 has no percent sign: write \"1.5%\" (a bare number is ambiguous)"),
])
def test_a_rate_that_cannot_be_read_says_why(text: object, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_rate(text)
    assert str(info.value) == message


@pytest.mark.parametrize("value,message", [(True, "expected an amount, got the boolean true"),
                                           (None, "expected an amount, got nothing")])
def test_an_amount_that_is_not_one_is_named_in_words(value: object, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_amount(value)
    assert str(info.value) == message


# -- years: shown as written, and never replaced by a default ---------------------------------------------
def test_an_invalid_year_does_not_judge_the_events_date(tmp_path) -> None:
    """A year that is not one used to be replaced by the fund's first year, and the event's date was then
    judged against it: « date 2023-04-15 is not in the event's year 2022 », a second, bogus error."""
    from budgetrules.core.errors import InputErrors
    from budgetrules.io.scenariofile import load_scenario

    for year in ("2022.0", "true", "1e9", "2031", "'2023'"):
        path = tmp_path / "s.yaml"
        path.write_text("name: x\nfunds: [BNGA]\nevents:\n  - {kind: virement, year: %s, fund: BNGA, from: A-I-1, "
                        "to: A-I-2-INFO, amount: \"1 000\", date: 2023-04-15}\n" % year, encoding="utf-8")
        with pytest.raises(InputErrors) as info:
            load_scenario(path)
        (problem,) = info.value.problems
        assert problem.line == 4 and problem.message.startswith("year ") and "Decimal" not in problem.message


@pytest.mark.parametrize("year,message", [
    ("abc", "error: --year: 'abc' is not a year: write a year of the period 2022-2024, e.g. --year 2022"),
    ("2030", "error: --year: year 2030 is outside the period 2022-2024"),
])
def test_bilan_says_when_its_year_is_not_a_year(year: str, message: str) -> None:
    from click.testing import CliRunner

    from budgetrules.cli import main

    central = Path(__file__).resolve().parents[2] / "scenarios" / "central.yaml"
    result = CliRunner().invoke(main, ["bilan", str(central), "--year", year])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [message, "1 error: nothing was written."]


# -- text is text, without control characters ----------------------------------------------------------
@pytest.mark.parametrize("name,message", [
    ("Central \x1b[31m", "name: 'Central \\x1b[31m' holds the control character U+001B: remove it (text may not hold "
                         "control characters: they would act on the terminal or the report that shows it)"),
    ("\x9b2J", "name: '\\x9b2J' holds the control character U+009B: remove it (text may not hold control characters: "
               "they would act on the terminal or the report that shows it)"),
    ([1, 2], "name must be text, got a list"),
    (None, "name must be the scenario's title, e.g. name: Hypothèses centrales 2022-2024"),
    ("  ", "name must be the scenario's title, e.g. name: Hypothèses centrales 2022-2024"),
])
def test_a_scenario_given_as_data_has_a_title_that_is_text(name: object, message: str) -> None:
    """From the Python API or a program, text does not pass through the YAML reader, which refuses the
    escapes of control characters: the scenario reader refuses them too."""
    from budgetrules.core.errors import InputErrors
    from budgetrules.io.scenariofile import scenario_from_data

    with pytest.raises(InputErrors) as info:
        scenario_from_data({"name": name, "funds": ["BNGA"]}, "posted")
    assert [p.message for p in info.value.problems] == [message]


def test_text_that_is_a_number_or_a_date_is_kept_as_written(tmp_path) -> None:
    from budgetrules.io.scenariofile import load_scenario

    path = tmp_path / "s.yaml"
    path.write_text("name: 2023\nfunds: [BNGA]\nevents:\n  - {kind: programme_authorisation, year: 2023, fund: BNGA, "
                    "line: A-I-3-HORS, amount: 1, ref: 2023-01-15}\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.name == "2023" and scenario.events[0].ref == "2023-01-15"


def test_tabs_and_line_breaks_are_text() -> None:
    from budgetrules.io.yaml import load_yaml_text

    assert load_yaml_text('label: "Tab\\tet\\nligne"\n', "t.yaml")["label"] == "Tab\tet\nligne"


# -- the limits of a file, where a budget officer looks for them ----------------------------------------
def test_the_docs_give_the_limits_the_reader_applies() -> None:
    """scenarios.md and funds.md state the alias and nesting bounds of io/yaml.py; cog.md the R- prefix."""
    from budgetrules.io.yaml import MAX_ALIAS_NODES, MAX_DEPTH

    docs = Path(__file__).resolve().parents[2] / "docs"
    aliases = f"{MAX_ALIAS_NODES:,}".replace(",", " ") + " values"
    for page in ("scenarios.md", "funds.md"):
        text = " ".join((docs / page).read_text(encoding="utf-8").split())
        assert aliases in text and f"{MAX_DEPTH} levels" in text, page
    assert "A rule ID begins with `R-`" in (docs / "cog.md").read_text(encoding="utf-8")
