"""The provenance of one figure: the signed contributions (rule, citation, source) that add up
to it. Derived columns (authorised, available, lapsed) are explained by their inputs."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..engine import Result
from ..render.messages import note_text, text
from ..rules.context import CHARACTER_RULE
from ..core.ledger import ZERO
from ..core.money import format_amount, json_amount

AUTHORISED_PARTS = {"base": 1, "indexation": 1, "charge_transfer": 1, "carry_in": 1, "receipts": 1, "reserve_in": 1,
                    "virements_in": 1, "virements_out": -1}
DERIVED = {"authorised": AUTHORISED_PARTS,
           "available": {**AUTHORISED_PARTS, "executed": -1},
           "lapsed": {**AUTHORISED_PARTS, "executed": -1, "carry_out": -1}}


def explain(result: Result, fund: str, line: str, year: int, column: str = "authorised") -> dict[str, Any]:
    """The `explain --format json` document: contributions whose amounts add up to `value`."""
    value = result.row(fund, line, year)[column]
    signs = DERIVED.get(column, {column: 1})
    contributions = []
    for c in result.contributions(fund, line, year):
        sign = signs.get(c.column)
        if sign is None:
            continue
        contributions.append({"column": c.column, "line": c.line, "rule": c.rule, "citation": c.citation,
                              "amount": json_amount(c.amount * sign), "source": c.source, "note": note_text(c)})
    total = sum((Decimal(c["amount"]) for c in contributions), ZERO)
    if column == "lapsed" and total != value:
        # an overspent line lapses nothing: the overspend is not "negative lapsed credit"
        leaves = result.funds[fund].leaves_under[line]
        for leaf in leaves:
            available = result.ledger.row(fund, leaf, year)["available"]
            if available < 0:
                rule = CHARACTER_RULE[result.funds[fund].by_code[leaf].character or "limitative"]
                contributions.append({"column": "available", "line": leaf, "rule": rule,
                                      "citation": result.funds[fund].cite(rule),
                                      "amount": json_amount(-available), "source": "",
                                      "note": text("note.overspend", {})})
    return {"fund": fund, "line": line, "year": year, "column": column, "value": json_amount(value),
            "contributions": contributions}


def render_explain(doc: dict[str, Any], fmt: str, lang: str | None) -> str:
    from ..render.texttable import render

    from ..render.text import csv_text, to_json

    if fmt == "json":
        return to_json(doc)
    if fmt == "csv":
        rows = [["column", "line", "rule", "amount", "source", "citation", "note"]]
        rows += [[c["column"], c["line"], c["rule"], Decimal(c["amount"]), c["source"], c["citation"], c["note"]]
                 for c in doc["contributions"]]
        return csv_text(rows, lang or "neutral")
    lang = lang or "fr"
    rows = [[c["column"], c["line"], c["rule"], format_amount(Decimal(c["amount"]), lang), c["source"], c["note"]]
            for c in doc["contributions"]]
    rows.append(["=", doc["line"], doc["column"], format_amount(Decimal(doc["value"]), lang), "", ""])
    title = f"{doc['fund']} {doc['line']} {doc['year']} {doc['column']} = {format_amount(Decimal(doc['value']), lang)}"
    table = render(rows, ["column", "line", "rule", "amount", "source", "note"], "pipe" if fmt == "md" else "simple",
                   ("left", "left", "left", "right", "left", "left"))
    cites = sorted({(c["rule"], c["citation"]) for c in doc["contributions"]})
    notes = "\n".join(f"  {rule}: {citation}" for rule, citation in cites)
    head = f"## {title}" if fmt == "md" else title
    return f"{head}\n\n{table}\n\n{notes}\n"
