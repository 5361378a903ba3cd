"""Robustness of the scenario reader: whatever the text (random YAML, wrong types, wrong codes,
extreme numbers, bad encodings), loading succeeds or raises the project's own InputErrors with
the file named and, for content errors, a line — never another exception."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrules.io.fundfile import load_funds
from budgetrules.io.paths import bundled_fund_files
from budgetrules.io.scenariofile import EVENT_FIELDS, load_scenario
from budgetrules.core.errors import InputErrors

FUNDS = load_funds(bundled_fund_files())

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["A-I-1", "A-I-3", "PA-F-COL", "BNGA", "FNMO", "1,5 %", "1.5", "12 k€", "3,333 M€", "2023-02-30",
                     "2023-06-01", "-5", "1e400", "∞", "NaN", "0x1F", "1 2 3", "€", "k€ 12", "--1", "nan%"]),
)
keys = st.sampled_from(["kind", "year", "fund", "line", "amount", "from", "to", "date", "notified", "dm", "account",
                        "category", "realised", "forecast", "counterpart_class", "price", "net_book_value", "buyer",
                        "use", "to_line", "authorised_on", "ref", "board_decision", "resource", "budget", "voted_on",
                        "received_on", "lines", "ammount", "yeer", "label", "decided_on"])
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(keys | st.text(max_size=5), inner, max_size=4)),
                      max_leaves=8)
event = st.fixed_dictionaries({"kind": st.sampled_from(sorted(EVENT_FIELDS) + ["virment", 3, None]),
                               "year": st.sampled_from([2021, 2022, 2023, 2024, 2025, "2023", 20230, None])},
                              optional={k: values for k in ("fund", "line", "amount", "from", "to", "date", "account",
                                                            "realised", "forecast", "dm", "lines", "budget",
                                                            "voted_on", "counterpart_class", "resource")})
document = st.fixed_dictionaries(
    {"name": st.one_of(st.text(max_size=10), st.integers(), st.none())},
    optional={"events": st.one_of(st.lists(event, max_size=4), values),
              "assumptions": st.one_of(values, st.fixed_dictionaries({}, optional={
                  "inflation": st.dictionaries(st.sampled_from(["forecast", "actual", "fc"]),
                                               st.dictionaries(st.integers(2019, 2026), scalars, max_size=3)),
                  "carry_over": scalars})),
              "expect": st.one_of(values, st.lists(st.dictionaries(keys | st.sampled_from(["finding", "total"]),
                                                                   values, max_size=4), max_size=3)),
              "funds": st.one_of(values, st.lists(st.sampled_from(["BNGA", "BNAS", "x.yaml"]), max_size=2)),
              "nmae": values})


def _load(path: Path) -> None:
    try:
        load_scenario(path, funds=FUNDS)
    except InputErrors as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == str(path) or problem.file.endswith(path.name)
            assert problem.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(doc=document)
def test_structured_garbage_never_crashes(tmp_path: Path, doc) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _load(path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_random_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    _load(path)


@pytest.mark.parametrize("text,line", [
    ("name: x\nevents:\n  - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: 1e999999}\n", 3),
    ("name: x\nevents: [\n", 3),
    ("name: x\nevents:\n  - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: .nan}\n", 3),
    ("name: x\nevents:\n  - {kind: execution, year: 2023, fund: BNGA, line: A-I-1, amount: \"9" + "9" * 60 + "\"}\n", 3),
])
def test_extreme_values_are_input_errors(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        scenario = load_scenario(path, funds=FUNDS)
    except InputErrors as exc:
        assert any(p.line == line for p in exc.problems), exc.problems
    else:  # a 61-digit amount is a valid (if absurd) exact amount
        assert scenario.events[0].data["amount"] > 0


def test_latin1_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Hypothèses\n".encode("latin-1"))
    with pytest.raises(InputErrors) as info:
        load_scenario(path, funds=FUNDS)
    assert "UTF-8" in info.value.problems[0].message
    assert info.value.problems[0].line == 1


# -- fund files: any node of a real fund file replaced by garbage -------------------------------------
FUND_TEXT = (Path(__file__).resolve().parents[2] / "funds" / "canssm-2022-2024" / "bnga.yaml").read_text(encoding="utf-8")
garbage = st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(st.text(max_size=4), scalars, max_size=2))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


FUND_DATA = yaml.safe_load(FUND_TEXT)
FUND_PATHS = [p for p in _paths(FUND_DATA) if p]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(where=st.lists(st.sampled_from(FUND_PATHS), min_size=1, max_size=3), values=st.lists(garbage, min_size=3,
                                                                                               max_size=3))
def test_fund_file_with_garbage_never_crashes(tmp_path: Path, where, values) -> None:
    import copy

    from budgetrules.io.fundfile import load_fund

    data = copy.deepcopy(FUND_DATA)
    for path, value in zip(where, values):
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    target = tmp_path / "fund.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_fund(target)
    except InputErrors as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@pytest.mark.parametrize("written", ["name: abc\u202edef\n", 'name: "abc\\u202edef"\n', 'name: "abc\\u2067def"\n'])
def test_a_bidirectional_override_is_refused_in_text(tmp_path, written):
    # U+202E (RIGHT-TO-LEFT OVERRIDE) and U+2067 (RIGHT-TO-LEFT ISOLATE) reorder what a reader sees of a
    # label in a report or a terminal (« Trojan Source »): refused as control characters are, with the line
    path = tmp_path / "s.yaml"
    path.write_text(written + "funds: [BNGA]\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.line == 1 and ("U+202E" in problem.message or "U+2067" in problem.message)


def test_messages_escape_what_would_act_on_a_terminal():
    from budgetrules.core.errors import excerpt

    assert excerpt("é\x1b[31m") == "é\\x1b[31m" and excerpt("a\x9bb") == "a\\x9bb"  # accents kept as they are
    assert excerpt("abc\u202edef") == "abc\\u202edef"
