"""R-LIMITATIVE-CEILING and R-EVALUATIVE-INDICATIVE at the close of each year: executed above
authorised is an error on a limitative (or reserve) line, and an info on an evaluative one."""
from __future__ import annotations

from .context import FundRun


def check(run: FundRun) -> None:
    fund, ledger, year = run.fund, run.ledger, run.year
    for line in fund.leaves:
        authorised, executed, _ = ledger.closing(fund.code, line.code, year)
        over = executed - authorised
        if over <= 0:
            continue
        source = ", ".join(run.execution_sources.get((year, line.code), []))
        params = {"line": line.code, "year": year, "executed": executed, "over": over, "authorised": authorised}
        if line.character == "evaluative":
            ledger.find(fund, fund.role("character.evaluative"), "info", year, line.code, "ceiling.evaluative_over", params,
                        over, source)
        else:
            ledger.find(fund, fund.role("character.limitative"), "error", year, line.code, "ceiling.limitative_over", params,
                        over, source)
