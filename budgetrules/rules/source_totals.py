"""R-SOURCE-TOTALS: every subtotal printed in the COG (and every extra published total) against the
sum of its leaves; a gap within one unit of the last printed digit per leaf is rounding (warning),
beyond it an error of the published table — unless the fund file acknowledges it in `errata`, with
the reading that settles it (info: the gap is known, the rows stay authoritative)."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from ..model.fund import Fund
from ..core.money import ZERO
from ..core.records import Finding



def _by_year(published: dict[int, Decimal], reference: Decimal | None, fund: Fund) -> list[tuple[int, Decimal]]:
    """The printed figures of one total, the reference-year column included, in year order."""
    figures = dict(published)
    if reference is not None and fund.reference_year is not None:
        figures[fund.reference_year] = reference
    return sorted(figures.items())


def _printed(fund: Fund) -> Iterator[tuple[str, tuple[str, ...], int, Decimal, int]]:
    """(code, member leaves, year, printed figure, file line) for every printed total of the fund:
    the subtotal rows in table order, then the extra totals."""
    for line in fund.lines:
        if fund.is_leaf(line.code):
            continue
        for year, figure in _by_year(line.published, line.reference, fund):
            yield line.code, fund.leaves_under[line.code], year, figure, line.source_line
    for extra in fund.extra_totals:
        for year, figure in _by_year(extra.published, extra.reference, fund):
            yield extra.code, extra.members, year, figure, extra.source_line


def _leaf_figure(fund: Fund, code: str, year: int) -> Decimal:
    """A leaf's figure for a year of the period, or its reference column (missing counts as 0)."""
    line = fund.by_code[code]
    if year == fund.reference_year and year not in fund.years:
        return line.reference if line.reference is not None else ZERO
    return line.amounts.get(year, ZERO)


def check_source_totals(fund: Fund) -> list[Finding]:
    """The R-SOURCE-TOTALS findings of one fund: one per printed total that differs from the sum
    of its leaves (warning within rounding, error beyond), in table order; [] when all agree."""
    unit = fund.rounding  # one unit of the last digit printed (0,01 M€ = 10 000 € for a table in M€)
    findings: list[Finding] = []
    rule = fund.role("source_totals")
    errata = {(e.line, e.year): e for e in fund.errata}
    for code, members, year, printed, source_line in _printed(fund):
        computed = sum((_leaf_figure(fund, m, year) for m in members), ZERO)
        gap = printed - computed
        erratum = errata.pop((code, year), None)
        if gap == 0 and erratum is None:
            continue
        tolerance = unit * len(members)
        rounding = abs(gap) <= tolerance
        params = {"line": code, "year": year, "printed": printed, "computed": computed, "gap": gap,
                  "tolerance": tolerance, "leaves": len(members)}
        where = f"{fund.file}:{source_line}"
        if erratum is not None:  # the fund file acknowledges this printed figure as an error of the table
            if rounding:  # nothing beyond rounding to acknowledge: the erratum is wrong, not the table
                key, severity = "source_totals.erratum_unneeded", "error"
            else:
                key, severity = "source_totals.erratum", "info"
            params["reading"] = erratum.reading
            where = f"{fund.file}:{erratum.source_line}"
        else:
            key, severity = ("source_totals.rounding", "warning") if rounding else ("source_totals.error", "error")
        findings.append(Finding(rule=rule, severity=severity, fund=fund.code, year=year, line=code, key=key,
                                params=params, citation=fund.cite(rule), amount=gap, source=where))
    return findings
