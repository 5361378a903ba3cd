"""What a budget officer asks: the verdict of one virement on top of a scenario (or the bare COG),
with the two lines before and after."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..engine import Result, run
from ..core.records import VirementRecord
from ..core.money import json_amount
from ..model.scenario import Dm, Scenario, Virement
from ..render.messages import text

SIMULATED = "command line"


@dataclass
class VirementAnswer:
    record: VirementRecord
    before: Result
    after: Result

    @property
    def allowed_for_director(self) -> bool:
        """Exit code 0: the director general may make it (or a coherent DM allows it)."""
        return self.record.verdict in ("permitted", "permitted_with_notice")

    def lines(self, result: Result) -> dict[str, dict[str, Decimal]]:
        r = self.record
        out = {}
        for code in (r.source_line, r.target_line):
            row = result.row(r.fund, code, r.year)
            out[code] = {"authorised": row["authorised"], "available": row["available"]}
        return out

    def document(self, lang: str = "fr") -> dict[str, Any]:
        """The `virement --format json` document of CLI.md."""
        r = self.record
        fund = self.after.funds[r.fund]
        return {"fund": r.fund, "year": r.year, "from": r.source_line, "to": r.target_line,
                "amount": json_amount(r.amount), "date": r.date.isoformat(), "verdict": r.verdict,
                "authority": text(r.authority, {"dm_ref": r.dm_ref}, lang), "notify_by": r.notify_by.isoformat() if r.notify_by else None,
                "notify": fund.fungibility.notify if r.notify_by else None,
                "rules": [{"rule": rule, "citation": fund.cite(rule)} for rule in dict.fromkeys(r.rules)],
                "reasons": [text(reason.key, reason.params, lang) for reason in r.reasons],
                "before": {k: {c: json_amount(v) for c, v in d.items()} for k, d in self.lines(self.before).items()},
                "after": {k: {c: json_amount(v) for c, v in d.items()} for k, d in self.lines(self.after).items()}}


def simulate_virement(scenario: Scenario, fund: str, source: str, target: str, amount: Decimal, year: int,
                      when: dt.date | None = None, dm: Dm | None = None) -> VirementAnswer:
    """Run the scenario without and with the virement; the verdict is judged against the source
    line's credit available at that date (after the scenario's execution and virements)."""
    when = when or dt.date(year, 12, 31)
    event = Virement(year=year, fund=fund, from_line=source, to_line=target, amount=amount, date=when, dm=dm,
                     simulated=True, source=SIMULATED, order=10 ** 9)
    before = run(scenario, source_checks=False)
    after = run(scenario, [event], source_checks=False)
    record = next(v for v in after.ledger.virements if v.source == SIMULATED)
    return VirementAnswer(record, before, after)
