"""Documents as JSON (CLI.md's shapes): amounts as strings with two decimals ("36670000.00") so that
no reader loses a cent, dates ISO, findings with their message written in the language asked
(French by default) beside their message key."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..core.money import json_amount
from ..core.records import BeyondPeriod, CarryStatement, Finding, ReserveStatementRow
from ..documents import (AvailableDocument, ExplainDocument, FundTable, LineRow, MatrixDocument, RunDocument,
                         VirementDocument)
from .messages import finding_text, text


def dumps(data: Any) -> str:
    """Pretty JSON text, UTF-8 characters kept."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _amounts(values: dict[str, Decimal]) -> dict[str, str]:
    return {column: json_amount(v) for column, v in values.items()}


def finding_json(f: Finding, lang: str = "fr") -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity, "fund": f.fund, "year": f.year, "line": f.line,
            "message": finding_text(f, lang), "citation": f.citation,
            "amount": json_amount(f.amount) if f.amount is not None else None, "source": f.source, "key": f.key}


def reserve_json(row: ReserveStatementRow) -> dict[str, Any]:
    """A reserve statement row: opening, resources by kind, expenses by line, closing."""
    out: dict[str, Any] = {"year": row.year, "opening": json_amount(row.opening),
                           "available": json_amount(row.available)}
    out.update({f"resource_{k}": json_amount(v) for k, v in row.resources_by_kind.items()})
    out.update({"resources": json_amount(row.resources), "expenses": json_amount(row.expenses)})
    out.update({f"expense_{k}": json_amount(v) for k, v in row.expenses_by_line.items()})
    out["closing"] = json_amount(row.closing)
    return out


def participation_json(p: Any) -> dict[str, Any]:
    return {"fund": p.fund, "year": p.year, "operating": json_amount(p.operating), "capital": json_amount(p.capital),
            "receipts": json_amount(p.receipts), "net": json_amount(p.net), "authorised_net": json_amount(p.authorised),
            "by_branch": {b: json_amount(v) for b, v in p.by_branch.items()}, "reading": p.reading, "split": p.split,
            "rule": p.rule, "citation": p.citation}


def statement_json(s: CarryStatement) -> dict[str, Any]:
    return {"fund": s.fund, "line": s.line, "from_year": s.from_year, "to_year": s.to_year,
            "authorised": json_amount(s.authorised), "executed": json_amount(s.executed),
            "eligible": json_amount(s.eligible), "carried": json_amount(s.carried), "lapsed": json_amount(s.lapsed),
            "rule": s.rule, "citation": s.citation}


def beyond_json(b: BeyondPeriod) -> dict[str, Any]:
    return {"fund": b.fund, "line": b.line, "year": b.year, "column": b.column, "amount": json_amount(b.amount),
            "rule": b.rule, "from_year": b.from_year, "source": b.source, "citation": b.citation}


def _line_json(line: LineRow, kind: str, reference_year: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"line": line.code, "label": line.label, "character": line.character, "group": line.group,
                           "parent": line.parent, "years": {}}
    for y, values in line.years.items():
        cell = _amounts(values)
        if kind == "funds" and y in line.published:
            cell["published"] = json_amount(line.published[y])
        out["years"][str(y)] = cell
    if kind == "funds":
        if line.reference is not None and reference_year is not None:
            out["reference"] = {str(reference_year): json_amount(line.reference)}
            if line.reference_published is not None:
                out["reference_published"] = json_amount(line.reference_published)
        if line.estimated:
            out["estimated"] = list(line.estimated)
    return out


def fund_json(table: FundTable, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {"fund": table.code, "label": table.label, "unit": "EUR", "years": table.years,
                           "lines": [_line_json(line, kind, table.reference_year) for line in table.lines],
                           "totals": {str(y): _amounts(v) for y, v in table.totals.items()},
                           "group_labels": table.group_labels}
    if kind == "funds":
        extra = []
        for t in table.extra_totals:
            entry: dict[str, Any] = {"code": t.code, "label": t.label, "members": list(t.members), "years": {}}
            for y, values in t.years.items():
                entry["years"][str(y)] = _amounts(values)
                if y in t.published:
                    entry["years"][str(y)]["published"] = json_amount(t.published[y])
            if t.reference is not None and table.reference_year is not None:
                entry["reference"] = {str(table.reference_year): json_amount(t.reference)}
            extra.append(entry)
        out["extra_totals"] = extra
    elif table.reserve:
        out["reserve"] = [reserve_json(row) for row in table.reserve]
        out["reserve_labels"] = table.reserve_labels
    return out


def run_json(doc: RunDocument, lang: str = "fr") -> dict[str, Any]:
    """The `run`, `audit` or `funds show` document of CLI.md."""
    out: dict[str, Any] = {"scenario": doc.scenario, "funds": [fund_json(t, doc.kind) for t in doc.funds],
                           "findings": [finding_json(f, lang) for f in doc.findings]
                           + [dict(finding_json(f, lang), about_tables=True) for f in doc.table_findings],
                           "carry_over_statement": [statement_json(s) for s in doc.statement],
                           "beyond_period": [beyond_json(b) for b in doc.beyond]}
    if doc.as_of is not None:
        out["as_of"] = doc.as_of.isoformat()
    if doc.cog is not None:
        out["cog"] = {"code": doc.cog[0], "title": doc.cog[1]}
    if doc.assumptions:
        out["assumptions"] = doc.assumptions
    if doc.participation:
        out["branch_participation"] = [participation_json(p) for p in doc.participation]
    if doc.books is not None:
        out["execution_from_books"] = doc.books
    if doc.kind == "audit":
        out["kind"] = "audit"
        out["title"] = doc.title
        out["summary"] = doc.summary
        out["summary_about_tables"] = doc.summary_about_tables
        out["scope"] = {"scenario_file": doc.scenario_file, "funds": [t.code for t in doc.funds],
                        "years": sorted({y for t in doc.funds for y in t.years}),
                        "audit_date": doc.audit_date.isoformat() if doc.audit_date else None}
    return out


def explain_json(doc: ExplainDocument, lang: str = "fr") -> dict[str, Any]:
    out: dict[str, Any] = {"fund": doc.fund, "line": doc.line, "year": doc.year, "column": doc.column,
                           "value": json_amount(doc.value),
                           "contributions": [{"column": c.column, "line": c.line, "rule": c.rule,
                                              "citation": c.citation, "amount": json_amount(c.amount),
                                              "source": c.source, "note": text(c.note, c.params, lang) if c.note else "",
                                              "date": c.date.isoformat() if c.date else None,
                                              "date_defaulted": c.defaulted}
                                             for c in doc.contributions]}
    if doc.as_of is not None:
        out["as_of"] = doc.as_of.isoformat()
    return out


def virement_json(doc: VirementDocument, lang: str = "fr") -> dict[str, Any]:
    out = {"fund": doc.fund, "year": doc.year, "from": doc.source_line, "to": doc.target_line,
           "amount": json_amount(doc.amount), "date": doc.date.isoformat(), "verdict": doc.verdict,
           "authority": text(doc.authority, {"dm_ref": doc.dm_ref}, lang),
           "notify_by": doc.notify_by.isoformat() if doc.notify_by else None, "notify": doc.notify,
           "rules": [{"rule": rule, "citation": citation} for rule, citation in doc.rules],
           "reasons": [text(r.key, r.params, lang) for r in doc.reasons],
           "before": {k: _amounts(v) for k, v in doc.before.items()},
           "after": {k: _amounts(v) for k, v in doc.after.items()}}
    if doc.chains:
        out["chains_with"] = doc.chains
    if doc.assumptions:
        out["assumptions"] = doc.assumptions
    return out


def matrix_json(doc: MatrixDocument, lang: str = "fr") -> dict[str, Any]:
    return {"fund": doc.fund, "groups": doc.groups,
            "matrix": [{"from": a, "to": b, "verdict": v, "rule": r} for (a, b), (v, r) in doc.matrix.items()]}


def available_json(doc: AvailableDocument, lang: str = "fr") -> dict[str, Any]:
    return {"fund": doc.fund, "line": doc.line, "label": doc.label, "date": doc.date.isoformat(),
            "authorised": json_amount(doc.authorised), "executed": json_amount(doc.executed),
            "available": json_amount(doc.available), "movable": json_amount(doc.movable),
            # a fund with no virement permitted with notice has no delay and no one to notify: null, as in virement
            "notice": {"count": doc.notice_days, "unit": doc.notice_unit} if doc.notice_days else None,
            "notify": doc.notify if doc.notice_days else None,
            "targets": [{"to": t.line, "label": t.label, "group": t.group, "verdict": t.verdict, "rule": t.rule,
                         "citation": t.citation, "authority": text(t.authority, {}, lang),
                         "notify_by": t.notify_by.isoformat() if t.notify_by else None,
                         "largest": json_amount(t.largest), "chains_with": t.chains} for t in doc.targets]}


_BY_TYPE = {RunDocument: run_json, ExplainDocument: explain_json, VirementDocument: virement_json,
            MatrixDocument: matrix_json, AvailableDocument: available_json}


def to_json(doc: Any, lang: str = "fr") -> dict[str, Any]:
    """Any document as its JSON structure (a dict of strings, numbers, lists)."""
    for cls, render in _BY_TYPE.items():
        if isinstance(doc, cls):
            return render(doc, lang)
    raise TypeError(f"not a document: {type(doc).__name__}")


def render(doc: Any, lang: str = "fr") -> str:
    """Any document as JSON text."""
    return dumps(to_json(doc, lang))
