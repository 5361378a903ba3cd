"""R-SOURCE-TOTALS: every gap between a printed subtotal and the sum of its leaves, worked out by
hand from annex 3, and the check's verdicts on small made-up funds."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetrules.io.fundfile import load_fund
from budgetrules.model.fund import Fund
from budgetrules.io.paths import cog_folder as funds_dir
from budgetrules.core.records import Finding
from budgetrules.rules.source_totals import check_source_totals
from budgetrules.render.messages import finding_text


def load(name: str) -> Fund:
    return load_fund(funds_dir() / f"{name}.yaml")


def found(findings: list[Finding]) -> set[tuple]:
    return {(f.fund, f.line, f.year, f.severity, f.amount) for f in findings}


# BNGA (M€, 0,01 M€ = 10 000 € per summed leaf is rounding). Every subtotal, every year:
# A-I-2  2022: 4,70 + 7,87 = 12,57 | 2023: 4,70 + 7,79 = 12,49 | 2024: 4,70 + 7,71 = 12,41 — as printed
# A-I-3  2022: 0,72 + 2,21 = 2,93 | 2023: 0,65 + 2,15 = 2,80 | 2024: 0,18 + 2,10 = 2,28 — as printed
# A-I    2022: 37,33 + 4,70 + 7,87 + 0,72 + 2,21 = 52,83, printed 52,84: gap +0,01 M€, 5 leaves → warning
#        2023: 36,67 + 4,70 + 7,79 + 0,65 + 2,15 = 51,96 — as printed
#        2024: 36,01 + 4,70 + 7,71 + 0,18 + 2,10 = 50,70 — as printed
# A-II   2022: 11,12 + 0,49 = 11,61 | 2023: 10,83 + 0,49 = 11,32 | 2024: 10,54 + 0,49 = 11,03 — as printed
# A      2022: 52,83 + 11,61 = 64,44, printed 64,45: gap +0,01 M€, 7 leaves → warning
#        2023: 51,96 + 11,32 = 63,28, printed 63,27: gap −0,01 M€, 7 leaves → warning
#        2024: 50,70 + 11,03 = 61,73 — as printed
# B-II   2022: 5,29 + 12,40 = 17,69 | 2023: 4,94 + 11,94 = 16,88 | 2024: 4,61 + 11,51 = 16,12 — as printed
# B-III-1 each year: 0,55 + 3,50 = 4,05 — as printed; B-III each year: 4,05 + 0,60 = 4,65 — as printed
# B      2022: 0,83 + 17,69 + 4,65 = 23,17 | 2023: 0,83 + 16,88 + 4,65 = 22,36 | 2024: 0,83 + 16,12 + 4,65 = 21,60 — as printed
# I      2022: 64,44 + 23,17 = 87,61 — as printed (the two +0,01 of A do not reach I)
#        2023: 63,28 + 22,36 = 85,64, printed 85,63: gap −0,01 M€, 13 leaves → warning
#        2024: 61,73 + 21,60 = 83,33 — as printed
# II     each year: 0,00 + 14,09 + 12,71 + 0,54 = 27,34 — as printed; III: 0,23 — as printed
BNGA_GAPS = {
    ("BNGA", "A-I", 2022, "warning", Decimal("10000.00")),
    ("BNGA", "A", 2022, "warning", Decimal("10000.00")),
    ("BNGA", "A", 2023, "warning", Decimal("-10000.00")),
    ("BNGA", "I", 2023, "warning", Decimal("-10000.00")),
}

# BNASS (€, 1 € per summed leaf is rounding). Columns 2021 / 2022 / 2023 / 2024:
# PA-F   2021: 18 399 300 + 934 500 = 19 333 800 — as printed
#        2022: 18 872 815 + 899 200 = 19 772 015 — as printed
#        2023: 17 613 998 + 2 306 100 = 19 920 098, printed 18 750 529: gap −1 169 569 €, 2 leaves → error
#        2024: 16 444 429 + 810 000 = 17 254 429 — as printed
# PA-K   300 000 / 4 000 000 / 2 000 000 / 200 000: one leaf, as printed
# PA     2021: 19 333 800 + 300 000 = 19 633 800 | 2022: 19 772 015 + 4 000 000 = 23 772 015 — as printed
#        2023: 19 920 098 + 2 000 000 = 21 920 098, printed 20 750 529: gap −1 169 569 €, 3 leaves → error
#        2024: 17 254 429 + 200 000 = 17 454 429 — as printed
# MAL-F  2021: 4 286 900 + 2 392 100 = 6 679 000 | 2022: 4 065 764 + 2 333 300 = 6 399 064
#        2023: 3 794 578 + 2 244 800 = 6 039 378 | 2024: 3 542 618 + 2 162 100 = 5 704 718 — as printed
# MAL-K  1 600 000 / 16 000 000 / 7 000 000 / 800 000: one leaf, as printed
# MAL    2021: 6 679 000 + 1 600 000 = 8 279 000 | 2022: 6 399 064 + 16 000 000 = 22 399 064
#        2023: 6 039 378 + 7 000 000 = 13 039 378 | 2024: 5 704 718 + 800 000 = 6 504 718 — as printed
# ATMP-F 2021: 14 580 + 537 700 = 552 280 | 2022: 13 827 + 510 300 = 524 127
#        2023: 12 905 + 477 200 = 490 105 | 2024: 12 047 + 446 200 = 458 247 — as printed
# TOTAL DES DEPENSES DU BNASS:
# TOTAL-IND   2021: 18 399 300 + 4 286 900 + 14 580 = 22 700 780 | 2022: 18 872 815 + 4 065 764 + 13 827 = 22 952 406
#             2023: 17 613 998 + 3 794 578 + 12 905 = 21 421 481 | 2024: 16 444 429 + 3 542 618 + 12 047 = 19 999 094 — as printed
# TOTAL-COL-F 2021: 934 500 + 2 392 100 + 537 700 = 3 864 300 | 2022: 899 200 + 2 333 300 + 510 300 = 3 742 800
#             2023: 2 306 100 + 2 244 800 + 477 200 = 5 028 100 | 2024: 810 000 + 2 162 100 + 446 200 = 3 418 300 — as printed
# TOTAL-COL-K 2021: 300 000 + 1 600 000 = 1 900 000 | 2022: 4 000 000 + 16 000 000 = 20 000 000
#             2023: 2 000 000 + 7 000 000 = 9 000 000 | 2024: 200 000 + 800 000 = 1 000 000 — as printed
# TOTAL       2021: 22 700 780 + 3 864 300 + 1 900 000 = 28 465 080 | 2022: 22 952 406 + 3 742 800 + 20 000 000 = 46 695 206
#             2023: 21 421 481 + 5 028 100 + 9 000 000 = 35 449 581 | 2024: 19 999 094 + 3 418 300 + 1 000 000 = 24 417 394 — as printed
# (So the second table agrees with the rows: the error is in the 2023 subtotals of section I.)
# bnass.yaml acknowledges both in `errata` (the rows are authoritative): info, not error.
BNASS_GAPS = {
    ("BNASS", "PA-F", 2023, "info", Decimal("-1169569.00")),
    ("BNASS", "PA", 2023, "info", Decimal("-1169569.00")),
}

# BNPPS (€):
# MAL   2021: 2 314 500 + 620 000 = 2 934 500 | 2022: 2 255 500 + 450 000 = 2 705 500
#       2023: 2 200 000 + 450 000 = 2 650 000 | 2024: 2 148 000 + 450 000 = 2 598 000 — as printed
# TOTAL 2021: 2 934 500 + 100 000 = 3 034 500 | 2022: 2 705 500 + 100 000 = 2 805 500
#       2023: 2 650 000 + 100 000 = 2 750 000 | 2024: 2 598 000 + 100 000 = 2 698 000 — as printed
BNPPS_GAPS: set[tuple] = set()


@pytest.mark.parametrize(("name", "expected"), [("bnga", BNGA_GAPS), ("bnass", BNASS_GAPS), ("bnpps", BNPPS_GAPS),
                                                ("fnmo", set())])
def test_r_source_totals_finds_exactly_the_gaps_of_the_annex(name: str, expected: set[tuple]) -> None:
    findings = check_source_totals(load(name))
    assert found(findings) == expected
    assert len(findings) == len(expected)  # one finding per printed figure, no duplicates


def test_r_source_totals_finding_fields() -> None:
    fund = load("bnga")
    (a_i,) = [f for f in check_source_totals(fund) if f.line == "A-I"]
    assert a_i.rule == "R-SOURCE-TOTALS" and a_i.about_tables
    assert a_i.citation == fund.citations["R-SOURCE-TOTALS"]
    assert "52 840 000,00 €" in finding_text(a_i) and "52 830 000,00 €" in finding_text(a_i) and "10 000,00 €" in finding_text(a_i)
    assert a_i.source == f"{fund.file}:{fund.by_code['A-I'].source_line}"
    text = (Path(fund.file) if Path(fund.file).is_absolute() else Path.cwd() / fund.file).read_text(encoding="utf-8")
    row = next(i for i, line in enumerate(text.splitlines(), 1) if "{code: A-I," in line)
    assert a_i.source.endswith(f":{row}")  # the A-I row of funds/bnga.yaml


def test_r_source_totals_error_names_both_figures() -> None:
    fund = load("bnass")
    (pa_f,) = [f for f in check_source_totals(fund) if f.line == "PA-F"]
    assert "18 750 529,00 €" in finding_text(pa_f) and "19 920 098,00 €" in finding_text(pa_f)
    assert "-1 169 569,00 €" in finding_text(pa_f)
    # acknowledged: the erratum's reading is in the message, its entry is the source
    assert pa_f.key == "source_totals.erratum" and "les lignes font foi" in finding_text(pa_f)
    erratum = next(e for e in fund.errata if e.line == "PA-F")
    assert pa_f.source == f"{fund.file}:{erratum.source_line}"


def test_r_source_totals_without_the_errata_the_bnass_gaps_are_errors() -> None:
    import dataclasses

    fund = dataclasses.replace(load("bnass"), errata=())
    assert found(check_source_totals(fund)) == {(c, ln, y, "error", a) for c, ln, y, _, a in BNASS_GAPS}


# -- the verdict boundary, on made-up funds -------------------------------------------------------------
CITATIONS = """
citations:
  R-LIMITATIVE-CEILING: x
  R-EVALUATIVE-INDICATIVE: x
  R-CARRY-LIMITATIVE: x
  R-CARRY-EVALUATIVE-NONE: x
  R-CARRY-LAST-YEAR: x
  R-CARRY-CP-AP: x
  R-AP-CANCEL: x
  R-CHARGE-TRANSFER: x
  R-RECEIPT-NONCASH: x
  R-RECEIPT-OTHER-NONE: x
  R-INDEX-PROVISIONAL: x
  R-FUNG-DM: x
  R-FUNG-INSUFFICIENT: x
  R-FUNG-NOTICE-LATE: x
  R-FUNG-CHAIN: x
  R-VOTE-CONFORMITY: x
  R-SOURCE-TOTALS: the table
  R-VOTE-CALENDAR: x
  R-FUNG-DEFAULT: x
"""


def small_fund(tmp_path: Path, unit: str, published: str, leaves: list[str], extra: str = "") -> Fund:
    """A one-section fund: subtotal S printed as `published`, leaves L0, L1… with `amounts` mappings."""
    body = [f"code: T\nlabel: t\nunit: {unit}\nperiod: [2022, 2022]\nreference_year: 2021", CITATIONS, "lines:",
            f"  - {{code: S, label: s, published: {published}}}"]
    for i, amounts in enumerate(leaves):
        body.append(f"  - {{code: L{i}, parent: S, label: l, character: limitative, amounts: {amounts},"
                    " carry: {mode: never, rule: R-CARRY-EVALUATIVE-NONE}}")
    body.append(extra)
    body.append("receipts: {mode: none, rule: R-RECEIPT-OTHER-NONE}\nvotes: {rule: R-VOTE-CALENDAR}\n")
    path = tmp_path / "t.yaml"
    path.write_text("\n".join(body), encoding="utf-8")
    return load_fund(path)


@pytest.mark.parametrize(("unit", "total", "leaf", "expected"), [
    ("M€", "1.00", "0.50", None),                  # exact
    ("M€", "1.02", "0.50", "warning"),             # +0,02 M€ over 2 leaves: 20 000 € ≤ 2 × 10 000 €
    ("M€", "0.98", "0.50", "warning"),             # −20 000 €: the size of the gap counts, not its sign
    ("M€", "1.03", "0.50", "error"),               # 30 000 € > 20 000 €
    ("M€", "1.0201", "0.50", "error"),             # 20 100 € > 20 000 €
    ("€", "1001", "500", "warning"),               # 1 € over 2 leaves
    ("€", "1002", "500", "warning"),               # 2 € = 2 × 1 €
    ("€", "1003", "500", "error"),                 # 3 € > 2 €
    ("€", "1002.01", "500", "error"),              # 2,01 € > 2 €
    ("€", "999.50", "500", "warning"),             # −0,50 €
])
def test_r_source_totals_rounding_boundary(tmp_path: Path, unit: str, total: str, leaf: str,
                                           expected: str | None) -> None:
    fund = small_fund(tmp_path, unit, f"{{2022: {total}}}", [f"{{2022: {leaf}}}"] * 2)
    findings = check_source_totals(fund)
    assert [f.severity for f in findings] == ([expected] if expected else [])


def test_r_source_totals_checks_the_reference_year_and_extra_totals(tmp_path: Path) -> None:
    extra = "extra_totals:\n  - {code: X, label: x, members: [L0, L1], published: {2021: 900, 2022: 1003}}"
    fund = small_fund(tmp_path, "€", "{2021: 905, 2022: 1000}", ["{2021: 450, 2022: 500}"] * 2, extra)
    # S 2021: 450 + 450 = 900, printed 905: gap +5 € > 2 × 1 € → error; S 2022: 500 + 500 = 1000 → nothing
    # X 2021: 450 + 450 = 900 → nothing; X 2022: 1000, printed 1003: gap +3 € > 2 € → error
    assert found(check_source_totals(fund)) == {("T", "S", 2021, "error", Decimal("5.00")),
                                                ("T", "X", 2022, "error", Decimal("3.00"))}


def test_r_source_totals_counts_a_missing_reference_figure_as_zero(tmp_path: Path) -> None:
    # S prints a 2021 figure but its leaves have none: 905 against 0 is reported, not skipped
    fund = small_fund(tmp_path, "€", "{2021: 905, 2022: 1000}", ["{2022: 500}"] * 2)
    assert found(check_source_totals(fund)) == {("T", "S", 2021, "error", Decimal("905.00"))}


# -- errata ---------------------------------------------------------------------------------------------
def test_an_erratum_acknowledges_a_real_gap(tmp_path: Path) -> None:
    # S 2022 printed 1 010, leaves 500 + 500 = 1 000: +10 € > 2 € is an error, acknowledged → info
    errata = "errata:\n  - {line: S, year: 2022, printed: 1010, reading: the rows are right}"
    fund = small_fund(tmp_path, "€", "{2022: 1010}", ["{2022: 500}"] * 2, errata)
    (finding,) = check_source_totals(fund)
    assert (finding.severity, finding.amount, finding.key) == ("info", Decimal("10.00"), "source_totals.erratum")
    assert "the rows are right" in finding_text(finding, "en")


@pytest.mark.parametrize("total", ["1000", "1002"])  # no gap, or a rounding gap (2 € ≤ 2 × 1 €)
def test_an_erratum_where_the_table_agrees_is_an_error_of_the_fund_file(tmp_path: Path, total: str) -> None:
    errata = f"errata:\n  - {{line: S, year: 2022, printed: {total}, reading: the rows are right}}"
    fund = small_fund(tmp_path, "€", f"{{2022: {total}}}", ["{2022: 500}"] * 2, errata)
    (finding,) = check_source_totals(fund)
    assert (finding.severity, finding.key) == ("error", "source_totals.erratum_unneeded")
    assert "remove the erratum" in finding_text(finding, "en")


@pytest.mark.parametrize(("entry", "message"), [
    ("{line: S, year: 2022, printed: 1011, reading: x}", "S 2022 is printed 1010.00 €, not 1011.00 €"),
    ("{line: L0, year: 2022, printed: 1010, reading: x}", "unknown printed total 'L0'"),
    ("{line: S, year: 2023, printed: 1010, reading: x}", "S prints no figure for 2023"),
    ("{line: S, year: 2022, printed: 1010}", "missing key 'reading'"),
])
def test_an_erratum_names_a_printed_figure(tmp_path: Path, entry: str, message: str) -> None:
    from budgetrules.core.errors import InputErrors

    with pytest.raises(InputErrors) as caught:
        small_fund(tmp_path, "€", "{2022: 1010}", ["{2022: 500}"] * 2, f"errata:\n  - {entry}")
    assert message in str(caught.value)


def test_an_erratum_may_name_an_extra_total_s_reference_year(tmp_path: Path) -> None:
    # X 2021 printed 910, leaves 450 + 450 = 900: +10 € > 2 € → error, acknowledged → info
    extra = ("extra_totals:\n  - {code: X, label: x, members: [L0, L1], published: {2021: 910, 2022: 1000}}\n"
             "errata:\n  - {line: X, year: 2021, printed: 910, reading: the rows are right}")
    fund = small_fund(tmp_path, "€", "{2021: 900, 2022: 1000}", ["{2021: 450, 2022: 500}"] * 2, extra)
    assert found(check_source_totals(fund)) == {("T", "X", 2021, "info", Decimal("10.00"))}
